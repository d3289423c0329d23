"""The result cache: ``.nexus-lint-cache/`` in the project root.

A file's result is stored under a key made of everything the result depends
on: the file's bytes, its kind, its path (findings and messages show it), its
CI context, the contents of the other files its extractor reads (a compose
file's ``.env``; see ``FileKind.cache_deps``), and the settings of the run
(nexus-lint's version and modules, the config file's bytes, the enabled
rules, the policy, the file kinds, the plugins).  A change to any of them is a
miss; nothing is ever invalidated by time.  The files an extractor reads while
linting (a CI file's local includes, and what an ``include:`` glob
found) are recorded with the result (``nexus_lint.core.depends``) and checked
before it is used.

One manifest per settings, ``results-<digest>.json``: a JSON object
``{"format": 1, "files": {relpath: [key, result, reads]}, "ci": {path: [key, scripts]}}``
read once at start-up and written once at the end (to a temporary file, then
renamed), only when something changed.  JSON, not pickle: the folder lives in
the project and may come from anywhere, so a crafted entry must not be able
to run code; an entry that does not decode is a miss, a manifest that does not
parse is an empty cache.  Results are kept for the paths a run saw and for
paths that still exist, so running on a subset does not forget the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Dict, Iterable, List, Optional

from nexus_lint.core.depends import content_of, digest
from nexus_lint.core.model import FileResult
from nexus_lint.pipeline import CACHE_DIR

FORMAT = 2
INCLUDES = "\0includes"  # suffix of a CI file's entry in the "ci" table that holds its local includes


# -- encoding results as JSON (allow-listed types only) ------------------------------

class Unencodable(Exception):
    pass


def _classes() -> Dict[str, type]:
    from nexus_lint.core.model import Edit, Finding, Fix, Related

    return {c.__name__: c for c in (Finding, Fix, Edit, Related)}


_CLASSES: Dict[str, type] = {}


def _enc(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if isinstance(v, tuple):
        return {"T": [_enc(x) for x in v]}
    if is_dataclass(v) and not isinstance(v, type):
        name = type(v).__name__
        if name == "RuleMeta":
            return {"R": v.id}
        if _CLASSES.get(name) is not type(v):
            raise Unencodable(name)
        return {"D": name, "f": {f.name: _enc(getattr(v, f.name)) for f in fields(v)}}
    raise Unencodable(type(v).__name__)


def _dec(v: Any, rules: Dict[str, object]) -> Any:
    if isinstance(v, list):
        return [_dec(x, rules) for x in v]
    if isinstance(v, dict):
        if "T" in v:
            return tuple(_dec(x, rules) for x in v["T"])
        if "R" in v:
            return rules[v["R"]]
        cls = _CLASSES[v["D"]]
        return cls(**{k: _dec(x, rules) for k, x in v["f"].items()})
    return v


def encode_result(result: FileResult) -> Dict[str, Any]:
    """A FileResult as JSON data: every field but ``path`` and ``source`` (the
    caller supplies them), fields at their default left out."""
    if not _CLASSES:
        _CLASSES.update(_classes())
    out: Dict[str, Any] = {}
    for f in fields(result):
        if f.name in ("path", "source"):
            continue
        value = getattr(result, f.name)
        if f.name == "findings" and not value:
            continue  # decode_result's default
        if f.default is not MISSING and value == f.default:
            continue
        if f.default_factory is not MISSING and value == f.default_factory():  # type: ignore[misc]
            continue
        out[f.name] = _enc(value)
    return out


def decode_result(data: Dict[str, Any], path: str, rules: Dict[str, object]) -> FileResult:
    if len(data) == 1 and isinstance(data.get("kind"), str):  # most files: no finding, nothing else
        return FileResult(path=path, findings=[], kind=data["kind"])
    if not _CLASSES:
        _CLASSES.update(_classes())
    values = {k: _dec(v, rules) for k, v in data.items()}
    values.setdefault("findings", [])
    return FileResult(path=path, **values)


def settings_key(config, active: Iterable[str], kinds: Iterable[object], max_file_size: int, prefilter: bool,
                 plugins: List[tuple]) -> str:
    """Everything besides a file that its result depends on (the cache's settings)."""
    from nexus_lint import __version__

    return digest(
        "nexus-lint", __version__, FORMAT, _code_stamp(), sorted(active), repr(config.policy),
        max_file_size, prefilter, plugins, [(k.name, k.tokens, k.nx000_needs_parse, k.runnable) for k in kinds],
        str(config.path) if config.path else None, content_of(str(config.path)) if config.path else b"",
    )


def _code_stamp() -> List[tuple]:
    """The size and time of every module of this package: a cached result is
    not reused by an edited nexus-lint (a source checkout, an editable install)
    whose version number did not change."""
    out = []
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # nexus_lint/
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if e.name.endswith(".py"):
                try:
                    st = e.stat()
                except OSError:
                    continue
                out.append((e.path[len(top):], st.st_size, st.st_mtime_ns))
            elif e.is_dir() and not e.name.startswith((".", "_")):
                stack.append(e.path)
    return sorted(out)


# -- the store -----------------------------------------------------------------------

class ResultCache:
    """Results of one project (``root``) under one set of settings."""

    def __init__(self, root: str, settings: str) -> None:
        self.folder = os.path.join(root, CACHE_DIR)
        self.settings = settings
        self.path = os.path.join(self.folder, f"results-{settings[:16]}.json")
        self.files: Dict[str, list] = {}
        self.ci: Dict[str, list] = {}
        self.dirty = False
        self.hits = self.misses = 0
        self._prefix = b"nexus-lint result\0" + settings.encode("ascii") + b"\0"
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                data = json.loads(fh.read())
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        files, ci = data.get("files"), data.get("ci")
        if isinstance(files, dict):
            self.files = files
        if isinstance(ci, dict):
            self.ci = ci

    def key(self, *parts: Any) -> str:
        return digest(self.settings, *parts)

    def file_key(self, kind: str, relpath: str, display: str, is_ci: bool, ci_reason: str, data: bytes,
                 deps: Iterable[tuple]) -> str:
        """The key of one file's result (``key`` made cheap: it is computed for every file)."""
        h = hashlib.blake2b(self._prefix, digest_size=16)
        h.update("\0".join((kind, relpath, display, "ci" if is_ci else "", ci_reason)).encode("utf-8", "surrogatepass"))
        h.update(b"\0%d\0" % len(data))
        h.update(data)
        for path, content in deps:
            h.update(b"\0%d\0" % len(content) + path.encode("utf-8", "surrogatepass") + b"\0")
            h.update(content)
        return h.hexdigest()

    def get(self, relpath: str, key: str, display: str, rules: Dict[str, object]) -> Optional[FileResult]:
        entry = self.files.get(relpath)  # [key, result, reads] (the manifest's JSON)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == key:
            _, value, reads = entry
            try:
                result = None
                if not reads or _unchanged(reads):
                    result = decode_result(value, display, rules)
            except Exception:  # a corrupt entry is a miss
                result = None
            if result is not None:
                self.hits += 1
                return result
        self.misses += 1
        return None

    def put(self, relpath: str, key: str, result: FileResult, reads: List[list]) -> None:
        try:
            value = encode_result(result)
        except Unencodable:
            return
        self.files[relpath] = [key, value, reads]
        self.dirty = True

    def ci_get(self, path: str, key: str) -> Optional[List[str]]:
        entry = self.ci.get(path)  # [key, paths] (the manifest's JSON)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            paths = entry[1]
            if isinstance(paths, list) and all(isinstance(s, str) for s in paths):
                return paths
        return None

    def ci_put(self, path: str, key: str, scripts: Iterable[str]) -> None:
        self.ci[path] = [key, list(scripts)]
        self.dirty = True

    def includes_get(self, path: str, key: str) -> Optional[List[str]]:
        """The local includes of one CI file (``path`` absolute), recorded under ``key``."""
        return self.ci_get(path + INCLUDES, key)

    def includes_put(self, path: str, key: str, patterns: Iterable[str]) -> None:
        self.ci_put(path + INCLUDES, key, patterns)

    def save(self, seen: Iterable[str], root: str) -> None:
        """Write the manifest if anything changed (atomically; errors are ignored)."""
        if not self.dirty:
            return
        seen = set(seen)
        files = self.files
        if len(seen) * 2 >= len(files):  # a run over most of the project: forget files that are gone
            files = {p: e for p, e in files.items() if p in seen or os.path.exists(os.path.join(root, p))}
        ci = {p: e for p, e in self.ci.items() if os.path.exists(p.split(INCLUDES, 1)[0])}
        payload = json.dumps({"format": FORMAT, "files": files, "ci": ci}, separators=(",", ":"))
        try:
            _ensure_folder(self.folder)
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(tmp, 0o666 & ~mask)  # mkstemp's 0600 would lock out a colleague's run
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only checkout still gets its findings


def _unchanged(reads) -> bool:
    from nexus_lint.core.depends import unchanged

    return unchanged(reads)


def _ensure_folder(folder: str) -> None:
    if os.path.isdir(folder):
        return
    os.makedirs(folder, exist_ok=True)
    # Never committed, never backed up (the conventions of pytest, ruff, mypy ...).
    with open(os.path.join(folder, ".gitignore"), "w", encoding="utf-8") as fh:
        fh.write("# created by nexus-lint\n*\n")
    with open(os.path.join(folder, "CACHEDIR.TAG"), "w", encoding="utf-8") as fh:
        fh.write("Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by nexus-lint.\n")
