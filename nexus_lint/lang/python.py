"""Python the language: reading a file with the standard library's ``ast``, with exact offsets.

Imported only through :mod:`nexus_lint.kinds.python`'s lazy import, and only for
a file that passed its keyword prefilter.

:func:`parse` gives a :class:`PySource` (the text, the ``ast`` tree, where every
node stands as ``str`` offsets) or the :class:`~nexus_lint.core.model.ParseProblem`
that becomes NX000.  ``ast`` columns are UTF-8 byte offsets within a line;
:meth:`PySource.offset` turns them into code-point offsets in the file (a line
of ASCII as it is).  CPython's parser guards its own recursion (too many nested
brackets, an expression chained too deeply: a ``SyntaxError`` or
``RecursionError``, NX000 here); the walks over the tree
(:mod:`nexus_lint.lang.python_scopes`) are iterative and refuse a tree deeper
than :data:`MAX_TREE_DEPTH` (Python 3.10 builds such trees).  On Python 3.10
and 3.11 a file that uses newer syntax is read through
:mod:`nexus_lint.lang.python_newer`.

Comments are not in ``ast``: :func:`comments` finds them, only when asked.
What a node is worth as a value is :mod:`nexus_lint.lang.python_values`; scopes
and the walk that finds bindings are :mod:`nexus_lint.lang.python_scopes`.
"""

from __future__ import annotations

import ast
import bisect
import sys
import warnings
from typing import Dict, List, Optional, Tuple, Union

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem

Span = Tuple[int, int]

_NEWLINE = lazy_re(r"\r\n?|\n")
_ASCII = "".join(map(chr, range(128)))
MAX_TREE_DEPTH = 3000  # nodes along one path of the tree (CPython 3.11+ refuses deeper trees itself)
NEW_SYNTAX = sys.version_info >= (3, 12)  # type aliases, type parameters, PEP 701 f-strings


