"""NX203 unknown-nexus-port: an image or URL on a Nexus host names a port the proxy does not serve.

For images, any port but the Docker pull and push ports (443 and none are
NX106's); for URLs, any port but 443, the Docker ports and, over http, 80.
Other ports are internal connectors: no fix, the message says what is served.
"""

from __future__ import annotations

from nexus_lint.core.model import WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, NEXUS, URLS, Image, NexusUrlUse, locate

NX203 = RuleMeta("NX203", "unknown-nexus-port", WARNING, None, "A Nexus URL names a port the proxy does not serve.",
                 precision="medium")


def check_image(ctx: CheckContext, image: Image) -> None:
    port = image.ref.port
    push_port, pull_port = image.push_port, image.pull_port
    if image.place != NEXUS or port in (None, "443", push_port, pull_port):
        return
    s, e, rel = locate(image.fact, *image.ref.port_span)
    ctx.report(
        NX203,
        s,
        e,
        f"{image.shown} uses port {port} on the Nexus host ({image.fact.origin}); only {pull_port} (pull) and "
        f"{push_port} (push) serve Docker",
        None,
        rel,
    )


def check_url(ctx: CheckContext, use: NexusUrlUse) -> None:
    url, policy = use.url, ctx.policy
    port = url.port
    known_ports = {443, *use.docker_ports}
    if url.scheme == "http":
        known_ports.add(80)
    if port is None or port in known_ports:
        return
    s, e, rel = locate(use.fact, *url.port_span)
    ctx.report(
        NX203,
        s,
        e,
        f"{use.shown} ({use.fact.origin}) names port {port} on the Nexus host; the proxy serves https on 443, Docker "
        f"on {policy.docker_push_port}/{policy.docker_pull_port} and the health check on 80 (other ports are "
        f"internal connectors)",
        None,
        rel,
    )


RULE = Rule(NX203, {IMAGES: check_image, URLS: check_url})
