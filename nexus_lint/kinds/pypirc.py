"""``.pypirc``: twine reads it with ``RawConfigParser``; every server's
``repository`` is where it publishes."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG

KIND = FileKind(name="pypirc", names=(".pypirc",), extractor="nexus_lint.kinds.pypirc:extract",
                tokens=PACKAGE_CONFIG, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import PUBLISH
    from nexus_lint.kinds.pkgcommon import ini_facts, url_facts

    def urls(entry) -> Iterator[object]:
        if entry.key == "repository" and entry.section != "distutils":
            yield from url_facts(entry.value(), PUBLISH, f".pypirc [{entry.section}] repository", use=entry.line_span)

    return ini_facts(source, True, ".pypirc", "pypi", urls)
