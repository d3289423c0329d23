"""How a GitHub Actions workflow or action is read (see :mod:`nexus_lint.kinds.github`):
expressions, jobs and steps, images, ``run:`` scripts, and the scripts a
workflow runs."""

from __future__ import annotations

import posixpath
import re
from typing import Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import LOCAL, PULL, PUSH, ImageFact, LoginFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.kinds.yamlcommon import tag_then_push, yaml_file

MAX_STEPS = 50_000  # (job, step) pairs looked at
MAX_ANALYSES = 20_000  # distinct shell analyses
MAX_TAGS = 1_000  # entries of one tags / cache list
MAX_VALUE_CHARS = 65_536

Env = Dict[str, Optional["SourcedStr"]]  # None: set, but to a value this file does not give

_EXPR = lazy_re(r"\$\{\{(.*?)\}\}", re.S)
_ENV_REF = lazy_re(r"\s*env\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']*)'\s*\])\s*\Z")
_WORDS = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_-]*)?")
_DOCKER_URI = "docker://"
_BUILD_PUSH = lazy_re(r"\s*docker/build-push-action(?:@|\s*\Z)", re.I)
_LOGIN_ACTION = lazy_re(r"\s*docker/login-action(?:@|\s*\Z)", re.I)
# What an unknown expression becomes inside a run script: an unset variable,
# so the shell analyser sees an unknown word part there (never a guessed value).
_SHELL_UNKNOWN = "${__github_expression__}"
# What an unknown expression becomes in an image value: text ``known_name``
# refuses in a name, so only a reference whose tag alone is unknown survives.
_UNKNOWN_VALUE = "${{}}"
_SHELLS = frozenset({"bash", "sh", "dash", "zsh", "ksh", "ash", "pwsh", "powershell"})
_TRUE = frozenset({"true"})


def extract(source, context) -> Iterator[object]:
    """The facts of a workflow or action file."""
    from nexus_lint.tools.images import run_what_was_built

    reader = _Reader(source.text)
    # a job runs what another built; literal secrets in `env:`, `with:`, `credentials:`, ...; tokens anywhere;
    # `# nexus-lint: ignore[...]` shell comments inside `run:` blocks too
    return yaml_file(source, "github", lambda docs: run_what_was_built(list(reader.facts(docs))),
                     comments=reader.comments)


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------


def _lookup(env: Env, name: str) -> Tuple[bool, Optional[SourcedStr]]:
    """(found, value) of ``env.NAME``; context property names are case-insensitive."""
    if name in env:
        return True, env[name]
    low = name.lower()
    for k, v in env.items():
        if k.lower() == low:
            return True, v
    return False, None


def _expression(expr: str, env: Optional[Env]) -> Optional[SourcedStr]:
    """The value of one ``${{ expr }}`` if this file gives it, else ``None``."""
    if env is None:
        return None
    m = _ENV_REF.match(expr)
    if not m:
        return None
    found, value = _lookup(env, m.group(1) or m.group(2))
    return value if found else None


def substitute(s: SourcedStr, env: Optional[Env], unknown: Optional[str] = None) -> Optional[SourcedStr]:
    """``s`` with its ``${{ ... }}`` expressions substituted.

    ``env`` is the ``env`` context where the value stands (``None`` where
    GitHub offers none).  An expression this file does not give makes the whole
    value ``None``, or, when ``unknown`` is given, is replaced by that text
    (with no offsets).
    """

    text = s.text
    if "${{" not in text:
        return s
    parts: List[SourcedStr] = []
    pos = 0
    size = 0
    for m in _EXPR.finditer(text):
        parts.append(s[pos:m.start()])
        value = _expression(m.group(1), env)
        if value is None:
            if unknown is None:
                return None
            value = SourcedStr.unknown(unknown)
        size += len(value)
        if size > MAX_VALUE_CHARS:
            return None
        parts.append(value)
        pos = m.end()
    parts.append(s[pos:])
    return SourcedStr.join(parts)


