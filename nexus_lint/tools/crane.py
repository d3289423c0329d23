"""``crane`` and ``gcrane``: the images they copy, push, pull, tag, mutate and read.

``copy|cp SRC DST``, ``push TARBALL DST``, ``pull IMG... TARBALL``, ``tag IMG
TAG``, ``mutate``/``append`` (the base pulls, ``-t`` pushes), ``delete``, and
the read-only ``digest``/``manifest``/``config``/``export``/``ls``; ``auth
login REGISTRY`` (NX107) with ``-p`` (NX403; NX401 when literal) or
``--password-stdin``.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, password_stdin
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import opts, parse_options, subcommand, values

__all__ = ["images", "logins", "credentials"]

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


# -- logins ------------------------------------------------------------------------------

_AUTH_LOGIN = opts("-u --username -p --password")


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    """``crane auth login REGISTRY``."""
    _, pos, _ = parse_options(args, _AUTH_LOGIN | _GLOBAL)
    if len(pos) >= 3 and [w.value.text for w in pos[:2]] == ["auth", "login"]:
        out.add(cmd, pos[2], f"{cmd.name} auth login")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    """``crane auth login -p PASSWORD`` (NX403; NX401 when literal) or ``--password-stdin``."""
    found, pos, _ = parse_options(args, _AUTH_LOGIN | _GLOBAL)
    if [w.value.text for w in pos[:2]] != ["auth", "login"]:
        return
    origin = f"{cmd.name} auth login"
    for name, v in found:
        if name in ("-p", "--password") and v is not None:
            out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name == "--password-stdin":
            password_stdin(out, analysis, cmd, origin, "docker-login")
