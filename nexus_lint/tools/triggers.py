"""The words a file must contain before it is worth parsing (the prefilter).

A file kind's ``tokens`` (``FileKind.tokens``) are ASCII substrings compared
case-insensitively with the file's raw bytes: when none occurs, the kind's
extractor could not find a fact in the file, so the file is decoded (a binary
file is still NX000) but never parsed.  The sets below are shared by the
built-in kinds; they are supersets of what the extractors look for (a word
that merely contains a token is a harmless false positive, a missing token is
a missed finding).

The command words are derived from the table of tools (:mod:`.table`), the
same rows the command knowledge dispatches on and draws its triggers from;
whoever teaches an extractor to read other new text must add the words that
text needs here.

Kinds with no prefilter (every file is parsed): Dockerfiles (every Dockerfile
has a ``FROM``), GitLab CI and GitHub Actions files (CI files are few, and what
they define can be used by files they include or run).
"""

from __future__ import annotations

from nexus_lint.tools.table import TOOLS, stem


def _words(words) -> tuple:
    return tuple(dict.fromkeys(words))  # in order, each once


# Commands whose arguments name images (the image tools of the table).
IMAGE_COMMANDS = _words(stem(w) for t in TOOLS if t.exact for w in t.trigger_words())

# Commands whose arguments are URLs (the other tools of the table), and URLs themselves.
URL_COMMANDS = ("://",) + _words(w for t in TOOLS if not t.exact
                                 for w in (*map(stem, t.trigger_words()), *t.prefilter))

# Token shapes that count under any key (nexus_lint.values.tokens): AWS key ids,
# Slack tokens and webhooks, JWTs (lower-cased, as the prefilter compares).
TOKEN_SHAPES = ("xox", "hooks.slack.com", "re:a[ks]ia[a-z0-9]{16}", "re:eyj[a-z0-9_-]{8,}\\.eyj")

# Literal credentials (nexus_lint.values.secrets): every word a secret-like key name
# is made of (is_secret_key: password, passwd, pass, pwd, pw, psw, auth,
# secret, token, creds, credential, pat, api key, private key, ...), the
# well-known token shapes (npm_, pypi-, gl*-, gh?_, github_pat_, a Nexus user
# token "name:passcode", PRIVATE KEY blocks) and URLs with a userinfo.
CREDENTIALS = (
    "pass", "pw", "psw", "auth", "secret", "token", "cred", "private", "npm_", "pypi-", "github_pat_", "://",
    "re:pat(?![a-z])", "re:api[^a-z0-9]?key", "re:gl[a-z]{2,6}-", "re:gh[pousr]_", "re::[a-z0-9+/_-]{40}",
) + TOKEN_SHAPES

# Formats whose strings have escapes (JSON, TOML, YAML double quotes, shlex,
# npm's ini): an escaped character may spell any of the words above.
ESCAPES = ("\\",)
XML_ESCAPES = ("&",)  # character references and entities

SHELL = IMAGE_COMMANDS + URL_COMMANDS + CREDENTIALS
# Every package-config value that becomes a URL fact starts with http(s)://.
PACKAGE_CONFIG = ("://",) + CREDENTIALS

# Python scripts (nexus_lint.kinds.python; issue 6).  Every fact drawn from Python needs
# one of these: a Nexus host or REST/repository path in a URL, an image tool
# (docker SDK, subprocess), or a credential-like name.  CREDENTIALS' short words
# ("pass", "auth") would let nearly every Python file through (`pass`
# statements, `__author__`), hence the longer ones here.
PYTHON_CREDENTIALS = (
    "password", "passwd", "pwd", "secret", "token", "credential", "api_key", "apikey", "api-key",
    "auth=", "auth =", "_auth", "auth_", "authorization", "basicauth",
)
PYTHON = ("nexus", "service/rest", "/repository/", "/security/users") + tuple(
    t for t in IMAGE_COMMANDS if t != "executor") + PYTHON_CREDENTIALS
