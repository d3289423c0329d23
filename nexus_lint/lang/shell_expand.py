"""Word evaluation for the shell analyser: quote removal, variable
expansion (``$X``, ``${X:-word}`` ...), ``$'...'`` escapes and field
splitting, with every character keeping its host offset.

:class:`WordEvaluator` is the half of the analyser that reads words; the walk
over the syntax tree (:mod:`nexus_lint.lang.shell_walk`) is the other half and
sets up the state both use.
"""

from __future__ import annotations

import re
from array import array
from typing import List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import UNKNOWN, SourcedStr
from nexus_lint.lang.shell_model import Assignment, Word, join_sourced

MAX_EVAL_DEPTH = 40  # nesting of ${A:-${B:-...}} and quotes inside them

_UNSET = object()  # env.get() default: the variable is not set
_IFS = lazy_re(r"[ \t\n]+")
_GLOB = lazy_re(r"[*]|\[[^\]]*\]|\{[^{}]*(?:,|\.\.)[^{}]*\}")
_DQ_ESCAPABLE = "$`\"\\"
_ANSI_ESCAPE = lazy_re(
    r"\\(?:([ntrabfvEe\\'\"?])|(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8})|([0-7]{1,3})|c(.))", re.S
)
_ANSI_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_DEFAULT_OPS = frozenset({":-", "-", ":=", "=", ":+", "+"})


MAX_PLACEHOLDER = 4096  # characters of an unknown expansion's text kept in the words that hold it

class OutOfBudget(Exception):
    """The work budget of an analysis is spent."""


class Shared:
    """State shared by an analysis and the nested ones it starts, and its bounds."""

    __slots__ = ("work", "truncated", "assignments", "budget", "parse_seconds")

    def __init__(self, budget: int, parse_seconds: float) -> None:
        self.budget = budget  # syntax nodes visited + word nodes evaluated
        self.parse_seconds = parse_seconds  # the longest tree-sitter may read one script
        self.work = 0
        self.truncated = False
        self.assignments: List[Assignment] = []


class _Builder:
    """Accumulates the pieces of one word (before field splitting)."""

    __slots__ = ("pieces", "known", "vars", "unquoted")

    def __init__(self) -> None:
        self.pieces: List[Tuple[SourcedStr, bool]] = []  # (text, splittable)
        self.known = True
        self.vars: List[str] = []
        self.unquoted: List[str] = []  # unquoted literal text, for glob/brace detection

    def add(self, s: SourcedStr, split: bool = False) -> None:
        if s.text:
            self.pieces.append((s, split))


