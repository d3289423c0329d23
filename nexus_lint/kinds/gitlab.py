"""GitLab CI facts (``.gitlab-ci.yml``, ``*.gitlab-ci.yml``, files under ``.gitlab/``).

The file is read as GitLab reads it, as far as images and scripts go:

* ``include:`` ``local:`` entries and plain local paths are read (relative to
  the repository root, nested includes too, bounded, cycles cut) and merged
  under this file, deep-merging as GitLab does; this file wins;
* jobs are the top-level mappings that are not global keywords; hidden jobs
  (``.name``) are templates and are read too; ``extends:`` (string or list,
  several levels) deep-merges the parents under the job; ``default:`` (and the
  legacy top-level ``image``/``services``/``before_script``/``after_script``)
  fills what the job does not set, subject to ``inherit:``;
* anchors, aliases and merge keys come from the YAML layer; ``!reference
  [job, key, ...]`` is looked up wherever a value may stand;
* ``variables:`` at top level, in ``default:`` and in the job (job wins;
  ``{value: ..., expand: false}`` form too) are expanded, GitLab-style, into
  ``image``/``services`` names, and handed to the shell analyser as the
  environment of every ``before_script``/``script``/``after_script`` line.

Facts carry offsets into *this* file only: a value literal that lives in an
included file keeps its text but has unknown offsets, and an image or script
written in an included file is not reported from here (that file is linted on
its own).  A name that depends on a variable the file does not define
(``$CI_REGISTRY_IMAGE``, ``$CI_COMMIT_SHA``, ...) is not guessed at: no fact.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.limits import MAX_INCLUDE_FILES
from nexus_lint.core.model import PULL, CredentialFact, ImageFact, ParseProblem, Suppression
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.core.suppress import parse_marker
from nexus_lint.kinds.yamlcommon import tag_then_push, yaml_credentials, yaml_suppressions

# Top-level keys that are not jobs.
GLOBAL_KEYS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache",
     "before_script", "after_script", "types", "spec"}
)
# Keys a job takes from ``default:`` (those that matter here).
DEFAULT_KEYS = ("image", "services", "before_script", "after_script")
SCRIPT_KEYS = ("before_script", "script", "after_script")

MAX_INCLUDE_DEPTH = 20
MAX_INCLUDE_BYTES = 10 * 1024 * 1024
MAX_EXTENDS_DEPTH = 11  # GitLab's own limit
MAX_REFERENCE_DEPTH = 10
MAX_MERGE_DEPTH = 10
MAX_LIST_ITEMS = 20_000
MAX_ANALYSES = 20_000
MAX_VAR_DEPTH = 10
MAX_MERGES = 200_000
MAX_VALUE_CHARS = 65_536

_VAR = lazy_re(r"\$\$|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_WORDS = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*")


def extract(source, context) -> Iterator[object]:
    from nexus_lint.lang import yamldoc

    text = source.text
    try:
        docs = yamldoc.load(text)
    except yamldoc.YamlError as exc:
        yield ParseProblem(exc.message, exc.start, exc.end)
        return
    main = _File(context.path if context is not None else source.path, text, True, docs)
    fs_path = getattr(source, "fs_path", None)
    pipeline = _Pipeline(main, _repo_root(fs_path), fs_path)
    from nexus_lint.tools.images import run_what_was_built

    yield from run_what_was_built(list(pipeline.facts()))  # a job runs what another built
    # literal secrets in `variables:` (every level), `DOCKER_AUTH_CONFIG`, tokens anywhere
    yield from yaml_credentials(docs, text, "gitlab")
    if "nexus-lint" in text:
        yield from yaml_suppressions(text, docs, source)
        yield from pipeline.shell_suppressions(source)


# ---------------------------------------------------------------------------
# The merged configuration
# ---------------------------------------------------------------------------


class _File:
    __slots__ = ("path", "text", "main", "docs")

    def __init__(self, path: str, text: str, main: bool, docs: list) -> None:
        self.path = path
        self.text = text
        self.main = main
        self.docs = docs


class _Val:
    """A YAML node and the file it stands in."""

    __slots__ = ("node", "file")

    def __init__(self, node, file: _File) -> None:
        self.node = node
        self.file = file


Entry = Union[_Val, dict]


class _Pipeline:
    def __init__(self, main: _File, root: Optional[str], fs_path: Optional[str] = None) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.yaml = yaml
        self.yd = yamldoc
        self.main = main
        self.root = root
        self._maps: Dict[Tuple[int, int], dict] = {}
        self._svals: Dict[int, SourcedStr] = {}
        self._jobs: Dict[str, Optional[dict]] = {}
        self._analyses: Dict[tuple, tuple] = {}
        self._names: Dict[int, frozenset] = {}
        self._comments: Dict[Tuple[int, int], object] = {}
        self.top: Dict[str, Entry] = {}
        self._merges = 0
        self.files: List[_File] = []
        files: List[_File] = []
        if root is not None:
            seen: Set[str] = set()
            if fs_path:
                seen.add(os.path.realpath(fs_path))
            self._collect_includes(main, 0, seen, files)
        self.files = files + [main]
        for f in self.files:
            for doc in f.docs:
                for key, _k, v in self.yd.items(doc):
                    val = _Val(v, f)
                    self.top[key] = self.merge(self.top[key], val, resolve=False) if key in self.top else val

    # -- includes -------------------------------------------------------------
    def _collect_includes(self, f: _File, depth: int, seen: Set[str], out: List[_File]) -> None:
        if depth >= MAX_INCLUDE_DEPTH:
            return
        for doc in f.docs:
            inc = self.yd.get(doc, "include")
            if inc is None:
                continue
            for path in include_entries(inc):
                for fs in self._expand_include(path):
                    real = os.path.realpath(fs)
                    if real in seen or len(seen) > MAX_INCLUDE_FILES:
                        continue
                    seen.add(real)
                    included = self._read(fs)
                    if included is None:
                        continue
                    self._collect_includes(included, depth + 1, seen, out)
                    out.append(included)

    def _expand_include(self, path: str) -> List[str]:
        if self.root is None or "$" in path:
            return []
        from nexus_lint.core import depends# what the result cache must watch
        from nexus_lint.core.repo import repo_glob

        found, matched = repo_glob(self.root, path.lstrip("/"), MAX_INCLUDE_FILES)
        if matched is not None:
            depends.globbed(os.path.join(self.root, path.lstrip("/")), matched)
        return found

    def _read(self, fs: str) -> Optional[_File]:
        from nexus_lint.core import depends# what the result cache must watch

        data = None
        try:
            if not os.path.isfile(fs) or os.path.getsize(fs) > MAX_INCLUDE_BYTES:
                return None
            with open(fs, "rb") as fh:
                data = fh.read(MAX_INCLUDE_BYTES + 1)
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        finally:
            depends.read(fs, data)
        try:
            docs = self.yd.load(text)
        except self.yd.YamlError:
            return None
        rel = os.path.relpath(fs, self.root).replace(os.sep, "/") if self.root else fs
        return _File(rel, text, False, docs)

    # -- values -----------------------------------------------------------------
    def deref(self, e: Optional[Entry], depth: int = 0) -> Optional[Entry]:
        """Follow ``!reference [job, key, ...]`` (bounded)."""
        while isinstance(e, _Val) and self.yd.is_reference(e.node):
            if depth >= MAX_REFERENCE_DEPTH:
                return None
            parts = []
            for item in e.node.value:
                if not isinstance(item, self.yaml.ScalarNode):
                    return None
                parts.append(item.value)
            if not parts:
                return None
            e = self.lookup(parts, depth + 1)
            depth += 1
        return e

    def lookup(self, parts: Sequence[str], depth: int = 0) -> Optional[Entry]:
        e = self.top.get(parts[0])
        for p in parts[1:]:
            m = self.as_map(e, depth=depth)
            e = m.get(p) if m is not None else None
            if e is None:
                break
        if e is None and len(parts) > 1:
            # a key the job inherits through extends
            e = self._jobs_lookup(parts, depth)
        return e

    def _jobs_lookup(self, parts: Sequence[str], depth: int) -> Optional[Entry]:
        if depth > MAX_REFERENCE_DEPTH:
            return None
        e: Optional[Entry] = self.job(parts[0])
        for p in parts[1:]:
            m = self.as_map(e, depth=depth)
            e = m.get(p) if m is not None else None
            if e is None:
                return None
        return e

    def as_map(self, e: Optional[Entry], resolve: bool = True, depth: int = 0) -> Optional[dict]:
        if resolve:
            e = self.deref(e, depth)
        if isinstance(e, dict):
            return e
        if isinstance(e, _Val) and isinstance(e.node, self.yaml.MappingNode):
            key = (id(e.node), id(e.file))
            m = self._maps.get(key)
            if m is None:
                m = {k: _Val(v, e.file) for k, _kn, v in self.yd.items(e.node)}
                self._maps[key] = m
            return m
        return None

    def merge(self, a: Entry, b: Entry, resolve: bool = True, depth: int = 0) -> Entry:
        """GitLab's deep merge: mappings merge key by key, anything else is replaced."""
        self._merges += 1
        if depth < MAX_MERGE_DEPTH and self._merges < MAX_MERGES:
            ma = self.as_map(a, resolve)
            if ma is not None:
                mb = self.as_map(b, resolve)
                if mb is not None:
                    out = dict(ma)
                    for k, v in mb.items():
                        out[k] = self.merge(out[k], v, resolve, depth + 1) if k in out else v
                    return out
        return b

    def as_list(self, e: Optional[Entry]) -> List[_Val]:
        """The scalars of a (possibly nested, possibly referenced) list, flattened."""
        out: List[_Val] = []
        seen: Set[int] = set()

        def add(e: Optional[Entry], depth: int) -> None:
            e = self.deref(e)
            if not isinstance(e, _Val) or len(out) >= MAX_LIST_ITEMS or depth > 50:
                return
            node = e.node
            if isinstance(node, self.yaml.ScalarNode):
                out.append(e)
            elif isinstance(node, self.yaml.SequenceNode):
                if id(node) in seen:
                    return
                seen.add(id(node))
                for item in node.value:
                    add(_Val(item, e.file), depth + 1)

        add(e, 0)
        return out

    def scalar(self, e: Optional[Entry]) -> Optional[_Val]:
        e = self.deref(e)
        if isinstance(e, _Val) and isinstance(e.node, self.yaml.ScalarNode):
            return e
        return None

    def sval(self, v: _Val) -> SourcedStr:
        """The scalar's value; offsets only for this file's literals."""
        node = v.node
        if node.tag == "tag:yaml.org,2002:null":
            return SourcedStr("")
        if not v.file.main:
            return SourcedStr.unknown(node.value)
        got = self._svals.get(id(node))
        if got is None:
            got = self.yd.scalar(node, v.file.text)
            self._svals[id(node)] = got
        return got

    def names(self, e: Optional[Entry]) -> List[str]:
        return [v.node.value for v in self.as_list(e) if v.node.value]

    # -- jobs -------------------------------------------------------------------
    def job(self, name: str, stack: Tuple[str, ...] = ()) -> Optional[dict]:
        """The job with ``extends`` applied (not yet ``default:``)."""
        if name in self._jobs:
            return self._jobs[name]
        if name in stack or len(stack) > MAX_EXTENDS_DEPTH:
            return None
        self._jobs[name] = None  # while it is being built: a reference back to it finds nothing
        m = self.as_map(self.top.get(name))
        if m is None:
            self._jobs[name] = None
            return None
        result: Optional[dict] = None
        for parent in self.names(m.get("extends")):
            pm = self.job(parent, stack + (name,))
            if pm is not None:
                result = pm if result is None else self.merge(result, pm)  # type: ignore[assignment]
        job = dict(m) if result is None else self.merge(result, m)
        job = job if isinstance(job, dict) else dict(m)
        self._jobs[name] = job
        return job

    def job_names(self) -> List[str]:
        out = []
        for key, e in self.top.items():
            if key in GLOBAL_KEYS:
                continue
            if self.as_map(e) is not None:
                out.append(key)
        return out

    def defaults(self) -> dict:
        d = dict(self.as_map(self.top.get("default")) or {})
        for key in DEFAULT_KEYS:  # legacy top-level globals
            if key not in d and key in self.top:
                d[key] = self.top[key]
        return d

    def _inherit(self, job: dict, what: str) -> Union[bool, Set[str]]:
        inherit = self.as_map(job.get("inherit"))
        if inherit is None or what not in inherit:
            return True
        e = self.deref(inherit[what])
        v = self.scalar(e)
        if v is not None:
            return v.node.value.strip().lower() not in ("false", "no", "off")
        return set(self.names(e))

    def effective(self, name: Optional[str]) -> Tuple[dict, Dict[str, Tuple[SourcedStr, bool]]]:
        """The job as it runs (``None``: the defaults on their own) and its raw variables."""
        defaults = self.defaults()
        if name is None:
            job: dict = dict(defaults)
            inherit_default: Union[bool, Set[str]] = True
            inherit_vars: Union[bool, Set[str]] = True
        else:
            job = dict(self.job(name) or {})
            inherit_default = self._inherit(job, "default")
            inherit_vars = self._inherit(job, "variables")
            for key in DEFAULT_KEYS:
                if key not in job and key in defaults and (inherit_default is True or (isinstance(inherit_default, set) and key in inherit_default)):
                    job[key] = defaults[key]
        raw: Dict[str, Tuple[SourcedStr, bool]] = {}
        layers = []
        gv = self.as_map(self.top.get("variables"))
        if gv and inherit_vars is not False:
            layers.append({k: v for k, v in gv.items() if inherit_vars is True or k in inherit_vars})
        if name is not None:
            dv = self.as_map(defaults.get("variables"))
            if dv and inherit_default is not False:
                layers.append(dv)
        jv = self.as_map(job.get("variables"))
        if jv:
            layers.append(jv)
        for layer in layers:
            for k, e in layer.items():
                got = self._variable(e)
                if got is None:
                    raw.pop(k, None)
                else:
                    raw[k] = got
        return job, raw

    def _variable(self, e: Optional[Entry]) -> Optional[Tuple[SourcedStr, bool]]:
        v = self.scalar(e)
        if v is not None:
            return self.sval(v), True
        m = self.as_map(e)
        if m is None:
            return None
        v = self.scalar(m.get("value"))
        if v is None:
            return None
        expand = True
        x = self.scalar(m.get("expand"))
        if x is not None and x.node.value.strip().lower() in ("false", "no", "off"):
            expand = False
        return self.sval(v), expand

    # -- facts ------------------------------------------------------------------
    def facts(self) -> Iterator[object]:
        seen: Set[tuple] = set()
        names = self.job_names()
        extended = self._used_templates(names)
        runs: List[Tuple[Optional[str], bool]] = [(None, bool(names))]
        for name in names:
            # A template some job extends is evaluated with its users' variables
            # there; on its own it only reports what does not depend on variables.
            runs.append((name, name.startswith(".") and name in extended))
        for name, literal_only in runs:
            for fact in self._job_facts(name):
                if literal_only and fact.via:
                    continue
                if isinstance(fact, CredentialFact):
                    key = (fact.kind, fact.key, fact.value.extent(), fact.use, fact.argument, fact.literal)
                else:
                    key = (fact.value.text, fact.value.offsets.tobytes(), fact.role, fact.origin, fact.use)
                if key in seen:
                    continue
                seen.add(key)
                yield fact

    def _used_templates(self, names: List[str]) -> Set[str]:
        """Jobs another job builds on: ``extends``, ``<<: *anchor``, ``!reference``."""
        used: Set[str] = set()
        for name in names:
            m = self.as_map(self.top.get(name))
            if m is not None:
                used.update(self.names(m.get("extends")))
        by_node: Dict[int, str] = {}
        for name in names:
            e = self.top.get(name)
            if isinstance(e, _Val):
                by_node[id(e.node)] = name
        for f in self.files:
            for doc in f.docs:
                for node in self.yd.walk(doc):
                    if self.yd.is_reference(node) and node.value and isinstance(node.value[0], self.yaml.ScalarNode):
                        used.add(node.value[0].value)
                    elif isinstance(node, self.yaml.MappingNode):
                        for k, v in node.value:
                            if k.tag == self.yd.MERGE_TAG:
                                for src in (v.value if isinstance(v, self.yaml.SequenceNode) else [v]):
                                    if id(src) in by_node:
                                        used.add(by_node[id(src)])
        return used

    def _job_facts(self, name: Optional[str]) -> Iterator[object]:
        job, raw = self.effective(name)
        resolve = _Resolver(raw)
        for var in raw:
            # URLs in CI variables (PIP_INDEX_URL, NPM_CONFIG_REGISTRY, ...), when
            # their literal is in this file.
            val = resolve.value(var)
            if val is not None and "://" in val.text and val.extent() is not None:
                from nexus_lint.tools.urls import url_facts_in_value

                yield from url_facts_in_value(val, var, f"variables: {var}")
        image = job.get("image")
        if image is not None:
            fact = self._image(image, "image:", resolve)
            if fact is not None:
                yield fact
        services = job.get("services")
        if services is not None:
            for item in self._service_items(services):
                fact = self._image(item, "services:", resolve)
                if fact is not None:
                    yield fact
        if not any(k in job for k in SCRIPT_KEYS):
            return
        env = resolve.known()
        for group in (("before_script", "script"), ("after_script",)):
            cur_env = env  # before_script and script share one shell; after_script has its own
            session: List[ImageFact] = []
            for key in group:
                for v in self.as_list(job.get(key)):
                    cur_env, facts = self._script(v, cur_env)
                    session.extend(facts)
            yield from tag_then_push(session)

    def _service_items(self, e: Entry) -> List[Entry]:
        e = self.deref(e)
        if isinstance(e, _Val) and isinstance(e.node, self.yaml.SequenceNode):
            out: List[Entry] = []
            for item in e.node.value[:MAX_LIST_ITEMS]:
                d = self.deref(_Val(item, e.file))
                if isinstance(d, _Val) and isinstance(d.node, self.yaml.SequenceNode):
                    out.extend(_Val(x, d.file) for x in d.node.value[:MAX_LIST_ITEMS])
                elif d is not None:
                    out.append(d)
            return out
        return [e] if e is not None else []

    def _image(self, e: Entry, origin: str, resolve: "_Resolver") -> Optional[ImageFact]:
        m = self.as_map(e)
        if m is not None:
            e = m.get("name")
        v = self.scalar(e)
        if v is None:
            return None
        raw = self.sval(v)
        if not raw.text.strip():
            return None
        via: List[str] = []
        value = resolve.expand(raw, via)
        if value is None:
            # Only the tag or digest unknown (`$REG/app:$CI_COMMIT_SHA`): judge the name.
            from nexus_lint.tools.images import known_name

            partial = resolve.expand(raw, via, keep_unknown=True)
            value = known_name(partial.strip()) if partial is not None else None
            if value is None:
                return None
        value = value.strip()
        if not value.text:
            return None
        fact = ImageFact(value, PULL, origin, raw.extent() or (0, 0), tuple(dict.fromkeys(via)))
        return fact if v.file.main else _foreign(fact, v.file)

    # -- scripts ----------------------------------------------------------------
    def _script(self, v: _Val, env: Dict[str, SourcedStr]) -> Tuple[Dict[str, SourcedStr], List[ImageFact]]:
        """Analyse one script item; returns the environment after it and its facts.

        The analysis is cached by the item and the values of the variables its
        text names, so a template's lines shared by many jobs are analysed once
        per distinct environment that matters to them.
        """
        if not v.node.value.strip():
            return env, []
        names = self._names.get(id(v.node))
        if names is None:
            names = frozenset(_WORDS.findall(v.node.value))
            self._names[id(v.node)] = names
        fp = tuple(sorted((k, env[k].text, env[k].offsets.tobytes()) for k in names if k in env))
        cache_key = (id(v.node), fp)
        hit = self._analyses.get(cache_key)
        if hit is None:
            if len(self._analyses) >= MAX_ANALYSES:
                return env, []
            hit = self._analyse(v, {k: env[k] for k in names if k in env})
            self._analyses[cache_key] = hit
        changed, removed, facts = hit
        if changed or removed:
            env = {k: val for k, val in env.items() if k not in removed}
            env.update(changed)
        return env, facts

    def _analyse(self, v: _Val, env: Dict[str, SourcedStr]) -> Tuple[Dict[str, SourcedStr], Set[str], List[ImageFact]]:
        from nexus_lint.tools.commands import command_facts
        from nexus_lint.lang.shell import analyse

        script = self.sval(v)
        # A no-op command after the script shows the variables it leaves set
        # (GitLab runs the lines of before_script and script in one shell).
        sentinel = not script.text.rstrip(" \t\r\n").endswith("\\")
        text = SourcedStr.join([script, SourcedStr.unknown("\n:")]) if sentinel else script
        analysis = analyse(text, env)
        for c in analysis.comments:
            if c.start >= 0 and "nexus-lint" in c.text.text:
                self._comments[(c.start, c.end)] = c
        changed: Dict[str, SourcedStr] = {}
        removed: Set[str] = set()
        if sentinel and analysis.commands:
            last = analysis.commands[-1]
            if last.name == ":" and last.start == -1 and last.depth == 0:
                after = dict(last.env)
                changed = {k: val for k, val in after.items() if k not in env or env[k] != val}
                removed = {k for k in env if k not in after}
        facts = list(command_facts(analysis))
        if not v.file.main:
            facts = [f for f in (_foreign(f, v.file) for f in facts) if f is not None]
        return changed, removed, facts

    def shell_suppressions(self, source) -> Iterator[Suppression]:
        text = self.main.text
        for (start, end), c in sorted(self._comments.items()):
            parsed = parse_marker(c.text.text)
            if parsed is None:
                continue
            ids, s, e = parsed
            line = source.line_of(start)
            line_start = text.rfind("\n", 0, start) + 1
            own = not text[line_start:start].strip()
            lines = (line, line + 1) if own else (line,)
            span = c.text.span(s, e) or (start, end)
            yield Suppression(ids, lines, span[0], span[1])


