"""JUnit XML test report, as GitLab (``artifacts:reports:junit``) and Jenkins
(``junit`` step) read it.

One ``<testsuite>`` per linted file (``name`` the path); one ``<testcase>`` per
finding, failed (``<failure message type>``: rule, message, location), and one
passing ``<testcase name="nexus-lint">`` for a file without findings, so the
test count says how many files were checked.  The document follows the common
Jenkins/GitLab JUnit schema (``tests/data/junit/junit.xsd``).  Text goes through
:func:`~nexus_lint.report.safe.printable` (well-formed whatever a path holds);
messages are already redacted.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from nexus_lint.report import Report
from nexus_lint.report.safe import printable

_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _attr(value: object) -> str:
    return quoteattr(printable(str(value)), _ENTITIES)


def _text(value: str) -> str:
    return escape(printable(value))


def render(report: Report) -> str:
    by_path = report.findings_by_file()
    total = sum(max(1, len(v)) for v in by_path.values())
    failures = sum(len(v) for v in by_path.values())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<testsuites name={_attr('nexus-lint')} tests={_attr(total)} failures={_attr(failures)}"
        f" errors={_attr(0)} time={_attr('0')}>",
    ]
    for i, path in enumerate(sorted(by_path)):
        findings = sorted(by_path[path], key=lambda f: (f.line, f.column, f.rule.id))
        out.append(
            f"  <testsuite name={_attr(path)} id={_attr(i)} tests={_attr(max(1, len(findings)))}"
            f" failures={_attr(len(findings))} errors={_attr(0)} skipped={_attr(0)} time={_attr('0')}>"
        )
        if not findings:
            out.append(f"    <testcase name={_attr('nexus-lint')} classname={_attr(path)} time={_attr('0')}/>")
        for f in findings:
            where = f"{path}:{f.line}:{f.column}"
            name = f"{f.rule.id} {f.rule.name} at {f.line}:{f.column}"
            body = [f"{where}: {f.rule.id} [{f.severity}] {f.message}", f"rule: {f.rule.id} {f.rule.name}"]
            if f.fix is not None:
                body.append(f"fix ({f.fix.safety}): {f.fix.description}")
            for rel in f.related:
                body.append(f"note: {rel.message}")
            out.append(f"    <testcase name={_attr(name)} classname={_attr(path)} time={_attr('0')}>")
            out.append(
                f"      <failure message={_attr(f'{f.rule.id} {f.message}')} type={_attr(f.rule.id)}>"
                f"{_text(chr(10).join(body))}</failure>"
            )
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"
