"""HTTP calls in Python scripts: requests, httpx, aiohttp, urllib.

The part of the Python reader (:mod:`nexus_lint.kinds.python_facts`) that knows
HTTP client libraries: calls through ``requests``, ``httpx``, ``aiohttp``/
``requests`` sessions and clients (``with requests.Session() as s``,
``self.session``, ``httpx.Client(base_url=...)``) and ``urllib.request``
(``urlopen``, ``Request(..., method="PUT")``) give the method, the URL (a
:class:`~nexus_lint.core.model.UrlFact`) and an
:class:`~nexus_lint.core.model.ApiCallFact` with the JSON object sent (a dict
literal or a variable bound to one, ``json.dumps(...)``, JSON text), the keys
added later (``body["source"] = ...``, ``body.update(...)``) and how the
response is handled (``raise_for_status()``, ``urlopen`` raising, status codes
compared), which is known once the whole file is read
(:meth:`HttpCalls.resolve_responses`).

A function that wraps an HTTP call with its parameters
(``def _request(self, method, path, **kw)``) is read again at each of its
calls, as that call (one level, :meth:`HttpCalls.inline_wrappers`).
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import API, BROWSE, HEALTH, UPLOAD, ApiCallFact, JsonBody, UrlFact
from nexus_lint.core.record import field, record
from nexus_lint.lang.python import Span, dotted_name
from nexus_lint.lang.python_scopes import Scope, bind_arguments
from nexus_lint.lang.python_strings import PyStr
from nexus_lint.lang.python_values import MAX_DEPTH, Evaluator


MAX_SITES = 200  # calls of one wrapper function read as HTTP calls
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_HTTP_MODULES = frozenset({"requests", "requests.api", "httpx"})
_SESSION_CTORS = frozenset({
    "requests.Session", "requests.session", "requests.sessions.Session", "requests.sessions.session",
    "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession",
})
_SESSIONISH = lazy_re(r"(?i)session|client|http")
_URLOPEN = frozenset({"urllib.request.urlopen", "urllib2.urlopen"})
_REQUEST = frozenset({"urllib.request.Request", "urllib2.Request"})
_JSON_DUMPS = frozenset({"json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps"})
# Exceptions whose handler would catch an HTTP error status
_HTTP_ERRORS = frozenset({"HTTPError", "RequestException", "HTTPStatusError", "ClientResponseError", "IOError",
                          "OSError", "Exception", "BaseException", "URLError", "EnvironmentError"})
_STATUS_NAMES = {"INTERNAL_SERVER_ERROR": 500, "internal_server_error": 500, "server_error": 500,
                 "CONFLICT": 409, "conflict": 409, "BAD_REQUEST": 400, "bad_request": 400, "OK": 200, "ok": 200,
                 "CREATED": 201, "created": 201, "NOT_FOUND": 404, "not_found": 404}
_REST = "/service/rest/"
# the Nexus users API as a client wrapper that adds /service/rest is called with it
_USERS_PATH = lazy_re(r"^/?(?:v1|beta)/security/users(?:/[^/?#]*)?/?$")


@record
class _Event:
    pos: int
    name: str
    span: Span
    protected: bool = False
    extra: object = None


@record
class _Responses:
    """How the responses of the HTTP calls in one scope are handled."""

    statuses: Set[int] = field(default_factory=set)  # HTTP statuses compared in this scope
    rfs: List[_Event] = field(default_factory=list)  # X.raise_for_status()
    ranges: List[_Event] = field(default_factory=list)  # X.status_code >= 400: every error status alike
    opens: List[_Event] = field(default_factory=list)  # urlopen(X)


class HttpCalls:
    """Pass 2 of the Python reader, HTTP part: mixed into
    :class:`nexus_lint.kinds.python_facts.FactReader`, whose ``an`` (the
    :class:`~nexus_lint.lang.python_values.Evaluator`), ``scope``, ``tries``,
    ``targets``, ``calls`` and ``out`` it uses."""

    an: Evaluator

    def __init__(self) -> None:
        super().__init__()
        self.chained: Dict[int, Tuple[Span, bool]] = {}  # id(call) -> .raise_for_status() on it (span, protected)
        self.opened: Dict[int, Tuple[Span, bool]] = {}  # id(Request call) -> urlopen(...) on it
        self.pending: List[dict] = []  # HTTP calls whose response handling is resolved at the end
        self.wrappers: List[dict] = []  # HTTP calls whose method, URL or body come from parameters
        self.responses: Dict[int, _Responses] = {}  # id(scope) -> how responses are handled there

    def _responses(self, scope: Scope) -> _Responses:
        found = self.responses.get(id(scope))
        if found is None:
            found = self.responses[id(scope)] = _Responses()
        return found

    def inline_wrappers(self) -> None:
        """Read each call of a function that wraps an HTTP call as that HTTP call
        (one level: ``self._request("PUT", f"/security/users/{uid}", json=body)``)."""
        an = self.an
        for w in list(self.wrappers):
            fscope = w["scope"]
            fdef, outer = an.functions[id(fscope)]
            method = outer.kind == "class"
            key = ("self." if method else "") + fdef.name
            sites = self.calls.get(key, [])[:MAX_SITES]
            for call, cscope, ctries in sites:
                if method and cscope.class_scope() is not outer:
                    continue
                if not method and an.lookup(fdef.name, cscope, an.start(call)) is None:
                    continue
                frame = bind_arguments(an, fdef, method, call, cscope, outer)
                if frame is None:
                    continue
                an.frames[id(fscope)] = frame
                self.scope, self.tries = fscope, ()
                try:
                    self._http(w["call"], w["pos"], w["origin"], w["verb"], w["base"],
                               site=dict(call=call, scope=cscope, tries=ctries, complete=w["complete"]))
                finally:
                    del an.frames[id(fscope)]

    def protected(self, pos: int) -> bool:
        """Is ``pos`` inside a ``try:`` whose handler catches an HTTP error and goes on?"""
        for t in self.tries:
            s, e = self.an.span(t.body)
            if not s <= pos < e:
                continue
            for h in t.handlers:
                if _catches_http(h) and not _exits(h):
                    return True
        return False

    def _raise_for_status(self, node: ast.Call, func, pos: int) -> bool:
        """``X.raise_for_status()``: noted for the call it checks."""
        if not (isinstance(func, ast.Attribute) and func.attr == "raise_for_status"
                and not node.args and not node.keywords):
            return False
        an = self.an
        recv = func.value
        if isinstance(recv, ast.Await):
            recv = recv.value
        if isinstance(recv, ast.Call):
            self.chained[id(recv)] = (an.span(node), self.protected(pos))
        elif isinstance(recv, ast.Name):
            self._responses(self.scope).rfs.append(_Event(pos, recv.id, an.span(node), self.protected(pos)))
        return True

    # -- statuses compared -------------------------------------------------------------
    def visit_Comparison(self, node: ast.Compare) -> None:
        sides = [node.left] + node.comparators
        codes: List[int] = []
        statusy = False
        for side in sides:
            found = _status_codes(side)
            if found:
                codes.extend(found)
            else:
                text = self.an.code(side).lower()
                if "status" in text or "code" in text:
                    statusy = True
        if codes and statusy:
            self._responses(self.scope).statuses.update(codes)
            above = any(isinstance(op, (ast.GtE, ast.Gt)) for op in node.ops)
            name = node.left.value.id if (isinstance(node.left, ast.Attribute)
                                          and isinstance(node.left.value, ast.Name)) else None
            if above and name and min(codes) < 500:
                pos = self.an.start(node)
                self._responses(self.scope).ranges.append(
                    _Event(pos, name, self.an.span(node), self.protected(pos), self.an.code(node)[:40]))

    def visit_MatchCase(self, node: ast.match_case) -> None:
        pattern = node.pattern
        values = [pattern]
        if isinstance(pattern, ast.MatchOr):
            values = pattern.patterns
        for v in values:
            if isinstance(v, ast.MatchValue):
                self._responses(self.scope).statuses.update(_status_codes(v.value))

    # -- which calls are HTTP calls ------------------------------------------------------------------
    def _http_function(self, node: ast.Call, pos: int, qual: Optional[str]) -> bool:
        """``urlopen(...)``, ``Request(...)``, ``requests.put(...)`` and friends."""
        if qual in _URLOPEN:
            self._urlopen(node, pos)
            return True
        if qual in _REQUEST:
            self._http(node, pos, "urllib.request.Request", qual)
            return True
        if qual is not None:
            mod, _, attr = qual.rpartition(".")
            if mod in _HTTP_MODULES and (attr in HTTP_METHODS or attr in ("request", "stream")):
                self._http(node, pos, qual, attr)
                return True
        return False

    def _session_call(self, node: ast.Call, pos: int, recv, attr: str) -> bool:
        """``session.get(...)``, ``client.request(...)`` on an HTTP session or client."""
        if attr in HTTP_METHODS or attr in ("request", "stream"):
            session = self._session(recv, pos)
            if session is not None:
                self._http(node, pos, session[0] + "." + attr, attr, base=session[1])
                return True
        return False

    # -- sessions -------------------------------------------------------------------------------
    def _session(self, recv, pos: int) -> Optional[Tuple[str, Optional[PyStr]]]:
        """(origin name, base URL) when ``recv`` is an HTTP session or client."""
        an = self.an
        if isinstance(recv, ast.Await):
            recv = recv.value
        value, vscope, vpos = None, self.scope, pos
        label = an.code(recv) if len(an.code(recv)) <= 40 else "session"
        if isinstance(recv, ast.Call):
            value = recv
        elif isinstance(recv, ast.Name):
            found = an.lookup(recv.id, self.scope, pos)
            if found is not None and found[0].node is not None:
                value, vscope, vpos = found[0].node, found[1], found[0].pos
        elif isinstance(recv, ast.Attribute):
            found = an.attr_lookup(recv, self.scope)
            if found is not None and found[0].node is not None:
                value, vscope, vpos = found[0].node, found[1], found[0].pos
        q = an.qualname(value.func) if isinstance(value, ast.Call) else None
        if q in _SESSION_CTORS:
            base = None
            args = an.args(value)
            for a in args:
                if a.keyword == "base_url":
                    base = an.string(a.value, vscope, vpos)
                elif a.keyword is None and q == "aiohttp.ClientSession" and a is args[0]:
                    base = an.string(a.value, vscope, vpos)
            return q, base
        last = recv.attr if isinstance(recv, ast.Attribute) else recv.id if isinstance(recv, ast.Name) else ""
        if last and _SESSIONISH.search(last):
            return label, None  # checked against the URL by the caller
        return None

    # -- HTTP calls -------------------------------------------------------------------------------
    def _http(self, node: ast.Call, pos: int, origin: str, verb: str, base: Optional[PyStr] = None,
              site: Optional[dict] = None) -> None:
        an = self.an
        scope = self.scope
        args = an.args(node)
        positional = [a.value for a in args if a.keyword is None and not a.star]
        kw = {a.keyword: a.value for a in args if a.keyword is not None}
        method_node = url_node = None
        data_index = None
        if verb in ("request", "stream"):
            method_node = positional[0] if positional else kw.get("method")
            url_node = positional[1] if len(positional) > 1 else kw.get("url")
        elif origin == "urllib.request.Request":
            url_node = positional[0] if positional else kw.get("url")
            method_node = kw.get("method")
            data_index = 1
        else:
            url_node = positional[0] if positional else kw.get("url")
            if verb in ("post", "put", "patch"):
                data_index = 1  # requests.put(url, data)
        method: Optional[str] = verb.upper() if verb in HTTP_METHODS else None
        if method_node is not None:
            m = an.string(method_node, scope, pos)
            method = m.text.upper() if m is not None and m.known else None
        elif origin == "urllib.request.Request":
            has_data = len(positional) > 1 or "data" in kw
            method = "POST" if has_data else "GET"
        if url_node is None:
            return
        url = an.string(url_node, scope, pos)
        if url is None:
            url = an.string_or_hole(url_node, scope, pos)
        if base is not None and "://" not in url.text:
            url = base + url
        guessed = not (origin.split(".", 1)[0] in ("requests", "httpx", "aiohttp", "urllib") or origin in _SESSION_CTORS)
        params = _params_in(url, method_node, node, scope, an)
        if site is None and params and scope.kind == "function" and id(scope) in an.functions:
            # a function that wraps the call: read again at each call of it
            self.wrappers.append(dict(call=node, scope=scope, pos=pos, origin=origin, verb=verb, base=base,
                                      complete=method is not None and not url.holes))
        if guessed and "://" not in url.text and _REST not in url.text and not _USERS_PATH.search(url.text):
            return  # a method named get/put on something that is not known to be HTTP
        use = an.span(node.func) if site is None else an.span(site["call"].func)
        if site is not None:
            origin = f"{an.code(site['call'].func)} -> {origin}"
        url_use = an.span(url_node)
        for s, e in _find_urls(url.text):
            part = url.value[s:e]
            self.out.facts.append(UrlFact(part, _url_role(part.text, method), origin, url_use, url.vars, method))
        body = body_of(self.an, node, scope, pos, data_index)
        self.pending.append(dict(
            call=node, scope=scope, pos=pos, method=method, url=url, origin=origin, use=use, body=body,
            name=self.targets.get(id(node)), urllib_request=origin.endswith("urllib.request.Request"), site=site,
        ))

    def _urlopen(self, node: ast.Call, pos: int) -> None:
        args = self.an.args(node)
        if not args:
            return
        target = args[0].value
        protected = self.protected(pos)
        span = self.an.span(node)
        if isinstance(target, ast.Call) and self.an.qualname(target.func) in _REQUEST:
            self.opened[id(target)] = (span, protected)
            return
        if isinstance(target, ast.Name):
            found = self.an.lookup(target.id, self.scope, pos)
            if found is not None and isinstance(found[0].node, ast.Call) and self.an.qualname(found[0].node.func) in _REQUEST:
                self._responses(self.scope).opens.append(_Event(pos, target.id, span, protected))
                return
        # urlopen("https://...", data=...)
        url = self.an.string(target, self.scope, pos)
        if url is None:
            return
        has_data = len([a for a in args if a.keyword is None]) > 1 or any(a.keyword == "data" for a in args)
        method = "POST" if has_data else "GET"
        url_use = self.an.span(target)
        for s, e in _find_urls(url.text):
            part = url.value[s:e]
            self.out.facts.append(UrlFact(part, _url_role(part.text, method), "urlopen", url_use, url.vars, method))
        body = body_of(self.an, node, self.scope, pos, 1)
        self.pending.append(dict(
            call=node, scope=self.scope, pos=pos, method=method, url=url, origin="urlopen", use=self.an.span(node.func),
            body=body, name=None, urllib_request=False, raises=("urlopen()", span) if not protected else None,
        ))

    # -- response handling, once the whole file is read ----------------------------------------
    def _handling(self, call, scope: Scope, pos: int, name: Optional[str]):
        """How the result of ``call`` is made fatal: ``(how, span)`` or ``None``."""
        chained = self.chained.get(id(call))
        if chained is not None:
            span, protected = chained
            return ("raise_for_status()", span) if not protected else None
        if name:
            rebinds = [b.pos for b in scope.bindings.get(name, ()) if b.pos > pos]
            for ev in self._responses(scope).rfs:
                if ev.name == name and ev.pos > pos and not any(pos < r < ev.pos for r in rebinds):
                    return None if ev.protected else ("raise_for_status()", ev.span)
            for ev in self._responses(scope).ranges:
                if ev.name == name and ev.pos > pos and not any(pos < r < ev.pos for r in rebinds):
                    return None if ev.protected else (str(ev.extra), ev.span)
        return None

    def resolve_responses(self) -> None:
        """Response handling of each HTTP call, now that the whole file is seen."""
        an = self.an
        for p in self.pending:
            call, scope, pos = p["call"], p["scope"], p["pos"]
            raises = p.get("raises")
            name = p.get("name")
            site = p.get("site")
            if site is not None and not p["urllib_request"]:
                statuses = self._responses(scope).statuses | self._responses(site["scope"]).statuses
                spos = an.start(site["call"])
                raises = self._handling(call, scope, pos, name) or self._handling(
                    site["call"], site["scope"], spos, self.targets.get(id(site["call"])))
                if site["complete"]:
                    raises = None  # the call inside the function is judged there
                how, at = raises if raises else (None, None)
                self.out.facts.append(ApiCallFact(p["method"], p["url"].value, p["origin"], p["use"], p["body"], how,
                                                  at, tuple(sorted(statuses)), p["url"].vars))
                continue
            if p["urllib_request"]:
                opened = self.opened.get(id(call))
                if opened is not None:
                    raises = None if opened[1] else ("urlopen()", opened[0])
                elif name:
                    for ev in self._responses(scope).opens:
                        if ev.name == name and ev.pos > pos:
                            raises = None if ev.protected else ("urlopen()", ev.span)
                            break
            elif raises is None:
                raises = self._handling(call, scope, pos, name)
            statuses = tuple(sorted(self._responses(scope).statuses))
            how, at = raises if raises else (None, None)
            self.out.facts.append(ApiCallFact(p["method"], p["url"].value, p["origin"], p["use"], p["body"], how, at,
                                              statuses, p["url"].vars))


def _url_role(text: str, method: Optional[str]) -> str:
    from nexus_lint.values.urls import parse_url

    url = parse_url(text)
    if url is None:
        return BROWSE
    path = url.path
    if path.startswith(_REST):
        return API
    if method in ("PUT", "POST") and path.startswith("/repository/"):
        return UPLOAD
    if path.rstrip("/") == "/health":
        return HEALTH
    return BROWSE


def _find_urls(text: str):
    from nexus_lint.values.urls import find_urls

    return find_urls(text)


def _params_in(url: PyStr, method_node, call: ast.Call, scope: Scope, an: Evaluator) -> bool:
    """Does the call depend on its function's parameters (URL, method, body)?"""
    params = {n for n, bs in scope.bindings.items() if any(b.kind == "param" for b in bs)}
    if not params:
        return False
    if any(name in params for _, _, name in url.holes) or any(v in params for v in url.vars):
        return True
    if isinstance(method_node, ast.Name) and method_node.id in params:
        return True
    for a in an.args(call):
        if a.star == "**" or a.keyword in ("json", "data", "content"):
            v = a.value
            if isinstance(v, ast.Name) and v.id in params:
                return True
            if a.star == "**":
                return True
    return False


