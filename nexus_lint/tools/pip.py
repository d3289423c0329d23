"""``pip`` (``pip3``, ``python -m pip``) and ``uv``: the package indexes they
install from, the URL ``uv publish`` publishes to, its credentials.

* ``pip install|download|wheel|index`` ``-i/--index-url``,
  ``--extra-index-url``, ``-f/--find-links`` and ``pip config set
  global.index-url URL``; ``uv pip ...``/``uv add|sync|lock ...`` index
  options: INSTALL; the ``PIP_*``/``UV_*`` index variables the command runs
  with count too;
* ``uv publish --publish-url URL`` (or ``UV_PUBLISH_URL``): PUBLISH, and its
  ``-p/--password``, ``-t/--token`` credentials.
"""

from __future__ import annotations

from typing import Sequence

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import INSTALL, PUBLISH, TOKEN
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.options import opts, parse_options, subcommand
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls", "credentials"]

_VALUED = opts("""
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
_INDEX_OPTS = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index", "--default-index")
_LONG = {"-i": "--index-url", "-f": "--find-links"}
_PIP_ENV = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS")
_UV_ENV = ("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_FIND_LINKS")
_CONFIG_KEY = lazy_re(r"^[a-z]+\.(index[-_]url|extra[-_]index[-_]url|find[-_]links)$")


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    if tool == "uv":
        _uv(out, cmd, args)
    else:
        _pip(out, cmd, args)


def _pip(out: UrlOut, cmd: Command, args: Sequence[Word], tool: str = "pip",
         env_keys: Sequence[str] = _PIP_ENV) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    sub = pos[0].value.text if pos else ""
    if tool == "pip" and sub == "config":
        _pip_config(out, cmd, pos[1:])
        return
    origin = f"{tool} {sub}".strip()
    for name, v in found:
        if name in _INDEX_OPTS and v is not None:
            out.word(cmd, v, INSTALL, f"{origin} {_LONG.get(name, name)}")
    if sub in ("install", "download", "wheel", "index", "lock", "compile", "sync"):
        out.env(cmd, env_keys, origin)


def _pip_config(out: UrlOut, cmd: Command, rest: Sequence[Word]) -> None:
    _, pos, _ = parse_options(rest, opts("--editor"))
    if len(pos) >= 3 and pos[0].value.text == "set" and _CONFIG_KEY.match(pos[1].value.text.lower()):
        out.word(cmd, pos[2], INSTALL, f"pip config set {pos[1].value.text}")


def _uv(out: UrlOut, cmd: Command, args: Sequence[Word]) -> None:
    first, rest = subcommand(args, _VALUED)
    if first == "pip":
        _pip(out, cmd, rest, "uv pip", _UV_ENV)
        return
    found, pos, _ = parse_options(args, _VALUED)
    sub = pos[0].value.text if pos else ""
    if sub == "publish":
        for name, v in found:
            if name == "--publish-url" and v is not None:
                out.word(cmd, v, PUBLISH, "uv publish --publish-url")
        out.env(cmd, ("UV_PUBLISH_URL",), "uv publish")
        return
    for name, v in found:
        if name in _INDEX_OPTS and v is not None:
            out.word(cmd, v, INSTALL, f"uv {sub} {_LONG.get(name, name)}".replace("  ", " "))
    if sub in ("add", "sync", "lock", "run", "tool", "export", "venv"):
        out.env(cmd, _UV_ENV, f"uv {sub}")


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    """``uv publish -p/--password``, ``-t/--token``."""
    if tool != "uv":
        return
    found, pos, _ = parse_options(args, _VALUED)
    if not pos or pos[0].value.text != "publish":
        return
    for name, v in found:
        if v is None:
            continue
        if name in ("-p", "--password"):
            out.value(cmd, v, f"uv publish {name}", f"uv publish {name}", "pypi")
        elif name in ("-t", "--token"):
            out.value(cmd, v, f"uv publish {name}", f"uv publish {name}", "pypi", TOKEN)
