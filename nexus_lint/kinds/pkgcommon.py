"""What the package-manager config kinds share (``pip.conf``, requirements
files, ``pyproject.toml``, ``.pypirc``, ``.npmrc``, ``.yarnrc.yml``,
``package.json``, ``.repo``, Maven XML, docker's ``config.json``): each file is
read the way its own tool reads it, by a reader of :mod:`nexus_lint.lang`.

Every value keeps the offset of each of its characters in the file, so a
finding lands on the literal and a fix edits only the characters it changes;
characters that did not stand verbatim in the file (an escape, a ``${VAR}``
the tool expands from the environment, a line joined by a backslash) are
unknown and never edited.

A file is a parse problem (NX000) only when its own tool would refuse it: pip
and twine fail on configparser errors (a key before any section, a duplicate
key in strict mode), npm and pip do not fail on odd requirement or ``.npmrc``
lines, TOML/JSON/YAML/XML that does not parse is broken for everyone.  XML
entity declarations are never expanded: a file that declares entities is not
read (NX000) rather than risk an expansion bomb.

Suppressions (``nexus-lint: ignore[NX201]``): formats whose tool strips
end-of-line comments (requirements files, ``.npmrc``, TOML, YAML, XML) accept
the marker at the end of the line; configparser formats (``pip.conf``,
``.pypirc``, ``.repo``) have only full-line comments, so the marker goes on
the line above.  A marker on a line of its own covers the next line and every
line of the entry that starts there.
"""

from __future__ import annotations

import re
from array import array
from typing import Callable, Iterator, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import UrlFact
from nexus_lint.core.sourced import UNKNOWN, SourcedStr

Span = Tuple[int, int]

HTTP = lazy_re(r"^https?://", re.I)
# npm's registry keys: ``registry`` and ``@scope:registry``
NPM_REGISTRY_KEY = lazy_re(r"^(?:@[^:]+:)?registry$")


def tokens(value: SourcedStr, sep: str = r"\s+") -> List[SourcedStr]:
    """The pieces of ``value`` between matches of ``sep``."""
    out = []
    pos = 0
    for m in re.finditer(sep, value.text):
        if m.start() > pos:
            out.append(value[pos:m.start()])
        pos = m.end()
    if pos < len(value.text):
        out.append(value[pos:])
    return out


def mask(value: SourcedStr, pattern: "re.Pattern[str]") -> SourcedStr:
    """Characters of ``pattern`` matches (``${VAR}`` the tool expands) become unknown."""
    matches = list(pattern.finditer(value.text))
    if not matches:
        return value
    offs = array("q", value.offsets)
    for m in matches:
        for k in range(m.start(), m.end()):
            offs[k] = UNKNOWN
    return SourcedStr(value.text, offs)


def url_facts(value: SourcedStr, role: str, origin: str, *, sep: str = r"\s+",
              use: Optional[Span] = None) -> Iterator[UrlFact]:
    """One fact per whitespace- (or ``sep``-) separated ``http(s)://`` token; its
    use is the token itself, or ``use`` when the token has no place in the file."""
    for tok in tokens(value, sep):
        if HTTP.match(tok.text):
            yield UrlFact(tok, role, origin, tok.extent() or use or value.extent() or (0, 0))


def suppressions(source, comments, entries=()) -> Iterator[object]:
    """The markers of a package config's comments (see the module's words)."""
    from nexus_lint.kinds.comments import suppressions as found

    return found(source, comments, entries)


def ini_facts(source, strict: bool, label: str, hint: str, urls: Callable[..., Iterator[object]]) -> Iterator[object]:
    """A configparser format: its parse problem, ``urls(entry)`` for each entry,
    its literal secrets and its suppressions."""
    from nexus_lint.lang import ini

    entries, comments, problem = ini.entries(source.text, strict=strict)
    if problem is not None:
        yield problem
    for entry in entries:
        yield from urls(entry)
    yield from _ini_credentials(entries, label, hint)
    if "nexus-lint" in source.text:
        yield from suppressions(source, comments, [(e.first_line, e.last_line) for e in entries])