def _status_codes(node) -> List[int]:
    """HTTP status codes a comparison side names (``500``, ``(400, 500)``, ``HTTPStatus.X``)."""
    if isinstance(node, ast.Constant):
        v = node.value
        return [v] if isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599 else []
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        out: List[int] = []
        for el in node.elts:
            out.extend(_status_codes(el.value if isinstance(el, ast.Starred) else el))
        return out
    if isinstance(node, ast.Attribute):
        v = _STATUS_NAMES.get(node.attr)
        return [v] if v is not None else []
    return []


def _catches_http(handler) -> bool:
    t = handler.type
    if t is None:
        return True
    names = t.elts if isinstance(t, ast.Tuple) else [t]
    for n in names:
        full = dotted_name(n) or ""
        if full.rsplit(".", 1)[-1] in _HTTP_ERRORS:
            return True
    return False


def _exits(handler) -> bool:
    """Does the handler raise or exit (``sys.exit``, ``pytest.fail``, ...), outside
    the functions it defines?"""
    todo = list(handler.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call):
            name = dotted_name(node.func) or ""
            if name in ("sys.exit", "exit", "quit", "os._exit", "SystemExit") or name.endswith(".fail"):
                return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            todo.extend(ast.iter_child_nodes(node))
    return False


# -- JSON bodies -------------------------------------------------------------------------------

