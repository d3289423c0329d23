"""The baseline: accept today's findings, report only new ones.

``nexus-lint check --write-baseline FILE`` records every (unsuppressed)
finding of the run; ``--baseline FILE`` drops the findings the file records
and reports the rest.  An entry is a hash of

* the rule id and the file's path (relative to the project root),
* a hash of the flagged text: for a credential, of the secret itself (salted
  and iterated PBKDF2, so a weak password is not simply looked up from the
  baseline, and a rotated secret is a new finding), else of the redacted text,
* the finding's line with its secrets redacted and its whitespace collapsed,

and never a line number, so moving code (or adding lines above it) does not
churn the file, and never a secret.  Identical entries are counted: two equal
findings on two equal lines need two entries.  The file is JSON, sorted, one
entry per finding (rule and path in clear, for review), so it diffs well.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from nexus_lint.pipeline.discovery import project_relpath
from nexus_lint.pipeline.redact import masked_line, masked_text

FORMAT = 1
_SALT = b"nexus-lint baseline 1"
_ITERATIONS = 1_000  # ~0.5 ms a secret: a dictionary attack on the file costs a thousand times more
_SECRET_RULES = ("NX4",)


class BaselineError(Exception):
    pass


def _secret_digest(rule: str, path: str, raw: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", raw.encode("utf-8", "surrogatepass"),
                               _SALT + f"\0{rule}\0{path}".encode("utf-8", "surrogatepass"), _ITERATIONS).hex()


def entry_hash(finding, source, spans: Sequence, rel: str) -> str:
    """The baseline hash of one finding (see the module docstring)."""
    rule = finding.rule.id
    if source is not None:
        raw = source.text[finding.start:finding.end]
        local = [(s - finding.start, e - finding.start) for s, e in spans if s < finding.end and e > finding.start]
        if rule.startswith(_SECRET_RULES) and raw:
            token = _secret_digest(rule, rel, raw)
        else:
            token = hashlib.sha256(masked_text(raw, [(max(s, 0), min(e, len(raw))) for s, e in local])
                                   .encode("utf-8", "surrogatepass")).hexdigest()
        line = " ".join(masked_line(source, finding.line, spans).split())
    else:  # a finding about the file as a whole (it could not be read)
        token = hashlib.sha256(finding.message.encode("utf-8", "surrogatepass")).hexdigest()
        line = ""
    return hashlib.sha256("\0".join((rule, rel, token, line)).encode("utf-8", "surrogatepass")).hexdigest()


def _entries(results, root: Path, cwd: Optional[str]) -> List[Dict[str, str]]:
    out = []
    for r in results:
        rel = project_relpath(r.path, root, cwd)
        for f in r.findings:
            if f.suppressed:
                continue
            out.append({"rule": f.rule.id, "path": rel, "hash": entry_hash(f, r.source, r.secrets, rel)})
    return out


def write(path: str, results, root: Path, cwd: Optional[str] = None) -> int:
    """Record the findings of ``results`` (display paths relative to ``cwd``,
    by default the working folder) in ``path``; returns how many."""
    from nexus_lint.core.fix import write_output

    entries = sorted(_entries(results, root, cwd), key=lambda e: (e["path"], e["rule"], e["hash"]))
    data = {"format": FORMAT, "tool": "nexus-lint", "findings": entries}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    try:
        write_output(path, text.encode("utf-8"))  # never through a link the repository committed
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}")
    return len(entries)


def load(path: str) -> Counter:
    """The entries of a baseline file, counted; :class:`BaselineError` when unusable."""
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}")
    except (UnicodeDecodeError, ValueError):
        raise BaselineError(f"{path}: not a nexus-lint baseline (invalid JSON)")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a nexus-lint baseline (write one with --write-baseline)")
    counts: Counter = Counter()
    for e in data["findings"]:
        if isinstance(e, dict) and isinstance(e.get("hash"), str):
            counts[e["hash"]] += 1
    return counts


def apply(counts: Counter, results, root: Path, cwd: Optional[str] = None) -> int:
    """Drop the findings the baseline records; returns how many were dropped."""
    left = Counter(counts)
    dropped = 0
    for r in results:
        rel = project_relpath(r.path, root, cwd)
        kept = []
        for f in r.findings:
            if not f.suppressed:
                h = entry_hash(f, r.source, r.secrets, rel)
                if left[h] > 0:
                    left[h] -= 1
                    dropped += 1
                    continue
            kept.append(f)
        r.findings = kept
    return dropped
