"""NX601-NX602: the Nexus REST API quirks that silently break user management.

One pass over the file's API call facts (Python ``requests``/``httpx``/
``urllib`` calls, ``curl`` in any shell), whatever file kind they came from:

* NX601: ``PUT /service/rest/v1/security/users/{id}`` needs ``"source"`` in its
  JSON body, or Nexus ignores the update without saying so;
* NX602: Nexus 3.75+ answers HTTP 500 (not 400) to ``POST
  /service/rest/v1/security/users`` when the user already exists, so a script
  that treats every error of that call as fatal stops on a harmless re-run.

The users path is Nexus's own, so the host does not matter (it is often a
parameter or an environment value).
"""

from __future__ import annotations

from typing import Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ERROR, SAFE, WARNING, ApiCallFact, Fix, Related, RuleMeta
from nexus_lint.checks.base import Check, CheckContext

NX601 = RuleMeta("NX601", "user-update-missing-source", ERROR, SAFE,
                 "A PUT to the Nexus users API sends a JSON body without \"source\".")
NX602 = RuleMeta("NX602", "user-create-500-unhandled", WARNING, None,
                 "A Nexus user POST treats HTTP 500 (the user already exists) as fatal.")

RULES = (NX601, NX602)

_USERS = lazy_re(r"(/service/rest/(?:v1|beta)/security/users)(?:/([^/?#]+))?/?(?:[?#][^/]*)?$")
_EXISTS_STATUS = 500


def users_call(url: str) -> Optional[Tuple[str, Optional[str]]]:
    """(users API path, user id or None) when ``url`` is the users endpoint."""
    m = _USERS.search(url)
    if m is None:
        return None
    return m.group(1), m.group(2)


def _related(fact: ApiCallFact, span: Optional[Tuple[int, int]], message: str) -> Tuple[Related, ...]:
    if span is None or (fact.use[0] <= span[0] and span[1] <= fact.use[1]):
        return ()
    return (Related(span[0], span[1], message),)


def run(ctx: CheckContext) -> None:
    for fact in ctx.facts.of_type(ApiCallFact):
        found = users_call(fact.value.text)
        if found is None:
            continue
        path, user = found
        method = (fact.method or "").upper()
        if method == "PUT" and user is not None:
            _update(ctx, fact, path, user)
        elif method == "POST" and user is None:
            _create(ctx, fact, path)


def _update(ctx: CheckContext, fact: ApiCallFact, path: str, user: str) -> None:
    body = fact.body
    if body is None or body.has_key("source") or "*" in body.later_keys:
        return  # no body we can read, or it has (or may get) a source
    edits = body.add_entry("source", "default")
    fix = Fix(edits, SAFE, 'add `"source": "default"` to the body') if edits else None
    ctx.report(
        NX601,
        fact.use[0],
        fact.use[1],
        f"`PUT {path}/{user}` ({fact.origin}) sends a user body without `\"source\"`; Nexus ignores such an "
        f"update without an error: add `\"source\": \"default\"` (the realm of local users) to the body",
        fix,
        _related(fact, body.span, "the JSON body is built here"),
    )


def _create(ctx: CheckContext, fact: ApiCallFact, path: str) -> None:
    if not fact.raises or _EXISTS_STATUS in fact.checked_statuses:
        return
    how = f"`{fact.raises}`"
    ctx.report(
        NX602,
        fact.use[0],
        fact.use[1],
        f"`POST {path}` ({fact.origin}) treats every error as fatal ({how}), but Nexus 3.75+ answers HTTP 500, "
        f"not 400, when the user already exists: on 500, look the user up (`GET {path}?userId=<id>`) and "
        f"continue if it exists; fail only otherwise",
        None,
        _related(fact, fact.raises_at, f"{how} makes any error status fatal here"),
    )


CHECK = Check(RULES, run, "api")
