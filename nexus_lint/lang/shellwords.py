"""Dockerfile word processing, exactly as BuildKit's ``frontend/dockerfile/shell``.

A port of BuildKit's shell lexer (``lex.go``: ``ProcessWord``,
``ProcessWords``, ``ProcessWordWithMatches``) as the Dockerfile frontend uses
it for ``ARG``/``ENV``/``FROM``/``COPY --from`` and friends, with BuildKit's
default options (``RawQuotes``, ``RawEscapes``, ``SkipUnsetEnv`` and
``SkipProcessQuotes`` all off).  Conformance vectors and their provenance:
``tests/data/buildkit-parser/shell_word_cases.json`` (BuildKit commit
``73ed6825``).

What it does, as BuildKit does:

* single quotes keep everything literally; double quotes keep everything but
  ``$`` expansions and the escapes ``\\"``, ``\\$`` and ``\\\\`` (an escape
  before any other character stays);
* the escape character (``\\`` or the backtick) outside quotes takes the next
  character literally, and vanishes at the very end of the word;
* ``$NAME``, ``${NAME}``, the special parameters ``$@ $* $# $? $- $$ $! $0``
  and positional ``$1``/``${999}`` (looked up like any other name);
* ``${N:-w}`` ``${N-w}`` ``${N:+w}`` ``${N+w}`` ``${N:?msg}`` ``${N?msg}``
  ``${N#pat}`` ``${N##pat}`` ``${N%pat}`` ``${N%%pat}`` ``${N/pat/r}``
  ``${N//pat/r}`` with nested words, where a pattern knows ``*``, ``?`` and
  ``\\*``/``\\?``/``\\\\``, matched with Go regexp's leftmost-first semantics;
* errors wherever BuildKit errors, with BuildKit's message
  (``failed to process "<word>": <reason>``).

On top of BuildKit, every result is a :class:`~nexus_lint.core.sourced.SourcedStr`
that remembers where each character came from:

* a character copied from the word keeps that character's offset (removed
  quotes and escape characters simply disappear);
* a character substituted from a variable keeps its offset in the variable's
  ``SourcedStr`` value (``-1`` when the value is a plain ``str``);
* characters of a default/alternative word keep their offsets in the word;
* pattern operations keep offsets where the result is still a copy of the
  value (``${X#*/}``, ``${X%:*}``, the untouched parts of ``${X/a/b}``) and of
  the replacement word; a character that exists nowhere (``$$`` in a
  ``//`` replacement template) is ``-1``.

A plain ``str`` word has unknown offsets (``-1``) throughout.

Nothing here recurses: nesting is handled with an explicit stack, pattern
matching is a Pike VM (``O(len(value) * len(pattern))`` per search, no
backtracking), and results larger than :data:`MAX_RESULT_CHARS` are refused
with a :class:`WordError` instead of exhausting memory.
"""

from __future__ import annotations

import re
from array import array
from typing import Iterable, List, Mapping, Optional, Set, Tuple, Union

from nexus_lint.core.sourced import SourcedStr

__all__ = [
    "WordError",
    "MAX_RESULT_CHARS",
    "process_word",
    "process_words",
    "process_word_with_matches",
    "envs_from_slice",
    "get_env",
    "normalize_env_key",
]

Word = Union[str, SourcedStr]
EnvValue = Union[str, SourcedStr]

#: Longest expansion (in characters) a single word may produce.  BuildKit has
#: no limit; ``${A//?/${A//?/${A//?/$A}}}`` grows exponentially, so a hostile
#: Dockerfile could otherwise make the linter allocate without bound.
MAX_RESULT_CHARS = 1_000_000


class WordError(ValueError):
    """BuildKit would reject this word.

    ``str(err)`` is BuildKit's message, ``failed to process "<word>": <reason>``;
    ``reason`` is the part after the colon and ``index`` the position in the
    word (code points) where the lexer stood when it gave up.
    """

    def __init__(self, message: str, reason: str = "", index: int = -1) -> None:
        super().__init__(message)
        self.reason = reason
        self.index = index


# --------------------------------------------------------------------------
# Character classes, as Go's unicode package has them.

# unicode.IsSpace: Latin-1 \t \n \v \f \r space U+0085 U+00A0, plus White_Space.
_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# isSpecialParam in lex.go.
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


