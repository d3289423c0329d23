"""The model of a shell analysis (see :mod:`nexus_lint.lang.shell`): the
words, commands, comments and assignments a script is read into, and the
analysis that holds them."""

from __future__ import annotations

from collections.abc import Mapping
from nexus_lint.core.record import field, record
from typing import Dict, List, Optional, Tuple

from nexus_lint.core.sourced import SourcedStr

@record(frozen=True)
class Word:
    """One argv word.

    ``value`` is the word after quote removal and expansion of variables whose
    values are known; its characters keep host-file offsets (-1 where a
    character has no single place: an escape sequence, an unknown part).
    ``known`` is False when any part could not be resolved.  ``raw`` is the word
    exactly as written.  ``vars`` names the variables the value came through.
    """

    value: SourcedStr
    known: bool
    raw: SourcedStr
    vars: Tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.value.text

    def sub(self, start: int, end: Optional[int] = None) -> "Word":
        """The part ``value[start:end]`` (e.g. the value of ``--opt=value``).

        ``raw`` is narrowed the same way when the word is written as its value
        (no quotes or expansions), or, for a tail, when the skipped prefix
        stands literally at the start of the raw word; otherwise it stays whole.
        """
        value = self.value[start:end]
        raw = self.raw
        if raw.text == self.value.text:
            raw = raw[start:end]
        elif end is None and raw.text.startswith(self.value.text[:start]) and len(raw.text) > start:
            raw = raw[start:]
        return Word(value, self.known, raw, self.vars)


@record(frozen=True)
class Comment:
    """A shell comment: its text (``#`` included, no line ending) and host span."""

    text: SourcedStr
    start: int
    end: int


@record(frozen=True)
class Assignment:
    """``NAME=value``: on its own, after ``export``/``declare``/``local``/
    ``readonly``/``typeset``, as a command's prefix (``NAME=value cmd``) or an
    ``env NAME=value`` word.  ``value`` is the value as the shell makes it
    (offsets kept; ``None`` when it is not known, an array, or read at run
    time); ``raw`` is the value as written."""

    name: str
    value: Optional[SourcedStr]
    raw: SourcedStr
    depth: int = 0


class EnvView(Mapping):
    """The known variable values in force at one command (read-only mapping).

    Built lazily from the analysis' assignment log, so a script with thousands
    of assignments and commands does not copy a dictionary per command.
    Variables whose value is unknown are absent, as are unset ones.
    """

    __slots__ = ("_base", "_log", "_upto", "_extra", "_dict")

    def __init__(self, base, log, upto, extra=None) -> None:
        self._base = base
        self._log = log
        self._upto = upto
        self._extra = extra
        self._dict: Optional[Dict[str, SourcedStr]] = None

    def _d(self) -> Dict[str, SourcedStr]:
        if self._dict is None:
            d = dict(self._base)
            log = self._log
            for k in range(self._upto):
                name, value = log[k]
                d[name] = value
            if self._extra:
                d.update(self._extra)
            self._dict = {k: v for k, v in d.items() if v is not None}
        return self._dict

    def __getitem__(self, key: str) -> SourcedStr:
        return self._d()[key]

    def __iter__(self):
        return iter(self._d())

    def __len__(self) -> int:
        return len(self._d())

    def __repr__(self) -> str:
        return f"EnvView({self._d()!r})"


@record
class Command:
    """A simple command, after skipping prefixes such as ``sudo`` and ``env X=1``.

    ``name`` is the basename of ``argv[0]``'s value ("" when it is unknown).
    ``start``/``end`` are host offsets of the whole command as written (the
    prefixes included), -1 when unknown.  ``env`` holds the known variable
    values in force (script assignments so far, inherited env, and this
    command's own ``VAR=x`` / ``env VAR=x`` prefixes).  ``depth`` is 0 for a
    command of the script itself, 1 for one inside its ``sh -c '...'``, etc.
    """

    name: str
    argv: List[Word]
    start: int
    end: int
    env: Mapping = field(default_factory=dict)
    depth: int = 0
    # In a pipeline: (which pipeline, position in it); ``None`` otherwise.  The
    # command at position k reads its standard input from the one at k - 1.
    pipe: Optional[Tuple[Tuple[int, int], int]] = None
    # What a here-string (``<<< 'x'``) or a heredoc on this command feeds its
    # standard input: one word, not known when it expands anything.
    stdin: Optional[Word] = None


@record
class ShellAnalysis:
    commands: List[Command]
    comments: List[Comment]
    has_errors: bool  # tree-sitter found ERROR/MISSING nodes (the tree is still used)
    errors: List[Tuple[int, int]] = field(default_factory=list)  # host spans of ERROR nodes (first ones)
    error_ratio: float = 0.0  # share of the script's bytes tree-sitter could not place in any construct
    truncated: bool = False  # a bound stopped the analysis before the end
    problem: Optional[str] = None  # why the analysis is incomplete (truncated, tree-sitter missing, ...)
    script: Optional[SourcedStr] = None  # the text analysed (for readers of what is not a command: `[ ]`, `||`)
    assignments: List[Assignment] = field(default_factory=list)  # in order, nested scripts' too



def join_sourced(parts) -> SourcedStr:
    """The pieces as one string (the piece itself when there is only one)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    return SourcedStr.join(parts)
