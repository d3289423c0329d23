"""Hostile and odd inputs (issue 8, items 2 and 4).

Each one ends in an NX000 finding that says why, or in a documented skip
(README "What is guaranteed under bad input"), within bounded time and memory,
and every other file of the run is still checked.  Most cases live in one tree
linted once by the real console script in a separate process with a memory
cap and a timeout, so a hang or a blow-up fails the test instead of the suite.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import make_linter, write_tree
from corpus import MALFORMED, PNG

PULL = "nexus.shared.cwiq.io:8444"
BAD = "FROM python:3.11\n"  # NX101 at 1:6: the file every run must still check
MEMORY_CAP = 2 * 1024 ** 3  # address space of the linter process
RUN_TIMEOUT = 180  # seconds: generous, for a loaded CI machine; the point is "it ends"

needs_posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


def run_cli(args, cwd: Path, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    """The console script in its own process, with a memory cap and a timeout."""
    exe = Path(sys.executable).with_name("nexus-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nexus_lint"]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(cmd + list(args), cwd=cwd, capture_output=True, env=env, timeout=timeout,
                          preexec_fn=limit if os.name == "posix" else None)


def findings_by_file(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return by_file(proc.stdout)


def by_file(report) -> dict:
    """A JSON report's findings, by file name."""
    out: dict = {}
    for f in json.loads(report):
        out.setdefault(f["filename"], []).append(f)
    return out


def nx000(findings: list) -> str:
    msgs = [f["message"] for f in findings if f["code"] == "NX000"]
    assert len(msgs) == 1, findings
    return msgs[0]


def git_repo(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    return root


# -- the hostile tree --------------------------------------------------------------------



def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 30):
        p = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([p] * 9)}]")
    return "\n".join(lines) + "\n"


