"""kustomize (``kustomization.yaml``, ``kustomization.yml``, ``Kustomization``).

* ``images[]``: an entry with ``newName`` rewrites the images of the
  resources to ``newName[:newTag][@digest]``, a reference the cluster pulls
  (the finding lands in ``newName``).  An entry with ``name`` and only
  ``newTag``/``digest`` keeps the registry and name of the resources' own
  images, which their own files are linted for: nothing new to judge.
* ``helmCharts[].repo``: a chart repository, as in ``Chart.yaml``
  (``https://``: a URL, not Docker; ``oci://``: a Docker pull of the chart).
* ``resources``, ``bases``, ``components``: a remote ``http(s)://`` entry is
  a file kustomize downloads (as `curl` would; on a Nexus host,
  Docker ports are NX201); local paths and ``github.com/...`` git
  references name no Nexus URL.

Literal credentials anywhere count as in any YAML file; NX000 for a file
YAML rejects (so does kustomize).
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="kustomize",
    extractor="nexus_lint.kinds.kustomize:extract",
    names=("kustomization.yaml", "kustomization.yml", "kustomization"),
    priority=20,
    tokens=("newname", "repo") + CREDENTIALS + ESCAPES,
    runnable=False,
)

_REMOTE_LISTS = ("resources", "bases", "components")


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.yamlcommon import yaml_file

    return yaml_file(source, "kustomize", lambda docs: _facts(docs, source.text))


def _facts(docs, text: str) -> Iterator[object]:
    import yaml

    from nexus_lint.core.model import BROWSE, PULL, ImageFact, UrlFact
    from nexus_lint.core.sourced import SourcedStr
    from nexus_lint.kinds.helm_facts import chart_repository, text_of
    from nexus_lint.lang import yamldoc

    def span(node):
        return (node.start_mark.index, node.end_mark.index)

    for doc in docs:
        if not isinstance(doc, yaml.MappingNode):
            continue
        images = yamldoc.get(doc, "images")
        for item in images.value if isinstance(images, yaml.SequenceNode) else ():
            if not isinstance(item, yaml.MappingNode):
                continue
            node = yamldoc.get(item, "newName")
            new_name = text_of(node, text)
            if new_name is None:
                continue
            parts = [new_name]
            tag = text_of(yamldoc.get(item, "newTag"), text)
            digest = text_of(yamldoc.get(item, "digest"), text)
            if tag is not None:
                parts += [SourcedStr.unknown(":"), tag]
            if digest is not None:
                parts += [SourcedStr.unknown("@"), digest]
            value = SourcedStr.join(parts)
            if "$" in value.text:
                continue
            yield ImageFact(value, PULL, "kustomize images: newName", new_name.extent() or span(node))
        charts = yamldoc.get(doc, "helmCharts")
        for item in charts.value if isinstance(charts, yaml.SequenceNode) else ():
            if not isinstance(item, yaml.MappingNode):
                continue
            node = yamldoc.get(item, "repo")
            repo = text_of(node, text)
            if repo is None:
                continue
            fact = chart_repository(repo, text_of(yamldoc.get(item, "name"), text), "kustomize helmCharts: repo",
                                    repo.extent() or span(node))
            if fact is not None:
                yield fact
        for key in _REMOTE_LISTS:
            entries = yamldoc.get(doc, key)
            for item in entries.value if isinstance(entries, yaml.SequenceNode) else ():
                url = text_of(item, text)
                if url is not None and url.text.lower().startswith(("http://", "https://")):
                    yield UrlFact(url, BROWSE, f"kustomize {key}", url.extent() or span(item))
