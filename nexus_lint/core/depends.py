"""Files an extractor reads besides the file it lints (a GitLab CI file's local
includes), recorded so that a cached result is used only while they are
unchanged.  An extractor that opens another file calls :func:`read` with the
bytes it got (or ``None`` when the file was missing or not read), and
:func:`globbed` with a pattern it expanded and what it found; outside a
recording (no cache) both do nothing.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, List, Optional, Sequence

_active: Optional[List[list]] = None


def read(path: str, data: Optional[bytes]) -> None:
    if _active is not None:
        path = os.path.abspath(path)
        _active.append(["f", path, digest(b"+" + data if data is not None else content_of(path))])


def globbed(pattern: str, found: Sequence[str]) -> None:
    if _active is not None:
        _active.append(["g", os.path.abspath(pattern), list(found)])


class recording:
    """``with recording() as reads:`` collects what is read inside it."""

    def __enter__(self) -> List[list]:
        global _active
        self._outer = _active
        _active = []
        return _active

    def __exit__(self, *exc) -> None:
        global _active
        _active = self._outer


def unchanged(reads: Sequence[Sequence[object]]) -> bool:
    """Are the recorded files and pattern expansions still what they were?"""
    for entry in reads:
        if entry[0] == "f":
            if digest(content_of(str(entry[1]))) != entry[2]:
                return False
        elif entry[0] == "g":
            import glob

            if sorted(glob.glob(str(entry[1]), recursive=True)) != list(entry[2]):  # type: ignore[arg-type]
                return False
        else:
            return False
    return True


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p if isinstance(p, bytes) else repr(p).encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def content_of(path: str) -> bytes:
    """The bytes of a dependency, or a marker that it does not exist (or is no
    regular file, or is over 64 MiB: a FIFO named ``.env`` must not block the run)."""
    from nexus_lint.core.source import Unreadable, read_file

    try:
        return b"+" + read_file(path, 64 * 1024 * 1024)
    except Unreadable:
        return b"-"
