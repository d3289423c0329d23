"""``pip.conf`` / ``pip.ini``: ``index-url``, ``extra-index-url`` and
``find-links`` (install) in any section, read as pip reads the file
(``RawConfigParser``, strict: continuation lines, ``#``/``;`` full-line
comments, keys case-insensitive, ``_`` = ``-``)."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG

KIND = FileKind(name="pip-conf", names=("pip.conf", "pip.ini"), extractor="nexus_lint.kinds.pip_conf:extract",
                tokens=PACKAGE_CONFIG, runnable=False)

_PIP_CONF_KEYS = ("index-url", "extra-index-url", "find-links")


def _pip_key(key: str) -> str:
    key = key.lower().replace("_", "-")
    return key[2:] if key.startswith("--") else key


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import INSTALL
    from nexus_lint.kinds.pkgcommon import ini_facts, url_facts

    def urls(entry) -> Iterator[object]:
        key = _pip_key(entry.key)
        if key in _PIP_CONF_KEYS:
            yield from url_facts(entry.value(), INSTALL, f"pip.conf [{entry.section}] {key}", use=entry.line_span)

    return ini_facts(source, True, "pip.conf", "pypi", urls)
