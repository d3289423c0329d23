"""URL knowledge for analysed shell commands and for environment-style values.

:func:`url_facts` turns the commands of a :class:`~.shell.ShellAnalysis` into
:class:`~nexus_lint.core.model.UrlFact` records with a role (what the client does
with the URL) and, for HTTP clients, the method:

* ``curl``: every URL argument and ``--url`` value; the method from
  ``-X/--request``, else ``PUT`` with ``-T/--upload-file``, ``POST`` with
  ``-d/--data*``/``--json``/``-F/--form*`` (``GET`` with ``-G``), ``HEAD`` with
  ``-I``.  ``-T`` or a ``PUT``/``POST`` into ``/repository/`` is an UPLOAD;
* ``wget``: URL arguments; ``--method``, ``--post-data``/``--post-file``;
* ``twine upload --repository-url URL``, ``uv publish --publish-url URL``,
  ``poetry config repositories.NAME URL``, ``mvn deploy
  -DaltDeploymentRepository=id::URL`` / ``deploy:deploy-file -Durl=URL``: PUBLISH;
* ``pip``/``pip3``/``python -m pip`` ``install|download|wheel|index``
  ``-i/--index-url``, ``--extra-index-url``, ``-f/--find-links`` and ``pip config
  set global.index-url URL``; ``uv pip ...``/``uv add|sync|lock ...`` index
  options; ``poetry source add NAME URL``: INSTALL;
* ``npm``/``yarn``/``pnpm`` ``--registry URL`` (PUBLISH with ``publish``, else
  INSTALL), ``npm config set registry URL`` (and ``@scope:registry``,
  ``key=value``), ``yarn config set npmRegistryServer|npmPublishRegistry URL``;
* ``helm repo add NAME URL``, ``yum-config-manager --add-repo URL``, ``dnf
  config-manager --add-repo URL`` (dnf5 ``addrepo --from-repofile=URL``): INSTALL.

Whatever the tool, a URL under ``/service/rest/`` is an API call and the
health path a HEALTH check.  The environment a package client runs with counts
too: ``PIP_INDEX_URL=... pip install`` (or an earlier ``export``) gives the
value's URL, located at the assignment.

:func:`url_facts_in_value` is what hosts call for environment-style values
(Dockerfile ``ENV``/``ARG``, CI ``variables:``/``env:``): the role follows from
the variable's name (``PIP_INDEX_URL`` installs, ``TWINE_REPOSITORY_URL``
publishes), anything else is BROWSE.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import API, BROWSE, HEALTH, INSTALL, PUBLISH, UPLOAD, ApiCallFact, UrlFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.tools.commands import parse_options
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.values.urls import find_urls, parse_url

__all__ = ["url_facts", "url_facts_in_value", "api_call_facts", "role_for_key", "TRIGGER", "worth_analysing"]

Span = Tuple[int, int]

# Words that make a piece of shell worth analysing for URLs (to be merged into
# commands.TRIGGER by the host).
TRIGGER = lazy_re(
    r"https?://|\b(?:curl|wget|twine|pip[0-9.]*|uv|poetry|npm|yarn|pnpm|helm|yum-config-manager|config-manager|mvnw?)\b",
    re.I,
)


def worth_analysing(text: str) -> bool:
    return TRIGGER.search(text) is not None


def _opts(spec: str) -> frozenset:
    return frozenset(spec.split())


# -- environment variables --------------------------------------------------------

_INSTALL_KEYS = frozenset({
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
    "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_FIND_LINKS",
    "NPM_CONFIG_REGISTRY", "YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY", "PNPM_CONFIG_REGISTRY",
    "PDM_PYPI_URL", "PIPENV_PYPI_MIRROR", "POETRY_SOURCE_URL", "HELM_REPO_URL",
})
_PUBLISH_KEYS = frozenset({
    "TWINE_REPOSITORY_URL", "UV_PUBLISH_URL", "YARN_NPM_PUBLISH_REGISTRY", "NPM_CONFIG_PUBLISH_REGISTRY",
    "PDM_PUBLISH_REPO", "HATCH_INDEX_REPO", "FLIT_INDEX_URL", "MAVEN_DEPLOY_URL",
})
_POETRY_REPO = lazy_re(r"^POETRY_REPOSITORIES_[A-Z0-9_]+_URL$")
_POETRY_SOURCE = lazy_re(r"^POETRY_SOURCES?_[A-Z0-9_]+_URL$")
_SCOPED_NPM = lazy_re(r"^NPM_CONFIG_@[^:]+:REGISTRY$")


def role_for_key(key: str) -> str:
    """The role of a URL held by the environment variable ``key``."""
    k = key.upper()
    if k in _PUBLISH_KEYS or _POETRY_REPO.match(k):
        return PUBLISH
    if k in _INSTALL_KEYS or _POETRY_SOURCE.match(k) or _SCOPED_NPM.match(k):
        return INSTALL
    return BROWSE


def _path_role(text: str, role: str) -> str:
    """API for the REST API and HEALTH for the health path, whatever the client."""
    url = parse_url(text)
    if url is None:
        return role
    path = url.path
    if path.startswith("/service/rest/"):
        return API
    if path.rstrip("/") == "/health" and role == BROWSE:
        return HEALTH
    return role


def url_facts_in_value(
    value: SourcedStr,
    key: str,
    origin: str,
    use: Optional[Span] = None,
    via: Tuple[str, ...] = (),
) -> Iterator[UrlFact]:
    """URL facts for the value of environment variable ``key`` (``ENV``, ``ARG``,
    CI variables): one per ``http(s)://`` URL inside it, so ``UV_INDEX="a=https://x
    b=https://y"`` and space-separated ``PIP_EXTRA_INDEX_URL`` lists give each URL.
    ``use`` defaults to where the value stands."""
    role = role_for_key(key)
    where = use if use is not None else (value.extent() or (0, 0))
    for s, e in find_urls(value.text):
        part = value[s:e]
        r = _path_role(part.text, role)
        yield UrlFact(part, r, origin, where, via, None)


# -- helpers ----------------------------------------------------------------------------


class _Out:
    def __init__(self) -> None:
        self.facts: List[UrlFact] = []

    def word(self, cmd: Command, word: Optional[Word], role: str, origin: str, method: Optional[str] = None,
             *, path_roles: bool = True) -> None:
        if word is None:
            return
        use = word.raw.extent()
        if use is None:
            use = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else (word.value.extent() or (0, 0))
        for s, e in find_urls(word.value.text):
            part = word.value[s:e]
            r = _path_role(part.text, role) if path_roles else role
            self.facts.append(UrlFact(part, r, origin, use, word.vars, method))

    def env(self, cmd: Command, keys: Sequence[str], origin: str) -> None:
        """URLs in the environment the command runs with (``PIP_INDEX_URL=... pip``)."""
        env = cmd.env
        if not env:
            return
        use = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else None
        for key in keys:
            for k in (key, key.lower()):
                value = env.get(k) if hasattr(env, "get") else None
                if isinstance(value, SourcedStr) and value.text:
                    for fact in url_facts_in_value(value, k, f"{k} for {origin}", use, (k,)):
                        self.facts.append(fact)
                    break


_PYTHON = lazy_re(r"^python[0-9.]*$")


def _tool(cmd: Command) -> Tuple[str, List[Word]]:
    """(tool name, its arguments): ``python -m pip install`` is ``pip install``."""
    name = cmd.name
    args = list(cmd.argv[1:])
    if _PYTHON.match(name) and len(args) >= 2:
        k = 0
        while k < len(args) and args[k].value.text.startswith("-") and args[k].value.text != "-m":
            k += 1
        if k + 1 < len(args) and args[k].value.text == "-m" and args[k + 1].known:
            return args[k + 1].value.text, args[k + 2:]
        if k < len(args) and args[k].value.text.startswith("-m") and len(args[k].value.text) > 2:
            return args[k].value.text[2:], args[k + 1:]
    if name.startswith("pip") and re.match(r"^pip[0-9.]*$", name):
        return "pip", args
    if name == "mvnw":
        return "mvn", args
    return name, args


# -- curl ------------------------------------------------------------------------------------

_CURL_VALUED = _opts("""
    -A --user-agent -b --cookie -c --cookie-jar -C --continue-at -d --data --data-ascii --data-binary
    --data-raw --data-urlencode --json -D --dump-header -e --referer -E --cert --cert-type --cacert --capath
    -F --form --form-string -H --header -K --config --key --key-type --limit-rate -m --max-time
    --connect-timeout --max-filesize --max-redirs -o --output --output-dir -r --range --retry --retry-delay
    --retry-max-time -T --upload-file -u --user -U --proxy-user -w --write-out -x --proxy -X --request
    -y --speed-time -Y --speed-limit -z --time-cond -Q --quote --resolve --connect-to --interface
    --dns-servers --local-port --unix-socket --abstract-unix-socket --netrc-file --oauth2-bearer --ciphers
    --url --variable --expand-url --aws-sigv4 --proto --proto-redir --pass --crlfile --pinnedpubkey
    --noproxy --preproxy --proxy-header --request-target --trace --trace-ascii --stderr --tls-max
    --login-options --mail-from --mail-rcpt --hostpubmd5 --hostpubsha256 --happy-eyeballs-timeout-ms
    --keepalive-time --expect100-timeout --parallel-max --sasl-authzid --service-name --socks4 --socks4a
    --socks5 --socks5-hostname --socks5-gssapi-service --tlsuser --tlspassword --tlsauthtype --delegation
    --ftp-port -P --ftp-account --ftp-alternative-to-user --ftp-method --ftp-ssl-ccc-mode --krb
    --ech --etag-compare --etag-save --proxy-cacert --proxy-capath --proxy-cert --proxy-key
    --proxy-pass --proxy-tlsuser --proxy-tlspassword --proxy-ciphers --proxy-service-name --proxy-crlfile
    --proxy-pinnedpubkey --proxy-tls13-ciphers --tls13-ciphers --curves --doh-url --random-file --egd-file
    --engine --max-filesize --rate --retry-all-errors-max --time-cond --write-out --ip-tos --vlan-priority
