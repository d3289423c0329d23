"""NX401-NX403: credentials in files and on command lines.

One pass over the file's credential facts (and the userinfo of its URL
facts), whatever file kind they came from.  A finding lands on the secret's
characters (the literal of the variable it came through, with the use as a
related location) and never shows the secret: facts hold it as a
:class:`~nexus_lint.core.model.Secret`, whose text is redacted.  Every message says
the way this organisation handles the secret instead, for the tool and the
file it stands in (Vault JWT in GitLab CI, ``${{ secrets.NAME }}`` in GitHub
Actions, ``${NPM_TOKEN}`` in ``.npmrc``, environment variables or keyring for
pip and twine, ``--password-stdin`` for ``docker login``).
"""

from __future__ import annotations

from typing import Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import (
    BASIC_AUTH,
    ERROR,
    PASSWORD,
    UNSAFE,
    URL_PASSWORD,
    WARNING,
    CredentialFact,
    Edit,
    Fix,
    Related,
    RuleMeta,
)
from nexus_lint.checks.base import Check, CheckContext

NX401 = RuleMeta("NX401", "hardcoded-credential", ERROR, UNSAFE, "A literal password, token or other secret is written in the file.")
NX402 = RuleMeta("NX402", "credential-in-url", ERROR, None, "A URL carries a literal password in its userinfo (`user:password@host`).")
NX403 = RuleMeta("NX403", "password-argument", WARNING, None, "`docker login` gets its password as a command-line argument.")

RULES = (NX401, NX402, NX403)

