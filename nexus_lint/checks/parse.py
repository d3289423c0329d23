"""NX000 parse-error: a file of a known kind that cannot be read or parsed."""

from __future__ import annotations

from nexus_lint.core.model import ERROR, RuleMeta
from nexus_lint.checks.base import Check, CheckContext

NX000 = RuleMeta("NX000", "parse-error", ERROR, None, "A file of a known kind cannot be read or parsed.")


def run(ctx: CheckContext) -> None:
    for problem in ctx.facts.problems:
        ctx.report(NX000, problem.start, problem.end, problem.message)


CHECK = Check((NX000,), run, "parse")