class _Resolver:
    """GitLab variable expansion for one job (memoised, cycle-safe)."""

    def __init__(self, raw: Dict[str, Tuple[SourcedStr, bool]]) -> None:
        self.raw = raw
        self.memo: Dict[str, Optional[SourcedStr]] = {}
        self.active: Set[str] = set()

    def value(self, name: str, depth: int = 0) -> Optional[SourcedStr]:
        if name in self.memo:
            return self.memo[name]
        got = self.raw.get(name)
        if got is None or name in self.active or depth > MAX_VAR_DEPTH:
            return None
        s, expand = got
        if expand:
            self.active.add(name)
            try:
                value = self.expand(s, [], depth + 1)
            finally:
                self.active.discard(name)
        else:
            value = s
        self.memo[name] = value
        return value

    def expand(self, s: SourcedStr, via: List[str], depth: int = 0, keep_unknown: bool = False) -> Optional[SourcedStr]:
        """``$VAR``/``${VAR}`` substituted; ``None`` when any variable is unknown
        (with ``keep_unknown``, an unknown one stays as written, without offsets)."""
        text = s.text
        if "$" not in text:
            return s
        if "$[[" in text:
            return None  # a CI/CD input (`$[[ inputs.x ]]`): its value is not in this file
        parts: List[SourcedStr] = []
        pos = 0
        size = 0
        for m in _VAR.finditer(text):
            parts.append(s[pos : m.start()])
            if m.group(0) == "$$":
                parts.append(s[m.start() : m.start() + 1])
            else:
                name = m.group(1) or m.group(2)
                val = self.value(name, depth)
                if val is None:
                    if not keep_unknown:
                        return None
                    val = SourcedStr.unknown(m.group(0))
                via.append(name)
                parts.append(val)
                size += len(val)
                if size > MAX_VALUE_CHARS:
                    return None  # `A: $B$B$B$B`, `B: $C$C$C$C`, ...: no value worth building
            pos = m.end()
        parts.append(s[pos:])
        return SourcedStr.join(parts)

    def known(self) -> Dict[str, SourcedStr]:
        out = {}
        for name in self.raw:
            v = self.value(name)
            if v is not None:
                out[name] = v
        return out


