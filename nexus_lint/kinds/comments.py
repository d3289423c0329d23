"""Suppression comments, for every file kind: the lines a marker covers.

Each extractor knows where its format's comments are (a reader in
``nexus_lint.lang`` finds them, as :class:`~nexus_lint.lang.textpos.Comment`)
and which lines make one entry (an instruction, a command, a key with its
value); :func:`suppressions` turns every ``nexus-lint: ignore[...]`` marker
among the comments into a :class:`~nexus_lint.core.model.Suppression` fact:

* a comment on a line of its own covers the line below it and every line of
  an entry that starts there (``own_line_too``: its own line as well);
* an end-of-line comment covers its line and every line of each entry that
  spans that line (``eol="starting"``: of each entry that starts on it).
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence, Set, Tuple

from nexus_lint.core.model import Suppression
from nexus_lint.core.suppress import parse_marker


def suppressions(source, comments: Iterable, entries: Sequence[Tuple[int, int]] = (), *,
                 own_line_too: bool = False, eol: str = "spanning") -> Iterator[Suppression]:
    """The markers among ``comments``; ``entries`` are (first line, last line)
    of the file's entries (a continued value, an instruction, a command)."""
    for c in comments:
        if "nexus-lint" not in c.text:
            continue
        parsed = parse_marker(c.text)
        if parsed is None:
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
        yield Suppression(ids, tuple(sorted(covered)), *c.span(s, e))
