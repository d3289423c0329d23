"""Ansible: playbooks, role tasks and handlers, vars files, YAML inventories.

Recognition (the classifier decides by path only; content decides inside the
extractors):

* by path, always Ansible: ``roles/*/tasks/``, ``roles/*/handlers/`` (a list
  of tasks), ``roles/*/defaults/``, ``roles/*/vars/``, ``group_vars/``,
  ``host_vars/`` (variables);
* by path as a hint, Ansible when the content says so: ``site.yml``,
  ``playbook*.yml``, ``playbooks/*.yml``, ``inventory*.yml``, ``hosts.yml``,
  ``inventory/``/``inventories/``, and a role repository's own ``tasks/``,
  ``handlers/`` (also below a folder), ``defaults/``, ``vars/`` (below a
  folder: their ``main.yml``).  A file there that is neither a
  playbook, a task list, an inventory nor (in a vars folder) a mapping is
  read as the catch-all YAML kind (:mod:`nexus_lint.kinds.kubernetes`) reads it;
* a playbook under any other name (a top-level list of plays with ``hosts:``
  and ``tasks:``/``roles:``...) is claimed by the catch-all YAML kind's
  extractor, which hands it to the same reader.

What is read (:mod:`nexus_lint.kinds.ansible_facts`): module-aware facts with
FQCN and short names, Jinja ``{{ ... }}`` as variables (resolved from the
file's own ``vars:`` where they hold a literal, unknown otherwise), ``!vault``
values and lookups as references, literal secrets under credential-like keys.
"""

from __future__ import annotations

from typing import Iterator, List, Optional

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, SHELL


def _both(*globs: str) -> tuple:
    """Each pattern at the project root and below any folder."""
    return tuple(g for p in globs for g in (p, "*/" + p))


# Always Ansible by path.
TASK_GLOBS = _both("roles/*/tasks/*.yml", "roles/*/tasks/*.yaml", "roles/*/handlers/*.yml", "roles/*/handlers/*.yaml")
VARS_GLOBS = _both("roles/*/defaults/*.yml", "roles/*/defaults/*.yaml", "roles/*/vars/*.yml", "roles/*/vars/*.yaml",
                   "group_vars/*", "host_vars/*")
# Ansible when the content says so.
HINT_NAMES = ("site.yml", "site.yaml", "hosts.yml", "hosts.yaml")
HINT_GLOBS = ("playbook*.yml", "playbook*.yaml", "inventory*.yml", "inventory*.yaml")
HINT_PATHS = _both("playbooks/*.yml", "playbooks/*.yaml", "inventory/*.yml", "inventory/*.yaml",
                   "inventories/*.yml", "inventories/*.yaml") + (
    "defaults/*.yml", "defaults/*.yaml", "vars/*.yml", "vars/*.yaml") + _both(
    # a role repository (the role at its root, or checked out below a folder)
    "tasks/*.yml", "tasks/*.yaml", "handlers/*.yml", "handlers/*.yaml", "defaults/main.yml", "vars/main.yml")

KIND = FileKind(
    name="ansible",
    extractor="nexus_lint.kinds.ansible:extract",
    names=HINT_NAMES,
    globs=HINT_GLOBS,
    path_globs=TASK_GLOBS + VARS_GLOBS + HINT_PATHS,
    priority=10,  # above the catch-all YAML kind (0), below compose (20) and the CI kinds
    # module names, URLs, images, shell command words, credentials (SHELL holds CREDENTIALS and "://"),
    # and what the catch-all YAML reading needs for files that turn out not to be Ansible
    tokens=SHELL + ("image", "apiversion", "docker", "podman", "helm", "k8s", "registry", "extra_args") + ESCAPES,
    runnable=False,
    cache_deps="nexus_lint.kinds.ansible:cache_deps",
)



def where(relpath: str) -> str:
    """``tasks``, ``vars`` (always Ansible by path) or ``hint`` (content decides)."""
    import fnmatch

    if any(fnmatch.fnmatchcase(relpath, g) for g in TASK_GLOBS):
        return "tasks"
    if any(fnmatch.fnmatchcase(relpath, g) for g in VARS_GLOBS):
        return "vars"
    return "hint"


def cache_deps(fs_path: str, data: bytes) -> Optional[List[str]]:
    """A task file's result depends on its role's ``defaults``/``vars`` (FileKind.cache_deps)."""
    from nexus_lint.lang.ansible import role_var_files

    return role_var_files(fs_path)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.ansible_facts import extract_file

    facts = extract_file(source, context, where(context.path))
    if facts is None:  # not Ansible after all: the catch-all YAML reading
        from nexus_lint.kinds.kubernetes import extract as yaml_extract

        return yaml_extract(source, context)
    return iter(facts)
