"""Dockerfile lexer/parser with exact source spans, conformant with BuildKit.

This is a re-implementation of BuildKit's ``frontend/dockerfile/parser``
(``parser.go``, ``line_parsers.go``, ``split_command.go``, ``directives.go``
and the parts of ``shell/lex.go`` the heredoc detection uses).  It yields the
same instructions, arguments, flags and heredocs as BuildKit, and ``dump()``
reproduces ``Node.Dump()`` byte for byte, but every word also carries a
:class:`~nexus_lint.core.sourced.SourcedStr` whose offsets point into the text that
was parsed, so continuation-joined text still maps each character back to the
file.

Offsets are indices into the ``str`` given to :func:`parse` (code points).  A
leading BOM is skipped for parsing (offsets stay relative to the given text)
and ``"\\r\\n"`` is a line end (offsets still count the ``"\\r"``).

:func:`parse` never raises: whatever BuildKit would reject is reported in
:attr:`Dockerfile.errors` and parsing goes on with the next instruction.

Deliberate deviations from BuildKit (all in corners real Dockerfiles do not
reach; the conformance tests in ``tests/test_dockerfile_syntax.py`` pass):

* Characters are code points.  BuildKit's ``extractBuilderFlags`` and
  ``parseHealthConfig`` walk single bytes, so a non-ASCII character inside a
  ``--flag`` comes out mangled (every UTF-8 byte becomes a rune) and the bytes
  0x85/0xA0 of a multi-byte character count as whitespace there; here the
  characters stay intact.
* Errors do not stop the parse.  BuildKit returns at the first error; here each
  error is recorded and the instruction is kept with what could be parsed
  (``ENV X`` gets a pair without value; a JSON array with a non-string element
  gets ``json_form=True`` and no args; an unterminated heredoc runs to the end of
  the file).  BuildKit stops reading at a line longer than 65535 bytes; here the
  error is recorded and the rest of the file is parsed.
* A NUL character is reported as an error (BuildKit's parser lets it through and
  the build fails later).
* ONBUILD nesting deeper than :data:`MAX_ONBUILD_DEPTH` is not descended into
  (error recorded).
* The "empty continuation line" warning is located at the first empty line
  (BuildKit: the instruction's last line).
* ``Instruction.end`` stops at the last physical line that contributed text;
  ``end_line`` counts like BuildKit, including blank/comment lines that a
  continuation swallowed before the end of the file.
* Whitespace between ``<<`` and a heredoc word is spaces and tabs.
* JSON: numbers outside float64 range make the array invalid (shell form), as in
  Go; arrays nested deeper than Python's JSON recursion limit are treated as
  invalid JSON (Go accepts up to 10000 levels and then reports the non-string
  element).  Printability and letters follow Python's Unicode tables, which may
  differ from Go's for the newest code points.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from dataclasses import dataclass, field
from itertools import accumulate
from typing import List, Optional, Tuple

from nexus_lint.core.sourced import SourcedStr

from nexus_lint.core.lazyre import lazy_re

__all__ = [
    "DEFAULT_ESCAPE",
    "MAX_LINE_BYTES",
    "Word",
    "Flag",
    "NameValue",
    "Heredoc",
    "Instruction",
    "Directive",
    "ParseIssue",
    "Dockerfile",
    "DockerfileSyntaxError",
    "NotStringArrayError",
    "parse",
    "parse_words",
    "parse_json_array",
    "parse_name_val",
    "parse_heredoc_word",
    "heredocs_from_line",
    "chomp_heredoc_content",
    "parse_directives",
    "detect_syntax",
    "parse_directive",
    "shell_words",
    "go_quote",
]

DEFAULT_ESCAPE = "\\"
#: bufio.MaxScanTokenSize - 1: the longest physical line BuildKit accepts (bytes).
MAX_LINE_BYTES = 65535
#: ONBUILD ONBUILD ... deeper than this is not descended into (BuildKit has no cap).
MAX_ONBUILD_DEPTH = 32

HEREDOC_KEYWORDS = frozenset({"add", "copy", "run"})

# --------------------------------------------------------------------------
# character classes (Go semantics)
# --------------------------------------------------------------------------

# unicode.IsSpace
_GO_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(_GO_SPACE)
_GS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# reWhitespace / tokenWhitespace: [\t\v\f\r ]+
_RE_TOKEN_WS = lazy_re(r"[\t\x0b\x0c\r ]+")
_RE_NON_TOKEN_WS = lazy_re(r"[^\t\x0b\x0c\r ]+")
_RE_GO_SPACES = lazy_re("[" + _GS + "]*")
_RE_GO_SPACE1 = lazy_re("[" + _GS + "]")

# extractBuilderFlags: one flag word (escape is always a backslash there)
_RE_FLAG_WORD = lazy_re(
    r"""(?:[^""" + _GS + r"""'"\\]|\\[\s\S]|\\\Z"""
    r"""|"(?:[^"\\]|\\[\s\S]|\\\Z)*(?:"|\Z)"""
    r"""|'(?:[^'\\]|\\[\s\S]|\\\Z)*(?:'|\Z))+"""
)

# DirectiveParser: ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$  (Go \s = [\t\n\f\r ])
_GO_RE_S = r"[\t\n\x0c\r ]"


def _directive_regex(comment: str) -> "re.Pattern[str]":
    return re.compile(
        "^" + re.escape(comment) + _GO_RE_S + "*([a-zA-Z][a-zA-Z0-9]*)" + _GO_RE_S + "*="
        + _GO_RE_S + "*(.+?)" + _GO_RE_S + r"*\Z"
    )


_RE_DIRECTIVE = _directive_regex("#")
_VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})

