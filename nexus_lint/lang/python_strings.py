"""Python string values with offsets: what a literal, or text assembled from literals, is worth.

A string literal's body is decoded as CPython would (escapes, raw and bytes
prefixes, f-string braces) while every character keeps its offset in the file
where it stands there verbatim (:func:`decode_literal`).  :class:`PyStr` is such
a value together with the parts that could not be resolved (a parameter, the
environment: "holes", kept as written) and the names it came through, and knows
how to hand itself to a shell (:meth:`PyStr.for_shell`, :meth:`PyStr.shell_word`).

:func:`scan_literals` reads the string literals an expression is written as
(implicit concatenation, prefixes, triple quotes, f-strings with their
replacement fields, nested strings of Python 3.12 included) from the source
text, so every character has its offset whatever ``ast`` records of the pieces
(Python 3.10 and 3.11 give the parts of an f-string no positions of their own).
:mod:`nexus_lint.lang.python_values` builds values from the tree and these.
"""

from __future__ import annotations

import re
from array import array
from typing import List, NamedTuple, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.record import record
from nexus_lint.core.sourced import UNKNOWN, SourcedStr


IDENT = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@record(frozen=True)
class PyStr:
    """A string value: text with per-character file offsets (:class:`SourcedStr`),
    the parts that could not be resolved (``holes``: ``(start, end, name)``, their
    text as written, offsets -1) and the names it came through."""

    value: SourcedStr
    holes: Tuple[Tuple[int, int, str], ...] = ()
    vars: Tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.value.text

    @property
    def known(self) -> bool:
        return not self.holes

    @classmethod
    def hole(cls, shown: str, name: str = "_") -> "PyStr":
        return cls(SourcedStr.unknown(shown), ((0, len(shown), name),))

    def __add__(self, other: "PyStr") -> "PyStr":
        n = len(self.value)
        holes = self.holes + tuple((s + n, e + n, name) for s, e, name in other.holes)
        return PyStr(self.value + other.value, holes, _merge(self.vars, other.vars))

    def via(self, name: str) -> "PyStr":
        return PyStr(self.value, self.holes, _merge((name,), self.vars))

    def slice(self, i: int, j: int) -> "PyStr":
        holes = tuple((max(s, i) - i, min(e, j) - i, name) for s, e, name in self.holes if s < j and e > i)
        return PyStr(self.value[i:j], holes, self.vars)

    def for_shell(self) -> SourcedStr:
        """The value with each hole as an unknown shell variable (``${name}``)."""
        if not self.holes:
            return self.value
        parts: List[SourcedStr] = []
        pos = 0
        for s, e, name in self.holes:
            parts.append(self.value[pos:s])
            parts.append(SourcedStr.unknown("${%s}" % (name if IDENT.match(name) else "_nx")))
            pos = e
        parts.append(self.value[pos:])
        return SourcedStr.join(parts)

    def shell_word(self) -> SourcedStr:
        """The value as one shell word: known runs single-quoted (characters keep
        their offsets), holes as ``"${name}"``."""
        parts: List[SourcedStr] = []
        pos = 0
        holes = list(self.holes)
        value = self.value

        def known_run(i: int, j: int) -> None:
            if i >= j:
                return
            run = value[i:j]
            parts.append(SourcedStr.unknown("'"))
            start = 0
            for k, ch in enumerate(run.text):
                if ch == "'":
                    parts.append(run[start:k])
                    parts.append(SourcedStr.unknown("'\\"))
                    parts.append(run[k:k + 1])
                    parts.append(SourcedStr.unknown("'"))
                    start = k + 1
            parts.append(run[start:])
            parts.append(SourcedStr.unknown("'"))

        for s, e, name in holes:
            known_run(pos, s)
            parts.append(SourcedStr.unknown('"${%s}"' % (name if IDENT.match(name) else "_nx")))
            pos = e
        known_run(pos, len(value))
        if not parts:
            parts.append(SourcedStr.unknown("''"))
        return SourcedStr.join(parts)


