"""Yarn 1's ``.yarnrc`` (the classic format, not ``.yarnrc.yml``): lines
``key value`` or ``key "value"``, keys quoted when they hold ``@`` or ``:``
(``"@scope:registry" "https://..."``), ``#`` comments.  ``registry`` and
``@scope:registry`` install; ``_authToken``, ``_auth``, ``_password`` (scoped
``//host/:_authToken`` too) are secrets.  ``# nexus-lint: ignore[NX202]`` at
the end of the line or on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(name="yarnrc-classic", names=(".yarnrc",), extractor="nexus_lint.kinds.yarnrc_classic:extract",
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import INSTALL, UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, NPM_REGISTRY_KEY, suppressions
    from nexus_lint.lang import yarnrc
    from nexus_lint.values.secrets import by_key

    text = source.text
    entries, comments, problem = yarnrc.read(text)
    if problem is not None:
        yield problem
    for entry in entries:
        key, value = entry.key.text, entry.value
        if entry.depth == 0 and NPM_REGISTRY_KEY.match(key) and HTTP.match(value.text):
            yield UrlFact(value, INSTALL, f".yarnrc {key}", value.extent() or entry.span)
        yield from by_key(key, value, f".yarnrc {key}", hint="npm")
    if "nexus-lint" in text:
        yield from suppressions(source, comments, [(e.line, e.line) for e in entries])
