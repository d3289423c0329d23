"""Fixes as text edits: apply, diff, and write atomically."""

from __future__ import annotations

import bisect
import difflib
import os
import stat
import tempfile
from typing import List, Optional, Sequence, Tuple

from nexus_lint.core.model import Edit, Fix


def apply_fixes(text: str, fixes: Sequence[Fix]) -> Tuple[str, List[Fix]]:
    """Apply every fix whose edits do not overlap an earlier-chosen one.

    Fixes are taken in order of their first edit; the chosen edits are
    stitched together in one pass (two insertions at one point: the later
    edit's text first).  Returns the new text and the fixes that were applied.
    Linear in the text plus n log n in the edits: a file with thousands of
    fixes (the fuzzer made one with 7,722) costs no more than it must.
    """
    chosen: List[Fix] = []
    # the chosen edits' spans, sorted and disjoint (a span may touch the next,
    # an insertion may sit at a span's end), so only neighbours can conflict
    starts: List[int] = []
    ends: List[int] = []
    n = len(text)
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits) if f.edits else 0):
        edits = fix.edits
        if not edits:
            continue
        if any(e.start < 0 or e.end > n or e.start > e.end for e in edits):
            continue
        if any(_conflicts(e, starts, ends) for e in edits):
            continue
        if len(edits) > 1 and any(_overlaps(a, (b.start, b.end)) for i, a in enumerate(edits) for b in edits[:i]):
            continue  # a fix at odds with itself
        if all(text[e.start:e.end] == e.replacement for e in edits):
            continue  # no-op
        chosen.append(fix)
        for e in edits:
            i = bisect.bisect_left(starts, e.start)
            starts.insert(i, e.start)
            ends.insert(i, e.end)
    ordered = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end), reverse=True)
    pieces: List[str] = []
    pos = 0
    for e in reversed(ordered):
        pieces.append(text[pos:e.start])
        pieces.append(e.replacement)
        pos = e.end
    pieces.append(text[pos:])
    return "".join(pieces), chosen


def _conflicts(e: Edit, starts: List[int], ends: List[int]) -> bool:
    """Does ``e`` overlap a chosen span? Every conflicting span starts at or
    before ``e.end``, and of those that start before ``e.start`` only the last
    can reach it (the spans are disjoint)."""
    i = max(bisect.bisect_left(starts, e.start) - 1, 0)
    while i < len(starts) and starts[i] <= e.end:
        if _overlaps(e, (starts[i], ends[i])):
            return True
        i += 1
    return False


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


class FixRefused(OSError):
    """A fix that is not written, and why (an ``OSError``: callers report it as one)."""


def atomic_write(path: str, data: bytes, *, expected: Optional[bytes] = None, root: Optional[str] = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The rename is atomic, so readers see the old or the new file, never a
    partial one (a crash or a failed rename leaves the old file and no
    temporary one); the original mode and, where allowed, owner are kept.
    ``path`` is resolved first so a symlink keeps pointing at the (now updated)
    target, unless it leads out of ``root`` (the repository): then nothing is
    written.  With ``expected`` (the bytes the fix was made from) the file is
    locked and compared first, so a file that changed since it was read (an
    editor, a second ``--fix`` run) is left alone rather than overwritten.
    """
    if root is not None:
        from nexus_lint.core.source import outside_target

        target = outside_target(path, root)
        if target is not None:
            raise FixRefused(f"symbolic link to {target}, outside the repository")
    real = os.path.realpath(path)
    folder = os.path.dirname(real) or "."
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mode = None
    lock = _lock_unchanged(real, expected) if expected is not None else None
    try:
        _replace(real, folder, data, mode)
    finally:
        if lock is not None:
            os.close(lock)  # releases the lock


def write_output(path: str, data: bytes) -> None:
    """Write a report or a baseline to ``path`` (``--output``, ``--write-baseline``).

    Inside a repository (a git work tree, else the working folder) the path is
    under the repository's control, so it is written only as a regular file in
    a folder no symbolic link takes out of it: a committed link named like the
    report (to a shell profile, to a device) is refused, never followed, and the
    file is replaced through a temporary file (a rename does not follow the
    name it replaces).  Elsewhere (``/dev/stdout``, a runner's folder) it is
    written as asked.  Raises FixRefused (an OSError) with the reason.
    """
    from nexus_lint.core.repo import git_root
    from nexus_lint.core.source import _inside, outside_target

    absolute = os.path.abspath(path)
    folder = os.path.dirname(absolute)
    root = git_root(folder)
    if root is None and _inside(absolute, os.getcwd()):
        root = os.getcwd()
    if root is None:
        if os.path.exists(absolute):
            atomic_write(absolute, data) if os.path.isfile(absolute) else _plain_write(absolute, data)
        else:
            _plain_write(absolute, data)
        return
    target = outside_target(folder, root) if not _inside(os.path.realpath(folder), os.path.realpath(root)) else None
    if target is not None:
        raise FixRefused(f"its folder is a symbolic link to {target}, outside the repository; not written")
    try:
        st = os.lstat(absolute)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise FixRefused("it is a symbolic link in the repository; not followed, not written")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise FixRefused("it is not a regular file; not written")
    mode = stat.S_IMODE(st.st_mode) if st is not None else None
    if mode is None:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    _replace(os.path.join(os.path.realpath(folder), os.path.basename(absolute)), os.path.realpath(folder), data, mode)


def _plain_write(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def _lock_unchanged(real: str, expected: bytes) -> int:
    """Lock ``real`` (an exclusive ``flock`` other nexus-lint runs wait on) and
    check it still holds ``expected``; return the descriptor that holds the lock."""
    fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except (ImportError, OSError):  # no flock here: the comparison alone
            pass
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FixRefused("it is not a regular file any more")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        try:
            now = os.stat(real)
        except OSError:
            now = None
        if now is None or (now.st_ino, now.st_dev) != (st.st_ino, st.st_dev) or b"".join(chunks) != expected:
            raise FixRefused("the file changed after it was read")
        return fd
    except BaseException:
        os.close(fd)
        raise


def _replace(real: str, folder: str, data: bytes, mode: Optional[int]) -> None:
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
