"""NX402 credential-in-url: a literal password in the userinfo of a URL.

Reported once per secret span: a password an extractor recorded as a URL
credential, and any other URL fact (pip indexes, registries, API calls) with
a literal ``user:password@`` that no credential fact stands for.  URLs end up
in logs and error messages; the message never shows the password.
"""

from __future__ import annotations

from typing import Tuple

from nexus_lint.core.model import ERROR, URL_PASSWORD, Related, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import CREDENTIALS, SECRET_WORD, USERINFO, Credential, Userinfo, url_way

NX402 = RuleMeta("NX402", "credential-in-url", ERROR, None, "A URL carries a literal password in its userinfo (`user:password@host`).")


def check_credential(ctx: CheckContext, cred: Credential) -> None:
    fact = cred.fact
    if cred.where is None or fact.kind != URL_PASSWORD:
        return
    s, e, rel = cred.where
    ctx.report(
        NX402,
        s,
        e,
        f"a URL carries a literal {SECRET_WORD.get(fact.kind, 'token')} `{fact.value}` in its userinfo "
        f"({fact.origin}); URLs end up in logs and error messages: {url_way(ctx, fact)}",
        None,
        rel,
    )


def check_userinfo(ctx: CheckContext, info: Userinfo) -> None:
    from nexus_lint.values.secrets import shown_url

    fact, span = info.fact, info.span
    related: Tuple[Related, ...] = ()
    if not (fact.use[0] <= span[0] and span[1] <= fact.use[1]):
        related = (Related(fact.use[0], fact.use[1], f"used here by {fact.origin}"),)
    ctx.report(
        NX402,
        span[0],
        span[1],
        f"`{shown_url(fact.value.text)}` carries a literal password in its userinfo ({fact.origin}); URLs end up in logs "
        f"and error messages: {url_way(ctx, None)}",
        None,
        related,
    )


RULE = Rule(NX402, {CREDENTIALS: check_credential, USERINFO: check_userinfo})
