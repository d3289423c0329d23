"""Shared helpers: lint text in-process, run the real CLI, build small repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Sequence

import pytest

from nexus_lint.cli import main
from nexus_lint.config import Config
from nexus_lint.pipeline.engine import Linter
from nexus_lint.policy import DEFAULT_POLICY

DATA = Path(__file__).parent / "data"

# The result cache's per-user key lives outside every repository: the tests' own,
# never the user's; and a CI runner's CI=true (no cache by default) does not
# change what the tests see.
if "NEXUS_LINT_TEST_KEYS" not in os.environ:
    import tempfile

    os.environ["NEXUS_LINT_TEST_KEYS"] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="nexus-lint-keys-")
os.environ.pop("CI", None)
os.environ.pop("NEXUS_LINT_POLICY", None)


def make_linter(policy=DEFAULT_POLICY, select=(), ignore=(), plugins=()) -> Linter:
    return Linter(Config(root=Path("."), policy=policy), select, ignore, extra_plugins=plugins)


_LINTER: Optional[Linter] = None


def lint(text: str, filename: str = "Dockerfile", linter: Optional[Linter] = None, include_suppressed=False):
    """Findings for ``text`` as if it were the file ``filename``."""
    global _LINTER
    if linter is None:
        if _LINTER is None:
            _LINTER = make_linter()
        linter = _LINTER
    kind = linter.classifier.by_path(filename)
    assert kind is not None, f"no file kind for {filename}"
    result = linter.lint_bytes(filename, text.encode("utf-8"), kind, filename)
    return [f for f in result.findings if include_suppressed or not f.suppressed]


def codes(findings) -> List[str]:
    return [f.rule.id for f in findings]


def where(findings) -> List[tuple]:
    """(rule, line, column) of each finding."""
    return [(f.rule.id, f.line, f.column) for f in findings]


def fix_text(text: str, filename: str = "Dockerfile", unsafe: bool = False) -> str:
    linter = make_linter()
    kind = linter.classifier.by_path(filename)
    result = linter.lint_bytes(filename, text.encode("utf-8"), kind, filename)
    fixed = linter.fix(result, kind, filename, unsafe)
    return fixed.fixed_text if fixed.fixed_text is not None else text


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``nexus-lint`` in-process in a folder; returns (exit code, stdout, stderr)."""

    def run(args: Sequence[str], cwd: Optional[Path] = None, stdin: Optional[bytes] = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_process(args: Sequence[str], cwd: Path, stdin: Optional[bytes] = None, env=None) -> subprocess.CompletedProcess:
    """Run the installed console script as a separate process."""
    exe = Path(sys.executable).with_name("nexus-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nexus_lint"]
    full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(cmd + list(args), cwd=cwd, input=stdin, capture_output=True, env=full_env, timeout=120)


def write_tree(root: Path, files: dict) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def check_tree(cli, root: Path, files: dict, *args: str):
    """Write ``files`` under ``root`` and run ``nexus-lint check --format json . ARGS``:
    (exit code, [(rule, file, line, column)], the findings as JSON)."""
    import json

    write_tree(root, files)
    res = cli(["check", "--format", "json", *args, "."], cwd=root)
    found = json.loads(res.out) if res.out.strip() else []
    return res.code, [(f["code"], f["filename"], f["location"]["row"], f["location"]["column"]) for f in found], found


def fix_tree(cli, root: Path, files: dict) -> dict:
    """The files after ``nexus-lint check --fix``; the fixed tree must lint clean."""
    write_tree(root, files)
    cli(["check", "--fix", "."], cwd=root)
    res = cli(["check", "."], cwd=root)
    assert res.code == 0, res.out
    return {name: (root / name).read_text(encoding="utf-8") for name in files}


@pytest.fixture(scope="session")
def release_clone(tmp_path_factory) -> Path:
    """A clone of this repository with the release tag ``v<version>`` (made in the
    clone when the repository does not carry it): what the README's snippets
    install from, with ``https://github.com/cwiq/nexus-lint`` read as this path."""
    import re

    root = Path(__file__).resolve().parent.parent
    version = re.search(r'^version = "([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    clone = tmp_path_factory.mktemp("release") / "nexus-lint"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True, capture_output=True)
    tags = subprocess.run(["git", "tag", "--list", f"v{version}"], cwd=clone, check=True, capture_output=True,
                          text=True).stdout.split()
    if not tags:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "tag", f"v{version}"],
                       cwd=clone, check=True, capture_output=True)
    return clone


README_REPO = "https://github.com/cwiq/nexus-lint"


def readme_section(heading: str) -> str:
    """The README's text under ``heading`` (up to the next ``###`` or ``##`` heading)."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return re.split(r"\n##+ ", readme.split(heading, 1)[1], maxsplit=1)[0]
