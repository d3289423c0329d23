"""The facts of a Terraform (or any HCL) file; see :mod:`nexus_lint.kinds.terraform`.

The generic part (:func:`hcl_common`: credentials, URLs, suppressions) also
serves the bake kind (:mod:`nexus_lint.kinds.bake_facts`).
"""

from __future__ import annotations

from typing import Callable, Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import INSTALL, PULL, PUSH, ImageFact, ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang import hcl

Span = Tuple[int, int]

# An interpolation in an image reference: text known_name refuses in a name.
UNKNOWN_IMAGE = "${?}"
# ... and in a shell script: a variable the shell analyser does not know.
SHELL_UNKNOWN = "${__terraform__}"

# Resource types whose `image` is a container image whatever it looks like.
_CONTAINER_PREFIXES = ("docker_", "kubernetes_", "nomad_", "helm_", "aws_ecs_", "aws_batch_", "aws_apprunner",
                       "aws_sagemaker", "google_cloud_run", "azurerm_container", "azurerm_kubernetes",
                       "azurerm_linux_web_app", "azurerm_app_service", "digitalocean_app", "fly_")
# Blocks whose `image` is a machine image, not a container image.
_MACHINE_BLOCKS = frozenset({"initialize_params", "boot_disk", "source_image_reference", "storage_image_reference",
                             "os_disk", "image_reference"})
_SHELL_ATTRS = frozenset({"user_data", "user_data_base64"})
_CREDENTIAL_HINT = "terraform"
_ANY_SECRET = lazy_re(r"://|[A-Za-z0-9+/_=-]{20,}")


class Facts:
    """What one HCL file gives, with the spans already reported (each string once)."""

    def __init__(self, source, doc: hcl.Document) -> None:
        self.source = source
        self.doc = doc
        self.out: List[object] = []
        self.images_done: Set[int] = set()  # template starts
        self.urls_done: Set[int] = set()
        self.creds_done: Set[int] = set()
        self.comments: dict = {}
        self.keys: Dict[int, str] = {}  # template start -> the attribute or key that holds it

    # -- images ----------------------------------------------------------------
    def image(self, expr: Optional[hcl.Expr], role: str, origin: str,
              resolve: Optional[Callable[[hcl.Interp], Optional[SourcedStr]]] = None, strict: bool = False,
              prefix: str = "") -> None:
        if expr is None or expr.kind != "string" or expr.string is None:
            return
        tpl = expr.string
        value = image_value(tpl, resolve)
        if value is None:
            return
        if prefix:
            if not value.text.startswith(prefix):
                return
            value = value[len(prefix):]
        if strict and not looks_like_container_image(value.text):
            return
        self.images_done.add(tpl.start)
        self.out.append(ImageFact(value, role, origin, (tpl.start, tpl.end), _vars(tpl)))

    # -- shell -------------------------------------------------------------------
    def shell(self, expr: Optional[hcl.Expr], items: bool = False, env: Optional[Dict] = None) -> None:
        from nexus_lint.kinds.embedded import script_facts

        if expr is None:
            return
        exprs = expr.items if items and expr.kind == "tuple" else [expr]
        scripts = []
        for e in exprs:
            if e.kind != "string" or e.string is None:
                continue
            v = e.string.value(lambda _i: SourcedStr.unknown(SHELL_UNKNOWN))
            if v is None or v.text.lstrip().startswith("#cloud-config"):
                continue
            scripts.append(v)
        self.out.extend(script_facts(scripts, env, self.comments))


def image_value(tpl: hcl.Template, resolve=None) -> Optional[SourcedStr]:
    """An image reference from a string; interpolations ``resolve`` does not give
    leave only the name (when only the tag is unknown) or nothing."""
    from nexus_lint.tools.images import known_name

    unknown = False

    def sub(i: hcl.Interp) -> SourcedStr:
        nonlocal unknown
        v = resolve(i) if resolve is not None else None
        if v is None:
            unknown = True
            return SourcedStr.unknown(UNKNOWN_IMAGE)
        return v

    value = tpl.value(sub)
    if value is None:
        return None
    value = value.strip()
    if unknown:
        value = known_name(value)
    if value is None or not value.text or any(c in value.text for c in " \n\t\"'"):
        return None
    return value


