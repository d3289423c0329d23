"""What a Jenkins pipeline uses (see :mod:`nexus_lint.kinds.jenkinsfile`): the
calls the Groovy reader (:mod:`nexus_lint.lang.groovy`) finds, turned into
image, URL and credential facts, and its shell steps through the shell analyser."""

from __future__ import annotations

from nexus_lint.core.record import replace
from typing import Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import LOCAL, PULL, PUSH, UNKNOWN_ROLE, ImageFact, ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang import groovy
from nexus_lint.lang.groovy import IDENT, OP, STRING, Call, GString, Interp, Parsed

SHELL_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
STEP_RECEIVERS = ((), ("steps",), ("script",), ("this",))
PULL_USES = frozenset({"pull", "inside", "run", "withRun"})
STRING_METHODS = frozenset({"stripIndent", "trim", "stripMargin", "toString"})
HINT = "jenkins"
GROOVY_PREFIX = "__groovy_var_"  # a Groovy variable's name for the shell analyser
# An interpolation whose value this file does not give: an unset shell
# variable, so the shell analyser sees an unknown word part there.
UNKNOWN = "${__groovy_value__}"
_ENV_REF = lazy_re(r"^(?:env\.)?([A-Za-z_][A-Za-z0-9_]*)$")
_ASSIGNMENT = lazy_re(r"^([A-Za-z_][A-Za-z0-9_]*)=")

Env = Dict[str, Optional[SourcedStr]]


def extract(source, context) -> Iterator[object]:
    text = source.text
    parsed = groovy.parse(text)
    if parsed.problem is not None:
        p = parsed.problem
        yield ParseProblem(f"Groovy: {p.message}", p.start, p.end)
    reader = _Reader(text, parsed)
    yield from reader.facts()
    if "nexus-lint" in text:
        yield from reader.suppressions(source)


def ci_scripts(source_text: str) -> List[str]:
    """Repository-relative paths of the scripts the shell steps run."""
    from nexus_lint.kinds.embedded import analyse
    from nexus_lint.tools.scripts import script_paths

    reader = _Reader(source_text, groovy.parse(source_text))
    out: Dict[str, None] = {}
    for _call, script, env in reader.shell_steps():
        for path in script_paths(analyse(script, env)):
            out.setdefault(path, None)
    return list(out)


