"""What the rules share: the subjects they look at, the walks that prepare them, and helpers.

Each subject is one type of fact, prepared once per file for every rule that
looks at it: an image reference parsed by the grammar-exact parser, a URL on a
Nexus host parsed with the repository conventions, the host of either, a
credential located in the source, a password in a URL's userinfo, a call of
the Nexus users API.  :data:`SUBJECTS` lists them in the order they run; the
subjects of one pass (``secrets``: credentials, then userinfo) form one check.

The helpers place findings and fixes: on the characters that are wrong (the
port, the registry, the secret) wherever they stand, in the use itself or in
the literal of the variable the value came through, with the use as a related
location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import (
    API,
    BASIC_AUTH,
    BROWSE,
    INSTALL,
    LOCAL,
    PASSWORD,
    PUBLISH,
    PULL_ROLES,
    PUSH,
    UPLOAD,
    URL_PASSWORD,
    ApiCallFact,
    CredentialFact,
    Edit,
    Fix,
    ImageFact,
    LoginFact,
    Related,
    RuleMeta,
    SAFE,
    UrlFact,
)
from nexus_lint.checks.base import CheckContext, Hook, Subject

if TYPE_CHECKING:  # the parsers are imported on first use: a file with no image or URL does not pay for them
    from nexus_lint.values.imageref import ImageRef
    from nexus_lint.values.urls import NexusUrl, RepoConventions


# ---------------------------------------------------------------------------
# placing findings and fixes
# ---------------------------------------------------------------------------


def _first_run(offsets, gap_ends_it: bool) -> Optional[Tuple[int, int]]:
    """The first run of consecutive source offsets; a character that is not in
    the source (offset -1) is passed over, or ends the run if ``gap_ends_it``."""
    start = end = None
    for off in offsets:
        if off < 0:
            if gap_ends_it and start is not None:
                break
            continue
        if start is None:
            start, end = off, off + 1
        elif off == end:
            end += 1
        else:
            break
    return (start, end) if start is not None else None


def _use_site(fact, span: Tuple[int, int]) -> Tuple[Related, ...]:
    """The use as a related location, when ``span`` lies elsewhere (in the literal of a variable)."""
    use = fact.use
    if use and not (use[0] <= span[0] and span[1] <= use[1]):
        via = f" through ${fact.via[-1]}" if fact.via else ""
        return (Related(use[0], use[1], f"used here by {fact.origin}{via}"),)
    return ()


def locate(fact, i: int, j: int) -> Tuple[int, int, Tuple[Related, ...]]:
    """Where characters ``i:j`` of an image or URL fact's value stand, plus the use site if elsewhere."""
    value = fact.value
    span = value.span(i, j)
    if span is None:
        # Not one contiguous literal: take the first located run inside i:j.
        span = _first_run(value.offsets[i:j], False) or fact.use
    return span[0], span[1], _use_site(fact, span)


def edit(fact, i: int, j: int, replacement: str) -> Optional[Edit]:
    """Replace characters ``i:j`` of the fact's value, if they are one literal of the source."""
    span = fact.value.span(i, j)
    if span is None:
        return None
    return Edit(span[0], span[1], replacement)


def fix_of(edits: Sequence[Optional[Edit]], safety: str, description: str) -> Optional[Fix]:
    """A fix of all ``edits``, or none when one of them cannot be placed."""
    if not edits or any(e is None for e in edits):
        return None
    return Fix(tuple(edits), safety, description)


# ---------------------------------------------------------------------------
# parse problems
# ---------------------------------------------------------------------------