# reHeredoc = ^(\d*)<<(-?)\s*([^<]*)$
_RE_HEREDOC = lazy_re(r"([0-9]*)<<(-?)" + _GO_RE_S + r"*([^<]*)\Z")
_RE_LEADING_TABS = lazy_re(r"(?m)^\t+")
_RE_JSON_STRING = lazy_re(r'"((?:[^"\\]|\\[\s\S])*)"')
_RE_SURROGATE = lazy_re("[\ud800-\udfff]")


def _parse_words_regex(escape: str) -> "re.Pattern[str]":
    e = re.escape(escape)
    return re.compile(
        "(?:[^" + _GS + "'\"" + e + "]"
        "|" + e + r"[\s\S]"
        "|(?P<t1>" + e + r")\Z"
        '|"(?:[^"' + e + "]|" + e + r"[\s\S]|(?P<t2>" + e + r')\Z)*(?:"|\Z)'
        r"|'[^']*(?:'|\Z))+"
    )


_RE_WORDS = {"\\": _parse_words_regex("\\"), "`": _parse_words_regex("`")}

_new = object.__new__


_IOTA_CACHE_MAX = 1 << 21
_iota_cache = array("q", range(1 << 12))


def _iota(n: int) -> array:
    """An array ``0, 1, 2, ...`` with at least ``n`` entries; slices of it are offset runs
    (much cheaper than ``array("q", range(a, b))`` for every word)."""
    global _iota_cache
    cache = _iota_cache
    if len(cache) >= n:
        return cache
    if n > _IOTA_CACHE_MAX:
        return array("q", range(n))
    size = len(cache)
    while size < n:
        size *= 2
    size = min(size, _IOTA_CACHE_MAX)
    grown = cache + array("q", range(len(cache), size))
    _iota_cache = grown
    return grown


def _mk(text: str, offs: array) -> SourcedStr:
    """SourcedStr without the validation of ``__init__`` (lengths match by construction)."""
    ss = _new(SourcedStr)
    ss.text = text
    ss.offsets = offs
    return ss


# --------------------------------------------------------------------------
# data model
# --------------------------------------------------------------------------


@dataclass
class Word:
    """One argument word."""

    text: str  # value as BuildKit yields it
    src: SourcedStr  # raw source characters of the word, with offsets

    def span(self) -> Optional[Tuple[int, int]]:
        """Source range of the raw word if it is one contiguous run, else ``None``."""
        return self.src.span()


@dataclass
class Flag:
    """``--name=value`` / ``--name`` before the arguments."""

    name: str  # without leading dashes
    value: Optional[SourcedStr]  # raw value after the first '=' (None for a bare --flag)
    word: Word  # the whole flag word; word.text has quotes/escapes processed
    value_text: Optional[str] = None  # value with quotes/escapes processed, as BuildKit sees it


@dataclass
class NameValue:
    """ENV/LABEL/ARG pair; ``value`` is raw (quotes kept), None for ``ARG X``."""

    name: SourcedStr
    value: Optional[SourcedStr]


@dataclass
class Heredoc:
    name: str
    file_descriptor: int
    expand: bool
    chomp: bool
    content: SourcedStr  # body lines with their newlines, terminator excluded
    marker: Optional[SourcedStr] = None  # the ``<<EOF`` word on the instruction line
    terminator: Optional[Tuple[int, int]] = None  # source range of the terminator line

    def chomped(self) -> str:
        """Content as BuildKit hands it on (leading tabs removed for ``<<-``)."""
        t = self.content.text
        return chomp_heredoc_content(t) if self.chomp else t


@dataclass
class Instruction:
    keyword: str  # lower-cased
    keyword_src: SourcedStr  # as written, with offsets
    flags: List[Flag]
    args: List[Word]
    pairs: List[NameValue]
    json_form: bool
    rest: SourcedStr  # logical text after keyword and flags, continuations joined
    heredocs: List[Heredoc]
    start: int
    end: int
    start_line: int
    end_line: int
    sub: Optional["Instruction"] = None  # nested instruction of ONBUILD

    def flag(self, name: str) -> Optional[Flag]:
        """First flag called ``name`` (without dashes), or ``None``."""
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def dump(self) -> str:
        """BuildKit ``Node.Dump()`` of this instruction, wrapped in parentheses."""
        parts = [self.keyword]
        if self.flags:
            parts.append("[" + " ".join(go_quote(f.word.text) for f in self.flags) + "]")
        if self.sub is not None:
            parts.append(self.sub.dump())
        for a in self.args:
            parts.append(go_quote(a.text))
        return "(" + " ".join(parts).strip(_GO_SPACE) + ")"


@dataclass
class Directive:
    name: str  # lower-cased key
    value: str
    start: int  # source range of the whole directive comment (line, newline excluded)
    end: int
    line: int = 0  # 1-based
    value_start: int = -1  # source range of the value
    value_end: int = -1


@dataclass
class ParseIssue:
    message: str
    start: int
    end: int
    line: int  # 1-based
    detail: str = ""


@dataclass
class Dockerfile:
    escape: str
    directives: List[Directive]
    instructions: List[Instruction]
    errors: List[ParseIssue]
    warnings: List[ParseIssue] = field(default_factory=list)

    def dump(self) -> str:
        """Whole ``result`` file text of BuildKit's parser tests."""
        return "".join(i.dump() + "\n" for i in self.instructions)

    def directive(self, name: str) -> Optional[Directive]:
        for d in self.directives:
            if d.name == name:
                return d
        return None


