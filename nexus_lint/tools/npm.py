"""``npm``, ``yarn`` and ``pnpm``: the registries they install from and publish to,
the tokens they store.

URLs: ``--registry URL`` (and ``--@scope:registry``): PUBLISH with ``publish``,
else INSTALL; ``npm config set registry URL`` (and ``@scope:registry``,
``key=value``), ``yarn config set npmRegistryServer|npmPublishRegistry URL``;
the registry variables the command runs with (``NPM_CONFIG_REGISTRY``, ...).

Credentials: ``npm|pnpm config set //host/:_authToken TOKEN`` (``_auth``,
``_password``, ``key=value`` form), ``yarn config set npmAuthToken TOKEN``.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import INSTALL, PUBLISH, TOKEN
from nexus_lint.lang.shell import Command, ShellAnalysis, Word
from nexus_lint.tools.credentials import CredentialOut
from nexus_lint.tools.options import opts, parse_options
from nexus_lint.tools.urls import UrlOut

__all__ = ["urls", "credentials"]

# The options `config set` is read with (for credentials), and all the valued ones (for URLs).
_CONFIG_VALUED = opts("--location -L --userconfig --globalconfig -C --dir --cwd")
_VALUED = _CONFIG_VALUED | opts("""
    --registry --loglevel --prefix --tag --access --otp --workspace -w --cache --scope --filter -F
    --auth-type --save-prefix --omit --include --install-strategy --script-shell --node-options --before
    --npm-path --provenance-file
""")
_CONFIG_KEYS = {"registry": INSTALL, "npmregistryserver": INSTALL, "npmpublishregistry": PUBLISH,
                "publishconfig.registry": PUBLISH}
_SCOPE_REGISTRY = lazy_re(r"^@[^:\s]+:registry$")
_SECRET_KEY = lazy_re(r"(?:^|:)(?:_authToken|_auth|_password|npmAuthToken|npmAuthIdent)$")


# -- URLs ------------------------------------------------------------------------------------


def urls(out: UrlOut, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    found, pos, _ = parse_options(args, _VALUED)
    words = [w.value.text for w in pos]
    sub = words[0] if words else ""
    rest: Optional[Sequence[Word]] = None
    if sub == "set":
        rest = pos[1:]
    elif sub in ("config", "c") and len(words) > 1 and words[1] == "set":
        rest = pos[2:]
    if rest is not None:
        _config_set(out, cmd, rest, tool)
        return
    publish = "publish" in words[:2]
    role = PUBLISH if publish else INSTALL
    for name, v in found:
        if name == "--registry" and v is not None:
            out.word(cmd, v, role, f"{tool} {'publish' if publish else sub} --registry".replace("  ", " "),
                     path_roles=False)
        elif _SCOPE_REGISTRY.match(name.lstrip("-")) and v is not None:
            out.word(cmd, v, role, f"{tool} {name}", path_roles=False)
    keys = ("NPM_CONFIG_REGISTRY",) if tool in ("npm", "pnpm", "npx") else ("YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY", "NPM_CONFIG_REGISTRY")
    if sub in ("install", "i", "ci", "add", "update", "up", "publish") or (tool == "yarn" and not sub):
        out.env(cmd, keys, f"{tool} {sub}".strip())


def _config_set(out: UrlOut, cmd: Command, rest: Sequence[Word], tool: str) -> None:
    k = 0
    while k < len(rest):
        key_word = rest[k]
        key = key_word.value.text
        if "=" in key:  # npm config set key=value [key=value ...]
            name, _, _ = key.partition("=")
            role = _key_role(name)
            if role:
                out.word(cmd, key_word.sub(len(name) + 1), role, f"{tool} config set {name}", path_roles=False)
            k += 1
            continue
        if k + 1 < len(rest):
            role = _key_role(key)
            if role:
                out.word(cmd, rest[k + 1], role, f"{tool} config set {key}", path_roles=False)
        k += 2


def _key_role(key: str) -> Optional[str]:
    low = key.lower()
    if low in _CONFIG_KEYS:
        return _CONFIG_KEYS[low]
    if _SCOPE_REGISTRY.match(low) or re.match(r"^npmscopes\.[^.]+\.npmregistryserver$", low):
        return INSTALL
    if re.match(r"^npmscopes\.[^.]+\.npmpublishregistry$", low):
        return PUBLISH
    return None


# -- credentials ----------------------------------------------------------------------------------


def credentials(out: CredentialOut, analysis: ShellAnalysis, cmd: Command, tool: str, args: Sequence[Word]) -> None:
    _, pos, _ = parse_options(args, _CONFIG_VALUED)
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
            if _SECRET_KEY.search(name):
                out.value(cmd, kw.sub(len(name) + 1), name, f"{tool} config set {name}", "npm", TOKEN)
            k += 1
            continue
        if k + 1 < len(rest) and _SECRET_KEY.search(key):
            out.value(cmd, rest[k + 1], key, f"{tool} config set {key}", "npm", TOKEN)
        k += 2
