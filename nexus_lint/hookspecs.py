"""The plugin API of nexus-lint (pluggy project name ``nexus_lint``).

A plugin is a module or object with functions marked ``@hookimpl``, made known
through the entry-point group ``nexus_lint`` in its package metadata::

    [project.entry-points.nexus_lint]
    myplugin = "my_package.nexus_plugin"

The built-in file kinds and rules register through these same hooks (entry
point ``builtin``), so every run exercises the API.  Hooks are called once at
start-up (``nexus_lint_file_kinds``, ``nexus_lint_rules``) or once per file
(``nexus_lint_extract``), never per syntax node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, List, Optional

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from nexus_lint.kinds.base import FileContext, FileKind
    from nexus_lint.checks.base import Check
    from nexus_lint.core.source import SourceFile

PROJECT = "nexus_lint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def nexus_lint_file_kinds() -> "List[FileKind]":
    """Return the file kinds this plugin can read.

    A :class:`nexus_lint.kinds.base.FileKind` says how files of the kind are
    recognised (names, globs, shebang interpreters) and which extractor turns a
    file into facts.  Called once at start-up.
    """


@hookspec
def nexus_lint_rules() -> "List[Check]":
    """Return checks: each :class:`nexus_lint.checks.base.Check` declares the rules
    (:class:`nexus_lint.core.model.RuleMeta`) it reports and a function from a
    file's facts to findings.  Called once at start-up."""


@hookspec
def nexus_lint_extract(source: "SourceFile", context: "FileContext") -> "Optional[Iterable[object]]":
    """Return extra facts for one file (any kind), or None.

    The file kind's own extractor has already run; this hook lets a plugin add
    facts to files it does not own.  Called once per linted file.
    """
