"""The two runs outside the test suite (README "What is guaranteed under bad
input") keep working: a short fuzz run, and the real-world run on a tiny corpus,
including the case where a malformed file is not reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent

CORPUS = {
    "acme__app/Dockerfile": "FROM python:3.11\nRUN pip install requests\n",
    "acme__app/docker-compose.yml": "services:\n  web:\n    image: nginx:1.25\n",
    "acme__app/.github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                          "    container: node:20\n    steps:\n      - run: echo hi\n",
    "acme__app/k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: redis:7\n",
    "acme__app/.gitlab-ci.yml": "build:\n  image: docker:27\n  script:\n    - docker build -t app .\n",
}


def test_a_short_fuzz_run_reports_its_table(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--inputs", "30", "--targets", "shell,kind:dockerfile",
         "--jobs", "1", "--seed", "5", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "60 inputs in" in out.stdout and "0 distinct failure(s)" in out.stdout
    rows = sorted(line.split()[:3] for line in out.stdout.splitlines() if line.startswith(("shell ", "kind:dockerfile ")))
    assert rows == [["kind:dockerfile", "30", "0"], ["shell", "30", "0"]]  # target, inputs, failures


def _realworld(corpus: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "fuzz" / "realworld.py"), str(corpus), "--jobs", "1", *extra],
                          capture_output=True, text=True, timeout=300)


def test_the_real_world_run_checks_every_malformed_file(tmp_path):
    write_tree(tmp_path / "corpus", CORPUS)
    out = _realworld(tmp_path / "corpus")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "real files checked: 5 in 1 corpus folder(s)" in out.stdout
    assert "every malformed file is NX000; no traceback" in out.stdout
    assert "broken/dockerfile" in out.stdout and "binary/compose" in out.stdout


def test_the_real_world_run_fails_when_a_malformed_file_is_not_reported(tmp_path):
    """The same run with a 'malformed' file that is in fact fine: the check must say so."""
    write_tree(tmp_path / "corpus", CORPUS)
    code = (
        "import sys, runpy\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "import corpus\n"
        "corpus.MALFORMED['fine/Dockerfile'] = 'FROM scratch\\n'\n"
        f"sys.argv = ['realworld.py', {str(tmp_path / 'corpus')!r}, '--jobs', '1']\n"
        f"runpy.run_path({str(ROOT / 'fuzz' / 'realworld.py')!r}, run_name='__main__')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "malformed/known/fine/Dockerfile: no NX000" in out.stdout


@pytest.mark.parametrize("line", ["acme/app\tDockerfile\t" + "0" * 40])
def test_fetching_without_a_network_goes_on_with_what_is_there(tmp_path, line):
    """--fetch keeps files already in the corpus folder and does not need the network for them."""
    (tmp_path / "list.tsv").write_text("# repo\tpath\tcommit\n" + line + "\n")
    write_tree(tmp_path / "have", {"acme__app/Dockerfile": CORPUS["acme__app/Dockerfile"]})
    out = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "realworld.py"), "--fetch", str(tmp_path / "list.tsv"),
         "--corpus-dir", str(tmp_path / "have"), "--jobs", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "corpus: 1 of the 1 listed files" in out.stdout
