"""A tree-sitter parse with a deadline, shared by the readers that use a grammar.

tree-sitter's error recovery can re-read the input quadratically often on
hostile text (``a&amp;amp;...``: 3.7 s for 40 KB of shell; ``|-|-|-...``: 3 s for
8 KB), so a large input is read through a callback, which tree-sitter calls
all along, and the callback says "end of input" once the deadline has passed.
"""

from __future__ import annotations

import time


def parse_with_deadline(parser, src: bytes, deadline: float, small: int, chunk: int):
    """``parser.parse(src)``, stopped at ``time.monotonic() > deadline`` for an
    input of ``small`` bytes or more, read ``chunk`` bytes at a time.  Returns the
    tree and whether the deadline stopped it."""
    if len(src) < small:
        return parser.parse(src), False
    stopped = [False]

    def read(offset, _point):
        if stopped[0] or time.monotonic() > deadline:
            stopped[0] = True
            return b""
        return src[offset: offset + chunk]

    return parser.parse(read), stopped[0]
