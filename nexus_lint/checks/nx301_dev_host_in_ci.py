"""NX301 dev-host-in-ci: the dev Nexus host in an image or URL of a CI file.

CI builds use the shared host; the unsafe fix writes it in place of the dev host.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, UNSAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import HOSTS, Host, host_fix, locate

NX301 = RuleMeta("NX301", "dev-host-in-ci", ERROR, UNSAFE, "The dev Nexus host is used in CI context.")


def check(ctx: CheckContext, host: Host) -> None:
    if not (ctx.is_ci or getattr(host.fact, "ci", False)) or host.low != ctx.policy.dev_host.lower():
        return
    shared = ctx.policy.shared_host
    s, e, rel = locate(host.fact, host.i, host.j)
    ctx.report(
        NX301,
        s,
        e,
        f"the dev Nexus host `{host.text}` is used in CI context ({ctx.ci_reason}; {host.fact.origin}); "
        f"CI builds use `{shared}`",
        host_fix(host, shared, UNSAFE),
        rel,
    )


RULE = Rule(NX301, {HOSTS: check})