class WordEvaluator:
    """Evaluates the words of one script (a mixin of the analyser, which sets
    ``script``, ``text``, ``src``, ``map``, ``clip``, ``env``, ``log`` and
    ``shared``)."""

    # -- helpers ----------------------------------------------------------------
    def tick(self, n: int = 1) -> None:
        shared = self.shared
        shared.work += n
        if shared.work > shared.budget:
            raise OutOfBudget()

    def chars(self, node) -> Tuple[int, int]:
        return self.map.char(node.start_byte), self.map.char(node.end_byte)

    def sourced(self, b0: int, b1: int) -> SourcedStr:
        return self.script[self.map.char(b0) : self.map.char(b1)]

    def btext(self, b0: int, b1: int) -> str:
        return self.text[self.map.char(b0) : self.map.char(b1)]

    def raw(self, b0: int, b1: int) -> SourcedStr:
        """The text as written, with offsets only where it is written in the host."""
        s = self.sourced(b0, b1)
        if self.clip is None:
            return s
        lo, hi = self.clip
        return SourcedStr(s.text, array("q", (o if lo <= o < hi else UNKNOWN for o in s.offsets)))

    def placeholder(self, b: _Builder, b0: int, b1: int) -> None:
        b.known = False
        text = self.btext(b0, b1)
        if len(text) > MAX_PLACEHOLDER:  # a huge `$(...)`: its ends say what it is; every word need not carry it
            text = text[:MAX_PLACEHOLDER // 2] + " ... " + text[-(MAX_PLACEHOLDER // 2):]
        b.add(SourcedStr.unknown(text))

    def set_var(self, name: str, value: object) -> None:
        self.env[name] = value
        self.log.append((name, value))

    def unset_var(self, name: str) -> None:
        if name in self.env:
            del self.env[name]
        self.log.append((name, None))

    # -- words --------------------------------------------------------------------
    def words(self, nodes: Sequence[object]) -> List[Word]:
        """Evaluate one written word (one or more adjacent nodes) into 0..n fields."""
        b0, b1 = nodes[0].start_byte, nodes[-1].end_byte
        if len(nodes) == 1 and nodes[0].type == "word":  # fast path: a plain word
            c0, c1 = self.map.char(b0), self.map.char(b1)
            text = self.text[c0:c1]
            if "\\" not in text and text[:1] != "~" and not _GLOB.search(text):
                self.tick()
                value = self.script[c0:c1]
                return [Word(value, True, value if self.clip is None else self.raw(b0, b1))]
        b = self.evaluate(nodes, b0, b1)
        raw = self.raw(b0, b1)
        if b.known and b.unquoted and _GLOB.search("".join(b.unquoted)):
            b.known = False
        vars_ = tuple(dict.fromkeys(b.vars))
        if not any(split and _IFS.search(s.text) for s, split in b.pieces):
            if not b.pieces and all(n.type in ("simple_expansion", "expansion") for n in nodes):
                return []  # an unquoted expansion to nothing is no word at all
            return [Word(join_sourced(p for p, _ in b.pieces), b.known, raw, vars_)]
        # field splitting of unquoted expansion results
        fields: List[List[SourcedStr]] = [[]]
        for s, split in b.pieces:
            if not split:
                fields[-1].append(s)
                continue
            pos = 0
            for m in _IFS.finditer(s.text):
                if m.start() > pos:
                    fields[-1].append(s[pos : m.start()])
                fields.append([])
                pos = m.end()
            if pos < len(s.text):
                fields[-1].append(s[pos:])
        return [Word(join_sourced(f), b.known, raw, vars_) for f in fields if f]

    def evaluate(self, nodes, b0: int, b1: int, *, assign: bool = False) -> _Builder:
        b = _Builder()
        self.seq(b, nodes, b0, b1, quoted=False, split=False, assign=assign, depth=0)
        return b

    def seq(self, b: _Builder, nodes, b0: int, b1: int, *, quoted: bool, split: bool, assign: bool,
            depth: int) -> None:
        """Evaluate ``nodes`` in order; text between them (within b0..b1) is literal."""
        pos = b0
        k = 0
        n = len(nodes)
        while k < n:
            node = nodes[k]
            if node.start_byte > pos:
                self.gap(b, pos, node.start_byte, quoted, split)
            t = node.type
            if t == "$" and k + 1 < n and nodes[k + 1].start_byte == node.end_byte and nodes[k + 1].type == "string":
                pos = node.end_byte  # $"..." (translated string) is "..."
                k += 1
                continue
            self.node(b, node, quoted=quoted, split=split, assign=assign, depth=depth)
            pos = max(pos, node.end_byte)
            k += 1
        if b1 > pos:
            self.gap(b, pos, b1, quoted, split)

    def gap(self, b: _Builder, b0: int, b1: int, quoted: bool, split: bool) -> None:
        gap = self.src[b0:b1]
        if gap in (b"\\\n", b"\\\r\n"):
            return
        if quoted:
            self.dq_literal(b, b0, b1, split)
        else:
            self.literal(b, b0, b1, split)

    def node(self, b: _Builder, node, *, quoted: bool, split: bool, assign: bool, depth: int) -> None:
        self.tick()
        if depth > MAX_EVAL_DEPTH:
            self.placeholder(b, node.start_byte, node.end_byte)
            return
        t = node.type
        if t in ("word", "number", "$", "extglob_pattern"):
            if quoted:
                self.dq_literal(b, node.start_byte, node.end_byte, split)
                return
            first = not b.pieces
            self.literal(b, node.start_byte, node.end_byte, split)
            if first and t == "word" and self.text.startswith("~", self.map.char(node.start_byte)):
                b.known = False  # ~ and ~user expand to a home directory
        elif t == "string_content":
            self.dq_literal(b, node.start_byte, node.end_byte, split)
        elif t == "raw_string":
            b0, b1 = node.start_byte, node.end_byte
            if self.src[b0:b0 + 1] == b"'":
                b0 += 1
            if b1 > b0 and self.src[b1 - 1:b1] == b"'":
                b1 -= 1
            b.add(self.sourced(b0, b1), split)
        elif t == "ansi_c_string":
            self.ansi_c(b, node, split)
        elif t in ("string", "translated_string"):
            b0, b1 = node.start_byte, node.end_byte
            kids = [c for c in node.children if c.is_named or c.type == "$"]
            start = b0 + (2 if self.src[b0:b0 + 1] == b"$" else 1)
            end = b1 - 1 if b1 - 1 >= start and self.src[b1 - 1:b1] == b'"' else b1
            self.seq(b, kids, start, end, quoted=True, split=False, assign=assign, depth=depth + 1)
        elif t == "concatenation":
            kids = [c for c in node.children if c.is_named or c.type == "$"]
            self.seq(b, kids, node.start_byte, node.end_byte, quoted=quoted, split=split, assign=assign,
                     depth=depth + 1)
        elif t == "simple_expansion":
            kids = node.named_children
            if len(kids) == 1 and kids[0].type == "variable_name":
                name = self.btext(kids[0].start_byte, kids[0].end_byte)
                self.lookup(b, name, node, quoted=quoted, assign=assign)
            else:
                self.placeholder(b, node.start_byte, node.end_byte)
        elif t == "expansion":
            self.expansion(b, node, quoted=quoted, assign=assign, depth=depth)
        else:
            # $(...), `...`, <(...), $((...)), brace expressions, ERROR, ...
            self.placeholder(b, node.start_byte, node.end_byte)

    def lookup(self, b: _Builder, name: str, node, *, quoted: bool, assign: bool) -> None:
        value = self.env.get(name, _UNSET)
        if isinstance(value, SourcedStr):
            b.vars.append(name)
            b.add(value, not quoted and not assign)
        else:
            self.placeholder(b, node.start_byte, node.end_byte)

    def expansion(self, b: _Builder, node, *, quoted: bool, assign: bool, depth: int) -> None:
        kids = node.children
        inner = kids[1:-1] if len(kids) >= 2 and kids[0].type == "${" and kids[-1].type == "}" else None
        if not inner or inner[0].type != "variable_name":
            self.placeholder(b, node.start_byte, node.end_byte)
            return
        name = self.btext(inner[0].start_byte, inner[0].end_byte)
        if len(inner) == 1:
            self.lookup(b, name, node, quoted=quoted, assign=assign)
            return
        op = inner[1]
        if op.is_named or op.type not in _DEFAULT_OPS:
            self.placeholder(b, node.start_byte, node.end_byte)
            return
        value = self.env.get(name, _UNSET)
        if value is None:  # assigned, value unknown
            self.placeholder(b, node.start_byte, node.end_byte)
            return
        colon = op.type.startswith(":")
        unset = value is _UNSET or (colon and isinstance(value, SourcedStr) and not value.text)
        kind = op.type.lstrip(":")
        if kind == "+":
            if unset:
                return  # expands to nothing
            use_word = True
        else:
            use_word = unset
        if not use_word:
            b.vars.append(name)
            b.add(value, not quoted and not assign)
            return
        # evaluate the word after the operator (to the closing brace)
        rest = [c for c in inner[2:] if c.is_named or c.type == "$"]
        sub = _Builder()
        self.seq(sub, rest, op.end_byte, kids[-1].start_byte, quoted=quoted, split=not quoted and not assign,
                 assign=assign, depth=depth + 1)
        if kind in ("-", "="):
            b.vars.append(name)
        b.vars.extend(sub.vars)
        b.unquoted.extend(sub.unquoted)
        if not sub.known:
            b.known = False
        b.pieces.extend(sub.pieces)
        if kind == "=":
            self.set_var(name, join_sourced(p for p, _ in sub.pieces) if sub.known else None)

    def literal(self, b: _Builder, b0: int, b1: int, split: bool) -> None:
        """Unquoted text: backslash quotes the next character; backslash-newline vanishes."""
        c0, c1 = self.map.char(b0), self.map.char(b1)
        text = self.text[c0:c1]
        if "\\" not in text:
            b.add(self.script[c0:c1], split)
            b.unquoted.append(text)
            return
        value, seen = self._unescape(text, c0, None)
        b.add(value, split)
        b.unquoted.append(seen)

    def dq_literal(self, b: _Builder, b0: int, b1: int, split: bool) -> None:
        """Text inside double quotes: backslash escapes only $ ` " \\ and newline."""
        c0, c1 = self.map.char(b0), self.map.char(b1)
        text = self.text[c0:c1]
        if "\\" not in text:
            b.add(self.script[c0:c1], split)
            return
        b.add(self._unescape(text, c0, _DQ_ESCAPABLE)[0], split)

    def _unescape(self, text: str, c0: int, escapable: Optional[str]) -> Tuple[SourcedStr, str]:
        """Backslash removal with offsets (``escapable`` None: any character).

        Also returns the text with escaped characters as ``_``, which tells
        unquoted glob characters from escaped ones.
        """
        out: List[str] = []
        offs = array("q")
        seen: List[str] = []
        src_offs = self.script.offsets
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "\n":
                    i += 2
                    continue
                if nxt == "\r" and i + 2 < n and text[i + 2] == "\n":
                    i += 3
                    continue
                if escapable is None or nxt in escapable:
                    out.append(nxt)
                    offs.append(src_offs[c0 + i + 1])
                    seen.append("_")
                    i += 2
                    continue
            out.append(ch)
            offs.append(src_offs[c0 + i])
            seen.append(ch)
            i += 1
        return SourcedStr("".join(out), offs), "".join(seen)

    def ansi_c(self, b: _Builder, node, split: bool) -> None:
        """``$'...'``: C escapes decoded; a decoded character has no single source offset."""
        c0, c1 = self.chars(node)
        text = self.text[c0:c1]
        start = 2 if text.startswith("$'") else 0
        end = len(text) - 1 if text.endswith("'") and len(text) > start else len(text)
        out: List[str] = []
        offs = array("q")
        src_offs = self.script.offsets
        pos = start
        for m in _ANSI_ESCAPE.finditer(text, start, end):
            out.append(text[pos : m.start()])
            offs.extend(src_offs[c0 + pos : c0 + m.start()])
            simple, hex_, octal, ctrl = m.groups()
            if simple:
                out.append(_ANSI_SIMPLE[simple])
            elif ctrl:
                out.append(chr(ord(ctrl) & 0x1F))
            else:
                code = int(octal, 8) if octal else int(hex_[1:], 16)
                out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd")
            offs.append(UNKNOWN)
            pos = m.end()
        out.append(text[pos:end])
        offs.extend(src_offs[c0 + pos : c0 + end])
        b.add(SourcedStr("".join(out), offs), split)

