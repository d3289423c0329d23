"""The pipeline behind one object, :class:`Linter`: what the command line and a
library caller use alike, so that both get the same findings for the same
config.

    linter = Linter(load_config(None, Path(".")), cache=True)
    run = linter.check_paths(["."])                 # discover, classify, lint, filter
    run = linter.check_bytes(data, "ci/deploy.sh")  # a text, as if it were that file
    run = linter.fix_paths(["."], diff=True)        # what --fix would write, as diffs

The stages are the modules of this package, in pipeline order:
``discovery`` (which files), ``classify`` (which kind; ``ci``: the CI
context), ``lint`` (read, decode, extract, check), ``filter`` (rule
selection, inline suppressions, per-file ignores, baseline), ``fix``,
``pool`` (many files: cache lookups, a process pool) and ``cache``.  The
calls that lint or fix one text (``lint_bytes``, ``fix`` ...) are here too,
for tools and tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from nexus_lint.checks.base import RuleRegistry
from nexus_lint.config import Config
from nexus_lint.core.model import FileResult, Finding
from nexus_lint.core.source import SourceFile
from nexus_lint.kinds.base import Classifier, FileContext, FileKind
from nexus_lint.pipeline.ci import CIContext
from nexus_lint.pipeline.classify import Classification, file_kinds
from nexus_lint.pipeline.discovery import Candidate, Repositories
from nexus_lint.pipeline.filter import Filter
from nexus_lint.pipeline.lint import FileLinter
from nexus_lint.pipeline.pool import Pool, default_jobs
from nexus_lint.plugins import load_plugins

# Fewer files than this are linted without the cache: reading and rewriting its
# manifest would cost more than it saves (the pre-commit case).
CACHE_MIN_FILES = 20


class Run:
    """What one run gave.  (A plain class: a dataclass costs start-up time.)"""

    __slots__ = ("results", "files_checked", "diffs", "output", "not_written", "applied")

    def __init__(self, results: Optional[List[FileResult]] = None, files_checked: int = 0) -> None:
        self.results: List[FileResult] = results if results is not None else []
        self.files_checked = files_checked
        self.diffs: List[str] = []  # with diff: one unified diff per file the fixes change
        self.output: Optional[bytes] = None  # check_bytes with fix: the bytes to write back (fixed, or as they were)
        self.not_written: List[str] = []  # "path: fix not written: why"
        self.applied: List[Finding] = []  # with fix: the findings whose fixes were written (--show-fixes)


class Linter:
    """The pipeline for one config.  ``select``/``ignore`` add to the config's
    rule selection (as the command line's options do); ``cache``: use the
    project's result cache (``.nexus-lint-cache/``) for runs of enough files;
    ``baseline``: a baseline file whose findings are not reported."""

    def __init__(
        self,
        config: Config,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        extra_plugins: Iterable[object] = (),
        max_file_size: Optional[int] = None,
        timeout: Optional[float] = None,
        *,
        cache: bool = False,
        baseline: Optional[str] = None,
        resolver=None,
        extend_select: Sequence[str] = (),
    ) -> None:
        self.config = config
        # nexus_lint.config.ConfigResolver: each file's own config (the nearest
        # above it); files under another config are linted by a child Linter
        self.resolver = resolver
        self._children: Dict[str, "Linter"] = {}
        self._extra_plugins = tuple(extra_plugins)
        self.policy = config.policy
        # resource bounds (README "What is guaranteed under bad input"): config keys
        # max-file-size and timeout, unless the caller says otherwise
        self.max_file_size = max_file_size if max_file_size is not None else config.max_file_size
        self._select, self._ignore, self._extend = tuple(select), tuple(ignore), tuple(extend_select)
        pm = load_plugins(extra_plugins)
        self.classifier = Classifier(file_kinds(pm, self.policy))
        self.registry = RuleRegistry(c for group in pm.hook.nexus_lint_rules() for c in group)
        _check_rule_ids(self.registry.rules, config, self._select, self._ignore, self._extend)
        self.filter = Filter(self.registry, config, select, ignore, self._extend)
        self.plugins = sorted(
            (name, getattr(pm, "nexus_lint_dists", {}).get(name) or getattr(plugin, "__name__", type(plugin).__name__))
            for name, plugin in pm.list_name_plugin()
        )
        self.use_cache = cache
        self._cache = _CacheSlot(config.root, self.settings_key)
        self.repos = Repositories(config.root)
        self.ci = CIContext(self.classifier, self.policy.nexus_hosts, self.max_file_size, self.repos, self._cache)
        self.classification = Classification(self.classifier, self.ci)
        extract_hook = pm.hook.nexus_lint_extract
        self.files = FileLinter(self.classifier.by_name, self.filter, self.policy, self.ci, self.repos,
                                self.max_file_size, timeout if timeout is not None else config.timeout,
                                extract_hook if extract_hook.get_hookimpls() else None)
        self._fixer = None
        self.pool = Pool(self.files, self.registry.rules, self._worker_spec)
        if baseline is not None:
            self.use_baseline(baseline)

    @property
    def fixer(self):
        """The fix stage (nexus_lint.pipeline.fix.Fixer), imported on first need."""
        if self._fixer is None:
            from nexus_lint.pipeline.fix import Fixer

            self._fixer = Fixer(self.files, self.ci)
        return self._fixer

    @property
    def active(self) -> Set[str]:
        """The ids of the rules this run enables."""
        return self.filter.active

    @property
    def timeout(self) -> float:
        """Seconds of analysis (and of fixing) per file; 0: no limit."""
        return self.files.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self.files.timeout = seconds

    @property
    def _skippable(self) -> Dict[str, bool]:
        """The kinds whose files the prefilter may pass over (name -> bool)."""
        return self.files.skippable

    @_skippable.setter
    def _skippable(self, skippable: Dict[str, bool]) -> None:
        self.files.skippable = skippable

    def use_baseline(self, path: str) -> None:
        """Report only the findings the baseline file ``path`` does not record
        (:class:`~nexus_lint.pipeline.baseline.BaselineError` when it is unusable)."""
        self.filter.use_baseline(path)

    def settings_key(self) -> str:
        """Everything besides a file that its result depends on (the cache's settings)."""
        from nexus_lint.pipeline.cache import settings_key

        return settings_key(self.config, self.active, self.classifier.kinds, self.max_file_size,
                            self.files.prefilter, self.plugins)

    # -- runs ---------------------------------------------------------------------------
    # -- each file under its own config --------------------------------------------------
    @property
    def hidden(self) -> Dict[str, int]:
        """How many findings per-file ignores ("per-file") and the baseline ("baseline") hid."""
        from collections import Counter

        total: Counter = Counter(self.filter.hidden)
        for child in self._children.values():
            total.update(child.filter.hidden)
        return dict(total)

    @property
    def fail_on(self) -> str:
        """The lowest severity that fails the run: the strictest of the configs in force."""
        from nexus_lint.core.model import severity_rank

        levels = [self.config.fail_on] + [c.config.fail_on for c in self._children.values()]
        return min(levels, key=severity_rank)

    def _child(self, config: Config) -> "Linter":
        if config is self.config or (config.path == self.config.path and config.root == self.config.root):
            return self
        key = f"{config.path}\0{config.root}"
        child = self._children.get(key)
        if child is None:
            child = Linter(config, self._select, self._ignore, self._extra_plugins, cache=self.use_cache,
                           extend_select=self._extend)
            self._children[key] = child
        return child

    def _parts(self, paths: Sequence[str], cwd: str) -> Optional[List[Tuple["Linter", List[Candidate]]]]:
        """The files under ``paths`` grouped by the config in force for each (None:
        one config for all, as without a resolver)."""
        if self.resolver is None or not self.resolver.per_file:
            return None
        from nexus_lint.pipeline.discovery import discover, excluded_path, relative_to

        self.resolver.rule_ids = tuple(self.registry.rules)
        groups: Dict[int, Tuple[Linter, List[Candidate]]] = {}
        # the run's config (of the folder the paths share) prunes the walk; each
        # file's own config may exclude it too
        for cand in discover(paths, self.config.exclude, self.config.root, cwd):
            linter = self._child(self.resolver.for_file(cand.fs_path))
            rel = relative_to(cand.fs_path, str(linter.config.root))
            if excluded_path(rel, linter.config.exclude):
                continue
            if rel != cand.relpath:
                cand = Candidate(cand.fs_path, cand.display, rel, cand.explicit)
            groups.setdefault(id(linter), (linter, []))[1].append(cand)
        if len(groups) == 1 and next(iter(groups.values()))[0] is self:
            return [(self, next(iter(groups.values()))[1])]
        return list(groups.values())

    def _merged(self, runs: List[Run], order: Dict[str, int]) -> Run:
        run = Run()
        for r in runs:
            run.results.extend(r.results)
            run.files_checked += r.files_checked
            run.diffs.extend(r.diffs)
            run.not_written.extend(r.not_written)
            run.applied.extend(r.applied)
        run.results.sort(key=lambda r: order.get(r.path, len(order)))
        return run

    def check_paths(self, paths: Sequence[str], cwd: Optional[str] = None, jobs: Optional[int] = None) -> Run:
        """Lint the files under ``paths`` (display paths relative to ``cwd``), in
        ``jobs`` processes (default: one per CPU) once there are enough files."""
        cwd = cwd or os.getcwd()
        parts = self._parts(paths, cwd)
        if parts is None:
            return self._filtered(self._check(None, paths, cwd, jobs), cwd)
        order = {c.display: i for _, cands in parts for i, c in enumerate(cands)}
        run = self._merged([linter._per_file(linter._check(cands, paths, cwd, jobs), cwd) for linter, cands in parts],
                           order)
        return self._baselined(run, cwd)

    def _check(self, cands: Optional[List[Candidate]], paths: Sequence[str], cwd: str, jobs: Optional[int]) -> Run:
        self._cache.may_open = self.use_cache  # classifying may want it (a pipeline's includes)
        try:
            work = self._classified(paths, cwd, cands)
        finally:
            self._cache.may_open = False
        self.ci.find_scripts((c.fs_path for c, _ in work), cwd)
        cache = self._cache.for_run(self.use_cache and len(work) >= CACHE_MIN_FILES)
        run = Run(self.pool.lint_many(work, jobs or default_jobs(), cache), len(work))
        if cache is not None:
            cache.save((c.relpath for c, _ in work), str(self.config.root))
            self._cache.current = None
        return run

    def fix_paths(self, paths: Sequence[str], cwd: Optional[str] = None, unsafe: bool = False,
                  diff: bool = False) -> Run:
        """Lint and fix the files under ``paths`` one at a time (never from the
        cache): in place, or, with ``diff``, into ``Run.diffs`` only."""
        cwd = cwd or os.getcwd()
        parts = self._parts(paths, cwd)
        if parts is None:
            return self._filtered(self._fix(None, paths, cwd, unsafe, diff), cwd)
        order = {c.display: i for _, cands in parts for i, c in enumerate(cands)}
        run = self._merged([linter._per_file(linter._fix(cands, paths, cwd, unsafe, diff), cwd)
                            for linter, cands in parts], order)
        return self._baselined(run, cwd)

    def _fix(self, cands: Optional[List[Candidate]], paths: Sequence[str], cwd: str, unsafe: bool, diff: bool) -> Run:
        work = self._classified(paths, cwd, cands)
        self.ci.find_scripts((c.fs_path for c, _ in work), cwd)
        run = Run(files_checked=len(work))
        for cand, kind in work:
            result = self.files.read(cand, kind)
            run.results.append(self._fix_one(run, result, kind, cand.relpath, unsafe, diff, in_place=True))
        return run

    def check_bytes(self, data: bytes, filename: str, cwd: Optional[str] = None, fix: bool = False,
                    diff: bool = False, unsafe: bool = False) -> Run:
        """Lint ``data`` as if it were the file ``filename`` (standard input);
        with ``fix``, ``Run.output`` holds the bytes to write back."""
        from nexus_lint.pipeline.discovery import display_path, project_relpath

        cwd = cwd or os.getcwd()
        fs_path = os.path.abspath(os.path.join(cwd, filename))
        if self.resolver is not None and self.resolver.per_file:
            self.resolver.rule_ids = tuple(self.registry.rules)
            linter = self._child(self.resolver.for_file(fs_path))
            if linter is not self:
                return linter.check_bytes(data, filename, cwd, fix=fix, diff=diff, unsafe=unsafe)
        rel = project_relpath(filename, self.config.root, cwd)
        kind = self.classification.kind_of(rel, fs_path, data)
        run = Run()
        if kind is not None:
            run.files_checked = 1
            self.ci.find_scripts([fs_path], cwd)
            result = self.files.lint_bytes(display_path(fs_path, cwd), data, kind, rel, fs_path=fs_path)
            if fix or diff:
                result = self._fix_one(run, result, kind, rel, unsafe, diff, in_place=False)
            run.results.append(result)
        if fix and not diff and run.output is None:
            run.output = data
        return self._filtered(run, cwd)

    def write_baseline(self, path: str, run: Run, cwd: Optional[str] = None) -> int:
        """Record the findings of ``run`` in the baseline file ``path``; how many."""
        from nexus_lint.pipeline import baseline

        return baseline.write(path, run.results, self.config.root, cwd)

    def _classified(self, paths: Sequence[str], cwd: str,
                    cands: Optional[List[Candidate]] = None) -> List[Tuple[Candidate, FileKind]]:
        from nexus_lint.pipeline.discovery import discover

        work = []
        if cands is None:
            cands = discover(paths, self.config.exclude, self.config.root, cwd)
        for cand in cands:
            kind = self.classification.classify(cand)
            if kind is not None:
                work.append((cand, kind))
        return work

    def _fix_one(self, run: Run, result: FileResult, kind: FileKind, relpath: str, unsafe: bool, diff: bool,
                 in_place: bool) -> FileResult:
        """Fix one file: its diff into ``run.diffs`` (``diff``), else the fixed
        text written in place or into ``run.output``; returns the result to report."""
        if result.source is None:
            return result
        fixed = self.fix(result, kind, relpath, unsafe)
        if fixed.fixed_text is None or diff:
            result.dropped_fixes = fixed.dropped_fixes
            if fixed.fixed_text is not None:
                from nexus_lint.pipeline.redact import safe_diff  # secrets are redacted in --diff too

                run.diffs.append(safe_diff(result.path, result.source.text, fixed.fixed_text, result.secrets,
                                           fixed.secrets))
            return result
        if not in_place:
            run.output = fixed.source.encode()
            run.applied.extend(_applied(result, fixed, unsafe))
            return fixed
        from nexus_lint.core.fix import atomic_write

        fs_path = result.source.fs_path
        try:
            # never through a link out of the repository, never over a change made meanwhile
            atomic_write(fs_path, fixed.source.encode(), expected=result.source.encode(), root=self.repos.root_of(fs_path))
        except (OSError, UnicodeError) as exc:
            run.not_written.append(f"{result.path}: fix not written: {getattr(exc, 'strerror', None) or exc}")
            return result
        run.applied.extend(_applied(result, fixed, unsafe))
        return fixed

    def _filtered(self, run: Run, cwd: str) -> Run:
        self.filter.run(run.results, cwd)
        return run

    def _per_file(self, run: Run, cwd: str) -> Run:
        self.filter.ignore_per_file(run.results, cwd)
        return run

    def _baselined(self, run: Run, cwd: str) -> Run:
        self.filter.run(run.results, cwd, per_file=False)
        return run

    def show_files(self, paths: Sequence[str], cwd: Optional[str] = None) -> List[Tuple[str, Optional[str], str]]:
        """(display path, kind name or None, why it is skipped) of every file and
        skipped folder under ``paths``, in path order: what a run would lint."""
        from nexus_lint.pipeline.discovery import discover

        cwd = cwd or os.getcwd()
        out: List[Tuple[str, Optional[str], str]] = []
        skipped = lambda display, why: out.append((display, None, why))  # noqa: E731
        for cand in discover(paths, self.config.exclude, self.config.root, cwd, skipped):
            kind = self.classification.classify(cand)
            out.append((cand.display, kind.name if kind else None, "" if kind else "no file kind reads it"))
        out.sort(key=lambda row: row[0])
        return out

    # -- one file at a time (tools and tests) ---------------------------------------------
    def classify(self, cand: Candidate) -> Optional[FileKind]:
        return self.classification.classify(cand)

    def context_for(self, relpath: str, display: str, kind: FileKind, fs_path: Optional[str] = None) -> FileContext:
        return self.ci.context_for(relpath, display, kind, fs_path)

    def read(self, cand: Candidate, kind: FileKind) -> FileResult:
        return self.files.read(cand, kind)

    def lint_bytes(self, display: str, data: bytes, kind: FileKind, relpath: str, fs_path: Optional[str] = None,
                   context: Optional[FileContext] = None) -> FileResult:
        return self.files.lint_bytes(display, data, kind, relpath, fs_path=fs_path, context=context)

    def _lint(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> Tuple[List[Finding], bool]:
        """The findings of one text before the run's filters, and whether it failed to parse."""
        return self.files.lint(source, kind, ctx)

    def fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        return self.fixer.fix(result, kind, relpath, unsafe)

    def lint_many(self, work: Sequence[Tuple[Candidate, FileKind]], jobs: int = 1) -> List[FileResult]:
        """The results of classified files, in order (no run filters, no cache)."""
        return self.pool.lint_many(work, jobs)

    def _worker_spec(self) -> tuple:
        return _worker_pool, (self.config, self._select, self._ignore, self.max_file_size, sorted(self.ci.roots),
                              self.ci.cwd, self._extend)


def _check_rule_ids(rules, config: Config, select: Sequence[str], ignore: Sequence[str],
                    extend: Sequence[str] = ()) -> None:
    """Every rule id or prefix named anywhere must name a rule (ConfigError, exit 2)."""
    from nexus_lint.config import check_selectors

    check_selectors(extend, rules, "--extend-select")
    check_selectors(select, rules, "--select")
    check_selectors(ignore, rules, "--ignore")
    where = str(config.path) if config.path else "config"
    check_selectors(config.select, rules, f"{where}: select")
    check_selectors(config.ignore, rules, f"{where}: ignore")
    for pattern, ids in config.per_file_ignores.items():
        check_selectors(ids, rules, f"{where}: per-file-ignores.{pattern}")


def _applied(before: FileResult, after: FileResult, unsafe: bool) -> List[Finding]:
    """The findings of ``before`` whose fix the fixed text ``after`` carries: those
    eligible (not suppressed; safe, or unsafe too) that it no longer reports."""
    left = {(f.rule.id, f.fix.description) for f in after.findings if f.fix is not None}
    return [f for f in before.findings
            if f.fix is not None and not f.suppressed and (f.fix.safety == "safe" or unsafe)
            and (f.rule.id, f.fix.description) not in left and f.fix.description not in after.dropped_fixes]


def _worker_pool(config: Config, select, ignore, max_file_size: int, ci_roots: List[str], ci_cwd: str,
                 extend=()) -> Pool:
    """In a worker process started without fork: a pool like the parent's."""
    linter = Linter(config, select, ignore, max_file_size=max_file_size, extend_select=extend)
    linter.ci.roots, linter.ci.cwd = set(ci_roots), ci_cwd
    return linter.pool


class _CacheSlot:
    """The result cache of a run: opened on first need, when the run may have one."""

    def __init__(self, root: Path, settings: Callable[[], str]) -> None:
        self.root = root
        self.settings = settings
        self.current = None  # the open nexus_lint.pipeline.cache.ResultCache
        self.may_open = False  # (while classifying: for a pipeline's includes)

    def lazy(self):
        """The open cache, opened now if the run may have one."""
        if self.current is None and self.may_open:
            self.open()
        return self.current

    def open(self):
        if self.current is None:
            from nexus_lint.pipeline.cache import ResultCache

            self.current = ResultCache(str(self.root), self.settings())
            if self.current.refused:  # never silently
                import sys

                sys.stderr.write(f"nexus-lint: warning: result cache not used: {self.current.refused}\n")
        return self.current

    def for_run(self, wanted: bool):
        """The cache a run of files uses: opened when ``wanted``; else one opened
        while classifying is saved (a small run keeps what it learnt) and closed."""
        if wanted:
            return self.open()
        if self.current is not None:
            self.current.save((), str(self.root))
            self.current = None
        return None