def _foreign(fact: ImageFact, file: _File) -> Optional[ImageFact]:
    """A fact used in an included file: kept only when part of its value is a
    literal of this file (a variable defined here), and then placed there."""
    extent = fact.value.extent()
    if extent is None:
        return None
    return replace(fact, use=extent, origin=f"{fact.origin} in {file.path}")


def _repo_root(fs_path: Optional[str]) -> Optional[str]:
    """The folder holding ``.git`` above the file, else the file's folder."""
    if not fs_path:
        return None
    from nexus_lint.core.repo import git_root

    start = os.path.dirname(os.path.abspath(fs_path))
    return git_root(start) or start


def include_entries(node) -> Iterator[str]:
    """The local paths (or glob patterns) an ``include:`` node names, as
    written: plain strings and ``local:``; remote, project, template and
    component includes are left out."""
    import yaml

    from nexus_lint.lang import yamldoc

    entries = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for e in entries[:MAX_INCLUDE_FILES]:
        if isinstance(e, yaml.ScalarNode):
            p = e.value.strip()
            if p and "://" not in p:
                yield p
        elif isinstance(e, yaml.MappingNode):
            local = yamldoc.get(e, "local")
            if isinstance(local, yaml.ScalarNode) and local.value.strip():
                yield local.value.strip()


