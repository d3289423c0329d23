"""docker's client config committed by mistake (a ``.docker/config.json`` in a
repository): ``auths.*.auth`` (base64 ``user:password``), ``password``,
``identitytoken`` and ``registrytoken`` are secrets; ``credsStore`` and
``credHelpers`` are the way out."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind

# auths hold base64 user:password
KIND = FileKind(name="docker-config", path_globs=(".docker/config.json", "*/.docker/config.json"),
                extractor="nexus_lint.kinds.docker_config:extract", tokens=("auth", "password", "token"),
                runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.sourced import SourcedStr
    from nexus_lint.lang import jsonpos
    from nexus_lint.values.secrets import docker_auths

    _root, problem = jsonpos.read(source.text)
    if problem is not None:
        yield problem
        return
    yield from docker_auths(SourcedStr.literal(source.text, 0), "config.json auths")
