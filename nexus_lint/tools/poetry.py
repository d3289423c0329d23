"""``poetry``: the repositories it publishes to and installs from, the credentials it stores.

``poetry config repositories.NAME URL``: PUBLISH; ``poetry source add NAME
URL``: INSTALL; ``poetry config http-basic.NAME USER PASSWORD`` and
``pypi-token.NAME TOKEN``: credentials.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import INSTALL, PUBLISH, TOKEN
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls", "credentials"]

_GLOBAL = opts("-C --directory -P --project")
_URL_VALUED = _GLOBAL | opts("--priority")  # poetry source add --priority


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _URL_VALUED)
    words = [w.value.text for w in pos]
    if len(pos) >= 3 and words[0] == "config" and words[1].startswith("repositories."):
        out.word(cmd, pos[2], PUBLISH, f"poetry config {words[1]}", path_roles=False)
    elif len(pos) >= 4 and words[:2] == ["source", "add"]:
        out.word(cmd, pos[3], INSTALL, "poetry source add")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _GLOBAL)
    words = [w.value.text for w in pos]
    if len(pos) >= 3 and words[0] == "config":
        key = words[1]
        if key.startswith("http-basic.") and len(pos) >= 4:
            out.value(cmd, pos[3], key, f"poetry config {key}", "pypi")
        elif key.startswith("pypi-token."):
            out.value(cmd, pos[2], key, f"poetry config {key}", "pypi", TOKEN)
