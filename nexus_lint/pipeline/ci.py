"""The CI context of a file (POLICY.md "CI context"): which files a pipeline
includes, which scripts it runs.

A file is CI context by its kind (a CI file), by where it lives (``ci/``,
``.ci/`` ...) or because a CI file runs it as a script.  What is special
to a CI system comes from the file kinds, through the ``ci_*`` fields of
:class:`~nexus_lint.kinds.base.FileKind`: where its CI files are, the root
files of a pipeline and what they include, the scripts a CI file runs.  No
kind is named here.

The CI files are looked up at each repository root, whether or not they
were named on the command line, so a pre-commit run on one script knows that
the pipeline runs it.  They are read only when a file that could be a script
(a ``runnable`` kind) is checked, and a CI file is parsed only when its bytes
mention the name of such a file (the name of a script a CI line runs always
stands in it); a root file is parsed for its includes only when its bytes
hold one of its kind's ``ci_include_tokens``.  What a CI file includes and
runs is kept in the result cache by its bytes.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional, Set, Tuple

from nexus_lint.core.source import decode
from nexus_lint.kinds.base import Classifier, FileContext, FileKind, ci_context, resolve
from nexus_lint.pipeline.discovery import Repositories

TARGET = "\0"  # between a Makefile's path and a target in what ``ci_scripts`` gives (tools.scripts.TARGET)


class CIFile:
    """One CI file of a repository, read for the scripts it runs.  (A plain
    class: a dataclass costs start-up time.)"""

    __slots__ = ("root", "path", "kind", "data", "display", "scripts")

    def __init__(self, root: str, path: str, kind: FileKind, data: bytes, display: str) -> None:
        self.root = root  # the repository
        self.path = path  # absolute
        self.kind = kind
        self.data = data
        self.display = display  # the path a "run by" reason shows
        self.scripts: Optional[Set[str]] = None  # absolute paths of the scripts it runs, once parsed


class CIContext:
    """The CI files of the repositories a run meets, read on first need.

    ``cache`` is the run's result cache slot: ``current`` is the open
    :class:`~nexus_lint.pipeline.cache.ResultCache` (or None), ``lazy()``
    also opens it when the run allows that.
    """

    def __init__(self, classifier: Classifier, hosts: Tuple[str, ...], max_file_size: int,
                 repos: Repositories, cache) -> None:
        self.classifier = classifier
        self.hosts = hosts
        self.max_file_size = max_file_size
        self.repos = repos
        self.cache = cache
        self.roots: Set[str] = set()  # repositories whose CI files may run the files checked
        self.cwd = os.getcwd()
        self._files: Optional[List[CIFile]] = None  # the CI files of the roots, in path order
        self._included: Dict[Tuple[str, str], Set[str]] = {}  # (root, kind) -> absolute paths
        # the kinds whose pipelines include files, with the extensions of their root files
        self._include_kinds = [(k, _extensions(k.ci_roots)) for k in classifier.kinds if k.ci_includes and k.ci_roots]
        self._has_scripts = any(k.ci_scripts for k in classifier.kinds)

    def context_for(self, relpath: str, display: str, kind: FileKind, fs_path: Optional[str] = None) -> FileContext:
        is_ci, reason = ci_context(relpath, kind)
        targets: Tuple[str, ...] = ()
        if not is_ci and fs_path is not None and kind.runnable and self.roots:
            runner = self._runner(os.path.abspath(fs_path))
            if runner is not None:
                is_ci, reason = True, f"run by {runner}"
        elif not is_ci and fs_path is not None and kind.ci_targets and self.roots:
            found = self._targets(os.path.abspath(fs_path))
            if found is not None:
                runner, targets = found
                shown = ", ".join(f"`{t}`" if t else "the default goal" for t in targets)
                reason = f"{'target' if len(targets) == 1 and targets[0] else 'targets'} {shown} run by {runner}"
                if targets == ("",):
                    reason = f"the default goal run by {runner}"
        return FileContext(path=display, kind=kind.name, is_ci=is_ci, ci_reason=reason, hosts=self.hosts,
                           ci_targets=targets)

    # -- includes -------------------------------------------------------------------------
    def including_kind(self, relpath: str, fs_path: str) -> Optional[FileKind]:
        """The kind of the pipeline of the file's repository that includes it, if
        one does (``include: ci/build.yml``)."""
        low = relpath.lower()
        for kind, extensions in self._include_kinds:
            if (low.endswith(extensions)
                    and os.path.normpath(os.path.abspath(fs_path)) in self.included(self.repos.root_of(fs_path), kind)):
                return kind
        return None

    def included(self, root: str, kind: FileKind) -> Set[str]:
        """Absolute paths of the files the root files of ``kind`` include locally,
        following includes of includes (read once per repository)."""
        found = self._included.get((root, kind.name))
        if found is not None:
            return found
        from nexus_lint.core.limits import MAX_INCLUDE_FILES
        from nexus_lint.core.repo import repo_glob
        from nexus_lint.core.source import Unreadable, read_file

        found = self._included[(root, kind.name)] = set()
        tokens = tuple(t.encode("ascii") for t in kind.ci_include_tokens)
        todo = [os.path.join(root, name) for name in kind.ci_roots]
        seen: Set[str] = set()
        while todo and len(seen) < MAX_INCLUDE_FILES:
            path = todo.pop(0)
            if path in seen or not os.path.isfile(path):
                continue
            seen.add(path)
            try:  # never blocks on a FIFO, never reads past the size limit or out of the repository
                data = read_file(path, self.max_file_size, root)
            except Unreadable:
                continue
            if tokens and not any(t in data for t in tokens):
                continue
            for pattern in self._local_includes(path, data, kind):
                hits = [h for h in repo_glob(root, pattern, MAX_INCLUDE_FILES)[0] if os.path.lexists(h)]
                if not hits:  # never silently: what the pipeline may run and nobody lints
                    import sys

                    from nexus_lint.pipeline.redact import printable

                    rel = os.path.relpath(path, root).replace(os.sep, "/")
                    sys.stderr.write(f"nexus-lint: warning: {printable(rel)}: include {printable(pattern)!r} "
                                     f"names no file of the repository; whatever it runs is not checked\n")
                for hit in hits:
                    hit = os.path.normpath(hit)
                    if hit not in found:
                        found.add(hit)
                        todo.append(hit)
        return found

    def _local_includes(self, path: str, data: bytes, kind: FileKind) -> List[str]:
        """What one CI file includes locally; kept in the result cache by its
        bytes (a warm run then never imports the YAML parser for it)."""
        cache = self.cache.lazy()
        key = cache.key("ci-includes", path, data) if cache is not None else None
        if key is not None:
            patterns = cache.includes_get(path, key)
            if patterns is not None:
                return patterns
        try:
            patterns = list(resolve(kind.ci_includes)(decode(data)[0]))
        except Exception:  # a broken CI file is reported by its own lint
            patterns = []
        if key is not None:
            cache.includes_put(path, key, patterns)
        return patterns

    # -- scripts --------------------------------------------------------------------------
    def find_scripts(self, fs_paths: Iterable[str], cwd: str) -> None:
        """Learn where the CI files are that may run these files: at the root
        of each one's repository."""
        if not self._has_scripts:
            return
        self.cwd = cwd
        roots = set(self.roots)
        for p in fs_paths:
            root = self.repos.git_root(p)
            if root is not None:
                roots.add(root)
        if roots != self.roots:
            self.roots = roots
            self._files = None

    def _runner(self, target: str) -> Optional[str]:
        """The CI file (display path) that runs ``target`` (absolute), if any: the
        first in path order, as if every CI file had been parsed."""
        if self._files is None:
            self._files = self._list_files()
        name = os.path.basename(target).encode("utf-8", "surrogateescape")
        for ci_file in self._files:
            if ci_file.scripts is None:
                if name not in ci_file.data:
                    continue
                ci_file.scripts = self._scripts_of(ci_file)
            if target in ci_file.scripts:
                return ci_file.display
        return None

    def _targets(self, makefile: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
        """The targets of ``makefile`` (absolute) the CI files run (``""``: the
        default goal), in order, with the first CI file that runs one; None when
        none does."""
        if self._files is None:
            self._files = self._list_files()
        prefix = makefile + TARGET
        runner = None
        found: Dict[str, None] = {}
        for ci_file in self._files:
            if ci_file.scripts is None:
                if b"make" not in ci_file.data:
                    continue
                ci_file.scripts = self._scripts_of(ci_file)
            for entry in sorted(ci_file.scripts):
                if entry.startswith(prefix):
                    found.setdefault(entry[len(prefix):], None)
                    runner = runner or ci_file.display
        return (runner, tuple(found)) if runner is not None else None

    def _list_files(self) -> List[CIFile]:
        import glob

        from nexus_lint.core.source import Unreadable, read_file
        from nexus_lint.pipeline.discovery import display_path

        patterns = [p for k in self.classifier.kinds for p in k.ci_globs]
        out = []
        for root in sorted(self.roots):
            paths = []
            for pattern in patterns:
                paths.extend(glob.glob(os.path.join(root, pattern), recursive=True))
            included: Dict[str, FileKind] = {}
            for kind, _ in self._include_kinds:
                for path in self.included(root, kind):
                    included.setdefault(path, kind)
                    paths.append(path)
            for path in sorted(set(paths)):
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                kind = included.get(os.path.normpath(path)) or self.classifier.by_path(rel)
                if kind is None or not kind.ci_scripts:
                    continue
                try:  # never blocks on a FIFO, never reads past the size limit
                    data = read_file(path, self.max_file_size, root)
                except Unreadable:  # (its own lint says why)
                    continue
                out.append(CIFile(root, path, kind, data, display_path(path, self.cwd)))
        return out

    def _scripts_of(self, ci_file: CIFile) -> Set[str]:
        """Absolute paths of the scripts one CI file runs (cached by its bytes)."""
        cache = self.cache.current
        kind = ci_file.kind
        key = scripts = None
        if cache is not None:
            key = cache.key("ci-scripts", kind.name, kind.ci_scripts, ci_file.path, ci_file.data)
            scripts = cache.ci_get(ci_file.path, key)
        if scripts is None:
            try:
                text, _, _ = decode(ci_file.data)
                scripts = list(resolve(kind.ci_scripts)(text))
            except Exception:  # a broken CI file is reported by its own lint
                scripts = []
            if key is not None:
                cache.ci_put(ci_file.path, key, scripts)
        out = set()
        for script in scripts:
            path, sep, target = script.partition(TARGET)
            out.add(os.path.normpath(os.path.join(ci_file.root, path)) + sep + target)
        return out


def _extensions(names: Tuple[str, ...]) -> Tuple[str, ...]:
    """The extensions of these file names: (".yml", ".yaml")."""
    return tuple(dict.fromkeys("." + n.rsplit(".", 1)[-1].lower() for n in names if "." in n))
