"""TOML with positions: where each string value of a file stands.

``tomllib`` decides whether a file is valid TOML (:func:`check`); on a text it
accepted, :class:`TomlScan` finds every string with the offset of each of its
characters (an escape has none), the comments, and the values that span
several lines.
"""

from __future__ import annotations

import re
import sys
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment, line_span, own_line


def check(text: str) -> Optional[ParseProblem]:
    """What ``tomllib`` has against ``text`` (``None``: valid TOML)."""
    if sys.version_info >= (3, 11):  # imported here: only a TOML file pays for it
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if line is None and m:
            line = int(m.group(1))
        s, e = line_span(text, line or 1)
        return ParseProblem(f"invalid TOML: {str(exc).split(' (at line')[0]}", s, e)
    return None


class TomlError(Exception):
    pass


_BARE_KEY = lazy_re(r"[A-Za-z0-9_-]+")
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


class TomlScan:
    """Just enough of TOML to say where each string value stands.

    Yields ``(path, value)`` for every string, where ``path`` holds the keys
    from the root and ``"[]"`` for each array (of tables) level, so
    ``[[tool.uv.index]] url`` and ``[tool.uv] index = [{url = ...}]`` are both
    ``("tool", "uv", "index", "[]", "url")``.  Validity is tomllib's business:
    this runs only on text tomllib accepted.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.strings: List[Tuple[Tuple[str, ...], SourcedStr, int]] = []  # (path, value, start)
        self.comments: List[Comment] = []
        self.entries: List[Tuple[int, int]] = []  # offsets (start, end) of multi-line values

    # -- low level --
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.text[j] if j < len(self.text) else ""

    def ws(self, newlines: bool) -> None:
        t = self.text
        while self.i < len(t):
            c = t[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                end = self.i
                while end < len(t) and t[end] not in "\r\n":
                    end += 1
                self.comments.append(Comment(self.i, t[self.i:end], own_line(t, self.i)))
                self.i = end
            else:
                break

    def parse(self) -> None:
        t = self.text
        table: Tuple[str, ...] = ()
        while True:
            self.ws(True)
            if self.i >= len(t):
                return
            if t[self.i] == "[":
                array = t.startswith("[[", self.i)
                self.i += 2 if array else 1
                self.ws(False)
                keys = self.key()
                self.ws(False)
                self.i += 2 if array else 1
                table = tuple(keys) + (("[]",) if array else ())
                continue
            keys = self.key()
            self.ws(False)
            if self.peek() != "=":
                raise TomlError("expected =")
            self.i += 1
            self.ws(False)
            self.value(table + tuple(keys))

    def key(self) -> List[str]:
        keys = []
        while True:
            self.ws(False)
            c = self.peek()
            if c == '"' or c == "'":
                value, _ = self.string()
                keys.append(value.text)
            else:
                m = _BARE_KEY.match(self.text, self.i)
                if not m:
                    raise TomlError("bad key")
                keys.append(m.group(0))
                self.i = m.end()
            self.ws(False)
            if self.peek() == ".":
                self.i += 1
                continue
            return keys

    def value(self, path: Tuple[str, ...]) -> None:
        c = self.peek()
        start = self.i
        if c in "\"'":
            value, start = self.string()
            self.strings.append((path, value, start))
            if "\n" in self.text[start:self.i]:
                self.entries.append((start, self.i))
        elif c == "[":
            self.i += 1
            while True:
                self.ws(True)
                if self.peek() == "]":
                    self.i += 1
                    break
                self.value(path + ("[]",))
                self.ws(True)
                if self.peek() == ",":
                    self.i += 1
            if "\n" in self.text[start:self.i]:
                self.entries.append((start, self.i))
        elif c == "{":
            self.i += 1
            while True:
                self.ws(True)
                if self.peek() == "}":
                    self.i += 1
                    break
                keys = self.key()
                self.ws(False)
                self.i += 1  # "="
                self.ws(False)
                self.value(path + tuple(keys))
                self.ws(True)
                if self.peek() == ",":
                    self.i += 1
        else:  # number, bool, date: up to a delimiter
            t = self.text
            while self.i < len(t) and t[self.i] not in ",]}\r\n#":
                self.i += 1
            if self.i == start:
                raise TomlError("empty value")

    def string(self) -> Tuple[SourcedStr, int]:
        t = self.text
        q = t[self.i]
        multi = t.startswith(q * 3, self.i)
        start = self.i
        self.i += 3 if multi else 1
        chars: List[SourcedStr] = []
        if multi and t.startswith("\r\n", self.i):
            self.i += 2
        elif multi and t.startswith("\n", self.i):
            self.i += 1
        while True:
            if self.i >= len(t):
                raise TomlError("unterminated string")
            c = t[self.i]
            if multi and t.startswith(q * 3, self.i):
                # up to two more quotes may belong to the content
                extra = 0
                while extra < 2 and t.startswith(q * 3, self.i + 1):
                    chars.append(SourcedStr.literal(q, self.i))
                    self.i += 1
                    extra += 1
                self.i += 3
                break
            if not multi and c == q:
                self.i += 1
                break
            if q == '"' and c == "\\":
                nxt = t[self.i + 1] if self.i + 1 < len(t) else ""
                if multi and nxt in " \t\r\n":
                    j = self.i + 1
                    while j < len(t) and t[j] in " \t":
                        j += 1
                    if j < len(t) and t[j] in "\r\n":  # line-ending backslash: trim
                        while j < len(t) and t[j] in " \t\r\n":
                            j += 1
                        self.i = j
                        continue
                if nxt in _TOML_ESCAPES:
                    chars.append(SourcedStr.unknown(_TOML_ESCAPES[nxt]))
                    self.i += 2
                    continue
                if nxt in "uU":
                    width = 4 if nxt == "u" else 8
                    digits = t[self.i + 2:self.i + 2 + width]
                    chars.append(SourcedStr.unknown(chr(int(digits, 16))))
                    self.i += 2 + width
                    continue
                raise TomlError("bad escape")
            if c == "\r" and t.startswith("\r\n", self.i):
                chars.append(SourcedStr.unknown("\n"))
                self.i += 2
                continue
            chars.append(SourcedStr.literal(c, self.i))
            self.i += 1
        return (SourcedStr.join(chars) if chars else SourcedStr("")), start
