"""What the YAML CI and manifest extractors share."""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Iterator, List, Optional, Set, Tuple

from ..model import LOCAL, PUSH, UNKNOWN_ROLE, ImageFact, Suppression
from ..suppress import MARKER, parse_marker


def tag_then_push(facts: List[ImageFact]) -> List[ImageFact]:
    """An image tagged or built in one script line and pushed by a later line of
    the same shell session is a push (the analyser sees one line at a time)."""
    out = list(facts)
    for i, f in enumerate(out):
        if f.role in (LOCAL, UNKNOWN_ROLE) and any(g.role == PUSH and g.value.text == f.value.text for g in out[i + 1:]):
            out[i] = replace(f, role=PUSH)
    return out


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

    from ..analyse import yamldoc

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
        parsed = parse_marker(text[k:eol])
        if parsed is None:
            continue
        ids, s, e = parsed
        line = source.line_of(k)
        own = not text[line_start:k].strip()
        target = line + 1 if own else line
        last = entries.get(target, target)
        lines = tuple(range(line if own else line, last + 1))
        yield Suppression(ids, lines, k + s, k + e)
