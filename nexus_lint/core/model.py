"""The fact / finding / fix model shared by extractors, rules, the pipeline and reporters.

Facts are small immutable records produced by extractors; rules turn facts into
findings; findings may carry a fix made of text edits; a :class:`FileResult`
holds what the pipeline found in one file.  Every location is a half-open
range of offsets into the file's decoded text (code points, BOM excluded); the
pipeline turns offsets into 1-based lines and columns.
"""

from __future__ import annotations

from nexus_lint.core.record import field, record
from typing import TYPE_CHECKING, List, Optional, Tuple

from nexus_lint.core.secret import Secret
from nexus_lint.core.sourced import SourcedStr

if TYPE_CHECKING:
    from nexus_lint.core.source import SourceFile

ERROR = "error"
WARNING = "warning"
SEVERITIES = (WARNING, ERROR)  # ordered: later is more severe

SAFE = "safe"
UNSAFE = "unsafe"

# Image roles
PULL = "pull"
PUSH = "push"
BUILD_BASE = "build-base"
UNKNOWN_ROLE = "unknown"  # used in a place that may pull or push
LOCAL = "local"  # a name that only lives on this machine (a build tag nothing pushes, a tag source)
PULL_ROLES = frozenset({PULL, BUILD_BASE})

Span = Tuple[int, int]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@record(frozen=True)
class RuleMeta:
    """Public identity of a rule: never changes once shipped."""

    id: str
    name: str
    severity: str
    fix: Optional[str]  # SAFE, UNSAFE or None (suggestion only)
    summary: str
    # How often a finding is right on real code (SARIF's precision: very-high,
    # high, medium, low), measured by the real-world runs (fuzz/): code scanning
    # sorts by it, and the GitLab report's severity follows it.
    precision: str = "high"


