"""Python scopes and bindings: what a name stands for at a place in the file.

:class:`Collector` is the one walk over the ``ast`` tree (pass 1; iterative, so a
deep tree cannot exhaust the Python stack, and refused past
:data:`~nexus_lint.lang.python.MAX_TREE_DEPTH`): it opens a
:class:`Scope` per module, class, function and lambda, binds names
(assignments, parameters, ``for``/``with``/``except`` targets, class
attributes such as ``self.x``), notes the imports, the keys later set in a
dict variable and the items later added to a list variable, and records every
node the second pass reads, with its scope and the ``try`` blocks around it.

A :class:`Frame` is a call being read inside the function it calls: the
function's parameters then stand for that call's arguments
(:func:`bind_arguments`).
"""

from __future__ import annotations

import ast
import sys
from typing import Dict, List, Optional, Set, Tuple

from nexus_lint.core.record import record
from nexus_lint.lang.python import MAX_TREE_DEPTH, NEW_SYNTAX, Span, TooDeep


@record
class Binding:
    pos: int
    node: Optional[ast.AST]  # the value expression (None: unknown)
    kind: str = "value"  # value, unknown, param, def, aug (node = right side, op in ``op``)
    op: str = ""


class Scope:
    __slots__ = ("kind", "node", "parent", "bindings", "globals", "key_sets", "list_ops", "attrs", "span")

    def __init__(self, kind: str, node, parent: Optional["Scope"], span: Span) -> None:
        self.kind = kind  # module, class, function
        self.node = node
        self.parent = parent
        self.span = span
        self.bindings: Dict[str, List[Binding]] = {}
        self.globals: Set[str] = set()
        self.key_sets: Dict[str, List[Tuple[int, str]]] = {}  # dict variable -> keys set later
        self.list_ops: Dict[str, List[Tuple[int, str, ast.AST]]] = {}  # list variable -> append/extend
        self.attrs: Dict[str, List[Binding]] = {}  # class scopes: self.X / class attributes

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def class_scope(self) -> Optional["Scope"]:
        """The class whose method this scope is (for ``self.X``)."""
        s = self
        while s is not None and s.kind == "function":
            if s.parent is not None and s.parent.kind == "class":
                return s.parent
            s = s.parent
        return s if s is not None and s.kind == "class" else None


@record
class Frame:
    """A call of a function, being read inside that function (its parameters are the call's arguments)."""

    args: Dict[str, Tuple[ast.AST, "Scope", int]]  # parameter -> (argument, caller scope, pos)
    extra: Dict[str, Tuple[ast.AST, "Scope", int]]  # keywords gathered by **kwargs
    kwargs: Optional[str]  # the name of the **kwargs parameter
    def_scope: "Scope"
    def_pos: int


def bind_arguments(an, fdef: ast.FunctionDef, method: bool, call: ast.Call, cscope: Scope,
                   def_scope: Scope) -> Optional[Frame]:
    """The frame in which ``fdef``'s parameters stand for the arguments of ``call``
    (made in ``cscope``; ``def_scope`` holds the definition, ``method``: ``self``
    comes first), or ``None`` when which parameter gets what is unknown.  ``an``
    gives offsets (:class:`nexus_lint.lang.python.PySource`)."""
    p = fdef.args
    positional = [q.arg for q in p.posonlyargs + p.args]
    if method and positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    names = positional + [q.arg for q in p.kwonlyargs]
    kwargs = p.kwarg.arg if p.kwarg is not None else None
    cpos = an.start(call)
    args: Dict[str, Tuple[ast.AST, Scope, int]] = {}
    extra: Dict[str, Tuple[ast.AST, Scope, int]] = {}
    k = 0
    for a in an.args(call):
        if a.star:
            return None  # f(*args) / f(**opts): which parameter gets what is unknown
        if a.keyword is None:
            if k >= len(positional):
                return None
            args[positional[k]] = (a.value, cscope, cpos)
            k += 1
        elif a.keyword in names:
            args[a.keyword] = (a.value, cscope, cpos)
        elif kwargs is not None:
            extra[a.keyword] = (a.value, cscope, cpos)
    return Frame(args, extra, kwargs, def_scope, an.start(fdef))


# -----------------------------------------------------------------------------
# Pass 1: scopes, bindings, imports
# -----------------------------------------------------------------------------

