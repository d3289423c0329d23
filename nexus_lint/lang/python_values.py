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

import libcst as cst

from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.python import PySource
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
        self.text = source.text
        self.module = source.module
        self.positions = source.positions
        self.line_starts = source.line_starts
        self.imports: Dict[str, str] = {}  # local name -> qualified name
        self.scope_of: Dict[int, Scope] = {}  # id(node) -> scope it opens
        self.module_scope = Scope("module", self.module, None, (0, len(self.text)))
        self._depth = 0
        self.functions: Dict[int, Tuple[cst.FunctionDef, Scope]] = {}  # id(scope) -> (def, scope it is in)
        self.frames: Dict[int, Frame] = {}  # id(function scope) -> the call being read inside it

    # -- names ------------------------------------------------------------------
    def qualname(self, node) -> Optional[str]:
        """``requests.put`` for ``requests.put``, ``r.put`` (``import requests as r``) or
        ``put`` (``from requests import put``)."""
        parts: List[str] = []
        while isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        head = self.imports.get(node.value, node.value)
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

    def attr_lookup(self, node: cst.Attribute, scope: Scope) -> Optional[Tuple[Binding, Scope]]:
        """``self.X``/``cls.X``/``ClassName.X`` -> the single binding of X in the class."""
        if not isinstance(node.value, cst.Name):
            return None
        cls = scope.class_scope()
        if cls is None:
            return None
        owner = node.value.value
        if owner not in ("self", "cls") and not (isinstance(cls.node, cst.ClassDef) and cls.node.name.value == owner):
            return None
        bs = cls.attrs.get(node.attr.value, [])
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
        if isinstance(node, cst.SimpleString):
            prefix = node.prefix.lower()
            q = node.quote
            s = self.start(node)
            body = node.value[len(node.prefix) + len(q):len(node.value) - len(q)]
            return PyStr(decode_literal(body, s + len(node.prefix) + len(q), "r" in prefix, "b" in prefix, False))
        if isinstance(node, cst.ConcatenatedString):
            left = self.string(node.left, scope, pos)
            right = self.string(node.right, scope, pos)
            if left is None or right is None:
                return None
            return left + right
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, scope, pos)
        if isinstance(node, cst.Integer):
            return PyStr(SourcedStr.literal(node.value, self.start(node)))
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add):
                left = self.string(node.left, scope, pos)
                right = self.string(node.right, scope, pos)
                if left is None and right is None:
                    return None
                if left is None:
                    left = self.string_or_hole(node.left, scope, pos)
                if right is None:
                    right = self.string_or_hole(node.right, scope, pos)
                return left + right
            if isinstance(node.operator, cst.Modulo):
                return self._percent(node, scope, pos)
            return None
        if isinstance(node, cst.Name):
            found = self.lookup(node.value, scope, pos)
            if found is None:
                return None
            return self._binding_string(node.value, found[0], found[1])
        if isinstance(node, cst.Attribute):
            found = self.attr_lookup(node, scope)
            if found is None:
                return None
            return self._binding_string(node.attr.value, found[0], found[1])
        if isinstance(node, cst.Call):
            return self._call_string(node, scope, pos)
        if isinstance(node, cst.Subscript):
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

    def _fstring(self, node: cst.FormattedString, scope: Scope, pos: int) -> Optional[PyStr]:
        raw = "r" in node.prefix.lower()
        parts: List[PyStr] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(PyStr(decode_literal(part.value, self.start(part), raw, False, True)))
            elif isinstance(part, cst.FormattedStringExpression):
                v = None
                if part.conversion in (None, "s") and not part.format_spec and part.equal is None:
                    v = self.string(part.expression, scope, pos)
                if v is None:
                    name = self.qualname(part.expression) or "_"
                    v = PyStr.hole("{" + self.code(part.expression) + "}", name.rsplit(".", 1)[-1])
                parts.append(v)
            else:
                return None
        if not parts:
            return PyStr(SourcedStr(""))
        return concat(parts)

    def _percent(self, node: cst.BinaryOperation, scope: Scope, pos: int) -> Optional[PyStr]:
        fmt = self.string(node.left, scope, pos)
        if fmt is None:
            return None
        right = node.right
        args = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
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

    def _format(self, fmt: PyStr, call: cst.Call, scope: Scope, pos: int) -> PyStr:
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        named = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
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

    def _call_string(self, node: cst.Call, scope: Scope, pos: int) -> Optional[PyStr]:
        func = node.func
        qual = self.qualname(func)
        args = node.args
        if qual in _ENV_GET or (qual or "").endswith(".environ.get"):
            if args and args[0].keyword is None:
                key = self.string(args[0].value, scope, pos)
                name = key.text if key is not None and key.known else "_"
                default = next((a.value for a in args[1:2] if a.keyword is None), None)
                default = default or next((a.value for a in args if a.keyword and a.keyword.value == "default"), None)
                if default is not None:
                    v = self.string(default, scope, pos)
                    if v is not None:
                        return v.via(name)
                return PyStr.hole("${%s}" % name, name).via(name)
            return None
        if qual == "str" and len(args) == 1:
            return self.string(args[0].value, scope, pos)
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
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

    def _environ_key(self, node: cst.Subscript) -> Optional[str]:
        q = self.qualname(node.value)
        if q not in ("os.environ", "environ"):
            return None
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            v = node.slice[0].slice.value
            if isinstance(v, cst.SimpleString):
                return v.evaluated_value if isinstance(v.evaluated_value, str) else None
        return None

    # -- containers -------------------------------------------------------------------
    def sequence(self, node, scope: Scope, pos: int, depth: int = 0):
        """Elements of a list/tuple value as ``(node or None for *x, scope, pos)``, or ``None``."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (cst.List, cst.Tuple)):
            out = []
            for el in node.elements:
                if isinstance(el, cst.StarredElement):
                    inner = self.sequence(el.value, scope, pos, depth + 1)
                    if inner is None:
                        out.append((None, scope, pos))
                    else:
                        out.extend(inner)
                else:
                    out.append((el.value, scope, pos))
            return out
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self.sequence(node.left, scope, pos, depth + 1)
            right = self.sequence(node.right, scope, pos, depth + 1)
            if left is None or right is None:
                return None
            return left + right
        if isinstance(node, cst.Name):
            found = self.lookup(node.value, scope, pos)
            if found is None:
                return None
            b, bscope = found
            if b.kind == "value" and b.node is not None:
                base = self.sequence(b.node, bscope, b.pos, depth + 1)
            elif b.kind == "aug" and b.op == "+" and b.node is not None:
                prev = self.sequence(node, bscope, b.pos, depth + 1) if self.lookup(node.value, bscope, b.pos) else None
                extra = self.sequence(b.node, bscope, b.pos, depth + 1)
                base = prev + extra if prev is not None and extra is not None else None
            else:
                base = None
            if base is None:
                return None
            end = pos if bscope is scope else bscope.span[1]
            for opos, op, arg in bscope.list_ops.get(node.value, ()):
                if b.pos < opos < end:
                    if op == "append":
                        base = base + [(arg, bscope, opos)]
                    elif op == "extend":
                        more = self.sequence(arg, bscope, opos, depth + 1)
                        base = base + (more if more is not None else [(None, bscope, opos)])
                    else:  # insert or anything that reorders: give up
                        return None
            return base
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "split" and not node.args:
                v = self.string(func.value, scope, pos)
                if v is not None and v.known:
                    return [(Split(v.slice(m.start(), m.end())), scope, pos) for m in re.finditer(r"\S+", v.text)]
        return None

    def dict_node(self, node, scope: Scope, pos: int, depth: int = 0):
        """``(cst.Dict, its scope, variable name, binding pos)`` for a dict literal or a
        variable bound to one."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Dict):
            return node, scope, None, pos
        if isinstance(node, cst.Name):
            found = self.lookup(node.value, scope, pos)
            if found is None:
                return None
            b, bscope = found
            if b.kind != "value" or b.node is None:
                return None
            if isinstance(b.node, cst.Dict):
                return b.node, bscope, node.value, b.pos
            return self.dict_node(b.node, bscope, b.pos, depth + 1)
        return None

