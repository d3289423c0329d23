"""Inline suppressions: ``nexus-lint: ignore[NX101,NX102]`` in a comment.

Extractors know where comments are and turn each marker into a
:class:`~nexus_lint.core.model.Suppression` fact naming the lines it covers: the
comment's own line where the format has end-of-line comments, and the line
directly below it (and, in a Dockerfile, the whole instruction below it).
Only exact rule ids silence anything; an id that names no rule is an error
of the run (exit 2, with the closest valid id), so a typo never passes as a
suppression that silently does nothing.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import Finding, Suppression

# One character class inside the brackets, so a run of spaces with no closing
# bracket costs linear time (the old lazy group between two ``\s*`` was cubic).
MARKER = lazy_re(r"nexus-lint:\s*ignore\[([A-Za-z0-9_,\s]*)\]")


def parse_marker(comment: str) -> Optional[Tuple[Tuple[str, ...], int, int]]:
    """Return (ids, start, end) of the marker inside ``comment`` text, if any."""
    m = MARKER.search(comment)
    if not m:
        return None
    ids = tuple(p.strip().upper() for p in m.group(1).split(",") if p.strip())
    if not ids:
        return None
    return ids, m.start(), m.end()


def suppression_for_comment(comment: str, offset: int, lines: Iterable[int]) -> Optional[Suppression]:
    parsed = parse_marker(comment)
    if parsed is None:
        return None
    ids, s, e = parsed
    return Suppression(ids, tuple(lines), offset + s, offset + e)


def apply(findings: List[Finding], suppressions: List[Suppression], line_of) -> None:
    """Mark findings covered by a suppression (by the finding's line or a related line)."""
    if not suppressions:
        return
    index = {}
    for sup in suppressions:
        for line in sup.lines:
            index.setdefault(line, []).append(sup)
    for finding in findings:
        places = [(finding.line, finding.start)] + [(line_of(r.start), r.start) for r in finding.related]
        for line, offset in places:
            if any(finding.rule.id in sup.ids and (sup.scope is None or sup.scope[0] <= offset < sup.scope[1])
                   for sup in index.get(line, ())):
                finding.suppressed = True
                break
