"""NX101-NX106: container image references against the registry policy.

One pass over the file's image facts; each reference is parsed once by the
grammar-exact parser.  Findings point at the characters that are wrong (the
port, the registry, the ``cwiq-`` component), wherever they stand: in the use
itself or in the literal of the variable it came through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Tuple

from nexus_lint.core.model import (
    ERROR,
    LOCAL,
    PULL_ROLES,
    PUSH,
    SAFE,
    UNSAFE,
    WARNING,
    Edit,
    Fix,
    ImageFact,
    Related,
    RuleMeta,
)
from nexus_lint.checks.base import Check, CheckContext

if TYPE_CHECKING:  # the parser is imported on first use: a file with no image does not pay for it
    from nexus_lint.values.imageref import ImageRef

NX101 = RuleMeta("NX101", "docker-hub-pull", ERROR, SAFE, "An image is pulled straight from Docker Hub instead of through the Nexus cache.")
NX102 = RuleMeta("NX102", "pull-via-push-port", ERROR, SAFE, "An image is pulled through the Docker push port.")
NX103 = RuleMeta("NX103", "push-via-pull-port", ERROR, SAFE, "An image is pushed through the Docker pull port.")
NX104 = RuleMeta("NX104", "cwiq-image-prefix", ERROR, UNSAFE, "An image name uses the forbidden `cwiq-` prefix.")
NX105 = RuleMeta("NX105", "image-namespace", WARNING, None, "An image pushed to the hosted registry lies outside the project namespace.")
# Shared with the URL rules (checks/urls.py): any port the proxy does not serve.
NX203 = RuleMeta("NX203", "unknown-nexus-port", WARNING, None, "A Nexus URL names a port the proxy does not serve.")
NX106 = RuleMeta("NX106", "registry-port-missing", ERROR, SAFE, "A Docker image on a Nexus host names no Docker port.")

RULES = (NX101, NX102, NX103, NX104, NX105, NX106)


def _locate(fact: ImageFact, i: int, j: int) -> Tuple[int, int, Tuple[Related, ...]]:
    """Where characters ``i:j`` of the value stand, plus the use site if elsewhere."""
    value = fact.value
    span = value.span(i, j)
    if span is None:
        # Not one contiguous literal: take the first located run inside i:j.
        start = None
        for k in range(i, j):
            off = value.offsets[k]
            if off >= 0:
                if start is None:
                    start, end = off, off + 1
                elif off == end:
                    end += 1
                else:
                    break
        span = (start, end) if start is not None else fact.use
    related: Tuple[Related, ...] = ()
    if not (fact.use[0] <= span[0] and span[1] <= fact.use[1]):
        via = f" through ${fact.via[-1]}" if fact.via else ""
        related = (Related(fact.use[0], fact.use[1], f"used here by {fact.origin}{via}"),)
    return span[0], span[1], related


def _edit(fact: ImageFact, i: int, j: int, replacement: str) -> Optional[Edit]:
    span = fact.value.span(i, j)
    if span is None:
        return None
    return Edit(span[0], span[1], replacement)


def _fix(edit: Optional[Edit], safety: str, description: str) -> Optional[Fix]:
    return Fix((edit,), safety, description) if edit is not None else None


def _is_hub(ref: ImageRef, aliases) -> bool:
    if not ref.domain:
        return True
    if ref.port is not None and ref.port != "443":
        return False
    return ref.host.lower() in aliases


def run(ctx: CheckContext) -> None:
    if not ctx.facts.images:
        return
    from nexus_lint.values.imageref import ImageRefError, parse_normalized

    policy = ctx.policy
    aliases = tuple(a.lower() for a in policy.docker_hub_aliases)
    parsed = []
    for fact in ctx.facts.images:
        try:
            parsed.append((fact, parse_normalized(fact.value.text)))
        except ImageRefError:
            continue
    shared = _shared_hosts(parsed, policy)
    for fact, ref in parsed:
        text = fact.value.text
        pulling = fact.role in PULL_ROLES
        pushing = fact.role == PUSH
        shown = f"`{text}`"
        if fact.role == LOCAL:  # a name that never leaves the machine: only its naming matters
            _check_name(ctx, fact, ref, text)
            continue

        if _is_hub(ref, aliases):
            if not pushing:
                path = ref.path
                if "/" not in path:
                    path = f"{policy.docker_hub_official_namespace}/{path}"
                new_name = f"{policy.pull_prefix()}/{path}"
                end_name = ref.path_span[1]
                suggestion = new_name + text[end_name:]
                s, e, rel = _locate(fact, 0, end_name)
                ctx.report(
                    NX101,
                    s,
                    e,
                    f"{shown} is pulled straight from Docker Hub ({fact.origin}); pull it through the Nexus cache "
                    f"as `{suggestion}`",
                    _fix(_edit(fact, 0, end_name, new_name), SAFE, f"use `{suggestion}`"),
                    rel,
                )
            _check_name(ctx, fact, ref, text)
            continue

        if not policy.is_nexus_host(ref.host):
            _check_name(ctx, fact, ref, text)
            continue

        port = ref.port
        push_port, pull_port = str(policy.docker_push_port), str(policy.docker_pull_port)
        if port is None or port == "443":
            want = pull_port if pulling else push_port if pushing else None
            if port is None:
                i = j = ref.host_span[1]
                repl = f":{want}" if want else None
            else:
                i, j = ref.port_span[0] - 1, ref.port_span[1]
                repl = f":{want}" if want else None
            s, e, rel = _locate(fact, ref.host_span[0], ref.host_span[1] if port is None else ref.port_span[1])
            if want:
                how = f"use port {want} ({'pull' if pulling else 'push'})"
            else:
                how = f"use port {pull_port} to pull or {push_port} to push"
            fix = _fix(_edit(fact, i, j, repl), SAFE, f"add `:{want}` after the host") if repl else None
            fix, why, rel = _unless_shared(shared, fact, ref, fix, rel)
            ctx.report(
                NX106,
                s,
                e,
                f"{shown} names the Nexus host without a Docker port ({fact.origin}); port 443 has no Docker "
                f"connector: {how}{why}",
                fix,
                rel,
            )
        elif port == push_port and pulling:
            s, e, rel = _locate(fact, *ref.port_span)
            fix, why, rel = _unless_shared(shared, fact, ref, _fix(_edit(fact, *ref.port_span, pull_port), SAFE,
                                                                   f"use port {pull_port}"), rel)
            ctx.report(
                NX102,
                s,
                e,
                f"{shown} is pulled through port {push_port}, the push-only hosted registry ({fact.origin}); "
                f"pull through port {pull_port}{why}",
                fix,
                rel,
            )
        elif port not in (push_port, pull_port):
            s, e, rel = _locate(fact, *ref.port_span)
            ctx.report(
                NX203,
                s,
                e,
                f"{shown} uses port {port} on the Nexus host ({fact.origin}); only {pull_port} (pull) and "
                f"{push_port} (push) serve Docker",
                None,
                rel,
            )
        elif port == pull_port and pushing:
            s, e, rel = _locate(fact, *ref.port_span)
            fix, why, rel = _unless_shared(shared, fact, ref, _fix(_edit(fact, *ref.port_span, push_port), SAFE,
                                                                   f"use port {push_port}"), rel)
            ctx.report(
                NX103,
                s,
                e,
                f"{shown} is pushed through port {pull_port}, the read-only group registry ({fact.origin}); "
                f"push through port {push_port}{why}",
                fix,
                rel,
            )
        if pushing and port in (None, "443", push_port, pull_port):
            ns = policy.image_namespace.strip("/")
            if not (ref.path == ns or ref.path.startswith(ns + "/")):
                s, e, rel = _locate(fact, *ref.path_span)
                ctx.report(
                    NX105,
                    s,
                    e,
                    f"{shown} is pushed outside the `{ns}/` namespace ({fact.origin}); name images `{ns}/{{project}}`",
                    None,
                    rel,
                )
        _check_name(ctx, fact, ref, text)


def _shared_hosts(parsed, policy) -> dict:
    """Host literals (source spans) that images of both directions read: one
    value (``REG: nexus...:8443`` used by a pull and a push) cannot carry both
    ports, so fixing it for one breaks the other."""
    by_span: dict = {}
    for fact, ref in parsed:
        if fact.role == PUSH:
            way = "push"
        elif fact.role in PULL_ROLES:
            way = "pull"
        else:
            continue
        if not ref.domain or not policy.is_nexus_host(ref.host):
            continue
        span = fact.value.span(*ref.host_span)
        if span is not None:
            by_span.setdefault(span, []).append((way, fact))
    return {span: uses for span, uses in by_span.items() if len({w for w, _ in uses}) > 1}


def _unless_shared(shared: dict, fact: ImageFact, ref: ImageRef, fix: Optional[Fix],
                   related: Tuple[Related, ...]) -> Tuple[Optional[Fix], str, Tuple[Related, ...]]:
    """No port fix on a host literal that a pull and a push share: say so instead."""
    if not shared:
        return fix, "", related
    uses = shared.get(fact.value.span(*ref.host_span))
    if not uses:
        return fix, "", related
    mine = "push" if fact.role == PUSH else "pull"
    other = "pull" if mine == "push" else "push"
    extra = tuple(
        Related(f.use[0], f.use[1], f"used here by {f.origin}" + (f" through ${f.via[-1]}" if f.via else ""))
        for way, f in uses if way == other and f.use != fact.use
    )
    var = f"${fact.via[-1]}" if fact.via else "this value"
    why = f"; {var} also feeds a {other}, so it is not changed here: give the {mine} a variable of its own"
    return None, why, related + extra


def _check_name(ctx: CheckContext, fact: ImageFact, ref: ImageRef, text: str) -> None:
    prefixes = tuple(p.lower() for p in ctx.policy.forbidden_image_prefixes)
    ns = ctx.policy.image_namespace.strip("/")
    base = ref.path_span[0]
    pos = 0
    components = ref.path.split("/")
    for idx, comp in enumerate(components):
        for prefix in prefixes:
            if comp.lower().startswith(prefix) and len(comp) > len(prefix):
                i, j = base + pos, base + pos + len(comp)
                project = comp[len(prefix):]
                under_ns = idx > 0 and components[idx - 1] == ns
                repl = project if under_ns else f"{ns}/{project}"
                s, e, rel = _locate(fact, i, j)
                ctx.report(
                    NX104,
                    s,
                    e,
                    f"`{comp}` in `{text}` uses the forbidden `{prefix}` prefix; image names are `{ns}/{{project}}`",
                    _fix(_edit(fact, i, j, repl), UNSAFE, f"rename `{comp}` to `{repl}` (other references to the image must follow)"),
                    rel,
                )
                break
        pos += len(comp) + 1


CHECK = Check(RULES + (NX203,), run, "images")
