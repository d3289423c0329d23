"""NX201-NX203 and NX501-NX504: every Nexus URL against ports, schemes,
repository kinds and the promotion model.

One pass over the file's URL facts, whatever file kind they came from
(package-manager configs, shell commands, ``ENV`` values, CI variables).  Each
URL is parsed once; only URLs on the policy's Nexus hosts are judged.
Findings point at the characters that are wrong (the port, the scheme, the
repository name) wherever they stand, and fixes edit exactly those characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Tuple

from nexus_lint.core.model import (
    API,
    BROWSE,
    ERROR,
    INSTALL,
    PUBLISH,
    SAFE,
    UNSAFE,
    UPLOAD,
    WARNING,
    Edit,
    Fix,
    RuleMeta,
    UrlFact,
)
from nexus_lint.checks.base import Check, CheckContext
from nexus_lint.checks.images import NX203, _locate

if TYPE_CHECKING:
    from nexus_lint.values.urls import NexusUrl, RepoConventions


def _import_url_analysis() -> None:
    """The URL analysis, imported on first use: a file with no URL does not pay for it."""
    global GROUP, HOSTED, PROXY, classify, conventions_for, is_pypi, parse_url, with_kind
    from nexus_lint.values.urls import GROUP, HOSTED, PROXY, classify, conventions_for, is_pypi, parse_url, with_kind

NX201 = RuleMeta("NX201", "docker-port-for-non-docker", ERROR, SAFE, "A non-Docker Nexus URL uses a Docker port (8443 or 8444).")
NX202 = RuleMeta("NX202", "insecure-http", ERROR, SAFE, "A Nexus URL uses plain http for anything but the health check.")
NX501 = RuleMeta("NX501", "write-to-read-only-repo", ERROR, UNSAFE, "An upload or publish targets a read-only group or proxy repository.")
NX502 = RuleMeta("NX502", "install-from-hosted", WARNING, None, "An install source points at a hosted repository instead of its group.")
NX503 = RuleMeta("NX503", "ci-writes-promoted-env", ERROR, None, "CI uploads straight into a promoted (uat/prod) repository.")
NX504 = RuleMeta("NX504", "pypi-index-without-simple", WARNING, SAFE, "A pip index URL on a PyPI group or proxy lacks the /simple/ suffix.")

RULES = (NX201, NX202, NX203, NX501, NX502, NX503, NX504)

WRITE_ROLES = frozenset({PUBLISH, UPLOAD})
# The components API: POST /service/rest/v1/components?repository=NAME uploads into NAME.
_COMPONENTS_API = "/service/rest/v1/components"


def _edit(fact: UrlFact, i: int, j: int, replacement: str) -> Optional[Edit]:
    span = fact.value.span(i, j)
    if span is None:
        return None
    return Edit(span[0], span[1], replacement)


def _fix(edits: List[Optional[Edit]], safety: str, description: str) -> Optional[Fix]:
    if not edits or any(e is None for e in edits):
        return None
    return Fix(tuple(edits), safety, description)


def _docker_api(url: NexusUrl, fact: UrlFact) -> bool:
    """A Docker registry address or the registry API (``/v2/``): Docker context,
    which the NX1 image rules own."""
    path = url.path
    if path == "/v2" or path.startswith("/v2/"):
        return True
    return fact.role == BROWSE and path in ("", "/") and not url.query


def _is_health(url: NexusUrl, health_path: str) -> bool:
    hp = "/" + health_path.strip("/")
    return url.path.rstrip("/") == hp or (url.path == hp + "/")


def _index_source(fact: UrlFact) -> bool:
    """An install source a client reads as an index or registry (not a pip
    ``find-links`` page of plain links, which may well live in a raw repository)."""
    origin = fact.origin.lower()
    return fact.role == INSTALL and "find-links" not in origin and "find_links" not in origin


def _write_target(url: NexusUrl, fact: UrlFact) -> Optional[Tuple[str, Tuple[int, int], bool]]:
    """(repository, span in the URL, from the path?) that a write goes into."""
    if fact.role in WRITE_ROLES and url.repository:
        return url.repository, url.repository_span, True
    if fact.role in WRITE_ROLES or (fact.role == API and (fact.method or "").upper() in ("POST", "PUT")):
        if url.path.rstrip("/") == _COMPONENTS_API:
            param = url.query_param("repository")
            if param and param[0]:
                return param[0], param[1], False
    return None


def run(ctx: CheckContext) -> None:
    if not ctx.facts.urls:
        return
    if "parse_url" not in globals():
        _import_url_analysis()
    policy = ctx.policy
    conv = conventions_for(policy)
    docker_ports = tuple(policy.docker_ports)
    for fact in ctx.facts.urls:
        url = parse_url(fact.value.text, conv)
        if url is None or not policy.is_nexus_host(url.hostname):
            continue
        _check_transport(ctx, fact, url, docker_ports)
        _check_repository(ctx, fact, url, conv)


def _port_edit(fact: UrlFact, url: NexusUrl) -> Optional[Edit]:
    """Delete ``:PORT``."""
    s, e = url.port_span
    return _edit(fact, s - 1, e, "")


def _https(url: NexusUrl, keep_port: bool = False) -> str:
    """The URL with https and no explicit port (a password shown redacted)."""
    shown = url.shown()
    cut = len(shown) - len(url.text)  # the redaction changes lengths before the host only
    h1 = url.host_span[1] + cut
    a1 = url.path_span[0] + cut
    return "https" + shown[url.scheme_span[1]:a1 if keep_port else h1] + shown[a1:]


def _check_transport(ctx: CheckContext, fact: UrlFact, url: NexusUrl, docker_ports) -> None:
    policy = ctx.policy
    shown = f"`{url.shown()}`"
    port = url.port
    health = _is_health(url, policy.health_path)
    docker = port is not None and port in docker_ports and _docker_api(url, fact)
    if port is not None and port in docker_ports and not docker:
        which = "push" if port == policy.docker_push_port else "pull"
        s, e, rel = _locate(fact, url.port_span[0] - 1, url.port_span[1])
        ctx.report(
            NX201,
            s,
            e,
            f"{shown} ({fact.origin}) uses port {port}, the Docker {which} registry; everything that is not "
            f"Docker (PyPI, npm, yum, raw, Maven, the UI and REST API) is served on 443: drop the port",
            _fix([_port_edit(fact, url)], SAFE, f"drop `:{port}`"),
            rel,
        )
    if url.scheme == "http" and not (health and port in (None, 80)):
        s, e, rel = _locate(fact, *url.scheme_span)
        edits: List[Optional[Edit]] = [_edit(fact, *url.scheme_span, "https")]
        if port is not None and not docker:  # a Docker registry keeps its port
            edits.append(_port_edit(fact, url))
        target = _https(url, keep_port=docker)
        ctx.report(
            NX202,
            s,
            e,
            f"{shown} ({fact.origin}) uses plain http; Nexus serves only `{policy.health_path}` on port 80 and "
            f"redirects everything else to https on 443: use `{target}`",
            _fix(edits, SAFE, "use https" if docker or port is None else "use https on the default port"),
            rel,
        )
    known_ports = {443, *docker_ports}
    if url.scheme == "http":
        known_ports.add(80)
    if port is not None and port not in known_ports:
        s, e, rel = _locate(fact, *url.port_span)
        ctx.report(
            NX203,
            s,
            e,
            f"{shown} ({fact.origin}) names port {port} on the Nexus host; the proxy serves https on 443, Docker "
            f"on {policy.docker_push_port}/{policy.docker_pull_port} and the health check on 80 (other ports are "
            f"internal connectors)",
            None,
            rel,
        )


def _check_repository(ctx: CheckContext, fact: UrlFact, url: NexusUrl, conv: RepoConventions) -> None:
    shown = f"`{url.shown()}`"
    target = _write_target(url, fact)
    if target is not None:
        name, span, in_path = target
        kind, env = classify(name, conv)
        verb = "publishes to" if fact.role == PUBLISH else "uploads into"
        if kind in (GROUP, PROXY):
            hosted = with_kind(name, HOSTED, conv)
            fix = None
            suggestion = ""
            if hosted:
                suggestion = f": write to the hosted repository `{hosted}`"
                i, j, repl = span[0], span[1], hosted
                rest = url.repository_rest
                if in_path and fact.role == PUBLISH and is_pypi(name, conv) and rest.rstrip("/") == "simple":
                    j, repl = url.path_span[1], hosted + "/"  # twine uploads to the repository root
                fix = _fix([_edit(fact, i, j, repl)], UNSAFE, f"write to `{hosted}` instead of `{name}`")
            s, e, rel = _locate(fact, *span)
            what = "group (a read-only union)" if kind == GROUP else "proxy (a read-only cache)"
            ctx.report(
                NX501,
                s,
                e,
                f"{shown} {verb} `{name}`, a {what} repository ({fact.origin}){suggestion}",
                fix,
                rel,
            )
        if ctx.is_ci and env is not None and env in conv.promoted_environments:
            first = conv.environments[0] if conv.environments else "dev"
            s, e, rel = _locate(fact, *span)
            why = f" ({ctx.ci_reason})" if ctx.ci_reason else ""
            ctx.report(
                NX503,
                s,
                e,
                f"CI{why} {verb} `{name}` ({fact.origin}); `{env}` repositories are write-once and filled only "
                f"by promotion: CI builds write to `-{first}` and promote from there",
                None,
                rel,
            )
        return
    if url.repository is None or fact.role != INSTALL:
        return
    name = url.repository
    kind = url.repository_kind
    if not _index_source(fact):
        return
    if kind == HOSTED:
        group = with_kind(name, GROUP, conv)
        hint = f": install from its group `{group}`" if group else ": install from the group repository"
        s, e, rel = _locate(fact, *url.repository_span)
        ctx.report(
            NX502,
            s,
            e,
            f"{shown} ({fact.origin}) installs from `{name}`, a hosted repository; a group serves the hosted "
            f"packages and the proxied upstream ones{hint}",
            None,
            rel,
        )
    elif kind in (GROUP, PROXY) and is_pypi(name, conv):
        rest = url.repository_rest
        if rest == "simple" or rest.startswith("simple/"):
            return
        pe = url.path_span[1]
        fix = None
        if rest == "":
            insert = "simple/" if url.path.endswith("/") else "/simple/"
            fix = _fix([_edit(fact, pe, pe, insert)], SAFE, "append `simple/`")
        s, e, rel = _locate(fact, *url.repository_span)
        ctx.report(
            NX504,
            s,
            e,
            f"{shown} ({fact.origin}) is a pip index on `{name}` without the `/simple/` suffix; pip reads the "
            f"index at `{conv.repository_path}{name}/simple/`",
            fix,
            rel,
        )


CHECK = Check(RULES, run, "urls")
