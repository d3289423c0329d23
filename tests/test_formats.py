"""Output documents: SARIF 2.1.0 against the official schema, GitLab Code Quality, GitHub annotations, JSON."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import DATA, write_tree

PULL = "nexus.shared.cwiq.io:8444"
TREE = {
    "Dockerfile": (
        "FROM python:3.11 AS build\n"
        "FROM python:3.11 AS again\n"  # identical line: GitLab fingerprints must still differ
        "# nexus-lint: ignore[NX101]\n"
        "FROM node:20\n"
        "FROM nexus.shared.cwiq.io:8443/orchestrator/api:1\n"
        'LABEL x="✓ 😀"\n'
        "FROM 😀\n"
    ),
    "svc/Dockerfile": "FROM python:3.11 AS build\n",
    "broken/Dockerfile": b"\x00\x01\x02binary",
}


@pytest.fixture(scope="module")
def schema():
    return json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_validates_and_carries_rules_fixes_and_suppressions(tmp_path, cli, schema):
    write_tree(tmp_path, TREE)
    res = cli(["check", "--format", "sarif", "."], cwd=tmp_path)
    assert res.code == 1
    log = json.loads(res.out)
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    for r in rules:
        assert r["help"]["text"] and r["shortDescription"]["text"] and r["fullDescription"]["text"]
    nx101 = rules[ids.index("NX101")]
    assert "Docker Hub" in nx101["help"]["text"] and "## Use instead" in nx101["help"]["markdown"]
    results = run["results"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith("/")
    suppressed = [r for r in results if r.get("suppressions")]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in suppressed] == [("NX101", 4)]
    first = results[0]
    assert first["ruleId"] == "NX000" or first["ruleId"] == "NX101"
    with_fix = [r for r in results if r["ruleId"] == "NX101" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"][0]
    repl = with_fix["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert repl["deletedRegion"] == {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 12}
    assert repl["insertedContent"]["text"] == f"{PULL}/library/python"


def test_sarif_columns_are_utf16(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": "ARG X=😀\nARG Q=1\nARG Y=\"😀\" Z=python:3.11\nFROM $Z\n"})
    log = json.loads(cli(["check", "--format", "sarif"], cwd=tmp_path).out)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    # line 3: ARG Y="😀" Z=  -> the astral character counts as two UTF-16 units
    assert {"startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 20} in regions


def test_gitlab_code_quality_has_unique_fingerprints(tmp_path, cli):
    write_tree(tmp_path, TREE)
    res = cli(["check", "--format", "gitlab", "."], cwd=tmp_path)
    report = json.loads(res.out)
    fingerprints = [r["fingerprint"] for r in report]
    assert len(fingerprints) == len(set(fingerprints)) >= 4
    for r in report:
        assert set(r) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert r["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert r["location"]["lines"]["begin"] >= 1 and not r["location"]["path"].startswith("/")
    assert not res.out.startswith("\ufeff")
    # stable: the same findings give the same fingerprints, and moving code does not change them
    again = json.loads(cli(["check", "--format", "gitlab", "."], cwd=tmp_path).out)
    assert [r["fingerprint"] for r in again] == fingerprints
    (tmp_path / "svc" / "Dockerfile").write_text("# moved\n\nFROM python:3.11 AS build\n")
    moved = json.loads(cli(["check", "--format", "gitlab", "svc"], cwd=tmp_path).out)
    assert moved[0]["fingerprint"] in fingerprints


def test_github_annotations_escape_and_order(tmp_path, cli):
    write_tree(tmp_path, {"dir,with:odd/Dockerfile": "FROM python:3.11\n"})
    res = cli(["check", "--format", "github", "."], cwd=tmp_path)
    assert res.code == 1
    line = res.out.splitlines()[0]
    assert line.startswith("::error file=dir%2Cwith%3Aodd/Dockerfile,line=1,endLine=1,col=6,endColumn=12,title=NX101 docker-hub-pull::")
    assert "%0AFix (safe): use" in line  # the newline in the message is escaped


def test_json_format_fields(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": "ARG B=python:3.11\nFROM $B\n"})
    found = json.loads(cli(["check", "--format", "json"], cwd=tmp_path).out)
    assert found == [
        {
            "code": "NX101",
            "name": "docker-hub-pull",
            "severity": "error",
            "message": found[0]["message"],
            "filename": "Dockerfile",
            "location": {"row": 1, "column": 7},
            "end_location": {"row": 1, "column": 13},
            "fix": {
                "applicability": "safe",
                "message": f"use `{PULL}/library/python:3.11`",
                "edits": [
                    {"content": f"{PULL}/library/python", "location": {"row": 1, "column": 7}, "end_location": {"row": 1, "column": 13}}
                ],
            },
            "related": [{"message": "used here by FROM through $B", "location": {"row": 2, "column": 6}, "end_location": {"row": 2, "column": 8}}],
        }
    ]
