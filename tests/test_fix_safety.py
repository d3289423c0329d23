"""Fix safety (issue 8, item 3): a fix never damages a file.

Writes are atomic (a failed rename or a process killed mid-write leaves the
old file), keep mode and owner, never go through a symbolic link out of the
repository, never touch a file that failed to parse (whatever rules are
selected) or that changed since it was read, and two ``--fix`` runs at once
on the same tree leave every file whole and correctly fixed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import make_linter, write_tree
from nexus_lint.core.fix import FixRefused, atomic_write

PULL = "nexus.shared.cwiq.io:8444"
BAD = "FROM python:3.11\nRUN docker pull ubuntu:22.04 && docker pull alpine\n"
FIXED = f"FROM {PULL}/library/python:3.11\nRUN docker pull {PULL}/library/ubuntu:22.04 && docker pull {PULL}/library/alpine\n"


def leftovers(folder: Path) -> list:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".nexus-lint-*.tmp"))


def console(args, cwd: Path, env=None, timeout=120) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("nexus-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nexus_lint"]
    return subprocess.Popen(cmd + list(args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})


# -- atomic ------------------------------------------------------------------------------

def test_a_failing_rename_leaves_the_old_file(tmp_path, cli, monkeypatch):
    write_tree(tmp_path, {"Dockerfile": BAD, "b/Dockerfile": BAD})

    def broken_replace(src, dst, *a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    res = cli(["check", "--fix", "."], cwd=tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == BAD
    assert (tmp_path / "b" / "Dockerfile").read_text() == BAD
    assert "Dockerfile: fix not written: No space left on device" in res.err
    assert leftovers(tmp_path) == []
    assert res.code == 1  # the findings are still reported


@pytest.mark.parametrize("crash", [KeyboardInterrupt, SystemExit, MemoryError, OSError])
@pytest.mark.parametrize("where", ["half-written", "before-rename"])
def test_a_crash_mid_write_leaves_the_old_file(tmp_path, monkeypatch, crash, where):
    path = tmp_path / "Dockerfile"
    path.write_text(BAD)
    if where == "half-written":
        real_fdopen = os.fdopen

        class HalfThenCrash:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                raise crash()

        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: HalfThenCrash(real_fdopen(fd, *a, **k)))
    else:
        def crash_instead(*args, **kwargs):
            raise crash()

        monkeypatch.setattr(os, "replace", crash_instead)
    with pytest.raises(crash):
        atomic_write(str(path), FIXED.encode(), expected=BAD.encode())
    monkeypatch.undo()
    assert path.read_text() == BAD
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path):
    """The process dies after writing the temporary file, before the rename."""
    path = tmp_path / "Dockerfile"
    path.write_text(BAD)
    code = textwrap.dedent(f"""
        import os, signal, sys
        sys.argv = ["nexus-lint", "check", "--fix", {str(path)!r}]
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
        from nexus_lint.cli import main
        main(sys.argv[1:])
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=120)
    assert proc.returncode == -9
    assert path.read_text() == BAD  # never a partial file
    # (a temporary file may be left over by a killed process; it is never the file itself)
    assert all(name.startswith(".nexus-lint-") for name in leftovers(tmp_path))


# -- mode, owner, links ------------------------------------------------------------------

def test_mode_is_kept(tmp_path, cli):
    path = tmp_path / "Dockerfile"
    path.write_text(BAD)
    os.chmod(path, 0o751)
    assert cli(["check", "--fix", "Dockerfile"], cwd=tmp_path).code == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o751


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_is_kept(tmp_path, cli):
    path = tmp_path / "Dockerfile"
    path.write_text(BAD)
    os.chown(path, 4321, 4322)
    assert cli(["check", "--fix", "Dockerfile"], cwd=tmp_path).code == 0
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, path.read_text()) == (4321, 4322, FIXED)


def test_a_symlink_inside_the_repository_is_fixed_through(tmp_path, cli):
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path, {"real/Dockerfile": BAD})
    os.symlink("real/Dockerfile", tmp_path / "Dockerfile")
    assert cli(["check", "--fix", "Dockerfile"], cwd=tmp_path).code == 0
    assert os.path.islink(tmp_path / "Dockerfile")  # still a link
    assert (tmp_path / "real" / "Dockerfile").read_text() == FIXED


def test_a_symlink_out_of_the_repository_is_never_written_through(tmp_path, cli):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "Dockerfile"
    outside.parent.mkdir()
    outside.write_text(BAD)
    os.symlink(outside, repo / "Dockerfile")
    res = cli(["check", "--fix", "Dockerfile"], cwd=repo)
    assert "outside the repository; not followed" in res.out
    assert outside.read_text() == BAD
    # and the writer itself refuses, should the link change after it was read
    with pytest.raises(FixRefused, match="outside the repository"):
        atomic_write(str(repo / "Dockerfile"), FIXED.encode(), root=str(repo))
    assert outside.read_text() == BAD and os.path.islink(repo / "Dockerfile")
    assert leftovers(tmp_path) == []


# -- never a file that failed to parse, never one that changed ---------------------------------

BROKEN = "FROM python:3.11\nRUN <<EOF\necho this heredoc never ends\n"


