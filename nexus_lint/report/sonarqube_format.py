"""SonarQube generic issue import format (SonarQube 10.3 and later, SonarQube
Cloud): ``{"rules": [...], "issues": [...]}`` for ``sonar.externalIssuesReportPaths``.

Each rule that found something is described once (``engineId`` nexus-lint, a
clean-code attribute and an impact whose severity follows the rule's severity
and measured precision, as the GitLab report does); each finding is an issue
whose ``primaryLocation`` names the file relative to the working directory
(Sonar's project base directory when the scan runs there) and a ``textRange``
(1-based lines, 0-based columns in UTF-16 code units, as Sonar counts them);
related places are ``secondaryLocations``.  Checked in the tests against
``tests/data/sonarqube/generic-issue.schema.json``, written from Sonar's
documentation.  Messages are already redacted; text goes through
:func:`~nexus_lint.report.safe.printable`.
"""

from __future__ import annotations

import json

from nexus_lint.report import Report
from nexus_lint.report.safe import printable

ENGINE = "nexus-lint"
_IMPACT = {
    ("error", "very-high"): "HIGH", ("error", "high"): "HIGH", ("error", "medium"): "MEDIUM",
    ("error", "low"): "MEDIUM",
}
# secrets and plain http are security; every other policy breach breaks or slows builds
_SECURITY = ("NX4", "NX202")


def _quality(rule_id: str) -> str:
    return "SECURITY" if rule_id.startswith(_SECURITY) else "RELIABILITY"


def _range(src, start: int, end: int):
    if src is None:
        return None
    sl, _ = src.position(start)
    el, _ = src.position(end)
    rng = {"startLine": sl, "endLine": max(sl, el)}
    sc, ec = src.utf16_column(start) - 1, src.utf16_column(end) - 1
    # Sonar rejects an empty range: without columns the whole line is marked
    if el > sl or ec > sc:
        rng["startColumn"] = sc
        rng["endColumn"] = ec
    return rng


def _location(message: str, path: str, src, start: int, end: int) -> dict:
    loc = {"message": printable(message), "filePath": printable(path)}
    rng = _range(src, start, end)
    if rng is not None:
        loc["textRange"] = rng
    return loc


def render(report: Report) -> str:
    sources = report.sources()
    findings = sorted(report.findings(), key=lambda f: (f.path, f.line, f.column, f.rule.id))
    rules = {}
    issues = []
    for f in findings:
        meta = f.rule
        if meta.id not in rules:
            rules[meta.id] = {
                "id": meta.id,
                "name": f"{meta.id} {meta.name}",
                "description": printable(meta.summary),
                "engineId": ENGINE,
                "cleanCodeAttribute": "CONVENTIONAL",
                "impacts": [{"softwareQuality": _quality(meta.id),
                             "severity": _IMPACT.get((f.severity, meta.precision), "LOW")}],
            }
        src = sources.get(f.path)
        message = f.message
        if f.fix is not None:
            message += f" (fix, {f.fix.safety}: {f.fix.description})"
        issue = {
            "ruleId": meta.id,
            "effortMinutes": 5 if f.fix is not None else 10,
            "primaryLocation": _location(message, f.path, src, f.start, f.end),
        }
        if f.related:
            issue["secondaryLocations"] = [_location(r.message, f.path, src, r.start, r.end) for r in f.related]
        issues.append(issue)
    doc = {"rules": [rules[k] for k in sorted(rules)], "issues": issues}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
