"""The built-in file kinds and rules, registered through the public plugin hooks."""

from __future__ import annotations

from .hookspecs import hookimpl
from .kinds import FileKind


@hookimpl
def nexus_lint_file_kinds():
    return [
        FileKind(
            name="dockerfile",
            extractor="nexus_lint.extract.dockerfile:extract",
            names=("dockerfile", "containerfile"),
            globs=("dockerfile.*", "containerfile.*", "*.dockerfile", "*.containerfile"),
            not_globs=("*.md", "*.rst", "*.txt", "*.html", "*.orig", "*.rej", "*.bak", "*.swp", "*.dockerignore"),
        ),
        FileKind(
            name="shell",
            extractor="nexus_lint.extract.shell:extract",
            globs=("*.sh", "*.bash", "*.ksh", "*.zsh"),
            shebangs=("sh", "bash", "dash", "ksh", "zsh", "ash"),
        ),
    ]


@hookimpl
def nexus_lint_rules():
    from .checks import images, parse

    return [parse.CHECK, images.CHECK]
