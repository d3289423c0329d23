"""NX201 docker-port-for-non-docker: a non-Docker Nexus URL on a Docker port.

Everything that is not Docker (PyPI, npm, yum, raw, Maven, the UI and REST
API) is served on 443; a Docker registry address or the registry API
(``/v2/``) on that port is the image rules' ground.  The safe fix drops the port.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, fix_of, locate, port_edit

NX201 = RuleMeta("NX201", "docker-port-for-non-docker", ERROR, SAFE, "A non-Docker Nexus URL uses a Docker port (8443 or 8444).")


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    url, fact = use.url, use.fact
    port = url.port
    if port is None or port not in use.docker_ports or use.docker:
        return
    which = "push" if port == ctx.policy.docker_push_port else "pull"
    s, e, rel = locate(fact, url.port_span[0] - 1, url.port_span[1])
    ctx.report(
        NX201,
        s,
        e,
        f"{use.shown} ({fact.origin}) uses port {port}, the Docker {which} registry; everything that is not "
        f"Docker (PyPI, npm, yum, raw, Maven, the UI and REST API) is served on 443: drop the port",
        fix_of([port_edit(use)], SAFE, f"drop `:{port}`"),
        rel,
    )


RULE = Rule(NX201, {URLS: check})