""")
_CURL_DATA = frozenset({"-d", "--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode", "--json",
                        "-F", "--form", "--form-string"})


def _curl_method(opts) -> Tuple[str, bool]:
    """(HTTP method, is it an upload with -T) of a curl command line."""
    names = [name for name, _ in opts]
    method = None
    for name, v in opts:
        if name in ("-X", "--request") and v is not None and v.known:
            method = v.value.text.upper()
    upload = any(name in ("-T", "--upload-file") for name in names)
    if method is None:
        if upload:
            method = "PUT"
        elif any(name in _CURL_DATA for name in names):
            method = "GET" if any(name in ("-G", "--get") for name in names) else "POST"
        elif any(name in ("-I", "--head") for name in names):
            method = "HEAD"
        else:
            method = "GET"
    return method, upload


def _curl(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    opts, pos, _ = parse_options(args, _CURL_VALUED, equals=False)
    method, upload = _curl_method(opts)
    urls = list(pos) + [v for name, v in opts if name == "--url" and v is not None]
    for w in urls:
        role = BROWSE
        text = w.value.text
        parsed = parse_url(text) if text.lower().startswith(("http://", "https://")) else None
        if upload or (method in ("PUT", "POST") and parsed is not None and parsed.path.startswith("/repository/")):
            role = UPLOAD
        out.word(cmd, w, role, f"curl {method}" if method != "GET" else "curl", method)


# -- wget --------------------------------------------------------------------------------------

_WGET_VALUED = _opts("""
    -O --output-document -o --output-file -a --append-output -P --directory-prefix -e --execute -t --tries
    -T --timeout -w --wait -Q --quota -U --user-agent -i --input-file -B --base -l --level -A --accept
    -R --reject -D --domains -I --include-directories -X --exclude-directories --header --post-data
    --post-file --method --body-data --body-file --user --password --http-user --http-password --ftp-user
    --ftp-password --load-cookies --save-cookies --referer --ca-certificate --ca-directory --certificate
    --certificate-type --private-key --private-key-type --bind-address --limit-rate --waitretry
    --dns-timeout --connect-timeout --read-timeout --restrict-file-names --progress --config
    --secure-protocol --ciphers -n
