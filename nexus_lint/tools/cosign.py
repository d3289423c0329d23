"""``cosign``: the images it signs, attests, verifies and copies, its registry login and passwords.

``sign IMAGE...``, ``attest IMAGE``, ``attach sbom|signature|attestation
IMAGE``, ``clean IMAGE``, ``load IMAGE``: write to the image's repository (a
push: the signature is stored next to the image); ``verify``,
``verify-attestation``, ``tree``, ``triangulate``, ``download ... IMAGE``,
``save IMAGE``: read (pull); ``copy SRC DST``: SRC pulled, DST pushed.
``login REGISTRY`` (NX107) with ``-p/--password`` (NX403; NX401 when literal);
``--registry-password VALUE`` of any subcommand (NX401 when literal).  ``--local-image`` reads a
local layout, no registry.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import flag, opts, parse_options

__all__ = ["images", "logins", "credentials"]

_VALUED = opts("""
    --key -a --annotations --attachment --certificate --certificate-chain --fulcio-url --identity-token
    --oidc-client-id --oidc-client-secret-file --oidc-issuer --oidc-provider --oidc-redirect-url
    --output-certificate --output-payload --output-signature --payload --rekor-url --registry-password
    --registry-token --registry-username --slot --timeout -t --attachment-tag-prefix --signing-config --bundle
    --trusted-root --predicate --type --certificate-identity --certificate-identity-regexp
    --certificate-oidc-issuer --certificate-oidc-issuer-regexp --certificate-github-workflow-name
    --certificate-github-workflow-ref --certificate-github-workflow-repository
    --certificate-github-workflow-sha --certificate-github-workflow-trigger --signature --sbom --input-format
    --dir --platform -o --output --output-file --ca-roots --ca-intermediates --max-workers --attestation
    --registry-referrers-mode --registry-cacert --registry-client-cert --registry-client-key
    --registry-server-name --policy --tsa-server-url --rfc3161-timestamp --username -u --password -p
    --fulcio-auth-flow
""")

_WRITES = frozenset({"sign", "attest", "clean", "load"})
_READS = frozenset({"verify", "verify-attestation", "tree", "triangulate", "save"})


def images(out: ImageOut, i: int, cmd: Command) -> None:
    found, pos, _ = parse_options(cmd.argv[1:], _VALUED)
    if not pos or flag(found, "--local-image"):
        return
    sub = pos[0].value.text
    rest = pos[1:]
    origin = f"cosign {sub}"
    if sub == "copy":
        if len(rest) >= 2:
            out.add(i, cmd, rest[0], PULL, origin)
            out.add(i, cmd, rest[1], PUSH, origin)
    elif sub in ("attach", "download") and len(rest) >= 2:
        out.add(i, cmd, rest[1], PUSH if sub == "attach" else PULL, f"{origin} {rest[0].value.text}")
    elif sub in _WRITES:
        for w in rest:
            out.add(i, cmd, w, PUSH, origin)
    elif sub in _READS:
        for w in rest:
            out.add(i, cmd, w, PULL, origin)


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _VALUED)
    if len(pos) >= 2 and pos[0].value.text == "login":
        out.add(cmd, pos[1], "cosign login")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    sub = pos[0].value.text if pos else ""
    origin = f"cosign {sub}".strip()
    for name, v in found:
        if v is None:
            continue
        if name in ("-p", "--password") and sub == "login":
            out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name == "--registry-password":
            out.value(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
