"""The CLI contract: discovery, exit codes, selection, config, stdin, the text format."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import run_process, write_tree

PULL = "nexus.shared.cwiq.io:8444"
BAD = "FROM python:3.11\n"
GOOD = f"FROM {PULL}/library/python:3.11\n"


def test_text_output_exit_code_and_summary(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD, "svc/Containerfile": GOOD, "README.md": BAD})
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 1
    lines = res.out.splitlines()
    assert lines[0].startswith("Dockerfile:1:6: NX101 [error] `python:3.11` is pulled straight from Docker Hub")
    assert lines[1] == f"  fix (safe, applied by --fix): use `{PULL}/library/python:3.11`"
    assert lines[-1] == "Found 1 finding (1 error, 0 warnings) in 2 files checked. 1 fixable with --fix."
    assert "\x1b[" not in res.out  # no colour when not on a terminal


def test_clean_tree_exits_zero(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": GOOD})
    res = cli(["check"], cwd=tmp_path)
    assert res.code == 0
    assert res.out.strip() == "All checks passed (1 file checked)."


@pytest.mark.parametrize("name", ["Dockerfile", "Containerfile", "Dockerfile.dev", "app.Dockerfile", "api.dockerfile", "dockerfile",
                                  "Dockerfile-parent", "Dockerfile_test_multistage", "Containerfile-base"])
def test_dockerfile_names_are_recognised(tmp_path, cli, name):
    write_tree(tmp_path, {name: BAD})
    assert cli(["check", "."], cwd=tmp_path).code == 1


@pytest.mark.parametrize("name", ["Dockerfile-notes.md", "dockerfile_gen.py", "Dockerfile.dockerignore", "Dockerfile-lint.yml"])
def test_files_about_dockerfiles_are_not_dockerfiles(tmp_path, cli, name):
    write_tree(tmp_path, {name: BAD})
    assert cli(["check", "."], cwd=tmp_path).code == 0


def test_gitignore_and_git_folder_are_skipped(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(
        tmp_path,
        {
            ".gitignore": "build/\n*.generated.Dockerfile\n",
            "build/Dockerfile": BAD,
            "x.generated.Dockerfile": BAD,
            ".git/Dockerfile": BAD,
            "sub/.gitignore": "!keep/\nlocal/\n",
            "sub/local/Dockerfile": BAD,
            "sub/Dockerfile": GOOD,
        },
    )
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 0, res.out
    assert "1 file checked" in res.out


def test_config_excludes_apply_to_walks_and_named_files(tmp_path, cli):
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.nexus-lint]\nexclude = ["vendor/", "legacy.Dockerfile"]\n',
            "vendor/Dockerfile": BAD,
            "legacy.Dockerfile": BAD,
            "Dockerfile": GOOD,
        },
    )
    assert cli(["check", "."], cwd=tmp_path).code == 0
    assert cli(["check", "legacy.Dockerfile"], cwd=tmp_path).code == 0


def test_select_ignore_and_fail_on(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD + "FROM nexus.shared.cwiq.io:8443/orchestrator/x:1\n"})
    assert cli(["check", "--select", "NX102", "--format", "json"], cwd=tmp_path).out.count('"code"') == 1
    assert cli(["check", "--ignore", "NX1"], cwd=tmp_path).code == 0
    res = cli(["check", "--select", "NX1", "--ignore", "NX101", "--format", "json"], cwd=tmp_path)
    assert [f["code"] for f in json.loads(res.out)] == ["NX102"]


def test_warnings_fail_only_with_fail_on_warning(tmp_path, cli):
    write_tree(tmp_path, {"publish.sh": "docker push nexus.shared.cwiq.io:8443/api:1.0\n"})
    res = cli(["check"], cwd=tmp_path)
    assert res.code == 0 and "NX105 [warning]" in res.out
    assert cli(["check", "--fail-on", "warning"], cwd=tmp_path).code == 1
    write_tree(tmp_path, {"pyproject.toml": '[tool.nexus-lint]\nfail-on = "warning"\n'})
    assert cli(["check"], cwd=tmp_path).code == 1
    write_tree(tmp_path, {"pyproject.toml": '[tool.nexus-lint]\nfail-on = "loud"\n'})
    res = cli(["check"], cwd=tmp_path)
    assert res.code == 2 and "fail-on must be one of" in res.err


def test_unknown_config_key_is_exit_2_with_a_message(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": GOOD, ".nexus-lint.toml": "selekt = ['NX1']\n"})
    res = cli(["check"], cwd=tmp_path)
    assert res.code == 2
    assert "unknown key 'selekt'" in res.err and "Traceback" not in res.err


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[policy]\ndocker-pull-port = 'x'\n", "docker-pull-port must be a port number"),
        ("[policy]\nshared-hostt = 'a'\n", "unknown key 'shared-hostt'"),
        ("select = 'NX1'\n", "select must be a list of strings"),
        ("ignore = ['E501']\n", "is not a rule id"),
        ("this is not toml", "invalid TOML"),
    ],
)
def test_bad_config_values(tmp_path, cli, toml, message):
    write_tree(tmp_path, {"Dockerfile": GOOD, ".nexus-lint.toml": toml})
    res = cli(["check"], cwd=tmp_path)
    assert res.code == 2 and message in res.err, res.err


def test_config_is_found_from_the_checked_path_upwards(tmp_path, cli):
    write_tree(
        tmp_path,
        {
            "repo/pyproject.toml": '[tool.nexus-lint]\nignore = ["NX101"]\n',
            "repo/deep/er/Dockerfile": BAD,
        },
    )
    assert cli(["check", "repo/deep/er/Dockerfile"], cwd=tmp_path).code == 0
    assert cli(["check", "."], cwd=tmp_path / "repo" / "deep").code == 0


def test_policy_override_changes_the_rules(tmp_path, cli):
    write_tree(
        tmp_path,
        {
            ".nexus-lint.toml": (
                "[policy]\nshared-host = 'registry.acme.test'\ndev-host = 'registry.dev.acme.test'\n"
                "docker-push-port = 5001\ndocker-pull-port = 5000\n"
            ),
            "Dockerfile": "FROM registry.acme.test:5001/orchestrator/x:1\nFROM python:3.11\n",
        },
    )
    res = cli(["check", "--format", "json"], cwd=tmp_path)
    found = json.loads(res.out)
    assert [(f["code"], f["location"]["row"]) for f in found] == [("NX102", 1), ("NX101", 2)]
    assert "registry.acme.test:5000/library/python:3.11" in found[1]["message"]


def test_binary_dockerfile_is_nx000_and_others_are_still_checked(tmp_path, cli):
    write_tree(tmp_path, {"a/Dockerfile": b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe", "b/Dockerfile": BAD})
    res = cli(["check", "--format", "json"], cwd=tmp_path)
    assert res.code == 1
    found = json.loads(res.out)
    assert [(f["code"], f["filename"]) for f in found] == [("NX000", "a/Dockerfile"), ("NX101", "b/Dockerfile")]
    assert "binary" in found[0]["message"]


def test_stdin_filename(tmp_path, cli):
    res = cli(["check", "--stdin-filename", "services/api/Dockerfile"], cwd=tmp_path, stdin=BAD.encode())
    assert res.code == 1
    assert res.out.startswith("services/api/Dockerfile:1:6: NX101")


def test_output_file(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "--format", "json", "--output", "report.json"], cwd=tmp_path)
    assert res.code == 1 and res.out == ""
    assert json.loads((tmp_path / "report.json").read_text())[0]["code"] == "NX101"


def test_usage_errors_exit_2(tmp_path, cli):
    assert cli(["check", "--format", "xml"], cwd=tmp_path).code == 2
    assert cli(["check", "does-not-exist"], cwd=tmp_path).code == 2
    assert cli(["check", "--select", "banana"], cwd=tmp_path).code == 2
    assert cli(["rule", "NX999"], cwd=tmp_path).code == 2
    assert cli(["frobnicate"], cwd=tmp_path).code == 2


def test_rules_and_rule_commands(cli, tmp_path):
    res = cli(["rules"], cwd=tmp_path)
    assert res.code == 0
    for rid in ("NX000", "NX101", "NX102", "NX103", "NX104", "NX105", "NX106"):
        assert rid in res.out
    res = cli(["rule", "nx101"], cwd=tmp_path)
    assert res.code == 0
    assert res.out.startswith("NX101 docker-hub-pull (severity: error, fix: safe)")
    for section in ("What it does", "Why", "Example", "Use instead", "Fix safety"):
        assert f"\n{section}\n{'-' * len(section)}\n" in res.out


def test_console_script_and_module_run_as_processes(tmp_path):
    write_tree(tmp_path, {"Dockerfile": BAD})
    proc = run_process(["check", "."], tmp_path)
    assert proc.returncode == 1 and b"NX101" in proc.stdout
    import sys

    mod = subprocess.run([sys.executable, "-m", "nexus_lint", "--version"], capture_output=True, cwd=tmp_path)
    assert mod.returncode == 0 and mod.stdout.startswith(b"nexus-lint ")


def test_colour_only_when_forced_or_on_a_terminal(tmp_path):
    write_tree(tmp_path, {"Dockerfile": BAD})
    plain = run_process(["check"], tmp_path)
    assert b"\x1b[" not in plain.stdout
    forced = run_process(["check"], tmp_path, env={"FORCE_COLOR": "1"})
    assert b"\x1b[" in forced.stdout
    off = run_process(["check"], tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert b"\x1b[" not in off.stdout


def test_a_broken_pyproject_that_never_names_nexus_lint_is_a_finding_not_a_config_error(tmp_path, cli):
    # (a backslash makes it worth a TOML parse: a quoted key could spell the table with escapes)
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "pyproject.toml").write_bytes(b"\xff\\\x00[project]\nname = 'x'\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pyproject.toml").write_text('[project]\nname = "a\\q"\n')  # not TOML: a bad escape
    (tmp_path / "Dockerfile").write_text(GOOD)
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert res.code == 1, res.err
    assert {(f["filename"], f["code"]) for f in json.loads(res.out)} == {
        ("fixtures/pyproject.toml", "NX000"), ("other/pyproject.toml", "NX000")}
    # one that names nexus-lint is the user's config, broken: exit 2
    (tmp_path / "other" / "pyproject.toml").write_text('[tool.nexus-lint]\nselect = ["NX1"\n')
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 2 and "invalid TOML" in res.err
