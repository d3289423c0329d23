"""SARIF 2.1.0: one run, unique ``driver.rules`` with help from the rule pages,
relative URIs against ``%SRCROOT%``, UTF-16 columns, ``fixes`` and ``suppressions``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nexus_lint.report import Report, uri_for
from nexus_lint.docs import page_for

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/cwiq/nexus-lint"
_LEVEL = {"error": "error", "warning": "warning"}


def _region(src, start: int, end: int) -> dict:
    if src is None:
        return {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    sl, _ = src.position(start)
    el, _ = src.position(end)
    return {
        "startLine": sl,
        "startColumn": src.utf16_column(start),
        "endLine": el,
        "endColumn": src.utf16_column(end),
    }


def _location(path: str, src, start: int, end: int) -> dict:
    art = {"uri": uri_for(path)}
    if not os.path.isabs(path):
        art["uriBaseId"] = "%SRCROOT%"
    return {"physicalLocation": {"artifactLocation": art, "region": _region(src, start, end)}}


def _rule_descriptor(meta) -> dict:
    page = page_for(meta.id)
    full = meta.summary
    help_text = meta.summary
    help_md = None
    if page is not None:
        what = page.section("What it does")
        if what:
            full = " ".join(what.split())
        help_text = page.help_text() or help_text
        help_md = page.text
    desc = {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary[:1024]},
        "fullDescription": {"text": full[:1024]},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[meta.severity]},
        "properties": {"tags": ["nexus-policy"], "precision": meta.precision, "fix": meta.fix or "none"},
    }
    if help_md:
        desc["help"]["markdown"] = help_md
    return desc


def render(report: Report) -> str:
    sources = report.sources()
    rules = [m for m in report.registry.sorted_rules() if m.id in report.active]
    index = {m.id: i for i, m in enumerate(rules)}
    results = []
    for f in report.findings(include_suppressed=True):
        src = sources.get(f.path)
        res = {
            "ruleId": f.rule.id,
            "ruleIndex": index[f.rule.id],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.path, src, f.start, f.end)],
        }
        if f.related:
            res["relatedLocations"] = [
                dict(_location(f.path, src, r.start, r.end), id=i, message={"text": r.message})
                for i, r in enumerate(f.related)
            ]
        if f.fix is not None:
            art = {"uri": uri_for(f.path)}
            if not os.path.isabs(f.path):
                art["uriBaseId"] = "%SRCROOT%"
            res["fixes"] = [
                {
                    "description": {"text": f.fix.description},
                    "artifactChanges": [
                        {
                            "artifactLocation": art,
                            "replacements": [
                                {"deletedRegion": _region(src, e.start, e.end), "insertedContent": {"text": e.replacement}}
                                for e in f.fix.edits
                            ],
                        }
                    ],
                    "properties": {"safety": f.fix.safety},
                }
            ]
        if f.suppressed:
            res["suppressions"] = [
                {"kind": "inSource", "status": "accepted", "justification": f"nexus-lint: ignore[{f.rule.id}]"}
            ]
        results.append(res)
    root = Path(report.cwd).resolve().as_uri().rstrip("/") + "/"
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nexus-lint",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "informationUri": INFO_URI,
                        "rules": [_rule_descriptor(m) for m in rules],
                    }
                },
                "automationDetails": {"id": "nexus-lint/"},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
                "columnKind": "utf16CodeUnits",
                "invocations": [{"executionSuccessful": True, "workingDirectory": {"uri": root}}],
                "results": results,
            }
        ],
    }
    from nexus_lint.pipeline.redact import surrogates_escaped

    # valid UTF-8 and JSON for any file name (an undecodable byte becomes \\xNN)
    return surrogates_escaped(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