def dict_body(an: Evaluator, node, scope: Scope, pos: int) -> Optional[JsonBody]:
    """The JSON object a dict literal (or a variable bound to one) sends: its keys, the
    keys set later, where an entry can be inserted."""
    from nexus_lint.lang.jsonbody import colon_style, entry_insertions

    found = an.dict_node(node, scope, pos)
    if found is None:
        return None
    d, dscope, name, bpos = found
    keys: List[str] = []
    entries = []
    for key, value in zip(d.keys, d.values):
        if key is None:
            return None  # **spread: its keys are unknown
        k = an.string(key, dscope, bpos)
        if k is None or not k.known:
            return None
        keys.append(k.text)
        ks, ke = an.span(key)
        vs, ve = an.span(value)
        entries.append((ks, ke, vs, ve))
    s, e = an.span(d)
    text = an.text
    open_i = text.find("{", s, e)
    close_i = text.rfind("}", s, e)
    if open_i < 0 or close_i < 0:
        return None
    later: List[str] = []
    if name is not None:
        end = pos if dscope is scope else dscope.span[1]
        later = [key for kpos, key in dscope.key_sets.get(name, ()) if bpos < kpos < end]
    n = len(text)
    insertions = entry_insertions(text, open_i, close_i, entries, lambda i: i if 0 <= i < n else -1,
                                  comments=True)
    quote = '"'
    first = d.keys[0] if d.keys else None
    if first is not None and an.simple_string(first) is not None:
        quote = an.literals(first)[0].quote[0]
    colon = colon_style(text, entries[0]) if entries else ": "
    return JsonBody(tuple(keys), (s, e), tuple(later), insertions, quote, colon)


