"""NX502 install-from-hosted: an index or registry source on a hosted repository.

A group serves the hosted packages and the proxied upstream ones; the message
names the group of the same format and environment when it exists by the
naming conventions.  A pip ``find-links`` page is not an index: not judged.
"""

from __future__ import annotations

from nexus_lint.core.model import WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, index_source, locate

NX502 = RuleMeta("NX502", "install-from-hosted", WARNING, None, "An install source points at a hosted repository instead of its group.",
                 precision="medium")


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    url, fact = use.url, use.fact
    if use.target is not None or url.repository is None or not index_source(fact):
        return
    from nexus_lint.values.urls import GROUP, HOSTED, with_kind

    if url.repository_kind != HOSTED:
        return
    name = url.repository
    group = with_kind(name, GROUP, use.conv)
    hint = f": install from its group `{group}`" if group else ": install from the group repository"
    s, e, rel = locate(fact, *url.repository_span)
    ctx.report(
        NX502,
        s,
        e,
        f"{use.shown} ({fact.origin}) installs from `{name}`, a hosted repository; a group serves the hosted "
        f"packages and the proxied upstream ones{hint}",
        None,
        rel,
    )


RULE = Rule(NX502, {URLS: check})
