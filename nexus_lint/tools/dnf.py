"""``dnf``, ``yum``, ``microdnf`` and ``yum-config-manager``: the package repositories they add.

``yum-config-manager --add-repo URL``, ``dnf config-manager --add-repo URL``
(dnf5 ``addrepo --from-repofile=URL``, ``--baseurl``): INSTALL.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import INSTALL
from nexus_lint.lang.shell import Command, Word
from nexus_lint.tools.options import opts, parse_options, subcommand
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls"]

_VALUED = opts("""
    --add-repo --from-repofile --setopt --set --repo --enablerepo --disablerepo -c --config --installroot
    --releasever --repofrompath --save-filename --id --baseurl
""")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    if tool == "yum-config-manager":
        _config_manager(out, cmd, args, "yum-config-manager")
        return
    sub, rest = subcommand(args, _VALUED)
    if sub == "config-manager":
        _config_manager(out, cmd, rest, f"{cmd.name} config-manager")


def _config_manager(out: UrlOut, cmd: Command, args: Sequence[Word], origin: str) -> None:
    found, _, _ = parse_options(args, _VALUED)
    for name, v in found:
        if name in ("--add-repo", "--from-repofile", "--baseurl") and v is not None:
            out.word(cmd, v, INSTALL, f"{origin} {name}", path_roles=False)
