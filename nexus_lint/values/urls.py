"""URL analysis, done once for every rule: scheme, host, port, path and the
Nexus repository a URL names, with the span of each part inside the text.

:func:`parse_url` reads one URL the way a WHATWG/RFC 3986 parser splits it
(``scheme://[userinfo@]host[:port][/path][?query][#fragment]``; an IPv6 host
is bracketed, ``[::1]:8081``; the authority ends at the first ``/``, ``?`` or
``#``; userinfo ends at the *last* ``@`` of the authority).  Hosts compare
case-insensitively and without a trailing dot, and only as a whole:
``nexus.shared.cwiq.io.evil.com`` is not ``nexus.shared.cwiq.io``.

The repository is the path segment after ``/repository/``; its kind (group,
proxy, hosted) and environment (dev, uat, prod) come from the organisation's
naming conventions (:class:`RepoConventions`): the name is split into words on
``-``, ``_`` and ``.``, a kind word anywhere names the kind (``pypi-group``,
``yum-group-prod``, ``raw-hosted-dev``) and an environment word at the end
names the environment.

:func:`find_urls` locates ``http(s)://`` URLs inside arbitrary text (an
``ENV`` value, a CI variable, ``UV_INDEX=name=https://...``).

Characters the caller could not resolve (a ``${VAR}`` left as written) are
just text here: a host written as ``${NEXUS_HOST}`` is never a Nexus host, and
a port that is not a number makes the text no URL at all.
"""

from __future__ import annotations

import re
from nexus_lint.core.record import record, replace
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re

__all__ = [
    "GROUP",
    "PROXY",
    "HOSTED",
    "RepoConventions",
    "DEFAULT_CONVENTIONS",
    "conventions_for",
    "NexusUrl",
    "parse_url",
    "find_urls",
    "repository_words",
]

GROUP = "group"
PROXY = "proxy"
HOSTED = "hosted"

Span = Tuple[int, int]


@record(frozen=True)
class RepoConventions:
    """How repository names say what they are (POLICY.md: ``pypi-group``,
    ``pypi-hosted``, ``yum-hosted-dev``, ``yum-group-{env}``, ``raw-hosted-dev``).

    Every field is a list of lower-case words matched against the words of a
    repository name (split on ``-``, ``_``, ``.``).
    """

    group_words: Tuple[str, ...] = ("group",)
    proxy_words: Tuple[str, ...] = ("proxy",)
    hosted_words: Tuple[str, ...] = ("hosted",)
    # environment suffixes, in promotion order
    environments: Tuple[str, ...] = ("dev", "uat", "prod")
    # environments only promotion may write (ALLOW_ONCE): CI must not upload there
    promoted_environments: Tuple[str, ...] = ("uat", "prod")
    # words naming a PyPI-format repository (its index lives under ``simple/``)
    pypi_words: Tuple[str, ...] = ("pypi",)
    # the path prefix under which Nexus serves repositories
    repository_path: str = "/repository/"


DEFAULT_CONVENTIONS = RepoConventions()

# Policy attribute -> RepoConventions field, for when the lead wires them into Policy.
_POLICY_FIELDS = {
    "repository_group_words": "group_words",
    "repository_proxy_words": "proxy_words",
    "repository_hosted_words": "hosted_words",
    "repository_environments": "environments",
    "promoted_environments": "promoted_environments",
    "pypi_repository_words": "pypi_words",
    "repository_path": "repository_path",
}


def conventions_for(policy) -> RepoConventions:
    """The naming conventions of ``policy`` (defaults for what it does not set)."""
    changes = {}
    for attr, name in _POLICY_FIELDS.items():
        value = getattr(policy, attr, None)
        if value is None:
            continue
        if isinstance(value, str) and name != "repository_path":
            value = (value,)
        if isinstance(value, (tuple, list)):
            value = tuple(str(v).lower() for v in value)
        changes[name] = value
    return RepoConventions(**changes) if changes else DEFAULT_CONVENTIONS