_SKIP_FIELDS = frozenset({"ctx", "op", "ops", "type_comment"})
_FIELDS: Dict[type, Tuple[str, ...]] = {}
_BODIES = ("body", "orelse", "finalbody")
_SIMPLE = tuple(getattr(ast, n) for n in ("Expr", "Assign", "AugAssign", "AnnAssign", "Return", "Delete", "Pass",
                                          "Break", "Continue", "Raise", "Global", "Nonlocal", "Import",
                                          "ImportFrom", "Assert", "TypeAlias") if hasattr(ast, n))
# Nodes with nothing below them that the walk reads
_LEAVES = frozenset({ast.Name, ast.Constant, ast.alias, ast.Load, ast.Store, ast.Del})
# CPython 3.11+ refuses to build a tree deeper than its recursion limit allows;
# 3.10 builds any (`a.b.b...` 20,000 times), so there the walk measures depth.
_GUARDED = sys.version_info >= (3, 11)


class _Mark:
    """What the walk does between nodes: close a scope or a ``try``, or record an event."""

    __slots__ = ("kind", "what", "payload")

    def __init__(self, kind: str, what: str = "", payload=None) -> None:
        self.kind = kind
        self.what = what
        self.payload = payload


_POP_SCOPE = _Mark("scope")
_POP_TRY = _Mark("try")


def _fields(t: type) -> Tuple[str, ...]:
    found = _FIELDS.get(t)
    if found is None:
        found = _FIELDS[t] = tuple(f for f in t._fields if f not in _SKIP_FIELDS)
    return found


def _pos(node) -> Tuple[int, int]:
    return (node.lineno, node.col_offset)


