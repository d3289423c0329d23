"""--fix, --unsafe-fixes and --diff: exact edits, encodings kept, idempotent, never harmful."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import fix_text, lint, make_linter, write_tree
from nexus_lint.hookspecs import hookimpl
from nexus_lint.core.model import ERROR, SAFE, Edit, Fix, RuleMeta
from nexus_lint.checks.base import Check

PULL = "nexus.shared.cwiq.io:8444"


def test_fix_rewrites_a_docker_hub_from(tmp_path, cli):
    df = tmp_path / "Dockerfile"
    df.write_bytes(b"FROM python:3.11-slim AS build\nRUN echo hi\n")
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0, res.out
    assert df.read_bytes() == f"FROM {PULL}/library/python:3.11-slim AS build\nRUN echo hi\n".encode()
    assert "Fixed 1 finding" in res.out
    again = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert again.code == 0 and "Fixed" not in again.out
    assert df.read_bytes() == f"FROM {PULL}/library/python:3.11-slim AS build\nRUN echo hi\n".encode()


def test_fix_keeps_crlf_bom_and_missing_final_newline(tmp_path, cli):
    original = b"\xef\xbb\xbf# base\r\nFROM node:20 AS web\r\nRUN npm ci\r\nFROM bitnami/redis:7"
    (tmp_path / "Dockerfile").write_bytes(original)
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0, res.out
    assert (tmp_path / "Dockerfile").read_bytes() == (
        b"\xef\xbb\xbf# base\r\nFROM " + PULL.encode() + b"/library/node:20 AS web\r\nRUN npm ci\r\n"
        b"FROM " + PULL.encode() + b"/bitnami/redis:7"
    )


def test_fix_keeps_latin1_encoding(tmp_path, cli):
    original = "ARG MAINTAINER=\"Jos\xe9\"\nFROM python:3.11\n".encode("latin-1")
    (tmp_path / "Dockerfile").write_bytes(original)
    assert cli(["check", "--fix", "Dockerfile"], cwd=tmp_path).code == 0
    assert (tmp_path / "Dockerfile").read_bytes() == f"ARG MAINTAINER=\"Jos\xe9\"\nFROM {PULL}/library/python:3.11\n".encode("latin-1")


def test_fix_writes_the_arg_default_and_keeps_mode(tmp_path, cli):
    df = tmp_path / "Dockerfile"
    df.write_text("ARG BASE=python:3.11\nFROM ${BASE}\n")
    os.chmod(df, 0o640)
    assert cli(["check", "--fix", "."], cwd=tmp_path).code == 0
    assert df.read_text() == f"ARG BASE={PULL}/library/python:3.11\nFROM ${{BASE}}\n"
    assert stat.S_IMODE(os.stat(df).st_mode) == 0o640


def test_port_fixes():
    text = "FROM nexus.shared.cwiq.io:8443/orchestrator/a:1\nFROM nexus.shared.cwiq.io/orchestrator/b:1\n"
    assert fix_text(text) == f"FROM {PULL}/orchestrator/a:1\nFROM {PULL}/orchestrator/b:1\n"


def test_unsafe_fix_needs_the_flag(tmp_path, cli):
    df = tmp_path / "Dockerfile"
    df.write_text(f"FROM {PULL}/cwiq-api:1.0\n")
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1 and "NX104" in res.out and "--unsafe-fixes" in res.out
    assert df.read_text() == f"FROM {PULL}/cwiq-api:1.0\n"
    res = cli(["check", "--fix", "--unsafe-fixes", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0
    assert df.read_text() == f"FROM {PULL}/orchestrator/api:1.0\n"


def test_diff_shows_the_fix_and_changes_nothing(tmp_path, cli):
    df = tmp_path / "Dockerfile"
    df.write_text("FROM python:3.11\n")
    res = cli(["check", "--diff", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1
    assert res.out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-FROM python:3.11\n"
        f"+FROM {PULL}/library/python:3.11\n"
    )
    assert df.read_text() == "FROM python:3.11\n"
    df.write_text(f"FROM {PULL}/library/python:3.11\n")
    res = cli(["check", "--diff", "Dockerfile"], cwd=tmp_path)
    assert (res.code, res.out) == (0, "")


def test_fix_from_stdin_prints_the_fixed_file(cli, tmp_path):
    res = cli(["check", "--fix", "--stdin-filename", "Dockerfile"], cwd=tmp_path, stdin=b"FROM alpine:3.20\n")
    assert res.out == f"FROM {PULL}/library/alpine:3.20\n"
    assert res.code == 0


def test_a_file_that_fails_to_parse_is_not_fixed(tmp_path, cli):
    df = tmp_path / "Dockerfile"
    original = "FROM python:3.11\nRUN <<EOF\necho never closed\n"
    df.write_text(original)
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1 and "NX000" in res.out
    assert df.read_text() == original


BREAKER = RuleMeta("NX999", "test-breaker", ERROR, SAFE, "test rule whose fix breaks the file")


class BreakingPlugin:
    """A plugin whose fix would leave an unterminated heredoc: it must never be written."""

    @hookimpl
    def nexus_lint_rules(self):
        def run(ctx):
            ctx.report(BREAKER, 0, 0, "breaks", Fix((Edit(0, 0, "RUN <<EOF\n"),), SAFE, "insert a heredoc"))

        return [Check((BREAKER,), run, "breaker")]


def test_a_fix_that_would_break_the_file_is_dropped(tmp_path):
    linter = make_linter(plugins=[BreakingPlugin()])
    kind = linter.classifier.by_path("Dockerfile")
    text = "FROM python:3.11\n"
    result = linter.lint_bytes("Dockerfile", text.encode(), kind, "Dockerfile")
    fixed = linter.fix(result, kind, "Dockerfile", unsafe=False)
    assert fixed.fixed_text == f"FROM {PULL}/library/python:3.11\n"  # the good fix is kept
    assert fixed.dropped_fixes == ["insert a heredoc"]


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path, cli):
    write_tree(tmp_path, {"a/Dockerfile": "FROM python:3.11\n", "b/Dockerfile": "FROM node:20\n"})
    assert cli(["check", "--fix", "."], cwd=tmp_path).code == 0
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".nexus-lint-")]
    assert leftovers == []


# -- one value feeding a pull and a push: no fix can serve both -------------------------------

SHARED = [
    ("Dockerfile",
     "ARG REG=nexus.shared.cwiq.io:8443\nFROM $REG/orchestrator/base:1\nARG REG\nRUN docker push $REG/orchestrator/app:1\n",
     ("NX102", 1, 30), [(2, 6), (4, 17)]),
    (".gitlab-ci.yml",
     "variables:\n  REG: nexus.shared.cwiq.io\nbuild:\n  script:\n"
     "    - docker pull $REG/orchestrator/base:1\n    - docker push $REG/orchestrator/app:1\n",
     ("NX106", 2, 8), [(5, 19), (6, 19)]),
    ("publish.sh",
     "REG=nexus.shared.cwiq.io:8444\ndocker pull $REG/orchestrator/base:1\ndocker push \"$REG/orchestrator/app:1\"\n",
     ("NX103", 1, 26), [(3, 13), (2, 13)]),
]


@pytest.mark.parametrize("name,text,where,uses", SHARED, ids=[s[0] for s in SHARED])
def test_a_value_shared_by_a_pull_and_a_push_is_reported_without_a_fix(name, text, where, uses):
    """Changing the shared literal's port would fix one direction and break the
    other (the fix loop used to flip it back and forth); the finding stays, with
    both uses, and the fix is withheld."""
    [f] = lint(text, name)
    assert (f.rule.id, f.line, f.column) == where
    assert f.fix is None
    assert "give the" in f.message and "a variable of its own" in f.message
    assert [linter_position(text, r.start) for r in f.related] == uses
    assert fix_text(text, name) == text


def test_a_shared_value_does_not_block_other_fixes():
    text = ("REG=nexus.shared.cwiq.io:8443\ndocker pull $REG/orchestrator/base:1\ndocker push $REG/orchestrator/app:1\n"
            "docker pull nexus.shared.cwiq.io:8443/orchestrator/x:1\n")
    assert fix_text(text, "publish.sh") == text.replace("io:8443/orchestrator/x", "io:8444/orchestrator/x")


def linter_position(text: str, offset: int):
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
