"""The merged GitLab CI configuration, read as GitLab reads it: local
``include:`` files (nested, bounded, cycles cut) deep-merged under the file,
anchors and merge keys (from the YAML layer), ``!reference [job, key, ...]``
wherever a value may stand, ``extends:`` (several levels), ``default:`` and the
legacy top-level globals subject to ``inherit:``, and the ``variables:`` of
every level with GitLab's expansion (:class:`Resolver`).

What the jobs use (images, scripts) is :mod:`nexus_lint.kinds.gitlab`'s part.
"""

from __future__ import annotations

import os
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.limits import MAX_INCLUDE_FILES
from nexus_lint.core.sourced import SourcedStr

# Top-level keys that are not jobs.
GLOBAL_KEYS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache",
     "before_script", "after_script", "types", "spec"}
)
# Keys a job takes from ``default:`` (those that matter here).
DEFAULT_KEYS = ("image", "services", "before_script", "after_script")

MAX_INCLUDE_DEPTH = 20
MAX_INCLUDE_BYTES = 10 * 1024 * 1024
MAX_EXTENDS_DEPTH = 11  # GitLab's own limit
MAX_REFERENCE_DEPTH = 10
MAX_MERGE_DEPTH = 10
MAX_LIST_ITEMS = 20_000
MAX_VAR_DEPTH = 10
MAX_MERGES = 200_000
MAX_VALUE_CHARS = 65_536

