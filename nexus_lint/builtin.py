"""The built-in file kinds and rules: implementations of the public plugin hooks.

They are not marked ``@hookimpl`` here, because the marker is pluggy's and a
run with no third-party plugin never imports pluggy (with the :mod:`inspect`
it imports, 5 ms of every start): :func:`nexus_lint.plugins.load_plugins`
calls them directly then, and marks them when it registers this module with a
pluggy plugin manager beside other plugins.
"""

from __future__ import annotations

HOOKS = ("nexus_lint_file_kinds", "nexus_lint_rules")


def nexus_lint_file_kinds():
    from nexus_lint.kinds import (ansible, bake, bunfig, compose, conda_env, condarc, devcontainer, docker_config,
                                  dockerfile, dotenv, github, gitlab, helm_chart, helm_template, jenkinsfile,
                                  json_config, kubernetes, kustomize, makefile, maven, npmrc, package_json, pip_conf,
                                  pipfile, pypirc, pyproject, python, requirements, setup_cfg, shell, skaffold,
                                  terraform, tox_ini, yarnrc, yarnrc_classic, yum_repo)

    # In this order: it settles ties between kinds of the same priority.
    kinds = [pip_conf, requirements, pyproject, pypirc, npmrc, yarnrc, package_json, yum_repo, maven, docker_config,
             dockerfile, gitlab, github, compose, kubernetes, shell, python, ansible, makefile, terraform, bake,
             devcontainer, dotenv, pipfile, conda_env, condarc, setup_cfg, tox_ini, yarnrc_classic, bunfig,
             helm_chart, helm_template, kustomize, skaffold, jenkinsfile, json_config]
    return [k.KIND for k in kinds]


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
