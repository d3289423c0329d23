"""Checks, the context they run in, and the rule registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from nexus_lint.core.model import Facts, Finding, Fix, Related, RuleMeta
from nexus_lint.policy import Policy


@dataclass
class CheckContext:
    """What a check sees of one file: its facts, the policy, and where it lives."""

    path: str
    kind: str
    facts: Facts
    policy: Policy
    is_ci: bool = False
    ci_reason: str = ""
    findings: List[Finding] = field(default_factory=list)

    def report(
        self,
        rule: RuleMeta,
        start: int,
        end: int,
        message: str,
        fix: Optional[Fix] = None,
        related: Sequence[Related] = (),
    ) -> None:
        self.findings.append(Finding(rule, self.path, start, end, message, fix, tuple(related)))


@dataclass(frozen=True)
class Check:
    """One pass over a file's facts that may report any of ``rules``."""

    rules: Tuple[RuleMeta, ...]
    run: Callable[[CheckContext], None]
    name: str = ""


class RuleRegistry:
    def __init__(self, checks: Iterable[Check]) -> None:
        self.checks: List[Check] = list(checks)
        self.rules: Dict[str, RuleMeta] = {}
        for check in self.checks:
            for meta in check.rules:
                existing = self.rules.get(meta.id)
                if existing is not None and existing != meta:
                    raise ValueError(f"rule {meta.id} is registered twice with different metadata")
                self.rules[meta.id] = meta

    def sorted_rules(self) -> List[RuleMeta]:
        return sorted(self.rules.values(), key=lambda r: r.id)


def selected(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Ruff-style selection: the longest matching prefix decides; default all."""

    def best(prefixes: Sequence[str]) -> int:
        n = -1
        for p in prefixes:
            if p == "ALL":
                n = max(n, 0)
            elif rule_id.startswith(p):
                n = max(n, len(p))
        return n

    s = best(select) if select else 0
    i = best(ignore)
    return s >= 0 and s > i if i >= 0 else s >= 0
