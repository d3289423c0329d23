"""NX107 login-port-mismatch: a registry login to the Docker port its job does not use.

Docker keeps credentials per ``host:port``: a job (a shell session: a CI job's
``before_script`` and ``script``, the steps of a GitHub job, a script, a
Dockerfile) that pushes must log in to the push port, one that only pulls to
the pull port; a login to the other port (or to no port) never applies.

The session's pushes and pulls decide (``LoginFact.serves``).  A login that
names the port a push (or pull) of the session itself names is left to that
image's own rule (NX103, NX102, NX106): its fix moves the push, and the next
round of ``--fix`` moves the login after it.  A session with a login that
serves it is fine whatever its other logins name.  A login literal that
serves several sessions (the ``default:`` ``before_script`` of a GitLab
pipeline) is judged by the ones that push when any does, else by the ones that
pull.  The safe fix writes the needed port, unless the login's value also
names an image's registry (a variable feeding both): then the message says so.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from nexus_lint.core.model import ERROR, SAFE, Related, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import LOGINS, Login, edit, fix_of, locate

NX107 = RuleMeta("NX107", "login-port-mismatch", ERROR, SAFE,
                 "A registry login names another Docker port than the one its job pushes or pulls through.")


def _who(scope: str) -> str:
    if scope.startswith("gitlab job "):
        name = scope[len("gitlab job "):].rsplit(" ", 1)[0]
        return "the default scripts" if name == "(default)" else f"job `{name}`"
    if scope.startswith("github job"):
        return "this job"
    if scope == "dockerfile":
        return "this Dockerfile"
    return "this script"


def check(ctx: CheckContext, login: Login) -> None:
    records: List[Tuple[str, bool, list, str]] = []  # (direction, satisfied, uses, scope)
    for s in login.sessions:
        if s.pushes:
            direction, want, uses = "push", login.push_port, s.pushes
        elif s.pulls:
            direction, want, uses = "pull", login.pull_port, s.pulls
        else:
            continue
        use_ports = {Login.norm(ref.port) for _, ref in uses}

        def serves(port: Optional[str]) -> bool:
            return port == want or port in use_ports  # the same port as a push: that push's rule reports it

        if any(serves(p) for p in s.login_ports):
            if serves(login.port):
                records.append((direction, True, uses, s.scope))
        else:
            records.append((direction, False, uses, s.scope))
    relevant = [r for r in records if r[0] == "push"] or records
    if not relevant or any(r[1] for r in relevant):
        return
    direction, _, uses, scope = relevant[0]
    want = login.push_port if direction == "push" else login.pull_port
    fact = login.fact
    image, _ = uses[0]
    if login.port_span is not None:
        s, e, rel = locate(fact, *login.port_span)
        named = f"port {fact.value.text[login.port_span[0]:login.port_span[1]]}"
        fix = fix_of([edit(fact, *login.port_span, want)], SAFE, f"log in to port {want}")
    else:
        s, e, rel = locate(fact, *login.host_span)
        named = "no port"
        end = login.host_span[1]
        fix = fix_of([edit(fact, end, end, f":{want}")], SAFE, f"log in to port {want}")
    verb = "pushes" if direction == "push" else "only pulls"
    why = ""
    if login.shared_with is not None:
        other = login.shared_with
        via = f"${fact.via[-1]}" if fact.via else "its value"
        why = (f"; {via} also names the registry of `{other.value.text}` ({other.origin}), so it is not changed "
               f"here: give the login a value of its own")
        fix = None
    rel = rel + (Related(image.use[0], image.use[1], f"{direction}ed here by {image.origin}"),)
    ctx.report(
        NX107,
        s,
        e,
        f"`{fact.origin}` names {named} of {login.host}, but {_who(scope)} {verb} through port "
        f"{login.push_port if direction == 'push' else login.pull_port} (`{image.value.text}`); Docker keeps "
        f"credentials per host and port, so they never apply: log in to port {want}{why}",
        fix,
        rel,
    )


RULE = Rule(NX107, {LOGINS: check})
