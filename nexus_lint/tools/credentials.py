"""Credential facts from command lines (NX401-NX403): what the tool modules hand
over, and what every command and assignment gives whatever the tool.

A tool module adds the secrets its options carry to a :class:`CredentialOut`
(``docker login -p``, ``curl -u user:password``, ``twine upload -p``, ...);
:func:`header` and :func:`body` read HTTP headers and request bodies, for
the HTTP clients.  Whatever the command:

* assignments to secret-like names (``NEXUS_PASSWORD=...``, ``export``,
  ``NAME=value cmd``, ``env NAME=value``): :func:`assignment_credentials`;
* in any word of any command: a URL with ``user:password@`` (``git clone``)
  and well-known token shapes: :func:`argument_credentials`.

A value counts only when it is a literal of this file (a word with an unknown
part, ``"$VAR"``, ``$(vault ...)``, is a reference; prompts and placeholders
are not secrets: :func:`~nexus_lint.values.secrets.secret_part`).  A value that
came through a variable is placed at the variable's literal.
"""

from __future__ import annotations

import re
from typing import List, Optional

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import TOKEN, PASSWORD, CredentialFact, Secret
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.values import secrets as S

__all__ = ["CredentialOut", "assignment_credentials", "argument_credentials", "body", "cmd_span", "header",
           "piped_literal"]

_LONE_VAR = lazy_re(r'^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$')


def cmd_span(cmd: Command):
    return (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else None


def _use(cmd: Command, word: Word, v: SourcedStr):
    ext = word.raw.extent()
    return ext or v.extent() or cmd_span(cmd) or (0, 0)


class CredentialOut:
    """The credential facts of one script, in order (``test_code``: a literal counts
    only when it is a token shape or the Nexus default password)."""

    def __init__(self, test_code: bool = False) -> None:
        self.facts: List[CredentialFact] = []
        self.test_code = test_code

    def part(self, text: str, key: Optional[str] = None) -> Optional[tuple]:
        return S.secret_part(text, key, test_code=self.test_code)

    def literal(self, cmd: Command, word: Word, part: Optional[tuple], key: str, origin: str, hint: str,
                kind: str = PASSWORD) -> None:
        """A literal secret at ``word.value[part]`` (``part`` from :mod:`~nexus_lint.values.secrets`)."""
        if part is None or not word.known:
            return
        v = word.value[part[0]:part[1]]
        if S.located(v):
            self.facts.append(CredentialFact(key, Secret(v), kind, origin, _use(cmd, word, v), hint, via=word.vars))

    def argument(self, cmd: Command, word: Word, key: str, origin: str, hint: str) -> None:
        """A password given on the command line: NX403 whatever it is, NX401 when literal."""
        part = self.part(word.value.text) if word.known else None
        v = word.value[part[0]:part[1]] if part is not None else word.value
        literal = part is not None and S.located(v)
        use = word.raw.extent() or cmd_span(cmd) or (v.extent() or (0, 0))
        via = word.vars
        m = _LONE_VAR.match(word.raw.text)
        if not via and m:
            via = (m.group(1),)  # "$REGISTRY_PASSWORD": the message's snippet uses that name
        self.facts.append(CredentialFact(key, Secret(v), PASSWORD, origin, use, hint, literal=literal,
                                         argument=True, via=via))

    def value(self, cmd: Command, word: Word, key: str, origin: str, hint: str, kind: str = PASSWORD) -> None:
        """The whole word is a secret (``--password VALUE``)."""
        self.literal(cmd, word, self.part(word.value.text) if word.known else None, key, origin, hint, kind)


# -- what HTTP clients send ---------------------------------------------------------------------

_FORM_FIELD = lazy_re(r"(?:^|&)([A-Za-z0-9_.\-\[\]]+)=([^&]*)")
_JSON_FIELD = lazy_re(r'"([A-Za-z0-9_.\-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def header(out: CredentialOut, cmd: Command, w: Word, origin: str, hint: str) -> None:
    """``Authorization: Basic|Bearer ...`` and token headers (``PRIVATE-TOKEN:``, ``X-API-Key:``, ...)."""
    if w.known:
        part = S.header_secret(w.value.text)
        out.literal(cmd, w, part, "Authorization header", origin, hint, TOKEN)


def body(out: CredentialOut, cmd: Command, w: Word, origin: str) -> None:
    """Secret-like fields of a request body (``password=...``, ``"password": "..."``)."""
    if not w.known:
        return
    text = w.value.text
    for rx in (_JSON_FIELD, _FORM_FIELD):
        for m in rx.finditer(text):
            if S.is_secret_key(m.group(1)):
                part = out.part(m.group(2), m.group(1))
                if part is not None:
                    out.literal(cmd, w, (m.start(2) + part[0], m.start(2) + part[1]), m.group(1), origin, "http")


def password_stdin(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, origin: str, hint: str) -> None:
    """``ORIGIN --password-stdin``: the here-string or heredoc the command reads,
    else the literal the command before it in the pipeline prints."""
    what = origin + " --password-stdin"
    if cmd.stdin is not None:  # <<< 'secret', or a heredoc
        out.value(cmd, cmd.stdin, what, what, hint)
    else:
        piped_literal(out, analysis, cmd, what, hint)


def piped_literal(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, origin: str, hint: str) -> None:
    """``echo 'secret' | CMD``: the literal the command before it in the pipeline prints."""
    if cmd.pipe is None or cmd.pipe[1] == 0:
        return
    want = (cmd.pipe[0], cmd.pipe[1] - 1)
    for prev in analysis.commands:
        if prev.pipe != want:
            continue
        words = prev.argv[1:]
        if prev.name == "echo":
            while words and re.fullmatch(r"-[neE]+", words[0].value.text or ""):
                words = words[1:]
        elif prev.name == "printf":
            if len(words) >= 2 and words[0].known and "%" in words[0].value.text:
                words = words[1:]
        else:
            return
        for w in words:
            out.literal(prev, w, out.part(w.value.text) if w.known else None, origin, origin, hint)
        return


# -- whatever the command -----------------------------------------------------------------------


def assignment_credentials(out: CredentialOut, analysis: ShellAnalysis, strict: bool = True,
                           test_code: bool = False) -> None:
    """Literal secrets assigned to secret-like names, in order (``strict=False``:
    a constant in a script, judged by its value; see :func:`~nexus_lint.values.secrets.secret_part`)."""
    for a in analysis.assignments:
        if a.value is None or not a.value.text or not S.is_secret_key(a.name):
            continue
        part = S.secret_part(a.value.text, a.name, strict, test_code=test_code)
        if part is not None:
            v = a.value[part[0]:part[1]]
            if S.located(v):
                use = a.raw.extent() or v.extent() or (0, 0)
                out.facts.append(CredentialFact(a.name, Secret(v), S.kind_for(a.name), f"shell variable {a.name}",
                                                use, "env"))


def argument_credentials(out: CredentialOut, cmd: Command) -> None:
    """URLs with a password and well-known token shapes in any word of ``cmd``."""
    for w in cmd.argv:
        text = w.value.text
        if len(text) >= 20 or ("://" in text and "@" in text):
            for fact in S.in_value(w.value, f"`{cmd.name}` argument" if cmd.name else "command argument",
                                   w.raw.extent() or cmd_span(cmd), "env", reserved_ok=out.test_code,
                                   test_code=out.test_code):
                out.facts.append(fact)