def _is_name_char(c: str) -> bool:
    # unicode.IsLetter (category L*) || unicode.IsDigit (Nd) || '_'
    return c == "_" or c.isalpha() or c.isdecimal()


def normalize_env_key(key: str) -> str:
    """``shell.NormalizeEnvKey`` on Windows: Go's ``strings.ToUpper``.

    Go maps rune by rune with the simple case mapping, so a character whose
    upper case is several characters (``ß``) stays as it is.
    """
    up = key.upper()
    if len(up) == len(key):
        return up
    return "".join(u if len(u := c.upper()) == 1 else c for c in key)


# --------------------------------------------------------------------------
# Environment

_Val = Tuple[str, array]  # (text, offsets) -- the lexer's internal string

_EMPTY_OFFS = array("q")
_MISSING = object()


def _as_val(v: object) -> _Val:
    if isinstance(v, SourcedStr):
        offs = v.offsets
        if not isinstance(offs, array) or offs.typecode != "q":
            offs = array("q", offs)
        return v.text, offs
    if isinstance(v, str):
        return v, array("q", [-1]) * len(v)
    raise TypeError(f"environment values must be str or SourcedStr, not {type(v).__name__}")


def _as_word(word: object) -> _Val:
    if isinstance(word, SourcedStr):
        return _as_val(word)
    if isinstance(word, str):
        return word, array("q", [-1]) * len(word)
    raise TypeError(f"word must be str or SourcedStr, not {type(word).__name__}")


def envs_from_slice(entries: Iterable[EnvValue]) -> dict:
    """``shell.EnvsFromSlice``: ``KEY=value`` entries to a mapping.

    ``KEY`` alone means set to the empty string; a later entry for the same
    key wins.  ``SourcedStr`` entries give ``SourcedStr`` values that keep
    their offsets.
    """
    env: dict = {}
    for e in entries:
        text = e.text if isinstance(e, SourcedStr) else e
        if not isinstance(text, str):
            raise TypeError("entries must be str or SourcedStr")
        i = text.find("=")
        if i < 0:
            env[text] = e[len(text):] if isinstance(e, SourcedStr) else ""
        else:
            env[text[:i]] = e[i + 1:]
    return env


def _lookup_table(env: Mapping, case_insensitive: bool) -> Mapping:
    if not case_insensitive:
        return env
    table = {}
    for k, v in env.items():
        table[normalize_env_key(k)] = v
    return table


def get_env(env: Mapping[str, EnvValue], name: str, *, case_insensitive: bool = False) -> Tuple[SourcedStr, bool]:
    """The lexer's variable lookup (``shellWord.getEnv``): ``(value, is_set)``.

    With ``case_insensitive`` names compare as on Windows (both sides
    upper-cased).  An unset name gives ``("", False)``.
    """
    table = _lookup_table(env, case_insensitive)
    key = normalize_env_key(name) if case_insensitive else name
    v = table.get(key, _MISSING)
    if v is _MISSING or v is None:
        return SourcedStr(""), False
    t, o = _as_val(v)
    return SourcedStr(t, array("q", o)), True


# --------------------------------------------------------------------------
# Shell patterns (${X#pat} ${X%pat} ${X/pat/repl}) -> tokens for a Pike VM.
#
# BuildKit converts the pattern to a Go regexp: '*' -> '.*' (or '.*?' for the
# shortest match), '?' -> '.', '\*' '\?' '\\' literal, '\}' and '\/' drop the
# backslash, any other escape is an error, everything else is a literal.

_STAR = 0  # '.*' / '.*?'  (any run of characters but '\n')
_ANY = 1  # '.'            (any one character but '\n')
# anything else: a one-character str literal


class _PatternError(Exception):
    pass


class _Prog:
    __slots__ = ("toks", "m", "clo", "first")

    def __init__(self, toks: list, greedy: bool) -> None:
        self.toks = toks
        m = self.m = len(toks)
        clo = []
        for i in range(m + 1):
            if i == m:
                clo.append((m,))
            elif toks[i] is _STAR:
                # consecutive stars were merged, so toks[i+1] is not a star
                rest = (i + 1,)
                clo.append((i,) + rest if greedy else rest + (i,))
            else:
                clo.append((i,))
        self.clo = clo
        self.first = toks[0] if m and isinstance(toks[0], str) else None


