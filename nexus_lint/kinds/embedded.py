"""Shell embedded in another file kind: a Dockerfile ``RUN``, a GitLab
``script`` line, a GitHub ``run:`` step, a ``package.json`` script.

The piece goes through the one shell analyser (:mod:`nexus_lint.lang.shell`)
with the environment its host gives it, and its commands through the command
knowledge (:mod:`nexus_lint.tools.commands`).  Shell comments with a
``nexus-lint`` marker are collected as the pieces are analysed, so the host
can report them (:func:`comment_suppressions`) with its own.
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import SHELL

# (start, end) in the file -> (a shell comment with a marker, the span of the piece it stands in)
Comments = Dict[Tuple[int, int], object]

# The shell words prefilter (the shell kind's tokens): they hold every trigger
# word of the command knowledge (tests/test_perf_features.py keeps them so).
_SHELL_WORDS = FileKind(name="embedded shell", extractor="", tokens=SHELL)


def worth_analysing(text: str) -> bool:
    """Could this shell hold a command the command knowledge reads (its trigger words)?

    ASCII text without any of the shell words cannot, and is turned away before
    the command knowledge (and the shell parser) is even imported."""
    if text.isascii() and not _SHELL_WORDS.wanted(text.encode("ascii")):
        return False
    from nexus_lint.tools.commands import worth_analysing as worth

    return worth(text)


def analyse(script, env=None, comments: Optional[Comments] = None):
    """The shell analysis of ``script`` (a SourcedStr) with ``env``; its marker
    comments that stand in the file are added to ``comments``."""
    from nexus_lint.lang.shell import analyse as shell_analyse

    analysis = shell_analyse(script, env)
    if comments is not None:
        scope = None
        for c in analysis.comments:
            if c.start >= 0 and "nexus-lint" in c.text.text:
                if scope is None:
                    scope = script.extent() or (c.start, c.end)
                comments[(c.start, c.end)] = (c, scope)  # (the piece it stands in: what it may cover)
    return analysis


def command_facts(analysis, **options) -> Iterator[object]:
    """Every fact the command knowledge draws from an analysis (``options``: see
    :func:`nexus_lint.tools.commands.command_facts`)."""
    from nexus_lint.tools.commands import command_facts as facts

    return facts(analysis, **options)


def script_facts(scripts: Iterable, env=None, comments: Optional[Comments] = None) -> Iterator[object]:
    """The facts of each script worth analysing (nothing is imported for none)."""
    wanted = [s for s in scripts if worth_analysing(s.text)]
    for script in wanted:
        yield from command_facts(analyse(script, env, comments))


def comment_suppressions(text: str, comments: Comments, source) -> Iterator[object]:
    """Suppressions of the collected shell comments: an end-of-line marker covers
    its line, one on a line of its own that line and the next."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.textpos import Comment, own_line

    found: List[Comment] = []
    scopes = {}
    for (start, end), (c, scope) in sorted(comments.items()):
        comment = Comment(start, c.text.text, own_line(text, start, "\n"), end, c.text)
        scopes[id(comment)] = scope
        found.append(comment)
    return suppressions(source, found, own_line_too=True, scope_of=lambda c: scopes.get(id(c)))