# ---------------------------------------------------------------------------
# The workflow / action
# ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.yaml = yaml
        self.yd = yamldoc
        self.text = text
        self._svals: Dict[int, SourcedStr] = {}
        self._analyses: Dict[tuple, List[object]] = {}
        self.comments: Dict[Tuple[int, int], object] = {}  # shell comments with a marker
        self._steps = 0

    # -- YAML helpers -----------------------------------------------------------
    def get(self, node, *keys):
        for key in keys:
            node = self.yd.get(node, key)
            if node is None:
                return None
        return node

    def is_scalar(self, node) -> bool:
        return isinstance(node, self.yaml.ScalarNode)

    def sval(self, node) -> SourcedStr:
        if node.tag == "tag:yaml.org,2002:null":
            return SourcedStr("")
        got = self._svals.get(id(node))
        if got is None:
            got = self.yd.scalar(node, self.text)
            self._svals[id(node)] = got
        return got

    def seq(self, node) -> list:
        return node.value if isinstance(node, self.yaml.SequenceNode) else []

    def env_layer(self, node, outer: Optional[Env]) -> Env:
        """An ``env:`` mapping; ``${{ env.X }}`` in its values reads ``outer``.

        An expression this file does not give stays in the value as
        :data:`_UNKNOWN_VALUE`, so ``tags: ${{ env.IMAGE }}`` with ``IMAGE:
        reg/app:${{ github.sha }}`` is still judged by its registry and name.
        """
        out: Env = {}
        for key, _k, v in self.yd.items(node):
            out[key] = substitute(self.sval(v), outer, _UNKNOWN_VALUE) if self.is_scalar(v) else None
        return out

    # -- facts ------------------------------------------------------------------
    def facts(self, docs: list) -> Iterator[object]:
        seen: Set[tuple] = set()
        for doc in docs:
            for fact in self._doc(doc):
                if isinstance(fact, ImageFact):
                    key = (fact.value.text, fact.value.offsets.tobytes(), fact.role, fact.origin, fact.use)
                    if key in seen:
                        continue
                    seen.add(key)
                yield fact

    def _doc(self, doc) -> Iterator[object]:
        if not isinstance(doc, self.yaml.MappingNode):
            return
        jobs = self.yd.get(doc, "jobs")
        if isinstance(jobs, self.yaml.MappingNode):
            wf_env = self.env_layer(self.yd.get(doc, "env"), None)
            for _name, _k, job in self.yd.items(jobs):
                if isinstance(job, self.yaml.MappingNode):
                    yield from self._job(doc, job, wf_env)
        runs = self.yd.get(doc, "runs")
        if isinstance(runs, self.yaml.MappingNode):
            yield from self._action(runs)

    def _job(self, doc, job, wf_env: Env) -> Iterator[object]:
        container = self.yd.get(job, "container")
        if isinstance(container, self.yaml.MappingNode):
            container = self.yd.get(container, "image")
        fact = self._image(container, None, PULL, "container:")
        if fact is not None:
            yield fact
        services = self.yd.get(job, "services")
        for _name, _k, svc in self.yd.items(services):
            fact = self._image(self.yd.get(svc, "image"), None, PULL, "services:")
            if fact is not None:
                yield fact
        env = dict(wf_env)
        env.update(self.env_layer(self.yd.get(job, "env"), None))
        shell = self._default_shell(job, doc)
        yield from self._session(self._steps_facts(self.yd.get(job, "steps"), env, shell), job)

    def _session(self, facts, node) -> List[object]:
        """The facts of a job's (or a composite action's) steps: one machine, so
        a login of one step serves the pushes and pulls of the others (NX107)."""
        from nexus_lint.tools.logins import in_scope

        return in_scope(tag_then_push(list(facts)), f"github job at {_node_span(node)[0]}")

    def _action(self, runs) -> Iterator[object]:
        image = self.yd.get(runs, "image")
        if self.is_scalar(image):
            fact = self._docker_uri(image, "runs.image:")
            if fact is not None:
                yield fact
        yield from self._session(self._steps_facts(self.yd.get(runs, "steps"), {}, None), runs)

    def _default_shell(self, job, doc) -> Optional[SourcedStr]:
        for holder in (job, doc):
            shell = self.get(holder, "defaults", "run", "shell")
            if self.is_scalar(shell):
                return self.sval(shell)
        return None

    def _steps_facts(self, steps, env: Env, default_shell) -> Iterator[object]:
        for step in self.seq(steps):
            if not isinstance(step, self.yaml.MappingNode):
                continue
            self._steps += 1
            if self._steps > MAX_STEPS:
                return
            step_env = dict(env)
            step_env.update(self.env_layer(self.yd.get(step, "env"), env))
            uses = self.yd.get(step, "uses")
            if self.is_scalar(uses):
                value = uses.value
                if value.lstrip().startswith(_DOCKER_URI):
                    fact = self._docker_uri(uses, "uses:")
                    if fact is not None:
                        yield fact
                elif _BUILD_PUSH.match(value):
                    yield from self._build_push(self.yd.get(step, "with"), step_env)
                elif _LOGIN_ACTION.match(value):
                    fact = self._login_action(self.yd.get(step, "with"), step_env)
                    if fact is not None:
                        yield fact
            run = self.yd.get(step, "run")
            if self.is_scalar(run) and run.value.strip():
                shell = self.yd.get(step, "shell")
                shell_text = self.sval(shell).text if self.is_scalar(shell) else (default_shell.text if default_shell else "bash")
                if _shell_name(shell_text) in _SHELLS:
                    yield from self._run(run, step_env)

    # -- images -----------------------------------------------------------------
    def _image(self, node, env: Optional[Env], role: str, origin: str) -> Optional[ImageFact]:
        if not self.is_scalar(node):
            return None
        raw = self.sval(node)
        value = _image_value(raw, env)
        if value is None:
            return None
        return ImageFact(value, role, origin, raw.extent() or _node_span(node))

    def _docker_uri(self, node, origin: str) -> Optional[ImageFact]:
        raw = self.sval(node)
        value = raw.strip()
        if not value.text.startswith(_DOCKER_URI):
            return None
        value = value[len(_DOCKER_URI):]
        if not value.text or "${{" in value.text:
            return None
        return ImageFact(value, PULL, f"{origin} docker://", value.extent() or _node_span(node))

    def _build_push(self, with_, env: Env) -> Iterator[ImageFact]:
        if not isinstance(with_, self.yaml.MappingNode):
            return
        push = False
        flag = self.yd.get(with_, "push")
        if self.is_scalar(flag) and flag.value.strip().lower() in _TRUE:
            push = True
        outputs = self.yd.get(with_, "outputs")
        if self.is_scalar(outputs) and re.search(r"type\s*=\s*registry|push\s*=\s*true", outputs.value, re.I):
            push = True
        role = PUSH if push else LOCAL
        tags = self.yd.get(with_, "tags")
        if self.is_scalar(tags):
            for entry in _list_input(self.sval(tags), commas=True):
                value = _image_value(entry, env)
                if value is not None:
                    yield ImageFact(value, role, "build-push-action tags:", entry.extent() or _node_span(tags))
        for key, cache_role in (("cache-from", PULL), ("cache-to", PUSH)):
            node = self.yd.get(with_, key)
            if not self.is_scalar(node):
                continue
            for entry in _list_input(self.sval(node), commas=False):
                from nexus_lint.tools.images import registry_cache_ref

                ref = registry_cache_ref(entry)
                value = _image_value(ref, env) if ref is not None else None
                if value is not None:
                    yield ImageFact(value, cache_role, f"build-push-action {key}:", ref.extent() or _node_span(node))

    def _login_action(self, with_, env: Env) -> Optional[LoginFact]:
        """``docker/login-action`` ``with: registry:`` (none: Docker Hub)."""
        node = self.yd.get(with_, "registry") if isinstance(with_, self.yaml.MappingNode) else None
        if not self.is_scalar(node):
            return None
        raw = self.sval(node)
        value = substitute(raw, env, _UNKNOWN_VALUE)
        if value is None or _UNKNOWN_VALUE in value.text:
            return None
        value = value.strip()
        for scheme in ("https://", "http://"):
            if value.text.lower().startswith(scheme):
                value = value[len(scheme):]
        cut = value.text.find("/")
        if cut >= 0:
            value = value[:cut]
        if not value.text or any(c.isspace() for c in value.text):
            return None
        return LoginFact(value, "docker/login-action registry:", raw.extent() or _node_span(node))

    # -- run scripts ----------------------------------------------------------------
    def _run(self, node, env: Env) -> List[object]:
        names = set()
        for w in _WORDS.findall(node.value):
            names.add(w.lower())
            names.add(w.split("-", 1)[0].lower())
        used = {k: v for k, v in env.items() if k.lower() in names}
        fp = tuple(sorted((k, None if v is None else (v.text, v.offsets.tobytes())) for k, v in used.items()))
        key = (id(node), fp)
        hit = self._analyses.get(key)
        if hit is None:
            if len(self._analyses) >= MAX_ANALYSES:
                return []
            hit = self._analyse(node, used)
            self._analyses[key] = hit
        return hit

    def _analyse(self, node, env: Env) -> List[object]:
        from nexus_lint.kinds.embedded import script_facts

        # a value with an unknown part is, to the shell, an unknown value
        env = {k: None if v is None or _UNKNOWN_VALUE in v.text else v for k, v in env.items()}

        script = substitute(self.sval(node), env, _SHELL_UNKNOWN)
        if script is None:
            return []
        return list(script_facts([script], env, self.comments))