def body_of(an: Evaluator, call: ast.Call, scope: Scope, pos: int, data_index: Optional[int] = None) -> Optional[JsonBody]:
    """The JSON body an HTTP call sends (``json=``, ``data=``/``content=`` or the
    positional argument ``data_index``)."""
    from nexus_lint.lang.jsonbody import json_text_body

    kwargs = {}
    frame = an.frames.get(id(scope))
    args = an.args(call)
    for a in args:
        if a.star == "**" and frame is not None and isinstance(a.value, ast.Name) and a.value.id == frame.kwargs:
            kwargs = frame.extra  # f(..., **kw) inside the function being read as its caller's call
    if "json" in kwargs:
        node, cscope, cpos = kwargs["json"]
        return dict_body(an, node, cscope, cpos)
    for a in args:
        if a.keyword == "json":
            return dict_body(an, a.value, scope, pos)
    data = None
    for k, a in enumerate(args):
        if a.keyword in ("data", "content", "body"):
            data = a.value
        elif a.keyword is None and data_index is not None and k == data_index and not a.star:
            data = a.value
    for key in ("data", "content"):
        if data is None and key in kwargs:
            data, scope, pos = kwargs[key]
    if data is None:
        return None
    inner = _unwrap_dumps(an, data, scope, pos)
    if inner is not None:
        return dict_body(an, inner, scope, pos)
    v = an.string(data, scope, pos)
    if v is not None:
        return json_text_body(v.value)
    return None


def _unwrap_dumps(an: Evaluator, node, scope: Scope, pos: int, depth: int = 0):
    """``X`` of ``json.dumps(X)`` (``.encode()`` or a variable bound to it included)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Call):
        func = node.func
        args = an.args(node)
        if isinstance(func, ast.Attribute) and func.attr == "encode":
            return _unwrap_dumps(an, func.value, scope, pos, depth + 1)
        q = an.qualname(func)
        if q in _JSON_DUMPS and args:
            return args[0].value
        if q in ("bytes", "str") and args:
            return _unwrap_dumps(an, args[0].value, scope, pos, depth + 1)
        return None
    if isinstance(node, ast.Name):
        found = an.lookup(node.id, scope, pos)
        if found is not None and found[0].kind == "value" and found[0].node is not None:
            inner = _unwrap_dumps(an, found[0].node, found[1], found[0].pos, depth + 1)
            return inner
    return None
