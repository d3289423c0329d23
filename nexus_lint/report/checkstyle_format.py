"""Checkstyle XML: ``<checkstyle><file name><error line column severity message source/>``,
the format Jenkins' Warnings plugin, reviewdog and many CI viewers read.

Every linted file is listed (a clean one with no ``<error>``); the ``source``
names the rule as ``nexus-lint.NX101.docker-hub-pull``.  Paths and messages go
through :func:`~nexus_lint.report.safe.printable`, so the XML is well-formed
whatever the file names hold; messages are already redacted.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from nexus_lint.report import Report
from nexus_lint.report.safe import printable


def _attr(value: object) -> str:
    # quoteattr escapes & < > and the quote; tab/CR/LF become references so they survive
    return quoteattr(printable(str(value)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def render(report: Report) -> str:
    by_path = report.findings_by_file()
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<checkstyle version={_attr('4.3')}>"]
    for path in sorted(by_path):
        findings = sorted(by_path[path], key=lambda f: (f.line, f.column, f.rule.id))
        if not findings:
            out.append(f"  <file name={_attr(path)}/>")
            continue
        out.append(f"  <file name={_attr(path)}>")
        for f in findings:
            message = f"{f.rule.id} {f.message}"
            if f.fix is not None:
                message += f" (fix, {f.fix.safety}: {f.fix.description})"
            out.append(
                f"    <error line={_attr(f.line)} column={_attr(f.column)} severity={_attr(f.severity)}"
                f" message={_attr(message)} source={_attr(f'nexus-lint.{f.rule.id}.{f.rule.name}')}/>"
            )
        out.append("  </file>")
    out.append("</checkstyle>")
    return "\n".join(out) + "\n"