def _compile_pattern(pattern: str, greedy: bool) -> _Prog:
    """convertShellPatternToRegex, as tokens."""
    toks: list = []
    n = len(pattern)
    i = 1 if pattern.startswith("\ufeff") else 0  # text/scanner drops a leading BOM
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if not toks or toks[-1] is not _STAR:
                toks.append(_STAR)
            continue
        if c == "?":
            toks.append(_ANY)
            continue
        if c == "\\":
            if i < n and pattern[i] in "}/":
                continue  # the escape is not part of the pattern
            if i >= n:
                raise _PatternError("invalid escape '\\\ufffd'")
            c = pattern[i]
            i += 1
            if c not in "*?\\":
                raise _PatternError(f"invalid escape '\\{c}'")
        toks.append(c)
    return _Prog(toks, greedy)


def _reverse_pattern(pattern: str) -> str:
    """reversePattern: reverse, keeping each backslash pair in order."""
    last = len(pattern) - 1
    out = [""] * len(pattern)
    i = 0
    while i <= last:
        tok = pattern[i]
        oi = last - i
        if tok == "\\" and i != last:
            out[oi - 1] = tok
            out[oi] = pattern[i + 1]
            i += 2
        else:
            out[oi] = tok
            i += 1
    return "".join(out)


def _find(prog: _Prog, s: str, start: int, anchored: bool) -> Optional[Tuple[int, int]]:
    """Leftmost-first match of ``prog`` in ``s`` at or after ``start``.

    A Pike VM with thread priorities, which gives what Go's regexp
    ``FindStringIndex`` gives for the equivalent expression (``^``-anchored at
    ``start`` when ``anchored``).
    """
    toks = prog.toks
    m = prog.m
    clo = prog.clo
    first = prog.first
    n = len(s)
    clist: list = []
    seen: set = set()
    matched = None
    p = start
    while True:
        if matched is None and (not anchored or p == start):
            if not clist and first is not None and not anchored:
                q = s.find(first, p)
                if q < 0:
                    return None
                p = q
            for st in clo[0]:
                if st not in seen:
                    seen.add(st)
                    clist.append((st, p))
        if not clist:
            return matched
        c = s[p] if p < n else None
        nlist: list = []
        nseen: set = set()
        for st, sp in clist:
            if st == m:
                matched = (sp, p)
                break  # leftmost-first: cut off lower-priority threads
            if c is None:
                continue
            t = toks[st]
            if t is _STAR:
                if c == "\n":
                    continue
                nxt = clo[st]
            elif t is _ANY:
                if c == "\n":
                    continue
                nxt = clo[st + 1]
            elif c == t:
                nxt = clo[st + 1]
            else:
                continue
            for s2 in nxt:
                if s2 not in nseen:
                    nseen.add(s2)
                    nlist.append((s2, sp))
        if p >= n:
            return matched
        clist = nlist
        seen = nseen
        p += 1


def _expand_template(tt: str, to: array) -> list:
    """Go regexp's Expand template for ReplaceAllString, pre-parsed.

    Returns parts: ``(text, offsets)`` literals, or ``None`` for ``$0``/``${0}``
    (the whole match).  The converted pattern has no groups, so every other
    ``$name`` expands to nothing; ``$$`` is ``$``; a malformed ``$`` stays.
    """
    parts: list = []
    n = len(tt)
    i = 0
    while True:
        j = tt.find("$", i)
        if j < 0:
            break
        if j > i:
            parts.append((tt[i:j], to[i:j]))
        k = j + 1
        if k < n and tt[k] == "$":
            parts.append(("$", array("q", [-1])))
            i = k + 1
            continue
        brace = k < n and tt[k] == "{"
        s = k + 1 if brace else k
        e = s
        while e < n and _is_name_char(tt[e]):
            e += 1
        if e == s or (brace and (e >= n or tt[e] != "}")):
            parts.append(("$", to[j:j + 1]))  # malformed: '$' as raw text
            i = k
            continue
        if tt[s:e] == "0":
            parts.append(None)
        i = e + 1 if brace else e
    if i < n:
        parts.append((tt[i:], to[i:]))
    return parts


