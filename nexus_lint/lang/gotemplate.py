"""Go ``text/template`` actions neutralised, every other character kept in place.

A Helm template is YAML with Go template actions (``{{ ... }}``) woven in; as
written it is rarely YAML (``replicas: {{ .Values.n }}`` opens a flow
mapping, ``{{- if ... }}`` lines break indentation).  :func:`neutralise`
returns text of exactly the same length, with the same line breaks, that a
YAML parser can read:

* a line that holds nothing but actions (and blanks) -- ``{{- if .Values.x }}``,
  ``{{- end }}``, ``{{- include "x.labels" . | nindent 4 }}``,
  ``{{- toYaml .Values.resources | nindent 12 }}`` -- becomes a YAML comment
  (``#`` where the action starts, spaces after: what such a line renders to
  is unknown, usually a whole block, and a comment is harmless even inside a
  block scalar, where a line of spaces may not be);
* an action that ends a ``key:`` line above deeper lines
  (``labels: {{- include "x.labels" . | nindent 4 }}``) is blanked with
  spaces: it renders (part of) the block below, not a value of its own;
* any other action is replaced by a placeholder of the same length made of
  :data:`FILL` characters (letters: valid inside a plain, single- or
  double-quoted scalar and in a key), so ``image: "nexus:8443/{{ .Values.x }}"``
  keeps its literal parts where they were; a comment (``{{/* ... */}}``)
  renders nothing and is blanked wherever it stands.

The spans of the placeholders are returned too, so a reader can tell the
characters it cannot know from the literal ones.  Actions are found as the
template lexer finds them: ``{{`` opens one, ``}}`` outside a string or
character literal closes it, ``{{/* ... */}}`` is a comment (may hold ``}}``),
and ``{{-``/``-}}`` trim markers are part of the action.  An action that is
never closed runs to the end of the text.  Nothing here knows about Nexus.
"""

from __future__ import annotations

from typing import Callable, List, Tuple

__all__ = ["FILL", "actions", "is_comment", "neutralise"]

FILL = "x"

Span = Tuple[int, int]


def actions(text: str) -> List[Span]:
    """``(start, end)`` of every ``{{ ... }}`` action, in order."""
    out: List[Span] = []
    n = len(text)
    i = text.find("{{")
    while i != -1:
        j = i + 2
        if j < n and text[j] == "-" and j + 1 < n and text[j + 1] in " \t\r\n":
            j += 2
        while j < n and text[j] in " \t\r\n":
            j += 1
        if text.startswith("/*", j):
            close = text.find("*/", j + 2)
            end = text.find("}}", close + 2) if close != -1 else -1
            end = n if end == -1 else end + 2
        else:
            end = _close(text, j)
        out.append((i, end))
        i = text.find("{{", end)
    return out


def is_comment(text: str, s: int) -> bool:
    """Is the action opening at ``s`` a comment (``{{/* */}}``, ``{{- /* */ -}}``)?"""
    j = s + 2
    if text.startswith("-", j):
        j += 1
    while j < len(text) and text[j] in " \t\r\n":
        j += 1
    return text.startswith("/*", j)


def _close(text: str, j: int) -> int:
    """The end of the action whose body starts at ``j`` (after its closing ``}}``)."""
    n = len(text)
    while j < n:
        c = text[j]
        if c == "}" and text.startswith("}}", j):
            return j + 2
        if c in "\"'`":
            j = _skip_literal(text, j, c)
            continue
        j += 1
    return n


def _skip_literal(text: str, j: int, quote: str) -> int:
    """Past the string or character literal opening at ``j`` (a raw ```...```
    has no escapes; an unterminated one ends at the line break)."""
    n = len(text)
    k = j + 1
    while k < n:
        c = text[k]
        if c == "\\" and quote != "`":
            k += 2
            continue
        if c == quote:
            return k + 1
        if c == "\n" and quote != "`":
            return k
        k += 1
    return n