def line_starts(text: str) -> List[int]:
    """The offset where each line of ``text`` starts (``\\r\\n``, ``\\r`` and ``\\n`` end a line)."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


class TooDeep(Exception):
    """A tree deeper than :data:`MAX_TREE_DEPTH`: not read."""


class Arg:
    """One argument of a call, in source order: ``keyword`` (``None`` for a
    positional or ``**`` argument), ``value`` and ``star`` (``""``, ``"*"``, ``"**"``)."""

    __slots__ = ("keyword", "value", "star")

    def __init__(self, keyword: Optional[str], value: ast.expr, star: str = "") -> None:
        self.keyword = keyword
        self.value = value
        self.star = star


def _key(node) -> Tuple[int, int]:
    return (node.lineno, node.col_offset)


class PySource:
    """A parsed Python file: its text, its ``ast`` tree and where each node stands."""

    def __init__(self, text: str, tree: ast.Module, type_aliases=frozenset()) -> None:
        self.text = text
        self.tree = tree
        self.line_starts = line_starts(text)
        self.last_line = len(self.line_starts)
        self.ascii = text.isascii()
        self.type_aliases = type_aliases  # offsets of ``type X = ...`` read as assignments (python_newer)
        self._lines: Dict[int, Tuple[int, bytes]] = {}  # line -> (ASCII characters it starts with, the rest)
        self._args: Dict[int, List[Arg]] = {}
        self._strings: Dict[int, list] = {}  # id(node) -> its string literals (python_strings.Literal)

    def offset(self, lineno: int, col: int) -> int:
        """The offset of ``ast``'s (1-based line, UTF-8 byte column)."""
        starts = self.line_starts
        if lineno - 1 >= len(starts):
            return len(self.text)
        start = starts[lineno - 1]
        if self.ascii or col == 0:
            return min(start + col, len(self.text))
        line = self._lines.get(lineno)
        if line is None:
            end = starts[lineno] if lineno < len(starts) else len(self.text)
            chars = self.text[start:end]
            ascii_run = len(chars) - len(chars.lstrip(_ASCII)) if not chars.isascii() else len(chars)
            line = self._lines[lineno] = (ascii_run, chars[ascii_run:].encode("utf-8", "surrogatepass"))
        if col <= line[0]:  # before the line's first non-ASCII character
            return min(start + col, len(self.text))
        return start + line[0] + len(line[1][:col - line[0]].decode("utf-8", "ignore"))

    def span(self, node) -> Span:
        try:
            lineno = node.lineno
        except AttributeError:
            if isinstance(node, list):  # a block of statements
                return (self.span(node[0])[0], self.span(node[-1])[1]) if node else (0, 0)
            return (0, len(self.text)) if isinstance(node, ast.Module) else (0, 0)
        if self.ascii and lineno <= self.last_line and node.end_lineno <= self.last_line:
            starts = self.line_starts
            s, e = starts[lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset
        else:
            s, e = self.offset(lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)
        if node.__class__ is ast.Tuple and self.text.startswith("(", s):
            return self._inside(node, s, e)
        return s, e

    def _inside(self, node: ast.Tuple, s: int, e: int) -> Span:
        """A parenthesized tuple without its parentheses: its elements and a
        trailing comma (where a value that is a tuple stands)."""
        if not node.elts:
            return s + 1, s + 1
        first, last = self.span(node.elts[0])[0], self.span(node.elts[-1])[1]
        if not s < first <= last < e:  # the parenthesis is the first element's
            return s, e
        k = last
        while k < e and self.text[k] in " \t\f\r\n\\":
            k += 1
        return first, k + 1 if self.text.startswith(",", k) else last

    def start(self, node) -> int:
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            return 0
        if self.ascii and lineno <= self.last_line:
            return self.line_starts[lineno - 1] + node.col_offset
        return self.offset(lineno, node.col_offset)

    def code(self, node) -> str:
        s, e = self.span(node)
        return self.text[s:e]

    def args(self, call: ast.Call) -> List[Arg]:
        """The arguments of ``call`` in source order (``ast`` keeps keywords apart)."""
        found = self._args.get(id(call))
        if found is None:
            found = [Arg(None, a.value, "*") if isinstance(a, ast.Starred) else Arg(None, a) for a in call.args]
            if call.keywords:
                kws = [Arg(k.arg, k.value, "" if k.arg else "**") for k in call.keywords]
                if found and _key(call.keywords[0]) < _key(call.args[-1]):  # f(a, x=1, *rest)
                    found = sorted(found + kws, key=lambda a: _key(a.value))
                else:
                    found = found + kws
            self._args[id(call)] = found
        return found

    def literals(self, node) -> list:
        """The string literals (:class:`~nexus_lint.lang.python_strings.Literal`) a
        ``Constant`` string or ``JoinedStr`` is written as, read from the source."""
        found = self._strings.get(id(node))
        if found is None:
            from nexus_lint.lang.python_strings import scan_literals

            s, e = self.span(node)
            try:
                found = scan_literals(self.text, s, e)
            except RecursionError:  # f-strings nested past any real use
                found = []
            self._strings[id(node)] = found
        return found

    def place_fields(self, node: ast.JoinedStr) -> None:
        """Python 3.10 and 3.11: give each field's expression its own place where
        ``ast`` did not (its text is parsed again, at the same line and column)."""
        values = [v for v in node.values if isinstance(v, ast.FormattedValue)]
        if not values:
            return
        fields = [f for lit in self.literals(node) for f in lit.fields]
        if len(fields) != len(values):
            return
        for fv, field in zip(values, fields):
            s, e = self.span(fv.value)
            fs, fe = field.expr
            if fs <= s < e <= fe:
                continue
            try:
                value = _parse("(" + self.text[fs:fe] + "\n)", "eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            line = bisect.bisect_right(self.line_starts, fs)
            _move(value, line - 1, len(self.text[self.line_starts[line - 1]:fs].encode("utf-8", "surrogatepass")) - 1)
            if isinstance(value, ast.Tuple) and value.elts and not self.text[fs:fe].lstrip().startswith("("):
                # `{a, b}`: the tuple is its elements (the parentheses added above are not in the file)
                first, last = value.elts[0], value.elts[-1]
                value.lineno, value.col_offset = first.lineno, first.col_offset
                value.end_lineno, value.end_col_offset = last.end_lineno, last.end_col_offset
            fv.value = value

    def simple_string(self, node):
        """The value of ``node`` when it is one plain string literal (``"x"``, ``b'x'``;
        not concatenated, not an f-string), else ``None``."""
        if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)):
            return None
        lits = self.literals(node)
        return node.value if len(lits) == 1 else None


