"""Python scripts analysed as code (the standard library's ``ast``): the facts they hold, with exact spans.

Imported only by :mod:`nexus_lint.kinds.python`, and only for a file that
passed its keyword prefilter.

:func:`analyse` parses the file (:mod:`nexus_lint.lang.python`), walks it once
for scopes and bindings (:class:`~nexus_lint.lang.python_scopes.Collector`),
then reads the nodes that walk recorded, in source order, with every value
evaluated as far as the file allows (:mod:`nexus_lint.lang.python_values`):

* **HTTP calls** through requests, httpx, aiohttp and urllib: method, URL, the
  JSON body and how the response is handled (:mod:`~nexus_lint.kinds.python_http`);
* **commands** run by ``subprocess.*``, ``os.system`` and friends, handed to the
  one shell analyser and the command knowledge (:mod:`~nexus_lint.kinds.python_commands`);
* **docker SDK** calls: the images pulled, pushed, built and run
  (:mod:`~nexus_lint.kinds.python_docker`);
* **URL-valued strings** assigned to a name, passed as a keyword or held in a
  dict (a whole string that is one URL, so prose never counts);
* the **literal sites** credential rules need (assignments, call keywords,
  ``auth=`` pairs, header dicts): see :class:`LiteralSite`;
* the statement spans suppressions need, and the comments that hold a
  ``nexus-lint`` marker.

Docstrings, comments and prose strings never become facts.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from nexus_lint.core.model import ParseProblem
from nexus_lint.core.record import field, record
from nexus_lint.kinds.python_commands import CommandCalls
from nexus_lint.kinds.python_docker import DockerCalls
from nexus_lint.kinds.python_http import HttpCalls
from nexus_lint.lang.python import Span, TooDeep, comments, parse, problem_too_deep
from nexus_lint.lang.python_scopes import Collector, Scope
from nexus_lint.lang.python_strings import PyStr
from nexus_lint.lang.python_values import Evaluator


__all__ = ["LiteralSite", "PyAnalysis", "analyse"]

_AUTH_CTORS = frozenset({"requests.auth.HTTPBasicAuth", "requests.auth.HTTPDigestAuth", "requests.HTTPBasicAuth",
                         "httpx.BasicAuth", "httpx.DigestAuth", "aiohttp.BasicAuth", "HTTPBasicAuth",
                         "HTTPDigestAuth", "BasicAuth"})


@record(frozen=True)
class LiteralSite:
    """A place where code hands a literal to a name, a keyword or a header.

    ``kind`` is ``assign`` (``NAME = value``, ``self.x = ...``, ``os.environ["K"] = ...``),
    ``keyword`` (``f(key=value)``; ``callee`` names the function), ``dict``
    (``{"key": value}``), ``auth`` (``auth=("user", "pass")``,
    ``HTTPBasicAuth("user", "pass")``: ``values`` holds both) or ``header``
    (a ``headers={...}`` entry).  ``values`` are the string values (one, or the
    items of a tuple/list); ``span`` is where the value expression stands.
    Credential rules read these (see ``nexus_lint.kinds.python.credential_facts``).
    """

    kind: str
    key: str
    values: Tuple[PyStr, ...]
    span: Span
    callee: str = ""


@record
class PyAnalysis:
    facts: List[object] = field(default_factory=list)
    sites: List[LiteralSite] = field(default_factory=list)
    comments: List[Tuple[int, int, str]] = field(default_factory=list)  # (start, end, text)
    statements: List[Span] = field(default_factory=list)  # spans of simple statements
    problem: Optional[ParseProblem] = None



class FactReader(HttpCalls, DockerCalls, CommandCalls):
    """Pass 2: reads the nodes the walk recorded, in source order, each with the
    scope and ``try`` blocks it stands in."""

    def __init__(self, an: Evaluator) -> None:
        super().__init__()
        self.an = an
        self.scope: Scope = an.module_scope
        self.tries: Tuple[ast.Try, ...] = ()
        self.out = PyAnalysis()
        self.targets: Dict[int, str] = {}  # id(call) -> name its result is bound to
        self.calls: Dict[str, List[tuple]] = {}  # "name" / "self.name" -> the calls of it

    def run(self, events) -> None:
        for what, node, scope, tries in events:
            self.scope = scope
            self.tries = tries
            getattr(self, "visit_" + what)(node)
            if what == "Call":
                key = _callee_key(node.func)
                if key is not None:
                    self.calls.setdefault(key, []).append((node, scope, tries))
        self.inline_wrappers()

    # -- bindings of call results ----------------------------------------------------------
    def _bind_result(self, value, name_node) -> None:
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call) and isinstance(name_node, ast.Name):
            self.targets[id(value)] = name_node.id

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self._bind_result(node.value, node.targets[0])
        for t in node.targets:
            self._url_site(node.value, _target_key(t, self.an), "assign", f"{self.an.code(t)} =")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind_result(node.value, node.target)
            self._url_site(node.value, _target_key(node.target, self.an), "assign", f"{self.an.code(node.target)} =")

    def visit_WithItem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind_result(node.context_expr, node.optional_vars)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind_result(node.value, node.target)

    def visit_DictElement(self, item) -> None:
        key, value = item
        k = self.an.simple_string(key)
        if isinstance(k, str):
            self._url_site(value, k, "dict", f"{{{self.an.code(key)}: ...}}")

    def visit_Arg(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self._url_site(node.value, node.arg, "keyword", f"{node.arg}=")

    def visit_Param(self, item) -> None:
        param, default = item
        self._url_site(default, param.arg, "assign", f"{param.arg}=")

    # -- URL-valued strings and literal sites ------------------------------------------------
    def _url_site(self, value, key: Optional[str], kind: str, origin: str) -> None:
        if not (isinstance(value, (ast.JoinedStr, ast.BinOp, ast.Tuple, ast.List))
                or (isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes)))):
            return
        an = self.an
        pos = an.start(value)
        if isinstance(value, (ast.Tuple, ast.List)):
            if key is not None and len(value.elts) <= 4:
                items = [an.string(el, self.scope, pos) for el in value.elts if not isinstance(el, ast.Starred)]
                if items and all(v is not None for v in items):
                    self.out.sites.append(LiteralSite(kind, key, tuple(items), an.span(value)))
            return
        v = an.string(value, self.scope, pos)
        if v is None:
            return
        if key is not None:
            self.out.sites.append(LiteralSite(kind, key, (v,), an.span(value)))
        from nexus_lint.tools.urls import url_facts_in_value
        from nexus_lint.values.urls import find_urls

        stripped = v.text.strip()
        urls = find_urls(stripped)
        if len(urls) != 1 or urls[0] != (0, len(stripped)):
            return  # prose, or not a URL at all
        lead = len(v.text) - len(v.text.lstrip())
        part = v.value[lead:lead + len(stripped)]
        for fact in url_facts_in_value(part, key or "", origin, an.span(value), v.vars):
            self.out.facts.append(fact)

    # -- calls --------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        an = self.an
        func = node.func
        pos = an.start(node)
        if self._raise_for_status(node, func, pos):
            return
        qual = an.qualname(func)
        try:
            if self._http_function(node, pos, qual):
                return
            if qual in _AUTH_CTORS or (qual or "").rsplit(".", 1)[-1] in ("HTTPBasicAuth", "HTTPDigestAuth"):
                self._auth_pair(node, qual or "HTTPBasicAuth")
            if self._command_call(node, pos, qual):
                return
            if isinstance(func, ast.Attribute):
                self._method_call(node, pos, func)
        finally:
            for a in an.args(node):
                if a.keyword == "auth":
                    self._auth_arg(a.value, qual or "")
                if a.keyword == "headers":
                    self._headers(a.value, qual or "")

    def _method_call(self, node: ast.Call, pos: int, func: ast.Attribute) -> None:
        attr = func.attr
        recv = func.value
        if self._docker_call(node, pos, recv, attr):
            return
        if self._session_call(node, pos, recv, attr):
            return
        self._task_runner_call(node, pos, recv, attr)

    # -- credential literal sites ------------------------------------------------------------------
    def _auth_pair(self, node: ast.Call, qual: str) -> None:
        an = self.an
        pos = an.start(node)
        args = an.args(node)
        values = [an.string(a.value, self.scope, pos) for a in args[:2] if a.keyword is None]
        kw = {a.keyword: a.value for a in args if a.keyword is not None}
        for name in ("username", "login", "password"):
            if name in kw:
                values.append(an.string(kw[name], self.scope, pos))
        values = [v for v in values if v is not None]
        if values:
            self.out.sites.append(LiteralSite("auth", qual.rsplit(".", 1)[-1], tuple(values), an.span(node), qual))

    def _auth_arg(self, value, callee: str) -> None:
        an = self.an
        pos = an.start(value)
        node = value
        if isinstance(node, ast.Name):
            found = an.lookup(node.id, self.scope, pos)
            if found is None or found[0].node is None:
                return
            node = found[0].node
            scope, pos = found[1], found[0].pos
        else:
            scope = self.scope
        if isinstance(node, (ast.Tuple, ast.List)):
            values = [an.string(el, scope, pos) for el in node.elts if not isinstance(el, ast.Starred)]
            if values and all(v is not None for v in values):
                self.out.sites.append(LiteralSite("auth", "auth", tuple(values), an.span(node), callee))

    def _headers(self, value, callee: str) -> None:
        an = self.an
        found = an.dict_node(value, self.scope, an.start(value))
        if found is None:
            return
        d, dscope, _, dpos = found
        for key, value in zip(d.keys, d.values):
            if key is not None:
                k = an.string(key, dscope, dpos)
                v = an.string(value, dscope, dpos)
                if k is not None and k.known and v is not None:
                    self.out.sites.append(LiteralSite("header", k.text, (v,), an.span(value), callee))


def _callee_key(func) -> Optional[str]:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return "self." + func.attr
    return None


def _target_key(target, an: Evaluator) -> Optional[str]:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        key = an.simple_string(target.slice)
        if isinstance(key, str):
            return key
    return None



def analyse(text: str) -> PyAnalysis:
    """Facts and literal sites of the Python source ``text``; a syntax error gives
    ``problem`` (and nothing else)."""
    source = parse(text)
    if isinstance(source, ParseProblem):
        return PyAnalysis(problem=source)
    an = Evaluator(source)
    try:
        collector = Collector(an)
        collector.run()
        fx = FactReader(an)
        fx.run(collector.events)
        fx.resolve_responses()
    except TooDeep:
        return PyAnalysis(problem=problem_too_deep())
    fx.out.statements = collector.statements
    if "nexus-lint" in text:
        fx.out.comments = comments(text, "nexus-lint")
    return fx.out
