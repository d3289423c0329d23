"""The one shell analyser every host feeds (``.sh`` files, Dockerfile ``RUN``,
CI ``script:``/``run:`` blocks, ``package.json`` scripts).

A host hands :func:`analyse` the shell text as a :class:`SourcedStr` whose
characters carry offsets into the host file.  The text is parsed with
tree-sitter-bash (imported on first use) and walked once, in source order:

* every simple command, wherever it sits (pipelines, ``&&``/``||`` lists,
  subshells, ``if``/``for``/``while``/``case`` bodies, functions, ``$(...)``,
  backticks, process substitutions, heredoc redirect lines) becomes a
  :class:`Command` whose words are quote-removed and variable-expanded;
* ``NAME=value``, ``export``/``declare``/``local``/``readonly``/``typeset``
  assignments are applied in order (linear, no control-flow merging: a later
  assignment wins from that point on); ``unset``, ``read``, ``printf -v``
  make a variable unset or unknown;
* ``for NAME in a b c`` over at most ``MAX_UNROLL`` known words walks the loop
  body once per word (so each iteration's commands are seen with NAME bound);
  any other loop variable is unknown;
* the script of ``sh -c '...'``, ``bash -c``, ``eval ...``, ``su -c`` and
  ``ssh host '...'`` is analysed again, as shell, with its offsets kept
  (bounded depth), so ``bash -c "docker push $IMG"`` is a ``docker push``;
* ``comment`` nodes are collected (a ``#`` inside quotes is not a comment).

Characters of an expanded word keep the offsets of the literal they came from:
``REG=host:8444; docker push "$REG/app"`` gives ``host:8444/app`` whose first
nine characters point into the assignment.  A part whose value is unknown (an
unknown or unset variable, ``$(...)``, an arithmetic expansion, ``~``, a glob or
brace expansion) makes the word ``known=False``; the value then holds that
part's text as written, with offset -1, so a partly known word can still be
read by a rule that wants to (but never edited there).

Nothing here raises: malformed input gives ``has_errors`` (the tree is still
used), and hostile input is bounded (a parse deadline, a work budget, a bound
on expansion depth and on nested ``sh -c`` analysis); an analysis that was cut
short says so in ``problem`` and ``truncated``.
"""

from __future__ import annotations

import bisect
import re
import time
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import UNKNOWN, SourcedStr

__all__ = ["Word", "Command", "Comment", "Assignment", "ShellAnalysis", "EnvView", "analyse"]

# -- bounds --------------------------------------------------------------------
PARSE_SECONDS = 3.0  # tree-sitter stops reading input after at most this long (0.5 s + 1 s per MB)
WORK_BUDGET = 400_000  # syntax nodes visited + word nodes evaluated, per analysis tree
MAX_EVAL_DEPTH = 40  # nesting of ${A:-${B:-...}} and quotes inside them
MAX_NESTING = 3  # sh -c "sh -c '...'" levels analysed
MAX_UNROLL = 8  # a for loop over at most this many known words is walked once per word
MAX_ERROR_SPANS = 100


# -----------------------------------------------------------------------------
# Public model
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Comment:
    """A shell comment: its text (``#`` included, no line ending) and host span."""

    text: SourcedStr
    start: int
    end: int


@dataclass(frozen=True)
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


@dataclass
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


@dataclass
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


# -----------------------------------------------------------------------------
# tree-sitter, loaded lazily
# -----------------------------------------------------------------------------

_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter

        _PARSER = tree_sitter.Parser(tree_sitter.Language(_bash_language()))
    return _PARSER


def _bash_language():
    """``tree_sitter_bash.language()``, from the compiled grammar itself: the
    package's ``__init__`` imports importlib.resources (and tempfile, shutil,
    bz2 ...) for query files nobody here reads, 4 ms of every start."""
    import importlib.machinery
    import os

    try:
        spec = importlib.machinery.PathFinder.find_spec("tree_sitter_bash")
        for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = os.path.join(folder, "_binding" + suffix)
                if os.path.isfile(path):
                    loader = importlib.machinery.ExtensionFileLoader("tree_sitter_bash._binding", path)
                    module = loader.create_module(importlib.machinery.ModuleSpec(loader.name, loader, origin=path))
                    loader.exec_module(module)
                    return module.language()
    except Exception:  # any other layout: the package's own way
        pass
    import tree_sitter_bash

    return tree_sitter_bash.language()


