"""A small Groovy reader: the subset a pipeline script needs, with exact offsets.

It knows nothing of Jenkins or Nexus.  :func:`tokenize` turns Groovy text into
tokens (identifiers, numbers, operators, brackets, newlines and strings with
their decoded value), collects the comments and reports the first thing
Groovy's own lexer rejects for certain: an unterminated string or comment, a
closing bracket that closes nothing or the wrong thing, an opening one never
closed, a ``$`` in a double-quoted string that starts no interpolation.
:func:`parse` finds the calls in the tokens: ``name(args) { closure }``,
command expressions (``sh 'x'``, ``image 'x'``, ``sh script: 'x'``), chains
(``docker.image('x').inside { }``) and assignments (``NAME = 'x'``, ``def i
= docker.build('a')``), each with the call whose closure holds it.  Anything
else is skipped, never an error: the reader is lenient by design and only the
lexer's findings are problems.

Strings: ``'...'``, ``"..."``, ``'''...'''``, ``\"\"\"...\"\"\"``, slashy ``/.../``
and dollar-slashy ``$/.../$``.  A :class:`GString` holds its parts: literal
characters with the offset of each in the text (escapes decoded: the character
a ``\\$`` or ``\\\\`` stands for keeps the offset of its second character, a
``\\n`` or ``\\u0041`` has none; ``\\`` + newline in a multi-line string is
dropped) and interpolations (``$name.path``, ``${ expr }``) with their
expression text and span.

Why hand-written (measured on 159 real pipeline and library files): the
tree-sitter-groovy grammar 0.1.2 marks error nodes in 36 of them that Groovy
accepts (``def call(Map p = [:])``, a shebang, ``"${tool "jdk"}"``, slashy
strings, multiple assignment) and leaves ``${...}`` inside string fragments,
so it could neither report broken files nor resolve interpolation; this
reader accepts all 159 and gives interpolations their spans.
"""

from __future__ import annotations

import re
from nexus_lint.core.record import field, record
from typing import Dict, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re

IDENT = "ident"
NUMBER = "number"
STRING = "string"
OP = "op"
NEWLINE = "nl"

MAX_DEPTH = 200  # nested brackets/interpolations before the reader gives up on nesting
KEYWORDS = frozenset("""abstract as assert boolean break byte case catch char class const continue def default do
double else enum extends false final finally float for goto if implements import in instanceof int interface long
native new null package private protected public return short static strictfp super switch synchronized this
threadsafe throw throws transient true try var void volatile while""".split())
# After these a "/" is division, anywhere else it starts a slashy string (Groovy's lexer rule).
_VALUE_KEYWORDS = frozenset({"this", "super", "true", "false", "null"})
_CLOSE = {")": "(", "]": "[", "}": "{"}
_SIMPLE_ESC = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "s": " "}
_SPACE = lazy_re("[ \t\r\f\ufeff]+")
_IDENT = lazy_re(r"[\w$]*")  # after the first character
_NUMBER = lazy_re(r"\d(?:\w|\.(?=\d))*")
_OPS = sorted(""">>>= <<= >>= >>> ==~ <=> ... ..< ?. ?: *. .& .@ :: ++ -- == != <= >= && || =~ += -= *= /= %= &= |= ^=
** -> << >> ?[ + - * / % = < > ! ~ & | ^ ? : ; , . @""".split(), key=len, reverse=True)


_OP = lazy_re("|".join(re.escape(op) for op in _OPS))
# What a string body stops at (the rest is copied in one run): a backslash, a
# dollar, a line end, the quote's own character.
_STOPS = {q: lazy_re("[^\\\\$\r\n" + re.escape(q[-1]) + "]+") for q in ("'", '"', "'" * 3, '"' * 3, "/", "$/")}


@record
class Interp:
    """``$name.path`` or ``${ expr }`` inside a string."""

    expr: str  # the expression text (without ``$``/``${ }``)
    start: int  # span of the whole interpolation in the text
    end: int


