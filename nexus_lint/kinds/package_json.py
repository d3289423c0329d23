"""``package.json``: ``publishConfig.registry`` (and ``@scope:registry``)
publishes; each of ``scripts`` is shell and goes through the shell analyser."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, SHELL

KIND = FileKind(name="package-json", names=("package.json",), extractor="nexus_lint.kinds.package_json:extract",
                tokens=SHELL + ESCAPES, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import PUBLISH, UrlFact
    from nexus_lint.kinds.embedded import script_facts
    from nexus_lint.kinds.pkgcommon import HTTP, NPM_REGISTRY_KEY
    from nexus_lint.lang import jsonpos

    root, problem = jsonpos.read(source.text)
    if problem is not None:
        yield problem
        return
    if root.kind != "object":
        return
    publish = root.value.get("publishConfig")
    if publish is not None and publish.kind == "object":
        for key, node in publish.value.items():
            if node.kind == "string" and NPM_REGISTRY_KEY.match(key) and HTTP.match(node.value.text):
                yield UrlFact(node.value, PUBLISH, f"package.json publishConfig.{key}", (node.start, node.end))
    scripts = root.value.get("scripts")
    if scripts is not None and scripts.kind == "object":
        yield from script_facts([n.value for n in scripts.value.values() if n.kind == "string"])
