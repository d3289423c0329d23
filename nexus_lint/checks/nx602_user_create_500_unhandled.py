"""NX602 user-create-500-unhandled: a user creation that treats HTTP 500 as fatal.

Nexus 3.75+ answers HTTP 500 (not 400) to ``POST /service/rest/v1/security/users``
when the user already exists, so a script that treats every error of that
call as fatal stops on a harmless re-run.
"""

from __future__ import annotations

from nexus_lint.core.model import WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import USERS_CALLS, UsersCall, api_related

NX602 = RuleMeta("NX602", "user-create-500-unhandled", WARNING, None,
                 "A Nexus user POST treats HTTP 500 (the user already exists) as fatal.", precision="medium")

_EXISTS_STATUS = 500


def check(ctx: CheckContext, call: UsersCall) -> None:
    fact = call.fact
    if call.method != "POST" or call.user is not None:
        return
    if not fact.raises or _EXISTS_STATUS in fact.checked_statuses:
        return
    how = f"`{fact.raises}`"
    ctx.report(
        NX602,
        fact.use[0],
        fact.use[1],
        f"`POST {call.path}` ({fact.origin}) treats every error as fatal ({how}), but Nexus 3.75+ answers HTTP 500, "
        f"not 400, when the user already exists: on 500, look the user up (`GET {call.path}?userId=<id>`) and "
        f"continue if it exists; fail only otherwise",
        None,
        api_related(fact, fact.raises_at, f"{how} makes any error status fatal here"),
    )


RULE = Rule(NX602, {USERS_CALLS: check})