def _parse(src: bytes):
    """Parse with a deadline: past it, tree-sitter is told the input has ended."""
    parser = _parser()
    # tree-sitter's error recovery can re-read the input quadratically often
    # (``a&amp;amp;...``: 3.7 s for 40 KB; ``|-|-|-...``: 3 s for 8 KB), so the
    # input is read through a callback, which tree-sitter calls all along, with
    # a deadline that grows with the script: a normal parse runs at several MB/s.
    if len(src) < 512:
        return parser.parse(src), False
    deadline = time.monotonic() + min(PARSE_SECONDS, 0.5 + len(src) / 1_000_000)
    stopped = [False]

    def read(offset, _point):
        if stopped[0] or time.monotonic() > deadline:
            stopped[0] = True
            return b""
        return src[offset : offset + 4096]  # small: a re-read copies little

    return parser.parse(read), stopped[0]


# -----------------------------------------------------------------------------
# Byte offsets (tree-sitter) -> character indices (script.text)
# -----------------------------------------------------------------------------

_NON_ASCII = lazy_re(r"[^\x00-\x7f]")
_ABOVE_LATIN1 = lazy_re(r"[^\x00-\xff]")


def _tree_sitter_bytes(text: str) -> bytes:
    """The UTF-8 bytes tree-sitter parses, each character above U+00FF
    replaced by as many DEL bytes as its UTF-8 encoding has.

    tree-sitter-bash's scanner hands the lookahead code point to ``isdigit``
    (``brace_start``), which reads outside the C library's table for code
    points above 255: ``{..`` before a character of planes 3-16 crashes the
    process (SIGSEGV; tree-sitter-bash issue #337, fix pending in PR #348).
    Bash gives no character above U+00FF a meaning, and DEL is a plain word
    character to both, so the tree is the same shape; byte offsets do not
    move, and every value is read from the text, never from these bytes.
    """
    if text.isascii():
        return text.encode("ascii")
    return _ABOVE_LATIN1.sub(lambda m: "\x7f" * len(m.group().encode("utf-8", "surrogatepass")), text).encode(
        "utf-8", "surrogatepass")


class _ByteMap:
    __slots__ = ("ends", "extra", "n")

    def __init__(self, text: str) -> None:
        self.n = len(text)
        self.ends: Optional[List[int]] = None
        if text.isascii():
            return
        ends: List[int] = []
        extra: List[int] = []
        total = 0
        for m in _NON_ASCII.finditer(text):
            o = ord(m.group())
            size = 2 if o < 0x800 else 3 if o < 0x10000 else 4
            byte_end = m.start() + total + size
            total += size - 1
            ends.append(byte_end)
            extra.append(total)
        self.ends = ends
        self.extra = extra

    def char(self, b: int) -> int:
        if self.ends is None:
            c = b
        else:
            k = bisect.bisect_right(self.ends, b) - 1
            c = b - (self.extra[k] if k >= 0 else 0)
        return 0 if c < 0 else self.n if c > self.n else c


# -----------------------------------------------------------------------------
# Word evaluation
# -----------------------------------------------------------------------------

_UNSET = object()  # env.get() default: the variable is not set
_IFS = lazy_re(r"[ \t\n]+")
_GLOB = lazy_re(r"[*]|\[[^\]]*\]|\{[^{}]*(?:,|\.\.)[^{}]*\}")
_NAME = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DQ_ESCAPABLE = "$`\"\\"
_ANSI_ESCAPE = lazy_re(
    r"\\(?:([ntrabfvEe\\'\"?])|(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8})|([0-7]{1,3})|c(.))", re.S
)
_ANSI_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_LEAF_TYPES = frozenset({
    "word", "number", "raw_string", "ansi_c_string", "string_content", "variable_name",
    "special_variable_name", "heredoc_content", "heredoc_start", "heredoc_end", "regex",
    "file_descriptor", "test_operator", "comment", "extglob_pattern",
})
_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect", "redirect"})
_DEFAULT_OPS = frozenset({":-", "-", ":=", "=", ":+", "+"})


