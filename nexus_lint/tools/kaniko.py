"""kaniko (``/kaniko/executor``): the images it pushes.

``--destination``/``-d`` and ``--cache-repo`` push (a destination is LOCAL with
``--no-push``, the cache repository pulled only with ``--no-push-cache``).
"""

from __future__ import annotations

from nexus_lint.core.model import LOCAL, PULL, PUSH
from nexus_lint.lang.shell import Command
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.options import flag, opts, parse_options, values

__all__ = ["images"]

_VALUED = opts("""
    --build-arg --cache-dir --cache-repo --cache-ttl -c --context --context-sub-path
    --custom-platform -d --destination --digest-file -f --dockerfile --git --ignore-path
    --image-download-retry --image-fs-extract-retry --image-name-with-digest-file
    --image-name-tag-with-digest-file --insecure-registry --kaniko-dir --label --log-format
    --oci-layout-path --push-retry --registry-certificate --registry-client-cert --registry-map
    --registry-mirror --skip-tls-verify-registry --snapshot-mode --tar-path --target -v
    --verbosity --compression --compression-level --credential-helpers --annotation
""")


def images(out: ImageOut, i: int, cmd: Command) -> None:
    found, _, _ = parse_options(cmd.argv[1:], _VALUED)
    no_push = flag(found, "--no-push")
    for w in values(found, "-d", "--destination"):
        out.add(i, cmd, w, LOCAL if no_push else PUSH, "kaniko --destination")
    cache_role = PULL if flag(found, "--no-push-cache") else PUSH
    for w in values(found, "--cache-repo"):
        out.add(i, cmd, w, cache_role, "kaniko --cache-repo")
