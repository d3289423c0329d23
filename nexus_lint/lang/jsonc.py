"""JSON with comments (``jsonc``, as VS Code and the dev container CLI read
``devcontainer.json``): ``//`` line comments, ``/* ... */`` block comments and
trailing commas in objects and arrays, with positions as in
:mod:`nexus_lint.lang.jsonpos`.

:func:`read` gives the root node, the comments (for suppression markers) and
the parse problem the text has.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from nexus_lint.core.model import ParseProblem
from nexus_lint.lang.jsonpos import JNode, JsonError, JsonReader
from nexus_lint.lang.textpos import Comment, own_line


class JsoncReader(JsonReader):
    TRAILING_COMMAS = True

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.comments: List[Comment] = []

    def ws(self) -> None:
        t = self.t
        n = len(t)
        while self.i < n:
            c = t[self.i]
            if c in " \t\r\n\ufeff":
                self.i += 1
            elif c == "/" and t.startswith("//", self.i):
                end = self.i
                while end < n and t[end] not in "\r\n":
                    end += 1
                self._comment(self.i, end)
            elif c == "/" and t.startswith("/*", self.i):
                end = t.find("*/", self.i + 2)
                if end < 0:
                    raise JsonError("unterminated block comment", self.i)
                self._comment(self.i, end + 2)
            else:
                break

    def _comment(self, start: int, end: int) -> None:
        self.comments.append(Comment(start, self.t[start:end], own_line(self.t, start), end))
        self.i = end


def read(text: str) -> Tuple[Optional[JNode], List[Comment], Optional[ParseProblem]]:
    """The root node of ``text`` and its comments, or (``None``, the comments
    read so far, the reason it is not JSON with comments)."""
    reader = JsoncReader(text)
    try:
        return reader.doc(), reader.comments, None
    except JsonError as exc:
        pos = min(max(exc.pos, 0), len(text))
        return None, reader.comments, ParseProblem(f"invalid JSON with comments: {exc}", pos, min(len(text), pos + 1))
    except RecursionError:
        return None, reader.comments, ParseProblem("invalid JSON with comments: nested too deeply")
