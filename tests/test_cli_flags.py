"""The check subcommand's flags as a ruff or pre-commit user expects them (issue 17),
each through the real command line."""

from __future__ import annotations

import json

from tests.conftest import write_tree

BAD = "FROM ubuntu:22.04\n"


def _one_line_error(res, words):
    assert res.code == 2, (res.code, res.out, res.err)
    lines = [line for line in res.err.splitlines() if line.startswith("nexus-lint: error:")]
    assert len(lines) == 1 and words in lines[0], res.err
    assert "internal error" not in res.err and "Traceback" not in res.err


def test_bad_flag_prints_the_check_usage(tmp_path, cli):
    res = cli(["check", "--frobnicate", "."], cwd=tmp_path)
    assert res.code == 2
    assert res.err.startswith("usage: nexus-lint check ")
    assert "unrecognized arguments: --frobnicate" in res.err


def test_bad_flag_of_rules_prints_rules_usage(tmp_path, cli):
    res = cli(["rules", "--nope"], cwd=tmp_path)
    assert res.code == 2 and res.err.startswith("usage: nexus-lint rules ")


def test_dash_is_standard_input_with_its_name(tmp_path, cli):
    res = cli(["check", "-", "--stdin-filename", "Dockerfile"], cwd=tmp_path, stdin=BAD.encode())
    assert res.code == 1
    assert res.out.startswith("Dockerfile:1:6: NX101 [error]")


def test_dash_without_a_name_is_a_usage_error(tmp_path, cli):
    res = cli(["check", "-"], cwd=tmp_path, stdin=BAD.encode())
    _one_line_error(res, "--stdin-filename")


def test_dash_with_other_paths_is_a_usage_error(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "-", "Dockerfile", "--stdin-filename", "Dockerfile"], cwd=tmp_path, stdin=BAD.encode())
    _one_line_error(res, "`-`")


def test_output_into_a_missing_folder(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "--output", "missing/report.json", "--format", "json", "."], cwd=tmp_path)
    _one_line_error(res, "does not exist")
    assert not (tmp_path / "missing").exists()


def test_output_is_a_folder(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD, "out/keep": ""})
    res = cli(["check", "--output", "out", "."], cwd=tmp_path)
    _one_line_error(res, "is a folder")


def test_combinations_that_cannot_work(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    cases = [
        (["--unsafe-fixes"], "--unsafe-fixes needs --fix or --diff"),
        (["--diff", "--format", "json"], "--diff prints a unified diff"),
        (["--fix", "--diff"], "choose one"),
    ]
    for flags, words in cases:
        res = cli(["check", *flags, "."], cwd=tmp_path)
        _one_line_error(res, words)
        assert res.out == ""
    assert (tmp_path / "Dockerfile").read_text() == BAD  # nothing was fixed


def test_output_still_writes_into_an_existing_folder(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD, "reports/.keep": ""})
    res = cli(["check", "--output", "reports/r.json", "--format", "json", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1
    data = json.loads((tmp_path / "reports/r.json").read_text())
    assert data
