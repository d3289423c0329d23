"""A library caller gets the command line's findings: the facade applies the
config's rule selection, inline suppressions, per-file ignores and the baseline
itself, the same way for paths on disk and for a text given as bytes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write_tree
from nexus_lint.config import load_config
from nexus_lint.pipeline.engine import Linter

CONFIG = """\
ignore = ["NX203"]

[per-file-ignores]
"legacy/*" = ["NX101"]
"""

TREE = {
    ".nexus-lint.toml": CONFIG,
    "Dockerfile": "FROM alpine:3.19\n",  # recorded in the baseline
    "legacy/Dockerfile": "FROM redis:7\n",  # NX101 ignored there
    "app/Dockerfile": "# nexus-lint: ignore[NX101]\nFROM python:3.12\n",  # suppressed inline
    "ci/publish.sh": "#!/bin/sh\ndocker pull nginx:1.25\n",
}
NEW = {"svc/Dockerfile": "FROM node:20\n", "ci/deploy.sh": "#!/bin/sh\ndocker pull nexus.shared.cwiq.io:8443/library/redis:7\n"}


def _repo(root: Path, cli) -> Path:
    (root / ".git").mkdir(parents=True)
    write_tree(root, TREE)
    assert cli(["check", "--write-baseline", "baseline.json", "."], cwd=root).code == 0
    write_tree(root, NEW)  # findings the baseline does not record
    return root


def _cli_findings(out: str):
    return sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"], f["message"])
                  for f in json.loads(out))


def _library_findings(run):
    return sorted((f.path, f.rule.id, f.line, f.column, f.message)
                  for r in run.results for f in r.findings if not f.suppressed)


def test_the_facade_gives_the_cli_findings_for_a_repository(tmp_path, cli, monkeypatch):
    root = _repo(tmp_path / "repo", cli)
    monkeypatch.chdir(tmp_path)  # the library call names its folder itself
    linter = Linter(load_config(None, root), baseline=str(root / "baseline.json"))
    run = linter.check_paths([str(root)], cwd=str(root), jobs=1)
    expected = _cli_findings(cli(["check", "--format", "json", "--baseline", "baseline.json", "."], cwd=root).out)
    found = _library_findings(run)
    assert found == expected
    assert {(f[0], f[1]) for f in found} >= {("svc/Dockerfile", "NX101"), ("ci/deploy.sh", "NX102")}
    files = {f[0] for f in found}
    assert not files & {"Dockerfile", "legacy/Dockerfile", "app/Dockerfile"}  # baseline, per-file, inline
    assert "NX203" not in {f[1] for f in found}


def test_the_facade_gives_the_cli_findings_for_standard_input(tmp_path, cli):
    root = _repo(tmp_path / "repo", cli)
    linter = Linter(load_config(None, root), baseline=str(root / "baseline.json"))
    reported = set()
    for name in sorted({**TREE, **NEW}):
        if name.startswith("."):
            continue
        data = (root / name).read_bytes()
        run = linter.check_bytes(data, name, cwd=str(root))
        res = cli(["check", "--format", "json", "--baseline", "baseline.json", "--stdin-filename", name],
                  cwd=root, stdin=data)
        found = _library_findings(run)
        assert found == _cli_findings(res.out), name
        reported.update(f[0] for f in found)
    assert reported == set(NEW)  # the baseline, the per-file ignore and the inline comment hold
