"""Python script facts (``*.py``, ``*.pyw``, files with a ``python`` shebang).

A cheap keyword prefilter comes first: a file that mentions none of
:data:`nexus_lint.tools.triggers.PYTHON` (a Nexus host, ``service/rest``,
``/repository/``, an image tool, a credential-like name) cannot hold a fact and
is not parsed at all (nor is the reader imported).  Otherwise the file is
parsed with the standard library's ``ast`` and analysed as code by
:mod:`nexus_lint.kinds.python_facts`:
HTTP calls, string constants, subprocess commands (through the one shell
analyser and the command knowledge), docker SDK calls.  Comments, docstrings
and prose strings never give a fact.

Suppressions: ``# nexus-lint: ignore[NX601]`` at the end of a line covers that
line and every line of the statement it ends or sits in; on a line of its own
it covers the line below (and every line of a statement that starts there).
"""

from __future__ import annotations

import re
from typing import Iterator, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PYTHON, PYTHON_CREDENTIALS

_CREDENTIAL_WORDS = tuple(t.lower() for t in PYTHON_CREDENTIALS)
_NEXUS_WORDS = tuple(t.lower() for t in PYTHON if t not in PYTHON_CREDENTIALS)

# A credential-like name given a string literal, the only credential sites a
# Python file can hold: `NAME = "x"`, `NAME: str = "x"`, `name="x"`,
# `auth=("u", "p")`, `auth=(USER, "p")`, `auth=ADMIN`, `"password": "x"`,
# `HTTPBasicAuth("u", "p")`.  "token" alone is in every tokenizer.
_SECRET = r"(?:passw|pwd|secret|token|api[-_ ]?key|credential|auth(?!or))"
_STR = r"[rbuf]{0,2}['\"]"
_CREDENTIAL_LITERAL = lazy_re(
    rf"{_SECRET}\w*['\"]?\s*(?::[^=\n]{{0,40}})?=\s*[(\[]?\s*(?:\w+\s*,\s*)?{_STR}"
    rf"|{_SECRET}[\w-]*['\"]\s*:\s*{_STR}"
    rf"|(?:basic|digest)auth\s*\(\s*(?:\w+\s*,\s*)?{_STR}"
    rf"|\bauth\s*=\s*[A-Za-z_]",
    re.I,
)


def worth_parsing(text: str, hosts: Tuple[str, ...] = ()) -> bool:
    """The prefilter: could ``text`` hold a fact at all?

    A word of ``triggers.PYTHON`` that is not a credential word (a Nexus host,
    ``service/rest``, ``/repository/``, an image tool) or one of the policy's
    ``hosts`` is enough; a file with only credential words must also give one
    of them a string literal (:data:`_CREDENTIAL_LITERAL`)."""
    low = text.lower()
    for t in _NEXUS_WORDS + hosts:
        if t in low:
            return True
    for t in _CREDENTIAL_WORDS:
        if t in low:
            return _CREDENTIAL_LITERAL.search(text) is not None
    return False


def extract(source, context) -> Iterator[object]:
    text = source.text
    if not worth_parsing(text, getattr(context, "hosts", ())):
        return
    analysis = parse(text)
    if analysis.problem is not None:
        yield analysis.problem
        return
    from nexus_lint.core.model import LoginFact

    facts = analysis.facts
    if any(isinstance(f, LoginFact) for f in facts):
        from nexus_lint.tools.logins import in_scope

        # one process and one docker config: a login serves every push and pull of the script (NX107)
        facts = in_scope(facts, "python script")
    yield from facts
    yield from credential_facts(analysis, context.path)
    if "nexus-lint" in text:
        yield from _suppressions(text, analysis, source)


def parse(text: str):
    """Parse and analyse ``text`` (imports the reader on first use)."""
    from nexus_lint.kinds.python_facts import analyse

    return analyse(text)


def credential_facts(analysis, path: str = "") -> Iterator[object]:
    """Credential facts (NX401-NX403) from the literals code hands to names,
    keywords, dict entries, ``auth=`` pairs and headers (``analysis.sites``).

    A file that mentions no Nexus word is parsed only when
    :data:`_CREDENTIAL_LITERAL` finds a credential-like name given a literal."""
    from nexus_lint.values.secrets import by_key, header_secret, is_test_path, located
    from nexus_lint.core.model import PASSWORD, TOKEN, CredentialFact, Secret

    # Test code: only token shapes (and admin123); a constant: judged by its value.
    test_code = is_test_path(path)
    for site in analysis.sites:
        known = [v for v in site.values if v.known]
        if site.kind == "auth":
            # (user, password) pairs and HTTPBasicAuth(user, password): the second is the secret
            if len(site.values) >= 2 and site.values[1].known:
                yield from by_key("password", site.values[1].value, f"{site.callee or 'auth'} password",
                                  hint="http", secret=True, kind=PASSWORD, test_code=test_code)
        elif site.kind == "header":
            for v in known:
                prefix = f"{site.key}: "
                part = header_secret(prefix + v.text, test_code=test_code)
                if part is None:
                    continue
                value = v.value[part[0] - len(prefix):part[1] - len(prefix)]
                if located(value):
                    yield CredentialFact(site.key, Secret(value), TOKEN, f"header {site.key}",
                                         value.extent(), "http")
        else:
            for v in known:
                yield from by_key(site.key, v.value, f"{site.key} =" if site.kind == "assign" else site.key,
                                  hint="env", strict=False, test_code=test_code)


def _suppressions(text: str, analysis, source) -> Iterator[object]:
    """A marker at the end of a line covers the statement(s) on it; one on a line
    of its own covers the line below and the statement that starts there."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.textpos import Comment, own_line

    statements = [(source.line_of(s), source.line_of(max(s, e - 1))) for s, e in analysis.statements if e > s]
    comments = [Comment(start, c, own_line(text, start, "\n")) for start, _e, c in analysis.comments if "nexus-lint" in c]
    return suppressions(source, comments, statements, own_line_too=True)


KIND = FileKind(
    name="python",
    extractor="nexus_lint.kinds.python:extract",
    globs=("*.py", "*.pyw"),
    shebangs=("python", "pypy"),  # python3, python3.12, pypy3: digits are dropped
    tokens=PYTHON,
    nx000_needs_parse=False,  # extract() skips (no NX000) a file without these tokens itself
)
