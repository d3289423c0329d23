"""Registry logins from command lines (NX107): what the tool modules hand over,
and the shell session whose pushes and pulls each login serves.

A tool module (:mod:`.docker` for ``docker``/``podman``/``buildah``/``nerdctl``
``login``, :mod:`.skopeo`, :mod:`.helm` ``registry login``, :mod:`.oras`,
:mod:`.crane` ``auth login``, :mod:`.cosign`) adds the word naming the registry
to a :class:`LoginOut`; the fact's value is ``host[:port]`` (``https://``,
``oci://`` and a path such as ``/v2/`` left out).  A login with no registry
word (Docker Hub) or one whose registry is not known (``$CI_REGISTRY`` with no
value here) gives no fact.

:func:`in_scope` ties the logins of a list of facts to the image facts of the
same list: the host calls it once per shell session (a CI job's scripts, the
steps of a GitHub job, a Dockerfile's ``RUN`` lines), and
:func:`~.commands.command_facts` does it for one analysis.
"""

from __future__ import annotations

from nexus_lint.core.record import replace
from typing import Iterable, List, Optional

from nexus_lint.core.model import PULL_ROLES, PUSH, ImageFact, LoginFact
from nexus_lint.lang.shell import Command, Word

__all__ = ["LoginOut", "in_scope", "registry_part"]

_SCHEMES = ("https://", "http://", "oci://")


def registry_part(word: Word) -> Optional[Word]:
    """``host[:port]`` of a login's registry word (scheme and path left out)."""
    if not word.known:
        return None
    text = word.value.text
    start = 0
    for scheme in _SCHEMES:
        if text.lower().startswith(scheme):
            start = len(scheme)
            break
    end = text.find("/", start)
    end = len(text) if end < 0 else end
    if end <= start or any(c in text[start:end] for c in " \t\"'@"):
        return None
    return word.sub(start, end)


class LoginOut:
    """The login facts of one script's commands, in command order."""

    def __init__(self) -> None:
        self.facts: List[LoginFact] = []

    def add(self, cmd: Command, word: Optional[Word], origin: str) -> None:
        if word is None:
            return
        part = registry_part(word)
        if part is None or not part.value.text:
            return
        use = word.raw.extent()
        if use is None:
            use = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else (part.value.extent() or (0, 0))
        self.facts.append(LoginFact(part.value, origin, use, word.vars))


def in_scope(facts: Iterable[object], scope: str) -> List[object]:
    """``facts`` with every login tied to ``scope`` and to the pushes and pulls among them."""
    facts = list(facts)
    if not any(isinstance(f, LoginFact) for f in facts):
        return facts
    serves = tuple(f for f in facts if isinstance(f, ImageFact) and (f.role == PUSH or f.role in PULL_ROLES))
    return [replace(f, scope=scope, serves=serves) if isinstance(f, LoginFact) else f for f in facts]
