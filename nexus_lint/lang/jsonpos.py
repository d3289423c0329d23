"""JSON with positions (``json`` has none): every node's span, every string's
offsets (an escape has none), strict RFC 8259.

:func:`read` gives the root node, or the parse problem the text has.
"""

from __future__ import annotations

import re
from nexus_lint.core.record import record
from typing import Dict, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr


class JsonError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


@record
class JNode:
    kind: str  # "object", "array", "string", "other"
    start: int
    end: int
    value: object = None  # dict key -> JNode (last wins), list of JNode, SourcedStr


_JSON_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_JSON_OTHER = lazy_re(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class JsonReader:
    """A JSON reader that keeps positions (``json`` has none); strict RFC 8259."""

    MAX_DEPTH = 500
    TRAILING_COMMAS = False  # JSON with comments (lang.jsonc) allows ``[1,]`` and ``{"a": 1,}``

    def __init__(self, text: str) -> None:
        self.t = text
        self.i = 0

    def ws(self) -> None:
        t = self.t
        while self.i < len(t) and t[self.i] in " \t\r\n":
            self.i += 1

    def doc(self) -> JNode:
        self.ws()
        node = self.value(0)
        self.ws()
        if self.i != len(self.t):
            raise JsonError("extra data after the JSON value", self.i)
        return node

    def value(self, depth: int) -> JNode:
        if depth > self.MAX_DEPTH:
            raise JsonError("nested too deeply", self.i)
        t = self.t
        if self.i >= len(t):
            raise JsonError("unexpected end of file", self.i)
        c = t[self.i]
        start = self.i
        if c == "{":
            self.i += 1
            members: Dict[str, JNode] = {}
            self.ws()
            if self.peek() == "}":
                self.i += 1
                return JNode("object", start, self.i, members)
            while True:
                self.ws()
                if self.TRAILING_COMMAS and members and self.peek() == "}":
                    self.i += 1
                    return JNode("object", start, self.i, members)
                if self.peek() != '"':
                    raise JsonError("expected a string key", self.i)
                key = self.string()
                self.ws()
                if self.peek() != ":":
                    raise JsonError("expected ':'", self.i)
                self.i += 1
                self.ws()
                members[key.value.text] = self.value(depth + 1)
                self.ws()
                c = self.peek()
                self.i += 1
                if c == "}":
                    return JNode("object", start, self.i, members)
                if c != ",":
                    raise JsonError("expected ',' or '}'", self.i - 1)
        if c == "[":
            self.i += 1
            items: List[JNode] = []
            self.ws()
            if self.peek() == "]":
                self.i += 1
                return JNode("array", start, self.i, items)
            while True:
                self.ws()
                if self.TRAILING_COMMAS and items and self.peek() == "]":
                    self.i += 1
                    return JNode("array", start, self.i, items)
                items.append(self.value(depth + 1))
                self.ws()
                c = self.peek()
                self.i += 1
                if c == "]":
                    return JNode("array", start, self.i, items)
                if c != ",":
                    raise JsonError("expected ',' or ']'", self.i - 1)
        if c == '"':
            return self.string()
        m = _JSON_OTHER.match(t, self.i)
        if not m:
            raise JsonError("expected a JSON value", self.i)
        self.i = m.end()
        return JNode("other", start, self.i, m.group(0))

    def peek(self) -> str:
        return self.t[self.i] if self.i < len(self.t) else ""

    def string(self) -> JNode:
        t = self.t
        start = self.i
        self.i += 1
        parts: List[SourcedStr] = []
        run = self.i
        while True:
            if self.i >= len(t):
                raise JsonError("unterminated string", start)
            c = t[self.i]
            if c == '"':
                parts.append(SourcedStr.literal(t[run:self.i], run))
                self.i += 1
                break
            if c == "\\":
                parts.append(SourcedStr.literal(t[run:self.i], run))
                e = t[self.i + 1:self.i + 2]
                if e in _JSON_ESC:
                    parts.append(SourcedStr.unknown(_JSON_ESC[e]))
                    self.i += 2
                elif e == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", t[self.i + 2:self.i + 6] or ""):
                    parts.append(SourcedStr.unknown(chr(int(t[self.i + 2:self.i + 6], 16))))
                    self.i += 6
                else:
                    raise JsonError("invalid escape", self.i)
                run = self.i
                continue
            if ord(c) < 0x20:
                raise JsonError("control character in string", self.i)
            self.i += 1
        return JNode("string", start, self.i, SourcedStr.join(parts))


def read(text: str) -> Tuple[Optional[JNode], Optional[ParseProblem]]:
    """The root node of ``text``, or (``None``, the reason it is not JSON)."""
    try:
        return JsonReader(text).doc(), None
    except JsonError as exc:
        pos = min(max(exc.pos, 0), len(text))
        return None, ParseProblem(f"invalid JSON: {exc}", pos, min(len(text), pos + 1))
    except RecursionError:
        return None, ParseProblem("invalid JSON: nested too deeply")
