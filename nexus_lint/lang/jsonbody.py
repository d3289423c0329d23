"""JSON request bodies: the keys of an object and how to add one entry in its style.

Two hosts use this: the Python analysis (a dict literal, or JSON text in a
string) and ``curl -d '{...}'`` in any shell.  The scanner is tolerant: an
unresolved part left as written (``$ID``, ``${ID}``, ``{user_id}``) inside a
value does not stop it, and it reads only the top level of the object.

:func:`entry_insertions` works out where one more ``"key": "value"`` entry
goes and how it is written so the object keeps its formatting: one line or one
entry per line (with the same indentation and line ending), a trailing comma or
none, the separator after the colon, and a comment after the last entry stays
where it is.
"""

from __future__ import annotations

import json
from typing import Callable, List, Optional, Sequence, Tuple

from nexus_lint.core.model import ENTRY, JsonBody
from nexus_lint.core.sourced import SourcedStr

__all__ = ["Entry", "scan_object", "entry_insertions", "json_text_body"]

# (key start, key end, value start, value end) as indices into the text
Entry = Tuple[int, int, int, int]
_WS = " \t\r\n\f\v"


def _skip(text: str, i: int, end: int, comments: bool) -> int:
    while i < end:
        c = text[i]
        if c in _WS:
            i += 1
        elif comments and c == "#":
            while i < end and text[i] not in "\r\n":
                i += 1
        else:
            break
    return i


def _string_end(text: str, i: int) -> Optional[int]:
    """Index after the JSON string starting at ``i`` (a ``"``)."""
    n = len(text)
    i += 1
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        else:
            i += 1
    return None


def _value_end(text: str, i: int) -> Optional[int]:
    """Index after the value starting at ``i`` (stops at a top-level ``,`` or ``}``)."""
    n = len(text)
    nest = 0
    while i < n:
        c = text[i]
        if c == '"':
            e = _string_end(text, i)
            if e is None:
                return None
            i = e
            continue
        if c in "{[":
            nest += 1
        elif c in "}]":
            if nest == 0:
                break
            nest -= 1
        elif c == "," and nest == 0:
            break
        i += 1
    if nest:
        return None
    while i > 0 and text[i - 1] in _WS:
        i -= 1
    return i


def scan_object(text: str) -> Optional[Tuple[int, int, List[Entry], List[str]]]:
    """``(open, close, entries, keys)`` of the JSON object ``text`` holds, or ``None``."""
    n = len(text)
    i = _skip(text, 0, n, False)
    if i >= n or text[i] != "{":
        return None
    open_i = i
    i += 1
    entries: List[Entry] = []
    keys: List[str] = []
    while True:
        i = _skip(text, i, n, False)
        if i >= n:
            return None
        c = text[i]
        if c == "}":
            return open_i, i, entries, keys
        if c == ",":
            i += 1
            continue
        if c != '"':
            return None
        key_end = _string_end(text, i)
        if key_end is None:
            return None
        raw_key = text[i:key_end]
        try:
            key = json.loads(raw_key)
        except ValueError:
            key = raw_key[1:-1]
        j = _skip(text, key_end, n, False)
        if j >= n or text[j] != ":":
            return None
        v0 = _skip(text, j + 1, n, False)
        v1 = _value_end(text, v0)
        if v1 is None or v1 <= v0:
            return None
        entries.append((i, key_end, v0, v1))
        keys.append(key)
        i = v1


