"""``check --changed-since REF``: keep only the findings on lines changed since a
git ref (a merge request's base), so that a job can gate what a change adds in
a repository that is not clean yet.

What counts as changed: the lines ``git diff -U0 REF`` adds or modifies in the
work tree (staged or not), and every line of a file git does not track yet
(untracked and not ignored).  A finding counts when its first line is one of
them.  Files outside a git work tree, and a ref git does not know, are errors
(:class:`ChangedError`, exit 2): a gate must not pass because nothing matched.
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import Dict, List, Optional, Set

from nexus_lint.core.model import FileResult

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class ChangedError(Exception):
    """The changed lines cannot be known (not a git work tree, unknown ref, git failed)."""


def _git(root: str, args: List[str]) -> bytes:
    try:
        out = subprocess.run(["git", "-C", root, "-c", "core.quotepath=off", *args], capture_output=True,
                             stdin=subprocess.DEVNULL, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChangedError(f"git failed: {exc}") from None
    if out.returncode != 0:
        why = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedError(why[0] if why else f"git {' '.join(args)} failed")
    return out.stdout


def _unquote(raw: bytes) -> bytes:
    """A path git quoted ("a\\tb", octal escapes for other bytes) as its bytes."""
    if raw.startswith(b'"') and raw.endswith(b'"'):
        import codecs

        return codecs.escape_decode(raw[1:-1])[0]
    return raw


def changed_lines(root: str, ref: str) -> Dict[str, Optional[Set[int]]]:
    """Absolute path -> the changed line numbers of that file (None: all of it,
    an untracked file) in the git work tree ``root``."""
    try:
        _git(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
    except ChangedError:
        raise ChangedError(f"--changed-since {ref}: git knows no such commit in {root} "
                           "(in CI, fetch the base branch first)") from None
    diff = _git(root, ["diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0", ref, "--"])
    out: Dict[str, Optional[Set[int]]] = {}
    current: Optional[Set[int]] = None
    for line in diff.split(b"\n"):
        if line.startswith(b"+++ "):
            name = _unquote(line[4:].rstrip(b"\r"))
            if name == b"/dev/null":
                current = None
                continue
            path = os.path.join(root, os.fsdecode(name[2:] if name.startswith(b"b/") else name))
            current = out.setdefault(os.path.normpath(path), set())
        elif line.startswith(b"@@") and current is not None:
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or b"1")
                current.update(range(start, start + count))
    for name in _git(root, ["ls-files", "-z", "--others", "--exclude-standard"]).split(b"\0"):
        if name:
            out[os.path.normpath(os.path.join(root, os.fsdecode(name)))] = None
    return out


class ChangedSince:
    """The changed lines since ``ref``, per git work tree, asked once each."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        self._roots: Dict[str, Dict[str, Optional[Set[int]]]] = {}
        self._memo: dict = {}

    def lines_of(self, path: str) -> Optional[Set[int]]:
        """The changed lines of the file ``path`` (None: all of them)."""
        from nexus_lint.core.repo import git_root

        path = os.path.normpath(os.path.abspath(path))
        root = git_root(os.path.dirname(path), self._memo)
        if root is None:
            raise ChangedError(f"{path}: not in a git work tree, so nothing is known to have changed")
        root = os.path.normpath(root)
        if root not in self._roots:
            self._roots[root] = changed_lines(root, self.ref)
        changes = self._roots[root]
        if path in changes:
            return changes[path]
        real = os.path.realpath(path)
        return changes.get(real, set())

    def keep(self, results: List[FileResult], cwd: str) -> int:
        """Drop the findings of ``results`` on unchanged lines; how many were dropped
        (suppressed ones are not counted: they were hidden already)."""
        hidden = 0
        for r in results:
            if not r.findings:
                continue
            fs_path = r.source.fs_path if r.source is not None and r.source.fs_path else os.path.join(cwd, r.path)
            lines = self.lines_of(fs_path)
            if lines is None:
                continue
            kept = [f for f in r.findings if f.line in lines]
            hidden += sum(1 for f in r.findings if not f.suppressed) - sum(1 for f in kept if not f.suppressed)
            r.findings = kept
        return hidden