def local_includes(source_text: str) -> List[str]:
    """Repository-relative paths (or glob patterns) this file includes locally,
    normalised; paths with variables are left out.  These files are GitLab CI
    configuration too, whatever their names."""
    from nexus_lint.lang import yamldoc
    from nexus_lint.tools.scripts import normal_path

    try:
        docs = yamldoc.load(source_text)
    except yamldoc.YamlError:
        return []
    out: Dict[str, None] = {}
    for doc in docs:
        inc = yamldoc.get(doc, "include")
        if inc is None:
            continue
        for path in include_entries(inc):
            p = normal_path(path.lstrip("/")) if "$" not in path else ""
            if p:
                out.setdefault(p, None)
    return list(out)


# ---------------------------------------------------------------------------
# Scripts the pipeline runs (CI context)
# ---------------------------------------------------------------------------

def ci_scripts(source_text: str) -> List[str]:
    """Repository-relative paths of the scripts this CI file's ``script`` lines run.

    ``./ci/publish.sh``, ``bash scripts/release.sh``, ``sh ci/x.sh``,
    ``source ci/env.sh``, ``python3 tools/push.py``, ``$CI_PROJECT_DIR/ci/x.sh``
    and ``cd ci && ./x.sh`` are found (``./`` dropped, ``cd`` into a known
    relative folder followed).  Every ``script``/``before_script``/``after_script``
    anywhere in the file counts, templates too.  Broken YAML gives ``[]``.
    """
    import yaml

    from nexus_lint.lang import yamldoc
    from nexus_lint.tools.scripts import script_paths
    from nexus_lint.lang.shell import analyse

    try:
        docs = yamldoc.load(source_text)
    except yamldoc.YamlError:
        return []
    items: List[object] = []
    seen_nodes: Set[int] = set()
    for doc in docs:
        for node in yamldoc.walk(doc):
            if not isinstance(node, yaml.MappingNode):
                continue
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value in SCRIPT_KEYS:
                    for s in yamldoc.walk(v, 10_000):
                        if isinstance(s, yaml.ScalarNode) and id(s) not in seen_nodes and s.tag != "tag:yaml.org,2002:null":
                            seen_nodes.add(id(s))
                            items.append(s)
    # !reference parts are scalars too: drop the items of reference sequences
    ref_parts: Set[int] = set()
    for doc in docs:
        for node in yamldoc.walk(doc):
            if yamldoc.is_reference(node):
                ref_parts.update(id(x) for x in node.value)
    out: Dict[str, None] = {}
    for node in items[:MAX_LIST_ITEMS]:
        if id(node) in ref_parts:
            continue
        script = yamldoc.scalar(node, source_text)
        for path in script_paths(analyse(script, None)):
            out.setdefault(path, None)
    return list(out)


