"""NX302 unknown-nexus-host: a host that looks like a misspelt Nexus host.

A host within edit distance 2 of a known Nexus host, or one with a "nexus"
label under the organisation's domain that is not a known host, gets the host
it was probably meant to be as an unsafe fix.  The dev host in CI is NX301's.
"""

from __future__ import annotations

from typing import Optional, Tuple

from nexus_lint.core.model import UNSAFE, WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import HOSTS, Host, host_fix, locate

NX302 = RuleMeta("NX302", "unknown-nexus-host", WARNING, UNSAFE, "A host looks like a misspelt Nexus host.",
                 precision="medium")


def _distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _near_miss(host: str, known: Tuple[str, ...]) -> Optional[str]:
    """The known host ``host`` was probably meant to be, if any."""
    if host in known:
        return None
    best = None
    for k in known:
        d = _distance(host, k)
        if d <= 2 and (best is None or d < best[0]):
            best = (d, k)
    if best:
        return best[1]
    # Same organisation domain and a "nexus" label, but not a known host:
    # nexus.cwiq.io, nexus-shared.cwiq.io, nexus.prod.cwiq.io ...
    labels = host.split(".")
    for k in known:
        suffix = ".".join(k.split(".")[-2:])
        if host.endswith("." + suffix) and any("nexus" in label for label in labels[:-2]):
            return known[0]
    return None


def check(ctx: CheckContext, host: Host) -> None:
    if ctx.is_ci and host.low == ctx.policy.dev_host.lower():
        return  # NX301
    meant = _near_miss(host.low, ctx.policy.nexus_hosts)
    if meant is None:
        return
    s, e, rel = locate(host.fact, host.i, host.j)
    ctx.report(
        NX302,
        s,
        e,
        f"`{host.text}` in this {host.what} ({host.fact.origin}) is not a Nexus host; did you mean `{meant}`?",
        host_fix(host, meant, UNSAFE),
        rel,
    )


RULE = Rule(NX302, {HOSTS: check})
