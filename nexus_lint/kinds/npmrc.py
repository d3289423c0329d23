"""``.npmrc``: ``registry`` and ``@scope:registry`` (install), read as npm's
``ini`` package decodes it (``;``/``#`` comments anywhere unescaped, quoted
values, ``${ENV}`` unknown); ``_authToken``, ``_auth`` and ``_password`` are
secrets."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

if TYPE_CHECKING:
    from nexus_lint.core.sourced import SourcedStr

KIND = FileKind(name="npmrc", names=(".npmrc",), extractor="nexus_lint.kinds.npmrc:extract", nx000_needs_parse=False,
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)

_NPM_LINE = lazy_re(r"^\[([^\]]*)\]\s*$|^([^=]+)(=(.*))?$", re.S)
_NPM_ENV = lazy_re(r"(?<!\\)\$\{[^${}?]+\??\}")


def _npm_unsafe(val: SourcedStr) -> Tuple[SourcedStr, Optional[int]]:
    """ini's ``unsafe()``: the value and the index (in ``val``) where an inline comment starts."""
    import json

    from nexus_lint.core.sourced import SourcedStr

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


def extract(source, context) -> Iterator[object]:
    """``.npmrc`` as npm's ``ini`` decodes it; top-level ``registry`` and
    ``@scope:registry`` keys (keys in a ``[section]`` are not npm config)."""
    from nexus_lint.core.model import INSTALL, UrlFact
    from nexus_lint.core.sourced import SourcedStr
    from nexus_lint.kinds.pkgcommon import HTTP, NPM_REGISTRY_KEY, mask, suppressions
    from nexus_lint.lang.textpos import Comment

    text = source.text
    section = None
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
        key, key_comment = _npm_unsafe(line[: mo.end(2)])
        if key_comment is not None:
            at = line[: mo.end(2)].strip().offsets[key_comment]
            comments.append(Comment(at, text[at:start + len(raw_line)], False))
            continue
        if mo.group(3) is None:
            continue
        value, value_comment = _npm_unsafe(line[mo.start(4):])
        if value_comment is not None:
            stripped = line[mo.start(4):].strip()
            at = stripped.offsets[value_comment]
            comments.append(Comment(at, text[at:start + len(raw_line)], False))
        if section is not None:
            continue
        yield from _npm_credentials(key.text, value)
        if NPM_REGISTRY_KEY.match(key.text):
            value = mask(value, _NPM_ENV)
            if HTTP.match(value.text):
                yield UrlFact(value, INSTALL, f".npmrc {key.text}", value.extent() or line.extent() or (0, 0))
    if "nexus-lint" in text:
        yield from suppressions(source, comments)


def _npm_credentials(key: str, value: SourcedStr) -> Iterator[object]:
    """``_authToken``, ``_auth``, ``_password`` (scoped ``//host/:_authToken`` too):
    anything but a ``${VAR}`` npm expands is a secret; a literal token can be
    replaced by ``${NPM_TOKEN}`` (an unsafe fix: the environment must set it)."""
    from nexus_lint.values.secrets import by_key

    token = key == "_authToken" or key.endswith(":_authToken")
    replacement = "${NPM_TOKEN}" if token and value.span() is not None else None
    yield from by_key(key, value, f".npmrc {key}", hint="npm", replacement=replacement)
