"""The speed features change nothing but speed: the process pool, the result
cache and the prefilter give the serial, uncached, fully parsed answer.
(Behaviour only: the timings are the benchmark's business, bench/run.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import make_linter, write_tree
from nexus_lint.pipeline import lint, pool
from nexus_lint.pipeline.cache import CACHE_DIR, FORMAT
from nexus_lint.pipeline.engine import CACHE_MIN_FILES
from nexus_lint.docs import load_pages

ROOT = Path(__file__).resolve().parent.parent


def _bench_corpus():
    """bench/corpus.py (the benchmark's generated repository), under a name of
    its own: tests/corpus.py is another module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nexus_lint_bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _bench_corpus()

NEXUS = "nexus.shared.cwiq.io"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "repo"
    corpus.generate(str(root), scale=1, seed=11)
    return root


@pytest.fixture
def spy(monkeypatch):
    """Counts what the engine does: files linted, pool runs."""
    seen = {"linted": [], "parsed": [], "pools": 0}
    lint_bytes = lint.FileLinter.lint_bytes
    extract = lint.FileLinter.extract

    def parsing(self, source, kind, ctx):
        seen["parsed"].append(source.path)
        return extract(self, source, kind, ctx)

    def counting(self, display, data, kind, relpath, *args, **kw):
        seen["linted"].append(relpath)  # in this process only (not in the pool's workers)
        return lint_bytes(self, display, data, kind, relpath, *args, **kw)

    pool_map = pool.Pool.pool_map

    def pooled(self, todo, jobs):
        seen["pools"] += 1
        return pool_map(self, todo, jobs)

    monkeypatch.setattr(lint.FileLinter, "lint_bytes", counting)
    monkeypatch.setattr(lint.FileLinter, "extract", parsing)
    monkeypatch.setattr(pool.Pool, "pool_map", pooled)
    return seen


def outputs(cli, root, *extra):
    """The text and JSON reports of one run."""
    text = cli(["check", *extra, "."], cwd=root)
    js = cli(["check", *extra, "--format", "json", "."], cwd=root)
    return text.code, text.out, js.out


# -- the pool ------------------------------------------------------------------------

def test_pool_and_serial_give_the_same_reports_in_the_same_order(cli, repo, spy):
    serial = outputs(cli, repo, "--no-cache", "--jobs", "1")
    assert spy["pools"] == 0
    pooled = outputs(cli, repo, "--no-cache", "--jobs", "2")
    assert spy["pools"] == 2  # the tree has enough files to parse for a pool
    assert pooled == serial
    assert json.loads(serial[2]), "the generated repository breaks the policy somewhere"
    sarif_serial = cli(["check", "--no-cache", "-j", "1", "--format", "sarif", "."], cwd=repo).out
    sarif_pooled = cli(["check", "--no-cache", "-j", "2", "--format", "sarif", "."], cwd=repo).out
    assert sarif_pooled == sarif_serial


def test_a_handful_of_files_never_starts_a_pool(cli, tmp_path, spy):
    write_tree(tmp_path, {f"d{i}/Dockerfile": "FROM alpine:3.19\n" for i in range(5)})
    assert cli(["check", "--jobs", "8", "."], cwd=tmp_path).code == 1
    assert spy["pools"] == 0 and len(spy["linted"]) == 5


def test_jobs_must_be_a_positive_number(cli, tmp_path):
    assert cli(["check", "--jobs", "0", "."], cwd=tmp_path).code == 2
    assert cli(["check", "--jobs", "x", "."], cwd=tmp_path).code == 2


# -- the cache -----------------------------------------------------------------------

def test_a_warm_cache_gives_the_same_reports_without_linting_again(cli, repo, spy):
    fresh = outputs(cli, repo, "--no-cache")
    assert not (repo / CACHE_DIR).exists()  # --no-cache writes nothing
    cold = outputs(cli, repo)
    assert (repo / CACHE_DIR).is_dir()
    spy["linted"].clear()
    warm = outputs(cli, repo)
    assert cold == fresh and warm == fresh
    assert spy["linted"] == []  # nothing was linted again, not even the GitLab file with include:


def small_repo(root: Path, files: dict) -> Path:
    """A repository with ``files`` and enough other files to use the cache."""
    filler = {f"k8s/app{i}.yaml": f"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: {NEXUS}:8444/orchestrator/app{i}:1\n"
              for i in range(CACHE_MIN_FILES)}
    (root / ".git").mkdir(parents=True)
    return write_tree(root, {**filler, **files})


def codes_of(cli, root, *extra):
    res = cli(["check", "--format", "json", *extra, "."], cwd=root)
    return sorted((f["filename"], f["code"], f["location"]["row"]) for f in json.loads(res.out))


def test_changing_a_file_is_a_miss(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": f"FROM {NEXUS}:8444/library/alpine:3.19\n"})
    assert codes_of(cli, root) == []
    (root / "Dockerfile").write_text("FROM alpine:3.19\n")
    assert codes_of(cli, root) == [("Dockerfile", "NX101", 1)]
    (root / "Dockerfile").write_text(f"FROM {NEXUS}:8444/library/alpine:3.19\n")
    assert codes_of(cli, root) == []


def test_changing_the_config_is_a_miss(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": f"FROM {NEXUS}:8444/library/alpine:3.19\n"})
    assert codes_of(cli, root) == []
    (root / ".nexus-lint.toml").write_text("[policy]\ndocker-pull-port = 5000\ndocker-push-port = 5001\n")
    found = codes_of(cli, root)
    assert ("Dockerfile", "NX203", 1) in found  # 8444 is no Docker port any more
    assert codes_of(cli, root, "--select", "NX101") == []  # another rule selection, another key
    (root / ".nexus-lint.toml").unlink()
    assert codes_of(cli, root) == []


def test_changing_an_included_gitlab_file_is_seen(cli, tmp_path):
    root = small_repo(tmp_path / "r", {
        ".gitlab-ci.yml": "include:\n  - local: ci/jobs.yml\nvariables:\n  BASE: alpine:3.19\n",
        "ci/jobs.yml": "build:\n  image: $BASE\n  script: [make]\n",
    })
    assert (".gitlab-ci.yml", "NX101", 4) in codes_of(cli, root)
    (root / "ci/jobs.yml").write_text(f"build:\n  image: {NEXUS}:8444/library/alpine:3.19\n  script: [make]\n")
    assert [c for c in codes_of(cli, root) if c[0] == ".gitlab-ci.yml"] == []


def test_a_new_file_matching_an_include_glob_is_seen(cli, tmp_path):
    root = small_repo(tmp_path / "r", {
        ".gitlab-ci.yml": "include:\n  - local: ci/*.yml\nvariables:\n  BASE: alpine:3.19\n",
        "ci/a.yml": "lint:\n  script: [make]\n",
    })
    assert [c for c in codes_of(cli, root) if c[0] == ".gitlab-ci.yml"] == []
    (root / "ci/b.yml").write_text("build:\n  image: $BASE\n  script: [make]\n")
    assert (".gitlab-ci.yml", "NX101", 4) in codes_of(cli, root)


def test_changing_a_compose_env_file_is_seen(cli, tmp_path):
    root = small_repo(tmp_path / "r", {
        "docker-compose.yml": "services:\n  app:\n    image: ${REGISTRY:-" + NEXUS + ":8444}/orchestrator/app:1\n",
    })
    assert codes_of(cli, root) == []
    (root / ".env").write_text(f"REGISTRY={NEXUS}:8443\n")
    assert [c[1] for c in codes_of(cli, root)] == ["NX102"]
    (root / ".env").unlink()
    assert codes_of(cli, root) == []


def test_a_scripts_ci_context_follows_the_ci_files(cli, tmp_path):
    script = "#!/bin/sh\ncurl -T dist.tgz https://nexus.dev.cwiq.io/repository/raw-hosted-dev/x.tgz\n"
    root = small_repo(tmp_path / "r", {
        "scripts/upload.sh": script,
        ".gitlab-ci.yml": "upload:\n  script:\n    - ./scripts/upload.sh\n",
    })
    assert ("scripts/upload.sh", "NX301", 2) in codes_of(cli, root)
    (root / ".gitlab-ci.yml").write_text("upload:\n  script:\n    - echo nothing\n")
    assert [c for c in codes_of(cli, root) if c[0] == "scripts/upload.sh"] == []


def test_a_corrupt_cache_is_ignored(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": "FROM alpine:3.19\n"})
    expected = codes_of(cli, root)
    manifests = list((root / CACHE_DIR).glob("results-*.json"))
    assert len(manifests) == 1
    data = json.loads(manifests[0].read_text())
    entry = data["files"]["Dockerfile"]
    entry[1] = {"findings": [{"D": "Finding", "f": {"rule": {"R": "NX101"}, "bogus": 1}}]}
    data["files"]["k8s/app0.yaml"][1] = {"findings": "not a list of findings", "kind": {"D": "os.system"}}
    manifests[0].write_text(json.dumps(data))
    assert codes_of(cli, root) == expected
    manifests[0].write_bytes(b"\x00garbage{")
    assert codes_of(cli, root) == expected
    assert json.loads(manifests[0].read_text())["format"] == FORMAT  # rewritten whole


def test_no_cache_writes_nothing(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": "FROM alpine:3.19\n"})
    codes_of(cli, root, "--no-cache")
    assert not (root / CACHE_DIR).exists()


def test_fix_never_uses_a_cached_result(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": "FROM alpine:3.19\n"})
    codes_of(cli, root)  # cache written for FROM alpine
    (root / "Dockerfile").write_text("FROM redis:7\n")
    assert cli(["check", "--fix", "."], cwd=root).code == 0
    assert (root / "Dockerfile").read_text() == f"FROM {NEXUS}:8444/library/redis:7\n"


def test_the_cache_folder_is_ignored_by_git_and_by_discovery(cli, tmp_path):
    root = small_repo(tmp_path / "r", {"Dockerfile": "FROM alpine:3.19\n"})
    codes_of(cli, root)
    assert (root / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")
    (root / CACHE_DIR / "Dockerfile").write_text("FROM alpine:3.19\n")
    assert [c[0] for c in codes_of(cli, root)] == ["Dockerfile"]


# -- the prefilter -------------------------------------------------------------------

def test_a_binary_file_of_a_known_kind_is_still_nx000_when_skipped(cli, tmp_path, spy):
    write_tree(tmp_path, {"config/blob.yaml": b"\x00\x01\x02\x03 binary \x00 no words here",
                          "scripts/blob.sh": b"\x00\x01\x02\x00"})
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert sorted((f["filename"], f["code"]) for f in json.loads(res.out)) == [
        ("config/blob.yaml", "NX000"), ("scripts/blob.sh", "NX000")]
    assert "config/blob.yaml" not in spy["parsed"]  # decoded, never parsed


def test_the_prefilter_skips_a_file_without_a_token(tmp_path, monkeypatch):
    linter = make_linter()
    kind = linter.classifier.by_path("values.yaml")
    calls = []
    monkeypatch.setattr(type(kind), "extract", lambda self, source, ctx: calls.append(source.path) or ())
    plain = b"replicas: 2\nlabels:\n  tier: web\n"
    assert linter.lint_bytes("values.yaml", plain, kind, "values.yaml").findings == []
    assert calls == []
    linter.lint_bytes("values.yaml", plain + b"image: redis:7\n", kind, "values.yaml")
    assert calls == ["values.yaml"]
    utf16 = "replicas: 2\n".encode("utf-16")  # the tokens are not byte substrings there: parsed
    linter.lint_bytes("values.yaml", utf16, kind, "values.yaml")
    assert calls == ["values.yaml"] * 2


def test_kinds_whose_parse_errors_matter_are_parsed_while_nx000_is_on():
    text = b"[global]\ntimeout = 1\ntimeout = 2\n"  # pip refuses it; no URL in it
    on = make_linter()
    kind = on.classifier.by_path("pip.conf")
    assert [f.rule.id for f in on.lint_bytes("pip.conf", text, kind, "pip.conf").findings] == ["NX000"]
    off = make_linter(ignore=("NX000",))
    assert off._skippable["pip-conf"] and not on._skippable["pip-conf"]


def _findings(linter, name, data):
    kind = linter.classifier.by_path(name)
    if kind is None:
        return None
    r = linter.lint_bytes(name, data, kind, name)
    return [(f.rule.id, f.start, f.end, f.message) for f in r.findings]


def _unfiltered(**kw):
    linter = make_linter(**kw)
    linter._skippable = {k: False for k in linter._skippable}
    return linter


def test_the_prefilter_never_hides_a_finding_of_the_rule_pages():
    """Drift guard: every kind's tokens cover what its extractor reads (with
    NX000 off, every kind with tokens is prefiltered)."""
    filtered, unfiltered = make_linter(ignore=("NX000",)), _unfiltered(ignore=("NX000",))
    for rid, page in sorted(load_pages().items()):
        for ex in page.examples:
            data = ex.code.encode("utf-8")
            assert _findings(filtered, ex.file, data) == _findings(unfiltered, ex.file, data), (rid, ex.file)


def test_the_prefilter_never_hides_a_finding_of_the_generated_repository(repo):
    filtered, unfiltered = make_linter(ignore=("NX000",)), _unfiltered(ignore=("NX000",))
    checked = 0
    for dirpath, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d != ".git"]
        for n in names:
            path = Path(dirpath) / n
            rel = path.relative_to(repo).as_posix()
            data = path.read_bytes()
            got = _findings(filtered, rel, data)
            assert got == _findings(unfiltered, rel, data), rel
            checked += got is not None
    assert checked > 500


def _trigger_words(pattern: str):
    """One text per alternative of a trigger expression (optional parts left out)."""
    import re

    text = re.sub(r"\(\?i:|\\b\(\?:|\(\?:|\)|\\b", "", pattern)
    for alt in text.split("|"):
        alt = re.sub(r"\[[^\]]*\][*?]|.\?", "", alt)  # pip[0-9.]*, g?crane, https?, mvnw?
        if alt:
            yield alt


def test_shell_tokens_cover_the_command_triggers():
    """Every word that makes the command knowledge look at a piece of shell
    (the tool table's triggers, tools.commands.TRIGGER) passes the shell kind's prefilter."""
    from nexus_lint.tools import commands

    kind = make_linter().classifier.by_path("x.sh")
    words = list(_trigger_words(commands.TRIGGER.pattern))
    assert {"docker", "curl", "http://", "pip"} <= set(words)
    for w in words:
        assert kind.wanted(f"echo 1\n{w} x\n".encode()), w


# -- plugins: the quick entry-point scan ---------------------------------------------

def test_the_quick_entry_point_scan_agrees_with_importlib_metadata():
    from importlib.metadata import entry_points as reference

    from nexus_lint.plugins import entry_points

    quick = entry_points("nexus_lint")
    assert quick is not None
    assert [(n, v) for n, v, _ in quick] == [(ep.name, ep.value) for ep in reference(group="nexus_lint")]