def _measure_depth(tree) -> None:
    """:class:`TooDeep` when a path of ``tree`` is longer than :data:`MAX_TREE_DEPTH`."""
    todo = [(tree, 0)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_TREE_DEPTH:
            raise TooDeep()
        todo.extend((c, depth + 1) for c in ast.iter_child_nodes(node))


class Collector:
    """The one walk over the tree: scopes, bindings and imports now; every node
    pass 2 reads is recorded (with its scope and enclosing ``try`` blocks) to be
    read once all bindings are known.  Nodes are visited in source order,
    parents before children; :meth:`run` walks with a stack of its own.

    ``an`` is the :class:`nexus_lint.lang.python_values.Evaluator` whose tables
    (scopes by node, functions, imports) the walk fills; ``statements`` gets the
    spans of the lines of simple statements (``a = 1; b = 2``; not those after a
    colon on a header line)."""

    def __init__(self, an) -> None:
        self.an = an
        self.stack: List[Scope] = [an.module_scope]
        self.tries: Tuple[ast.Try, ...] = ()
        self.events: List[Tuple[str, object, Scope, Tuple[ast.Try, ...]]] = []
        self.statements: List[Span] = []
        self.specs: Set[int] = set()  # id() of the format specs of f-string fields
        an.scope_of[id(an.tree)] = an.module_scope

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def _record(self, what: str, node) -> None:
        self.events.append((what, node, self.stack[-1], self.tries))

    def run(self) -> None:
        if not _GUARDED:
            _measure_depth(self.an.tree)
        visits: Dict[type, object] = {}
        cls_self = type(self)
        todo: list = [self.an.tree]
        pop, extend = todo.pop, todo.extend
        while todo:
            node = pop()
            cls = node.__class__
            if cls is _Mark:
                if node is _POP_SCOPE:
                    self.stack.pop()
                elif node is _POP_TRY:
                    self.tries = self.tries[:-1]
                else:
                    self._record(node.what, node.payload)
                continue
            visit = visits.get(cls, visits)
            if visit is visits:
                visit = visits[cls] = getattr(cls_self, "visit_" + cls.__name__, None)
            children = visit(self, node) if visit is not None else None
            if children is None:
                children = self._children(node)
            if children:
                children.reverse()
                extend(children)

    def _children(self, node) -> list:
        out: list = []
        for f in _fields(node.__class__):
            v = getattr(node, f, None)
            if v.__class__ is list:
                if v and f in _BODIES and isinstance(v[0], ast.stmt):
                    self._statement_lines(v)
                for x in v:
                    if x.__class__ not in _LEAVES and isinstance(x, ast.AST):
                        out.append(x)
            elif v.__class__ not in _LEAVES and isinstance(v, ast.AST):
                out.append(v)
        return out

    def _statement_lines(self, body: list) -> None:
        """Spans of the lines of simple statements in ``body`` (``a = 1; b = 2``
        is one; statements after a header's colon, ``if x: y()``, are none)."""
        an = self.an
        text = an.text
        group: Optional[list] = None
        for st in body:
            if not isinstance(st, _SIMPLE):
                group = None
                continue
            if group is not None and st.lineno == group[-1].end_lineno:
                group.append(st)
                self.statements[-1] = (self.statements[-1][0], an.span(st)[1])
                continue
            group = [st]
            s, e = an.span(st)
            k = s
            while k > 0 and text[k - 1] in " \t\f":
                k -= 1
            if k == 0 or text[k - 1] in "\r\n":
                self.statements.append((s, e))
            else:
                group = None  # after a header's colon (or a `\` continuation): a suite

    def _push(self, kind: str, node) -> None:
        s = Scope(kind, node, self.scope, self.an.span(node))
        self.an.scope_of[id(node)] = s
        self.stack.append(s)

    # scopes
    def visit_FunctionDef(self, node) -> list:
        self.scope.bind(node.name, Binding(self.an.start(node), None, "def"))
        outer = self.scope
        self._push("function", node)
        p = node.args
        defaults = [None] * (len(p.posonlyargs) + len(p.args) - len(p.defaults)) + list(p.defaults)
        for param, default in zip(p.posonlyargs + p.args, defaults):
            self.scope.bind(param.arg, Binding(-1, default, "param"))
        for param, default in zip(p.kwonlyargs, p.kw_defaults):
            self.scope.bind(param.arg, Binding(-1, default, "param"))
        for star in (p.vararg, p.kwarg):
            if star is not None:
                self.scope.bind(star.arg, Binding(-1, None, "unknown"))
        self.an.functions[id(self.scope)] = (node, outer)
        self._statement_lines(node.body)
        return (list(node.decorator_list) + list(getattr(node, "type_params", ())) + [node.args]
                + ([node.returns] if node.returns is not None else []) + node.body + [_POP_SCOPE])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_arguments(self, node: ast.arguments) -> list:
        """Parameters, each followed by its default (a ``Param`` event when it has one)."""
        out: list = []
        positional = node.posonlyargs + node.args
        defaults = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
        pairs = list(zip(positional, defaults))
        if node.vararg is not None:
            pairs.append((node.vararg, None))
        pairs += list(zip(node.kwonlyargs, node.kw_defaults))
        if node.kwarg is not None:
            pairs.append((node.kwarg, None))
        for param, default in pairs:
            out.append(param)
            if default is not None:
                out.append(_Mark("event", "Param", (param, default)))
                out.append(default)
        return out

    def visit_Lambda(self, node: ast.Lambda) -> list:
        self._push("function", node)
        for param in node.args.args:
            self.scope.bind(param.arg, Binding(-1, None, "unknown"))
        return [node.args, node.body, _POP_SCOPE]

    def visit_ClassDef(self, node: ast.ClassDef) -> list:
        self.scope.bind(node.name, Binding(self.an.start(node), None, "unknown"))
        self._push("class", node)
        self._statement_lines(node.body)
        return (list(node.decorator_list) + list(getattr(node, "type_params", ())) + node.bases + node.keywords
                + node.body + [_POP_SCOPE])

    def visit_Try(self, node: ast.Try) -> list:
        self.tries = self.tries + (node,)
        return self._children(node) + [_POP_TRY]

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    # events and source order
    def visit_Compare(self, node) -> None:
        self._record("Comparison", node)

    def visit_match_case(self, node) -> None:
        self._record("MatchCase", node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self._record("Arg", node)

    def visit_Dict(self, node: ast.Dict) -> list:
        out: list = []
        for k, v in zip(node.keys, node.values):
            if k is not None:
                out.append(_Mark("event", "DictElement", (k, v)))
                out.append(k)
            out.append(v)
        return out

    def visit_IfExp(self, node: ast.IfExp) -> list:
        return [node.body, node.test, node.orelse]

    def visit_JoinedStr(self, node) -> None:
        if not NEW_SYNTAX and id(node) not in self.specs:  # a format spec is read with its f-string
            self.an.place_fields(node)
            self.specs.update(id(v.format_spec) for v in node.values
                              if isinstance(v, ast.FormattedValue) and v.format_spec is not None)

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname is not None:
                self.an.imports[alias.asname] = alias.name
            else:
                head = alias.name.split(".", 1)[0]
                self.an.imports.setdefault(head, head)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module is None or node.level or any(a.name == "*" for a in node.names):
            return
        for alias in node.names:
            self.an.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    # bindings
    def _target(self, target, value, pos: int, kind: str = "value", op: str = "") -> None:
        if isinstance(target, ast.Name):
            self.scope.bind(target.id, Binding(pos, value, kind, op))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = target.value.id
            cls = self.scope if self.scope.kind == "class" else self.scope.class_scope()
            if cls is not None and (owner in ("self", "cls") or self.scope.kind == "class"):
                cls.attrs.setdefault(target.attr, []).append(Binding(pos, value, kind, op))
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            key = self.an.simple_string(target.slice)
            if isinstance(key, str):
                self.scope.key_sets.setdefault(target.value.id, []).append((pos, key))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for el in target.elts:
                self._target(el.value if isinstance(el, ast.Starred) else el, None, pos, "unknown")
        elif isinstance(target, ast.Starred):
            self._target(target.value, None, pos, "unknown")

    def _dict_keys(self, var: str, d: ast.Dict, pos: int) -> None:
        for k in d.keys:
            key = self.an.simple_string(k) if k is not None else None
            if key is not None:
                self.scope.key_sets.setdefault(var, []).append((pos, str(key)))

    def visit_Assign(self, node: ast.Assign) -> None:
        pos = self.an.start(node)
        if pos in self.an.type_aliases:
            return  # `type X = ...` on an older Python (python_newer): binds nothing
        self._record("Assign", node)
        for t in node.targets:
            self._target(t, node.value, pos)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._record("AnnAssign", node)
        if node.value is not None:
            self._target(node.target, node.value, self.an.start(node))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        pos = self.an.start(node)
        op = "+" if isinstance(node.op, ast.Add) else "|" if isinstance(node.op, ast.BitOr) else "?"
        if op == "|" and isinstance(node.target, ast.Name) and isinstance(node.value, ast.Dict):
            self._dict_keys(node.target.id, node.value, pos)
            return
        self._target(node.target, node.value, pos, "aug", op)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._record("NamedExpr", node)
        self._target(node.target, node.value, self.an.start(node))

    def visit_For(self, node) -> None:
        self._target(node.target, None, self.an.start(node), "unknown")

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        s = self.an.start(node.target)
        k = self.an.text.rfind("for", max(0, s - 200), s)  # where `for` stands (ast gives it no place)
        self._target(node.target, None, k if k >= 0 else s, "unknown")

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._record("WithItem", node)
            self._target(node.optional_vars, node.context_expr, self.an.start(node.context_expr))

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is not None:
            self.scope.bind(node.name, Binding(self.an.start(node), None, "unknown"))

    def visit_Call(self, node: ast.Call) -> list:
        self._record("Call", node)
        an = self.an
        func = node.func
        children = [func] + node.args + node.keywords
        if node.args and node.keywords and _pos(node.keywords[0]) < _pos(node.args[-1]):
            children = [func] + sorted(node.args + node.keywords, key=_pos)
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return children
        var = func.value.id
        attr = func.attr
        pos = an.start(node)
        args = an.args(node)
        if attr in ("append", "extend", "insert", "remove", "pop", "clear", "reverse", "sort") and args:
            self.scope.list_ops.setdefault(var, []).append((pos, attr, args[-1].value))
        elif attr == "update":
            for a in args:
                if a.keyword is not None:
                    self.scope.key_sets.setdefault(var, []).append((pos, a.keyword))
                elif isinstance(a.value, ast.Dict):
                    self._dict_keys(var, a.value, pos)
                else:
                    self.scope.key_sets.setdefault(var, []).append((pos, "*"))  # unknown keys
        elif attr == "setdefault" and args:
            key = an.simple_string(args[0].value)
            if key is not None:
                self.scope.key_sets.setdefault(var, []).append((pos, str(key)))
        return children
