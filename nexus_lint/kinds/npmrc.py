"""``.npmrc``: ``registry`` and ``@scope:registry`` (install), read as npm's
``ini`` package decodes it (``;``/``#`` comments anywhere unescaped, quoted
values, ``${ENV}`` unknown: :mod:`nexus_lint.lang.npmrc`); ``_authToken``,
``_auth`` and ``_password`` are secrets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

if TYPE_CHECKING:
    from nexus_lint.core.sourced import SourcedStr

KIND = FileKind(name="npmrc", names=(".npmrc",), extractor="nexus_lint.kinds.npmrc:extract", nx000_needs_parse=False,
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)


def extract(source, context) -> Iterator[object]:
    """``.npmrc`` as npm's ``ini`` decodes it; top-level ``registry`` and
    ``@scope:registry`` keys (keys in a ``[section]`` are not npm config)."""
    from nexus_lint.core.model import INSTALL, UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, NPM_REGISTRY_KEY, mask, suppressions
    from nexus_lint.lang import npmrc

    text = source.text
    entries, comments = npmrc.read(text)
    for section, key, value, line in entries:
        if section is not None:
            continue
        yield from _npm_credentials(key.text, value)
        if NPM_REGISTRY_KEY.match(key.text):
            value = mask(value, npmrc.ENV_VAR)
            if HTTP.match(value.text):
                yield UrlFact(value, INSTALL, f".npmrc {key.text}", value.extent() or line.extent() or (0, 0))
    if "nexus-lint" in text:
        yield from suppressions(source, comments)


def _npm_credentials(key: str, value: SourcedStr) -> Iterator[object]:
    """``_authToken``, ``_auth``, ``_password`` (scoped ``//host/:_authToken`` too):
    anything but a ``${VAR}`` npm expands is a secret; a literal token can be
    replaced by ``${NPM_TOKEN}`` (an unsafe fix: the environment must set it)."""
    from nexus_lint.values.secrets import by_key

    token = key == "_authToken" or key.endswith(":_authToken")
    replacement = "${NPM_TOKEN}" if token and value.span() is not None else None
    yield from by_key(key, value, f".npmrc {key}", hint="npm", replacement=replacement)
