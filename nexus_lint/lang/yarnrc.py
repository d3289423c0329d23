"""Yarn 1's ``.yarnrc`` (the format of its lockfile parser), with positions:
``key value`` lines, keys and values bare or double-quoted (JSON escapes),
``#`` comments, an indented block under ``key:`` for nested settings.

:func:`read` gives the entries (bare values: ``true``/``false``/numbers stay
text), the comments and the parse problem: a quote that never closes, a key
with no value where yarn expects one.
"""

from __future__ import annotations

from nexus_lint.core.record import record
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment, lines

_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_BARE = lazy_re(r"[^\s\"#,]+")


@record
class YarnrcEntry:
    key: SourcedStr
    value: SourcedStr
    quoted: bool
    depth: int  # 0 at the top, 1 inside a ``key:`` block
    line: int  # 1-based
    span: Tuple[int, int]


def read(text: str) -> Tuple[List[YarnrcEntry], List[Comment], Optional[ParseProblem]]:
    entries: List[YarnrcEntry] = []
    comments: List[Comment] = []
    for lineno, (s, e) in enumerate(lines(text), start=1):
        line = text[s:e]
        words: List[Tuple[SourcedStr, bool]] = []
        i = 0
        while i < len(line):
            c = line[i]
            if c.isspace() or c == ",":
                i += 1
            elif c == "#":
                comments.append(Comment(s + i, line[i:].rstrip("\r"), not words, s + len(line.rstrip("\r"))))
                break
            elif c == '"':
                word, i = _string(line, s, i)
                if word is None:
                    return entries, comments, ParseProblem("invalid .yarnrc: unterminated string", s + i, s + i + 1)
                words.append((word, True))
            else:
                m = _BARE.match(line, i)
                words.append((SourcedStr.literal(m.group(0), s + i), False))
                i = m.end()
        if not words:
            continue
        depth = 1 if line[:1] in (" ", "\t") else 0
        key, _ = words[0]
        if key.text.endswith(":") and len(words) == 1:
            continue  # a block opens: its lines are entries of depth 1
        if key.text.endswith(":"):
            key = key[:-1]
        if len(words) < 2:
            entries.append(YarnrcEntry(key, SourcedStr(""), False, depth, lineno, (s, e)))
            continue
        value, quoted = words[1]
        entries.append(YarnrcEntry(key, value, quoted, depth, lineno, (s, e)))
    return entries, comments, None


def _string(line: str, base: int, i: int) -> Tuple[Optional[SourcedStr], int]:
    """The double-quoted string at ``line[i]`` (escapes have no offset) and where it ends."""
    parts: List[SourcedStr] = []
    k = i + 1
    run = k
    while k < len(line):
        c = line[k]
        if c == '"':
            parts.append(SourcedStr.literal(line[run:k], base + run))
            return SourcedStr.join(parts), k + 1
        if c == "\\" and k + 1 < len(line):
            parts.append(SourcedStr.literal(line[run:k], base + run))
            e = line[k + 1]
            if e == "u" and k + 6 <= len(line):
                try:
                    parts.append(SourcedStr.unknown(chr(int(line[k + 2:k + 6], 16))))
                    k += 6
                    run = k
                    continue
                except ValueError:
                    pass
            parts.append(SourcedStr.unknown(_ESC.get(e, e)))
            k += 2
            run = k
            continue
        k += 1
    return None, i
