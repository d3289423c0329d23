"""Finding the files to lint: git-aware, honouring .gitignore and config excludes.

Explicitly named files are always linted (unless a config ``exclude`` matches,
so a pre-commit hook respects the project's excludes); folders are walked
without following symlinked folders, skipping VCS folders, nexus-lint's cache
and whatever ``.gitignore`` files (and ``.git/info/exclude``) ignore, except
the files git tracks (``git ls-files``, asked once a walk, only when an ignore
rule hides something): those are in every clone, so they are always linted.
"""

from __future__ import annotations

import os
from nexus_lint.core.record import record
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.repo import git_root

from nexus_lint.pipeline import CACHE_DIR

SKIP_DIRS = frozenset({".git", ".hg", ".svn", CACHE_DIR})


@record(frozen=True)
class Candidate:
    fs_path: str  # path to open
    display: str  # "/"-separated path for reports (relative to the working folder when inside it)
    relpath: str  # "/"-separated path relative to the walk root's project (for kind globs)
    explicit: bool


def _under(path: str, base: str) -> Optional[str]:
    """``path`` relative to ``base`` when it lies inside it (both absolute and
    normalised), by slicing: os.path.relpath costs more than the rest of the
    walk per file."""
    if path.startswith(base):
        n = len(base)
        if len(path) == n:
            return "."
        if path[n] == os.sep:
            return path[n + 1:]
        if base.endswith(os.sep):
            return path[n:]
    return None


def display_path(path: str, cwd: str) -> str:
    absolute = os.path.abspath(path)
    inside = _under(absolute, cwd)
    if inside is not None:
        return inside.replace(os.sep, "/")
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:
        rel = absolute
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = absolute
    return rel.replace(os.sep, "/")