""")


def _wget(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    opts, pos, _ = parse_options(args, _WGET_VALUED)
    method = "GET"
    for name, v in opts:
        if name in ("--post-data", "--post-file"):
            method = "POST"
    for name, v in opts:
        if name == "--method" and v is not None and v.known:
            method = v.value.text.upper()
    for w in pos:
        parsed = parse_url(w.value.text)
        role = UPLOAD if method in ("PUT", "POST") and parsed is not None and parsed.path.startswith("/repository/") else BROWSE
        out.word(cmd, w, role, f"wget {method}" if method != "GET" else "wget", method)


# -- Python packaging ----------------------------------------------------------------------------

_PIP_VALUED = _opts("""
    -i --index-url --extra-index-url -f --find-links -r --requirement -c --constraint -e --editable -t --target
    --prefix --root --src --upgrade-strategy --platform --python-version --implementation --abi --no-binary
    --only-binary --progress-bar --log --proxy --retries --timeout --exists-action --trusted-host --cert
    --client-cert --cache-dir --python --config-settings -C --global-option --build-option --report
    --use-feature --use-deprecated --keyring-provider --root-user-action --hash -d --dest -w --wheel-dir
    --path --group --editor --index --default-index --publish-url -p --index-strategy --extra
    --python-platform --resolution --prerelease --exclude-newer --link-mode --output-file -o --token
    --username --password -u --trusted-publishing --check-url --package --with --with-requirements
    --directory --project --config-file --cache-dir --color --keyring-provider
