"""Python scripts analysed as code (libcst): the facts they hold, with exact spans.

Imported only by :mod:`nexus_lint.kinds.python`, and only for a file that
passed its keyword prefilter, so a run that meets no such file never imports
libcst.

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
* the comments and statement spans suppressions need.

Docstrings, comments and prose strings never become facts.
"""

from __future__ import annotations

from nexus_lint.core.record import field, record
from typing import Dict, List, Optional, Tuple

import libcst as cst

from nexus_lint.core.model import ParseProblem
from nexus_lint.kinds.python_commands import CommandCalls
from nexus_lint.kinds.python_docker import DockerCalls
from nexus_lint.kinds.python_http import HttpCalls
from nexus_lint.lang.python import Span, parse
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
        self.tries: Tuple[cst.Try, ...] = ()
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

    # -- comments and statements (suppressions) ---------------------------------------
    def visit_Comment(self, node: cst.Comment) -> None:
        s, e = self.an.span(node)
        self.out.comments.append((s, e, node.value))

    def visit_SimpleStatementLine(self, node) -> None:
        self.out.statements.append(self.an.span(node))

    # -- bindings of call results ----------------------------------------------------------
    def _bind_result(self, value, name_node) -> None:
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Call) and isinstance(name_node, cst.Name):
            self.targets[id(value)] = name_node.value

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._bind_result(node.value, node.targets[0].target)
        for t in node.targets:
            self._url_site(node.value, _target_key(t.target, self.an), "assign", f"{self.an.code(t.target)} =")

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_result(node.value, node.target)
            self._url_site(node.value, _target_key(node.target, self.an), "assign", f"{self.an.code(node.target)} =")

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_result(node.item, node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_result(node.value, node.target)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString) and isinstance(node.key.evaluated_value, str):
            self._url_site(node.value, node.key.evaluated_value, "dict", f"{{{node.key.value}: ...}}")

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._url_site(node.value, node.keyword.value, "keyword", f"{node.keyword.value}=")

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._url_site(node.default, node.name.value, "assign", f"{node.name.value}=")

    # -- URL-valued strings and literal sites ------------------------------------------------
    def _url_site(self, value, key: Optional[str], kind: str, origin: str) -> None:
        if not isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.BinaryOperation,
                                  cst.Tuple, cst.List)):
            return
        an = self.an
        pos = an.start(value)
        if isinstance(value, (cst.Tuple, cst.List)):
            if key is not None and len(value.elements) <= 4:
                items = [an.string(el.value, self.scope, pos) for el in value.elements
                         if not isinstance(el, cst.StarredElement)]
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
    def visit_Call(self, node: cst.Call) -> None:
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
            if isinstance(func, cst.Attribute):
                self._method_call(node, pos, func)
        finally:
            for a in node.args:
                if a.keyword is not None and a.keyword.value in ("auth",):
                    self._auth_arg(a.value, qual or "")
                if a.keyword is not None and a.keyword.value == "headers":
                    self._headers(a.value, qual or "")

    def _method_call(self, node: cst.Call, pos: int, func: cst.Attribute) -> None:
        attr = func.attr.value
        recv = func.value
        if self._docker_call(node, pos, recv, attr):
            return
        if self._session_call(node, pos, recv, attr):
            return
        self._task_runner_call(node, pos, recv, attr)

    # -- credential literal sites ------------------------------------------------------------------
    def _auth_pair(self, node: cst.Call, qual: str) -> None:
        an = self.an
        pos = an.start(node)
        values = [an.string(a.value, self.scope, pos) for a in node.args[:2] if a.keyword is None]
        kw = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
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
        if isinstance(node, cst.Name):
            found = an.lookup(node.value, self.scope, pos)
            if found is None or found[0].node is None:
                return
            node = found[0].node
            scope, pos = found[1], found[0].pos
        else:
            scope = self.scope
        if isinstance(node, (cst.Tuple, cst.List)):
            values = [an.string(el.value, scope, pos) for el in node.elements if not isinstance(el, cst.StarredElement)]
            if values and all(v is not None for v in values):
                self.out.sites.append(LiteralSite("auth", "auth", tuple(values), an.span(node), callee))

    def _headers(self, value, callee: str) -> None:
        an = self.an
        found = an.dict_node(value, self.scope, an.start(value))
        if found is None:
            return
        d, dscope, _, dpos = found
        for el in d.elements:
            if isinstance(el, cst.DictElement):
                k = an.string(el.key, dscope, dpos)
                v = an.string(el.value, dscope, dpos)
                if k is not None and k.known and v is not None:
                    self.out.sites.append(LiteralSite("header", k.text, (v,), an.span(el.value), callee))


def _callee_key(func) -> Optional[str]:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        return "self." + func.attr.value
    return None


def _target_key(target, an: Evaluator) -> Optional[str]:
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript):
        if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = target.slice[0].slice.value
            if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
                return key.evaluated_value
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
        an.module.visit(collector)
        fx = FactReader(an)
        fx.run(collector.events)
        fx.resolve_responses()
    except SyntaxError as exc:
        # a string literal libcst reads but CPython rejects (a truncated \u
        # escape, a NUL byte): evaluating it fails, and the file is not Python
        return PyAnalysis(problem=ParseProblem(f"not valid Python: {exc.msg}", 0, 0))
    return fx.out
