"""Secrets are never printed: planted in every file kind (one on a last line
without a final newline, some on lines that fixes change), they appear in no
output format, not in ``--diff``, not in the baseline, not on a cached re-run.
"""

from __future__ import annotations

import base64
import json

import jsonschema
import pytest

from conftest import DATA, make_linter, write_tree
from nexus_lint.hookspecs import hookimpl
from nexus_lint.core.model import ERROR, Edit, Fix, RuleMeta, SAFE
from nexus_lint.checks.base import Check

N = "nexus.shared.cwiq.io"


def planted(i: int) -> str:
    """The i-th planted secret (made up at run time; 16 characters, distinct after the third)."""
    return f"Pla{i:02d}nted" + "Qz8" + "w" * (3 + i % 3)


S = {i: planted(i) for i in range(1, 24)}
DOCKER_CFG_AUTH = base64.b64encode(("ci:" + S[20]).encode()).decode()
K8S_DATA = base64.b64encode(S[22].encode()).decode()
NPM_TOKEN = "npm_" + S[11] + "Z" * (36 - len(S[11]))
PLANTED = list(S.values()) + [DOCKER_CFG_AUTH, K8S_DATA, NPM_TOKEN]

TREE = {
    "Dockerfile": (
        "FROM python:3.11\n"
        f"ARG PIP_INDEX_URL=http://ci:{S[1]}@{N}:8443/repository/pypi-group/simple/\n"
        f"ENV NEXUS_PASSWORD={S[2]}\n"
    ),
    ".gitlab-ci.yml": (
        "variables:\n"
        f"  NEXUS_PASSWORD: \"{S[3]}\"\n"
        "build:\n"
        "  image: docker:27\n"
        "  script:\n"
        f"    - docker login -u ci -p '{S[4]}' {N}:8443\n"
    ),
    ".github/workflows/ci.yml": (
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    container: node:20\n"
        "    env:\n"
        f"      NODE_AUTH_TOKEN: {S[5]}\n"
        "    steps:\n"
        f"      - run: curl -u admin:{S[6]} http://{N}:8443/service/rest/v1/status\n"
    ),
    "compose.yml": (
        "services:\n"
        "  db:\n"
        "    image: postgres:16\n"
        "    environment:\n"
        f"      POSTGRES_PASSWORD: {S[7]}\n"
    ),
    "deploy/app.yaml": (
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
        "    - name: app\n      image: redis:7\n"
        f"      env:\n        - {{name: DB_PASSWORD, value: {S[8]}}}\n"
        "---\n"
        f"apiVersion: v1\nkind: Secret\ndata:\n  password: {K8S_DATA}\nstringData:\n  token: {S[21]}\n"
    ),
    "ci/publish.sh": (
        "#!/bin/sh\n"
        f"export NEXUS_TOKEN={S[9]}\n"
        f"curl -u admin:{S[10]} -T f http://{N}/repository/raw-hosted-dev/f\n"
        f"export API_TOKEN={S[23]}"  # last line, no final newline
    ),
    ".npmrc": (
        f"//{N}/repository/npm-group/:_authToken={NPM_TOKEN}\n"
        f"registry=http://{N}/repository/npm-group/\n"
    ),
    ".pypirc": (
        "[distutils]\nindex-servers = nexus\n\n[nexus]\n"
        f"repository = http://{N}/repository/pypi-hosted/\nusername = ci\npassword = {S[13]}"  # no final newline
    ),
    "nexus.repo": f"[nexus]\nbaseurl=http://{N}/repository/yum-group-dev/\nusername=ci\npassword={S[14]}\n",
    "settings.xml": (
        "<settings><servers>\n"
        f"  <server><id>n</id><username>ci</username><password>{S[15]}</password></server>\n"
        f"</servers><mirrors><mirror><url>http://{N}/repository/maven-group/</url></mirror></mirrors></settings>\n"
    ),
    "pip.conf": f"[global]\nindex-url = http://ci:{S[16]}@{N}:8443/repository/pypi-group/simple/\n",
    "requirements.txt": f"-i http://ci:{S[17]}@{N}/repository/pypi-group/simple/\nrequests\n",
    "pyproject.toml": (
        "[[tool.uv.index]]\nname = \"nexus\"\n"
        f"url = \"http://ci:{S[18]}@{N}/repository/pypi-group/simple/\"\n"
    ),
    ".yarnrc.yml": f"npmRegistryServer: \"http://{N}/repository/npm-group/\"\nnpmAuthToken: {S[19]}\n",
    ".docker/config.json": f'{{"auths": {{"{N}:8443": {{"auth": "{DOCKER_CFG_AUTH}"}}}}}}',
    "package.json": json.dumps({"name": "x", "scripts": {"publish": f"twine upload -p {S[12]} dist/*"}}),
}


def leaks(text: str):
    """The planted secrets (or their hidden part) that ``text`` shows."""
    return [s for s in PLANTED if s in text or s[3:] in text]


@pytest.fixture
def repo(tmp_path):
    write_tree(tmp_path, TREE)
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_every_planted_secret_is_found(repo, cli):
    res = cli(["check", "--no-cache", "--format", "json", "."], cwd=repo)
    found = json.loads(res.out)
    by_file = {}
    for f in found:
        by_file.setdefault(f["filename"], []).append(f["code"])
    for name in TREE:
        assert any(c.startswith("NX4") for c in by_file.get(name, [])), (name, by_file.get(name))
    # one NX401/NX402 per secret (S11, S20 and S22 stand inside the npm token and the base64 values)
    assert sorted(f["location"]["row"] for f in found if f["code"] in ("NX401", "NX402")) and \
        sum(1 for f in found if f["code"] in ("NX401", "NX402")) == len(PLANTED) - 3
    last = [f for f in found if f["filename"] == "ci/publish.sh" and f["location"]["row"] == 4]
    assert [f["code"] for f in last] == ["NX401"]
    assert [f["location"]["row"] for f in found if f["filename"] == ".pypirc" and f["code"] == "NX401"] == [7]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "gitlab", "github"])
