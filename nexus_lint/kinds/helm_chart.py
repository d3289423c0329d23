"""Helm ``Chart.yaml``: the repositories of ``dependencies``.

``dependencies[].repository`` says where ``helm dependency update`` fetches
a chart from:

* ``https://host/...`` (or ``http://``): a chart repository, served like
  every other non-Docker repository on 443: a URL the chart installs from
  (so ``:8443``/``:8444`` is NX201, ``http://`` NX202);
* ``oci://host[:port]/path``: a Docker (OCI) registry, read as a pull of
  ``host[:port]/path/NAME``: on a Nexus host it needs the pull port (8443 is
  NX102, no port NX106);
* ``file://``, ``@alias`` and ``alias:`` repositories name nothing remote.

Literal credentials anywhere in the file count as in any YAML file; a file
YAML rejects is NX000, as ``helm lint`` would reject it.
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="helm-chart",
    extractor="nexus_lint.kinds.helm_chart:extract",
    names=("chart.yaml",),
    priority=20,
    tokens=("repository",) + CREDENTIALS + ESCAPES,
    runnable=False,
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.yamlcommon import yaml_file

    return yaml_file(source, "helm", lambda docs: _dependencies(docs, source.text))


def _dependencies(docs, text: str) -> Iterator[object]:
    import yaml

    from nexus_lint.kinds.helm_facts import chart_repository, text_of
    from nexus_lint.lang import yamldoc

    for doc in docs:
        if not isinstance(doc, yaml.MappingNode):
            continue
        deps = yamldoc.get(doc, "dependencies")
        if not isinstance(deps, yaml.SequenceNode):
            continue
        for item in deps.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            node = yamldoc.get(item, "repository")
            repo = text_of(node, text)
            if repo is None:
                continue
            fact = chart_repository(repo, text_of(yamldoc.get(item, "name"), text),
                                    "Chart.yaml dependencies: repository",
                                    repo.extent() or (node.start_mark.index, node.end_mark.index))
            if fact is not None:
                yield fact
