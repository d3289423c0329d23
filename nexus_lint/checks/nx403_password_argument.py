"""NX403 password-argument: ``docker login`` given its password as an argument.

Process lists and CI logs can show it, literal or not; the message shows how
to pipe it in with ``--password-stdin`` instead.
"""

from __future__ import annotations

from nexus_lint.core.model import WARNING, RuleMeta
from nexus_lint.checks.base import CheckContext, Rule
from nexus_lint.checks.common import CREDENTIALS, TOOL_WAY, Credential, env_name

NX403 = RuleMeta("NX403", "password-argument", WARNING, None, "`docker login` gets its password as a command-line argument.")


def check(ctx: CheckContext, cred: Credential) -> None:
    fact = cred.fact
    if not fact.argument:
        return
    ctx.report(
        NX403,
        fact.use[0],
        fact.use[1],
        f"`{fact.origin}` puts the password on the command line, where process lists and CI logs can show "
        f"it: {TOOL_WAY['docker-login'].format(name=env_name(fact))}",
    )


RULE = Rule(NX403, {CREDENTIALS: check})
