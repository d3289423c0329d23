"""Real-world files plus a folder of malformed ones, linted in one run (issue 8).

    python fuzz/realworld.py CORPUS [CORPUS ...]            # folders of real files
    python fuzz/realworld.py --fetch fuzz/realworld.tsv     # fetch the listed files first

Not part of the test suite: the corpus is other people's files, so the
repository keeps only the list (``fuzz/realworld.tsv``: repository, path,
commit); ``--fetch`` downloads each file at its commit from
raw.githubusercontent.com into ``--corpus-dir`` (network needed once).

The run builds one tree under a temporary folder:

``real/``
    the corpus folders, copied as they are;
``malformed/``
    ``tests/corpus.MALFORMED`` (one broken file per kind) plus, for real
    files of each kind, a broken copy whose breakage an independent reader
    confirms (PyYAML for YAML, ``json`` for JSON; a Dockerfile gets an
    unterminated heredoc, which BuildKit rejects) and a copy with binary bytes
    in front.  (Other YAML, which only the catch-all Kubernetes kind reads, is
    silent when broken unless it looks like a manifest: only such files are
    broken for it.)

It lints the tree with the installed console script (``--format json
--no-cache``) in a process of its own and checks what the issue asks: the run
exits 1 with findings, prints no traceback, and reports every file under
``malformed/`` as ``NX000``.  It prints a summary: files per kind, findings per
rule, the NX000 findings among the real files with their reasons (a real file
can be broken too: each is listed for a human to judge), wall time.  Exit 0
when every check holds.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402  (tests/corpus.py)

YAML_KINDS = {"gitlab-ci", "github-actions", "compose", "kubernetes", "ansible"}
PER_KIND = 25  # broken copies of real files per kind


def fetch(manifest: Path, dest: Path) -> Path:
    """Download every file the manifest lists (repo, path, commit) into ``dest``
    (files already there are kept; five failures in a row stop the download)."""
    failures = 0
    dest.mkdir(parents=True, exist_ok=True)
    listed = present = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        repo, path, commit = line.split("\t")[:3]
        target = dest / repo.replace("/", "__") / path
        listed += 1
        if target.exists():
            present += 1
            continue
        ref = commit if commit != "-" else "HEAD"
        url = f"https://raw.githubusercontent.com/{repo}/{ref}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 (a fixed https host)
                data = resp.read()
        except OSError as exc:
            print(f"  could not fetch {repo}/{path}: {exc}", file=sys.stderr)
            failures += 1
            if failures >= 5:
                print("  five failures in a row: no network? going on with what is there", file=sys.stderr)
                break
            continue
        failures = 0
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        present += 1
    print(f"corpus: {present} of the {listed} listed files in {dest}")
    return dest


def _kinds_of(tree: Path) -> Dict[str, str]:
    """relative path -> file kind, as the linter classifies the tree."""
    from nexus_lint.config import load_config
    from nexus_lint.pipeline.discovery import discover
    from nexus_lint.pipeline.engine import Linter

    config = load_config(None, tree)
    linter = Linter(config)
    out = {}
    for cand in discover([str(tree)], config.exclude, config.root, cwd=str(tree)):
        kind = linter.classify(cand)
        if kind is not None:
            out[cand.display] = kind.name
    return out


def _yaml_broken(text: str) -> bool:
    import yaml

    try:
        for _ in yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass
    except yaml.YAMLError:
        return True
    return False


def _json_broken(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def break_file(kind: str, text: str, rng: random.Random, path: str = "") -> Optional[str]:
    """A copy of ``text`` that an independent reader rejects, or ``None``."""
    from nexus_lint.kinds.ansible import where
    from nexus_lint.kinds.kubernetes import looks_like_manifest
    from nexus_lint.lang.ansible import looks_like_playbook

    if kind == "kubernetes" and not looks_like_manifest(text):
        return None  # any other YAML: silence when broken, by design (README)
    if kind in YAML_KINDS:
        lines = text.split("\n")
        for _ in range(10):
            i = rng.randrange(len(lines))
            how = rng.choice(("quote", "flow", "tab"))
            if how == "quote":  # an unterminated double-quoted scalar
                cut = lines[:i] + [lines[i] + ' "unterminated']
            elif how == "flow":  # an unclosed flow sequence, then the rest of the file
                cut = lines[:i] + [lines[i] + " [a,"] + lines[i + 1:]
            else:  # a tab where YAML wants indentation spaces
                cut = lines[:i] + ["\t" + lines[i].lstrip(" ") + ": x"] + lines[i + 1:]
            broken = "\n".join(cut)
            # the catch-all YAML kind speaks only of files that still look like
            # manifests (kind/apiVersion at the start of a line, no template)
            if _yaml_broken(broken) and (kind != "kubernetes" or looks_like_manifest(broken) and "{{" not in broken) \
                    and (kind != "ansible" or where(path) != "hint" or looks_like_playbook(broken)):
                # (an Ansible file whose path is only a hint is silent when broken unless it starts a play)
                return broken
        return None
    if kind == "dockerfile":
        return text.rstrip("\n") + "\nRUN <<EOF\necho this heredoc never ends\n"
    if kind == "jenkinsfile":  # a block never closed: Groovy's lexer rejects it
        return text.rstrip("\n") + "\nnode {\n  sh 'echo this block never ends'\n"
    if kind == "package-json":
        broken = text.rstrip()[:-1]  # drop the closing brace
        return broken if _json_broken(broken) else None
    return None


def build_tree(corpora: List[Path], work: Path, seed: int) -> Tuple[Path, List[str]]:
    """The tree to lint and the paths in it that must be NX000."""
    tree = work / "tree"
    (tree / ".git").mkdir(parents=True)  # a repository root, as a user's checkout
    for i, src in enumerate(corpora):
        shutil.copytree(src, tree / "real" / f"{i}-{src.name}", symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "*.tsv"))
    kinds = _kinds_of(tree)
    must: List[str] = []

    def put(rel: str, data) -> None:
        path = tree / "malformed" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        must.append(f"malformed/{rel}")

    for rel, data in corpus.MALFORMED.items():
        put(f"known/{rel}", data)
    rng = random.Random(seed)
    by_kind: Dict[str, List[str]] = collections.defaultdict(list)
    for rel, kind in sorted(kinds.items()):
        by_kind[kind].append(rel)
    for kind, rels in sorted(by_kind.items()):
        picked = rng.sample(rels, min(PER_KIND, len(rels)))
        for n, rel in enumerate(picked):
            raw = (tree / rel).read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            broken = break_file(kind, text, rng, rel)
            sub = rel.split("/", 2)[2]  # drop real/<n>-<corpus>/: keep the name that gives the kind
            if broken is not None:
                put(f"broken/{kind}/{n}/{sub}", broken)
            if n < 3:  # binary bytes in front of a real file of each kind
                put(f"binary/{kind}/{n}/{sub}", corpus.PNG + raw)
    # a binary copy of a file known by its shebang alone is no longer that kind: not a case
    kinds = _kinds_of(tree)
    return tree, [rel for rel in must if rel in kinds]


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, help="folders of real files")
    ap.add_argument("--fetch", type=Path, metavar="MANIFEST", help="download the files MANIFEST lists first")
    ap.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "nexus-lint-realworld",
                    help="where --fetch puts the files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", action="store_true", help="keep the linted tree and print where it is")
    args = ap.parse_args(argv)
    corpora = list(args.corpora)
    if args.fetch:
        corpora.append(fetch(args.fetch, args.corpus_dir))
    if not corpora:
        ap.error("give corpus folders, or --fetch MANIFEST")

    work = Path(tempfile.mkdtemp(prefix="nexus-lint-realworld-"))
    try:
        tree, must = build_tree(corpora, work, args.seed)
        kinds = _kinds_of(tree)
        exe = Path(sys.executable).with_name("nexus-lint")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nexus_lint"]
        started = time.monotonic()
        proc = subprocess.run(cmd + ["check", "--format", "json", "--no-cache", "--jobs", str(args.jobs), "."],
                              cwd=tree, capture_output=True, timeout=3600)
        wall = time.monotonic() - started
        problems: List[str] = []
        if proc.returncode != 1:
            problems.append(f"exit status {proc.returncode}, not 1 (findings)")
        if b"Traceback" in proc.stderr:
            problems.append("a traceback on standard error:\n" + proc.stderr.decode(errors="replace")[-4000:])
        try:
            findings = json.loads(proc.stdout)
        except ValueError:
            findings = []
            problems.append("standard output is not a JSON report")
        by_file: Dict[str, List[dict]] = collections.defaultdict(list)
        for f in findings:
            by_file[f["filename"]].append(f)
        for rel in must:
            codes = [f["code"] for f in by_file.get(rel, [])]
            if "NX000" not in codes:
                problems.append(f"{rel}: no NX000, got {codes}")

        real = {rel: kind for rel, kind in kinds.items() if rel.startswith("real/")}
        print(f"real files checked: {len(real)} in {len(corpora)} corpus folder(s)")
        for kind, n in collections.Counter(real.values()).most_common():
            print(f"  {kind:16} {n}")
        print(f"malformed files: {len(must)} (each must be NX000)")
        for group, n in sorted(collections.Counter("/".join(rel.split("/")[1:3 if not rel.startswith("malformed/known/") else 2])
                                                   for rel in must).items()):
            print(f"  {group:24} {n}")
        rules = collections.Counter(f["code"] for f in findings if f["filename"].startswith("real/"))
        print(f"findings in real files: {sum(rules.values())} in "
              f"{len({f['filename'] for f in findings if f['filename'].startswith('real/')})} files")
        for code, n in sorted(rules.items()):
            print(f"  {code} {n}")
        real_nx000 = [f for f in findings if f["code"] == "NX000" and f["filename"].startswith("real/")]
        if real_nx000:
            print("NX000 in real files (judge each: broken in the wild, or ours):")
            for f in real_nx000:
                print(f"  {f['filename']}:{f['location']['row']}: {f['message']}")
        print(f"exit status {proc.returncode}; {len(findings)} findings; {wall:.1f} s wall, --jobs {args.jobs}")
        if problems:
            print("\nPROBLEMS:")
            for p in problems:
                print("  " + p)
            return 1
        print("every malformed file is NX000; no traceback")
        return 0
    finally:
        if args.keep:
            print(f"tree kept at {work / 'tree'}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
