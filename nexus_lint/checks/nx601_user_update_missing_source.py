"""NX601 user-update-missing-source: a user update without ``"source"`` in its body.

``PUT /service/rest/v1/security/users/{id}`` needs ``"source"`` in its JSON
body, or Nexus ignores the update without saying so.  When the body is a
literal the call site builds, the safe fix adds ``"source": "default"``.
"""

from __future__ import annotations

from nexus_lint.core.model import ERROR, SAFE, Fix, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import USERS_CALLS, UsersCall, api_related

NX601 = RuleMeta("NX601", "user-update-missing-source", ERROR, SAFE,
                 "A PUT to the Nexus users API sends a JSON body without \"source\".")


def check(ctx: CheckContext, call: UsersCall) -> None:
    if call.method != "PUT" or call.user is None:
        return
    fact = call.fact
    body = fact.body
    if body is None or body.has_key("source") or "*" in body.later_keys:
        return  # no body we can read, or it has (or may get) a source
    edits = body.add_entry("source", "default")
    fix = Fix(edits, SAFE, 'add `"source": "default"` to the body') if edits else None
    ctx.report(
        NX601,
        fact.use[0],
        fact.use[1],
        f"`PUT {call.path}/{call.user}` ({fact.origin}) sends a user body without `\"source\"`; Nexus ignores such an "
        f"update without an error: add `\"source\": \"default\"` (the realm of local users) to the body",
        fix,
        api_related(fact, body.span, "the JSON body is built here"),
    )


RULE = Rule(NX601, {USERS_CALLS: check})
