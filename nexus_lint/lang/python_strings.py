"""Python string values with offsets: what a literal, or text assembled from literals, is worth.

A string literal's body is decoded as CPython would (escapes, raw and bytes
prefixes, f-string braces) while every character keeps its offset in the file
where it stands there verbatim (:func:`decode_literal`).  :class:`PyStr` is such
a value together with the parts that could not be resolved (a parameter, the
environment: "holes", kept as written) and the names it came through, and knows
how to hand itself to a shell (:meth:`PyStr.for_shell`, :meth:`PyStr.shell_word`).

No libcst here: :mod:`nexus_lint.lang.python_values` builds these values from
the tree.
"""

from __future__ import annotations

import re
from array import array
from nexus_lint.core.record import record
from typing import List, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
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