def project_relpath(path: str, root: Path, cwd: Optional[str] = None) -> str:
    """``path`` (relative to ``cwd``, by default the working folder) relative to
    the project ``root``, "/"-separated (absolute when it cannot be)."""
    absolute = os.path.abspath(os.path.join(cwd, path) if cwd else path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:
        rel = absolute
    return rel.replace(os.sep, "/")


class Repositories:
    """The repositories files belong to: git roots, remembered per folder."""

    def __init__(self, fallback: Path) -> None:
        self.fallback = fallback  # the root of a file in no git repository (the config's root)
        self._memo: dict = {}

    def git_root(self, fs_path: str) -> Optional[str]:
        return git_root(os.path.dirname(os.path.abspath(fs_path)), self._memo)

    def root_of(self, fs_path: str) -> str:
        """The repository a file belongs to (symbolic links out of it are not
        followed): its git root, else the fallback."""
        return self.git_root(fs_path) or os.path.abspath(str(self.fallback))


class _Ignore:
    """The .gitignore rules in force in one folder (inherited downwards)."""

    __slots__ = ("specs",)

    def __init__(self, specs: Tuple[Tuple[str, object], ...] = ()) -> None:
        self.specs = specs  # (folder, GitIgnoreSpec) from the top down

    def child(self, folder: str) -> "_Ignore":
        spec = _load_spec(os.path.join(folder, ".gitignore"))
        if spec is None:
            return self
        return _Ignore(self.specs + ((folder, spec),))

    def with_file(self, folder: str, path: str) -> "_Ignore":
        spec = _load_spec(path)
        return self if spec is None else _Ignore(self.specs + ((folder, spec),))

    def ignored(self, path: str, is_dir: bool) -> bool:
        result = False
        for folder, spec in self.specs:
            rel = _under(path, folder)
            if rel is None:
                continue
            rel = rel.replace(os.sep, "/")
            if is_dir:
                rel += "/"
            res = spec.check_file(rel)  # type: ignore[attr-defined]
            if res.include is not None:
                result = bool(res.include)
        return result


MAX_IGNORE_BYTES = 4 * 1024 * 1024  # a larger .gitignore is not read (nor /dev/zero behind a link)


def _load_spec(path: str):
    from nexus_lint.core.source import read_in_repository

    if not os.path.lexists(path):
        return None
    data = read_in_repository(path, MAX_IGNORE_BYTES)  # regular files only, never out of the repository
    if data is None:
        return None
    lines = data.decode("utf-8", "replace").splitlines()
    if not any(l.strip() and not l.lstrip().startswith("#") for l in lines):
        return None
    from pathspec import GitIgnoreSpec  # lazy: only when a .gitignore exists

    return GitIgnoreSpec.from_lines(lines)


def _excluded(relpath: str, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    import fnmatch

    name = relpath.rsplit("/", 1)[-1]
    for pat in patterns:
        p = pat.rstrip("/")
        if fnmatch.fnmatchcase(relpath, p) or fnmatch.fnmatchcase(name, p):
            return True
        if relpath.startswith(p + "/") or fnmatch.fnmatchcase(relpath, p + "/*"):
            return True
    return False


def relative_to(path: str, root: str) -> str:
    """``path`` (absolute) relative to ``root``, "/"-separated."""
    return _rel(path, root)


def excluded_path(relpath: str, patterns: Sequence[str]) -> bool:
    """Whether a config ``exclude`` covers the file ``relpath`` or a folder above it
    (what a walk that prunes excluded folders would skip)."""
    if not patterns:
        return False
    if _excluded(relpath, patterns):
        return True
    parts = relpath.split("/")
    return any(_excluded("/".join(parts[:i]), patterns) for i in range(1, len(parts)))


def _ignore_for(folder: str) -> _Ignore:
    """Rules from the git root down to ``folder`` (inclusive)."""
    root = git_root(folder)
    if root is None:
        return _Ignore().child(folder)
    ign = _Ignore().with_file(root, os.path.join(root, ".git", "info", "exclude"))
    chain = []
    here = os.path.abspath(folder)
    while True:
        chain.append(here)
        if here == root:
            break
        here = os.path.dirname(here)
    for d in reversed(chain):
        ign = ign.child(d)
    return ign


def discover(paths: Sequence[str], exclude: Sequence[str], config_root: Path, cwd: Optional[str] = None,
             skipped: Optional[Callable[[str, str], None]] = None) -> Iterator[Candidate]:
    """The files under ``paths``; ``skipped(display, why)`` hears of each file or
    folder the walk passes over (``check --show-files``)."""
    cwd = cwd or os.getcwd()
    root = str(config_root)
    seen = set()
    for given in paths:
        absolute = os.path.abspath(given)
        if os.path.isdir(absolute):
            yield from _walk(absolute, exclude, root, cwd, seen, skipped)
        else:
            rel = _rel(absolute, root)
            if _excluded(rel, exclude) or absolute in seen:
                if skipped is not None and absolute not in seen:
                    skipped(display_path(absolute, cwd), "excluded by the config's exclude")
                continue
            seen.add(absolute)
            yield Candidate(absolute, display_path(absolute, cwd), rel, True)


def _rel(path: str, root: str) -> str:
    rel = _under(path, root) if path.startswith(root) else path
    if rel is None:
        rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/")


def tracked_files(top: str) -> Tuple[set, set]:
    """The files git tracks under the folder ``top`` (absolute paths) and the
    folders that hold them: a tracked file is linted whatever ``.gitignore``
    says (it is in every clone).  Empty outside a git work tree."""
    import subprocess

    if git_root(top) is None:
        return set(), set()
    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "-z", "--cached", "--", "."], capture_output=True,
                             timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return set(), set()
    if out.returncode != 0:
        return set(), set()
    files, folders = set(), set()
    for raw in out.stdout.split(b"\0"):
        if not raw:
            continue
        path = os.path.join(top, os.fsdecode(raw).replace("/", os.sep))
        files.add(path)
        folder = os.path.dirname(path)
        while len(folder) > len(top) and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return files, folders


def _walk(top: str, exclude: Sequence[str], root: str, cwd: str, seen: set,
          skipped: Optional[Callable[[str, str], None]] = None) -> Iterator[Candidate]:
    def skip(path: str, why: str, folder: bool = False) -> None:
        if skipped is not None:
            skipped(display_path(path, cwd) + ("/" if folder else ""), why)

    stack: List[Tuple[str, _Ignore]] = [(top, _ignore_for(top))]
    tracked, tracked_dirs = None, None
    while stack:
        folder, ign = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:  # never silently: its files go unchecked
            import sys

            from nexus_lint.pipeline.redact import printable

            sys.stderr.write(f"nexus-lint: warning: cannot list {printable(display_path(folder, cwd))}: "
                             f"{exc.strerror or exc}; its files are not checked\n")
            continue
        subdirs = []
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS:
                    skip(path, "never walked (version control or cache folder)", folder=True)
                    continue
                rel = _rel(path, root)
                if _excluded(rel, exclude):
                    skip(path, "excluded by the config's exclude", folder=True)
                    continue
                if ign.ignored(path, True):
                    if tracked is None:
                        tracked, tracked_dirs = tracked_files(top)
                    if path not in tracked_dirs:
                        skip(path, "ignored by git (.gitignore)", folder=True)
                        continue
                subdirs.append(path)
            else:
                # Files, symbolic links (to files, folders, nowhere) and FIFOs,
                # sockets, devices: the engine reads only regular files inside
                # the repository and reports the others of a known kind as NX000.
                rel = _rel(path, root)
                if path in seen:
                    continue
                if _excluded(rel, exclude):
                    skip(path, "excluded by the config's exclude")
                    continue
                if ign.ignored(path, False):
                    if tracked is None:  # (asked once, and only when .gitignore hides something)
                        tracked, tracked_dirs = tracked_files(top)
                    if path not in tracked:
                        skip(path, "ignored by git (.gitignore)")
                        continue
                seen.add(path)
                yield Candidate(path, display_path(path, cwd), rel, False)
        for sub in reversed(subdirs):
            stack.append((sub, ign.child(sub)))
