"""``bunfig.toml``: ``[install] registry`` (a URL string, or ``{ url = ...,
token = ... }``) and each ``[install.scopes]`` entry install; bun expands
``$VAR``/``${VAR}`` from the environment (unknown here); ``token`` and
``password`` are secrets.  ``# nexus-lint: ignore[NX202]`` at the end of the
line or on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(name="bunfig", names=("bunfig.toml", ".bunfig.toml"), extractor="nexus_lint.kinds.bunfig:extract",
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.lazyre import lazy_re
    from nexus_lint.core.model import INSTALL
    from nexus_lint.kinds.pkgcommon import toml_facts

    keys = {
        ("install", "registry"): (INSTALL, "bunfig.toml [install] registry"),
        ("install", "registry", "url"): (INSTALL, "bunfig.toml [install] registry.url"),
    }

    def scopes(path):
        if len(path) in (3, 4) and path[:2] == ("install", "scopes") and (len(path) == 3 or path[3] == "url"):
            return INSTALL, f"bunfig.toml [install.scopes] {path[2]}"
        return None

    return toml_facts(source, keys, "npm", lazy_re(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*"), scopes)
