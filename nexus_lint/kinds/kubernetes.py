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
  silence otherwise.

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

from typing import TYPE_CHECKING, Iterator, Optional, Set

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

if TYPE_CHECKING:
    from nexus_lint.core.model import ImageFact
    from nexus_lint.core.sourced import SourcedStr

KIND = FileKind(
    name="kubernetes",
    extractor="nexus_lint.kinds.kubernetes:extract",
    globs=("*.yml", "*.yaml"),
    not_globs=(".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "mkdocs.yml", ".yamllint*", ".readthedocs.y*ml"),
    priority=0,
    tokens=("apiversion", "image") + CREDENTIALS + ESCAPES,
    nx000_needs_parse=False,  # NX000 only for text with an apiVersion
    runnable=False,
)

CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
MAX_NODES = 200_000  # distinct nodes walked per document
MAX_MERGED_LOOKUPS = 500  # lookups that need merge-key resolution, per file

_IMAGE_KEY = lazy_re(r"""(?m)^[ \t]*(?:-[ \t]+)*["']?image["']?[ \t]*:""")
_API_VERSION = lazy_re(r"(?m)^apiVersion[ \t]*:")
_KIND = lazy_re(r"(?m)^kind[ \t]*:")
_NULL = "tag:yaml.org,2002:null"


def worth_reading(text: str) -> bool:
    """Could this text hold a fact at all? (no parse)"""
    return "apiVersion" in text or _IMAGE_KEY.search(text) is not None


def looks_like_manifest(text: str) -> bool:
    return _API_VERSION.search(text) is not None and _KIND.search(text) is not None


def extract(source, context) -> Iterator[object]:
    text = source.text
    if not worth_reading(text):
        return
    from nexus_lint.kinds.yamlcommon import load_yaml, yaml_credentials, yaml_suppressions

    docs, problem = load_yaml(text)
    if problem is not None:
        if looks_like_manifest(text) and "{{" not in text:
            yield problem
        return
    reader = _Reader(text)
    for doc in docs:
        yield from reader.document(doc)
    skip: Set[int] = set()
    for doc in docs:
        yield from _secret_data(doc, text, skip)
    yield from yaml_credentials(docs, text, "kubernetes", skip=skip)
    if "nexus-lint" in text:
        yield from yaml_suppressions(text, docs, source)


class _Reader:
    def __init__(self, text: str) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.yaml = yaml
        self.yd = yamldoc
        self.text = text
        self.seen: Set[tuple] = set()
        self.merged_lookups = 0

    def get(self, mapping, key: str):
        """``yamldoc.get`` with the merge-key resolution it may need bounded per file."""
        for k, _v in mapping.value:
            if isinstance(k, self.yaml.ScalarNode) and k.tag == self.yd.MERGE_TAG:
                break
        else:
            return self.yd.get(mapping, key)
        explicit = None
        for k, v in mapping.value:
            if isinstance(k, self.yaml.ScalarNode) and k.value == key and k.tag != self.yd.MERGE_TAG:
                explicit = v
        if explicit is not None:
            return explicit
        self.merged_lookups += 1
        if self.merged_lookups > MAX_MERGED_LOOKUPS:
            return None
        return self.yd.get(mapping, key)

    def scalar(self, node) -> Optional[SourcedStr]:
        if not isinstance(node, self.yaml.ScalarNode) or node.tag == _NULL:
            return None
        if "{{" in node.value:
            return None  # a template expression, not a value
        value = self.yd.scalar(node, self.text).strip()
        return value if value.text else None

    def document(self, doc) -> Iterator[ImageFact]:
        y = self.yaml
        if not isinstance(doc, y.MappingNode):
            return
        manifest = self.scalar(self.get(doc, "apiVersion")) is not None and self.scalar(self.get(doc, "kind")) is not None
        for node in self.yd.walk(doc, MAX_NODES):
            if not isinstance(node, y.MappingNode):
                continue
            # explicit keys only: a merged-in mapping is walked where it is written
            for k, v in node.value:
                if not isinstance(k, y.ScalarNode):
                    continue
                key = k.value
                if manifest and key in CONTAINER_LISTS and isinstance(v, y.SequenceNode):
                    for item in v.value:
                        if isinstance(item, y.MappingNode):
                            fact = self._container(item, key)
                            if fact is not None:
                                yield fact
                elif key == "image" and isinstance(v, y.MappingNode):
                    fact = self._values_image(v)
                    if fact is not None:
                        yield fact

    def _emit(self, fact: ImageFact) -> Optional[ImageFact]:
        key = (fact.value.text, fact.value.offsets.tobytes(), fact.origin)
        if key in self.seen:
            return None
        self.seen.add(key)
        return fact

    def _container(self, item, list_key: str) -> Optional[ImageFact]:
        from nexus_lint.core.model import PULL, ImageFact
        from nexus_lint.tools.commands import known_name

        node = self.get(item, "image")
        value = self.scalar(node)
        if value is not None and "$" in value.text:
            # a placeholder for envsubst & co: judged only when it is the tag alone
            value = known_name(value)
        if value is None:
            return None
        return self._emit(ImageFact(value, PULL, f"{list_key}: image:", value.extent() or _span(node)))

    def _values_image(self, mapping) -> Optional[ImageFact]:
        """``image: {registry, repository, tag|digest}`` assembled, when every piece is known."""
        from nexus_lint.core.model import PULL, ImageFact
        from nexus_lint.core.sourced import SourcedStr

        nodes = {k: self.get(mapping, k) for k in ("registry", "repository", "tag", "digest")}
        if any(isinstance(n, self.yaml.ScalarNode) and "{{" in n.value for n in nodes.values()):
            return None  # a piece is a template expression: the reference cannot be assembled
        repository = self.scalar(nodes["repository"])
        if repository is None:
            return None
        tag = self.scalar(nodes["tag"])
        digest = self.scalar(nodes["digest"])
        if tag is None and digest is None:
            return None
        registry = self.scalar(nodes["registry"])
        parts = []
        if registry is not None:
            parts += [registry, SourcedStr.unknown("/")]
        parts.append(repository)
        if tag is not None:
            parts += [SourcedStr.unknown(":"), tag]
        if digest is not None:
            parts += [SourcedStr.unknown("@"), digest]
        value = SourcedStr.join(parts)
        return self._emit(ImageFact(value, PULL, "image: registry/repository/tag", value.extent() or _span(mapping)))


def _secret_data(doc, text: str, skip: Set[int]) -> Iterator[object]:
    """A ``Secret``'s ``data`` (base64): an entry whose key is secret-like and
    whose decoded value is a literal secret, a token shape in any decoded
    entry, and the credentials of a ``.dockerconfigjson``; reported on the
    base64 text.  (``stringData`` is plain text: the generic reading has it.)"""
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.values.secrets import decode_base64, docker_auth_fields, find_tokens, is_secret_key, kind_for, located, secret_part
    from nexus_lint.core.model import TOKEN, CredentialFact, Secret
    from nexus_lint.kinds.yamlcommon import DOCKER_CONFIG_KEYS

    if not isinstance(doc, yaml.MappingNode):
        return
    kind = yamldoc.get(doc, "kind")
    data = yamldoc.get(doc, "data")
    if not (isinstance(kind, yaml.ScalarNode) and kind.value == "Secret" and isinstance(data, yaml.MappingNode)):
        return
    skip.add(id(data))
    for key, _k, node in yamldoc.items(data):
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL or "{{" in node.value:
            continue
        decoded = decode_base64(node.value)
        if decoded is None:
            continue
        value = yamldoc.scalar(node, text).strip()
        if not located(value):
            continue
        origin = f"Secret data {key} (base64)"
        secret_kind = None
        if key in DOCKER_CONFIG_KEYS or '"auths"' in decoded:
            if docker_auth_fields(decoded):
                secret_kind = kind_for("auth")
        elif is_secret_key(key) and secret_part(decoded, key) is not None:
            secret_kind = kind_for(key)
        elif find_tokens(decoded):
            secret_kind = TOKEN
        if secret_kind is not None:
            yield CredentialFact(key, Secret(value), secret_kind, origin, value.extent() or _span(node), "kubernetes")


def _span(node):
    return (node.start_mark.index, node.end_mark.index)
