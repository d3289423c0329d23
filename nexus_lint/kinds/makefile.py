"""Makefiles (``Makefile``, ``makefile``, ``GNUmakefile``, ``*.mk``).

Recipe lines go through the shared shell analyser after make's own
processing: make's variables expanded (``$(VAR)``, ``${VAR}``, ``$V``; ``=``,
``:=``, ``::=``, ``?=``, ``+=``, ``override``, ``export``, ``define``, and
target-specific ``target: VAR = value`` for that target's recipe), ``$$``
made ``$``, the ``@``/``-``/``+`` prefixes dropped, backslash-newlines passed
on as they stand.  A value that came through a variable keeps its literal's
offsets, so ``REGISTRY ?= host:8444`` used by ``docker push $(REGISTRY)/app``
is reported and fixed in the assignment.  Functions (``$(shell ...)``,
``$(call ...)``, ...), automatic variables (``$@``, ``$<``, ...) and
undefined variables are unknown, never guessed.  Exported variables are the
recipe shell's environment.  ``include``d files (relative to the Makefile's
folder, globs expanded, never outside the repository) are read in place: their
variables and recipes take part, and a fact of their recipes is kept when its
value has a literal of this file (placed there).  Conditionals are not
evaluated: both branches are read in order, a later assignment wins.  Variable values are also read for credentials
and URLs.  The reader is :mod:`nexus_lint.lang.make`, the facts
:mod:`nexus_lint.kinds.makefile_facts` (both imported on first use).

NX000: what GNU make itself rejects and the reader can tell for certain (a
recipe line before the first rule, a missing separator, unbalanced
conditionals or ``define``), with make's message.

Suppressions: ``# nexus-lint: ignore[NX103]`` as a make comment (on a line of
its own it covers the next line and the whole logical line starting there; at
the end of a line, that line), or as a shell comment in a recipe line
(a ``#`` in a recipe belongs to the shell).

A recipe that pushes, uploads or logs in is not CI context by itself; a
Makefile is CI context by its location (under ``ci/``, ...), and the recipes
of the targets a CI file runs (``make push``, ``make -C deploy release``; no
target named: the default goal) and of their prerequisites, transitively, are
(their image and URL facts carry ``ci``).
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import SHELL

KIND = FileKind(
    name="makefile",
    extractor="nexus_lint.kinds.makefile:extract",
    names=("makefile", "gnumakefile"),
    globs=("*.mk",),
    tokens=SHELL,  # recipes are shell; variable values hold URLs and credentials (in SHELL too)
    runnable=False,
    ci_targets=True,  # `make push` in a CI job: that recipe (and its prerequisites') is CI context
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.makefile_facts import extract as facts  # the reader is imported on first use

    return facts(source, context)
