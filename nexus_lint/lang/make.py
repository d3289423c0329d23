"""A reader for GNU make's makefiles, line by line as make reads them, and the
expansion of make's variables with every character's offset kept.

:func:`read` splits a makefile into what make itself sees (GNU make 4.3's
``read.c``): recipe lines (a line that starts with the recipe prefix, a tab
or ``.RECIPEPREFIX``, after a rule line; a backslash-newline inside a recipe
stays as it is and the prefix of the continuation line is dropped), rules
(``targets: prerequisites ; recipe``), variable assignments (``=``, ``:=``,
``::=``, ``:::=``, ``?=``, ``+=``, ``!=``, with ``override``, ``export``,
``private``; ``define``/``endef``; target- and pattern-specific ``target: VAR
= value``) and directives.  Outside recipes a backslash-newline and the blanks
around it are one space and ``#`` starts a comment (``\\#`` is a ``#``).

What GNU make rejects and this reader can tell for certain is a
:class:`Problem` with make's own message: a recipe line before the first rule
("recipe commences before first target"), a line that is neither a rule, an
assignment nor a directive ("missing separator"), unbalanced conditionals and
``define``.  Lines inside conditionals are read but not judged (make skips a
branch whose condition is false, so its text may be anything).

Conditionals are not evaluated: both branches are read in order, a later
assignment wins (as the shell analyser reads ``if`` bodies).

:class:`~nexus_lint.lang.make_expand.Expander` expands ``$(VAR)``,
``${VAR}`` and ``$V`` with the variables read (recursive variables at use time, simple ones when assigned,
target-specific ones for their targets' recipes); ``$$`` is ``$``.  A
function (``$(shell ...)``, ``$(call ...)``, ``$(subst ...)``, ...), an
automatic variable (``$@``, ``$<``, ``$^``, ...), a substitution reference, a
computed name, a ``!=`` value and an undefined variable are unknown: the
expansion holds a placeholder for them (by default a shell command
substitution named after the reference, ``$(VERSION)``, ``$(shell)``: a value
the shell analyser cannot know) whose characters have no offset.
"""

from __future__ import annotations

import re
from nexus_lint.core.record import field, record
from typing import List, Optional, Tuple

from nexus_lint.core.sourced import SourcedStr

_ASSIGN_OPS = ("=", ":=", "::=", ":::=", "?=", "+=", "!=")
_CONDITIONALS = ("ifdef", "ifndef", "ifeq", "ifneq")
_KEYWORD = re.compile(r"[ \t]*(-?include|sinclude|ifdef|ifndef|ifeq|ifneq|else|endif|define|endef|export|unexport"
                      r"|override|private|undefine|vpath|load|-load)(?=[ \t]|$)")
_NAME_OK = re.compile(r"[^\s:#=]+")


@record
class Problem:
    message: str
    start: int
    end: int


@record
class Assignment:
    """``name op value``: ``value`` is the text after the operator (leading blanks
    dropped, trailing blanks kept, as make does), continuations joined."""

    name: str
    op: str
    value: SourcedStr
    start: int
    end: int
    export: Optional[bool] = None  # True: export, False: unexport, None: as the default says
    override: bool = False
    targets: Tuple[str, ...] = ()  # a target- or pattern-specific assignment
    conditional: bool = False  # inside an ifeq/ifdef block
    file: str = ""  # the included file it stands in ("": the file read)


@record
class RecipeLine:
    """One logical recipe line, its prefix character removed (its text still
    unexpanded: ``$$``, ``$(VAR)``, backslash-newlines as written)."""

    text: SourcedStr
    start: int
    end: int


@record
class Rule:
    targets: Tuple[str, ...]
    start: int
    end: int
    recipe: List[RecipeLine] = field(default_factory=list)
    file: str = ""  # the included file it stands in ("": the file read)
    prerequisites: Tuple[str, ...] = ()  # as written (order-only ones too), variables unexpanded


@record
class Directive:
    """``export``/``unexport`` of names (``names`` empty: of every variable),
    ``undefine``, and ``include`` (``-include``, ``sinclude``) of files."""

    word: str
    names: Tuple[str, ...]
    start: int


