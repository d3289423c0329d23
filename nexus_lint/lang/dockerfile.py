"""Dockerfile lexer/parser with exact source spans, conformant with BuildKit.

This is a re-implementation of BuildKit's ``frontend/dockerfile/parser``
(``parser.go``, ``line_parsers.go``, ``split_command.go``, ``directives.go``
and the parts of ``shell/lex.go`` the heredoc detection uses).  It yields the
same instructions, arguments, flags and heredocs as BuildKit, and ``dump()``
reproduces ``Node.Dump()`` byte for byte, but every word also carries a
:class:`~nexus_lint.core.sourced.SourcedStr` whose offsets point into the text that
was parsed, so continuation-joined text still maps each character back to the
file.

Offsets are indices into the ``str`` given to :func:`parse` (code points).  A
leading BOM is skipped for parsing (offsets stay relative to the given text)
and ``"\\r\\n"`` is a line end (offsets still count the ``"\\r"``).

:func:`parse` never raises: whatever BuildKit would reject is reported in
:attr:`Dockerfile.errors` and parsing goes on with the next instruction.

Deliberate deviations from BuildKit (all in corners real Dockerfiles do not
reach; the conformance tests in ``tests/test_dockerfile_syntax.py`` pass):

* Characters are code points.  BuildKit's ``extractBuilderFlags`` and
  ``parseHealthConfig`` walk single bytes, so a non-ASCII character inside a
  ``--flag`` comes out mangled (every UTF-8 byte becomes a rune) and the bytes
  0x85/0xA0 of a multi-byte character count as whitespace there; here the
  characters stay intact.
* Errors do not stop the parse.  BuildKit returns at the first error; here each
  error is recorded and the instruction is kept with what could be parsed
  (``ENV X`` gets a pair without value; a JSON array with a non-string element
  gets ``json_form=True`` and no args; an unterminated heredoc runs to the end of
  the file).  BuildKit stops reading at a line longer than 65535 bytes; here the
  error is recorded and the rest of the file is parsed.
* A NUL character is reported as an error (BuildKit's parser lets it through and
  the build fails later).
* ONBUILD nesting deeper than :data:`~nexus_lint.lang.dockerfile_instructions.MAX_ONBUILD_DEPTH` is not descended into
  (error recorded).
* The "empty continuation line" warning is located at the first empty line
  (BuildKit: the instruction's last line).
* ``Instruction.end`` stops at the last physical line that contributed text;
  ``end_line`` counts like BuildKit, including blank/comment lines that a
  continuation swallowed before the end of the file.
* Whitespace between ``<<`` and a heredoc word is spaces and tabs.
* JSON: numbers outside float64 range make the array invalid (shell form), as in
  Go; arrays nested deeper than Python's JSON recursion limit are treated as
  invalid JSON (Go accepts up to 10000 levels and then reports the non-string
  element).  Printability and letters follow Python's Unicode tables, which may
  differ from Go's for the newest code points.

This module is the entry point (:func:`parse` and the main loop over physical
lines); its parts: the model (:mod:`.dockerfile_model`), Go's character
classes, quoting and the word/JSON/``name=value`` units
(:mod:`.dockerfile_lexer`), one instruction's keyword, flags and arguments
(:mod:`.dockerfile_instructions`), heredocs (:mod:`.dockerfile_heredoc`) and
parser directives (:mod:`.dockerfile_directives`).
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Optional, Tuple

from nexus_lint.lang.dockerfile_directives import (
    RE_DIRECTIVE, VALID_DIRECTIVES, detect_syntax, parse_directive, parse_directives,
)
from nexus_lint.lang.dockerfile_heredoc import heredocs_from_line, heredocs_in_line, parse_heredoc_word, shell_words
from nexus_lint.lang.dockerfile_instructions import InstructionParser
from nexus_lint.lang.dockerfile_lexer import (
    DEFAULT_ESCAPE, GO_SPACE, DockerfileSyntaxError, NotStringArrayError, go_quote, iota_array, mk, parse_json_array,
    parse_name_val, parse_words,
)
from nexus_lint.lang.dockerfile_model import (
    Directive, Dockerfile, Flag, Heredoc, Instruction, NameValue, ParseIssue, Word, chomp_heredoc_content,
)

__all__ = [
    "DEFAULT_ESCAPE",
    "MAX_LINE_BYTES",
    "Word",
    "Flag",
    "NameValue",
    "Heredoc",
    "Instruction",
    "Directive",
    "ParseIssue",
    "Dockerfile",
    "DockerfileSyntaxError",
    "NotStringArrayError",
    "parse",
    "parse_words",
    "parse_json_array",
    "parse_name_val",
    "parse_heredoc_word",
    "heredocs_from_line",
    "chomp_heredoc_content",
    "parse_directives",
    "detect_syntax",
    "parse_directive",
    "shell_words",
    "go_quote",
]


#: bufio.MaxScanTokenSize - 1: the longest physical line BuildKit accepts (bytes).
MAX_LINE_BYTES = 65535

HEREDOC_KEYWORDS = frozenset({"add", "copy", "run"})

_MAYBE_LONG = MAX_LINE_BYTES // 4 + 1  # a line of fewer characters has at most MAX_LINE_BYTES bytes


def _utf8_len(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s.encode("utf-8", "surrogatepass"))


class _Parser(InstructionParser):
    """The main loop: physical lines to logical ones, directives, heredoc bodies."""

    def __init__(self, text: str, df: Dockerfile) -> None:
        self.text = text
        self.df = df
        self.esc = DEFAULT_ESCAPE
        self.directives_done = False
        self.seen_directives: set = set()

    # -- small helpers ------------------------------------------------------
    def _directive(self, tok: str, base: int, lineno: int) -> None:
        m = RE_DIRECTIVE.match(tok) if tok.startswith("#") else None
        if m is None:
            self.directives_done = True
            return
        k = m.group(1).lower()
        if k not in VALID_DIRECTIVES:
            self.directives_done = True
            return
        end = base + len(tok)
        if k in self.seen_directives:
            self._issue("only one %s parser directive can be used" % k, base, end, lineno)
            return
        self.seen_directives.add(k)
        value = m.group(2)
        self.df.directives.append(Directive(k, value, base, end, lineno, base + m.start(2), base + m.end(2)))
        if k == "escape":
            if value in ("`", "\\"):
                self.esc = value
            else:
                self._issue("invalid escape token '%s' does not match ` or \\" % value, base, end, lineno)

    def _long_line(self, line: str, start: int, end: int, lineno: int) -> None:
        """Report a physical line (``line`` as in the file) longer than BuildKit reads."""
        if _utf8_len(line) > MAX_LINE_BYTES:
            self._issue("dockerfile line greater than max allowed size of %d" % MAX_LINE_BYTES, start, end, lineno)

    # -- main loop ----------------------------------------------------------
    def run(self) -> None:
        text = self.text
        df = self.df
        if "\x00" in text:
            i = text.index("\x00")
            self._issue(
                "file contains a NUL character (binary file?)", i, i + 1, text.count("\n", 0, i) + 1
            )
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # a final newline does not start another line
        nlines = len(lines)
        starts = [0]
        starts.extend(accumulate(len(ln) + 1 for ln in lines))
        self.lines, self.nlines, self.starts = lines, nlines, starts
        self.iota = iota_array(len(text) + 1)
        li = 0
        esc = self.esc
        while li < nlines:
            raw = lines[li]
            base = starts[li]
            if li == 0 and raw.startswith("\ufeff"):
                raw = raw[1:]
                base += 1
            li += 1
            if len(raw) >= _MAYBE_LONG:
                self._long_line(lines[li - 1], base, base + len(raw), li)
            content = raw.rstrip("\r")
            tok = content.lstrip(GO_SPACE)
            tok_base = base + (len(content) - len(tok))
            if not self.directives_done:
                self._directive(tok, tok_base, li)
                esc = self.esc
            if tok.startswith("#"):
                continue  # comment (also a directive): trimComments -> "", no continuation
            stripped = tok.rstrip(" \t")
            if stripped.endswith(esc) and (len(stripped) == 1 or stripped[-2] != esc):
                kept, cont = len(stripped) - 1, True
            elif not tok:
                continue
            else:
                kept, cont = len(tok), False
            li = self._instruction(li, tok_base, tok, kept, cont)
        df.escape = self.esc
        if not df.instructions:
            self._issue("file with no instructions", 0, len(text), max(nlines, 1))

    def _instruction(self, li: int, tok_base: int, tok: str, kept: int, cont: bool) -> int:
        """The instruction that starts on physical line ``li`` (1-based), at ``tok_base``;
        returns the index of the next physical line to read."""
        start_line = li
        line, offs, li, last_end = self._logical_line(li, tok_base, tok, kept, cont)
        inst = self._build(line, offs, 0, len(line), 0, start_line)
        inst.start = tok_base
        inst.end = last_end
        inst.start_line = start_line
        inst.end_line = li
        target = inst.sub if inst.keyword == "onbuild" and inst.sub is not None else inst
        if target.keyword in HEREDOC_KEYWORDS and not target.json_form and "<<" in line:
            li = self._heredocs(inst, line, offs, li)
        if inst.sub is not None:
            _set_lines(inst)
        self.df.instructions.append(inst)
        return li

    def _logical_line(self, li: int, tok_base: int, tok: str, kept: int, cont: bool):
        """Join the continuation lines: ``(line, offsets, next line index, end offset)``."""
        text, lines, starts, nlines, esc = self.text, self.lines, self.starts, self.nlines, self.esc
        segs = [(tok_base, kept)]
        last_end = tok_base + len(tok)
        first_empty: Optional[Tuple[int, int, int]] = None
        while cont and li < nlines:
            raw = lines[li]
            base = starts[li]
            li += 1
            if len(raw) >= _MAYBE_LONG:
                self._long_line(raw, base, base + len(raw), li)
            c = raw.rstrip("\r")
            ls = c.lstrip(GO_SPACE)
            if ls.startswith("#"):
                continue
            if not ls:
                if first_empty is None:
                    first_empty = (base, base + len(c), li)
                continue
            stripped = c.rstrip(" \t")
            if stripped.endswith(esc) and (len(stripped) == 1 or stripped[-2] != esc):
                kept, cont = len(stripped) - 1, True
            else:
                kept, cont = len(c), False
            segs.append((base, kept))
            last_end = base + len(c)
        iota = self.iota
        if len(segs) == 1:
            b0, k0 = segs[0]
            line = text[b0 : b0 + k0]
            offs = iota[b0 : b0 + k0]
        else:
            line = "".join([text[b : b + k] for b, k in segs])
            offs = array("q")
            for b, k in segs:
                offs += iota[b : b + k]
        if first_empty is not None:
            self.df.warnings.append(
                ParseIssue(
                    "Empty continuation line found in: " + line,
                    first_empty[0], first_empty[1], first_empty[2],
                    "Empty continuation lines will become errors in a future release",
                )
            )
        return line, offs, li, last_end

    def _heredocs(self, inst: Instruction, line: str, offs: array, li: int) -> int:
        """Read the bodies of the heredocs ``line`` announces; returns the next line index."""
        last_end = inst.end
        try:
            found = heredocs_in_line(line)
        except DockerfileSyntaxError as e:
            self._issue(str(e), inst.start, last_end, inst.start_line)
            found = []
        unterminated = False
        for h, ws, we in found:
            h.marker = mk(line[ws:we], offs[ws:we])
            li, last_end, terminated = self._heredoc_body(h, li)
            if not terminated and not unterminated:
                unterminated = True
                self._issue("unterminated heredoc", inst.start, last_end, inst.start_line)
            inst.heredocs.append(h)
        if inst.sub is not None and inst.heredocs:
            inst.sub.heredocs = inst.heredocs
        inst.end = last_end
        inst.end_line = li
        return li

    def _heredoc_body(self, h: Heredoc, li: int) -> Tuple[int, int, bool]:
        """Fill in ``h``'s content up to its terminator line (or the end of the file):
        ``(next line index, end offset, terminated)``."""
        text, lines, starts, nlines = self.text, self.lines, self.starts, self.nlines
        body_start = starts[li] if li < nlines else len(text)
        name = h.name
        while li < nlines:
            raw = lines[li]
            li += 1
            if len(raw) >= _MAYBE_LONG:
                self._long_line(raw, starts[li - 1], starts[li - 1] + len(raw), li)
            pt = raw.rstrip("\r")
            if h.chomp:
                pt = pt.lstrip("\t")
            if pt == name:
                tstart = starts[li - 1]
                tend = tstart + len(lines[li - 1].rstrip("\r"))
                h.content = mk(text[body_start:tstart], self.iota[body_start:tstart])
                h.terminator = (tstart, tend)
                return li, tend, True
        h.content = mk(text[body_start:], self.iota[body_start : len(text)])
        return li, len(text), False


def _set_lines(inst: Instruction) -> None:
    sub = inst.sub
    while sub is not None:
        sub.start_line = inst.start_line
        sub.end_line = inst.end_line
        sub.end = inst.end
        sub = sub.sub


def parse(text: str) -> Dockerfile:
    """Parse a Dockerfile.  Never raises: problems are reported in ``errors``."""
    df = Dockerfile(escape=DEFAULT_ESCAPE, directives=[], instructions=[], errors=[], warnings=[])
    try:
        if not isinstance(text, str):
            if isinstance(text, (bytes, bytearray, memoryview)):
                text = bytes(text).decode("utf-8", "replace")
            else:
                df.errors.append(ParseIssue("input is not text", 0, 0, 1))
                return df
        _Parser(text, df).run()
    except Exception as e:  # pragma: no cover - last-resort guard, parse() never raises
        df.errors.append(ParseIssue("internal parser error: %s: %s" % (type(e).__name__, e), 0, len(text or ""), 1))
    return df
