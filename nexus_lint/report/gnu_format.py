"""GNU error format (the GNU Coding Standards' "Formatting Error Messages"):
``file:line:column: severity: message``, one line each, which Emacs'
compilation mode, Vim's quickfix and most editors jump from.

Only the start is given (not the standard's range form
``file:line.column-line.column:``), the form every reader takes.  The message
ends with the rule, ``[NX101 docker-hub-pull]``; tabs, newlines and other
control characters, and bytes a path holds that are not UTF-8, are spelled
``\\xNN`` so a finding is one line.
"""

from __future__ import annotations

from nexus_lint.report import Report
from nexus_lint.report.safe import line_safe


def render(report: Report) -> str:
    findings = sorted(report.findings(), key=lambda f: (f.path, f.line, f.column, f.rule.id))
    lines = []
    for f in findings:
        severity = "error" if f.severity == "error" else "warning"
        lines.append(
            f"{line_safe(f.path)}:{f.line}:{f.column}: {severity}: {line_safe(f.message)} [{f.rule.id} {f.rule.name}]"
        )
    return "".join(line + "\n" for line in lines)
