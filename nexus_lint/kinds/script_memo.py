"""A bounded memo of what the shell analysis of a CI script line gave, kept
across lints (issue 18).

The language server lints a ``.gitlab-ci.yml`` again on every edit, and an edit
changes one job: the other jobs' script lines are the same text, though often
at other offsets (a character typed above them moves them).  :func:`memoised`
keeps the result of a line's analysis (its facts, the variables it leaves set,
its shell comments with a marker) keyed by what that result depends on: the
text, where each of its characters stands *relative to the line's first
located one*, and the values (text and offsets) of the variables it is handed.
A hit gives the result moved to where the line stands now.

Why a moved result is the one a fresh analysis gives: the line is analysed
with its offsets moved into a range no file reaches (``BASE`` = 2**40 and up),
so in the result every offset that came from the line is at least ``BASE``
and every other one (a variable's value from elsewhere in the file, -1) below
it.  Moving is adding ``start - BASE`` to every integer of the first kind,
wherever it stands (SourcedStr offsets, spans, comment keys), and touching
nothing else: no other integer of a result reaches 2**40.  (One offset is
kept as text: a login's scope, ``shell at N``; the GitLab host names every
login's scope again by its job, so that text never leaves it.)  The analysis only
compares, subtracts and copies offsets, which moving the line keeps as long as
the order between the line's offsets and the variables' is kept: a line is
memoised only when every located character of the variables it is handed stands
before it (the usual case, ``variables:`` above ``script:``); any other line is
analysed where it stands, as before.  A result holding a type the mover does
not know is not kept either (the line is analysed where it stands).

A line whose text (with the same variables) is seen for the first time is
analysed where it stands and only noted as seen: a command-line run, which
sees most lines once, pays a look-up for each and no more.  Seen again, the
line is analysed from ``BASE`` and kept.

Bounded, so a server's memory stays flat over any number of edits: at most
``MAX_ENTRIES`` lines noted and as many kept, of at most ``MAX_KEPT_CHARS``
characters all told, the least recently used dropped first; a line over
``MAX_CHARS`` characters, and an analysis cut short (a deadline, the work
budget), is never kept.
"""

from __future__ import annotations

import copy
from nexus_lint.core import record as records
import enum
import threading
from array import array
from collections import OrderedDict
from typing import Callable, Dict, Optional, Tuple

from nexus_lint.core.secret import Secret
from nexus_lint.core.sourced import SourcedStr

BASE = 1 << 40
MAX_ENTRIES = 2048  # lines kept (and lines noted as seen)
MAX_CHARS = 4096  # a longer line is never kept
MAX_KEPT_CHARS = 400_000  # the kept lines' characters, all told (what a kept result's size follows)
enabled = True  # (False: every line analysed where it stands, as without the memo)

# compute(script, comments) -> (result, complete): the analysis of ``script``
# (its marker comments added to ``comments``); ``complete`` False: not kept.
Compute = Callable[[SourcedStr, dict], Tuple[object, bool]]

_ATOMS = frozenset((str, bool, float, bytes, type(None)))


class _Unmovable(Exception):
    pass


class _Entry:
    __slots__ = ("value", "start", "moved", "size")

    def __init__(self, value: tuple) -> None:
        self.value = value  # (result, comments) with the line's offsets from BASE
        self.start: Optional[int] = None  # where the line stood when ``moved`` was made
        self.moved: Optional[tuple] = None
        self.size = 0


_seen: "OrderedDict[tuple, None]" = OrderedDict()  # (text, variables) of the lines analysed
_memo: "OrderedDict[tuple, _Entry]" = OrderedDict()
_lock = threading.Lock()
_kept_chars = [0]
stats = {"hits": 0, "misses": 0, "unmemoised": 0}


def clear() -> None:
    with _lock:
        _seen.clear()
        _memo.clear()
        _kept_chars[0] = 0
        for k in stats:
            stats[k] = 0


def size() -> Tuple[int, int]:
    """(lines kept, their characters)."""
    return len(_memo), _kept_chars[0]


def memoised(script: SourcedStr, env: Dict[str, object], compute: Compute, comments: dict):
    """``compute``'s result for ``script`` with ``env`` (the variables the line
    names; ``compute`` closes over them), from the memo when the same line was
    analysed before with the same values; its marker comments go to ``comments``.

    A line whose text is seen for the first time is analysed where it stands
    and only noted (a command-line run sees most lines once: it pays for a
    dictionary look-up, no more); seen again, it is analysed with its offsets
    from ``BASE`` and kept."""
    n = len(script.text)
    if not enabled or not n or n > MAX_CHARS:
        return compute(script, comments)[0]
    fp = _fingerprint(env)
    if fp is None:
        return compute(script, comments)[0]
    seen = (script.text, fp)
    with _lock:
        first = seen not in _seen
        if first:
            _seen[seen] = None
            while len(_seen) > MAX_ENTRIES:
                _seen.popitem(last=False)
        else:
            _seen.move_to_end(seen)
    if first:
        stats["misses"] += 1
        return compute(script, comments)[0]
    offs = script.offsets
    lo = min(offs)
    if lo >= 0 and offs[-1] - lo == n - 1 and offs == array("q", range(lo, lo + n)):
        start, shape = lo, None  # (the usual line: its characters in one run, no offsets to key)
    else:
        start = _start(offs, lo)
        shape = _from_base(offs, start).tobytes()
    if start is not None and not _before(env, start):
        stats["unmemoised"] += 1
        return compute(script, comments)[0]
    key = (script.text, shape, fp)
    with _lock:
        entry = _memo.get(key)
        if entry is not None:
            _memo.move_to_end(key)
    delta = 0 if start is None else start - BASE
    if entry is None:
        stats["misses"] += 1
        moved = _analyse_from_base(key, script, start, delta, compute)
        if moved is None:  # (a type the mover does not know: analysed where it stands)
            stats["unmemoised"] += 1
            return compute(script, comments)[0]
    else:
        stats["hits"] += 1
        moved = entry.moved
        if entry.start != start:
            moved = _move(entry.value, delta)
            entry.start, entry.moved = start, moved
    result, found = moved
    comments.update(found)
    return result