class DockerfileSyntaxError(ValueError):
    """Raised by the small helper functions (never by :func:`parse`)."""


class NotStringArrayError(DockerfileSyntaxError):
    """errDockerfileNotStringArray."""


_ERR_NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only"


# --------------------------------------------------------------------------
# Go strconv.Quote
# --------------------------------------------------------------------------

_GO_CTRL = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}


def go_quote(s: str) -> str:
    """``strconv.Quote`` (and ``%q`` of a string element)."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x80:
            if 0x20 <= o < 0x7F:
                out.append(ch)
            else:
                out.append(_GO_CTRL.get(o) or "\\x%02x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            # a byte that was not valid UTF-8 (surrogateescape) or a lone surrogate
            if 0xDC80 <= o <= 0xDCFF:
                out.append("\\x%02x" % (o - 0xDC00))
            else:
                out.extend("\\x%02x" % b for b in ch.encode("utf-8", "surrogatepass"))
        elif ch.isprintable():
            out.append(ch)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------
# helpers mirroring the Go units
# --------------------------------------------------------------------------


def _words_spans(rest: str, escape: str) -> List[Tuple[int, int]]:
    """parseWords as (start, end) index pairs into ``rest`` (words are contiguous)."""
    rx = _RE_WORDS.get(escape) or _parse_words_regex(escape)
    out = []
    for m in rx.finditer(rest):
        s, e = m.span()
        if m.group("t1") is not None or m.group("t2") is not None:
            e -= 1  # an escape token at the very end is skipped
        if e > s:
            out.append((s, e))
    return out


def parse_words(rest: str, escape: str = DEFAULT_ESCAPE) -> List[str]:
    """``parseWords``: split ARG/ENV/LABEL text into words, quotes and escapes kept."""
    return [rest[s:e] for s, e in _words_spans(rest, escape)]


def _reject_constant(name: str):
    raise ValueError("invalid JSON constant " + name)


def _go_number(s: str) -> float:
    f = float(s)
    if math.isinf(f):
        raise ValueError("number out of range")
    return f


def _json_strings(rest: str) -> Optional[List[str]]:
    """``parseJSON``: list of strings, ``None`` if not a JSON array (shell form)."""
    r = rest.lstrip(_GO_SPACE)
    if not r.startswith("["):
        return None
    try:
        val = json.loads(r, parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number)
    except (ValueError, RecursionError):
        return None
    if not isinstance(val, list):  # pragma: no cover - starts with '['
        return None
    for v in val:
        if not isinstance(v, str):
            raise NotStringArrayError(_ERR_NOT_STRING_ARRAY)
    # Go decodes an unpaired surrogate escape (and invalid UTF-8) to U+FFFD
    return [_RE_SURROGATE.sub("\ufffd", v) if not v.isascii() else v for v in val]


def parse_json_array(rest: str) -> List[str]:
    """``parseJSON``: decoded strings; raises :class:`NotStringArrayError` for a
    non-string element and :class:`DockerfileSyntaxError` if ``rest`` is not a JSON array."""
    vals = _json_strings(rest)
    if vals is None:
        raise DockerfileSyntaxError("not a JSON array")
    return vals


def parse_name_val(rest: str, key: str = "ENV", escape: str = DEFAULT_ESCAPE) -> List[str]:
    """``parseNameVal``: the flattened node values (``[k, v, ""]`` or ``[k1, v1, "=", ...]``)."""
    words = _words_spans(rest, escape)
    if not words:
        return []
    s0, e0 = words[0]
    if "=" not in rest[s0:e0]:
        m = _RE_TOKEN_WS.search(rest)
        if m is None:
            raise DockerfileSyntaxError(key + " must have two arguments")
        return [rest[: m.start()], rest[m.end():], ""]
    out: List[str] = []
    for s, e in words:
        w = rest[s:e]
        if "=" not in w:
            raise DockerfileSyntaxError(
                "Syntax error - can't find = in %s. Must be of the form: name=value" % go_quote(w)
            )
        k, v = w.split("=", 1)
        out += [k, v, "="]
    return out


def chomp_heredoc_content(src: str) -> str:
    """``ChompHeredocContent``: remove leading tabs of every line."""
    return _RE_LEADING_TABS.sub("", src)


# --------------------------------------------------------------------------
# the subset of BuildKit's shell lexer the heredoc detection needs
# (empty environment, SkipUnsetEnv, escape token backslash)
# --------------------------------------------------------------------------


class _LexError(Exception):
    pass


class _WordsBuf:
    __slots__ = ("buf", "blen", "words", "in_word", "start", "end")

    def __init__(self) -> None:
        self.buf: List[str] = []
        self.blen = 0
        self.words: List[Tuple[str, int, int]] = []
        self.in_word = False
        self.start = -1
        self.end = -1

    def _push(self) -> None:
        self.words.append(("".join(self.buf), self.start, self.end))
        self.buf = []
        self.blen = 0
        self.start = -1
        self.in_word = False

    def add_char(self, ch: str, ts: int, te: int) -> None:
        if ch in _GO_SPACE_SET:
            if self.in_word and self.blen:
                self._push()
        else:
            self.add_raw(ch, ts, te)

    def add_raw(self, s: str, ts: int, te: int) -> None:
        if self.start < 0:
            self.start = ts
        self.buf.append(s)
        self.blen += len(s)
        self.in_word = True
        self.end = te

    def add_string(self, s: str, ts: int, te: int) -> None:
        for ch in s:
            self.add_char(ch, ts, te)

    def get(self) -> List[Tuple[str, int, int]]:
        if self.blen:
            self._push()
        return self.words


class _ShellLexer:
    """``shell.Lex.ProcessWords`` with an empty environment and SkipUnsetEnv."""

    __slots__ = ("s", "n", "pos", "raw_quotes", "raw_escapes", "esc")

    def __init__(self, s: str, raw_quotes: bool, raw_escapes: bool) -> None:
        self.s = s
        self.n = len(s)
        self.pos = 1 if s.startswith("\ufeff") else 0  # text/scanner skips a leading BOM
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.esc = "\\"

    def words(self) -> List[Tuple[str, int, int]]:
        return self.stop_on(None, self.raw_escapes)[1]

    def stop_on(self, stop: Optional[str], raw_escapes: bool):
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._stop_on(stop)
        finally:
            self.raw_escapes = saved

    def _stop_on(self, stop: Optional[str]):
        s, n, esc = self.s, self.n, self.esc
        result: List[str] = []
        words = _WordsBuf()
        while self.pos < n:
            ch = s[self.pos]
            ts = self.pos
            if stop is not None and ch == stop:
                self.pos += 1
                return "".join(result), words.get()
            if ch == "$":
                tmp = self.dollar()
                result.append(tmp)
                words.add_string(tmp, ts, self.pos)
            elif ch == "'":
                tmp = self.single_quote()
                result.append(tmp)
                words.add_raw(tmp, ts, self.pos)
            elif ch == '"':
                tmp = self.double_quote()
                result.append(tmp)
                words.add_raw(tmp, ts, self.pos)
            elif ch == "<":
                tmp = self.possible_heredoc()
                result.append(tmp)
                words.add_raw(tmp, ts, self.pos)
            else:
                self.pos += 1
                if ch == esc:
                    if self.raw_escapes:
                        words.add_raw(ch, ts, self.pos)
                        result.append(ch)
                    if self.pos >= n:
                        break
                    ch = s[self.pos]
                    self.pos += 1
                    words.add_raw(ch, ts, self.pos)
                else:
                    words.add_char(ch, ts, self.pos)
                result.append(ch)
        if stop is not None:
            raise _LexError("unexpected end of statement while looking for matching " + stop)
        return "".join(result), words.get()

    def single_quote(self) -> str:
        s = self.s
        j = s.find("'", self.pos + 1)
        if j < 0:
            self.pos = self.n
            raise _LexError("unexpected end of statement while looking for matching single-quote")
        body = s[self.pos + 1 : j]
        self.pos = j + 1
        return "'" + body + "'" if self.raw_quotes else body

    def double_quote(self) -> str:
        s, n, esc = self.s, self.n, self.esc
        self.pos += 1
        out = ['"'] if self.raw_quotes else []
        while True:
            if self.pos >= n:
                raise _LexError("unexpected end of statement while looking for matching double-quote")
            ch = s[self.pos]
            if ch == '"':
                self.pos += 1
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            self.pos += 1
            if ch == esc:
                if self.raw_escapes:
                    out.append(ch)
                if self.pos >= n:
                    continue
                if s[self.pos] in ('"', "$", esc):
                    ch = s[self.pos]
                    self.pos += 1
            out.append(ch)

    def possible_heredoc(self) -> str:
        s, n = self.s, self.n
        start = self.pos
        self.pos += 1
        if self.pos >= n or s[self.pos] != "<":
            return "<"
        self.pos += 1
        while self.pos < n and s[self.pos] in " \t":
            self.pos += 1
        return s[start : self.pos]

    def name(self) -> str:
        s, n = self.s, self.n
        start = p = self.pos
        if p < n and s[p].isdecimal():
            while p < n and s[p].isdecimal():
                p += 1
        elif p < n and s[p] in "@*#?-$!0":
            p += 1
        else:
            while p < n and (s[p].isalpha() or s[p].isdecimal() or s[p] == "_"):
                p += 1
        self.pos = p
        return s[start:p]

    def _next(self) -> Optional[str]:
        if self.pos >= self.n:
            return None
        ch = self.s[self.pos]
        self.pos += 1
        return ch

    def _sub_word(self, stop: str, raw_escapes: bool, missing: str) -> str:
        try:
            return self.stop_on(stop, raw_escapes)[0]
        except _LexError:
            if self.pos >= self.n:
                raise _LexError(missing)
            raise

    def dollar(self) -> str:
        s, n = self.s, self.n
        self.pos += 1
        if self.pos >= n or s[self.pos] != "{":
            name = self.name()
            return "$" + name  # unset: kept verbatim ("$" alone when there is no name)
        self.pos += 1
        if self.pos >= n:
            raise _LexError("syntax error: missing '}'")
        if s[self.pos] in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self.name()
        ch = self._next()
        chs = ch if ch is not None else "\ufffd"
        if ch == "}":
            return "${" + name + "}"
        null_is_unset = False
        if ch == ":":
            null_is_unset = True
            ch = self._next()
            chs += ch if ch is not None else "\ufffd"
        if null_is_unset or ch in ("+", "-", "?", "#", "%"):
            raw_esc = ch in ("#", "%")
            if null_is_unset and raw_esc:
                raise _LexError("unsupported modifier (%s) in substitution" % chs)
            word = self._sub_word("}", raw_esc, "syntax error: missing '}'")
            return "${" + name + chs + word + "}"
        if ch == "/":
            if self.pos < n and s[self.pos] == "/":
                self.pos += 1
            pattern = self._sub_word("/", True, "syntax error: missing '/' in ${}")
            repl = self._sub_word("}", True, "syntax error: missing '}'")
            return "${" + name + "/" + pattern + "/" + repl + "}"
        raise _LexError("unsupported modifier (%s) in substitution" % chs)


def shell_words(text: str, raw_quotes: bool = False, raw_escapes: bool = False) -> List[str]:
    """``ProcessWords`` with an empty environment and ``SkipUnsetEnv`` (helper for
    the heredoc rules; the full shell lexer lives elsewhere).  Raises on syntax errors."""
    try:
        return [w for w, _, _ in _ShellLexer(text, raw_quotes, raw_escapes).words()]
    except _LexError as e:
        raise DockerfileSyntaxError(str(e)) from None


def _heredoc_from_word(word: str) -> Optional[Heredoc]:
    """``ParseHeredoc``; raises :class:`_LexError`/DockerfileSyntaxError on errors."""
    m = _RE_HEREDOC.match(word)
    if m is None:
        return None
    fd = int(m.group(1)) if m.group(1) else 0
    if fd > 0xFFFFFFFFFFFFFFFF:
        fd = 0xFFFFFFFFFFFFFFFF
    chomp = m.group(2) == "-"
    rest = m.group(3)
    if not rest:
        return None
    words = _ShellLexer(rest, False, False).words()
    if len(words) != 1:
        return None
    raw = _ShellLexer(rest, True, False).words()
    if len(raw) != len(words):
        raise DockerfileSyntaxError("internal lexing of heredoc produced inconsistent results: " + rest)
    w = words[0][0]
    wr = raw[0][0]
    expand = (w.count("'") + w.count('"')) == (wr.count("'") + wr.count('"'))
    return Heredoc(name=w, file_descriptor=fd, expand=expand, chomp=chomp, content=_mk("", array("q")))


def parse_heredoc_word(src: str) -> Optional[Heredoc]:
    """``ParseHeredoc``: a :class:`Heredoc` (empty content) for ``<<EOF``-like words,
    ``None`` otherwise; raises :class:`DockerfileSyntaxError` on a malformed word."""
    try:
        return _heredoc_from_word(src)
    except _LexError as e:
        raise DockerfileSyntaxError(str(e)) from None


def _heredocs_in_line(line: str) -> List[Tuple[Heredoc, int, int]]:
    try:
        words = _ShellLexer(line, True, True).words()
    except _LexError:
        return []  # BuildKit ignores the lexing error here: no heredocs
    out = []
    for w, s, e in words:
        if "<<" not in w:
            continue
        try:
            h = _heredoc_from_word(w)
        except _LexError as err:
            raise DockerfileSyntaxError(str(err)) from None
        if h is not None:
            out.append((h, s, e))
    return out


def heredocs_from_line(line: str) -> List[Heredoc]:
    """``heredocsFromLine``: heredocs announced on one (joined) instruction line."""
    return [h for h, _, _ in _heredocs_in_line(line)]


# --------------------------------------------------------------------------
# directives
# --------------------------------------------------------------------------


def parse_directives(text: str, comment: str = "#") -> Tuple[List[Directive], Optional[str]]:
    """``DirectiveParser.ParseAll``: the leading parser directives and an error message
    (``None`` when there is none).  Offsets are relative to ``text``."""
    rx = _RE_DIRECTIVE if comment == "#" else _directive_regex(comment)
    out: List[Directive] = []
    seen = set()
    pos = 0
    lineno = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end  # ScanLines drops one \r
        line = text[pos:content_end]
        lineno += 1
        m = rx.match(line)
        if m is None:
            break
        k = m.group(1).lower()
        if k not in _VALID_DIRECTIVES:
            break
        if k in seen:
            return out, "only one %s parser directive can be used" % k
        seen.add(k)
        out.append(
            Directive(k, m.group(2), pos, content_end, lineno, pos + m.start(2), pos + m.end(2))
        )
        if nl < 0:
            break
        pos = nl + 1
    return out, None


def _parse_directive(key: str, text: str, any_format: bool):
    dt = text[1:] if text.startswith("\ufeff") else text
    line = 0
    first, sep, rest = dt.partition("\n")
    if first.startswith("#!"):
        dt = rest
        line = 1
    for comment in ("#", "//") if any_format else ("#",):
        ds, _ = parse_directives(dt, comment)
        for d in ds:
            if d.name == key:
                ref = d.value.split(" ", 1)[0]
                ln = d.line + line
                return ref, d.value, [(ln, ln)], True
    if any_format:
        try:
            obj = json.loads(dt, parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict) and isinstance(obj.get(key), str):
            v = obj[key]
            return v, v, [(line, line)], True
    return "", "", [], False


def detect_syntax(text: str):
    """``DetectSyntax``: ``(ref, cmdline, [(start_line, end_line)], ok)``."""
    return _parse_directive("syntax", text, True)


def parse_directive(key: str, text: str):
    """``ParseDirective``: like :func:`detect_syntax` for any key, ``#`` form only."""
    return _parse_directive(key, text, False)


