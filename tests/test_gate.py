"""A CI gate that holds (issue 14): the repository under review is untrusted input.

Each test builds the crafted repository of one finding of the issue in a
temporary git repository and runs the real command line on it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import write_tree

BAD = "FROM python:3.11\n"  # NX101: straight from Docker Hub


def repo(root: Path, files: dict, force=()) -> Path:
    """A git repository with ``files`` added (``force``: added with -f, whatever .gitignore says)."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write_tree(root, files)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    for name in force:
        subprocess.run(["git", "-C", str(root), "add", "-f", name], check=True)
    return root


def flagged(res):
    return sorted({line.split(":")[0] for line in res.out.splitlines() if ": NX" in line})


# -- 6. unknown rule ids ---------------------------------------------------------------

def test_6_unknown_rule_id_on_the_command_line_is_exit_2_with_the_closest_id(tmp_path, cli):
    repo(tmp_path, {"Dockerfile": BAD})
    res = cli(["check", "--select", "NX1O1", "."], cwd=tmp_path)
    assert res.code == 2 and "did you mean 'NX101'?" in res.err
    res = cli(["check", "--select", "NX999", "."], cwd=tmp_path)
    assert res.code == 2 and "unknown rule id or prefix 'NX999'" in res.err and "did you mean" in res.err
    res = cli(["check", "--ignore", "NX9", "."], cwd=tmp_path)
    assert res.code == 2 and "'NX9'" in res.err


@pytest.mark.parametrize("config", [
    'select = ["NX999"]\n',
    'ignore = ["NX998"]\n',
    '[per-file-ignores]\n"*" = ["NX997"]\n',
])
def test_6_unknown_rule_id_in_a_config_is_exit_2(tmp_path, cli, config):
    repo(tmp_path, {"Dockerfile": BAD, ".nexus-lint.toml": config})
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 2 and "unknown rule id or prefix 'NX99" in res.err and "did you mean" in res.err
    assert "All checks passed" not in res.out


def test_6_unknown_rule_id_in_a_suppression_marker_is_exit_2(tmp_path, cli):
    repo(tmp_path, {"Dockerfile": "# nexus-lint: ignore[NX10l]\n" + BAD})
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 2
    assert "Dockerfile:1:3: unknown rule id 'NX10L' in a suppression marker; did you mean" in res.err


# -- 4. the config of a file is found from its own folder -------------------------------

def test_4_a_nested_config_governs_only_its_own_folder(tmp_path, cli):
    repo(tmp_path, {".a/.nexus-lint.toml": 'ignore = ["NX"]\n', ".a/x.sh": "echo hi\n", "Dockerfile": BAD})
    files = subprocess.run(["git", "ls-files"], cwd=tmp_path, capture_output=True, text=True).stdout.split()
    assert files[0].startswith(".a/")  # the first file named is under the nested config
    res = cli(["check", *files], cwd=tmp_path)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]


def test_4_each_file_is_linted_under_its_own_config_in_one_run(tmp_path, cli):
    repo(tmp_path, {".nexus-lint.toml": 'ignore = ["NX101"]\n', "Dockerfile": BAD,
                    "sub/.nexus-lint.toml": 'select = ["ALL"]\n', "sub/Dockerfile": BAD})
    res = cli(["check", "Dockerfile", "sub/Dockerfile"], cwd=tmp_path)
    assert flagged(res) == ["sub/Dockerfile"]
    res = cli(["check", "sub/Dockerfile", "Dockerfile"], cwd=tmp_path)
    assert flagged(res) == ["sub/Dockerfile"]


# -- 5. CI pins the policy ------------------------------------------------------------------

@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "ci-policy" / "policy.toml"
    path.parent.mkdir()
    path.write_text('[tool.nexus-lint]\nselect = ["NX1", "NX000"]\n')
    return path


