"""Command knowledge: the facts analysed shell commands give, from the tool that runs each.

:func:`command_facts` is what hosts call (shell scripts, Dockerfile ``RUN``,
CI scripts, package.json scripts, Python ``subprocess``): every command of a
:class:`~nexus_lint.lang.shell.ShellAnalysis` goes to the module of its tool in
the table of tools (:mod:`.table`), and the facts come out by kind, each kind
in command order:

* images (:func:`image_facts`): ``docker``/``podman``/``nerdctl``/``buildah``
  (:mod:`.docker`), kaniko (:mod:`.kaniko`), ``crane`` (:mod:`.crane`),
  ``skopeo`` (:mod:`.skopeo`);
* URLs (:func:`url_facts`): ``curl``, ``wget``, ``pip``/``uv``, ``twine``,
  ``poetry``, ``mvn``, ``npm``/``yarn``/``pnpm``, ``helm``, ``dnf``/``yum``;
* REST API calls (:func:`api_call_facts`): ``curl``;
* registry logins (:func:`login_facts`): ``docker``-family ``login``,
  ``skopeo login``, ``helm registry login``, ``oras login``, ``crane auth
  login``, ``cosign login``, each tied to the pushes and pulls of the same
  analysis (:func:`~.logins.in_scope`; a host whose shell session spans several
  analyses ties them again over the session);
* credentials (:func:`credential_facts`): secret-like assignments and token
  shapes in any word, then what each tool is given (registry logins, HTTP
  authentication, package publishing, ``sshpass``, ``mysql``).

A malformed command line gives no URL, API-call or credential fact, never a
crash.  :func:`worth_analysing` tells hosts whether a piece of shell can give a
fact at all, from the same table.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Dict, Iterator, List, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ApiCallFact, CredentialFact, ImageFact, LoginFact, UrlFact
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut, argument_credentials, assignment_credentials
from nexus_lint.tools.images import ImageOut
from nexus_lint.tools.logins import LoginOut, in_scope
from nexus_lint.tools.table import TOOLS, Tool
from nexus_lint.tools.urls import UrlOut

__all__ = ["command_facts", "image_facts", "url_facts", "api_call_facts", "credential_facts", "login_facts",
           "worth_analysing", "TRIGGER"]

# Words that make a piece of shell worth analysing whatever the command: a URL
# (any case), or a credential word (analysed for the credential facts).
_URL_WORDS = r"https?://"
_CREDENTIAL_WORDS = r"pass|pwd|secret|token|auth|credential|api_key|apikey|api-key|npm_|pypi-|glpat-|ghp_|github_pat_"

# Hosts (Dockerfile RUN, CI script lines) skip the tree-sitter parse without one of these.
TRIGGER = lazy_re(
    "|".join(w for t in TOOLS if t.exact for w in t.trigger_words())
    + "|(?i:" + _URL_WORDS
    + r"|\b(?:" + "|".join(w for t in TOOLS if not t.exact for w in t.trigger_words()) + r")\b"
    + "|" + _CREDENTIAL_WORDS + ")"
)


def worth_analysing(text: str) -> bool:
    return TRIGGER.search(text) is not None


# -- the table of tools ----------------------------------------------------------------

_BY_NAME: Dict[str, Tool] = {name: tool for tool in TOOLS for name in tool.names}
_HANDLERS: Dict[Tuple[str, str], object] = {}  # (module, kind) -> its function or None


def _handler(name: str, kind: str):
    """The function of the tool called ``name`` that gives facts of ``kind``, if any."""
    tool = _BY_NAME.get(name)
    if tool is None:
        return None
    key = (tool.module, kind)
    if key not in _HANDLERS:
        module = import_module(f"nexus_lint.tools.{tool.module}")
        _HANDLERS[key] = getattr(module, kind, None)
    return _HANDLERS[key]


_PYTHON = lazy_re(r"^python[0-9.]*$")


def _tool(cmd: Command) -> Tuple[str, List[Word]]:
    """(tool name, its arguments): ``python -m pip install`` is ``pip install``."""
    name = cmd.name
    args = list(cmd.argv[1:])
    if _PYTHON.match(name) and len(args) >= 2:
        k = 0
        while k < len(args) and args[k].value.text.startswith("-") and args[k].value.text != "-m":
            k += 1
        if k + 1 < len(args) and args[k].value.text == "-m" and args[k + 1].known:
            return args[k + 1].value.text, args[k + 2:]
        if k < len(args) and args[k].value.text.startswith("-m") and len(args[k].value.text) > 2:
            return args[k].value.text[2:], args[k + 1:]
    if name.startswith("pip") and re.match(r"^pip[0-9.]*$", name):
        return "pip", args
    if name == "mvnw":
        return "mvn", args
    return name, args


# -- the facts, kind by kind ---------------------------------------------------------------


def command_facts(analysis: ShellAnalysis, *, strict_assignments: bool = True,
                  test_code: bool = False) -> Iterator[object]:
    """Every fact the command knowledge draws from analysed shell: what hosts call.
    ``strict_assignments=False``: a secret-like variable's literal is judged by its
    value (a script's constants); ``test_code``: only token shapes count there."""
    images = list(image_facts(analysis))
    logins = list(login_facts(analysis))
    if logins:
        starts = [c.start for c in analysis.commands if c.start >= 0]
        scoped = in_scope(images + logins, f"shell at {min(starts) if starts else 0}")
        logins = scoped[len(images):]
    yield from images
    yield from logins
    yield from url_facts(analysis)
    yield from api_call_facts(analysis)
    yield from credential_facts(analysis, strict_assignments, test_code)


def image_facts(analysis: ShellAnalysis) -> Iterator[ImageFact]:
    """Image references used by the analysed commands, in command order."""
    out = ImageOut()
    for i, cmd in enumerate(analysis.commands):
        images = _handler(cmd.name, "images")
        if images is not None:
            images(out, i, cmd)
    yield from out.facts()


def _handled(analysis: ShellAnalysis, kind: str):
    """(command, tool name, arguments, the tool's function) of each command whose tool gives ``kind``."""
    for cmd in analysis.commands:
        tool, args = _tool(cmd)
        handler = _handler(tool, kind)
        if handler is not None:
            yield cmd, tool, args, handler


def url_facts(analysis: ShellAnalysis) -> Iterator[UrlFact]:
    """URL facts of the analysed commands, in command order."""
    out = UrlOut()
    for cmd, tool, args, urls in _handled(analysis, "urls"):
        try:
            urls(out, cmd, tool, args)
        except (IndexError, ValueError):  # a malformed command line gives no facts, never a crash
            continue
    return iter(out.facts)


def api_call_facts(analysis: ShellAnalysis) -> Iterator[ApiCallFact]:
    """REST API requests of the analysed commands, in command order."""
    memo: Dict[str, object] = {}
    for cmd, _, args, api_calls in _handled(analysis, "api_calls"):
        try:
            yield from api_calls(analysis, cmd, args, memo)
        except (IndexError, ValueError):
            continue


def login_facts(analysis: ShellAnalysis) -> Iterator[LoginFact]:
    """Registry logins of the analysed commands, in command order."""
    out = LoginOut()
    for cmd, tool, args, logins in _handled(analysis, "logins"):
        try:
            logins(out, cmd, tool, args)
        except (IndexError, ValueError):
            continue
    return iter(out.facts)


def credential_facts(analysis: ShellAnalysis, strict_assignments: bool = True,
                     test_code: bool = False) -> Iterator[CredentialFact]:
    """Credentials in the analysed commands and assignments, in order.  Command
    arguments (``docker login -p``, ``curl -u``) are always judged strictly."""
    out = CredentialOut(test_code)
    assignment_credentials(out, analysis, strict_assignments, test_code)
    for cmd in analysis.commands:
        tool, args = _tool(cmd)
        credentials = _handler(tool, "credentials")
        if credentials is not None:
            try:
                credentials(out, analysis, cmd, tool, args)
            except (IndexError, ValueError):  # a malformed command line gives no facts, never a crash
                pass
        argument_credentials(out, cmd)
    return iter(out.facts)
