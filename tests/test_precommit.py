"""The real pre-commit, running this repository's hook in a temporary git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pc_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, hook: str = "nexus-lint") -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose", "--color", "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )


def test_hook_blocks_a_docker_hub_from_and_passes_a_clean_one(tmp_path, pc_home):
    repo = tmp_path / "work"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "Dockerfile").write_text("FROM python:3.11-slim AS build\n")
    (repo / "notes.txt").write_text("FROM python:3.11 is just prose here\n")
    _git(repo, "add", "Dockerfile", "notes.txt")
    blocked = _try_repo(repo, pc_home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Dockerfile:1:6: NX101" in blocked.stdout
    assert "notes.txt" not in blocked.stdout

    (repo / "Dockerfile").write_text("FROM nexus.shared.cwiq.io:8444/library/python:3.11-slim AS build\n")
    _git(repo, "add", "Dockerfile")
    passed = _try_repo(repo, pc_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_fix_hook_rewrites_the_file_and_fails_so_the_change_is_reviewed(tmp_path, pc_home):
    repo = tmp_path / "work"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "Containerfile").write_text("FROM alpine:3.20\n")
    _git(repo, "add", "Containerfile")
    res = _try_repo(repo, pc_home, "nexus-lint-fix")
    assert res.returncode == 1  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in res.stdout
    assert (repo / "Containerfile").read_text() == "FROM nexus.shared.cwiq.io:8444/library/alpine:3.20\n"


def test_the_readme_configuration_from_the_release_tag_blocks_a_docker_hub_from(tmp_path, pc_home, release_clone):
    """The README's `.pre-commit-config.yaml`, as written, with its `repo:` URL
    read as a clone of this repository that has the release tag its `rev:` names."""
    import re

    from conftest import README_REPO, readme_section

    section = readme_section("### 1. pre-commit hook")
    config = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    assert re.search(rf"^\s+rev: v{re.escape(version)}\b", config, re.M), "the README's rev: is not this release's tag"
    assert README_REPO in config
    repo = tmp_path / "work"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config.replace(README_REPO, str(release_clone)))
    (repo / "Dockerfile").write_text("FROM python:3.11-slim AS build\n")
    _git(repo, "add", ".pre-commit-config.yaml", "Dockerfile")
    env = dict(os.environ, PRE_COMMIT_HOME=str(pc_home))
    env.pop("FORCE_COLOR", None)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Dockerfile:1:6: NX101" in done.stdout