def _vars(tpl: hcl.Template) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(i.expression for i in tpl.interps))


_REF = lazy_re(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")


def looks_like_container_image(text: str) -> bool:
    """Outside a container resource, an ``image`` is judged only when it looks
    like a container reference: a tag, a digest or a registry (``ubuntu-22.04``,
    ``debian-cloud/debian-11``, ``ami-123`` are machine images)."""
    name, at, _digest = text.partition("@")
    slash = name.rfind("/")
    colon = name.find(":", slash + 1)
    path = name[:colon] if colon > 0 else name
    first = path.split("/", 1)[0]
    registry = "/" in path and ("." in first or ":" in first or first == "localhost")
    if not (at or colon > 0 or registry):
        return False
    rest = path.split("/", 1)[1] if registry else path
    return bool(_REF.match(rest.lower()))


# ---------------------------------------------------------------------------
# What every HCL file gives: credentials, URLs, suppressions
# ---------------------------------------------------------------------------


def hcl_common(facts: Facts, hint: str = _CREDENTIAL_HINT) -> Iterator[object]:
    """Credentials under secret-like names (attributes, object keys, ``name``/
    ``value`` pairs, ``variable`` defaults), token shapes and URL passwords in
    any string, every URL in a string nobody judged, and the suppressions."""
    from nexus_lint.tools.urls import url_facts_in_value
    from nexus_lint.values.secrets import by_key, in_value, is_secret_key

    doc = facts.doc

    def cred(key: str, expr: Optional[hcl.Expr], origin: str, secret: Optional[bool] = None,
             strict: bool = True) -> None:
        if expr is None or expr.kind != "string" or expr.string is None:
            return
        tpl = expr.string
        facts.keys.setdefault(tpl.start, origin)
        value = tpl.value()
        if value is None:
            return
        if secret or is_secret_key(key):
            facts.creds_done.add(tpl.start)
            facts.out.extend(by_key(key, value, origin, None, hint, secret=secret, strict=strict))

    def pairs(items: List[Tuple[str, hcl.Expr]], where: str) -> None:
        by_name = dict(items)
        for key, value in items:
            cred(key, value, f"{where}{key}")
            if value.kind == "object":
                pairs([(k, v) for k, _s, v in value.pairs], f"{where}{key}.")
            elif value.kind in ("tuple", "call"):
                for item in value.items:
                    if item.kind == "object":
                        pairs([(k, v) for k, _s, v in item.pairs], f"{where}{key}.")
        name, val = by_name.get("name"), by_name.get("value")
        if name is not None and val is not None and name.kind == "string" and name.string and name.string.literal:
            cred(name.string.value().text, val, f"{where}{name.string.value().text}")

    def body(items, where: str) -> None:
        attrs = [(a.name, a.value) for a in items if isinstance(a, hcl.Attribute)]
        pairs(attrs, where)
        for b in items:
            if isinstance(b, hcl.Block):
                if b.type == "variable" and b.labels:
                    sensitive = b.attr("sensitive")
                    secret = True if (sensitive is not None and facts.source.text[sensitive.start:sensitive.end]
                                      == "true") else None
                    # a module's variable names a secret more often than it holds one
                    # (`secret_key = "credentials"`): unless `sensitive`, the default
                    # must also look like a secret
                    cred(b.labels[0], b.attr("default"), f'variable "{b.labels[0]}" default', secret,
                         strict=bool(secret))
                body(b.body, _where(b))

    body(doc.body, "")
    for tpl in doc.strings:
        value = tpl.value()
        if value is None or not value.text:
            continue
        text = value.text
        if tpl.start not in facts.creds_done and _ANY_SECRET.search(text):
            facts.out.extend(in_value(value, facts.keys.get(tpl.start, "string"), None, hint))
        if tpl.start not in facts.urls_done and tpl.start not in facts.images_done and "://" in text:
            origin = facts.keys.get(tpl.start, "string")
            key = origin.rsplit(".", 1)[-1].rsplit(" ", 1)[-1]
            facts.out.extend(url_facts_in_value(value, key, origin, (tpl.start, tpl.end)))
    yield from facts.out
    text = facts.source.text
    if "nexus-lint" in text:
        yield from suppressions(facts)


def _where(block: hcl.Block) -> str:
    if block.type in ("resource", "data") and block.labels:
        return f"{block.labels[0]}."
    if block.labels:
        return f'{block.type} "{block.labels[0]}" '
    return f"{block.type}."


def suppressions(facts: Facts) -> Iterator[object]:
    """``# nexus-lint: ignore[...]`` (also ``//`` and ``/* */``): an end-of-line
    comment covers its line and every line of an attribute that starts there,
    one on a line of its own the next line and the attribute or block header there."""
    from nexus_lint.kinds.comments import suppressions as marks
    from nexus_lint.kinds.embedded import comment_suppressions

    source = facts.source
    entries: List[Tuple[int, int]] = []

    def body(items) -> None:
        for item in items:
            if isinstance(item, hcl.Attribute):
                entries.append((source.line_of(item.start), source.line_of(max(item.end - 1, item.start))))
            else:
                body(item.body)

    body(facts.doc.body)
    yield from marks(source, facts.doc.comments, entries, own_line_too=False, eol="starting")
    if facts.comments:
        yield from comment_suppressions(source.text, facts.comments, source)


# ---------------------------------------------------------------------------
# Terraform
# ---------------------------------------------------------------------------


def read(source) -> Tuple[Optional[hcl.Document], Optional[ParseProblem]]:
    doc = hcl.read(source.text)
    if doc.problem is not None:
        msg, s, e = doc.problem
        return doc, ParseProblem(msg, s, e)
    return doc, None


def terraform(source, context) -> Iterator[object]:
    doc, problem = read(source)
    if problem is not None:
        if not source.path.lower().endswith(".hcl"):
            yield problem
            return
        # A *.hcl file may be HCL 1 (Nomad, Consul and Vault agent configs still
        # read it: `"key" = ...`, `a.b = ...`): what the grammar read is used,
        # and no NX000 is reported for a dialect the file's own tool accepts.
    facts = Facts(source, doc)
    _images(facts)
    _urls(facts)
    _shell(facts)
    terraform_file = source.path.lower().endswith((".tf", ".tfvars"))
    yield from hcl_common(facts, _CREDENTIAL_HINT if terraform_file else "env")


def _container_context(parents: List[hcl.Block]) -> Tuple[bool, str]:
    """Is an ``image`` under these blocks a container image, and what to call its place."""
    top = parents[0] if parents else None
    if top is None:
        return False, ""
    if top.type in ("resource", "data") and top.labels:
        rtype = top.labels[0]
        machine = any(p.type in _MACHINE_BLOCKS for p in parents)
        return (rtype.startswith(_CONTAINER_PREFIXES) and not machine), rtype
    if top.type == "job":  # a Nomad job spec
        return True, "nomad job"
    if top.type == "module" and top.labels:
        return False, f'module "{top.labels[0]}"'
    return False, top.type


def _images(facts: Facts) -> None:
    doc = facts.doc
    for block, parents in hcl.walk_blocks(doc.body):
        chain = parents + [block]
        container, place = _container_context(chain)
        where = f"{place} " if place else ""
        if block.type == "resource" and len(block.labels) >= 1 and not parents:
            rtype = block.labels[0]
            if rtype == "docker_registry_image":
                facts.image(block.attr("name"), PUSH, "docker_registry_image name")
            elif rtype == "docker_image":
                if not block.blocks("build"):
                    facts.image(block.attr("name"), PULL, "docker_image name")
            elif rtype == "aws_ecs_task_definition":
                _container_definitions(facts, block.attr("container_definitions"))
        if block.type == "variable" and block.labels and block.labels[0].lower().endswith("image"):
            facts.image(block.attr("default"), PULL, f'variable "{block.labels[0]}" default', strict=True)
        for item in block.body:
            if isinstance(item, hcl.Attribute):
                _image_attrs(facts, item.name, item.value, container, f"{where}{item.name}")
    for item in doc.body:  # *.tfvars, locals-free top level
        if isinstance(item, hcl.Attribute):
            _image_attrs(facts, item.name, item.value, False, item.name)


def _image_attrs(facts: Facts, name: str, value: hcl.Expr, container: bool, origin: str) -> None:
    """``image = "..."`` here, and in the objects inside (``jsonencode({image = ...})``, maps)."""
    if value.kind == "string":
        if name in ("image", "container_image"):
            facts.image(value, PULL, origin, strict=not container)
        return
    for e in hcl.walk_exprs(value):
        for k, _span, v in e.pairs:
            if k == "image":
                facts.image(v, PULL, f"{origin} image", strict=not container)


_JSON_IMAGE = lazy_re(r'"image"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _container_definitions(facts: Facts, expr: Optional[hcl.Expr]) -> None:
    """``container_definitions`` as a JSON heredoc or string (``jsonencode`` of an
    object is read as HCL by :func:`_image_attrs`)."""
    from nexus_lint.tools.images import known_name

    if expr is None or expr.kind != "string" or expr.string is None:
        return
    tpl = expr.string
    value = tpl.value(lambda _i: SourcedStr.unknown(UNKNOWN_IMAGE))
    if value is None:
        return
    for m in _JSON_IMAGE.finditer(value.text):
        v = value[m.start(1):m.end(1)]
        if "\\" in v.text:
            continue
        if UNKNOWN_IMAGE in v.text:
            v = known_name(v)
            if v is None:
                continue
        if v.text:
            facts.images_done.add(tpl.start)
            facts.out.append(ImageFact(v, PULL, "aws_ecs_task_definition container_definitions image",
                                       v.extent() or (tpl.start, tpl.end), _vars(tpl)))


def _urls(facts: Facts) -> None:
    from nexus_lint.tools.urls import url_facts_in_value

    for block, parents in hcl.walk_blocks(facts.doc.body):
        if block.type == "resource" and block.labels and block.labels[0] == "helm_release" and not parents:
            expr = block.attr("repository")
            if expr is not None and expr.kind == "string" and expr.string is not None:
                value = expr.string.value()
                if value is not None:
                    facts.urls_done.add(expr.string.start)
                    for f in url_facts_in_value(value, "", "helm_release.repository", None, _vars(expr.string)):
                        from nexus_lint.core.record import replace

                        facts.out.append(replace(f, role=INSTALL if f.role == "browse" else f.role))


def _shell(facts: Facts) -> None:
    for block, parents in hcl.walk_blocks(facts.doc.body):
        for item in block.body:
            if isinstance(item, hcl.Attribute) and item.name in _SHELL_ATTRS and item.value.kind == "string":
                facts.shell(item.value)
        if block.type == "provisioner" and block.labels and block.labels[0] in ("local-exec", "remote-exec"):
            env = _environment(block.attr("environment"))
            facts.shell(block.attr("command"), env=env)
            facts.shell(block.attr("inline"), items=True, env=env)


def _environment(expr: Optional[hcl.Expr]) -> Optional[Dict[str, Optional[SourcedStr]]]:
    """A ``local-exec`` ``environment`` map: literal values as written, others unknown."""
    if expr is None or expr.kind != "object":
        return None
    env: Dict[str, Optional[SourcedStr]] = {}
    for key, _span, value in expr.pairs:
        literal = value.kind == "string" and value.string is not None and value.string.literal
        env[key] = value.string.value() if literal else None
    return env


def by_name(items) -> Dict[str, hcl.Expr]:
    return {a.name: a.value for a in items if isinstance(a, hcl.Attribute)}
