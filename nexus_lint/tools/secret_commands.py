"""Credential knowledge for analysed shell commands (NX401-NX403).

:func:`credential_facts` turns a :class:`~.shell.ShellAnalysis` into
:class:`~nexus_lint.core.model.CredentialFact` records:

* ``docker``/``podman``/``nerdctl``/``buildah``/``skopeo`` ``login -p/--password
  VALUE``: always a password on the command line (``argument``, NX403), and a
  hardcoded one when VALUE is a literal; ``echo 'secret' | docker login
  --password-stdin`` (``printf`` too), ``<<< 'secret'`` or a heredoc: the
  literal fed in;
* ``curl -u/--user user:password`` (``--proxy-user``), ``--oauth2-bearer``,
  ``-H/--header 'Authorization: Basic|Bearer ...'`` and token headers
  (``PRIVATE-TOKEN:``, ``X-API-Key:``, ...), secret-like fields of ``-d``/``--data``
  bodies (``password=...``, ``"password": "..."``); ``wget --password``,
  ``--http-password``, ``--ftp-password``, ``--proxy-password``, ``--header``;
* ``twine upload -p/--password``, ``uv publish -p/--password``, ``-t/--token``,
  ``poetry config http-basic.NAME USER PASSWORD`` and ``pypi-token.NAME TOKEN``;
* ``helm repo add|registry login|push|pull --password``;
* ``npm|pnpm config set //host/:_authToken TOKEN`` (``_auth``, ``_password``,
  ``key=value`` form), ``yarn config set npmAuthToken TOKEN``;
* ``docker run -e NAME=value`` and ``docker build --build-arg NAME=value`` with
  a secret-like NAME, ``sshpass -p``, ``mysql -pPASSWORD``/``--password=``;
* assignments to secret-like names (``NEXUS_PASSWORD=...``, ``export``,
  ``NAME=value cmd``, ``env NAME=value``);
* in any word of any command: a URL with ``user:password@`` (``git clone``)
  and well-known token shapes.

A value counts only when it is a literal of this file (a word with an unknown
part, ``"$VAR"``, ``$(vault ...)``, is a reference; prompts and placeholders
are not secrets: :func:`~.secrets.secret_part`).  A value that came through a
variable is placed at the variable's literal.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Sequence

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BASIC_AUTH, PASSWORD, TOKEN, CredentialFact, Secret
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.values import secrets as S
from nexus_lint.tools.commands import _DOCKER_GLOBAL, parse_options
from nexus_lint.lang.shell import Command, ShellAnalysis, Word

__all__ = ["credential_facts"]

# The words that make shell worth analysing for credentials are in
# commands.TRIGGER (docker, curl, twine, helm, ... are there already).


def _opts(spec: str) -> frozenset:
    return frozenset(spec.split())


_LONE_VAR = lazy_re(r'^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$')


class _Out:
    def __init__(self) -> None:
        self.facts: List[CredentialFact] = []

    def literal(self, cmd: Command, word: Word, part: Optional[tuple], key: str, origin: str, hint: str,
                kind: str = PASSWORD) -> None:
        """A literal secret at ``word.value[part]`` (``part`` from :mod:`.secrets`)."""
        if part is None or not word.known:
            return
        v = word.value[part[0]:part[1]]
        if S.located(v):
            self.facts.append(CredentialFact(key, Secret(v), kind, origin, _use(cmd, word, v), hint, via=word.vars))

    def argument(self, cmd: Command, word: Word, key: str, origin: str, hint: str) -> None:
        """A password given on the command line: NX403 whatever it is, NX401 when literal."""
        part = S.secret_part(word.value.text) if word.known else None
        v = word.value[part[0]:part[1]] if part is not None else word.value
        literal = part is not None and S.located(v)
        use = word.raw.extent() or _cmd_span(cmd) or (v.extent() or (0, 0))
        via = word.vars
        m = _LONE_VAR.match(word.raw.text)
        if not via and m:
            via = (m.group(1),)  # "$REGISTRY_PASSWORD": the message's snippet uses that name
        self.facts.append(CredentialFact(key, Secret(v), PASSWORD, origin, use, hint, literal=literal,
                                         argument=True, via=via))

    def value(self, cmd: Command, word: Word, key: str, origin: str, hint: str, kind: str = PASSWORD) -> None:
        """The whole word is a secret (``--password VALUE``)."""
        self.literal(cmd, word, S.secret_part(word.value.text) if word.known else None, key, origin, hint, kind)


def _cmd_span(cmd: Command):
    return (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else None


def _use(cmd: Command, word: Word, v: SourcedStr):
    ext = word.raw.extent()
    return ext or v.extent() or _cmd_span(cmd) or (0, 0)


# -- docker login & co ---------------------------------------------------------------------

_LOGIN_TOOLS = frozenset({"docker", "podman", "nerdctl", "buildah", "skopeo"})
_LOGIN_VALUED = _opts("-u --username -p --password --authfile --cert-dir --compat-auth-file -s --server")


def _login(out: _Out, analysis: ShellAnalysis, cmd: Command) -> None:
    args = cmd.argv[1:]
    _, pos, k = parse_options(args, _DOCKER_GLOBAL, stop_at_positional=True)
    if not pos or pos[0].value.text != "login":
        return
    opts, _, _ = parse_options(args[k + 1:], _LOGIN_VALUED)
    origin = f"{cmd.name} login"
    stdin = False
    for name, v in opts:
        if name in ("-p", "--password") and v is not None:
            out.argument(cmd, v, f"{origin} {name}", f"{origin} {name}", "docker-login")
        elif name == "--password-stdin":
            stdin = True
    if stdin and cmd.stdin is not None:  # <<< 'secret', or a heredoc
        out.value(cmd, cmd.stdin, origin + " --password-stdin", origin + " --password-stdin", "docker-login")
    elif stdin:
        _piped_literal(out, analysis, cmd, origin + " --password-stdin", "docker-login")


def _piped_literal(out: _Out, analysis: ShellAnalysis, cmd: Command, origin: str, hint: str) -> None:
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
            out.literal(prev, w, S.secret_part(w.value.text) if w.known else None, origin, origin, hint)
        return


# -- curl, wget --------------------------------------------------------------------------------

_FORM_FIELD = lazy_re(r"(?:^|&)([A-Za-z0-9_.\-\[\]]+)=([^&]*)")
_JSON_FIELD = lazy_re(r'"([A-Za-z0-9_.\-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _header(out: _Out, cmd: Command, w: Word, origin: str, hint: str) -> None:
    if w.known:
        part = S.header_secret(w.value.text)
        out.literal(cmd, w, part, "Authorization header", origin, hint, TOKEN)


def _body(out: _Out, cmd: Command, w: Word, origin: str) -> None:
    if not w.known:
        return
    text = w.value.text
    for rx in (_JSON_FIELD, _FORM_FIELD):
        for m in rx.finditer(text):
            if S.is_secret_key(m.group(1)):
                part = S.secret_part(m.group(2), m.group(1))
                if part is not None:
                    out.literal(cmd, w, (m.start(2) + part[0], m.start(2) + part[1]), m.group(1), origin, "http")


def _curl(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    from nexus_lint.tools.url_commands import _CURL_VALUED

    opts, _, _ = parse_options(args, _CURL_VALUED, equals=False)
    for name, v in opts:
        if v is None:
            continue
        if name in ("-u", "--user", "-U", "--proxy-user"):
            if v.known:
                out.literal(cmd, v, S.basic_auth_secret(v.value.text), f"curl {name}", f"curl {name} user:password",
                            "http", BASIC_AUTH)
        elif name in ("-H", "--header", "--proxy-header"):
            _header(out, cmd, v, f"curl {name}", "http")
        elif name == "--oauth2-bearer":
            out.value(cmd, v, "curl --oauth2-bearer", "curl --oauth2-bearer", "http", TOKEN)
        elif name in ("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F", "--form",
                      "--form-string"):
            _body(out, cmd, v, f"curl {name}")


def _wget(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    from nexus_lint.tools.url_commands import _WGET_VALUED

    opts, _, _ = parse_options(args, _WGET_VALUED)
    for name, v in opts:
        if v is None:
            continue
        if name in ("--password", "--http-password", "--ftp-password", "--proxy-password"):
            out.value(cmd, v, f"wget {name}", f"wget {name}", "http")
        elif name == "--header":
            _header(out, cmd, v, "wget --header", "http")
        elif name in ("--post-data", "--body-data"):
            _body(out, cmd, v, f"wget {name}")


# -- Python and npm packaging, helm ---------------------------------------------------------------


def _twine(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    from nexus_lint.tools.url_commands import _TWINE_VALUED

    opts, _, _ = parse_options(args, _TWINE_VALUED)
    for name, v in opts:
        if name in ("-p", "--password") and v is not None:
            out.value(cmd, v, f"twine {name}", f"twine {name}", "pypi")


def _uv(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    from nexus_lint.tools.url_commands import _PIP_VALUED

    opts, pos, _ = parse_options(args, _PIP_VALUED | _opts("-t --token"))
    if not pos or pos[0].value.text != "publish":
        return
    for name, v in opts:
        if v is None:
            continue
        if name in ("-p", "--password"):
            out.value(cmd, v, f"uv publish {name}", f"uv publish {name}", "pypi")
        elif name in ("-t", "--token"):
            out.value(cmd, v, f"uv publish {name}", f"uv publish {name}", "pypi", TOKEN)


def _poetry(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _opts("-C --directory -P --project"))
    words = [w.value.text for w in pos]
    if len(pos) >= 3 and words[0] == "config":
        key = words[1]
        if key.startswith("http-basic.") and len(pos) >= 4:
            out.value(cmd, pos[3], key, f"poetry config {key}", "pypi")
        elif key.startswith("pypi-token."):
            out.value(cmd, pos[2], key, f"poetry config {key}", "pypi", TOKEN)


_NPM_SECRET_KEY = lazy_re(r"(?:^|:)(?:_authToken|_auth|_password|npmAuthToken|npmAuthIdent)$")


def _npm(out: _Out, cmd: Command, args: Sequence[Word], tool: str) -> None:
    _, pos, _ = parse_options(args, _opts("--location -L --userconfig --globalconfig -C --dir --cwd"))
    words = [w.value.text for w in pos]
    if words[:2] == ["config", "set"]:
        rest = pos[2:]
    elif words[:1] == ["set"]:
        rest = pos[1:]
    else:
        return
    k = 0
    while k < len(rest):
        kw = rest[k]
        key = kw.value.text
        if "=" in key:
            name = key.partition("=")[0]
            if _NPM_SECRET_KEY.search(name):
                out.value(cmd, kw.sub(len(name) + 1), name, f"{tool} config set {name}", "npm", TOKEN)
            k += 1
            continue
        if k + 1 < len(rest) and _NPM_SECRET_KEY.search(key):
            out.value(cmd, rest[k + 1], key, f"{tool} config set {key}", "npm", TOKEN)
        k += 2


def _helm(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    from nexus_lint.tools.url_commands import _HELM_VALUED

    opts, _, _ = parse_options(args, _HELM_VALUED)
    for name, v in opts:
        if name == "--password" and v is not None:
            out.value(cmd, v, "helm --password", "helm --password", "helm")


# -- secrets handed to containers and other tools -------------------------------------------------

_RUN_ENV = ("-e", "--env", "--build-arg")


def _docker_env(out: _Out, cmd: Command) -> None:
    """``docker run -e NAME=value`` / ``docker build --build-arg NAME=value``."""
    args = cmd.argv[1:]
    for k, w in enumerate(args):
        t = w.value.text
        if t in _RUN_ENV and k + 1 < len(args):
            _env_word(out, cmd, args[k + 1], f"{cmd.name} {t}")
        elif t.startswith(("--env=", "--build-arg=")):
            opt = t.partition("=")[0]
            _env_word(out, cmd, w.sub(len(opt) + 1), f"{cmd.name} {opt}")


def _env_word(out: _Out, cmd: Command, w: Word, origin: str) -> None:
    name, eq, value = w.value.text.partition("=")
    if not eq or not S.is_secret_key(name) or not w.known:
        return
    part = S.secret_part(value, name)
    if part is not None:
        base = len(name) + 1
        hint = "dockerfile" if "build-arg" in origin else "env"
        out.literal(cmd, w, (base + part[0], base + part[1]), name, f"{origin} {name}", hint, S.kind_for(name))


def _sshpass(out: _Out, cmd: Command) -> None:
    args = cmd.argv[1:]
    for k, w in enumerate(args):
        t = w.value.text
        if t == "-p" and k + 1 < len(args):
            out.value(cmd, args[k + 1], "sshpass -p", "sshpass -p", "env")
        elif t.startswith("-p") and len(t) > 2:
            out.value(cmd, w.sub(2), "sshpass -p", "sshpass -p", "env")
        elif not t.startswith("-"):
            return


def _mysql(out: _Out, cmd: Command) -> None:
    for w in cmd.argv[1:]:
        t = w.value.text
        if t.startswith("--password="):
            out.value(cmd, w.sub(len("--password=")), "--password", f"{cmd.name} --password", "env")
        elif t.startswith("-p") and len(t) > 2 and not t.startswith("--"):
            out.value(cmd, w.sub(2), "-p", f"{cmd.name} -p", "env")


# -- entry point -------------------------------------------------------------------------------------


def credential_facts(analysis: ShellAnalysis) -> Iterator[CredentialFact]:
    """Credentials in the analysed commands and assignments, in order."""
    from nexus_lint.tools.url_commands import _tool

    out = _Out()
    for a in analysis.assignments:
        if a.value is None or not a.value.text or not S.is_secret_key(a.name):
            continue
        part = S.secret_part(a.value.text, a.name)
        if part is not None:
            v = a.value[part[0]:part[1]]
            if S.located(v):
                use = a.raw.extent() or v.extent() or (0, 0)
                out.facts.append(CredentialFact(a.name, Secret(v), S.kind_for(a.name), f"shell variable {a.name}",
                                                use, "env"))
    for cmd in analysis.commands:
        tool, args = _tool(cmd)
        try:
            if tool in _LOGIN_TOOLS:
                _login(out, analysis, cmd)
                if tool != "skopeo":
                    _docker_env(out, cmd)
            elif tool == "curl":
                _curl(out, cmd, args)
            elif tool == "wget":
                _wget(out, cmd, args)
            elif tool == "twine":
                _twine(out, cmd, args)
            elif tool == "uv":
                _uv(out, cmd, args)
            elif tool == "poetry":
                _poetry(out, cmd, args)
            elif tool in ("npm", "pnpm", "yarn"):
                _npm(out, cmd, args, tool)
            elif tool == "helm":
                _helm(out, cmd, args)
            elif tool == "sshpass":
                _sshpass(out, cmd)
            elif tool in ("mysql", "mariadb", "mysqladmin", "mysqldump"):
                _mysql(out, cmd)
        except (IndexError, ValueError):  # a malformed command line gives no facts, never a crash
            pass
        for w in cmd.argv:
            text = w.value.text
            if len(text) >= 20 or ("://" in text and "@" in text):
                for fact in S.in_value(w.value, f"`{cmd.name}` argument" if cmd.name else "command argument",
                                       w.raw.extent() or _cmd_span(cmd), "env"):
                    out.facts.append(fact)
    return iter(out.facts)
