"""Python scripts analysed as code (libcst): the facts they hold, with exact spans.

Imported only by :mod:`nexus_lint.kinds.python`, and only for a file that
passed its keyword prefilter, so a run that meets no such file never imports
libcst.

What it reads:

* **string values** built from literals (escapes decoded, every character at
  its offset), implicit concatenation, ``+``, f-strings, ``%``/``.format``,
  ``"/".join([...])``, ``.strip()``/``.rstrip("/")`` and module-, class- or
  function-level constants (``NEXUS = "https://..."``, ``USERS_API =
  f"{NEXUS}/service/rest/v1/security/users"``, ``self.base = ...``);
  ``os.environ.get("X", "default")``/``os.getenv`` give their default.  A part
  that cannot be resolved (a parameter, the environment) stays as written
  (``{user_id}``) with no offset;
* **HTTP calls** through ``requests``, ``httpx``, ``aiohttp``/``requests``
  sessions and clients (``with requests.Session() as s``, ``self.session``,
  ``httpx.Client(base_url=...)``) and ``urllib.request`` (``urlopen``,
  ``Request(..., method="PUT")``): method, URL, the JSON object sent (a dict
  literal or a variable bound to one, ``json.dumps(...)``, JSON text), keys
  added later (``body["source"] = ...``, ``body.update(...)``), and how the
  response is handled (``raise_for_status()``, ``urlopen`` raising, status
  codes compared);
* **commands** run by ``subprocess.*``, ``os.system``/``os.popen``,
  ``asyncio.create_subprocess_*`` and invoke/fabric ``c.run("...")``: a string
  goes to the shell analyser as shell; a list (literal, a variable bound to
  one, ``+``, ``append``/``extend``) is quoted word by word into a shell line
  whose characters keep their offsets, so the one shell analyser and the
  command knowledge (docker, curl, pip, twine, ...) read it;
* **docker SDK** calls: ``client.images.pull("python", tag="3.11")``,
  ``.images.push(...)``, ``.containers.run("redis:7")``, ``APIClient`` pulls;
* **URL-valued strings** assigned to a name, passed as a keyword or held in a
  dict (a whole string that is one URL, so prose never counts);
* the **literal sites** credential rules need (assignments, call keywords,
  ``auth=`` pairs, header dicts): see :class:`LiteralSite`.

Docstrings, comments and prose strings never become facts.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import (
    API,
    BROWSE,
    HEALTH,
    LOCAL,
    PULL,
    PUSH,
    UPLOAD,
    ApiCallFact,
    ImageFact,
    JsonBody,
    ParseProblem,
    UrlFact,
)
from nexus_lint.core.sourced import UNKNOWN, SourcedStr

__all__ = ["PyStr", "LiteralSite", "PyAnalysis", "analyse"]

Span = Tuple[int, int]

MAX_DEPTH = 24  # nesting of constants through constants
MAX_SITES = 200  # calls of one wrapper function read as HTTP calls
_NEWLINE = lazy_re(r"\r\n?|\n")
_IDENT = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*\Z")


# -----------------------------------------------------------------------------
# Strings with offsets and holes
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PyStr:
    """A string value: text with per-character file offsets (:class:`SourcedStr`),
    the parts that could not be resolved (``holes``: ``(start, end, name)``, their
    text as written, offsets -1) and the names it came through."""

    value: SourcedStr
    holes: Tuple[Tuple[int, int, str], ...] = ()
    vars: Tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.value.text

    @property
    def known(self) -> bool:
        return not self.holes

    @classmethod
    def hole(cls, shown: str, name: str = "_") -> "PyStr":
        return cls(SourcedStr.unknown(shown), ((0, len(shown), name),))

    def __add__(self, other: "PyStr") -> "PyStr":
        n = len(self.value)
        holes = self.holes + tuple((s + n, e + n, name) for s, e, name in other.holes)
        return PyStr(self.value + other.value, holes, _merge(self.vars, other.vars))

    def via(self, name: str) -> "PyStr":
        return PyStr(self.value, self.holes, _merge((name,), self.vars))

    def slice(self, i: int, j: int) -> "PyStr":
        holes = tuple((max(s, i) - i, min(e, j) - i, name) for s, e, name in self.holes if s < j and e > i)
        return PyStr(self.value[i:j], holes, self.vars)

    def for_shell(self) -> SourcedStr:
        """The value with each hole as an unknown shell variable (``${name}``)."""
        if not self.holes:
            return self.value
        parts: List[SourcedStr] = []
        pos = 0
        for s, e, name in self.holes:
            parts.append(self.value[pos:s])
            parts.append(SourcedStr.unknown("${%s}" % (name if _IDENT.match(name) else "_nx")))
            pos = e
        parts.append(self.value[pos:])
        return SourcedStr.join(parts)


def _merge(a: Tuple[str, ...], b: Tuple[str, ...]) -> Tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def _join(parts: Sequence[PyStr]) -> PyStr:
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


def _lit(text: str) -> PyStr:
    """Text with no place in the file (a separator the code adds)."""
    return PyStr(SourcedStr.unknown(text))


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _decode(body: str, start: int, raw: bool, is_bytes: bool, fstring: bool) -> SourcedStr:
    """The value of a string literal's body standing at ``start``.

    Plain characters keep their offsets; ``\\\\``, ``\\'`` and ``\\"`` keep the offset of
    the escaped character; other escapes give a character with no offset; in an
    f-string ``{{``/``}}`` give one brace at the first one's offset."""
    if (raw or "\\" not in body) and not (fstring and ("{{" in body or "}}" in body)):
        return SourcedStr.literal(body, start)
    out: List[str] = []
    offs = array("q")
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if fstring and c in "{}" and i + 1 < n and body[i + 1] == c:
            out.append(c)
            offs.append(start + i)
            i += 2
            continue
        if c != "\\" or raw or i + 1 >= n:
            out.append(c)
            offs.append(start + i)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "\n":
            i += 2
            continue
        if nxt == "\r":
            i += 3 if body[i + 2:i + 3] == "\n" else 2
            continue
        if nxt in "\\'\"":
            out.append(nxt)
            offs.append(start + i + 1)
            i += 2
            continue
        if nxt in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[nxt])
            offs.append(UNKNOWN)
            i += 2
            continue
        m = None
        if nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            code = int(m.group(), 8)
        elif nxt == "x":
            m = re.match(r"x([0-9A-Fa-f]{2})", body[i + 1:])
            code = int(m.group(1), 16) if m else 0
        elif nxt in "uU" and not is_bytes:
            m = re.match(r"u([0-9A-Fa-f]{4})" if nxt == "u" else r"U([0-9A-Fa-f]{8})", body[i + 1:])
            code = int(m.group(1), 16) if m else 0
        elif nxt == "N" and not is_bytes:
            m = re.match(r"N\{[^}]*\}", body[i + 1:])
            code = 0xFFFD
            if m:
                import unicodedata

                try:
                    code = ord(unicodedata.lookup(m.group()[2:-1]))
                except KeyError:
                    pass
        if m:
            out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd")
            offs.append(UNKNOWN)
            i += 1 + m.end()
            continue
        out.append(c)  # an unknown escape stays as written
        offs.append(start + i)
        i += 1
    return SourcedStr("".join(out), offs)