@record
class GString:
    """A string literal: its quote, span and parts (``str`` runs with offsets, or :class:`Interp`)."""

    quote: str  # ', ", ''', \"\"\", /, $/
    start: int
    end: int
    parts: List[object] = field(default_factory=list)  # Lit | Interp

    @property
    def interpolated(self) -> bool:
        return any(isinstance(p, Interp) for p in self.parts)

    def plain(self) -> Optional[str]:
        """The value when it has no interpolation."""
        if self.interpolated:
            return None
        return "".join(p.text for p in self.parts)


@record
class Lit:
    text: str
    offsets: List[int]


class Token:
    """One token: ``kind``, its ``text`` and span, a string's :class:`GString`
    ``value``, and whether it is the first token of its line."""

    __slots__ = ("kind", "text", "start", "end", "value", "line_start")

    def __init__(self, kind: str, text: str, start: int, end: int, value: Optional[GString] = None,
                 line_start: bool = False) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.value = value
        self.line_start = line_start

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.start})"


@record
class Comment:
    start: int
    end: int
    text: str
    own_line: bool


@record
class Problem:
    message: str
    start: int
    end: int


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.tokens: List[Token] = []
        self.comments: List[Comment] = []
        self.problem: Optional[Problem] = None
        self.stack: List[Tuple[str, int]] = []  # open brackets

    def fail(self, message: str, start: int, end: int) -> None:
        if self.problem is None:
            self.problem = Problem(message, start, max(end, start))

    # -- the token loop --------------------------------------------------------
    def run(self) -> None:
        t, n = self.text, self.n
        i = 0
        if t.startswith("#!"):
            e = _line_end(t, 0)
            self.comments.append(Comment(0, e, t[:e], True))
            i = e
        line_start = True
        while i < n and self.problem is None:
            c = t[i]
            if c == "\n":
                self._add(NEWLINE, i, i + 1, line_start)
                line_start = True
                i += 1
                continue
            if c in " \t\r\f\ufeff":
                i = _SPACE.match(t, i).end()
                continue
            if c == "\\" and (t.startswith("\n", i + 1) or t.startswith("\r\n", i + 1)):
                i += 2 if t[i + 1] == "\n" else 3  # a line continuation
                continue
            if c == "/" and t.startswith("//", i):
                e = _line_end(t, i)
                self.comments.append(Comment(i, e, t[i:e], line_start))
                i = e
                continue
            if c == "/" and t.startswith("/*", i):
                e = t.find("*/", i + 2)
                if e < 0:
                    self.fail("unterminated comment: `/*` is never closed", i, i + 2)
                    return
                self.comments.append(Comment(i, e + 2, t[i:e + 2], line_start))
                i = e + 2
                continue
            ls, line_start = line_start, False
            if c.isalpha() or c == "_" or (c == "$" and not t.startswith("$/", i)):
                j = _IDENT.match(t, i + 1).end()
                self._add(IDENT, i, j, ls)
                i = j
            elif c.isdigit():
                m = _NUMBER.match(t, i)  # None for a digit \d does not take (`²`)
                j = m.end() if m else i + 1
                self._add(NUMBER, i, j, ls)
                i = j
            elif c in "'\"":
                i = self._string(i, ls)
            elif t.startswith("$/", i) and self._regex_allowed():
                i = self._string(i, ls, "$/")
            elif c == "/" and self._regex_allowed() and not t.startswith("/=", i):
                i = self._string(i, ls, "/")
            elif c in "([{)]}":
                if not self._bracket(i, ls):
                    return
                i += 1
            else:
                m = _OP.match(t, i)
                e = m.end() if m else i + 1
                self._add(OP, i, e, ls)
                i = e
        if self.problem is None and self.stack:
            opener, at = self.stack[-1]
            closer = {"(": ")", "[": "]", "{": "}"}[opener]
            self.fail(f"unbalanced `{opener}`: no `{closer}` closes it", at, at + 1)

    def _bracket(self, i: int, ls: bool) -> bool:
        """An opening or closing bracket at ``i``; False when it is a problem."""
        c = self.text[i]
        if c in "([{":
            if len(self.stack) >= MAX_DEPTH:
                self.fail("nested too deeply", i, i + 1)
                return False
            self.stack.append((c, i))
        else:
            if not self.stack:
                self.fail(f"unbalanced `{c}`: it closes nothing", i, i + 1)
                return False
            opener, at = self.stack.pop()
            if opener != _CLOSE[c]:
                self.fail(f"`{c}` closes the `{opener}` on line {self.text.count(chr(10), 0, at) + 1}", i, i + 1)
                return False
        self._add(OP, i, i + 1, ls)
        return True

    def _add(self, kind: str, s: int, e: int, ls: bool, value: Optional[GString] = None) -> None:
        self.tokens.append(Token(kind, self.text[s:e], s, e, value, ls))

    def _regex_allowed(self) -> bool:
        prev = self.tokens[-1] if self.tokens else None
        if prev is None or prev.kind == NEWLINE:
            return True
        if prev.kind in (NUMBER, STRING):
            return False
        if prev.kind == IDENT:
            return prev.text in KEYWORDS and prev.text not in _VALUE_KEYWORDS
        return prev.text not in (")", "]", "}", "++", "--")

    # -- strings -----------------------------------------------------------------
    def _string(self, i: int, ls: bool, quote: Optional[str] = None) -> int:
        t = self.text
        if quote is None:
            quote = t[i] * 3 if t.startswith(t[i] * 3, i) else t[i]
        g = GString(quote, i, i)
        end = self._string_body(i + len(quote), quote, g)
        if end < 0:
            return self.n
        g.end = end
        self._add(STRING, i, end, ls, g)
        return end

    def _string_body(self, i: int, quote: str, g: GString, depth: int = 0) -> int:
        """Read the string's characters from ``i``; returns the offset after its closing quote (-1: a problem)."""
        t, n = self.text, self.n
        start = g.start
        interp = quote in ('"', '"""', "/", "$/")
        multi = quote in ("'''", '"""', "/", "$/")
        closer = "/$" if quote == "$/" else quote
        text: List[str] = []
        offs: List[int] = []

        def flush() -> None:
            if text:
                g.parts.append(Lit("".join(text), list(offs)))
                text.clear()
                offs.clear()

        stops = _STOPS[quote]
        while True:
            m = stops.match(t, i)
            if m is not None:  # a run of plain characters
                j = m.end()
                text.append(t[i:j])
                offs.extend(range(i, j))
                i = j
            if i >= n:
                self.fail(f"unterminated string: the `{quote}` is never closed", start, start + len(quote))
                return -1
            c = t[i]
            if t.startswith(closer, i):
                flush()
                return i + len(closer)
            if c == "\n" and not multi:
                self.fail(f"unterminated string: a `{quote}` string ends at the end of its line", start, i)
                return -1
            if quote == "$/":
                if t.startswith("$$", i) or t.startswith("$/", i):
                    text.append(t[i + 1])
                    offs.append(i + 1)
                    i += 2
                    continue
            elif quote == "/":
                if t.startswith("\\/", i):
                    text.append("/")
                    offs.append(i + 1)
                    i += 2
                    continue
            elif c == "\\":
                i = self._escape(i, text, offs, multi)
                if i < 0:
                    return -1
                continue
            if c == "$" and interp:
                found = self._interpolation(i, quote, depth)
                if found is not None:
                    if found.end < 0:
                        return -1
                    flush()
                    g.parts.append(found)
                    i = found.end
                    continue
            if c == "\r" and t.startswith("\r\n", i):
                i += 1  # CRLF in a multi-line string is one newline
                continue
            text.append(c)
            offs.append(i)
            i += 1

    def _interpolation(self, i: int, quote: str, depth: int) -> Optional[Interp]:
        """The ``${ expr }`` or ``$name.path`` at ``i`` (its ``end`` -1 after a
        problem), or ``None`` when the ``$`` is a plain character."""
        t, n = self.text, self.n
        nxt = t[i + 1] if i + 1 < n else ""
        if nxt == "{":
            e = self._interp_braces(i + 2, depth)
            return Interp(t[i + 2:e - 1].strip(), i, e) if e >= 0 else Interp("", i, -1)
        if nxt.isalpha() or nxt == "_":
            j = i + 1
            while True:
                while j < n and (t[j].isalnum() or t[j] == "_"):
                    j += 1
                if t.startswith(".", j) and j + 1 < n and (t[j + 1].isalpha() or t[j + 1] == "_"):
                    j += 1
                    continue
                return Interp(t[i + 1:j], i, j)
        if quote in ('"', '"""'):
            self.fail("a `$` that starts no interpolation in a double-quoted string "
                      "(write `\\$` for a dollar sign)", i, i + 1)
            return Interp("", i, -1)
        return None

    def _escape(self, i: int, text: List[str], offs: List[int], multi: bool) -> int:
        t = self.text
        nxt = t[i + 1] if i + 1 < self.n else ""
        if nxt in _SIMPLE_ESC:
            text.append(_SIMPLE_ESC[nxt])
            offs.append(-1)
            return i + 2
        if nxt == "u":
            j = i + 1
            while j < self.n and t[j] == "u":
                j += 1
            hexa = t[j:j + 4]
            if len(hexa) == 4 and all(h in "0123456789abcdefABCDEF" for h in hexa):
                text.append(chr(int(hexa, 16)))
                offs.append(-1)
                return j + 4
            self.fail("invalid unicode escape", i, j)
            return -1
        if nxt in "01234567" and nxt:
            j = i + 1
            while j < self.n and j < i + 4 and t[j] in "01234567":
                j += 1
            text.append(chr(int(t[i + 1:j], 8) & 0xFF))
            offs.append(-1)
            return j
        if nxt == "\n":
            return i + 2  # a line continuation inside the string
        if t.startswith("\r\n", i + 1):
            return i + 3
        if nxt in ("\\", "'", '"', "$"):
            text.append(nxt)
            offs.append(i + 1)
            return i + 2
        if nxt == "":
            return i + 1  # the string is unterminated: reported by the caller
        # Groovy rejects any other escape ("unexpected char")
        self.fail(f"invalid escape `\\{nxt}` in a string", i, i + 2)
        return -1

    def _interp_braces(self, i: int, depth: int) -> int:
        """Skip a ``${ ... }`` body from ``i`` (after ``${``); returns the offset after its ``}``."""
        t, n = self.text, self.n
        if depth > 20:
            self.fail("interpolation nested too deeply", i, i + 1)
            return -1
        level = 0
        start = i - 2
        while i < n:
            c = t[i]
            if c == "}":
                if level == 0:
                    return i + 1
                level -= 1
            elif c == "{":
                level += 1
            elif c in "'\"":
                q = c * 3 if t.startswith(c * 3, i) else c
                e = self._string_body(i + len(q), q, GString(q, i, i), depth + 1)
                if e < 0:
                    return -1
                i = e
                continue
            elif t.startswith("//", i):
                i = _line_end(t, i)
                continue
            elif t.startswith("/*", i):
                e = t.find("*/", i + 2)
                if e < 0:
                    break
                i = e + 2
                continue
            i += 1
        self.fail("unterminated `${`: the interpolation is never closed", start, start + 2)
        return -1


