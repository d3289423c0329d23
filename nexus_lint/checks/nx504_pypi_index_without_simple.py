"""NX504 pypi-index-without-simple: a pip index on a PyPI group or proxy without ``/simple/``.

pip reads the index at ``/repository/NAME/simple/``.  When the URL ends at the
repository, the safe fix appends ``simple/``.
"""

from __future__ import annotations

from nexus_lint.core.model import SAFE, WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import URLS, NexusUrlUse, edit, fix_of, index_source, locate

NX504 = RuleMeta("NX504", "pypi-index-without-simple", WARNING, SAFE, "A pip index URL on a PyPI group or proxy lacks the /simple/ suffix.")


def check(ctx: CheckContext, use: NexusUrlUse) -> None:
    url, fact, conv = use.url, use.fact, use.conv
    if use.target is not None or url.repository is None or not index_source(fact):
        return
    from nexus_lint.values.urls import GROUP, PROXY, is_pypi

    name = url.repository
    if url.repository_kind not in (GROUP, PROXY) or not is_pypi(name, conv):
        return
    rest = url.repository_rest
    if rest == "simple" or rest.startswith("simple/"):
        return
    pe = url.path_span[1]
    fix = None
    if rest == "":
        insert = "simple/" if url.path.endswith("/") else "/simple/"
        fix = fix_of([edit(fact, pe, pe, insert)], SAFE, "append `simple/`")
    s, e, rel = locate(fact, *url.repository_span)
    ctx.report(
        NX504,
        s,
        e,
        f"{use.shown} ({fact.origin}) is a pip index on `{name}` without the `/simple/` suffix; pip reads the "
        f"index at `{conv.repository_path}{name}/simple/`",
        fix,
        rel,
    )


RULE = Rule(NX504, {URLS: check})
