"""``mysql``, ``mariadb``, ``mysqladmin``, ``mysqldump``: the password given with
``-pPASSWORD`` or ``--password=``."""

from __future__ import annotations

from typing import Sequence

from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut

__all__ = ["credentials"]


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    for w in cmd.argv[1:]:
        t = w.value.text
        if t.startswith("--password="):
            out.value(cmd, w.sub(len("--password=")), "--password", f"{cmd.name} --password", "env")
        elif t.startswith("-p") and len(t) > 2 and not t.startswith("--"):
            out.value(cmd, w.sub(2), "-p", f"{cmd.name} -p", "env")
