"""skaffold (``skaffold.yaml``, ``skaffold.yml``).

* ``build.artifacts[].image``: the image skaffold builds and, unless the
  build keeps it local, pushes.  It is a push unless ``build.local.push`` is
  ``false`` (skaffold's own default pushes to a remote cluster, and
  ``googleCloudBuild``/``cluster`` builds always push): on a Nexus host it
  needs the push port (8444 is NX103).  ``build.tagPolicy`` decides the tag,
  not the registry: ignored.
* ``deploy.helm.releases[]`` and ``manifests.helm.releases[]``: ``repo``
  (a chart repository URL, or ``oci://``), ``remoteChart``/``chartPath`` when
  they are ``oci://`` references (Docker pulls), and ``setValues`` entries
  that name an image (a key ``image`` or ``*.image``, or a ``repository``
  with an explicit registry): pulls, unless the value is the name of an
  artifact of the config (skaffold deploys what it built).  Values with skaffold templates
  (``{{.IMAGE_FULLY_QUALIFIED_app}}``) are what skaffold fills in from the
  artifacts: no fact.
* kubectl/kpt manifests and raw YAML are files of their own, linted by
  their own kind.
* ``profiles[]`` have their own ``build``, ``deploy`` and ``manifests``
  sections, read the same way; a profile build with no builder of its own
  pushes as the main one does, and a profile that only changes the builder
  (``build: {local: {push: true}}``) makes the main artifacts pushes too.

Literal credentials count as in any YAML file; NX000 for YAML skaffold
itself would reject.
"""

from __future__ import annotations

from typing import Iterator, List, Optional

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import CREDENTIALS, ESCAPES

KIND = FileKind(
    name="skaffold",
    extractor="nexus_lint.kinds.skaffold:extract",
    names=("skaffold.yaml", "skaffold.yml"),
    priority=20,
    tokens=("image", "repo", "chart") + CREDENTIALS + ESCAPES,
    runnable=False,
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.yamlcommon import yaml_file

    return yaml_file(source, "skaffold", lambda docs: _Reader(source.text).facts(docs))


class _Reader:
    def __init__(self, text: str) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.text, self.y, self.yd = text, yaml, yamldoc
        self.seen: set = set()
        self.artifact_names: set = set()  # the images this config builds

    def get(self, node, *keys):
        for key in keys:
            if not isinstance(node, self.y.MappingNode):
                return None
            node = self.yd.get(node, key)
        return node

    def seq(self, node) -> list:
        return list(node.value) if isinstance(node, self.y.SequenceNode) else []

    def pushes(self, build) -> Optional[bool]:
        """Does this build section push (None: it names no builder, the main one decides)?"""
        local = self.get(build, "local")
        if isinstance(local, self.y.MappingNode):
            push = self.get(local, "push")
            return not (isinstance(push, self.y.ScalarNode) and push.value.strip().lower() == "false")
        if local is not None:
            return True  # `local: {}` / `local:`: the default pushes to a remote cluster
        if self.get(build, "googleCloudBuild") is not None or self.get(build, "cluster") is not None:
            return True
        return None

    def facts(self, docs) -> Iterator[object]:
        for doc in docs:
            if not isinstance(doc, self.y.MappingNode):
                continue
            build = self.get(doc, "build")
            main = self.pushes(build)
            main = True if main is None else main
            profiles = [p for p in self.seq(self.get(doc, "profiles")) if isinstance(p, self.y.MappingNode)]
            # a profile that changes only the builder makes the main artifacts its own
            main_pushed = main or any(
                self.pushes(self.get(p, "build")) for p in profiles
                if not self.seq(self.get(p, "build", "artifacts")))
            self.artifact_names = {
                a.value.strip() for b in [build] + [self.get(p, "build") for p in profiles]
                for a in (self.get(x, "image") for x in self.seq(self.get(b, "artifacts")))
                if isinstance(a, self.y.ScalarNode)}
            yield from self.artifacts(build, main_pushed, "build.artifacts")
            yield from self.deploy(doc, "")
            for p in profiles:
                pb = self.get(p, "build")
                own = self.pushes(pb)
                yield from self.artifacts(pb, main if own is None else own, "profiles: build.artifacts")
                yield from self.deploy(p, "profiles: ")

    def artifacts(self, build, pushed: bool, origin: str) -> Iterator[object]:
        from nexus_lint.core.model import LOCAL, PUSH, ImageFact

        for art in self.seq(self.get(build, "artifacts")):
            node = self.get(art, "image")
            value = self.value(node)
            if value is None:
                continue
            role = PUSH if pushed else LOCAL
            yield from self.emit(ImageFact(value, role, f"skaffold {origin}: image" + ("" if pushed else " (local.push: false)"),
                                           self.use(node, value)))

    def deploy(self, section, prefix: str) -> Iterator[object]:
        for path in (("deploy", "helm", "releases"), ("manifests", "helm", "releases")):
            for rel in self.seq(self.get(section, *path)):
                if isinstance(rel, self.y.MappingNode):
                    yield from self.release(rel, prefix + ".".join(path))

    def release(self, rel, origin: str) -> Iterator[object]:
        from nexus_lint.core.model import PULL, ImageFact
        from nexus_lint.kinds.helm_facts import OCI, chart_repository

        repo_node = self.get(rel, "repo")
        repo = self.value(repo_node)
        chart = self.value(self.get(rel, "remoteChart")) or self.value(self.get(rel, "chartPath"))
        if repo is not None:
            name = chart if chart is not None and "/" not in chart.text else None
            fact = chart_repository(repo, name, f"skaffold {origin}: repo", self.use(repo_node, repo))
            if fact is not None:
                yield from self.emit(fact)
        for key in ("remoteChart", "chartPath"):
            node = self.get(rel, key)
            ref = self.value(node)
            if ref is not None and ref.text.lower().startswith(OCI):
                fact = chart_repository(ref, None, f"skaffold {origin}: {key}", self.use(node, ref))
                if fact is not None:
                    yield from self.emit(fact)
        values = self.get(rel, "setValues")
        if isinstance(values, self.y.MappingNode):
            for key, _k, node in self.yd.items(values):
                if not _image_key(key):
                    continue
                value = self.value(node)
                if value is None:
                    continue
                last = key.rsplit(".", 1)[-1]
                if last != "image" and not _has_registry(value.text) or value.text in self.artifact_names:
                    continue  # (an artifact's name stands for the image skaffold builds)
                yield from self.emit(ImageFact(value, PULL, f"skaffold {origin}: setValues {key}", self.use(node, value)))

    def value(self, node):
        from nexus_lint.kinds.helm_facts import text_of

        value = text_of(node, self.text)
        if value is None or "{{" in value.text or "$" in value.text:
            return None
        return value

    @staticmethod
    def use(node, value):
        return value.extent() or (node.start_mark.index, node.end_mark.index)

    def emit(self, fact) -> List[object]:
        key = (type(fact).__name__, fact.value.text, fact.value.offsets.tobytes(), getattr(fact, "role", ""))
        if key in self.seen:
            return []
        self.seen.add(key)
        return [fact]


def _image_key(key: str) -> bool:
    last = key.rsplit(".", 1)[-1]
    return last == "image" or (last == "repository" and "image" in key.lower())


def _has_registry(text: str) -> bool:
    first, slash, _ = text.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")