class _Budget(Exception):
    pass


class _Shared:
    """State shared by an analysis and the nested ones it starts."""

    __slots__ = ("work", "truncated", "assignments")

    def __init__(self) -> None:
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


class _Analyser:
    def __init__(self, script: SourcedStr, env: Dict[str, object], shared: _Shared, depth: int,
                 commands: List[Command], clip: Optional[Tuple[int, int]] = None) -> None:
        self.script = script
        # A nested script (`sh -c "..."`) is a word's value: some of its characters
        # may stand elsewhere (a variable's literal).  Spans of what is *written*
        # there (raw words, commands) are kept inside the outer word: ``clip``.
        self.clip = clip
        self.text = script.text
        self.src = _tree_sitter_bytes(script.text)
        self.map = _ByteMap(script.text)
        self.env = env  # name -> SourcedStr (known), None (unknown); absent = unset
        self.base = dict(env)
        self.log: List[Tuple[str, object]] = []
        self.shared = shared
        self.depth = depth
        self.commands = commands
        self.comments: List[Comment] = []
        self.errors: List[Tuple[int, int]] = []
        self.error_bytes = 0
        self.seen_errors: set = set()
        self.pipes: Dict[Tuple[int, int], Dict[Tuple[int, int], int]] = {}  # pipeline span -> child span -> index

    # -- helpers ----------------------------------------------------------------
    def tick(self, n: int = 1) -> None:
        self.shared.work += n
        if self.shared.work > WORK_BUDGET:
            raise _Budget()

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

    def host_span(self, b0: int, b1: int) -> Tuple[int, int]:
        c0, c1 = self.map.char(b0), self.map.char(b1)
        offs = self.script.offsets
        start = offs[c0] if c0 < len(offs) else UNKNOWN
        end = offs[c1 - 1] + 1 if c1 > c0 and offs[c1 - 1] >= 0 else UNKNOWN
        if self.clip is not None:
            lo, hi = self.clip
            start = start if lo <= start < hi else lo
            end = end if lo < end <= hi else hi
        return start, end

    def placeholder(self, b: _Builder, b0: int, b1: int) -> None:
        b.known = False
        b.add(SourcedStr.unknown(self.btext(b0, b1)))

    def set_var(self, name: str, value: object) -> None:
        self.env[name] = value
        self.log.append((name, value))

    def unset_var(self, name: str) -> None:
        if name in self.env:
            del self.env[name]
        self.log.append((name, None))

    # -- the walk ---------------------------------------------------------------
    def run(self, root) -> None:
        stack = [(root, "", False)]
        pop = stack.pop
        push = stack.append
        while stack:
            node, parent, in_error = pop()
            if node is None:  # a marker left by an unrolled for loop: NAME=value
                self.set_var(parent, in_error)
                continue
            self.tick()
            t = node.type
            if t == "comment":
                if self.depth == 0:
                    self.comment(node)
                continue
            if t in _LEAF_TYPES or not node.is_named:
                continue
            if t == "ERROR":
                self.error(node, in_error)
                in_error = True
            elif t == "command":
                self.command(node)
            elif t == "variable_assignment":
                if parent not in ("command", "declaration_command"):
                    self.assignment(node)
            elif t == "declaration_command":
                self.declaration(node)
            elif t == "unset_command":
                for ch in node.named_children:
                    if ch.type == "variable_name":
                        self.unset_var(self.btext(ch.start_byte, ch.end_byte))
            elif t == "for_statement":
                if self.for_loop(node, push, in_error):
                    continue
            children = node.named_children
            for k in range(len(children) - 1, -1, -1):
                push((children[k], t, in_error))

    def for_loop(self, node, push, in_error: bool) -> bool:
        """``for NAME in a b c; do BODY; done`` over known words: walk BODY once per word.

        Returns False (the caller walks the node once, NAME unknown) otherwise.
        """
        var = node.child_by_field_name("variable")
        if var is None:
            return False
        name = self.btext(var.start_byte, var.end_byte)
        body = node.child_by_field_name("body")
        values = node.children_by_field_name("value")
        items: List[Word] = []
        if body is not None and values and node.children[0].type == "for":
            for group in self.group(values):
                items.extend(self.words(group))
        if not items or len(items) > MAX_UNROLL or not all(w.known for w in items):
            self.set_var(name, None)
            return False
        push((None, name, items[-1].value))  # after the loop NAME keeps the last word
        for w in reversed(items):
            push((body, "for_statement", in_error))
            push((None, name, w.value))
        return True

    def group(self, nodes) -> List[List[object]]:
        """Adjacent nodes (nothing, or only a line continuation, between them) make one word."""
        groups: List[List[object]] = []
        last = None
        for ch in nodes:
            if last is not None and self.adjacent(last.end_byte, ch.start_byte):
                groups[-1].append(ch)
            else:
                groups.append([ch])
            last = ch
        return groups

    def error(self, node, in_error: bool) -> None:
        key = (node.start_byte, node.end_byte)
        if key in self.seen_errors:  # a for loop's body is walked once per word
            return
        self.seen_errors.add(key)
        good = 0
        for ch in node.children:
            if ch.is_named:
                good += ch.end_byte - ch.start_byte
        self.error_bytes += max(0, node.end_byte - node.start_byte - good)
        if not in_error and len(self.errors) < MAX_ERROR_SPANS:
            self.errors.append(self.host_span(node.start_byte, node.end_byte))

    def comment(self, node) -> None:
        b0, b1 = node.start_byte, node.end_byte
        c0, c1 = self.map.char(b0), self.map.char(b1)
        while c1 > c0 and self.text[c1 - 1] in "\r\n":
            c1 -= 1
        text = self.script[c0:c1]
        start = text.offsets[0] if len(text) else UNKNOWN
        end = text.offsets[-1] + 1 if len(text) and text.offsets[-1] >= 0 else UNKNOWN
        self.comments.append(Comment(text, start, end))

    # -- assignments --------------------------------------------------------------
    def assignment_value(self, node) -> Tuple[str, object]:
        """(name, value or None if unknown) of a variable_assignment; name "" if not a plain variable."""
        name_node = node.child_by_field_name("name")
        if name_node is None or name_node.type != "variable_name":
            return "", None
        name = self.btext(name_node.start_byte, name_node.end_byte)
        append = False
        for ch in node.children:
            if not ch.is_named and ch.type == "+=":
                append = True
        value_node = node.child_by_field_name("value")
        if value_node is None:
            value: object = SourcedStr("")
        elif value_node.type == "array":
            value = None
        else:
            start = value_node.start_byte
            # everything after '=' up to the end of the assignment is the value
            nodes = [c for c in node.children if c.start_byte >= start and (c.is_named or c.type == "$")]
            b = self.evaluate(nodes, start, node.end_byte, assign=True)
            value = _join(p for p, _ in b.pieces) if b.known else None
        if append:
            old = self.env.get(name)
            if isinstance(old, SourcedStr) and isinstance(value, SourcedStr):
                value = old + value
            elif name in self.env or value is None:
                value = None
        return name, value

    def assignment(self, node) -> None:
        name, value = self.assignment_value(node)
        if name:
            self.set_var(name, value)
            self.record(node, name, value)

    def record(self, node, name: str, value: object) -> None:
        """Keep ``NAME=value`` for readers of assignments (credentials)."""
        v = node.child_by_field_name("value")
        raw = self.raw(v.start_byte, node.end_byte) if v is not None else SourcedStr("")
        self.shared.assignments.append(
            Assignment(name, value if isinstance(value, SourcedStr) else None, raw, self.depth))

    def declaration(self, node) -> None:
        keyword = node.children[0].type if node.child_count else ""
        arrays = False
        for ch in node.named_children:
            t = ch.type
            if t == "word":
                flag = self.btext(ch.start_byte, ch.end_byte)
                if flag.startswith("-") and ("a" in flag or "A" in flag):
                    arrays = True
            elif t == "variable_assignment":
                name, value = self.assignment_value(ch)
                if name:
                    self.set_var(name, None if arrays else value)
                    self.record(ch, name, None if arrays else value)
            elif t == "variable_name" and keyword in ("local", "declare", "typeset"):
                self.unset_var(self.btext(ch.start_byte, ch.end_byte))

    # -- commands -----------------------------------------------------------------
    def command(self, node) -> None:
        prefix: Dict[str, object] = {}
        name_nodes: List[object] = []
        args: List[object] = []
        stdin_node = None
        for ch in node.children:
            t = ch.type
            if t == "herestring_redirect":
                stdin_node = ch
            elif t == "variable_assignment" and not name_nodes:
                name, value = self.assignment_value(ch)
                if name:
                    prefix[name] = value
                    self.record(ch, name, value)
            elif t == "command_name":
                name_nodes = [c for c in ch.children if c.is_named or c.type == "$"] or [ch]
            elif t not in _REDIRECTS and (ch.is_named or t == "$"):
                args.append(ch)
        argv: List[Word] = []
        for group in ([name_nodes] if name_nodes else []) + self.group(args):
            argv.extend(self.words(group))
        start, end = self.host_span(node.start_byte, node.end_byte)
        if not argv:
            for name, value in prefix.items():  # `A=1 B=2` parsed as a command with no words
                self.set_var(name, value)
            return
        argv, env_words = _skip_prefixes(argv)
        for w in env_words:
            name, _, _ = w.value.text.partition("=")
            prefix[name] = w.sub(len(name) + 1).value if w.known else None
            self.shared.assignments.append(Assignment(name, prefix[name], w.sub(len(name) + 1).raw, self.depth))
        name = _basename(argv[0])
        env = EnvView(self.base, self.log, len(self.log), prefix or None)
        cmd = Command(name, argv, start, end, env, self.depth, self.pipe_position(node), self.stdin(node, stdin_node))
        self.commands.append(cmd)
        self.after_command(cmd)

    def stdin(self, node, herestring) -> Optional[Word]:
        """The word a here-string or a heredoc gives ``node`` (a command) on its standard input."""
        if herestring is not None:
            words = self.words([c for c in herestring.children if c.is_named or c.type == "$"] or [herestring])
            return words[0] if len(words) == 1 else None
        parent = node.parent
        if parent is None or parent.type != "redirected_statement":
            return None
        for red in parent.children:
            if red.type != "heredoc_redirect":
                continue
            kids = red.children
            start = next((c for c in kids if c.type == "heredoc_start"), None)
            body = next((c for c in kids if c.type == "heredoc_body"), None)
            if start is None or body is None:
                return None
            b0, b1 = body.start_byte, body.end_byte
            while b1 > b0 and self.src[b1 - 1:b1] in (b"\n", b"\r"):
                b1 -= 1  # the line break before the delimiter (docker login trims it too)
            quoted = self.src[start.start_byte:start.start_byte + 1] in (b"'", b'"', b"\\")
            text = self.sourced(b0, b1)
            known = quoted or not body.named_children  # an unquoted delimiter expands $x, $(...)
            return Word(text, known, text)
        return None

    def pipe_position(self, node) -> Optional[Tuple[Tuple[int, int], int]]:
        child, parent = node, node.parent
        if parent is not None and parent.type == "redirected_statement":
            child, parent = parent, parent.parent
        if parent is None or parent.type != "pipeline":
            return None
        # each pipeline's children are indexed once: a pipeline of n commands
        # costs n, not n squared (`a | b | c | ...` thousands long)
        key = (parent.start_byte, parent.end_byte)
        index = self.pipes.get(key)
        if index is None:
            index = self.pipes[key] = {(c.start_byte, c.end_byte): k for k, c in enumerate(parent.named_children)}
        k = index.get((child.start_byte, child.end_byte))
        return None if k is None else ((id(self), parent.start_byte), k)

    def adjacent(self, b_end: int, b_start: int) -> bool:
        if b_end == b_start:
            return True
        gap = self.src[b_end:b_start]
        return gap in (b"\\\n", b"\\\r\n")

    def after_command(self, cmd: Command) -> None:
        """Builtins that change variables, and commands that run a script string."""
        name, argv = cmd.name, cmd.argv
        if name == "read":
            for w in _positionals(argv[1:], _READ_VALUED):
                if _NAME.match(w.value.text):
                    self.set_var(w.value.text, None)
        elif name == "unset":
            for w in argv[1:]:
                if _NAME.match(w.value.text):
                    self.unset_var(w.value.text)
        elif name == "printf":
            for k, w in enumerate(argv[1:-1], 1):
                if w.value.text == "-v" and _NAME.match(argv[k + 1].value.text):
                    self.set_var(argv[k + 1].value.text, None)
        words = _script_words(cmd)
        if words and self.depth < MAX_NESTING:
            extents = [e for e in (w.raw.extent() for w in words) if e is not None]
            clip = (min(e[0] for e in extents), max(e[1] for e in extents)) if extents else (UNKNOWN, UNKNOWN)
            self.nested(_spaced(words), clip)

    def nested(self, script: SourcedStr, clip: Tuple[int, int]) -> None:
        env = dict(self.env)
        inner = _Analyser(script, env, self.shared, self.depth + 1, self.commands, clip)
        tree, stopped = _parse(inner.src)
        if stopped:
            self.shared.truncated = True
        if tree is not None:
            inner.run(tree.root_node)

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
            return [Word(_join(p for p, _ in b.pieces), b.known, raw, vars_)]
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
        return [Word(_join(f), b.known, raw, vars_) for f in fields if f]

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
            self.set_var(name, _join(p for p, _ in sub.pieces) if sub.known else None)

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


