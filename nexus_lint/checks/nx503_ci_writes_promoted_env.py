"""NX503 ci-writes-promoted-env: CI writing straight into a promoted (uat/prod) repository.

Promoted repositories are write-once and filled only by promotion: CI builds
write to the first environment's repository and promote from there.  No fix.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, PUBLISH, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, locate

NX503 = RuleMeta("NX503", "ci-writes-promoted-env", ERROR, None, "CI uploads straight into a promoted (uat/prod) repository.")


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    if use.target is None or not (ctx.is_ci or getattr(use.fact, "ci", False)):
        return
    conv, fact = use.conv, use.fact
    env = use.target_class[1]
    if env is None or env not in conv.promoted_environments:
        return
    name, span, _ = use.target
    verb = "publishes to" if fact.role == PUBLISH else "uploads into"
    first = conv.environments[0] if conv.environments else "dev"
    s, e, rel = locate(fact, *span)
    why = f" ({ctx.ci_reason})" if ctx.ci_reason else ""
    ctx.report(
        NX503,
        s,
        e,
        f"CI{why} {verb} `{name}` ({fact.origin}); `{env}` repositories are write-once and filled only "
        f"by promotion: CI builds write to `-{first}` and promote from there",
        None,
        rel,
    )


RULE = Rule(NX503, {URLS: check})