@record(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str


@record(frozen=True)
class Fix:
    edits: Tuple[Edit, ...]
    safety: str  # SAFE or UNSAFE
    description: str


@record(frozen=True)
class Related:
    start: int
    end: int
    message: str


@record
class Finding:
    rule: RuleMeta
    path: str  # display path, relative to the working directory where possible
    start: int
    end: int
    message: str
    fix: Optional[Fix] = None
    related: Tuple[Related, ...] = ()
    suppressed: bool = False
    # filled in by the pipeline from the source file
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    severity: str = ""
    usage: bool = False  # not a finding about the file but a mistake in it (an unknown rule id): exit 2

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = self.rule.severity


@record
class FileResult:
    """What the pipeline found in one file, and what fixing it did."""

    path: str  # display path
    findings: List[Finding]
    source: Optional[SourceFile] = None  # kept while there are findings
    kind: Optional[str] = None
    fixed_text: Optional[str] = None  # set when fixes changed the text
    fixes_applied: int = 0
    dropped_fixes: List[str] = field(default_factory=list)
    # the file could not be read or parsed (also when NX000 is not selected): never fixed
    parse_failed: bool = False
    # where the secrets of the (fixed) text stand: positions only, never a value
    secrets: Tuple[Tuple[int, int], ...] = ()


# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------


@record(frozen=True)
class ImageFact:
    """A container image reference used by the file.

    ``value`` is the reference after variable substitution; its offsets say
    where each character stands (the literal may sit in an ``ARG`` line while
    the use is a ``FROM``).  ``use`` is the span of the token at the use site.
    """

    value: SourcedStr
    role: str  # PULL, PUSH, BUILD_BASE or UNKNOWN_ROLE
    origin: str  # what uses it, for messages: "FROM", "COPY --from", ...
    use: Span
    via: Tuple[str, ...] = ()  # variables the value came through
    ci: bool = False  # CI context although the file is not (the recipe of a make target CI runs)


@record(frozen=True)
class LoginFact:
    """A registry login: ``docker login HOST[:PORT]`` (podman, buildah, nerdctl,
    skopeo too), ``helm registry login``, ``oras login``, ``crane auth login``,
    ``cosign login``, a login action.

    ``value`` is the registry the login names (``host[:port]``, a scheme and a
    path left out), with offsets as for images; ``use`` is the login word.
    ``scope`` names the shell session whose commands the credentials serve (one
    shell analysis, a CI job's ``before_script`` and ``script``, the steps of a
    GitHub job, a Dockerfile) and ``serves`` holds the image facts of that
    session: the pushes and pulls the login is for (NX107).
    """

    value: SourcedStr
    origin: str  # "docker login", "helm registry login", ...
    use: Span
    via: Tuple[str, ...] = ()
    scope: str = ""
    serves: Tuple[ImageFact, ...] = ()


# URL roles
INSTALL = "install"  # a package client reads from it (pip index, npm registry, yum baseurl)
PUBLISH = "publish"  # a package client publishes to it (twine, npm publish, publishConfig)
UPLOAD = "upload"  # raw upload (curl -T / PUT, --upload-file)
API = "api"  # the Nexus REST API
HEALTH = "health"  # a health check
BROWSE = "browse"  # anything else (docs links, UI)


@record(frozen=True)
class UrlFact:
    """A URL in use: a package index, a publish target, an upload, an API call.

    ``value`` is the URL after variable resolution, with offsets as for images;
    ``role`` is what the client does with it; ``method`` the HTTP method when
    known (``curl -X PUT``).
    """

    value: SourcedStr
    role: str
    origin: str
    use: Span
    via: Tuple[str, ...] = ()
    method: Optional[str] = None
    ci: bool = False  # CI context although the file is not (the recipe of a make target CI runs)


# In JsonBody.insertions, where the new entry goes.
ENTRY = "{entry}"


@record(frozen=True)
class JsonBody:
    """A JSON object a request sends: a Python dict literal or JSON text (``curl -d``).

    ``keys`` are its top-level keys; ``later_keys`` the keys the code adds after
    building it (``body["source"] = ...``, ``body.update(source=...)``).
    ``span`` is where the object stands.  ``insertions`` say how one more entry
    is written in the object's own style (indentation, trailing comma, quotes,
    escaping inside a string): ``(offset, text)`` pairs whose text holds
    :data:`ENTRY` where the entry goes; empty when the object cannot be edited.
    """

    keys: Tuple[str, ...]
    span: Span
    later_keys: Tuple[str, ...] = ()
    insertions: Tuple[Tuple[int, str], ...] = ()
    quote: str = '"'  # how a string quote is written ('"', "'", '\\"')
    colon: str = ": "

    def has_key(self, key: str) -> bool:
        return key in self.keys or key in self.later_keys

    def add_entry(self, key: str, value: str) -> Tuple[Edit, ...]:
        """Edits adding ``"key": "value"`` (both plain strings); ``()`` when impossible."""
        q = self.quote
        entry = f"{q}{key}{q}{self.colon}{q}{value}{q}"
        return tuple(Edit(o, o, text.replace(ENTRY, entry)) for o, text in self.insertions)


@record(frozen=True)
class ApiCallFact:
    """An HTTP request the code makes (Python requests/httpx/urllib, ``curl``).

    ``value`` is the URL after resolution (as for :class:`UrlFact`, whose
    rules see the same URL through their own fact); parts that could not be
    resolved (a parameter, an environment value) stay as written
    (``{user_id}``) with offset -1.  ``use`` is the call (``requests.put``,
    the ``curl`` word).
    ``body`` is the JSON object sent, when it is known.  ``raises`` says how
    any error status becomes fatal (``raise_for_status()``, ``curl -f``) and
    ``raises_at`` where; ``checked_statuses`` the HTTP statuses the code
    compares the response with (500 when it looks at "already exists").
    """

    method: Optional[str]
    value: SourcedStr
    origin: str
    use: Span
    body: Optional[JsonBody] = None
    raises: Optional[str] = None
    raises_at: Optional[Span] = None
    checked_statuses: Tuple[int, ...] = ()
    via: Tuple[str, ...] = ()

    @property
    def url(self) -> SourcedStr:
        return self.value

    @property
    def role(self) -> str:
        return API


# Credential kinds (what the value is, for messages)
PASSWORD = "password"
TOKEN = "token"
BASIC_AUTH = "basic-auth"  # user:password, base64 or not
URL_PASSWORD = "url-password"  # the password (or token) in a URL's userinfo: NX402


@record(frozen=True)
class CredentialFact:
    """A credential the file holds or passes.

    ``key`` names what holds it (``NEXUS_PASSWORD``, ``//host/:_authToken``,
    ``docker login --password``); ``value`` is the :class:`Secret`, placed
    where its characters stand (the literal of a variable it came through).
    ``literal`` is False for a reference (``"$VAR"``) that matters only because
    of where it is passed (``argument``: a password on the ``docker login``
    command line, NX403).  ``hint`` names the tool or format whose own way to
    take a secret the message suggests (``docker-login``, ``npm``, ``pypi``,
    ...); ``replacement`` is the reference that can stand in for the literal
    (``${NPM_TOKEN}``) when the format expands it.
    """

    key: str
    value: Secret
    kind: str  # PASSWORD, TOKEN, BASIC_AUTH, URL_PASSWORD
    origin: str
    use: Span
    hint: str = ""
    literal: bool = True
    argument: bool = False
    replacement: Optional[str] = None
    via: Tuple[str, ...] = ()


@record(frozen=True)
class ParseProblem:
    """The file (or part of it) could not be read or parsed: becomes NX000."""

    message: str
    start: int = 0
    end: int = 0


@record(frozen=True)
class Suppression:
    """An inline ``nexus-lint: ignore[...]`` comment.

    ``lines`` are the 1-based lines whose findings it suppresses.
    """

    ids: Tuple[str, ...]
    lines: Tuple[int, ...]
    start: int
    end: int
    # a marker in a comment of a piece embedded in a string (a shell comment in
    # a YAML scalar) covers only findings inside that piece (host span)
    scope: Optional[Tuple[int, int]] = None


@record
class Facts:
    """Everything extractors found in one file, grouped by type."""

    images: list = field(default_factory=list)
    urls: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    suppressions: list = field(default_factory=list)
    other: list = field(default_factory=list)
    credentials: list = field(default_factory=list)

    def add(self, fact: object) -> None:
        if isinstance(fact, ImageFact):
            self.images.append(fact)
        elif isinstance(fact, UrlFact):
            self.urls.append(fact)
        elif isinstance(fact, CredentialFact):
            self.credentials.append(fact)
        elif isinstance(fact, ParseProblem):
            self.problems.append(fact)
        elif isinstance(fact, Suppression):
            self.suppressions.append(fact)
        else:
            self.other.append(fact)

    def of_type(self, cls: type) -> list:
        if cls is ImageFact:
            return self.images
        if cls is UrlFact:
            return self.urls
        if cls is ParseProblem:
            return self.problems
        if cls is Suppression:
            return self.suppressions
        if cls is CredentialFact:
            return self.credentials
        return [f for f in self.other if isinstance(f, cls)]
