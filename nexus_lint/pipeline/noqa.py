"""``check --add-noqa``: a suppression comment for each line with findings,
``nexus-lint: ignore[NX101] <reason>``, in the file's own comment syntax (the
one the language server's "suppress on this line" action writes:
:func:`nexus_lint.kinds.comments.suppression_comment`), on a line of its own
above the finding's line.

A comment is kept only when the file, linted again with it, no longer reports
those findings there, reports nothing new and still parses (no NX000): so a
comment never lands inside a string or a block scalar where it would not
count, and never breaks a file.  A file that does not parse today is left as
it is.  Files are written as ``--fix`` writes them (never through a link out of
the repository, never over a change made meanwhile).
"""

from __future__ import annotations

from typing import Dict, List, Set, Tuple

from nexus_lint.checks.nx000_parse_error import NX000
from nexus_lint.core.model import FileResult, Finding
from nexus_lint.core.source import SourceFile

REASON = "<reason>"


class NoqaOutcome:
    """What --add-noqa did.  (A plain class: a dataclass costs start-up time.)"""

    def __init__(self) -> None:
        self.files = 0  # files written
        self.comments = 0  # comments added
        self.findings = 0  # findings they suppress
        self.left: List[str] = []  # "path:line: NXnnn not suppressed: why"


def _open(findings: List[Finding]) -> List[Finding]:
    return [f for f in findings if not f.suppressed and not f.usage]


def _at(findings: List[Finding], line: int, ids: Set[str]) -> int:
    return sum(1 for f in _open(findings) if f.line == line and f.rule.id in ids)


def _groups(result: FileResult) -> List[Tuple[int, List[str]]]:
    """(line, rule ids) of the run's open findings, from the last line up."""
    by_line: Dict[int, Set[str]] = {}
    for f in _open(result.findings):
        by_line.setdefault(f.line, set()).add(f.rule.id)
    return sorted(((line, sorted(ids)) for line, ids in by_line.items()), reverse=True)


def add_noqa(linter, results: List[FileResult], cwd: str, reason: str = REASON) -> NoqaOutcome:
    out = NoqaOutcome()
    for result in results:
        if _open(result.findings):
            _one(linter, result, cwd, reason, out)
    return out


def _one(linter, result: FileResult, cwd: str, reason: str, out: NoqaOutcome) -> None:
    from nexus_lint.pipeline.discovery import project_relpath

    src = result.source
    kind = linter.classifier.by_name.get(result.kind or "")
    if src is None or src.fs_path is None or kind is None:
        return
    if result.parse_failed or any(f.rule.id == NX000.id for f in result.findings):
        out.left.append(f"{result.path}: not changed: it does not parse (NX000)")
        return
    ctx = linter.ci.context_for(project_relpath(result.path, linter.config.root, cwd), result.path, kind, src.fs_path)
    text = src.text
    current, _ = linter.files.lint(SourceFile(src.path, text, src.encoding, src.bom, src.fs_path), kind, ctx)
    added = 0
    for line, ids in _groups(result):
        trial = _trial(linter, kind, ctx, src, text, current, line, ids, reason)
        if isinstance(trial, str):
            out.left.append(f"{result.path}:{line}: {','.join(ids)} not suppressed: {trial}")
            continue
        text, current, n = trial
        added += 1
        out.findings += n
    if added and _write(linter, result, src, text, out):
        out.files += 1
        out.comments += added


def _trial(linter, kind, ctx, src: SourceFile, text: str, current: List[Finding], line: int, ids: List[str],
           reason: str):
    """(new text, its findings, how many it suppresses), or why the comment cannot be added."""
    from nexus_lint.kinds.comments import suppression_comment

    if kind.name == "python" and _in_python_string(text, line):
        return "the line is inside a string"
    cur = SourceFile(src.path, text, src.encoding, src.bom, src.fs_path)
    made = suppression_comment(kind.name, cur, line, ids, reason)
    if made is None:
        return "the format has no comments"
    offset, comment = made
    new = text[:offset] + comment + text[offset:]
    findings, failed = linter.files.lint(SourceFile(src.path, new, src.encoding, src.bom, src.fs_path), kind, ctx)
    if failed or any(f.rule.id == NX000.id for f in findings):
        return "a comment there would break the file"
    wanted = set(ids)
    before = _at(current, line, wanted)
    if _at(findings, line + 1, wanted) or len(_open(findings)) > len(_open(current)) - before:
        return "a comment above the line does not cover it (inside a string, or not a comment there)"
    return new, findings, before


def _in_python_string(text: str, line: int) -> bool:
    """Would a line inserted above ``line`` of the Python ``text`` fall inside a
    string that spans lines (a triple-quoted string, an f-string)?"""
    import io
    import tokenize

    depth, opened = 0, 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            name = tokenize.tok_name.get(tok.type, "")
            if name == "FSTRING_START":
                depth, opened = depth + 1, (opened if depth else tok.start[0])
            elif name == "FSTRING_END":
                depth -= 1
                if not depth and opened < line <= tok.end[0]:
                    return True
            elif tok.type == tokenize.STRING and tok.start[0] < line <= tok.end[0]:
                return True
            if tok.start[0] > line:
                break
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return True  # not sure: never risk it
    return False


def _write(linter, result: FileResult, src: SourceFile, text: str, out: NoqaOutcome) -> bool:
    from nexus_lint.core.fix import atomic_write

    try:
        atomic_write(src.fs_path, src.encode(text), expected=src.encode(), root=linter.repos.root_of(src.fs_path))
    except (OSError, UnicodeError) as exc:
        out.left.append(f"{result.path}: not written: {getattr(exc, 'strerror', None) or exc}")
        return False
    return True


