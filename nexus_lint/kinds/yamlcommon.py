"""What the YAML CI and manifest extractors share."""

from __future__ import annotations

from nexus_lint.core.record import replace
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.model import LOCAL, PUSH, UNKNOWN_ROLE, ImageFact, ParseProblem, Suppression
from nexus_lint.core.suppress import MARKER
from nexus_lint.values.tokens import may_hold_token


def load_yaml(text: str) -> Tuple[Optional[list], Optional[ParseProblem]]:
    """The documents of ``text``, or (``None``, why it is not YAML)."""
    from nexus_lint.lang import yamldoc

    try:
        return yamldoc.load(text), None
    except yamldoc.YamlError as exc:
        return None, ParseProblem(exc.message, exc.start, exc.end)


def yaml_file(source, hint: str, read: Callable[[list], Iterable[object]], *, pairs_under: Tuple[str, ...] = (),
              comments: Optional[dict] = None) -> Iterator[object]:
    """A YAML file kind's facts: the parse problem, or what ``read(docs)`` finds,
    the literal secrets anywhere in the file (``hint``: whose way out the
    message gives; ``pairs_under``: see :func:`yaml_credentials`), and the
    suppressions of its YAML comments and of the shell comments ``read``
    collected in ``comments`` (:mod:`nexus_lint.kinds.embedded`)."""
    text = source.text
    docs, problem = load_yaml(text)
    if problem is not None:
        yield problem
        return
    yield from read(docs)
    from nexus_lint.values.secrets import is_test_path

    yield from yaml_credentials(docs, text, hint, pairs_under=pairs_under, test_code=is_test_path(source.path))
    if "nexus-lint" in text:
        yield from yaml_suppressions(text, docs, source)
        if comments is not None:
            from nexus_lint.kinds.embedded import comment_suppressions

            yield from comment_suppressions(text, comments, source)


def tag_then_push(facts: List[ImageFact]) -> List[ImageFact]:
    """An image tagged or built in one script line and pushed by a later line of
    the same shell session is a push (the analyser sees one line at a time)."""
    out = list(facts)
    for i, f in enumerate(out):
        if getattr(f, "role", None) in (LOCAL, UNKNOWN_ROLE) and any(
            getattr(g, "role", None) == PUSH and g.value.text == f.value.text for g in out[i + 1:]
        ):
            out[i] = replace(f, role=PUSH)
    return out


# ---------------------------------------------------------------------------
# Credentials anywhere in a YAML file
# ---------------------------------------------------------------------------

_NULL = "tag:yaml.org,2002:null"
# Keys whose value is docker's config.json (``auths``): the CI variable and the
# Kubernetes image-pull Secret's entries.
DOCKER_CONFIG_KEYS = frozenset({"DOCKER_AUTH_CONFIG", ".dockerconfigjson", ".dockercfg"})


def yaml_credentials(docs: list, text: str, hint: str, pairs_under: Tuple[str, ...] = (),
                     skip: Optional[Set[int]] = None, test_code: bool = False) -> Iterator[object]:
    """Credential facts of a YAML file (``hint``: whose way out the message gives).

    * every ``key: value`` whose key is secret-like (``NEXUS_PASSWORD: ...``,
      ``token: ...``) with a literal scalar value, wherever it stands (CI
      ``variables``/``env``, action inputs, compose ``environment``, manifests);
    * ``{name: X, value: Y}`` pairs (Kubernetes ``env``, CI service variables);
    * ``KEY=value`` items of lists under ``pairs_under`` (compose ``environment``);
    * ``DOCKER_AUTH_CONFIG`` read as docker's ``config.json``;
    * a token shape or a URL password in any other scalar.

    Mappings whose node id is in ``skip`` are left to the caller; ``test_code``
    (a fixture under ``tests/``): only token shapes and the Nexus default password.
    """
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.values.secrets import by_key, docker_auths, in_value, is_secret_key

    handled: Set[int] = set()
    scalars: List[object] = []
    for doc in docs:
        for node in yamldoc.walk(doc):
            if isinstance(node, yaml.ScalarNode):
                scalars.append(node)
                continue
            if not isinstance(node, yaml.MappingNode) or (skip and id(node) in skip):
                continue
            name_node = value_node = None
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                handled.add(id(k))
                key = k.value
                if key == "name" and isinstance(v, yaml.ScalarNode):
                    name_node = v
                elif key == "value" and isinstance(v, yaml.ScalarNode):
                    value_node = v
                if isinstance(v, yaml.ScalarNode) and v.tag != _NULL and k.tag != yamldoc.MERGE_TAG:
                    handled.add(id(v))
                    if key in DOCKER_CONFIG_KEYS:
                        yield from docker_auths(yamldoc.scalar(v, text), key)
                    elif is_secret_key(key) or _may_hold(v.value):
                        yield from by_key(key, yamldoc.scalar(v, text), key, hint=hint, test_code=test_code)
                elif isinstance(v, yaml.MappingNode) and k.tag != yamldoc.MERGE_TAG:
                    # GitLab's long form: `NEXUS_PASSWORD: {value: ..., description: ...}`
                    # (explicit keys only: merge keys are not resolved here, so this stays linear)
                    for ik, iv in v.value:
                        if isinstance(ik, yaml.ScalarNode) and ik.value == "value" and ik.tag != yamldoc.MERGE_TAG \
                                and isinstance(iv, yaml.ScalarNode) and iv.tag != _NULL:
                            yield from by_key(key, yamldoc.scalar(iv, text), key, hint=hint, test_code=test_code)
                elif key in pairs_under and isinstance(v, yaml.SequenceNode):
                    for item in v.value:
                        if isinstance(item, yaml.ScalarNode) and "=" in item.value:
                            handled.add(id(item))
                            sv = yamldoc.scalar(item, text)
                            name, _, _ = sv.text.partition("=")
                            yield from by_key(name.strip(), sv[len(name) + 1:], f"{key}: {name.strip()}", hint=hint, test_code=test_code)
            if name_node is not None and value_node is not None and value_node.tag != _NULL:
                yield from by_key(name_node.value, yamldoc.scalar(value_node, text), name_node.value, hint=hint, test_code=test_code)
    for node in scalars:
        if id(node) in handled or node.tag == _NULL:
            continue
        if _may_hold(node.value):
            yield from in_value(yamldoc.scalar(node, text), "value", hint=hint, reserved_ok=test_code, test_code=test_code)


