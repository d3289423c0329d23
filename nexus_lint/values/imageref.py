"""Docker image references, parsed exactly as ``github.com/distribution/reference``.

This is a port of the Go module at commit ``0965666a`` (see
``tests/data/docker-reference/SOURCE.txt``) plus what the linter needs on top:
the character span of every part *as written*, so findings can point at, and fixes
can rewrite, exactly the registry host, port, path, tag or digest.

Entry points (each mirrors one Go function; ``ImageRef`` mirrors what it returns):

``parse(text)``              ``reference.Parse``: the grammar only.  The first path
                             component is the registry whenever it is domain-shaped and
                             a ``/`` follows (``"foo/bar"`` -> domain ``"foo"``).
``parse_normalized(text)``   ``reference.ParseNormalizedNamed``: what the Docker CLI does
                             with ``FROM``/``image:`` values (``splitDockerDomain``,
                             ``docker.io`` + ``library/`` defaults, lowercase check,
                             64-hex identifier rejection).  **Use this for image
                             references found in files.**
``parse_named(text)``        ``reference.ParseNamed`` (input must already be canonical).
``parse_docker_ref(text)``   ``reference.ParseDockerRef`` (tag dropped when a digest is
                             present, ``latest`` added when neither is).
``parse_any(text)``          ``reference.ParseAnyReference`` (also accepts a bare digest
                             or a 64-hex image id; such a result has no name).
``with_name/with_tag/with_digest``  the Go constructors.
``familiar_match(pattern, ref)``    ``reference.FamiliarMatch`` (Go ``path.Match``).
``is_docker_hub(ref)``       policy, not grammar: would Docker pull this from Docker Hub?

Every failure raises :class:`ImageRefError` (a ``ValueError``) whose ``code`` is one
of :data:`ERROR_CODES`.

Spans are half-open ``(start, end)`` indices into ``ImageRef.text`` (code points, as
everywhere in nexus-lint), ``None`` when that part is not written in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from nexus_lint.core.record import record, replace

from nexus_lint.core.lazyre import lazy_re

__all__ = [
    "DOCKER_HUB_ALIASES",
    "ERROR_CODES",
    "ImageRef",
    "ImageRefError",
    "REPOSITORY_NAME_TOTAL_LENGTH_MAX",
    "anchored_digest_regexp",
    "anchored_domain_and_port_regexp",
    "anchored_identifier_regexp",
    "anchored_name_regexp",
    "anchored_tag_regexp",
    "digest_regexp",
    "domain_and_port_regexp",
    "familiar_match",
    "identifier_regexp",
    "is_docker_hub",
    "name_regexp",
    "parse",
    "parse_any",
    "parse_docker_ref",
    "parse_named",
    "parse_normalized",
    "path_match",
    "reference_regexp",
    "tag_regexp",
    "with_digest",
    "with_name",
    "with_tag",
]

Span = tuple[int, int]  # half-open (start, end) in ImageRef.text

# --------------------------------------------------------------------------- constants

#: ``reference.RepositoryNameTotalLengthMax``: limit on the path (remote name) only.
REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255

DEFAULT_DOMAIN = "docker.io"  # normalize.go defaultDomain
LEGACY_DEFAULT_DOMAIN = "index.docker.io"  # normalize.go legacyDefaultDomain
OFFICIAL_REPO_PREFIX = "library/"  # normalize.go officialRepoPrefix
DEFAULT_TAG = "latest"  # normalize.go defaultTag
LOCALHOST = "localhost"

#: Hosts that ``is_docker_hub`` treats as Docker Hub by default (policy, see POLICY.md NX101).
DOCKER_HUB_ALIASES = ("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")

#: Digest algorithms accepted by Parse, with their hex length.  Like the upstream tests
#: (which register only crypto/sha256) every other algorithm is "unsupported".
_DIGEST_HEX_LENGTH = {"sha256": 64}

#: ``ImageRefError.code`` values and the Go error each one stands for.
ERROR_CODES = {
    "name-empty": "reference.ErrNameEmpty",
    "invalid-format": "reference.ErrReferenceInvalidFormat",
    "name-not-lowercase": "reference.ErrNameContainsUppercase / ParseNormalizedNamed lowercase check",
    "name-too-long": "reference.ErrNameTooLong",
    "name-not-canonical": "reference.ErrNameNotCanonical",
    "tag-invalid-format": "reference.ErrTagInvalidFormat",
    "digest-invalid-format": "reference.ErrDigestInvalidFormat / digest.ErrDigestInvalidFormat",
    "digest-invalid-length": "digest.ErrDigestInvalidLength",
    "digest-unsupported": "digest.ErrDigestUnsupported",
    "invalid-identifier": "ParseNormalizedNamed: 64-byte hexadecimal string",
    "no-name": "a digest-only reference where a named one is required",
    "bad-pattern": "path.ErrBadPattern",
}


class ImageRefError(ValueError):
    """An image reference (or pattern) the Go library would reject.

    ``code`` is a short id from :data:`ERROR_CODES`; ``text`` the offending input.
    """

    def __init__(self, code: str, message: str, text: str | None = None) -> None:
        self.code = code
        self.message = message
        self.text = text
        super().__init__(message if text is None else f"{message}: {text!r}")

    def __reduce__(self):  # keep it picklable across a process pool
        return (type(self), (self.code, self.message, self.text))


# --------------------------------------------------------------------------- grammar
# regexp.go, verbatim.  Go RE2 -> Python re: re.ASCII (so \w is [0-9A-Za-z_] as in Go),
# [[:xdigit:]] -> [0-9a-fA-F], and anchors \A...\Z (Python's `$` would also match before
# a trailing "\n", Go's does not).

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_NAME_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_OPTIONAL_PORT = r"(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_IDENTIFIER = r"([a-f0-9]{64})"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = _DOMAIN_NAME_COMPONENT + r"(?:\." + _DOMAIN_NAME_COMPONENT + r")*"
_HOST = r"(?:" + _DOMAIN_NAME + r"|" + _IPV6 + r")"
_DOMAIN_AND_PORT = _HOST + _OPTIONAL_PORT
_PATH_COMPONENT = _ALPHANUMERIC + r"(?:" + _SEPARATOR + _ALPHANUMERIC + r")*"
_REMOTE_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_NAME = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME

_A = re.ASCII

# Public, Go-shaped expressions (same capture groups, same numbering as Go).  The ones
# the parser itself uses are compiled at import; the others on first access (PEP 562
# module __getattr__ below), which keeps import cheap for a run that never needs them.
#: ``anchoredTagRegexp``
anchored_tag_regexp = lazy_re(r"\A" + _TAG + r"\Z", _A)
#: ``anchoredDigestRegexp``
anchored_digest_regexp = lazy_re(r"\A" + _DIGEST + r"\Z", _A)
#: ``anchoredIdentifierRegexp`` (group 1 = the identifier)
anchored_identifier_regexp = lazy_re(r"\A" + _IDENTIFIER + r"\Z", _A)

_LAZY_REGEXPS = {
    # ``DomainRegexp`` (unanchored: use ``.fullmatch``)
    "domain_and_port_regexp": _DOMAIN_AND_PORT,
    # ``^domainAndPort$``
    "anchored_domain_and_port_regexp": r"\A" + _DOMAIN_AND_PORT + r"\Z",
    # ``NameRegexp``, ``TagRegexp``, ``DigestRegexp``, ``IdentifierRegexp`` (unanchored)
    "name_regexp": _NAME,
    "tag_regexp": _TAG,
    "digest_regexp": _DIGEST,
    "identifier_regexp": _IDENTIFIER,
    # ``anchoredNameRegexp``: group 1 = domain (None when absent), group 2 = remote name
    "anchored_name_regexp": r"\A(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")\Z",
    # ``referenceRegexp``: group 1 = name, 2 = tag, 3 = digest (None when absent)
    "reference_regexp": r"\A(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?\Z",
}


def __getattr__(name: str) -> re.Pattern:
    pattern = _LAZY_REGEXPS.get(name)
    if pattern is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = re.compile(pattern, _A)
    return compiled


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_REGEXPS))


# Internal: the same expressions with every part captured, so one match gives all spans.
# Capturing does not change what a backtracking engine matches, and the domain/path split
# inside the reference equals anchoredNameRegexp applied to the name (both take the
# highest-priority split of the same name); the tests check this on every vector.
_DETAIL_DOMAIN = r"(?P<domain>(?P<host>" + _DOMAIN_NAME + r"|" + _IPV6 + r")(?::(?P<port>[0-9]+))?)"
_REFERENCE_DETAIL = lazy_re(
    r"\A(?P<name>(?:" + _DETAIL_DOMAIN + r"/)?(?P<path>" + _REMOTE_NAME + r"))"
    r"(?::(?P<tag>" + _TAG + r"))?(?:@(?P<digest>" + _DIGEST + r"))?\Z",
    _A,
)
_NAME_DETAIL = lazy_re(r"\A(?:" + _DETAIL_DOMAIN + r"/)?(?P<path>" + _REMOTE_NAME + r")\Z", _A)
_DOMAIN_DETAIL = lazy_re(r"\A" + _DETAIL_DOMAIN + r"\Z", _A)
_G_DOMAIN = _REFERENCE_DETAIL.groupindex["domain"]
_G_HOST = _REFERENCE_DETAIL.groupindex["host"]
_G_PORT = _REFERENCE_DETAIL.groupindex["port"]
_G_PATH = _REFERENCE_DETAIL.groupindex["path"]
_G_TAG = _REFERENCE_DETAIL.groupindex["tag"]
_G_DIGEST = _REFERENCE_DETAIL.groupindex["digest"]

# github.com/opencontainers/go-digest v1.0.0
_GO_DIGEST_ANCHORED = lazy_re(r"\A[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\Z", _A)
_ENCODED_HEX = lazy_re(r"\A[a-f0-9]+\Z", _A)


# --------------------------------------------------------------------------- result


@record(frozen=True)
class ImageRef:
    """One parsed reference.

    ``domain``/``host``/``port``/``path`` are the parts *as written* in ``text``;
    ``normalized_domain``/``normalized_path`` are what Go's ``Domain()``/``Path()``
    return for the same call (``parse`` does not normalize, so there they equal the
    written parts; ``parse_normalized`` fills in ``docker.io`` and ``library/``).

    ``host`` keeps IPv6 brackets (``"[::1]"``).  A part that is not written has
    span ``None`` even when it has a value (``parse_docker_ref`` adds tag ``latest``;
    a bare image id gets digest ``sha256:<id>`` whose span covers the id only).
    A digest-only result (``parse_any``) has ``path == ""`` and no name.
    """

    text: str
    domain: str
    host: str
    port: str | None
    path: str
    tag: str | None
    digest: str | None
    domain_span: Span | None
    host_span: Span | None
    port_span: Span | None
    path_span: Span | None
    tag_span: Span | None
    digest_span: Span | None
    normalized_domain: str
    normalized_path: str

    @property
    def is_named(self) -> bool:
        """False only for a digest-only reference (``parse_any("sha256:…")``)."""
        return bool(self.normalized_path)

    def name(self) -> str:
        """Go ``Name()``: ``normalized_domain/normalized_path`` ("" for digest-only)."""
        d = self.normalized_domain
        return d + "/" + self.normalized_path if d else self.normalized_path

    def normalized(self) -> str:
        """Go ``String()``: ``name[:tag][@digest]`` (the digest for digest-only)."""
        return self._with_suffix(self.name())

    def familiar_name(self) -> str:
        """Go ``FamiliarName``: ``docker.io/`` and a lone ``library/`` removed."""
        path = self.normalized_path
        if not path:
            return ""
        domain = self.normalized_domain
        if domain == DEFAULT_DOMAIN:
            if path.startswith(OFFICIAL_REPO_PREFIX) and "/" not in path[len(OFFICIAL_REPO_PREFIX):]:
                path = path[len(OFFICIAL_REPO_PREFIX):]
            return path
        return domain + "/" + path if domain else path

    def familiar(self) -> str:
        """Go ``FamiliarString``."""
        return self._with_suffix(self.familiar_name())

    def _with_suffix(self, name: str) -> str:
        if self.tag is not None:
            name = name + ":" + self.tag
        if self.digest is not None:
            name = name + "@" + self.digest if name else self.digest
        return name


# --------------------------------------------------------------------------- helpers


def _span(m: re.Match, group: int, shift: int = 0) -> Span | None:
    start, end = m.span(group)
    if start < 0:
        return None
    return (start - shift, end - shift)


def _digest_problem(dgst: str) -> tuple[str, str] | None:
    """go-digest ``Digest.Validate`` (v1.0.0, sha256 registered): None when valid."""
    i = dgst.find(":")
    if i <= 0 or i + 1 == len(dgst):
        return ("digest-invalid-format", "invalid checksum digest format")
    algorithm, encoded = dgst[:i], dgst[i + 1 :]
    length = _DIGEST_HEX_LENGTH.get(algorithm)
    if length is None:
        if _GO_DIGEST_ANCHORED.match(dgst) is None:
            return ("digest-invalid-format", "invalid checksum digest format")
        return ("digest-unsupported", "unsupported digest algorithm")
    if len(encoded) != length:
        return ("digest-invalid-length", "invalid checksum digest length")
    if _ENCODED_HEX.match(encoded) is None:
        return ("digest-invalid-format", "invalid checksum digest format")
    return None


def _match_reference(s: str, original: str) -> re.Match:
    """Go ``Parse`` up to the reference type; returns the detail match."""
    if not s:
        raise ImageRefError("name-empty", "repository name must have at least one component", original)
    m = _REFERENCE_DETAIL.match(s)
    if m is None:
        lowered = s.lower()
        if lowered != s and _REFERENCE_DETAIL.match(lowered) is not None:
            raise ImageRefError("name-not-lowercase", "repository name must be lowercase", original)
        raise ImageRefError("invalid-format", "invalid reference format", original)
    start, end = m.span(_G_PATH)
    if end - start > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        raise ImageRefError(
            "name-too-long",
            f"repository name must not be more than {REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters",
            original,
        )
    dgst = m.group(_G_DIGEST)
    if dgst is not None:
        problem = _digest_problem(dgst)
        if problem is not None:
            raise ImageRefError(problem[0], problem[1], original)
    return m


def _construct(domain: str, path: str, tag: str | None, dgst: str | None) -> ImageRef:
    """A reference built by the With* constructors: its text is its String()."""
    if domain:
        text = domain + "/" + path
        dm = _DOMAIN_DETAIL.match(domain)
        if dm is not None:
            host, port = dm.group("host"), dm.group("port")
            host_span = dm.span("host")
            port_span = dm.span("port") if port is not None else None
        else:  # not reachable from the public API; keep the result well-formed
            host, port, host_span, port_span = domain, None, (0, len(domain)), None
        domain_span: Span | None = (0, len(domain))
        path_start = len(domain) + 1
    else:
        text = path
        host, port, domain_span, host_span, port_span = "", None, None, None, None
        path_start = 0
    path_span = (path_start, path_start + len(path))
    tag_span = digest_span = None
    if tag is not None:
        tag_span = (len(text) + 1, len(text) + 1 + len(tag))
        text = text + ":" + tag
    if dgst is not None:
        digest_span = (len(text) + 1, len(text) + 1 + len(dgst))
        text = text + "@" + dgst
    return ImageRef(
        text, domain, host, port, path, tag, dgst,
        domain_span, host_span, port_span, path_span, tag_span, digest_span,
        domain, path,
    )


def _digest_only(text: str, dgst: str, span: Span) -> ImageRef:
    return ImageRef(text, "", "", None, "", None, dgst, None, None, None, None, None, span, "", "")


# --------------------------------------------------------------------------- parsers


def parse(text: str) -> ImageRef:
    """Go ``reference.Parse``: grammar only, domain = regexp split, no normalization."""
    m = _match_reference(text, text)
    domain = m.group(_G_DOMAIN)
    path = m.group(_G_PATH)
    if domain is None:
        domain = host = ""
        port = None
        domain_span = host_span = port_span = None
    else:
        host = m.group(_G_HOST)
        port = m.group(_G_PORT)
        domain_span = _span(m, _G_DOMAIN)
        host_span = _span(m, _G_HOST)
        port_span = _span(m, _G_PORT)
    return ImageRef(
        text, domain, host, port, path, m.group(_G_TAG), m.group(_G_DIGEST),
        domain_span, host_span, port_span, m.span(_G_PATH), _span(m, _G_TAG), _span(m, _G_DIGEST),
        domain, path,
    )


def parse_normalized(text: str) -> ImageRef:
    """Go ``reference.ParseNormalizedNamed``: how Docker reads ``FROM``/``image:``.

    ``domain``/``host``/``port``/``path`` describe the text split the
    ``splitDockerDomain`` way: ``domain == ""`` when no registry is written (Docker
    Hub implied), ``index.docker.io`` stays as written (``normalized_domain`` is
    ``docker.io``), ``path`` never has an added ``library/``.
    """
    if anchored_identifier_regexp.match(text) is not None:
        raise ImageRefError(
            "invalid-identifier",
            "invalid repository name, cannot specify 64-byte hexadecimal strings",
            text,
        )
    # splitDockerDomain
    slash = text.find("/")
    maybe = text[:slash] if slash >= 0 else ""
    if slash < 0:
        go_domain, written_domain = DEFAULT_DOMAIN, False
    elif maybe == LOCALHOST:
        go_domain, written_domain = maybe, True
    elif maybe == LEGACY_DEFAULT_DOMAIN:
        go_domain, written_domain = DEFAULT_DOMAIN, True
    elif "." in maybe or ":" in maybe or maybe.lower() != maybe:
        go_domain, written_domain = maybe, True
    else:
        go_domain, written_domain = DEFAULT_DOMAIN, False
    rest = slash + 1 if written_domain else 0
    add_library = go_domain == DEFAULT_DOMAIN and text.find("/", rest) < 0

    # lowercase check on the remote name (up to the first ':')
    colon = text.find(":", rest)
    remote = text[rest:] if colon < 0 else text[rest:colon]
    if remote.lower() != remote:
        prefix = OFFICIAL_REPO_PREFIX if add_library else ""
        raise ImageRefError(
            "name-not-lowercase",
            f"invalid reference format: repository name ({prefix}{remote}) must be lowercase",
            text,
        )

    # Parse(domain + "/" + remainder); text[rest:] keeps its characters, shifted by `shift`
    as_written = written_domain and go_domain == maybe  # text starts with Go's domain
    if as_written and not add_library:
        parsed = text
    else:
        parsed = go_domain + "/" + (OFFICIAL_REPO_PREFIX if add_library else "") + text[rest:]
    m = _match_reference(parsed, text)
    shift = len(parsed) - len(text)
    path_end = m.end(_G_PATH) - shift

    if not written_domain:
        domain = host = ""
        port = None
        domain_span = host_span = port_span = None
    else:
        domain = maybe
        domain_span = (0, slash)
        if as_written and m.start(_G_DOMAIN) == 0:
            # Go's domain is the written one, at the same offsets in `parsed` and `text`
            host, port = m.group(_G_HOST), m.group(_G_PORT)
            host_span, port_span = _span(m, _G_HOST), _span(m, _G_PORT)
        else:
            # "index.docker.io" (Go says "docker.io"), or the Go quirk where
            # splitDockerDomain takes a dotted first component that Parse cannot read as
            # a host ("foo_bar.com/app"): Parse then returns the whole name as the path
            # with Domain() == "".  Neither case has a port.
            host, port, host_span, port_span = domain, None, (0, slash), None
    return ImageRef(
        text, domain, host, port, text[rest:path_end], m.group(_G_TAG), m.group(_G_DIGEST),
        domain_span, host_span, port_span, (rest, path_end),
        _span(m, _G_TAG, shift), _span(m, _G_DIGEST, shift),
        m.group(_G_DOMAIN) or "", m.group(_G_PATH),
    )


def parse_named(text: str) -> ImageRef:
    """Go ``reference.ParseNamed``: ``parse_normalized`` of an already canonical name."""
    ref = parse_normalized(text)
    if ref.normalized() != text:
        raise ImageRefError("name-not-canonical", "repository name must be canonical", text)
    return ref


def parse_docker_ref(text: str) -> ImageRef:
    """Go ``reference.ParseDockerRef``: digest wins over tag; ``latest`` when neither."""
    ref = parse_normalized(text)
    if ref.digest is not None:
        if ref.tag is not None:
            return replace(ref, tag=None, tag_span=None)
        return ref
    if ref.tag is None:
        return replace(ref, tag=DEFAULT_TAG, tag_span=None)
    return ref


def parse_any(text: str) -> ImageRef:
    """Go ``reference.ParseAnyReference``: image id, bare digest, or a normalized name."""
    if anchored_identifier_regexp.match(text) is not None:
        return _digest_only(text, "sha256:" + text, (0, len(text)))
    if ":" in text and _digest_problem(text) is None:
        return _digest_only(text, text, (0, len(text)))
    return parse_normalized(text)


# --------------------------------------------------------------------------- constructors


def with_name(name: str) -> ImageRef:
    """Go ``reference.WithName``: a name without tag or digest (raw regexp split)."""
    m = _NAME_DETAIL.match(name)
    if m is None:
        raise ImageRefError("invalid-format", "invalid reference format", name)
    path = m.group("path")
    if len(path) > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        raise ImageRefError(
            "name-too-long",
            f"repository name must not be more than {REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters",
            name,
        )
    return _construct(m.group("domain") or "", path, None, None)


def _require_name(ref: ImageRef) -> None:
    if not ref.normalized_path:
        raise ImageRefError("no-name", "reference has no name", ref.text)


def with_tag(ref: ImageRef, tag: str) -> ImageRef:
    """Go ``reference.WithTag``: keeps the digest of ``ref``; text becomes ``String()``."""
    if anchored_tag_regexp.match(tag) is None:
        raise ImageRefError("tag-invalid-format", "invalid tag format", tag)
    _require_name(ref)
    return _construct(ref.normalized_domain, ref.normalized_path, tag, ref.digest)


def with_digest(ref: ImageRef, digest: str) -> ImageRef:
    """Go ``reference.WithDigest``: keeps the tag of ``ref``.

    Like Go this checks only the digest *grammar* (>= 32 hex digits), not go-digest
    validation, so the result may be a string ``parse`` would reject.
    """
    if anchored_digest_regexp.match(digest) is None:
        raise ImageRefError("digest-invalid-format", "invalid digest format", digest)
    _require_name(ref)
    return _construct(ref.normalized_domain, ref.normalized_path, ref.tag, digest)


# --------------------------------------------------------------------------- matching


class _BadPattern(Exception):
    """Internal: Go path.ErrBadPattern, turned into ImageRefError by path_match."""


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    star = False
    while pattern and pattern[0] == "*":
        pattern = pattern[1:]
        star = True
    inrange = False
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 < n:
                i += 1
        elif c == "[":
            inrange = True
        elif c == "]":
            inrange = False
        elif c == "*" and not inrange:
            return star, pattern[:i], pattern[i:]
        i += 1
    return star, pattern, ""


def _get_esc(chunk: str) -> tuple[str, str]:
    if not chunk or chunk[0] == "-" or chunk[0] == "]":
        raise _BadPattern
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise _BadPattern
    r, nchunk = chunk[0], chunk[1:]
    if not nchunk:
        raise _BadPattern
    return r, nchunk


def _match_chunk(chunk: str, s: str) -> tuple[str, bool]:
    failed = False
    while chunk:
        if not failed and not s:
            failed = True
        c = chunk[0]
        if c == "[":
            r = ""
            if not failed:
                r, s = s[0], s[1:]
            chunk = chunk[1:]
            negated = False
            if chunk and chunk[0] == "^":
                negated = True
                chunk = chunk[1:]
            match = False
            nrange = 0
            while True:
                if chunk and chunk[0] == "]" and nrange > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[0] == "-":
                    hi, chunk = _get_esc(chunk[1:])
                if r and lo <= r <= hi:
                    match = True
                nrange += 1
            if match == negated:
                failed = True
        elif c == "?":
            if not failed:
                if s[0] == "/":
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        else:
            if c == "\\":
                chunk = chunk[1:]
                if not chunk:
                    raise _BadPattern
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def path_match(pattern: str, name: str) -> bool:
    """Go ``path.Match``; raises ``ImageRefError(code="bad-pattern")`` for ErrBadPattern.

    ``*`` and ``?`` never match ``/``.  Go reports a malformed pattern only when matching
    reaches the bad part (or fails before it: then the rest is checked too), so a pattern
    can be "valid" for one name and an error for another, exactly as in Go.
    """
    try:
        return _path_match(pattern, name)
    except _BadPattern:
        raise ImageRefError("bad-pattern", "syntax error in pattern", pattern) from None


def _path_match(pattern: str, name: str) -> bool:
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return "/" not in name
        t, ok = _match_chunk(chunk, name)
        if ok and (not t or pattern):
            name = t
            continue
        matched_later = False
        if star:
            i = 0
            while i < len(name) and name[i] != "/":
                t, ok = _match_chunk(chunk, name[i + 1 :])
                if ok:
                    if not pattern and t:
                        i += 1
                        continue
                    name = t
                    matched_later = True
                    break
                i += 1
        if matched_later:
            continue
        while pattern:  # the rest of the pattern must still be well-formed
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name


def familiar_match(pattern: str, ref: ImageRef) -> bool:
    """Go ``reference.FamiliarMatch``: ``path.Match`` on the familiar string, then name."""
    try:
        matched = _path_match(pattern, ref.familiar())
    except _BadPattern:
        # Go still tries the familiar name (ignoring its error) but returns this error
        raise ImageRefError("bad-pattern", "syntax error in pattern", pattern) from None
    if not matched and ref.normalized_path:
        try:
            matched = _path_match(pattern, ref.familiar_name())
        except _BadPattern:
            matched = False
    return matched


# --------------------------------------------------------------------------- policy

_DEFAULT_ALIASES_LOWER = frozenset(a.lower() for a in DOCKER_HUB_ALIASES)


def _docker_registry(ref: ImageRef) -> tuple[str, str | None] | None:
    """(host, port) of the registry Docker would contact, None for Docker Hub implied.

    Re-applies the splitDockerDomain rule to the written name, so a ``parse`` result
    (where ``"bitnami/redis"`` has domain ``"bitnami"``) is judged like Docker does.
    """
    start = ref.domain_span[0] if ref.domain_span is not None else ref.path_span[0]
    name = ref.text[start : ref.path_span[1]]
    slash = name.find("/")
    if slash < 0:
        return None
    maybe = name[:slash]
    if not (maybe == LOCALHOST or "." in maybe or ":" in maybe or maybe.lower() != maybe):
        return None
    if maybe == ref.domain:
        return ref.host, ref.port
    dm = _DOMAIN_DETAIL.match(maybe)
    if dm is None:
        return maybe, None
    return dm.group("host"), dm.group("port")


def is_docker_hub(ref: ImageRef, aliases: Iterable[str] = DOCKER_HUB_ALIASES) -> bool:
    """Policy view: would this reference be pulled from Docker Hub?

    True when no registry is written (Docker Hub implied, including bare ``localhost``
    or ``example.com`` without a ``/``, which Docker itself normalizes to Hub), or when
    the written host equals one of ``aliases`` (case-insensitive) with no port or port
    ``443``.  A digest-only reference names no repository: False.
    """
    if ref.path_span is None:
        return False
    reg = _docker_registry(ref)
    if reg is None:
        return True
    host, port = reg
    if port is not None and port != "443":
        return False
    wanted = _DEFAULT_ALIASES_LOWER if aliases is DOCKER_HUB_ALIASES else {a.lower() for a in aliases}
    return host.lower() in wanted
