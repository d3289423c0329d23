"""Dockerfile / Containerfile facts.

Images come from ``FROM`` (after substituting global ``ARG`` defaults),
``COPY/ADD --from=`` and ``RUN --mount=...,from=`` (after substituting the
stage's ``ARG``/``ENV``).  Stage names (case-insensitive), numeric stage
indexes and ``scratch`` are not images.  A value that depends on a variable
with no known value is not guessed at; one that came from an ``ARG`` default
keeps the offsets of that literal, so the finding lands there.
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind

KIND = FileKind(
    name="dockerfile",
    extractor="nexus_lint.kinds.dockerfile:extract",
    names=("dockerfile", "containerfile"),
    globs=("dockerfile.*", "dockerfile-*", "dockerfile_*", "containerfile.*", "containerfile-*", "containerfile_*",
           "*.dockerfile", "*.containerfile"),
    not_globs=("*.md", "*.rst", "*.txt", "*.html", "*.orig", "*.rej", "*.bak", "*.swp", "*.dockerignore",
               "*.py", "*.pyc", "*.go", "*.js", "*.ts", "*.json", "*.yml", "*.yaml", "*.toml", "*.sh"),
    runnable=False,  # no prefilter: every Dockerfile has a FROM
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.dockerfile_facts import extract as facts  # the reader is imported on first use

    return facts(source, context)
