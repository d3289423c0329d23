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

from nexus_lint.core.lazyre import lazy_re

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
    while True:
        m = _CLOSE.search(text, j)
        if m is None:
            return len(text)
        if m.group() == "}}":
            return m.end()
        j = _skip_literal(text, m.start(), m.group())


_CLOSE = lazy_re(r"\}\}|[\"'`]")
_LITERAL_BODY = {q: lazy_re(rf"(?:[^{q}\\\n]|\\[\s\S])*") for q in "\"'"}


def _skip_literal(text: str, j: int, quote: str) -> int:
    """Past the string or character literal opening at ``j`` (a raw ```...```
    has no escapes; an unterminated one ends at the line break)."""
    n = len(text)
    if quote == "`":
        k = text.find("`", j + 1)
        return n if k == -1 else k + 1
    k = _LITERAL_BODY[quote].match(text, j + 1).end()
    if k < n and text[k] == quote:
        return k + 1
    if k < n and text[k] == "\n":
        return k
    return n  # the end of the text, or a backslash that is its last character


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
            chars[s:e] = _comment_out(text[s:e])
        elif is_comment(text, s):
            chars[s:e] = _NOT_BREAK.sub(" ", text[s:e])  # renders nothing
        else:
            chars[s:e] = _NOT_BREAK.sub(FILL, text[s:e])
            inline.append((s, e))
    # `key: {{- include "x" . | nindent 4 }}` above deeper lines: the action renders
    # (part of) the block below, not a value of its own
    placeholders: List[Span] = []
    lines = _Lines(text)  # (the neutralising keeps every line break where it was)
    for s, e in inline:
        if _opens_block(chars, s, e, lines):
            chars[s:e] = _NOT_BREAK.sub(" ", text[s:e])
        else:
            placeholders.append((s, e))
    return "".join(chars), placeholders


_NOT_BREAK = lazy_re(r"[^\r\n]")
_LINE_PIECE = lazy_re(r"[^\r\n]+")


def _comment_out(action: str) -> str:
    """The action ``action`` (alone on its lines) blanked as a YAML comment: ``#``
    where each of its lines starts, spaces after.  (A line of spaces alone would
    be content to YAML in a block scalar, where a line more indented than the
    text below it is an error; a comment line is fine anywhere else.)"""
    return _LINE_PIECE.sub(_commented_line, action)


def _commented_line(m) -> str:
    piece = m.group()
    body = piece.lstrip(" \t")
    if not body:
        return " " * len(piece)
    return " " * (len(piece) - len(body)) + "#" + " " * (len(body) - 1)


def _opens_block(chars: List[str], s: int, e: int, lines: "_Lines") -> bool:
    """Is the action at ``s:e`` the last thing on a ``key:`` line (actions and
    blanks after it) whose next non-blank line is indented deeper?"""
    n = len(chars)
    line_start, line_end = lines.start(s), lines.end(e)
    if _solid_between(chars, e, line_end):
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
    """The bounds of the line around an offset, asked of the text itself
    (``rfind``/``find`` in C, over one line): nothing computed per character."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)

    def start(self, s: int) -> int:
        return max(self.text.rfind("\n", 0, s), self.text.rfind("\r", 0, s)) + 1

    def end(self, e: int) -> int:
        text = self.text
        lf, cr = text.find("\n", e), text.find("\r", e)
        if lf == -1:
            return self.n if cr == -1 else cr
        return lf if cr == -1 or lf < cr else cr


_SOLID_NOT = " \t\r\n" + FILL  # neither blanks nor placeholders


def _solid_between(chars: List[str], a: int, b: int) -> bool:
    """Is any of ``chars[a:b]`` neither a blank nor a placeholder?"""
    return "".join(chars[a:b]).strip(_SOLID_NOT) != ""


def _alone_test(text: str, spans: List[Span]) -> Callable[[int, int], bool]:
    """``alone(s, e)``: does the action at ``s:e`` stand on a line (or lines)
    of actions and blanks only?  The text with every action blanked is made
    once (slices joined in C); each question reads the lines of one action."""
    pieces: List[str] = []
    pos = 0
    for s, e in sorted(spans):
        if s > pos:
            pieces.append(text[pos:s])
        if e > pos:
            pieces.append(" " * (e - max(s, pos)))
            pos = e
    pieces.append(text[pos:])
    masked = "".join(pieces)
    lines = _Lines(text)

    def alone(s: int, e: int) -> bool:
        return masked[lines.start(s):lines.end(e)].strip(" \t\r\n") == ""

    return alone
