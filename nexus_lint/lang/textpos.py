"""Positions in plain text that every format reader needs: where each line is,
whether an offset starts its line, and a comment found in the text.

Line endings are ``\\n``, ``\\r\\n`` and ``\\r``, as the config formats' own
readers count them.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr

Span = Tuple[int, int]

NEWLINE = lazy_re(r"\r\n|\r|\n")


class Comment:
    """A comment: ``start`` is the offset of its text (its marker character
    included), ``own_line`` says nothing but blanks stands before it on its line.

    A comment read out of an embedded piece (a shell comment in a YAML block
    scalar) keeps that piece in ``sourced``: a position inside the comment is
    then found through its offsets, else it is the whole comment (``start``, ``end``)."""

    __slots__ = ("start", "text", "own_line", "end", "sourced")

    def __init__(self, start: int, text: str, own_line: bool, end: int = -1,
                 sourced: Optional[SourcedStr] = None) -> None:
        self.start = start
        self.text = text
        self.own_line = own_line
        self.end = end
        self.sourced = sourced

    def span(self, i: int, j: int) -> Span:
        """Where characters ``i:j`` of the comment text stand in the file."""
        if self.sourced is None:
            return self.start + i, self.start + j
        return self.sourced.span(i, j) or (self.start, self.end)


def lines(text: str) -> List[Span]:
    """(start, end) of each line's content; line endings \\n, \\r\\n, \\r."""
    out: List[Span] = []
    pos = 0
    for m in NEWLINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def line_span(text: str, lineno: int) -> Span:
    """(start, end) of line ``lineno`` (1-based); (0, 0) when there is no such line."""
    found = lines(text)
    if 1 <= lineno <= len(found):
        return found[lineno - 1]
    return (0, 0)


def own_line(text: str, offset: int, breaks: str = "\n\r") -> bool:
    """Does only blank space stand between the start of its line and ``offset``?
    (``breaks``: the characters that end a line for the caller.)"""
    start = max(text.rfind(b, 0, offset) for b in breaks) + 1
    return not text[start:offset].strip()
