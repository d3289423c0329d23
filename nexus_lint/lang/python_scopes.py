"""Python scopes and bindings: what a name stands for at a place in the file.

:class:`Collector` is the one walk over a libcst tree (pass 1): it opens a
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

from nexus_lint.core.record import record
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from nexus_lint.lang.python import Span


@record
class Binding:
    pos: int
    node: Optional[cst.CSTNode]  # the value expression (None: unknown)
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
        self.list_ops: Dict[str, List[Tuple[int, str, cst.CSTNode]]] = {}  # list variable -> append/extend
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

    args: Dict[str, Tuple[cst.CSTNode, "Scope", int]]  # parameter -> (argument, caller scope, pos)
    extra: Dict[str, Tuple[cst.CSTNode, "Scope", int]]  # keywords gathered by **kwargs
    kwargs: Optional[str]  # the name of the **kwargs parameter
    def_scope: "Scope"
    def_pos: int


def bind_arguments(an, fdef: cst.FunctionDef, method: bool, call: cst.Call, cscope: Scope,
                   def_scope: Scope) -> Optional[Frame]:
    """The frame in which ``fdef``'s parameters stand for the arguments of ``call``
    (made in ``cscope``; ``def_scope`` holds the definition, ``method``: ``self``
    comes first), or ``None`` when which parameter gets what is unknown.  ``an``
    gives offsets (:class:`nexus_lint.lang.python.PySource`)."""
    p = fdef.params
    positional = list(p.posonly_params) + list(p.params)
    if method and positional and positional[0].name.value in ("self", "cls"):
        positional = positional[1:]
    names = [q.name.value for q in positional] + [q.name.value for q in p.kwonly_params]
    kwargs = p.star_kwarg.name.value if isinstance(p.star_kwarg, cst.Param) else None
    cpos = an.start(call)
    args: Dict[str, Tuple[cst.CSTNode, Scope, int]] = {}
    extra: Dict[str, Tuple[cst.CSTNode, Scope, int]] = {}
    k = 0
    for a in call.args:
        if a.star:
            return None  # f(*args) / f(**opts): which parameter gets what is unknown
        if a.keyword is None:
            if k >= len(positional):
                return None
            args[positional[k].name.value] = (a.value, cscope, cpos)
            k += 1
        elif a.keyword.value in names:
            args[a.keyword.value] = (a.value, cscope, cpos)
        elif kwargs is not None:
            extra[a.keyword.value] = (a.value, cscope, cpos)
    return Frame(args, extra, kwargs, def_scope, an.start(fdef))


# -----------------------------------------------------------------------------
# Pass 1: scopes, bindings, imports
# -----------------------------------------------------------------------------


class Collector(cst.CSTVisitor):
    """The one walk over the tree: scopes, bindings and imports now; every node
    pass 2 reads is recorded (with its scope and enclosing ``try`` blocks) to be
    read once all bindings are known.

    ``an`` is the :class:`nexus_lint.lang.python_values.Evaluator` whose tables
    (scopes by node, functions, imports) the walk fills."""

    def __init__(self, an) -> None:
        super().__init__()
        self.an = an
        self.stack: List[Scope] = [an.module_scope]
        self.tries: Tuple[cst.Try, ...] = ()
        self.events: List[Tuple[str, cst.CSTNode, Scope, Tuple[cst.Try, ...]]] = []
        an.scope_of[id(an.module)] = an.module_scope

    def _record(self, what: str, node) -> None:
        self.events.append((what, node, self.stack[-1], self.tries))

    def visit_Try(self, node: cst.Try) -> None:
        self.tries = self.tries + (node,)

    def leave_Try(self, node) -> None:
        self.tries = self.tries[:-1]

    def visit_Comment(self, node) -> None:
        self._record("Comment", node)

    def visit_SimpleStatementLine(self, node) -> None:
        self._record("SimpleStatementLine", node)

    def visit_Comparison(self, node) -> None:
        self._record("Comparison", node)

    def visit_MatchCase(self, node) -> None:
        self._record("MatchCase", node)

    def visit_DictElement(self, node) -> None:
        self._record("DictElement", node)

    def visit_Arg(self, node) -> None:
        if node.keyword is not None:
            self._record("Arg", node)

    def visit_Param(self, node) -> None:
        if node.default is not None:
            self._record("Param", node)

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def _push(self, kind: str, node) -> None:
        s = Scope(kind, node, self.scope, self.an.span(node))
        self.an.scope_of[id(node)] = s
        self.stack.append(s)

    # scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.bind(node.name.value, Binding(self.an.start(node), None, "def"))
        outer = self.scope
        self._push("function", node)
        p = node.params
        for param in list(p.posonly_params) + list(p.params) + list(p.kwonly_params):
            self.scope.bind(param.name.value, Binding(-1, param.default, "param"))
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                self.scope.bind(star.name.value, Binding(-1, None, "unknown"))
        self.an.functions[id(self.scope)] = (node, outer)

    def leave_FunctionDef(self, node) -> None:
        self.stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._push("function", node)
        for param in node.params.params:
            self.scope.bind(param.name.value, Binding(-1, None, "unknown"))

    def leave_Lambda(self, node) -> None:
        self.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.bind(node.name.value, Binding(self.an.start(node), None, "unknown"))
        self._push("class", node)

    def leave_ClassDef(self, node) -> None:
        self.stack.pop()

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.scope.globals.add(item.name.value)

    # imports
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = cst.helpers.get_full_name_for_node(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.an.imports[alias.asname.name.value] = full
            else:
                head = full.split(".", 1)[0]
                self.an.imports.setdefault(head, head)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or node.relative or isinstance(node.names, cst.ImportStar):
            return
        mod = cst.helpers.get_full_name_for_node(node.module) or ""
        for alias in node.names:
            name = cst.helpers.get_full_name_for_node(alias.name) or ""
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            self.an.imports[local] = f"{mod}.{name}"

    # bindings
    def _target(self, target, value, pos: int, kind: str = "value", op: str = "") -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, Binding(pos, value, kind, op))
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            owner = target.value.value
            cls = self.scope if self.scope.kind == "class" else self.scope.class_scope()
            if cls is not None and (owner in ("self", "cls") or self.scope.kind == "class"):
                cls.attrs.setdefault(target.attr.value, []).append(Binding(pos, value, kind, op))
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = target.slice[0].slice.value
                if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
                    self.scope.key_sets.setdefault(target.value.value, []).append((pos, key.evaluated_value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._target(el.value, None, pos, "unknown")
        elif isinstance(target, cst.StarredElement):
            self._target(target.value, None, pos, "unknown")

    def visit_Assign(self, node: cst.Assign) -> None:
        self._record("Assign", node)
        pos = self.an.start(node)
        for t in node.targets:
            self._target(t.target, node.value, pos)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._record("AnnAssign", node)
        if node.value is not None:
            self._target(node.target, node.value, self.an.start(node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        pos = self.an.start(node)
        op = "+" if isinstance(node.operator, cst.AddAssign) else "|" if isinstance(node.operator, cst.BitOrAssign) else "?"
        if op == "|" and isinstance(node.target, cst.Name) and isinstance(node.value, cst.Dict):
            for el in node.value.elements:
                if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString):
                    self.scope.key_sets.setdefault(node.target.value, []).append((pos, str(el.key.evaluated_value)))
            return
        self._target(node.target, node.value, pos, "aug", op)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._record("NamedExpr", node)
        self._target(node.target, node.value, self.an.start(node))

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target, None, self.an.start(node), "unknown")

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target, None, self.an.start(node), "unknown")

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._record("WithItem", node)
            self._target(node.asname.name, node.item, self.an.start(node))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._target(node.name.name, None, self.an.start(node), "unknown")

    def visit_Call(self, node: cst.Call) -> None:
        self._record("Call", node)
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return
        var = func.value.value
        attr = func.attr.value
        pos = self.an.start(node)
        if attr in ("append", "extend", "insert", "remove", "pop", "clear", "reverse", "sort") and node.args:
            self.scope.list_ops.setdefault(var, []).append((pos, attr, node.args[-1].value))
        elif attr == "update":
            for a in node.args:
                if a.keyword is not None:
                    self.scope.key_sets.setdefault(var, []).append((pos, a.keyword.value))
                elif isinstance(a.value, cst.Dict):
                    for el in a.value.elements:
                        if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString):
                            self.scope.key_sets.setdefault(var, []).append((pos, str(el.key.evaluated_value)))
                else:
                    self.scope.key_sets.setdefault(var, []).append((pos, "*"))  # unknown keys
        elif attr == "setdefault" and node.args and isinstance(node.args[0].value, cst.SimpleString):
            self.scope.key_sets.setdefault(var, []).append((pos, str(node.args[0].value.evaluated_value)))