_NAME = lazy_re(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DEFAULT_NAME = {
    "docker-login": "NEXUS_PASSWORD",
    "npm": "NPM_TOKEN",
    "pypi": "TWINE_PASSWORD",
    "helm": "NEXUS_PASSWORD",
}

_TOOL_WAY = {
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
    "env": "read it from the environment (`${name}`) or a secret store at run time",
}


def _env_name(fact: CredentialFact) -> str:
    """The variable name a snippet in the message uses: the secret's own
    (``NEXUS_PASSWORD``, the variable it came through) or one for the tool."""
    if fact.via and _NAME.match(fact.via[-1]):
        return fact.via[-1]
    key = fact.key.rsplit(":", 1)[-1].lstrip("_-/")
    if _NAME.match(key) and key.upper() == key and len(key) > 3:
        return key
    if fact.hint in _DEFAULT_NAME:
        return _DEFAULT_NAME[fact.hint]
    return "NEXUS_TOKEN" if fact.kind not in (PASSWORD, BASIC_AUTH) else "NEXUS_PASSWORD"


def _ci_way(ctx: CheckContext, name: str) -> str:
    gitlab = ctx.kind == "gitlab-ci" or "gitlab" in ctx.ci_reason
    github = ctx.kind == "github-actions" or ".github" in ctx.ci_reason
    role = ctx.policy.ci_vault_role
    vault = (f"in GitLab CI read it from Vault with the JWT role `{role}`: `id_tokens: {{VAULT_ID_TOKEN: {{aud: "
             f"<vault url>}}}}` and `secrets: {{{name}: {{vault: <path>/<field>@<mount>, file: false}}}}` with "
             f"`VAULT_AUTH_ROLE: {role}` (`nexus-lint rule NX401` shows it)")
    actions = f"in GitHub Actions use `${{{{ secrets.{name} }}}}`"
    if gitlab:
        return vault
    if github:
        return actions
    if ctx.is_ci:
        return f"CI passes it in: {vault}; {actions}"
    return ""


def _way_out(ctx: CheckContext, fact: CredentialFact) -> str:
    name = _env_name(fact)
    hint = fact.hint or "env"
    ci = _ci_way(ctx, name)
    parts = []
    tool = _TOOL_WAY.get(hint)
    if tool and not (ci and hint == "env"):
        parts.append(tool.format(name=name, lower=name.lower()))
    if ci:
        parts.append(ci)
    if not parts:
        parts.append(_TOOL_WAY["env"].format(name=name, lower=name.lower()))
    return "; ".join(parts)


def _locate(fact: CredentialFact) -> Optional[Tuple[int, int, Tuple[Related, ...]]]:
    """Where the secret stands (its first located run) and the use site when elsewhere."""
    value = fact.value.reveal()
    span = value.span()
    if span is None:
        start = end = None
        for off in value.offsets:
            if off < 0:
                if start is not None:
                    break
                continue
            if start is None:
                start, end = off, off + 1
            elif off == end:
                end += 1
            else:
                break
        if start is None:
            return None
        span = (start, end)
    related: Tuple[Related, ...] = ()
    use = fact.use
    if use and not (use[0] <= span[0] and span[1] <= use[1]):
        via = f" through ${fact.via[-1]}" if fact.via else ""
        related = (Related(use[0], use[1], f"used here by {fact.origin}{via}"),)
    return span[0], span[1], related


def _defined_at_use(fact: CredentialFact) -> bool:
    ext = fact.value.extent()
    return ext is None or (fact.use[0] <= ext[0] and ext[1] <= fact.use[1])


_WHAT = {PASSWORD: "password", BASIC_AUTH: "credentials", URL_PASSWORD: "password"}


def run(ctx: CheckContext) -> None:
    if not ctx.facts.credentials and not ctx.facts.urls:
        return
    reported: Set[Tuple[int, int]] = set()
    # Where the secret is written before where it is used: the finding (one per
    # span) speaks of the definition and lists the uses as related locations.
    facts = sorted(ctx.facts.credentials, key=lambda f: 0 if _defined_at_use(f) else 1)
    for fact in facts:
        if fact.argument:
            ctx.report(
                NX403,
                fact.use[0],
                fact.use[1],
                f"`{fact.origin}` puts the password on the command line, where process lists and CI logs can show "
                f"it: {_TOOL_WAY['docker-login'].format(name=_env_name(fact))}",
            )
        if not fact.literal:
            continue
        where = _locate(fact)
        if where is None:
            continue
        s, e, rel = where
        what = _WHAT.get(fact.kind, "token")
        if fact.kind == URL_PASSWORD:
            reported.add((s, e))
            ctx.report(
                NX402,
                s,
                e,
                f"a URL carries a literal {what} `{fact.value}` in its userinfo ({fact.origin}); URLs end up in "
                f"logs and error messages: {_url_way(ctx, fact)}",
                None,
                rel,
            )
            continue
        reported.add((s, e))
        fix = None
        if fact.replacement:
            fix = Fix((Edit(s, e, fact.replacement),), UNSAFE,
                      f"write `{fact.replacement}` instead (set {fact.replacement.strip('${}')} in the environment)")
        ctx.report(NX401, s, e, f"hardcoded {what} `{fact.value}` ({fact.origin}); {_way_out(ctx, fact)}", fix, rel)
    _url_facts(ctx, reported)


def _url_way(ctx: CheckContext, fact: Optional[CredentialFact]) -> str:
    name = _env_name(fact) if fact is not None else "NEXUS_PASSWORD"
    way = ("keep the credential out of the URL: pip and uv read it from keyring or a `.netrc`, twine from "
           "`TWINE_PASSWORD`, git from a credential helper, or set the whole URL from a secret variable")
    ci = _ci_way(ctx, name)
    return f"{way}; {ci}" if ci else way


def _url_facts(ctx: CheckContext, reported: Set[Tuple[int, int]]) -> None:
    """A literal password in the userinfo of any URL fact (pip indexes, registries, API calls)."""
    urls = [f for f in ctx.facts.urls if "@" in f.value.text]
    if not urls:
        return
    from nexus_lint.values.secrets import shown_url, url_secret_part

    for fact in urls:
        text = fact.value.text
        part = url_secret_part(text)
        if part is None:
            continue
        value = fact.value[part[0]:part[1]]
        span = value.span()
        if span is None or span in reported:
            continue
        reported.add(span)
        related: Tuple[Related, ...] = ()
        if not (fact.use[0] <= span[0] and span[1] <= fact.use[1]):
            related = (Related(fact.use[0], fact.use[1], f"used here by {fact.origin}"),)
        ctx.report(
            NX402,
            span[0],
            span[1],
            f"`{shown_url(text)}` carries a literal password in its userinfo ({fact.origin}); URLs end up in logs "
            f"and error messages: {_url_way(ctx, None)}",
            None,
            related,
        )


CHECK = Check(RULES, run, "secrets")
