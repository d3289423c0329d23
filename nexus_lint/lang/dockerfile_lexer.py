"""The building blocks of the Dockerfile parser (:mod:`nexus_lint.lang.dockerfile`),
with Go's semantics: character classes, ``strconv.Quote``, offset runs, and the
units of BuildKit's ``line_parsers.go`` that split words, read JSON arrays and
``name=value`` pairs; the errors these helpers raise."""

from __future__ import annotations

import math
import re
from array import array
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr

DEFAULT_ESCAPE = "\\"

# --------------------------------------------------------------------------
# character classes (Go semantics)
# --------------------------------------------------------------------------

# unicode.IsSpace
GO_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
GO_SPACE_SET = frozenset(GO_SPACE)
GS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# reWhitespace / tokenWhitespace: [\t\v\f\r ]+
RE_TOKEN_WS = lazy_re(r"[\t\x0b\x0c\r ]+")

# Go regexp's \s (the directive and heredoc expressions)
GO_RE_S = r"[\t\n\x0c\r ]"

_RE_SURROGATE = lazy_re("[\ud800-\udfff]")


def _parse_words_regex(escape: str) -> "re.Pattern[str]":
    e = re.escape(escape)
    return re.compile(
        "(?:[^" + GS + "'\"" + e + "]"
        "|" + e + r"[\s\S]"
        "|(?P<t1>" + e + r")\Z"
        '|"(?:[^"' + e + "]|" + e + r"[\s\S]|(?P<t2>" + e + r')\Z)*(?:"|\Z)'
        r"|'[^']*(?:'|\Z))+"
    )


_RE_WORDS: dict = {}  # escape character -> its words expression, compiled on first use (`# escape=` is rare)

_new = object.__new__

_IOTA_CACHE_MAX = 1 << 21
_iota_cache = array("q", range(1 << 12))


def iota_array(n: int) -> array:
    """An array ``0, 1, 2, ...`` with at least ``n`` entries; slices of it are offset runs
    (much cheaper than ``array("q", range(a, b))`` for every word)."""
    global _iota_cache
    cache = _iota_cache
    if len(cache) >= n:
        return cache
    if n > _IOTA_CACHE_MAX:
        return array("q", range(n))
    size = len(cache)
    while size < n:
        size *= 2
    size = min(size, _IOTA_CACHE_MAX)
    grown = cache + array("q", range(len(cache), size))
    _iota_cache = grown
    return grown


def mk(text: str, offs: array) -> SourcedStr:
    """SourcedStr without the validation of ``__init__`` (lengths match by construction)."""
    ss = _new(SourcedStr)
    ss.text = text
    ss.offsets = offs
    return ss


class DockerfileSyntaxError(ValueError):
    """Raised by the small helper functions (never by :func:`parse`)."""


class NotStringArrayError(DockerfileSyntaxError):
    """errDockerfileNotStringArray."""


ERR_NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only"


# --------------------------------------------------------------------------
# Go strconv.Quote
# --------------------------------------------------------------------------

_GO_CTRL = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}


def go_quote(s: str) -> str:
    """``strconv.Quote`` (and ``%q`` of a string element)."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x80:
            if 0x20 <= o < 0x7F:
                out.append(ch)
            else:
                out.append(_GO_CTRL.get(o) or "\\x%02x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            # a byte that was not valid UTF-8 (surrogateescape) or a lone surrogate
            if 0xDC80 <= o <= 0xDCFF:
                out.append("\\x%02x" % (o - 0xDC00))
            else:
                out.extend("\\x%02x" % b for b in ch.encode("utf-8", "surrogatepass"))
        elif ch.isprintable():
            out.append(ch)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------
# helpers mirroring the Go units
# --------------------------------------------------------------------------


def words_spans(rest: str, escape: str) -> List[Tuple[int, int]]:
    """parseWords as (start, end) index pairs into ``rest`` (words are contiguous)."""
    rx = _RE_WORDS.get(escape)
    if rx is None:
        rx = _parse_words_regex(escape)
        if escape in ("\\", "`"):
            _RE_WORDS[escape] = rx
    out = []
    for m in rx.finditer(rest):
        s, e = m.span()
        if m.group("t1") is not None or m.group("t2") is not None:
            e -= 1  # an escape token at the very end is skipped
        if e > s:
            out.append((s, e))
    return out


def parse_words(rest: str, escape: str = DEFAULT_ESCAPE) -> List[str]:
    """``parseWords``: split ARG/ENV/LABEL text into words, quotes and escapes kept."""
    return [rest[s:e] for s, e in words_spans(rest, escape)]


def reject_constant(name: str):
    raise ValueError("invalid JSON constant " + name)


def go_number(s: str) -> float:
    f = float(s)
    if math.isinf(f):
        raise ValueError("number out of range")
    return f


def json_strings(rest: str) -> Optional[List[str]]:
    """``parseJSON``: list of strings, ``None`` if not a JSON array (shell form)."""
    r = rest.lstrip(GO_SPACE)
    if not r.startswith("["):
        return None
    import json  # only for the exec form: a shell-form Dockerfile does not pay for it

    try:
        val = json.loads(r, parse_constant=reject_constant, parse_float=go_number, parse_int=go_number)
    except (ValueError, RecursionError):
        return None
    if not isinstance(val, list):  # pragma: no cover - starts with '['
        return None
    for v in val:
        if not isinstance(v, str):
            raise NotStringArrayError(ERR_NOT_STRING_ARRAY)
    # Go decodes an unpaired surrogate escape (and invalid UTF-8) to U+FFFD
    return [_RE_SURROGATE.sub("\ufffd", v) if not v.isascii() else v for v in val]


def parse_json_array(rest: str) -> List[str]:
    """``parseJSON``: decoded strings; raises :class:`NotStringArrayError` for a
    non-string element and :class:`DockerfileSyntaxError` if ``rest`` is not a JSON array."""
    vals = json_strings(rest)
    if vals is None:
        raise DockerfileSyntaxError("not a JSON array")
    return vals


def parse_name_val(rest: str, key: str = "ENV", escape: str = DEFAULT_ESCAPE) -> List[str]:
    """``parseNameVal``: the flattened node values (``[k, v, ""]`` or ``[k1, v1, "=", ...]``)."""
    words = words_spans(rest, escape)
    if not words:
        return []
    s0, e0 = words[0]
    if "=" not in rest[s0:e0]:
        m = RE_TOKEN_WS.search(rest)
        if m is None:
            raise DockerfileSyntaxError(key + " must have two arguments")
        return [rest[: m.start()], rest[m.end():], ""]
    out: List[str] = []
    for s, e in words:
        w = rest[s:e]
        if "=" not in w:
            raise DockerfileSyntaxError(
                "Syntax error - can't find = in %s. Must be of the form: name=value" % go_quote(w)
            )
        k, v = w.split("=", 1)
        out += [k, v, "="]
    return out

