"""Terraform and other HCL files (``*.tf``, ``*.tfvars``, ``*.hcl``; not
``docker-bake.hcl``, the bake kind's, nor anything under ``.terraform/``).

Read with tree-sitter-hcl (:mod:`nexus_lint.lang.hcl`), every string with its
offsets; ``${...}`` interpolations are unknown values (a reference, never a
literal).  The facts (:mod:`nexus_lint.kinds.terraform_facts`):

* images: ``image`` anywhere (container resources, Nomad jobs, ``jsonencode``
  objects, JSON ``container_definitions`` heredocs; elsewhere only a value that
  looks like a container reference, not a machine image), ``docker_image``
  ``name`` (a pull; with a ``build`` block, a local build), ``docker_registry_image``
  ``name`` (a push), a ``variable "...image"`` default;
* URLs: ``helm_release.repository`` (an index helm installs from), any URL in
  any other string;
* credentials: secret-like attributes and object keys, ``name``/``value``
  pairs, ``variable`` defaults (any default of a ``sensitive`` variable) with
  literal values; ``var.x``, ``local.x``, ``data.x`` and ``${...}`` are not;
* shell: ``user_data`` (not ``#cloud-config``), ``local-exec``/``remote-exec``
  provisioner ``command`` and ``inline`` through the shell analyser.

Suppressions: ``# nexus-lint: ignore[...]`` (``//`` and ``/* */`` too).
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, SHELL

KIND = FileKind(
    name="terraform",
    extractor="nexus_lint.kinds.terraform:extract",
    globs=("*.tf", "*.tfvars", "*.hcl"),
    not_globs=("docker-bake.hcl", "docker-bake.override.hcl", ".terraform.lock.hcl"),
    priority=10,
    tokens=("image", "docker_") + SHELL + ESCAPES,
    runnable=False,
)


def extract(source, context) -> Iterator[object]:
    if "/.terraform/" in "/" + context.path:
        return iter(())  # provider and module copies terraform init made
    from nexus_lint.kinds.terraform_facts import terraform

    return terraform(source, context)