def _shell_name(shell: str) -> str:
    """``bash -e {0}`` -> ``bash``; ``/usr/bin/sh`` -> ``sh``."""
    words = shell.split()
    return posixpath.basename(words[0]).lower() if words else ""


def _node_span(node) -> Tuple[int, int]:
    return (node.start_mark.index, node.end_mark.index)


def _image_value(raw: SourcedStr, env: Optional[Env]) -> Optional[SourcedStr]:
    """An image reference after substitution; ``None`` when its name is unknown."""
    from nexus_lint.tools.images import known_name

    value = substitute(raw, env, _UNKNOWN_VALUE)
    if value is None:
        return None
    value = value.strip()
    if "${{" in raw.text and _UNKNOWN_VALUE in value.text:
        value = known_name(value)
    if value is None or not value.text:
        return None
    return value


def _list_input(value: SourcedStr, commas: bool) -> List[SourcedStr]:
    """The entries of a list input (docker/actions-toolkit ``getInputList``):
    newline- (and comma-) separated, blank entries dropped; a separator inside
    a ``${{ }}`` expression does not split."""
    text = value.text
    guarded = [(m.start(), m.end()) for m in _EXPR.finditer(text)] if "${{" in text else []
    seps = "\n\r," if commas else "\n\r"
    out: List[SourcedStr] = []
    start = 0
    g = 0
    i = 0
    n = len(text)
    while i <= n:
        while g < len(guarded) and guarded[g][1] <= i:
            g += 1
        if g < len(guarded) and guarded[g][0] <= i < guarded[g][1]:
            i = guarded[g][1]
            continue
        if i == n or text[i] in seps:
            entry = value[start:i].strip()
            start = i + 1
            if entry.text:
                out.append(entry)
                if len(out) >= MAX_TAGS:
                    break
        i += 1
    return out


