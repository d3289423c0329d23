"""NX103 push-via-pull-port: an image pushed through the Docker pull port.

The pull port serves the read-only group registry; pushes go through the push
port.  The safe fix changes the port, unless the host literal also feeds a
pull (see ``unless_shared``).
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, Image, edit, fix_of, locate, unless_shared

NX103 = RuleMeta("NX103", "push-via-pull-port", ERROR, SAFE, "An image is pushed through the Docker pull port.")


def check(ctx: CheckContext, image: Image) -> None:
    port = image.ref.port
    push_port, pull_port = image.push_port, image.pull_port
    if image.place != NEXUS or port in (None, "443") or port != pull_port or not image.pushing:
        return
    fact, span = image.fact, image.ref.port_span
    s, e, rel = locate(fact, *span)
    fix, why, rel = unless_shared(image, fix_of([edit(fact, *span, push_port)], SAFE, f"use port {push_port}"), rel)
    ctx.report(
        NX103,
        s,
        e,
        f"{image.shown} is pushed through port {pull_port}, the read-only group registry ({fact.origin}); "
        f"push through port {push_port}{why}",
        fix,
        rel,
    )


RULE = Rule(NX103, {IMAGES: check})
