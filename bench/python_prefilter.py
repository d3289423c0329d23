"""What the Python prefilter saves: a tree of ordinary Python files that never
mention Nexus, linted, against just listing them.

    python bench/python_prefilter.py                 # 1,000 generated files, 5 runs
    python bench/python_prefilter.py --files 1000 --runs 7 --stdlib 1000

It generates ``--files`` ordinary modules (imports, dataclasses, functions with
docstrings that link to documentation, ``requests``/``subprocess`` calls to
hosts that are not Nexus) under ``bench/out/python-prefilter/``, reproducibly
from ``--seed``, and times (median of ``--runs``):

- ``list``: walking the tree and ``stat``-ing every file (what any tool pays;
  for the standard-library sample, ``stat`` of the sampled files);
- ``list + read``: the same, reading every file's bytes;
- ``nexus-lint``: ``Linter.lint_many`` on every file (in-process, no cache, one
  process), so the difference to ``list + read`` is what the linter adds;
- ``nexus-lint, no prefilter``: the same with the prefilter switched off, every
  file parsed (the standard library's ``ast``) and analysed (what the prefilter saves; one run);
- ``nexus-lint check`` as a separate process (start-up included), next to
  ``python -c pass``.

With ``--stdlib N`` the same is measured on up to N files of the Python
standard library (real code: the few files that give a credential-like name a
string literal, or mention docker, are parsed).  Results go to ``bench/out/python-prefilter.json`` too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import time
from typing import Callable, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
sys.path.insert(0, ROOT)

WORDS = ("order invoice customer payment report catalog inventory shipment account ledger quote refund cart "
         "price tax discount warehouse carrier route schedule tenant profile notification template export batch "
         "job queue event stream record entry summary metric").split()
LIBS = ["json", "logging", "os", "re", "datetime", "decimal", "itertools", "functools", "collections",
        "dataclasses", "typing", "pathlib", "uuid", "enum", "contextlib", "math", "statistics", "csv",
        "subprocess", "requests", "shutil", "argparse"]


def _module(r: random.Random, i: int) -> str:
    w = lambda: r.choice(WORDS)  # noqa: E731
    lines = [f'"""The {w()} {w()} helpers (module {i}).', "",
             f"See https://docs.python.org/3/library/{r.choice(LIBS)}.html for the details.", '"""', ""]
    for lib in sorted(set(r.sample(LIBS, r.randint(3, 7)))):
        lines.append(f"import {lib}")
    lines += ["", "from dataclasses import dataclass, field", "", ""]
    for _ in range(r.randint(2, 5)):
        cls = w().capitalize() + w().capitalize()
        lines += ["@dataclass", f"class {cls}:", f'    """One {w()} of a {w()}."""', "",
                  f"    {w()}_id: int", f"    {w()}: str = \"\"", "    items: list = field(default_factory=list)", "",
                  "    def total(self) -> float:", f"        return sum(x.get(\"{w()}\", 0) for x in self.items)", "", ""]
    for _ in range(r.randint(4, 12)):
        fn = f"{r.choice(['load', 'save', 'build', 'parse', 'render', 'compute', 'merge', 'fetch'])}_{w()}_{w()}"
        lines += [f"def {fn}(data, limit=100):", f'    """Return the {w()} of ``data`` (at most ``limit``)."""',
                  "    out = []", "    for k, v in sorted(data.items()):",
                  f"        if isinstance(v, dict) and v.get(\"{w()}\"):",
                  f"            out.append((k, v[\"{w()}\"]))", "        elif v is None:", "            continue",
                  "        if len(out) >= limit:", "            break", "    return out", "", ""]
    if r.random() < 0.3:
        lines += ["def fetch_remote(session, name):", f'    url = f"https://api.example.com/v2/{w()}/{{name}}"',
                  "    r = session.get(url, timeout=10)", "    r.raise_for_status()", "    return r.json()", "", ""]
    if r.random() < 0.2:
        lines += ["def run(*args):", '    return subprocess.run(["git", *args], check=True, capture_output=True)', "", ""]
    lines += ['if __name__ == "__main__":', f"    print({r.choice(['load', 'save'])}_{w()}_{w()}({{}}))", ""]
    return "\n".join(lines)


def generate(folder: str, n: int, seed: int) -> List[str]:
    r = random.Random(seed)
    paths = []
    for i in range(n):
        path = os.path.join(folder, f"pkg{i // 50}", f"mod_{i}.py")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_module(r, i))
        paths.append(path)
    return paths


def stdlib_files(n: int, seed: int) -> List[str]:
    lib = sysconfig.get_paths()["stdlib"]
    found = []
    for dirpath, dirnames, filenames in os.walk(lib):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "test", "tests", "idlelib", "__pycache__"))
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    random.Random(seed).shuffle(found)
    return sorted(found[:n])


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def list_files(folder: str, paths: List[str], walk: bool) -> int:
    """Walk ``folder`` and stat every file (``walk``), or stat just ``paths`` (a
    sample of a bigger tree)."""
    n = 0
    if not walk:
        for p in paths:
            os.stat(p)
        return len(paths)
    for dirpath, _, filenames in os.walk(folder):
        for f in filenames:
            os.stat(os.path.join(dirpath, f))
            n += 1
    return n


