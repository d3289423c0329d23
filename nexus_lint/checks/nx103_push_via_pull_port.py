"""NX103 push-via-pull-port: an image pushed through the Docker pull port.

The pull port serves the read-only group registry; pushes go through the push
port.  The safe fix changes the port, unless the host literal also feeds a
pull (see ``unless_shared``).
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, Image, report_port

NX103 = RuleMeta("NX103", "push-via-pull-port", ERROR, SAFE, "An image is pushed through the Docker pull port.",
                 precision="very-high")


def check(ctx: CheckContext, image: Image) -> None:
    port, push_port, pull_port = image.ref.port, image.push_port, image.pull_port
    if image.place != NEXUS or port in (None, "443") or port != pull_port or not image.pushing:
        return
    report_port(ctx, NX103, image, push_port,
                f"{image.shown} is pushed through port {pull_port}, the read-only group registry "
                f"({image.fact.origin}); push through port {push_port}")


RULE = Rule(NX103, {IMAGES: check})