""")
_PIP_INDEX_OPTS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index", "--default-index")
_PIP_LONG = {"-i": "--index-url", "-f": "--find-links"}
_PIP_ENV = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS")
_UV_ENV = ("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_FIND_LINKS")
_PIP_CONFIG_KEY = lazy_re(r"^[a-z]+\.(index[-_]url|extra[-_]index[-_]url|find[-_]links)$")


def _pip(out: _Out, cmd: Command, args: Sequence[Word], tool: str = "pip",
         env_keys: Sequence[str] = _PIP_ENV) -> None:
    opts, pos, _ = parse_options(args, _PIP_VALUED)
    sub = pos[0].value.text if pos else ""
    if tool == "pip" and sub == "config":
        _pip_config(out, cmd, pos[1:])
        return
    origin = f"{tool} {sub}".strip()
    for name, v in opts:
        if name in _PIP_INDEX_OPTS and v is not None:
            out.word(cmd, v, INSTALL, f"{origin} {_PIP_LONG.get(name, name)}")
    if sub in ("install", "download", "wheel", "index", "lock", "compile", "sync"):
        out.env(cmd, env_keys, origin)


def _pip_config(out: _Out, cmd: Command, rest: Sequence[Word]) -> None:
    _, pos, _ = parse_options(rest, _opts("--editor"))
    if len(pos) >= 3 and pos[0].value.text == "set" and _PIP_CONFIG_KEY.match(pos[1].value.text.lower()):
        out.word(cmd, pos[2], INSTALL, f"pip config set {pos[1].value.text}")


def _uv(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    _, first, k = parse_options(args, _PIP_VALUED, stop_at_positional=True)
    if first and first[0].value.text == "pip":
        _pip(out, cmd, args[k + 1:], "uv pip", _UV_ENV)
        return
    opts, pos, _ = parse_options(args, _PIP_VALUED)
    sub = pos[0].value.text if pos else ""
    if sub == "publish":
        for name, v in opts:
            if name == "--publish-url" and v is not None:
                out.word(cmd, v, PUBLISH, "uv publish --publish-url")
        out.env(cmd, ("UV_PUBLISH_URL",), "uv publish")
        return
    for name, v in opts:
        if name in _PIP_INDEX_OPTS and v is not None:
            out.word(cmd, v, INSTALL, f"uv {sub} {_PIP_LONG.get(name, name)}".replace("  ", " "))
    if sub in ("add", "sync", "lock", "run", "tool", "export", "venv"):
        out.env(cmd, _UV_ENV, f"uv {sub}")


_TWINE_VALUED = _opts("""
    --repository-url -r --repository -u --username -p --password --client-cert --cert -c --comment
    -i --identity --sign-with --config-file
