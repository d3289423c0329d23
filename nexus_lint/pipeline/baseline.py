"""The baseline: accept today's findings, report only new ones.

``nexus-lint check --write-baseline FILE`` records every (unsuppressed)
finding of the run; ``--baseline FILE`` drops the findings the file records
and reports the rest.  An entry is a hash of

* the rule id and the file's path (relative to the project root),
* a hash of the flagged text: for a credential, of the secret itself (scrypt
  at OWASP's recommended cost, salted per baseline file -- the salt is in the
  file -- and per rule and path, so a weak password is not simply looked up
  from the baseline, and a rotated secret is a new finding), else of the
  redacted text,
* the finding's line with its secrets redacted and its whitespace collapsed,

and never a line number, so moving code (or adding lines above it) does not
churn the file, and never a secret.  Identical entries are counted: two equal
findings on two equal lines need two entries.  The file is JSON, sorted, one
entry per finding (rule and path in clear, for review), so it diffs well.
A format 1 baseline (PBKDF2 with 1,000 iterations) is still read; writing
the baseline again turns it into format 2.
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

FORMAT = 2
READABLE = (1, 2)  # format 1 (PBKDF2, 1,000 iterations, one fixed salt) is still read; it is never written
_SALT_V1 = b"nexus-lint baseline 1"
_ITERATIONS_V1 = 1_000
# scrypt at OWASP's recommended cost (N=2**14, r=8, p=5: 16 MiB, ~0.2 s a secret
# finding), salted per baseline file (the "salt" it stores) and per rule and path
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 5}
_SECRET_RULES = ("NX4",)


class BaselineError(Exception):
    pass


class Entries(Counter):
    """The entries of a baseline file, counted, and how its secrets are hashed."""

    format = FORMAT
    salt = b""


_DIGESTS: Dict[tuple, str] = {}


def _secret_digest(rule: str, path: str, raw: str, fmt: int = FORMAT, salt: bytes = b"") -> str:
    key = (fmt, salt, rule, path, raw)
    found = _DIGESTS.get(key)
    if found is not None:
        return found
    secret = raw.encode("utf-8", "surrogatepass")
    where = f"\0{rule}\0{path}".encode("utf-8", "surrogatepass")
    if fmt == 1:
        found = hashlib.pbkdf2_hmac("sha256", secret, _SALT_V1 + where, _ITERATIONS_V1).hex()
    else:
        found = hashlib.scrypt(secret, salt=salt + where, maxmem=64 * 1024 * 1024, dklen=32, **SCRYPT).hex()
    _DIGESTS[key] = found
    return found


def entry_hash(finding, source, spans: Sequence, rel: str, fmt: int = FORMAT, salt: bytes = b"") -> str:
    """The baseline hash of one finding (see the module docstring)."""
    rule = finding.rule.id
    if source is not None:
        raw = source.text[finding.start:finding.end]
        local = [(s - finding.start, e - finding.start) for s, e in spans if s < finding.end and e > finding.start]
        if rule.startswith(_SECRET_RULES) and raw:
            token = _secret_digest(rule, rel, raw, fmt, salt)
        else:
            token = hashlib.sha256(masked_text(raw, [(max(s, 0), min(e, len(raw))) for s, e in local])
                                   .encode("utf-8", "surrogatepass")).hexdigest()
        line = " ".join(masked_line(source, finding.line, spans).split())
    else:  # a finding about the file as a whole (it could not be read)
        token = hashlib.sha256(finding.message.encode("utf-8", "surrogatepass")).hexdigest()
        line = ""
    return hashlib.sha256("\0".join((rule, rel, token, line)).encode("utf-8", "surrogatepass")).hexdigest()


def _entries(results, root: Path, cwd: Optional[str], salt: bytes) -> List[Dict[str, str]]:
    out = []
    for r in results:
        rel = project_relpath(r.path, root, cwd)
        for f in r.findings:
            if f.suppressed:
                continue
            out.append({"rule": f.rule.id, "path": rel, "hash": entry_hash(f, r.source, r.secrets, rel, FORMAT, salt)})
    return out


def write(path: str, results, root: Path, cwd: Optional[str] = None) -> int:
    """Record the findings of ``results`` (display paths relative to ``cwd``,
    by default the working folder) in ``path``; returns how many."""
    from nexus_lint.core.fix import write_output

    salt = os.urandom(16)
    entries = sorted(_entries(results, root, cwd, salt), key=lambda e: (e["path"], e["rule"], e["hash"]))
    data = {"format": FORMAT, "tool": "nexus-lint", "salt": salt.hex(),
            "kdf": "scrypt n={n} r={r} p={p}".format(**SCRYPT), "findings": entries}
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
    if not isinstance(data, dict) or data.get("format") not in READABLE or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a nexus-lint baseline (write one with --write-baseline)")
    counts = Entries()
    counts.format = data["format"]
    if counts.format >= 2:
        try:
            counts.salt = bytes.fromhex(data.get("salt", ""))
        except (TypeError, ValueError):
            raise BaselineError(f"{path}: not a nexus-lint baseline (bad salt)") from None
        if len(counts.salt) < 16:
            raise BaselineError(f"{path}: not a nexus-lint baseline (bad salt)")
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
                h = entry_hash(f, r.source, r.secrets, rel, getattr(counts, "format", FORMAT), getattr(counts, "salt", b""))
                if left[h] > 0:
                    left[h] -= 1
                    dropped += 1
                    continue
            kept.append(f)
        r.findings = kept
    return dropped
