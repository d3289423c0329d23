"""NX105 image-namespace: an image pushed to Nexus outside the project namespace.

Only pushes through a Docker port (or none: NX106 reports that) are judged;
a push on an unknown port is NX203's.
"""

from __future__ import annotations

from nexus_lint.core.model import WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, Image, locate

NX105 = RuleMeta("NX105", "image-namespace", WARNING, None, "An image pushed to the hosted registry lies outside the project namespace.",
                 precision="medium")


def check(ctx: CheckContext, image: Image) -> None:
    policy, ref = ctx.policy, image.ref
    if image.place != NEXUS or not image.pushing:
        return
    if ref.port not in (None, "443", image.push_port, image.pull_port):
        return
    ns = policy.image_namespace.strip("/")
    if ref.path == ns or ref.path.startswith(ns + "/"):
        return
    s, e, rel = locate(image.fact, *ref.path_span)
    ctx.report(
        NX105,
        s,
        e,
        f"{image.shown} is pushed outside the `{ns}/` namespace ({image.fact.origin}); name images `{ns}/{{project}}`",
        None,
        rel,
    )


RULE = Rule(NX105, {IMAGES: check})
