"""The language server's figures (issue 18): re-lint after an edit, first
diagnostics after opening, memory over many edits.

    python bench/lsp.py      # all three; --relint-edits N, --edits N for the memory runs

- re-lint: the server's own handler (``NexusServer.lint_now``: the unsaved
  text through the pipeline facade, the diagnostics built, the notification
  handed to pygls) after a one-line edit of a 300-line Dockerfile and a
  300-line ``.gitlab-ci.yml``; median and 95th percentile of 300 edits each,
  the first (warm-up) edits left out.  JSON-RPC framing is not included.  Two
  runs: a space toggled at the end of a different line each edit, and typing
  (one character more or less each edit) on a script line near the top, so
  that every line below moves.  The CI file is timed with the memo of script
  line analyses (``nexus_lint.kinds.script_memo``) off and on.
- first diagnostics: a fresh ``nexus-lint server`` process over stdio, from
  sending ``didOpen`` to receiving ``publishDiagnostics``: what the user waits
  for when opening the first file, right after ``initialized`` (the server's
  warm-up, building the workspace's linter, is still running) and 1 s later;
  then for a second file of another kind.
- memory: the resident set size of the process over N edits of the
  Dockerfile (alternating findings on and off), then of the CI file (a script
  line never seen before every other edit, each seen twice and so kept: a new
  memo entry every two edits, the worst case), sampled every N/10 edits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def dockerfile(lines: int = 300) -> str:
    out = ["# syntax=docker/dockerfile:1", "ARG BASE=nexus.shared.cwiq.io:8443/library/python:3.12-slim",
           "FROM ${BASE} AS build", "WORKDIR /src"]
    i = 0
    while len(out) < lines - 3:
        i += 1
        if i % 10 == 0:
            out.append(f"RUN pip install --index-url https://pypi.org/simple pkg{i}==1.{i}")
        elif i % 7 == 0:
            out.append(f"COPY --from=alpine:3.19 /etc/ssl/certs/ca-certificates.crt /certs/{i}.crt")
        elif i % 5 == 0:
            out += [f"RUN set -eux; \\", f"    apt-get update && apt-get install -y curl{i} && \\",
                    "    rm -rf /var/lib/apt/lists/*"]
        else:
            out.append(f"ENV VAR_{i}=value{i}")
    out += ["FROM python:3.12", "COPY --from=build /src /app", 'CMD ["python", "/app/main.py"]']
    return "\n".join(out[:lines]) + "\n"


def gitlab_ci(lines: int = 300) -> str:
    out = ["stages: [build, test, publish]", "variables:", "  REGISTRY: nexus.shared.cwiq.io:8443", ""]
    j = 0
    while len(out) < lines - 8:
        j += 1
        image = "docker:24" if j % 3 == 0 else "$REGISTRY/library/python:3.12"
        out += [f"job-{j}:", f"  stage: {'build' if j % 2 else 'test'}", f"  image: {image}", "  script:",
                f"    - pip install --index-url https://nexus.shared.cwiq.io/repository/pypi/simple pkg{j}",
                f"    - docker pull redis:7" if j % 4 == 0 else f"    - echo job {j}",
                "    - ./ci/run.sh", ""]
    while len(out) < lines:
        out.append(f"# end {len(out)}")
    return "\n".join(out[:lines]) + "\n"


def _server(root: Path):
    from nexus_lint.server.app import build
    from nexus_lint.server.project import Projects, Settings

    from pygls.workspace import Workspace

    server = build()
    server.protocol._workspace = Workspace(root.as_uri())  # (what initialize sets up)
    server.projects = Projects(Settings({}), [str(root)])
    server.published = 0

    def publish(params):
        server.published += 1

    server.text_document_publish_diagnostics = publish
    return server


def _edit(server, uri: str, text: str, version: int) -> None:
    from lsprotocol import types as lsp

    server.workspace.update_text_document(
        lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        lsp.TextDocumentContentChangeWholeDocument(text=text))


def _toggle(lines: list, v: int) -> str:
    """Edit ``v`` of the toggle run: a space added to (odd) or left off (even) one line, a different one each time."""
    edited = lines[:]
    k = 10 + v % (len(lines) - 20)
    edited[k] = edited[k].rstrip("\n") + (" " if v % 2 else "") + "\n"
    return "".join(edited)


def _typing(lines: list, v: int) -> str:
    """Edit ``v`` of the typing run: one more character typed (or, every third
    round, deleted) on the first script or RUN line, so every line below moves by one."""
    k = next(i for i, line in enumerate(lines) if line.lstrip().startswith(("- ", "RUN ")))
    typed = v % 30 if (v // 30) % 3 else 30 - v % 30
    edited = lines[:]
    edited[k] = edited[k].rstrip("\n") + " abcdefghijklmnopqrstuvwxyz0123"[:typed] + "\n"
    return "".join(edited)


def relint(root: Path, name: str, text: str, edits: int = 200, how=_toggle) -> dict:
    from lsprotocol import types as lsp

    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    uri = path.as_uri()
    server = _server(root)
    server.warm_up()  # what the server does after `initialized`
    server.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="", version=0, text=text))
    server.lint_now(uri)
    lines = text.splitlines(keepends=True)
    times = []
    for v in range(1, edits + 1):
        _edit(server, uri, how(lines, v), v)
        t = time.perf_counter()
        server.lint_now(uri)
        times.append((time.perf_counter() - t) * 1000)
    times = times[10:]
    result = server.results.get(uri)
    return {"file": name, "lines": len(lines), "findings": len(result.findings) if result else 0,
            "median_ms": statistics.median(times), "p95_ms": sorted(times)[int(len(times) * 0.95)]}


def rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def memory(root: Path, edits: int, name: str = "Dockerfile") -> list:
    """RSS over ``edits`` edits: the Dockerfile's findings on and off; the CI
    file's edited job given a script line never seen before every other edit
    (the worst case for the memo of script-line analyses: a line seen twice is
    kept, so a new entry every two edits)."""
    from lsprotocol import types as lsp

    text = dockerfile() if name == "Dockerfile" else gitlab_ci()
    path = root / "mem" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    uri = path.as_uri()
    server = _server(root)
    server.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="", version=0, text=text))
    samples = []
    for v in range(1, edits + 1):
        if name == "Dockerfile":
            new = text + (f"FROM redis:{v % 50}\n" if v % 2 else "")
        else:  # (each new line in two edits in a row: seen twice, so kept)
            new = text.replace("    - echo job 1\n", f"    - docker pull redis:{v // 2}\n", 1) + ("#\n" if v % 2 else "")
        _edit(server, uri, new, v)
        server.lint_now(uri)
        if v % max(1, edits // 10) == 0:
            samples.append((v, rss_kib()))
    return samples


async def _first(root: Path, settle: float = 0.0) -> list:
    from lsprotocol import types as lsp
    from pytest_lsp import make_test_lsp_client

    client = make_test_lsp_client()
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    t0 = time.perf_counter()
    await client.start_io(sys.executable, "-m", "nexus_lint", "server", env=env, cwd=str(root))
    await client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(),
                                                         root_uri=root.as_uri(), initialization_options={}))
    started = (time.perf_counter() - t0) * 1000
    out = [("start + initialize", started)]
    await asyncio.sleep(settle)
    for name, text in (("Dockerfile", dockerfile()), (".gitlab-ci.yml", gitlab_ci())):
        uri = (root / name).as_uri()
        t = time.perf_counter()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="", version=1, text=text)))
        while uri not in client.diagnostics:
            await asyncio.sleep(0.001)
        out.append((f"didOpen -> diagnostics, {name}" + (f" (opened {settle:g} s after start)" if settle else ""),
                    (time.perf_counter() - t) * 1000))
    await client.shutdown_session()
    await client.stop()
    return out


def main() -> int:
    from nexus_lint.kinds import script_memo

    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=10000, help="edits of the memory runs")
    ap.add_argument("--relint-edits", type=int, default=300, help="edits of each re-lint run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        (root / ".git").mkdir()
        (root / "ci").mkdir()
        (root / "ci" / "run.sh").write_text("#!/bin/sh\necho run\n")
        print("re-lint after an edit (in the server, ms; memo = kept CI script-line analyses):")
        for how, label in ((_toggle, "a space toggled on a different line each edit"),
                           (_typing, "typing near the top: every line below moves")):
            print(f"  {label}:")
            for name, text in (("Dockerfile", dockerfile()), (".gitlab-ci.yml", gitlab_ci())):
                for memo in ((False, True) if name != "Dockerfile" else (True,)):
                    script_memo.enabled = memo
                    script_memo.clear()
                    r = relint(root / "a", name, text, args.relint_edits, how)
                    tag = "" if name == "Dockerfile" else (" memo on " if memo else " memo off")
                    print(f"    {r['file']:16}{tag:9} {r['lines']} lines, {r['findings']} findings: "
                          f"median {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms")
        script_memo.enabled = True
        (root / "b").mkdir()
        print("first diagnostics (fresh server process over stdio, ms):")
        for settle in (0.0, 1.0):
            for label, ms in asyncio.run(_first(root / "b", settle)):
                print(f"  {label:60} {ms:.0f} ms")
        for name in ("Dockerfile", ".gitlab-ci.yml"):
            print(f"memory over {args.edits} edits of the {name} (RSS, KiB):")
            samples = memory(root / "c", args.edits, name)
            print("  " + ", ".join(f"{v}: {kib}" for v, kib in samples))
            print(f"  growth from edit {samples[0][0]} to {samples[-1][0]}: {samples[-1][1] - samples[0][1]} KiB; "
                  f"from edit {samples[4][0]}: {samples[-1][1] - samples[4][1]} KiB"
                  + (f" (memo: {script_memo.size()[0]} lines kept, at most {script_memo.MAX_ENTRIES})"
                     if name != "Dockerfile" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
