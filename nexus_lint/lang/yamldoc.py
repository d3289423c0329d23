"""YAML with positions, shared by every YAML file kind.

PyYAML's composer (libyaml-backed ``CSafeLoader`` when available, the pure
``SafeLoader`` otherwise) gives a node tree whose marks are code-point indices
into the text.  Nothing is constructed: composing never runs a constructor, so
any tag (GitLab's ``!reference [job, key]``, CloudFormation's ``!Ref``) simply
stays on its node, and no Python object is ever built from the file.

An alias is the very node object of its anchor, so an alias bomb costs nothing
to compose; every traversal in this module is bounded by *distinct* nodes
(memoised by ``id``) or by an explicit visit cap, so it costs nothing to walk
either.

:func:`scalar` turns a scalar node back into a
:class:`~nexus_lint.core.sourced.SourcedStr`: the value the parser produced, with
every character's offset in the text.  It re-scans the scalar's source range
by the YAML scanning rules (quotes, escapes, line folding, block scalar
indentation and chomping) and checks the result against the parser's value;
should they ever disagree it falls back to an in-order alignment, so the text
is always the parser's and an offset is never wrong by more than the
alignment's guess.
"""

from __future__ import annotations

from array import array
from typing import Dict, Iterator, List, Optional, Tuple

import yaml

from nexus_lint.core.sourced import UNKNOWN, SourcedStr

__all__ = [
    "YamlError",
    "load",
    "scalar",
    "get",
    "items",
    "walk",
    "is_reference",
    "MERGE_TAG",
    "MAX_VISITS",
]

MERGE_TAG = "tag:yaml.org,2002:merge"

#: Upper bound of nodes any single traversal here visits.
MAX_VISITS = 200_000

_BREAKS = "\r\n\x85\u2028\u2029"
_BLANKS = " \t"