# -----------------------------------------------------------------------------
# Scopes
# -----------------------------------------------------------------------------


@dataclass
class _Binding:
    pos: int
    node: Optional[cst.CSTNode]  # the value expression (None: unknown)
    kind: str = "value"  # value, unknown, aug (node = right side, op in ``op``)
    op: str = ""


@dataclass
class _Event:
    pos: int
    name: str
    span: Span
    protected: bool = False
    extra: object = None


class _Scope:
    __slots__ = ("kind", "node", "parent", "bindings", "globals", "key_sets", "list_ops", "attrs",
                 "statuses", "rfs", "opens", "span")

    def __init__(self, kind: str, node, parent: Optional["_Scope"], span: Span) -> None:
        self.kind = kind  # module, class, function
        self.node = node
        self.parent = parent
        self.span = span
        self.bindings: Dict[str, List[_Binding]] = {}
        self.globals: Set[str] = set()
        self.key_sets: Dict[str, List[Tuple[int, str]]] = {}  # dict variable -> keys set later
        self.list_ops: Dict[str, List[Tuple[int, str, cst.CSTNode]]] = {}  # list variable -> append/extend
        self.attrs: Dict[str, List[_Binding]] = {}  # class scopes: self.X / class attributes
        self.statuses: Set[int] = set()  # HTTP statuses compared in this scope
        self.rfs: List[_Event] = []  # X.raise_for_status()
        self.opens: List[_Event] = []  # urlopen(X)

    def bind(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def class_scope(self) -> Optional["_Scope"]:
        """The class whose method this scope is (for ``self.X``)."""
        s = self
        while s is not None and s.kind == "function":
            if s.parent is not None and s.parent.kind == "class":
                return s.parent
            s = s.parent
        return s if s is not None and s.kind == "class" else None


# -----------------------------------------------------------------------------
# Public records
# -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiteralSite:
    """A place where code hands a literal to a name, a keyword or a header.

    ``kind`` is ``assign`` (``NAME = value``, ``self.x = ...``, ``os.environ["K"] = ...``),
    ``keyword`` (``f(key=value)``; ``callee`` names the function), ``dict``
    (``{"key": value}``), ``auth`` (``auth=("user", "pass")``,
    ``HTTPBasicAuth("user", "pass")``: ``values`` holds both) or ``header``
    (a ``headers={...}`` entry).  ``values`` are the string values (one, or the
    items of a tuple/list); ``span`` is where the value expression stands.
    Credential rules read these (see ``extract.python.credential_facts``).
    """

    kind: str
    key: str
    values: Tuple[PyStr, ...]
    span: Span
    callee: str = ""


@dataclass
class PyAnalysis:
    facts: List[object] = field(default_factory=list)
    sites: List[LiteralSite] = field(default_factory=list)
    comments: List[Tuple[int, int, str]] = field(default_factory=list)  # (start, end, text)
    statements: List[Span] = field(default_factory=list)  # spans of simple statements
    problem: Optional[ParseProblem] = None


# -----------------------------------------------------------------------------
# Known APIs
# -----------------------------------------------------------------------------

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
_ENV_GET = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault", "environ.get"})
_DOCKER_CLIENTS = frozenset({"docker.APIClient", "docker.api.APIClient", "docker.Client", "docker.client.APIClient"})
# subprocess-like calls: qualified name -> how the command is given
_SHELL_STRING = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                           "asyncio.create_subprocess_shell", "commands.getoutput"})
_SUBPROCESS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                         "subprocess.Popen"})
_CHECKING = frozenset({"subprocess.check_call", "subprocess.check_output"})
_EXEC_ARGV = frozenset({"asyncio.create_subprocess_exec"})
_EXEC_LIST = frozenset({"os.execv", "os.execvp", "os.execve", "os.execvpe", "os.spawnv", "os.spawnvp"})
_TASK_RUNNERS = frozenset({"c", "ctx", "context", "conn", "connection", "cnx"})
# Exceptions whose handler would catch an HTTP error status
_HTTP_ERRORS = frozenset({"HTTPError", "RequestException", "HTTPStatusError", "ClientResponseError", "IOError",
                          "OSError", "Exception", "BaseException", "URLError", "EnvironmentError"})
_STATUS_NAMES = {"INTERNAL_SERVER_ERROR": 500, "internal_server_error": 500, "server_error": 500,
                 "CONFLICT": 409, "conflict": 409, "BAD_REQUEST": 400, "bad_request": 400, "OK": 200, "ok": 200,
                 "CREATED": 201, "created": 201, "NOT_FOUND": 404, "not_found": 404}
_AUTH_CTORS = frozenset({"requests.auth.HTTPBasicAuth", "requests.auth.HTTPDigestAuth", "requests.HTTPBasicAuth",
                         "httpx.BasicAuth", "httpx.DigestAuth", "aiohttp.BasicAuth", "HTTPBasicAuth",
                         "HTTPDigestAuth", "BasicAuth"})