def _walk_problems(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    for problem in ctx.facts.problems:
        for hook in hooks:
            hook(ctx, problem)


PROBLEMS = Subject("problem", "parse", _walk_problems)


# ---------------------------------------------------------------------------
# image references
# ---------------------------------------------------------------------------

# Where an image reference points (Image.place).
HUB, NEXUS, ELSEWHERE = "hub", "nexus", "elsewhere"


class Image:
    """An image fact and its parsed reference.

    ``place`` is :data:`LOCAL` for a name that never leaves the machine, else
    :data:`HUB` (Docker Hub), :data:`NEXUS` (a Nexus host) or :data:`ELSEWHERE`;
    ``push_port`` and ``pull_port`` are the policy's Docker ports (strings, as
    ``ref.port``); ``shared`` maps the host literals that images of both
    directions read to their uses (see :func:`unless_shared`)."""

    __slots__ = ("fact", "ref", "text", "place", "pulling", "pushing", "push_port", "pull_port", "shared")

    def __init__(self, fact: ImageFact, ref: ImageRef, place: str, ports: Tuple[str, str], shared: dict) -> None:
        self.fact, self.ref, self.text, self.place, self.shared = fact, ref, fact.value.text, place, shared
        self.pulling = fact.role in PULL_ROLES
        self.pushing = fact.role == PUSH
        self.push_port, self.pull_port = ports

    @property
    def shown(self) -> str:
        return f"`{self.text}`"


def _is_hub(ref: ImageRef, aliases) -> bool:
    if not ref.domain:
        return True
    if ref.port is not None and ref.port != "443":
        return False
    return ref.host.lower() in aliases


def parsed_images(ctx: CheckContext) -> List[Tuple[ImageFact, ImageRef]]:
    """The file's image facts with their references (those that do not parse
    left out), parsed once per file for every pass that looks at images."""
    parsed = ctx.prepared.get("images")
    if parsed is None:
        from nexus_lint.values.imageref import ImageRefError, parse_normalized

        parsed = []
        for fact in ctx.facts.images:
            try:
                parsed.append((fact, parse_normalized(fact.value.text)))
            except ImageRefError:
                continue
        ctx.prepared["images"] = parsed
    return parsed


def _walk_images(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    if not ctx.facts.images:
        return
    policy = ctx.policy
    aliases = tuple(a.lower() for a in policy.docker_hub_aliases)
    parsed = parsed_images(ctx)
    shared = _shared_hosts(parsed, policy)
    ports = (str(policy.docker_push_port), str(policy.docker_pull_port))
    for fact, ref in parsed:
        if fact.role == LOCAL:
            place = LOCAL
        elif _is_hub(ref, aliases):
            place = HUB
        elif policy.is_nexus_host(ref.host):
            place = NEXUS
        else:
            place = ELSEWHERE
        image = Image(fact, ref, place, ports, shared)
        for hook in hooks:
            hook(ctx, image)


def _shared_hosts(parsed, policy) -> dict:
    """Host literals (source spans) that images of both directions read: one
    value (``REG: nexus...:8443`` used by a pull and a push) cannot carry both
    ports, so fixing it for one breaks the other."""
    by_span: dict = {}
    for fact, ref in parsed:
        if fact.role == PUSH:
            way = "push"
        elif fact.role in PULL_ROLES:
            way = "pull"
        else:
            continue
        if not ref.domain or not policy.is_nexus_host(ref.host):
            continue
        span = fact.value.span(*ref.host_span)
        if span is not None:
            by_span.setdefault(span, []).append((way, fact))
    return {span: uses for span, uses in by_span.items() if len({w for w, _ in uses}) > 1}


def unless_shared(image: Image, fix: Optional[Fix],
                  related: Tuple[Related, ...]) -> Tuple[Optional[Fix], str, Tuple[Related, ...]]:
    """No port fix on a host literal that a pull and a push share: say so instead."""
    if not image.shared:
        return fix, "", related
    fact = image.fact
    uses = image.shared.get(fact.value.span(*image.ref.host_span))
    if not uses:
        return fix, "", related
    mine = "push" if fact.role == PUSH else "pull"
    other = "pull" if mine == "push" else "push"
    extra = tuple(
        Related(f.use[0], f.use[1], f"used here by {f.origin}" + (f" through ${f.via[-1]}" if f.via else ""))
        for way, f in uses if way == other and f.use != fact.use
    )
    var = f"${fact.via[-1]}" if fact.via else "this value"
    why = f"; {var} also feeds a {other}, so it is not changed here: give the {mine} a variable of its own"
    return None, why, related + extra


def report_port(ctx: CheckContext, rule: RuleMeta, image: Image, port: str, message: str) -> None:
    """Report ``rule`` on the port of ``image``, with a safe fix that writes
    ``port`` instead, unless a pull and a push share the host literal."""
    fact, span = image.fact, image.ref.port_span
    s, e, rel = locate(fact, *span)
    fix, why, rel = unless_shared(image, fix_of([edit(fact, *span, port)], SAFE, f"use port {port}"), rel)
    ctx.report(rule, s, e, message + why, fix, rel)


IMAGES = Subject("image", "images", _walk_images)


# ---------------------------------------------------------------------------
# URLs on a Nexus host
# ---------------------------------------------------------------------------

_WRITE_ROLES = frozenset({PUBLISH, UPLOAD})
# The components API: POST /service/rest/v1/components?repository=NAME uploads into NAME.
_COMPONENTS_API = "/service/rest/v1/components"


class NexusUrlUse:
    """A URL fact on a Nexus host, parsed once.

    ``docker`` says it is a Docker registry address on a Docker port (the NX1
    image rules' ground); ``target`` is the repository a write goes into
    (name, span in the URL, named in the path?) and ``target_class`` its
    (kind, environment), both None when the URL is not written to."""

    __slots__ = ("fact", "url", "conv", "docker_ports", "docker", "target", "target_class")

    def __init__(self, fact: UrlFact, url: NexusUrl, conv: RepoConventions, docker_ports: tuple) -> None:
        self.fact, self.url, self.conv, self.docker_ports = fact, url, conv, docker_ports
        self.docker = url.port is not None and url.port in docker_ports and _docker_api(url, fact)
        self.target = _write_target(url, fact)
        self.target_class: Optional[Tuple[Optional[str], Optional[str]]] = None  # set by the walk

    @property
    def shown(self) -> str:
        """The URL for messages, a password redacted."""
        return f"`{self.url.shown()}`"


def _docker_api(url: NexusUrl, fact: UrlFact) -> bool:
    """A Docker registry address or the registry API (``/v2/``): Docker context,
    which the NX1 image rules own."""
    path = url.path
    if path == "/v2" or path.startswith("/v2/"):
        return True
    return fact.role == BROWSE and path in ("", "/") and not url.query


def _write_target(url: NexusUrl, fact: UrlFact) -> Optional[Tuple[str, Tuple[int, int], bool]]:
    """(repository, span in the URL, from the path?) that a write goes into."""
    if fact.role in _WRITE_ROLES and url.repository:
        return url.repository, url.repository_span, True
    if fact.role in _WRITE_ROLES or (fact.role == API and (fact.method or "").upper() in ("POST", "PUT")):
        if url.path.rstrip("/") == _COMPONENTS_API:
            param = url.query_param("repository")
            if param and param[0]:
                return param[0], param[1], False
    return None


def index_source(fact: UrlFact) -> bool:
    """An install source a client reads as an index or registry (not a pip
    ``find-links`` page of plain links, which may well live in a raw repository)."""
    origin = fact.origin.lower()
    return fact.role == INSTALL and "find-links" not in origin and "find_links" not in origin


def port_edit(use: NexusUrlUse) -> Optional[Edit]:
    """Delete ``:PORT``."""
    s, e = use.url.port_span
    return edit(use.fact, s - 1, e, "")


def _walk_urls(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    if not ctx.facts.urls:
        return
    from nexus_lint.values.urls import classify, conventions_for, parse_url

    policy = ctx.policy
    conv = conventions_for(policy)
    docker_ports = tuple(policy.docker_ports)
    for fact in ctx.facts.urls:
        url = parse_url(fact.value.text, conv)
        if url is None or not policy.is_nexus_host(url.hostname):
            continue
        use = NexusUrlUse(fact, url, conv, docker_ports)
        if use.target is not None:
            use.target_class = classify(use.target[0], conv)
        for hook in hooks:
            hook(ctx, use)


URLS = Subject("url", "urls", _walk_urls)


# ---------------------------------------------------------------------------
# hosts of images and URLs
# ---------------------------------------------------------------------------

_URL_HOST = lazy_re(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#\s]*)")


class Host:
    """The host an image or URL fact names: ``text`` at ``i:j`` of the value,
    ``low`` lower-cased without a trailing dot; ``what`` is "image" or "URL"."""

    __slots__ = ("fact", "text", "i", "j", "low", "what")

    def __init__(self, fact, text: str, i: int, j: int) -> None:
        self.fact, self.text, self.i, self.j = fact, text, i, j
        self.low = text.lower().rstrip(".")
        self.what = "image" if isinstance(fact, ImageFact) else "URL"


def _hosts(ctx: CheckContext) -> Iterator[Host]:
    if ctx.facts.images:
        for fact, ref in parsed_images(ctx):
            if ref.host_span:
                yield Host(fact, ref.host, ref.host_span[0], ref.host_span[1])
    for fact in ctx.facts.urls:
        m = _URL_HOST.match(fact.value.text)
        if m and m.group(1):
            yield Host(fact, m.group(1), m.start(1), m.end(1))


def _walk_hosts(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    if ctx.facts.images or ctx.facts.urls:
        for host in _hosts(ctx):
            for hook in hooks:
                hook(ctx, host)


def host_fix(host: Host, replacement: str, safety: str) -> Optional[Fix]:
    """Write ``replacement`` for the host, if it is one literal of the source."""
    span = host.fact.value.span(host.i, host.j)
    return Fix((Edit(span[0], span[1], replacement),), safety, f"use `{replacement}`") if span else None


HOSTS = Subject("host", "hosts", _walk_hosts)


# ---------------------------------------------------------------------------
# credentials, and passwords in URLs
# ---------------------------------------------------------------------------

_NAME = lazy_re(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DEFAULT_NAME = {
    "docker-login": "NEXUS_PASSWORD",
    "npm": "NPM_TOKEN",
    "pypi": "TWINE_PASSWORD",
    "helm": "NEXUS_PASSWORD",
}

# The way this organisation handles a secret, by the tool (CredentialFact.hint) it stands for.
TOOL_WAY = {
    "docker-login": "pipe it in from a secret variable: `printf '%s' \"${name}\" | docker login -u USER --password-stdin REGISTRY`",
    "npm": "write `${{NPM_TOKEN}}` and set NPM_TOKEN in the environment (`//host/:_authToken=${{NPM_TOKEN}}`)",
    "pypi": "leave it out of the file: twine and pip read `TWINE_USERNAME`/`TWINE_PASSWORD` (`PIP_INDEX_URL`) from the "
            "environment, or use keyring",
    "yum": "use a variable (`password=$NEXUS_PASSWORD`, set as `DNF_VAR_NEXUS_PASSWORD` in the environment)",
    "maven": "use `${{env.NEXUS_PASSWORD}}` (or a password encrypted with `mvn --encrypt-password`)",
    "http": "read it from the environment (`-u \"$NEXUS_USER:$NEXUS_PASSWORD\"`, `Authorization: Bearer $TOKEN`) or a "
            "`.netrc` kept out of the repository",
    "helm": "pass it with `--password-stdin` from a secret variable",
    "dockerfile": "use a build secret (`RUN --mount=type=secret,id={lower}`, `docker build --secret id={lower},env={name}`): "
                  "`ENV` and `ARG` values stay in the image",
    "compose": "use `${{{name}}}` from the environment (a `.env` kept out of git) or compose `secrets:`",
    "kubernetes": "keep Secret values out of the repository (Vault, an ExternalSecret or a sealed secret) and read them "
                  "with `valueFrom.secretKeyRef`",
    "docker-config": "use a credential helper (`credsStore`/`credHelpers`) or `docker login --password-stdin` at run time",
    "terraform": "use a `sensitive` variable with no default (`var.{lower}`, set as `TF_VAR_{lower}`) or a secret "
                 "store's data source",
    "bake": "pass it as a build secret (`secret = [\"id={lower},env={name}\"]`, `RUN --mount=type=secret,id={lower}`)",
    "env": "read it from the environment (`${name}`) or a secret store at run time",
    "ansible": "encrypt it with ansible-vault (`ansible-vault encrypt_string`, a `!vault |` value) or read it at run "
               "time (`{{{{ lookup('env', '{name}') }}}}`, `lookup('hashi_vault', ...)`)",
}

# What a credential of each kind is called in a message (else "token").
SECRET_WORD = {PASSWORD: "password", BASIC_AUTH: "credentials", URL_PASSWORD: "password"}


def env_name(fact: Optional[CredentialFact]) -> str:
    """The variable name a snippet in the message uses: the secret's own
    (``NEXUS_PASSWORD``, the variable it came through) or one for the tool."""
    if fact is None:
        return "NEXUS_PASSWORD"
    if fact.via and _NAME.match(fact.via[-1]):
        return fact.via[-1]
    key = fact.key.rsplit(":", 1)[-1].lstrip("_-/")
    if _NAME.match(key) and key.upper() == key and len(key) > 3:
        return key
    if fact.hint in _DEFAULT_NAME:
        return _DEFAULT_NAME[fact.hint]
    return "NEXUS_TOKEN" if fact.kind not in (PASSWORD, BASIC_AUTH) else "NEXUS_PASSWORD"


def ci_way(ctx: CheckContext, name: str) -> str:
    """How CI hands a job the secret ``name``, for the CI system the file belongs to ("" outside CI)."""
    gitlab = ctx.kind == "gitlab-ci" or "gitlab" in ctx.ci_reason
    github = ctx.kind == "github-actions" or ".github" in ctx.ci_reason
    role = ctx.policy.ci_vault_role
    vault = (f"in GitLab CI read it from Vault with the JWT role `{role}`: `id_tokens: {{VAULT_ID_TOKEN: {{aud: "
             f"<vault url>}}}}` and `secrets: {{{name}: {{vault: <path>/<field>@<mount>, file: false}}}}` with "
             f"`VAULT_AUTH_ROLE: {role}` (`nexus-lint rule NX401` shows it)")
    actions = f"in GitHub Actions use `${{{{ secrets.{name} }}}}`"
    if ctx.kind == "jenkinsfile":
        return (f"in Jenkins keep it in the credentials store (backed by Vault, role `{role}`) and bind it: "
                f"`{name} = credentials('<id>')` in `environment {{}}` or `withCredentials([...])`")
    if gitlab:
        return vault
    if github:
        return actions
    if ctx.is_ci:
        return f"CI passes it in: {vault}; {actions}"
    return ""


def url_way(ctx: CheckContext, fact: Optional[CredentialFact]) -> str:
    """How to keep a password out of a URL."""
    name = env_name(fact)
    way = ("keep the credential out of the URL: pip and uv read it from keyring or a `.netrc`, twine from "
           "`TWINE_PASSWORD`, git from a credential helper, or set the whole URL from a secret variable")
    ci = ci_way(ctx, name)
    return f"{way}; {ci}" if ci else way


class Credential:
    """A credential fact; ``where`` is (start, end, related) of the secret when
    it is a literal that stands in the source, else None."""

    __slots__ = ("fact", "where")

    def __init__(self, fact: CredentialFact, where: Optional[Tuple[int, int, Tuple[Related, ...]]]) -> None:
        self.fact, self.where = fact, where


def _locate_secret(fact: CredentialFact) -> Optional[Tuple[int, int, Tuple[Related, ...]]]:
    """Where the secret stands (its first located run) and the use site when elsewhere."""
    value = fact.value.reveal()
    span = value.span() or _first_run(value.offsets, True)
    if span is None:
        return None
    return span[0], span[1], _use_site(fact, span)


def _defined_at_use(fact: CredentialFact) -> bool:
    ext = fact.value.extent()
    return ext is None or (fact.use[0] <= ext[0] and ext[1] <= fact.use[1])


def _credentials(ctx: CheckContext) -> Iterator[Credential]:
    # Where the secret is written before where it is used: the finding (one per
    # span) speaks of the definition and lists the uses as related locations.
    for fact in sorted(ctx.facts.credentials, key=lambda f: 0 if _defined_at_use(f) else 1):
        yield Credential(fact, _locate_secret(fact) if fact.literal else None)


def _walk_credentials(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    if ctx.facts.credentials:
        for cred in _credentials(ctx):
            for hook in hooks:
                hook(ctx, cred)


class Userinfo:
    """A literal password in the userinfo of a URL fact, at ``span`` of the source,
    that no credential fact already stands for."""

    __slots__ = ("fact", "span")

    def __init__(self, fact: UrlFact, span: Tuple[int, int]) -> None:
        self.fact, self.span = fact, span


def _walk_userinfo(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    urls = [f for f in ctx.facts.urls if "@" in f.value.text] if ctx.facts.urls else None
    if not urls:
        return
    from nexus_lint.values.secrets import is_test_path, url_secret_part

    # Test code: only token shapes count; code (Python, a script CI does not run):
    # the password must look like one (`user:password@host` in an example is none).
    test_code = is_test_path(ctx.path)
    strict = not (ctx.kind == "python" or (ctx.kind == "shell" and not ctx.is_ci))
    taken = {c.where[:2] for c in _credentials(ctx) if c.where is not None}
    for fact in urls:
        part = url_secret_part(fact.value.text, reserved_ok=test_code, strict=strict, test_code=test_code)
        if part is None:
            continue
        span = fact.value[part[0]:part[1]].span()
        if span is None or span in taken:
            continue
        taken.add(span)
        info = Userinfo(fact, span)
        for hook in hooks:
            hook(ctx, info)


CREDENTIALS = Subject("credential", "secrets", _walk_credentials)
USERINFO = Subject("userinfo", "secrets", _walk_userinfo)


# ---------------------------------------------------------------------------
# calls of the Nexus users API
# ---------------------------------------------------------------------------

# with or without /service/rest: a client wrapper often adds that prefix itself
# (``self.client.put(f"/v1/security/users/{uid}")``)
_USERS = lazy_re(r"((?:/service/rest)?/(?:v1|beta)/security/users)(?:/([^/?#]+))?/?(?:[?#][^/]*)?$")


def users_call(url: str) -> Optional[Tuple[str, Optional[str]]]:
    """(users API path, user id or None) when ``url`` is the users endpoint."""
    m = _USERS.search(url)
    if m is None:
        return None
    return m.group(1), m.group(2)


class UsersCall:
    """An API call fact on the users endpoint (the host does not matter: the
    path is Nexus's own): ``path``, ``user`` (the id or None) and ``method``."""

    __slots__ = ("fact", "path", "user", "method")

    def __init__(self, fact: ApiCallFact, path: str, user: Optional[str]) -> None:
        self.fact, self.path, self.user = fact, path, user
        self.method = (fact.method or "").upper()


def api_related(fact: ApiCallFact, span: Optional[Tuple[int, int]], message: str) -> Tuple[Related, ...]:
    """``span`` as a related location, unless it lies inside the call."""
    if span is None or (fact.use[0] <= span[0] and span[1] <= fact.use[1]):
        return ()
    return (Related(span[0], span[1], message),)


def _walk_users_calls(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    for fact in ctx.facts.of_type(ApiCallFact):
        found = users_call(fact.value.text)
        if found is not None:
            call = UsersCall(fact, *found)
            for hook in hooks:
                hook(ctx, call)


USERS_CALLS = Subject("users-api-call", "api", _walk_users_calls)


# ---------------------------------------------------------------------------
# registry logins and the pushes and pulls of their sessions
# ---------------------------------------------------------------------------


def _norm_port(port: Optional[str]) -> Optional[str]:
    return None if port in (None, "", "443") else port


class Session:
    """One shell session's use of a Nexus host (LoginFact.scope): the ports of
    its logins to the host (``None``: no port) and its pushes and pulls of it
    (image facts with their references)."""

    __slots__ = ("scope", "login_ports", "pushes", "pulls")

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.login_ports: List[Optional[str]] = []
        self.pushes: List[Tuple[ImageFact, "ImageRef"]] = []
        self.pulls: List[Tuple[ImageFact, "ImageRef"]] = []


class Login:
    """A login literal on a Nexus host: its fact, the host and port it names
    (``port`` ``None`` when none, or 443), where they stand in the value
    (``host_span``, ``port_span``, None without a port), the sessions it
    serves, and ``shared_with``: an image whose value is written with the same
    characters (a variable feeding both), which a fix of the login would move too."""

    __slots__ = ("fact", "host", "port", "host_span", "port_span", "sessions", "shared_with", "push_port",
                 "pull_port")

    def __init__(self, fact: LoginFact, host: str, port: Optional[str], host_span: Tuple[int, int],
                 port_span: Optional[Tuple[int, int]], ports: Tuple[str, str]) -> None:
        self.fact, self.host, self.port = fact, host, _norm_port(port)
        self.host_span, self.port_span = host_span, port_span
        self.sessions: List[Session] = []
        self.shared_with: Optional[ImageFact] = None
        self.push_port, self.pull_port = ports

    @staticmethod
    def norm(port: Optional[str]) -> Optional[str]:
        """A port as logins and images are compared: none and 443 are the same."""
        return _norm_port(port)


def _split_registry(text: str) -> Optional[Tuple[str, Optional[str], Tuple[int, int], Optional[Tuple[int, int]]]]:
    """``host[:port]`` -> (host, port, host span, port span)."""
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host and "]" not in port:
        return host, port, (0, len(host)), (len(host) + 1, len(text))
    if ":" in text:
        return None
    return text, None, (0, len(text)), None


def _walk_logins(hooks: Sequence[Hook], ctx: CheckContext) -> None:
    facts = ctx.facts.of_type(LoginFact)
    if not facts:
        return
    from nexus_lint.values.imageref import ImageRefError, parse_normalized

    policy = ctx.policy
    ports = (str(policy.docker_push_port), str(policy.docker_pull_port))
    refs: dict = {}

    def ref_of(fact: ImageFact):
        text = fact.value.text
        if text not in refs:
            try:
                refs[text] = parse_normalized(text)
            except ImageRefError:
                refs[text] = None
        return refs[text]

    logins: dict = {}  # literal -> Login
    sessions: dict = {}  # (scope, host) -> Session
    for fact in facts:
        split = _split_registry(fact.value.text)
        if split is None:
            continue
        host, port, host_span, port_span = split
        low = host.lower().rstrip(".")
        if not policy.is_nexus_host(low):
            continue
        key = (fact.value.text, fact.value.offsets.tobytes())
        login = logins.get(key)
        if login is None:
            login = logins[key] = Login(fact, low, port, host_span, port_span, ports)
        session = sessions.get((fact.scope, low))
        if session is None:
            session = sessions[(fact.scope, low)] = Session(fact.scope)
            for image in fact.serves:
                ref = ref_of(image)
                if ref is None or not ref.domain or ref.host.lower().rstrip(".") != low:
                    continue
                (session.pushes if image.role == PUSH else session.pulls).append((image, ref))
        if session not in login.sessions:
            login.sessions.append(session)
            session.login_ports.append(login.port)
    if not logins:
        return
    image_chars = {}
    for image in ctx.facts.images:
        for off in image.value.offsets:
            if off >= 0:
                image_chars.setdefault(off, image)
    for login in logins.values():
        for off in login.fact.value.offsets:
            if off >= 0 and off in image_chars:
                login.shared_with = image_chars[off]
                break
        for hook in hooks:
            hook(ctx, login)


LOGINS = Subject("login", "images", _walk_logins)  # after the images, in their pass


# Every subject, in the order the passes run (a pass per distinct pass name).
SUBJECTS: Tuple[Subject, ...] = (PROBLEMS, IMAGES, URLS, HOSTS, CREDENTIALS, USERINFO, USERS_CALLS, LOGINS)