def _join(parts) -> SourcedStr:
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    return SourcedStr.join(parts)


def _basename(word: Word) -> str:
    if not word.known:
        return ""
    return word.value.text.rstrip("/").rsplit("/", 1)[-1]


# -----------------------------------------------------------------------------
# Command prefixes and script-running commands
# -----------------------------------------------------------------------------

# prefix -> options that take a value
_PREFIXES: Dict[str, frozenset] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-R", "-T", "--user", "--group",
                       "--close-from", "--chdir", "--host", "--prompt", "--role", "--type", "--other-user",
                       "--chroot", "--command-timeout"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "exec": frozenset({"-a"}),
    "time": frozenset({"-f", "--format", "-o", "--output"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nohup": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p", "--class", "--classdata", "--pid"}),
    "stdbuf": frozenset({"-i", "-o", "-e", "--input", "--output", "--error"}),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
}
_ENV_WORD = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*=")
_READ_VALUED = frozenset({"-p", "-a", "-d", "-t", "-n", "-N", "-u", "-i"})
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "busybox-sh"})
_SSH_VALUED = frozenset({"-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-I",
                         "-m", "-O", "-Q", "-S", "-W", "-w", "-B"})


def _skip_prefixes(argv: List[Word]) -> Tuple[List[Word], List[Word]]:
    """Drop ``sudo``/``env X=1``/``exec``/``time``/... to reach the command that runs.

    Returns the remaining argv and the ``NAME=value`` words given to ``env``.
    """
    env_words: List[Word] = []
    i = 0
    n = len(argv)
    for _ in range(16):
        if i >= n:
            break
        name = _basename(argv[i])
        valued = _PREFIXES.get(name)
        if valued is None:
            break
        j = i + 1
        while j < n:
            w = argv[j]
            t = w.value.text
            if t == "--":
                j += 1
                break
            if name == "command" and t in ("-v", "-V"):
                return argv[i:], env_words  # `command -v docker` runs nothing
            if (name in ("env", "sudo")) and w.known and _ENV_WORD.match(t):
                env_words.append(w)
                j += 1
                continue
            if not t.startswith("-") or t == "-" or not w.known:
                break
            j += _option_words(t, valued)
        if name == "timeout" and j < n:
            j += 1  # the duration
        if j >= n:
            break  # nothing after the prefix: keep it as the command
        i = j
    return argv[i:], env_words


