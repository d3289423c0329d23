"""The rule catalogue in rules/: one page per rule, and its examples are executed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import codes, lint, make_linter
from nexus_lint.docs import load_pages, parse_page

ROOT = Path(__file__).resolve().parent.parent
PAGES = load_pages()
REGISTRY = make_linter().registry
SECTIONS = ("what it does", "why", "example", "use instead", "fix safety")


def test_every_rule_has_a_page_and_every_page_a_rule():
    assert set(PAGES) == set(REGISTRY.rules)
    assert {p.stem for p in (ROOT / "rules").glob("NX*.md")} == set(REGISTRY.rules)


@pytest.mark.parametrize("rule_id", sorted(REGISTRY.rules))
def test_page_matches_the_rule_metadata(rule_id):
    page = PAGES[rule_id]
    meta = REGISTRY.rules[rule_id]
    assert page.name == meta.name
    for section in SECTIONS:
        assert page.section(section), f"{rule_id}: section {section!r} is empty"
    table = page.text.split("## ")[0]
    assert f"| {meta.severity} | {meta.fix or 'none'} |" in table
    assert any(e.bad for e in page.examples) and any(not e.bad for e in page.examples)


EXAMPLES = [(rid, i, ex) for rid, page in sorted(PAGES.items()) for i, ex in enumerate(page.examples)]


@pytest.mark.parametrize("rule_id, index, example", EXAMPLES, ids=[f"{r}-{i}-{'bad' if e.bad else 'good'}" for r, i, e in EXAMPLES])
def test_examples_are_executed(rule_id, index, example):
    found = codes(lint(example.code, example.file))
    if example.bad:
        assert found and set(found) == {rule_id}, found
    else:
        assert found == []


def test_parse_page_reads_sections_and_fenced_examples():
    page = parse_page("# NX101: docker-hub-pull\n\n## Example\n```dockerfile file=Dockerfile\nFROM x\n```\n## Use instead\ntext\n")
    assert page.id == "NX101" and page.name == "docker-hub-pull"
    assert [(e.file, e.code, e.bad) for e in page.examples] == [("Dockerfile", "FROM x\n", True)]
