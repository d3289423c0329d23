"""The Dockerfile parser's model (see :mod:`nexus_lint.lang.dockerfile`): the
parsed file, its instructions with their words, flags, pairs and heredocs, its
directives and the problems found, each with source offsets."""

from __future__ import annotations

from nexus_lint.core.record import field, record
from typing import List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.dockerfile_lexer import GO_SPACE, go_quote

_RE_LEADING_TABS = lazy_re(r"(?m)^\t+")

# --------------------------------------------------------------------------
# data model
# --------------------------------------------------------------------------


@record
class Word:
    """One argument word."""

    text: str  # value as BuildKit yields it
    src: SourcedStr  # raw source characters of the word, with offsets

    def span(self) -> Optional[Tuple[int, int]]:
        """Source range of the raw word if it is one contiguous run, else ``None``."""
        return self.src.span()


@record
class Flag:
    """``--name=value`` / ``--name`` before the arguments."""

    name: str  # without leading dashes
    value: Optional[SourcedStr]  # raw value after the first '=' (None for a bare --flag)
    word: Word  # the whole flag word; word.text has quotes/escapes processed
    value_text: Optional[str] = None  # value with quotes/escapes processed, as BuildKit sees it


@record
class NameValue:
    """ENV/LABEL/ARG pair; ``value`` is raw (quotes kept), None for ``ARG X``."""

    name: SourcedStr
    value: Optional[SourcedStr]


@record
class Heredoc:
    name: str
    file_descriptor: int
    expand: bool
    chomp: bool
    content: SourcedStr  # body lines with their newlines, terminator excluded
    marker: Optional[SourcedStr] = None  # the ``<<EOF`` word on the instruction line
    terminator: Optional[Tuple[int, int]] = None  # source range of the terminator line

    def chomped(self) -> str:
        """Content as BuildKit hands it on (leading tabs removed for ``<<-``)."""
        t = self.content.text
        return chomp_heredoc_content(t) if self.chomp else t


@record
class Instruction:
    keyword: str  # lower-cased
    keyword_src: SourcedStr  # as written, with offsets
    flags: List[Flag]
    args: List[Word]
    pairs: List[NameValue]
    json_form: bool
    rest: SourcedStr  # logical text after keyword and flags, continuations joined
    heredocs: List[Heredoc]
    start: int
    end: int
    start_line: int
    end_line: int
    sub: Optional["Instruction"] = None  # nested instruction of ONBUILD

    def flag(self, name: str) -> Optional[Flag]:
        """First flag called ``name`` (without dashes), or ``None``."""
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def dump(self) -> str:
        """BuildKit ``Node.Dump()`` of this instruction, wrapped in parentheses."""
        parts = [self.keyword]
        if self.flags:
            parts.append("[" + " ".join(go_quote(f.word.text) for f in self.flags) + "]")
        if self.sub is not None:
            parts.append(self.sub.dump())
        for a in self.args:
            parts.append(go_quote(a.text))
        return "(" + " ".join(parts).strip(GO_SPACE) + ")"


@record
class Directive:
    name: str  # lower-cased key
    value: str
    start: int  # source range of the whole directive comment (line, newline excluded)
    end: int
    line: int = 0  # 1-based
    value_start: int = -1  # source range of the value
    value_end: int = -1


@record
class ParseIssue:
    message: str
    start: int
    end: int
    line: int  # 1-based
    detail: str = ""


@record
class Dockerfile:
    escape: str
    directives: List[Directive]
    instructions: List[Instruction]
    errors: List[ParseIssue]
    warnings: List[ParseIssue] = field(default_factory=list)

    def dump(self) -> str:
        """Whole ``result`` file text of BuildKit's parser tests."""
        return "".join(i.dump() + "\n" for i in self.instructions)

    def directive(self, name: str) -> Optional[Directive]:
        for d in self.directives:
            if d.name == name:
                return d
        return None


def chomp_heredoc_content(src: str) -> str:
    """``ChompHeredocContent``: remove leading tabs of every line."""
    return _RE_LEADING_TABS.sub("", src)

