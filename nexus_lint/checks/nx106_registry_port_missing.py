"""NX106 registry-port-missing: a Docker image on a Nexus host with no Docker port.

Port 443 (or none) has no Docker connector.  For a pull or a push the safe fix
adds the port of that direction after the host, unless the host literal feeds
both (see ``unless_shared``); for any other use the message names both ports.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, Image, edit, fix_of, locate, unless_shared

NX106 = RuleMeta("NX106", "registry-port-missing", ERROR, SAFE, "A Docker image on a Nexus host names no Docker port.")


def check(ctx: CheckContext, image: Image) -> None:
    ref, fact = image.ref, image.fact
    port = ref.port
    if image.place != NEXUS or port not in (None, "443"):
        return
    push_port, pull_port = image.push_port, image.pull_port
    want = pull_port if image.pulling else push_port if image.pushing else None
    if port is None:
        i = j = ref.host_span[1]
    else:
        i, j = ref.port_span[0] - 1, ref.port_span[1]
    repl = f":{want}" if want else None
    s, e, rel = locate(fact, ref.host_span[0], ref.host_span[1] if port is None else ref.port_span[1])
    if want:
        how = f"use port {want} ({'pull' if image.pulling else 'push'})"
    else:
        how = f"use port {pull_port} to pull or {push_port} to push"
    fix = fix_of([edit(fact, i, j, repl)], SAFE, f"add `:{want}` after the host") if repl else None
    fix, why, rel = unless_shared(image, fix, rel)
    ctx.report(
        NX106,
        s,
        e,
        f"{image.shown} names the Nexus host without a Docker port ({fact.origin}); port 443 has no Docker "
        f"connector: {how}{why}",
        fix,
        rel,
    )


RULE = Rule(NX106, {IMAGES: check})
