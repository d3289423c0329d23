"""The one shell analyser every host feeds (``.sh`` files, Dockerfile ``RUN``,
CI ``script:``/``run:`` blocks, ``package.json`` scripts).

A host hands :func:`analyse` the shell text as a :class:`SourcedStr` whose
characters carry offsets into the host file.  The text is parsed with
tree-sitter-bash (imported on first use) and walked once, in source order:

* every simple command, wherever it sits (pipelines, ``&&``/``||`` lists,
  subshells, ``if``/``for``/``while``/``case`` bodies, functions, ``$(...)``,
  backticks, process substitutions, heredoc redirect lines) becomes a
  :class:`Command` whose words are quote-removed and variable-expanded;
* ``NAME=value``, ``export``/``declare``/``local``/``readonly``/``typeset``
  assignments are applied in order (linear, no control-flow merging: a later
  assignment wins from that point on); ``unset``, ``read``, ``printf -v``
  make a variable unset or unknown;
* ``for NAME in a b c`` over at most ``MAX_UNROLL`` known words walks the loop
  body once per word (so each iteration's commands are seen with NAME bound);
  any other loop variable is unknown;
* the script of ``sh -c '...'``, ``bash -c``, ``eval ...``, ``su -c`` and
  ``ssh host '...'`` is analysed again, as shell, with its offsets kept
  (bounded depth), so ``bash -c "docker push $IMG"`` is a ``docker push``;
* ``comment`` nodes are collected (a ``#`` inside quotes is not a comment).

Characters of an expanded word keep the offsets of the literal they came from:
``REG=host:8444; docker push "$REG/app"`` gives ``host:8444/app`` whose first
nine characters point into the assignment.  A part whose value is unknown (an
unknown or unset variable, ``$(...)``, an arithmetic expansion, ``~``, a glob or
brace expansion) makes the word ``known=False``; the value then holds that
part's text as written, with offset -1, so a partly known word can still be
read by a rule that wants to (but never edited there).

Nothing here raises: malformed input gives ``has_errors`` (the tree is still
used), and hostile input is bounded (a parse deadline, a work budget, a bound
on expansion depth and on nested ``sh -c`` analysis); an analysis that was cut
short says so in ``problem`` and ``truncated``.

This module is the entry point; its parts: the model (:mod:`.shell_model`),
tree-sitter and byte offsets (:mod:`.shell_treesitter`), the walk over the
tree (:mod:`.shell_walk`), word evaluation (:mod:`.shell_expand`), command
prefixes and script-running commands (:mod:`.shell_prefixes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Dict, List, Optional

from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shell_expand import OutOfBudget, Shared
from nexus_lint.lang.shell_model import Assignment, Command, Comment, EnvView, ShellAnalysis, Word
from nexus_lint.lang.shell_treesitter import parse_bash, parser
from nexus_lint.lang.shell_walk import Analyser

__all__ = ["Word", "Command", "Comment", "Assignment", "ShellAnalysis", "EnvView", "analyse"]

# -- bounds (the others sit where they are used: shell_expand, shell_walk) ----
PARSE_SECONDS = 3.0  # tree-sitter stops reading input after at most this long (0.5 s + 1 s per MB)
WORK_BUDGET = 400_000  # syntax nodes visited + word nodes evaluated, per analysis tree


def analyse(script: SourcedStr, env: Optional[Mapping] = None) -> ShellAnalysis:
    """Analyse shell text; never raises (see the module docstring for the bounds)."""
    commands: List[Command] = []
    try:
        try:
            parser()
        except ImportError as exc:  # pragma: no cover - an installation problem
            return ShellAnalysis([], [], False, problem=f"shell analysis unavailable: {exc}")
        start_env: Dict[str, object] = {}
        if env:
            for k, v in env.items():
                start_env[k] = v if isinstance(v, SourcedStr) else (None if v is None else SourcedStr.unknown(str(v)))
        shared = Shared(WORK_BUDGET, PARSE_SECONDS)
        an = Analyser(script, start_env, shared, 0, commands)
        tree, stopped = parse_bash(an.src, PARSE_SECONDS)
        if stopped:
            shared.truncated = True
        if tree is None:
            return ShellAnalysis([], [], True, truncated=True, problem="shell parser gave no tree")
        root = tree.root_node
        try:
            an.run(root)
        except OutOfBudget:
            shared.truncated = True
        ratio = an.error_bytes / len(an.src) if an.src else 0.0
        problem = None
        if shared.truncated:
            problem = "shell script too large or complex: analysis stopped early"
        return ShellAnalysis(commands, an.comments, root.has_error, an.errors, ratio, shared.truncated, problem,
                             script, shared.assignments)
    except RecursionError:
        return ShellAnalysis(commands, [], True, truncated=True, problem="shell script nested too deeply")
    except Exception as exc:  # never let one script stop the run
        return ShellAnalysis(commands, [], True, truncated=True,
                             problem=f"shell analysis failed: {type(exc).__name__}: {exc}")
