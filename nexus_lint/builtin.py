"""The built-in file kinds and rules, registered through the public plugin hooks."""

from __future__ import annotations

from nexus_lint.hookspecs import hookimpl
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PYTHON


@hookimpl
def nexus_lint_file_kinds():
    from nexus_lint.kinds import (compose, docker_config, dockerfile, github, gitlab, kubernetes, maven, npmrc,
                                  package_json, pip_conf, pypirc, pyproject, requirements, shell, yarnrc, yum_repo)

    # In this order: it settles ties between kinds of the same priority.
    kinds = [pip_conf, requirements, pyproject, pypirc, npmrc, yarnrc, package_json, yum_repo, maven, docker_config,
             dockerfile, gitlab, github, compose, kubernetes, shell]
    # Prefilter tokens and the rest of the speed settings: see FileKind and nexus_lint.tools.triggers.
    python = FileKind(
        name="python",
        extractor="nexus_lint.kinds.python:extract",
        globs=("*.py", "*.pyw"),
        shebangs=("python", "pypy"),  # python3, python3.12, pypy3: digits are dropped
        tokens=PYTHON,
        nx000_needs_parse=False,  # extract.python skips (no NX000) a file without these tokens itself
    )
    return [k.KIND for k in kinds] + [python]


@hookimpl
def nexus_lint_rules():
    from nexus_lint.checks import api; from nexus_lint.checks import hosts; from nexus_lint.checks import images; from nexus_lint.checks import parse; from nexus_lint.checks import secrets; from nexus_lint.checks import urls

    return [parse.CHECK, images.CHECK, urls.CHECK, hosts.CHECK, secrets.CHECK, api.CHECK]
