"""The rule registry is the one list of rules: ``nexus-lint rules``, the README's
rule table and the pages in rules/ all agree with it, and every rule module in
nexus_lint/checks/ is in it."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from nexus_lint.builtin import nexus_lint_rules
from nexus_lint.checks.base import Check, Rule, RuleRegistry, Subject, checks_for
from nexus_lint.checks.common import SUBJECTS
from nexus_lint.core.model import ERROR, RuleMeta
from nexus_lint.docs import builtin_rules, rule_table, table_span, update_readme

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "nexus_lint" / "checks"
RULES = builtin_rules()


def _module_name(meta: RuleMeta) -> str:
    return f"{meta.id.lower()}_{meta.name.replace('-', '_')}"


def test_the_readme_table_is_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    span = table_span(readme)
    assert span is not None, "README.md has no table under '## Rules'"
    assert readme[span[0]:span[1]] == rule_table(RULES), (
        "the README's rule table differs from the registry: run "
        "`python -m nexus_lint.docs --update-readme README.md`")


def test_every_rule_has_a_page_and_every_page_a_rule():
    pages = {p.stem for p in (ROOT / "rules").glob("*.md")}
    ids = {r.id for r in RULES}
    assert sorted(ids - pages) == [], "rules without a page in rules/"
    assert sorted(pages - ids) == [], "pages in rules/ without a rule"


def test_nexus_lint_rules_prints_the_registry(cli, tmp_path):
    res = cli(["rules", "--format", "json"], cwd=tmp_path)
    assert res.code == 0
    printed = [(r["id"], r["name"], r["severity"], r["fix"], r["summary"]) for r in json.loads(res.out)]
    assert printed == [(r.id, r.name, r.severity, r.fix, r.summary) for r in RULES]


def test_every_rule_module_is_registered_and_named_by_its_rule():
    modules = sorted(p.stem for p in CHECKS.glob("nx*.py"))
    assert modules == sorted(_module_name(r) for r in RULES)
    for name in modules:
        module = importlib.import_module(f"nexus_lint.checks.{name}")
        meta = module.RULE.meta
        assert name == _module_name(meta)
        assert getattr(module, meta.id) is meta, f"{name}: the RuleMeta is named {meta.id}"
        assert module.RULE.hooks and all(s in SUBJECTS for s in module.RULE.hooks)


def test_no_other_module_in_checks():
    shared = {"__init__", "base", "common"}
    assert sorted(p.stem for p in CHECKS.glob("*.py") if not re.fullmatch(r"nx\d{3}_\w+", p.stem)) == sorted(shared)


def test_rule_ids_are_unique_and_the_passes_keep_their_order():
    checks = nexus_lint_rules()
    assert [c.name for c in checks] == ["parse", "images", "urls", "hosts", "secrets", "api"]
    assert len({r.id for r in RULES}) == len(RULES) == len(RuleRegistry(checks).rules)


def test_update_readme_rewrites_only_the_table():
    readme = "# x\n\n## Rules\n\nintro\n\n| id | name |\n|---|---|\n| NX1 | a |\n\nafter\n\n## Next\n\n| a |\n"
    new = update_readme(readme, "| T |\n")
    assert new == "# x\n\n## Rules\n\nintro\n\n| T |\n\nafter\n\n## Next\n\n| a |\n"
    with pytest.raises(ValueError):
        update_readme("## Rules\n\nno table\n\n## Next\n\n| a |\n", "| T |\n")


def test_checks_for_groups_hooks_into_passes_in_order():
    seen = []

    def walk(hooks, ctx):
        for hook in hooks:
            hook(ctx, "item")

    first, second, other = Subject("a", "one", walk), Subject("b", "one", walk), Subject("c", "two", walk)
    meta = [RuleMeta(f"XX00{i}", f"r{i}", ERROR, None, "") for i in range(3)]
    rules = [
        Rule(meta[0], {second: lambda ctx, item: seen.append("0b"), first: lambda ctx, item: seen.append("0a")}),
        Rule(meta[1], {other: lambda ctx, item: seen.append("1c")}),
        Rule(meta[2], {first: lambda ctx, item: seen.append("2a")}),
    ]
    checks = checks_for(rules, (first, second, other))
    assert [(c.name, [m.id for m in c.rules]) for c in checks] == [("one", ["XX000", "XX002"]), ("two", ["XX001"])]
    for check in checks:
        assert isinstance(check, Check)
        check.run(None)
    assert seen == ["0a", "2a", "0b", "1c"]
    with pytest.raises(ValueError):
        checks_for(rules, (first, second))


def test_the_kind_index_is_generated_from_the_kind_modules():
    """Start-up reads nexus_lint/kinds/index.py, not the 36 kind modules: it must
    say exactly what their KIND declarations say, in the same order."""
    from nexus_lint.builtin import declared_kinds, nexus_lint_file_kinds
    from nexus_lint.docs import KIND_INDEX, kind_index_source

    declared = declared_kinds()
    assert nexus_lint_file_kinds() == declared
    assert [k.name for k in nexus_lint_file_kinds()] == [k.name for k in declared]
    assert KIND_INDEX.read_text(encoding="utf-8") == kind_index_source(declared), \
        "run: python -m nexus_lint.docs --update-kind-index"


def test_start_up_imports_no_kind_module_but_the_one_it_reads(tmp_path):
    import subprocess
    import sys

    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    code = ("import sys; from nexus_lint.cli import main; main(['check', '--no-cache', 'Dockerfile']); "
            "print(sorted(m for m in sys.modules if m.startswith('nexus_lint.kinds.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True).stdout
    loaded = eval(out.strip().splitlines()[-1])
    assert "nexus_lint.kinds.dockerfile" in loaded and "nexus_lint.kinds.index" in loaded
    assert not {"nexus_lint.kinds.terraform", "nexus_lint.kinds.gitlab", "nexus_lint.kinds.ansible"} & set(loaded)
