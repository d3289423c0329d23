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
``{"format": 3, "mac": "...", "files": {relpath: [key, result, reads]}, "ci": {path: [key, scripts]}}``
read once at start-up and written once at the end (to a temporary file, then
renamed), only when something changed.  JSON, not pickle: the folder lives in
the project and may come from anywhere, so a crafted entry must not be able
to run code; an entry that does not decode is a miss, a manifest that does not
parse is an empty cache.  The folder may also come from the repository
itself (a committed, edited manifest), so a manifest is authenticated:
its "mac" is an HMAC-SHA256 of the bytes after it under a per-user key that
lives outside every repository (``$XDG_CACHE_HOME/nexus-lint/key``, else
``~/.cache/nexus-lint/key``, created 0600); a manifest that does not verify
is an empty cache.  A cache folder that git tracks is not used at all (and
the run says so), nor one that is a symbolic link or not a folder.  Results are kept for the paths a run saw and for
paths that still exist, so running on a subset does not forget the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
from nexus_lint.core.record import MISSING, fields, is_record
from typing import Any, Dict, Iterable, List, Optional

from nexus_lint.core.depends import content_of, digest
from nexus_lint.core.model import FileResult
from nexus_lint.pipeline import CACHE_DIR

FORMAT = 3
KEY_FILE = "key"  # in the per-user folder (key_folder()): authenticates every manifest
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
    if is_record(v) and not isinstance(v, type):
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


# -- the key ---------------------------------------------------------------------------

def key_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nexus-lint")


_KEY: List[bytes] = []


def user_key() -> Optional[bytes]:
    """The per-user key that authenticates manifests (created on first need,
    0600); None when it cannot be had (then no cache is read or written)."""
    if _KEY:
        return _KEY[0]
    folder = key_folder()
    path = os.path.join(folder, KEY_FILE)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except FileExistsError:  # another run made it meanwhile
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(os.urandom(32).hex().encode("ascii"))
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            import stat

            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
                return None  # someone else's, or readable by others: not a secret
            key = fh.read(256).strip()
    except (OSError, AttributeError):
        return None
    if len(key) < 32:
        return None
    _KEY.append(key)
    return key


_HEAD = b'{"format":%d,"mac":"' % FORMAT  # then the MAC (64 hex digits) of what follows its '",'


def _mac(key: bytes, payload: bytes) -> bytes:
    import hmac

    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


def tracked_by_git(root: str) -> bool:
    """Whether git tracks anything in the project's cache folder (then it came
    with the repository and is not used)."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--", CACHE_DIR], capture_output=True,
                             timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and bool(out.stdout.strip(b"\0"))


def usable_folder(folder: str) -> bool:
    """The cache folder is ours to use: absent, or a real folder (no link)."""
    import stat

    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


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
        self.key_bytes = user_key()
        self.refused: Optional[str] = None  # why the cache is not used at all
        if self.key_bytes is None:
            self.refused = f"no private cache key in {key_folder()}"
        elif not usable_folder(self.folder):
            self.refused = f"{CACHE_DIR} is not a folder (a symbolic link?)"
        elif tracked_by_git(root):
            self.refused = f"git tracks files in {CACHE_DIR}/ (they came with the repository)"
        if self.refused is None:
            self._load()

    def _load(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                import stat

                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    return
                raw = fh.read()
            head = _HEAD
            mac, rest = raw[len(head):len(head) + 64], raw[len(head) + 64:]
            import hmac

            if not raw.startswith(head) or not rest.startswith(b'",') \
                    or not hmac.compare_digest(mac, _mac(self.key_bytes, rest[2:])):
                return  # not written by this user's nexus-lint: forged or foreign
            data = json.loads(b"{" + rest[2:])
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
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
        if not self.dirty or self.refused is not None:
            return
        seen = set(seen)
        files = self.files
        if len(seen) * 2 >= len(files):  # a run over most of the project: forget files that are gone
            files = {p: e for p, e in files.items() if p in seen or os.path.exists(os.path.join(root, p))}
        ci = {p: e for p, e in self.ci.items() if os.path.exists(p.split(INCLUDES, 1)[0])}
        payload = json.dumps({"files": files, "ci": ci}, separators=(",", ":")).encode("utf-8")[1:]
        try:
            _ensure_folder(self.folder)
            if not usable_folder(self.folder):
                return
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_HEAD + _mac(self.key_bytes, payload) + b'",' + payload)
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
    if os.path.lexists(folder):
        return  # (a link or a file: usable_folder says no)
    os.mkdir(folder)
    # Never committed, never backed up (the conventions of pytest, ruff, mypy ...).
    with open(os.path.join(folder, ".gitignore"), "w", encoding="utf-8") as fh:
        fh.write("# created by nexus-lint\n*\n")
    with open(os.path.join(folder, "CACHEDIR.TAG"), "w", encoding="utf-8") as fh:
        fh.write("Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by nexus-lint.\n")
