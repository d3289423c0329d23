"""The fix stage: apply fixes until nothing changes, never breaking a file.

The edits of the chosen fixes are applied to the text (``nexus_lint.core.fix``),
the new text is linted again and the loop goes on while fixes change it
(bounded by ``MAX_FIX_PASSES``).  A file that failed to parse is never fixed;
a fix whose text no longer parses is found by trying the fixes one by one,
dropped and reported; fixing that runs past the time limit changes nothing.
"""

from __future__ import annotations

from typing import List, Set, Tuple

from nexus_lint.checks.nx000_parse_error import NX000
from nexus_lint.core.model import SAFE, FileResult, Finding, Fix
from nexus_lint.core.source import SourceFile
from nexus_lint.kinds.base import FileContext, FileKind
from nexus_lint.pipeline import redact
from nexus_lint.pipeline.ci import CIContext
from nexus_lint.pipeline.lint import FileLinter

MAX_FIX_PASSES = 10


class Fixer:
    def __init__(self, files: FileLinter, ci: CIContext) -> None:
        self.files = files
        self.ci = ci

    def fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        """``result`` with its (safe, or also ``unsafe``) fixes applied: a new
        result with ``fixed_text`` when they changed the text, else ``result``
        itself with the fixes that had to be dropped."""
        from nexus_lint.core.limits import FileTimeout, time_limit

        if result.source is None or result.parse_failed or any(f.rule.id == NX000.id for f in result.findings):
            return result  # never fix a file that failed to parse
        timeout = self.files.timeout
        fired = False
        try:
            with time_limit(timeout) as limit:
                fixed = self._fix(result, kind, relpath, unsafe)
            fired = limit.fired  # (also where something caught the FileTimeout and went on)
        except FileTimeout:  # (even before the block began: a tiny limit)
            fired = True
        if fired:
            result.dropped_fixes = [f"fixing took longer than the {timeout:g} s limit (timeout); nothing applied"]
            return result
        return fixed

    def _fix(self, result: FileResult, kind: FileKind, relpath: str, unsafe: bool) -> FileResult:
        from nexus_lint.core.fix import apply_fixes

        source = result.source
        ctx = self.ci.context_for(relpath, result.path, kind, source.fs_path)
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
            fixed_source.secrets = redact.secret_spans(self.files.extract(fixed_source, kind, ctx))
        return FileResult(result.path, findings, fixed_source, kind.name, text, applied, dropped,
                          secrets=fixed_source.secrets)

    def _lint_text(self, source: SourceFile, text: str, kind: FileKind, ctx: FileContext) -> Tuple[List[Finding], bool]:
        """Findings of ``text`` as the file's new content, and whether it fails to parse."""
        return self.files.lint(SourceFile(source.path, text, source.encoding, source.bom, source.fs_path), kind, ctx)