def neutralise(text: str) -> Tuple[str, List[Span]]:
    """(text of the same length with the actions neutralised, placeholder spans)."""
    spans = actions(text)
    if not spans:
        return text, []
    alone = _alone_test(text, spans)
    chars = list(text)
    inline: List[Span] = []
    for s, e in spans:
        if alone(s, e):
            _comment_out(chars, s, e)
        elif is_comment(text, s):
            for k in range(s, e):  # renders nothing
                if chars[k] not in "\r\n":
                    chars[k] = " "
        else:
            for k in range(s, e):
                if chars[k] not in "\r\n":
                    chars[k] = FILL
            inline.append((s, e))
    # `key: {{- include "x" . | nindent 4 }}` above deeper lines: the action renders
    # (part of) the block below, not a value of its own
    placeholders: List[Span] = []
    lines = _Lines(chars)
    for s, e in inline:
        if _opens_block(chars, s, e, lines):
            for k in range(s, e):
                if chars[k] not in "\r\n":
                    chars[k] = " "
        else:
            placeholders.append((s, e))
    return "".join(chars), placeholders


def _comment_out(chars: List[str], s: int, e: int) -> None:
    """Blank the action at ``s:e`` (alone on its lines) as a YAML comment: ``#``
    where each of its lines starts, spaces after.  (A line of spaces alone would
    be content to YAML in a block scalar, where a line more indented than the
    text below it is an error; a comment line is fine anywhere else.)"""
    first = True
    for k in range(s, e):
        c = chars[k]
        if c in "\r\n":
            first = True
        elif first and c not in " \t":
            chars[k] = "#"
            first = False
        else:
            chars[k] = " "


def _opens_block(chars: List[str], s: int, e: int, lines: "_Lines") -> bool:
    """Is the action at ``s:e`` the last thing on a ``key:`` line (actions and
    blanks after it) whose next non-blank line is indented deeper?"""
    n = len(chars)
    line_start, line_end = lines.start(s), lines.end(e)
    if lines.solid[line_end] != lines.solid[e]:
        return False  # text after the action on its line
    k = s
    while k > line_start and chars[k - 1] in " \t":
        k -= 1
    first = line_start
    while first < s and chars[first] == " ":
        first += 1
    indent = first - line_start
    if k > line_start and chars[k - 1] == ":":
        if chars[first] == "-" and first + 1 < n and chars[first + 1] in " \t":
            indent += 2  # `- key: {{ ... }}`: the key's column
    elif not (chars[first] == "-" and k == first + 1):
        return False
    k = line_end
    while k < n:
        while k < n and chars[k] in "\r\n":
            k += 1
        j = k
        while j < n and chars[j] == " ":
            j += 1
        if j < n and chars[j] not in "\r\n#":
            return j - k > indent
        while j < n and chars[j] not in "\r\n":  # a comment line or a blank one
            j += 1
        k = j
    return False


class _Lines:
    """Line bounds by bisection, and a prefix count of the characters that are
    neither blanks nor placeholders (``solid``), both computed once."""

    def __init__(self, chars: List[str]) -> None:
        import bisect

        self._bisect = bisect
        self.breaks = [k for k, c in enumerate(chars) if c in "\r\n"]
        self.n = len(chars)
        solid = [0] * (self.n + 1)
        for k, c in enumerate(chars):
            solid[k + 1] = solid[k] + (c not in " \t\r\n" + FILL)
        self.solid = solid

    def start(self, s: int) -> int:
        i = self._bisect.bisect_left(self.breaks, s)
        return self.breaks[i - 1] + 1 if i else 0

    def end(self, e: int) -> int:
        i = self._bisect.bisect_left(self.breaks, e)
        return self.breaks[i] if i < len(self.breaks) else self.n


def _alone_test(text: str, spans: List[Span]) -> Callable[[int, int], bool]:
    """``alone(s, e)``: does the action at ``s:e`` stand on a line (or lines)
    of actions and blanks only?  Linear: one prefix count of the characters
    that are neither blanks, line breaks nor inside an action."""
    n = len(text)
    delta = [0] * (n + 1)
    for s, e in spans:
        delta[s] += 1
        delta[e] -= 1
    others = [0] * (n + 1)
    depth = 0
    for k, c in enumerate(text):
        depth += delta[k]
        others[k + 1] = others[k] + (depth == 0 and c not in " \t\r\n")

    lines = _Lines(list(text))

    def alone(s: int, e: int) -> bool:
        return others[lines.end(e)] == others[lines.start(s)]

    return alone