def _merge(a: Tuple[str, ...], b: Tuple[str, ...]) -> Tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def concat(parts: Sequence[PyStr]) -> PyStr:
    """The values one after the other."""
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


def unplaced(text: str) -> PyStr:
    """Text with no place in the file (a separator the code adds)."""
    return PyStr(SourcedStr.unknown(text))


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def decode_literal(body: str, start: int, raw: bool, is_bytes: bool, fstring: bool) -> SourcedStr:
    """The value of a string literal's body standing at ``start``.

    Plain characters keep their offsets; ``\\\\``, ``\\'`` and ``\\"`` keep the offset of
    the escaped character; other escapes give a character with no offset; in an
    f-string ``{{``/``}}`` give one brace at the first one's offset."""
    if (raw or "\\" not in body) and not (fstring and ("{{" in body or "}}" in body)):
        return SourcedStr.literal(body, start)
    out: List[str] = []
    offs = array("q")
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if fstring and c in "{}" and i + 1 < n and body[i + 1] == c:
            out.append(c)
            offs.append(start + i)
            i += 2
            continue
        if c != "\\" or raw or i + 1 >= n:
            out.append(c)
            offs.append(start + i)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "\n":
            i += 2
            continue
        if nxt == "\r":
            i += 3 if body[i + 2:i + 3] == "\n" else 2
            continue
        if nxt in "\\'\"":
            out.append(nxt)
            offs.append(start + i + 1)
            i += 2
            continue
        if nxt in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[nxt])
            offs.append(UNKNOWN)
            i += 2
            continue
        m = None
        if nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            code = int(m.group(), 8)
        elif nxt == "x":
            m = re.match(r"x([0-9A-Fa-f]{2})", body[i + 1:])
            code = int(m.group(1), 16) if m else 0
        elif nxt in "uU" and not is_bytes:
            m = re.match(r"u([0-9A-Fa-f]{4})" if nxt == "u" else r"U([0-9A-Fa-f]{8})", body[i + 1:])
            code = int(m.group(1), 16) if m else 0
        elif nxt == "N" and not is_bytes:
            m = re.match(r"N\{[^}]*\}", body[i + 1:])
            code = 0xFFFD
            if m:
                import unicodedata

                try:
                    code = ord(unicodedata.lookup(m.group()[2:-1]))
                except KeyError:
                    pass
        if m:
            out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd")
            offs.append(UNKNOWN)
            i += 1 + m.end()
            continue
        out.append(c)  # an unknown escape stays as written
        offs.append(start + i)
        i += 1
    return SourcedStr("".join(out), offs)


# -----------------------------------------------------------------------------
# String literals as written
# -----------------------------------------------------------------------------


class Field(NamedTuple):
    """A replacement field of an f-string: ``{`` at ``start``, the expression's
    text at ``expr``, ``!conversion``, a ``:spec``, ``=``; ``end`` is after ``}``."""

    start: int
    expr: Tuple[int, int]
    conversion: Optional[str]
    spec: bool
    equal: bool
    end: int


class Literal(NamedTuple):
    """One string literal token: its lower-case ``prefix``, ``quote``, the body
    between the quotes (``body`` to ``end``) and, for an f-string, its fields."""

    prefix: str
    quote: str
    body: int
    end: int
    fields: Tuple[Field, ...] = ()


_PREFIX = frozenset("rRbBuUfF")
_BARE_BREAK = lazy_re(r"(?<![\\\r])\n|(?<!\\)\r")
_SPACE = frozenset(" \t\f\r\n")


def scan_literals(text: str, start: int, end: int) -> List[Literal]:
    """The string literals written between ``start`` and ``end`` (one, or several
    implicitly concatenated, with blanks, comments and line continuations between)."""
    out: List[Literal] = []
    i = start
    while i < end:
        c = text[i]
        if c in _SPACE:
            i += 1
        elif c == "\\":
            i += 2
        elif c == "#":
            while i < end and text[i] not in "\r\n":
                i += 1
        else:
            found = literal_at(text, i)
            if found is None:
                break
            lit, i = found
            out.append(lit)
    return out


