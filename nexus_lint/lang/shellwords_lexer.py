"""The machine of BuildKit's word lexer (``lex.go``'s ``processStopOn``,
``processDoubleQuote``, ``processDollar``), with an explicit stack instead of
recursion; :mod:`nexus_lint.lang.shellwords` is its API."""

from __future__ import annotations

import re
from array import array
from typing import List, Mapping, Optional, Set

from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shellwords_pattern import PatternError, compile_pattern, find_match, replace_all, reverse_pattern
from nexus_lint.lang.shellwords_values import (
    EMPTY_OFFS, MAX_RESULT_CHARS, MISSING, SPACE, SPECIAL_PARAMS, Fail, Val, Word, WordError, as_val, as_word,
    is_name_char, lookup_table, normalize_env_key,
)


class _Stop:
    """A processStopOn call: read until ``stop`` (None = end of word)."""

    __slots__ = ("stop", "raw", "rt", "ro", "size", "words", "in_word")

    def __init__(self, stop: Optional[str], raw: bool) -> None:
        self.stop = stop
        self.raw = raw
        self.rt: List[str] = []
        self.ro = array("q")
        self.size = 0
        self.words: List[SourcedStr] = []
        self.in_word = False


class _DQ:
    """A processDoubleQuote call."""

    __slots__ = ("raw", "rt", "ro", "size")

    def __init__(self, raw: bool) -> None:
        self.raw = raw
        self.rt: List[str] = []
        self.ro = array("q")
        self.size = 0


_WORD, _PATTERN, _REPL = 0, 1, 2


class _Dollar:
    """A processDollar call waiting for the word(s) of ``${name<op>...}``."""

    __slots__ = ("name", "op", "chs", "null_is_unset", "stage", "replace_all", "pattern")

    def __init__(self, name: str, op: str, chs: str, null_is_unset: bool, stage: int, replace_all: bool = False) -> None:
        self.name = name
        self.op = op
        self.chs = chs
        self.null_is_unset = null_is_unset
        self.stage = stage
        self.replace_all = replace_all
        self.pattern: Optional[Val] = None


_RUN_RE_CACHE: dict = {}


def _run_re(specials: str):
    r = _RUN_RE_CACHE.get(specials)
    if r is None:
        r = _RUN_RE_CACHE[specials] = re.compile("[" + re.escape(specials) + "]")
    return r


