"""Kubernetes manifests and Helm-style values (every other ``*.yml``/``*.yaml``).

This kind gets whatever YAML no other kind claimed (dependabot, mkdocs,
linters' configs, data), so it is cheap and silent on anything that is not a
manifest:

* text with neither ``apiVersion`` nor an ``image:`` key is not parsed at all;
* text with ``{{`` may be a template (Helm, Jinja), not YAML: when it does
  not parse, that is silence, and a value with ``{{`` in it is never an image.
  (Such text is still read when it parses: Helm values files often carry
  ``"{{ .Release.Name }}"`` strings or comments, and their images count.)
* broken YAML is NX000 only when the text looks like a manifest
  (``apiVersion:`` and ``kind:`` at the start of a line) and is no template,
  or like an Ansible playbook (``- hosts:`` at the start of a line), silence
  otherwise;
* an Ansible playbook under any name (a top-level list of plays, see
  :func:`nexus_lint.lang.ansible.is_playbook`) is recognised here by its
  content, since the classifier decides by path alone, and read by the
  Ansible reader (:mod:`nexus_lint.kinds.ansible_facts`).

Facts (all pulls):

* in every document with ``apiVersion`` and ``kind``, the ``image`` of every
  map in a ``containers``, ``initContainers`` or ``ephemeralContainers`` list,
  wherever it sits (Pod ``spec``, workload ``spec.template.spec``, CronJob
  ``spec.jobTemplate.spec.template.spec``, lists, custom resources); an
  ``envsubst``-style placeholder (``app:${TAG}``) in the tag alone still
  leaves the registry and name to judge, anywhere else no fact;
* in any document, a Helm-style ``image:`` mapping whose reference can be
  assembled whole: ``registry`` (optional) + ``repository`` + ``tag`` (or
  ``digest``).  The value is assembled from the pieces, so each character
  keeps its place (a finding on the port lands in the ``registry`` literal).
"""

from __future__ import annotations

from typing import Iterator, Set

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="kubernetes",
    extractor="nexus_lint.kinds.kubernetes:extract",
    globs=("*.yml", "*.yaml"),
    not_globs=(".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "mkdocs.yml", ".yamllint*", ".readthedocs.y*ml"),
    priority=0,
    tokens=("apiversion", "image", "hosts", "admin123") + CREDENTIALS + ESCAPES,  # "hosts": a playbook (see extract)
    nx000_needs_parse=False,  # NX000 only for text with an apiVersion
    runnable=False,
)

_IMAGE_KEY = lazy_re(r"""(?m)^[ \t]*(?:-[ \t]+)*["']?image["']?[ \t]*:""")
_API_VERSION = lazy_re(r"(?m)^apiVersion[ \t]*:")
_KIND = lazy_re(r"(?m)^kind[ \t]*:")


_PLAY = lazy_re(r"(?m)^[ \t]*-?[ \t]*hosts[ \t]*:")


def worth_reading(text: str) -> bool:
    """Could this text hold a fact at all? (no parse)"""
    return "apiVersion" in text or _IMAGE_KEY.search(text) is not None or _PLAY.search(text) is not None


def looks_like_manifest(text: str) -> bool:
    return _API_VERSION.search(text) is not None and _KIND.search(text) is not None


def extract(source, context) -> Iterator[object]:
    text = source.text
    if not worth_reading(text):
        if "admin123" in text:  # a settings file of no known kind: only the Nexus default password
            from nexus_lint.kinds.yamlcommon import default_password_yaml

            yield from default_password_yaml(source)
        return
    from nexus_lint.kinds.kubernetes_facts import Reader, secret_data
    from nexus_lint.kinds.yamlcommon import load_yaml, yaml_credentials, yaml_suppressions

    docs, problem = load_yaml(text)
    if problem is not None:
        if looks_like_manifest(text) and "{{" not in text:
            yield problem
        elif "hosts" in text:
            from nexus_lint.lang.ansible import looks_like_playbook

            if looks_like_playbook(text):
                yield problem
        return
    if "hosts" in text:
        # an Ansible playbook under any name: recognised by its content, read by the Ansible reader
        from nexus_lint.kinds.ansible_facts import read
        from nexus_lint.lang.ansible import is_playbook

        if is_playbook(docs):
            yield from read(source, docs, "playbook")
            return
    reader = Reader(text)
    for doc in docs:
        yield from reader.document(doc)
    skip: Set[int] = set()
    for doc in docs:
        yield from secret_data(doc, text, skip)
    yield from yaml_credentials(docs, text, "kubernetes", skip=skip)
    if "nexus-lint" in text:
        yield from yaml_suppressions(text, docs, source)