def entry_insertions(
    text: str,
    open_i: int,
    close_i: int,
    entries: Sequence[Entry],
    offset: Callable[[int], int],
    *,
    comments: bool = False,
) -> Tuple[Tuple[int, str], ...]:
    """How to add one entry to the object ``text[open_i:close_i + 1]``.

    ``offset(i)`` is the file offset of character ``i`` of ``text`` (-1 when it
    has none).  Returns ``(offset, text)`` insertions whose text holds
    :data:`~nexus_lint.core.model.ENTRY`, or ``()`` when a needed place has no offset.
    """

    def after(i: int) -> int:  # the file offset just after character i - 1
        o = offset(i - 1) if i > 0 else -1
        return o + 1 if o >= 0 else -1

    out: List[Tuple[int, str]] = []
    if not entries:
        o = after(open_i + 1)
        return ((o, ENTRY),) if o >= 0 else ()
    k0 = entries[0][0]
    last = entries[-1]
    j = _skip(text, last[3], close_i, comments)
    trailing = j < close_i and text[j] == ","
    after_last = j + 1 if trailing else last[3]
    # one entry per line?
    multiline = any(c in "\r\n" for c in text[open_i + 1:k0])
    indent = nl = ""
    if multiline:
        ls = max(text.rfind("\n", 0, last[0]), text.rfind("\r", 0, last[0])) + 1
        indent = text[ls:last[0]]
        if indent.strip(" \t"):
            multiline = False
        else:
            nl = "\r\n" if text[max(0, ls - 2):ls] == "\r\n" else text[ls - 1] if ls > 0 else "\n"
    if multiline:
        # the end of the line holding the last entry (and its comma), when `}` is on a later line
        eol = after_last
        while eol < close_i and text[eol] not in "\r\n":
            eol += 1
        rest = text[after_last:eol].strip(" \t")
        if eol < close_i and (not rest or (comments and rest.startswith("#"))):
            if not trailing:
                out.append((after(last[3]), ","))
            o = offset(eol)
            out.append((o, nl + indent + ENTRY + ("," if trailing else "")))
        else:
            o = after(after_last)
            out.append((o, ("" if trailing else ",") + nl + indent + ENTRY + ("," if trailing else "")))
    else:
        if len(entries) > 1:
            between = text[entries[0][3]:entries[1][0]]
            compact = between.strip() == "," and between.endswith(",")
        else:  # one entry: compact when it is written `"key":value`
            compact = text[entries[0][1]:entries[0][2]] == ":"
        if trailing:
            out.append((after(j + 1), ("" if compact else " ") + ENTRY + ","))
        else:
            out.append((after(last[3]), ("," if compact else ", ") + ENTRY))
    if any(o < 0 for o, _ in out):
        return ()
    merged: List[Tuple[int, str]] = []
    for o, t in out:  # insertions at one place are one edit, in order
        if merged and merged[-1][0] == o:
            merged[-1] = (o, merged[-1][1] + t)
        else:
            merged.append((o, t))
    return tuple(merged)


def colon_style(text: str, entry: Entry) -> str:
    """The text between the first key and its value (``": "``, ``":"``, ``" : "``)."""
    between = text[entry[1]:entry[2]]
    if ":" not in between or any(c in "\r\n" for c in between):
        return ": "
    return between


def json_text_body(value: SourcedStr, later_keys: Tuple[str, ...] = ()) -> Optional[JsonBody]:
    """The JSON object ``value`` holds (``curl -d '{...}'``, a Python JSON string)."""
    text = value.text
    scanned = scan_object(text)
    if scanned is None:
        return None
    open_i, close_i, entries, keys = scanned
    offs = value.offsets

    def offset(i: int) -> int:
        return offs[i] if 0 <= i < len(offs) else -1

    span = value.span(open_i, close_i + 1) or value[open_i:close_i + 1].extent() or (0, 0)
    insertions: Tuple[Tuple[int, str], ...] = ()
    quote = '"'
    colon = ": "
    if entries:
        k0 = entries[0][0]
        # An escaped quote (`\"` inside a double-quoted shell or Python string) stands two
        # characters after the character before it.
        o_quote, o_prev = offset(k0), offset(k0 - 1) if k0 > 0 else -1
        if o_quote >= 0 and o_prev >= 0:
            gap = o_quote - o_prev
            if gap == 1:
                quote = '"'
            elif gap == 2:
                quote = '\\"'
            else:
                gap = 0
            if gap:
                insertions = entry_insertions(text, open_i, close_i, entries, offset)
        colon = colon_style(text, entries[0])
    return JsonBody(tuple(keys), span, later_keys, insertions, quote, colon)