def _ini_credentials(entries: list, label: str, hint: str) -> Iterator[object]:
    """Literal secrets of an ini file (``password = ...``, ``proxy_password``) and
    URL passwords or tokens in any value; configparser formats expand nothing,
    so only a literal that is no ``$VAR``/``%(x)s`` look-alike counts."""
    from nexus_lint.values.secrets import by_key

    for entry in entries:
        if entry.section == "distutils":
            continue
        yield from by_key(entry.key, entry.value(), f"{label} [{entry.section}] {entry.key}", hint=hint)


def toml_facts(source, keys, hint: str, env_var=None, tables=None) -> Iterator[object]:
    """A TOML file's parse problem, a URL fact for each string at a path of
    ``keys`` (path -> (role, origin)) or in a table whose path ``tables(path)``
    maps to (role, origin), its literal secrets and its suppressions."""
    from nexus_lint.core.model import UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, mask, suppressions
    from nexus_lint.lang import toml
    from nexus_lint.values.secrets import by_key

    text = source.text
    problem = toml.check(text)
    if problem is not None:
        yield problem
        return
    scan = toml.TomlScan(text)
    try:
        scan.parse()
    except (toml.TomlError, ValueError, IndexError):
        return  # tomllib accepted it; the scanner could not follow: no facts rather than wrong ones
    for path, value, _ in scan.strings:
        hit = keys.get(path) or (tables(path) if tables is not None else None)
        if hit is not None:
            url = mask(value, env_var) if env_var is not None else value
            if HTTP.match(url.text):
                role, origin = hit
                yield UrlFact(url, role, origin, url.extent() or value.extent() or (0, 0))
    for path, value, _ in scan.strings:
        key = next((p for p in reversed(path) if p != "[]"), "")
        yield from by_key(key, value, ".".join(p for p in path if p != "[]"), hint=hint)
    if "nexus-lint" in text:
        entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for s, e in scan.entries]
        yield from suppressions(source, scan.comments, entries)


_PIP_OPTIONS = {"-i": "--index-url", "--index-url": "--index-url", "--extra-index-url": "--extra-index-url",
                "-f": "--find-links", "--find-links": "--find-links"}


def pip_option_urls(line: SourcedStr, origin: str) -> Iterator[UrlFact]:
    """The index URLs of pip options on one requirements-style line (``-i URL``,
    ``--index-url=URL``, ``--extra-index-url URL``, ``-f URL``, ``-iURL``)."""
    from nexus_lint.core.model import INSTALL

    words = tokens(line)
    for k, word in enumerate(words):
        w = word.text
        if w in _PIP_OPTIONS:
            if k + 1 < len(words):
                yield from url_facts(words[k + 1], INSTALL, f"{origin} {_PIP_OPTIONS[w]}")
            continue
        name, eq, _rest = w.partition("=")
        if eq and name in _PIP_OPTIONS and name.startswith("--"):
            yield from url_facts(word[len(name) + 1:], INSTALL, f"{origin} {_PIP_OPTIONS[name]}")
        elif w[:2] in ("-i", "-f") and HTTP.match(w[2:]):
            yield from url_facts(word[2:], INSTALL, f"{origin} {_PIP_OPTIONS[w[:2]]}")


def yaml_url(yamldoc, node, text: str, role: str, origin: str, env_var=None) -> Iterator[UrlFact]:
    """A URL fact for a YAML scalar that is an ``http(s)://`` URL."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value = yamldoc.scalar(node, text).strip()
        if env_var is not None:
            value = mask(value, env_var)
        if HTTP.match(value.text):
            yield UrlFact(value, role, origin, value.extent() or (node.start_mark.index, node.end_mark.index))
