"""Findings, fixes and rule pages as LSP values (lsprotocol types).

Positions: LSP lines are 0-based, characters UTF-16 code units
(:meth:`~nexus_lint.core.source.SourceFile.utf16_column`).  Messages and
related notes come from the findings, which the engine has already redacted;
a fix whose replacement would show a secret was dropped there too."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from lsprotocol import types as lsp

from nexus_lint.core.model import SAFE
from nexus_lint.core.source import SourceFile

SOURCE = "nexus-lint"
FIX_ALL_KIND = "source.fixAll.nexus-lint"
REPOSITORY = "https://github.com/cwiq/nexus-lint"



def position(src: SourceFile, offset: int) -> lsp.Position:
    offset = max(0, min(offset, len(src.text)))
    return lsp.Position(line=src.line_of(offset) - 1, character=src.utf16_column(offset) - 1)


def span(src: Optional[SourceFile], start: int, end: int) -> lsp.Range:
    if src is None:
        return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    return lsp.Range(start=position(src, start), end=position(src, end))


_hrefs: Dict[str, Optional[str]] = {}


def rule_href(rule_id: str) -> Optional[str]:
    """The rule's page: the installed file, else the repository's copy (built-in rules only)."""
    if rule_id not in _hrefs:
        from nexus_lint.docs import page_for, rules_dir

        href = None
        if page_for(rule_id) is not None:
            folder = rules_dir()
            page = folder / f"{rule_id}.md" if folder is not None else None
            href = page.resolve().as_uri() if page is not None and page.is_file() else \
                f"{REPOSITORY}/blob/main/rules/{rule_id}.md"
        _hrefs[rule_id] = href
    return _hrefs[rule_id]


def diagnostic(f, src: Optional[SourceFile], uri: str) -> lsp.Diagnostic:
    diag = lsp.Diagnostic(
        range=span(src, f.start, f.end) if src is not None else _line_col(f),
        message=f.message,
        severity=lsp.DiagnosticSeverity.Error if f.severity == "error" else lsp.DiagnosticSeverity.Warning,
        code=f.rule.id,
        source=SOURCE,
    )
    href = rule_href(f.rule.id)
    if href:
        diag.code_description = lsp.CodeDescription(href=href)
    if f.related and src is not None:
        diag.related_information = [
            lsp.DiagnosticRelatedInformation(location=lsp.Location(uri=uri, range=span(src, r.start, r.end)),
                                             message=r.message)
            for r in f.related
        ]
    return diag


def _line_col(f) -> lsp.Range:
    """A finding without its text (NX000 of a file not read): its line and column."""
    p = lsp.Position(line=max(f.line - 1, 0), character=max(f.column - 1, 0))
    return lsp.Range(start=p, end=p)


def findings(result) -> List:
    return [f for f in (result.findings if result is not None else ()) if not f.suppressed]


def diagnostics(result, uri: str) -> List[lsp.Diagnostic]:
    src = result.source if result is not None else None
    return [diagnostic(f, src, uri) for f in findings(result)]


def fix_action(f, src: SourceFile, uri: str, diag: lsp.Diagnostic) -> lsp.CodeAction:
    safe = f.fix.safety == SAFE
    title = f"{f.rule.id}: {f.fix.description}" + ("" if safe else " (unsafe)")
    edits = [lsp.TextEdit(range=span(src, e.start, e.end), new_text=e.replacement) for e in f.fix.edits]
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag],
                          is_preferred=safe, edit=lsp.WorkspaceEdit(changes={uri: edits}))


def whole_edit(old: str, new: str, uri: str) -> lsp.WorkspaceEdit:
    """Edits turning ``old`` into ``new``: one per changed run of lines, trimmed
    to the characters that change (so the text the fixes leave alone, and any
    secret in it, is not sent back)."""
    from difflib import SequenceMatcher

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    src = SourceFile("", old)
    starts = src.line_starts + [len(old)]
    edits = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start, end = starts[min(i1, len(starts) - 1)], starts[min(i2, len(starts) - 1)]
        was, now = old[start:end], "".join(b[j1:j2])
        k = 0
        while k < min(len(was), len(now)) and was[k] == now[k]:
            k += 1
        m = 0
        while m < min(len(was), len(now)) - k and was[len(was) - 1 - m] == now[len(now) - 1 - m]:
            m += 1
        edits.append(lsp.TextEdit(range=span(src, start + k, end - m), new_text=now[k:len(now) - m]))
    return lsp.WorkspaceEdit(changes={uri: edits})


def suppress_text(kind: Optional[str], src: SourceFile, f) -> Optional[tuple]:
    """(offset, text) that suppresses ``f`` with an own-line comment above its
    line, in the kind's comment syntax; None where the format has no comments
    (the syntax is shared with ``check --add-noqa``: nexus_lint.kinds.comments)."""
    from nexus_lint.kinds.comments import suppression_comment

    return suppression_comment(kind, src, src.line_of(f.start), [f.rule.id])


def hover_markdown(found) -> Optional[str]:
    """The rule pages of the findings under the cursor."""
    from nexus_lint.docs import page_for

    parts = []
    for f in found:
        page = page_for(f.rule.id)
        parts.append(page.text.strip() if page is not None else f"**{f.rule.id}: {f.rule.name}**\n\n{f.rule.summary}")
    seen = []
    for p in parts:
        if p not in seen:
            seen.append(p)
    return "\n\n---\n\n".join(seen) if seen else None


def rule_page_uri() -> Optional[str]:
    from nexus_lint.docs import rules_dir

    folder = rules_dir()
    return Path(folder).resolve().as_uri() if folder else None
