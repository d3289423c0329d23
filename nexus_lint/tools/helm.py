"""``helm``: the chart repositories and OCI registries it uses, its registry
login and the password it is given.

* ``helm repo add NAME URL`` and ``--repo URL`` (``install``, ``upgrade``,
  ``template``, ``pull``, ``show``): an HTTP chart repository, INSTALL (not
  Docker: a Docker port on a Nexus host there is NX201);
* ``helm push CHART oci://HOST[:PORT]/PATH``: an OCI push (the registry and
  path after ``oci://`` is the image reference the NX1 rules judge);
* ``helm pull|install|upgrade|template|show ... oci://...`` (and
  ``dependency``-free chart references): OCI pulls;
* ``helm registry login HOST[:PORT]`` (NX107), with ``-u/--username``,
  ``-p/--password`` (a password on the command line, NX403; NX401 when
  literal) and ``--password-stdin`` (the literal piped in, as for ``docker
  login``); ``--password`` of ``repo add``, ``push``, ``pull`` and the others.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.model import INSTALL, PULL, PUSH
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, password_stdin
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.logins import LoginOut
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut

__all__ = ["images", "urls", "logins", "credentials"]

_VALUED = opts("""
    --username -u --password -p --ca-file --cert-file --key-file --repository-config --repository-cache
    --kube-context --kubeconfig -n --namespace --registry-config --burst-limit --qps --kube-apiserver
    --kube-as-user --kube-as-group --kube-ca-file --kube-token --kube-tls-server-name --timeout
    --content-cache --version --repo -f --values --set --set-string --set-file --set-json --set-literal
    --keyring --post-renderer --post-renderer-args --description --name-template -o --output -d --destination
    --untardir --kube-version -a --api-versions -s --show-only --output-dir -l --labels --history-max --jsonpath
    --max-col-width
""")

# Subcommands that read a chart from a registry (helm show has a sub-subcommand).
_PULLS = frozenset({"pull", "fetch", "install", "upgrade", "template", "show", "inspect"})
_OCI = "oci://"


def _args(cmd: Command):
    """(positional word texts, positional words, options) of a helm command line."""
    found, pos, _ = parse_options(cmd.argv[1:], _VALUED)
    return [w.value.text for w in pos], pos, found


def _oci(word: Word):
    """The registry reference of an ``oci://`` word, else ``None``."""
    if word.value.text.lower().startswith(_OCI):
        return word.sub(len(_OCI))
    return None


def images(out: ImageOut, i: int, cmd: Command) -> None:
    words, pos, _ = _args(cmd)
    if not words:
        return
    sub = words[0]
    if sub == "push" and len(pos) >= 3:
        out.add(i, cmd, _oci(pos[2]), PUSH, "helm push")
    elif sub in _PULLS:
        for w in pos[1:]:
            ref = _oci(w)
            if ref is not None:
                out.add(i, cmd, ref, PULL, f"helm {sub}")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    words = [w.value.text for w in pos]
    if len(pos) >= 4 and words[:2] == ["repo", "add"]:
        out.word(cmd, pos[3], INSTALL, "helm repo add", path_roles=False)
    elif words and words[0] in _PULLS:
        for name, v in found:
            if name == "--repo" and v is not None:
                out.word(cmd, v, INSTALL, f"helm {words[0]} --repo", path_roles=False)


def logins(out: LoginOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _VALUED)
    words = [w.value.text for w in pos]
    if len(pos) >= 3 and words[:2] == ["registry", "login"]:
        out.add(cmd, pos[2], "helm registry login")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    words = [w.value.text for w in pos]
    if words[:2] == ["registry", "login"]:
        origin = "helm registry login"
        for name, v in found:
            if name in ("-p", "--password") and v is not None:
                out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "helm")
            elif name == "--password-stdin":
                password_stdin(out, analysis, cmd, origin, "helm")
        return
    for name, v in found:
        if name == "--password" and v is not None:
            out.value(cmd, v, "helm --password", "helm --password", "helm")
