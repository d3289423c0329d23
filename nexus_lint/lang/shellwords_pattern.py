"""Shell patterns of ``${X#pat}``, ``${X%pat}`` and ``${X/pat/repl}`` for
BuildKit's word lexer: compiled to tokens for a Pike VM that matches as Go's
regexp does (leftmost-first, no backtracking), and Go's ``ReplaceAllString``."""

from __future__ import annotations

from array import array
from typing import List, Optional, Tuple

from nexus_lint.lang.shellwords_values import MAX_RESULT_CHARS, Fail, Val, is_name_char

# BuildKit converts the pattern to a Go regexp: '*' -> '.*' (or '.*?' for the
# shortest match), '?' -> '.', '\*' '\?' '\\' literal, '\}' and '\/' drop the
# backslash, any other escape is an error, everything else is a literal.

_STAR = 0  # '.*' / '.*?'  (any run of characters but '\n')
_ANY = 1  # '.'            (any one character but '\n')
# anything else: a one-character str literal


class PatternError(Exception):
    """A pattern BuildKit cannot convert (an escape it does not know)."""


class Prog:
    """A compiled pattern: its tokens and each state's epsilon closure, in priority order."""

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


def compile_pattern(pattern: str, greedy: bool) -> Prog:
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
                raise PatternError("invalid escape '\\\ufffd'")
            c = pattern[i]
            i += 1
            if c not in "*?\\":
                raise PatternError(f"invalid escape '\\{c}'")
        toks.append(c)
    return Prog(toks, greedy)


def reverse_pattern(pattern: str) -> str:
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


def find_match(prog: Prog, s: str, start: int, anchored: bool) -> Optional[Tuple[int, int]]:
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
        while e < n and is_name_char(tt[e]):
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


def replace_all(prog: Prog, value: Val, repl: Val) -> Val:
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
        mt = find_match(prog, vt, sp, False)
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
                raise Fail("expansion result too large")
        last = b
        sp = max(sp + 1, b)
    out_t.append(vt[last:])
    out_o.extend(vo[last:])
    return "".join(out_t), out_o

