"""Fixes as text edits: apply, diff, and write atomically."""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from typing import List, Sequence, Tuple

from .model import Edit, Fix


def apply_fixes(text: str, fixes: Sequence[Fix]) -> Tuple[str, List[Fix]]:
    """Apply every fix whose edits do not overlap an earlier-chosen one.

    Fixes are taken in order of their first edit; the edits are applied from
    the end of the text backwards so offsets stay valid.  Returns the new text
    and the fixes that were applied.
    """
    chosen: List[Fix] = []
    taken: List[Tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits) if f.edits else 0):
        if not fix.edits:
            continue
        if any(e.start < 0 or e.end > len(text) or e.start > e.end for e in fix.edits):
            continue
        if any(_overlaps(e, t) for e in fix.edits for t in taken):
            continue
        if fix.edits and all(text[e.start:e.end] == e.replacement for e in fix.edits):
            continue  # no-op
        chosen.append(fix)
        taken.extend((e.start, e.end) for e in fix.edits)
    edits = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end), reverse=True)
    out = text
    for e in edits:
        out = out[: e.start] + e.replacement + out[e.end :]
    return out, chosen


def _overlaps(e: Edit, span: Tuple[int, int]) -> bool:
    s, t = span
    if e.start == e.end or s == t:  # insertions conflict only at the same point or inside
        return s < e.start < t or e.start < s < e.end or e.start == s
    return e.start < t and s < e.end


def unified_diff(path: str, before: str, after: str) -> str:
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The rename is atomic, so readers see the old or the new file, never a
    partial one; the original mode is kept.  ``path`` is resolved first so a
    symlink keeps pointing at the (now updated) target.
    """
    real = os.path.realpath(path)
    folder = os.path.dirname(real) or "."
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=".nexus-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        try:
            st = os.stat(real)
            os.chown(tmp, st.st_uid, st.st_gid)
        except (OSError, AttributeError):
            pass
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
