"""Human-readable output: ``path:line:col: NX101 [error] message`` plus the fix."""

from __future__ import annotations

from nexus_lint.pipeline.redact import printable as _p
from nexus_lint.report import Report

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_YELLOW = "\x1b[33m"
_CYAN = "\x1b[36m"
_DIM = "\x1b[2m"


def render(report: Report) -> str:
    c = report.color
    lines = []
    findings = report.findings()
    fixable_safe = fixable_unsafe = 0
    sources = None
    for f in findings:
        sev_color = _RED if f.severity == "error" else _YELLOW
        loc = f"{_p(f.path)}:{f.line}:{f.column}:"
        rid = f"{f.rule.id} [{f.severity}]"
        if c:
            loc = f"{_BOLD}{loc}{_RESET}"
            rid = f"{sev_color}{_BOLD}{f.rule.id}{_RESET} {sev_color}[{f.severity}]{_RESET}"
        lines.append(f"{loc} {rid} {_p(f.message)}")
        if f.fix is not None:
            if f.fix.safety == "safe":
                fixable_safe += 1
                how = "fix (safe, applied by --fix)"
            else:
                fixable_unsafe += 1
                how = "fix (unsafe, applied by --fix --unsafe-fixes)"
            hint = f"  {how}: {_p(f.fix.description)}"
            lines.append(f"{_CYAN}{hint}{_RESET}" if c else hint)
        for rel in f.related:
            # related locations are in the same file
            if sources is None:
                sources = report.sources()  # once: it maps every file checked
            src = sources.get(f.path)
            if src is not None:
                line, col = src.position(rel.start)
                note = f"  note: {_p(f.path)}:{line}:{col}: {_p(rel.message)}"
                lines.append(f"{_DIM}{note}{_RESET}" if c else note)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    fixed = sum(r.fixes_applied for r in report.results)
    summary = []
    if fixed:
        summary.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if findings:
        summary.append(
            f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} "
            f"({errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}) "
            f"in {report.files_checked} file{'s' if report.files_checked != 1 else ''} checked."
        )
        if fixable_safe:
            summary.append(f"{fixable_safe} fixable with --fix.")
        if fixable_unsafe:
            summary.append(f"{fixable_unsafe} more with --fix --unsafe-fixes.")
    else:
        summary.append(f"All checks passed ({report.files_checked} file{'s' if report.files_checked != 1 else ''} checked).")
    hidden = report.hidden_counts()
    if hidden:  # what a reviewer does not see, said (a gate's report must not hide it silently)
        total = sum(n for n, _ in hidden)
        parts = [f"{n} by {what}" for n, what in hidden]
        parts[0] = f"{total} hidden: " + parts[0] if len(hidden) > 1 else f"{total} hidden by {hidden[0][1]}"
        summary.append((", ".join(parts) if len(hidden) > 1 else parts[0]) + ".")
    for r in report.results:
        for d in r.dropped_fixes:
            lines.append(f"{_p(r.path)}: fix not written because it would break the file: {_p(d)}")
    if getattr(report, "quiet", 0):  # -q: the findings only, no summary
        return "".join(line + "\n" for line in lines)
    if lines:
        lines.append("")
    lines.append(" ".join(summary))
    return "\n".join(lines) + "\n"
