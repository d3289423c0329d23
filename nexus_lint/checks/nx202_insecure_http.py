"""NX202 insecure-http: a Nexus URL with plain http.

Nexus serves only the health check on port 80 and redirects everything else
to https on 443.  The safe fix writes https and drops an explicit port, except
a Docker registry's, which it keeps.
"""

from __future__ import annotations

from typing import List, Optional

from nexus_lint.core.model import ERROR, SAFE, Edit, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, edit, fix_of, locate, port_edit

NX202 = RuleMeta("NX202", "insecure-http", ERROR, SAFE, "A Nexus URL uses plain http for anything but the health check.")


def _is_health(url, health_path: str) -> bool:
    hp = "/" + health_path.strip("/")
    return url.path.rstrip("/") == hp or (url.path == hp + "/")


def _https(url, keep_port: bool = False) -> str:
    """The URL with https and no explicit port (a password shown redacted)."""
    shown = url.shown()
    cut = len(shown) - len(url.text)  # the redaction changes lengths before the host only
    h1 = url.host_span[1] + cut
    a1 = url.path_span[0] + cut
    return "https" + shown[url.scheme_span[1]:a1 if keep_port else h1] + shown[a1:]


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    url, fact, policy = use.url, use.fact, ctx.policy
    port = url.port
    if url.scheme != "http" or (_is_health(url, policy.health_path) and port in (None, 80)):
        return
    s, e, rel = locate(fact, *url.scheme_span)
    edits: List[Optional[Edit]] = [edit(fact, *url.scheme_span, "https")]
    if port is not None and not use.docker:  # a Docker registry keeps its port
        edits.append(port_edit(use))
    target = _https(url, keep_port=use.docker)
    ctx.report(
        NX202,
        s,
        e,
        f"{use.shown} ({fact.origin}) uses plain http; Nexus serves only `{policy.health_path}` on port 80 and "
        f"redirects everything else to https on 443: use `{target}`",
        fix_of(edits, SAFE, "use https" if use.docker or port is None else "use https on the default port"),
        rel,
    )


RULE = Rule(NX202, {URLS: check})