def _merge_bomb() -> str:
    lines = ["x0: &x0 {image: python:3.11, script: [docker pull ubuntu]}"]
    for i in range(1, 40):
        lines.append(f"x{i}: &x{i} {{<<: [*x{i - 1}, *x{i - 1}], stage: s{i}}}")
    lines.append("job:\n  extends: x39\n  <<: *x39\n  script: [docker pull alpine]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    # binary files with known names
    "binary/Dockerfile": PNG,
    "binary/.gitlab-ci.yml": PNG,
    "binary/package.json": PNG,
    "binary/build.sh": b"\x7fELF\x02\x01\x01\x00" + bytes(200),
    # NUL bytes in text
    "nul/Dockerfile": b"FROM python:3.11\n\x00\nRUN echo\n",
    # invalid UTF-8 full of control bytes: not text
    "controls/Dockerfile": b"FROM \xff\xfe\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12" * 20,
    # undecodable UTF-16 (odd length after a BOM)
    "utf16bad/Dockerfile": codecs.BOM_UTF16_LE + "FROM python".encode("utf-16-le") + b"\x00",
    # deeply nested YAML and alias bombs
    "deep/.gitlab-ci.yml": "a: " + "[" * 20000 + "]" * 20000 + "\n",
    "deep/k8s.yaml": "apiVersion: v1\nkind: Pod\nspec: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    "bomb/.gitlab-ci.yml": _alias_bomb() + "job:\n  image: python:3.11\n  script: [*a29]\n",
    "bomb/compose.yml": _alias_bomb() + "services:\n  a:\n    image: python:3.11\n    command: *a29\n",
    "bomb/.github/workflows/ci.yml": _alias_bomb() + "jobs:\n  b:\n    runs-on: x\n    container: python:3.11\n",
    "merge/.gitlab-ci.yml": _merge_bomb(),
    # a Dockerfile with 10,000 continuation lines, a script with 500 nested $(
    "cont/Dockerfile": "FROM python:3.11\nRUN echo \\\n" + "  a \\\n" * 10000 + "  done\n",
    "nested/build.sh": "echo " + "$(" * 500 + "docker pull ubuntu:22.04" + ")" * 500 + "\n",
    "nested/Dockerfile": "FROM scratch\nRUN echo " + "$(" * 500 + "docker pull ubuntu:22.04" + ")" * 500 + "\n",
    # a 1 MB single line, 100,000 lines
    "longline/Dockerfile": "FROM python:3.11 " + "a" * 1_000_000 + "\n",
    "longline/.gitlab-ci.yml": "job:\n  image: python:3.11\n  script: [\"echo " + "a" * 1_000_000 + "\"]\n",
    "longline/requirements.txt": "--index-url http://nexus.shared.cwiq.io/repository/pypi-group/simple " + " " * 1_000_000 + "\n",
    "longline/run.sh": "docker pull python:3.11 " + "'" + "x" * 1_000_000 + "'\n",
    "many/.gitlab-ci.yml": "".join(f"job{i}:\n  script: [echo {i}]\n" for i in range(33_333)) + "z:\n  image: python:3.11\n",
    "many/run.sh": "echo hi\n" * 100_000 + "docker pull python:3.11\n",
    "many/Dockerfile": "FROM python:3.11\n" + "RUN echo hi\n" * 100_000,
    # pathological regex inputs inside files
    "regex/Dockerfile": "FROM python:3.11\n# nexus-lint: ignore[" + " " * 60_000 + "\n",  # (BuildKit: lines < 64 KiB)
    "regex/requirements.txt": "-i https://nexus.shared.cwiq.io/repository/pypi-group/simple" + " " * 100_000 + "x\n",
    "regex/run.sh": "curl https://nexus.shared.cwiq.io/repository/raw-group/x" + ")" * 100_000 + "\n",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One tree of hostile files (plus links, a FIFO, a socket), linted once."""
    root = git_repo(tmp_path_factory.mktemp("hostile") / "repo")
    write_tree(root, HOSTILE)
    write_tree(root, {"ok/Dockerfile": BAD, "ok/inside/Dockerfile": BAD})
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text(BAD)
    links = root / "links"
    links.mkdir()
    os.symlink(outside / "Dockerfile", links / "Dockerfile")  # out of the repository: not followed
    os.symlink("../ok/inside/Dockerfile", links / "inside.Dockerfile")  # inside: followed
    os.symlink("loop.Dockerfile", links / "loop.Dockerfile")  # a loop
    os.symlink("a.Dockerfile", links / "b.Dockerfile")
    os.symlink("b.Dockerfile", links / "a.Dockerfile")
    os.symlink("missing", links / "dangling.Dockerfile")
    os.symlink("..", links / "up")  # a folder loop: never walked
    os.symlink(str(outside), links / "outside-folder")  # a folder out of the repository: never walked
    os.mkdir(links / "dir")
    os.symlink("dir", links / "Containerfile")  # a folder by a known name
    special = root / "special"
    special.mkdir()
    sock = None
    if os.name == "posix":
        os.mkfifo(special / "Dockerfile")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(special / "compose.yml"))
        os.mkfifo(special / "deploy")  # extensionless: its kind would come from a shebang
    started = time.monotonic()
    proc = run_cli(["check", "--format", "json", "--no-cache", "."], cwd=root)
    elapsed = time.monotonic() - started
    if sock is not None:
        sock.close()
    return findings_by_file(proc), elapsed, proc


def test_every_other_file_is_still_checked(hostile):
    found, elapsed, _ = hostile
    for name in ("ok/Dockerfile", "ok/inside/Dockerfile", "links/inside.Dockerfile"):
        assert [f["code"] for f in found[name]] == ["NX101"], found.get(name)
    assert elapsed < RUN_TIMEOUT


@pytest.mark.parametrize("name", ["binary/Dockerfile", "binary/.gitlab-ci.yml", "binary/package.json",
                                  "binary/build.sh", "nul/Dockerfile", "controls/Dockerfile"])
def test_binary_files_with_known_names_are_nx000(hostile, name):
    assert "binary file" in nx000(hostile[0][name])


def test_undecodable_utf16_is_nx000(hostile):
    assert "not valid utf-16-le text" in nx000(hostile[0]["utf16bad/Dockerfile"])


def test_deeply_nested_yaml_is_nx000(hostile):
    assert "nesting" in nx000(hostile[0]["deep/.gitlab-ci.yml"])
    assert "nesting" in nx000(hostile[0]["deep/k8s.yaml"])


@pytest.mark.parametrize("name", ["bomb/.gitlab-ci.yml", "bomb/compose.yml", "bomb/.github/workflows/ci.yml"])
def test_alias_bombs_cost_nothing(hostile, name):
    codes = [f["code"] for f in hostile[0][name]]
    assert "NX101" in codes and "NX000" not in codes, hostile[0][name]


def test_merge_key_bomb_is_bounded(hostile):
    codes = {f["code"] for f in hostile[0]["merge/.gitlab-ci.yml"]}
    assert "NX101" in codes  # the images of the merged jobs are still seen


def test_ten_thousand_continuation_lines(hostile):
    f = hostile[0]["cont/Dockerfile"]
    assert [(x["code"], x["location"]["row"]) for x in f] == [("NX101", 1)]


@pytest.mark.parametrize("name", ["nested/build.sh", "nested/Dockerfile"])
def test_five_hundred_nested_command_substitutions(hostile, name):
    codes = [f["code"] for f in hostile[0][name]]
    # the docker pull at the bottom is found, or the analysis says it stopped
    assert codes == ["NX101"] or "too" in nx000(hostile[0][name]), hostile[0][name]


def test_one_megabyte_single_line(hostile):
    found = hostile[0]
    assert "line greater than max allowed size" in nx000(found["longline/Dockerfile"])  # BuildKit's own limit
    assert [f["code"] for f in found["longline/.gitlab-ci.yml"]] == ["NX101"]
    assert "NX202" in [f["code"] for f in found["longline/requirements.txt"]]
    assert "NX101" in [f["code"] for f in found["longline/run.sh"]]


def test_hundred_thousand_lines(hostile):
    found = hostile[0]
    assert [f["code"] for f in found["many/.gitlab-ci.yml"]] == ["NX101"]
    assert [f["code"] for f in found["many/Dockerfile"]] == ["NX101"]
    run = found["many/run.sh"]
    # found, or the analysis budget says it stopped early: never silent
    assert [f["code"] for f in run] == ["NX101"] or "analysis stopped early" in nx000(run), run


def test_regex_traps_in_files(hostile):
    found = hostile[0]
    assert [f["code"] for f in found["regex/Dockerfile"]] == ["NX101"]
    assert "regex/requirements.txt" not in found or "NX000" not in {f["code"] for f in found["regex/requirements.txt"]}
    assert "NX202" not in {f["code"] for f in found.get("regex/run.sh", [])}


def test_symlink_out_of_the_repository_is_not_followed(hostile):
    msg = nx000(hostile[0]["links/Dockerfile"])
    assert "outside the repository; not followed" in msg


@pytest.mark.parametrize("name", ["links/loop.Dockerfile", "links/a.Dockerfile", "links/b.Dockerfile"])
def test_symlink_loops_are_nx000(hostile, name):
    assert "symbolic link loop" in nx000(hostile[0][name])


def test_dangling_symlink_is_nx000(hostile):
    assert "symbolic link to a missing file" in nx000(hostile[0]["links/dangling.Dockerfile"])


def test_symlinked_folders_are_not_walked(hostile):
    # neither the loop (links/up -> ..) nor the folder outside the repository
    assert not any(name.startswith(("links/up/", "links/outside-folder/")) for name in hostile[0])


def test_a_folder_by_a_known_name_is_nx000(hostile):
    assert "not a regular file (a folder)" in nx000(hostile[0]["links/Containerfile"])


@needs_posix
def test_fifo_and_socket_are_nx000_and_never_opened_for_reading(hostile):
    found = hostile[0]
    assert "not a regular file (a named pipe)" in nx000(found["special/Dockerfile"])
    assert "not a regular file (a socket)" in nx000(found["special/compose.yml"])
    assert "special/deploy" not in found  # no name says its kind, and a FIFO has no shebang to read


# -- a folder of malformed files: one run, every one of them NX000 ---------------------------



def test_a_folder_of_malformed_files_is_all_nx000(tmp_path):
    git_repo(tmp_path)
    write_tree(tmp_path, MALFORMED)
    write_tree(tmp_path, {"ok/Dockerfile": BAD})
    proc = run_cli(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path)
    assert proc.returncode == 1
    found = findings_by_file(proc)
    for name in MALFORMED:
        assert nx000(found.get(name, [])), name
    assert [f["code"] for f in found["ok/Dockerfile"]] == ["NX101"]


# -- encodings: read, reported at the right column, fixed byte for byte --------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "latin-1"])
def test_other_encodings_are_read_and_fixed_in_place(tmp_path, cli, encoding):
    text = "# café\nFROM python:3.11\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (tmp_path / "Dockerfile").write_bytes(data)
    res = cli(["check", "--format", "json", "Dockerfile"], cwd=tmp_path)
    [f] = json.loads(res.out)
    assert (f["code"], f["location"]) == ("NX101", {"row": 2, "column": 6})
    assert cli(["check", "--fix", "Dockerfile"], cwd=tmp_path).code == 0
    fixed = text.replace("python", f"{PULL}/library/python")
    expected = fixed.encode(encoding)
    if encoding == "utf-16-be":
        expected = codecs.BOM_UTF16_BE + expected
    assert (tmp_path / "Dockerfile").read_bytes() == expected


def test_invalid_utf8_text_is_read_as_latin1(tmp_path, cli):
    (tmp_path / "Dockerfile").write_bytes(b"# caf\xe9 \xff\nFROM python:3.11\n")
    res = cli(["check", "--fix", "Dockerfile"], cwd=tmp_path)
    assert res.code == 0
    assert (tmp_path / "Dockerfile").read_bytes() == f"# caf\xe9 \xff\nFROM {PULL}/library/python:3.11\n".encode("latin-1")


# -- resource bounds: size and time limits, configurable --------------------------------------

def test_a_50_mb_file_is_not_read(tmp_path):
    """Over the default 10 MiB limit: NX000 from its size alone, in no time."""
    git_repo(tmp_path)
    big = tmp_path / "big" / "Dockerfile"
    big.parent.mkdir()
    with open(big, "wb") as fh:
        line = b"RUN echo " + b"x" * 90 + b"\n"
        chunk = line * 10_000  # 1 MB
        for _ in range(50):
            fh.write(chunk)
    write_tree(tmp_path, {"ok/Dockerfile": BAD})
    started = time.monotonic()
    found = findings_by_file(run_cli(["check", "--format", "json", "."], cwd=tmp_path))
    assert time.monotonic() - started < RUN_TIMEOUT
    assert nx000(found["big/Dockerfile"]) == "file is larger than the 10 MiB limit (max-file-size); not checked"
    assert [f["code"] for f in found["ok/Dockerfile"]] == ["NX101"]


def test_max_file_size_is_configurable(tmp_path, cli):
    write_tree(tmp_path, {
        ".nexus-lint.toml": 'max-file-size = "1KiB"\n',
        "a/Dockerfile": BAD + "# " + "x" * 2000 + "\n",
        "b/Dockerfile": BAD,
    })
    found = by_file(cli(["check", "--format", "json", "."], cwd=tmp_path).out)
    assert nx000(found["a/Dockerfile"]) == "file is larger than the 1 KiB limit (max-file-size); not checked"
    assert [f["code"] for f in found["b/Dockerfile"]] == ["NX101"]


@pytest.mark.parametrize("table,message", [
    ('max-file-size = 0', "max-file-size must be a positive number of bytes"),
    ('max-file-size = "lots"', "max-file-size must be a positive number of bytes"),
    ('timeout = -1', "timeout must be a number of seconds"),
    ('timeout = "1s"', "timeout must be a number of seconds"),
    ('timeout = nan', "timeout must be a number of seconds"),
])
def test_bad_limits_are_config_errors(tmp_path, cli, table, message):
    write_tree(tmp_path, {".nexus-lint.toml": table + "\n", "Dockerfile": BAD})
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 2 and message in res.err


@needs_posix
def test_time_limit_per_file(tmp_path):
    """A file whose analysis runs past ``timeout`` is NX000; the files around it are checked."""
    git_repo(tmp_path)
    write_tree(tmp_path, {
        ".nexus-lint.toml": "timeout = 1\n",
        "Dockerfile": BAD,
        # about six seconds of shell analysis: 1 MB of words
        "slow.sh": "echo " + "!reference [a, b] " * 60_000 + "\ndocker pull python:3.11\n",
        "zz.sh": "docker pull python:3.11\n",
    })
    started = time.monotonic()
    found = findings_by_file(run_cli(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path))
    assert time.monotonic() - started < RUN_TIMEOUT
    assert nx000(found["slow.sh"]) == "analysis took longer than the 1 s limit (timeout); not checked"
    assert [f["code"] for f in found["Dockerfile"]] == ["NX101"]
    assert [f["code"] for f in found["zz.sh"]] == ["NX101"]


def test_time_limit_zero_means_none(tmp_path, cli):
    write_tree(tmp_path, {".nexus-lint.toml": "timeout = 0\n", "Dockerfile": BAD})
    assert [f["code"] for f in json.loads(cli(["check", "--format", "json", "."], cwd=tmp_path).out)] == ["NX101"]


def test_time_limit_restores_an_outer_timer():
    from nexus_lint.core.limits import FileTimeout, time_limit

    if not hasattr(__import__("signal"), "setitimer"):
        pytest.skip("no interval timers here")
    with pytest.raises(FileTimeout):
        with time_limit(0.05):
            with time_limit(10):
                pass  # an inner limit that ends in time leaves the outer one running
            time.sleep(1)


# -- regexes stay linear on long runs of the characters they repeat on -----------------------

ADVERSARIAL = {
    "url finder, closing brackets": "from nexus_lint.values.urls import find_urls as f; f('https://x/' + ')' * N)",
    "url finder, mixed brackets": "from nexus_lint.values.urls import find_urls as f; f('https://x/' + ')]}.' * N)",
    "url finder, repeated schemes": "from nexus_lint.values.urls import find_urls as f; f('http://' * N)",
    "url parser, long host": "from nexus_lint.values.urls import parse_url as f; f('http://' + 'a' * N + ':1')",
    "url parser, at signs": "from nexus_lint.values.urls import parse_url as f; f('http://' + '@' * N)",
    "image reference, name": "from nexus_lint.values.imageref import parse_any as f, ImageRefError as E\n"
                             "try: f('a' * N + '!')\nexcept E: pass",
    "image reference, separators": "from nexus_lint.values.imageref import parse_normalized as f, ImageRefError as E\n"
                                   "for u in ('a-', 'a.', 'a_', 'a__', 'a/', 'a.a/', '0'):\n"
                                   "    try: f(u * (N // len(u)) + '!')\n    except E: pass",
    "image reference, domain and port": "from nexus_lint.values.imageref import parse_normalized as f, ImageRefError as E\n"
                                        "try: f('a.' * (N // 2) + ':' + '1' * 10 + '/x')\nexcept E: pass",
    "suppression marker, spaces": "from nexus_lint.core.suppress import parse_marker as f; f('nexus-lint: ignore[' + ' ' * N)",
    "suppression marker, ids": "from nexus_lint.core.suppress import parse_marker as f; f('nexus-lint: ignore[' + 'NX101,' * (N // 6))",
    "suppression marker, repeated": "from nexus_lint.core.suppress import parse_marker as f; f('nexus-lint: ignore[' * (N // 19))",
    "requirement comment, spaces": "from nexus_lint.lang.requirements import _REQ_COMMENT as r; r.search(' ' * N + 'x')",
    "requirement file, spaces": "from conftest import lint; lint('-i https://x/simple' + ' ' * N + 'x\\n', 'requirements.txt')",
    "dockerfile flags": "from conftest import lint; lint('FROM x\\nCOPY ' + '--a=\"' * (N // 5) + '\\n')",
    "yaml suppression scan": "from conftest import lint; lint('a: b  # nexus-lint: ignore[' + ' ' * N + '\\n', '.gitlab-ci.yml')",
    # found by fuzz/run.py: each pipeline stage looked itself up among all the stages
    "shell pipeline": "from nexus_lint.lang.shell import analyse; from nexus_lint.core.sourced import SourcedStr\n"
                      "analyse(SourcedStr.literal('a |' * (N // 3) + ' b', 0))",
    # found by fuzz/run.py: the words split from one long `${...}` share its raw text,
    # and each image word measured all of it again
    "split expansion": "from conftest import lint; lint('docker pull ${D' + 'nexus-lint: ignore[' * (3 * N // 19) + '/a/b}\\n', 'run.sh')",
    "shell pipeline, dashes": "from nexus_lint.lang.shell import analyse; from nexus_lint.core.sourced import SourcedStr\n"
                              "analyse(SourcedStr.literal('|-' * (N // 2), 0))",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_regexes_stay_linear_on_100k_character_inputs(name):
    """100,000 characters must take well under a second when linear; a quadratic
    pattern takes minutes.  The bound is a generous subprocess timeout, not a
    timed assertion."""
    code = "import sys; sys.path.insert(0, {tests!r}); N = 100_000\n{body}\n".format(
        tests=str(Path(__file__).parent), body=ADVERSARIAL[name])
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_forty_thousand_fixes_in_one_file(tmp_path):
    """Found by fuzz/run.py: choosing fixes compared each with every one chosen
    before (40,000 fixes: over a minute); now a sorted search. The bound is the
    subprocess timeout."""
    git_repo(tmp_path)
    write_tree(tmp_path, {"Dockerfile": "FROM scratch\n" + "COPY --from=alpine:3.19 /a /b\n" * 40_000})
    proc = run_cli(["check", "--fix", "--no-cache", "Dockerfile"], cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stdout[-500:]
    lines = (tmp_path / "Dockerfile").read_text().splitlines()
    assert len(lines) == 40_001
    assert set(lines[1:]) == {f"COPY --from={PULL}/library/alpine:3.19 /a /b"}


# -- native crashes found by fuzz/run.py: each in a process of its own ----------------------

def test_shell_parser_never_sees_characters_that_crash_it():
    """tree-sitter-bash hands the code point after ``{`` to ``isdigit``, which reads
    outside its table above U+00FF and kills the process now and then
    (tree-sitter-bash #337); the analyser gives it no such character."""
    code = textwrap.dedent("""
        from nexus_lint.lang.shell import analyse
        from nexus_lint.core.sourced import SourcedStr
        for prefix in ("{..", "{", " {..", "{..1", "echo {a,", "x={..", "${"):
            for cp in list(range(0x30000, 0x110000, 0x8011)) + [0xE6F37, 0x31860, 0x10FFFF, 0x1F600, 0x2028]:
                text = prefix + chr(cp)
                a = analyse(SourcedStr.literal(text + " docker pull x", 0))
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert proc.returncode == 0 and proc.stdout.strip() == b"ok", (proc.returncode, proc.stderr[-2000:])


def test_non_latin1_text_keeps_its_offsets_through_the_shell_parser():
    from conftest import lint

    text = "echo '😀 ü ✓' {..\U000e6f37} && docker pull python:3.11\n"
    [f] = lint(text, "run.sh")
    assert (f.rule.id, f.line, f.column) == ("NX101", 1, text.index("python") + 1)


NEXUS_URL = 'URL = "https://nexus.shared.cwiq.io/repository/raw-hosted/x"\n'  # worth parsing


@pytest.mark.parametrize("name,text", [
    ("brackets", NEXUS_URL + "x = " + "[" * 3000 + "\n"),
    ("calls", NEXUS_URL + "x = " + "f(" * 1500 + ")" * 1500 + "\n"),
    ("attributes", NEXUS_URL + "x = requests" + ".b" * 20000 + "\n"),
    ("operators", NEXUS_URL + "x = 1" + " + 1" * 50000 + "\n"),
    ("new syntax then a chain", NEXUS_URL + "type X = int\nx = a" + ".b" * 20000 + "\n"),
])
def test_python_too_deep_for_the_parser_is_nx000_not_a_crash(tmp_path, name, text):
    """libcst's native parser recurses on the C stack (SIGSEGV at 1,500 nested
    brackets) and is quadratic on long operator chains: such files, which
    CPython rejects too, never reach it."""
    git_repo(tmp_path)
    write_tree(tmp_path, {"deep.py": text, "ok/Dockerfile": BAD})
    found = findings_by_file(run_cli(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path, timeout=120))
    assert nx000(found["deep.py"]).startswith("not valid Python: ")
    assert [f["code"] for f in found["ok/Dockerfile"]] == ["NX101"]


@pytest.mark.parametrize("literal", ['"sta\\us"', '"a\x00b"', "'\\N{NOT A NAME}'", "'\\x4'"])
def test_python_string_literals_cpython_rejects_are_nx000(literal):
    """libcst reads them; evaluating them raises SyntaxError: not an internal error."""
    from nexus_lint.kinds.python_facts import analyse

    text = NEXUS_URL + "import os, requests\nx = os.environ[" + literal + "]\nrequests.get({" + literal + ": 1})\n"
    problem = analyse(text).problem
    assert problem is not None and problem.message.startswith("not valid Python"), problem


# -- cases that need a hand in the middle of the run ---------------------------------------

def test_unreadable_file_is_nx000(tmp_path, cli, monkeypatch):
    """(The tests run as root, for whom chmod 000 changes nothing: the refusal is simulated.)"""
    write_tree(tmp_path, {"a/Dockerfile": BAD, "b/Dockerfile": BAD})
    secret = str(tmp_path / "a" / "Dockerfile")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.fspath(path) == secret:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    found = by_file(cli(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path).out)
    assert nx000(found["a/Dockerfile"]) == "cannot read file: Permission denied"
    assert [f["code"] for f in found["b/Dockerfile"]] == ["NX101"]


def test_unlistable_folder_is_reported(tmp_path, cli, monkeypatch):
    write_tree(tmp_path, {"locked/Dockerfile": BAD, "open/Dockerfile": BAD})
    locked = str(tmp_path / "locked")
    real_scandir = os.scandir

    def deny(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    res = cli(["check", "--no-cache", "."], cwd=tmp_path)
    assert "cannot list locked: Permission denied; its files are not checked" in res.err
    assert "open/Dockerfile:1:6: NX101" in res.out


def test_file_removed_between_discovery_and_reading(tmp_path, cli, monkeypatch):
    import nexus_lint.pipeline.discovery as discovery

    write_tree(tmp_path, {"gone/Dockerfile": BAD, "kept/Dockerfile": BAD})
    real = discovery.discover

    def discover_then_delete(*args, **kwargs):
        found = list(real(*args, **kwargs))
        os.unlink(tmp_path / "gone" / "Dockerfile")
        return iter(found)

    monkeypatch.setattr(discovery, "discover", discover_then_delete)
    found = by_file(cli(["check", "--format", "json", "--no-cache", "."], cwd=tmp_path).out)
    assert nx000(found["gone/Dockerfile"]) == "file disappeared before it could be read; not checked"
    assert [f["code"] for f in found["kept/Dockerfile"]] == ["NX101"]


@needs_posix
def test_file_swapped_for_a_fifo_after_the_check_is_not_read(tmp_path):
    """The checks are made on the opened descriptor: a FIFO never blocks the read."""
    from nexus_lint.core.source import Unreadable, read_file

    path = tmp_path / "Dockerfile"
    os.mkfifo(path)
    started = time.monotonic()
    with pytest.raises(Unreadable, match="named pipe"):
        read_file(str(path), 1024)
    assert time.monotonic() - started < 5


@needs_posix
def test_fifos_read_on_the_side_do_not_hang(tmp_path):
    """Files read besides the checked ones: the CI files a script's CI context
    comes from, and a compose file's ``.env`` (for the result cache)."""
    git_repo(tmp_path)
    os.mkfifo(tmp_path / ".gitlab-ci.yml")
    os.mkfifo(tmp_path / ".env")
    files = {f"s{i}/Dockerfile": BAD for i in range(25)}  # enough files for the cache
    files.update({"run.sh": "docker pull python:3.11\n", "compose.yml": "services:\n  a:\n    image: python:3.11\n"})
    write_tree(tmp_path, files)
    for args in (["run.sh"], ["."]):
        found = findings_by_file(run_cli(["check", "--format", "json", *args], cwd=tmp_path, timeout=120))
        assert [f["code"] for f in found["run.sh"]] == ["NX101"]
    assert [f["code"] for f in found["compose.yml"]] == ["NX101"]
    assert "named pipe" in nx000(found[".gitlab-ci.yml"])


@needs_posix
def test_explicit_fifo_with_a_shebang_name_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "deploy")
    write_tree(tmp_path, {"Dockerfile": BAD})
    proc = run_cli(["check", "--format", "json", "deploy", "Dockerfile"], cwd=tmp_path, timeout=60)
    assert [f["code"] for f in json.loads(proc.stdout)] == ["NX101"]


def test_many_files_with_hostile_ones_in_parallel(tmp_path):
    """The process-pool path (many files) keeps the same promises."""
    git_repo(tmp_path)
    files = {f"svc{i}/Dockerfile": BAD for i in range(60)}
    files.update({"bin/Dockerfile": PNG, "deep/.gitlab-ci.yml": "a: " + "[" * 20000 + "]" * 20000 + "\n"})
    write_tree(tmp_path, files)
    os.symlink("loop.Dockerfile", tmp_path / "loop.Dockerfile")
    found = findings_by_file(run_cli(["check", "--format", "json", "--no-cache", "--jobs", "2", "."], cwd=tmp_path))
    assert all([f["code"] for f in found[f"svc{i}/Dockerfile"]] == ["NX101"] for i in range(60))
    assert "binary file" in nx000(found["bin/Dockerfile"])
    assert "nesting" in nx000(found["deep/.gitlab-ci.yml"])
    assert "symbolic link loop" in nx000(found["loop.Dockerfile"])


def test_internal_error_in_an_extractor_is_nx000_and_the_run_goes_on(tmp_path, cli):
    """The last line of defence: a crashing extractor (a bug) is NX000 for its file."""
    from nexus_lint.hookspecs import hookimpl
    from nexus_lint.kinds.base import FileKind

    def boom(source, context):
        raise ValueError("bug")

    class Plugin:
        @hookimpl
        def nexus_lint_file_kinds(self):
            return [FileKind(name="boom", names=("boom.txt",), extractor=boom, priority=99)]

    linter = make_linter(plugins=[Plugin()])
    kind = linter.classifier.by_path("boom.txt")
    result = linter.lint_bytes("boom.txt", b"x", kind, "boom.txt")
    assert [f.message for f in result.findings] == ["internal error in the boom reader (ValueError); please report it"]
    assert result.parse_failed


def test_read_file_reasons(tmp_path):
    from nexus_lint.core.source import Unreadable, read_file

    (tmp_path / "big").write_bytes(b"x" * 2048)
    with pytest.raises(Unreadable, match=r"larger than the 1 KiB limit"):
        read_file(str(tmp_path / "big"), 1024)
    with pytest.raises(Unreadable, match="disappeared"):
        read_file(str(tmp_path / "nothing"), 1024)
    os.symlink(tmp_path / "big", tmp_path / "link")
    assert read_file(str(tmp_path / "link"), 4096, root=str(tmp_path)) == b"x" * 2048
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path / "big", tmp_path / "sub" / "link")
    with pytest.raises(Unreadable, match="outside the repository"):
        read_file(str(tmp_path / "sub" / "link"), 4096, root=str(tmp_path / "sub"))
    st = os.stat(tmp_path / "big")
    assert stat.S_ISREG(st.st_mode)


def test_guarantees_are_documented():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "## What is guaranteed under bad input" in readme
    section = readme.split("## What is guaranteed under bad input", 1)[1].split("\n## ", 1)[0]
    for promise in ("NX000", "max-file-size", "timeout", "symbolic link", "FIFO", "atomic", "fuzz/run.py"):
        assert promise in section, promise
