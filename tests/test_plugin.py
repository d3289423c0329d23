"""The plugin API: a tiny third-party package, installed for real, adds a rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points

from conftest import write_tree

PLUGIN = {
    "pyproject.toml": (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "nexus-lint-demo-plugin"\nversion = "0.1"\n'
        '[project.entry-points.nexus_lint]\ndemo = "nexus_demo_plugin"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["nexus_demo_plugin"]\n'
    ),
    "nexus_demo_plugin/__init__.py": (
        "from nexus_lint.hookspecs import hookimpl\n"
        "from nexus_lint.core.model import RuleMeta, WARNING\n"
        "from nexus_lint.checks.base import Check\n"
        "NX901 = RuleMeta('NX901', 'latest-tag', WARNING, None, 'An image is pinned to latest.')\n"
        "def run(ctx):\n"
        "    for fact in ctx.facts.images:\n"
        "        if fact.value.text.endswith(':latest'):\n"
        "            s, e = fact.value.extent()\n"
        "            ctx.report(NX901, s, e, 'pin a version instead of latest')\n"
        "@hookimpl\n"
        "def nexus_lint_rules():\n"
        "    return [Check((NX901,), run, 'latest')]\n"
    ),
}


def test_builtin_rules_come_through_the_entry_point_group():
    names = {ep.name: ep.value for ep in entry_points(group="nexus_lint")}
    assert names.get("builtin") == "nexus_lint.builtin"


def test_an_installed_plugin_package_adds_its_rule(tmp_path):
    src = write_tree(tmp_path / "plugin", PLUGIN)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(target), str(src)],
        check=True,
        capture_output=True,
    )
    work = write_tree(tmp_path / "work", {"Dockerfile": "FROM nexus.shared.cwiq.io:8444/orchestrator/api:latest\n"})
    env = dict(os.environ, PYTHONPATH=str(target))
    rules = subprocess.run([sys.executable, "-m", "nexus_lint", "rules"], cwd=work, capture_output=True, text=True, env=env)
    assert "NX901  latest-tag" in rules.stdout
    check = subprocess.run(
        [sys.executable, "-m", "nexus_lint", "check", "--format", "json"], cwd=work, capture_output=True, text=True, env=env
    )
    assert check.returncode == 0  # a warning does not fail by default
    assert [(f["code"], f["location"]["column"]) for f in json.loads(check.stdout)] == [("NX901", 6)]
