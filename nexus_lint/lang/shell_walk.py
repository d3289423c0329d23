"""The walk of the shell analyser over tree-sitter-bash's tree: commands,
assignments, loops, comments, errors and nested ``sh -c`` scripts, in source
order (the words themselves are read by :mod:`nexus_lint.lang.shell_expand`)."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import UNKNOWN, SourcedStr
from nexus_lint.lang.shell_expand import Shared, WordEvaluator
from nexus_lint.lang.shell_model import Assignment, Command, Comment, EnvView, Word, join_sourced
from nexus_lint.lang.shell_prefixes import basename, positionals, script_words, skip_prefixes, spaced
from nexus_lint.lang.shell_treesitter import ByteMap, parse_bash, tree_sitter_bytes

MAX_NESTING = 3  # sh -c "sh -c '...'" levels analysed
MAX_UNROLL = 8  # a for loop over at most this many known words is walked once per word
MAX_ERROR_SPANS = 100

_NAME = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LEAF_TYPES = frozenset({
    "word", "number", "raw_string", "ansi_c_string", "string_content", "variable_name",
    "special_variable_name", "heredoc_content", "heredoc_start", "heredoc_end", "regex",
    "file_descriptor", "test_operator", "comment", "extglob_pattern",
})
_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect", "redirect"})
_READ_VALUED = frozenset({"-p", "-a", "-d", "-t", "-n", "-N", "-u", "-i"})



# Command and process substitutions, subshells, arithmetic inside one another:
# every level holds the text of all the levels below it, so deep nesting costs
# time and memory quadratic in the size of the file.  The nested levels of one
# analysis are charged by their size (bytes); past this many, what lies deeper
# is not analysed and the analysis says it stopped early (500 levels of a
# small script are analysed whole; 10,000 levels of a 30 KB one are not).
MAX_NESTED_CHARS = 4_000_000
_NESTING_TYPES = frozenset({"command_substitution", "process_substitution", "subshell", "arithmetic_expansion",
                            "compound_statement", "expansion"})

class Analyser(WordEvaluator):
    """Walks one script's tree once, in source order (a nested ``sh -c`` script
    gets an analyser of its own, sharing the budget and the command list)."""

    def __init__(self, script: SourcedStr, env: Dict[str, object], shared: Shared, depth: int,
                 commands: List[Command], clip: Optional[Tuple[int, int]] = None) -> None:
        self.script = script
        self.nested_chars = 0  # bytes of nested substitutions walked (MAX_NESTED_CHARS)
        # A nested script (`sh -c "..."`) is a word's value: some of its characters
        # may stand elsewhere (a variable's literal).  Spans of what is *written*
        # there (raw words, commands) are kept inside the outer word: ``clip``.
        self.clip = clip
        self.text = script.text
        self.src = tree_sitter_bytes(script.text)
        self.map = ByteMap(script.text)
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

    # -- the walk ---------------------------------------------------------------
    def run(self, root) -> None:
        stack = [(root, "", False, 0)]
        pop = stack.pop
        push = stack.append
        while stack:
            node, parent, in_error, nesting = pop()
            if node is None:  # a marker left by an unrolled for loop: NAME=value
                self.set_var(parent, in_error)
                continue
            self.tick()
            t = node.type
            if t in _NESTING_TYPES and nesting:
                # each level holds the text of all below it: what nested levels cost is
                # quadratic in the file, so they are charged by their size
                self.nested_chars += node.end_byte - node.start_byte
                if self.nested_chars > MAX_NESTED_CHARS:
                    self.shared.truncated = True
                    continue
            if t in _NESTING_TYPES:
                nesting += 1
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
                if self.for_loop(node, lambda item: push(item + (nesting,)), in_error):
                    continue
            children = node.named_children
            for k in range(len(children) - 1, -1, -1):
                push((children[k], t, in_error, nesting))

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
            value = join_sourced(p for p, _ in b.pieces) if b.known else None
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
        argv, env_words = skip_prefixes(argv)
        for w in env_words:
            name, _, _ = w.value.text.partition("=")
            prefix[name] = w.sub(len(name) + 1).value if w.known else None
            self.shared.assignments.append(Assignment(name, prefix[name], w.sub(len(name) + 1).raw, self.depth))
        name = basename(argv[0])
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
            for w in positionals(argv[1:], _READ_VALUED):
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
        words = script_words(cmd)
        if words and self.depth < MAX_NESTING:
            extents = [e for e in (w.raw.extent() for w in words) if e is not None]
            clip = (min(e[0] for e in extents), max(e[1] for e in extents)) if extents else (UNKNOWN, UNKNOWN)
            self.nested(spaced(words), clip)

    def nested(self, script: SourcedStr, clip: Tuple[int, int]) -> None:
        env = dict(self.env)
        inner = Analyser(script, env, self.shared, self.depth + 1, self.commands, clip)
        tree, stopped = parse_bash(inner.src, self.shared.parse_seconds)
        if stopped:
            self.shared.truncated = True
        if tree is not None:
            inner.run(tree.root_node)

