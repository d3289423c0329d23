"""``twine``: the repository it publishes to and the password it is given.

``twine upload|register|check --repository-url URL`` (or
``TWINE_REPOSITORY_URL`` for ``upload``): PUBLISH; ``-p/--password``.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PUBLISH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls", "credentials"]

_VALUED = opts("""
    --repository-url -r --repository -u --username -p --password --client-cert --cert -c --comment
    -i --identity --sign-with --config-file
""")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    sub = pos[0].value.text if pos else ""
    if sub not in ("upload", "register", "check"):
        return
    for name, v in found:
        if name == "--repository-url" and v is not None:
            out.word(cmd, v, PUBLISH, f"twine {sub} --repository-url", path_roles=False)
    if sub == "upload":
        out.env(cmd, ("TWINE_REPOSITORY_URL",), "twine upload")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, _, _ = parse_options(args, _VALUED)
    for name, v in found:
        if name in ("-p", "--password") and v is not None:
            out.value(cmd, v, f"twine {name}", f"twine {name}", "pypi")
