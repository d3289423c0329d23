"""The pipeline: classify -> extract -> facts -> checks -> findings -> suppress -> fix.

Speed (README "Performance"): a file whose bytes contain none of its kind's
prefilter tokens is decoded but not parsed (:meth:`Linter.lint_bytes`);
:meth:`Linter.lint_many` looks results up in the cache and hands the rest to
a process pool once there are enough of them, keeping the order of the
serial path; the CI files are read for the scripts they run only when a file
that could be such a script is checked, and parsed only when they mention it.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from nexus_lint.pipeline import redact; from nexus_lint.core import suppress
from nexus_lint.checks.nx000_parse_error import NX000
from nexus_lint.config import Config
from nexus_lint.pipeline.discovery import Candidate, git_root
from nexus_lint.kinds.base import Classifier, FileContext, FileKind, ci_context
from nexus_lint.core.model import SAFE, Facts, Finding, Fix, ParseProblem
from nexus_lint.plugins import load_plugins
from nexus_lint.checks.base import CheckContext, RuleRegistry, selected
from nexus_lint.core.source import DecodeError, SourceFile, decode

MAX_FIX_PASSES = 10
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
SHEBANG_PEEK = 256
# A process pool pays for itself from about this many files to parse (README "Performance").
POOL_MIN_FILES = 48
POOL_BATCH = 16  # files per task sent to a worker


@dataclass
class FileResult:
    path: str
    findings: List[Finding]
    source: Optional[SourceFile] = None
    kind: Optional[str] = None
    fixed_text: Optional[str] = None  # set when fixes changed the text
    fixes_applied: int = 0
    dropped_fixes: List[str] = field(default_factory=list)
    # the file could not be read or parsed (also when NX000 is not selected): never fixed
    parse_failed: bool = False
    # where the secrets of the (fixed) text stand: positions only, never a value
    secrets: Tuple[Tuple[int, int], ...] = ()


class Linter:
    def __init__(
        self,
        config: Config,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        extra_plugins: Iterable[object] = (),
        max_file_size: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> None:
        self.config = config
        self.policy = config.policy
        # resource bounds (README "What is guaranteed under bad input"): config keys
        # max-file-size and timeout, unless the caller says otherwise
        self.max_file_size = max_file_size if max_file_size is not None else config.max_file_size
        self.timeout = timeout if timeout is not None else config.timeout
        self._select, self._ignore = tuple(select), tuple(ignore)
        pm = load_plugins(extra_plugins)
        kinds: List[FileKind] = [k for group in pm.hook.nexus_lint_file_kinds() for k in group]
        # A kind whose prefilter looks for "nexus" also looks for the policy's
        # own host names when they do not say "nexus" (artifacts.example.com).
        hosts = tuple(h for h in self.policy.nexus_hosts if "nexus" not in h and h.isascii())
        if hosts:
            kinds = [dataclasses.replace(k, tokens=k.tokens + hosts) if k.tokens and "nexus" in k.tokens else k
                     for k in kinds]
        self.classifier = Classifier(kinds)
        self.registry = RuleRegistry(c for group in pm.hook.nexus_lint_rules() for c in group)
        sel = tuple(select) or config.select
        ign = tuple(ignore) + tuple(config.ignore)
        self.active: Set[str] = {rid for rid in self.registry.rules if selected(rid, sel, ign)}
        self.checks = [c for c in self.registry.checks if any(r.id in self.active for r in c.rules)]
        self.ci_scripts: dict = {}  # absolute script path -> the CI file that runs it
        extract_hook = pm.hook.nexus_lint_extract
        self._extra_extract = extract_hook if extract_hook.get_hookimpls() else None
        # The prefilter may skip a parse when some rule other than NX000 is on
        # (NX000 alone asks for every parse error) and no plugin adds facts of
        # its own to files of any kind.
        self.prefilter = self._extra_extract is None and bool(self.active - {NX000.id})
        nx000 = NX000.id in self.active
        # kinds whose files the prefilter may pass over (name -> bool)
        self._skippable = {
            k.name: self.prefilter and k.tokens is not None and not (nx000 and k.nx000_needs_parse)
            for k in self.classifier.kinds
        }
        self.plugins = sorted(
            (name, getattr(pm, "nexus_lint_dists", {}).get(name) or getattr(plugin, "__name__", type(plugin).__name__))
            for name, plugin in pm.list_name_plugin()
        )
        self.cache = None  # a nexus_lint.pipeline.cache.ResultCache, set by the CLI
        # opens that cache on first need before the CLI decides to (while classifying)
        self.cache_opener: Optional[Callable[[], object]] = None
        self._ci_roots: Set[str] = set()
        self._ci_cwd = os.getcwd()
        self._ci_files: Optional[List[list]] = None  # [root, path, kind, bytes, scripts or None], in order
        self._git_roots: dict = {}
        # GitLab CI files a pipeline includes by any name (ci/build.yml): root -> absolute paths
        self._ci_kind = next((k for k in kinds if k.name == "gitlab-ci"), None)
        self._included: dict = {}
        self._files: List[Tuple[Candidate, str]] = []  # lint_many's files (what a work item's index means)

    def settings_key(self) -> str:
        """Everything besides a file that its result depends on (the cache's settings)."""
        from nexus_lint import __version__
        from nexus_lint.pipeline.cache import FORMAT, content_of, digest

        cfg = self.config
        kinds = [(k.name, k.tokens, k.nx000_needs_parse, k.runnable) for k in self.classifier.kinds]
        return digest(
            "nexus-lint", __version__, FORMAT, _code_stamp(), sorted(self.active), repr(self.policy),
            self.max_file_size, self.prefilter, self.plugins, kinds, str(cfg.path) if cfg.path else None,
            content_of(str(cfg.path)) if cfg.path else b"",
        )

    # -- classification -------------------------------------------------------
    def classify(self, cand: Candidate) -> Optional[FileKind]:
        kind = self.classifier.by_path(cand.relpath)
        if kind is None and self.classifier.wants_shebang(cand.relpath):
            from nexus_lint.core.source import read_head

            head = read_head(cand.fs_path, SHEBANG_PEEK)  # never blocks on a FIFO
            if head is None:
                return None
            kind = self.classifier.by_shebang(head)
        return self.included_kind(kind, cand.relpath, cand.fs_path)

    def included_kind(self, kind: Optional[FileKind], relpath: str, fs_path: str) -> Optional[FileKind]:
        """GitLab CI for a YAML file the repository's pipeline includes, whatever
        its name (``include: ci/build.yml``); ``kind`` otherwise."""
        if (kind is not None and not kind.ci and self._ci_kind is not None
                and relpath.lower().endswith((".yml", ".yaml"))
                and os.path.normpath(os.path.abspath(fs_path)) in self._ci_includes(fs_path)):
            return self._ci_kind
        return kind

    def _ci_includes(self, fs_path: str) -> Set[str]:
        """Absolute paths of the files the repository's ``.gitlab-ci.yml``
        includes locally, following includes of includes (read once per
        repository, parsed only when it says ``include``)."""
        root = self.repo_root(fs_path)
        found = self._included.get(root)
        if found is not None:
            return found
        from nexus_lint.core.repo import repo_glob
        from nexus_lint.core.limits import MAX_INCLUDE_FILES
        from nexus_lint.core.source import Unreadable, read_file

        found = self._included[root] = set()
        todo = [os.path.join(root, name) for name in (".gitlab-ci.yml", ".gitlab-ci.yaml")]
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
            if b"include" not in data:
                continue
            patterns = self._local_includes(path, data)
            for pattern in patterns:
                for hit in repo_glob(root, pattern, MAX_INCLUDE_FILES)[0]:
                    hit = os.path.normpath(hit)
                    if hit not in found:
                        found.add(hit)
                        todo.append(hit)
        return found

    def context_for(self, relpath: str, display: str, kind: FileKind, fs_path: Optional[str] = None) -> FileContext:
        is_ci, reason = ci_context(relpath, kind)
        if not is_ci and fs_path is not None and kind.runnable and (self.ci_scripts or self._ci_roots):
            runner = self._ci_runner(os.path.abspath(fs_path))
            if runner is not None:
                is_ci, reason = True, f"run by {runner}"
        return FileContext(path=display, kind=kind.name, is_ci=is_ci, ci_reason=reason, hosts=self.policy.nexus_hosts)

    # -- CI context of scripts ---------------------------------------------------
    def find_ci_scripts(self, fs_paths: Iterable[str], cwd: str) -> None:
        """Learn where the CI files are that may run these files (POLICY.md "CI context").

        The CI files are looked up at each repository root, whether or not they
        were named on the command line, so a pre-commit run on one script knows
        that the pipeline runs it.  They are read only when a file that could be
        a script (a ``runnable`` kind) is checked, and a CI file is parsed only
        when its bytes mention the name of such a file (the name of a script a
        CI line runs always stands in it).
        """
        if not any(k.ci_scripts for k in self.classifier.kinds):
            return
        self._ci_cwd = cwd
        roots = set(self._ci_roots)
        for p in fs_paths:
            root = git_root(os.path.dirname(os.path.abspath(p)), self._git_roots)
            if root is not None:
                roots.add(root)
        if roots != self._ci_roots:
            self._ci_roots = roots
            self._ci_files = None

    def _ci_runner(self, target: str) -> Optional[str]:
        """The CI file (display path) that runs ``target`` (absolute), if any: the
        first in path order, as if every CI file had been parsed."""
        runner = self.ci_scripts.get(target)
        if runner is not None or not self._ci_roots:
            return runner
        if self._ci_files is None:
            self._ci_files = self._list_ci_files()
        name = os.path.basename(target).encode("utf-8", "surrogateescape")
        for entry in self._ci_files:
            if entry[4] is None:
                if name not in entry[3]:
                    continue
                entry[4] = self._scripts_of(entry)
            if target in entry[4]:
                return entry[5]
        return None

    def _local_includes(self, path: str, data: bytes) -> List[str]:
        """What one CI file includes locally; kept in the result cache by its
        bytes (a warm run then never imports the YAML parser for it)."""
        cache = self.cache if self.cache is not None else (self.cache_opener() if self.cache_opener else None)
        key = cache.key("ci-includes", path, data) if cache is not None else None
        if key is not None:
            patterns = cache.includes_get(path, key)
            if patterns is not None:
                return patterns
        from nexus_lint.kinds.gitlab import local_includes

        try:
            patterns = local_includes(decode(data)[0])
        except Exception:  # a broken CI file is reported by its own lint
            patterns = []
        if key is not None:
            cache.includes_put(path, key, patterns)
        return patterns

    def _list_ci_files(self) -> List[list]:
        import glob

        from nexus_lint.pipeline.discovery import display_path

        out = []
        for root in sorted(self._ci_roots):
            ci_files = []
            for pattern in (".gitlab-ci.yml", ".gitlab-ci.yaml", ".gitlab/**/*.yml", ".gitlab/**/*.yaml",
                            ".github/workflows/*.yml", ".github/workflows/*.yaml",
                            "Jenkinsfile", "Jenkinsfile[._-]*", "*.jenkinsfile", ".jenkins/Jenkinsfile*"):
                ci_files.extend(glob.glob(os.path.join(root, pattern), recursive=True))
            included = self._ci_includes(os.path.join(root, ".gitlab-ci.yml")) if self._ci_kind else set()
            ci_files.extend(included)
            for ci_file in sorted(set(ci_files)):
                rel = os.path.relpath(ci_file, root).replace(os.sep, "/")
                kind = self._ci_kind if os.path.normpath(ci_file) in included else self.classifier.by_path(rel)
                if kind is None or not kind.ci_scripts:
                    continue
                from nexus_lint.core.source import Unreadable, read_file

                try:  # never blocks on a FIFO, never reads past the size limit
                    data = read_file(ci_file, self.max_file_size, root)
                except Unreadable:  # (its own lint says why)
                    continue
                out.append([root, ci_file, kind, data, None, display_path(ci_file, self._ci_cwd)])
        return out

    def _scripts_of(self, entry: list) -> Set[str]:
        """Absolute paths of the scripts one CI file runs (cached by its bytes)."""
        root, ci_file, kind, data, _, _ = entry
        key = None
        scripts = None
        if self.cache is not None:
            key = self.cache.key("ci-scripts", kind.name, kind.ci_scripts, ci_file, data)
            scripts = self.cache.ci_get(ci_file, key)
        if scripts is None:
            try:
                text, _, _ = decode(data)
                module, _, func = kind.ci_scripts.partition(":")
                import importlib

                scripts = list(getattr(importlib.import_module(module), func)(text))
            except Exception:  # a broken CI file is reported by its own lint
                scripts = []
            if key is not None:
                self.cache.ci_put(ci_file, key, scripts)
        return {os.path.normpath(os.path.join(root, script)) for script in scripts}

    # -- reading --------------------------------------------------------------
    def read_bytes(self, cand: Candidate, kind: FileKind) -> Tuple[Optional[bytes], Optional[FileResult]]:
        """The file's bytes, or the NX000 result that says why they cannot be had
        (too large, not a regular file, a symbolic link out of the repository, a
        link loop, vanished, unreadable: :func:`nexus_lint.core.source.read_file`)."""
        from nexus_lint.core.source import Unreadable, read_file

        try:
            data = read_file(cand.fs_path, self.max_file_size, self.repo_root(cand.fs_path))
        except Unreadable as exc:
            return None, self._problem(cand.display, kind, str(exc))
        return data, None

    def repo_root(self, fs_path: str) -> str:
        """The repository a file belongs to (symbolic links out of it are not
        followed): its git root, else the config's root."""
        root = git_root(os.path.dirname(os.path.abspath(fs_path)), self._git_roots)
        return root or os.path.abspath(str(self.config.root))

    def read(self, cand: Candidate, kind: FileKind) -> FileResult:
        data, problem = self.read_bytes(cand, kind)
        if problem is not None:
            return problem
        return self.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path)

    def _problem(self, display: str, kind: FileKind, message: str) -> FileResult:
        finding = Finding(NX000, display, 0, 0, message)
        finding.line, finding.column, finding.end_line, finding.end_column = 1, 1, 1, 1
        if NX000.id not in self.active:
            return FileResult(display, [], kind=kind.name, parse_failed=True)
        return FileResult(display, [finding], kind=kind.name, parse_failed=True)

    def lint_bytes(
        self,
        display: str,
        data: bytes,
        kind: FileKind,
        relpath: str,
        fs_path: Optional[str] = None,
        context: Optional[FileContext] = None,
    ) -> FileResult:
        if self._skippable.get(kind.name) and not kind.wanted(data):
            return self._skipped(display, data, kind)
        try:
            text, encoding, bom = decode(data)
        except DecodeError as exc:
            return self._problem(display, kind, f"cannot read file: {exc}")
        source = SourceFile(display, text, encoding, bom, fs_path)
        ctx = context if context is not None else self.context_for(relpath, display, kind, fs_path)
        from nexus_lint.core.limits import FileTimeout, time_limit

        try:
            with time_limit(self.timeout) as limit:
                findings, failed = self._lint(source, kind, ctx)
        except FileTimeout:  # one pathological file must not stall the run
            limit.fired = True
        if limit.fired:  # (also where something caught the FileTimeout and went on)
            return self._problem(display, kind, f"analysis took longer than the {self.timeout:g} s limit (timeout); not checked")
        return FileResult(display, findings, source, kind.name, secrets=source.secrets, parse_failed=failed)

    def _skipped(self, display: str, data: bytes, kind: FileKind) -> FileResult:
        """A file the prefilter passes over: only whether it is text at all is checked."""
        try:
            decode(data)
        except DecodeError as exc:
            return self._problem(display, kind, f"cannot read file: {exc}")
        return FileResult(display, [], None, kind.name)

    # -- many files -------------------------------------------------------------
    def lint_many(self, work: Sequence[Tuple[Candidate, FileKind]], jobs: int = 1) -> List[FileResult]:
        """The results of ``work``, in order.

        The cache (``self.cache``) answers for the files it can; the others are
        linted here, or by ``jobs`` processes once ``POOL_MIN_FILES`` of them
        need a parse (the prefilter's answer; the results are the same and in
        the same order).  A result keeps its ``source`` only when it has
        findings, so a large tree is not held in memory.
        """
        results: List[Optional[FileResult]] = [None] * len(work)
        self._files = [(cand, kind.name) for cand, kind in work]
        todo = self._triage(work, results)
        # Read ahead until enough files need a parse to pay for a pool (or to
        # the end); the files the prefilter passes over are settled on the way.
        settled: List[tuple] = []
        first: List[Tuple[tuple, bytes]] = []
        if jobs > 1:
            for item, data in todo:
                cand, kind = work[item[0]]
                if data is None:
                    data, problem = self.read_bytes(cand, kind)
                    if problem is not None:
                        settled.append((item[0], item[3], problem, None))
                        continue
                if self._skippable.get(kind.name) and not kind.wanted(data):
                    settled.append(_lint_item(item, self, data))
                    continue
                first.append((item, data))
                if len(first) >= POOL_MIN_FILES:
                    break
        if len(first) >= POOL_MIN_FILES:
            # One file of each kind is linted here first, so that the modules
            # its reader imports on first use are imported once, before the
            # workers are forked, rather than once in every worker.  The rest
            # is looked up in the cache while the workers read, prefilter and
            # parse (they read the files again: only an index travels, and
            # the context and cache key when the cache needed them).
            kinds_seen: Set[str] = set()
            warm = [p for p in first if self._files[p[0][0]][1] not in kinds_seen
                    and not kinds_seen.add(self._files[p[0][0]][1])]
            warm_ids = {id(p) for p in warm}
            rest = [p[0] for p in first if id(p) not in warm_ids]
            del first
            done: Iterable[tuple] = itertools.chain(
                settled, (_lint_item(item, self, data) for item, data in warm),
                self._pool_map(itertools.chain(rest, (item for item, _ in todo)), jobs))
        else:
            done = itertools.chain(settled, (_lint_item(item, self, data) for item, data in itertools.chain(first, todo)))
        cache = self.cache
        rules = self.registry.rules
        for index, key, result, reads in done:
            cand, kind_name = self._files[index]
            if result is None:  # a worker's short way of saying "nothing found"
                result = FileResult(cand.display, [], None, kind_name)
            for f in result.findings:
                f.rule = rules.get(f.rule.id, f.rule)
            results[index] = result
            if cache is not None and key is not None and reads is not None:
                cache.put(cand.relpath, key, result, reads)
        return results  # type: ignore[return-value]

    def _triage(self, work: Sequence[Tuple[Candidate, FileKind]], results: list) -> Iterator[Tuple[tuple, Optional[bytes]]]:
        """Fill in ``results`` where the cache answers; yield the other files as
        work items (index, context, content digest, cache key) with their bytes
        when they were read (without a cache: neither is needed here)."""
        cache = self.cache
        rules = self.registry.rules
        for i, (cand, kind) in enumerate(work):
            if cache is None:
                yield (i, None, None, None), None
                continue
            data, problem = self.read_bytes(cand, kind)
            if problem is not None:
                results[i] = problem
                continue
            ctx = self.context_for(cand.relpath, cand.display, kind, cand.fs_path)
            key = None
            deps = kind.dependencies(cand.fs_path, data)
            if deps is not None:
                from nexus_lint.pipeline.cache import content_of

                key = cache.file_key(kind.name, cand.relpath, cand.display, ctx.is_ci, ctx.ci_reason, data,
                                     [(d, content_of(d)) for d in deps])
                hit = cache.get(cand.relpath, key, cand.display, rules)
                if hit is not None:
                    if hit.findings:
                        text, encoding, bom = decode(data)
                        hit.source = SourceFile(cand.display, text, encoding, bom, cand.fs_path)
                        hit.source.secrets = getattr(hit, "secrets", ())
                    results[i] = hit
                    continue
            yield (i, ctx, _content_digest(data) if key is not None else None, key), data

    def _pool_map(self, todo: Iterable[tuple], jobs: int) -> Iterator[tuple]:
        """``_lint_item`` over ``todo`` in ``jobs`` worker processes, in order.

        A small pool of our own rather than multiprocessing.Pool, whose
        worker-handler thread wakes for every result waiting in its queue (it
        cost this process more CPU than the work it handed out): one pipe per
        worker, batches of ``POOL_BATCH`` files, two batches in flight per
        worker, and the work items made (cache lookups) here as batches are
        needed.  A batch a worker could not finish is linted here.
        """
        import gc
        import multiprocessing
        import sys
        from multiprocessing.connection import wait

        global _WORKER
        fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        mp = multiprocessing.get_context("fork" if fork else None)
        if fork:
            _WORKER, spec = self, None
        else:
            spec = (self.config, self._select, self._ignore, self.max_file_size, self._files,
                    sorted(self._ci_roots), self._ci_cwd)
        items = iter(todo)
        batches: dict = {}  # batch number -> its items, until its results are in
        ready: dict = {}  # batch number -> results not yet handed on
        counter = itertools.count()
        out = 0
        conns = {}
        gc.freeze()  # forked workers do not copy the parent's objects just to scan them
        try:
            for _ in range(jobs):
                here, there = mp.Pipe()
                proc = mp.Process(target=_worker_main, args=(there, spec), daemon=True)
                proc.start()
                there.close()
                conns[here] = [proc, set()]
            _WORKER = None

            def send(conn) -> bool:
                batch = list(itertools.islice(items, POOL_BATCH))
                if not batch:
                    return False
                n = next(counter)
                batches[n] = batch
                try:
                    conn.send((n, batch))
                    conns[conn][1].add(n)
                except (OSError, ValueError):
                    ready[n] = [_lint_item(item, self) for item in batch]
                return True

            more = True
            for conn in list(conns):
                for _ in range(2):
                    more = more and send(conn)
            while conns and (out in batches):
                for conn in wait(list(conns)):
                    try:
                        n, results = conn.recv()
                    except (EOFError, OSError):  # the worker is gone: its batches are done here
                        for n in conns.pop(conn)[1]:
                            ready[n] = [_lint_item(item, self) for item in batches[n]]
                        continue
                    conns[conn][1].discard(n)
                    ready[n] = results if results is not None else [_lint_item(item, self) for item in batches[n]]
                    if more:
                        more = send(conn)
                while out in ready:
                    del batches[out]
                    yield from ready.pop(out)
                    out += 1
            for n in sorted(batches):  # no worker left: the rest here
                yield from ready.pop(n, None) or [_lint_item(item, self) for item in batches[n]]
            for item in items:
                yield _lint_item(item, self)
        finally:
            gc.unfreeze()
            _WORKER = None
            for conn, (proc, _) in conns.items():
                try:
                    conn.send(None)
                    conn.close()
                except (OSError, ValueError):
                    pass
            for conn, (proc, _) in conns.items():
                proc.join(1)
                if proc.is_alive():
                    proc.terminate()

    # -- linting --------------------------------------------------------------
    def extract(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> Facts:
        facts = Facts()
        try:
            for fact in kind.extract(source, ctx) or ():
                facts.add(fact)
        except RecursionError:
            facts.add(ParseProblem("file is too deeply nested to analyse"))
        except Exception as exc:  # an extractor bug must not stop the run
            facts.add(ParseProblem(f"internal error in the {kind.name} reader ({type(exc).__name__}); please report it"))
        if self._extra_extract is not None:
            try:
                for group in self._extra_extract(source=source, context=ctx):
                    for fact in group or ():
                        facts.add(fact)
            except Exception as exc:
                facts.add(ParseProblem(f"internal error in a plugin extractor ({type(exc).__name__})"))
        return facts

    def lint_source(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> List[Finding]:
        return self._lint(source, kind, ctx)[0]

    def _lint(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> Tuple[List[Finding], bool]:
        """The findings, and whether the file failed to parse (whatever rules are selected)."""
        facts = self.extract(source, kind, ctx)
        cctx = CheckContext(ctx.path, kind.name, facts, self.policy, ctx.is_ci, ctx.ci_reason)
        for check in self.checks:
            try:
                check.run(cctx)
            except Exception as exc:
                cctx.report(NX000, 0, 0, f"internal error in check {check.name or check.rules[0].id} ({type(exc).__name__}); please report it")
        failed = bool(facts.problems) or any(f.rule.id == NX000.id for f in cctx.findings)
        findings = [f for f in cctx.findings if f.rule.id in self.active]
        n = len(source.text)
        for f in findings:
            f.start = max(0, min(f.start, n))
            f.end = max(f.start, min(f.end, n))
            f.line, f.column = source.position(f.start)
            f.end_line, f.end_column = source.position(f.end)
        suppress.apply(findings, facts.suppressions, source.line_of)
        # Secrets are never printed: whatever a check wrote, no finding holds one.
        source.secrets = redact.secret_spans(facts)
        if source.secrets or facts.credentials:
            redact.scrub(findings, redact.secret_values(source.text, source.secrets, facts))
        findings.sort(key=lambda f: (f.start, f.rule.id))
        return _dedupe(findings), failed

    # -- fixing ---------------------------------------------------------------
    def fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        """Apply fixes until nothing changes (bounded); never make a parseable file unparseable.

        A file that failed to parse is never fixed, whether or not NX000 is
        selected; fixing that runs past the time limit changes nothing.
        """
        from nexus_lint.core.limits import FileTimeout, time_limit

        if result.source is None or result.parse_failed or any(f.rule.id == NX000.id for f in result.findings):
            return result  # never fix a file that failed to parse
        try:
            with time_limit(self.timeout) as limit:
                fixed = self._fix(result, kind, relpath, unsafe)
        except FileTimeout:
            limit.fired = True
        if limit.fired:
            result.dropped_fixes = [f"fixing took longer than the {self.timeout:g} s limit (timeout); nothing applied"]
            return result
        return fixed

    def _fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        from nexus_lint.core.fix import apply_fixes

        source = result.source
        ctx = self.context_for(relpath, result.path, kind, source.fs_path)
        text = source.text
        findings = result.findings
        applied = 0
        dropped: List[str] = []
        harmful: Set[Fix] = set()
        for _ in range(MAX_FIX_PASSES):
            fixes = [
                f.fix
                for f in findings
                if f.fix and not f.suppressed and (f.fix.safety == SAFE or unsafe) and f.fix not in harmful
            ]
            if not fixes:
                break
            new_text, chosen = apply_fixes(text, fixes)
            if not chosen or new_text == text:
                break
            new_findings, broken = self._lint_text(source, new_text, kind, ctx)
            if broken:
                # Find the culprits one by one; keep the fixes that are harmless.
                kept: List[Fix] = []
                for fx in chosen:
                    trial, _ = apply_fixes(text, kept + [fx])
                    if self._lint_text(source, trial, kind, ctx)[1]:
                        harmful.add(fx)
                        dropped.append(fx.description)
                    else:
                        kept.append(fx)
                if not kept:
                    break
                new_text, chosen = apply_fixes(text, kept)
                new_findings, _ = self._lint_text(source, new_text, kind, ctx)
            applied += len(chosen)
            text, findings = new_text, new_findings
        if text == source.text:
            result.dropped_fixes = dropped
            return result
        fixed_source = SourceFile(source.path, text, source.encoding, source.bom, source.fs_path)
        if result.secrets:  # where they stand in the fixed text (a fix never writes one)
            fixed_source.secrets = redact.secret_spans(self.extract(fixed_source, kind, ctx))
        return FileResult(result.path, findings, fixed_source, kind.name, text, applied, dropped,
                          secrets=fixed_source.secrets)

    def _lint_text(self, source: SourceFile, text: str, kind: FileKind, ctx: FileContext) -> Tuple[List[Finding], bool]:
        """Findings of ``text`` as the file's new content, and whether it fails to parse."""
        return self._lint(SourceFile(source.path, text, source.encoding, source.bom, source.fs_path), kind, ctx)


def _dedupe(findings: List[Finding]) -> List[Finding]:
    """One finding per rule and span: the same literal reached twice (a variable
    used by two commands, an anchor merged into two jobs) is reported once, with
    every use site as a related location."""
    first = {}
    out = []
    for f in findings:
        key = (f.rule.id, f.start, f.end)
        kept = first.get(key)
        if kept is None:
            first[key] = f
            out.append(f)
            continue
        extra = tuple(r for r in f.related if r not in kept.related)
        if extra:
            kept.related = kept.related + extra
        kept.suppressed = kept.suppressed and f.suppressed
    return out


# -- the process pool ---------------------------------------------------------------

_WORKER: Optional[Linter] = None


def _pool_init(spec) -> None:
    """In a worker: the parent's linter (fork) or one built from its settings."""
    global _WORKER
    if spec is not None:
        config, select, ignore, max_file_size, files, ci_roots, ci_cwd = spec
        _WORKER = Linter(config, select, ignore, max_file_size=max_file_size)
        _WORKER._files = files
        _WORKER._ci_roots, _WORKER._ci_cwd = set(ci_roots), ci_cwd


def _worker_main(conn, spec) -> None:
    """A pool worker: lint the batches it is sent until it is sent None."""
    _pool_init(spec)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        n, batch = msg
        try:
            results: Optional[List[tuple]] = [_lint_item(item) for item in batch]
        except Exception:  # the parent lints this batch itself, and sees what goes wrong
            results = None
        try:
            conn.send((n, results))
        except (OSError, ValueError):
            return


def _lint_item(item: tuple, linter: Optional[Linter] = None, data: Optional[bytes] = None) -> tuple:
    """Lint the file ``item`` of :meth:`Linter.lint_many` names (reading it
    unless ``data`` is given): (index, cache key, result, reads).  ``reads``
    are the other files the extractor read (``nexus_lint.core.depends``) when there
    is a cache key, None when the file's bytes are no longer the ones the key
    was made from.  In a worker, a result with nothing in it travels as None."""
    in_worker = linter is None
    linter = linter or _WORKER
    index, ctx, expected, key = item
    cand, kind_name = linter._files[index]
    kind = linter.classifier.by_name[kind_name]
    if data is None:
        data, problem = linter.read_bytes(cand, kind)
        if problem is not None:
            return index, key, problem, None
    if ctx is None:
        ctx = linter.context_for(cand.relpath, cand.display, kind, cand.fs_path)
    if key is None:
        reads = None
        result = linter.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path, context=ctx)
    else:
        from nexus_lint.core import depends

        with depends.recording() as reads:
            result = linter.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path, context=ctx)
        if _content_digest(data) != expected:
            reads = None
    if not result.findings:
        result.source = None
        if in_worker and result == FileResult(cand.display, [], None, kind_name):
            result = None
    return index, key, result, reads


def _code_stamp() -> List[tuple]:
    """The size and time of every module of this package: a cached result is
    not reused by an edited nexus-lint (a source checkout, an editable install)
    whose version number did not change."""
    out = []
    top = os.path.dirname(os.path.abspath(__file__))
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if e.name.endswith(".py"):
                try:
                    st = e.stat()
                except OSError:
                    continue
                out.append((e.path[len(top):], st.st_size, st.st_mtime_ns))
            elif e.is_dir() and not e.name.startswith((".", "_")):
                stack.append(e.path)
    return sorted(out)


def _content_digest(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).digest()
