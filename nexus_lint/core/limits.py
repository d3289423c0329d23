"""Per-file resource bounds: the time limit, and how sizes and limits are spelt.

One pathological file must not stall a CI job.  The size limit
(``max-file-size``) is checked before a byte is read; the time limit
(``timeout``) bounds the analysis of one file.  It is a ``SIGALRM`` interval
timer whose handler raises :class:`FileTimeout`, a ``BaseException`` so that
no ``except Exception`` in an extractor or a check can swallow it; the engine
catches it and reports the file as NX000.  Python runs a signal handler between
bytecodes, so a long call into C (libyaml, tree-sitter) ends first; those have
bounds of their own (tree-sitter a parse deadline, libyaml linear time, both
behind the size limit).

Where there is no ``SIGALRM`` (Windows) or the linter runs outside the main
thread, signals cannot be used and the analysis is bounded by the size limit
and the analysers' own budgets only.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from contextlib import contextmanager
from typing import Iterator, Optional, Union

from nexus_lint.core.lazyre import lazy_re

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0  # seconds per file; 0 switches the limit off
MAX_INCLUDE_FILES = 100  # local GitLab CI includes followed from one file (GitLab allows 150)


class FileTimeout(BaseException):
    """The analysis of one file ran past its time limit."""


#: After the limit, the timer fires again this often (seconds) until the block
#: ends: an ``except Exception`` may turn the first ``FileTimeout`` into
#: something else (a C callback reports it as ``SystemError``) and carry on.
REPEAT = 0.25


class Limit:
    """The state of one :func:`time_limit` block; ``fired`` says the time ran
    out, even where the exception was caught and turned into something else."""

    __slots__ = ("seconds", "active", "fired")

    def __init__(self, seconds: Optional[float]) -> None:
        self.seconds = seconds
        self.active = False
        self.fired = False


_current: Optional[Limit] = None


def _on_alarm(signum, frame) -> None:
    limit = _current
    if limit is None or not limit.active:
        return
    limit.fired = True
    raise FileTimeout()


@contextmanager
def time_limit(seconds: Optional[float]) -> Iterator[Limit]:
    """Raise :class:`FileTimeout` in the block after ``seconds`` (None or 0: no
    limit), and again every :data:`REPEAT` seconds until the block ends.

    A block inside another one replaces the outer limit while it runs; the
    outer timer goes on afterwards with the time it had left.
    """
    global _current
    limit = Limit(seconds)
    # (off the main thread signal.signal raises ValueError, below; threading is
    # asked only if something imported it, so a plain run does not pay for it)
    threading = sys.modules.get("threading")
    if seconds is None or not 0 < seconds < 1e9 or not hasattr(signal, "setitimer") \
            or (threading is not None and threading.current_thread() is not threading.main_thread()):
        yield limit
        return
    try:
        old_handler = signal.signal(signal.SIGALRM, _on_alarm)
    except (ValueError, OSError):  # not allowed here: no limit
        yield limit
        return
    outer = _current
    _current = limit
    limit.active = True
    started = time.monotonic()
    old_delay, old_interval = signal.getitimer(signal.ITIMER_REAL)
    try:  # (the timer may fire at once with a tiny limit: switched on inside the try, so always off after)
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
        yield limit
    finally:
        for _ in range(100):  # the timer may fire while it is being switched off
            try:
                limit.active = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except FileTimeout:
                continue
        _current = outer
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay > 0:  # someone else's timer was running: let it go on
            left = old_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), old_interval)


_SIZE = lazy_re(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*\Z", re.I)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "ki": 1024, "m": 1000 ** 2, "mb": 1000 ** 2,
          "mib": 1024 ** 2, "mi": 1024 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3, "gi": 1024 ** 3}


def parse_size(value: Union[int, str]) -> Optional[int]:
    """``10485760``, ``"10MiB"``, ``"512 KiB"``, ``"2MB"`` -> bytes; None when it is not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    m = _SIZE.match(value)
    if not m:
        return None
    size = int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()])
    return size if size > 0 else None


def format_size(size: int) -> str:
    """``10485760`` -> ``10 MiB``; ``1500`` -> ``1500 bytes``."""
    for unit, factor in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    if size >= 1024 ** 2:
        return f"{size / 1024 ** 2:.1f} MiB"
    return f"{size} bytes"
