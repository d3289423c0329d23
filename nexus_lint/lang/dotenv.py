"""``.env`` files with positions, read as Docker Compose reads them (the one
reader of the format: :func:`nexus_lint.lang.compose.parse_dotenv` is built
on it).

``KEY=value`` (or ``KEY: value``), ``export KEY=value``, ``#`` comment lines,
blank lines; an unquoted value ends at `` #`` and is stripped; a single-quoted
value is literal; a double-quoted value has the escapes ``\\n \\r \\t \\\\
\\" \\$`` (their characters have no offset); a quoted value may span lines.
Each entry's value keeps the offset of every character that stands in the
file.  Interpolation (``${VAR}``) is the caller's business (``quote`` says
whether it applies: not in single quotes).

A problem (NX000) is what no reader takes as an assignment: a line that
starts with no variable name and ``=`` (``foo bar=1``, a shell ``set -x NAME
value``: compose refuses it, python-dotenv warns, node's dotenv drops it), and
a quote that never closes (compose and python-dotenv refuse it).
"""

from __future__ import annotations

import re
from nexus_lint.core.record import record
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment

# a name as the dotenv libraries take it (``.VITE_X`` too: node's and Python's dotenv read it)
_LINE = lazy_re(r"\s*(?:export\s+)?([A-Za-z_.][A-Za-z0-9_.-]*)\s*[=:]\s?(.*)\Z", re.S)
_BARE = lazy_re(r"\s*(?:export\s+)?[A-Za-z_.][A-Za-z0-9_.-]*\s*\Z")  # KEY alone: taken from the environment
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$"}
_CUT = lazy_re(r"\s#")


@record
class DotenvEntry:
    name: str
    name_start: int
    value: SourcedStr
    quote: str  # "", "'" or '"'
    first_line: int  # 1-based
    last_line: int


def read(text: str) -> Tuple[List[DotenvEntry], List[Comment], List[ParseProblem]]:
    """The entries, the comments and the problems of a ``.env`` text."""
    pieces = text.splitlines(keepends=True)
    starts: List[int] = []
    pos = 0
    lines: List[str] = []
    for piece in pieces:
        starts.append(pos)
        pos += len(piece)
        lines.append(piece.splitlines()[0] if piece.splitlines() else "")
    entries: List[DotenvEntry] = []
    comments: List[Comment] = []
    problems: List[ParseProblem] = []
    k = 0
    while k < len(lines):
        line, base = lines[k], starts[k]
        k += 1
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            at = base + line.index("#")
            comments.append(Comment(at, line[line.index("#"):], True, base + len(line)))
            continue
        m = _LINE.match(line)
        if not m:
            if not _BARE.match(line):
                lead = len(line) - len(line.lstrip())
                problems.append(ParseProblem(f"invalid .env line: expected NAME=value, found {stripped[:40]!r}",
                                             base + lead, base + len(line)))
            continue
        name, first = m.group(1), k
        raw_at = m.start(2) + (len(m.group(2)) - len(m.group(2).lstrip()))
        raw = line[raw_at:].rstrip()
        if raw[:1] in ("'", '"'):
            quote = raw[0]
            parts: List[SourcedStr] = []
            seg_line, seg_base, j = line, base, raw_at + 1
            while True:
                end = _quote_end(seg_line, j, quote)
                if end >= 0:
                    parts.append(_body(seg_line, seg_base, j, end, quote))
                    rest = seg_line[end + 1:]
                    hash_at = rest.find("#")
                    if hash_at >= 0:
                        at = end + 1 + hash_at
                        comments.append(Comment(seg_base + at, seg_line[at:], False, seg_base + len(seg_line)))
                    break
                parts.append(_body(seg_line, seg_base, j, len(seg_line), quote))
                if k >= len(lines):
                    problems.append(ParseProblem(f"unterminated {quote} quoted value of {name}",
                                                 base + raw_at, base + raw_at + 1))
                    parts = []
                    break
                parts.append(SourcedStr.unknown("\n"))
                seg_line, seg_base, j = lines[k], starts[k], 0
                k += 1
            if not parts and problems and problems[-1].start == base + raw_at:
                continue
            value = SourcedStr.join(parts)
        else:
            quote = ""
            cut = _CUT.search(raw)
            if cut is not None:
                at = raw_at + cut.start() + 1
                comments.append(Comment(base + at, line[at:], False, base + len(line)))
            value = SourcedStr.literal(raw[:cut.start()] if cut else raw, base + raw_at).strip()
        entries.append(DotenvEntry(name, base + m.start(1), value, quote, first, k))
    return entries, comments, problems


def _quote_end(line: str, j: int, quote: str) -> int:
    while j < len(line):
        c = line[j]
        if c == "\\" and quote == '"':
            j += 2
            continue
        if c == quote:
            return j
        j += 1
    return -1


def _body(line: str, base: int, i: int, j: int, quote: str) -> SourcedStr:
    """Characters ``i:j`` of a quoted value on one line, escapes decoded (no offset)."""
    if quote == "'" or "\\" not in line[i:j]:
        return SourcedStr.literal(line[i:j], base + i)
    parts: List[SourcedStr] = []
    run = i
    k = i
    while k < j:
        if line[k] == "\\" and k + 1 < j:
            parts.append(SourcedStr.literal(line[run:k], base + run))
            c = line[k + 1]
            parts.append(SourcedStr.unknown(_ESCAPES.get(c, "\\" + c)))
            k += 2
            run = k
            continue
        k += 1
    parts.append(SourcedStr.literal(line[run:j], base + run))
    return SourcedStr.join(parts)


def is_template(path: str) -> Optional[str]:
    """``.env.example``, ``.env.sample``, ``.env.template`` (``.dist``, ``.tpl``,
    ``example.env``...): the word that makes a file a template, else ``None``."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for word in ("example", "sample", "template", "dist", "tpl", "default", "defaults"):
        if re.search(rf"(?:^|[._-]){word}(?:$|[._-])", name):
            return word
    return None
