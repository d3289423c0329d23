"""``setup.cfg``: ``[easy_install]`` ``index_url``/``index-url`` and
``find_links`` (install: setuptools' ``setup_requires`` and ``easy_install``
fetch from them), read as setuptools reads the file (configparser, strict);
literal secrets in any value.  configparser has only full-line comments: the
marker ``# nexus-lint: ignore[NX202]`` goes on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG

KIND = FileKind(name="setup-cfg", names=("setup.cfg",), extractor="nexus_lint.kinds.setup_cfg:extract",
                tokens=PACKAGE_CONFIG, runnable=False)

_KEYS = {"index-url": "index_url", "find-links": "find_links", "allow-hosts": None}


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import INSTALL
    from nexus_lint.kinds.pkgcommon import ini_facts, url_facts

    def urls(entry) -> Iterator[object]:
        if entry.section.lower() != "easy_install":
            return
        key = entry.key.lower().replace("_", "-")
        if _KEYS.get(key):
            yield from url_facts(entry.value(), INSTALL, f"setup.cfg [easy_install] {_KEYS[key].replace('_', '-')}",
                                 use=entry.line_span)

    return ini_facts(source, True, "setup.cfg", "pypi", urls)