_REST = "/service/rest/"


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


# -----------------------------------------------------------------------------
# The analyser
# -----------------------------------------------------------------------------


class _Analyser:
    def __init__(self, text: str, module: cst.Module, positions: Mapping) -> None:
        self.text = text
        self.module = module
        self.positions = positions
        starts = [0]
        for m in _NEWLINE.finditer(text):
            starts.append(m.end())
        self.line_starts = starts
        self.imports: Dict[str, str] = {}  # local name -> qualified name
        self.scope_of: Dict[int, _Scope] = {}  # id(node) -> scope it opens
        self.module_scope = _Scope("module", module, None, (0, len(text)))
        self.out = PyAnalysis()
        self.pending: List[dict] = []  # HTTP calls whose response handling is resolved at the end
        self._depth = 0
        self.functions: Dict[int, Tuple[cst.FunctionDef, _Scope]] = {}  # id(scope) -> (def, scope it is in)
        self.frames: Dict[int, "_Frame"] = {}  # id(function scope) -> the call being inlined
        self.wrappers: List[dict] = []  # HTTP calls whose method, URL or body come from parameters

    # -- positions --------------------------------------------------------------
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

    def lookup(self, name: str, scope: _Scope, pos: int) -> Optional[Tuple[_Binding, _Scope]]:
        s: Optional[_Scope] = scope
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

    def _argument(self, name: str, scope: _Scope, param: _Binding) -> Optional[Tuple[_Binding, _Scope]]:
        frame = self.frames.get(id(scope))
        if frame is None:
            return param, scope
        arg = frame.args.get(name)
        if arg is not None:
            node, cscope, cpos = arg
            return _Binding(cpos, node, "value"), cscope
        if param.node is not None:  # the default, evaluated where the function is defined
            return _Binding(frame.def_pos, param.node, "value"), frame.def_scope
        return param, scope

    def attr_lookup(self, node: cst.Attribute, scope: _Scope) -> Optional[Tuple[_Binding, _Scope]]:
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
    def string(self, node, scope: _Scope, pos: int) -> Optional[PyStr]:
        """The string ``node`` evaluates to, or ``None`` when it is not a string we can read."""
        if self._depth > MAX_DEPTH:
            return None
        self._depth += 1
        try:
            return self._string(node, scope, pos)
        finally:
            self._depth -= 1

    def string_or_hole(self, node, scope: _Scope, pos: int) -> PyStr:
        v = self.string(node, scope, pos)
        if v is not None:
            return v
        name = self.qualname(node) or "_"
        return PyStr.hole("{" + self.code(node) + "}", name.rsplit(".", 1)[-1])

    def _string(self, node, scope: _Scope, pos: int) -> Optional[PyStr]:
        if isinstance(node, cst.SimpleString):
            prefix = node.prefix.lower()
            q = node.quote
            s = self.start(node)
            body = node.value[len(node.prefix) + len(q):len(node.value) - len(q)]
            return PyStr(_decode(body, s + len(node.prefix) + len(q), "r" in prefix, "b" in prefix, False))
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

    def _binding_string(self, name: str, b: _Binding, scope: _Scope) -> Optional[PyStr]:
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

    def _fstring(self, node: cst.FormattedString, scope: _Scope, pos: int) -> Optional[PyStr]:
        raw = "r" in node.prefix.lower()
        parts: List[PyStr] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(PyStr(_decode(part.value, self.start(part), raw, False, True)))
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
        return _join(parts)

    def _percent(self, node: cst.BinaryOperation, scope: _Scope, pos: int) -> Optional[PyStr]:
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
        return _join(out)

    def _format(self, fmt: PyStr, call: cst.Call, scope: _Scope, pos: int) -> PyStr:
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
                elif _IDENT.match(field_name):
                    arg = named.get(field_name)
                if arg is None or spec:
                    out.append(PyStr.hole(g, field_name or "_"))
                else:
                    out.append(self.string_or_hole(arg, scope, pos))
            last = m.end()
        out.append(fmt.slice(last, len(text)))
        return _join(out)

    def _call_string(self, node: cst.Call, scope: _Scope, pos: int) -> Optional[PyStr]:
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
                    if isinstance(item, _Split):
                        parts.append(item.value)
                    else:
                        parts.append(self.string_or_hole(item, iscope, ipos) if item is not None else PyStr.hole("{*}"))
                return _join(parts)
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
    def sequence(self, node, scope: _Scope, pos: int, depth: int = 0):
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
                    return [(_Split(v.slice(m.start(), m.end())), scope, pos) for m in re.finditer(r"\S+", v.text)]
        return None

    def dict_node(self, node, scope: _Scope, pos: int, depth: int = 0):
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

    # -- JSON bodies ---------------------------------------------------------------------
    def dict_body(self, node, scope: _Scope, pos: int) -> Optional[JsonBody]:
        from nexus_lint.lang.jsonbody import colon_style, entry_insertions

        found = self.dict_node(node, scope, pos)
        if found is None:
            return None
        d, dscope, name, bpos = found
        keys: List[str] = []
        entries = []
        for el in d.elements:
            if not isinstance(el, cst.DictElement):
                return None  # **spread: its keys are unknown
            k = self.string(el.key, dscope, bpos)
            if k is None or not k.known:
                return None
            keys.append(k.text)
            ks, ke = self.span(el.key)
            vs, ve = self.span(el.value)
            entries.append((ks, ke, vs, ve))
        s, e = self.span(d)
        text = self.text
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
        first = d.elements[0].key if d.elements else None
        if isinstance(first, cst.SimpleString):
            quote = first.quote[0]
        colon = colon_style(text, entries[0]) if entries else ": "
        return JsonBody(tuple(keys), (s, e), tuple(later), insertions, quote, colon)

    def body_of(self, call: cst.Call, scope: _Scope, pos: int, data_index: Optional[int] = None) -> Optional[JsonBody]:
        from nexus_lint.lang.jsonbody import json_text_body

        kwargs = {}
        frame = self.frames.get(id(scope))
        for a in call.args:
            if a.star == "**" and frame is not None and isinstance(a.value, cst.Name) and a.value.value == frame.kwargs:
                kwargs = frame.extra  # f(..., **kw) inside the function being read as its caller's call
        if "json" in kwargs:
            node, cscope, cpos = kwargs["json"]
            return self.dict_body(node, cscope, cpos)
        for a in call.args:
            if a.keyword is not None and a.keyword.value == "json":
                return self.dict_body(a.value, scope, pos)
        data = None
        for k, a in enumerate(call.args):
            if a.keyword is not None and a.keyword.value in ("data", "content", "body"):
                data = a.value
            elif a.keyword is None and data_index is not None and k == data_index and not a.star:
                data = a.value
        for key in ("data", "content"):
            if data is None and key in kwargs:
                data, scope, pos = kwargs[key]
        if data is None:
            return None
        inner = self._unwrap_dumps(data, scope, pos)
        if inner is not None:
            return self.dict_body(inner, scope, pos)
        v = self.string(data, scope, pos)
        if v is not None:
            return json_text_body(v.value)
        return None

    def _unwrap_dumps(self, node, scope: _Scope, pos: int, depth: int = 0):
        """``X`` of ``json.dumps(X)`` (``.encode()`` or a variable bound to it included)."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "encode":
                return self._unwrap_dumps(func.value, scope, pos, depth + 1)
            q = self.qualname(func)
            if q in _JSON_DUMPS and node.args:
                return node.args[0].value
            if q in ("bytes", "str") and node.args:
                return self._unwrap_dumps(node.args[0].value, scope, pos, depth + 1)
            return None
        if isinstance(node, cst.Name):
            found = self.lookup(node.value, scope, pos)
            if found is not None and found[0].kind == "value" and found[0].node is not None:
                inner = self._unwrap_dumps(found[0].node, found[1], found[0].pos, depth + 1)
                return inner
        return None


@dataclass
class _Frame:
    """A call of a function that wraps an HTTP call, being read as that HTTP call."""

    args: Dict[str, Tuple[cst.CSTNode, "_Scope", int]]  # parameter -> (argument, caller scope, pos)
    extra: Dict[str, Tuple[cst.CSTNode, "_Scope", int]]  # keywords gathered by **kwargs
    kwargs: Optional[str]  # the name of the **kwargs parameter
    def_scope: "_Scope"
    def_pos: int


class _Split:
    """A word of ``"a b".split()``: already a string."""

    def __init__(self, value: PyStr) -> None:
        self.value = value


# -----------------------------------------------------------------------------
# Pass 1: scopes, bindings, imports
# -----------------------------------------------------------------------------


class _Collector(cst.CSTVisitor):
    """The one walk over the tree: scopes, bindings and imports now; every node
    pass 2 reads is recorded (with its scope and enclosing ``try`` blocks) to be
    read once all bindings are known."""

    def __init__(self, an: _Analyser) -> None:
        super().__init__()
        self.an = an
        self.stack: List[_Scope] = [an.module_scope]
        self.tries: Tuple[cst.Try, ...] = ()
        self.events: List[Tuple[str, cst.CSTNode, _Scope, Tuple[cst.Try, ...]]] = []
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
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _push(self, kind: str, node) -> None:
        s = _Scope(kind, node, self.scope, self.an.span(node))
        self.an.scope_of[id(node)] = s
        self.stack.append(s)

    # scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.bind(node.name.value, _Binding(self.an.start(node), None, "def"))
        outer = self.scope
        self._push("function", node)
        p = node.params
        for param in list(p.posonly_params) + list(p.params) + list(p.kwonly_params):
            self.scope.bind(param.name.value, _Binding(-1, param.default, "param"))
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                self.scope.bind(star.name.value, _Binding(-1, None, "unknown"))
        self.an.functions[id(self.scope)] = (node, outer)

    def leave_FunctionDef(self, node) -> None:
        self.stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._push("function", node)
        for param in node.params.params:
            self.scope.bind(param.name.value, _Binding(-1, None, "unknown"))

    def leave_Lambda(self, node) -> None:
        self.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.bind(node.name.value, _Binding(self.an.start(node), None, "unknown"))
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
            self.scope.bind(target.value, _Binding(pos, value, kind, op))
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            owner = target.value.value
            cls = self.scope if self.scope.kind == "class" else self.scope.class_scope()
            if cls is not None and (owner in ("self", "cls") or self.scope.kind == "class"):
                cls.attrs.setdefault(target.attr.value, []).append(_Binding(pos, value, kind, op))
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


# -----------------------------------------------------------------------------
# Pass 2: facts
# -----------------------------------------------------------------------------


class _Facts:
    """Pass 2: reads the nodes the walk recorded, in source order, each with the
    scope and ``try`` blocks it stands in."""

    def __init__(self, an: _Analyser) -> None:
        self.an = an
        self.scope: _Scope = an.module_scope
        self.tries: Tuple[cst.Try, ...] = ()
        self.targets: Dict[int, str] = {}  # id(call) -> name its result is bound to
        self.chained: Dict[int, Tuple[Span, bool]] = {}  # id(call) -> .raise_for_status() on it (span, protected)
        self.opened: Dict[int, Tuple[Span, bool]] = {}  # id(Request call) -> urlopen(...) on it
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
        self._inline()

    def _inline(self) -> None:
        """Read each call of a function that wraps an HTTP call as that HTTP call
        (one level: ``self._request("PUT", f"/security/users/{uid}", json=body)``)."""
        an = self.an
        for w in list(an.wrappers):
            fscope = w["scope"]
            fdef, outer = an.functions[id(fscope)]
            method = outer.kind == "class"
            key = ("self." if method else "") + fdef.name.value
            sites = self.calls.get(key, [])[:MAX_SITES]
            for call, cscope, ctries in sites:
                if method and cscope.class_scope() is not outer:
                    continue
                if not method and an.lookup(fdef.name.value, cscope, an.start(call)) is None:
                    continue
                frame = _frame(an, fdef, method, call, cscope, outer)
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

    # -- comments and statements (suppressions) ---------------------------------------
    def visit_Comment(self, node: cst.Comment) -> None:
        s, e = self.an.span(node)
        self.an.out.comments.append((s, e, node.value))

    def visit_SimpleStatementLine(self, node) -> None:
        self.an.out.statements.append(self.an.span(node))

    # -- statuses compared -------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        sides = [node.left] + [c.comparator for c in node.comparisons]
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
            self.scope.statuses.update(codes)

    def visit_MatchCase(self, node: cst.MatchCase) -> None:
        pattern = node.pattern
        values = [pattern]
        if isinstance(pattern, cst.MatchOr):
            values = [p.pattern for p in pattern.patterns]
        for v in values:
            if isinstance(v, cst.MatchValue):
                self.scope.statuses.update(_status_codes(v.value))

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
                    an.out.sites.append(LiteralSite(kind, key, tuple(items), an.span(value)))
            return
        v = an.string(value, self.scope, pos)
        if v is None:
            return
        if key is not None:
            an.out.sites.append(LiteralSite(kind, key, (v,), an.span(value)))
        from nexus_lint.tools.urls import url_facts_in_value
        from nexus_lint.values.urls import find_urls

        stripped = v.text.strip()
        urls = find_urls(stripped)
        if len(urls) != 1 or urls[0] != (0, len(stripped)):
            return  # prose, or not a URL at all
        lead = len(v.text) - len(v.text.lstrip())
        part = v.value[lead:lead + len(stripped)]
        for fact in url_facts_in_value(part, key or "", origin, an.span(value), v.vars):
            an.out.facts.append(fact)

    # -- calls --------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        an = self.an
        func = node.func
        pos = an.start(node)
        # X.raise_for_status()
        if isinstance(func, cst.Attribute) and func.attr.value == "raise_for_status" and not node.args:
            recv = func.value
            if isinstance(recv, cst.Await):
                recv = recv.expression
            if isinstance(recv, cst.Call):
                self.chained[id(recv)] = (an.span(node), self.protected(pos))
            elif isinstance(recv, cst.Name):
                self.scope.rfs.append(_Event(pos, recv.value, an.span(node), self.protected(pos)))
            return
        qual = an.qualname(func)
        try:
            if qual in _URLOPEN:
                self._urlopen(node, pos)
                return
            if qual in _REQUEST:
                self._http(node, pos, "urllib.request.Request", qual)
                return
            if qual in _AUTH_CTORS or (qual or "").rsplit(".", 1)[-1] in ("HTTPBasicAuth", "HTTPDigestAuth"):
                self._auth_pair(node, qual or "HTTPBasicAuth")
            if qual is not None:
                mod, _, attr = qual.rpartition(".")
                if mod in _HTTP_MODULES and (attr in HTTP_METHODS or attr in ("request", "stream")):
                    self._http(node, pos, qual, attr)
                    return
                if qual in _SUBPROCESS or qual in _SHELL_STRING or qual in _EXEC_ARGV or qual in _EXEC_LIST:
                    self._subprocess(node, pos, qual)
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
        an = self.an
        attr = func.attr.value
        recv = func.value
        # docker SDK: X.images.pull/push, X.containers.run/create
        if isinstance(recv, cst.Attribute) and recv.attr.value in ("images", "containers"):
            group = recv.attr.value
            if group == "images" and attr in ("pull", "push"):
                self._docker_image(node, "repository", PULL if attr == "pull" else PUSH, f"docker SDK images.{attr}")
                return
            if group == "images" and attr == "build":
                self._docker_tag_kw(node, LOCAL, "docker SDK images.build")
                return
            if group == "containers" and attr in ("run", "create"):
                self._docker_image(node, "image", PULL, f"docker SDK containers.{attr}", tag_kw=None)
                return
        if self._docker_api_client(recv, pos):
            if attr in ("pull", "push"):
                self._docker_image(node, "repository", PULL if attr == "pull" else PUSH, f"docker APIClient.{attr}")
            elif attr == "create_container":
                self._docker_image(node, "image", PULL, "docker APIClient.create_container", tag_kw=None)
            return
        # sessions and clients
        if attr in HTTP_METHODS or attr in ("request", "stream"):
            session = self._session(recv, pos)
            if session is not None:
                self._http(node, pos, session[0] + "." + attr, attr, base=session[1])
                return
        # invoke / fabric: c.run("..."), conn.sudo("...")
        if attr in ("run", "sudo", "local") and isinstance(recv, cst.Name) and recv.value in _TASK_RUNNERS:
            if node.args and node.args[0].keyword is None:
                v = an.string(node.args[0].value, self.scope, pos)
                if v is not None:
                    self._shell(v, node, pos, checking=True)

    # -- sessions -------------------------------------------------------------------------------
    def _session(self, recv, pos: int) -> Optional[Tuple[str, Optional[PyStr]]]:
        """(origin name, base URL) when ``recv`` is an HTTP session or client."""
        an = self.an
        if isinstance(recv, cst.Await):
            recv = recv.expression
        value, vscope, vpos = None, self.scope, pos
        label = an.code(recv) if len(an.code(recv)) <= 40 else "session"
        if isinstance(recv, cst.Call):
            value = recv
        elif isinstance(recv, cst.Name):
            found = an.lookup(recv.value, self.scope, pos)
            if found is not None and found[0].node is not None:
                value, vscope, vpos = found[0].node, found[1], found[0].pos
        elif isinstance(recv, cst.Attribute):
            found = an.attr_lookup(recv, self.scope)
            if found is not None and found[0].node is not None:
                value, vscope, vpos = found[0].node, found[1], found[0].pos
        q = an.qualname(value.func) if isinstance(value, cst.Call) else None
        if q in _SESSION_CTORS:
            base = None
            for a in value.args:
                if a.keyword is not None and a.keyword.value == "base_url":
                    base = an.string(a.value, vscope, vpos)
                elif a.keyword is None and q == "aiohttp.ClientSession" and a is value.args[0]:
                    base = an.string(a.value, vscope, vpos)
            return q, base
        last = recv.attr.value if isinstance(recv, cst.Attribute) else recv.value if isinstance(recv, cst.Name) else ""
        if last and _SESSIONISH.search(last):
            return label, None  # checked against the URL by the caller
        return None

    # -- HTTP calls -------------------------------------------------------------------------------
    def _http(self, node: cst.Call, pos: int, origin: str, verb: str, base: Optional[PyStr] = None,
              site: Optional[dict] = None) -> None:
        an = self.an
        scope = self.scope
        args = node.args
        positional = [a.value for a in args if a.keyword is None and not a.star]
        kw = {a.keyword.value: a.value for a in args if a.keyword is not None}
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
        params = _params_in(url, method_node, node, scope)
        if site is None and params and scope.kind == "function" and id(scope) in an.functions:
            # a function that wraps the call: read again at each call of it
            an.wrappers.append(dict(call=node, scope=scope, pos=pos, origin=origin, verb=verb, base=base,
                                    complete=method is not None and not url.holes))
        if guessed and "://" not in url.text and _REST not in url.text:
            return  # a method named get/put on something that is not known to be HTTP
        use = an.span(node.func) if site is None else an.span(site["call"].func)
        if site is not None:
            origin = f"{an.code(site['call'].func)} -> {origin}"
        url_use = an.span(url_node)
        for s, e in _find_urls(url.text):
            part = url.value[s:e]
            an.out.facts.append(UrlFact(part, _url_role(part.text, method), origin, url_use, url.vars, method))
        body = self.an.body_of(node, scope, pos, data_index)
        self.an.pending.append(dict(
            call=node, scope=scope, pos=pos, method=method, url=url, origin=origin, use=use, body=body,
            name=self.targets.get(id(node)), urllib_request=origin.endswith("urllib.request.Request"), site=site,
        ))

    def _urlopen(self, node: cst.Call, pos: int) -> None:
        if not node.args:
            return
        target = node.args[0].value
        protected = self.protected(pos)
        span = self.an.span(node)
        if isinstance(target, cst.Call) and self.an.qualname(target.func) in _REQUEST:
            self.opened[id(target)] = (span, protected)
            return
        if isinstance(target, cst.Name):
            found = self.an.lookup(target.value, self.scope, pos)
            if found is not None and isinstance(found[0].node, cst.Call) and self.an.qualname(found[0].node.func) in _REQUEST:
                self.scope.opens.append(_Event(pos, target.value, span, protected))
                return
        # urlopen("https://...", data=...)
        url = self.an.string(target, self.scope, pos)
        if url is None:
            return
        has_data = len([a for a in node.args if a.keyword is None]) > 1 or any(
            a.keyword is not None and a.keyword.value == "data" for a in node.args)
        method = "POST" if has_data else "GET"
        url_use = self.an.span(target)
        for s, e in _find_urls(url.text):
            part = url.value[s:e]
            self.an.out.facts.append(UrlFact(part, _url_role(part.text, method), "urlopen", url_use, url.vars, method))
        body = self.an.body_of(node, self.scope, pos, 1)
        self.an.pending.append(dict(
            call=node, scope=self.scope, pos=pos, method=method, url=url, origin="urlopen", use=self.an.span(node.func),
            body=body, name=None, urllib_request=False, raises=("urlopen()", span) if not protected else None,
        ))

    # -- docker SDK ------------------------------------------------------------------------------
    def _docker_api_client(self, recv, pos: int) -> bool:
        value = None
        if isinstance(recv, cst.Name):
            found = self.an.lookup(recv.value, self.scope, pos)
            value = found[0].node if found is not None else None
        elif isinstance(recv, cst.Attribute):
            found = self.an.attr_lookup(recv, self.scope)
            value = found[0].node if found is not None else None
        elif isinstance(recv, cst.Call):
            value = recv
        return isinstance(value, cst.Call) and self.an.qualname(value.func) in _DOCKER_CLIENTS

    def _docker_image(self, node: cst.Call, first_kw: str, role: str, origin: str, tag_kw: Optional[str] = "tag") -> None:
        an = self.an
        pos = an.start(node)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        kw = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        repo_node = positional[0] if positional else kw.get(first_kw)
        if repo_node is None:
            return
        repo = an.string(repo_node, self.scope, pos)
        if repo is None:
            return
        value = repo
        if tag_kw is not None:
            tag_node = kw.get(tag_kw, positional[1] if len(positional) > 1 else None)
            if tag_node is not None and not (isinstance(tag_node, cst.Name) and tag_node.value == "None"):
                tag = an.string_or_hole(tag_node, self.scope, pos)
                value = repo + _lit(":") + tag
        self._image(value, role, origin, an.span(repo_node))

    def _docker_tag_kw(self, node: cst.Call, role: str, origin: str) -> None:
        an = self.an
        pos = an.start(node)
        for a in node.args:
            if a.keyword is not None and a.keyword.value == "tag":
                v = an.string(a.value, self.scope, pos)
                if v is not None:
                    self._image(v, role, origin, an.span(a.value))

    def _image(self, value: PyStr, role: str, origin: str, use: Span) -> None:
        from nexus_lint.tools.images import known_name

        v = value.value
        if not value.known:
            v = known_name(v)
            if v is None:
                return
        if v.text:
            self.an.out.facts.append(ImageFact(v, role, origin, use, value.vars))

    # -- commands ------------------------------------------------------------------------------
    def _subprocess(self, node: cst.Call, pos: int, qual: str) -> None:
        an = self.an
        scope = self.scope
        positional = [a for a in node.args if a.keyword is None]
        kw = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        checking = qual in _CHECKING or (qual == "subprocess.run" and _is_true(kw.get("check")))
        env = self._env(kw.get("env"), pos)
        if qual in _EXEC_ARGV:
            items = []
            for a in positional:
                if a.star:
                    seq = an.sequence(a.value, scope, pos)
                    items.extend(seq if seq is not None else [(None, scope, pos)])
                else:
                    items.append((a.value, scope, pos))
            self._argv(items, node, pos, env, checking)
            return
        if qual in _EXEC_LIST:
            target = positional[1].value if len(positional) > 1 else None
        else:
            target = positional[0].value if positional else kw.get("args")
        if target is None:
            return
        shell = qual in _SHELL_STRING or _is_true(kw.get("shell"))
        if isinstance(target, cst.Call) and an.qualname(target.func) == "shlex.split" and target.args:
            v = an.string(target.args[0].value, scope, pos)
            if v is not None:
                self._shell(v, node, pos, env, checking)
            return
        seq = an.sequence(target, scope, pos)
        if seq is not None:
            if shell and seq and seq[0][0] is not None:
                v = an.string(seq[0][0], seq[0][1], seq[0][2]) if not isinstance(seq[0][0], _Split) else None
                if v is not None:
                    self._shell(v, node, pos, env, checking)
                return
            self._argv(seq, node, pos, env, checking)
            return
        v = an.string(target, scope, pos)
        if v is not None:
            self._shell(v, node, pos, env, checking)

    def _env(self, node, pos: int) -> Optional[Dict[str, SourcedStr]]:
        if node is None:
            return None
        found = self.an.dict_node(node, self.scope, pos)
        if found is None:
            return None
        d, dscope, _, dpos = found
        env: Dict[str, SourcedStr] = {}
        for el in d.elements:
            if isinstance(el, cst.DictElement):
                k = self.an.string(el.key, dscope, dpos)
                v = self.an.string(el.value, dscope, dpos)
                if k is not None and k.known and v is not None and v.known:
                    env[k.text] = v.value
        return env or None

    def _argv(self, items, node: cst.Call, pos: int, env, checking: bool) -> None:
        an = self.an
        words: List[PyStr] = []
        for item, iscope, ipos in items:
            if item is None:
                words.append(PyStr.hole("{*}", "_nx"))
            elif isinstance(item, _Split):
                words.append(item.value)
            else:
                words.append(an.string_or_hole(item, iscope, ipos))
        if not words:
            return
        script = SourcedStr.join(
            [_quote(w) if k == 0 else SourcedStr.unknown(" ") + _quote(w) for k, w in enumerate(words)])
        self._analyse_shell(script, env, checking)

    def _shell(self, value: PyStr, node: cst.Call, pos: int, env=None, checking: bool = False) -> None:
        self._analyse_shell(value.for_shell(), env, checking)

    def _analyse_shell(self, script: SourcedStr, env, checking: bool) -> None:
        from nexus_lint.tools.commands import command_facts
        from nexus_lint.lang.shell import analyse

        analysis = analyse(script, env)
        for fact in command_facts(analysis):
            if isinstance(fact, ApiCallFact) and fact.raises and not checking:
                # curl -f fails the command, which the Python code does not check
                fact = replace(fact, raises=None, raises_at=None)
            self.an.out.facts.append(fact)

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
            an.out.sites.append(LiteralSite("auth", qual.rsplit(".", 1)[-1], tuple(values), an.span(node), qual))

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
                an.out.sites.append(LiteralSite("auth", "auth", tuple(values), an.span(node), callee))

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
                    an.out.sites.append(LiteralSite("header", k.text, (v,), an.span(el.value), callee))


def _callee_key(func) -> Optional[str]:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        return "self." + func.attr.value
    return None


def _params_in(url: PyStr, method_node, call: cst.Call, scope: _Scope) -> bool:
    """Does the call depend on its function's parameters (URL, method, body)?"""
    params = {n for n, bs in scope.bindings.items() if any(b.kind == "param" for b in bs)}
    if not params:
        return False
    if any(name in params for _, _, name in url.holes) or any(v in params for v in url.vars):
        return True
    if isinstance(method_node, cst.Name) and method_node.value in params:
        return True
    for a in call.args:
        if a.star == "**" or (a.keyword is not None and a.keyword.value in ("json", "data", "content")):
            v = a.value
            if isinstance(v, cst.Name) and v.value in params:
                return True
            if a.star == "**":
                return True
    return False