@pytest.mark.parametrize("config,says", [
    ('ignore = ["NX"]\n', "turn off NX000, NX101"),
    ('exclude = ["*"]\n', "exclude files"),
    ('[per-file-ignores]\n"Dockerfile" = ["NX101"]\n', "ignore NX101 in 'Dockerfile'"),
    ('[policy]\nshared-host = "evil.example.com"\n', "change the Nexus policy"),
    ('max-file-size = 1\nignore = ["NX000"]\n', "turn off NX000"),
    ('max-file-size = 1\n', "change max-file-size"),
    ('timeout = 0.0000001\n', "change timeout"),
    ('select = ["NX2"]\n', "turn off NX000, NX101"),
])
def test_5_a_repository_config_cannot_weaken_the_ci_policy(tmp_path, cli, policy, config, says):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, ".nexus-lint.toml": config})
    res = cli(["check", "--policy-config", str(policy), "."], cwd=root)
    assert res.code == 2 and says in res.err, res.err
    assert "does not allow this config" in res.err


def test_5_the_policy_comes_from_the_environment_too(tmp_path, cli, policy, monkeypatch):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, "deep/er/.nexus-lint.toml": 'ignore = ["NX101"]\n',
                                 "deep/er/Dockerfile": BAD})
    monkeypatch.setenv("NEXUS_LINT_POLICY", str(policy))
    res = cli(["check", "Dockerfile"], cwd=root)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]
    res = cli(["check", "."], cwd=root)
    assert res.code == 2 and "deep/er/.nexus-lint.toml" in res.err


def test_5_a_config_may_tighten_the_policy(tmp_path, cli, policy):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, ".nexus-lint.toml": 'select = ["ALL"]\nfail-on = "warning"\n'})
    res = cli(["check", "--policy-config", str(policy), "."], cwd=root)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]


def test_5_a_config_hidden_with_toml_escapes_is_the_same_table(tmp_path, cli, policy):
    hidden = '[tool."\\u006Eexus\\u002Dlint"]\nignore = ["NX"]\n'
    root = repo(tmp_path / "r", {"Dockerfile": BAD, "pyproject.toml": hidden})
    assert cli(["check", "."], cwd=root).code == 0  # it is the nexus-lint table
    res = cli(["check", "--policy-config", str(policy), "."], cwd=root)
    assert res.code == 2 and "pyproject.toml" in res.err


def test_5_isolated_ignores_every_config_in_the_repository(tmp_path, cli):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, ".nexus-lint.toml": 'exclude = ["*"]\n',
                                 "a/pyproject.toml": '[tool.nexus-lint]\nignore = ["NX"]\n', "a/Dockerfile": BAD})
    assert cli(["check", "."], cwd=root).code == 0
    res = cli(["check", "--isolated", "."], cwd=root)
    assert res.code == 1 and flagged(res) == ["Dockerfile", "a/Dockerfile"]


def test_5_select_on_the_command_line_beats_a_config_ignore(tmp_path, cli):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, ".nexus-lint.toml": 'ignore = ["NX101"]\n'})
    assert cli(["check", "."], cwd=root).code == 0
    res = cli(["check", "--select", "NX101", "."], cwd=root)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]


# -- 11. (part) a tiny timeout is a finding, not an internal error -------------------

def test_11_a_tiny_timeout_is_nx000_not_an_internal_error(tmp_path, cli):
    root = repo(tmp_path / "r", {"Dockerfile": BAD, ".nexus-lint.toml": "timeout = 0.000001\n"})
    res = cli(["check", "."], cwd=root)
    assert "internal error" not in res.err
    assert res.code == 1 and "NX000" in res.out and "timeout" in res.out


# -- 1. the result cache cannot be forged from the repository ------------------------

