"""Reading a file into text that can be linted, fixed and written back unchanged.

The decoded ``text`` excludes a byte-order mark; ``encoding``, ``bom`` and the
raw line endings are kept so that a fixed file is written back exactly as it
was except for the edited characters.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in text files (everything below 0x20
# except tab, LF, VT, FF, CR and ESC).
_BINARY_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))


class DecodeError(Exception):
    """The bytes are not text this linter can read (binary or undecodable)."""


def decode(data: bytes) -> Tuple[str, str, bytes]:
    """Return ``(text, encoding, bom)``; raise :class:`DecodeError` for binary data."""
    bom = b""
    encoding = "utf-8"
    for mark, enc in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, enc
            break
    body = data[len(bom):]
    if bom and encoding != "utf-8":
        try:
            return body.decode(encoding), encoding, bom
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding} text ({exc.reason} at byte {exc.start + len(bom)})")
    if b"\x00" in body[:8192] or b"\x00" in body[-8192:]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    sample = body[:8192]
    if sum(sample.count(c) for c in _BINARY_CONTROLS) > len(sample) // 100:
        raise DecodeError("binary file (not UTF-8 and full of control bytes)")
    # Not UTF-8 but text: latin-1 maps every byte, so a fix can be written back
    # in the same encoding without touching any other byte.
    return body.decode("latin-1"), "latin-1", bom


@dataclass
class SourceFile:
    """A decoded file plus the index needed to turn offsets into positions."""

    path: str  # display path
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    fs_path: Optional[str] = None  # where it lives on disk (None for stdin)
    _line_starts: Optional[List[int]] = field(default=None, repr=False)

    @property
    def line_starts(self) -> List[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            find = text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_of(self, offset: int) -> int:
        """1-based line of ``offset``."""
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (line, column); the column counts code points."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def utf16_column(self, offset: int) -> int:
        """1-based column of ``offset`` in UTF-16 code units (SARIF, editors)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset)
        start = self.line_starts[line - 1]
        prefix = self.text[start:offset]
        return 1 + len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its line ending."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end].rstrip("\r\n")

    def encode(self, text: Optional[str] = None) -> bytes:
        """The bytes of ``text`` (default: this file's text) in the file's own encoding."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)
