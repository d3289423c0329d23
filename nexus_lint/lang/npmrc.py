"""``.npmrc`` as npm's ``ini`` package decodes it, with offsets: ``[section]``
lines, ``key = value`` with ``;``/``#`` comments anywhere unescaped, quoted
values (JSON rules), backslash escapes.  ``${ENV}`` (:data:`ENV_VAR`) is npm's
expansion from the environment.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment

# (section or None, key, value, the whole line)
Entry = Tuple[Optional[str], SourcedStr, SourcedStr, SourcedStr]

_NPM_LINE = lazy_re(r"^\[([^\]]*)\]\s*$|^([^=]+)(=(.*))?$", re.S)
ENV_VAR = lazy_re(r"(?<!\\)\$\{[^${}?]+\??\}")


def unsafe(val: SourcedStr) -> Tuple[SourcedStr, Optional[int]]:
    """ini's ``unsafe()``: the value and the index (in ``val``) where an inline comment starts."""
    import json

    val = val.strip()
    t = val.text
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        inner = val[1:-1]
        if t[0] == "'":
            try:
                parsed = json.loads(inner.text)
            except ValueError:
                return inner, None
            return (inner if parsed == inner.text else SourcedStr.unknown(str(parsed))), None
        try:
            parsed = json.loads(t)
        except ValueError:
            return val, None
        if not isinstance(parsed, str):
            return SourcedStr.unknown(json.dumps(parsed)), None
        return (inner if parsed == inner.text else SourcedStr.unknown(parsed)), None
    out: List[SourcedStr] = []
    esc = False
    comment = None
    for i, c in enumerate(t):
        if esc:
            if c in "\\;#":
                out.append(SourcedStr.unknown(c))
            else:
                out.append(SourcedStr.unknown("\\") + val[i:i + 1])
            esc = False
        elif c in ";#":
            comment = i
            break
        elif c == "\\":
            esc = True
        else:
            out.append(val[i:i + 1])
    if esc:
        out.append(SourcedStr.unknown("\\"))
    result = SourcedStr.join(out) if out else SourcedStr("")
    return result.strip(), comment


def read(text: str) -> Tuple[List[Entry], List[Comment]]:
    """The ``key = value`` entries of ``text`` in order, and its comments."""
    section = None
    entries: List[Entry] = []
    comments: List[Comment] = []
    pos = 0
    for raw_line in re.split(r"(\r\n|\r|\n)", text):
        start = pos
        pos += len(raw_line)
        if not raw_line or raw_line in ("\r\n", "\r", "\n"):
            continue
        line = SourcedStr.literal(raw_line, start)
        m = re.match(r"^\s*[;#]", raw_line)
        if m:
            comments.append(Comment(start + m.end() - 1, raw_line[m.end() - 1:], True))
            continue
        mo = _NPM_LINE.match(raw_line)
        if not mo:
            continue
        if mo.group(1) is not None:
            section = mo.group(1)
            continue
        key, key_comment = unsafe(line[: mo.end(2)])
        if key_comment is not None:
            at = line[: mo.end(2)].strip().offsets[key_comment]
            comments.append(Comment(at, text[at:start + len(raw_line)], False))
            continue
        if mo.group(3) is None:
            continue
        value, value_comment = unsafe(line[mo.start(4):])
        if value_comment is not None:
            stripped = line[mo.start(4):].strip()
            at = stripped.offsets[value_comment]
            comments.append(Comment(at, text[at:start + len(raw_line)], False))
        entries.append((section, key, value, line))
    return entries, comments