# --------------------------------------------------------------------------
# the parser
# --------------------------------------------------------------------------


def _utf8_len(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s.encode("utf-8", "surrogatepass"))


class _Parser:
    def __init__(self, text: str, df: Dockerfile) -> None:
        self.text = text
        self.df = df
        self.esc = DEFAULT_ESCAPE
        self.directives_done = False
        self.seen_directives: set = set()

    # -- small helpers ------------------------------------------------------
    def _issue(self, message: str, start: int, end: int, line: int, detail: str = "") -> None:
        self.df.errors.append(ParseIssue(message, start, end, line, detail))

    def _directive(self, tok: str, base: int, lineno: int) -> None:
        m = _RE_DIRECTIVE.match(tok) if tok.startswith("#") else None
        if m is None:
            self.directives_done = True
            return
        k = m.group(1).lower()
        if k not in _VALID_DIRECTIVES:
            self.directives_done = True
            return
        end = base + len(tok)
        if k in self.seen_directives:
            self._issue("only one %s parser directive can be used" % k, base, end, lineno)
            return
        self.seen_directives.add(k)
        value = m.group(2)
        self.df.directives.append(Directive(k, value, base, end, lineno, base + m.start(2), base + m.end(2)))
        if k == "escape":
            if value in ("`", "\\"):
                self.esc = value
            else:
                self._issue("invalid escape token '%s' does not match ` or \\" % value, base, end, lineno)

    # -- main loop ----------------------------------------------------------
    def run(self) -> None:
        text = self.text
        df = self.df
        if "\x00" in text:
            i = text.index("\x00")
            self._issue(
                "file contains a NUL character (binary file?)", i, i + 1, text.count("\n", 0, i) + 1
            )
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # a final newline does not start another line
        nlines = len(lines)
        iota = _iota(len(text) + 1)
        starts = [0]
        starts.extend(accumulate(len(ln) + 1 for ln in lines))
        li = 0
        first = True
        esc = self.esc
        while li < nlines:
            raw = lines[li]
            base = starts[li]
            if first:
                first = False
                if raw.startswith("\ufeff"):
                    raw = raw[1:]
                    base += 1
            li += 1
            if len(raw) >= MAX_LINE_BYTES // 4 + 1 and _utf8_len(lines[li - 1]) > MAX_LINE_BYTES:
                self._issue(
                    "dockerfile line greater than max allowed size of %d" % MAX_LINE_BYTES,
                    base, base + len(raw), li,
                )
            content = raw.rstrip("\r")
            tok = content.lstrip(_GO_SPACE)
            tok_base = base + (len(content) - len(tok))
            if not self.directives_done:
                self._directive(tok, tok_base, li)
                esc = self.esc
            if tok.startswith("#"):
                continue  # comment (also a directive): trimComments -> "", no continuation
            stripped = tok.rstrip(" \t")
            if stripped.endswith(esc) and (len(stripped) == 1 or stripped[-2] != esc):
                kept, cont = len(stripped) - 1, True
            elif not tok:
                continue
            else:
                kept, cont = len(tok), False
            start_line = li
            inst_start = tok_base
            segs = [(tok_base, kept)]
            last_end = tok_base + len(tok)
            first_empty: Optional[Tuple[int, int, int]] = None
            while cont and li < nlines:
                raw = lines[li]
                base = starts[li]
                li += 1
                if len(raw) >= MAX_LINE_BYTES // 4 + 1 and _utf8_len(raw) > MAX_LINE_BYTES:
                    self._issue(
                        "dockerfile line greater than max allowed size of %d" % MAX_LINE_BYTES,
                        base, base + len(raw), li,
                    )
                c = raw.rstrip("\r")
                ls = c.lstrip(_GO_SPACE)
                if ls.startswith("#"):
                    continue
                if not ls:
                    if first_empty is None:
                        first_empty = (base, base + len(c), li)
                    continue
                stripped = c.rstrip(" \t")
                if stripped.endswith(esc) and (len(stripped) == 1 or stripped[-2] != esc):
                    kept, cont = len(stripped) - 1, True
                else:
                    kept, cont = len(c), False
                segs.append((base, kept))
                last_end = base + len(c)
            if len(segs) == 1:
                b0, k0 = segs[0]
                line = text[b0 : b0 + k0]
                offs = iota[b0 : b0 + k0]
            else:
                line = "".join([text[b : b + k] for b, k in segs])
                offs = array("q")
                for b, k in segs:
                    offs += iota[b : b + k]
            end_line = li
            if first_empty is not None:
                df.warnings.append(
                    ParseIssue(
                        "Empty continuation line found in: " + line,
                        first_empty[0], first_empty[1], first_empty[2],
                        "Empty continuation lines will become errors in a future release",
                    )
                )
            inst = self._build(line, offs, 0, len(line), 0, start_line)
            inst.start = inst_start
            inst.end = last_end
            inst.start_line = start_line
            inst.end_line = end_line
            # heredocs
            target = inst.sub if inst.keyword == "onbuild" and inst.sub is not None else inst
            if target.keyword in HEREDOC_KEYWORDS and not target.json_form and "<<" in line:
                try:
                    found = _heredocs_in_line(line)
                except DockerfileSyntaxError as e:
                    self._issue(str(e), inst_start, last_end, start_line)
                    found = []
                unterminated = False
                for h, ws, we in found:
                    h.marker = _mk(line[ws:we], offs[ws:we])
                    body_start = starts[li] if li < nlines else len(text)
                    name = h.name
                    terminated = False
                    while li < nlines:
                        raw = lines[li]
                        li += 1
                        if len(raw) >= MAX_LINE_BYTES // 4 + 1 and _utf8_len(raw) > MAX_LINE_BYTES:
                            self._issue(
                                "dockerfile line greater than max allowed size of %d" % MAX_LINE_BYTES,
                                starts[li - 1], starts[li - 1] + len(raw), li,
                            )
                        pt = raw.rstrip("\r")
                        if h.chomp:
                            pt = pt.lstrip("\t")
                        if pt == name:
                            terminated = True
                            break
                    if terminated:
                        tstart = starts[li - 1]
                        tend = tstart + len(lines[li - 1].rstrip("\r"))
                        h.content = _mk(text[body_start:tstart], iota[body_start:tstart])
                        h.terminator = (tstart, tend)
                        last_end = tend
                    else:
                        h.content = _mk(text[body_start:], iota[body_start : len(text)])
                        last_end = len(text)
                        if not unterminated:
                            unterminated = True
                            self._issue("unterminated heredoc", inst_start, last_end, start_line)
                    inst.heredocs.append(h)
                if inst.sub is not None and inst.heredocs:
                    inst.sub.heredocs = inst.heredocs
                inst.end = last_end
                inst.end_line = li
            if inst.sub is not None:
                _set_lines(inst)
            df.instructions.append(inst)
        df.escape = self.esc
        if not df.instructions:
            self._issue("file with no instructions", 0, len(text), max(nlines, 1))

    # -- one instruction ----------------------------------------------------
    def _build(self, line: str, offs: array, a: int, b: int, depth: int, lineno: int) -> Instruction:
        seg = line[a:b]
        stripped = seg.strip(_GO_SPACE)
        if stripped:
            ta = a + (len(seg) - len(seg.lstrip(_GO_SPACE)))
            tb = ta + len(stripped)
        else:
            ta = tb = b
        m = _RE_TOKEN_WS.search(line, ta, tb)
        flags: List[Flag] = []
        if m is None:
            kw_end = tb
            ra = rb = tb
        else:
            kw_end = m.start()
            rest_start, flags = self._flags(line, offs, m.end(), tb)
            sub = line[rest_start:tb]
            st = sub.strip(_GO_SPACE)
            if st:
                ra = rest_start + (len(sub) - len(sub.lstrip(_GO_SPACE)))
                rb = ra + len(st)
            else:
                ra = rb = tb
        keyword_src = _mk(line[ta:kw_end], offs[ta:kw_end])
        kw = keyword_src.text.lower()
        rest = _mk(line[ra:rb], offs[ra:rb])
        inst = Instruction(
            keyword=kw, keyword_src=keyword_src, flags=flags, args=[], pairs=[], json_form=False,
            rest=rest, heredocs=[], start=offs[ta] if ta < len(offs) else -1, end=-1,
            start_line=lineno, end_line=lineno, sub=None,
        )
        handler = _DISPATCH.get(kw)
        if handler is None:
            # parseIgnore: an unknown instruction keeps one empty argument
            inst.args.append(Word("", _mk("", array("q"))))
        else:
            handler(self, inst, line, offs, ra, rb, lineno, depth)
        return inst

    def _d_maybe_json(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb and not self._json(inst, line, offs, ra, rb, lineno):
            inst.args.append(Word(inst.rest.text, inst.rest))

    def _d_maybe_json_list(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if not self._json(inst, line, offs, ra, rb, lineno):
            self._split_ws(inst, line, offs, ra, rb)

    def _d_split_ws(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._split_ws(inst, line, offs, ra, rb)

    def _d_name_val(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._name_val(inst, line, offs, ra, rb, lineno)

    def _d_arg(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        for s, e in _words_spans(line[ra:rb], self.esc):
            s += ra
            e += ra
            text = line[s:e]
            w = _mk(text, offs[s:e])
            inst.args.append(Word(text, w))
            eq = text.find("=")
            if eq < 0:
                inst.pairs.append(NameValue(w, None))
            else:
                q = s + eq
                inst.pairs.append(NameValue(_mk(text[:eq], offs[s:q]), _mk(text[eq + 1 :], offs[q + 1 : e])))

    def _d_string(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb:
            inst.args.append(Word(inst.rest.text, inst.rest))

    def _d_health(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._health(inst, line, offs, ra, rb, lineno)

    def _d_onbuild(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb:
            if depth >= MAX_ONBUILD_DEPTH:
                self._issue("ONBUILD nested too deeply", inst.start, offs[rb - 1] + 1, lineno)
            else:
                inst.sub = self._build(line, offs, ra, rb, depth + 1, lineno)

    def _flags(self, line: str, offs: array, p: int, end: int) -> Tuple[int, List[Flag]]:
        flags: List[Flag] = []
        while True:
            p = _RE_GO_SPACES.match(line, p, end).end()
            if p >= end:
                return end, flags
            if not line.startswith("--", p, end):
                return p, flags
            m = _RE_FLAG_WORD.match(line, p, end)
            q = m.end() if m else end
            raw = line[p:q]
            if "'" in raw or '"' in raw or "\\" in raw:
                text, idx = _unquote_flag(raw)
            else:
                text, idx = raw, None
            if text == "--":
                return q, flags
            src = _mk(raw, offs[p:q])
            eq = text.find("=")
            if eq < 0:
                flags.append(Flag(text[2:], None, Word(text, src), None))
            else:
                r = (idx[eq] if idx is not None else eq) + 1
                value = _mk(raw[r:], offs[p + r : q])
                flags.append(Flag(text[2:eq], value, Word(text, src), text[eq + 1 :]))
            if q >= end:
                return end, flags
            p = q

    def _json(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> bool:
        resttext = line[ra:rb]
        if not resttext.startswith("["):
            return False
        try:
            vals = _json_strings(resttext)
        except NotStringArrayError:
            inst.json_form = True
            self._issue(_ERR_NOT_STRING_ARRAY, offs[ra], offs[rb - 1] + 1, lineno)
            return True
        if vals is None:
            return False
        inst.json_form = True
        spans = [m.span(1) for m in _RE_JSON_STRING.finditer(resttext)]
        if len(spans) != len(vals):  # pragma: no cover - defensive
            spans = [(0, 0)] * len(vals)
        for v, (s, e) in zip(vals, spans):
            inst.args.append(Word(v, _mk(line[ra + s : ra + e], offs[ra + s : ra + e])))
        return True

    def _split_ws(self, inst: Instruction, line: str, offs: array, ra: int, rb: int) -> None:
        for m in _RE_NON_TOKEN_WS.finditer(line, ra, rb):
            s, e = m.span()
            inst.args.append(Word(m.group(), _mk(m.group(), offs[s:e])))

    def _name_val(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> None:
        resttext = line[ra:rb]
        words = _words_spans(resttext, self.esc)
        if not words:
            return
        s0, e0 = words[0]
        args = inst.args
        if "=" not in resttext[s0:e0]:
            m = _RE_TOKEN_WS.search(line, ra, rb)
            if m is None:
                key = _mk(resttext, offs[ra:rb])
                inst.pairs.append(NameValue(key, None))
                self._issue(inst.keyword.upper() + " must have two arguments", offs[ra], offs[rb - 1] + 1, lineno)
                return
            ks, ke = m.span()
            key = _mk(line[ra:ks], offs[ra:ks])
            val = _mk(line[ke:rb], offs[ke:rb])
            inst.pairs.append(NameValue(key, val))
            args.append(Word(key.text, key))
            args.append(Word(val.text, val))
            args.append(Word("", _mk("", array("q"))))
            return
        for s, e in words:
            s += ra
            e += ra
            text = line[s:e]
            eq = text.find("=")
            if eq < 0:
                self._issue(
                    "Syntax error - can't find = in %s. Must be of the form: name=value" % go_quote(text),
                    offs[s], offs[e - 1] + 1, lineno,
                )
                continue
            q = s + eq
            k = _mk(text[:eq], offs[s:q])
            v = _mk(text[eq + 1 :], offs[q + 1 : e])
            sep = _mk("=", offs[q : q + 1])
            inst.pairs.append(NameValue(k, v))
            args.append(Word(k.text, k))
            args.append(Word(v.text, v))
            args.append(Word("=", sep))

    def _health(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> None:
        if ra >= rb:
            return
        m = _RE_GO_SPACE1.search(line, ra, rb)
        sep = m.start() if m else rb
        nxt = _RE_GO_SPACES.match(line, sep, rb).end()
        typ = _mk(line[ra:sep], offs[ra:sep])
        inst.args.append(Word(typ.text, typ))
        if nxt < rb:
            if not self._json(inst, line, offs, nxt, rb, lineno):
                cmd = _mk(line[nxt:rb], offs[nxt:rb])
                inst.args.append(Word(cmd.text, cmd))


_DISPATCH = {
    "add": _Parser._d_maybe_json_list,
    "arg": _Parser._d_arg,
    "cmd": _Parser._d_maybe_json,
    "copy": _Parser._d_maybe_json_list,
    "entrypoint": _Parser._d_maybe_json,
    "env": _Parser._d_name_val,
    "expose": _Parser._d_split_ws,
    "from": _Parser._d_split_ws,
    "healthcheck": _Parser._d_health,
    "label": _Parser._d_name_val,
    "maintainer": _Parser._d_string,
    "onbuild": _Parser._d_onbuild,
    "run": _Parser._d_maybe_json,
    "shell": _Parser._d_maybe_json,
    "stopsignal": _Parser._d_string,
    "user": _Parser._d_string,
    "volume": _Parser._d_maybe_json_list,
    "workdir": _Parser._d_string,
}


def _unquote_flag(raw: str) -> Tuple[str, List[int]]:
    """Quote/escape processing of extractBuilderFlags: text and raw index per char."""
    out: List[str] = []
    idx: List[int] = []
    quote = None
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if quote is None and (ch == "'" or ch == '"'):
            quote = ch
            i += 1
            continue
        if quote is not None and ch == quote:
            quote = None
            i += 1
            continue
        if ch == "\\":
            if i + 1 == n:
                quote = None
                i += 1
                continue
            i += 1
            ch = raw[i]
        out.append(ch)
        idx.append(i)
        i += 1
    return "".join(out), idx


def _set_lines(inst: Instruction) -> None:
    sub = inst.sub
    while sub is not None:
        sub.start_line = inst.start_line
        sub.end_line = inst.end_line
        sub.end = inst.end
        sub = sub.sub


def parse(text: str) -> Dockerfile:
    """Parse a Dockerfile.  Never raises: problems are reported in ``errors``."""
    df = Dockerfile(escape=DEFAULT_ESCAPE, directives=[], instructions=[], errors=[], warnings=[])
    try:
        if not isinstance(text, str):
            if isinstance(text, (bytes, bytearray, memoryview)):
                text = bytes(text).decode("utf-8", "replace")
            else:
                df.errors.append(ParseIssue("input is not text", 0, 0, 1))
                return df
        _Parser(text, df).run()
    except Exception as e:  # pragma: no cover - last-resort guard, parse() never raises
        df.errors.append(ParseIssue("internal parser error: %s: %s" % (type(e).__name__, e), 0, len(text or ""), 1))
    return df
