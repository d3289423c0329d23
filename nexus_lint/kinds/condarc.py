"""conda's ``.condarc``: ``channel_alias``, ``channels``,
``default_channels``, ``custom_channels`` (name: URL) and
``custom_multichannels`` (name: [URLs]) given as URLs install (a conda
channel is no Docker registry: 443); conda expands ``${VAR}`` from the
environment (unknown here).  Literal secrets anywhere;
``# nexus-lint: ignore[NX202]`` at the end of the line or on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(name="condarc", names=(".condarc", "condarc", ".condarc.yml", ".condarc.yaml"),
                extractor="nexus_lint.kinds.condarc:extract", priority=25, tokens=PACKAGE_CONFIG + ESCAPES,
                runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.yamlcommon import yaml_file

    text = source.text

    def read(docs) -> Iterator[object]:
        import yaml

        from nexus_lint.core.lazyre import lazy_re
        from nexus_lint.core.model import INSTALL
        from nexus_lint.kinds.pkgcommon import yaml_url
        from nexus_lint.lang import yamldoc

        env = lazy_re(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*")
        for doc in docs[:1]:
            if not isinstance(doc, yaml.MappingNode):
                continue
            yield from yaml_url(yamldoc, yamldoc.get(doc, "channel_alias"), text, INSTALL, ".condarc channel_alias", env)
            for key in ("channels", "default_channels"):
                seq = yamldoc.get(doc, key)
                if isinstance(seq, yaml.SequenceNode):
                    for node in seq.value:
                        yield from yaml_url(yamldoc, node, text, INSTALL, f".condarc {key}", env)
            for key in ("custom_channels", "custom_multichannels"):
                for name, _k, node in yamldoc.items(yamldoc.get(doc, key)):
                    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
                    for n in nodes:
                        yield from yaml_url(yamldoc, n, text, INSTALL, f".condarc {key}.{name}", env)

    return yaml_file(source, "conda", read)
