"""``sshpass``: the password given with ``-p``."""

from __future__ import annotations

from typing import Sequence

from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut

__all__ = ["credentials"]


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    words = cmd.argv[1:]  # as written, after `python -m` too
    for k, w in enumerate(words):
        t = w.value.text
        if t == "-p" and k + 1 < len(words):
            out.value(cmd, words[k + 1], "sshpass -p", "sshpass -p", "env")
        elif t.startswith("-p") and len(t) > 2:
            out.value(cmd, w.sub(2), "sshpass -p", "sshpass -p", "env")
        elif not t.startswith("-"):
            return
