"""What is a credential: secret-like names, literal values, well-known token shapes.

Every extractor asks the same questions here, so a key/value pair in a CI
file, an ``ENV`` line, an ``.npmrc`` or a shell assignment is judged alike:

* :func:`is_secret_key` - does a name say it holds a secret?  The name is split
  into words (``_`` ``-`` ``.`` ``:`` ``/`` and camelCase: ``_authToken`` ->
  ``auth token``, ``NEXUS_PASSWORD`` -> ``nexus password``): ``password``,
  ``passwd``, ``passphrase``, ``secret``, ``token``, ``credential(s)``,
  ``creds``, ``apikey``/``api key``, ``private key``, ``pat`` anywhere
  (``PGPASSWORD`` too), ``pass``, ``pwd``, ``pw`` and ``auth`` as the last word
  (``DB_PASS``, ``BASIC_AUTH``, ``_auth``).  Not when the last word says the
  value is about the secret rather than the secret (``*_FILE``, ``*_PATH``,
  ``*_URL``, ``*_USER``, ``*_NAME``, ``*_TYPE``, ``*_ROLE``, ``*_PROMPT``,
  ``*_TTL``, ``passwordKey``, ...) or the first word says it is a switch or a
  pointer (``existingSecret``, ``useToken``, ``automountServiceAccountToken``).
* :func:`secret_part` - is a value a literal secret, and which part of it?
  Not: empty or shorter than three characters; a reference (``$VAR``,
  ``${VAR}``, ``${{ secrets.X }}``, ``%(X)s``, ``${env.X}``, ``$(vault ...)``,
  backticks, ``{{ template }}``, ``ENC[...]``, ``vault:...``, ``op://...``);
  a path (``/run/secrets/x``, ``./x``, ``~/x``); prose or a prompt (words with
  spaces); one of the :data:`PLACEHOLDER_WORDS` or placeholder shapes
  (``***``, ``:****``, ``xxx``, ``<token>``, ``[MASKED]``, ``your-token-here``:
  the one list, the same for every file kind, that the NX401 page writes out);
  a value that is the other word of its own key (``POSTGRES_PASSWORD:
  postgres``; never the credential word itself, ``"password": "password"``).
  ``${VAR:-default}`` is a reference with a literal fallback: the default is
  the secret when it is one.  That is the strict judgment, for CI, deployment,
  container and package files and command-line credentials; ``strict=False``
  adds :func:`looks_like_secret`.
* :func:`looks_like_secret` - for a code constant whose *name* merely holds a
  credential word: does the *value* look like a secret (not a label, the name
  spelled differently, a regex, a template or a mask)?
* :func:`is_nexus_default_password` / :func:`credential_note` - ``admin123``,
  the Nexus default admin password, and the words a message adds for it.
* :func:`find_tokens` - well-known token shapes under any key (see
  :mod:`nexus_lint.values.tokens`): npm, PyPI, GitLab, GitHub, a Nexus user
  token, AWS, Slack, JWT and private keys.
* :func:`url_secret_part` - the password (or token-shaped user) in a URL's
  userinfo, when it is a literal (``reserved_ok``: not to a reserved example
  or test host, :func:`~nexus_lint.values.hosts.is_reserved_host`).

The fact builders (:func:`by_key`, :func:`in_value`, :func:`docker_auths`)
wrap what they find in :class:`~nexus_lint.model.Secret` at once.
"""

from __future__ import annotations

import functools
import re
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BASIC_AUTH, PASSWORD, TOKEN, URL_PASSWORD, CredentialFact, Secret
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.values.tokens import find_tokens  # noqa: F401 (part of this module's interface)

