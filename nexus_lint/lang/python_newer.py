"""Python 3.12 syntax for the ``ast`` of Python 3.10 and 3.11, without moving a byte.

A file CPython 3.12 reads may use what an older ``ast`` rejects: type aliases
(``type Url = str``), type parameters (``def f[T](x: T)``, ``class C[T]:``) and
f-strings that nest the quote they are written in (``f"{d["k"]}"``, PEP 701).
:func:`downlevel` rewrites those in a copy of the text that an older parser
takes, keeping every line and every UTF-8 byte column where it was, so the tree
of the copy gives the offsets of the original (which is what is read for
values): an alias becomes an assignment to its name (``(    Url)= str``; its
offset is returned so that it binds nothing), type parameters become blanks and
a nested string takes the other quote.  Only :func:`nexus_lint.lang.python.parse`
calls it, on an older Python, for a file ``ast`` rejected.
"""

from __future__ import annotations

import re
from typing import FrozenSet, List, Optional, Tuple

from nexus_lint.lang.python_strings import literal_at

# `type X = ...` / `type X[T] = ...` at the start of a line (or after `;`)
_ALIAS = re.compile(r"(?m)(?:^|;)[ \t]*(type)([ \t]+)([A-Za-z_]\w*)([ \t]*)(\[)?")
_GENERIC = re.compile(r"\b(?:def|class)[ \t]+[A-Za-z_]\w*[ \t]*(\[)")
_STRING_START = re.compile(r"""(?<![\w])[rRbBuUfF]{0,2}['"]|#""")


def _blank(chars: str) -> str:
    """Blanks with the UTF-8 length of ``chars`` (line breaks kept)."""
    return "".join(c if c in "\r\n" else " " * len(c.encode("utf-8", "surrogatepass")) for c in chars)


def _close(text: str, i: int) -> int:
    """The offset after the ``]`` matching the ``[`` at ``i`` (-1: none)."""
    depth = 0
    for k in range(i, min(len(text), i + 2000)):
        c = text[k]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return k + 1
    return -1


def downlevel(text: str) -> Optional[Tuple[str, FrozenSet[int]]]:
    """A copy of ``text`` an older ``ast`` can read, with the offsets of the type
    aliases it turned into assignments, or ``None`` when nothing was rewritten."""
    chars = list(text)
    aliases: List[int] = []
    changed = _fstrings(text, chars)
    if changed is None:
        return None
    for m in _GENERIC.finditer(text):
        end = _close(text, m.start(1))
        if end < 0:
            return None  # an unclosed bracket: nothing to rewrite makes this Python
        chars[m.start(1):end] = list(_blank(text[m.start(1):end]))
        changed = True
    for m in _ALIAS.finditer(text):
        name_end = m.end(3)
        end = name_end
        if m.group(5):
            end = _close(text, m.start(5))
            if end < 0:
                return None
        rest = text[end:end + 200].lstrip(" \t")
        if not rest.startswith("=") or rest.startswith("=="):
            continue
        eq = text.index("=", end)
        if eq == m.end(3):  # `type X=...`: no room for the parenthesis
            continue
        # `type X[T] = v` -> `(    X)    = v`: X stays where it is
        chars[m.start(1)] = "("
        chars[m.start(1) + 1:m.start(3)] = list(_blank(text[m.start(1) + 1:m.start(3)]))
        chars[name_end:eq] = [")"] + list(_blank(text[name_end + 1:eq]))
        aliases.append(m.start(1))
        changed = True
    if not changed:
        return None
    out = "".join(chars)
    return out, frozenset(aliases)


def _fstrings(text: str, chars: List[str]) -> Optional[bool]:
    """Nested strings that reuse an enclosing f-string's quote take the other one
    (``None``: a string that does not end, which no rewriting mends; every
    string is read once, so the work is linear in the text)."""
    changed = False
    i = 0
    n = len(text)
    while i < n:
        m = _STRING_START.search(text, i)
        if m is None:
            break
        if m.group() == "#":
            e = text.find("\n", m.start())
            i = n if e < 0 else e
            continue
        found = literal_at(text, m.start())
        if found is None:
            return None
        lit, i = found
        if lit.fields:
            changed = _requote(text, chars, lit, (lit.quote,)) or changed
    return changed


def _requote(text: str, chars: List[str], lit, enclosing: Tuple[str, ...]) -> bool:
    changed = False
    for field in lit.fields:
        k, end = field.start + 1, field.end - 1
        while k < end:
            m = _STRING_START.search(text, k, end)
            if m is None or m.group() == "#":
                break
            found = literal_at(text, m.start())
            if found is None:
                break
            inner, k = found
            q = inner.quote
            if q in enclosing or any(e.startswith(q) or q.startswith(e) for e in enclosing):
                other = "'" if q == '"' else '"' if q == "'" else None
                body = text[inner.body:inner.end]
                if other is None or other in enclosing or other in body or "\\" in body:
                    continue  # cannot be helped: the older parser rejects the file
                chars[inner.body - 1] = chars[inner.end] = other
                changed = True
            if inner.fields:
                changed = _requote(text, chars, inner, enclosing + (inner.quote,)) or changed
    return changed