class _Reader:
    def __init__(self, text: str, parsed: Parsed) -> None:
        self.text = text
        self.p = parsed
        self.toks = parsed.tokens
        self.comments: dict = {}  # shell comments with a marker
        self.used_strings: Set[int] = set()  # token indexes of strings read as something
        self._envs = self._environments()
        self._gvars: Dict[str, list] = {}  # Groovy variables: name -> their assignments
        for a in parsed.assigns:
            if len(a.target) == 1 and not (a.parent is not None and a.parent.name == "environment"):
                self._gvars.setdefault(a.target[0], []).append(a)

    # -- values ------------------------------------------------------------------
    def gstring(self, g: GString, env: Optional[Env], shell: bool = False) -> SourcedStr:
        """The string's value: literal characters where they stand, interpolations
        of known environment literals as those literals, the rest unknown."""
        parts: List[SourcedStr] = []
        for part in g.parts:
            if isinstance(part, Interp):
                parts.append(self.lookup(part.expr, part.start, part.end, env, shell))
            else:
                parts.append(SourcedStr(part.text, part.offsets))
        return SourcedStr.join(parts) if parts else SourcedStr("", [])

    def lookup(self, expr: str, start: int, end: int, env: Optional[Env], shell: bool) -> SourcedStr:
        """The value of a Groovy expression at ``start``: an environment literal
        (``env.NAME``, ``NAME``) or a string variable assigned before it (``def
        registry = '...'``); for the shell, a reference it expands (see
        :meth:`shell_env`); anything else is unknown."""
        m = _ENV_REF.match(expr)
        if m is None or env is None:
            return self.reference(None, start, end)
        name = m.group(1)
        if expr.startswith("env.") or name in env:
            value, ref = env.get(name), name
        else:
            value, ref = self.groovy_var(name, start), GROOVY_PREFIX + name
        if value is None:
            return self.reference(None, start, end)
        return self.reference(ref, start, end) if shell else value

    def groovy_var(self, name: str, at: int) -> Optional[SourcedStr]:
        """The string last assigned to the Groovy variable ``name`` before ``at``
        (wherever it stands: scopes are not followed), or ``None``."""
        best = None
        for a in self._gvars.get(name, ()):
            if a.end <= at and (best is None or a.start > best.start):
                best = a
        if best is None or best.last - best.first != 1 or self.toks[best.first].kind != STRING:
            return None
        return self.value(best.first, best.last, self.env_at(best.start))

    def shell_env(self, at: int) -> Env:
        """The variables a shell step at ``at`` sees: the environment literals, and
        the Groovy variables under a name no shell text can spell by accident."""
        env = self.env_at(at)
        for name in self._gvars:
            if name not in env:
                value = self.groovy_var(name, at)
                if value is not None:
                    env[GROOVY_PREFIX + name] = value
        return env

    @staticmethod
    def reference(name: Optional[str], start: int, end: int) -> SourcedStr:
        """What a Groovy value becomes in the text handed on: a reference to the
        environment variable ``name`` (whose literal the shell analyser or the
        image reader then expands, placed at its definition), or one to an unset
        variable (unknown).  Its characters claim the expression's place, so a use
        is reported where the expression stands."""
        text = "${%s}" % name if name is not None else UNKNOWN
        return SourcedStr(text, [start + i if start + i < end else -1 for i in range(len(text))])

    def raw(self, g: GString) -> SourcedStr:
        """The string with interpolations written as they stand (``${X}``): what
        the credential judgment reads (a reference is not a secret)."""
        parts: List[SourcedStr] = []
        for part in g.parts:
            if isinstance(part, Interp):
                parts.append(SourcedStr.literal(self.text[part.start:part.end], part.start))
            else:
                parts.append(SourcedStr(part.text, part.offsets))
        return SourcedStr.join(parts) if parts else SourcedStr("", [])

    def value(self, first: int, last: int, env: Optional[Env], shell: bool = False) -> Optional[SourcedStr]:
        """A string expression: strings, known names and ``+`` between them,
        maybe followed by ``.stripIndent()``/``.trim()``; ``None`` for anything else."""
        toks = self.toks
        k = first
        parts: List[SourcedStr] = []
        strings: List[int] = []
        while k < last:
            tok = toks[k]
            if tok.kind == STRING and tok.value is not None:
                parts.append(self.gstring(tok.value, env, shell))
                strings.append(k)
                k += 1
            elif tok.kind == IDENT:
                path = [tok.text]
                k += 1
                while k + 1 < last and toks[k].kind == OP and toks[k].text in (".", "?.") and toks[k + 1].kind == IDENT:
                    path.append(toks[k + 1].text)
                    k += 2
                if self._is_op(k, "("):
                    return None
                parts.append(self.lookup(".".join(path), tok.start, toks[k - 1].end, env, shell))
            elif tok.kind == OP and tok.text == "(" and k + 2 < last and toks[k + 2].text == ")":
                k += 1  # `("...")`
                continue
            else:
                return None
            # what may follow a part: `+`, `.method()`, the end
            while k + 3 < last + 1 and self._is_op(k, ".") and k + 1 < last and toks[k + 1].text in STRING_METHODS \
                    and self._is_op(k + 2, "(") and self._is_op(k + 3, ")"):
                k += 4
            if k < last and toks[k].kind == OP and toks[k].text == ")":
                k += 1
            if k >= last:
                break
            if self._is_op(k, "+"):
                k += 1
                while k < last and toks[k].kind == groovy.NEWLINE:
                    k += 1
                continue
            return None
        if not parts:
            return None
        self.used_strings.update(strings)
        return SourcedStr.join(parts)

    def _is_op(self, k: int, text: str) -> bool:
        return k < len(self.toks) and self.toks[k].kind == OP and self.toks[k].text == text

    def arg_value(self, call: Call, key: Optional[str] = None, index: int = 0,
                  env: Optional[Env] = None, shell: bool = False) -> Optional[SourcedStr]:
        a = call.arg(key, index)
        if a is None:
            return None
        return self.value(a.first, a.last, env, shell)

    def string_span(self, call: Call, key: Optional[str] = None, index: int = 0) -> Tuple[int, int]:
        a = call.arg(key, index)
        if a is not None and a.first < a.last:
            return self.toks[a.first].start, self.toks[a.last - 1].end
        return call.start, call.end

    # -- environment ---------------------------------------------------------------
    def _environments(self) -> List[Tuple[Tuple[int, int], str, SourcedStr, Optional[SourcedStr], Tuple[int, int]]]:
        """(scope span, name, raw value, value or None, target span) of every
        ``environment {}`` entry, ``withEnv`` item and ``env.NAME =`` assignment."""
        out = []
        whole = (0, len(self.text))
        for a in self.p.assigns:
            name = None
            scope = whole
            if a.parent is not None and a.parent.name == "environment" and len(a.target) == 1:
                name = a.target[0]
                holder = a.parent.parent
                scope = holder.closure if holder is not None and holder.closure else whole
            elif len(a.target) == 2 and a.target[0] == "env":
                name = a.target[1]
            if name is None:
                continue
            raw = self._raw_value(a.first, a.last)
            out.append((scope, name, raw, a.first, a.last, (a.start, a.end)))
        for call in self.p.calls:
            if call.name != "withEnv" or call.path or call.closure is None:
                continue
            a = call.arg()
            if a is None:
                continue
            for k in range(a.first, a.last):
                tok = self.toks[k]
                if tok.kind == STRING and tok.value is not None:
                    g = tok.value
                    first = g.parts[0] if g.parts else None
                    if first is None or isinstance(first, Interp):
                        continue
                    m = _ASSIGNMENT.match(first.text)
                    if m is None:
                        continue
                    n = m.end()
                    rest = GString(g.quote, g.start, g.end, [groovy.Lit(first.text[n:], first.offsets[n:])] + g.parts[1:])
                    tok2 = groovy.Token(STRING, tok.text, tok.start, tok.end, rest)
                    self.used_strings.add(k)
                    out.append((call.closure, m.group(1), self.raw(rest), tok2, None, (tok.start, tok.start + n - 1)))
        out.sort(key=lambda e: (-(e[0][1] - e[0][0]), e[5][0]))
        return out

    def _raw_value(self, first: int, last: int) -> Optional[SourcedStr]:
        if last - first == 1 and self.toks[first].kind == STRING and self.toks[first].value is not None:
            return self.raw(self.toks[first].value)
        return None

    def env_at(self, offset: int) -> Env:
        """The environment literals in force at ``offset`` (outer scopes first, inner win)."""
        env: Env = {}
        for scope, name, _raw, first, last, _span in self._envs:
            if not scope[0] <= offset < scope[1]:
                continue
            if isinstance(first, groovy.Token):
                env[name] = self.gstring(first.value, env)
            else:
                env[name] = self.value(first, last, env) if last - first == 1 else None
        return env

    # -- facts ---------------------------------------------------------------------
    def facts(self) -> Iterator[object]:
        from nexus_lint.tools.images import run_what_was_built

        out: List[object] = []
        out.extend(self.env_facts())
        images: List[object] = list(self.dsl_images())
        images.extend(self.shell_facts())
        out.extend(run_what_was_built(_tag_then_push(images)))
        out.extend(self.string_credentials())
        return iter(out)

    def env_facts(self) -> Iterator[object]:
        from nexus_lint.values.secrets import by_key

        for _scope, name, raw, first, last, _span in self._envs:
            if raw is None:
                continue
            if isinstance(first, int):
                self.used_strings.add(first)
            origin = f"environment {name}"
            yield from by_key(name, raw, origin, hint=HINT)
            if "://" in raw.text:
                from nexus_lint.tools.urls import url_facts_in_value

                yield from url_facts_in_value(raw, name, origin)

    def shell_steps(self) -> Iterator[Tuple[Call, SourcedStr, Env]]:
        for call in self.p.calls:
            if call.name not in SHELL_STEPS or call.path not in STEP_RECEIVERS or call.receiver is not None:
                continue
            env = self.shell_env(call.start)
            key = "script" if call.arg("script") else None
            script = self.arg_value(call, key, env=env, shell=True)
            if script is None or not script.text.strip():
                continue
            yield call, script, env

    def shell_facts(self) -> Iterator[object]:
        from nexus_lint.kinds.embedded import analyse, command_facts, worth_analysing

        self._steps: List[Tuple[int, int]] = []
        for call, script, env in self.shell_steps():
            self._steps.append((call.start, self.string_span(call, "script" if call.arg("script") else None)[1]))
            if worth_analysing(script.text):
                yield from command_facts(analyse(script, env, self.comments))

    # -- the docker pipeline DSL -------------------------------------------------------
    def dsl_images(self) -> Iterator[ImageFact]:
        calls = self.p.calls
        variables = self._image_variables()
        for call in calls:
            if call.name == "image" and not call.path and call.parent is not None and call.parent.name == "docker" \
                    and call.parent.parent is not None and call.parent.parent.name == "agent":
                yield from self._agent_image(call, call.parent)
            elif call.name == "docker" and not call.path and call.parent is not None and call.parent.name == "agent" \
                    and call.arg() is not None:
                yield from self._image(call, None, PULL, "agent { docker }", call, registry=SourcedStr("", []))
            elif call.name == "containerTemplate" and call.arg("image") is not None:
                yield from self._image(call, "image", PULL, "containerTemplate image", call, registry=SourcedStr("", []))
            elif call.name in PULL_USES or call.name == "push":
                source = None
                if call.receiver is not None and call.receiver.path == ("docker",) and \
                        call.receiver.name in ("image", "build"):
                    source = call.receiver
                elif call.receiver is None and len(call.path) == 1 and call.path[0] in variables:
                    source = _last_before(variables[call.path[0]], call.start)
                if source is None:
                    continue
                what = f"docker.{source.name}(...).{call.name}()"
                if call.name == "push":
                    yield from self._image(source, None, PUSH, what, call, tag_from=call)
                else:
                    yield from self._image(source, None, PULL, what, call)

    def _image_variables(self) -> Dict[str, List[Call]]:
        """``def img = docker.build(...)`` / ``docker.image(...)``: the variable's call(s)."""
        out: Dict[str, List[Call]] = {}
        by_start = {c.start: c for c in self.p.calls}
        for a in self.p.assigns:
            if len(a.target) != 1 or a.last - a.first < 4:
                continue
            toks = self.toks
            if toks[a.first].text == "docker" and self._is_op(a.first + 1, ".") and \
                    toks[a.first + 2].text in ("image", "build"):
                call = by_start.get(toks[a.first + 2].start)
                if call is not None and call.path == ("docker",):
                    out.setdefault(a.target[0], []).append(call)
        return out

    def _registry(self, call: Call) -> Optional[SourcedStr]:
        """The ``host[:port]`` of the innermost ``docker.withRegistry`` around ``call``
        (empty: Docker Hub; ``None``: none, or one not known)."""
        p = call.parent
        while p is not None:
            if p.name == "withRegistry" and p.path == ("docker",):
                url = self.arg_value(p, env=self.env_at(p.start))
                return _host_port(url) if url is not None else None
            p = p.parent
        return SourcedStr("", [])

    def _agent_image(self, call: Call, docker: Call) -> Iterator[ImageFact]:
        registry: Optional[SourcedStr] = SourcedStr("", [])
        for c in self.p.calls:
            if c.parent is docker and c.name == "registryUrl":
                url = self.arg_value(c, env=self.env_at(c.start))
                registry = _host_port(url) if url is not None else None
        yield from self._image(call, None, PULL, "agent { docker { image } }", call, registry=registry)

    def _image(self, source: Call, key: Optional[str], role: str, origin: str, use: Call,
               tag_from: Optional[Call] = None, registry: Optional[SourcedStr] = None) -> Iterator[ImageFact]:
        env = self.env_at(source.start)
        value = self.arg_value(source, key, env=env)
        if value is None:
            return
        value = value.strip()
        if not value.text or " " in value.text:
            return
        via: List[str] = []
        if tag_from is not None and tag_from.arg() is not None:
            tag = self.arg_value(tag_from, env=self.env_at(tag_from.start))
            if tag is None:
                return
            slash = value.text.rfind("/")
            colon = value.text.find(":", slash + 1)
            name = value[:colon] if colon >= 0 else value
            value = SourcedStr.join([name, SourcedStr.unknown(":"), tag.strip()])
        if registry is None:
            registry = self._registry(use)
            if registry is not None and not registry.text and use is not source:
                registry = self._registry(source)
        if registry is None:
            return
        if registry.text and not _has_registry(value.text):
            value = SourcedStr.join([registry, SourcedStr.unknown("/"), value])
            origin += " with registryUrl" if origin.startswith("agent") else " in docker.withRegistry"
        if UNKNOWN in value.text:
            from nexus_lint.tools.images import known_name

            value = known_name(value)
            if value is None:
                return
        span = self.string_span(source, key)
        if role == PUSH and use is not source:
            span = (use.start, use.end)
        yield ImageFact(value, role, origin, span, tuple(via))

    # -- credentials elsewhere -------------------------------------------------------------
    def string_credentials(self) -> Iterator[object]:
        from nexus_lint.values.secrets import in_value

        for k, tok in enumerate(self.toks):
            if tok.kind != STRING or k in self.used_strings or tok.value is None:
                continue
            g = tok.value
            size = sum(len(p.text) for p in g.parts if not isinstance(p, Interp))
            if size < 20 and "@" not in tok.text:
                continue
            yield from in_value(self.raw(g), "string", hint=HINT)

    # -- suppressions ------------------------------------------------------------------------
    def suppressions(self, source) -> Iterator[object]:
        from nexus_lint.kinds.comments import suppressions
        from nexus_lint.kinds.embedded import comment_suppressions
        from nexus_lint.lang.textpos import Comment

        entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for s, e in getattr(self, "_steps", [])]
        found = [Comment(c.start, c.text, c.own_line, c.end) for c in self.p.comments if "nexus-lint" in c.text]
        yield from suppressions(source, found, entries)
        if self.comments:
            yield from comment_suppressions(self.text, self.comments, source)


