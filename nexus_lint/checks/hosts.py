"""NX301 dev-host-in-ci and NX302 unknown-nexus-host, for images and URLs alike."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ERROR, UNSAFE, WARNING, Edit, Fix, ImageFact, RuleMeta
from nexus_lint.checks.base import Check, CheckContext
from nexus_lint.checks.images import _locate

NX301 = RuleMeta("NX301", "dev-host-in-ci", ERROR, UNSAFE, "The dev Nexus host is used in CI context.")
NX302 = RuleMeta("NX302", "unknown-nexus-host", WARNING, UNSAFE, "A host looks like a misspelt Nexus host.")

_URL_HOST = lazy_re(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#\s]*)")


def _host(fact) -> Optional[Tuple[str, int, int]]:
    """(host, start, end) with start/end indices into ``fact.value``."""
    text = fact.value.text
    if isinstance(fact, ImageFact):
        from nexus_lint.values.imageref import ImageRefError, parse_normalized  # on first use (start-up time)

        try:
            ref = parse_normalized(text)
        except ImageRefError:
            return None
        if not ref.host_span:
            return None
        return ref.host, ref.host_span[0], ref.host_span[1]
    m = _URL_HOST.match(text)
    if not m or not m.group(1):
        return None
    return m.group(1), m.start(1), m.end(1)


def _distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _near_miss(host: str, known: Tuple[str, ...]) -> Optional[str]:
    """The known host ``host`` was probably meant to be, if any."""
    if host in known:
        return None
    best = None
    for k in known:
        d = _distance(host, k)
        if d <= 2 and (best is None or d < best[0]):
            best = (d, k)
    if best:
        return best[1]
    # Same organisation domain and a "nexus" label, but not a known host:
    # nexus.cwiq.io, nexus-shared.cwiq.io, nexus.prod.cwiq.io ...
    labels = host.split(".")
    for k in known:
        suffix = ".".join(k.split(".")[-2:])
        if host.endswith("." + suffix) and any("nexus" in label for label in labels[:-2]):
            return known[0]
    return None


def _facts(ctx: CheckContext) -> Iterator[object]:
    yield from ctx.facts.images
    yield from ctx.facts.urls


def run(ctx: CheckContext) -> None:
    policy = ctx.policy
    known = policy.nexus_hosts
    dev = policy.dev_host.lower()
    shared = policy.shared_host
    for fact in _facts(ctx):
        found = _host(fact)
        if found is None:
            continue
        host, i, j = found
        low = host.lower().rstrip(".")
        what = "image" if isinstance(fact, ImageFact) else "URL"
        if low == dev and ctx.is_ci:
            s, e, rel = _locate(fact, i, j)
            span = fact.value.span(i, j)
            fix = Fix((Edit(span[0], span[1], shared),), UNSAFE, f"use `{shared}`") if span else None
            ctx.report(
                NX301,
                s,
                e,
                f"the dev Nexus host `{host}` is used in CI context ({ctx.ci_reason}; {fact.origin}); "
                f"CI builds use `{shared}`",
                fix,
                rel,
            )
            continue
        meant = _near_miss(low, known)
        if meant is not None:
            s, e, rel = _locate(fact, i, j)
            span = fact.value.span(i, j)
            fix = Fix((Edit(span[0], span[1], meant),), UNSAFE, f"use `{meant}`") if span else None
            ctx.report(
                NX302,
                s,
                e,
                f"`{host}` in this {what} ({fact.origin}) is not a Nexus host; did you mean `{meant}`?",
                fix,
                rel,
            )


CHECK = Check((NX301, NX302), run, "hosts")