Span = Tuple[int, int]

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_SPLIT = lazy_re(r"[^A-Za-z0-9]+")
_CAMEL = lazy_re(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# a word that is (or ends with) one of these is a secret word: PGPASSWORD, dbPassword
_STRONG_IN = ("password", "passwd", "passphrase")
_STRONG_END = ("secret", "token", "apikey", "credential", "credentials")
_STRONG = frozenset({"creds", "pat", "privatekey", "secretkey", "accesstoken", "authtoken", "passcode"})
_WEAK_LAST = frozenset({"pass", "pwd", "pw", "psw", "auth"})
_PAIRS = (("api", "key"), ("private", "key"), ("secret", "key"), ("access", "token"), ("client", "secret"),
          ("pass", "code"))
_NOT_LAST = frozenset("""
    file files path paths dir directory url uri urls endpoint host hostname server port user username usr login
    email mail name names type types method methods role roles mode enabled enable disabled required expiry
    expires expiration ttl timeout seconds secs ms minutes length len size count header headers provider
    providers helper helpers policy policies prompt message msg label help description desc text hint title
    format env var vars variable variables ref reference location store manager backend engine mount
    version scope scopes realm audience aud issuer command cmd script regex pattern hash algorithm digest
    field fields template example sample placeholder set exists strategy source kind class ids key keys
    mapping map list rotation arn resource selector annotation annotations namespace suffix prefix threshold
""".split())
_NOT_FIRST = frozenset("""
    existing use uses using enable enabled disable disabled create require required skip allow generate auto
    automount mount is has no show hide mask masked rotate min max num should must
""".split())
_NOT_KEYS = frozenset({"pwd", "oldpwd", "id_tokens", "id-token", "id_token"})


def key_words(name: str) -> List[str]:
    """``_authToken`` -> ``['auth', 'token']``; ``//host/:_password`` -> ``['password']``."""
    tail = name.rsplit(":", 1)[-1] if "//" in name else name
    out: List[str] = []
    for part in _SPLIT.split(tail):
        if not part:
            continue
        out.extend(w.lower() for w in _CAMEL.findall(part))
    return out


def _secret_word(w: str) -> bool:
    return w in _STRONG or any(s in w for s in _STRONG_IN) or any(w.endswith(s) for s in _STRONG_END)


@functools.lru_cache(maxsize=4096)
def is_secret_key(name: str) -> bool:
    """Does the name say its value is a secret?"""
    if not name or name.strip().lower() in _NOT_KEYS:
        return False
    words = key_words(name)
    if not words:
        return False
    last = words[-1]
    if words[0] in _NOT_FIRST and len(words) > 1:
        return False
    if last in _NOT_LAST:
        # `passwordKey`, `tokenName`: a pointer to the secret, not the secret
        if not (last == "key" and len(words) > 1 and words[-2] in ("api", "private", "secret", "signing", "encryption")):
            return False
    if last in _WEAK_LAST:
        return True
    if any(_secret_word(w) for w in words):
        return True
    return any(a == x and b == y for (x, y) in _PAIRS for a, b in zip(words, words[1:]))


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_REFERENCE = lazy_re(
    r"\$\{\{|\$\{|\$\(|\$\[\[|\$[A-Za-z_]|`|%\([^)]*\)[sdr]|\{\{|\{%|<%|#\{|@\{[A-Za-z]|\$\$[A-Za-z_{]"
)
_SECRET_STORE = lazy_re(
    r"^(?:ENC\[|vault:|op://|ref\+|sm://|secret://|arn:aws:(?:secretsmanager|ssm):|gcp:secretmanager|azurekeyvault|"
    r"\{[A-Za-z0-9+/=]{8,}\}$|AQICA)",
    re.I,
)
# ${NAME:-default} / ${NAME-default} and nothing else: the default is a literal fallback
_WITH_DEFAULT = lazy_re(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$", re.S)
_PATH = lazy_re(r"^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/]|file:)\S*$")
_URL = lazy_re(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# The placeholders: ONE list for every file kind, written out on the NX401 page
# ("Placeholders").  Everything else that is a literal under a credential key in a
# CI file, script, Dockerfile or config is a finding, whatever word it is
# (``password``, ``secret``, ``test``, ``default``...).
PLACEHOLDER_WORDS = frozenset("""
    changeme change-me change_me changeit example dummy placeholder redacted masked none null nil undefined
    empty unset todo tbd fixme required optional true false yes no on off invalid
""".split())
_PLACEHOLDER = lazy_re(
    r"^(?:[xX*#.?_\-=]+"                      # xxx, ***, ..., ---
    r"|[^A-Za-z0-9\s]{0,2}\*{3,}[A-Za-z0-9]{0,4}"  # masks: :****, ****abcd
    r"|<[^<>]*>"                              # <token>, <your password>
    r"|\[[A-Za-z _-]*\]"                      # [MASKED], [REDACTED]
    r"|\(\s*[A-Za-z _-]*\s*\)"                # (none), (redacted)
    r"|your[-_ .].*|.*[-_ .]here"             # your-token, token-goes-here
    r"|(?:changeme|example|dummy|placeholder|redacted|masked)[-_]?(?:password|passwd|secret|token|key|value|pass)"
    r"|[a-z0-9]+[-_](?:placeholder|dummy)"     # precompile_placeholder, build-dummy
    r"|.+\.\.\.)$",                           # abc... (elided)
    re.I,
)
MIN_SECRET = 3


def is_reference(text: str) -> bool:
    return _REFERENCE.search(text) is not None or _SECRET_STORE.match(text.strip()) is not None


def secret_part(text: str, key: Optional[str] = None, strict: bool = True, *,
                test_code: bool = False) -> Optional[Span]:
    """The span of the literal secret in a value, or ``None`` (see the module docstring).

    ``strict`` (the default) is for the places where a literal under a
    credential key is used as one (CI, deployment, container and package
    files, command-line credentials): every literal but a reference, an empty
    value, a path, prose and the placeholders is the secret.  ``strict=False``
    is for a code constant whose *name* merely holds a credential word: the
    value must also look like a secret (:func:`looks_like_secret`).
    ``test_code=True`` is for a fixture literal in test code that reaches no
    real host: only a well-known token shape or ``admin123`` is a secret there."""
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    m = _WITH_DEFAULT.match(stripped)
    if m:
        inner = secret_part(m.group(1), key, strict, test_code=test_code)
        return None if inner is None else (lead + m.start(1) + inner[0], lead + m.start(1) + inner[1])
    if is_reference(stripped) or _PATH.match(stripped) or _URL.match(stripped) or _plain_not_secret(stripped, key):
        return None
    if any(c.isspace() for c in stripped):  # prose, a prompt, a description: only a token shape in it
        tokens = find_tokens(stripped)
        return (lead + tokens[0][0], lead + tokens[0][1]) if tokens else None
    if test_code:
        tokens = find_tokens(stripped)
        if tokens:
            return (lead + tokens[0][0], lead + tokens[0][1])
        return (lead, lead + len(stripped)) if is_nexus_default_password(stripped) else None
    if not strict and not _value_looks_secret(stripped, key):
        return None
    return (lead, lead + len(stripped))


def _plain_not_secret(value: str, key: Optional[str]) -> bool:
    if len(value) < MIN_SECRET:
        return True
    low = value.lower()
    if low in PLACEHOLDER_WORDS or _PLACEHOLDER.match(value):
        return True
    if value.isdigit() and len(value) <= 3:
        return True
    if key is not None and low in key_words(key) and not _credential_word(low):
        return True  # POSTGRES_PASSWORD: postgres (but "password": "password" is a password)
    return False


def _credential_word(word: str) -> bool:
    return _secret_word(word) or word in _WEAK_LAST or word in ("key", "api", "access")


# ---------------------------------------------------------------------------
# Does a code constant's value look like a secret?
# ---------------------------------------------------------------------------

NEXUS_DEFAULT_PASSWORD = "".join(("admin", "123"))  # joined: this file lints clean
NEXUS_DEFAULT_NOTE = "the Nexus default admin password"

# Regular expressions: one strong sign, or two weak ones (a password may end in `$`)
_REGEX_STRONG = lazy_re(
    r"\\[dDsSwWbBAZzntr.()\[\]{}|*+?^$/\\-]|\(\?(?:[:=!#]|P?<)|\[\^?[^\]]*[A-Za-z0-9]-[A-Za-z0-9][^\]]*\]"
    r"|\{\d+(?:,\d*)?\}[?+]?|\.[*+]\??|\[\^"
)
_REGEX_WEAK = lazy_re(r"^\^|\$$|\([^()]*\|[^()]*\)|\[[^\]]+\][*+?]")
# a bare alternation of three or more words: "pass|pwd|secret|token"
_ALTERNATION = lazy_re(r"^[\w.-]+(?:\|[\w.-]+){2,}$")
# str.format / printf / template fields: "{user}:{password}", "%s", "{}"
_TEMPLATE = lazy_re(r"\{[A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%[-+ #0]?\d*(?:\.\d+)?[sdrf](?![A-Za-z0-9])")
_MASK = lazy_re(r"\*{3,}|[xX]{4,}|\u2022{2,}|#{4,}")
_EMAIL = lazy_re(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_VERSION = lazy_re(r"^[vV]?\d+(?:[._-]\d+)+(?:[._-]?[A-Za-z]+\d*)?$")
_SEGMENTS = lazy_re(r"[._:/-]+")
_NUMBERED = lazy_re(r"^([A-Za-z]+)\d{1,5}[A-Za-z]{0,4}$")
# words that take a number and stay a name: sha256, oauth2, base64, ipv4, http2, v2beta, argon2id, ed25519
_NUMBERED_NAMES = frozenset("""
    v sha md oauth base utf ucs aes rsa des hmac http https tls ssl ipv ip pbkdf bcrypt scrypt argon crc
    ntlm spnego krb kerberos saml sso smtp pop imap ldap ldaps win x s ec p ed curve py python php java
    node api rfc iso
""".split())
_PASSWORD_PUNCT = frozenset("!@#$%^&*+=?~")
_LENIENT_MIN = 6


def is_nexus_default_password(text: str) -> bool:
    """Is ``text`` the Nexus default admin password: ``admin123`` itself, a
    ``user:admin123`` pair, or either base64-encoded (an ``auth`` field)?"""
    t = text.strip()
    if t == NEXUS_DEFAULT_PASSWORD or t.partition(":")[2] == NEXUS_DEFAULT_PASSWORD:
        return True
    if 8 <= len(t) <= 64 and NEXUS_DEFAULT_PASSWORD not in t:
        decoded = decode_base64(t) if _BASE64ISH.match(t) else None
        if decoded is not None and decoded != t:
            d = decoded.strip()
            return d == NEXUS_DEFAULT_PASSWORD or d.partition(":")[2] == NEXUS_DEFAULT_PASSWORD
    return False


_BASE64ISH = lazy_re(r"^[A-Za-z0-9+/]+={0,2}$")


def default_password_facts(pairs, hint: str) -> List[CredentialFact]:
    """The ``(key, SourcedStr value)`` pairs whose value is ``admin123`` (the Nexus
    default admin password), as credential facts: what a settings file of no
    known kind is read for."""
    out: List[CredentialFact] = []
    for key, value in pairs:
        if is_nexus_default_password(value.text.strip()):
            out.extend(by_key(str(key) or "value", value, str(key) or "value", hint=hint, secret=True, kind=PASSWORD))
    return out


def credential_note(text: str) -> str:
    """What a finding should add about a credential's value: ``the Nexus default
    admin password`` for ``admin123`` (in any of the forms
    :func:`is_nexus_default_password` knows), else ``""``."""
    return NEXUS_DEFAULT_NOTE if is_nexus_default_password(text) else ""


_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "testdata", "test_data", "fixtures", "spec", "specs"})


def is_test_path(path: str) -> bool:
    """Is ``path`` test code (where ``test_code=True`` and ``reserved_ok=True``
    apply)?  A folder ``test``, ``tests``, ``testing``, ``__tests__``,
    ``testdata``, ``test_data``, ``fixtures``, ``spec(s)``, or a file
    ``test_*``, ``*_test.*``, ``*_tests.*``, ``tests.py``, ``conftest.py``.
    Example scripts (``examples/``) are not test code: they are copied."""
    parts = [p for p in path.replace("\\", "/").lower().split("/") if p]
    if not parts:
        return False
    if any(p in _TEST_DIRS for p in parts[:-1]):
        return True
    stem = parts[-1].rsplit(".", 1)[0]
    return stem.startswith("test_") or stem.endswith(("_test", "_tests", "_spec")) or stem in ("tests", "conftest")


def looks_like_secret(value: str, key: Optional[str] = None) -> bool:
    """Does a code constant's value look like a secret, judged by the value?

    For a Python or shell constant whose *name* merely contains a credential
    word (``BASIC_AUTH``, ``URL_PASSWORD``, ``_IPV4_PAT``).  Never a secret: what
    :func:`secret_part` rejects (references, paths, URLs, placeholders, prose),
    the name itself spelled differently (``BASIC_AUTH = "basic-auth"``), a label
    (words of letters in any case joined by ``_ - . : /``: ``ansible_ssh_pass``,
    ``negotiate``, ``POPCORN``, ``NOT_LOGGING_PASSWORD``, ``HTTPBasicAuth``;
    a name with a version, ``oauth2``, ``sha256``, ``v1.2``), an e-mail address,
    a regular expression, a format template (``{user}:{password}``, ``%s``), a
    mask (``:****``, ``xxxx``) or anything shorter than six characters.  A
    secret: a well-known token shape, ``admin123``, and a value that mixes
    letters and digits, or has password punctuation (``SecurePassword123!``),
    a scatter of capitals (``pAsSwOrD``), six digits or more, or a long random
    run of letters."""
    return secret_part(value, key, strict=False) is not None


def _value_looks_secret(value: str, key: Optional[str]) -> bool:
    """The value half of :func:`looks_like_secret` (a whitespace-free literal)."""
    if find_tokens(value) or is_nexus_default_password(value):
        return True
    if len(value) < _LENIENT_MIN or _MASK.search(value) or _TEMPLATE.search(value) or _is_regex(value):
        return False
    if _EMAIL.match(value) or _VERSION.match(value) or (key is not None and _spells_key(value, key)):
        return False
    if value.isdigit():
        return True  # 123456: a PIN or a numeric password
    if any(c in _PASSWORD_PUNCT for c in value):
        return any(c.isalnum() for c in value)
    segments = [p for p in _SEGMENTS.split(value) if p]
    if not segments or not all(p.isalnum() for p in segments):
        return True  # punctuation no name has
    if any(not _name_segment(p) for p in segments):
        return True  # letters and digits mixed: hunter2, s3cr3t, a1b2c3d4
    letters = "".join(segments)
    return _scattered_case(letters) or _random_letters(letters)


def _is_regex(value: str) -> bool:
    if _REGEX_STRONG.search(value) or _ALTERNATION.match(value):
        return True
    return len(_REGEX_WEAK.findall(value)) >= 2


def _spells_key(value: str, key: str) -> bool:
    """``URL_PASSWORD = "url-password"``, ``SECRET_RULES = "secretRules"``: the name, not a value."""
    words = key_words(value)
    kw = key_words(key)
    if not words or not kw or _scattered_case(value):  # pAsSwOrD is a password, not a spelling
        return False
    return "".join(words) == "".join(kw) or set(words) <= set(kw)


def _name_segment(seg: str) -> bool:
    """A segment of a name: letters only, or a numbered name (``oauth2``, ``sha256sum``, ``v2beta``)."""
    if seg.isalpha():
        return True
    m = _NUMBERED.match(seg)
    return m is not None and m.group(1).lower() in _NUMBERED_NAMES


def _scattered_case(letters: str) -> bool:
    """``pAsSwOrD`` (many lower-to-upper turns), not ``HTTPBasicAuth`` or ``MyPassword``."""
    turns = sum(1 for a, b in zip(letters, letters[1:]) if a.islower() and b.isupper())
    return turns >= 3 and turns * 4 > len(letters)


def _random_letters(letters: str) -> bool:
    """A long run of letters with the spread of a random string (a word has repeats)."""
    if len(letters) < 16 or not letters.isalpha():
        return False
    import math
    from collections import Counter

    n = len(letters)
    entropy = -sum(c / n * math.log2(c / n) for c in Counter(letters).values())
    return entropy >= 3.9


# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------


def url_secret_part(url_text: str, reserved_ok: bool = False, strict: bool = True, *,
                    test_code: bool = False) -> Optional[Span]:
    """The literal password in ``scheme://user:password@host`` (or the user when
    it is a token shape), as a span of ``url_text``; ``None`` otherwise.

    ``reserved_ok`` (for test code): a plain password in a URL to a reserved
    example or test host (:func:`~nexus_lint.values.hosts.is_reserved_host`:
    ``example.com``, ``*.test``, ``localhost``...) is none; a token shape still is."""
    if "@" not in url_text:
        return None
    from nexus_lint.values.urls import parse_url

    url = parse_url(url_text)
    if url is None or not url.userinfo or url.userinfo_span is None:
        return None
    if reserved_ok and not find_tokens(url.userinfo):
        from nexus_lint.values.hosts import is_reserved_host  # ipaddress: on first use

        if is_reserved_host(url.host):
            return None
    s, e = url.userinfo_span
    userinfo = url.userinfo
    user, colon, password = userinfo.partition(":")
    if colon:
        ps = s + len(user) + 1
        if secret_part(password, strict=strict, test_code=test_code) is None:
            return None
        return (ps, e)
    for ts, te, _ in find_tokens(userinfo):
        if (ts, te) == (0, len(userinfo)):
            return (s, e)
    return None


def shown_url(url_text: str) -> str:
    """The URL for messages, its secret part redacted."""
    from nexus_lint.core.secret import mask

    part = url_secret_part(url_text)
    if part is None:
        return url_text
    return url_text[: part[0]] + mask(url_text[part[0]:part[1]]) + url_text[part[1]:]


# ---------------------------------------------------------------------------
# Headers and base64 user:password
# ---------------------------------------------------------------------------

_AUTH_HEADER = lazy_re(
    r"^\s*(?:proxy-)?authorization\s*:\s*(?:(?:basic|bearer|token|apikey|api-key|bearer-token|digest|negotiate|jwt)\s+)?(\S.*?)\s*$",
    re.I,
)
_TOKEN_HEADER = lazy_re(
    r"^\s*(?:private-token|job-token|deploy-token|x-api-key|api-key|apikey|x-auth-token|x-access-token|"
    r"x-jfrog-art-api|x-nexus-token|x-registry-auth|x-gitlab-token|x-vault-token|token)\s*:\s*(\S.*?)\s*$",
    re.I,
)


def header_secret(text: str, *, test_code: bool = False) -> Optional[Span]:
    """In an HTTP header line (``Authorization: Basic dXNlcjpwYXNz``,
    ``PRIVATE-TOKEN: ...``), the span of a literal credential (``test_code``:
    see :func:`secret_part`)."""
    m = _AUTH_HEADER.match(text) or _TOKEN_HEADER.match(text)
    if not m:
        return None
    inner = secret_part(m.group(1), test_code=test_code)
    if inner is None:
        return None
    return (m.start(1) + inner[0], m.start(1) + inner[1])


def basic_auth_secret(text: str, *, test_code: bool = False) -> Optional[Span]:
    """``user:password``: the literal password's span; ``user`` alone (the tool
    prompts) or a referenced password is none (``test_code``: see :func:`secret_part`)."""
    user, colon, password = text.partition(":")
    if not colon:
        return None
    inner = secret_part(password, test_code=test_code)
    if inner is None:
        return None
    return (len(user) + 1 + inner[0], len(user) + 1 + inner[1])


def decode_base64(text: str) -> Optional[str]:
    import base64
    import binascii

    t = text.strip()
    if not t or len(t) % 4 == 1:
        return None
    try:
        raw = base64.b64decode(t + "=" * (-len(t) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# ---------------------------------------------------------------------------
# Fact builders
# ---------------------------------------------------------------------------


def located(value: SourcedStr) -> bool:
    """Does any character of ``value`` stand in this file?"""
    return any(o >= 0 for o in value.offsets)


def _use(value: SourcedStr, use: Optional[Span]) -> Span:
    return use if use is not None else (value.extent() or (0, 0))


def kind_for(key: str) -> str:
    words = key_words(key)
    if any("pass" in w or w == "pwd" or w == "pw" for w in words):
        return PASSWORD
    if words and words[-1] == "auth":
        return BASIC_AUTH
    return TOKEN


def by_key(key: str, value: SourcedStr, origin: str, use: Optional[Span] = None, hint: str = "", *,
           kind: Optional[str] = None, replacement: Optional[str] = None, secret: Optional[bool] = None,
           via: Tuple[str, ...] = (), strict: bool = True, test_code: bool = False) -> List[CredentialFact]:
    """Credential facts for ``key = value``: the literal secret when the key is
    secret-like (or ``secret=True``), else any token shape or URL credential
    inside the value.  Only what stands in this file is reported.

    ``strict=False`` for a code constant whose name merely holds a credential
    word (a Python or shell constant): the value must also look like a secret
    (:func:`looks_like_secret`), and so must a URL password in it; token shapes count alike.
    ``test_code=True`` for a fixture in test code: only token shapes and
    ``admin123`` (see :func:`secret_part`)."""
    if secret is None:
        secret = is_secret_key(key)
    if not secret or "://" in value.text:
        found = in_value(value, origin, use, hint, key=key, via=via, reserved_ok=test_code, test_code=test_code,
                         strict=strict)
        if found or not secret:
            return found
    part = secret_part(value.text, key, strict, test_code=test_code)
    if part is not None:
        v = value[part[0]:part[1]]
        if located(v):
            return [CredentialFact(key, Secret(v), kind or kind_for(key), origin, _use(v, use), hint,
                                   replacement=replacement, via=via)]
    return []


def in_value(value: SourcedStr, origin: str, use: Optional[Span] = None, hint: str = "", *,
             key: str = "", via: Tuple[str, ...] = (), reserved_ok: bool = False,
             test_code: bool = False, strict: bool = True) -> List[CredentialFact]:
    """Credentials inside any text: URL userinfo passwords and token shapes
    (``strict=False``: a URL password must look like one, as a code constant's value)
    (``reserved_ok``: no URL password to a reserved host; ``test_code``: a URL
    password counts only as a token shape or the Nexus default)."""
    text = value.text
    out: List[CredentialFact] = []
    taken: List[Span] = []
    if "://" in text and "@" in text:
        from nexus_lint.values.urls import find_urls

        for us, ue in find_urls(text):
            part = url_secret_part(text[us:ue], reserved_ok, strict, test_code=test_code)
            if part is None:
                continue
            s, e = us + part[0], us + part[1]
            v = value[s:e]
            if located(v):
                taken.append((s, e))
                out.append(CredentialFact(key or "URL", Secret(v), URL_PASSWORD, origin, _use(v, use), hint, via=via))
    for s, e, label in find_tokens(text):
        if any(s < e2 and s2 < e for s2, e2 in taken):
            continue
        v = value[s:e]
        if located(v):
            out.append(CredentialFact(key or label, Secret(v), TOKEN, origin, _use(v, use), hint, via=via))
    return out


_DOCKER_AUTH_FIELD = lazy_re(r'"(auth|password|identitytoken|registrytoken)"\s*:\s*"((?:[^"\\]|\\.)*)"', re.I)


def docker_auths(value: SourcedStr, origin: str, use: Optional[Span] = None, hint: str = "docker-config"
                 ) -> List[CredentialFact]:
    """Credentials in docker ``config.json`` text (``auths.*.auth``, ``password``,
    ``identitytoken``, ``registrytoken``): the same text ``DOCKER_AUTH_CONFIG`` holds."""
    out: List[CredentialFact] = []
    for field, s, e in docker_auth_fields(value.text):
        v = value[s:e]
        if located(v):
            kind = BASIC_AUTH if field == "auth" else (PASSWORD if field == "password" else TOKEN)
            out.append(CredentialFact(f"auths {field}", Secret(v), kind, origin, _use(v, use), hint))
    return out


def docker_auth_fields(text: str) -> List[Tuple[str, int, int]]:
    """``(field, start, end)`` of the literal credentials in docker config.json text."""
    out = []
    for m in _DOCKER_AUTH_FIELD.finditer(text):
        field, raw = m.group(1).lower(), m.group(2)
        if field == "auth":
            decoded = decode_base64(raw)
            if decoded is None or basic_auth_secret(decoded) is None:
                continue
        elif secret_part(raw) is None:
            continue
        out.append((field, m.start(2), m.end(2)))
    return out

