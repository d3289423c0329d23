"""NX401 hardcoded-credential: a literal password, token or other secret in the file.

The finding lands on the secret's characters and never shows the secret (the
fact holds it as a ``Secret``, whose text is redacted).  The message says the
way this organisation handles the secret instead, for the tool and the file it
stands in (Vault JWT in GitLab CI, ``${{ secrets.NAME }}`` in GitHub Actions,
``${NPM_TOKEN}`` in ``.npmrc``, build secrets in a Dockerfile ...); where the
extractor knows a reference to write instead, that is an unsafe fix.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, UNSAFE, URL_PASSWORD, CredentialFact, Edit, Fix, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import CREDENTIALS, SECRET_WORD, TOOL_WAY, Credential, ci_way, env_name

NX401 = RuleMeta("NX401", "hardcoded-credential", ERROR, UNSAFE, "A literal password, token or other secret is written in the file.")


def _way_out(ctx: CheckContext, fact: CredentialFact) -> str:
    name = env_name(fact)
    hint = fact.hint or "env"
    ci = ci_way(ctx, name)
    parts = []
    tool = TOOL_WAY.get(hint)
    if tool and not (ci and hint == "env"):
        parts.append(tool.format(name=name, lower=name.lower()))
    if ci:
        parts.append(ci)
    if not parts:
        parts.append(TOOL_WAY["env"].format(name=name, lower=name.lower()))
    return "; ".join(parts)


def check(ctx: CheckContext, cred: Credential) -> None:
    fact = cred.fact
    if cred.where is None or fact.kind == URL_PASSWORD:
        return  # not a literal in the source, or NX402's
    s, e, rel = cred.where
    what = SECRET_WORD.get(fact.kind, "token")
    fix = None
    if fact.replacement:
        fix = Fix((Edit(s, e, fact.replacement),), UNSAFE,
                  f"write `{fact.replacement}` instead (set {fact.replacement.strip('${}')} in the environment)")
    from nexus_lint.values.secrets import credential_note

    note = credential_note(fact.value.reveal().text)
    note = f", {note}" if note else ""
    ctx.report(NX401, s, e, f"hardcoded {what} `{fact.value}` ({fact.origin}{note}); {_way_out(ctx, fact)}", fix, rel)


RULE = Rule(NX401, {CREDENTIALS: check})
