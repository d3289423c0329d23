"""Suppression comments, for every file kind: the lines a marker covers.

Each extractor knows where its format's comments are (a reader in
``nexus_lint.lang`` finds them, as :class:`~nexus_lint.lang.textpos.Comment`)
and which lines make one entry (an instruction, a command, a key with its
value); :func:`suppressions` turns every ``nexus-lint: ignore[...]`` marker
among the comments into a :class:`~nexus_lint.core.model.Suppression` fact:

* a comment on a line of its own covers the line below it and every line of
  an entry that starts there (``own_line_too``: its own line as well);
* an end-of-line comment covers its line and every line of each entry that
  spans that line (``eol="starting"``: of each entry that starts on it);
* a marker a reviewer would not see does not count: more than ``MAX_GAP``
  blanks between the code and its comment, or a comment starting past column
  ``MAX_COLUMN``;
* a comment of a piece embedded in a string (a shell comment in a YAML
  ``script:`` scalar) covers only findings inside that piece, never a key
  next to it on its line or below the block.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional, Sequence, Set, Tuple

from nexus_lint.core.model import Suppression
from nexus_lint.core.suppress import parse_marker


# How a suppression comment is written, by kind: an own-line comment above the
# line, "#" unless named here ("{}": where the marker goes).  Kinds whose
# format has no comments cannot carry one.  (The language server's "suppress on
# this line" action and ``check --add-noqa`` both write them.)
COMMENT_SYNTAX = {"devcontainer": "//", "jenkinsfile": "//", "maven": "<!-- {} -->",
                  "helm-template": "{{{{/* {} */}}}}"}
NO_COMMENTS = frozenset({"package-json", "docker-config", "json-config"})


def suppression_comment(kind: Optional[str], src, line: int, ids: Sequence[str], reason: str = "") -> Optional[tuple]:
    """(offset, text) that suppresses the rules ``ids`` on ``line`` of the
    SourceFile ``src`` with an own-line comment above it, indented like it, in
    the kind's comment syntax; None where the format has no comments."""
    if kind in NO_COMMENTS:
        return None
    text = src.line_text(line)
    indent = text[:len(text) - len(text.lstrip(" \t"))]
    marker = f"nexus-lint: ignore[{','.join(ids)}]" + (f" {reason}" if reason else "")
    syntax = COMMENT_SYNTAX.get(kind or "", "#")
    comment = syntax.format(marker) if "{}" in syntax else f"{syntax} {marker}"
    eol = "\r\n" if src.text[src.line_starts[line - 1]:].split("\n", 1)[0].endswith("\r") else "\n"
    return src.line_starts[line - 1], f"{indent}{comment}{eol}"


# A marker a reviewer would not see does not count: one pushed far to the right
# (more than this much blank before its comment, or starting past this column).
MAX_GAP = 40
MAX_COLUMN = 240


def hidden(text: str, start: int) -> bool:
    """Does the comment at ``start`` stand where a reviewer would not look?"""
    line_start = text.rfind("\n", max(0, start - MAX_COLUMN - 1), start) + 1
    if line_start == 0 and start > MAX_COLUMN:  # no line break within reach: far out
        return True
    if start - line_start > MAX_COLUMN:
        return True
    k = start
    while k > line_start and text[k - 1] in " \t":
        k -= 1
    return k > line_start and start - k > MAX_GAP  # (an own-line comment's indentation is not a gap)


def suppressions(source, comments: Iterable, entries: Sequence[Tuple[int, int]] = (), *,
                 own_line_too: bool = False, eol: str = "spanning",
                 scope_of: Optional[Callable[[object], Optional[Tuple[int, int]]]] = None) -> Iterator[Suppression]:
    """The markers among ``comments``; ``entries`` are (first line, last line)
    of the file's entries (a continued value, an instruction, a command);
    ``scope_of(comment)``: the span of the embedded piece the comment belongs
    to (its marker covers only findings inside it).  A marker pushed out of
    sight (:func:`hidden`) does not count."""
    for c in comments:
        if "nexus-lint" not in c.text:
            continue
        parsed = parse_marker(c.text)
        if parsed is None:
            continue
        if c.start >= 0 and hidden(source.text, c.start):
            continue
        ids, s, e = parsed
        line = source.line_of(c.start)
        covered: Set[int] = set()
        if c.own_line:
            covered.add(line + 1)
            if own_line_too:
                covered.add(line)
            for first, last in entries:
                if first == line + 1:
                    covered.update(range(first, last + 1))
        else:
            covered.add(line)
            for first, last in entries:
                if first == line if eol == "starting" else first <= line <= last:
                    covered.update(range(first, last + 1))
        yield Suppression(ids, tuple(sorted(covered)), *c.span(s, e), scope=scope_of(c) if scope_of else None)