def test_no_format_shows_a_secret(repo, cli, fmt):
    for extra in (["--no-cache"], [], []):  # the second and third runs read the cache
        res = cli(["check", "--format", fmt, *extra, "."], cwd=repo)
        assert res.code == 1
        assert leaks(res.out) == [] and leaks(res.err) == []
    if fmt == "text":
        assert "Pla*****" in res.out


def test_sarif_with_secrets_still_validates(repo, cli):
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(cli(["check", "--no-cache", "--format", "sarif", "."], cwd=repo).out)
    jsonschema.Draft4Validator(schema).validate(log)
    inserted = [r["insertedContent"]["text"] for res in log["runs"][0]["results"] for fx in res.get("fixes", [])
                for c in fx["artifactChanges"] for r in c["replacements"]]
    assert "${NPM_TOKEN}" in inserted and leaks(json.dumps(inserted)) == []


def test_diff_masks_secrets_on_changed_and_context_lines(repo, cli):
    res = cli(["check", "--diff", "--unsafe-fixes", "."], cwd=repo)
    assert res.code == 1
    assert leaks(res.out) == [] and leaks(res.err) == []
    diff = res.out
    # lines holding secrets are in the diff (changed by a fix, or context), redacted
    assert f"-ARG PIP_INDEX_URL=http://ci:Pla*****@{N}:8443/" in diff
    assert f"+ARG PIP_INDEX_URL=https://ci:Pla*****@{N}/" in diff
    assert " ENV NEXUS_PASSWORD=Pla*****" in diff
    assert f"-//{N}/repository/npm-group/:_authToken=npm*****" in diff
    assert f"+//{N}/repository/npm-group/:_authToken=${{NPM_TOKEN}}" in diff
    assert "+curl -u admin:Pla***** -T f https://" in diff
    assert " export API_TOKEN=Pla*****\n\\ No newline at end of file" in diff
    assert " password = Pla*****\n\\ No newline at end of file" in diff


def test_fix_writes_the_real_file_but_reports_redacted(repo, cli):
    res = cli(["check", "--fix", "--unsafe-fixes", "--format", "json", "."], cwd=repo)
    assert leaks(res.out) == [] and leaks(res.err) == []
    assert S[10] in (repo / "ci" / "publish.sh").read_text()  # the file itself is the user's
    assert NPM_TOKEN not in (repo / ".npmrc").read_text()
    res = cli(["check", "--format", "gitlab", "."], cwd=repo)
    assert leaks(res.out) == []


def test_output_file_stdin_and_baseline_hold_no_secret(repo, cli):
    cli(["check", "--no-cache", "--format", "sarif", "--output", "out.sarif", "."], cwd=repo)
    assert leaks((repo / "out.sarif").read_text()) == []
    res = cli(["check", "--write-baseline", "baseline.json", "."], cwd=repo)
    assert res.code == 0 and leaks((repo / "baseline.json").read_text()) == [] and leaks(res.err) == []
    data = TREE["ci/publish.sh"].encode()
    res = cli(["check", "--stdin-filename", "ci/publish.sh", "--format", "json"], cwd=repo, stdin=data)
    assert res.code == 1 and leaks(res.out) == []
    res = cli(["check", "--stdin-filename", "ci/publish.sh", "--diff"], cwd=repo, stdin=data)
    assert res.code == 1 and leaks(res.out) == [] and "Pla*****" in res.out


def test_gitlab_fingerprint_is_computed_on_the_redacted_line(tmp_path, cli):
    def fingerprints(secret):
        write_tree(tmp_path, {"s.sh": f"curl -u admin:{secret} http://{N}/service/rest/v1/status\n"})
        return [r["fingerprint"] for r in json.loads(cli(["check", "--no-cache", "--format", "gitlab", "s.sh"], cwd=tmp_path).out)]

    a, b = fingerprints("Same-prefix-one-1"), fingerprints("Same-prefix-two-2")
    assert len(a) == 2 and a == b  # the hash saw `Sam*****` only


class _Leaky:
    """A plugin check that tries to print the raw secret and to insert it with a fix."""

    META = RuleMeta("NX901", "leaky", ERROR, SAFE, "test")

    @hookimpl
    def nexus_lint_rules(self):
        def run(ctx):
            for fact in ctx.facts.credentials:
                raw = fact.value.reveal().text
                ctx.report(self.META, 0, 1, f"the value is {raw}!", Fix((Edit(0, 0, raw),), SAFE, f"insert {raw}"))

        return [Check((self.META,), run, "leaky")]


def test_engine_scrubs_whatever_a_check_writes():
    linter = make_linter(plugins=[_Leaky()])
    kind = linter.classifier.by_path("s.sh")
    result = linter.lint_bytes("s.sh", f"export NEXUS_PASSWORD={S[1]}\n".encode(), kind, "s.sh")
    leaky = [f for f in result.findings if f.rule.id == "NX901"]
    assert leaky and leaky[0].message == "the value is Pla*****!" and leaky[0].fix is None
