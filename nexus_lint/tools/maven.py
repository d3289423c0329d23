"""``mvn`` (``./mvnw``): the repository it deploys to.

``mvn deploy -DaltDeploymentRepository=id::URL`` (and the release/snapshot
variants), ``deploy:deploy-file -Durl=URL``: PUBLISH.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import PUBLISH
from nexus_lint.lang.shell import Command, Word
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls"]

_PUBLISH_PROPS = ("altDeploymentRepository", "altReleaseDeploymentRepository", "altSnapshotDeploymentRepository")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    goals = [w.value.text for w in args if not w.value.text.startswith("-")]
    deploy_file = any(g.endswith("deploy-file") for g in goals)
    k = 0
    while k < len(args):
        w = args[k]
        t = w.value.text
        if t == "-D" and k + 1 < len(args):
            w, t = args[k + 1], "-D" + args[k + 1].value.text
            k += 1
            start = 0
        else:
            start = 2
        if t.startswith("-D"):
            prop, eq, _ = t[2:].partition("=")
            if eq and (prop in _PUBLISH_PROPS or (deploy_file and prop == "url")):
                out.word(cmd, w.sub(start + len(prop) + 1), PUBLISH, f"mvn -D{prop}", path_roles=False)
        k += 1