class Lexer:
    """One word through BuildKit's lexer: ``run()`` leaves ``result`` (and ``words``,
    ``matched``, ``unmatched``) or raises :class:`WordError`."""

    __slots__ = (
        "t", "o", "n", "pos", "esc", "env", "ci", "cache", "matched", "unmatched",
        "want_words", "bt", "bo", "result", "words",
    )

    def __init__(self, word: Word, env: Mapping, escape: str, case_insensitive: bool, want_words: bool) -> None:
        if not isinstance(escape, str) or len(escape) != 1:
            raise ValueError("escape must be a single character")
        self.t, self.o = as_word(word)
        self.n = len(self.t)
        self.pos = 1 if self.t.startswith("\ufeff") else 0  # text/scanner skips a BOM
        self.esc = escape
        self.env = lookup_table(env, case_insensitive)
        self.ci = case_insensitive
        self.cache: dict = {}
        self.matched: Set[str] = set()
        self.unmatched: Set[str] = set()
        self.want_words = want_words
        # wordsStruct's buffer, shared by every processStopOn as in BuildKit
        self.bt: List[str] = []
        self.bo = array("q")
        self.result: Optional[Val] = None
        self.words: List[SourcedStr] = []

    # -- environment --------------------------------------------------------
    def _get(self, name: str) -> Optional[Val]:
        key = normalize_env_key(name) if self.ci else name
        v = self.cache.get(key, MISSING)
        if v is MISSING:
            raw = self.env.get(key, MISSING)
            v = None if raw is MISSING or raw is None else as_val(raw)
            self.cache[key] = v
        if v is None:
            self.unmatched.add(name)
        else:
            self.matched.add(name)
        return v

    # -- words (field splitting) ------------------------------------------
    def _reset_buf(self) -> None:
        self.bt.clear()
        del self.bo[:]

    def _flush(self, fr: _Stop) -> None:
        fr.words.append(SourcedStr("".join(self.bt), array("q", self.bo)))
        self._reset_buf()

    def _add_string(self, fr: _Stop, text: str, offs) -> None:
        """wordsStruct.addString: unquoted text, split on white space."""
        for i, ch in enumerate(text):
            if ch in SPACE:
                if fr.in_word and len(self.bo):
                    self._flush(fr)
                    fr.in_word = False
            else:
                self.bt.append(ch)
                self.bo.append(offs[i])
                fr.in_word = True

    def _add_raw(self, fr: _Stop, text: str, offs) -> None:
        """wordsStruct.addRawString / addRawChar: kept whole."""
        self.bt.append(text)
        self.bo.extend(offs)
        fr.in_word = True

    # -- output -------------------------------------------------------------
    @staticmethod
    def _grow(fr, k: int) -> None:
        fr.size += k
        if fr.size > MAX_RESULT_CHARS:
            raise Fail("expansion result too large")

    def _deliver(self, v: Val, stack: list) -> None:
        """Hand a processDollar result to its caller (processStopOn or a quote)."""
        fr = stack[-1]
        text, offs = v
        if not text:
            return
        self._grow(fr, len(text))
        fr.rt.append(text)
        fr.ro.extend(offs)
        if type(fr) is _Stop and self.want_words:
            self._add_string(fr, text, offs)

    def _push_stop(self, stack: list, stop: str, raw: bool) -> None:
        stack.append(_Stop(stop, raw))
        if self.want_words:
            self._reset_buf()  # BuildKit resets the shared words buffer here

    # -- the machine --------------------------------------------------------
    def run(self) -> None:
        stack: list = [_Stop(None, False)]
        try:
            while stack:
                fr = stack[-1]
                if type(fr) is _Stop:
                    self._run_stop(fr, stack)
                else:
                    self._run_dq(fr, stack)
        except Fail as e:
            msg = e.msg
            if self.pos >= self.n:
                # each processDollar whose processStopOn failed at the end of
                # the word replaces the error; the outermost one speaks last
                for fr in stack:
                    if type(fr) is _Dollar:
                        msg = "syntax error: missing '/' in ${}" if fr.stage == _PATTERN else "syntax error: missing '}'"
                        break
            raise WordError(f"failed to process {_go_quote(self.t)}: {msg}", msg, self.pos) from None

    def _run_stop(self, fr: _Stop, stack: list) -> None:
        t, o, n, esc = self.t, self.o, self.n, self.esc
        stop = fr.stop
        rt, ro = fr.rt, fr.ro
        ww = self.want_words
        specials = "$'\"" + esc + (stop or "")
        run_re = _run_re(specials)
        while True:
            p = self.pos
            if p >= n:
                if stop is not None:
                    raise Fail(f"unexpected end of statement while looking for matching {stop}")
                self._finish_stop(stack)
                return
            c = t[p]
            if c == stop:
                self.pos = p + 1
                self._finish_stop(stack)
                return
            if c == "$":
                v = self._dollar(stack)
                if v is None:
                    return  # frames were pushed
                self._deliver(v, stack)
                continue
            if c == "'":
                q = t.find("'", p + 1)
                if q < 0:
                    self.pos = n
                    raise Fail("unexpected end of statement while looking for matching single-quote")
                self.pos = q + 1
                rt.append(t[p + 1:q])
                seg_o = o[p + 1:q]
                ro.extend(seg_o)
                if ww:
                    self._add_raw(fr, t[p + 1:q], seg_o)
                continue
            if c == '"':
                self.pos = p + 1
                stack.append(_DQ(fr.raw))
                return
            if c == esc:
                if fr.raw:
                    rt.append(c)
                    ro.append(o[p])
                    if ww:
                        self._add_raw(fr, c, o[p:p + 1])
                if p + 1 >= n:
                    self.pos = n  # a lone escape at the end just goes
                    continue
                self.pos = p + 2
                rt.append(t[p + 1])
                ro.append(o[p + 1])
                if ww:
                    self._add_raw(fr, t[p + 1], o[p + 1:p + 2])
                continue
            # a run of ordinary characters
            mt = run_re.search(t, p + 1)
            q = mt.start() if mt else n
            self.pos = q
            rt.append(t[p:q])
            seg_o = o[p:q]
            ro.extend(seg_o)
            if ww:
                self._add_string(fr, t[p:q], seg_o)

    def _finish_stop(self, stack: list) -> None:
        fr = stack.pop()
        text = "".join(fr.rt)
        if self.want_words:
            if len(self.bo):  # getWords
                self._flush(fr)
        if not stack:
            self.result = (text, fr.ro)
            self.words = fr.words
            return
        self._resume_dollar(stack[-1], (text, fr.ro), stack)

    def _run_dq(self, fr: _DQ, stack: list) -> None:
        t, o, n, esc = self.t, self.o, self.n, self.esc
        rt, ro = fr.rt, fr.ro
        run_re = _run_re('"$' + esc)
        while True:
            p = self.pos
            if p >= n:
                raise Fail("unexpected end of statement while looking for matching double-quote")
            c = t[p]
            if c == '"':
                self.pos = p + 1
                stack.pop()
                parent = stack[-1]  # always a _Stop
                text = "".join(rt)
                parent.rt.append(text)
                parent.ro.extend(ro)
                self._grow(parent, len(text))
                if self.want_words:
                    self._add_raw(parent, text, ro)
                return
            if c == "$":
                v = self._dollar(stack)
                if v is None:
                    return
                self._deliver(v, stack)
                continue
            if c == esc:
                self.pos = p + 1
                if fr.raw:
                    rt.append(c)
                    ro.append(o[p])
                if p + 1 >= n:
                    continue  # ignored at the end; then unterminated
                nx = t[p + 1]
                if nx == '"' or nx == "$" or nx == esc:
                    rt.append(nx)
                    ro.append(o[p + 1])
                    self.pos = p + 2
                else:
                    rt.append(c)  # other escapes stay as they are
                    ro.append(o[p])
                continue
            mt = run_re.search(t, p + 1)
            q = mt.start() if mt else n
            self.pos = q
            rt.append(t[p:q])
            ro.extend(o[p:q])

    def _name(self) -> str:
        """processName."""
        t, n, p = self.t, self.n, self.pos
        if p >= n:
            return ""
        c = t[p]
        if c.isdecimal():
            q = p + 1
            while q < n and t[q].isdecimal():
                q += 1
            self.pos = q
            return t[p:q]
        if c in SPECIAL_PARAMS:
            self.pos = p + 1
            return c
        q = p
        while q < n and is_name_char(t[q]):
            q += 1
        self.pos = q
        return t[p:q]

    def _next(self) -> str:
        """scanner.Next: the next character, '' at the end (without moving)."""
        p = self.pos
        if p >= self.n:
            return ""
        self.pos = p + 1
        return self.t[p]

    def _dollar(self, stack: list) -> Optional[Val]:
        """processDollar, up to where it needs a nested word.

        Returns the value, or None after pushing a _Dollar and its _Stop.
        """
        t, n = self.t, self.n
        at = self.pos
        self.pos = p = at + 1
        if p >= n or t[p] != "{":
            name = self._name()
            if not name:
                return "$", self.o[at:at + 1]
            v = self._get(name)
            return v if v is not None else ("", EMPTY_OFFS)
        self.pos = p = p + 1
        if p >= n:
            raise Fail("syntax error: missing '}'")
        if t[p] in "{}:":
            raise Fail("syntax error: bad substitution")
        name = self._name()
        ch = self._next()
        chs = ch or "\ufffd"  # string(scanner.EOF)
        if ch == "}":
            v = self._get(name)
            return v if v is not None else ("", EMPTY_OFFS)
        if ch in (":", "+", "-", "?", "#", "%"):
            null_is_unset = False
            if ch == ":":
                null_is_unset = True
                ch = self._next()
                chs += ch or "\ufffd"
            raw = ch == "#" or ch == "%"
            if null_is_unset and raw:
                raise Fail(f"unsupported modifier ({chs}) in substitution")
            stack.append(_Dollar(name, ch, chs, null_is_unset, _WORD))
            self._push_stop(stack, "}", raw)
            return None
        if ch == "/":
            replace_all = self.pos < n and t[self.pos] == "/"
            if replace_all:
                self.pos += 1
            stack.append(_Dollar(name, "/", chs, False, _PATTERN, replace_all))
            self._push_stop(stack, "/", True)
            return None
        raise Fail(f"unsupported modifier ({chs}) in substitution")

    def _resume_dollar(self, d: _Dollar, word: Val, stack: list) -> None:
        """The rest of processDollar, once its nested word is read."""
        if d.stage == _PATTERN:
            d.pattern = word
            d.stage = _REPL
            self._push_stop(stack, "}", True)
            return
        stack.pop()  # errors from here on are this processDollar's own
        name = d.name
        v = self._get(name)
        is_set = v is not None
        value: Val = v if is_set else ("", EMPTY_OFFS)
        if d.stage == _REPL:
            pattern = d.pattern[0]
            try:
                prog = compile_pattern(pattern, True)
            except PatternError as e:
                raise Fail(f"invalid pattern ({pattern}) in substitution: {e}") from None
            if d.replace_all:
                result = replace_all(prog, value, word)
            else:
                mt = find_match(prog, value[0], 0, False)
                if mt is None:
                    result = value
                else:
                    a, b = mt
                    vt, vo = value
                    result = (vt[:a] + word[0] + vt[b:], vo[:a] + word[1] + vo[b:])
            self._deliver(result, stack)
            return
        op = d.op
        unset = not is_set or (d.null_is_unset and value[0] == "")
        if op == "-":
            result = word if unset else value
        elif op == "+":
            result = ("", EMPTY_OFFS) if unset else word
        elif op == "?":
            if not is_set:
                raise Fail(f"{name}: {word[0] or 'is not allowed to be unset'}")
            if d.null_is_unset and value[0] == "":
                raise Fail(f"{name}: {word[0] or 'is not allowed to be empty'}")
            result = value
        elif op == "#" or op == "%":
            pat = word[0]
            greedy = pat[:1] == op
            if greedy:
                pat = pat[1:]
            vt, vo = value
            if op == "%":
                # trimSuffix: reverse pattern and value, trim a prefix
                pat = reverse_pattern(pat)
                vt_search = vt[::-1]
            else:
                vt_search = vt
            try:
                prog = compile_pattern(pat, greedy)
            except PatternError as e:
                raise Fail(f"invalid pattern ({pat}) in substitution: {e}") from None
            mt = find_match(prog, vt_search, 0, True)
            if mt is None:
                result = value
            elif op == "#":
                result = (vt[mt[1]:], vo[mt[1]:])
            else:
                k = len(vt) - mt[1]
                result = (vt[:k], vo[:k])
        else:
            raise Fail(f"unsupported modifier ({d.chs}) in substitution")
        self._deliver(result, stack)


def _go_quote(s: str) -> str:
    """strconv.Quote, near enough for messages."""
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        else:
            o = ord(ch)
            if o < 0x80:
                out.append(f"\\x{o:02x}")
            elif o < 0x10000:
                out.append(f"\\u{o:04x}")
            else:
                out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