_VAR = lazy_re(r"\$\$|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


class CiFile:
    __slots__ = ("path", "text", "main", "docs")

    def __init__(self, path: str, text: str, main: bool, docs: list) -> None:
        self.path = path
        self.text = text
        self.main = main
        self.docs = docs


class Val:
    """A YAML node and the file it stands in."""

    __slots__ = ("node", "file")

    def __init__(self, node, file: CiFile) -> None:
        self.node = node
        self.file = file


Entry = Union[Val, dict]



class Config:
    """The configuration a file and its local includes make, merged."""

    def __init__(self, main: CiFile, root: Optional[str], fs_path: Optional[str] = None) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.yaml = yaml
        self.yd = yamldoc
        self.main = main
        self.root = root
        self._maps: Dict[Tuple[int, int], dict] = {}
        self._svals: Dict[int, SourcedStr] = {}
        self._jobs: Dict[str, Optional[dict]] = {}
        self.top: Dict[str, Entry] = {}
        self._merges = 0
        self.files: List[CiFile] = []
        files: List[CiFile] = []
        if root is not None:
            seen: Set[str] = set()
            if fs_path:
                seen.add(os.path.realpath(fs_path))
            self._collect_includes(main, 0, seen, files)
        self.files = files + [main]
        for f in self.files:
            for doc in f.docs:
                for key, _k, v in self.yd.items(doc):
                    val = Val(v, f)
                    self.top[key] = self.merge(self.top[key], val, resolve=False) if key in self.top else val

    # -- includes -------------------------------------------------------------
    def _collect_includes(self, f: CiFile, depth: int, seen: Set[str], out: List[CiFile]) -> None:
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

    def _read(self, fs: str) -> Optional[CiFile]:
        from nexus_lint.core import depends# what the result cache must watch

        data = None
        from nexus_lint.core.source import read_in_repository

        try:
            data = read_in_repository(fs, MAX_INCLUDE_BYTES)  # never through a link out of the repository
            if data is None:
                return None
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        finally:
            depends.read(fs, data)
        try:
            docs = self.yd.load(text)
        except self.yd.YamlError:
            return None
        rel = os.path.relpath(fs, self.root).replace(os.sep, "/") if self.root else fs
        return CiFile(rel, text, False, docs)

    # -- values -----------------------------------------------------------------
    def deref(self, e: Optional[Entry], depth: int = 0) -> Optional[Entry]:
        """Follow ``!reference [job, key, ...]`` (bounded)."""
        while isinstance(e, Val) and self.yd.is_reference(e.node):
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
        if isinstance(e, Val) and isinstance(e.node, self.yaml.MappingNode):
            key = (id(e.node), id(e.file))
            m = self._maps.get(key)
            if m is None:
                m = {k: Val(v, e.file) for k, _kn, v in self.yd.items(e.node)}
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

    def as_list(self, e: Optional[Entry]) -> List[Val]:
        """The scalars of a (possibly nested, possibly referenced) list, flattened."""
        out: List[Val] = []
        seen: Set[int] = set()

        def add(e: Optional[Entry], depth: int) -> None:
            e = self.deref(e)
            if not isinstance(e, Val) or len(out) >= MAX_LIST_ITEMS or depth > 50:
                return
            node = e.node
            if isinstance(node, self.yaml.ScalarNode):
                out.append(e)
            elif isinstance(node, self.yaml.SequenceNode):
                if id(node) in seen:
                    return
                seen.add(id(node))
                for item in node.value:
                    add(Val(item, e.file), depth + 1)

        add(e, 0)
        return out

    def scalar(self, e: Optional[Entry]) -> Optional[Val]:
        e = self.deref(e)
        if isinstance(e, Val) and isinstance(e.node, self.yaml.ScalarNode):
            return e
        return None

    def sval(self, v: Val) -> SourcedStr:
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



class Resolver:
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


def repo_root(fs_path: Optional[str]) -> Optional[str]:
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



# -- everything a pipeline can run from this repository (classification) ---------------

MAX_VARIANTS = 32  # spellings of one include path with variables (default, options)
_INCLUDE_VAR = lazy_re(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _scalar(node) -> Optional[str]:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else None


def top_variables(doc) -> dict:
    """name -> the values a top-level variable can have (its ``value`` and its
    ``options``), as written."""
    import yaml

    from nexus_lint.lang import yamldoc

    out: dict = {}
    node = yamldoc.get(doc, "variables")
    if not isinstance(node, yaml.MappingNode):
        return out
    for k, v in node.value:
        name = _scalar(k)
        if not name:
            continue
        values = []
        if isinstance(v, yaml.ScalarNode):
            values.append(v.value)
        elif isinstance(v, yaml.MappingNode):
            val = yamldoc.get(v, "value")
            if _scalar(val) is not None:
                values.append(val.value)
            opts = yamldoc.get(v, "options")
            if isinstance(opts, yaml.SequenceNode):
                values.extend(o.value for o in opts.value if isinstance(o, yaml.ScalarNode))
        out[name] = values
    return out


def expand_variables(path: str, variables: dict) -> List[str]:
    """The spellings of an include path with variables: each variable by the
    values the file gives it, else by a glob (``*``: whichever file of the
    repository the runner's value may name)."""
    variants = [""]
    pos = 0
    for m in _INCLUDE_VAR.finditer(path):
        lit = path[pos:m.start()]
        name = m.group(1) or m.group(2)
        values = [v for v in variables.get(name, ()) if "$" not in v] or ["*"]
        variants = [v + lit + x for v in variants for x in values][:MAX_VARIANTS]
        pos = m.end()
    return [v + path[pos:] for v in variants]


def this_project() -> Optional[str]:
    """The GitLab path of the repository being linted (``group/project``):
    $CI_PROJECT_PATH on a runner, else the path of the ``origin`` remote."""
    project = os.environ.get("CI_PROJECT_PATH")
    if project:
        return project.strip("/").lower()
    import subprocess

    try:
        out = subprocess.run(["git", "config", "--get", "remote.origin.url"], capture_output=True, text=True,
                             timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    url = out.stdout.strip()
    if not url:
        return None
    if "://" in url:
        url = url.split("://", 1)[1].split("/", 1)[-1]
    elif ":" in url:  # git@host:group/project.git
        url = url.split(":", 1)[1]
    url = url.strip("/")
    if url.endswith(".git"):
        url = url[:-4]
    return url.lower() or None


_PROJECT: list = []


def _same_project(name: str) -> bool:
    mine = os.environ.get("CI_PROJECT_PATH", "").strip("/").lower()
    if not mine:
        if not _PROJECT:  # the origin remote, asked once
            _PROJECT.append(this_project())
        mine = _PROJECT[0]
    return bool(mine) and name.strip().strip("/").lower() == mine


def runnable_entries(doc) -> Iterator[str]:
    """The repository paths (or glob patterns) one document of a pipeline can
    run: its ``include:`` entries, the ``trigger: include:`` of child
    pipelines, and ``project:`` includes of this same repository
    (:func:`this_project`); variables in paths are expanded
    (:func:`expand_variables`)."""
    import yaml

    from nexus_lint.lang import yamldoc

    variables = top_variables(doc)

    def entries(node) -> Iterator[str]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for e in items[:MAX_INCLUDE_FILES]:
            yield from include_entries(e)
            if isinstance(e, yaml.MappingNode):
                project = _scalar(yamldoc.get(e, "project"))
                if project and _same_project(project):
                    files = yamldoc.get(e, "file")
                    for f in (files.value if isinstance(files, yaml.SequenceNode) else [files]):
                        if _scalar(f):
                            yield f.value.strip()

    paths: List[str] = []
    inc = yamldoc.get(doc, "include")
    if inc is not None:
        paths.extend(entries(inc))
    if isinstance(doc, yaml.MappingNode):
        for _, job in doc.value:
            trigger = yamldoc.get(job, "trigger") if isinstance(job, yaml.MappingNode) else None
            if isinstance(trigger, yaml.MappingNode):
                child = yamldoc.get(trigger, "include")
                if child is not None:
                    paths.extend(entries(child))
    for p in paths:
        if "://" in p:
            continue
        yield from (expand_variables(p, variables) if "$" in p else [p])
