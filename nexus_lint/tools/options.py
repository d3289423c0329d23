"""The one option parser the tool modules read command lines with.

:func:`parse_options` splits a command's arguments the way the tools' own flag
parsers do (``--opt=value``, ``--opt value``, clustered short flags ``-it``,
``-dp 80:80``), from a table of the options that take a value, so an option's
value is never taken for an image or a URL.  Each tool module declares its
tables with :func:`opts`; the helpers below read the parsed options.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple

from nexus_lint.lang.shell import Word

__all__ = ["Option", "opts", "parse_options", "subcommand", "values", "flag", "fields", "flag_word", "FALSE"]

Option = Tuple[str, Optional[Word]]

FALSE = frozenset({"false", "0", "no", "off"})


def opts(spec: str) -> frozenset:
    """A table of options that take a value, from a space-separated list."""
    return frozenset(spec.split())


def parse_options(args: Sequence[Word], valued: frozenset, *, stop_at_positional: bool = False,
                  equals: bool = True) -> Tuple[List[Option], List[Word], int]:
    """Split ``args`` the way Go's pflag (cobra) does.

    With ``equals=False`` (curl's own reading) a long option never takes
    ``=value`` and a short one's value is the rest of the word as written.
    Returns ``(options, positionals, stop)``: options as ``(name, value word or
    None)``; with ``stop_at_positional`` parsing ends at the first positional
    (``positionals`` then holds just it and ``stop`` is its index).  A word
    whose value starts with an unknown part (``$ARGS``) counts as a positional.
    """
    found: List[Option] = []
    pos: List[Word] = []
    k, n = 0, len(args)
    while k < n:
        w = args[k]
        t = w.value.text
        if t == "--":
            rest = list(args[k + 1:])
            if stop_at_positional:
                return found, rest[:1], k + 1
            pos.extend(rest)
            break
        if len(t) < 2 or t[0] != "-":
            pos.append(w)
            if stop_at_positional:
                return found, pos, k
            k += 1
            continue
        if t.startswith("--"):
            name, eq, _ = t.partition("=") if equals else (t, "", "")
            if eq:
                found.append((name, w.sub(len(name) + 1)))
            elif name in valued and k + 1 < n:
                found.append((name, args[k + 1]))
                k += 1
            else:
                found.append((name, None))
            k += 1
            continue
        k = _short_options(args, k, valued, equals, found)
    return found, pos, n


def _short_options(args: Sequence[Word], k: int, valued: frozenset, equals: bool, found: List[Option]) -> int:
    """Short options, possibly clustered, in ``args[k]``: a valued one takes the
    rest of the word or the next one.  Returns the index of the next word."""
    w = args[k]
    t = w.value.text
    k += 1
    for j in range(1, len(t)):
        name = "-" + t[j]
        if name in valued:
            if j + 1 < len(t):
                start = j + 2 if equals and t[j + 1] == "=" else j + 1
                found.append((name, w.sub(start)))
            elif k < len(args):
                found.append((name, args[k]))
                k += 1
            else:
                found.append((name, None))
            break
        found.append((name, None))
    return k


def subcommand(args: Sequence[Word], valued: frozenset) -> Tuple[Optional[str], Sequence[Word]]:
    """The first positional word's text after the options (the subcommand) and
    the words after it; ``(None, ())`` when there is none."""
    _, pos, k = parse_options(args, valued, stop_at_positional=True)
    if not pos:
        return None, ()
    return pos[0].value.text, args[k + 1:]


def values(found: Sequence[Option], *names: str) -> List[Word]:
    """The value words of the options called ``names``, in order."""
    return [v for name, v in found if name in names and v is not None]


def flag(found: Sequence[Option], *names: str) -> bool:
    """A boolean flag given and not set to false (``--push``, ``--push=true``)."""
    on = False
    for name, v in found:
        if name in names:
            on = v is None or v.value.text.lower() not in FALSE
    return on


def fields(word: Word) -> Iterator[Tuple[str, Word]]:
    """``key=value`` fields of a comma-separated option value, as sub-words."""
    text = word.value.text
    pos = 0
    for part in text.split(","):
        key, eq, _ = part.partition("=")
        if eq:
            yield key.strip().lower(), word.sub(pos + len(key) + 1, pos + len(part))
        pos += len(part) + 1


def flag_word(args: Sequence[Word], valued: frozenset, short: str, longs: Sequence[str]) -> Optional[Word]:
    """The word that sets a boolean flag (``-f`` in ``-fsSL``, ``--fail``), read as curl reads options."""
    k, n = 0, len(args)
    while k < n:
        t = args[k].value.text
        if t == "--":
            return None
        if t.startswith("--"):
            if t in longs:
                return args[k]
            k += 2 if t in valued else 1
            continue
        if len(t) > 1 and t[0] == "-":
            for j in range(1, len(t)):
                name = "-" + t[j]
                if name == short:
                    return args[k]
                if name in valued:
                    if j == len(t) - 1:
                        k += 1  # the value is the next word
                    break
        k += 1
    return None
