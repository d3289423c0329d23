"""Checkstyle, JUnit, SonarQube generic issues and GNU output through the real CLI:
each checked against its schema or documented format, secrets redacted, odd paths
(bytes that are not UTF-8, control characters) still valid in every format."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import DATA, write_tree

PULL = "nexus.shared.cwiq.io:8444"
# built at run time: the repository lints clean with its own command
SECRET = "s3cr" + "etPassw0rdValue9"
TREE = {
    "Dockerfile": (
        'ARG Y="😀" Z=python:3.12\n'
        "FROM python:3.11 AS build\n"
        "# nexus-lint: ignore[NX101]\n"
        "FROM node:20\n"
        'LABEL x="✓ 😀 <&> \\"q\\""\n'
        "FROM $Z\n"
    ),
    "svc/clean/Dockerfile": f"FROM {PULL}/library/python:3.11\n",
    "deploy.sh": f"docker login -u ci -p {SECRET} nexus.shared.cwiq.io:8443\n",
}
ODD_DIR = b"odd\xff\x01\tdir"  # not UTF-8, a control character and a tab


def _tree(tmp_path, odd=False):
    write_tree(tmp_path, TREE)
    if odd:
        d = os.path.join(os.fsencode(tmp_path), ODD_DIR)
        os.makedirs(d)
        with open(os.path.join(d, b"Dockerfile"), "wb") as fh:
            fh.write(b"FROM python:3.11\n")
    return tmp_path


def _check_no_secret(text: str) -> None:
    assert SECRET not in text and SECRET[:6] not in text


def _encodable(text: str) -> None:
    text.encode("utf-8")  # no lone surrogate reaches the stream


# XML and JSON carry the tab (an attribute spells it &#9;); a GNU line spells it out
ODD_SHOWN = "odd\\xff\\x01\tdir/Dockerfile"
ODD_LINE = "odd\\xff\\x01\\x09dir/Dockerfile"


# ---------------------------------------------------------------------------
# checkstyle
# ---------------------------------------------------------------------------


def test_checkstyle_structure_and_positions(tmp_path, cli):
    _tree(tmp_path, odd=True)
    res = cli(["check", "--format", "checkstyle", "."], cwd=tmp_path)
    assert res.code == 1
    _encodable(res.out)
    _check_no_secret(res.out)
    assert res.out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(res.out.encode("utf-8"))
    assert root.tag == "checkstyle" and root.get("version")
    files = {f.get("name"): f for f in root}
    assert all(f.tag == "file" for f in root)
    assert set(files) >= {"Dockerfile", "deploy.sh", "svc/clean/Dockerfile"}
    assert len(files["svc/clean/Dockerfile"]) == 0  # a clean file is listed with no error
    errors = [(e.get("source"), int(e.get("line")), int(e.get("column")), e.get("severity")) for e in files["Dockerfile"]]
    for e in files["Dockerfile"]:
        assert set(e.attrib) == {"line", "column", "severity", "message", "source"}
    assert ("nexus-lint.NX101.docker-hub-pull", 2, 6, "error") in errors
    assert ("nexus-lint.NX101.docker-hub-pull", 1, 13, "error") in errors
    assert not [x for x in errors if x[1] == 4]  # the suppressed finding is not reported
    msg = files["Dockerfile"][1].get("message")
    assert msg.startswith("NX101 ") and f"fix, safe: use `{PULL}/library/python:3.11`" in msg
    sources = {e.get("source") for e in files["deploy.sh"]}
    assert "nexus-lint.NX403.password-argument" in sources
    assert ODD_SHOWN in files
    assert [e.get("line") for e in files[ODD_SHOWN]] == ["1"]


# ---------------------------------------------------------------------------
# junit
# ---------------------------------------------------------------------------

XS = "{http://www.w3.org/2001/XMLSchema}"


def _xsd_rules(path):
    """From the XSD: per element, its allowed children, attributes and required attributes.
    (No XSD validator ships with the standard library: this checks the structure the XSD
    declares, which is what Jenkins and GitLab read.)"""
    xsd = ET.parse(path).getroot()
    types = {t.get("name"): t for t in xsd.iter(f"{XS}complexType") if t.get("name")}
    rules = {}

    def walk(name, node):
        ctype = node.find(f"{XS}complexType")
        if ctype is None and node.get("type") in types:
            ctype = types[node.get("type")]
        if ctype is None:
            rules.setdefault(name, (set(), set(), set(), True))
            return
        children, attrs, required = set(), set(), set()
        for a in ctype.findall(f"{XS}attribute"):
            attrs.add(a.get("name"))
            if a.get("use") == "required":
                required.add(a.get("name"))
        seq = ctype.find(f"{XS}sequence")
        for el in (seq.findall(f"{XS}element") if seq is not None else ()):
            child = el.get("name") or el.get("ref")
            children.add(child)
            if el.get("name"):
                walk(child, el)
        rules[name] = (children, attrs, required, ctype.get("mixed") == "true")

    for el in xsd.findall(f"{XS}element"):
        walk(el.get("name"), el)
    return rules


def _validate(node, rules):
    children, attrs, required, text_ok = rules[node.tag]
    assert set(node.attrib) <= attrs, (node.tag, set(node.attrib) - attrs)
    assert required <= set(node.attrib), (node.tag, required - set(node.attrib))
    if not text_ok:
        assert not (node.text or "").strip(), node.tag
    for child in node:
        assert child.tag in children, (node.tag, child.tag)
        _validate(child, rules)


def test_junit_follows_the_jenkins_schema(tmp_path, cli):
    _tree(tmp_path, odd=True)
    res = cli(["check", "--format", "junit", "."], cwd=tmp_path)
    assert res.code == 1
    _encodable(res.out)
    _check_no_secret(res.out)
    root = ET.fromstring(res.out.encode("utf-8"))
    assert root.tag == "testsuites"
    _validate(root, _xsd_rules(DATA / "junit" / "junit.xsd"))
    suites = {s.get("name"): s for s in root}
    assert set(suites) >= {"Dockerfile", "deploy.sh", "svc/clean/Dockerfile", ODD_SHOWN}
    clean = suites["svc/clean/Dockerfile"]
    assert clean.get("tests") == "1" and clean.get("failures") == "0"
    assert [c.find("failure") for c in clean] == [None]
    cases = list(suites["Dockerfile"])
    assert int(suites["Dockerfile"].get("failures")) == len(cases) == int(suites["Dockerfile"].get("tests"))
    first = cases[1].find("failure")
    assert cases[1].get("name") == "NX101 docker-hub-pull at 2:6" and cases[1].get("classname") == "Dockerfile"
    assert first.get("type") == "NX101" and first.get("message").startswith("NX101 ")
    assert first.text.startswith("Dockerfile:2:6: NX101 [error] ")
    assert f"fix (safe): use `{PULL}/library/python:3.11`" in first.text
    total = sum(int(s.get("tests")) for s in root)
    assert int(root.get("tests")) == total
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in root)


# ---------------------------------------------------------------------------
# sonarqube
# ---------------------------------------------------------------------------


def test_sonarqube_generic_issues_validate(tmp_path, cli):
    _tree(tmp_path, odd=True)
    res = cli(["check", "--format", "sonarqube", "."], cwd=tmp_path)
    assert res.code == 1
    _encodable(res.out)
    _check_no_secret(res.out)
    doc = json.loads(res.out)
    schema = json.loads((DATA / "sonarqube" / "generic-issue.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(doc)
    rule_ids = [r["id"] for r in doc["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert {i["ruleId"] for i in doc["issues"]} == set(rule_ids)
    by_rule = {r["id"]: r for r in doc["rules"]}
    assert by_rule["NX101"]["engineId"] == "nexus-lint"
    assert by_rule["NX101"]["impacts"] == [{"softwareQuality": "RELIABILITY", "severity": "HIGH"}]
    assert by_rule["NX403"]["impacts"][0]["softwareQuality"] == "SECURITY"
    here = [i["primaryLocation"] for i in doc["issues"] if i["primaryLocation"]["filePath"] == "Dockerfile"]
    # 0-based columns in UTF-16 units: line 1 `ARG Y="😀" Z=python:3.12`, the astral character counts two
    assert {"startLine": 1, "endLine": 1, "startColumn": 13, "endColumn": 19} in [loc["textRange"] for loc in here]
    assert {"startLine": 2, "endLine": 2, "startColumn": 5, "endColumn": 11} in [loc["textRange"] for loc in here]
    related = [i for i in doc["issues"] if i.get("secondaryLocations")]
    assert related and related[0]["secondaryLocations"][0]["message"].startswith("used here by FROM")
    assert ODD_SHOWN in {i["primaryLocation"]["filePath"] for i in doc["issues"]}


# ---------------------------------------------------------------------------
# gnu
# ---------------------------------------------------------------------------

GNU_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+) \[(?P<rule>NX\d{3}) [a-z0-9-]+\]$")


def test_gnu_lines(tmp_path, cli):
    _tree(tmp_path, odd=True)
    res = cli(["check", "--format", "gnu", "."], cwd=tmp_path)
    assert res.code == 1
    _encodable(res.out)
    _check_no_secret(res.out)
    lines = res.out.splitlines()
    assert lines and all(GNU_LINE.match(line) for line in lines), lines
    assert "\nDockerfile:2:6: error: " in res.out
    assert re.search(r"^Dockerfile:1:13: error: .* \[NX101 docker-hub-pull\]$", res.out, re.M)
    assert re.search(r"^deploy\.sh:1:\d+: warning: .* \[NX403 password-argument\]$", res.out, re.M)
    assert f"{ODD_LINE}:1:6: error: " in res.out
    assert "\t" not in res.out and "\x01" not in res.out
    assert lines == sorted(lines, key=lambda x: (x.split(":")[0], int(x.split(":")[1]), int(x.split(":")[2])))


@pytest.mark.parametrize("fmt", ["checkstyle", "junit", "sonarqube", "gnu"])
def test_new_formats_on_a_clean_tree_exit_zero(tmp_path, cli, fmt):
    write_tree(tmp_path, {"Dockerfile": f"FROM {PULL}/library/python:3.11\n"})
    res = cli(["check", "--format", fmt, "."], cwd=tmp_path)
    assert res.code == 0
    if fmt == "gnu":
        assert res.out == ""
    elif fmt == "sonarqube":
        assert json.loads(res.out) == {"rules": [], "issues": []}
    else:
        root = ET.fromstring(res.out.encode("utf-8"))
        assert not root.findall(".//error") and not root.findall(".//failure")


def test_new_format_written_with_output(tmp_path, cli):
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.11\n"})
    res = cli(["check", "--format", "junit", "-o", "report.xml", "."], cwd=tmp_path)
    assert res.code == 1 and res.out == ""
    root = ET.parse(tmp_path / "report.xml").getroot()
    assert root.find("testsuite/testcase/failure").get("type") == "NX101"


def _choices(command: str):
    from nexus_lint.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return next(a for a in sub.choices[command]._actions if a.dest == "format").choices


def test_readme_usage_lists_every_format():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    usage = readme[readme.index("## Usage"):]
    usage = usage[:usage.index("\n```\n", usage.index("```text"))]
    assert f"  --format {'|'.join(_choices('check'))}\n" in usage
    assert "nexus-lint rules " in usage and f"  --format {'|'.join(_choices('rules'))} " in usage
    assert "nexus-lint rule docker-hub-pull " in usage