def _line_end(t: str, i: int) -> int:
    e = t.find("\n", i)
    if e < 0:
        return len(t)
    return e - 1 if e > i and t[e - 1] == "\r" else e


@record
class Lexed:
    tokens: List[Token]
    comments: List[Comment]
    problem: Optional[Problem]


def tokenize(text: str) -> Lexed:
    lx = _Lexer(text)
    try:
        lx.run()
    except RecursionError:  # pragma: no cover - bounded by MAX_DEPTH
        lx.fail("nested too deeply", 0, 0)
    return Lexed(lx.tokens, lx.comments, lx.problem)


# ---------------------------------------------------------------------------
# Calls and assignments
# ---------------------------------------------------------------------------


@record
class Arg:
    key: Optional[str]  # named argument (``script: 'x'``) or None
    first: int  # token indexes of the value: [first, last)
    last: int


@record
class Call:
    name: str  # the method name (last part): ``sh``, ``image``, ``withRegistry``, ``push``
    path: Tuple[str, ...]  # the plain dotted receiver before it: ("docker",) for docker.image
    receiver: Optional["Call"]  # the call before it in a chain: docker.image('x') for .pull()
    args: List[Arg]
    start: int  # text span of the name
    end: int
    parent: Optional["Call"]  # the call whose closure holds this one
    closure: Optional[Tuple[int, int]] = None  # text span of its closure ``{ ... }``
    parens: bool = False
    var: Optional[str] = None  # a variable the call is read from: ``img.push()``

    def arg(self, key: Optional[str] = None, index: int = 0) -> Optional[Arg]:
        pos = [a for a in self.args if a.key is None]
        if key is not None:
            for a in self.args:
                if a.key == key:
                    return a
            return None
        return pos[index] if index < len(pos) else None