def _frame(an: "_Analyser", fdef: cst.FunctionDef, method: bool, call: cst.Call, cscope: _Scope,
           def_scope: _Scope) -> Optional[_Frame]:
    p = fdef.params
    positional = list(p.posonly_params) + list(p.params)
    if method and positional and positional[0].name.value in ("self", "cls"):
        positional = positional[1:]
    names = [q.name.value for q in positional] + [q.name.value for q in p.kwonly_params]
    kwargs = p.star_kwarg.name.value if isinstance(p.star_kwarg, cst.Param) else None
    cpos = an.start(call)
    args: Dict[str, Tuple[cst.CSTNode, _Scope, int]] = {}
    extra: Dict[str, Tuple[cst.CSTNode, _Scope, int]] = {}
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
    return _Frame(args, extra, kwargs, def_scope, an.start(fdef))


def _find_urls(text: str):
    from nexus_lint.values.urls import find_urls

    return find_urls(text)


def _quote(w: PyStr) -> SourcedStr:
    """``w`` as one shell word: known runs single-quoted (characters keep their
    offsets), holes as ``"${name}"``."""
    parts: List[SourcedStr] = []
    pos = 0
    holes = list(w.holes)
    value = w.value

    def known_run(i: int, j: int) -> None:
        if i >= j:
            return
        run = value[i:j]
        parts.append(SourcedStr.unknown("'"))
        start = 0
        for k, ch in enumerate(run.text):
            if ch == "'":
                parts.append(run[start:k])
                parts.append(SourcedStr.unknown("'\\"))
                parts.append(run[k:k + 1])
                parts.append(SourcedStr.unknown("'"))
                start = k + 1
        parts.append(run[start:])
        parts.append(SourcedStr.unknown("'"))

    for s, e, name in holes:
        known_run(pos, s)
        parts.append(SourcedStr.unknown('"${%s}"' % (name if _IDENT.match(name) else "_nx")))
        pos = e
    known_run(pos, len(value))
    if not parts:
        parts.append(SourcedStr.unknown("''"))
    return SourcedStr.join(parts)


