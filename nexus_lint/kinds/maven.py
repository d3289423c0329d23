"""Maven ``settings.xml`` and ``pom.xml`` (and ``*.pom``).

``settings.xml``: ``mirrors/mirror/url`` and profile repositories install.
``pom.xml``: ``distributionManagement`` (snapshot) ``repository/url``
publishes; ``repositories`` and ``pluginRepositories`` install.  ``${...}`` is
Maven interpolation: unknown here.  Secret-like elements (``servers/server``
``password``, ``<nexus.password>`` properties) are secrets.
"""

from __future__ import annotations

from typing import Dict, Iterator, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG, XML_ESCAPES

KIND = FileKind(name="maven", names=("settings.xml", "pom.xml"), globs=("*.pom",), extractor="nexus_lint.kinds.maven:extract",
                tokens=PACKAGE_CONFIG + XML_ESCAPES, runnable=False)

_MAVEN_VAR = lazy_re(r"\$\{[^}]*\}")


def _paths() -> Dict[Tuple[str, ...], Tuple[str, str]]:
    """Element path -> (role, origin) of every URL element read."""
    from nexus_lint.core.model import INSTALL as install, PUBLISH as publish

    return {
        ("settings", "mirrors", "mirror", "url"): (install, "settings.xml mirror url"),
        ("settings", "profiles", "profile", "repositories", "repository", "url"): (install, "settings.xml profile repository url"),
        ("settings", "profiles", "profile", "pluginRepositories", "pluginRepository", "url"): (install, "settings.xml profile pluginRepository url"),
        ("project", "distributionManagement", "repository", "url"): (publish, "pom.xml distributionManagement repository url"),
        ("project", "distributionManagement", "snapshotRepository", "url"): (publish, "pom.xml distributionManagement snapshotRepository url"),
        ("project", "repositories", "repository", "url"): (install, "pom.xml repository url"),
        ("project", "pluginRepositories", "pluginRepository", "url"): (install, "pom.xml pluginRepository url"),
        ("project", "profiles", "profile", "repositories", "repository", "url"): (install, "pom.xml profile repository url"),
        ("project", "profiles", "profile", "pluginRepositories", "pluginRepository", "url"): (install, "pom.xml profile pluginRepository url"),
        ("project", "profiles", "profile", "distributionManagement", "repository", "url"): (publish, "pom.xml profile distributionManagement repository url"),
        ("project", "profiles", "profile", "distributionManagement", "snapshotRepository", "url"): (publish, "pom.xml profile distributionManagement snapshotRepository url"),
    }


def _maven_credentials(elements) -> Iterator[object]:
    """``<password>``/``<passphrase>`` of ``servers/server`` and any element with a
    secret-like name (``<nexus.password>`` properties); ``${env.X}`` and Maven's
    encrypted ``{...}`` are references, not literals."""
    from nexus_lint.values.secrets import by_key, is_secret_key

    for path, value, span in elements:
        name = path[-1]
        if is_secret_key(name) and value.text.strip():
            yield from by_key(name, value, f"{'/'.join(path[-3:])}", span, hint="maven", secret=True)


def extract(source, context) -> Iterator[object]:
    """The repository URLs, the credentials and the suppressions of a Maven file."""
    from nexus_lint.core.model import UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, mask, suppressions
    from nexus_lint.lang import xml

    text = source.text
    elements, comments, problem = xml.read(text)
    if problem is not None:
        yield problem
        return
    paths = _paths()
    for path, value, span in elements:
        hit = paths.get(path)
        if hit is None:
            continue
        value = mask(value.strip(), _MAVEN_VAR)
        if HTTP.match(value.text):
            role, origin = hit
            yield UrlFact(value, role, origin, value.extent() or span)
    yield from _maven_credentials(elements)
    if "nexus-lint" in text:
        entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for p, _v, (s, e) in elements if len(p) > 1]
        yield from suppressions(source, comments, entries)
