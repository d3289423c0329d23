"""GitLab Code Quality report: a JSON array, one unique fingerprint per finding."""

from __future__ import annotations

import hashlib
import json

from nexus_lint.report import Report
from nexus_lint.pipeline.redact import masked_line

# Code Quality severity from the rule's severity and its measured precision.
_SEVERITY = {
    ("error", "very-high"): "critical", ("error", "high"): "major", ("error", "medium"): "minor",
    ("error", "low"): "minor", ("warning", "very-high"): "minor", ("warning", "high"): "minor",
    ("warning", "medium"): "info", ("warning", "low"): "info",
}


def render(report: Report) -> str:
    sources = report.sources()
    secrets = {r.path: r.secrets for r in report.results}
    seen = {}
    out = []
    for f in report.findings():
        src = sources.get(f.path)
        # the line with its secrets redacted: a hash of a secret is no place for it either
        line_text = masked_line(src, f.line, secrets.get(f.path, ())).strip() if src is not None else ""
        # Stable across runs and line moves (content, not line numbers), unique within
        # the report: identical lines get an occurrence counter.
        base = "\0".join((f.rule.id, f.path, " ".join(line_text.split()), f.message))
        n = seen.get(base, 0)
        seen[base] = n + 1
        fingerprint = hashlib.sha256(f"{base}\0{n}".encode("utf-8", "surrogatepass")).hexdigest()
        out.append(
            {
                "description": f"{f.rule.id} {f.message}",
                "check_name": f"{f.rule.id} {f.rule.name}",
                "fingerprint": fingerprint,
                "severity": _SEVERITY.get((f.severity, f.rule.precision), "minor"),
                "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
            }
        )
    from nexus_lint.pipeline.redact import surrogates_escaped

    # valid UTF-8 and JSON for any file name (an undecodable byte becomes \\xNN)
    return surrogates_escaped(json.dumps(out, indent=2, ensure_ascii=False)) + "\n"