_WORD_SPLIT = lazy_re(r"[-_.]")
_REPO_NAME = lazy_re(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def repository_words(name: str) -> List[Tuple[str, int, int]]:
    """``(word lower-cased, start, end)`` of each word of a repository name."""
    out = []
    pos = 0
    for part in _WORD_SPLIT.split(name):
        if part:
            out.append((part.lower(), pos, pos + len(part)))
        pos += len(part) + 1
    return out


@record(frozen=True)
class NexusUrl:
    """One parsed URL; every span indexes ``text``."""

    text: str
    scheme: str  # lower-cased
    scheme_span: Span
    userinfo: Optional[str]
    userinfo_span: Optional[Span]
    host: str  # as written, IPv6 brackets removed
    host_span: Span  # as written, brackets included
    port: Optional[int]  # explicit port, None when absent
    port_span: Optional[Span]  # the digits (the ``:`` stands just before)
    path: str  # "" when the URL has none
    path_span: Span
    query: str  # without the "?"
    fragment: str  # without the "#"
    repository: Optional[str] = None  # the name after /repository/
    repository_span: Optional[Span] = None
    repository_kind: Optional[str] = None  # GROUP, PROXY, HOSTED or None
    repository_env: Optional[str] = None  # "dev", "uat", "prod" or None
    repository_rest: str = ""  # the path after "/repository/<name>/"

    @property
    def hostname(self) -> str:
        """The host for comparisons: lower-cased, without a trailing dot."""
        return self.host.lower().rstrip(".")

    @property
    def is_ipv6(self) -> bool:
        return self.text[self.host_span[0]:self.host_span[0] + 1] == "["

    def is_host(self, host: str) -> bool:
        return self.hostname == host.lower().rstrip(".")

    def query_param(self, name: str) -> Optional[Tuple[str, Span]]:
        """The first ``name=value`` of the query, with the value's span."""
        if not self.query:
            return None
        base = self.path_span[1] + 1
        pos = 0
        for part in self.query.split("&"):
            key, eq, value = part.partition("=")
            if eq and key == name:
                start = base + pos + len(key) + 1
                return value, (start, start + len(value))
            pos += len(part) + 1
        return None

    def shown(self) -> str:
        """The URL for messages: a password in the userinfo (or a user that is a
        token, ``https://glpat-...@host``) is never shown."""
        if self.userinfo and ":" in self.userinfo and self.userinfo_span:
            user = self.userinfo.split(":", 1)[0]
            s, e = self.userinfo_span
            return self.text[:s] + user + ":*****" + self.text[e:]
        if self.userinfo and self.userinfo_span and len(self.userinfo) >= 20:
            from nexus_lint.values.tokens import find_tokens

            if find_tokens(self.userinfo):
                s, e = self.userinfo_span
                return self.text[:s] + "*****" + self.text[e:]
        return self.text


_SCHEME = lazy_re(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_BAD_URL_CHARS = lazy_re(r"[\s\x00-\x1f\x7f]")


def parse_url(text: str, conventions: RepoConventions = DEFAULT_CONVENTIONS) -> Optional[NexusUrl]:
    """Parse ``text`` as one URL; ``None`` when it is not one (no ``scheme://``,
    whitespace or control characters inside, an empty host, a port that is not
    a number in 1-65535, an unterminated IPv6 literal)."""
    m = _SCHEME.match(text)
    if not m or _BAD_URL_CHARS.search(text):
        return None
    scheme = m.group(1).lower()
    scheme_span = (0, m.end(1))
    a0 = m.end()
    a1 = a0
    n = len(text)
    while a1 < n and text[a1] not in "/?#":
        a1 += 1
    authority = text[a0:a1]
    at = authority.rfind("@")
    userinfo = userinfo_span = None
    h0 = a0
    if at >= 0:
        userinfo = authority[:at]
        userinfo_span = (a0, a0 + at)
        h0 = a0 + at + 1
    if h0 < a1 and text[h0] == "[":
        close = text.find("]", h0, a1)
        if close < 0:
            return None
        host = text[h0 + 1:close]
        h1 = close + 1
        if h1 < a1 and text[h1] != ":":
            return None
    else:
        colon = text.find(":", h0, a1)
        h1 = colon if colon >= 0 else a1
        host = text[h0:h1]
    if not host:
        return None
    port = None
    port_span = None
    if h1 < a1:  # ":" then the port
        digits = text[h1 + 1:a1]
        if digits:
            if not digits.isdigit() or not digits.isascii():
                return None
            value = int(digits)
            if not 0 < value < 65536:
                return None
            port = value
            port_span = (h1 + 1, a1)
    p1 = a1
    while p1 < n and text[p1] not in "?#":
        p1 += 1
    path = text[a1:p1]
    query = fragment = ""
    if p1 < n and text[p1] == "?":
        q1 = text.find("#", p1)
        q1 = n if q1 < 0 else q1
        query = text[p1 + 1:q1]
        if q1 < n:
            fragment = text[q1 + 1:]
    elif p1 < n:
        fragment = text[p1 + 1:]
    url = NexusUrl(
        text=text,
        scheme=scheme,
        scheme_span=scheme_span,
        userinfo=userinfo,
        userinfo_span=userinfo_span,
        host=host,
        host_span=(h0, h1),
        port=port,
        port_span=port_span,
        path=path,
        path_span=(a1, p1),
        query=query,
        fragment=fragment,
    )
    return _with_repository(url, conventions)


def _with_repository(url: NexusUrl, conv: RepoConventions) -> NexusUrl:
    prefix = conv.repository_path
    path = url.path
    if not prefix or not path.startswith(prefix):
        return url
    start = len(prefix)
    end = path.find("/", start)
    end = len(path) if end < 0 else end
    name = path[start:end]
    if not _REPO_NAME.match(name):
        return url
    base = url.path_span[0]
    kind, env = classify(name, conv)
    rest = path[end + 1:] if end < len(path) else ""
    return replace(
        url,
        repository=name,
        repository_span=(base + start, base + end),
        repository_kind=kind,
        repository_env=env,
        repository_rest=rest,
    )


def classify(name: str, conv: RepoConventions = DEFAULT_CONVENTIONS) -> Tuple[Optional[str], Optional[str]]:
    """(kind, environment) of a repository name; ``None`` for what it does not say.

    A name with words of two kinds (``group-hosted``) has no kind: a rule that
    acts on the kind must not guess.
    """
    words = [w for w, _, _ in repository_words(name)]
    kinds = set()
    for kind, vocab in ((GROUP, conv.group_words), (PROXY, conv.proxy_words), (HOSTED, conv.hosted_words)):
        if any(w in vocab for w in words):
            kinds.add(kind)
    kind = kinds.pop() if len(kinds) == 1 else None
    env = words[-1] if words and words[-1] in conv.environments else None
    return kind, env


def kind_word_span(name: str, kind: str, conv: RepoConventions = DEFAULT_CONVENTIONS) -> Optional[Span]:
    """Span inside ``name`` of the word that names ``kind``."""
    vocab = {GROUP: conv.group_words, PROXY: conv.proxy_words, HOSTED: conv.hosted_words}[kind]
    for word, s, e in repository_words(name):
        if word in vocab:
            return (s, e)
    return None


def with_kind(name: str, kind: str, conv: RepoConventions = DEFAULT_CONVENTIONS) -> Optional[str]:
    """``pypi-group`` -> ``pypi-hosted`` (the same name with its kind word replaced)."""
    current, _ = classify(name, conv)
    if current is None or current == kind:
        return None
    span = kind_word_span(name, current, conv)
    vocab = {GROUP: conv.group_words, PROXY: conv.proxy_words, HOSTED: conv.hosted_words}[kind]
    if span is None or not vocab:
        return None
    word = name[span[0]:span[1]]
    new = vocab[0].upper() if word.isupper() else vocab[0]
    return name[:span[0]] + new + name[span[1]:]


def is_pypi(name: str, conv: RepoConventions = DEFAULT_CONVENTIONS) -> bool:
    return any(w in conv.pypi_words for w, _, _ in repository_words(name))


# -- URLs inside text ------------------------------------------------------------------

_FIND = lazy_re(r"(?<![A-Za-z0-9+.-])https?://[^\s\"'<>`\\|^]+", re.I)
_TRAILING = ".,;:!?"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def find_urls(text: str) -> List[Span]:
    """Spans of the ``http://`` / ``https://`` URLs in ``text``.

    A URL ends at whitespace, a quote, ``<``, ``>``, a backtick, a backslash,
    ``|`` or ``^``; trailing sentence punctuation and unbalanced closing
    brackets are not part of it (``(see https://x/a)`` gives ``https://x/a``).
    """
    out: List[Span] = []
    for m in _FIND.finditer(text):
        s, e = m.start(), m.end()
        counts = {}  # closing bracket -> [opened, closed] inside s:e (counted once: linear)
        while e > s:
            c = text[e - 1]
            if c in _TRAILING:
                e -= 1
                continue
            if c in _PAIRS:
                if c not in counts:
                    counts[c] = [text.count(_PAIRS[c], s, e), text.count(c, s, e)]
                opened_closed = counts[c]
                if opened_closed[0] < opened_closed[1]:
                    opened_closed[1] -= 1
                    e -= 1
                    continue
            break
        if e - s > len("http://"):
            out.append((s, e))
    return out
