"""What BuildKit's word lexer (:mod:`nexus_lint.lang.shellwords`) works on:
strings with offsets, environment values and names (Go's character classes),
the limit on a result's size and the errors."""

from __future__ import annotations

from array import array
from typing import Mapping, Tuple, Union

from nexus_lint.core.sourced import SourcedStr

Word = Union[str, SourcedStr]
EnvValue = Union[str, SourcedStr]

#: Longest expansion (in characters) a single word may produce.  BuildKit has
#: no limit; ``${A//?/${A//?/${A//?/$A}}}`` grows exponentially, so a hostile
#: Dockerfile could otherwise make the linter allocate without bound.
MAX_RESULT_CHARS = 1_000_000


class WordError(ValueError):
    """BuildKit would reject this word.

    ``str(err)`` is BuildKit's message, ``failed to process "<word>": <reason>``;
    ``reason`` is the part after the colon and ``index`` the position in the
    word (code points) where the lexer stood when it gave up.
    """

    def __init__(self, message: str, reason: str = "", index: int = -1) -> None:
        super().__init__(message)
        self.reason = reason
        self.index = index


class Fail(Exception):
    """The lexer gives up; ``msg`` is BuildKit's reason (made a :class:`WordError`)."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


# --------------------------------------------------------------------------
# Character classes, as Go's unicode package has them.

# unicode.IsSpace: Latin-1 \t \n \v \f \r space U+0085 U+00A0, plus White_Space.
SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# isSpecialParam in lex.go.
SPECIAL_PARAMS = frozenset("@*#?-$!0")


def is_name_char(c: str) -> bool:
    # unicode.IsLetter (category L*) || unicode.IsDigit (Nd) || '_'
    return c == "_" or c.isalpha() or c.isdecimal()


def normalize_env_key(key: str) -> str:
    """``shell.NormalizeEnvKey`` on Windows: Go's ``strings.ToUpper``.

    Go maps rune by rune with the simple case mapping, so a character whose
    upper case is several characters (``ß``) stays as it is.
    """
    up = key.upper()
    if len(up) == len(key):
        return up
    return "".join(u if len(u := c.upper()) == 1 else c for c in key)


# --------------------------------------------------------------------------
# Environment

Val = Tuple[str, array]  # (text, offsets) -- the lexer's internal string

EMPTY_OFFS = array("q")
MISSING = object()


def as_val(v: object) -> Val:
    """An environment value as the lexer's string (offsets -1 for a plain ``str``)."""
    if isinstance(v, SourcedStr):
        offs = v.offsets
        if not isinstance(offs, array) or offs.typecode != "q":
            offs = array("q", offs)
        return v.text, offs
    if isinstance(v, str):
        return v, array("q", [-1]) * len(v)
    raise TypeError(f"environment values must be str or SourcedStr, not {type(v).__name__}")


def as_word(word: object) -> Val:
    """The word to read as the lexer's string."""
    if isinstance(word, SourcedStr):
        return as_val(word)
    if isinstance(word, str):
        return word, array("q", [-1]) * len(word)
    raise TypeError(f"word must be str or SourcedStr, not {type(word).__name__}")


def lookup_table(env: Mapping, case_insensitive: bool) -> Mapping:
    """The environment keyed as names are looked up (upper-cased on Windows)."""
    if not case_insensitive:
        return env
    table = {}
    for k, v in env.items():
        table[normalize_env_key(k)] = v
    return table

