"""Strings that remember where every character came from.

A value that reaches a rule may have been assembled from several places: the
literal in a ``FROM`` line, the default of an ``ARG`` three lines up, a CI
``variables:`` entry.  ``SourcedStr`` keeps, for every character, its offset in
the file's decoded text (``-1`` when the character has no single place, e.g. it
came from the environment or from a quote that was removed).  Rules report and
fix at those offsets, so a finding lands on the literal and a fix edits exactly
the characters that need to change.

Offsets are indices into the decoded ``str`` of the file (code points), never
bytes; the engine converts to line/column and re-encodes on write.
"""

from __future__ import annotations

from array import array
from typing import Iterable, Optional, Tuple

UNKNOWN = -1


class SourcedStr:
    """Immutable text plus one source offset per character (``UNKNOWN`` = -1)."""

    __slots__ = ("text", "offsets", "_extent")

    def __init__(self, text: str, offsets: Optional[Iterable[int]] = None) -> None:
        self.text = text
        if offsets is None:
            self.offsets = array("q", [UNKNOWN]) * len(text)
        else:
            self.offsets = offsets if isinstance(offsets, array) else array("q", offsets)
            if len(self.offsets) != len(text):
                raise ValueError("offsets must match text length")

    # -- constructors -------------------------------------------------------
    @classmethod
    def literal(cls, text: str, start: int) -> "SourcedStr":
        """Text that stands verbatim in the file at ``start``."""
        return cls(text, array("q", range(start, start + len(text))))

    @classmethod
    def unknown(cls, text: str) -> "SourcedStr":
        return cls(text)

    @classmethod
    def join(cls, parts: Iterable["SourcedStr"]) -> "SourcedStr":
        parts = list(parts)
        offs = array("q")
        for p in parts:
            offs.extend(p.offsets)
        return cls("".join(p.text for p in parts), offs)

    # -- str-like behaviour ---------------------------------------------------
    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"SourcedStr({self.text!r})"

    def __len__(self) -> int:
        return len(self.text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SourcedStr):
            return self.text == other.text and self.offsets == other.offsets
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __add__(self, other: "SourcedStr") -> "SourcedStr":
        return SourcedStr(self.text + other.text, self.offsets + other.offsets)

    def __getitem__(self, item: slice) -> "SourcedStr":
        if not isinstance(item, slice):
            item = slice(item, item + 1 if item != -1 else None)
        return SourcedStr(self.text[item], self.offsets[item])

    def strip(self, chars: Optional[str] = None) -> "SourcedStr":
        """Like ``str.strip``, keeping the offsets of what remains."""
        t = self.text
        left = len(t) - len(t.lstrip(chars))
        right = len(t.rstrip(chars))
        if (left, right) == (0, len(t)):
            return self
        return self[left:max(left, right)]

    # -- locating -----------------------------------------------------------
    def span(self, i: int = 0, j: Optional[int] = None) -> Optional[Tuple[int, int]]:
        """Source range of characters ``i:j`` if they stand contiguously in the file.

        Returns ``None`` when any of them has no source or they are not one run
        (for example part came from a variable).  An empty range maps to the
        insertion point before character ``i`` (or after the last one).
        """
        n = len(self.text)
        if j is None:
            j = n
        if i < 0 or j > n or i > j:
            return None
        if i == j:
            if i < n and self.offsets[i] >= 0:
                return (self.offsets[i], self.offsets[i])
            if i > 0 and self.offsets[i - 1] >= 0:
                return (self.offsets[i - 1] + 1, self.offsets[i - 1] + 1)
            return None
        first = self.offsets[i]
        if first < 0:
            return None
        for k in range(i + 1, j):
            if self.offsets[k] != first + (k - i):
                return None
        return (first, first + (j - i))

    def extent(self) -> Optional[Tuple[int, int]]:
        """Smallest source range covering every located character (or ``None``).

        Computed once: the words split from one long unquoted expansion share
        their raw text, and a reader asking each of them must not pay for the
        whole text every time (quadratic)."""
        try:
            return self._extent
        except AttributeError:
            pass
        offs = self.offsets
        if not len(offs):
            self._extent = None
            return None
        lo = min(offs)  # (builtins over the array: C speed for a megabyte of offsets)
        if lo >= 0:
            self._extent = (lo, max(offs) + 1)
            return self._extent
        known = [o for o in offs if o >= 0]
        self._extent = (min(known), max(known) + 1) if known else None
        return self._extent

    def first_known(self, i: int = 0) -> int:
        """Offset of the first located character at or after ``i`` (``-1`` if none)."""
        for k in range(i, len(self.offsets)):
            if self.offsets[k] >= 0:
                return self.offsets[k]
        return UNKNOWN