def _may_hold(value: str) -> bool:
    """Could a value under a name that says nothing hold a credential (a URL
    password, a token shape)?  Cheap, on the value PyYAML decoded, so most
    scalars are never read again with their positions (what ``in_value`` finds
    needs ``://`` and ``@``, or what :func:`may_hold_token` looks for)."""
    return ("://" in value and "@" in value) or may_hold_token(value)


# ---------------------------------------------------------------------------
# Suppressions in YAML comments
# ---------------------------------------------------------------------------


def yaml_suppressions(text: str, docs: list, source) -> Iterator[Suppression]:
    """``# nexus-lint: ignore[...]`` YAML comments (not ``#`` inside a scalar).

    An end-of-line comment covers its line; a comment on a line of its own
    covers the next line.  Either also covers the whole value of an entry whose
    key stands on that line (``image:  # ...`` above a ``name:``), so a marker
    above ``image:`` covers the map form too.
    """
    import bisect

    import yaml

    from nexus_lint.lang import yamldoc

    scalars: List[Tuple[int, int, Optional[str]]] = []
    entries: Dict[int, int] = {}  # start line -> last line of an entry starting there

    def last_line(end: int) -> int:
        k = end
        while k > 0 and text[k - 1] in " \t\r\n":
            k -= 1
        return source.line_of(max(k - 1, 0))

    for doc in docs:
        for node in yamldoc.walk(doc):
            if isinstance(node, yaml.ScalarNode):
                scalars.append((node.start_mark.index, node.end_mark.index, node.style))
            elif isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    line = source.line_of(k.start_mark.index)
                    entries[line] = max(entries.get(line, line), last_line(v.end_mark.index))
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    line = source.line_of(item.start_mark.index)
                    entries[line] = max(entries.get(line, line), last_line(item.end_mark.index))
    scalars.sort()
    starts = [s for s, _e, _st in scalars]

    def inside_scalar(k: int) -> bool:
        i = bisect.bisect_right(starts, k) - 1
        # scalars do not nest; check the nearest few (anchored ones may overlap marks)
        for j in range(max(0, i - 2), i + 1):
            s, e, _st = scalars[j]
            if s <= k < e:
                return True
        return False

    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.textpos import Comment

    comments: List[Comment] = []
    done: Set[int] = set()
    for m in MARKER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        k = text.find("#", line_start, m.start())
        while k != -1:
            if (k == line_start or text[k - 1] in " \t") and not inside_scalar(k):
                break
            k = text.find("#", k + 1, m.start())
        if k == -1 or k in done:
            continue
        done.add(k)
        eol = len(text)
        for br in ("\n", "\r"):
            p = text.find(br, k)
            if p != -1:
                eol = min(eol, p)
        comments.append(Comment(k, text[k:eol], not text[line_start:k].strip()))
    return suppressions(source, comments, sorted(entries.items()), own_line_too=True, eol="starting")


def default_password_yaml(source) -> Iterator[object]:
    """``admin123`` (the Nexus default admin password) under any key of a YAML
    file that is nothing else the linter knows (a tool's settings); a broken
    file is no finding."""
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.values.secrets import default_password_facts

    docs, problem = load_yaml(source.text)
    if problem is not None:
        return
    pairs = []
    for doc in docs:
        for node in yamldoc.walk(doc):
            if isinstance(node, yaml.MappingNode):
                for key, _k, v in yamldoc.items(node):
                    if isinstance(v, yaml.ScalarNode):
                        pairs.append((key, yamldoc.scalar(v, source.text)))
    yield from default_password_facts(pairs, "env")
