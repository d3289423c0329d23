"""Shell script facts (``*.sh``, ``*.bash``, files with a ``sh``/``bash`` shebang).

The script goes through the shared shell analyser; images come from the
command knowledge in :mod:`nexus_lint.tools.commands`.  tree-sitter error
nodes alone are not a parse problem (bash scripts with odd syntax are common
and the tree is still used); NX000 is reported only when the analysis was cut
short or the file is mostly not shell at all.

Suppressions: ``# nexus-lint: ignore[NX101]`` at the end of a line covers that
line (and every line of a command that spans it); on a line of its own it
covers the line below (and every line of a command that starts there).
"""

from __future__ import annotations

from typing import Iterator, List, Tuple

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import SHELL

KIND = FileKind(
    name="shell",
    extractor="nexus_lint.kinds.shell:extract",
    globs=("*.sh", "*.bash", "*.ksh", "*.zsh"),
    shebangs=("sh", "bash", "dash", "ksh", "zsh", "ash"),
    tokens=SHELL,
)

# Share of the file's bytes tree-sitter could not place in any construct above
# which the file is reported as not being shell.
NOT_SHELL_RATIO = 0.5


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import ParseProblem
    from nexus_lint.core.sourced import SourcedStr
    from nexus_lint.kinds.embedded import analyse, command_facts

    text = source.text
    analysis = analyse(SourcedStr.literal(text, 0))
    not_shell = analysis.error_ratio > NOT_SHELL_RATIO
    if not_shell:
        start, end = analysis.errors[0] if analysis.errors else (0, 0)
        yield ParseProblem("not a shell script: most of it does not parse as shell",
                           max(start, 0), max(end, start, 0))
    elif analysis.problem:
        yield ParseProblem(analysis.problem, 0, 0)
    if not not_shell:
        from nexus_lint.values.secrets import is_test_path

        # A script's own constants are judged by their values, unless CI runs it.
        yield from command_facts(analysis, strict_assignments=context.is_ci, test_code=is_test_path(context.path))
    if "nexus-lint" in text:
        yield from _suppressions(text, analysis, source)


def _suppressions(text: str, analysis, source) -> Iterator[object]:
    """Every line of a command is one entry; comments are the analyser's."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.textpos import Comment, own_line

    spans: List[Tuple[int, int]] = [
        (source.line_of(c.start), source.line_of(max(c.start, c.end - 1)))
        for c in analysis.commands
        if c.depth == 0 and c.start >= 0 and c.end >= 0
    ]
    comments = [Comment(c.start, c.text.text, own_line(text, c.start, "\n"))
                for c in analysis.comments if c.start >= 0 and "nexus-lint" in c.text.text]
    return suppressions(source, comments, spans, own_line_too=True)
