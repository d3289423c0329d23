"""Reporters: one module per output format, each ``render(report) -> str``."""

from __future__ import annotations

import importlib
import os
from typing import Dict, List

from nexus_lint.core.model import FileResult, Finding, severity_rank
from nexus_lint.checks.base import RuleRegistry

FORMATS = ("text", "json", "sarif", "gitlab", "github", "checkstyle", "junit", "sonarqube", "gnu")


class Report:
    """What a run found, and how to show it.  (A plain class: a dataclass costs start-up time.)"""

    def __init__(
        self,
        results: List[FileResult],
        registry: RuleRegistry,
        active: set,
        cwd: str,
        version: str,
        color: bool = False,
        fail_on: str = "error",
        files_checked: int = 0,
        fix_mode: bool = False,
        unsafe_fixes: bool = False,
        hidden=None,
    ) -> None:
        self.results = results
        self.registry = registry
        self.active = active
        self.cwd = cwd
        self.version = version
        self.color = color
        self.fail_on = fail_on
        self.files_checked = files_checked
        self.fix_mode = fix_mode
        self.unsafe_fixes = unsafe_fixes
        self.hidden = dict(hidden or {})  # findings per-file ignores ("per-file") and the baseline ("baseline") hid

    def findings(self, include_suppressed: bool = False) -> List[Finding]:
        out = []
        for r in self.results:
            for f in r.findings:
                if include_suppressed or not f.suppressed:
                    out.append(f)
        return out

    def findings_by_file(self) -> Dict[str, List[Finding]]:
        """The reported findings of each file checked, a file without any included
        (the per-file formats: checkstyle, JUnit)."""
        out: Dict[str, List[Finding]] = {r.path: [] for r in self.results}
        for f in self.findings():
            out.setdefault(f.path, []).append(f)
        return out

    def hidden_counts(self) -> List[tuple]:
        """(how many, by what) of the findings the run hid, inline suppressions first."""
        inline = sum(1 for r in self.results for f in r.findings if f.suppressed)
        out = [(inline, "inline suppressions"), (self.hidden.get("per-file", 0), "per-file ignores"),
               (self.hidden.get("baseline", 0), "the baseline"),
               (self.hidden.get("changed-since", 0), "--changed-since (unchanged lines)")]
        return [(n, what) for n, what in out if n]

    def sources(self) -> Dict[str, object]:
        return {r.path: r.source for r in self.results}

    def failing(self) -> bool:
        threshold = severity_rank(self.fail_on)
        return any(severity_rank(f.severity) >= threshold for f in self.findings())


def render(fmt: str, report: Report) -> str:
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    return module.render(report)


def uri_for(path: str) -> str:
    """A relative "/"-path stays relative; an absolute one becomes a file URI."""
    from urllib.parse import quote

    # the bytes of the name (an undecodable one was decoded with surrogateescape)
    raw = path.replace(os.sep, "/").encode("utf-8", "surrogateescape")
    if os.path.isabs(path):
        return "file://" + quote(raw)
    return quote(raw)
