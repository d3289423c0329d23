"""Fuzz every extractor and analyser with generated inputs (issue 8).

    python fuzz/run.py                      # 100,000 inputs per target, all CPUs
    python fuzz/run.py --inputs 2000        # a quick look
    python fuzz/run.py --targets kind:dockerfile,shell --jobs 4 --seed 7

Not part of the test suite (it runs for a long while); ``tests/test_properties.py``
checks the same invariants with a few hundred hypothesis examples.

Targets: one per file kind (``kind:<name>``: the extractor called directly,
then the whole engine, from bytes for a share of the inputs and with ``--fix``
for another), and the analysers on their own (``shell``, ``urls``,
``imageref``, ``shellwords``, ``yaml``, ``dockerfile-syntax``,
``suppress-marker``).

Inputs are generated from the seeds in ``tests/corpus.py`` (plus the rule
pages' examples): mutations of valid files (inserted syntax tokens, deletions,
duplications, swapped lines, truncation), splices of two files, token soup,
random bytes and other encodings, and a share of *amplified* inputs (one token
repeated hundreds to thousands of times) that probe for super-linear time.

Each input must satisfy ``tests/invariants.py`` (nothing raises, spans inside
the file, every placed character is the character there, line/column agree
with offsets, a fixed parseable file still parses) within ``--timeout``
seconds.  Each work unit runs in a process of its own, so a crash in native
code (a segfault in a parser library) is a failure too, recorded with the
input that caused it, and the unit goes on in a new process.  Failures are
written to ``--out`` (one file per distinct failure, with the input and the
traceback) and make the run exit 1.  Inputs slower than
two seconds are listed and written there too, without failing the run: they
are where to look for super-linear time (the shell parser's own deadline is
half a second plus a second per MB of script).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402  (tests/corpus.py)
import invariants  # noqa: E402  (tests/invariants.py)

ANALYSERS = ("shell", "urls", "imageref", "shellwords", "yaml", "dockerfile-syntax", "suppress-marker")
SLOW = 2.0  # seconds: an input slower than this is listed (not a failure: look at how its time grows)

_LINTER = None


def linter():
    global _LINTER
    if _LINTER is None:
        from nexus_lint.config import Config
        from nexus_lint.pipeline.engine import Linter

        _LINTER = Linter(Config(root=ROOT), timeout=0)  # the fuzzer's own limit governs
    return _LINTER


def kind_targets() -> List[str]:
    return [f"kind:{k.name}" for k in linter().classifier.kinds]


# -- generation ---------------------------------------------------------------------------

def _seeds(target: str) -> List[str]:
    if target.startswith("kind:"):
        return corpus.seeds_for(target[5:])
    if target in ("shell", "shellwords"):
        return corpus.seeds_for("shell") + [
            'docker pull "${REG:-nexus.shared.cwiq.io:8444}/app:${TAG}"',
            "RUN=1 sh -c 'docker push $IMG' && eval \"$(cat x)\"",
            "for i in a b; do docker pull $i; done; case $x in a) echo;; esac",
            "echo ${A:+x} ${B#y} ${C%%z} ${D/a/b} ${E^^} $((1+2)) ~/x *.txt {a,b}",
        ]
    if target == "yaml":
        return sum((corpus.seeds_for(k) for k in ("gitlab-ci", "github-actions", "compose", "kubernetes", "yarnrc")), [])
    if target == "dockerfile-syntax":
        return corpus.seeds_for("dockerfile")
    if target == "urls":
        return ["see https://nexus.shared.cwiq.io/repository/pypi-group/simple (docs).",
                "http://user:pass@[::1]:8081/repository/raw-hosted/x?y=1#z",
                "url=\"https://a.b/c\" 'http://x:99999/' <http://h/p>, https://h/(a)]"]
    if target == "imageref":
        return ["nexus.shared.cwiq.io:8444/library/python:3.11-slim@sha256:" + "a" * 64,
                "docker.io/library/busybox", "localhost:5000/a/b_c__d-e.f:tag", "cwiq-app", "[::1]:5000/x"]
    if target == "suppress-marker":
        return ["# nexus-lint: ignore[NX101, NX102]", "nexus-lint:ignore[NX1]", "x # nexus-lint: ignore[nx101,]"]
    raise ValueError(target)


def _mutate(rng: random.Random, text: str, edits: int) -> str:
    for _ in range(edits):
        n = len(text)
        i = rng.randint(0, n)
        j = min(n, i + rng.randint(0, 40))
        op = rng.random()
        if op < 0.35:
            piece = rng.choice(corpus.TOKENS) if rng.random() < 0.8 else chr(rng.choice((rng.randint(0, 0x7f), rng.randint(0x80, 0x2fff), rng.randint(0x1f000, 0x1faff))))
            text = text[:i] + piece + text[i:]
        elif op < 0.5:
            text = text[:i] + text[j:]
        elif op < 0.6:
            text = text[:j] + text[i:j] * rng.randint(1, 3) + text[j:]
        elif op < 0.75 and i < n:
            text = text[:i] + rng.choice(corpus.SYNTAX_CHARS) + text[i + 1:]
        elif op < 0.85:
            lines = text.split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op < 0.9:
            text = text[:i]
        else:  # re-indent a line (YAML structure)
            lines = text.split("\n")
            a = rng.randrange(len(lines))
            lines[a] = " " * rng.randint(0, 8) + lines[a].lstrip()
            text = "\n".join(lines)
    return text


def generate(rng: random.Random, seeds: List[str], all_seeds: List[str]) -> Tuple[str, object]:
    """(how, input): input is str, or bytes for the raw-bytes path."""
    r = rng.random()
    if r < 0.55:
        return "mutation", _mutate(rng, rng.choice(seeds), rng.randint(1, 12))
    if r < 0.65:
        a, b = rng.choice(seeds), rng.choice(all_seeds)
        return "splice", a[:rng.randint(0, len(a))] + b[rng.randint(0, len(b)):]
    if r < 0.8:  # token soup
        pool = corpus.TOKENS + corpus.SYNTAX_CHARS
        return "soup", "".join(rng.choice(pool) for _ in range(rng.randint(0, 300)))
    if r < 0.82:
        seed = rng.choice(seeds)
        i = rng.randint(0, len(seed))
        token = rng.choice(corpus.TOKENS + corpus.SYNTAX_CHARS)
        return "amplified", seed[:i] + token * rng.randint(200, 4000) + seed[i:]
    if r < 0.91:
        text = _mutate(rng, rng.choice(seeds), rng.randint(0, 4))
        encoding = rng.choice(("utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"))
        return f"encoded-{encoding}", text.encode(encoding, "replace")
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 600)))
    if rng.random() < 0.5:  # text-like bytes with a few high ones
        data = bytes(b if b < 0x80 or rng.random() < 0.1 else b & 0x7f for b in data)
    return "bytes", data


# -- running one input ---------------------------------------------------------------------

def check(target: str, value, rng: random.Random) -> None:
    """Run ``value`` through ``target``; raise AssertionError (or anything) on a violation."""
    if target.startswith("kind:"):
        name = target[5:]
        lt = linter()
        kind = lt.classifier.by_name[name]
        path = corpus.sample_path(kind)
        if isinstance(value, bytes):
            invariants.run_bytes(lt, name, path, value)
            return
        invariants.run_kind(lt, name, path, value)
        if rng.random() < 0.05:
            _check_fix(lt, kind, path, value)
        return
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    if target == "shell":
        from nexus_lint.lang.shell import analyse
        from nexus_lint.core.sourced import SourcedStr

        shift = rng.randint(0, 3)
        host = "#" * shift + text
        invariants.check_shell_analysis(host, shift, analyse(SourcedStr.literal(text, shift)))
    elif target == "urls":
        from nexus_lint.values import urls

        for s, e in urls.find_urls(text):
            assert 0 <= s < e <= len(text) and text[s:e].lower().startswith(("http://", "https://"))
        for candidate in (text, text.strip()):
            url = urls.parse_url(candidate)
            if url is not None:
                for span in (url.scheme_span, url.host_span, url.port_span, url.path_span, url.userinfo_span):
                    assert span is None or 0 <= span[0] <= span[1] <= len(candidate)
    elif target == "imageref":
        from nexus_lint.values import imageref

        for parse in (imageref.parse_normalized, imageref.parse_any, imageref.parse):
            try:
                ref = parse(text)
            except imageref.ImageRefError:
                continue
            for name in ("host_span", "port_span", "path_span", "tag_span", "digest_span"):
                span = getattr(ref, name, None)
                assert span is None or 0 <= span[0] <= span[1] <= len(text)
    elif target == "shellwords":
        from nexus_lint.lang import shellwords
        from nexus_lint.core.sourced import SourcedStr

        env = {"A": SourcedStr.literal("alpha", 0), "EMPTY": SourcedStr("")}
        for escape in ("\\", "`"):
            try:
                value_ = shellwords.process_word(SourcedStr.literal(text, 0), env, escape)
                assert len(value_.offsets) == len(value_.text)
                shellwords.process_words(SourcedStr.literal(text, 0), env, escape)
            except shellwords.WordError:
                pass
    elif target == "yaml":
        import yaml

        from nexus_lint.lang import yamldoc

        try:
            docs = yamldoc.load(text)
        except yamldoc.YamlError as exc:
            assert 0 <= exc.start <= exc.end <= len(text)
            return
        for doc in docs:
            for node in yamldoc.walk(doc):
                if isinstance(node, yaml.ScalarNode):
                    sv = yamldoc.scalar(node, text)
                    assert sv.text == node.value
                    invariants.check_sourced(text, sv)
    elif target == "dockerfile-syntax":
        from nexus_lint.lang.dockerfile import parse

        df = parse(text)
        for issue in df.errors:
            assert 0 <= issue.start <= issue.end <= len(text)
        for ins in df.instructions:
            for word in ins.args:
                invariants.check_sourced(text, word.src)
    elif target == "suppress-marker":
        from nexus_lint.core import suppress

        parsed = suppress.parse_marker(text)
        if parsed is not None:
            ids, s, e = parsed
            assert ids and 0 <= s < e <= len(text)
    else:
        raise ValueError(target)


def _check_fix(lt, kind, path: str, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    result = lt.lint_bytes(path, data, kind, path)
    if result.parse_failed or result.source is None:
        return
    fixed = lt.fix(result, kind, path, True)
    if fixed.fixed_text is None:
        return
    again = lt.lint_bytes(path, fixed.source.encode(), kind, path)
    assert not again.parse_failed, "a fix made a parseable file unparseable"


# -- the run -------------------------------------------------------------------------------

def _signature(target: str, exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in tb if "nexus_lint" in f.filename] or tb[-1:]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    first = str(exc).splitlines()[0][:80] if str(exc) else ""
    if isinstance(exc, AssertionError):
        where = f"{where} {first}" if frames and "invariants" not in where else f"{where} {first[:40]}"
    return f"{target} {type(exc).__name__} {where}"


def work(target: str, start: int, count: int, seed: int, timeout: float, skip: int = 0,
         current: Optional[str] = None) -> Dict[str, object]:
    """Run inputs ``start + skip`` .. ``start + count`` of one target.

    Before each input, its index and bytes go to ``current`` (one open file,
    rewritten in place): if the process dies in native code, the parent reads
    the input that killed it from there.
    """
    from nexus_lint.core.limits import FileTimeout, time_limit

    rng = random.Random(f"{seed}:{target}:{start}")
    seeds = _seeds(target)
    all_seeds = sum((corpus.seeds_for(k.name) for k in linter().classifier.kinds), [])
    stats: Dict[str, object] = {"target": target, "inputs": 0, "seconds": 0.0, "max": 0.0, "failures": {}, "slow": {}}
    fh = open(current, "r+b" if os.path.exists(current) else "w+b") if current else None
    for index in range(count):
        how, value = generate(rng, seeds, all_seeds)
        check_rng = random.Random(f"{seed}:{target}:{start}:{index}")
        if index < skip:
            continue
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        if fh is not None:
            fh.seek(0)
            fh.write(struct.pack("<Q", index) + how.encode().ljust(24) + data)
            fh.truncate()
            fh.flush()
        if os.environ.get("NEXUS_LINT_FUZZ_CRASH_AT") == f"{target}:{start + index}":  # self-test of crash handling
            import signal

            os.kill(os.getpid(), signal.SIGSEGV)
        t0 = time.perf_counter()
        problem: Optional[Tuple[str, str]] = None
        trace = ""
        try:
            with time_limit(timeout) as limit:
                check(target, value, check_rng)
            if limit.fired:  # caught and turned into something else on the way
                raise FileTimeout()
        except FileTimeout:
            problem = ("failures", f"{target} timeout>{timeout:g}s ({how})")
            trace = f"no answer within {timeout:g}s"
        except BaseException as exc:  # noqa: BLE001 - everything is a finding here
            if isinstance(exc, KeyboardInterrupt):
                raise
            problem = ("failures", _signature(target, exc))
            trace = "RecursionError" if isinstance(exc, RecursionError) else traceback.format_exc()
        elapsed = time.perf_counter() - t0
        stats["inputs"] += 1  # type: ignore[operator]
        stats["seconds"] += elapsed  # type: ignore[operator]
        stats["max"] = max(stats["max"], elapsed)  # type: ignore[type-var]
        if problem is None and elapsed > SLOW:
            problem = ("slow", f"{target} {elapsed:.1f}s ({how}, {len(value)} chars)")
        if problem is not None:
            bucket, sig = problem
            seen = stats[bucket]  # type: ignore[index]
            if sig not in seen:
                seen[sig] = [0, base64.b64encode(data).decode(),
                             trace if bucket == "failures" else f"{elapsed:.2f}s", how]
            seen[sig][0] += 1
    if fh is not None:
        fh.close()
    return stats


def _run_unit(unit: Tuple[str, int, int, int, float], out: Path) -> List[Dict[str, object]]:
    """One work unit in its own process; a native crash is a failure, and the
    rest of the unit goes on in a new process."""
    target, start, count, seed, timeout = unit
    current = out / f".current-{target.replace(':', '-')}-{start}"
    results = []
    skip = 0
    while skip < count:
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--unit", target, str(start), str(count), str(seed),
             str(timeout), str(skip), str(current)],
            capture_output=True, timeout=max(3600.0, 4 * timeout * count))
        if proc.returncode == 0:
            results.append(json.loads(proc.stdout))
            break
        try:
            raw = current.read_bytes()
            index, how, data = struct.unpack("<Q", raw[:8])[0], raw[8:32].decode().strip(), raw[32:]
        except (OSError, struct.error):
            index, how, data = skip, "?", b""
        why = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        sig = f"{target} process died ({why})"
        results.append({"target": target, "inputs": index - skip + 1, "seconds": 0.0, "max": 0.0, "slow": {},
                        "failures": {sig: [1, base64.b64encode(data).decode(),
                                           proc.stderr.decode("utf-8", "replace")[-3000:], how]}})
        skip = index + 1
    try:
        current.unlink()
    except OSError:
        pass
    return results


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--unit"]:  # a work unit, in its own process (see _run_unit)
        target, start, count, seed, timeout, skip, current = argv[1:8]
        stats = work(target, int(start), int(count), int(seed), float(timeout), int(skip), current)
        sys.stdout.write(json.dumps(stats))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=100_000, help="generated inputs per target (default 100000)")
    ap.add_argument("--targets", help="comma-separated targets (default: every kind:<name> and analyser)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: CPU count)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (runs are reproducible)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take (default 10)")
    ap.add_argument("--chunk", type=int, default=5000, help="inputs per work unit (one process each)")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "nexus-lint-fuzz"),
                    help="folder for failing and slow inputs")
    args = ap.parse_args(argv)

    targets = args.targets.split(",") if args.targets else kind_targets() + list(ANALYSERS)
    units = []
    for target in targets:
        for start in range(0, args.inputs, args.chunk):
            units.append((target, start, min(args.chunk, args.inputs - start), args.seed, args.timeout))
    random.Random(args.seed).shuffle(units)  # mix slow and fast targets across processes
    totals: Dict[str, Dict[str, object]] = {t: {"inputs": 0, "seconds": 0.0, "max": 0.0, "failures": {}, "slow": {}}
                                            for t in targets}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    print(f"fuzzing {len(targets)} targets x {args.inputs} inputs, {args.jobs} processes at a time (seed {args.seed})",
          flush=True)
    done = 0
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(args.jobs) as pool:
        for results in pool.map(lambda u: _run_unit(u, out), units):
            for stats in results:
                t = totals[stats["target"]]  # type: ignore[index]
                t["inputs"] += stats["inputs"]  # type: ignore[operator]
                t["seconds"] += stats["seconds"]  # type: ignore[operator]
                t["max"] = max(t["max"], stats["max"])  # type: ignore[type-var]
                for bucket in ("failures", "slow"):
                    for sig, entry in stats[bucket].items():  # type: ignore[union-attr]
                        if sig in t[bucket]:  # type: ignore[operator]
                            t[bucket][sig][0] += entry[0]  # type: ignore[index]
                        else:
                            t[bucket][sig] = entry  # type: ignore[index]
            done += 1
            if done % max(1, len(units) // 20) == 0:
                print(f"  {done}/{len(units)} work units, {time.time() - started:.0f}s", flush=True)

    bad = 0
    print(f"\n{'target':28} {'inputs':>8} {'failures':>8} {'slow':>5} {'mean ms':>8} {'max s':>6}")
    for target in targets:
        t = totals[target]
        nfail = sum(e[0] for e in t["failures"].values())  # type: ignore[union-attr]
        nslow = sum(e[0] for e in t["slow"].values())  # type: ignore[union-attr]
        mean = 1000 * t["seconds"] / max(1, t["inputs"])  # type: ignore[operator]
        print(f"{target:28} {t['inputs']:>8} {nfail:>8} {nslow:>5} {mean:>8.2f} {t['max']:>6.2f}")
        for bucket in ("failures", "slow"):
            for sig, (count, data, info, how) in t[bucket].items():  # type: ignore[union-attr]
                bad += bucket == "failures"
                name = f"{bucket}-{hashlib.sha1(sig.encode()).hexdigest()[:10]}"
                (out / f"{name}.input").write_bytes(base64.b64decode(data))
                (out / f"{name}.txt").write_text(f"{sig}\n{count} inputs ({how})\n\n{info}\n", encoding="utf-8")
                print(f"    {bucket}: {sig} x{count} -> {out / name}.input")
    total = sum(t["inputs"] for t in totals.values())  # type: ignore[misc]
    print(f"\n{total} inputs in {time.time() - started:.0f}s; {bad} distinct failure(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
