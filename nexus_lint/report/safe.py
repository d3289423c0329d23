"""Text that stays valid in every output format.

A path on disk need not be UTF-8 (Python hands its undecodable bytes over as
lone surrogates, ``surrogateescape``) and may hold control characters; neither
can be written to a UTF-8 stream, and XML 1.0 forbids the control characters
even as character references.  :func:`printable` spells them as ``\\xNN``
(``\\uNNNN`` for another lone surrogate), so a report names the file readably
and every XML/JSON/line format stays well-formed.  Messages are already
redacted by the engine; they pass through here for the same reasons.
"""

from __future__ import annotations

import re

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF];
# the line formats take no tab, CR or LF either (``line_safe``)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_LINE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _spell(m: "re.Match[str]") -> str:
    ch = m.group()
    n = ord(ch)
    if 0xDC80 <= n <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return "\\x%02x" % (n - 0xDC00)
    if n < 0x100:
        return "\\x%02x" % n
    return "\\u%04x" % n


def printable(s: str) -> str:
    """``s`` with what XML or a UTF-8 stream cannot carry spelled out."""
    return _BAD_XML.sub(_spell, s)


def line_safe(s: str) -> str:
    """``s`` on one line: control characters (tab, CR, LF too) spelled out."""
    return _BAD_LINE.sub(_spell, s)