def _option_words(t: str, valued: frozenset) -> int:
    """Words taken by option word ``t``: 2 when its value is the next word, else 1.

    Short options may be clustered (``-iu root``): a valued one takes the rest
    of the word, or the next word when it ends the cluster.
    """
    if t.startswith("--"):
        return 2 if t in valued else 1
    for k in range(1, len(t)):
        if "-" + t[k] in valued:
            return 2 if k == len(t) - 1 else 1
    return 1


def _positionals(args: Sequence[Word], valued: frozenset) -> List[Word]:
    out: List[Word] = []
    skip = False
    for w in args:
        if skip:
            skip = False
            continue
        t = w.value.text
        if t.startswith("-") and len(t) > 1:
            if t in valued:
                skip = True
            continue
        out.append(w)
    return out


def _script_words(cmd: Command) -> List[Word]:
    """The words that make the shell text a command runs (joined by spaces):
    ``sh -c TEXT``, ``eval ARGS``, ``su -c TEXT``, ``ssh HOST ARGS``."""
    name, argv = cmd.name, cmd.argv
    if name in _SHELLS:
        c_flag = False
        k = 1
        while k < len(argv):
            t = argv[k].value.text
            if t in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                k += 2
                continue
            if t == "--" or t == "-":
                k += 1
                break
            if t.startswith("--"):
                k += 1
                continue
            if len(t) > 1 and t[0] in "-+" and t[1:].isalpha():
                if "c" in t[1:] and t[0] == "-":
                    c_flag = True
                k += 1
                continue
            break
        if c_flag and k < len(argv):
            return [argv[k]]
        return []
    if name == "eval":
        return argv[1:]
    if name == "su":
        for k in range(1, len(argv) - 1):
            if argv[k].value.text in ("-c", "--command"):
                return [argv[k + 1]]
        return []
    if name == "ssh":
        k = 1
        while k < len(argv):
            t = argv[k].value.text
            if t == "--":
                k += 1
                break
            if not t.startswith("-") or len(t) < 2:
                break
            k += _option_words(t, _SSH_VALUED)
        return argv[k + 1:]  # argv[k] is the destination
    return []


