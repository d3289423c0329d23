"""Yarn Berry's ``.yarnrc.yml``: ``npmRegistryServer`` installs and
``npmPublishRegistry`` publishes, at the top and under ``npmScopes.<scope>``;
``${VAR}`` is the environment's.  ``npmAuthToken``/``npmAuthIdent`` (top,
``npmScopes``, ``npmRegistries``) are secrets."""

from __future__ import annotations

import re
from typing import Iterator

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

# above the catch-all "kubernetes" kind that takes every *.yml
KIND = FileKind(name="yarnrc", names=(".yarnrc.yml", ".yarnrc.yaml"), extractor="nexus_lint.kinds.yarnrc:extract",
                priority=25, tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)

_YARN_ENV = lazy_re(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}")
_YAML_COMMENT = lazy_re(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.M)


def extract(source, context) -> Iterator[object]:
    """The registries and credentials of the first document, and its suppressions."""
    from nexus_lint.core.model import INSTALL, PUBLISH
    from nexus_lint.kinds.yamlcommon import load_yaml, yaml_credentials
    from nexus_lint.lang import yamldoc

    text = source.text
    docs, problem = load_yaml(text)
    if problem is not None:
        yield problem
        return
    keys = {"npmRegistryServer": INSTALL, "npmPublishRegistry": PUBLISH}
    for doc in docs[:1]:
        for name, role in keys.items():
            yield from _yaml_url(yamldoc, doc, name, role, name, text)
        scopes = yamldoc.get(doc, "npmScopes")
        for scope, _k, node in yamldoc.items(scopes):
            for name, role in keys.items():
                yield from _yaml_url(yamldoc, node, name, role, f"npmScopes.{scope}.{name}", text)
    yield from yaml_credentials(docs[:1], text, "npm")  # npmAuthToken, npmAuthIdent (top, npmScopes, npmRegistries)
    if "nexus-lint" in text:
        from nexus_lint.kinds.pkgcommon import suppressions
        from nexus_lint.lang.textpos import Comment, own_line

        comments = [Comment(m.start(), m.group(0), own_line(text, m.start())) for m in _YAML_COMMENT.finditer(text)]
        yield from suppressions(source, comments)


def _yaml_url(yamldoc, mapping, key: str, role: str, origin: str, text: str) -> Iterator[object]:
    import yaml

    from nexus_lint.core.model import UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, mask

    node = yamldoc.get(mapping, key)
    if isinstance(node, yaml.ScalarNode):
        value = mask(yamldoc.scalar(node, text).strip(), _YARN_ENV)
        if HTTP.match(value.text):
            yield UrlFact(value, role, f".yarnrc.yml {origin}", value.extent() or (node.start_mark.index, node.end_mark.index))
