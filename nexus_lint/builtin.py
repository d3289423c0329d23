"""The built-in file kinds and rules: implementations of the public plugin hooks.

They are not marked ``@hookimpl`` here, because the marker is pluggy's and a
run with no third-party plugin never imports pluggy (with the :mod:`inspect`
it imports, 5 ms of every start): :func:`nexus_lint.plugins.load_plugins`
calls them directly then, and marks them when it registers this module with a
pluggy plugin manager beside other plugins.
"""

from __future__ import annotations

HOOKS = ("nexus_lint_file_kinds", "nexus_lint_rules")


# The built-in file kinds, one module each in nexus_lint.kinds declaring its
# KIND, in this order: it settles ties between kinds of the same priority.
KIND_MODULES = (
    "pip_conf", "requirements", "pyproject", "pypirc", "npmrc", "yarnrc", "package_json", "yum_repo", "maven",
    "docker_config", "dockerfile", "gitlab", "github", "compose", "kubernetes", "shell", "python", "ansible",
    "makefile", "terraform", "bake", "devcontainer", "dotenv", "pipfile", "conda_env", "condarc", "setup_cfg",
    "tox_ini", "yarnrc_classic", "bunfig", "helm_chart", "helm_template", "kustomize", "skaffold", "jenkinsfile",
    "json_config",
)


def nexus_lint_file_kinds():
    """The built-in kinds, read from ``nexus_lint/kinds/index.py``: the
    declarations of :data:`KIND_MODULES`, generated from them (``python -m
    nexus_lint.docs --update-kind-index``; ``tests/test_registry.py`` keeps the
    two equal).  Importing the 36 modules themselves cost 4 ms of every start;
    a kind's module is imported when a file of the kind is read (its
    extractor is a ``"module:function"`` name)."""
    from nexus_lint.kinds.index import KINDS

    return list(KINDS)


def declared_kinds():
    """The ``KIND`` each module of :data:`KIND_MODULES` declares, in order (what
    the index is generated from)."""
    from importlib import import_module

    return [import_module(f"nexus_lint.kinds.{name}").KIND for name in KIND_MODULES]


def nexus_lint_rules():
    """The built-in rules, one module each in nexus_lint.checks: the registry that
    ``nexus-lint rules`` prints and the README's rule table is generated from
    (``python -m nexus_lint.docs --readme-table``).  A new rule is one more line."""
    from importlib import import_module

    from nexus_lint.checks.base import checks_for
    from nexus_lint.checks.common import SUBJECTS

    modules = (
        "nx000_parse_error",
        "nx101_docker_hub_pull",
        "nx102_pull_via_push_port",
        "nx103_push_via_pull_port",
        "nx104_cwiq_image_prefix",
        "nx105_image_namespace",
        "nx106_registry_port_missing",
        "nx107_login_port_mismatch",
        "nx201_docker_port_for_non_docker",
        "nx202_insecure_http",
        "nx203_unknown_nexus_port",
        "nx301_dev_host_in_ci",
        "nx302_unknown_nexus_host",
        "nx401_hardcoded_credential",
        "nx402_credential_in_url",
        "nx403_password_argument",
        "nx501_write_to_read_only_repo",
        "nx502_install_from_hosted",
        "nx503_ci_writes_promoted_env",
        "nx504_pypi_index_without_simple",
        "nx601_user_update_missing_source",
        "nx602_user_create_500_unhandled",
    )
    return checks_for([import_module(f"nexus_lint.checks.{name}").RULE for name in modules], SUBJECTS)