def _tag_then_push(facts: List[object]) -> List[object]:
    """An image tagged or built by one step and pushed by a later one is a push
    (the steps share the docker daemon); linear in the facts."""
    last_push: Dict[str, int] = {}
    for i, f in enumerate(facts):
        if isinstance(f, ImageFact) and f.role == PUSH:
            last_push[f.value.text] = i
    return [replace(f, role=PUSH) if isinstance(f, ImageFact) and f.role in (LOCAL, UNKNOWN_ROLE)
            and last_push.get(f.value.text, -1) > i else f for i, f in enumerate(facts)]


def _last_before(calls: List[Call], offset: int) -> Optional[Call]:
    best = None
    for c in calls:
        if c.start < offset:
            best = c
    return best


def _host_port(url: SourcedStr) -> Optional[SourcedStr]:
    """``https://host:port/path`` -> ``host:port`` (``""`` for an empty URL: Docker Hub)."""
    text = url.text.strip()
    if not text:
        return SourcedStr("", [])
    if UNKNOWN in text:
        return None
    url = url.strip()
    i = url.text.find("://")
    start = i + 3 if i >= 0 else 0
    end = url.text.find("/", start)
    host = url[start:end if end >= 0 else len(url.text)]
    return host if host.text else None


def _has_registry(name: str) -> bool:
    first, slash, _ = name.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")