""")


def _twine(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    opts, pos, _ = parse_options(args, _TWINE_VALUED)
    sub = pos[0].value.text if pos else ""
    if sub not in ("upload", "register", "check"):
        return
    for name, v in opts:
        if name == "--repository-url" and v is not None:
            out.word(cmd, v, PUBLISH, f"twine {sub} --repository-url", path_roles=False)
    if sub == "upload":
        out.env(cmd, ("TWINE_REPOSITORY_URL",), "twine upload")


def _poetry(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _opts("--priority -C --directory -P --project"))
    words = [w.value.text for w in pos]
    if len(pos) >= 3 and words[0] == "config" and words[1].startswith("repositories."):
        out.word(cmd, pos[2], PUBLISH, f"poetry config {words[1]}", path_roles=False)
    elif len(pos) >= 4 and words[:2] == ["source", "add"]:
        out.word(cmd, pos[3], INSTALL, "poetry source add")


# -- Maven ------------------------------------------------------------------------------------------

_MVN_PUBLISH_PROPS = ("altDeploymentRepository", "altReleaseDeploymentRepository", "altSnapshotDeploymentRepository")


def _mvn(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    goals = [w.value.text for w in args if not w.value.text.startswith("-")]
    deploy_file = any(g.endswith("deploy-file") for g in goals)
    k = 0
    while k < len(args):
        w = args[k]
        t = w.value.text
        if t == "-D" and k + 1 < len(args):
            w, t = args[k + 1], "-D" + args[k + 1].value.text
            k += 1
            start = 0
        else:
            start = 2
        if t.startswith("-D"):
            prop, eq, _ = t[2:].partition("=")
            if eq and (prop in _MVN_PUBLISH_PROPS or (deploy_file and prop == "url")):
                out.word(cmd, w.sub(start + len(prop) + 1), PUBLISH, f"mvn -D{prop}", path_roles=False)
        k += 1


# -- npm, yarn, pnpm --------------------------------------------------------------------------------

_NPM_VALUED = _opts("""
    --registry --loglevel --prefix -C --dir --tag --access --otp --workspace -w --userconfig --globalconfig
    --cache --scope --location -L --filter -F --cwd --auth-type --save-prefix --omit --include --install-strategy
    --script-shell --node-options --before --npm-path --otp --provenance-file
""")
_NPM_CONFIG_KEYS = {"registry": INSTALL, "npmregistryserver": INSTALL, "npmpublishregistry": PUBLISH,
                    "publishconfig.registry": PUBLISH}
_SCOPE_REGISTRY = lazy_re(r"^@[^:\s]+:registry$")


def _npm(out: _Out, cmd: Command, args: Sequence[Word], tool: str) -> None:
    opts, pos, _ = parse_options(args, _NPM_VALUED)
    words = [w.value.text for w in pos]
    sub = words[0] if words else ""
    rest: Optional[Sequence[Word]] = None
    if sub == "set":
        rest = pos[1:]
    elif sub in ("config", "c") and len(words) > 1 and words[1] == "set":
        rest = pos[2:]
    if rest is not None:
        _npm_config_set(out, cmd, rest, tool)
        return
    publish = "publish" in words[:2]
    role = PUBLISH if publish else INSTALL
    for name, v in opts:
        if name == "--registry" and v is not None:
            out.word(cmd, v, role, f"{tool} {'publish' if publish else sub} --registry".replace("  ", " "),
                     path_roles=False)
        elif _SCOPE_REGISTRY.match(name.lstrip("-")) and v is not None:
            out.word(cmd, v, role, f"{tool} {name}", path_roles=False)
    keys = ("NPM_CONFIG_REGISTRY",) if tool in ("npm", "pnpm", "npx") else ("YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY", "NPM_CONFIG_REGISTRY")
    if sub in ("install", "i", "ci", "add", "update", "up", "publish") or (tool == "yarn" and not sub):
        out.env(cmd, keys, f"{tool} {sub}".strip())


def _npm_config_set(out: _Out, cmd: Command, rest: Sequence[Word], tool: str) -> None:
    k = 0
    while k < len(rest):
        key_word = rest[k]
        key = key_word.value.text
        if "=" in key:  # npm config set key=value [key=value ...]
            name, _, _ = key.partition("=")
            role = _npm_key_role(name)
            if role:
                out.word(cmd, key_word.sub(len(name) + 1), role, f"{tool} config set {name}", path_roles=False)
            k += 1
            continue
        if k + 1 < len(rest):
            role = _npm_key_role(key)
            if role:
                out.word(cmd, rest[k + 1], role, f"{tool} config set {key}", path_roles=False)
        k += 2


def _npm_key_role(key: str) -> Optional[str]:
    low = key.lower()
    if low in _NPM_CONFIG_KEYS:
        return _NPM_CONFIG_KEYS[low]
    if _SCOPE_REGISTRY.match(low) or re.match(r"^npmscopes\.[^.]+\.npmregistryserver$", low):
        return INSTALL
    if re.match(r"^npmscopes\.[^.]+\.npmpublishregistry$", low):
        return PUBLISH
    return None


# -- helm, yum, dnf -----------------------------------------------------------------------------------

_HELM_VALUED = _opts("""
    --username --password --ca-file --cert-file --key-file --repository-config --repository-cache
    --kube-context --kubeconfig -n --namespace --registry-config --burst-limit --qps --kube-apiserver
    --kube-as-user --kube-as-group --kube-ca-file --kube-token --timeout