def _move(tree, lines: int, cols: int) -> None:
    """Shift the places of ``tree`` by ``lines``, and by ``cols`` bytes on its first line."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if getattr(node, "lineno", None) is not None:
            if node.lineno == 1:
                node.col_offset += cols
            if node.end_lineno == 1:
                node.end_col_offset += cols
            node.lineno += lines
            node.end_lineno += lines
        todo.extend(ast.iter_child_nodes(node))


def dotted_name(node) -> Optional[str]:
    """``a.b.c`` for a name, an attribute chain, or a call or subscript of one
    (``None.x`` when the chain starts with something else)."""
    parts: List[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    head = node.id if isinstance(node, ast.Name) else None
    if head is None and not parts:
        return None
    return ".".join([str(head)] + parts[::-1])


def is_const(node, value) -> bool:
    """``True``, ``False`` or ``None`` as written."""
    return isinstance(node, ast.Constant) and node.value is value


def parse(text: str) -> Union[PySource, ParseProblem]:
    """``text`` parsed by ``ast``, or why it cannot be (``not valid Python: ...``)."""
    try:
        return PySource(text, _parse(text))
    except SyntaxError as exc:
        if not NEW_SYNTAX and not _too_much(exc):
            from nexus_lint.lang.python_newer import downlevel

            try:
                older = downlevel(text)
                if older is not None:
                    return PySource(text, _parse(older[0]), older[1])
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
        return _problem(text, exc)
    except (RecursionError, MemoryError):
        return ParseProblem("not valid Python: nested too deeply to read", 0, 0)
    except ValueError as exc:  # source code cannot contain null bytes (3.10, 3.11.0-3.11.3)
        return ParseProblem(f"not valid Python: {exc}", 0, 0)


def _parse(text: str, mode: str = "exec"):
    with warnings.catch_warnings():  # the file's own warnings (an invalid escape, ...) are not ours to print
        warnings.simplefilter("ignore")
        return ast.parse(text, mode=mode)


def _too_much(exc: SyntaxError) -> bool:
    msg = str(exc.msg)
    return "too many" in msg or "too complex" in msg or "too deeply" in msg


def _problem(text: str, exc: SyntaxError) -> ParseProblem:
    msg = str(exc.msg).splitlines()[0] if exc.msg else "invalid syntax"
    if exc.lineno is None:
        return ParseProblem(f"not valid Python: {msg}", 0, 0)
    starts = line_starts(text)
    line = max(1, min(exc.lineno, len(starts)))
    end = starts[line] if line < len(starts) else len(text)
    off = min(starts[line - 1] + max(0, (exc.offset or 1) - 1), end, len(text))
    return ParseProblem(f"not valid Python: {msg} (line {exc.lineno})", off, off)


def problem_too_deep() -> ParseProblem:
    return ParseProblem("not valid Python: nested too deeply to read", 0, 0)


# A comment, or a string a "#" in it belongs to
_COMMENT = lazy_re(
    r'[rRbBuUfF]{0,2}(?:"""(?:\\[\s\S]|[^\\])*?"""' r"|'''(?:\\[\s\S]|[^\\])*?'''"
    r'|"(?:\\[\s\S]|[^"\\\r\n])*"' r"|'(?:\\[\s\S]|[^'\\\r\n])*')"
    r"|(?P<c>#[^\r\n]*)"
)


def comments(text: str, word: str = "") -> List[Tuple[int, int, str]]:
    """The comments of ``text`` that contain ``word``, as ``(start, end, text)``."""
    out = []
    for m in _COMMENT.finditer(text):
        c = m.group("c")
        if c is not None and word in c:
            out.append((m.start(), m.end(), c))
    return out
