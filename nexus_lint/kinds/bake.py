"""``docker buildx bake`` files (``docker-bake.hcl``, ``docker-bake.json``,
``docker-bake.override.hcl``/``.json``).

Read as HCL (:mod:`nexus_lint.lang.hcl`) or JSON into the same model; the
facts (:mod:`nexus_lint.kinds.bake_facts`):

* every ``target``'s ``tags`` are pushes, ``cache-to`` ``type=registry,ref=``
  a push and ``cache-from`` a pull;
* ``contexts`` values ``docker-image://IMAGE`` are pulls;
* ``args`` that the target's Dockerfile (``context``/``dockerfile``, when it is
  in the repository) uses in a ``FROM`` are build bases; other ``args`` whose
  name says image or base, or whose value names a Nexus host, are pulls when
  they look like an image reference;
* ``${NAME}`` of a ``variable "NAME" { default = "..." }`` is that default
  (a finding lands on the default); any other interpolation is unknown;
* credentials, URLs and suppressions as in every HCL file
  (:func:`~nexus_lint.kinds.terraform_facts.hcl_common`).
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="bake",
    extractor="nexus_lint.kinds.bake:extract",
    names=("docker-bake.hcl", "docker-bake.json", "docker-bake.override.hcl", "docker-bake.override.json"),
    priority=30,
    tokens=("target",) + CREDENTIALS + ESCAPES,
    runnable=False,
    cache_deps="nexus_lint.kinds.bake_facts:cache_deps",
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.bake_facts import bake

    return bake(source, context)
