"""Many files: the result cache first, then this process or a process pool.

:meth:`Pool.lint_many` looks results up in the cache and hands the rest to
worker processes once there are enough of them to parse, keeping the order
(and the results) of the serial path.  Only an index travels to a worker
(and the context and cache key when the cache needed them): workers read the
files themselves.
"""

from __future__ import annotations

import itertools
import os
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from nexus_lint.core.model import FileResult
from nexus_lint.core.source import SourceFile, decode
from nexus_lint.kinds.base import FileContext, FileKind
from nexus_lint.pipeline.discovery import Candidate
from nexus_lint.pipeline.lint import FileLinter

# A process pool pays for itself from about this many files to parse (README "Performance").
POOL_MIN_FILES = 48
POOL_BATCH = 16  # files per task sent to a worker


# The records of the pool are plain classes (a named tuple costs start-up time)
# and cross the pipes as plain tuples (which pickle thirty times faster).

class WorkItem:
    """A file to lint, as it goes to a worker."""

    __slots__ = ("index", "context", "digest", "key")

    def __init__(self, index: int, context: Optional[FileContext], digest: Optional[bytes], key: Optional[str]) -> None:
        self.index = index  # the file's place in the run (Pool.work)
        self.context = context  # when the cache lookup made it already
        self.digest = digest  # the content digest the cache key was made from
        self.key = key  # the cache key, when the result may be cached

    def astuple(self) -> tuple:
        return self.index, self.context, self.digest, self.key


class Done:
    """What linting one work item gave."""

    __slots__ = ("index", "key", "result", "reads")

    def __init__(self, index: int, key: Optional[str], result: Optional[FileResult], reads: Optional[list]) -> None:
        self.index = index
        self.key = key
        self.result = result  # None: a worker's short way of saying "nothing found"
        self.reads = reads  # the other files the extractor read (nexus_lint.core.depends); None: do not cache

    def astuple(self) -> tuple:
        return self.index, self.key, self.result, self.reads


