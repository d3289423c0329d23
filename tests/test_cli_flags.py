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


# -- ruff's habits -------------------------------------------------------------------------

def _repo(tmp_path, files):
    import subprocess

    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_output_format_is_format(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "--output-format", "json", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1
    (finding,) = json.loads(res.out)
    assert (finding["code"], finding["location"]["row"], finding["location"]["column"]) == ("NX101", 1, 6)
    assert cli(["check", "--format", "gnu", "Dockerfile"], cwd=tmp_path).out.startswith("Dockerfile:1:6: error: ")
    res = cli(["check", "--output-format", "yaml", "Dockerfile"], cwd=tmp_path)
    assert res.code == 2 and "usage: nexus-lint check" in res.err


def test_exit_zero(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "--exit-zero", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0 and "Dockerfile:1:6: NX101 [error]" in res.out
    # an error is still an error
    assert cli(["check", "--exit-zero", "--select", "NX999", "Dockerfile"], cwd=tmp_path).code == 2


def test_quiet_once_findings_only_twice_nothing(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD, "ok.sh": "echo hi\n"})
    res = cli(["check", "-q", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1
    assert res.out.splitlines()[0].startswith("Dockerfile:1:6: NX101 [error]")
    assert "Found" not in res.out and "\n\n" not in res.out
    res = cli(["check", "--quiet", "ok.sh"], cwd=tmp_path)
    assert (res.code, res.out) == (0, "")
    res = cli(["check", "-qq", "Dockerfile"], cwd=tmp_path)
    assert (res.code, res.out, res.err) == (1, "", "")
    # -qq with --output: the file is still written
    res = cli(["check", "-qq", "--format", "json", "-o", "r.json", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1 and json.loads((tmp_path / "r.json").read_text())[0]["code"] == "NX101"


def test_extend_select_adds_to_the_config_selection(tmp_path, cli):
    write_tree(tmp_path, {
        "Dockerfile": BAD,
        "publish.sh": "docker push nexus.shared.cwiq.io:8443/api:1.0\n",
        ".nexus-lint.toml": 'select = ["NX105"]\n',
    })
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert sorted(f["code"] for f in json.loads(res.out)) == ["NX105"]
    res = cli(["check", "--format", "json", "--extend-select", "NX101", "."], cwd=tmp_path)
    assert sorted((f["code"], f["filename"], f["location"]["row"]) for f in json.loads(res.out)) == [
        ("NX101", "Dockerfile", 1), ("NX105", "publish.sh", 1)]
    res = cli(["check", "--extend-select", "NX9999", "."], cwd=tmp_path)
    _one_line_error(res, "--extend-select: unknown rule id or prefix 'NX9999'")


def test_statistics_counts_rules_fixes_and_what_was_hidden(tmp_path, cli):
    root = _repo(tmp_path, {
        "a.sh": "docker pull python:3.11  # nexus-lint: ignore[NX101]\ndocker pull redis:7\n",
        "b.sh": "docker pull redis:7\n",
        "c.sh": "docker pull alpine:3\ndocker pull busybox:1\ndocker push nexus.shared.cwiq.io:8443/api:1.0\n",
        ".nexus-lint.toml": '[per-file-ignores]\n"b.sh" = ["NX101"]\n',
    })
    assert cli(["check", "--write-baseline", "bl.json", "a.sh"], cwd=root).code == 0
    res = cli(["check", "--statistics", "--baseline", "bl.json", "a.sh", "b.sh", "c.sh"], cwd=root)
    assert res.code == 1
    assert res.out.splitlines() == [
        "2  NX101  docker-hub-pull  2 fixable",
        "1  NX105  image-namespace",
        "3 findings in 3 files checked.",
        "Hidden: 1 by inline suppressions, 1 by per-file ignores, 1 by the baseline.",
    ]
    res = cli(["check", "--statistics", "--format", "json", "c.sh"], cwd=root)
    _one_line_error(res, "--statistics is a text report")


def test_show_files_kinds_and_skips(tmp_path, cli):
    root = _repo(tmp_path, {
        "Dockerfile": BAD,
        "ci/build.sh": "echo hi\n",
        "tool": "#!/bin/bash\necho hi\n",
        "README.md": "# hi\n",
        "build/out.sh": "echo\n",
        "vendor/x.sh": "echo\n",
        ".gitignore": "build/\n",
        ".nexus-lint.toml": 'exclude = ["vendor"]\n',
    })
    res = cli(["check", "--show-files", "."], cwd=root)
    assert res.code == 0
    lines = res.out.splitlines()
    assert "Dockerfile: dockerfile" in lines
    assert "ci/build.sh: shell" in lines and "tool: shell" in lines
    assert "README.md: skipped: no file kind reads it" in lines
    assert "build/: skipped: ignored by git (.gitignore)" in lines
    assert "vendor/: skipped: excluded by the config's exclude" in lines
    assert ".git/: skipped: never walked (version control or cache folder)" in lines
    assert (root / "Dockerfile").read_text() == BAD
    _one_line_error(cli(["check", "--show-files", "--fix", "."], cwd=root), "lints (and fixes) nothing")


def test_show_fixes_before_and_after(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": "FROM ubuntu:22.04\nFROM alpine:3.19 AS b\n"})
    res = cli(["check", "--show-fixes", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1
    tail = res.out.split("Fixes --fix would apply:\n", 1)[1].splitlines()
    assert tail == [
        "  Dockerfile:1:6: NX101 (safe) use `nexus.shared.cwiq.io:8444/library/ubuntu:22.04`",
        "  Dockerfile:2:6: NX101 (safe) use `nexus.shared.cwiq.io:8444/library/alpine:3.19`",
    ]
    res = cli(["check", "--fix", "--show-fixes", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0
    assert "Fixes applied:\n  Dockerfile:1:6: NX101 (safe) use `nexus.shared.cwiq.io:8444/library/ubuntu:22.04`\n" in res.out
    assert (tmp_path / "Dockerfile").read_text().startswith("FROM nexus.shared.cwiq.io:8444/library/ubuntu:22.04\n")
    res = cli(["check", "--fix", "--show-fixes", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0 and "Fixes applied: none." in res.out


def test_verbose_says_config_and_timing(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": BAD, ".nexus-lint.toml": 'ignore = ["NX105"]\n'})
    res = cli(["check", "-v", "--no-cache", "Dockerfile"], cwd=tmp_path)
    assert res.code == 1 and res.out.startswith("Dockerfile:1:6: NX101")
    err = res.err.splitlines()
    assert f"nexus-lint: config: {tmp_path / '.nexus-lint.toml'}" in err
    assert "nexus-lint: cache: off" in err
    assert any(line.startswith("nexus-lint: rules: ") and " enabled" in line for line in err)
    assert any(line.startswith("nexus-lint: 1 file linted in ") and line.endswith("1 reported") for line in err)


# -- --changed-since -------------------------------------------------------------------------

def _git(root, *args):
    import subprocess

    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def _changed_repo(tmp_path):
    root = _repo(tmp_path / "r", {
        "Dockerfile": "FROM ubuntu:22.04\nRUN echo one\nFROM alpine:3.19\n",
        "ci/old.sh": "docker pull redis:7\n",
    })
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    # a change: line 2 of the Dockerfile becomes a pull from Docker Hub; a new, untracked script
    (root / "Dockerfile").write_text("FROM ubuntu:22.04\nFROM busybox:1.36\nFROM alpine:3.19\n")
    (root / "ci/new.sh").write_text("echo hi\ndocker pull nginx:1.25\n")
    return root, base


def test_changed_since_reports_only_changed_lines_and_untracked_files(tmp_path, cli):
    root, base = _changed_repo(tmp_path)
    res = cli(["check", "--format", "json", "."], cwd=root)
    assert len(json.loads(res.out)) == 5
    res = cli(["check", "--format", "json", "--changed-since", base, "."], cwd=root)
    assert res.code == 1
    got = sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(res.out))
    assert got == [("Dockerfile", "NX101", 2, 6), ("ci/new.sh", "NX101", 2, 13)]
    res = cli(["check", "--changed-since", base, "."], cwd=root)
    assert res.out.splitlines()[-1].endswith("3 hidden by --changed-since (unchanged lines).")
    # committed, the change is still "since base"; against HEAD nothing changed
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "change")
    assert len(json.loads(cli(["check", "--format", "json", "--changed-since", base, "."], cwd=root).out)) == 2
    res = cli(["check", "--changed-since", "HEAD", "."], cwd=root)
    assert res.code == 0 and "All checks passed" in res.out


def test_changed_since_errors(tmp_path, cli):
    root, _ = _changed_repo(tmp_path)
    _one_line_error(cli(["check", "--changed-since", "no-such-branch", "."], cwd=root), "no such commit")
    _one_line_error(cli(["check", "--changed-since", "HEAD", "--fix", "."], cwd=root), "does not go with --fix")
    outside = tmp_path / "plain"
    write_tree(outside, {"Dockerfile": BAD})
    _one_line_error(cli(["check", "--changed-since", "HEAD", "."], cwd=outside), "not in a git work tree")


def _readme_job_lines(heading):
    from conftest import readme_section

    section = readme_section(heading)
    steps = [line.split("- ", 1)[1].removeprefix("run: ") for line in section.splitlines()
             if line.lstrip().startswith("- ") and ("nexus-lint check" in line or "pip install" in line)]
    (install,) = [s for s in steps if s.startswith("pip install")]
    (check,) = [s for s in steps if "nexus-lint check" in s]
    return install, check


def test_readme_ci_examples_install_the_release_and_lint_only_what_the_change_touches(tmp_path, release_clone):
    """Each CI job's `pip install` line, run in `sh` in a fresh virtual environment
    (the archive URL read as `git archive` of the release tag), then its
    `nexus-lint check` line with what that installed, on a merge request and a branch."""
    import os
    import re
    import subprocess
    import sys
    import venv

    from conftest import README_REPO

    root, base = _changed_repo(tmp_path)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    installed = False
    for heading, var, report in (("### 2. GitLab CI", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "gl-code-quality-report.json"),
                                 ("### 3. GitHub Actions", "BASE", "nexus-lint.sarif")):
        install, command = _readme_job_lines(heading)
        m = re.fullmatch(rf"pip install {re.escape(README_REPO)}/archive/refs/tags/(v[\w.]+)\.tar\.gz", install)
        assert m, install
        if not installed:  # both jobs install the same archive
            archive = tmp_path / f"{m.group(1)}.tar.gz"
            subprocess.run(["git", "archive", "--format=tar.gz", f"--prefix=nexus-lint-{m.group(1)[1:]}/",
                            "-o", str(archive), m.group(1)], cwd=release_clone, check=True, capture_output=True)
            local = install.replace(f"{README_REPO}/archive/refs/tags/{m.group(1)}.tar.gz", str(archive))
            done = subprocess.run(["sh", "-c", local + " -q"], env=dict(os.environ, PATH=path),
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            version = subprocess.run([str(bin_dir / "nexus-lint"), "--version"], capture_output=True, text=True)
            assert version.stdout.strip() == f"nexus-lint {m.group(1)[1:]}"
            installed = True
        assert "--changed-since" in command and var in command
        for value, expected in ((base, 2), ("", 5)):  # a merge request; a branch pipeline
            env = dict(os.environ, PATH=path, CI="true", **{var: value})
            env.pop("PYTHONPATH", None)
            done = subprocess.run(["sh", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode in (0, 1), done.stderr
            data = json.loads((root / report).read_text())
            results = data if isinstance(data, list) else data["runs"][0]["results"]
            assert len(results) == expected, (heading, value, done.stderr)
            (root / report).unlink()


# -- --add-noqa --------------------------------------------------------------------------------

def test_add_noqa_writes_comments_in_each_format_and_they_hold(tmp_path, cli):
    write_tree(tmp_path, {
        "Dockerfile": "FROM ubuntu:22.04\r\nRUN echo hi\r\n",
        "ci/job.sh": "set -e\n  docker pull redis:7\n",
        ".devcontainer.json": '{\n  "image": "ubuntu:22.04"\n}\n',
        "Jenkinsfile": "pipeline {\n  agent { docker { image 'maven:3.9' } }\n  stages { stage('b') { steps { sh 'make' } } }\n}\n",
        "pom.xml": "<project>\n  <distributionManagement>\n    <repository>\n      <id>n</id>\n"
                   "      <url>http://nexus.shared.cwiq.io:8081/repository/maven-releases/</url>\n"
                   "    </repository>\n  </distributionManagement>\n</project>\n",
    })
    before = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert before.code == 1
    by_file = {f["filename"] for f in json.loads(before.out)}
    assert by_file == {"Dockerfile", "ci/job.sh", ".devcontainer.json", "Jenkinsfile", "pom.xml"}
    res = cli(["check", "--add-noqa", "."], cwd=tmp_path)
    assert res.code == 0, res.err
    assert "in 5 files; replace <reason> with why" in res.err
    assert (tmp_path / "Dockerfile").read_bytes() == b"# nexus-lint: ignore[NX101] <reason>\r\nFROM ubuntu:22.04\r\nRUN echo hi\r\n"
    assert (tmp_path / "ci/job.sh").read_text() == "set -e\n  # nexus-lint: ignore[NX101] <reason>\n  docker pull redis:7\n"
    assert (tmp_path / ".devcontainer.json").read_text().splitlines()[1] == "  // nexus-lint: ignore[NX101] <reason>"
    assert "  // nexus-lint: ignore[NX101] <reason>\n  agent" in (tmp_path / "Jenkinsfile").read_text()
    assert "<!-- nexus-lint: ignore[" in (tmp_path / "pom.xml").read_text()
    after = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert (after.code, json.loads(after.out)) == (0, [])
    # nothing left to suppress: nothing written
    res = cli(["check", "--add-noqa", "."], cwd=tmp_path)
    assert "added 0 suppression comments (0 findings) in 0 files" in res.err


def test_add_noqa_never_inside_a_string_nor_a_file_without_comments(tmp_path, cli):
    py = ('import subprocess\nsubprocess.run("""\ndocker pull redis:7\n""", shell=True)\n'
          'subprocess.run("docker pull alpine:3", shell=True)\n')
    files = {
        "tool.py": py,
        "package.json": '{"name": "x", "publishConfig": {"registry": "http://nexus.shared.cwiq.io:8081/repository/npm/"}}\n',
    }
    write_tree(tmp_path, files)
    before = json.loads(cli(["check", "--format", "json", "."], cwd=tmp_path).out)
    assert {("tool.py", 3), ("tool.py", 5)} <= {(f["filename"], f["location"]["row"]) for f in before}
    res = cli(["check", "--add-noqa", "."], cwd=tmp_path)
    assert res.code == 0
    assert "tool.py:3: NX101 not suppressed: the line is inside a string" in res.err
    assert "package.json:1:" in res.err and "the format has no comments" in res.err
    assert (tmp_path / "tool.py").read_text() == py.replace(
        'subprocess.run("docker pull alpine', '# nexus-lint: ignore[NX101] <reason>\nsubprocess.run("docker pull alpine')
    assert (tmp_path / "package.json").read_text() == files["package.json"]
    after = json.loads(cli(["check", "--format", "json", "."], cwd=tmp_path).out)
    assert [(f["filename"], f["location"]["row"]) for f in after if f["filename"] == "tool.py"] == [("tool.py", 3)]
    assert not any(f["code"] == "NX000" and f["filename"] == "tool.py" for f in after)


def test_add_noqa_leaves_a_broken_file_and_refuses_fix(tmp_path, cli):
    text = "FROM ubuntu:22.04\nRUN <<EOF\n"
    write_tree(tmp_path, {"Dockerfile": text, "ok.sh": "docker pull redis:7\n"})
    rows = {(f["code"], f["location"]["row"]) for f in json.loads(cli(["check", "--format", "json", "."], cwd=tmp_path).out)}
    assert {("NX101", 1), ("NX000", 2)} <= rows
    res = cli(["check", "--add-noqa", "."], cwd=tmp_path)
    assert "Dockerfile: not changed: it does not parse (NX000)" in res.err
    assert (tmp_path / "Dockerfile").read_text() == text
    assert (tmp_path / "ok.sh").read_text() == "# nexus-lint: ignore[NX101] <reason>\ndocker pull redis:7\n"
    _one_line_error(cli(["check", "--add-noqa", "--fix", "."], cwd=tmp_path), "does not go with --fix")


# -- --watch ---------------------------------------------------------------------------------

def test_watch_lints_again_when_a_file_changes(tmp_path):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    write_tree(tmp_path, {"Dockerfile": BAD})
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent), NEXUS_LINT_WATCH_RUNS="2",
               NEXUS_LINT_WATCH_INTERVAL="0.05")
    proc = subprocess.Popen([sys.executable, "-m", "nexus_lint", "check", "--watch", "--no-cache", "."], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = []
        while not first or not first[-1].startswith("Found "):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            first.append(line)
        assert first[0].startswith("Dockerfile:1:6: NX101 [error]")
        time.sleep(0.1)
        (tmp_path / "Dockerfile").write_text("FROM nexus.shared.cwiq.io:8444/library/ubuntu:22.04\n")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0  # the last run's exit code: clean
    assert out.strip().splitlines()[-1] == "All checks passed (1 file checked)."
    assert "nexus-lint: watching for changes (Ctrl-C stops)" in err


def test_watch_refuses_standard_input(tmp_path, cli):
    _one_line_error(cli(["check", "--watch", "-", "--stdin-filename", "Dockerfile"], cwd=tmp_path, stdin=BAD.encode()),
                    "does not go with standard input")
