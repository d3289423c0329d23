"""INI files as Python's ``configparser`` reads them, with offsets.

:func:`entries` reads a text the way ``RawConfigParser`` does (continuation
lines, ``#``/``;`` full-line comments, keys lower-cased) and keeps where each
value stands; the real configparser then decides what the values are and
whether the file is valid, and a value the scan reads otherwise keeps its text
but loses its offsets.
"""

from __future__ import annotations

import configparser
import re
from typing import List, Optional, Tuple

from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import NEWLINE, Comment, Span, line_span, lines


class IniEntry:
    """One ``key = value`` of a section, its value a list of (continuation) lines."""

    __slots__ = ("section", "key", "parts", "first_line", "last_line", "line_span")

    def __init__(self, section: str, key: str, parts: List[SourcedStr], first_line: int = 0,
                 last_line: int = 0, line_span: Span = (0, 0)) -> None:
        self.section = section
        self.key = key  # lower-cased, as configparser's optionxform does
        self.parts = parts
        self.first_line = first_line
        self.last_line = last_line
        self.line_span = line_span  # the key's line, for values whose offsets are unknown

    def value(self) -> SourcedStr:
        """The value as configparser joins it: lines joined by newlines, right-stripped."""
        pieces: List[SourcedStr] = []
        for k, part in enumerate(self.parts):
            if k:
                pieces.append(SourcedStr.unknown("\n"))
            pieces.append(part)
        joined = SourcedStr.join(pieces) if pieces else SourcedStr("")
        return joined[: len(joined.text.rstrip())]


_SECTCRE = configparser.RawConfigParser.SECTCRE
_OPTCRE = configparser.RawConfigParser.OPTCRE


def scan(text: str) -> Tuple[List[IniEntry], List[Comment]]:
    """configparser's reading (``RawConfigParser`` defaults) with offsets."""
    entries: List[IniEntry] = []
    comments: List[Comment] = []
    section: Optional[str] = None
    current: Optional[IniEntry] = None
    indent_level = 0
    for lineno, (s, e) in enumerate(lines(text), start=1):
        line = text[s:e]
        stripped = line.strip()
        if stripped.startswith(("#", ";")):
            lead = len(line) - len(line.lstrip())
            comments.append(Comment(s + lead, stripped, True))
            continue
        if not stripped:
            if current is not None and section is not None:
                current.parts.append(SourcedStr(""))
            continue
        lead = len(line) - len(line.lstrip())
        cur_indent = re.search(r"\S", line).start()
        if section is not None and current is not None and cur_indent > indent_level:
            current.parts.append(SourcedStr.literal(stripped, s + lead))
            current.last_line = lineno
            continue
        indent_level = cur_indent
        mo = _SECTCRE.match(stripped)
        if mo:
            section = mo.group("header")
            current = None
            continue
        if section is None:
            break  # configparser stops here (MissingSectionHeaderError)
        mo = _OPTCRE.match(stripped)
        if not mo:
            continue  # a ParsingError line: configparser goes on
        name = mo.group("option").rstrip().lower()
        raw = mo.group("value") or ""
        vstart = s + lead + mo.start("value")
        value = SourcedStr.literal(raw, vstart)
        current = IniEntry(section, name, [value.strip()], lineno, lineno, (s + lead, e))
        entries.append(current)
    for entry in entries:  # trailing empty lines do not belong to the value
        while len(entry.parts) > 1 and not entry.parts[-1].text:
            entry.parts.pop()
    return entries, comments


def check(text: str, strict: bool) -> Tuple[Optional[configparser.RawConfigParser], Optional[ParseProblem]]:
    """Read ``text`` with the real configparser, as the tool does."""
    parser = configparser.RawConfigParser(strict=strict)
    normalized = NEWLINE.sub("\n", text)
    try:
        parser.read_string(normalized)
    except configparser.ParsingError as exc:
        lineno = exc.errors[0][0] if getattr(exc, "errors", None) else 1
        s, e = line_span(text, lineno)
        return None, ParseProblem(f"not a valid config file: line {lineno} is neither a section, a key nor a value", s, e)
    except configparser.MissingSectionHeaderError as exc:
        s, e = line_span(text, exc.lineno)
        return None, ParseProblem("not a valid config file: a key before any [section]", s, e)
    except (configparser.DuplicateOptionError, configparser.DuplicateSectionError) as exc:
        s, e = line_span(text, exc.lineno or 1)
        return None, ParseProblem(f"not a valid config file: {exc.message.split(':', 1)[-1].strip()}", s, e)
    except configparser.Error as exc:
        return None, ParseProblem(f"not a valid config file: {exc}")
    return parser, None


def entries(text: str, strict: bool) -> Tuple[List[IniEntry], List[Comment], Optional[ParseProblem]]:
    """The entries (the last of duplicate keys) and comments of ``text``, and
    the problem configparser has with it (``strict``: a duplicate key is one)."""
    parser, problem = check(text, strict)
    found, comments = scan(text)
    if parser is not None:
        # The real parser decides the value; offsets are kept only where the scan agrees.
        last = {(e.section, e.key): k for k, e in enumerate(found)}
        kept = []
        for k, entry in enumerate(found):
            if last[(entry.section, entry.key)] != k:
                continue  # shadowed by a later duplicate (non-strict readers keep the last one)
            kept.append(entry)
            try:
                if entry.section == parser.default_section:
                    real = parser.defaults().get(entry.key)
                else:
                    real = parser.get(entry.section, entry.key, raw=True)
            except (configparser.Error, KeyError):
                real = None
            if real is not None and real != entry.value().text:
                entry.parts = [SourcedStr.unknown(real)]
        found = kept
    return found, comments, problem
