"""NX102 pull-via-push-port: an image pulled through the Docker push port.

The push port serves the hosted registry only; pulls go through the pull port
(the group that also proxies the public registries).  The safe fix changes
the port, unless the host literal also feeds a push (see ``unless_shared``).
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, Image, report_port

NX102 = RuleMeta("NX102", "pull-via-push-port", ERROR, SAFE, "An image is pulled through the Docker push port.",
                 precision="very-high")


def check(ctx: CheckContext, image: Image) -> None:
    port, push_port, pull_port = image.ref.port, image.push_port, image.pull_port
    if image.place != NEXUS or port in (None, "443") or port != push_port or not image.pulling:
        return
    report_port(ctx, NX102, image, pull_port,
                f"{image.shown} is pulled through port {push_port}, the push-only hosted registry "
                f"({image.fact.origin}); pull through port {pull_port}")


RULE = Rule(NX102, {IMAGES: check})
