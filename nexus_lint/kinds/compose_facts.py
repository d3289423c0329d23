"""The images of a docker-compose file (see :mod:`nexus_lint.kinds.compose`):
each service's ``image:``, interpolated, a push beside ``build:``."""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import PULL, PUSH, ImageFact
from nexus_lint.core.sourced import SourcedStr

MAX_EXTENDS_DEPTH = 10
MAX_SERVICES = 20_000

# Top-level keys of the legacy format that are not services.
_NOT_SERVICES = frozenset({"version", "services", "networks", "volumes", "configs", "secrets", "include", "name"})


def images(docs: list, source) -> Iterator[object]:
    """The ``image:`` of every service, interpolated, each reference once."""
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.lang.compose import SET, UNKNOWN, UNKNOWN_TEXT, UNSET, dotenv_path, interpolate, read_dotenv
    from nexus_lint.tools.images import known_name

    text = source.text
    dotenv: Optional[Dict[str, Optional[SourcedStr]]] = None  # read on first use

    def lookup(name: str) -> Tuple[str, Optional[SourcedStr]]:
        nonlocal dotenv
        if dotenv is None:
            fs_path = getattr(source, "fs_path", None)
            dotenv = read_dotenv(dotenv_path(fs_path) if fs_path else None)
        if name not in dotenv:
            return UNSET, None
        value = dotenv[name]
        return (UNKNOWN, None) if value is None else (SET, value)

    seen: Set[tuple] = set()
    for doc in docs:
        if not isinstance(doc, yaml.MappingNode):
            continue
        services = yamldoc.get(doc, "services")
        legacy = services is None
        if legacy:
            services = doc
        for name, _k, svc in yamldoc.items(services)[:MAX_SERVICES]:
            if legacy and (name in _NOT_SERVICES or name.startswith("x-")):
                continue
            if not isinstance(svc, yaml.MappingNode):
                continue
            image, build = _image_and_build(yamldoc, services, svc, 0, set())
            if not isinstance(image, yaml.ScalarNode) or image.tag == "tag:yaml.org,2002:null":
                continue
            raw = yamldoc.scalar(image, text)
            value = interpolate(raw, lookup, partial=True)
            if value is None:
                continue
            value = value.strip()
            if UNKNOWN_TEXT in value.text:
                value = known_name(value)
            if value is None or not value.text:
                continue
            built = build is not None and build.tag != "tag:yaml.org,2002:null"
            fact = ImageFact(
                value,
                PUSH if built else PULL,
                "image: with build:" if built else "image:",
                raw.extent() or (image.start_mark.index, image.end_mark.index),
                tuple(dict.fromkeys(m.group(1) or m.group(2) for m in _USES.finditer(raw.text) if m.group(1) or m.group(2))),
            )
            key = (value.text, value.offsets.tobytes(), fact.role)
            if key in seen:
                continue
            seen.add(key)
            yield fact


_USES = lazy_re(r"\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")


def _image_and_build(yd, services, svc, depth: int, active: Set[int]):
    """The service's ``image`` and ``build`` nodes, ``extends`` (same file) applied."""
    image = yd.get(svc, "image")
    build = yd.get(svc, "build")
    if (image is None or build is None) and depth < MAX_EXTENDS_DEPTH and id(svc) not in active:
        parent = _extended(yd, services, svc)
        if parent is not None:
            active.add(id(svc))
            p_image, p_build = _image_and_build(yd, services, parent, depth + 1, active)
            image = image if image is not None else p_image
            build = build if build is not None else p_build
    return image, build


def _extended(yd, services, svc):
    import yaml

    ext = yd.get(svc, "extends")
    if isinstance(ext, yaml.ScalarNode):
        name = ext.value
    elif isinstance(ext, yaml.MappingNode):
        if yd.get(ext, "file") is not None:
            return None  # another file: linted on its own
        node = yd.get(ext, "service")
        if not isinstance(node, yaml.ScalarNode):
            return None
        name = node.value
    else:
        return None
    parent = yd.get(services, name)
    return parent if isinstance(parent, yaml.MappingNode) else None
