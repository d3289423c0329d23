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
