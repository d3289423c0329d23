"""Dockerfile parser directives (``# syntax=``, ``# escape=``, ``# check=``), as
BuildKit's ``directives.go`` reads them."""

from __future__ import annotations

import json
import re
from typing import List, Optional, Tuple

from nexus_lint.lang.dockerfile_lexer import GO_RE_S, go_number, reject_constant
from nexus_lint.lang.dockerfile_model import Directive


def _directive_regex(comment: str) -> "re.Pattern[str]":
    """DirectiveParser: ``^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$`` (Go ``\\s`` = ``[\\t\\n\\f\\r ]``)."""
    return re.compile(
        "^" + re.escape(comment) + GO_RE_S + "*([a-zA-Z][a-zA-Z0-9]*)" + GO_RE_S + "*="
        + GO_RE_S + "*(.+?)" + GO_RE_S + r"*\Z"
    )


RE_DIRECTIVE = _directive_regex("#")
VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})


def parse_directives(text: str, comment: str = "#") -> Tuple[List[Directive], Optional[str]]:
    """``DirectiveParser.ParseAll``: the leading parser directives and an error message
    (``None`` when there is none).  Offsets are relative to ``text``."""
    rx = RE_DIRECTIVE if comment == "#" else _directive_regex(comment)
    out: List[Directive] = []
    seen = set()
    pos = 0
    lineno = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end  # ScanLines drops one \r
        line = text[pos:content_end]
        lineno += 1
        m = rx.match(line)
        if m is None:
            break
        k = m.group(1).lower()
        if k not in VALID_DIRECTIVES:
            break
        if k in seen:
            return out, "only one %s parser directive can be used" % k
        seen.add(k)
        out.append(
            Directive(k, m.group(2), pos, content_end, lineno, pos + m.start(2), pos + m.end(2))
        )
        if nl < 0:
            break
        pos = nl + 1
    return out, None


def _parse_directive(key: str, text: str, any_format: bool):
    dt = text[1:] if text.startswith("\ufeff") else text
    line = 0
    first, sep, rest = dt.partition("\n")
    if first.startswith("#!"):
        dt = rest
        line = 1
    for comment in ("#", "//") if any_format else ("#",):
        ds, _ = parse_directives(dt, comment)
        for d in ds:
            if d.name == key:
                ref = d.value.split(" ", 1)[0]
                ln = d.line + line
                return ref, d.value, [(ln, ln)], True
    if any_format:
        try:
            obj = json.loads(dt, parse_constant=reject_constant, parse_float=go_number, parse_int=go_number)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict) and isinstance(obj.get(key), str):
            v = obj[key]
            return v, v, [(line, line)], True
    return "", "", [], False


def detect_syntax(text: str):
    """``DetectSyntax``: ``(ref, cmdline, [(start_line, end_line)], ok)``."""
    return _parse_directive("syntax", text, True)


def parse_directive(key: str, text: str):
    """``ParseDirective``: like :func:`detect_syntax` for any key, ``#`` form only."""
    return _parse_directive(key, text, False)

