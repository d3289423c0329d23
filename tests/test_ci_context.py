"""CI context (POLICY.md): CI files, CI folders, and the scripts CI files run."""

from __future__ import annotations

import subprocess

from conftest import write_tree

DEV_PULL = "docker pull nexus.dev.cwiq.io:8444/orchestrator/base:1\n"
PIPELINE = (
    "build:\n"
    "  image: nexus.shared.cwiq.io:8444/library/docker:27\n"
    "  script:\n"
    "    - ./ci/publish.sh\n"
    "    - bash scripts/release.sh --fast\n"
    "    - cd deploy && ./go.sh\n"
)


def _repo(tmp_path, extra=None):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    files = {
        ".gitlab-ci.yml": PIPELINE,
        "ci/publish.sh": "#!/bin/sh\n" + DEV_PULL,
        "scripts/release.sh": "#!/bin/sh\n" + DEV_PULL,
        "deploy/go.sh": "#!/bin/sh\n" + DEV_PULL,
        "scripts/local-dev.sh": "#!/bin/sh\n" + DEV_PULL,
    }
    files.update(extra or {})
    return write_tree(tmp_path, files)


def test_scripts_run_by_the_pipeline_are_ci_context(tmp_path, cli):
    _repo(tmp_path)
    res = cli(["check", "--select", "NX301", "."], cwd=tmp_path)
    flagged = sorted(line.split(":")[0] for line in res.out.splitlines() if ": NX301 " in line)
    assert flagged == ["ci/publish.sh", "deploy/go.sh", "scripts/release.sh"]
    assert "run by .gitlab-ci.yml" in res.out


def test_a_script_named_alone_still_knows_the_pipeline_runs_it(tmp_path, cli):
    _repo(tmp_path)
    res = cli(["check", "scripts/release.sh"], cwd=tmp_path)
    assert res.code == 1 and "scripts/release.sh:2:13: NX301" in res.out
    assert cli(["check", "scripts/local-dev.sh"], cwd=tmp_path).code == 0


def test_github_workflow_runs_make_scripts_ci_context(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(
        tmp_path,
        {
            ".github/workflows/release.yml": "on: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./tools/release.sh\n",
            "tools/release.sh": "#!/bin/sh\n" + DEV_PULL,
        },
    )
    res = cli(["check", "tools/release.sh"], cwd=tmp_path)
    assert "NX301" in res.out and "run by .github/workflows/release.yml" in res.out


def test_dev_host_fix_is_unsafe(tmp_path, cli):
    _repo(tmp_path)
    cli(["check", "--fix", "."], cwd=tmp_path)
    assert (tmp_path / "ci/publish.sh").read_text().endswith("nexus.dev.cwiq.io:8444/orchestrator/base:1\n")
    cli(["check", "--fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert (tmp_path / "ci/publish.sh").read_text().endswith("nexus.shared.cwiq.io:8444/orchestrator/base:1\n")
    assert (tmp_path / "scripts/local-dev.sh").read_text().endswith("nexus.dev.cwiq.io:8444/orchestrator/base:1\n")


def test_a_workflow_named_alone_is_still_a_workflow(tmp_path, cli):
    # pre-commit passes single paths; without a config the kind must not depend on them
    write_tree(
        tmp_path,
        {".github/workflows/test.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:14\n    steps:\n      - run: make\n"},
    )
    res = cli(["check", ".github/workflows/test.yml"], cwd=tmp_path)
    assert res.code == 1 and ".github/workflows/test.yml:7:16: NX101" in res.out
    res = cli(["check", "--stdin-filename", ".github/workflows/test.yml"], cwd=tmp_path,
              stdin=(tmp_path / ".github/workflows/test.yml").read_bytes())
    assert "NX101" in res.out


# -- files a pipeline includes, whatever their names ----------------------------------------

INCLUDED = {
    ".gitlab-ci.yml": "include:\n  - local: ci/build.yml\n  - '/templates/*.yml'\nstages: [build]\n",
    "ci/build.yml": "include: ci/nested.yml\nbuild:\n  image: python:3.11\n  script:\n    - sh tools/release.sh\n",
    "ci/nested.yml": "nested:\n  script:\n    - docker pull ubuntu:22.04\n",
    "templates/a.yml": ".tpl:\n  image: node:20\n",
    "tools/release.sh": "#!/bin/sh\n" + DEV_PULL,
    "other/values.yml": "image: python:3.11\n",  # Helm-style values nothing includes: not CI
}


def test_files_the_pipeline_includes_are_gitlab_ci_whatever_their_names(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, INCLUDED)
    res = cli(["check", "--no-cache", "--select", "NX101,NX301", "."], cwd=tmp_path)
    found = sorted(line.split(": ")[0] + " " + line.split(": ")[1][:5] for line in res.out.splitlines()
                   if ": NX" in line)
    assert found == [
        "ci/build.yml:3:10 NX101", "ci/nested.yml:3:19 NX101", "templates/a.yml:2:10 NX101",
        "tools/release.sh:2:13 NX301",
    ]
    assert "run by ci/build.yml" in res.out


def test_an_included_file_named_alone_is_still_gitlab_ci(tmp_path, cli):
    """pre-commit names only the changed file: the pipeline's includes still say what it is."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, INCLUDED)
    res = cli(["check", "--no-cache", "ci/nested.yml", "other/values.yml"], cwd=tmp_path)
    assert [line.split(": ")[0] for line in res.out.splitlines() if ": NX" in line] == ["ci/nested.yml:3:19"]


def test_an_included_file_from_standard_input_is_gitlab_ci(tmp_path, cli, monkeypatch):
    import io

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, INCLUDED)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(INCLUDED["ci/nested.yml"].encode())))
    res = cli(["check", "--no-cache", "--stdin-filename", "ci/nested.yml"], cwd=tmp_path)
    assert [line.split(": ")[0] for line in res.out.splitlines() if ": NX" in line] == ["ci/nested.yml:3:19"]


def test_a_warm_run_knows_the_includes_without_parsing_yaml(tmp_path):
    """The includes are kept in the result cache by the CI file's bytes; a run
    that finds every result there never imports the YAML parser."""
    import sys

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    tree = dict(INCLUDED)
    tree.update({f"k8s/app{i}.yaml": "apiVersion: v1\nkind: Pod\n" for i in range(25)})
    write_tree(tmp_path, tree)
    code = (
        "import sys\n"
        "from nexus_lint.cli import main\n"
        "try:\n    main(['check', '--format', 'json', '.'])\n"
        "except SystemExit:\n    pass\n"
        "print('YAML' if 'yaml' in sys.modules else 'NO-YAML', file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["YAML", "NO-YAML"]
    assert runs[0].stdout == runs[1].stdout and '"ci/nested.yml"' in runs[1].stdout
    # a changed pipeline is read again
    (tmp_path / ".gitlab-ci.yml").write_text("stages: [build]\n")
    third = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert '"ci/nested.yml"' not in third.stdout
