"""conda environment files (``environment.yml``/``environment.yaml``):
``channels`` given as URLs install (a conda channel is no Docker registry:
443), and the ``pip:`` list under ``dependencies`` is a requirements file
(conda hands it to ``pip install -r``): its ``--index-url``/``-i``,
``--extra-index-url`` and ``--find-links``/``-f`` lines install.  Literal
secrets anywhere; ``# nexus-lint: ignore[NX202]`` at the end of the line or
on the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

# above the catch-all "kubernetes" kind that takes every *.yml
KIND = FileKind(name="conda-env", names=("environment.yml", "environment.yaml"),
                extractor="nexus_lint.kinds.conda_env:extract", priority=25, tokens=PACKAGE_CONFIG + ESCAPES,
                runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.yamlcommon import yaml_file

    text = source.text

    def read(docs) -> Iterator[object]:
        import yaml

        from nexus_lint.core.model import INSTALL
        from nexus_lint.kinds.pkgcommon import pip_option_urls, yaml_url
        from nexus_lint.lang import yamldoc

        for doc in docs[:1]:
            if not isinstance(doc, yaml.MappingNode):
                continue
            channels = yamldoc.get(doc, "channels")
            if isinstance(channels, yaml.SequenceNode):
                for node in channels.value:
                    yield from yaml_url(yamldoc, node, text, INSTALL, "environment.yml channels")
            deps = yamldoc.get(doc, "dependencies")
            if not isinstance(deps, yaml.SequenceNode):
                continue
            for dep in deps.value:
                pip = yamldoc.get(dep, "pip") if isinstance(dep, yaml.MappingNode) else None
                if isinstance(pip, yaml.SequenceNode):
                    for line in pip.value:
                        if isinstance(line, yaml.ScalarNode):
                            yield from pip_option_urls(yamldoc.scalar(line, text), "environment.yml pip:")

    return yaml_file(source, "conda", read)