def _replace_all(prog: _Prog, value: _Val, repl: _Val) -> _Val:
    """Go's Regexp.ReplaceAllString (empty matches next to a match skipped)."""
    vt, vo = value
    parts = _expand_template(*repl)
    out_t: List[str] = []
    out_o = array("q")
    size = 0
    last = 0
    sp = 0
    n = len(vt)
    while sp <= n:
        mt = _find(prog, vt, sp, False)
        if mt is None:
            break
        a, b = mt
        out_t.append(vt[last:a])
        out_o.extend(vo[last:a])
        size += a - last
        if b > last or a == 0:
            for part in parts:
                if part is None:
                    out_t.append(vt[a:b])
                    out_o.extend(vo[a:b])
                    size += b - a
                else:
                    out_t.append(part[0])
                    out_o.extend(part[1])
                    size += len(part[0])
            if size > MAX_RESULT_CHARS:
                raise _Fail("expansion result too large")
        last = b
        sp = max(sp + 1, b)
    out_t.append(vt[last:])
    out_o.extend(vo[last:])
    return "".join(out_t), out_o


# --------------------------------------------------------------------------
# The lexer


class _Fail(Exception):
    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


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
        self.pattern: Optional[_Val] = None


_RUN_RE_CACHE: dict = {}


def _run_re(specials: str):
    r = _RUN_RE_CACHE.get(specials)
    if r is None:
        r = _RUN_RE_CACHE[specials] = re.compile("[" + re.escape(specials) + "]")
    return r


class _Lexer:
    __slots__ = (
        "t", "o", "n", "pos", "esc", "env", "ci", "cache", "matched", "unmatched",
        "want_words", "bt", "bo", "result", "words",
    )

    def __init__(self, word: Word, env: Mapping, escape: str, case_insensitive: bool, want_words: bool) -> None:
        if not isinstance(escape, str) or len(escape) != 1:
            raise ValueError("escape must be a single character")
        self.t, self.o = _as_word(word)
        self.n = len(self.t)
        self.pos = 1 if self.t.startswith("\ufeff") else 0  # text/scanner skips a BOM
        self.esc = escape
        self.env = _lookup_table(env, case_insensitive)
        self.ci = case_insensitive
        self.cache: dict = {}
        self.matched: Set[str] = set()
        self.unmatched: Set[str] = set()
        self.want_words = want_words
        # wordsStruct's buffer, shared by every processStopOn as in BuildKit
        self.bt: List[str] = []
        self.bo = array("q")
        self.result: Optional[_Val] = None
        self.words: List[SourcedStr] = []

    # -- environment --------------------------------------------------------
    def _get(self, name: str) -> Optional[_Val]:
        key = normalize_env_key(name) if self.ci else name
        v = self.cache.get(key, _MISSING)
        if v is _MISSING:
            raw = self.env.get(key, _MISSING)
            v = None if raw is _MISSING or raw is None else _as_val(raw)
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
            if ch in _SPACE:
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
            raise _Fail("expansion result too large")

    def _deliver(self, v: _Val, stack: list) -> None:
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
        except _Fail as e:
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
                    raise _Fail(f"unexpected end of statement while looking for matching {stop}")
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
                    raise _Fail("unexpected end of statement while looking for matching single-quote")
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
                raise _Fail("unexpected end of statement while looking for matching double-quote")
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
        if c in _SPECIAL_PARAMS:
            self.pos = p + 1
            return c
        q = p
        while q < n and _is_name_char(t[q]):
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

    def _dollar(self, stack: list) -> Optional[_Val]:
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
            return v if v is not None else ("", _EMPTY_OFFS)
        self.pos = p = p + 1
        if p >= n:
            raise _Fail("syntax error: missing '}'")
        if t[p] in "{}:":
            raise _Fail("syntax error: bad substitution")
        name = self._name()
        ch = self._next()
        chs = ch or "\ufffd"  # string(scanner.EOF)
        if ch == "}":
            v = self._get(name)
            return v if v is not None else ("", _EMPTY_OFFS)
        if ch in (":", "+", "-", "?", "#", "%"):
            null_is_unset = False
            if ch == ":":
                null_is_unset = True
                ch = self._next()
                chs += ch or "\ufffd"
            raw = ch == "#" or ch == "%"
            if null_is_unset and raw:
                raise _Fail(f"unsupported modifier ({chs}) in substitution")
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
        raise _Fail(f"unsupported modifier ({chs}) in substitution")

    def _resume_dollar(self, d: _Dollar, word: _Val, stack: list) -> None:
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
        value: _Val = v if is_set else ("", _EMPTY_OFFS)
        if d.stage == _REPL:
            pattern = d.pattern[0]
            try:
                prog = _compile_pattern(pattern, True)
            except _PatternError as e:
                raise _Fail(f"invalid pattern ({pattern}) in substitution: {e}") from None
            if d.replace_all:
                result = _replace_all(prog, value, word)
            else:
                mt = _find(prog, value[0], 0, False)
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
            result = ("", _EMPTY_OFFS) if unset else word
        elif op == "?":
            if not is_set:
                raise _Fail(f"{name}: {word[0] or 'is not allowed to be unset'}")
            if d.null_is_unset and value[0] == "":
                raise _Fail(f"{name}: {word[0] or 'is not allowed to be empty'}")
            result = value
        elif op == "#" or op == "%":
            pat = word[0]
            greedy = pat[:1] == op
            if greedy:
                pat = pat[1:]
            vt, vo = value
            if op == "%":
                # trimSuffix: reverse pattern and value, trim a prefix
                pat = _reverse_pattern(pat)
                vt_search = vt[::-1]
            else:
                vt_search = vt
            try:
                prog = _compile_pattern(pat, greedy)
            except _PatternError as e:
                raise _Fail(f"invalid pattern ({pat}) in substitution: {e}") from None
            mt = _find(prog, vt_search, 0, True)
            if mt is None:
                result = value
            elif op == "#":
                result = (vt[mt[1]:], vo[mt[1]:])
            else:
                k = len(vt) - mt[1]
                result = (vt[:k], vo[:k])
        else:
            raise _Fail(f"unsupported modifier ({d.chs}) in substitution")
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