def _many(extra: dict) -> dict:
    files = {f"k8s/app{i}.yaml": f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a{i}\n" for i in range(25)}
    files.update(extra)
    return files


def _forge(manifest: Path, key_dir: Path) -> None:
    """Drop the Dockerfile's findings from a manifest, as its author would on
    their own machine (their own key, when the manifest carries a MAC)."""
    data = json.loads(manifest.read_bytes())
    data["files"]["Dockerfile"][1] = {"kind": data["files"]["Dockerfile"][1]["kind"]}
    if "mac" in data:
        import hmac
        import hashlib

        key = (key_dir / "nexus-lint" / "key").read_bytes().strip()
        body = json.dumps({"files": data["files"], "ci": data["ci"]}, separators=(",", ":")).encode()[1:]
        mac = hmac.new(key, body, hashlib.sha256).hexdigest()
        manifest.write_bytes(b'{"format":%d,"mac":"%s",' % (data["format"], mac.encode()) + body)
    else:
        manifest.write_text(json.dumps(data))


def test_1_a_committed_forged_cache_does_not_pass_the_gate(tmp_path, cli, monkeypatch):
    from nexus_lint.pipeline import CACHE_DIR, cache

    attacker = tmp_path / "attacker-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(attacker))
    monkeypatch.setattr(cache, "_KEY", [])
    root = repo(tmp_path / "r", _many({"Dockerfile": BAD}))
    assert cli(["check", "."], cwd=root).code == 1
    manifest = next((root / CACHE_DIR).glob("results-*.json"))
    _forge(manifest, attacker)
    if "mac" in json.loads(manifest.read_bytes()):
        assert oct((attacker / "nexus-lint" / "key").stat().st_mode & 0o777) == "0o600"
        assert cli(["check", "."], cwd=root).code == 0  # the author's own forged cache fools only the author
    subprocess.run(["git", "-C", str(root), "add", "-f", CACHE_DIR], check=True)

    victim = tmp_path / "ci-home"  # the CI runner: another user, another key
    monkeypatch.setenv("XDG_CACHE_HOME", str(victim))
    monkeypatch.setattr(cache, "_KEY", [])
    res = cli(["check", "."], cwd=root)
    assert res.code == 1 and flagged(res) == ["Dockerfile"]
    assert "result cache not used: git tracks files in .nexus-lint-cache/" in res.err


def test_1_an_untracked_forged_cache_is_not_trusted_either(tmp_path, cli, monkeypatch):
    from nexus_lint.pipeline import CACHE_DIR, cache

    root = repo(tmp_path / "r", _many({"Dockerfile": BAD}))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    monkeypatch.setattr(cache, "_KEY", [])
    assert cli(["check", "."], cwd=root).code == 1
    _forge(next((root / CACHE_DIR).glob("results-*.json")), tmp_path / "other")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    monkeypatch.setattr(cache, "_KEY", [])
    assert cli(["check", "."], cwd=root).code == 1


def test_1_ci_reads_no_cache_unless_asked(tmp_path, cli, monkeypatch):
    from nexus_lint.pipeline import CACHE_DIR

    root = repo(tmp_path / "r", _many({"Dockerfile": BAD}))
    monkeypatch.setenv("CI", "true")
    assert cli(["check", "."], cwd=root).code == 1
    assert not (root / CACHE_DIR).exists()
    assert cli(["check", "--cache", "."], cwd=root).code == 1
    assert (root / CACHE_DIR).exists()


# -- 2. tracked files are linted whatever .gitignore says ------------------------------

def test_2_a_tracked_file_hidden_by_gitignore_is_still_linted(tmp_path, cli):
    root = repo(tmp_path / "r", {"deploy/.gitignore": "Dockerfile\nbuild/\n", "deploy/Dockerfile": BAD,
                                 "deploy/build/Dockerfile": BAD, "ok.sh": "echo hi\n"},
                force=["deploy/Dockerfile", "deploy/build/Dockerfile"])
    write_tree(root, {"deploy/build/untracked/Dockerfile": BAD, "other/.gitignore": "*.yml\n",
                      "other/x.yml": "image: python:3.11\n"})
    res = cli(["check", "."], cwd=root)
    assert res.code == 1 and flagged(res) == ["deploy/Dockerfile", "deploy/build/Dockerfile"]
    res = cli(["check", "deploy"], cwd=root)
    assert flagged(res) == ["deploy/Dockerfile", "deploy/build/Dockerfile"]


# -- 8/9. no write or read through a symbolic link out of the repository -------------

@pytest.fixture
def outside(tmp_path):
    d = tmp_path / "outside"
    d.mkdir()
    (d / "profile").write_text("# the runner's shell profile\n")
    return d


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_8_outputs_never_follow_a_committed_link(tmp_path, cli, outside, option):
    root = repo(tmp_path / "r", {"Dockerfile": BAD})
    (root / "report.txt").symlink_to(outside / "profile")
    (root / "out").symlink_to(outside)
    res = cli(["check", option, "report.txt", "."], cwd=root)
    assert res.code == 2 and "symbolic link" in res.err
    res = cli(["check", option, "out/new.txt", "."], cwd=root)
    assert res.code == 2 and "outside the repository" in res.err
    assert (outside / "profile").read_text() == "# the runner's shell profile\n"
    assert sorted(p.name for p in outside.iterdir()) == ["profile"]
    res = cli(["check", option, "fresh.txt", "."], cwd=root)  # a plain file is still written
    assert (root / "fresh.txt").is_file() and not (root / "fresh.txt").is_symlink()


def test_8_the_cache_folder_never_follows_a_committed_link(tmp_path, cli, outside):
    from nexus_lint.pipeline import CACHE_DIR

    root = repo(tmp_path / "r", _many({"Dockerfile": BAD}))
    (root / CACHE_DIR).symlink_to(outside)
    res = cli(["check", "."], cwd=root)
    assert res.code == 1 and "result cache not used" in res.err
    assert sorted(p.name for p in outside.iterdir()) == ["profile"]


def test_8_fix_never_writes_through_a_linked_folder(tmp_path, cli, outside):
    (outside / "Dockerfile").write_text(BAD)
    root = repo(tmp_path / "r", {"ok.sh": "echo\n"})
    (root / "linkdir").symlink_to(outside)
    res = cli(["check", "--fix", "linkdir/Dockerfile"], cwd=root)
    assert (outside / "Dockerfile").read_text() == BAD
    assert res.code == 1 and "outside the repository" in res.out + res.err


def test_9_a_compose_env_linked_out_of_the_repository_is_not_read(tmp_path, cli, outside):
    (outside / "secrets.env").write_text("IMAGE=runner-secret-value-4711\n")
    root = repo(tmp_path / "r", {"compose.yaml": "services:\n  app:\n    image: ${IMAGE}\n"})
    (root / ".env").symlink_to(outside / "secrets.env")
    res = cli(["check", "."], cwd=root)
    assert "runner-secret-value-4711" not in res.out + res.err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin"])
def test_11_a_gitignore_linked_to_a_device_is_skipped(tmp_path, cli, device):
    root = repo(tmp_path / "r", {"Dockerfile": BAD})
    (root / ".gitignore").symlink_to(device)
    (root / "sub").mkdir()
    (root / "sub" / ".gitignore").symlink_to(device)
    write_tree(root, {"sub/Dockerfile": BAD})
    res = cli(["check", "."], cwd=root, stdin=b"")
    assert res.code == 1 and flagged(res) == ["Dockerfile", "sub/Dockerfile"]


# -- 10. terminal and annotation injection -------------------------------------------

def test_10_control_characters_in_names_and_keys_are_escaped(tmp_path, cli):
    name = "evil\n::error file=x::forged\x1b]0;pwned\x07.sh"
    root = repo(tmp_path / "r", {name: "#!/bin/sh\ndocker pull python:3.11\n",
                                 "Dockerfile": "FROM python:3.11\nFROBNICATE \x1b]0;title\x07\n"})
    for fmt in ("text", "github"):
        res = cli(["check", "--format", fmt, "."], cwd=root)
        assert res.code == 1
        assert "\x1b" not in res.out and "\x07" not in res.out and "\r" not in res.out
        assert not any(line.startswith("::error file=x") for line in res.out.splitlines())
        assert "evil\\n::error file" in res.out or "evil%5Cn" in res.out or "evil\\n%3A%3Aerror" in res.out


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "text", "github"])
def test_10_a_name_that_is_not_utf8_keeps_every_format_valid(tmp_path, cli, fmt):
    root = repo(tmp_path / "r", {"ok.sh": "echo\n"})
    (root / os.fsdecode(b"bad\xff.sh")).write_bytes(b"#!/bin/sh\ndocker pull python:3.11\n")
    res = cli(["check", "--format", fmt, "."], cwd=root)
    assert res.code == 1 and "internal error" not in res.err
    res.out.encode("utf-8")  # no lone surrogate
    if fmt in ("json", "sarif", "gitlab"):
        text = json.dumps(json.loads(res.out), ensure_ascii=False)
        assert "bad\\\\xff.sh" in text or "bad%FF.sh" in text
    else:
        assert "bad\\xff.sh" in res.out


