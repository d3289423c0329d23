"""The memo of CI script-line analyses kept across lints (issue 18,
nexus_lint/kinds/script_memo.py): a file linted after other versions of it
(lines moved, jobs edited) gives exactly the findings it gives with no memo,
the memo is used, and it stays bounded."""

from __future__ import annotations

import random

import pytest

from nexus_lint.kinds import script_memo
from nexus_lint.server.project import Projects, Settings

PUSH = "nexus.shared.cwiq.io:8443"
PULL = "nexus.shared.cwiq.io:8444"

TEXTS = [
    # images, URLs, a credential, a script the pipeline runs
    "variables:\n  REG: " + PUSH + "\n  PIP_INDEX_URL: http://nexus.shared.cwiq.io/repository/pypi/simple\n"
    "build:\n  image: docker:24\n  script:\n    - docker pull nginx:1.25\n    - docker push $REG/app:1\n"
    "    - curl -u admin:s3cr3t-passw0rd https://nexus.shared.cwiq.io/service/rest/v1/status\n"
    "    - pip install --index-url https://nexus.shared.cwiq.io/repository/pypi flask\n    - ./ci/publish.sh\n",
    # a login tied to the pushes of its job's shell session (NX107), a variable set
    # in before_script and used in script, a template extended with other variables
    ".push:\n  before_script:\n    - export TARGET=" + PULL + "/team/app\n    - docker login " + PULL
    + " -u ci --password-stdin < /run/s\n  script:\n    - docker push $TARGET:$TAG\n"
    "a:\n  extends: .push\n  variables:\n    TAG: '1'\nb:\n  extends: .push\n  variables:\n    TAG: '2'\n"
    "  after_script:\n    - docker pull redis:7\n",
    # marker comments in a block scalar, sh -c, a heredoc, a quoted line with escapes
    "job:\n  script:\n    - |\n      # nexus-lint: ignore[NX101]\n      docker pull redis:7\n"
    "      sh -c \"docker pull alpine:3.19 && docker push " + PULL + "/x/y\"\n"
    "      cat <<EOF > /tmp/x\n      http://nexus.shared.cwiq.io/repository/raw/\n      EOF\n"
    "    - \"docker pull \\\"busybox:1\\\"\"  # nexus-lint: ignore[NX101]\n"
    "    - docker pull busybox:2\n",
    # the job's variables after its script (not memoised: analysed where it stands)
    "job:\n  script:\n    - docker push $IMG\n  variables:\n    IMG: " + PULL + "/team/app:1\n",
    # anchors and aliases: one node used as a variable and as a script line
    "variables:\n  CMD: &cmd docker pull ubuntu:22.04\njob:\n  script:\n    - *cmd\n    - eval \"$CMD\"\n",
]


def _view(result):
    if result is None:
        return None
    return sorted((f.rule.id, f.start, f.end, f.message, f.suppressed,
                   None if f.fix is None else tuple((e.start, e.end, e.replacement) for e in f.fix.edits),
                   tuple((r.start, r.end, r.message) for r in f.related)) for f in result.findings)


def _variants(text: str, r: random.Random):
    lines = text.splitlines(keepends=True)
    out = [text, "# a line above everything\n" + text, text + "# and one below\n"]
    for _ in range(6):
        k = r.randrange(len(lines))
        line = lines[k]
        c = r.randrange(len(line))
        out.append("".join(lines[:k]) + line[:c] + r.choice(["x", "1", "é😀"]) + line[c:] + "".join(lines[k + 1:]))
        out.append("".join(lines[:k]) + "# " + line + "".join(lines[k + 1:]))
    return out


@pytest.fixture
def projects(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "ci").mkdir()
    (root / "ci" / "publish.sh").write_text("#!/bin/sh\ndocker pull redis:7\n")
    yield Projects(Settings({}), [str(root)]), str(root / ".gitlab-ci.yml")
    script_memo.clear()
    script_memo.enabled = True


@pytest.mark.parametrize("n", range(len(TEXTS)))
def test_a_warm_memo_gives_the_findings_of_no_memo(projects, n):
    projects, path = projects
    r = random.Random(n)
    versions = _variants(TEXTS[n], r)
    script_memo.enabled = False
    expected = [_view(projects.lint(path, v)[0]) for v in versions]
    assert any(expected), "the texts must give findings"
    script_memo.enabled = True
    script_memo.clear()
    order = list(range(len(versions))) * 2
    r.shuffle(order)
    for i in order:
        assert _view(projects.lint(path, versions[i])[0]) == expected[i], versions[i]
    assert script_memo.stats["hits"] > 0


def test_lines_moved_by_an_edit_above_are_served_from_the_memo(projects):
    projects, path = projects
    text = TEXTS[0]
    projects.lint(path, text)  # seen once: noted
    projects.lint(path, text)  # seen again: kept
    script_memo.stats.update(hits=0, misses=0, unmemoised=0)
    projects.lint(path, text.replace("build:\n", "# typed above the job\nbuild:\n"))
    assert script_memo.stats["misses"] == 0 and script_memo.stats["unmemoised"] == 0
    assert script_memo.stats["hits"] >= 5
    # a line typed above the variables moves their values: the lines naming them are analysed again
    projects.lint(path, "# typed above\n" + text)
    assert script_memo.stats["misses"] == 1


def test_a_line_seen_once_costs_no_analysis_more(projects):
    """The command line sees most lines once: each is analysed once, where it stands."""
    projects, path = projects
    calls = []
    real = script_memo._analyse_from_base
    script_memo._analyse_from_base = lambda *a: calls.append(a) or real(*a)
    try:
        projects.lint(path, TEXTS[0])
        assert calls == []
        projects.lint(path, TEXTS[0])
        assert calls
    finally:
        script_memo._analyse_from_base = real


def test_the_memo_stays_bounded(projects, monkeypatch):
    projects, path = projects
    monkeypatch.setattr(script_memo, "MAX_ENTRIES", 50)
    for i in range(40):
        text = "".join(f"j{k}:\n  script:\n    - docker pull redis:{i}.{k}\n" for k in range(5))
        projects.lint(path, text)
        projects.lint(path, "# moved\n" + text)
    assert script_memo.size()[0] == 50 and len(script_memo._seen) == 50
    monkeypatch.setattr(script_memo, "MAX_KEPT_CHARS", 200)
    text = "".join(f"j{k}:\n  script:\n    - docker pull redis:x.{k}\n" for k in range(5))
    projects.lint(path, text)
    projects.lint(path, text)
    assert 0 < script_memo.size()[1] <= 200
