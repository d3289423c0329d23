"""docker-compose facts (``compose.y*ml``, ``docker-compose*.y*ml``).

Every service's ``image:`` is a reference compose uses:

* with ``build:`` beside it (in the service or a service it ``extends`` in
  this file), the image is the name compose builds and tags and
  ``docker compose push`` pushes: a push;
* otherwise compose pulls it: a pull.

Services come from ``services:`` (or, in the legacy version-1 format without
``services:``, the top-level entries that have ``image``/``build``); ``x-``
extension fields, anchors, aliases and merge keys (``<<: *default``) are
resolved by the YAML layer, so an image written once in an ``x-`` block is
reported there, once.

Compose interpolation (:mod:`nexus_lint.lang.compose`) is applied: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``,
``${VAR+alt}``, nested defaults, and ``$$`` for a literal ``$``.  Variables
come from the ``.env`` file next to the compose file when there is one (its
values have no place in this file, so a finding on them points at the use);
any other variable is assumed unset, so its default is used.  A variable
without a default (or ``:?``/``:+`` on a variable ``.env`` does not set) is
not guessed: when it stands in the tag or digest alone
(``nexus...:8443/app:${TAG}``) the registry and name are still judged (as the
shell analyser does, :func:`~nexus_lint.tools.images.known_name`);
anywhere else the image gives no fact.
"""

from __future__ import annotations

from typing import Iterator, List, Optional

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="compose",
    extractor="nexus_lint.kinds.compose:extract",
    names=("compose.yml", "compose.yaml", "docker-compose.yml", "docker-compose.yaml"),
    globs=("docker-compose*.yml", "docker-compose*.yaml", "compose.*.yml", "compose.*.yaml"),
    priority=20,
    tokens=("image",) + CREDENTIALS + ESCAPES,
    runnable=False,
    cache_deps="nexus_lint.kinds.compose:cache_deps",
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.compose_facts import images
    from nexus_lint.kinds.yamlcommon import yaml_file

    # literal secrets in `environment:` (map or KEY=value list), build `args:`, anywhere
    return yaml_file(source, "compose", lambda docs: images(docs, source), pairs_under=("environment", "args"))


def cache_deps(fs_path: str, data: bytes) -> Optional[List[str]]:
    """A compose file's variables come from the ``.env`` next to it (FileKind.cache_deps)."""
    from nexus_lint.lang.compose import dotenv_path

    return [dotenv_path(fs_path)]
