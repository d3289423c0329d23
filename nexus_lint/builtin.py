"""The built-in file kinds and rules, registered through the public plugin hooks."""

from __future__ import annotations

from .hookspecs import hookimpl
from .kinds import FileKind


@hookimpl
def nexus_lint_file_kinds():
    pkg = "nexus_lint.extract.pkgconfig"
    return [
        FileKind(name="pip-conf", names=("pip.conf", "pip.ini"), extractor=f"{pkg}:pip_conf"),
        FileKind(
            name="requirements",
            globs=("requirements*.txt", "constraints*.txt", "requirements*.in", "constraints*.in"),
            path_globs=("requirements/*.txt", "*/requirements/*.txt", "requirements/*.in", "*/requirements/*.in"),
            extractor=f"{pkg}:requirements",
        ),
        FileKind(name="pyproject", names=("pyproject.toml", "uv.toml"), extractor=f"{pkg}:pyproject"),
        FileKind(name="pypirc", names=(".pypirc",), extractor=f"{pkg}:pypirc"),
        FileKind(name="npmrc", names=(".npmrc",), extractor=f"{pkg}:npmrc"),
        # above the catch-all "kubernetes" kind that takes every *.yml
        FileKind(name="yarnrc", names=(".yarnrc.yml", ".yarnrc.yaml"), extractor=f"{pkg}:yarnrc", priority=25),
        FileKind(name="package-json", names=("package.json",), extractor=f"{pkg}:package_json"),
        FileKind(name="yum-repo", names=("yum.conf", "dnf.conf"), globs=("*.repo",), extractor=f"{pkg}:yum_repo"),
        FileKind(name="maven", names=("settings.xml", "pom.xml"), globs=("*.pom",), extractor=f"{pkg}:maven"),
        FileKind(
            name="dockerfile",
            extractor="nexus_lint.extract.dockerfile:extract",
            names=("dockerfile", "containerfile"),
            globs=("dockerfile.*", "containerfile.*", "*.dockerfile", "*.containerfile"),
            not_globs=("*.md", "*.rst", "*.txt", "*.html", "*.orig", "*.rej", "*.bak", "*.swp", "*.dockerignore"),
        ),
        FileKind(
            name="gitlab-ci",
            extractor="nexus_lint.extract.gitlab:extract",
            names=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
            globs=("*.gitlab-ci.yml", "*.gitlab-ci.yaml"),
            path_globs=(".gitlab/*.yml", ".gitlab/*.yaml", "*/.gitlab/*.yml", "*/.gitlab/*.yaml"),
            ci=True,
            priority=30,
            ci_scripts="nexus_lint.extract.gitlab:ci_scripts",
        ),
        FileKind(
            name="github-actions",
            extractor="nexus_lint.extract.github:extract",
            names=("action.yml", "action.yaml"),
            path_globs=(".github/workflows/*.yml", ".github/workflows/*.yaml", "*/.github/workflows/*.yml", "*/.github/workflows/*.yaml"),
            ci=True,
            priority=30,
            ci_scripts="nexus_lint.extract.github:ci_scripts",
        ),
        FileKind(
            name="compose",
            extractor="nexus_lint.extract.compose:extract",
            names=("compose.yml", "compose.yaml", "docker-compose.yml", "docker-compose.yaml"),
            globs=("docker-compose*.yml", "docker-compose*.yaml", "compose.*.yml", "compose.*.yaml"),
            priority=20,
        ),
        FileKind(
            name="kubernetes",
            extractor="nexus_lint.extract.kubernetes:extract",
            globs=("*.yml", "*.yaml"),
            not_globs=(".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "mkdocs.yml", ".yamllint*", ".readthedocs.y*ml"),
            priority=0,
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
    from .checks import hosts, images, parse, urls

    return [parse.CHECK, images.CHECK, urls.CHECK, hosts.CHECK]
