"""The facts of a ``docker buildx bake`` file; see :mod:`nexus_lint.kinds.bake`."""

from __future__ import annotations

import os
from typing import Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BUILD_BASE, PULL, PUSH, ImageFact, ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.kinds.terraform_facts import UNKNOWN_IMAGE, Facts, hcl_common, looks_like_container_image
from nexus_lint.lang import hcl
from nexus_lint.tools.images import registry_cache_ref

MAX_VAR_DEPTH = 10
_VAR = lazy_re(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_INTERP = lazy_re(r"(?<!\$)\$\{[^{}]*\}")

_DIGEST = lazy_re(r"^sha(?:256|384|512):[0-9a-fA-F]{32,}$")


def bake(source, context) -> Iterator[object]:
    if source.path.lower().endswith(".json"):
        doc, problem = _read_json(source.text)
    else:
        doc = hcl.read(source.text)
        problem = ParseProblem(*doc.problem) if doc.problem is not None else None
    if problem is not None:
        yield problem
        return
    facts = Facts(source, doc)
    _Bake(facts, context).targets()
    yield from hcl_common(facts, hint="bake")


class _Bake:
    def __init__(self, facts: Facts, context) -> None:
        self.facts = facts
        self.context = context
        self.variables: Dict[str, Optional[hcl.Template]] = {}
        for b in facts.doc.blocks("variable"):
            if b.labels:
                d = b.attr("default")
                self.variables[b.labels[0]] = d.string if d is not None and d.kind == "string" else None
        self._active: Set[str] = set()

    # -- values ----------------------------------------------------------------
    def resolve(self, interp: hcl.Interp) -> Optional[SourcedStr]:
        """``${NAME}`` of a variable whose default is a string: that default."""
        name = interp.expression
        if not _VAR.match(name) or name in self._active or len(self._active) >= MAX_VAR_DEPTH:
            return None
        tpl = self.variables.get(name)  # the environment may override it at build time: the default is judged
        if tpl is None:
            return None
        self._active.add(name)
        try:
            return tpl.value(lambda i: self.resolve(i) or SourcedStr.unknown(UNKNOWN_IMAGE))
        finally:
            self._active.discard(name)

    def value(self, expr: Optional[hcl.Expr]) -> Optional[Tuple[SourcedStr, hcl.Template]]:
        if expr is None or expr.kind != "string" or expr.string is None:
            return None
        tpl = expr.string
        v = tpl.value(lambda i: self.resolve(i) or SourcedStr.unknown(UNKNOWN_IMAGE))
        return (v.strip(), tpl) if v is not None else None

    def image(self, expr: Optional[hcl.Expr], role: str, origin: str, part=None, strict: bool = False) -> None:
        from nexus_lint.tools.images import known_name

        got = self.value(expr)
        if got is None:
            return
        value, tpl = got
        if part is not None:
            value = part(value)
            if value is None:
                return
        if UNKNOWN_IMAGE in value.text:
            value = known_name(value)
        if value is None or not value.text or any(c in value.text for c in " \n\t\"'"):
            return
        if _DIGEST.match(value.text):
            return  # a digest alone (`FROM alpine@${ARG}`): no image name to judge
        if strict and not looks_like_container_image(value.text):
            return
        self.facts.images_done.add(tpl.start)
        via = tuple(dict.fromkeys(i.expression for i in tpl.interps))
        self.facts.out.append(ImageFact(value, role, origin, (tpl.start, tpl.end), via))

    # -- targets ---------------------------------------------------------------
    def targets(self) -> None:
        for target in self.facts.doc.blocks("target"):
            name = target.labels[0] if target.labels else ""
            where = f'target "{name}"'
            tags = target.attr("tags")
            for item in _items(tags):
                self.image(item, PUSH, f"{where} tags")
            for key, role in (("cache-from", PULL), ("cache-to", PUSH)):
                for item in _items(target.attr(key)):
                    self.image(item, role, f"{where} {key}", part=registry_cache_ref)
            contexts = target.attr("contexts")
            if contexts is not None and contexts.kind == "object":
                for key, _span, v in contexts.pairs:
                    self.image(v, PULL, f"{where} contexts.{key}", part=_docker_image)
            args = target.attr("args")
            if args is not None and args.kind == "object":
                from_args = self.from_args(target)
                for key, _span, v in args.pairs:
                    if key in from_args:
                        self.image(v, BUILD_BASE, f"{where} args.{key} (FROM)")
                    elif "IMAGE" in key.upper() or "BASE" in key.upper() or self.nexus_value(v):
                        self.image(v, PULL, f"{where} args.{key}", strict=True)

    def nexus_value(self, expr: hcl.Expr) -> bool:
        got = self.value(expr)
        return got is not None and any(h in got[0].text.lower() for h in self.context.hosts)

    def from_args(self, target: hcl.Block) -> Set[str]:
        """The build args the target's Dockerfile uses in a ``FROM`` (when it is in the repository)."""
        path = dockerfile_path(self.facts.source, target, source_doc=self.facts.doc)
        if path is None:
            return set()
        try:
            with open(path, "rb") as fh:
                text = fh.read(1_000_000).decode("utf-8", "replace")
        except OSError:
            return set()
        return set(_FROM_ARG.findall(text)) | set(_FROM_ARG_BRACED.findall(text))


_FROM_ARG = lazy_re(r"(?im)^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S*?\$([A-Za-z_][A-Za-z0-9_]*)")
_FROM_ARG_BRACED = lazy_re(r"(?im)^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S*?\$\{([A-Za-z_][A-Za-z0-9_]*)")


def _inherited(doc: Optional[hcl.Document], target: hcl.Block, attr: str, depth: int = 0) -> Optional[str]:
    """A target's own ``attr``, else the first one its ``inherits`` targets give (this file's)."""
    own = target.attr(attr)
    if own is not None or doc is None or depth > 10:
        return _static(own)
    for item in _items(target.attr("inherits")):
        name = _static(item)
        for parent in doc.blocks("target"):
            if name is not None and parent.labels[:1] == [name] and parent is not target:
                found = _inherited(doc, parent, attr, depth + 1)
                if found is not None:
                    return found
    return None


def _static(expr: Optional[hcl.Expr]) -> Optional[str]:
    if expr is None or expr.kind != "string" or expr.string is None or not expr.string.literal:
        return None
    return expr.string.value().text


def dockerfile_path(source, target: Optional[hcl.Block], context_dir: Optional[str] = None,
                    dockerfile: Optional[str] = None, source_doc: Optional[hcl.Document] = None) -> Optional[str]:
    fs_path = getattr(source, "fs_path", None)
    if not fs_path:
        return None
    if target is not None:
        context_dir = _inherited(source_doc, target, "context")
        dockerfile = _inherited(source_doc, target, "dockerfile")
    return _join(os.path.dirname(fs_path), context_dir or ".", dockerfile or "Dockerfile")


def _join(base: str, context_dir: str, dockerfile: str) -> Optional[str]:
    if "://" in context_dir or context_dir.startswith(("git@", "target:", "docker-image:")):
        return None
    if os.path.isabs(dockerfile):
        return dockerfile
    return os.path.normpath(os.path.join(base, context_dir, dockerfile))


_CONTEXT = lazy_re(r'"?context"?\s*[=:]\s*"([^"$]*)"')
_DOCKERFILE = lazy_re(r'"?dockerfile"?\s*[=:]\s*"([^"$]*)"')


def cache_deps(fs_path: str, data: bytes) -> Optional[List[str]]:
    """The Dockerfiles a bake file's targets may build (their ``FROM`` args count)."""
    text = data.decode("utf-8", "replace")
    base = os.path.dirname(fs_path)
    contexts = _CONTEXT.findall(text) or ["."]
    files = _DOCKERFILE.findall(text) or ["Dockerfile"]
    if len(contexts) * len(files) > 400:
        return None
    out = [p for c in set(contexts) for f in set(files) for p in [_join(base, c, f)] if p]
    return sorted(set(out + [os.path.join(base, "Dockerfile")]))


def _items(expr: Optional[hcl.Expr]) -> List[hcl.Expr]:
    if expr is None:
        return []
    return expr.items if expr.kind == "tuple" else [expr] if expr.kind == "string" else []


def _docker_image(value: SourcedStr) -> Optional[SourcedStr]:
    prefix = "docker-image://"
    return value[len(prefix):] if value.text.startswith(prefix) else None


# ---------------------------------------------------------------------------
# docker-bake.json: the same model from JSON
# ---------------------------------------------------------------------------


def _read_json(text: str) -> Tuple[Optional[hcl.Document], Optional[ParseProblem]]:
    from nexus_lint.lang import jsonpos

    root, problem = jsonpos.read(text)
    if problem is not None or root is None:
        return None, problem
    strings: List[hcl.Template] = []
    body: List[object] = []
    if root.kind == "object":
        for btype, blocks in root.value.items():
            if blocks.kind != "object":
                continue
            for label, node in blocks.value.items():
                if node.kind == "object":
                    attrs = [hcl.Attribute(k, _json_expr(v, strings), v.start, v.end) for k, v in node.value.items()]
                    body.append(hcl.Block(btype, [label], attrs, node.start, node.end))
    return hcl.Document(body, [], strings), None


def _json_expr(node, strings: List[hcl.Template], depth: int = 0) -> hcl.Expr:
    if depth > hcl.MAX_DEPTH:
        return hcl.Expr("other", node.start, node.end)
    if node.kind == "string":
        tpl = _json_template(node.value, node.start, node.end)
        strings.append(tpl)
        return hcl.Expr("string", node.start, node.end, string=tpl)
    if node.kind == "array":
        return hcl.Expr("tuple", node.start, node.end, items=[_json_expr(n, strings, depth + 1) for n in node.value])
    if node.kind == "object":
        return hcl.Expr("object", node.start, node.end,
                        pairs=[(k, (v.start, v.start), _json_expr(v, strings, depth + 1)) for k, v in node.value.items()])
    return hcl.Expr("other", node.start, node.end)


def _json_template(value: SourcedStr, start: int, end: int) -> hcl.Template:
    """A JSON string with bake's ``${...}`` interpolations as unknown parts."""
    parts: List[object] = []
    pos = 0
    text = value.text
    for m in _INTERP.finditer(text):
        if m.start() > pos:
            parts.append(value[pos:m.start()])
        s = value.offsets[m.start()] if value.offsets[m.start()] >= 0 else start
        parts.append(hcl.Interp(m.group(), s, s + len(m.group())))
        pos = m.end()
    if pos < len(text):
        parts.append(value[pos:])
    return hcl.Template(parts, start, end)

