"""Where a repository is: its git root and the files a pattern names inside it."""

from __future__ import annotations

import os
from typing import List, Optional, Tuple


def git_root(start: str, memo: Optional[dict] = None) -> Optional[str]:
    """The git root at or above folder ``start``.  With ``memo`` (folder ->
    root), every folder on the way up is remembered, so a tree of thousands
    of folders costs one ``stat`` each."""
    memo = {} if memo is None else memo
    here = os.path.abspath(start)
    root = memo.get(here, False)
    if root is not False:
        return root
    passed = []
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            root = memo[here] = here
            break
        passed.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            root = None
            break
        root = memo.get(parent, False)
        if root is not False:
            break
        here = parent
    for folder in passed:
        memo[folder] = root
    return root


def repo_glob(root: str, rel: str, limit: int) -> Tuple[List[str], Optional[List[str]]]:
    """The files ``rel`` names under ``root`` (a path, or a GitLab-style glob
    with ``*``/``**``), at most ``limit``, none that resolves outside ``root``;
    and, for a glob, everything it matched (what a result cache must watch)."""
    matched: Optional[List[str]] = None
    if "*" in rel:
        import glob

        matched = sorted(glob.glob(os.path.join(root, rel), recursive=True))
        found = matched[:limit]
    else:
        found = [os.path.join(root, rel)]
    real_root = os.path.realpath(root)
    inside = [p for p in found
              if os.path.realpath(p) == real_root or os.path.realpath(p).startswith(real_root + os.sep)]
    return inside, matched