""")


def _helm(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _HELM_VALUED)
    words = [w.value.text for w in pos]
    if len(pos) >= 4 and words[:2] == ["repo", "add"]:
        out.word(cmd, pos[3], INSTALL, "helm repo add", path_roles=False)


_DNF_VALUED = _opts("""
    --add-repo --from-repofile --setopt --set --repo --enablerepo --disablerepo -c --config --installroot
    --releasever --repofrompath --save-filename --id --baseurl
""")


def _yum_config(out: _Out, cmd: Command, args: Sequence[Word], origin: str) -> None:
    opts, _, _ = parse_options(args, _DNF_VALUED)
    for name, v in opts:
        if name in ("--add-repo", "--from-repofile", "--baseurl") and v is not None:
            out.word(cmd, v, INSTALL, f"{origin} {name}", path_roles=False)


def _dnf(out: _Out, cmd: Command, args: Sequence[Word]) -> None:
    _, pos, k = parse_options(args, _DNF_VALUED, stop_at_positional=True)
    if pos and pos[0].value.text == "config-manager":
        _yum_config(out, cmd, args[k + 1:], f"{cmd.name} config-manager")


# -- entry point -------------------------------------------------------------------------------------


def url_facts(analysis: ShellAnalysis) -> Iterator[UrlFact]:
    """URL facts of the analysed commands, in command order."""
    out = _Out()
    for cmd in analysis.commands:
        tool, args = _tool(cmd)
        try:
            if tool == "curl":
                _curl(out, cmd, args)
            elif tool == "wget":
                _wget(out, cmd, args)
            elif tool == "pip":
                _pip(out, cmd, args)
            elif tool == "uv":
                _uv(out, cmd, args)
            elif tool == "twine":
                _twine(out, cmd, args)
            elif tool == "poetry":
                _poetry(out, cmd, args)
            elif tool == "mvn":
                _mvn(out, cmd, args)
            elif tool in ("npm", "yarn", "pnpm"):
                _npm(out, cmd, args, tool)
            elif tool == "helm":
                _helm(out, cmd, args)
            elif tool == "yum-config-manager":
                _yum_config(out, cmd, args, "yum-config-manager")
            elif tool in ("dnf", "dnf5", "yum", "microdnf"):
                _dnf(out, cmd, args)
        except (IndexError, ValueError):  # a malformed command line gives no facts, never a crash
            continue
    return iter(out.facts)


# -- REST API calls -----------------------------------------------------------------------------------

REST_PATH = "/service/rest/"
_CURL_JSON = ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json")
_CURL_FAIL = ("--fail", "--fail-with-body")
_STATUS_WORD = lazy_re(r"^[1-5][0-9][0-9]$")


def _flag_word(args: Sequence[Word], valued: frozenset, short: str, longs: Sequence[str]) -> Optional[Word]:
    """The word that sets a boolean flag (``-f`` in ``-fsSL``, ``--fail``), read as curl reads options."""
    k, n = 0, len(args)
    while k < n:
        t = args[k].value.text
        if t == "--":
            return None
        if t.startswith("--"):
            if t in longs:
                return args[k]
            k += 2 if t in valued else 1
            continue
        if len(t) > 1 and t[0] == "-":
            for j in range(1, len(t)):
                name = "-" + t[j]
                if name == short:
                    return args[k]
                if name in valued:
                    if j == len(t) - 1:
                        k += 1  # the value is the next word
                    break
        k += 1
    return None


# `[ "$code" = 500 ]`, `[[ $status -eq 500 ]]`, `(( code == 500 ))`, a `500)` case arm
_STATUS_TEST = lazy_re(r"(?:==?|!=|-eq|-ne|-ge|-gt|-le|-lt)\s*[\"']?([1-5][0-9][0-9])\b|^\s*\(?\s*[\"']?([1-5][0-9][0-9])[\"']?\s*(?:\|[^)\n]*)?\)",
                          re.M)


def _checked_statuses(analysis: ShellAnalysis) -> Tuple[int, ...]:
    """HTTP statuses the script compares something with (``[ "$code" = 500 ]``)."""
    found = set()
    for cmd in analysis.commands:
        if cmd.name in ("test", "expr"):
            for w in cmd.argv[1:]:
                t = w.value.text.strip()
                if _STATUS_WORD.match(t):
                    found.add(int(t))
    script = getattr(analysis, "script", None)
    if script is not None:
        for line in script.text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            for m in _STATUS_TEST.finditer(line):
                found.add(int(m.group(1) or m.group(2)))
    return tuple(sorted(found))


def _failure_handled(analysis: ShellAnalysis, cmd: Command) -> bool:
    """Does the script go on when ``cmd`` fails (``cmd || ...``, ``if cmd; then``)?"""
    script = getattr(analysis, "script", None)
    if script is None or cmd.start < 0 or cmd.end <= 0:
        return False
    offs = script.offsets
    first = last = -1
    for k in range(len(offs)):
        if offs[k] == cmd.start and first < 0:
            first = k
        if offs[k] == cmd.end - 1:
            last = k
    text = script.text
    if last >= 0:
        rest = text[last + 1:last + 200].replace("\\\n", " ").lstrip(" \t")
        if rest.startswith("||"):
            return True
    if first >= 0:
        before = text[max(0, first - 40):first].rstrip(" \t")
        if re.search(r"(?:^|[\s;&|(])(?:if|elif|while|until|!)$", before):
            return True
    return False


def api_call_facts(analysis: ShellAnalysis) -> Iterator[ApiCallFact]:
    """``curl`` requests to a REST API path: method, URL, the JSON object sent with
    ``-d``/``--data*``/``--json`` (keys and where each character stands, so a fix can
    add a key inside the quoted JSON, or in the variable it came from), whether
    ``-f``/``--fail`` makes any error status fatal, and the statuses the script tests."""
    from nexus_lint.lang.jsonbody import json_text_body

    statuses: Optional[Tuple[int, ...]] = None
    for cmd in analysis.commands:
        tool, args = _tool(cmd)
        if tool != "curl":
            continue
        try:
            opts, pos, _ = parse_options(args, _CURL_VALUED, equals=False)
            urls = [w for w in list(pos) + [v for name, v in opts if name == "--url" and v is not None]
                    if REST_PATH in w.value.text]
            if not urls:
                continue
            method, _ = _curl_method(opts)
            data = [v for name, v in opts if name in _CURL_JSON and v is not None]
            body = None
            if len(data) == 1 and not data[0].value.text.startswith("@"):
                body = json_text_body(data[0].value)
            fail = _flag_word(args, _CURL_VALUED, "-f", _CURL_FAIL)
            raises = raises_at = None
            if fail is not None and not _failure_handled(analysis, cmd):
                raises = "curl --fail" if fail.value.text.startswith("--") else "curl -f"
                raises_at = fail.raw.extent()
            if statuses is None:
                statuses = _checked_statuses(analysis)
            first = cmd.argv[0].raw.extent() if cmd.argv else None
            if first is None:
                first = (cmd.start, cmd.end) if cmd.start >= 0 and cmd.end >= 0 else (0, 0)
            origin = f"curl -X {method}" if method != "GET" else "curl"
            for w in urls:
                yield ApiCallFact(method, w.value, origin, first, body, raises, raises_at, statuses, w.vars)
        except (IndexError, ValueError):
            continue
