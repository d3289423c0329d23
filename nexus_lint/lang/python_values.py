"""What a Python expression is worth: string values with offsets, lists and dicts.

:class:`Evaluator` follows names to their bindings (module-, class- or
function-level constants, ``self.x``, imports, the arguments of a call being
read inside the function it calls) and evaluates what it can read as a string:
literals (escapes decoded, every character at its offset), implicit
concatenation, ``+``, f-strings, ``%`` and ``.format``, ``"/".join([...])``,
``.strip()``/``.rstrip("/")``, ``str(...)``, ``.encode()``/``.decode()``;
``os.environ.get("X", "default")``/``os.getenv`` give their default,
``os.environ["X"]`` an unknown ``${X}``.  A part that cannot be resolved (a
parameter, the environment) stays as written (``{user_id}``) with no offset.
It also reads list values (literals, ``+``, later ``append``/``extend``,
``"a b".split()``) and finds the dict literal a name is bound to.

Nothing here knows what a value means: that is the file kind's business
(:mod:`nexus_lint.kinds.python_facts`).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

import ast

from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.python import PySource, is_const
from nexus_lint.lang.python_scopes import Binding, Frame, Scope
from nexus_lint.lang.python_strings import IDENT, PyStr, concat, decode_literal

MAX_DEPTH = 24  # nesting of constants through constants
_ENV_GET = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "environ.get"})


class Split:
    """A word of ``"a b".split()``: already a string."""

    def __init__(self, value: PyStr) -> None:
        self.value = value


class Evaluator(PySource):
    """A parsed file whose names and values can be looked up (once
    :class:`~nexus_lint.lang.python_scopes.Collector` has walked it)."""

    def __init__(self, source: PySource) -> None:
        self.__dict__.update(source.__dict__)
        self.imports: Dict[str, str] = {}  # local name -> qualified name
        self.scope_of: Dict[int, Scope] = {}  # id(node) -> scope it opens
        self.module_scope = Scope("module", self.tree, None, (0, len(self.text)))
        self._depth = 0
        self.functions: Dict[int, Tuple[ast.FunctionDef, Scope]] = {}  # id(scope) -> (def, scope it is in)
        self.frames: Dict[int, Frame] = {}  # id(function scope) -> the call being read inside it

    # -- names ------------------------------------------------------------------
    def qualname(self, node) -> Optional[str]:
        """``requests.put`` for ``requests.put``, ``r.put`` (``import requests as r``) or
        ``put`` (``from requests import put``)."""
        parts: List[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            name = node.id
        elif is_const(node, True) or is_const(node, False) or is_const(node, None):
            name = str(node.value)  # `True`/`None` count as the names they are written as
        else:
            return None
        head = self.imports.get(name, name)
        return ".".join([head] + parts[::-1])

    def lookup(self, name: str, scope: Scope, pos: int) -> Optional[Tuple[Binding, Scope]]:
        s: Optional[Scope] = scope
        first = True
        while s is not None:
            if s.kind == "function" and name in s.globals:
                s = self.module_scope
                first = False
                continue
            bs = s.bindings.get(name)
            if bs:
                if first:
                    before = [b for b in bs if b.pos < pos]
                    if before:
                        if before[-1].kind == "param" and self.frames:
                            return self._argument(name, s, before[-1])
                        return before[-1], s
                    if s.kind != "module":
                        return None  # bound later in this function: not yet
                    return None
                return bs[-1], s
            first = False
            s = s.parent
            while s is not None and s.kind == "class" and s is not scope:
                s = s.parent  # class bodies are not enclosing scopes for functions
        return None

    def _argument(self, name: str, scope: Scope, param: Binding) -> Optional[Tuple[Binding, Scope]]:
        frame = self.frames.get(id(scope))
        if frame is None:
            return param, scope
        arg = frame.args.get(name)
        if arg is not None:
            node, cscope, cpos = arg
            return Binding(cpos, node, "value"), cscope
        if param.node is not None:  # the default, evaluated where the function is defined
            return Binding(frame.def_pos, param.node, "value"), frame.def_scope
        return param, scope

    def attr_lookup(self, node: ast.Attribute, scope: Scope) -> Optional[Tuple[Binding, Scope]]:
        """``self.X``/``cls.X``/``ClassName.X`` -> the single binding of X in the class."""
        if not isinstance(node.value, ast.Name):
            return None
        cls = scope.class_scope()
        if cls is None:
            return None
        owner = node.value.id
        if owner not in ("self", "cls") and not (isinstance(cls.node, ast.ClassDef) and cls.node.name == owner):
            return None
        bs = cls.attrs.get(node.attr, [])
        values = [b for b in bs if b.kind == "value"]
        if len(values) == 1 and len(bs) == 1:
            return values[0], cls
        return None

    # -- values -------------------------------------------------------------------
    def string(self, node, scope: Scope, pos: int) -> Optional[PyStr]:
        """The string ``node`` evaluates to, or ``None`` when it is not a string we can read."""
        if self._depth > MAX_DEPTH:
            return None
        self._depth += 1
        try:
            return self._string(node, scope, pos)
        finally:
            self._depth -= 1

    def string_or_hole(self, node, scope: Scope, pos: int) -> PyStr:
        v = self.string(node, scope, pos)
        if v is not None:
            return v
        name = self.qualname(node) or "_"
        return PyStr.hole("{" + self.code(node) + "}", name.rsplit(".", 1)[-1])

    def _string(self, node, scope: Scope, pos: int) -> Optional[PyStr]:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, (str, bytes)):
                return self._literal_string(node, scope, pos)
            if isinstance(v, int) and not isinstance(v, bool):  # as written: 0x1F, 1_000
                s, e = self.span(node)
                return PyStr(SourcedStr.literal(self.text[s:e], s))
            return None
        if isinstance(node, ast.JoinedStr):
            return self._literal_string(node, scope, pos)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                left = self.string(node.left, scope, pos)
                right = self.string(node.right, scope, pos)
                if left is None and right is None:
                    return None
                if left is None:
                    left = self.string_or_hole(node.left, scope, pos)
                if right is None:
                    right = self.string_or_hole(node.right, scope, pos)
                return left + right
            if isinstance(node.op, ast.Mod):
                return self._percent(node, scope, pos)
            return None
        if isinstance(node, ast.Name):
            found = self.lookup(node.id, scope, pos)
            if found is None:
                return None
            return self._binding_string(node.id, found[0], found[1])
        if isinstance(node, ast.Attribute):
            found = self.attr_lookup(node, scope)
            if found is None:
                return None
            return self._binding_string(node.attr, found[0], found[1])
        if isinstance(node, ast.Call):
            return self._call_string(node, scope, pos)
        if isinstance(node, ast.Subscript):
            key = self._environ_key(node)
            if key is not None:
                return PyStr.hole("${%s}" % key, key).via(key)
        return None

    def _binding_string(self, name: str, b: Binding, scope: Scope) -> Optional[PyStr]:
        if b.kind == "value" and b.node is not None:
            v = self.string(b.node, scope, b.pos)
            return v.via(name) if v is not None else None
        if b.kind == "aug" and b.op == "+" and b.node is not None:
            prev = self.lookup(name, scope, b.pos)
            if prev is None:
                return None
            left = self._binding_string(name, prev[0], prev[1])
            right = self.string(b.node, scope, b.pos)
            if left is None or right is None:
                return None
            return left + right
        return None

    def _literal_string(self, node, scope: Scope, pos: int) -> Optional[PyStr]:
        """A string literal, implicitly concatenated ones and f-strings (their
        fields evaluated), every character at its offset."""
        lits = self.literals(node)
        if not lits:
            return None
        text = self.text
        exprs = iter([v.value for v in node.values if isinstance(v, ast.FormattedValue)]
                     if isinstance(node, ast.JoinedStr) else ())
        parts: List[PyStr] = []
        for lit in lits:
            raw = "r" in lit.prefix
            if "f" not in lit.prefix:
                parts.append(PyStr(decode_literal(text[lit.body:lit.end], lit.body, raw, "b" in lit.prefix, False)))
                continue
            pieces: List[PyStr] = []
            k = lit.body
            for field in lit.fields:
                if field.start > k:
                    pieces.append(PyStr(decode_literal(text[k:field.start], k, raw, False, True)))
                expr = next(exprs, None)
                if expr is None:
                    return None
                v = None
                if field.conversion in (None, "s") and not field.spec and not field.equal:
                    v = self.string(expr, scope, pos)
                if v is None:
                    name = self.qualname(expr) or "_"
                    v = PyStr.hole("{" + self.code(expr) + "}", name.rsplit(".", 1)[-1])
                pieces.append(v)
                k = field.end
            if lit.end > k:
                pieces.append(PyStr(decode_literal(text[k:lit.end], k, raw, False, True)))
            parts.append(concat(pieces) if pieces else PyStr(SourcedStr("")))
        return concat(parts)

    def _percent(self, node: ast.BinOp, scope: Scope, pos: int) -> Optional[PyStr]:
        fmt = self.string(node.left, scope, pos)
        if fmt is None:
            return None
        right = node.right
        args = [e.value if isinstance(e, ast.Starred) else e for e in right.elts] if isinstance(right, ast.Tuple) else [right]
        out: List[PyStr] = []
        text = fmt.text
        last = 0
        k = 0
        for m in re.finditer(r"%(?:\(([A-Za-z_][A-Za-z0-9_]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdirf%])", text):
            out.append(fmt.slice(last, m.start()))
            if m.group(2) == "%":
                out.append(fmt.slice(m.start() + 1, m.end()))
            elif m.group(1) is not None:
                out.append(PyStr.hole(m.group(), m.group(1)))
            else:
                if k < len(args):
                    out.append(self.string_or_hole(args[k], scope, pos))
                else:
                    out.append(PyStr.hole(m.group()))
                k += 1
            last = m.end()
        out.append(fmt.slice(last, len(text)))
        return concat(out)

    def _format(self, fmt: PyStr, call: ast.Call, scope: Scope, pos: int) -> PyStr:
        args = self.args(call)
        positional = [a.value for a in args if a.keyword is None and not a.star]
        named = {a.keyword: a.value for a in args if a.keyword is not None}
        text = fmt.text
        out: List[PyStr] = []
        last = 0
        auto = 0
        for m in re.finditer(r"\{\{|\}\}|\{([^{}!:]*)([!:][^{}]*)?\}", text):
            out.append(fmt.slice(last, m.start()))
            g = m.group()
            if g in ("{{", "}}"):
                out.append(fmt.slice(m.start(), m.start() + 1))
            else:
                field_name, spec = m.group(1), m.group(2)
                arg = None
                if field_name == "":
                    arg = positional[auto] if auto < len(positional) else None
                    auto += 1
                elif field_name.isdigit():
                    idx = int(field_name)
                    arg = positional[idx] if idx < len(positional) else None
                elif IDENT.match(field_name):
                    arg = named.get(field_name)
                if arg is None or spec:
                    out.append(PyStr.hole(g, field_name or "_"))
                else:
                    out.append(self.string_or_hole(arg, scope, pos))
            last = m.end()
        out.append(fmt.slice(last, len(text)))
        return concat(out)

    def _call_string(self, node: ast.Call, scope: Scope, pos: int) -> Optional[PyStr]:
        func = node.func
        qual = self.qualname(func)
        args = self.args(node)
        if qual in _ENV_GET or (qual or "").endswith(".environ.get"):
            if args and args[0].keyword is None:
                key = self.string(args[0].value, scope, pos)
                name = key.text if key is not None and key.known else "_"
                default = next((a.value for a in args[1:2] if a.keyword is None), None)
                default = default or next((a.value for a in args if a.keyword == "default"), None)
                if default is not None:
                    v = self.string(default, scope, pos)
                    if v is not None:
                        return v.via(name)
                return PyStr.hole("${%s}" % name, name).via(name)
            return None
        if qual == "str" and len(args) == 1:
            return self.string(args[0].value, scope, pos)
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if attr == "format":
                fmt = self.string(func.value, scope, pos)
                return self._format(fmt, node, scope, pos) if fmt is not None else None
            if attr in ("strip", "rstrip", "lstrip"):
                v = self.string(func.value, scope, pos)
                if v is None:
                    return None
                chars = None
                if args:
                    c = self.string(args[0].value, scope, pos)
                    if c is None or not c.known:
                        return v
                    chars = c.text
                t = v.text
                left = len(t) - len(t.lstrip(chars)) if attr in ("strip", "lstrip") else 0
                right = len(t.rstrip(chars)) if attr in ("strip", "rstrip") else len(t)
                if any(s < left or e > right for s, e, _ in v.holes):
                    return v  # would cut into an unknown part
                return v.slice(left, max(left, right))
            if attr == "join" and len(args) == 1:
                sep = self.string(func.value, scope, pos)
                items = self.sequence(args[0].value, scope, pos)
                if sep is None or items is None or not items:
                    return None
                parts: List[PyStr] = []
                for k, (item, iscope, ipos) in enumerate(items):
                    if k:
                        parts.append(PyStr(SourcedStr.unknown(sep.text)))
                    if isinstance(item, Split):
                        parts.append(item.value)
                    else:
                        parts.append(self.string_or_hole(item, iscope, ipos) if item is not None else PyStr.hole("{*}"))
                return concat(parts)
            if attr in ("encode", "decode"):
                return self.string(func.value, scope, pos)
        return None

    def _environ_key(self, node: ast.Subscript) -> Optional[str]:
        q = self.qualname(node.value)
        if q not in ("os.environ", "environ"):
            return None
        v = self.simple_string(node.slice)
        return v if isinstance(v, str) else None

    # -- containers -------------------------------------------------------------------
    def sequence(self, node, scope: Scope, pos: int, depth: int = 0):
        """Elements of a list/tuple value as ``(node or None for *x, scope, pos)``, or ``None``."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.List, ast.Tuple)):
            out = []
            for el in node.elts:
                if isinstance(el, ast.Starred):
                    inner = self.sequence(el.value, scope, pos, depth + 1)
                    if inner is None:
                        out.append((None, scope, pos))
                    else:
                        out.extend(inner)
                else:
                    out.append((el, scope, pos))
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.sequence(node.left, scope, pos, depth + 1)
            right = self.sequence(node.right, scope, pos, depth + 1)
            if left is None or right is None:
                return None
            return left + right
        if isinstance(node, ast.Name):
            found = self.lookup(node.id, scope, pos)
            if found is None:
                return None
            b, bscope = found
            if b.kind == "value" and b.node is not None:
                base = self.sequence(b.node, bscope, b.pos, depth + 1)
            elif b.kind == "aug" and b.op == "+" and b.node is not None:
                prev = self.sequence(node, bscope, b.pos, depth + 1) if self.lookup(node.id, bscope, b.pos) else None
                extra = self.sequence(b.node, bscope, b.pos, depth + 1)
                base = prev + extra if prev is not None and extra is not None else None
            else:
                base = None
            if base is None:
                return None
            end = pos if bscope is scope else bscope.span[1]
            for opos, op, arg in bscope.list_ops.get(node.id, ()):
                if b.pos < opos < end:
                    if op == "append":
                        base = base + [(arg, bscope, opos)]
                    elif op == "extend":
                        more = self.sequence(arg, bscope, opos, depth + 1)
                        base = base + (more if more is not None else [(None, bscope, opos)])
                    else:  # insert or anything that reorders: give up
                        return None
            return base
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "split" and not node.args and not node.keywords:
                v = self.string(func.value, scope, pos)
                if v is not None and v.known:
                    return [(Split(v.slice(m.start(), m.end())), scope, pos) for m in re.finditer(r"\S+", v.text)]
        return None

    def dict_node(self, node, scope: Scope, pos: int, depth: int = 0):
        """``(ast.Dict, its scope, variable name, binding pos)`` for a dict literal or a
        variable bound to one."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Dict):
            return node, scope, None, pos
        if isinstance(node, ast.Name):
            found = self.lookup(node.id, scope, pos)
            if found is None:
                return None
            b, bscope = found
            if b.kind != "value" or b.node is None:
                return None
            if isinstance(b.node, ast.Dict):
                return b.node, bscope, node.id, b.pos
            return self.dict_node(b.node, bscope, b.pos, depth + 1)
        return None

