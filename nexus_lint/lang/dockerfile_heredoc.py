"""Heredocs in Dockerfile instructions (``RUN <<EOF``), found as BuildKit finds
them: with the subset of its shell lexer (``shell/lex.go``) that the heredoc
detection uses (empty environment, ``SkipUnsetEnv``, escape token backslash)."""

from __future__ import annotations

from array import array
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.lang.dockerfile_lexer import GO_RE_S, GO_SPACE_SET, DockerfileSyntaxError, mk
from nexus_lint.lang.dockerfile_model import Heredoc

# reHeredoc = ^(\d*)<<(-?)\s*([^<]*)$
_RE_HEREDOC = lazy_re(r"([0-9]*)<<(-?)" + GO_RE_S + r"*([^<]*)\Z")


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
        if ch in GO_SPACE_SET:
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
            elif ch == "'" or ch == '"' or ch == "<":
                tmp = self.single_quote() if ch == "'" else self.double_quote() if ch == '"' else self.possible_heredoc()
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
    return Heredoc(name=w, file_descriptor=fd, expand=expand, chomp=chomp, content=mk("", array("q")))


def parse_heredoc_word(src: str) -> Optional[Heredoc]:
    """``ParseHeredoc``: a :class:`Heredoc` (empty content) for ``<<EOF``-like words,
    ``None`` otherwise; raises :class:`DockerfileSyntaxError` on a malformed word."""
    try:
        return _heredoc_from_word(src)
    except _LexError as e:
        raise DockerfileSyntaxError(str(e)) from None


def heredocs_in_line(line: str) -> List[Tuple[Heredoc, int, int]]:
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
    return [h for h, _, _ in heredocs_in_line(line)]

