"""A secret and its masked form: the leaf every layer may import.

:func:`mask` is the redacted form of a secret (``hun*****``): at most the first
three characters, fewer for shorter secrets (none below four characters), then
always five ``*`` so the length is not told either.  :class:`Secret` uses it for
``str()``/``repr()``, so a message built from a credential fact shows it
redacted without anyone having to remember.
"""

from __future__ import annotations

from typing import Optional, Tuple

from nexus_lint.core.sourced import SourcedStr

Span = Tuple[int, int]

STARS = "*****"


def shown_chars(n: int) -> int:
    """How many leading characters of an ``n``-character secret are shown."""
    return min(3, n // 4)


def mask(text: str) -> str:
    """``hunter2hunter2`` -> ``hun*****``; ``hunter2`` -> ``h*****``; ``abc`` -> ``*****``."""
    text = str(text)
    keep = shown_chars(len(text))
    return text[:keep] + STARS


class Secret:
    """A credential value: ``str()``, ``repr()`` and f-strings show it redacted
    (``hun*****``, :func:`mask`), so no message, log line or
    report built from it can hold the raw value.

    ``reveal()`` gives the :class:`SourcedStr` (text and offsets) to code that
    must look at it; ``span()``/``extent()`` locate it without revealing it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: SourcedStr) -> None:
        self._value = value

    def reveal(self) -> SourcedStr:
        return self._value

    def __str__(self) -> str:
        return mask(self._value.text)

    def __repr__(self) -> str:
        return f"Secret({str(self)!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and self._value == other._value

    def __hash__(self) -> int:
        return hash(self._value)

    def span(self, i: int = 0, j: Optional[int] = None) -> Optional[Span]:
        return self._value.span(i, j)

    def extent(self) -> Optional[Span]:
        return self._value.extent()
