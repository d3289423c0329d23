"""The built-in file kinds and rules, registered through the public plugin hooks."""

from __future__ import annotations

from nexus_lint.hookspecs import hookimpl
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES, PACKAGE_CONFIG, PYTHON, SHELL, XML_ESCAPES


@hookimpl
def nexus_lint_file_kinds():
    pkg = "nexus_lint.kinds.pkgconfig"
    # Prefilter tokens and the rest of the speed settings: see FileKind and nexus_lint.tools.triggers.
    ini = dict(tokens=PACKAGE_CONFIG, runnable=False)
    escaped = dict(tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)
    return [
        FileKind(name="pip-conf", names=("pip.conf", "pip.ini"), extractor=f"{pkg}:pip_conf", **ini),
        FileKind(
            name="requirements",
            globs=("requirements*.txt", "constraints*.txt", "requirements*.in", "constraints*.in"),
            path_globs=("requirements/*.txt", "*/requirements/*.txt", "requirements/*.in", "*/requirements/*.in"),
            extractor=f"{pkg}:requirements",
            nx000_needs_parse=False,  # requirements files are never NX000
            **escaped,
        ),
        FileKind(name="pyproject", names=("pyproject.toml", "uv.toml"), extractor=f"{pkg}:pyproject", **escaped),
        FileKind(name="pypirc", names=(".pypirc",), extractor=f"{pkg}:pypirc", **ini),
        FileKind(name="npmrc", names=(".npmrc",), extractor=f"{pkg}:npmrc", nx000_needs_parse=False, **escaped),
        # above the catch-all "kubernetes" kind that takes every *.yml
        FileKind(name="yarnrc", names=(".yarnrc.yml", ".yarnrc.yaml"), extractor=f"{pkg}:yarnrc", priority=25, **escaped),
        FileKind(name="package-json", names=("package.json",), extractor=f"{pkg}:package_json",
                 tokens=SHELL + ESCAPES, runnable=False),
        FileKind(name="yum-repo", names=("yum.conf", "dnf.conf"), globs=("*.repo",), extractor=f"{pkg}:yum_repo", **ini),
        FileKind(name="maven", names=("settings.xml", "pom.xml"), globs=("*.pom",), extractor=f"{pkg}:maven",
                 tokens=PACKAGE_CONFIG + XML_ESCAPES, runnable=False),
        # docker's client config committed by mistake: auths hold base64 user:password
        FileKind(name="docker-config", path_globs=(".docker/config.json", "*/.docker/config.json"),
                 extractor=f"{pkg}:docker_config", tokens=("auth", "password", "token"), runnable=False),
        FileKind(
            name="dockerfile",
            extractor="nexus_lint.kinds.dockerfile:extract",
            names=("dockerfile", "containerfile"),
            globs=("dockerfile.*", "dockerfile-*", "dockerfile_*", "containerfile.*", "containerfile-*", "containerfile_*",
                   "*.dockerfile", "*.containerfile"),
            not_globs=("*.md", "*.rst", "*.txt", "*.html", "*.orig", "*.rej", "*.bak", "*.swp", "*.dockerignore",
                       "*.py", "*.pyc", "*.go", "*.js", "*.ts", "*.json", "*.yml", "*.yaml", "*.toml", "*.sh"),
            runnable=False,  # no prefilter: every Dockerfile has a FROM
        ),
        FileKind(
            name="gitlab-ci",
            extractor="nexus_lint.kinds.gitlab:extract",
            names=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
            globs=("*.gitlab-ci.yml", "*.gitlab-ci.yaml"),
            path_globs=(".gitlab/*.yml", ".gitlab/*.yaml", "*/.gitlab/*.yml", "*/.gitlab/*.yaml"),
            ci=True,
            priority=30,
            ci_scripts="nexus_lint.kinds.gitlab:ci_scripts",
            ci_globs=(".gitlab-ci.yml", ".gitlab-ci.yaml", ".gitlab/**/*.yml", ".gitlab/**/*.yaml"),
            ci_roots=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
            ci_includes="nexus_lint.kinds.gitlab:local_includes",
            ci_include_tokens=("include",),
            runnable=False,
        ),
        FileKind(
            name="github-actions",
            extractor="nexus_lint.kinds.github:extract",
            names=("action.yml", "action.yaml"),
            path_globs=(".github/workflows/*.yml", ".github/workflows/*.yaml", "*/.github/workflows/*.yml", "*/.github/workflows/*.yaml"),
            ci=True,
            priority=30,
            ci_scripts="nexus_lint.kinds.github:ci_scripts",
            ci_globs=(".github/workflows/*.yml", ".github/workflows/*.yaml"),
            runnable=False,
        ),
        FileKind(
            name="compose",
            extractor="nexus_lint.kinds.compose:extract",
            names=("compose.yml", "compose.yaml", "docker-compose.yml", "docker-compose.yaml"),
            globs=("docker-compose*.yml", "docker-compose*.yaml", "compose.*.yml", "compose.*.yaml"),
            priority=20,
            tokens=("image",) + CREDENTIALS + ESCAPES,
            runnable=False,
            cache_deps="nexus_lint.pipeline.cache:compose_deps",
        ),
        FileKind(
            name="kubernetes",
            extractor="nexus_lint.kinds.kubernetes:extract",
            globs=("*.yml", "*.yaml"),
            not_globs=(".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "mkdocs.yml", ".yamllint*", ".readthedocs.y*ml"),
            priority=0,
            tokens=("apiversion", "image") + CREDENTIALS + ESCAPES,
            nx000_needs_parse=False,  # NX000 only for text with an apiVersion
            runnable=False,
        ),
        FileKind(
            name="shell",
            extractor="nexus_lint.kinds.shell:extract",
            globs=("*.sh", "*.bash", "*.ksh", "*.zsh"),
            shebangs=("sh", "bash", "dash", "ksh", "zsh", "ash"),
            tokens=SHELL,
        ),
        FileKind(
            name="python",
            extractor="nexus_lint.kinds.python:extract",
            globs=("*.py", "*.pyw"),
            shebangs=("python", "pypy"),  # python3, python3.12, pypy3: digits are dropped
            tokens=PYTHON,
            nx000_needs_parse=False,  # extract.python skips (no NX000) a file without these tokens itself
        ),
    ]


@hookimpl
def nexus_lint_rules():
    from nexus_lint.checks import api; from nexus_lint.checks import hosts; from nexus_lint.checks import images; from nexus_lint.checks import parse; from nexus_lint.checks import secrets; from nexus_lint.checks import urls

    return [parse.CHECK, images.CHECK, urls.CHECK, hosts.CHECK, secrets.CHECK, api.CHECK]