def read_files(paths: List[str]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as fh:
            total += len(fh.read())
    return total


def measure(label: str, paths: List[str], folder: str, runs: int, walk: bool = True) -> Dict[str, object]:
    from pathlib import Path

    import nexus_lint.kinds.python as extractor
    from nexus_lint.config import Config
    from nexus_lint.pipeline.discovery import Candidate
    from nexus_lint.pipeline.engine import Linter
    from nexus_lint.kinds.base import FileKind
    from nexus_lint.policy import DEFAULT_POLICY

    linter = Linter(Config(root=Path(folder), policy=DEFAULT_POLICY))
    kind = linter.classifier.by_name["python"]
    work = []
    for p in paths:
        rel = os.path.relpath(p, folder).replace(os.sep, "/")
        work.append((Candidate(fs_path=p, display=rel, relpath=rel, explicit=False), kind))
    passing = sum(1 for p in paths if extractor.worth_parsing(open(p, encoding="utf-8", errors="replace").read()))

    def lint():
        return linter.lint_many(work, jobs=1) if hasattr(linter, "lint_many") else [linter.read(c, k) for c, k in work]

    listing = median_time(lambda: list_files(folder, paths, walk), runs)
    reading = median_time(lambda: (list_files(folder, paths, walk), read_files(paths)), runs)
    linted = median_time(lint, runs)
    findings = sum(len(r.findings) for r in lint())

    # the same without the prefilter: every file parsed and analysed
    saved_wanted, saved_worth = FileKind.wanted, extractor.worth_parsing
    FileKind.wanted = lambda self, data: True
    extractor.worth_parsing = lambda text: True
    try:
        import nexus_lint.kinds.python_facts  # noqa: F401  (imported once, outside the timing)

        unfiltered = median_time(lint, 1)  # slow: one run
    finally:
        FileKind.wanted, extractor.worth_parsing = saved_wanted, saved_worth
    return {
        "corpus": label, "files": len(paths), "bytes": sum(os.path.getsize(p) for p in paths),
        "pass_prefilter": passing, "findings": findings,
        "list_s": listing, "list_read_s": reading, "lint_s": linted, "lint_no_prefilter_s": unfiltered,
    }


def process_times(folder: str, runs: int) -> Dict[str, float]:
    exe = os.path.join(os.path.dirname(sys.executable), "nexus-lint")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "nexus_lint"]
    extra = ["--no-cache", "--jobs", "1"]
    probe = subprocess.run(cmd + ["check", "--help"], capture_output=True, text=True)
    extra = [a for a in extra if a.split("=")[0] in probe.stdout or a == "1"]
    if "--jobs" not in extra:
        extra = [a for a in extra if a != "1"]

    def run_check():
        subprocess.run(cmd + ["check", *extra, "."], cwd=folder, capture_output=True)

    def run_list():
        subprocess.run([sys.executable, "-c", "import os\nfor d, _, fs in os.walk('.'):\n    [os.stat(os.path.join(d, f)) for f in fs]"],
                       cwd=folder, capture_output=True)

    return {
        "python_pass_s": median_time(lambda: subprocess.run([sys.executable, "-c", "pass"]), runs),
        "python_list_s": median_time(run_list, runs),
        "nexus_lint_check_s": median_time(run_check, runs),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--stdlib", type=int, default=0, help="also measure N files of the Python standard library")
    args = ap.parse_args()

    folder = os.path.join(OUT, "python-prefilter")
    if os.path.isdir(folder):
        import shutil

        shutil.rmtree(folder)
    paths = generate(folder, args.files, args.seed)
    rows = [measure("generated", paths, folder, args.runs)]
    procs = process_times(folder, args.runs)
    if args.stdlib:
        files = stdlib_files(args.stdlib, args.seed)
        rows.append(measure("stdlib", files, os.path.commonpath(files), args.runs, walk=False))

    print(f"{'corpus':<10} {'files':>6} {'parsed':>7} {'list':>9} {'list+read':>10} {'nexus-lint':>11} "
          f"{'no prefilter':>13}")
    for r in rows:
        print(f"{r['corpus']:<10} {r['files']:>6} {r['pass_prefilter']:>7} {r['list_s'] * 1000:>7.1f}ms "
              f"{r['list_read_s'] * 1000:>8.1f}ms {r['lint_s'] * 1000:>9.1f}ms {r['lint_no_prefilter_s'] * 1000:>11.1f}ms")
    print(f"\nseparate processes on the generated tree: python -c pass {procs['python_pass_s'] * 1000:.0f}ms, "
          f"python walk+stat {procs['python_list_s'] * 1000:.0f}ms, nexus-lint check {procs['nexus_lint_check_s'] * 1000:.0f}ms")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "python-prefilter.json"), "w") as fh:
        json.dump({"rows": rows, "processes": procs, "python": sys.version.split()[0]}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
