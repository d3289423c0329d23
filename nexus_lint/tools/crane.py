"""``crane`` and ``gcrane``: the images they copy, push, pull, tag, mutate and read.

``copy|cp SRC DST``, ``push TARBALL DST``, ``pull IMG... TARBALL``, ``tag IMG
TAG``, ``mutate``/``append`` (the base pulls, ``-t`` pushes), ``delete``, and
the read-only ``digest``/``manifest``/``config``/``export``/``ls``.
"""

from __future__ import annotations

from nexus_lint.core.model import PULL, PUSH
from nexus_lint.lang.shell import Command
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.options import opts, parse_options, subcommand, values

__all__ = ["images"]

_GLOBAL = opts("--platform")
_VALUED = {  # by subcommand
    "copy": opts("-j --jobs --platform"),
    "push": opts("--image-refs --platform"),
    "pull": opts("--cache_path --format --platform"),
    "mutate": opts("""-a --annotation --append --cmd --entrypoint -e --env --exposed-ports -l --label
                      -o --output --repo --set-platform -t --tag -u --user -w --workdir --platform"""),
    "append": opts("-b --base -f --new_layer -o --output -t --new_tag --platform"),
}

_READS = frozenset({"digest", "manifest", "config", "export", "ls", "validate", "blob"})


def images(out: ImageOut, i: int, cmd: Command) -> None:
    sub, rest = subcommand(cmd.argv[1:], _GLOBAL)
    if sub is None:
        return
    sub = "copy" if sub == "cp" else sub
    origin = f"{cmd.name} {sub}"
    found, pos, _ = parse_options(rest, _VALUED.get(sub, _GLOBAL))
    if sub == "copy":
        if len(pos) >= 2:
            out.add(i, cmd, pos[0], PULL, origin)
            out.add(i, cmd, pos[1], PUSH, origin)
    elif sub == "push":
        if len(pos) >= 2:
            out.add(i, cmd, pos[1], PUSH, origin)
    elif sub == "pull":
        for w in pos[:-1]:
            out.add(i, cmd, w, PULL, origin)
    elif sub in ("tag", "delete"):
        if pos:
            out.add(i, cmd, pos[0], PUSH, origin)
    elif sub == "mutate":
        if pos:
            out.add(i, cmd, pos[0], PULL, origin)
        for w in values(found, "-t", "--tag"):
            out.add(i, cmd, w, PUSH, origin + " --tag")
    elif sub == "append":
        for w in values(found, "-b", "--base"):
            out.add(i, cmd, w, PULL, origin + " --base")
        for w in values(found, "-t", "--new_tag"):
            out.add(i, cmd, w, PUSH, origin + " --new_tag")
    elif sub in _READS:
        if pos:
            out.add(i, cmd, pos[0], PULL, origin)
