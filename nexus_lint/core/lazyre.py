"""Regular expressions compiled on first use.

The modules keep their patterns as module constants, ~150 of them, and a run
uses a few: a Dockerfile with one ``RUN pip install`` uses about 20.  Compiling
all of them at import cost ~8 ms of a ~100 ms start (README "Performance").
``lazy_re(pattern, flags)`` stands in for ``re.compile``: the first use of any
pattern attribute compiles it and stores the compiled pattern's methods in the
object's slots, so every later ``X.search(...)`` is a plain slot read, as fast
as on a compiled pattern.  Only attribute use is supported (``X.search``,
``X.sub``, ``X.pattern``, ...): pass ``X.compiled()`` where a real
``re.Pattern`` is needed.
"""

from __future__ import annotations

import re
from typing import Union

_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
          "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled") + _ATTRS

    def __init__(self, pattern: Union[str, bytes], flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled = None

    def compiled(self) -> "re.Pattern":
        if self._compiled is None:
            c = self._compiled = re.compile(self._source, self._flags)
            for name in _ATTRS:
                setattr(self, name, getattr(c, name))
        return self._compiled

    def __getattr__(self, name: str):  # only for a slot not filled yet
        if name in _ATTRS:
            return getattr(self.compiled(), name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"lazy_re({self._source!r})"


def lazy_re(pattern: Union[str, bytes], flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
