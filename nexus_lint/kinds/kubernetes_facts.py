"""What a Kubernetes manifest or Helm-style values file holds (see
:mod:`nexus_lint.kinds.kubernetes`): the images of container lists and of
``image: {registry, repository, tag}`` mappings, and the secrets in a
``Secret``'s ``data``."""

from __future__ import annotations

from typing import Iterator, Optional, Set

from nexus_lint.core.model import PULL, TOKEN, CredentialFact, ImageFact, Secret
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.kinds.yamlcommon import DOCKER_CONFIG_KEYS

CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
MAX_NODES = 200_000  # distinct nodes walked per document
MAX_MERGED_LOOKUPS = 500  # lookups that need merge-key resolution, per file

_NULL = "tag:yaml.org,2002:null"


class Reader:
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
        from nexus_lint.tools.images import known_name

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


def secret_data(doc, text: str, skip: Set[int]) -> Iterator[object]:
    """A ``Secret``'s ``data`` (base64): an entry whose key is secret-like and
    whose decoded value is a literal secret, a token shape in any decoded
    entry, and the credentials of a ``.dockerconfigjson``; reported on the
    base64 text.  (``stringData`` is plain text: the generic reading has it.)"""
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.values.secrets import decode_base64, docker_auth_fields, find_tokens, is_secret_key, kind_for, located, secret_part

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