_PLAIN_RE_CACHE: dict = {}


def _plain(text: str, escape: str) -> bool:
    """True when the word has nothing for the lexer to do."""
    r = _PLAIN_RE_CACHE.get(escape)
    if r is None:
        r = _PLAIN_RE_CACHE[escape] = re.compile("[$'\"\ufeff" + re.escape(escape) + "]")
    return r.search(text) is None


# --------------------------------------------------------------------------
# API


def process_word(word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False) -> SourcedStr:
    """``Lex.ProcessWord``: expand ``word`` as one string (no field splitting).

    Raises :class:`WordError` where BuildKit returns an error.
    ``case_insensitive`` looks names up as BuildKit does on Windows.
    """
    if isinstance(word, str) and len(escape) == 1 and _plain(word, escape):
        return SourcedStr(word)
    if isinstance(word, SourcedStr) and len(escape) == 1 and _plain(word.text, escape):
        return SourcedStr(word.text, array("q", _as_val(word)[1]))
    lx = _Lexer(word, env, escape, case_insensitive, False)
    lx.run()
    return SourcedStr(*lx.result)


def process_word_with_matches(
    word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False
) -> Tuple[SourcedStr, Set[str], Set[str]]:
    """``Lex.ProcessWordWithMatches``: ``(result, matched, unmatched)``.

    ``matched`` holds the names (as written) that were looked up and found
    set, ``unmatched`` those looked up and found unset.  As in BuildKit a
    nested word is always expanded before its variable is consulted, so
    ``${SET:-$OTHER}`` reports ``OTHER`` even though its value is not used.
    """
    if isinstance(word, str) and len(escape) == 1 and _plain(word, escape):
        return SourcedStr(word), set(), set()
    lx = _Lexer(word, env, escape, case_insensitive, False)
    lx.run()
    return SourcedStr(*lx.result), lx.matched, lx.unmatched


def process_words(word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False) -> List[SourcedStr]:
    """``Lex.ProcessWords``: expand, then split into fields.

    White space from unquoted text and unquoted expansions separates fields;
    quoted and escaped white space does not; empty fields are dropped.  As in
    BuildKit, a ``${X:-...}``/``${X#...}``/``${X/...}`` form clears the field
    being built when it is reached (BuildKit shares one buffer between nested
    word readers), so ``a${X:-b}c`` gives ``["bc"]``.
    """
    lx = _Lexer(word, env, escape, case_insensitive, True)
    lx.run()
    return lx.words
