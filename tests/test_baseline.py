"""--write-baseline / --baseline: today's findings accepted, only new ones reported;
entries survive moved code and never hold a secret."""

from __future__ import annotations

import json

from conftest import write_tree

N = "nexus.shared.cwiq.io"


def secret(tag: str) -> str:
    return "Bl" + tag + "-" + "k7Rm" * 3


def script(body_lines, above: int = 0) -> str:
    return "#!/bin/sh\n" + "echo filler\n" * above + "".join(line + "\n" for line in body_lines)


LINES = [
    f"export NEXUS_PASSWORD={secret('a')}",
    f"docker login -u ci -p \"$NEXUS_PASSWORD\" {N}:8443",
    f"docker pull {N}:8443/orchestrator/app:1",
]


def test_baseline_accepts_current_findings_and_survives_a_move(tmp_path, cli):
    write_tree(tmp_path, {"ci/publish.sh": script(LINES), "Dockerfile": "FROM python:3.11\n"})
    res = cli(["check", "--write-baseline", "nexus-lint-baseline.json", "."], cwd=tmp_path)
    assert res.code == 0 and "recorded 4 findings" in res.err
    data = json.loads((tmp_path / "nexus-lint-baseline.json").read_text())
    assert data["format"] == 2 and len(data["findings"]) == 4 and len(bytes.fromhex(data["salt"])) == 16
    assert {e["rule"] for e in data["findings"]} == {"NX101", "NX102", "NX401", "NX403"}
    assert secret("a") not in json.dumps(data) and '"line' not in json.dumps(data)

    res = cli(["check", "--baseline", "nexus-lint-baseline.json", "."], cwd=tmp_path)
    assert res.code == 0 and "All checks passed" in res.out

    # the same findings ten lines further down: nothing new
    write_tree(tmp_path, {"ci/publish.sh": script(LINES, above=10), "Dockerfile": "# base\n" * 10 + "FROM python:3.11\n"})
    res = cli(["check", "--baseline", "nexus-lint-baseline.json", "."], cwd=tmp_path)
    assert res.code == 0, res.out
    # without the baseline they are all still there
    assert cli(["check", "."], cwd=tmp_path).out.count("[error]") == 3


def test_new_findings_are_reported(tmp_path, cli):
    write_tree(tmp_path, {"ci/publish.sh": script(LINES)})
    cli(["check", "--write-baseline", "b.json", "."], cwd=tmp_path)
    write_tree(tmp_path, {"ci/publish.sh": script(LINES + [f"export API_TOKEN={secret('b')}"])})
    res = cli(["check", "--baseline", "b.json", "--format", "json", "."], cwd=tmp_path)
    assert res.code == 1
    assert [(f["code"], f["location"]["row"]) for f in json.loads(res.out)] == [("NX401", 5)]


def test_a_rotated_secret_on_the_same_line_is_new(tmp_path, cli):
    write_tree(tmp_path, {"s.sh": f"export NEXUS_PASSWORD={secret('a')}\n"})
    cli(["check", "--write-baseline", "b.json", "s.sh"], cwd=tmp_path)
    # same redacted form (`Bla*****`), another secret
    write_tree(tmp_path, {"s.sh": f"export NEXUS_PASSWORD={secret('a')[:-1]}X\n"})
    res = cli(["check", "--baseline", "b.json", "s.sh"], cwd=tmp_path)
    assert res.code == 1 and "NX401" in res.out


def test_identical_findings_are_counted(tmp_path, cli):
    line = f"docker pull {N}:8443/orchestrator/app:1"
    write_tree(tmp_path, {"s.sh": script([line])})
    cli(["check", "--write-baseline", "b.json", "s.sh"], cwd=tmp_path)
    write_tree(tmp_path, {"s.sh": script([line, line])})
    res = cli(["check", "--baseline", "b.json", "--format", "json", "s.sh"], cwd=tmp_path)
    assert [(f["code"], f["location"]["row"]) for f in json.loads(res.out)] == [("NX102", 3)]


def test_bad_baseline_is_a_usage_error(tmp_path, cli):
    write_tree(tmp_path, {"s.sh": "echo hi\n", "b.json": "{not json", "c.json": '{"format": 99}'})
    for name in ("b.json", "c.json", "missing.json"):
        res = cli(["check", "--baseline", name, "s.sh"], cwd=tmp_path)
        assert res.code == 2 and "baseline" in res.err
    res = cli(["check", "--write-baseline", "x.json", "--diff", "s.sh"], cwd=tmp_path)
    assert res.code == 2
