"""Build the real-world tree the throughput figures are measured on.

    python bench/realworld_tree.py --mirror /work/.mirror --out /tmp/realworld-tree
    python bench/run.py --tree /tmp/realworld-tree ...

The files are the ones the real-world runs list (``fuzz/realworld*.tsv``:
repository, path, commit), read from local mirrors of those repositories
(bare git directories ``MIRROR/owner+name/repo``, what the session's ``fetch``
brings) at the listed commit, or at ``HEAD`` when the mirror is newer.  The
tree is other people's files: it is built, never committed.  A file whose
repository has no mirror is counted as missing; the summary says how many.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def build(mirror: str, out: str, lists) -> tuple:
    written = missing = 0
    for tsv in lists:
        with open(tsv, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                repo, path, commit = parts[:3]
                git_dir = os.path.join(mirror, repo.replace("/", "+"), "repo")
                if not os.path.isdir(git_dir) or ".." in path.split("/"):
                    missing += 1
                    continue
                for rev in (commit, "HEAD"):
                    done = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{rev}:{path}"],
                                          capture_output=True)
                    if done.returncode == 0:
                        break
                else:
                    missing += 1
                    continue
                dest = os.path.join(out, repo.replace("/", "+"), path)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(dest, "wb") as fh_out:
                    fh_out.write(done.stdout)
                written += 1
    return written, missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--mirror", required=True, help="folder of mirrors: owner+name/repo (bare git)")
    ap.add_argument("--out", required=True, help="the folder to build the tree in (must not exist)")
    ap.add_argument("--list", action="append", default=[], metavar="TSV",
                    help="a list of files (default: every fuzz/realworld*.tsv)")
    a = ap.parse_args()
    if os.path.exists(a.out):
        print(f"{a.out} exists; give a new folder", file=sys.stderr)
        return 2
    lists = a.list or sorted(glob.glob(os.path.join(HERE, "..", "fuzz", "realworld*.tsv")))
    written, missing = build(a.mirror, a.out, lists)
    print(f"{written} files in {a.out}; {missing} listed files not in the mirrors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