def literal_at(text: str, i: int):
    """The literal token at ``i`` and the offset after it, or ``None``."""
    n = len(text)
    j = i
    while j < n and j - i < 2 and text[j] in _PREFIX:
        j += 1
    if j >= n or text[j] not in "'\"":
        return None
    prefix = text[i:j].lower()
    q = text[j] * 3 if text.startswith(text[j] * 3, j) else text[j]
    k = j + len(q)
    fields: List[Field] = []
    fstring = "f" in prefix
    while not fstring:  # the closing quote, past escaped characters
        close = text.find(q, k)
        if close < 0:
            return None
        bs = text.find("\\", k, close)
        if bs >= 0:
            k = bs + 2
            continue
        body = j + len(q)
        if len(q) == 1 and _BARE_BREAK.search(text, body, close):
            return None  # a line break no backslash continues: not one literal
        return Literal(prefix, q, body, close), close + len(q)
    while k < n:
        c = text[k]
        if c == "\\":
            k += 1 if fstring and text[k + 1:k + 2] in ("{", "}") else 2
        elif text.startswith(q, k):
            return Literal(prefix, q, j + len(q), k, tuple(fields)), k + len(q)
        elif fstring and c in "{}":
            if text[k + 1:k + 2] == c:
                k += 2
            elif c == "{":
                field = _field(text, k)
                if field is None:
                    return None
                fields.append(field)
                k = field.end
            else:
                k += 1
        elif len(q) == 1 and c in "\r\n":
            return None
        else:
            k += 1
    return None


def _field(text: str, i: int) -> Optional[Field]:
    """The replacement field whose ``{`` is at ``i``."""
    n = len(text)
    k = i + 1
    depth = 0
    expr_end: Optional[int] = None
    conversion: Optional[str] = None
    spec = equal = False
    while k < n:
        c = text[k]
        if c in "([{":
            depth += 1
            k += 1
        elif c in ")]":
            depth -= 1
            k += 1
        elif c == "}":
            if depth <= 0:
                break
            depth -= 1
            k += 1
        elif c in "'\"":
            found = literal_at(text, k)
            if found is None:
                return None
            k = found[1]
        elif c.isalpha() or c == "_":
            j = k
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            if j - k <= 2 and j < n and text[j] in "'\"" and all(ch in _PREFIX for ch in text[k:j]):
                found = literal_at(text, k)
                if found is None:
                    return None
                j = found[1]
            k = j
        elif c == "#":
            while k < n and text[k] not in "\r\n":
                k += 1
        elif depth == 0 and c == "!" and text[k + 1:k + 2] != "=":
            expr_end = k if expr_end is None else expr_end
            j = k + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            conversion = text[k + 1:j]
            k = j
        elif depth == 0 and c == ":":
            expr_end = k if expr_end is None else expr_end
            spec = True
            k = _spec_end(text, k + 1)
            if k < 0:
                return None
            break
        elif depth == 0 and c == "=" and text[k + 1:k + 2] != "=" and text[k - 1] not in "=!<>":
            expr_end = k if expr_end is None else expr_end
            equal = True
            k += 1
        else:
            k += 1
    if k >= n:
        return None
    return Field(i, (i + 1, k if expr_end is None else expr_end), conversion, spec, equal, k + 1)


def _spec_end(text: str, k: int) -> int:
    """The offset of the ``}`` that ends a format spec starting at ``k`` (-1: none)."""
    n = len(text)
    while k < n:
        c = text[k]
        if c == "{":
            field = _field(text, k)
            if field is None:
                return -1
            k = field.end
        elif c == "}":
            return k
        elif c in "\r\n":
            return -1
        else:
            k += 1
    return -1
