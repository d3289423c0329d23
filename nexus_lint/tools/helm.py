"""``helm``: the chart repositories it installs from and the password it is given.

``helm repo add NAME URL``: INSTALL; ``helm repo add|registry login|push|pull
--password``.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import INSTALL
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls", "credentials"]

_VALUED = opts("""
    --username --password --ca-file --cert-file --key-file --repository-config --repository-cache
    --kube-context --kubeconfig -n --namespace --registry-config --burst-limit --qps --kube-apiserver
    --kube-as-user --kube-as-group --kube-ca-file --kube-token --timeout
""")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _VALUED)
    words = [w.value.text for w in pos]
    if len(pos) >= 4 and words[:2] == ["repo", "add"]:
        out.word(cmd, pos[3], INSTALL, "helm repo add", path_roles=False)


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, _, _ = parse_options(args, _VALUED)
    for name, v in found:
        if name == "--password" and v is not None:
            out.value(cmd, v, "helm --password", "helm --password", "helm")
