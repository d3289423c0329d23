"""Python the language: reading a file with libcst, safely, with exact offsets.

Imported only through :mod:`nexus_lint.kinds.python`'s lazy import, and only for
a file that passed its keyword prefilter, so a run that meets no such file never
imports libcst.

:func:`parse` gives a :class:`PySource` (the text, the libcst tree, where every
node stands) or the :class:`~nexus_lint.core.model.ParseProblem` that becomes
NX000.  Before libcst sees a text, :func:`too_deep` measures what would crash
or stall it (brackets nested too deeply, expressions chained too long), because
libcst's native parser recurses on the C stack.

What a node is worth as a value is :mod:`nexus_lint.lang.python_values`; scopes
and the walk that finds bindings are :mod:`nexus_lint.lang.python_scopes`.
"""

from __future__ import annotations

from typing import List, Mapping, Optional, Tuple, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem

Span = Tuple[int, int]

_NEWLINE = lazy_re(r"\r\n?|\n")


def line_starts(text: str) -> List[int]:
    """The offset where each line of ``text`` starts (``\\r\\n``, ``\\r`` and ``\\n`` end a line)."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


class PySource:
    """A parsed Python file: its text, its libcst tree and where each node stands."""

    def __init__(self, text: str, module: cst.Module, positions: Mapping) -> None:
        self.text = text
        self.module = module
        self.positions = positions
        self.line_starts = line_starts(text)

    def offset(self, pos) -> int:
        line = pos.line
        if line - 1 >= len(self.line_starts):
            return len(self.text)
        return min(self.line_starts[line - 1] + pos.column, len(self.text))

    def span(self, node) -> Span:
        r = self.positions.get(node)
        if r is None:
            return (0, 0)
        return self.offset(r.start), self.offset(r.end)

    def start(self, node) -> int:
        return self.span(node)[0]

    def code(self, node) -> str:
        s, e = self.span(node)
        return self.text[s:e]


def parse(text: str) -> Union[PySource, ParseProblem]:
    """``text`` parsed by libcst, or why it cannot be (``not valid Python: ...``)."""
    deep = too_deep(text)
    if deep is not None:
        return ParseProblem(f"not valid Python: {deep}", 0, 0)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        starts = line_starts(text)
        line = max(1, min(exc.raw_line, len(starts)))
        off = min(starts[line - 1] + max(0, exc.raw_column), len(text))
        msg = str(exc.message if hasattr(exc, "message") else exc).splitlines()[0]
        return ParseProblem(f"not valid Python: {msg} (line {exc.editor_line})", off, off)
    except cst.CSTValidationError as exc:  # grammar libcst accepts, then refuses to build (b"x" "y")
        return ParseProblem(f"not valid Python: {str(exc).splitlines()[0]}", 0, 0)
    if len(module.code) != len(text):
        # libcst dropped something (a line continuation before the first
        # statement): its positions would be off, so nothing is reported from them
        return ParseProblem("the Python reader cannot keep positions in this file "
                            "(a line continuation before the first statement?); not checked")
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    try:
        # what wrapper.resolve() does, without its extra walk for batchable providers
        positions = PositionProvider()._gen(wrapper)
    except AttributeError:  # pragma: no cover - a libcst without the private hook
        positions = wrapper.resolve(PositionProvider)
    return PySource(text, module, positions)


# -----------------------------------------------------------------------------
# The guard: what libcst must not be given
# -----------------------------------------------------------------------------

# Python's tokens, roughly: enough to tell strings, comments, brackets and
# separators from the rest (prefixes and nested quotes do not matter to a
# length measure).
_PY_TOKEN = lazy_re(
    r'(?P<s>[rRbBuUfF]{0,2}(?:"""(?:\\[\s\S]|[^\\])*?"""' r"|'''(?:\\[\s\S]|[^\\])*?'''"
    r'|"(?:\\.|[^"\\\n])*"' r"|'(?:\\.|[^'\\\n])*'))"
    r"|(?P<c>#[^\n]*)|(?P<o>[(\[{])|(?P<e>[)\]}])|(?P<p>[,;:=\n])|(?P<t>\w+|[^\w\s])"
)
MAX_NESTING = 200  # CPython's own limit on nested brackets
MAX_CHAIN = 1000  # tokens of one expression along a nesting path (libcst: 20,000 crash, 2,000 take it 20 s)
# In a file CPython parses, a chain deep in the tree is a RecursionError there
# already; only what CPython keeps flat (`import a.b.c...`, `a or b or ...`) is left.
MAX_CHAIN_VALID = 4000
# Trailers on one atom (`a.b.c`, `x[0][0]`, `f()()`, `import a.b.c`): libcst
# takes cubic time on them (2,000 subscripts: 5-10 s) where CPython takes none.
MAX_TRAILERS = 500
_ATOM, _DOT = 1, 2


def too_deep(text: str) -> Optional[str]:
    """Why libcst must not parse ``text``, if it must not.

    libcst's native parser recurses on the C stack: 1,500 nested brackets, or a
    chain of 10,000 links in one expression (``a.b.b...``, ``x[0][0]...``,
    ``a or a or ...``, ``import a.b.b...``), kill the process (SIGSEGV), and a
    long chain takes it minutes (cubic: 2,000 subscripts, 20 s).  So CPython's
    parser, which guards its recursion, is asked first (an AST deeper than the
    recursion limit, over 200 nested brackets: not Python anyone can run), then
    the nesting and the tokens of one expression along any nesting path are
    measured (a comma, colon, semicolon, ``=`` or the end of a statement ends a
    run): at most :data:`MAX_CHAIN_VALID` in a file CPython parses, where only
    what it keeps flat can be that long, :data:`MAX_CHAIN` in one it does not.
    Such files are NX000 and never reach libcst.
    """
    import ast

    import warnings

    limit = MAX_CHAIN_VALID
    try:
        with warnings.catch_warnings():  # the file's own warnings (an invalid escape, ...) are not ours to print
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (RecursionError, MemoryError):
        return "nested too deeply to read"
    except (SyntaxError, ValueError) as exc:
        msg = str(getattr(exc, "msg", exc))
        if "too many" in msg or "too complex" in msg or "too deeply" in msg:
            return msg
        limit = MAX_CHAIN  # not Python to CPython (or newer than it): libcst is slow on long chains there
    except Exception:  # anything else CPython's parser says: libcst decides
        pass
    return _measure(text, limit)


def _measure(text: str, limit: int) -> Optional[str]:
    """Why the nesting or the chains of ``text`` are too much for libcst (at most
    ``limit`` tokens of one expression along a nesting path), if they are."""
    # Per open bracket: tokens since the last separator, trailers in the
    # current chain (`.name`, `(...)`, `[...]` after an atom), and what the last
    # token was (ATOM: a name, string or closed bracket; DOT; anything else).
    runs, chains, last = [0], [0], [0]
    total = 0  # sum(runs)
    for m in _PY_TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "c":
            continue
        if kind == "s":  # an atom (libcst reads a long run of adjacent strings in no time)
            if last[-1] != _ATOM:
                chains[-1] = 0
            last[-1] = _ATOM
            continue
        tok = m.group()
        if kind == "o":
            if tok != "{" and last[-1] == _ATOM:  # a call or a subscript: one more link
                chains[-1] += 1
                if chains[-1] > MAX_TRAILERS:
                    return "an expression chained too long to read safely"
            else:
                chains[-1] = 0
            runs[-1] += 1
            total += 1
            runs.append(0)
            chains.append(0)
            last.append(0)
            if len(runs) > MAX_NESTING + 1:
                return "too many nested parentheses"
        elif kind == "e":
            if len(runs) > 1:
                total -= runs.pop()
                chains.pop()
                last.pop()
            last[-1] = _ATOM
        elif kind == "p":
            if tok != "\n" or len(runs) == 1:  # a line break inside brackets ends nothing
                total -= runs[-1]
                runs[-1] = chains[-1] = last[-1] = 0
        else:
            runs[-1] += 1
            total += 1
            if total > limit:
                return "an expression too long to read safely"
            if tok == ".":
                if last[-1] == _ATOM:
                    chains[-1] += 1
                    if chains[-1] > MAX_TRAILERS:
                        return "an expression chained too long to read safely"
                last[-1] = _DOT
            elif tok[0].isalnum() or tok[0] == "_":
                if last[-1] != _DOT:  # a new atom, not the name of a trailer
                    chains[-1] = 0
                last[-1] = _ATOM
            else:
                chains[-1] = last[-1] = 0
    return None
