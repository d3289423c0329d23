"""``Pipfile`` (pipenv, TOML): ``[[source]] url`` installs; pipenv expands
``${VAR}``/``$VAR`` in it from the environment (unknown here).  Literal
secrets in any string.  ``# nexus-lint: ignore[NX202]`` at the end of the
line or on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(name="pipfile", names=("pipfile",), extractor="nexus_lint.kinds.pipfile:extract",
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.lazyre import lazy_re
    from nexus_lint.core.model import INSTALL

    from nexus_lint.kinds.pkgcommon import toml_facts

    return toml_facts(source, {("source", "[]", "url"): (INSTALL, "Pipfile [[source]] url")}, "pypi",
                      lazy_re(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*"))
