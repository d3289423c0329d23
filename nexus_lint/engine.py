"""The pipeline: classify -> extract -> facts -> checks -> findings -> suppress -> fix."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Set

from . import suppress
from .checks.parse import NX000
from .config import Config
from .discovery import Candidate
from .fix import apply_fixes
from .kinds import Classifier, FileContext, FileKind, ci_context
from .model import SAFE, Facts, Finding, Fix, ParseProblem
from .plugins import load_plugins
from .rules import CheckContext, RuleRegistry, selected
from .source import DecodeError, SourceFile, decode

MAX_FIX_PASSES = 10
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
SHEBANG_PEEK = 256


@dataclass
class FileResult:
    path: str
    findings: List[Finding]
    source: Optional[SourceFile] = None
    kind: Optional[str] = None
    fixed_text: Optional[str] = None  # set when fixes changed the text
    fixes_applied: int = 0
    dropped_fixes: List[str] = field(default_factory=list)


class Linter:
    def __init__(
        self,
        config: Config,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        extra_plugins: Iterable[object] = (),
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    ) -> None:
        self.config = config
        self.policy = config.policy
        self.max_file_size = max_file_size
        pm = load_plugins(extra_plugins)
        kinds: List[FileKind] = [k for group in pm.hook.nexus_lint_file_kinds() for k in group]
        self.classifier = Classifier(kinds)
        self.registry = RuleRegistry(c for group in pm.hook.nexus_lint_rules() for c in group)
        sel = tuple(select) or config.select
        ign = tuple(ignore) + tuple(config.ignore)
        self.active: Set[str] = {rid for rid in self.registry.rules if selected(rid, sel, ign)}
        self.checks = [c for c in self.registry.checks if any(r.id in self.active for r in c.rules)]
        self.ci_scripts: dict = {}  # absolute script path -> the CI file that runs it
        extract_hook = pm.hook.nexus_lint_extract
        self._extra_extract = extract_hook if extract_hook.get_hookimpls() else None

    # -- classification -------------------------------------------------------
    def classify(self, cand: Candidate) -> Optional[FileKind]:
        kind = self.classifier.by_path(cand.relpath)
        if kind is None and self.classifier.wants_shebang(cand.relpath):
            try:
                with open(cand.fs_path, "rb") as fh:
                    head = fh.read(SHEBANG_PEEK)
            except OSError:
                return None
            kind = self.classifier.by_shebang(head)
        return kind

    def context_for(self, relpath: str, display: str, kind: FileKind, fs_path: Optional[str] = None) -> FileContext:
        is_ci, reason = ci_context(relpath, kind)
        if not is_ci and fs_path is not None and self.ci_scripts:
            runner = self.ci_scripts.get(os.path.abspath(fs_path))
            if runner is not None:
                is_ci, reason = True, f"run by {runner}"
        return FileContext(path=display, kind=kind.name, is_ci=is_ci, ci_reason=reason)

    # -- CI context of scripts ---------------------------------------------------
    def find_ci_scripts(self, fs_paths: Iterable[str], cwd: str) -> None:
        """Learn which scripts the repositories' CI files run (POLICY.md "CI context").

        The CI files are looked up at each repository root, whether or not they
        were named on the command line, so a pre-commit run on one script knows
        that the pipeline runs it.
        """
        from .discovery import display_path, git_root

        roots = set()
        for p in fs_paths:
            root = git_root(os.path.dirname(os.path.abspath(p)))
            if root is not None:
                roots.add(root)
        kinds = [k for k in self.classifier.kinds if k.ci_scripts]
        if not roots or not kinds:
            return
        import glob

        for root in sorted(roots):
            ci_files = []
            for pattern in (".gitlab-ci.yml", ".gitlab-ci.yaml", ".gitlab/**/*.yml", ".gitlab/**/*.yaml",
                            ".github/workflows/*.yml", ".github/workflows/*.yaml"):
                ci_files.extend(glob.glob(os.path.join(root, pattern), recursive=True))
            for ci_file in sorted(set(ci_files)):
                rel = os.path.relpath(ci_file, root).replace(os.sep, "/")
                kind = self.classifier.by_path(rel)
                if kind is None or not kind.ci_scripts:
                    continue
                try:
                    with open(ci_file, "rb") as fh:
                        text, _, _ = decode(fh.read(self.max_file_size))
                    module, _, func = kind.ci_scripts.partition(":")
                    import importlib

                    scripts = getattr(importlib.import_module(module), func)(text)
                except Exception:  # a broken CI file is reported by its own lint
                    continue
                shown = display_path(ci_file, cwd)
                for script in scripts:
                    target = os.path.normpath(os.path.join(root, script))
                    self.ci_scripts.setdefault(target, shown)

    # -- reading --------------------------------------------------------------
    def read(self, cand: Candidate, kind: FileKind) -> FileResult:
        try:
            st = os.stat(cand.fs_path)
            if st.st_size > self.max_file_size:
                return self._problem(cand.display, kind, f"file is larger than the {self.max_file_size // (1024 * 1024)} MiB limit; not checked")
            import stat as _stat

            if not _stat.S_ISREG(st.st_mode):
                return self._problem(cand.display, kind, "not a regular file; not checked")
            with open(cand.fs_path, "rb") as fh:
                data = fh.read(self.max_file_size + 1)
        except OSError as exc:
            return self._problem(cand.display, kind, f"cannot read file: {exc.strerror or exc}")
        return self.lint_bytes(cand.display, data, kind, cand.relpath, fs_path=cand.fs_path)

    def _problem(self, display: str, kind: FileKind, message: str) -> FileResult:
        finding = Finding(NX000, display, 0, 0, message)
        finding.line, finding.column, finding.end_line, finding.end_column = 1, 1, 1, 1
        if NX000.id not in self.active:
            return FileResult(display, [], kind=kind.name)
        return FileResult(display, [finding], kind=kind.name)

    def lint_bytes(self, display: str, data: bytes, kind: FileKind, relpath: str, fs_path: Optional[str] = None) -> FileResult:
        try:
            text, encoding, bom = decode(data)
        except DecodeError as exc:
            return self._problem(display, kind, f"cannot read file: {exc}")
        source = SourceFile(display, text, encoding, bom, fs_path)
        ctx = self.context_for(relpath, display, kind, fs_path)
        findings = self.lint_source(source, kind, ctx)
        return FileResult(display, findings, source, kind.name)

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
        facts = self.extract(source, kind, ctx)
        cctx = CheckContext(ctx.path, kind.name, facts, self.policy, ctx.is_ci, ctx.ci_reason)
        for check in self.checks:
            try:
                check.run(cctx)
            except Exception as exc:
                cctx.report(NX000, 0, 0, f"internal error in check {check.name or check.rules[0].id} ({type(exc).__name__}); please report it")
        findings = [f for f in cctx.findings if f.rule.id in self.active]
        n = len(source.text)
        for f in findings:
            f.start = max(0, min(f.start, n))
            f.end = max(f.start, min(f.end, n))
            f.line, f.column = source.position(f.start)
            f.end_line, f.end_column = source.position(f.end)
        suppress.apply(findings, facts.suppressions, source.line_of)
        findings.sort(key=lambda f: (f.start, f.rule.id))
        return _dedupe(findings)

    # -- fixing ---------------------------------------------------------------
    def fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        """Apply fixes until nothing changes (bounded); never make a parseable file unparseable."""
        source = result.source
        if source is None or any(f.rule.id == NX000.id for f in result.findings):
            return result  # never fix a file that failed to parse
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
            new_findings = self._lint_text(source, new_text, kind, ctx)
            if any(f.rule.id == NX000.id for f in new_findings):
                # Find the culprits one by one; keep the fixes that are harmless.
                kept: List[Fix] = []
                for fx in chosen:
                    trial, _ = apply_fixes(text, kept + [fx])
                    if any(f.rule.id == NX000.id for f in self._lint_text(source, trial, kind, ctx)):
                        harmful.add(fx)
                        dropped.append(fx.description)
                    else:
                        kept.append(fx)
                if not kept:
                    break
                new_text, chosen = apply_fixes(text, kept)
                new_findings = self._lint_text(source, new_text, kind, ctx)
            applied += len(chosen)
            text, findings = new_text, new_findings
        if text == source.text:
            result.dropped_fixes = dropped
            return result
        fixed_source = SourceFile(source.path, text, source.encoding, source.bom, source.fs_path)
        return FileResult(result.path, findings, fixed_source, kind.name, text, applied, dropped)

    def _lint_text(self, source: SourceFile, text: str, kind: FileKind, ctx: FileContext) -> List[Finding]:
        return self.lint_source(SourceFile(source.path, text, source.encoding, source.bom, source.fs_path), kind, ctx)


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