def _analyse_from_base(key: tuple, script: SourcedStr, start: Optional[int], delta: int,
                       compute: Compute) -> Optional[tuple]:
    """Analyse the line with its offsets from ``BASE``, keep the result (when
    complete) and give it moved to ``start``; None: it cannot be moved."""
    if start is not None:
        script = SourcedStr(script.text, _from_base(script.offsets, start))
    found: dict = {}
    result, complete = compute(script, found)
    value = (result, found)
    try:
        moved = _move(value, delta)
    except _Unmovable:
        return None
    if complete:
        entry = _Entry(value)
        entry.start, entry.moved, entry.size = start, moved, len(script.text)
        with _lock:
            old = _memo.pop(key, None)
            _kept_chars[0] += entry.size - (old.size if old is not None else 0)
            _memo[key] = entry
            while _memo and (len(_memo) > MAX_ENTRIES or _kept_chars[0] > MAX_KEPT_CHARS):
                _kept_chars[0] -= _memo.popitem(last=False)[1].size
            if not _memo:  # (a timeout between two steps above must not leave the count off for good)
                _kept_chars[0] = 0
    return moved


def _from_base(offs: array, start: Optional[int]) -> array:
    if start is None:
        return offs
    return array("q", [o - start + BASE if o >= 0 else o for o in offs])


def _start(offs: array, lo: int) -> Optional[int]:
    """The smallest located offset (None: none is); ``lo`` is ``min(offs)``."""
    if lo >= 0:
        return lo
    known = [o for o in offs if o >= 0]
    return min(known) if known else None


def _before(env: Dict[str, object], start: int) -> bool:
    """Does every located character of the variables' values stand before ``start``?"""
    for v in env.values():
        if isinstance(v, SourcedStr):
            if len(v.offsets) and max(v.offsets) >= start:
                return False
        elif v is not None:
            return False
    return True


def _fingerprint(env: Dict[str, object]) -> Optional[tuple]:
    """The variables' names and values (text and offsets); None: a value that is not a SourcedStr."""
    out = []
    for k, v in env.items():
        if isinstance(v, SourcedStr):
            out.append((k, v.text, v.offsets.tobytes()))
        elif v is None:
            out.append((k, None, None))
        else:
            return None
    out.sort()
    return tuple(out)


def _move(x, d: int):
    """``x`` with ``d`` added to every integer at least ``BASE`` in it (the same
    object where nothing changes)."""
    t = type(x)
    if t is str or t is bool or x is None:
        return x
    if t is int:
        return x + d if x >= BASE else x
    if t is SourcedStr:
        offs = x.offsets
        if not len(offs) or max(offs) < BASE:
            return x
        return SourcedStr(x.text, array("q", [o + d if o >= BASE else o for o in offs]))
    names = _FIELDS.get(t)
    if names is not None:
        return _move_fields(x, d, t, names)
    if t is tuple or t is list:
        out = [_move(i, d) for i in x]
        return x if all(a is b for a, b in zip(out, x)) else t(out)
    if t is dict:
        return {_move(k, d): _move(v, d) for k, v in x.items()}
    if t is set or t is frozenset:
        return t(_move(i, d) for i in x)
    if t is Secret:
        v = x.reveal()
        m = _move(v, d)
        return x if m is v else Secret(m)
    if t in _ATOMS or isinstance(x, enum.Enum):
        return x
    if records.is_record(x) and not isinstance(x, type):
        _FIELDS[t] = names = tuple(f.name for f in records.fields(x))
        return _move_fields(x, d, t, names)
    raise _Unmovable(t.__name__)


_FIELDS: Dict[type, Tuple[str, ...]] = {}  # record class -> its fields' names


def _move_fields(x, d: int, t: type, names: Tuple[str, ...]):
    changes = None
    for name in names:
        old = getattr(x, name)
        new = _move(old, d)
        if new is not old:
            if changes is None:
                changes = {}
            changes[name] = new
    if changes is None:
        return x
    if hasattr(x, "__dict__"):
        y = object.__new__(t)
        y.__dict__.update(x.__dict__)
    else:
        y = copy.copy(x)
    for name, value in changes.items():
        object.__setattr__(y, name, value)
    return y
