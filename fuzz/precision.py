"""The real-world precision run for the credential rules (issue 13).

    python fuzz/precision.py --mirror DIR             # git mirrors named owner+name/repo
    python fuzz/precision.py --checkouts DIR          # checkouts named owner+name
    python fuzz/precision.py ... --detect-secrets     # also run detect-secrets on the same trees

Not part of the test suite: the repositories are other people's code, so this
repository keeps only their list (``fuzz/precision.tsv``: repository and
commit) and the verdicts a human gave each finding (``fuzz/precision-judged.tsv``:
repository, path, line, column, rule, ``real`` or ``false``, a note).  Each
repository is exported at its listed commit (``git archive`` from a mirror, or
a checkout as it is) and linted with ``nexus-lint check --format json
--no-cache`` on the default policy.  The run prints, per rule, the findings,
how many were judged real and false, and the precision; findings without a
verdict are listed so that a human can judge them (``--unjudged FILE`` writes
them as TSV rows to fill in).  Every NX401/NX402 finding is judged; NX101 and
NX6xx by sample.

``--detect-secrets`` runs ``detect-secrets scan --all-files`` over the same
trees when it is installed (``pip install detect-secrets``: not a dependency)
and prints its count per repository, for the README's comparison.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
RULES = ("NX401", "NX402", "NX101", "NX601", "NX602")


def read_tsv(path: Path) -> List[List[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def export(repo: str, commit: str, args, dest: Path) -> Path:
    """The repository's tree at ``commit`` under ``dest``."""
    folder = repo.replace("/", "+")
    out = dest / folder
    if args.checkouts:
        return Path(args.checkouts) / folder
    git_dir = Path(args.mirror) / folder / "repo"
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", commit], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def lint(tree: Path) -> List[dict]:
    cmd = [sys.executable, "-m", "nexus_lint", "check", "--format", "json", "--no-cache", "."]
    res = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
    if res.returncode not in (0, 1):
        raise SystemExit(f"nexus-lint failed on {tree}: {res.stderr[-2000:]}")
    return json.loads(res.stdout)


def detect_secrets(tree: Path) -> int:
    res = subprocess.run(["detect-secrets", "scan", "--all-files", "."], cwd=tree, capture_output=True, text=True)
    if res.returncode != 0:
        return -1
    return sum(len(v) for v in json.loads(res.stdout).get("results", {}).values())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--mirror", help="folder of git mirrors: owner+name/repo")
    src.add_argument("--checkouts", help="folder of checkouts: owner+name")
    ap.add_argument("--list", default=str(HERE / "precision.tsv"))
    ap.add_argument("--judged", default=str(HERE / "precision-judged.tsv"))
    ap.add_argument("--unjudged", help="write findings without a verdict to this TSV file")
    ap.add_argument("--detect-secrets", action="store_true")
    args = ap.parse_args(argv)

    verdicts: Dict[Tuple[str, str, str, str, str], str] = {}
    for row in read_tsv(Path(args.judged)):
        verdicts[tuple(row[:5])] = row[5]
    counts: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    unjudged: List[List[str]] = []
    ds: Dict[str, int] = {}
    tmp = Path(tempfile.mkdtemp(prefix="nexus-lint-precision-"))
    try:
        for repo, commit in (r[:2] for r in read_tsv(Path(args.list))):
            tree = export(repo, commit, args, tmp)
            for f in lint(tree):
                if f["code"] not in RULES:
                    continue
                key = (repo, f["filename"], str(f["location"]["row"]), str(f["location"]["column"]), f["code"])
                verdict = verdicts.get(key)
                counts[f["code"]]["found"] += 1
                if verdict is None:
                    unjudged.append([*key, "", f["message"]])
                else:
                    counts[f["code"]][verdict] += 1
            if args.detect_secrets:
                ds[repo] = detect_secrets(tree)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("| rule | findings | judged | real | false | precision |")
    print("|---|---:|---:|---:|---:|---:|")
    for rule in RULES:
        c = counts[rule]
        judged = c["real"] + c["false"]
        precision = f"{100 * c['real'] / judged:.0f} %" if judged else "-"
        print(f"| {rule} | {c['found']} | {judged} | {c['real']} | {c['false']} | {precision} |")
    if ds:
        print("\ndetect-secrets (scan --all-files), results per repository:")
        for repo, n in ds.items():
            print(f"  {repo}: {n}")
        print(f"  total: {sum(n for n in ds.values() if n > 0)}")
    must = [u for u in unjudged if u[4] in ("NX401", "NX402")]
    if unjudged:
        print(f"\n{len(unjudged)} findings without a verdict ({len(must)} of NX401/NX402, which must all be judged)")
        for u in must[:50]:
            print("  " + "\t".join(u[:5]) + "\t" + u[6][:120])
    if args.unjudged:
        with open(args.unjudged, "w", encoding="utf-8") as fh:
            for u in unjudged:
                fh.write("\t".join(u[:6]) + "\t" + u[6].replace("\t", " ") + "\n")
    return 1 if must else 0


if __name__ == "__main__":
    sys.exit(main())
