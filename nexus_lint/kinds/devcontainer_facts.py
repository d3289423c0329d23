"""The facts of a ``devcontainer.json`` (see :mod:`nexus_lint.kinds.devcontainer`)."""

from __future__ import annotations

from typing import Iterator, List, Optional

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import PULL, ImageFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.jsonpos import JNode

HOOKS = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand",
         "postAttachCommand")
# ${localEnv:X}, ${containerEnv:X}, ${localWorkspaceFolder}, ${devcontainerId}: the CLI's own variables
_DC_VAR = lazy_re(r"\$\{(?:localEnv|containerEnv|localWorkspaceFolder|localWorkspaceFolderBasename|"
                  r"containerWorkspaceFolder|containerWorkspaceFolderBasename|devcontainerId)[^}]*\}")
_IMAGE_ARG = lazy_re(r"(?i)image|^base$|_base$|^base_|_from$|^from$")
# a feature id that names a registry: host.with.dot[:port]/path or localhost[:port]/path
_REGISTRY_REF = lazy_re(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|localhost)(?::\d+)?/[^\s]+$")


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.pkgcommon import mask
    from nexus_lint.lang import jsonc

    text = source.text
    root, comments, problem = jsonc.read(text)
    if problem is not None:
        yield problem
    if root is not None and root.kind == "object":
        members = root.value
        image = members.get("image")
        if _is_str(image):
            value = mask(image.value, _DC_VAR).strip()
            if value.text:
                yield ImageFact(value, PULL, "devcontainer.json image", value.extent() or (image.start, image.end))
        build = members.get("build")
        if build is not None and build.kind == "object":
            args = build.value.get("args")
            if args is not None and args.kind == "object":
                for key, node in args.value.items():
                    if not _is_str(node):
                        continue
                    value = mask(node.value, _DC_VAR).strip()
                    if _IMAGE_ARG.search(key) and value.text and " " not in value.text:
                        yield ImageFact(value, PULL, f"devcontainer.json build.args {key}",
                                        value.extent() or (node.start, node.end))
                    yield from _env_value(key, value, f"devcontainer.json build.args {key}")
        features = members.get("features")
        if features is not None and features.kind == "object":
            for key, node in features.value.items():
                ref = _feature_key(text, node, key)
                if ref is not None:
                    yield ImageFact(ref, PULL, "devcontainer.json features", ref.extent() or (node.start, node.end))
        for env_key in ("containerEnv", "remoteEnv"):
            env = members.get(env_key)
            if env is not None and env.kind == "object":
                for key, node in env.value.items():
                    if _is_str(node):
                        yield from _env_value(key, mask(node.value, _DC_VAR), f"devcontainer.json {env_key}.{key}")
        scripts: List[SourcedStr] = []
        for hook in HOOKS:
            node = members.get(hook)
            if node is None:
                continue
            if node.kind == "object":
                for sub in node.value.values():
                    scripts.extend(_command(sub))
            else:
                scripts.extend(_command(node))
        if scripts:
            from nexus_lint.kinds.embedded import script_facts

            yield from script_facts([mask(s, _DC_VAR) for s in scripts])
    if "nexus-lint" in text:
        from nexus_lint.kinds.comments import suppressions

        entries = []
        if root is not None:
            entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for s, e in _member_spans(root)]
        yield from suppressions(source, comments, entries)


def _is_str(node: Optional[JNode]) -> bool:
    return node is not None and node.kind == "string"


def _env_value(key: str, value: SourcedStr, origin: str) -> Iterator[object]:
    from nexus_lint.values.secrets import by_key

    yield from by_key(key, value, origin, hint="devcontainer")
    if "://" in value.text:
        from nexus_lint.tools.urls import url_facts_in_value

        yield from url_facts_in_value(value, key, origin)


def _command(node: JNode) -> List[SourcedStr]:
    """A lifecycle command as one shell script: a string as written, an array
    (exec form) as its words, each single-quoted with its characters in place."""
    if node.kind == "string":
        return [node.value]
    if node.kind != "array" or not node.value or not all(n.kind == "string" for n in node.value):
        return []
    parts: List[SourcedStr] = []
    for k, word in enumerate(node.value):
        if k:
            parts.append(SourcedStr.unknown(" "))
        parts.append(_quoted(word.value))
    return [SourcedStr.join(parts)]


def _quoted(word: SourcedStr) -> SourcedStr:
    """``word`` as one shell word: single-quoted, a quote in it written ``'\\''``."""
    parts = [SourcedStr.unknown("'")]
    start = 0
    for k, ch in enumerate(word.text):
        if ch == "'":
            parts += [word[start:k], SourcedStr.unknown("'\\"), word[k:k + 1], SourcedStr.unknown("'")]
            start = k + 1
    parts += [word[start:], SourcedStr.unknown("'")]
    return SourcedStr.join(parts)


def _feature_key(text: str, node: JNode, key: str) -> Optional[SourcedStr]:
    """The feature id of a ``features`` member as it stands in the file, when
    it names a registry (``nexus.example:8444/features/node:1``)."""
    if not _REGISTRY_REF.match(key) or "://" in key:
        return None
    # the key is the last string before the member's value: find its literal
    head = text[:node.start]
    colon = head.rstrip().rfind(":")
    quote_end = head.rfind('"', 0, colon if colon >= 0 else len(head))
    quote_start = head.rfind('"', 0, quote_end) if quote_end > 0 else -1
    if quote_start >= 0 and text[quote_start + 1:quote_end] == key:
        return SourcedStr.literal(key, quote_start + 1)
    return SourcedStr.unknown(key)


def _member_spans(root: JNode) -> Iterator[tuple]:
    """(start, end) of every value of every object and array, at any depth."""
    stack = [root]
    while stack:
        node = stack.pop()
        children = node.value.values() if node.kind == "object" else node.value if node.kind == "array" else ()
        for child in children:
            yield child.start, child.end
            stack.append(child)