def default_jobs() -> int:
    """The processes a run may use: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Pool:
    """Lints the files of a run, in order.  ``spec`` gives what a worker
    started without fork needs to build a pool of its own: ``(function, args)``."""

    def __init__(self, files: FileLinter, rules: Dict[str, object], spec: Callable[[], tuple]) -> None:
        self.files = files
        self.rules = rules  # rule id -> RuleMeta: results from a worker get this process's metadata
        self.spec = spec
        self.work: List[Tuple[Candidate, str]] = []  # the run's files (what a work item's index means)

    def lint_many(self, work: Sequence[Tuple[Candidate, FileKind]], jobs: int = 1, cache=None) -> List[FileResult]:
        """The results of ``work``, in order.

        The result ``cache`` answers for the files it can; the others are
        linted here, or by ``jobs`` processes once ``POOL_MIN_FILES`` of them
        need a parse (the prefilter's answer; the results are the same and in
        the same order).  A result keeps its ``source`` only when it has
        findings, so a large tree is not held in memory.
        """
        results: List[Optional[FileResult]] = [None] * len(work)
        self.work = [(cand, kind.name) for cand, kind in work]
        todo = self._triage(work, results, cache)
        # Read ahead until enough files need a parse to pay for a pool (or to
        # the end); the files the prefilter passes over are settled on the way.
        settled: List[Done] = []
        first: List[Tuple[WorkItem, bytes]] = []
        if jobs > 1:
            self._read_ahead(todo, settled, first)
        if len(first) >= POOL_MIN_FILES:
            # One file of each kind is linted here first, so that the modules
            # its reader imports on first use are imported once, before the
            # workers are forked, rather than once in every worker.  The rest
            # is looked up in the cache while the workers read, prefilter and
            # parse.
            kinds_seen: Set[str] = set()
            warm = [p for p in first if self.work[p[0].index][1] not in kinds_seen
                    and not kinds_seen.add(self.work[p[0].index][1])]
            warm_ids = {id(p) for p in warm}
            rest = [p[0] for p in first if id(p) not in warm_ids]
            del first
            done: Iterable[Done] = itertools.chain(
                settled, (self.lint_item(item, data) for item, data in warm),
                self.pool_map(itertools.chain(rest, (item for item, _ in todo)), jobs))
        else:
            done = itertools.chain(settled, (self.lint_item(item, data) for item, data in itertools.chain(first, todo)))
        rules = self.rules
        for d in done:
            cand, kind_name = self.work[d.index]
            result = d.result
            if result is None:
                result = FileResult(cand.display, [], None, kind_name)
            for f in result.findings:
                f.rule = rules.get(f.rule.id, f.rule)
            results[d.index] = result
            if cache is not None and d.key is not None and d.reads is not None:
                cache.put(cand.relpath, d.key, result, d.reads)
        return results  # type: ignore[return-value]

    def _read_ahead(self, todo: Iterator[Tuple[WorkItem, Optional[bytes]]], settled: List[Done],
                    first: List[Tuple[WorkItem, bytes]]) -> None:
        """Read files from ``todo`` until ``POOL_MIN_FILES`` need a parse (into
        ``first``); those that need none are linted on the way (into ``settled``)."""
        files = self.files
        for item, data in todo:
            cand, kind_name = self.work[item.index]
            kind = files.kinds[kind_name]
            if data is None:
                data, problem = files.read_bytes(cand, kind)
                if problem is not None:
                    settled.append(Done(item.index, item.key, problem, None))
                    continue
            if files.skippable.get(kind.name) and not kind.wanted(data):
                settled.append(self.lint_item(item, data))
                continue
            first.append((item, data))
            if len(first) >= POOL_MIN_FILES:
                break

    def _triage(self, work: Sequence[Tuple[Candidate, FileKind]], results: list,
                cache) -> Iterator[Tuple[WorkItem, Optional[bytes]]]:
        """Fill in ``results`` where the cache answers; yield the other files as
        work items with their bytes when they were read (without a cache:
        neither is needed here)."""
        rules = self.rules
        files = self.files
        for i, (cand, kind) in enumerate(work):
            if cache is None:
                yield WorkItem(i, None, None, None), None
                continue
            data, problem = files.read_bytes(cand, kind)
            if problem is not None:
                results[i] = problem
                continue
            ctx = files.ci.context_for(cand.relpath, cand.display, kind, cand.fs_path)
            key = None
            deps = kind.dependencies(cand.fs_path, data)
            if deps is not None:
                from nexus_lint.core.depends import content_of

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
            yield WorkItem(i, ctx, content_digest(data) if key is not None else None, key), data

    def lint_item(self, item: WorkItem, data: Optional[bytes] = None, in_worker: bool = False) -> Done:
        """Lint the file ``item`` names (reading it unless ``data`` is given).
        ``reads`` are recorded when there is a cache key, None when the file's
        bytes are no longer the ones the key was made from.  In a worker, a
        result with nothing in it travels as None."""
        files = self.files
        index, ctx, key = item.index, item.context, item.key
        cand, kind_name = self.work[index]
        kind = files.kinds[kind_name]
        if data is None:
            data, problem = files.read_bytes(cand, kind)
            if problem is not None:
                return Done(index, key, problem, None)
        if ctx is None:
            ctx = files.ci.context_for(cand.relpath, cand.display, kind, cand.fs_path)
        if key is None:
            reads = None
            result = files.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path, context=ctx)
        else:
            from nexus_lint.core import depends

            with depends.recording() as reads:
                result = files.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path, context=ctx)
            if content_digest(data) != item.digest:
                reads = None
        if not result.findings:
            result.source = None
            if in_worker and result == FileResult(cand.display, [], None, kind_name):
                result = None
        return Done(index, key, result, reads)

    # -- the process pool -----------------------------------------------------------------
    def pool_map(self, todo: Iterable[WorkItem], jobs: int) -> Iterator[Done]:
        """:meth:`lint_item` over ``todo`` in ``jobs`` worker processes, in order.

        A small pool of our own rather than multiprocessing.Pool, whose
        worker-handler thread wakes for every result waiting in its queue (it
        cost this process more CPU than the work it handed out): one pipe per
        worker, batches of ``POOL_BATCH`` files, two batches in flight per
        worker, and the work items made (cache lookups) here as batches are
        needed.  A batch a worker could not finish is linted here.
        """
        import gc

        global _WORKER
        workers = self._start(jobs)
        run = _Batches(self, iter(todo), workers)
        out = 0
        try:
            for conn in list(workers):
                for _ in range(2):
                    run.more = run.more and run.send(conn)
            while workers and (out in run.sent):
                run.collect()
                while out in run.ready:
                    del run.sent[out]
                    yield from run.ready.pop(out)
                    out += 1
            for n in sorted(run.sent):  # no worker left: the rest here
                yield from run.ready.pop(n, None) or run.here(n)
            for item in run.items:
                yield self.lint_item(item)
        finally:
            gc.unfreeze()
            _WORKER = None
            _stop(workers)

    def _start(self, jobs: int) -> Dict[object, "_Worker"]:
        """Start ``jobs`` workers (forked from this process where the platform
        can): their connections, and what each has in hand."""
        import gc
        import multiprocessing
        import sys

        global _WORKER
        fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        mp = multiprocessing.get_context("fork" if fork else None)
        if fork:
            _WORKER, spec = self, None
        else:
            spec = self.spec() + (self.work,)
        workers: Dict[object, _Worker] = {}
        gc.freeze()  # forked workers do not copy the parent's objects just to scan them
        try:
            for _ in range(jobs):
                here, there = mp.Pipe()
                proc = mp.Process(target=_worker_main, args=(there, spec), daemon=True)
                proc.start()
                there.close()
                workers[here] = _Worker(proc)
        except BaseException:
            gc.unfreeze()
            _stop(workers)
            raise
        finally:
            _WORKER = None
        return workers


class _Worker:
    """A worker process, and the batches it has not answered yet."""

    __slots__ = ("proc", "in_hand")

    def __init__(self, proc) -> None:
        self.proc = proc
        self.in_hand: Set[int] = set()


class _Batches:
    """The batches of one :meth:`Pool.pool_map`: sent, and answered."""

    def __init__(self, pool: Pool, items: Iterator[WorkItem], workers: Dict[object, _Worker]) -> None:
        self.pool = pool
        self.items = items  # the work items not sent yet
        self.workers = workers  # connection -> worker
        self.sent: Dict[int, List[WorkItem]] = {}  # batch number -> its items, until its results are handed on
        self.ready: Dict[int, List[Done]] = {}  # batch number -> results not yet handed on
        self.counter = itertools.count()
        self.more = True  # items may be left to send

    def send(self, conn) -> bool:
        """Send the next batch; False when there is nothing left to send."""
        batch = list(itertools.islice(self.items, POOL_BATCH))
        if not batch:
            return False
        n = next(self.counter)
        self.sent[n] = batch
        try:
            conn.send((n, [item.astuple() for item in batch]))
            self.workers[conn].in_hand.add(n)
        except (OSError, ValueError):
            self.ready[n] = self.here(n)
        return True

    def collect(self) -> None:
        """Take in the results of the workers that have some; send them more."""
        from multiprocessing.connection import wait

        for conn in wait(list(self.workers)):
            try:
                n, results = conn.recv()
            except (EOFError, OSError):  # the worker is gone: its batches are done here
                for n in self.workers.pop(conn).in_hand:
                    self.ready[n] = self.here(n)
                continue
            self.workers[conn].in_hand.discard(n)
            self.ready[n] = [Done(*r) for r in results] if results is not None else self.here(n)
            if self.more:
                self.more = self.send(conn)

    def here(self, n: int) -> List[Done]:
        """Batch ``n`` linted in this process."""
        return [self.pool.lint_item(item) for item in self.sent[n]]


def _stop(workers: Dict[object, _Worker]) -> None:
    for conn in workers:
        try:
            conn.send(None)
            conn.close()
        except (OSError, ValueError):
            pass
    for worker in workers.values():
        worker.proc.join(1)
        if worker.proc.is_alive():
            worker.proc.terminate()


_WORKER: Optional[Pool] = None


def _worker_main(conn, spec) -> None:
    """A pool worker: lint the batches it is sent until it is sent None.  It
    has the parent's pool (fork), or builds one from ``spec``:
    ``(function, args, work)``."""
    global _WORKER
    if spec is not None:
        build, args, work = spec
        _WORKER = build(*args)
        _WORKER.work = work
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        n, batch = msg
        try:
            results: Optional[List[tuple]] = [_WORKER.lint_item(WorkItem(*item), in_worker=True).astuple()
                                              for item in batch]
        except Exception:  # the parent lints this batch itself, and sees what goes wrong
            results = None
        try:
            conn.send((n, results))
        except (OSError, ValueError):
            return


def content_digest(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).digest()
