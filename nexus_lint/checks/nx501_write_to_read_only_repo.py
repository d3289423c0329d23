"""NX501 write-to-read-only-repo: an upload or publish into a group or proxy repository.

Groups are read-only unions and proxies read-only caches.  When the hosted
repository of the same format and environment exists by the naming
conventions, the unsafe fix writes to it instead (a twine upload to the
repository root, not its ``/simple/`` index).
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, PUBLISH, UNSAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, edit, fix_of, locate

NX501 = RuleMeta("NX501", "write-to-read-only-repo", ERROR, UNSAFE, "An upload or publish targets a read-only group or proxy repository.")


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    if use.target is None:
        return
    from nexus_lint.values.urls import GROUP, HOSTED, PROXY, is_pypi, with_kind

    if use.target_class[0] not in (GROUP, PROXY):
        return
    url, fact, conv = use.url, use.fact, use.conv
    name, span, in_path = use.target
    kind = use.target_class[0]
    verb = "publishes to" if fact.role == PUBLISH else "uploads into"
    hosted = with_kind(name, HOSTED, conv)
    fix = None
    suggestion = ""
    if hosted:
        suggestion = f": write to the hosted repository `{hosted}`"
        i, j, repl = span[0], span[1], hosted
        rest = url.repository_rest
        if in_path and fact.role == PUBLISH and is_pypi(name, conv) and rest.rstrip("/") == "simple":
            j, repl = url.path_span[1], hosted + "/"  # twine uploads to the repository root
        fix = fix_of([edit(fact, i, j, repl)], UNSAFE, f"write to `{hosted}` instead of `{name}`")
    s, e, rel = locate(fact, *span)
    what = "group (a read-only union)" if kind == GROUP else "proxy (a read-only cache)"
    ctx.report(
        NX501,
        s,
        e,
        f"{use.shown} {verb} `{name}`, a {what} repository ({fact.origin}){suggestion}",
        fix,
        rel,
    )


RULE = Rule(NX501, {URLS: check})
