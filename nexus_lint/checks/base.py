"""The check API: the context a check runs in, checks, rules and the registry of their metadata.

A plugin hands the linter :class:`Check` objects (``nexus_lint_rules``): one
pass over a file's facts that may report any of its rules.  The built-in rules
are finer grained: one :class:`Rule` per module in ``nexus_lint.checks``, whose
hooks look at one :class:`Subject` each (an image reference, a Nexus URL, a
credential ...).  :func:`checks_for` turns them into checks: one per pass, each
fact prepared once and handed to every rule that looks at it.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from nexus_lint.core.model import Facts, Finding, Fix, Related, RuleMeta
from nexus_lint.policy import Policy


class CheckContext:
    """What a check sees of one file: its facts, the policy, and where it lives.

    ``prepared`` holds what the walks of :mod:`nexus_lint.checks.common` made of
    the facts (parsed image references), for the passes after the first.

    (The classes of the check API are plain classes, not dataclasses: they are
    built at every start, and building a dataclass costs as much as importing
    several rule modules.)
    """

    def __init__(self, path: str, kind: str, facts: Facts, policy: Policy, is_ci: bool = False,
                 ci_reason: str = "", findings: Optional[List[Finding]] = None) -> None:
        self.path, self.kind, self.facts, self.policy = path, kind, facts, policy
        self.is_ci, self.ci_reason = is_ci, ci_reason
        self.findings: List[Finding] = [] if findings is None else findings
        self.prepared: Dict[str, Any] = {}

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


class Check:
    """One pass over a file's facts that may report any of ``rules``."""

    __slots__ = ("rules", "run", "name")

    def __init__(self, rules: Tuple[RuleMeta, ...], run: Callable[[CheckContext], None], name: str = "") -> None:
        self.rules, self.run, self.name = rules, run, name

    def __repr__(self) -> str:
        return f"Check({self.name or self.rules[0].id!r}, rules {', '.join(r.id for r in self.rules)})"


Hook = Callable[[CheckContext, Any], None]


class Subject:
    """What rules look at, and the walk that hands it to them.

    ``walk(hooks, ctx)`` goes once over one type of the file's facts, prepares
    each (parses the image reference or the URL once) and calls every hook as
    ``hook(ctx, thing)``.  The subjects of one ``pass_name`` run one after the
    other as one :class:`Check`; an internal error in a hook stops that pass only.
    """

    __slots__ = ("name", "pass_name", "walk")

    def __init__(self, name: str, pass_name: str, walk: Callable[[Sequence[Hook], CheckContext], None]) -> None:
        self.name, self.pass_name, self.walk = name, pass_name, walk

    def __repr__(self) -> str:
        return f"Subject({self.name!r}, pass {self.pass_name!r})"


class Rule:
    """One rule: its metadata and its check, a hook per subject it looks at."""

    __slots__ = ("meta", "hooks")

    def __init__(self, meta: RuleMeta, hooks: Mapping[Subject, Hook]) -> None:
        self.meta, self.hooks = meta, dict(hooks)


def checks_for(rules: Sequence[Rule], subjects: Sequence[Subject]) -> List[Check]:
    """One :class:`Check` per pass, passes and subjects in the order of
    ``subjects``, hooks in the order of ``rules``."""
    unknown = [f"{r.meta.id} looks at {s!r}" for r in rules for s in r.hooks if s not in subjects]
    if unknown:
        raise ValueError(f"no walk for: {', '.join(unknown)}")
    passes: Dict[str, List[Subject]] = {}
    for subject in subjects:
        passes.setdefault(subject.pass_name, []).append(subject)
    checks = []
    for name, members in passes.items():
        stages = [(s.walk, tuple(r.hooks[s] for r in rules if s in r.hooks)) for s in members]
        stages = [(walk, hooks) for walk, hooks in stages if hooks]
        if stages:
            metas = tuple(r.meta for r in rules if any(s in r.hooks for s in members))
            checks.append(Check(metas, _run_stages(stages), name))
    return checks


def _run_stages(stages: Sequence[Tuple[Callable[[Sequence[Hook], CheckContext], None], Tuple[Hook, ...]]]):
    runs = tuple(partial(walk, hooks) for walk, hooks in stages)
    if len(runs) == 1:
        return runs[0]

    def run(ctx: CheckContext) -> None:
        for stage in runs:
            stage(ctx)

    return run


class RuleRegistry:
    """The metadata of every rule the checks may report, by id."""

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
