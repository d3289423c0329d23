"""`nexus-lint rule` renders a rule page for the terminal, by id or by name."""

from __future__ import annotations

import json

import pytest

from nexus_lint.docs import load_pages


def test_rule_by_id_renders_plain_text(cli, tmp_path):
    res = cli(["rule", "NX101"], cwd=tmp_path)
    assert res.code == 0 and res.err == ""
    lines = res.out.splitlines()
    assert lines[0] == "NX101 docker-hub-pull (severity: error, fix: safe)"
    assert lines[1] == "=" * len(lines[0])
    # one title: the page's own "# NX101: docker-hub-pull" and its severity table are gone
    assert res.out.count("docker-hub-pull") == 1
    assert "# NX101" not in res.out and "| severity |" not in res.out
    # no test fence: a caption and an indented block
    assert "```" not in res.out and "file=" not in res.out
    block = "  Dockerfile:\n    ARG BASE=python:3.11-slim\n    FROM ${BASE} AS build\n"
    assert block in res.out
    assert "  Makefile:\n    BASE_IMAGE ?= python:3.11-slim\n\n    build:\n    \tdocker pull $(BASE_IMAGE)\n" in res.out
    assert "\nWhy\n---\nEvery Docker Hub image" in res.out
    assert res.out.index("\nExample\n") < res.out.index("\nUse instead\n") < res.out.index("\nFix safety\n")
    assert res.out.endswith("the same image is pulled through the cache. When the reference came from an\n`ARG` default, the default is rewritten.\n")


@pytest.mark.parametrize("query", ["docker-hub-pull", "Docker-Hub-Pull", " docker-hub-pull ", "nx101"])
def test_rule_by_name_or_any_case_is_the_same_page(cli, tmp_path, query):
    by_id = cli(["rule", "NX101"], cwd=tmp_path).out
    res = cli(["rule", query], cwd=tmp_path)
    assert res.code == 0 and res.out == by_id


def test_unknown_rule_is_exit_2_with_one_line(cli, tmp_path):
    for query in ("NX999", "docker-hub", ""):
        res = cli(["rule", query], cwd=tmp_path)
        assert res.code == 2 and res.out == ""
        assert res.err.startswith("nexus-lint: error: unknown rule") and res.err.count("\n") == 1


def test_every_rule_page_renders_without_fences(cli, tmp_path):
    rules = json.loads(cli(["rules", "--format", "json"], cwd=tmp_path).out)
    pages = load_pages()
    for r in rules:
        res = cli(["rule", r["name"]], cwd=tmp_path)
        assert res.code == 0, r
        assert res.out.startswith(f"{r['id']} {r['name']} (severity: {r['severity']}")
        assert "```" not in res.out and not [ln for ln in res.out.splitlines() if ln.startswith("#")]
        page = pages.get(r["id"])
        if page is not None:
            for ex in page.examples:
                assert f"  {ex.file}:\n" in res.out
