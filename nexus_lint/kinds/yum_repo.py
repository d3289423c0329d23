"""yum/dnf ``*.repo`` files, ``yum.conf`` and ``dnf.conf``: ``baseurl`` (a list:
whitespace or commas), ``mirrorlist`` and ``metalink`` install, ``gpgkey`` is
browsed; ``$releasever``/``$basearch`` stay as written (they only ever sit in
paths).  Read with configparser, not strict (dnf keeps the last duplicate)."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG

KIND = FileKind(name="yum-repo", names=("yum.conf", "dnf.conf"), globs=("*.repo",),
                extractor="nexus_lint.kinds.yum_repo:extract", tokens=PACKAGE_CONFIG, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import BROWSE, INSTALL
    from nexus_lint.kinds.pkgcommon import ini_facts, url_facts

    roles = {"baseurl": INSTALL, "mirrorlist": INSTALL, "metalink": INSTALL, "gpgkey": BROWSE}

    def urls(entry) -> Iterator[object]:
        role = roles.get(entry.key)
        if role is not None:
            yield from url_facts(entry.value(), role, f".repo [{entry.section}] {entry.key}", sep=r"[\s,]+",
                                 use=entry.line_span)

    return ini_facts(source, False, ".repo", "yum", urls)
