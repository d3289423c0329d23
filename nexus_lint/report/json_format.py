"""JSON output: a list of findings, ruff-style field names."""

from __future__ import annotations

import json

from nexus_lint.report import Report


def _pos(src, offset):
    if src is None:
        return {"row": 1, "column": 1}
    line, col = src.position(offset)
    return {"row": line, "column": col}


def finding_dict(f, src) -> dict:
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix.safety,
            "message": f.fix.description,
            "edits": [
                {"content": e.replacement, "location": _pos(src, e.start), "end_location": _pos(src, e.end)}
                for e in f.fix.edits
            ],
        }
    return {
        "code": f.rule.id,
        "name": f.rule.name,
        "severity": f.severity,
        "message": f.message,
        "filename": f.path,
        "location": {"row": f.line, "column": f.column},
        "end_location": {"row": f.end_line, "column": f.end_column},
        "fix": fix,
        "related": [
            {"message": r.message, "location": _pos(src, r.start), "end_location": _pos(src, r.end)} for r in f.related
        ],
    }


def render(report: Report) -> str:
    sources = report.sources()
    out = [finding_dict(f, sources.get(f.path)) for f in report.findings()]
    from nexus_lint.pipeline.redact import surrogates_escaped

    # valid UTF-8 and JSON for any file name (an undecodable byte becomes \\xNN)
    return surrogates_escaped(json.dumps(out, indent=2, ensure_ascii=False)) + "\n"
