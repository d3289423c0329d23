"""Dockerfile word processing, exactly as BuildKit's ``frontend/dockerfile/shell``.

A port of BuildKit's shell lexer (``lex.go``: ``ProcessWord``,
``ProcessWords``, ``ProcessWordWithMatches``) as the Dockerfile frontend uses
it for ``ARG``/``ENV``/``FROM``/``COPY --from`` and friends, with BuildKit's
default options (``RawQuotes``, ``RawEscapes``, ``SkipUnsetEnv`` and
``SkipProcessQuotes`` all off).  Conformance vectors and their provenance:
``tests/data/buildkit-parser/shell_word_cases.json`` (BuildKit commit
``73ed6825``).

What it does, as BuildKit does:

* single quotes keep everything literally; double quotes keep everything but
  ``$`` expansions and the escapes ``\\"``, ``\\$`` and ``\\\\`` (an escape
  before any other character stays);
* the escape character (``\\`` or the backtick) outside quotes takes the next
  character literally, and vanishes at the very end of the word;
* ``$NAME``, ``${NAME}``, the special parameters ``$@ $* $# $? $- $$ $! $0``
  and positional ``$1``/``${999}`` (looked up like any other name);
* ``${N:-w}`` ``${N-w}`` ``${N:+w}`` ``${N+w}`` ``${N:?msg}`` ``${N?msg}``
  ``${N#pat}`` ``${N##pat}`` ``${N%pat}`` ``${N%%pat}`` ``${N/pat/r}``
  ``${N//pat/r}`` with nested words, where a pattern knows ``*``, ``?`` and
  ``\\*``/``\\?``/``\\\\``, matched with Go regexp's leftmost-first semantics;
* errors wherever BuildKit errors, with BuildKit's message
  (``failed to process "<word>": <reason>``).

On top of BuildKit, every result is a :class:`~nexus_lint.core.sourced.SourcedStr`
that remembers where each character came from:

* a character copied from the word keeps that character's offset (removed
  quotes and escape characters simply disappear);
* a character substituted from a variable keeps its offset in the variable's
  ``SourcedStr`` value (``-1`` when the value is a plain ``str``);
* characters of a default/alternative word keep their offsets in the word;
* pattern operations keep offsets where the result is still a copy of the
  value (``${X#*/}``, ``${X%:*}``, the untouched parts of ``${X/a/b}``) and of
  the replacement word; a character that exists nowhere (``$$`` in a
  ``//`` replacement template) is ``-1``.

A plain ``str`` word has unknown offsets (``-1``) throughout.

Nothing here recurses: nesting is handled with an explicit stack, pattern
matching is a Pike VM (``O(len(value) * len(pattern))`` per search, no
backtracking), and results larger than :data:`MAX_RESULT_CHARS` are refused
with a :class:`WordError` instead of exhausting memory.

This module is the API; its parts: the strings, names, limit and errors
(:mod:`.shellwords_values`), patterns (:mod:`.shellwords_pattern`) and the
lexer itself (:mod:`.shellwords_lexer`).
"""

from __future__ import annotations

import re
from array import array
from typing import Iterable, List, Mapping, Set, Tuple

from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shellwords_lexer import Lexer
from nexus_lint.lang.shellwords_values import (
    MAX_RESULT_CHARS, MISSING, EnvValue, Word, WordError, as_val, lookup_table, normalize_env_key,
)

__all__ = [
    "WordError",
    "MAX_RESULT_CHARS",
    "process_word",
    "process_words",
    "process_word_with_matches",
    "envs_from_slice",
    "get_env",
    "normalize_env_key",
]


def envs_from_slice(entries: Iterable[EnvValue]) -> dict:
    """``shell.EnvsFromSlice``: ``KEY=value`` entries to a mapping.

    ``KEY`` alone means set to the empty string; a later entry for the same
    key wins.  ``SourcedStr`` entries give ``SourcedStr`` values that keep
    their offsets.
    """
    env: dict = {}
    for e in entries:
        text = e.text if isinstance(e, SourcedStr) else e
        if not isinstance(text, str):
            raise TypeError("entries must be str or SourcedStr")
        i = text.find("=")
        if i < 0:
            env[text] = e[len(text):] if isinstance(e, SourcedStr) else ""
        else:
            env[text[:i]] = e[i + 1:]
    return env


def get_env(env: Mapping[str, EnvValue], name: str, *, case_insensitive: bool = False) -> Tuple[SourcedStr, bool]:
    """The lexer's variable lookup (``shellWord.getEnv``): ``(value, is_set)``.

    With ``case_insensitive`` names compare as on Windows (both sides
    upper-cased).  An unset name gives ``("", False)``.
    """
    table = lookup_table(env, case_insensitive)
    key = normalize_env_key(name) if case_insensitive else name
    v = table.get(key, MISSING)
    if v is MISSING or v is None:
        return SourcedStr(""), False
    t, o = as_val(v)
    return SourcedStr(t, array("q", o)), True


_PLAIN_RE_CACHE: dict = {}


def _plain(text: str, escape: str) -> bool:
    """True when the word has nothing for the lexer to do."""
    r = _PLAIN_RE_CACHE.get(escape)
    if r is None:
        r = _PLAIN_RE_CACHE[escape] = re.compile("[$'\"\ufeff" + re.escape(escape) + "]")
    return r.search(text) is None


# --------------------------------------------------------------------------
# API


def process_word(word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False) -> SourcedStr:
    """``Lex.ProcessWord``: expand ``word`` as one string (no field splitting).

    Raises :class:`WordError` where BuildKit returns an error.
    ``case_insensitive`` looks names up as BuildKit does on Windows.
    """
    if isinstance(word, str) and len(escape) == 1 and _plain(word, escape):
        return SourcedStr(word)
    if isinstance(word, SourcedStr) and len(escape) == 1 and _plain(word.text, escape):
        return SourcedStr(word.text, array("q", as_val(word)[1]))
    lx = Lexer(word, env, escape, case_insensitive, False)
    lx.run()
    return SourcedStr(*lx.result)


def process_word_with_matches(
    word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False
) -> Tuple[SourcedStr, Set[str], Set[str]]:
    """``Lex.ProcessWordWithMatches``: ``(result, matched, unmatched)``.

    ``matched`` holds the names (as written) that were looked up and found
    set, ``unmatched`` those looked up and found unset.  As in BuildKit a
    nested word is always expanded before its variable is consulted, so
    ``${SET:-$OTHER}`` reports ``OTHER`` even though its value is not used.
    """
    if isinstance(word, str) and len(escape) == 1 and _plain(word, escape):
        return SourcedStr(word), set(), set()
    lx = Lexer(word, env, escape, case_insensitive, False)
    lx.run()
    return SourcedStr(*lx.result), lx.matched, lx.unmatched


def process_words(word: Word, env: Mapping[str, EnvValue], escape: str = "\\", *, case_insensitive: bool = False) -> List[SourcedStr]:
    """``Lex.ProcessWords``: expand, then split into fields.

    White space from unquoted text and unquoted expansions separates fields;
    quoted and escaped white space does not; empty fields are dropped.  As in
    BuildKit, a ``${X:-...}``/``${X#...}``/``${X/...}`` form clears the field
    being built when it is reached (BuildKit shares one buffer between nested
    word readers), so ``a${X:-b}c`` gives ``["bc"]``.
    """
    lx = Lexer(word, env, escape, case_insensitive, True)
    lx.run()
    return lx.words
