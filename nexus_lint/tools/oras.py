"""``oras``: the OCI artifacts it pushes and pulls, its registry login and its passwords.

``push REF FILE...``, ``attach REF FILE...``, ``tag REF TAG...``, ``manifest
push|delete``, ``blob push|delete``: the repository of REF is written (push);
``pull``, ``discover``, ``resolve``, ``manifest fetch|fetch-config``, ``blob
fetch``, ``repo tags``: read (pull); ``copy|cp SRC DST``: SRC pulled, DST
pushed.  ``REF:v1,latest`` pushes several tags: the first is judged.  A reference into a local OCI layout (``--oci-layout``,
``--from-oci-layout``/``--to-oci-layout``) names no registry.  ``login
REGISTRY`` (NX107) with ``-p/--password`` (NX403; NX401 when literal) and
``--password-stdin``; the ``-p`` and ``--from-``/``--to-password`` of the other
subcommands (NX401 when literal).
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, password_stdin
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import flag, opts, parse_options

__all__ = ["images", "logins", "credentials"]

_VALUED = opts("""
    -u --username -p --password --identity-token --registry-config --ca-file --cert-file --key-file --resolve
    --artifact-type --annotation -a --annotation-file --config --export-manifest --format --image-spec --platform
    --concurrency -o --output --media-type --artifact-platform --template --oci-layout-path --distribution-spec
    --from-username --from-password --from-registry-config --from-ca-file --from-cert-file --from-key-file
    --from-identity-token --from-resolve --from-distribution-spec --to-username --to-password --to-registry-config
    --to-ca-file --to-cert-file --to-key-file --to-identity-token --to-resolve --to-distribution-spec
    --depth --last
""")

_WRITES = frozenset({"push", "attach", "tag"})
_READS = frozenset({"pull", "discover", "resolve"})
_GROUPS = {  # group -> (subcommands that write, subcommands that read)
    "manifest": (frozenset({"push", "delete"}), frozenset({"fetch", "fetch-config"})),
    "blob": (frozenset({"push", "delete"}), frozenset({"fetch"})),
    "repo": (frozenset(), frozenset({"tags", "show-tags"})),
}


def images(out: ImageOut, i: int, cmd: Command) -> None:
    found, pos, _ = parse_options(cmd.argv[1:], _VALUED)
    if not pos:
        return
    sub = pos[0].value.text
    rest = pos[1:]
    origin = f"oras {sub}"
    if sub in ("copy", "cp"):
        if len(rest) >= 2:
            if not flag(found, "--from-oci-layout"):
                out.add(i, cmd, rest[0], PULL, origin)
            if not flag(found, "--to-oci-layout"):
                out.add(i, cmd, _first_tag(rest[1]), PUSH, origin)
        return
    if flag(found, "--oci-layout"):
        return
    role = None
    if sub in _GROUPS and rest:
        writes, reads = _GROUPS[sub]
        what = rest[0].value.text
        origin = f"oras {sub} {what}"
        role = PUSH if what in writes else PULL if what in reads else None
        rest = rest[1:]
    elif sub in _WRITES:
        role = PUSH
    elif sub in _READS:
        role = PULL
    if role is not None and rest:
        out.add(i, cmd, _first_tag(rest[0]), role, origin)


def _first_tag(word: Word) -> Word:
    """``host/repo:v1,latest`` (oras's several tags) -> ``host/repo:v1``."""
    text = word.value.text
    comma = text.find(",", text.rfind("/") + 1)
    return word.sub(0, comma) if comma > 0 else word


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _VALUED)
    if len(pos) >= 2 and pos[0].value.text == "login":
        out.add(cmd, pos[1], "oras login")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    sub = pos[0].value.text if pos else ""
    origin = f"oras {sub}".strip()
    for name, v in found:
        if name in ("-p", "--password") and sub == "login" and v is not None:
            out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name in ("-p", "--password", "--from-password", "--to-password") and v is not None:
            out.value(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name == "--password-stdin" and sub == "login":
            password_stdin(out, analysis, cmd, origin, "docker-login")
