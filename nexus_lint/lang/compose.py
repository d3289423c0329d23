"""Docker Compose's variable interpolation and ``.env`` files, with offsets.

:func:`interpolate` substitutes ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``,
``${VAR+alt}`` (nested defaults too) and ``$$`` as compose does, asking a
lookup for each variable; :func:`read_dotenv` reads the ``.env`` file compose
takes its variables from.
"""

from __future__ import annotations

import os
from typing import Callable, Dict, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr

MAX_INTERPOLATION_DEPTH = 10
MAX_VALUE_CHARS = 65_536
MAX_DOTENV_BYTES = 1024 * 1024

_NAME = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*")

SET, UNSET, UNKNOWN = "set", "unset", "unknown"
Lookup = Callable[[str], Tuple[str, Optional[SourcedStr]]]


# ---------------------------------------------------------------------------
# Interpolation
# ---------------------------------------------------------------------------


class _Unknown(Exception):
    pass


class _Invalid(Exception):
    pass


# What a value nobody gives becomes: text `known_name` refuses in a name.
UNKNOWN_TEXT = "${?}"


def interpolate(s: SourcedStr, lookup: Lookup, partial: bool = False) -> Optional[SourcedStr]:
    """Compose interpolation of ``s``; ``None`` when it needs a value nobody gives
    (or is not valid interpolation).

    ``lookup(name)`` answers ``(SET, value)``, ``(UNSET, None)`` (its default
    applies) or ``(UNKNOWN, None)`` (set to something we cannot know).  With
    ``partial``, each value nobody gives becomes :data:`UNKNOWN_TEXT` (no
    offsets) instead, and only invalid interpolation gives ``None``.
    """
    if "$" not in s.text:
        return s
    try:
        out = _interp(s, lookup, 0, partial)
    except (_Unknown, _Invalid, RecursionError):
        return None
    return out if len(out) <= MAX_VALUE_CHARS else None


def _interp(s: SourcedStr, lookup: Lookup, depth: int, partial: bool) -> SourcedStr:
    text = s.text
    if "$" not in text:
        return s
    if depth > MAX_INTERPOLATION_DEPTH:
        raise _Invalid()
    parts: List[SourcedStr] = []
    n = len(text)
    start = 0
    i = text.find("$")
    size = 0
    while i != -1:
        parts.append(s[start:i])
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt == "$":
            parts.append(s[i:i + 1])  # `$$` is one literal `$`: it keeps the first one's offset
            start = i + 2
        elif nxt == "{":
            close = _closing(text, i + 2)
            if close < 0:
                raise _Invalid()
            m = _NAME.match(text, i + 2)
            if not m:
                raise _Invalid()
            try:
                value = _braced(s, m.group(0), m.end(), close, lookup, depth, partial)
            except _Unknown:
                if not partial:
                    raise
                value = SourcedStr.unknown(UNKNOWN_TEXT)
            parts.append(value)
            size += len(value)
            start = close + 1
        else:
            m = _NAME.match(text, i + 1)
            if not m:
                raise _Invalid()  # compose: invalid interpolation format
            state, value = lookup(m.group(0))
            if state != SET or value is None:
                if not partial:
                    raise _Unknown()
                value = SourcedStr.unknown(UNKNOWN_TEXT)
            parts.append(value)
            size += len(value)
            start = m.end()
        if size > MAX_VALUE_CHARS:
            raise _Invalid()
        i = text.find("$", start)
    parts.append(s[start:])
    return SourcedStr.join(parts)


def _braced(s: SourcedStr, name: str, op_at: int, close: int, lookup: Lookup, depth: int, partial: bool) -> SourcedStr:
    text = s.text
    rest = text[op_at:close]
    state, value = lookup(name)
    if rest == "":
        if state == SET and value is not None:
            return value
        raise _Unknown()
    for op in (":-", ":?", ":+", "-", "?", "+"):
        if rest.startswith(op):
            break
    else:
        raise _Invalid()
    arg = s[op_at + len(op):close]
    if state == UNKNOWN:
        raise _Unknown()
    is_set = state == SET and value is not None
    non_empty = is_set and bool(value.text)
    if op in (":-", "-"):
        use_value = non_empty if op == ":-" else is_set
        return value if use_value else _interp(arg, lookup, depth + 1, partial)  # type: ignore[return-value]
    if op in (":?", "?"):
        ok = non_empty if op == ":?" else is_set
        if ok:
            return value  # type: ignore[return-value]
        raise _Unknown()
    # `:+` / `+`: the alternative when set; a variable `.env` does not set is not guessed
    if not is_set:
        raise _Unknown()
    if op == ":+" and not non_empty:
        return SourcedStr("")
    return _interp(arg, lookup, depth + 1, partial)


def _closing(text: str, i: int) -> int:
    """Index of the ``}`` closing a ``${`` whose body starts at ``i`` (nested ``${}`` allowed)."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] in "${":
            if text[i + 1] == "{":
                depth += 1
            i += 2
            continue
        if c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def dotenv_path(fs_path: str) -> str:
    """The ``.env`` next to a compose file."""
    return os.path.join(os.path.dirname(os.path.abspath(fs_path)), ".env")


def read_dotenv(path: Optional[str]) -> Dict[str, Optional[SourcedStr]]:
    """The variables of a compose ``.env`` file (``{}`` when there is none).

    Values have no offsets (they do not stand in the compose file); a value
    that interpolates a variable nobody gives is ``None`` (set, but unknown).
    """
    if not path:
        return {}
    from nexus_lint.core.source import read_in_repository

    data = read_in_repository(path, MAX_DOTENV_BYTES)  # never through a link out of the repository
    if data is None:
        return {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    return parse_dotenv(text)


def parse_dotenv(text: str) -> Dict[str, Optional[SourcedStr]]:
    """The variables of ``.env`` text (read by :mod:`nexus_lint.lang.dotenv`),
    interpolated as compose does, without offsets."""
    from nexus_lint.lang.dotenv import read

    out: Dict[str, Optional[SourcedStr]] = {}

    def lookup(name: str) -> Tuple[str, Optional[SourcedStr]]:
        if name not in out:
            return UNSET, None
        v = out[name]
        return (UNKNOWN, None) if v is None else (SET, v)

    entries, _comments, _problems = read(text)
    for entry in entries:
        value = SourcedStr.unknown(entry.value.text)
        out[entry.name] = value if entry.quote == "'" else interpolate(value, lookup)
    return out
