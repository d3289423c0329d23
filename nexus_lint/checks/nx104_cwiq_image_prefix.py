"""NX104 cwiq-image-prefix: an image name component with a forbidden prefix.

Every image reference, wherever it points and whatever its use, is checked:
``cwiq-app`` becomes ``{namespace}/app`` (an unsafe fix: other references to
the image must follow).
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, UNSAFE, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import IMAGES, Image, edit, fix_of, locate

NX104 = RuleMeta("NX104", "cwiq-image-prefix", ERROR, UNSAFE, "An image name uses the forbidden `cwiq-` prefix.",
                 precision="very-high")


def check(ctx: CheckContext, image: Image) -> None:
    prefixes = tuple(p.lower() for p in ctx.policy.forbidden_image_prefixes)
    ns = ctx.policy.image_namespace.strip("/")
    ref, fact = image.ref, image.fact
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
                s, e, rel = locate(fact, i, j)
                ctx.report(
                    NX104,
                    s,
                    e,
                    f"`{comp}` in `{image.text}` uses the forbidden `{prefix}` prefix; image names are `{ns}/{{project}}`",
                    fix_of([edit(fact, i, j, repl)], UNSAFE,
                           f"rename `{comp}` to `{repl}` (other references to the image must follow)"),
                    rel,
                )
                break
        pos += len(comp) + 1


RULE = Rule(NX104, {IMAGES: check})