class YamlError(Exception):
    """The text is not YAML; ``start``/``end`` are offsets into the text."""

    def __init__(self, message: str, start: int = 0, end: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

_LOADER = None


def _loader():
    """A safe loader class that composes any tag (nothing is ever constructed)."""
    global _LOADER
    if _LOADER is None:
        base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

        class _AnyTagLoader(base):  # type: ignore[misc, valid-type]
            pass

        def _plain(loader, suffix, node):  # pragma: no cover - only used by construct_*
            if isinstance(node, yaml.ScalarNode):
                return loader.construct_scalar(node)
            if isinstance(node, yaml.SequenceNode):
                return loader.construct_sequence(node)
            return loader.construct_mapping(node)

        _AnyTagLoader.add_multi_constructor("!", _plain)
        _AnyTagLoader.add_multi_constructor("tag:", _plain)
        _LOADER = _AnyTagLoader
    return _LOADER


def load(text: str) -> List["yaml.Node"]:
    """Every document of ``text`` as a node tree (empty documents are left out).

    Raises :class:`YamlError` with the parser's position for broken YAML, for
    characters YAML does not allow, and for nesting too deep to compose.
    """
    loader = _loader()
    n = len(text)
    try:
        return [doc for doc in yaml.compose_all(text, Loader=loader) if not _empty(doc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        start = _mark_index(mark, n)
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "; ".join(parts) if parts else "invalid YAML"
        raise YamlError(f"invalid YAML: {message}", start, min(n, start + 1)) from None
    except yaml.reader.ReaderError as exc:
        position = getattr(exc, "position", 0)
        start = max(0, min(n, position if isinstance(position, int) else 0))
        raise YamlError(f"invalid YAML: {exc.reason}", start, min(n, start + 1)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 0, 0) from None
    except RecursionError:
        raise YamlError("invalid YAML: nesting is too deep to read", 0, 0) from None
    except UnicodeError:  # lone surrogates (never from a decoded file): libyaml cannot take them
        raise YamlError("invalid YAML: not valid Unicode text", 0, 0) from None


def _empty(doc) -> bool:
    return doc is None or (isinstance(doc, yaml.ScalarNode) and doc.value == "" and doc.tag == "tag:yaml.org,2002:null")


def _mark_index(mark, n: int) -> int:
    if mark is None:
        return 0
    index = getattr(mark, "index", None)
    if isinstance(index, int) and index >= 0:
        return min(index, n)
    return 0


# ---------------------------------------------------------------------------
# Mappings: merge keys, duplicates
# ---------------------------------------------------------------------------

def _is_merge_key(key) -> bool:
    return isinstance(key, yaml.ScalarNode) and key.tag == MERGE_TAG


def _key_text(key) -> Optional[str]:
    if isinstance(key, yaml.ScalarNode):
        return key.value
    return None


def items(mapping) -> List[Tuple[str, "yaml.Node", "yaml.Node"]]:
    """``(key text, key node, value node)`` of a mapping, merge keys resolved.

    Explicit keys win over merged ones; among merged mappings the earlier one
    wins (YAML merge-key semantics); for duplicate keys the last one wins.
    Keys that are not scalars are left out.  Explicit keys come first (in the
    order they first appear), then merged keys that were not overridden.  Work
    is bounded however the merges are nested or aliased (a merge cycle is cut).
    """
    if not isinstance(mapping, yaml.MappingNode):
        return []
    memo: Dict[int, List[Tuple[str, object, object]]] = {}
    budget = [MAX_VISITS]
    return list(_items(mapping, memo, set(), budget))


def _items(mapping, memo, active, budget) -> List[Tuple[str, object, object]]:
    key_id = id(mapping)
    done = memo.get(key_id)
    if done is not None:
        return done
    if key_id in active or budget[0] <= 0:
        return []
    active.add(key_id)
    explicit: Dict[str, Tuple[str, object, object]] = {}
    order: List[str] = []
    merged: Dict[str, Tuple[str, object, object]] = {}
    merged_order: List[str] = []
    for key, value in mapping.value:
        budget[0] -= 1
        if budget[0] <= 0:
            break
        if _is_merge_key(key):
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for src in sources:
                if not isinstance(src, yaml.MappingNode):
                    continue
                for entry in _items(src, memo, active, budget):
                    if entry[0] not in merged:  # earlier merged mapping wins
                        merged[entry[0]] = entry
                        merged_order.append(entry[0])
            continue
        text = _key_text(key)
        if text is None:
            continue
        if text not in explicit:
            order.append(text)
        explicit[text] = (text, key, value)  # duplicate: last wins
    result: List[Tuple[str, object, object]] = []
    seen = set()
    for k in order:
        result.append(explicit[k])
        seen.add(k)
    for k in merged_order:
        if k not in seen:
            result.append(merged[k])
    active.discard(key_id)
    memo[key_id] = result
    return result


def get(mapping, key: str):
    """The value node of ``key`` in ``mapping`` (merge keys resolved), or ``None``."""
    if not isinstance(mapping, yaml.MappingNode):
        return None
    # Fast path: an explicit key (the last one wins) needs no merge resolution.
    found = None
    has_merge = False
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode):
            if k.tag == MERGE_TAG:
                has_merge = True
            elif k.value == key:
                found = v
    if found is not None or not has_merge:
        return found
    for text, _k, v in items(mapping):
        if text == key:
            return v
    return None


def walk(node, limit: int = MAX_VISITS) -> Iterator["yaml.Node"]:
    """Every distinct node under ``node`` (itself included), each once, at most ``limit``."""
    if node is None:
        return
    seen = set()
    stack = [node]
    count = 0
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        count += 1
        if count > limit:
            return
        yield n
        if isinstance(n, yaml.SequenceNode):
            stack.extend(reversed(n.value))
        elif isinstance(n, yaml.MappingNode):
            for k, v in reversed(n.value):
                stack.append(v)
                stack.append(k)


def is_reference(node) -> bool:
    """A GitLab ``!reference [job, key, ...]`` node."""
    return isinstance(node, yaml.SequenceNode) and node.tag == "!reference"


# ---------------------------------------------------------------------------
# Scalars with offsets
# ---------------------------------------------------------------------------

_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_ESCAPE_CODES = {"x": 2, "u": 4, "U": 8}


class _Out:
    __slots__ = ("chars", "offs")

    def __init__(self) -> None:
        self.chars: List[str] = []
        self.offs = array("q")

    def lit(self, text: str, i: int, j: int) -> None:
        """Characters ``text[i:j]`` verbatim."""
        if j > i:
            self.chars.append(text[i:j])
            self.offs.extend(range(i, j))

    def add(self, s: str, off: int) -> None:
        self.chars.append(s)
        self.offs.extend([off] * len(s))

    def result(self) -> SourcedStr:
        return SourcedStr("".join(self.chars), self.offs)


def scalar(node, text: str) -> SourcedStr:
    """The value of scalar ``node`` with each character's offset into ``text``.

    Characters that stand verbatim in the file keep their offset; characters
    the YAML syntax produced (a folded line break's space, a character written
    as an escape) are ``-1``.  A kept line break points at the break in the
    file.  The text is always exactly the parser's value.
    """
    if not isinstance(node, yaml.ScalarNode):
        raise TypeError("scalar() needs a ScalarNode")
    value = node.value
    if not value:
        return SourcedStr("", array("q"))
    start = node.start_mark.index
    end = node.end_mark.index
    n = len(text)
    if not (0 <= start <= end <= n):
        return SourcedStr.unknown(value)
    i = _skip_properties(text, start, end)
    style = node.style
    got: Optional[SourcedStr] = None
    try:
        if style in ('"', "'"):
            if i < end and text[i] == style:
                got = _flow(text, i + 1, end - 1 if end - 1 > i and text[end - 1] == style else end, style)
        elif style in ("|", ">"):
            if i < end and text[i] == style:
                got = _block(text, i, end, style == ">", value)
        else:
            if text.startswith(value, i) and i + len(value) == end:
                return SourcedStr.literal(value, i)
            got = _flow(text, i, end, None)
    except (IndexError, ValueError):
        got = None
    if got is not None and got.text == value:
        return got
    return _align(value, text, i, end)


def _skip_properties(text: str, i: int, end: int) -> int:
    """Skip an anchor and/or tag (and the space, comments, breaks after them)."""
    while i < end and text[i] in "&!":
        while i < end and text[i] not in " \t\r\n\x85\u2028\u2029":
            i += 1
        while i < end:
            c = text[i]
            if c in " \t" or c in _BREAKS:
                i += 1
            elif c == "#":
                while i < end and text[i] not in _BREAKS:
                    i += 1
            else:
                break
    return i


def _break_len(text: str, i: int) -> int:
    """Length of the line break at ``i`` (0 when there is none)."""
    if i >= len(text):
        return 0
    c = text[i]
    if c == "\r":
        return 2 if i + 1 < len(text) and text[i + 1] == "\n" else 1
    if c in "\n\x85\u2028\u2029":
        return 1
    return 0


def _fold(text: str, i: int, end: int, out: _Out) -> int:
    """At a line break inside a flow/plain scalar: fold it; return the index after
    the leading white space of the next non-empty line."""
    first = text[i]
    first_off = i
    i += _break_len(text, i)
    breaks: List[int] = []
    while i < end:
        c = text[i]
        if c in _BLANKS:
            i += 1
        elif c in _BREAKS:
            breaks.append(i)
            i += _break_len(text, i)
        else:
            break
    if first not in "\r\n\x85":
        out.add(first, first_off)
    elif not breaks:
        out.add(" ", UNKNOWN)
    for b in breaks:
        c = text[b]
        out.add("\n" if c in "\r\n\x85" else c, b)
    return i


def _flow(text: str, i: int, end: int, quote: Optional[str]) -> SourcedStr:
    """A flow scalar's value from ``text[i:end]``: plain (``quote`` None) or the
    body of a ``'``/``"`` quoted one (quotes excluded); line folding for all."""
    out = _Out()
    single, double = quote == "'", quote == '"'
    stops = _BLANKS + _BREAKS + ("'\\" if quote else "")
    while i < end:
        c = text[i]
        if c in _BLANKS:
            j = i
            while j < end and text[j] in _BLANKS:
                j += 1
            if j < end and text[j] in _BREAKS:
                i = _fold(text, j, end, out)
            else:
                out.lit(text, i, j)
                i = j
        elif c in _BREAKS:
            i = _fold(text, i, end, out)
        elif single and c == "'":
            # '' stands for one quote: it keeps the first quote's offset
            out.add("'", i)
            i += 2
        elif double and c == "\\":
            e = text[i + 1]
            if e in _ESCAPES:
                out.add(_ESCAPES[e], UNKNOWN)
                i += 2
            elif e in _ESCAPE_CODES:
                k = _ESCAPE_CODES[e]
                code = text[i + 2 : i + 2 + k]
                if len(code) != k:
                    raise ValueError("short escape")
                out.add(chr(int(code, 16)), UNKNOWN)
                i += 2 + k
            elif e in _BREAKS:
                # an escaped line break: nothing, then the next lines' breaks
                i += 1 + _break_len(text, i + 1)
                while i < end:
                    c2 = text[i]
                    if c2 in _BLANKS:
                        i += 1
                    elif c2 in _BREAKS:
                        out.add("\n" if c2 in "\r\n\x85" else c2, i)
                        i += _break_len(text, i)
                    else:
                        break
            else:
                raise ValueError("unknown escape")
        else:
            j = i + 1
            while j < end and text[j] not in stops:
                j += 1
            out.lit(text, i, j)
            i = j
    return out.result()


def _block(text: str, i: int, end: int, folded: bool, value: str) -> Optional[SourcedStr]:
    """A ``|``/``>`` block scalar whose indicator is at ``i``."""
    i += 1
    chomping: Optional[bool] = None
    increment: Optional[int] = None
    for _ in range(2):
        if i < end and text[i] in "+-":
            chomping = text[i] == "+"
            i += 1
        elif i < end and text[i] in "123456789":
            increment = int(text[i])
            i += 1
    while i < end and text[i] in _BLANKS:
        i += 1
    if i < end and text[i] == "#":
        while i < end and text[i] not in _BREAKS:
            i += 1
    i += _break_len(text, i)
    body = i
    if increment is None:
        # auto-detected indentation: the deepest leading blank line or the first content line
        max_indent = 0
        j = body
        line_start = j
        while j < end:
            c = text[j]
            if c == " ":
                j += 1
                max_indent = max(max_indent, j - line_start)
            elif c in _BREAKS:
                j += _break_len(text, j)
                line_start = j
            else:
                break
        candidates = [max(1, max_indent)]
        candidates += [k for k in range(max(1, max_indent - 40), max_indent + 2) if k != candidates[0]]
    else:
        # relative to the parent's indentation, which a node does not record
        candidates = [p + increment for p in range(0, 80)]
    for indent in candidates:
        got = _block_body(text, body, end, indent, folded, chomping)
        if got.text == value:
            return got
    return None


def _block_body(text: str, i: int, end: int, indent: int, folded: bool, chomping: Optional[bool]) -> SourcedStr:
    out = _Out()

    def scan_breaks(i: int) -> Tuple[int, List[int], int]:
        """Skip up to ``indent`` spaces per line and collect empty lines' breaks;
        returns (index, breaks, column)."""
        breaks: List[int] = []
        line_start = i
        while True:
            while i < end and text[i] == " " and i - line_start < indent:
                i += 1
            if i < end and text[i] in _BREAKS:
                breaks.append(i)
                i += _break_len(text, i)
                line_start = i
            else:
                return i, breaks, i - line_start

    i, breaks, column = scan_breaks(i)
    line_break: Optional[int] = None  # offset of the last content line's break
    while column == indent and i < end:
        for b in breaks:
            out.add(_norm_break(text[b]), b)
        leading_non_space = text[i] not in _BLANKS
        j = i
        while j < len(text) and text[j] not in _BREAKS and j < end:
            j += 1
        out.lit(text, i, j)
        line_break = j if j < len(text) and text[j] in _BREAKS else None
        i = j + _break_len(text, j)
        i, breaks, column = scan_breaks(i)
        if column == indent and i < end:
            lb = _norm_break(text[line_break]) if line_break is not None else ""
            if folded and lb == "\n" and leading_non_space and text[i] not in _BLANKS:
                if not breaks:
                    out.add(" ", UNKNOWN)
            elif line_break is not None:
                out.add(lb, line_break)
        else:
            break
    if chomping is not False and line_break is not None:
        out.add(_norm_break(text[line_break]), line_break)
    if chomping is True:
        for b in breaks:
            out.add(_norm_break(text[b]), b)
    return out.result()


def _norm_break(c: str) -> str:
    return "\n" if c in "\r\n\x85" else c


def _align(value: str, text: str, i: int, end: int) -> SourcedStr:
    """Last resort: match ``value``'s characters in order against ``text[i:end]``."""
    offs = array("q", [UNKNOWN]) * len(value)
    j = i
    for k, ch in enumerate(value):
        # look a short way ahead only: a character the syntax produced is left unknown
        found = text.find(ch, j, min(end, j + 16))
        if found < 0:
            continue
        offs[k] = found
        j = found + 1
    return SourcedStr(value, offs)