@pytest.mark.parametrize("selection", [[], ["--ignore", "NX000"], ["--select", "NX101"]])
def test_a_file_that_failed_to_parse_is_never_fixed(tmp_path, cli, selection):
    """Also when NX000 is not selected: parse failure is not a matter of rule selection."""
    write_tree(tmp_path, {"Dockerfile": BROKEN})
    cli(["check", "--fix", *selection, "Dockerfile"], cwd=tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == BROKEN
    assert cli(["check", "--diff", *selection, "Dockerfile"], cwd=tmp_path).out == ""


def test_an_unreadable_file_is_never_fixed(tmp_path):
    linter = make_linter(ignore=("NX000",))
    kind = linter.classifier.by_path("Dockerfile")
    result = linter.lint_bytes("Dockerfile", b"\x00\x01binary FROM python", kind, "Dockerfile")
    assert result.findings == [] and result.parse_failed
    assert linter.fix(result, kind, "Dockerfile", True) is result


def test_a_fix_that_breaks_parsing_is_dropped_even_with_nx000_ignored(tmp_path):
    """The re-lint after a fix judges parse failure itself, not through NX000's selection."""
    from nexus_lint.hookspecs import hookimpl
    from nexus_lint.core.model import ERROR, SAFE, Edit, Fix, RuleMeta
    from nexus_lint.checks.base import Check

    rule = RuleMeta("NX991", "breaker", ERROR, SAFE, "test rule whose fix breaks the file")

    def run(ctx):
        for img in ctx.facts.images:
            s, e = img.use
            ctx.report(rule, s, e, "break it", Fix((Edit(0, 0, "RUN <<EOF\n"),), SAFE, "unterminated heredoc"))

    class Plugin:
        @hookimpl
        def nexus_lint_rules(self):
            return [Check((rule,), run, "breaker")]

    linter = make_linter(plugins=[Plugin()], ignore=("NX000",))
    kind = linter.classifier.by_path("Dockerfile")
    result = linter.lint_bytes("Dockerfile", b"FROM nexus.shared.cwiq.io:8444/library/python:3\n", kind, "Dockerfile")
    fixed = linter.fix(result, kind, "Dockerfile", False)
    assert fixed.fixed_text is None
    assert fixed.dropped_fixes == ["unterminated heredoc"]


def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path, cli, monkeypatch):
    from nexus_lint.pipeline.engine import Linter

    path = tmp_path / "Dockerfile"
    path.write_text(BAD)
    real_fix = Linter.fix

    def fix_while_someone_edits(self, *args, **kwargs):
        out = real_fix(self, *args, **kwargs)
        path.write_text(BAD + "# edited meanwhile\n")
        return out

    monkeypatch.setattr(Linter, "fix", fix_while_someone_edits)
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert "fix not written: the file changed after it was read" in res.err
    assert path.read_text() == BAD + "# edited meanwhile\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_compares_before_replacing(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"new content")
    with pytest.raises(FixRefused, match="changed after it was read"):
        atomic_write(str(path), b"fixed", expected=b"old content")
    assert path.read_bytes() == b"new content"
    atomic_write(str(path), b"fixed", expected=b"new content")
    assert path.read_bytes() == b"fixed"
    assert leftovers(tmp_path) == []


def test_fixing_past_the_time_limit_changes_nothing(tmp_path, monkeypatch):
    import time

    from nexus_lint.pipeline.fix import Fixer

    if not hasattr(__import__("signal"), "setitimer"):
        pytest.skip("no interval timers here")
    linter = make_linter()
    linter.timeout = 0.1
    kind = linter.classifier.by_path("Dockerfile")
    result = linter.lint_bytes("Dockerfile", BAD.encode(), kind, "Dockerfile")
    monkeypatch.setattr(Fixer, "_fix", lambda self, *a: time.sleep(5))
    fixed = linter.fix(result, kind, "Dockerfile", False)
    assert fixed is result and fixed.fixed_text is None
    assert fixed.dropped_fixes == ["fixing took longer than the 0.1 s limit (timeout); nothing applied"]


# -- two --fix runs at once ---------------------------------------------------------------------

def _tree(root: Path, n: int) -> None:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(n):
        files[f"svc{i}/Dockerfile"] = f"# service {i}\n" + BAD + "ENV PIP_INDEX_URL=http://nexus.shared.cwiq.io/repository/pypi-group/simple\n"
        files[f"svc{i}/build.sh"] = "docker pull python:3.11\ndocker push nexus.shared.cwiq.io:8444/orchestrator/s:1\n" * 3
        files[f"svc{i}/.gitlab-ci.yml"] = "job:\n  image: python:3.11\n  script: [docker pull node:20]\n"
    write_tree(root, files)


def test_two_concurrent_fix_runs_never_corrupt_a_file(tmp_path):
    reference = tmp_path / "reference"
    _tree(reference, 30)
    proc = console(["check", "--fix", "--no-cache", "."], reference)
    proc.communicate(timeout=300)
    expected = {p.relative_to(reference): p.read_bytes() for p in reference.rglob("*") if p.is_file()}
    assert any(b"nexus.shared.cwiq.io:8444/library/python" in v for v in expected.values())

    for round_ in range(3):
        tree = tmp_path / f"round{round_}"
        _tree(tree, 30)
        runs = [console(["check", "--fix", "--no-cache", "--jobs", "1" if k else "2", "."], tree) for k in range(2)]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode in (0, 1), err.decode()
            assert b"Traceback" not in err
            # a run that lost the race says so instead of overwriting
            for line in err.decode().splitlines():
                assert "the file changed after it was read" in line, line
        got = {p.relative_to(tree): p.read_bytes() for p in tree.rglob("*") if p.is_file()}
        assert got == expected  # every file whole, and fixed exactly as one run fixes it
        assert leftovers(tree) == []
        shutil.rmtree(tree)