@record
class Makefile:
    items: list  # Assignment, Rule and Directive in file order
    comments: List[Tuple[int, int, bool]]  # (start, end, own line) of each make comment
    problems: List[Problem]
    oneshell: bool = False

    @property
    def rules(self) -> List[Rule]:
        return [i for i in self.items if isinstance(i, Rule)]


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _physical_lines(text: str) -> List[Tuple[int, int, int]]:
    """(start, end of content, start of next line) of every line; a CR before
    the LF is not content (GNU make drops it)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        nxt = pos + len(line) + 1
        end = pos + len(line)
        if line.endswith("\r"):
            end -= 1
        out.append((pos, end, min(nxt, len(text))))
        pos = nxt
    if out and out[-1][0] >= len(text):
        out.pop()  # the text ends with a newline: no line after it
    return out


def _continued(text: str, start: int, end: int) -> bool:
    """Does the line end in an odd number of backslashes?"""
    n = 0
    i = end - 1
    while i >= start and text[i] == "\\":
        n += 1
        i -= 1
    return n % 2 == 1


def _collapse(pieces: List[SourcedStr]) -> SourcedStr:
    """Physical lines of a non-recipe line as make joins them: the backslash,
    the newline and the blanks around them are one space."""
    if len(pieces) == 1:
        return pieces[0]
    parts: List[SourcedStr] = []
    for i, p in enumerate(pieces):
        if i < len(pieces) - 1:
            p = p[:len(p) - 1]  # the backslash
            p = p[:len(p.text.rstrip(" \t"))]
        if i > 0:
            p = p[len(p.text) - len(p.text.lstrip(" \t")):]
        parts.append(p)
        if i < len(pieces) - 1:
            parts.append(SourcedStr.unknown(" "))
    return SourcedStr.join(parts)


def _strip_comment(line: SourcedStr) -> Tuple[SourcedStr, Optional[int]]:
    """The line up to its comment (``\\#`` is a ``#``; ``\\\\#`` a backslash and a
    comment), and the comment's index in ``line``."""
    t = line.text
    if "#" not in t:
        return line, None
    out: List[SourcedStr] = []
    pos = 0
    i = t.find("#")
    while i >= 0:
        n = 0
        while i - n - 1 >= 0 and t[i - n - 1] == "\\":
            n += 1
        if n % 2 == 0:
            out.append(line[pos:i - n // 2] if n else line[pos:i])
            return SourcedStr.join(out), i
        # escaped: half the backslashes (rounded down) stay, then the '#'
        out.append(line[pos:i - n + n // 2])
        out.append(line[i:i + 1])
        pos = i + 1
        i = t.find("#", pos)
    out.append(line[pos:])
    return SourcedStr.join(out), None


_OP_OR_REF = re.compile(r"[$=:]")
_IN_REF = re.compile(r"[$(){}]")


def _scan_op(t: str, pos: int = 0) -> Tuple[int, str]:
    """The first ``:`` or assignment operator outside ``$(...)``/``${...}``:
    (index, what) with what one of the assignment operators or ``:``/``::``;
    (-1, "") when there is none."""
    depth = 0
    n = len(t)
    i = pos
    while i < n:
        m = (_IN_REF if depth else _OP_OR_REF).search(t, i)
        if m is None:
            return -1, ""
        i = m.start()
        c = t[i]
        if c == "$":
            if i + 1 < n and t[i + 1] in "({":
                depth += 1
            i += 2  # `$$` and `$X` are one reference each
            continue
        if depth:
            if c in ")}":
                depth -= 1
            i += 1
            continue
        if c == "=":
            prev = t[i - 1] if i > pos else ""
            if prev in "?+!":
                return i - 1, prev + "="
            return i, "="
        for op in (":::=", "::=", ":="):
            if t.startswith(op, i):
                return i, op
        return i, "::" if t.startswith("::", i) else ":"
    return -1, ""


def _words(t: str) -> Tuple[str, ...]:
    return tuple(t.split())


class _Reader:
    def __init__(self, text: str, origin: str = "") -> None:
        self.text = text
        self.origin = origin  # an included file: its characters have no offset in the file read
        self.lines = _physical_lines(text)
        self.items: list = []
        self.comments: List[Tuple[int, int, bool]] = []
        self.problems: List[Problem] = []
        self.rule: Optional[Rule] = None
        self.prefix = "\t"
        self.conds: List[Tuple[int, int, bool]] = []  # (start, end, seen else)
        self.oneshell = False
        self.end = 0

    def span_text(self, start: int, end: int) -> SourcedStr:
        """The text between two offsets, without the CR of CRLF line ends."""
        value = SourcedStr.literal(self.text[start:end], start)
        if self.origin:
            value = SourcedStr.unknown(value.text)
        if "\r\n" not in value.text:
            return value
        keep = [i for i in range(len(value.text)) if not (value.text[i] == "\r" and value.text[i + 1:i + 2] == "\n")]
        return SourcedStr("".join(value.text[i] for i in keep), [value.offsets[i] for i in keep])

    def piece(self, k: int) -> SourcedStr:
        s, e, _ = self.lines[k]
        if self.origin:
            return SourcedStr.unknown(self.text[s:e])
        return SourcedStr.literal(self.text[s:e], s)

    def run(self) -> Makefile:
        k = 0
        n = len(self.lines)
        while k < n:
            k = self.line(k)
        for start, end, _ in self.conds:
            self.problems.append(Problem("missing 'endif'", start, end))
        if self.origin:
            for item in self.items:
                if isinstance(item, (Rule, Assignment)):
                    item.file = self.origin
        return Makefile(self.items, self.comments, self.problems, self.oneshell)

    def logical(self, k: int) -> Tuple[List[SourcedStr], int]:
        """The physical lines of the logical line starting at line ``k``."""
        pieces = [self.piece(k)]
        while k + 1 < len(self.lines) and _continued(self.text, self.lines[k][0], self.lines[k][1]):
            k += 1
            pieces.append(self.piece(k))
        return pieces, k + 1

    def line(self, k: int) -> int:
        text = self.text
        s, e, _ = self.lines[k]
        first = text[s:e]
        if first.startswith(self.prefix) and self.rule is not None:
            return self.recipe_line(k)
        bare = first.lstrip(" \t")
        if not bare or (bare[0] == "#" and not _continued(text, s, e)):  # blank, or a comment line
            if bare:
                self.comments.append((e - len(bare), e, True))
            return k + 1
        pieces, nxt = self.logical(k)
        line = _collapse(pieces)
        self.end = self.lines[nxt - 1][1]  # where the logical line ends
        body, hash_at = _strip_comment(line)
        if hash_at is not None:
            cstart = line.offsets[hash_at]
            own = not body.text.strip()
            self.comments.append((cstart, self.end, own))
        stripped = body.text.strip(" \t")
        lead = len(body.text) - len(body.text.lstrip(" \t"))
        if not stripped:
            return nxt
        m = _KEYWORD.match(body.text)
        if m is not None:
            done = self.directive(m.group(1), body, m.end(), k, nxt)
            if done is not None:
                return done
        if self.assignment(body, lead, s, self.end):
            return nxt
        if first.startswith(self.prefix) and not self.conds:
            self.problems.append(Problem("recipe commences before first target", s, e))
            return nxt
        idx, what = _scan_op(body.text, lead)
        if idx >= 0 and what in (":", "::"):
            self.rule_line(body, lead, idx, what, s, line, pieces)
            return nxt
        if "$" not in body.text and not self.conds:
            msg = "missing separator"
            if self.prefix == "\t" and first.startswith(" " * 8):
                msg += " (did you mean TAB instead of 8 spaces?)"
            self.problems.append(Problem(msg, s + lead, e))
        elif "$" in body.text:
            self.rule = None  # a line of expansions ($(eval ...), $(info ...)) ends the rule
        return nxt

    def recipe_line(self, k: int) -> int:
        rule = self.rule
        assert rule is not None
        pieces = [self.piece(k)[len(self.prefix):]]
        s = self.lines[k][0]
        while _continued(self.text, self.lines[k][0], self.lines[k][1]) and k + 1 < len(self.lines):
            k += 1
            nxt = self.piece(k)
            if nxt.text.startswith(self.prefix):
                nxt = nxt[len(self.prefix):]
            pieces.append(SourcedStr.unknown("\n") if self.origin else SourcedStr.literal("\n", self.lines[k - 1][1]))
            pieces.append(nxt)
        joined = SourcedStr.join(pieces)
        rule.recipe.append(RecipeLine(joined, s, self.lines[k][1]))
        return k + 1

    def directive(self, word: str, body: SourcedStr, after: int, k: int, nxt: int) -> Optional[int]:
        """Handle a directive line; None when the line is an assignment after all
        (``export X = 1``, ``override X := 2``, or a variable named like a keyword)."""
        t = body.text
        rest = t[after:].strip(" \t")
        s = self.lines[k][0]
        e = self.lines[nxt - 1][1]
        if word in _CONDITIONALS:
            self.conds.append((s, e, False))
            return nxt
        if word == "else":
            if not self.conds:
                self.problems.append(Problem("extraneous 'else'", s, e))
            else:
                start, end, seen = self.conds[-1]
                if seen and not rest:
                    self.problems.append(Problem("only one 'else' per conditional", s, e))
                self.conds[-1] = (start, end, not rest or seen)
            return nxt
        if word == "endif":
            if not self.conds:
                self.problems.append(Problem("extraneous 'endif'", s, e))
            else:
                self.conds.pop()
            return nxt
        if word == "endef":  # not a directive outside `define`: an ordinary line, and no rule
            if not self.conds:
                self.problems.append(Problem("missing separator", s, e))
            return nxt
        op_at, op = _scan_op(t, after)
        if word in ("export", "unexport", "override", "private") and op_at >= 0 and op in _ASSIGN_OPS:
            return None  # a modified assignment: handled by assignment()
        if word in ("export", "unexport", "override", "private") and rest.startswith("define"):
            return self.define(body, t.index("define", after) + len("define"), k, nxt, word)
        if word == "define":
            return self.define(body, after, k, nxt, "")
        if op_at >= 0 and op in _ASSIGN_OPS and not t[after:op_at].strip():
            return None  # `export = 1`: a variable named "export"
        self.rule = None
        if word in ("export", "unexport"):
            self.items.append(Directive(word, _words(rest), s))
        elif word in ("include", "-include", "sinclude"):
            self.items.append(Directive("include", _words(rest), s))
        elif word == "undefine":
            self.items.append(Directive(word, _words(rest)[-1:], s))
        return nxt

    def define(self, body: SourcedStr, after: int, k: int, nxt: int, modifier: str) -> int:
        """``define NAME [op]`` ... ``endef``: the lines between are the value."""
        self.rule = None
        head = body.text[after:].strip(" \t")
        op = "="
        for cand in _ASSIGN_OPS:
            if head.endswith(cand) and (len(cand) > len(op) or op == "="):
                if head.endswith(cand):
                    op = cand
        name = head[:len(head) - len(op)].strip() if head.endswith(op) else head
        s = self.lines[k][0]
        depth = 0
        j = nxt
        while j < len(self.lines):
            ls, le, _ = self.lines[j]
            word = self.text[ls:le].strip(" \t").split("#", 1)[0].strip()
            if word.split(None, 1)[:1] == ["define"] or re.match(r"(override|export|private)\s+define\b", word):
                depth += 1
            elif word == "endef":
                if depth == 0:
                    value = (self.span_text(self.lines[nxt][0], self.lines[j - 1][1]) if j > nxt
                             else SourcedStr.unknown(""))
                    self.items.append(Assignment(name, op, value, s, le,
                                                 export=True if modifier == "export" else None,
                                                 override=modifier == "override", conditional=bool(self.conds)))
                    return j + 1
                depth -= 1
            j += 1
        self.problems.append(Problem("missing 'endef', unterminated 'define'", s, self.lines[nxt - 1][1]))
        return len(self.lines)

    def assignment(self, body: SourcedStr, lead: int, s: int, e: int) -> bool:
        t = body.text
        pos = lead
        export: Optional[bool] = None
        override = False
        while True:
            m = re.match(r"(export|unexport|override|private)[ \t]+", t[pos:])
            if not m:
                break
            if m.group(1) == "export":
                export = True
            elif m.group(1) == "unexport":
                export = False
            elif m.group(1) == "override":
                override = True
            pos += m.end()
        idx, op = _scan_op(t, pos)
        if idx < 0 or op not in _ASSIGN_OPS:
            return False
        name = t[pos:idx].strip(" \t")
        if not name or not _NAME_OK.fullmatch(name):
            if "$" not in name:
                return False
        value = body[idx + len(op):]
        value = value[len(value.text) - len(value.text.lstrip(" \t")):]
        self.rule = None
        self.items.append(Assignment(name, op, value, s, e, export, override, conditional=bool(self.conds)))
        if name == ".RECIPEPREFIX":
            self.prefix = value.text.strip()[:1] or "\t"
        return True

    def static_pattern(self, t: str, after: int, s: int, line: SourcedStr) -> None:
        """``targets: pattern: prerequisites``: make stops when the pattern has no ``%``."""
        semi = _find_semicolon(t, 0)
        rest = t[:semi] if semi >= 0 else t
        idx, what = _scan_op(rest, after)
        if idx < 0 or what != ":" or self.conds:
            return
        pattern = rest[after:idx]
        if "%" not in pattern and "$" not in pattern:
            self.problems.append(Problem("target pattern contains no '%'", s, self.end))

    def rule_line(self, body: SourcedStr, lead: int, idx: int, what: str, s: int, line: SourcedStr,
                  pieces: List[SourcedStr]) -> None:
        t = body.text
        targets = _words(t[lead:idx])
        after = idx + len(what)
        # a target-specific assignment: `target: [export|override|private] VAR op value`
        probe = body[after:]
        lead2 = len(probe.text) - len(probe.text.lstrip(" \t"))
        saved = len(self.items)
        if self.assignment(probe, lead2, s, self.end):
            a = self.items[saved]
            if isinstance(a, Assignment) and ":" not in a.name:
                a.targets = targets
                return
            del self.items[saved:]
        self.static_pattern(t, after, s, line)
        if ".ONESHELL" in targets:
            self.oneshell = True
        semi = _find_semicolon(t, 0)
        prereqs = tuple(w for w in _words(t[after:semi] if semi >= 0 else t[after:]) if w != "|")
        rule = Rule(targets, s, self.end, prerequisites=prereqs)
        # an inline recipe: `targets: prerequisites ; recipe` (the raw text after the ';')
        raw = SourcedStr.join(_join_raw(pieces))
        semi = _find_semicolon(raw.text, len(raw.text) - len(raw.text.lstrip(" \t")))
        if semi >= 0:
            rest = raw[semi + 1:]
            rest = rest[len(rest.text) - len(rest.text.lstrip(" \t")):]
            if rest.text.strip():
                rule.recipe.append(RecipeLine(rest, rest.first_known(), rule.end))
        self.items.append(rule)
        self.rule = rule


def _join_raw(pieces: List[SourcedStr]) -> List[SourcedStr]:
    out: List[SourcedStr] = []
    for i, p in enumerate(pieces):
        if i:
            start = pieces[i - 1].extent()
            out.append(SourcedStr.literal("\n", start[1]) if start else SourcedStr.unknown("\n"))
        out.append(p)
    return out


def _find_semicolon(t: str, pos: int) -> int:
    """The ``;`` that starts an inline recipe: after the first ``:``, outside
    references, before any comment."""
    idx, _ = _scan_op(t, pos)
    if idx < 0:
        return -1
    depth = 0
    i = idx
    while i < len(t):
        c = t[i]
        if c == "$" and i + 1 < len(t) and t[i + 1] in "({":
            depth += 1
            i += 2
            continue
        if depth and c in ")}":
            depth -= 1
        elif not depth and c == "#":
            return -1
        elif not depth and c == ";":
            return i
        i += 1
    return -1


def read(text: str, origin: str = "") -> Makefile:
    """The makefile as make reads it; never raises on any text.  ``origin``
    names a file included by the one being read: its text then has no offsets
    (a value from it cannot be placed in, or fixed in, the file being read)."""
    return _Reader(text, origin).run()