def _spaced(words: Sequence[Word]) -> SourcedStr:
    parts: List[SourcedStr] = []
    for k, w in enumerate(words):
        if k:
            parts.append(SourcedStr.unknown(" "))
        parts.append(w.value)
    return _join(parts) if parts else SourcedStr("")


# -----------------------------------------------------------------------------
# Entry point
# -----------------------------------------------------------------------------


def analyse(script: SourcedStr, env: Optional[Mapping] = None) -> ShellAnalysis:
    """Analyse shell text; never raises (see the module docstring for the bounds)."""
    commands: List[Command] = []
    try:
        try:
            _parser()
        except ImportError as exc:  # pragma: no cover - an installation problem
            return ShellAnalysis([], [], False, problem=f"shell analysis unavailable: {exc}")
        start_env: Dict[str, object] = {}
        if env:
            for k, v in env.items():
                start_env[k] = v if isinstance(v, SourcedStr) else (None if v is None else SourcedStr.unknown(str(v)))
        shared = _Shared()
        an = _Analyser(script, start_env, shared, 0, commands)
        tree, stopped = _parse(an.src)
        if stopped:
            shared.truncated = True
        if tree is None:
            return ShellAnalysis([], [], True, truncated=True, problem="shell parser gave no tree")
        root = tree.root_node
        try:
            an.run(root)
        except _Budget:
            shared.truncated = True
        ratio = an.error_bytes / len(an.src) if an.src else 0.0
        problem = None
        if shared.truncated:
            problem = "shell script too large or complex: analysis stopped early"
        return ShellAnalysis(commands, an.comments, root.has_error, an.errors, ratio, shared.truncated, problem,
                             script, shared.assignments)
    except RecursionError:
        return ShellAnalysis(commands, [], True, truncated=True, problem="shell script nested too deeply")
    except Exception as exc:  # never let one script stop the run
        return ShellAnalysis(commands, [], True, truncated=True,
                             problem=f"shell analysis failed: {type(exc).__name__}: {exc}")
