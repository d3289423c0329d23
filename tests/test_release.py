"""The version is one: pyproject.toml, the package, `--version` and the changelog's newest section."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_version_agrees_everywhere(cli, tmp_path):
    import nexus_lint

    project = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\S+)", changelog, re.M).group(1)
    assert project == nexus_lint.__version__ == newest
    res = cli(["--version"], cwd=tmp_path)
    assert res.code == 0 and res.out.strip() == f"nexus-lint {project}"