def _is_true(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _status_codes(node) -> List[int]:
    """HTTP status codes a comparison side names (``500``, ``(400, 500)``, ``HTTPStatus.X``)."""
    if isinstance(node, cst.Integer):
        try:
            v = int(node.value, 0)
        except ValueError:
            return []
        return [v] if 100 <= v <= 599 else []
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        out: List[int] = []
        for el in node.elements:
            out.extend(_status_codes(el.value))
        return out
    if isinstance(node, cst.Attribute):
        v = _STATUS_NAMES.get(node.attr.value)
        return [v] if v is not None else []
    return []


def _catches_http(handler) -> bool:
    t = handler.type
    if t is None:
        return True
    names = []
    if isinstance(t, cst.Tuple):
        names = [el.value for el in t.elements]
    else:
        names = [t]
    for n in names:
        full = cst.helpers.get_full_name_for_node(n) or ""
        if full.rsplit(".", 1)[-1] in _HTTP_ERRORS:
            return True
    return False


class _ExitFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Raise(self, node) -> None:
        self.found = True

    def visit_Call(self, node: cst.Call) -> None:
        name = cst.helpers.get_full_name_for_node(node.func) or ""
        if name in ("sys.exit", "exit", "quit", "os._exit", "SystemExit") or name.endswith(".fail"):
            self.found = True

    def visit_FunctionDef(self, node) -> bool:
        return False


def _exits(handler) -> bool:
    f = _ExitFinder()
    handler.body.visit(f)
    return f.found


def _target_key(target, an: _Analyser) -> Optional[str]:
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


# -----------------------------------------------------------------------------
# Entry point
# -----------------------------------------------------------------------------


def _handling(fx: "_Facts", call, scope: _Scope, pos: int, name: Optional[str]):
    """How the result of ``call`` is made fatal: ``(how, span)`` or ``None``."""
    chained = fx.chained.get(id(call))
    if chained is not None:
        span, protected = chained
        return ("raise_for_status()", span) if not protected else None
    if name:
        rebinds = [b.pos for b in scope.bindings.get(name, ()) if b.pos > pos]
        for ev in scope.rfs:
            if ev.name == name and ev.pos > pos and not any(pos < r < ev.pos for r in rebinds):
                return None if ev.protected else ("raise_for_status()", ev.span)
    return None


def _resolve(an: _Analyser, fx: _Facts) -> None:
    """Response handling of each HTTP call, now that the whole file is seen."""
    for p in an.pending:
        call, scope, pos = p["call"], p["scope"], p["pos"]
        raises = p.get("raises")
        name = p.get("name")
        site = p.get("site")
        if site is not None and not p["urllib_request"]:
            statuses = scope.statuses | site["scope"].statuses
            spos = an.start(site["call"])
            raises = _handling(fx, call, scope, pos, name) or _handling(
                fx, site["call"], site["scope"], spos, fx.targets.get(id(site["call"])))
            if site["complete"]:
                raises = None  # the call inside the function is judged there
            how, at = raises if raises else (None, None)
            an.out.facts.append(ApiCallFact(p["method"], p["url"].value, p["origin"], p["use"], p["body"], how, at,
                                            tuple(sorted(statuses)), p["url"].vars))
            continue
        if p["urllib_request"]:
            opened = fx.opened.get(id(call))
            if opened is not None:
                raises = None if opened[1] else ("urlopen()", opened[0])
            elif name:
                for ev in scope.opens:
                    if ev.name == name and ev.pos > pos:
                        raises = None if ev.protected else ("urlopen()", ev.span)
                        break
        elif raises is None:
            raises = _handling(fx, call, scope, pos, name)
        statuses = tuple(sorted(scope.statuses))
        how, at = raises if raises else (None, None)
        an.out.facts.append(ApiCallFact(p["method"], p["url"].value, p["origin"], p["use"], p["body"], how, at,
                                        statuses, p["url"].vars))


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


def _too_deep(text: str) -> Optional[str]:
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


def analyse(text: str) -> PyAnalysis:
    """Facts and literal sites of the Python source ``text``; a syntax error gives
    ``problem`` (and nothing else)."""
    deep = _too_deep(text)
    if deep is not None:
        return PyAnalysis(problem=ParseProblem(f"not valid Python: {deep}", 0, 0))
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        line = max(1, min(exc.raw_line, len(starts)))
        off = min(starts[line - 1] + max(0, exc.raw_column), len(text))
        msg = str(exc.message if hasattr(exc, "message") else exc).splitlines()[0]
        return PyAnalysis(problem=ParseProblem(f"not valid Python: {msg} (line {exc.editor_line})", off, off))
    except cst.CSTValidationError as exc:  # grammar libcst accepts, then refuses to build (b"x" "y")
        return PyAnalysis(problem=ParseProblem(f"not valid Python: {str(exc).splitlines()[0]}", 0, 0))
    if len(module.code) != len(text):
        # libcst dropped something (a line continuation before the first
        # statement): its positions would be off, so nothing is reported from them
        return PyAnalysis(problem=ParseProblem("the Python reader cannot keep positions in this file "
                                               "(a line continuation before the first statement?); not checked"))
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    try:
        # what wrapper.resolve() does, without its extra walk for batchable providers
        positions = PositionProvider()._gen(wrapper)
    except AttributeError:  # pragma: no cover - a libcst without the private hook
        positions = wrapper.resolve(PositionProvider)
    an = _Analyser(text, module, positions)
    try:
        collector = _Collector(an)
        module.visit(collector)
        fx = _Facts(an)
        fx.run(collector.events)
        _resolve(an, fx)
    except SyntaxError as exc:
        # a string literal libcst reads but CPython rejects (a truncated \u
        # escape, a NUL byte): evaluating it fails, and the file is not Python
        return PyAnalysis(problem=ParseProblem(f"not valid Python: {exc.msg}", 0, 0))
    return an.out
