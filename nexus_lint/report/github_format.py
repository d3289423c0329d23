"""GitHub Actions workflow commands (annotations), most severe first."""

from __future__ import annotations

from nexus_lint.pipeline.redact import printable as _p
from nexus_lint.report import Report


def escape_data(s: str) -> str:
    """What the runner interprets in a command's message: %, CR, LF (after
    :func:`printable` took ESC and every other control character)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    findings = sorted(report.findings(), key=lambda f: (0 if f.severity == "error" else 1, f.path, f.line, f.column))
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        props = [f"file={escape_property(_p(f.path))}", f"line={f.line}", f"endLine={f.end_line}"]
        if f.line == f.end_line:
            props += [f"col={f.column}", f"endColumn={max(f.end_column, f.column)}"]
        props.append(f"title={escape_property(f'{f.rule.id} {f.rule.name}')}")
        message = _p(f.message)
        if f.fix is not None:
            message += f"\nFix ({f.fix.safety}): {_p(f.fix.description)}"
        lines.append(f"::{level} {','.join(props)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
