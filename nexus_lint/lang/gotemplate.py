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

from typing import Dict, List, Tuple

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
    starts = {s: e for s, e in spans}
    ends = {e: s for s, e in spans}
    chars = list(text)
    inline: List[Span] = []
    for s, e in spans:
        if _alone(text, starts, ends, s, e):
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
    for s, e in inline:
        if _opens_block(chars, s, e):
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


def _opens_block(chars: List[str], s: int, e: int) -> bool:
    """Is the action at ``s:e`` the last thing on a ``key:`` line (actions and
    blanks after it) whose next non-blank line is indented deeper?"""
    n = len(chars)
    k = e
    while k < n and chars[k] not in "\r\n":
        if chars[k] not in " \t" + FILL:
            return False
        k += 1
    line_start = s
    while line_start > 0 and chars[line_start - 1] not in "\r\n":
        line_start -= 1
    before = "".join(chars[line_start:s]).rstrip()
    if not before.endswith(":") and before.lstrip() not in ("-", ""):
        return False
    indent = len(before) - len(before.lstrip(" "))
    if before.lstrip().startswith("- "):
        indent += 2
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


def _alone(text: str, starts: Dict[int, int], ends: Dict[int, int], s: int, e: int) -> bool:
    """Does the action at ``s:e`` stand on a line (or lines) of actions and blanks only?"""
    k = s
    while k > 0 and text[k - 1] not in "\r\n":
        if text[k - 1] in " \t":
            k -= 1
        elif k in ends:
            k = ends[k]
        else:
            return False
    n = len(text)
    k = e
    while k < n and text[k] not in "\r\n":
        if text[k] in " \t":
            k += 1
        elif k in starts:
            k = starts[k]
        else:
            return False
    return True