# ---------------------------------------------------------------------------
# Scripts the workflow runs (CI context)
# ---------------------------------------------------------------------------

_WORKSPACE = lazy_re(r"\$\{\{\s*github\s*\.\s*workspace\s*\}\}", re.I)
_ACTION_PATH = lazy_re(r"\$\{\{\s*github\s*\.\s*action_path\s*\}\}", re.I)


def ci_scripts(source_text: str, path: Optional[str] = None) -> List[str]:
    """Repository-relative paths of the scripts this workflow's ``run:`` steps execute.

    ``./ci/publish.sh``, ``bash scripts/release.sh``, ``source ci/env.sh``,
    ``$GITHUB_WORKSPACE/ci/x.sh``, ``${{ github.workspace }}/ci/x.sh``,
    ``cd deploy && ./go.sh`` and a step's (or ``defaults.run``'s)
    ``working-directory`` are followed.  In an action (``path`` given),
    ``${{ github.action_path }}`` is the action's folder.  Steps whose shell is
    Python are left out.  Broken YAML gives ``[]``.
    """
    import yaml

    from nexus_lint.kinds.embedded import analyse
    from nexus_lint.lang import yamldoc
    from nexus_lint.tools.scripts import script_paths

    try:
        docs = yamldoc.load(source_text)
    except yamldoc.YamlError:
        return []
    action_dir = None
    if path:
        d = posixpath.dirname(path.replace("\\", "/"))
        d = posixpath.normpath(d) if d else "."
        if not d.startswith("/") and not d.startswith(".."):
            action_dir = d

    def get(node, *keys):
        for key in keys:
            node = yamldoc.get(node, key)
            if node is None:
                return None
        return node

    def text_of(node) -> Optional[str]:
        return node.value.strip() if isinstance(node, yaml.ScalarNode) and node.value.strip() else None

    runs: List[Tuple[object, Optional[str], Optional[str]]] = []  # (run node, working dir, shell)

    def add_steps(steps, wd: Optional[str], shell: Optional[str]) -> None:
        if not isinstance(steps, yaml.SequenceNode):
            return
        for step in steps.value[:MAX_STEPS]:
            run = get(step, "run")
            if isinstance(run, yaml.ScalarNode) and run.value.strip():
                runs.append((run, text_of(get(step, "working-directory")) or wd, text_of(get(step, "shell")) or shell))

    for doc in docs:
        jobs = get(doc, "jobs")
        for _name, _k, job in yamldoc.items(jobs):
            wd = text_of(get(job, "defaults", "run", "working-directory")) or text_of(get(doc, "defaults", "run", "working-directory"))
            shell = text_of(get(job, "defaults", "run", "shell")) or text_of(get(doc, "defaults", "run", "shell"))
            add_steps(get(job, "steps"), wd, shell)
        add_steps(get(doc, "runs", "steps"), None, None)

    out: Dict[str, None] = {}
    seen: Set[tuple] = set()
    for node, wd, shell in runs:
        if shell and _shell_name(shell).startswith("python"):
            continue
        if (id(node), wd) in seen:
            continue
        seen.add((id(node), wd))
        script = node.value
        script = _WORKSPACE.sub(".", script)
        if action_dir is not None:
            script = _ACTION_PATH.sub(action_dir, script)
        script = _EXPR.sub(_SHELL_UNKNOWN, script)
        base = _workdir(wd)
        if base is None:
            continue
        analysis = analyse(SourcedStr.unknown(script), {"GITHUB_WORKSPACE": SourcedStr.unknown(".")})
        for found in script_paths(analysis):
            full = posixpath.normpath(posixpath.join(base, found)) if base else found
            if full and full != "." and not full.startswith("../") and full != "..":
                out.setdefault(full, None)
    return list(out)


def _workdir(wd: Optional[str]) -> Optional[str]:
    """A step's working directory relative to the repository: ``""`` for the
    root, ``None`` when it is not a folder of the repository this file names."""
    if not wd:
        return ""
    wd = _WORKSPACE.sub(".", wd)
    wd = re.sub(r"^\$\{?GITHUB_WORKSPACE\}?", ".", wd)
    if "$" in wd or wd.startswith("/") or wd.startswith("~"):
        return None
    p = posixpath.normpath(wd)
    if p == ".":
        return ""
    if p == ".." or p.startswith("../"):
        return None
    return p
