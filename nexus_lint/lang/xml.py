"""XML with positions: elements (their path, text and span) and comments.

expat reads the file with DTDs read but never acted on: a file that declares
entities (or refers to an external one) is not read at all (:class:`XmlStop`)
rather than risk an expansion bomb.  Text that stood verbatim in the file keeps
its offsets; an entity reference or a CDATA section has none.
"""

from __future__ import annotations

from array import array
from typing import List, Optional, Tuple

from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment, Span, line_span, own_line

Element = Tuple[Tuple[str, ...], SourcedStr, Span]  # (path of local names, text, span)


class XmlStop(Exception):
    pass


def _read(text: str):
    """Elements (path, value, (start, end)) and comments of ``text`` with offsets.

    expat with DTDs read but never acted on: any entity declaration stops the
    read (no expansion, internal or external, ever happens)."""
    from xml.parsers import expat

    data = text.encode("utf-8")
    if text.isascii():
        char_at = None
    else:
        starts = array("q")
        for k, ch in enumerate(text):
            starts.extend([k] * len(ch.encode("utf-8")))
        char_at = starts

    def to_char(b: int) -> int:
        if char_at is None:
            return b
        return char_at[b] if 0 <= b < len(char_at) else len(text)

    parser = expat.ParserCreate(encoding="UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: List[Tuple[str, int, List[SourcedStr]]] = []
    elements: List[Tuple[Tuple[str, ...], SourcedStr, Span]] = []
    comments: List[Comment] = []

    def start(name, attrs):
        local = name.rsplit(":", 1)[-1]
        stack.append((local, to_char(parser.CurrentByteIndex), []))

    def end(name):
        local, s, chunks = stack.pop()
        path = tuple(x[0] for x in stack) + (local,)
        value = SourcedStr.join(chunks) if chunks else SourcedStr("")
        elements.append((path, value, (s, to_char(parser.CurrentByteIndex))))

    def chars(data_):
        if not stack:
            return
        c = to_char(parser.CurrentByteIndex)
        if text.startswith(data_, c) and not text.startswith(("&", "<![CDATA["), c):
            stack[-1][2].append(SourcedStr.literal(data_, c))
        else:
            stack[-1][2].append(SourcedStr.unknown(data_))

    def comment(data_):
        c = to_char(parser.CurrentByteIndex)
        comments.append(Comment(c, "<!--" + data_ + "-->", own_line(text, c)))

    def entity_decl(*_args):
        raise XmlStop("the file declares XML entities; nexus-lint does not expand them")

    def external(*_args):
        raise XmlStop("the file refers to an external entity; nexus-lint does not fetch it")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.CommentHandler = comment
    parser.EntityDeclHandler = entity_decl
    parser.ExternalEntityRefHandler = external
    parser.buffer_text = False
    parser.Parse(data, True)
    return elements, comments


def read(text: str) -> Tuple[List[Element], List[Comment], Optional[ParseProblem]]:
    """The elements and comments of ``text``, or the reason it was not read."""
    from xml.parsers import expat

    try:
        elements, comments = _read(text)
    except XmlStop as exc:
        return [], [], ParseProblem(f"not read: {exc}")
    except expat.ExpatError as exc:
        line = getattr(exc, "lineno", 1) or 1
        s, e = line_span(text, line)
        col = getattr(exc, "offset", 0) or 0
        # expat columns count bytes; close enough for a location inside the line
        pos = min(s + col, e) if e > s else s
        return [], [], ParseProblem(f"invalid XML: {expat.ErrorString(exc.code)}", pos, min(e, pos + 1) if e > pos else pos)
    return elements, comments, None
