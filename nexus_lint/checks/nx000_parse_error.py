"""NX000 parse-error: a file of a known kind that cannot be read or parsed.

The readers of the file kinds record what they could not read as parse
problems; this rule reports each of them.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, ParseProblem, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import PROBLEMS

NX000 = RuleMeta("NX000", "parse-error", ERROR, None, "A file of a known kind cannot be read or parsed.",
                 precision="very-high")


def check(ctx: CheckContext, problem: ParseProblem) -> None:
    ctx.report(NX000, problem.start, problem.end, problem.message)


RULE = Rule(NX000, {PROBLEMS: check})
