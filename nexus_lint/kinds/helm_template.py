"""Helm chart templates (``templates/*.yaml|yml|tpl`` of a chart).

A file under a ``templates/`` folder is a chart template when a
``Chart.yaml`` stands next to that folder, or when it holds Go template
actions (``{{ ... }}``, a template of some chart the linter was not given
whole: ``--stdin-filename``, a pre-commit run on one file).  Any other file
there is read as the Kubernetes kind reads YAML.

A template is read as YAML after its actions are neutralised with every
position kept (:mod:`nexus_lint.lang.gotemplate`): a line of actions only
(``{{- if ... }}``, ``{{- end }}``, ``{{- include ... | nindent 4 }}``) is
blanked; an action inside a value becomes a placeholder, an unknown part of
that value.  Then, as for a manifest (:mod:`nexus_lint.kinds.kubernetes`),
the ``image`` of every container is a pull, with its literal parts judged:

* an image whose only unknown part is the tag or digest
  (``busybox:{{ .Values.tag }}``) is judged by its registry and name;
* an image whose registry (``host[:port]/``) is literal is judged by its
  registry, whatever follows (``nexus.example:8443/{{ .Values.image.name }}:{{
  .Chart.AppVersion }}``: the port is wrong whatever the name);
* any other templated image (``{{ .Values.image.repository }}:...``, a
  templated registry) gives no fact: the values file holds it, and the
  Kubernetes kind reads ``image:`` blocks in ``values*.yaml``.

Literal credentials count as anywhere else, never in a value with an action.
Suppressions: a YAML comment ``# nexus-lint: ignore[NX102]``, or a template
comment ``{{/* nexus-lint: ignore[NX102] */}}`` (which Helm does not render
into the manifest), on the line or on its own line above.
Files whose name starts with ``_`` (``_helpers.tpl``) hold named templates,
not manifests, and are skipped (as Helm skips them); ``NOTES.txt`` is not a
YAML name and never matches.

Never NX000: a template that is still not YAML once neutralised (an action
that renders a whole block in flow context, a ``{{ if }}`` that cuts a
mapping in two) is what Helm renders, not what the file is, so a parse error
would be the linter's guess, not the chart's fault.  Such a file gives no
facts (a line scan cannot tell which ``image:`` lines survive rendering).
"""

from __future__ import annotations

import os
from typing import Iterator, List, Optional

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="helm-template",
    extractor="nexus_lint.kinds.helm_template:extract",
    path_globs=("templates/*.yaml", "templates/*.yml", "templates/*.tpl",
                "*/templates/*.yaml", "*/templates/*.yml", "*/templates/*.tpl"),
    priority=15,
    tokens=("apiversion", "image") + CREDENTIALS + ESCAPES,
    nx000_needs_parse=False,  # NX000 only for a Kubernetes manifest outside a chart
    runnable=False,
    cache_deps="nexus_lint.kinds.helm_template:cache_deps",
)


def chart_file(path: Optional[str]) -> Optional[str]:
    """The ``Chart.yaml`` next to the ``templates/`` folder ``path`` is in (it may not exist)."""
    if not path:
        return None
    parts = path.replace(os.sep, "/").split("/")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "templates":
            return "/".join(parts[:i] + ["Chart.yaml"]) if i else "Chart.yaml"
    return None


def in_chart(source, context) -> bool:
    if "{{" in source.text:
        return True
    chart = chart_file(getattr(source, "fs_path", None) or context.path)
    return chart is not None and os.path.isfile(chart)


def extract(source, context) -> Iterator[object]:
    name = context.path.rsplit("/", 1)[-1]
    if name.startswith("_"):
        return
    if not in_chart(source, context):
        from nexus_lint.kinds import kubernetes

        yield from kubernetes.extract(source, context)
        return
    from nexus_lint.kinds.helm_facts import template_facts

    yield from template_facts(source)


def cache_deps(fs_path: str, data: bytes) -> Optional[List[str]]:
    """Whether the file is a chart's template depends on the chart's ``Chart.yaml``."""
    chart = chart_file(fs_path)
    return [chart] if chart else []
