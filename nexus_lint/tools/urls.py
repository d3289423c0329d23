"""URL facts from command words and from environment-style values.

The tool modules (:mod:`.curl`, :mod:`.wget`, :mod:`.pip`, :mod:`.twine`,
:mod:`.poetry`, :mod:`.maven`, :mod:`.npm`, :mod:`.helm`, :mod:`.dnf`) hand
each word that holds URLs to a :class:`UrlOut` with a role (what the client
does with the URL) and, for HTTP clients, the method.  Whatever the tool, a URL
under ``/service/rest/`` is an API call and the health path a HEALTH check.
The environment a package client runs with counts too: ``PIP_INDEX_URL=... pip
install`` (or an earlier ``export``) gives the value's URL, located at the
assignment (:meth:`UrlOut.env`).

:func:`url_facts_in_value` is what hosts call for environment-style values
(Dockerfile ``ENV``/``ARG``, CI ``variables:``/``env:``): the role follows from
the variable's name (``PIP_INDEX_URL`` installs, ``TWINE_REPOSITORY_URL``
publishes), anything else is BROWSE.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import API, BROWSE, HEALTH, INSTALL, PUBLISH, UrlFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shell import Command, Word
from nexus_lint.values.urls import find_urls, parse_url

__all__ = ["UrlOut", "role_for_key", "url_facts_in_value"]

Span = Tuple[int, int]

# -- environment variables --------------------------------------------------------

_INSTALL_KEYS = frozenset({
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
    "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_FIND_LINKS",
    "NPM_CONFIG_REGISTRY", "YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY", "PNPM_CONFIG_REGISTRY",
    "PDM_PYPI_URL", "PIPENV_PYPI_MIRROR", "POETRY_SOURCE_URL", "HELM_REPO_URL",
})
_PUBLISH_KEYS = frozenset({
    "TWINE_REPOSITORY_URL", "UV_PUBLISH_URL", "YARN_NPM_PUBLISH_REGISTRY", "NPM_CONFIG_PUBLISH_REGISTRY",
    "PDM_PUBLISH_REPO", "HATCH_INDEX_REPO", "FLIT_INDEX_URL", "MAVEN_DEPLOY_URL",
})
_POETRY_REPO = lazy_re(r"^POETRY_REPOSITORIES_[A-Z0-9_]+_URL$")
_POETRY_SOURCE = lazy_re(r"^POETRY_SOURCES?_[A-Z0-9_]+_URL$")
_SCOPED_NPM = lazy_re(r"^NPM_CONFIG_@[^:]+:REGISTRY$")


def role_for_key(key: str) -> str:
    """The role of a URL held by the environment variable ``key``."""
    k = key.upper()
    if k in _PUBLISH_KEYS or _POETRY_REPO.match(k):
        return PUBLISH
    if k in _INSTALL_KEYS or _POETRY_SOURCE.match(k) or _SCOPED_NPM.match(k):
        return INSTALL
    return BROWSE


def _path_role(text: str, role: str) -> str:
    """API for the REST API and HEALTH for the health path, whatever the client."""
    url = parse_url(text)
    if url is None:
        return role
    path = url.path
    if path.startswith("/service/rest/"):
        return API
    if path.rstrip("/") == "/health" and role == BROWSE:
        return HEALTH
    return role


def url_facts_in_value(
    value: SourcedStr,
    key: str,
    origin: str,
    use: Optional[Span] = None,
    via: Tuple[str, ...] = (),
) -> Iterator[UrlFact]:
    """URL facts for the value of environment variable ``key`` (``ENV``, ``ARG``,
    CI variables): one per ``http(s)://`` URL inside it, so ``UV_INDEX="a=https://x
    b=https://y"`` and space-separated ``PIP_EXTRA_INDEX_URL`` lists give each URL.
    ``use`` defaults to where the value stands."""
    role = role_for_key(key)
    where = use if use is not None else (value.extent() or (0, 0))
    for s, e in find_urls(value.text):
        part = value[s:e]
        r = _path_role(part.text, role)
        yield UrlFact(part, r, origin, where, via, None)


# -- command words ------------------------------------------------------------------


class UrlOut:
    """The URL facts of one script's commands, in command order."""

    def __init__(self) -> None:
        self.facts: List[UrlFact] = []

    def word(self, cmd: Command, word: Optional[Word], role: str, origin: str, method: Optional[str] = None,
             *, path_roles: bool = True) -> None:
        if word is None:
            return
        use = word.raw.extent()
        if use is None:
            use = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else (word.value.extent() or (0, 0))
        for s, e in find_urls(word.value.text):
            part = word.value[s:e]
            r = _path_role(part.text, role) if path_roles else role
            self.facts.append(UrlFact(part, r, origin, use, word.vars, method))

    def env(self, cmd: Command, keys: Sequence[str], origin: str) -> None:
        """URLs in the environment the command runs with (``PIP_INDEX_URL=... pip``)."""
        env = cmd.env
        if not env:
            return
        use = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else None
        for key in keys:
            for k in (key, key.lower()):
                value = env.get(k) if hasattr(env, "get") else None
                if isinstance(value, SourcedStr) and value.text:
                    for fact in url_facts_in_value(value, k, f"{k} for {origin}", use, (k,)):
                        self.facts.append(fact)
                    break