# -- 3. every local file the pipeline can run is GitLab CI and linted -----------------

PY = "  image: python:3.11\n  script: [make]\n"


def test_3_child_pipelines_variable_and_project_includes_are_linted(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("CI_PROJECT_PATH", "acme/app")
    root = repo(tmp_path / "r", {
        ".gitlab-ci.yml": (
            "variables:\n  FLAVOUR:\n    value: slim\n    options: [slim, full]\n"
            "include:\n"
            "  - local: 'ci/jobs-${CI_DEFAULT_BRANCH}.yml'\n"
            "  - local: 'ci/flavour-$FLAVOUR.yml'\n"
            "  - project: acme/app\n    file: [ci/shared.yml]\n"
            "  - project: other/thing\n    file: ci/theirs.yml\n"
            "child:\n  trigger:\n    include: [local: ci/child.yml]\n"
            "child2:\n  trigger:\n    include: ci/missing-child.yml\n"
        ),
        "ci/child.yml": "build:\n" + PY,
        "ci/jobs-main.yml": "test:\n" + PY,
        "ci/flavour-full.yml": "full:\n" + PY,
        "ci/flavour-slim.yml": "slim:\n" + PY,
        "ci/shared.yml": "shared:\n" + PY,
        "ci/theirs.yml": "theirs:\n" + PY,  # another project's file of the same name: not this pipeline's
    })
    res = cli(["check", "."], cwd=root)
    assert flagged(res) == ["ci/child.yml", "ci/flavour-full.yml", "ci/flavour-slim.yml", "ci/jobs-main.yml",
                            "ci/shared.yml"]
    assert "ci/missing-child.yml' names no file of the repository" in res.err


# -- 11. time and memory per file are bounded ----------------------------------------

_MEASURE = """
import os, resource, sys, time
from nexus_lint.cli import main
os.chdir(sys.argv[1])
t = time.monotonic()
code = main(["check", "--no-cache", "deep.sh"])
print(code, time.monotonic() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize("size,seconds", [(30_000, 4.0), (1_000_000, 8.0)])
def test_11_deeply_nested_substitutions_are_bounded(tmp_path, size, seconds):
    import sys

    n = size // 3
    root = repo(tmp_path / "r", {"deep.sh": "#!/bin/sh\necho " + "$(" * n + "x" + ")" * n + "\n"})
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(root)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    code, took, rss_mb = out.stdout.split()[-3:]
    assert code == "1" and "analysis stopped early" in out.stdout  # NX000: said, not silently passed
    assert float(took) < seconds, took  # (under 2.2 s measured on a busy 2-core runner at 1 MB)
    assert int(rss_mb) < 300, rss_mb


# -- 12. no secret from a file in an error message; slow salted baseline hashes -------

def test_12_a_secret_in_a_parse_error_message_is_redacted(tmp_path, cli):
    root = repo(tmp_path / "r", {"Dockerfile": "FROM alpine:3\nNEXUS_PASSWORD=DfS3cretPw2 x\n"})
    for fmt in ("text", "json", "sarif", "gitlab", "github"):
        res = cli(["check", "--format", fmt, "."], cwd=root)
        assert "unknown instruction" in res.out and "NEXUS_PASSWORD" in res.out
        assert "DfS3cretPw2" not in res.out + res.err


def test_12_baseline_secrets_are_hashed_with_a_slow_salted_kdf(tmp_path, cli):
    from nexus_lint.pipeline import baseline

    files = {"a.sh": "curl -u admin:Sup3rS3cretPw https://nexus.shared.cwiq.io/x\n",
             "b.sh": "curl -u admin:Sup3rS3cretPw https://nexus.shared.cwiq.io/x\n"}
    root = repo(tmp_path / "r", files)
    assert cli(["check", "--write-baseline", "b1.json", "."], cwd=root).code == 0
    assert cli(["check", "--write-baseline", "b2.json", "."], cwd=root).code == 0
    d1, d2 = (json.loads((root / n).read_text()) for n in ("b1.json", "b2.json"))
    assert d1["format"] == 2 and d1["kdf"] == "scrypt n=16384 r=8 p=5"
    assert d1["salt"] != d2["salt"]  # a salt per baseline file
    assert {e["hash"] for e in d1["findings"]}.isdisjoint(e["hash"] for e in d2["findings"])
    assert baseline.SCRYPT == {"n": 2 ** 14, "r": 8, "p": 5}  # OWASP: one of the recommended scrypt settings
    assert "Sup3rS3cretPw" not in (root / "b1.json").read_text()
    res = cli(["check", "--baseline", "b1.json", "."], cwd=root)
    assert res.code == 0, res.out


def test_12_a_format_1_baseline_is_still_read(tmp_path, cli, monkeypatch):
    from nexus_lint.pipeline import baseline

    root = repo(tmp_path / "r", {"a.sh": "curl -u admin:Sup3rS3cretPw https://nexus.shared.cwiq.io/x\n"})
    monkeypatch.setattr(baseline, "FORMAT", 1)  # what a release before this one wrote
    assert cli(["check", "--write-baseline", "old.json", "."], cwd=root).code == 0
    monkeypatch.undo()
    assert json.loads((root / "old.json").read_text())["format"] == 1
    assert cli(["check", "--baseline", "old.json", "."], cwd=root).code == 0


# -- 7. a suppression marker counts only where a reviewer sees it ---------------------

def test_7_a_marker_after_300_spaces_does_not_count(tmp_path, cli):
    root = repo(tmp_path / "r", {
        "deploy.sh": "docker pull python:3.11" + " " * 300 + "# nexus-lint: ignore[NX101]\n",
        "near.sh": "docker pull python:3.11  # nexus-lint: ignore[NX101]\n",
        ".gitlab-ci.yml": "test:\n  image: python:3.11" + " " * 300 + "# nexus-lint: ignore[NX101]\n  script: [make]\n",
    })
    res = cli(["check", "."], cwd=root)
    assert flagged(res) == [".gitlab-ci.yml", "deploy.sh"]  # the marker two spaces away still counts


def test_7_a_marker_inside_a_yaml_string_does_not_suppress_a_key(tmp_path, cli):
    root = repo(tmp_path / "r", {".gitlab-ci.yml": (
        'test: {image: "python:3.11", script: ["make test # nexus-lint: ignore[NX101]"]}\n'
        "build:\n  script: |\n    make build\n    # nexus-lint: ignore[NX101]\n  image: python:3.11\n"
        "deploy:\n  image: nexus.shared.cwiq.io:8444/library/alpine:3\n  script:\n"
        "    - docker pull redis:7  # nexus-lint: ignore[NX101]\n"
    )})
    res = cli(["check", "--format", "json", "."], cwd=root)
    rows = sorted((f["code"], f["location"]["row"]) for f in json.loads(res.out))
    # the image of `test` (same line as the marker, outside the string) and of `build`
    # (the marker is the last line of the block just above the key) are reported; the
    # script's own command, suppressed by its own shell comment, is not
    assert rows == [("NX101", 1), ("NX101", 6)]


def test_the_summary_says_how_many_findings_were_hidden_and_by_what(tmp_path, cli):
    root = repo(tmp_path / "r", {
        "a.sh": "docker pull python:3.11  # nexus-lint: ignore[NX101]\ndocker pull redis:7\n",
        "b.sh": "docker pull redis:7\n",
        ".nexus-lint.toml": '[per-file-ignores]\n"b.sh" = ["NX101"]\n',
    })
    assert cli(["check", "--write-baseline", "bl.json", "a.sh"], cwd=root).code == 0
    (root / "a.sh").write_text((root / "a.sh").read_text() + "docker pull alpine:3\n")
    res = cli(["check", "--baseline", "bl.json", "."], cwd=root)
    assert res.out.splitlines()[-1].endswith(  # the two scripts and bl.json (any JSON is read for admin123)
        "in 3 files checked. 1 fixable with --fix. 3 hidden: 1 by inline suppressions, 1 by per-file ignores, "
        "1 by the baseline.")
    res = cli(["check", "b.sh"], cwd=root)
    assert res.out == "All checks passed (1 file checked). 1 hidden by per-file ignores.\n"


# -- the README's hardened job -------------------------------------------------------

def _gate_section():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Four ways to run it") < readme.index("## Running it as a CI gate") < readme.index("## Rules")
    section = readme.split("## Running it as a CI gate", 1)[1].split("\n## ", 1)[0]
    blocks = {}
    for chunk in section.split("```")[1::2]:
        lang, _, body = chunk.partition("\n")
        blocks.setdefault(lang.strip(), body)
    return section, blocks


def test_the_readme_gate_command_holds_against_a_crafted_repository(tmp_path, cli, monkeypatch):
    import shlex

    section, blocks = _gate_section()
    for promise in ("guarantees", "does not guarantee", "--isolated", "--no-cache", "--select", "exits 2"):
        assert promise in section, promise
    policy = tmp_path / "policy.toml"
    policy.write_text(blocks["toml"])
    (command,) = [line for line in blocks["sh"].splitlines() if line.startswith("nexus-lint ")]
    args = [str(policy) if a == "/etc/nexus-lint/policy.toml" else a for a in shlex.split(command)[1:]]
    assert blocks["yaml"].count(command) == 1  # the job runs the very command tested here
    monkeypatch.setenv("CI", "true")
    root = repo(tmp_path / "r", {".nexus-lint.toml": 'ignore = ["NX"]\nexclude = ["*"]\n', "Dockerfile": BAD,
                                 "deploy/.gitignore": "Dockerfile\n", "deploy/Dockerfile": BAD,
                                 ".nexus-lint-cache/results-0.json": "{}"},
                force=["deploy/Dockerfile", ".nexus-lint-cache/results-0.json"])
    res = cli(args, cwd=root)
    assert res.code == 1
    report = json.loads((root / "gl-code-quality-report.json").read_text())
    assert sorted(e["location"]["path"] for e in report) == ["Dockerfile", "deploy/Dockerfile"]
    res = cli([a if a != "NX" else "NX1O1" for a in args], cwd=root)  # a typo in --select
    assert res.code == 2 and "did you mean 'NX101'?" in res.err


def test_4_excludes_of_the_run_and_of_each_file_apply(tmp_path, cli):
    root = repo(tmp_path / "r", {".nexus-lint.toml": 'exclude = ["vendor/"]\n', "vendor/x/.nexus-lint.toml": "",
                                 "vendor/x/Dockerfile": BAD, ".a/.nexus-lint.toml": 'exclude = ["*"]\n',
                                 ".a/Dockerfile": BAD, "Dockerfile": BAD})
    assert flagged(cli(["check", "."], cwd=root)) == ["Dockerfile"]
    assert flagged(cli(["check", ".a/Dockerfile", "Dockerfile"], cwd=root)) == ["Dockerfile"]