@record
class Assign:
    target: Tuple[str, ...]  # ``NAME`` -> ("NAME",), ``env.X`` -> ("env", "X")
    first: int  # value tokens [first, last)
    last: int
    parent: Optional[Call]
    start: int  # text span of the target
    end: int


@record
class Parsed:
    tokens: List[Token]
    calls: List[Call]
    assigns: List[Assign]
    comments: List[Comment]
    problem: Optional[Problem]


def parse(text: str) -> Parsed:
    lexed = tokenize(text)
    p = _Parser(lexed.tokens)
    try:
        p.statements(0, len(p.toks), None)
    except RecursionError:  # pragma: no cover - bounded by the lexer's MAX_DEPTH
        pass
    return Parsed(lexed.tokens, p.calls, p.assigns, lexed.comments, lexed.problem)


class _Parser:
    """Finds calls and assignments; skips whatever it does not know."""

    def __init__(self, toks: List[Token]) -> None:
        self.toks = toks
        self.calls: List[Call] = []
        self.assigns: List[Assign] = []
        # matching bracket of every opener (the lexer checked the balance when there is no problem)
        self.match: Dict[int, int] = {}
        stack: List[int] = []
        for k, tok in enumerate(toks):
            if tok.kind == OP and tok.text in "([{":
                stack.append(k)
            elif tok.kind == OP and tok.text in ")]}" and stack:
                self.match[stack.pop()] = k

    def close(self, k: int, end: int) -> int:
        return min(self.match.get(k, end - 1), end - 1) if end > k else k

    def is_op(self, k: int, text: str, end: int) -> bool:
        return k < end and self.toks[k].kind == OP and self.toks[k].text == text

    def skip_nl(self, k: int, end: int) -> int:
        while k < end and self.toks[k].kind == NEWLINE:
            k += 1
        return k

    def statements(self, k: int, end: int, parent: Optional[Call]) -> None:
        while k < end:
            k2 = self.statement(k, end, parent)
            k = k2 if k2 > k else k + 1

    def statement(self, k: int, end: int, parent: Optional[Call]) -> int:
        """One statement from ``k``; returns the index after it."""
        toks = self.toks
        k = self.skip_nl(k, end)
        if k >= end:
            return end
        tok = toks[k]
        if tok.kind == IDENT and tok.text not in KEYWORDS:
            # a declaration `Type name = value`
            if k + 2 < end and toks[k + 1].kind == IDENT and toks[k + 1].text not in KEYWORDS \
                    and self.is_op(k + 2, "=", end):
                return self.expression(k + 1, end, parent, statement=True)
            return self.expression(k, end, parent, statement=True)
        return self.expression(k, end, parent, statement=True)

    def expression(self, k: int, end: int, parent: Optional[Call], statement: bool = False,
                   in_group: bool = False) -> int:
        """Terms and operators up to the end of the statement (a newline outside
        brackets, ``;``, or ``,`` in a group); returns the index after it."""
        toks = self.toks
        first = True
        while k < end:
            tok = toks[k]
            if tok.kind == NEWLINE:
                if in_group:
                    k += 1
                    continue
                prev = toks[k - 1] if k > 0 else None
                if prev is not None and prev.kind == OP and prev.text not in (")", "]", "}", "++", "--"):
                    k += 1  # an operator at the end of the line continues the expression
                    continue
                nxt = self.skip_nl(k, end)
                if nxt < end and toks[nxt].kind == OP and toks[nxt].text in (".", "?.", "*."):
                    k = nxt  # a chain continued on the next line
                    continue
                return k + 1
            if tok.kind == OP and tok.text in (";",):
                return k + 1
            if tok.kind == OP and tok.text == "," and in_group:
                return k
            if tok.kind == OP and tok.text in (")", "]", "}"):
                return k
            if tok.kind == IDENT and tok.text not in KEYWORDS:
                k = self.term(k, end, parent, statement and first)
                if not in_group and toks[k - 1].kind == NEWLINE:
                    return k  # an assignment's value ended the statement
            elif tok.kind == OP and tok.text in ("(", "["):
                close = self.close(k, end)
                self.group(k + 1, close, parent)
                k = close + 1
                k = self.chain(k, end, parent, None, ())
            elif tok.kind == OP and tok.text == "{":
                close = self.close(k, end)
                self.statements(k + 1, close, parent)
                k = close + 1
            elif tok.kind == OP and tok.text == "->":
                k += 1  # a closure's parameters end: a statement starts
                first = statement = True
                continue
            else:
                k += 1
            first = False
        return k

    def group(self, k: int, end: int, parent: Optional[Call]) -> List[Arg]:
        """Comma-separated expressions (arguments, list or map items) in [k, end)."""
        args: List[Arg] = []
        toks = self.toks
        while k < end:
            k = self.skip_nl(k, end)
            if k >= end:
                break
            key = None
            if k + 1 < end and self.is_op(k + 1, ":", end) and toks[k].kind in (IDENT, STRING, NUMBER):
                key = toks[k].value.plain() if toks[k].kind == STRING and toks[k].value else toks[k].text
                k += 2
            a = self.skip_nl(k, end)
            k = self.expression(a, end, parent, in_group=True)
            b = k
            while b > a and toks[b - 1].kind == NEWLINE:
                b -= 1
            args.append(Arg(key, a, b))
            if self.is_op(k, ",", end):
                k += 1
            elif k < end:
                k += 1
        return args

    def term(self, k: int, end: int, parent: Optional[Call], statement: bool) -> int:
        """An identifier chain from ``k``: a call, a command, an assignment or a plain name."""
        toks = self.toks
        path = [toks[k].text]
        j = k + 1
        while j + 1 < end and toks[j].kind == OP and toks[j].text in (".", "?.") and toks[j + 1].kind == IDENT:
            path.append(toks[j + 1].text)
            j += 2
        name_tok = toks[j - 1]
        if self.is_op(j, "=", end):
            value_start = j + 1
            value_end = self.expression(value_start, end, parent)
            last = value_end
            while last > value_start and (toks[last - 1].kind == NEWLINE or self.is_op(last - 1, ";", end)):
                last -= 1
            self.assigns.append(Assign(tuple(path), value_start, last, parent, toks[k].start, name_tok.end))
            return value_end
        if self.is_op(j, "(", end) or self.is_op(j, "{", end):
            return self.chain(j, end, parent, None, tuple(path[:-1]), name_tok, var=None)
        if statement and j < end and not toks[j].line_start and self._starts_argument(j, end):
            # a command expression: `sh 'x'`, `image "x"`, `sh script: 'x', label: 'y'`
            call = Call(path[-1], tuple(path[:-1]), None, [], name_tok.start, name_tok.end, parent)
            self.calls.append(call)
            k2 = j
            while k2 < end:
                k2 = self.skip_nl(k2, end) if self.is_op(k2 - 1, ",", end) else k2
                key = None
                if k2 + 1 < end and self.is_op(k2 + 1, ":", end) and toks[k2].kind in (IDENT, STRING):
                    key = toks[k2].value.plain() if toks[k2].kind == STRING and toks[k2].value else toks[k2].text
                    k2 += 2
                a = k2
                k2 = self._command_arg(a, end, call)
                call.args.append(Arg(key, a, k2))
                if self.is_op(k2, ",", end):
                    k2 += 1
                    continue
                break
            if self.is_op(k2, "{", end):
                close = self.close(k2, end)
                call.closure = (toks[k2].start, toks[close].end)
                self.statements(k2 + 1, close, call)
                k2 = close + 1
            return k2
        return j

    def _starts_argument(self, j: int, end: int) -> bool:
        tok = self.toks[j]
        if tok.kind in (STRING, NUMBER):
            return True
        if tok.kind == IDENT:
            return tok.text not in ("in", "instanceof", "as") and not (tok.text in KEYWORDS and tok.text not in (
                "true", "false", "null", "this", "new"))
        return tok.kind == OP and tok.text == "["

    def _command_arg(self, a: int, end: int, parent: Call) -> int:
        """One argument of a command expression: tokens to the next `,`, newline,
        `;` or closing bracket at this level (nested calls are read)."""
        toks = self.toks
        k = a
        while k < end:
            tok = toks[k]
            if tok.kind == NEWLINE:
                prev = toks[k - 1]
                if prev.kind == OP and prev.text in ("+", "-", "*", "&&", "||", "?", ":", ".", "?:"):
                    k += 1
                    continue
                return k
            if tok.kind == OP and tok.text in (",", ";", ")", "]", "}", "{"):
                return k
            if tok.kind == IDENT and tok.text not in KEYWORDS:
                k = self.term(k, end, parent, False)
            elif tok.kind == OP and tok.text in ("(", "["):
                close = self.close(k, end)
                self.group(k + 1, close, parent)
                k = close + 1
            else:
                k += 1
        return k

    def chain(self, j: int, end: int, parent: Optional[Call], receiver: Optional[Call], path: Tuple[str, ...],
              name_tok: Optional[Token] = None, var: Optional[str] = None) -> int:
        """From ``j`` at ``(`` or ``{`` after a name (or after a group), read the call
        and the ``.next(...)`` calls chained on it."""
        toks = self.toks
        while True:
            if name_tok is None:
                # `.name(` after a call or a group
                if j + 1 < end and toks[j].kind == OP and toks[j].text in (".", "?.") and toks[j + 1].kind == IDENT:
                    name_tok = toks[j + 1]
                    j += 2
                    if not (self.is_op(j, "(", end) or self.is_op(j, "{", end)):
                        return j  # a property: `.id`
                else:
                    j2 = self.skip_nl(j, end)
                    if j2 > j and j2 + 1 < end and toks[j2].kind == OP and toks[j2].text in (".", "?."):
                        j = j2
                        continue
                    return j
            call = Call(name_tok.text, path, receiver, [], name_tok.start, name_tok.end, parent, var=var)
            self.calls.append(call)
            if self.is_op(j, "(", end):
                close = self.close(j, end)
                call.args = self.group(j + 1, close, call)
                call.parens = True
                j = close + 1
            k = self.skip_nl(j, end) if receiver is None and not path else j
            if self.is_op(k, "{", end):
                close = self.close(k, end)
                call.closure = (toks[k].start, toks[close].end)
                self.statements(k + 1, close, call)
                j = close + 1
            receiver, path, name_tok, var = call, (), None, None
