"""tree-sitter-bash for the shell analyser, loaded on first use, and the
mapping from the byte offsets of its tree to the characters of the script.

Nothing here imports tree-sitter at import time: :func:`parser` does, the
first time a script is analysed.
"""

from __future__ import annotations

import bisect
import time
from typing import List, Optional

from nexus_lint.core.lazyre import lazy_re

_PARSER = None


def parser():
    """The tree-sitter parser for bash (tree_sitter is imported here, the first time)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter

        _PARSER = tree_sitter.Parser(tree_sitter.Language(_bash_language()))
    return _PARSER


def _bash_language():
    """``tree_sitter_bash.language()``, from the compiled grammar itself: the
    package's ``__init__`` imports importlib.resources (and tempfile, shutil,
    bz2 ...) for query files nobody here reads, 4 ms of every start."""
    import importlib.machinery
    import os

    try:
        spec = importlib.machinery.PathFinder.find_spec("tree_sitter_bash")
        for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = os.path.join(folder, "_binding" + suffix)
                if os.path.isfile(path):
                    loader = importlib.machinery.ExtensionFileLoader("tree_sitter_bash._binding", path)
                    module = loader.create_module(importlib.machinery.ModuleSpec(loader.name, loader, origin=path))
                    loader.exec_module(module)
                    return module.language()
    except Exception:  # any other layout: the package's own way
        pass
    import tree_sitter_bash

    return tree_sitter_bash.language()


def parse_bash(src: bytes, seconds: float):
    """Parse with a deadline of at most ``seconds``: past it, tree-sitter is told
    the input has ended.  Returns the tree and whether the deadline stopped it."""
    from nexus_lint.lang.treesitter import parse_with_deadline

    # The deadline grows with the script: a normal parse runs at several MB/s.
    # Small chunks: a re-read copies little.
    deadline = time.monotonic() + min(seconds, 0.5 + len(src) / 1_000_000)
    return parse_with_deadline(parser(), src, deadline, small=512, chunk=4096)


# -----------------------------------------------------------------------------
# Byte offsets (tree-sitter) -> character indices (script.text)
# -----------------------------------------------------------------------------

_NON_ASCII = lazy_re(r"[^\x00-\x7f]")
_ABOVE_LATIN1 = lazy_re(r"[^\x00-\xff]")


def tree_sitter_bytes(text: str) -> bytes:
    """The UTF-8 bytes tree-sitter parses, each character above U+00FF
    replaced by as many DEL bytes as its UTF-8 encoding has.

    tree-sitter-bash's scanner hands the lookahead code point to ``isdigit``
    (``brace_start``), which reads outside the C library's table for code
    points above 255: ``{..`` before a character of planes 3-16 crashes the
    process (SIGSEGV; tree-sitter-bash issue #337, fix pending in PR #348).
    Bash gives no character above U+00FF a meaning, and DEL is a plain word
    character to both, so the tree is the same shape; byte offsets do not
    move, and every value is read from the text, never from these bytes.
    """
    if text.isascii():
        return text.encode("ascii")
    return _ABOVE_LATIN1.sub(lambda m: "\x7f" * len(m.group().encode("utf-8", "surrogatepass")), text).encode(
        "utf-8", "surrogatepass")


class ByteMap:
    """tree-sitter's byte offsets to character indices of the text."""

    __slots__ = ("ends", "extra", "n")

    def __init__(self, text: str) -> None:
        self.n = len(text)
        self.ends: Optional[List[int]] = None
        if text.isascii():
            return
        ends: List[int] = []
        extra: List[int] = []
        total = 0
        for m in _NON_ASCII.finditer(text):
            o = ord(m.group())
            size = 2 if o < 0x800 else 3 if o < 0x10000 else 4
            byte_end = m.start() + total + size
            total += size - 1
            ends.append(byte_end)
            extra.append(total)
        self.ends = ends
        self.extra = extra

    def char(self, b: int) -> int:
        if self.ends is None:
            c = b
        else:
            k = bisect.bisect_right(self.ends, b) - 1
            c = b - (self.extra[k] if k >= 0 else 0)
        return 0 if c < 0 else self.n if c > self.n else c

