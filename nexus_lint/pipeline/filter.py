"""The filter stage: which findings a run reports.

One stage for everything that drops or marks findings once the checks have
run: the rule selection (``select``/``ignore`` of the config and of the
command line), inline suppressions (``nexus-lint: ignore[...]`` comments mark
a finding ``suppressed``), the config's ``per-file-ignores`` and the baseline
(``--baseline``: findings it records are dropped).  The first two act on one
file as it is linted (a cached result holds their outcome); the other two on
the results of a run.  The facade applies them all, so the command line and a
library caller with the same config get the same findings.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from nexus_lint.checks.base import Check, RuleRegistry, selected
from nexus_lint.config import Config
from nexus_lint.core import suppress
from nexus_lint.core.model import FileResult, Finding, Suppression


class Filter:
    """The rules a run enables and the findings it reports."""

    def __init__(self, registry: RuleRegistry, config: Config, select: Sequence[str] = (),
                 ignore: Sequence[str] = (), extend_select: Sequence[str] = ()) -> None:
        if select:  # --select on the command line: the config's select and ignore do not apply
            sel, ign = tuple(select), tuple(ignore)
        else:
            sel, ign = config.select, tuple(ignore) + tuple(config.ignore)
        self.rules = registry.rules
        # --extend-select: these rules too, whatever the config selects or ignores (not the command line's --ignore)
        self.active = {rid for rid in registry.rules
                       if selected(rid, sel, ign) or (extend_select and selected(rid, extend_select, ignore))}
        # the checks worth running: those with an enabled rule
        self.checks: List[Check] = [c for c in registry.checks if any(r.id in self.active for r in c.rules)]
        self.root: Path = config.root
        self.per_file_ignores = config.per_file_ignores
        self.baseline: Optional[Counter] = None  # the entries of a baseline file (nexus_lint.pipeline.baseline)
        self.hidden: Counter = Counter()  # findings dropped by "per-file" ignores and the "baseline" (the summary says so)

    def use_baseline(self, path: str) -> None:
        """Drop the findings the baseline file ``path`` records (BaselineError when it is unusable)."""
        from nexus_lint.pipeline import baseline

        self.baseline = baseline.load(path)

    # -- one file, as it is linted -------------------------------------------------------
    def in_file(self, findings: List[Finding], suppressions: List[Suppression],
                line_of: Callable[[int], int]) -> List[Finding]:
        """The findings of enabled rules, those an inline comment covers marked suppressed."""
        kept = [f for f in findings if f.rule.id in self.active]
        suppress.apply(kept, suppressions, line_of)
        return kept

    # -- the results of a run ------------------------------------------------------------
    def run(self, results: List[FileResult], cwd: str, per_file: bool = True) -> None:
        """Apply the per-file ignores, then the baseline, to ``results`` (display
        paths relative to ``cwd``)."""
        if per_file:
            self.ignore_per_file(results, cwd)
        if self.baseline is not None:
            from nexus_lint.pipeline import baseline

            self.hidden["baseline"] += baseline.apply(self.baseline, results, self.root, cwd)

    def ignore_per_file(self, results: List[FileResult], cwd: str) -> None:
        if not self.per_file_ignores:
            return
        import fnmatch

        from nexus_lint.pipeline.discovery import project_relpath

        for r in results:
            rel = project_relpath(r.path, self.root, cwd)
            for pattern, ids in self.per_file_ignores.items():
                if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern):
                    kept = [f for f in r.findings if selected(f.rule.id, ("ALL",), ids)]
                    self.hidden["per-file"] += sum(1 for f in r.findings if not f.suppressed) - \
                        sum(1 for f in kept if not f.suppressed)
                    r.findings = kept
