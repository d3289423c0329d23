"""``skopeo``: the images it copies, inspects, deletes and syncs, and its login.

``copy docker://SRC docker://DST``, ``inspect``, ``delete``, ``list-tags``,
``sync --src docker --dest docker``.  Only the ``docker://`` transport names a
registry image; ``oci:``, ``dir:``, ... do not.  ``skopeo login`` is read as
``docker login`` is (:func:`~.docker.login`, :func:`~.docker.login_registry`).
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.docker import login, login_registry
from nexus_lint.tools.images import ImageOut, registry_image
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import opts, parse_options, subcommand, values

__all__ = ["images", "credentials", "logins"]

_GLOBAL = opts("""
    --policy --registries.d --override-arch --override-os --override-variant --tmpdir
    --command-timeout --registries-conf --user-agent
""")
_VALUED = opts("""
    --authfile --src-authfile --dest-authfile --src-creds --dest-creds --creds --src-cert-dir
    --dest-cert-dir --cert-dir --src-registry-token --dest-registry-token --registry-token --format
    -f --sign-by --sign-by-sigstore --sign-by-sigstore-private-key --sign-passphrase-file
    --sign-identity --additional-tag --digestfile --dest-compress-format --dest-compress-level
    --encryption-key --encrypt-layer --decryption-key --image-parallel-copies --multi-arch
    --retry-times --retry-delay --src-shared-blob-dir --dest-shared-blob-dir --src -s --dest -d
    --append-suffix --override-arch --override-os --override-variant
""")


def images(out: ImageOut, i: int, cmd: Command) -> None:
    sub, rest = subcommand(cmd.argv[1:], _GLOBAL)
    if sub is None:
        return
    origin = f"skopeo {sub}"
    found, pos, _ = parse_options(rest, _VALUED)
    if sub == "copy":
        if len(pos) >= 2:
            out.add(i, cmd, registry_image(pos[0], require_transport=True), PULL, origin)
            out.add(i, cmd, registry_image(pos[1], require_transport=True), PUSH, origin)
    elif sub in ("inspect", "list-tags"):
        if pos:
            out.add(i, cmd, registry_image(pos[0], require_transport=True), PULL, origin)
    elif sub == "delete":
        if pos:
            out.add(i, cmd, registry_image(pos[0], require_transport=True), PUSH, origin)
    elif sub == "sync":
        src = [w.value.text for w in values(found, "-s", "--src")]
        dest = [w.value.text for w in values(found, "-d", "--dest")]
        if len(pos) >= 2:
            if src and src[-1] == "docker":
                out.add(i, cmd, pos[0], PULL, origin)
            if dest and dest[-1] == "docker":
                out.add(i, cmd, pos[1], PUSH, origin)


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    login(out, analysis, cmd)


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    word = login_registry(cmd)
    if word is not None:
        out.add(cmd, word, "skopeo login")
