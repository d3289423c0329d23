"""NX101 docker-hub-pull: an image pulled straight from Docker Hub.

Any use but a push of an image with no registry (``python:3.12``) or a Docker
Hub alias (``docker.io/...``) gets a safe fix that pulls it through the Nexus
cache instead, official images under their ``library/`` namespace.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import HUB, IMAGES, Image, edit, fix_of, locate

NX101 = RuleMeta("NX101", "docker-hub-pull", ERROR, SAFE, "An image is pulled straight from Docker Hub instead of through the Nexus cache.",
                 precision="very-high")


def check(ctx: CheckContext, image: Image) -> None:
    if image.place != HUB or image.pushing:
        return
    policy, ref, fact = ctx.policy, image.ref, image.fact
    path = ref.path
    if "/" not in path:
        path = f"{policy.docker_hub_official_namespace}/{path}"
    new_name = f"{policy.pull_prefix()}/{path}"
    end_name = ref.path_span[1]
    suggestion = new_name + image.text[end_name:]
    s, e, rel = locate(fact, 0, end_name)
    ctx.report(
        NX101,
        s,
        e,
        f"{image.shown} is pulled straight from Docker Hub ({fact.origin}); pull it through the Nexus cache "
        f"as `{suggestion}`",
        fix_of([edit(fact, 0, end_name, new_name)], SAFE, f"use `{suggestion}`"),
        rel,
    )


RULE = Rule(NX101, {IMAGES: check})
