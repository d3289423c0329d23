"""The lint stage: read a file, decode it, extract its facts, run the checks.

Speed (README "Performance"): a file whose bytes contain none of its kind's
prefilter tokens is decoded but not parsed (:meth:`FileLinter.lint_bytes`).
Safety: a file that cannot be read or decoded, or whose analysis runs past
the time limit, is one NX000 finding; an extractor or check that fails is an
NX000 finding and every other file is still checked; whatever a check
writes, no finding holds a secret.  The findings of one file are filtered
(:meth:`~nexus_lint.pipeline.filter.Filter.in_file`), sorted and reported
once per rule and span.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from nexus_lint.checks.base import CheckContext
from nexus_lint.checks.nx000_parse_error import NX000
from nexus_lint.core.model import Facts, FileResult, Finding, ParseProblem
from nexus_lint.core.source import DecodeError, SourceFile, decode
from nexus_lint.kinds.base import FileContext, FileKind
from nexus_lint.pipeline import redact
from nexus_lint.pipeline.ci import CIContext
from nexus_lint.pipeline.discovery import Candidate, Repositories
from nexus_lint.pipeline.filter import Filter
from nexus_lint.policy import Policy


class FileLinter:
    """Lints one file at a time: from its path, its bytes or its text."""

    def __init__(self, kinds: Dict[str, FileKind], filter: Filter, policy: Policy, ci: CIContext,
                 repos: Repositories, max_file_size: int, timeout: float, extra_extract=None) -> None:
        self.kinds = kinds  # by name
        self.filter = filter
        self.policy = policy
        self.ci = ci
        self.repos = repos
        self.max_file_size = max_file_size
        self.timeout = timeout
        self.extra_extract = extra_extract  # the plugins' nexus_lint_extract hook, when one implements it
        # The prefilter may skip a parse when some rule other than NX000 is on
        # (NX000 alone asks for every parse error) and no plugin adds facts of
        # its own to files of any kind.
        self.prefilter = extra_extract is None and bool(filter.active - {NX000.id})
        nx000 = NX000.id in filter.active
        # kinds whose files the prefilter may pass over (name -> bool)
        self.skippable = {
            k.name: self.prefilter and k.tokens is not None and not (nx000 and k.nx000_needs_parse)
            for k in kinds.values()
        }

    # -- reading ----------------------------------------------------------------------------
    def read_bytes(self, cand: Candidate, kind: FileKind) -> Tuple[Optional[bytes], Optional[FileResult]]:
        """The file's bytes, or the NX000 result that says why they cannot be had
        (too large, not a regular file, a symbolic link out of the repository, a
        link loop, vanished, unreadable: :func:`nexus_lint.core.source.read_file`)."""
        from nexus_lint.core.source import Unreadable, read_file

        try:
            data = read_file(cand.fs_path, self.max_file_size, self.repos.root_of(cand.fs_path))
        except Unreadable as exc:
            return None, self.problem(cand.display, kind, str(exc))
        return data, None

    def read(self, cand: Candidate, kind: FileKind) -> FileResult:
        data, problem = self.read_bytes(cand, kind)
        if problem is not None:
            return problem
        return self.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path)

    def problem(self, display: str, kind: FileKind, message: str) -> FileResult:
        """The result of a file that could not be read or checked: NX000 (when selected)."""
        finding = Finding(NX000, display, 0, 0, message)
        finding.line, finding.column, finding.end_line, finding.end_column = 1, 1, 1, 1
        if NX000.id not in self.filter.active:
            return FileResult(display, [], kind=kind.name, parse_failed=True)
        return FileResult(display, [finding], kind=kind.name, parse_failed=True)

    # -- linting ----------------------------------------------------------------------------
    def lint_bytes(
        self,
        display: str,
        data: bytes,
        kind: FileKind,
        relpath: str,
        fs_path: Optional[str] = None,
        context: Optional[FileContext] = None,
    ) -> FileResult:
        if self.skippable.get(kind.name) and not kind.wanted(data):
            return self._skipped(display, data, kind)
        try:
            text, encoding, bom = decode(data)
        except DecodeError as exc:
            return self.problem(display, kind, f"cannot read file: {exc}")
        source = SourceFile(display, text, encoding, bom, fs_path)
        ctx = context if context is not None else self.ci.context_for(relpath, display, kind, fs_path)
        from nexus_lint.core.limits import FileTimeout, time_limit

        fired = False
        try:
            with time_limit(self.timeout) as limit:
                findings, failed = self.lint(source, kind, ctx)
            fired = limit.fired  # (also where something caught the FileTimeout and went on)
        except FileTimeout:  # one pathological file must not stall the run (even a limit so tiny it
            fired = True  # fires before the block begins)
        if fired:
            return self.problem(display, kind, f"analysis took longer than the {self.timeout:g} s limit (timeout); not checked")
        return FileResult(display, findings, source, kind.name, secrets=source.secrets, parse_failed=failed)

    def _skipped(self, display: str, data: bytes, kind: FileKind) -> FileResult:
        """A file the prefilter passes over: only whether it is text at all is checked."""
        try:
            decode(data)
        except DecodeError as exc:
            return self.problem(display, kind, f"cannot read file: {exc}")
        return FileResult(display, [], None, kind.name)

    def extract(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> Facts:
        facts = Facts()
        try:
            for fact in kind.extract(source, ctx) or ():
                facts.add(fact)
        except RecursionError:
            facts.add(ParseProblem("file is too deeply nested to analyse"))
        except Exception as exc:  # an extractor bug must not stop the run
            facts.add(ParseProblem(f"internal error in the {kind.name} reader ({type(exc).__name__}); please report it"))
        if self.extra_extract is not None:
            try:
                for group in self.extra_extract(source=source, context=ctx):
                    for fact in group or ():
                        facts.add(fact)
            except Exception as exc:
                facts.add(ParseProblem(f"internal error in a plugin extractor ({type(exc).__name__})"))
        return facts

    def lint(self, source: SourceFile, kind: FileKind, ctx: FileContext) -> Tuple[List[Finding], bool]:
        """The findings, and whether the file failed to parse (whatever rules are selected)."""
        facts = self.extract(source, kind, ctx)
        cctx = CheckContext(ctx.path, kind.name, facts, self.policy, ctx.is_ci, ctx.ci_reason)
        for check in self.filter.checks:
            try:
                check.run(cctx)
            except Exception as exc:
                cctx.report(NX000, 0, 0, f"internal error in check {check.name or check.rules[0].id} ({type(exc).__name__}); please report it")
        failed = bool(facts.problems) or any(f.rule.id == NX000.id for f in cctx.findings)
        n = len(source.text)
        for f in cctx.findings:
            f.start = max(0, min(f.start, n))
            f.end = max(f.start, min(f.end, n))
            f.line, f.column = source.position(f.start)
            f.end_line, f.end_column = source.position(f.end)
        for f in cctx.findings:  # a parser's message may quote a line no reader took secrets from
            if f.rule.id == NX000.id:
                f.message = redact.redact_message(f.message)
        findings = self.filter.in_file(cctx.findings, facts.suppressions, source.line_of)
        findings.extend(self._unknown_markers(source, facts.suppressions))
        # Secrets are never printed: whatever a check wrote, no finding holds one.
        source.secrets = redact.secret_spans(facts)
        if source.secrets or facts.credentials:
            redact.scrub(findings, redact.secret_values(source.text, source.secrets, facts))
        findings.sort(key=lambda f: (f.start, f.rule.id))
        return _dedupe(findings), failed

    def _unknown_markers(self, source: SourceFile, suppressions) -> List[Finding]:
        """A suppression marker naming no rule (exactly): a usage error (exit 2),
        whatever is selected."""
        out = []
        rules = self.filter.rules
        for sup in suppressions:
            for item in sup.ids:
                if item in rules:
                    continue
                import difflib

                close = difflib.get_close_matches(item, sorted(rules), n=1, cutoff=0.0)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                f = Finding(NX000, source.path, sup.start, sup.end,
                            f"unknown rule id {item!r} in a suppression marker{hint}", usage=True)
                f.line, f.column = source.position(f.start)
                f.end_line, f.end_column = source.position(f.end)
                out.append(f)
        return out


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
