"""File kinds: how a file is recognised and which extractor reads it."""

from __future__ import annotations

import fnmatch
import importlib
import re
from nexus_lint.core.record import field, record
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from nexus_lint.core.lazyre import lazy_re

# Folders whose files count as CI context (POLICY.md "CI context").
CI_DIRS = ("ci", ".ci", ".gitlab", ".github")


class FileContext:
    """Where a file lives and what that means for the policy.  (A plain class
    with a dataclass's comparison and repr: a dataclass costs start-up time.)"""

    __slots__ = ("path", "kind", "is_ci", "ci_reason", "hosts", "ci_targets")
    __hash__ = None  # type: ignore[assignment]  (mutable, compared by value)

    def __init__(self, path: str, kind: str, is_ci: bool = False, ci_reason: str = "",
                 hosts: Tuple[str, ...] = (), ci_targets: Tuple[str, ...] = ()) -> None:
        self.path = path  # display path, "/"-separated
        self.kind = kind
        self.is_ci = is_ci
        self.ci_reason = ci_reason
        self.hosts = hosts  # the policy's Nexus host names, lower-case (for an extractor's own prefilter)
        # the targets a CI file runs of a file of a ``ci_targets`` kind ("": the default goal); the file
        # itself is not CI context (``is_ci``), what those targets run is
        self.ci_targets = ci_targets

    def _values(self) -> tuple:
        return self.path, self.kind, self.is_ci, self.ci_reason, self.hosts, self.ci_targets

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return "FileContext(" + ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._values())) + ")"


Extractor = Callable[..., Iterable[object]]


@record
class FileKind:
    """A kind of file nexus-lint can read.

    ``names`` are exact file names and ``globs`` fnmatch patterns on the file
    name, both compared lower-cased; ``path_globs`` match the whole
    "/"-separated relative path; ``shebangs`` are interpreter names read from a
    ``#!`` line of files no name matched.  ``extractor`` is a callable
    ``(source, context) -> facts`` or a ``"module:function"`` string imported
    on first use, so a run pays only for the kinds it meets.  ``ci`` marks a
    kind whose files are always CI context.  ``not_globs`` exclude names.

    Speed (see the README's "Performance"):

    - ``tokens``: the prefilter.  ASCII substrings, compared case-insensitively
      with the raw bytes (``"re:..."``: a regular expression searched in the
      lower-cased bytes); the extractor must yield nothing but parse problems
      and suppressions for a text in which none of them occurs.  Such a file is
      still read and decoded (NX000 for a binary or undecodable file) but not
      parsed.  ``None`` (the default): no prefilter, every file is parsed.
      Whoever teaches an extractor to draw facts from new text adds the words
      that text needs here (``nexus_lint.tools.triggers`` holds the shared sets).
    - ``nx000_needs_parse``: the extractor reports text it cannot parse
      (NX000) whatever words it holds, so while NX000 is enabled every file of
      the kind is parsed and ``tokens`` serve only runs without NX000.
      ``False`` when the tokens cover the parse problems too (or when a parse
      error in a file that can hold no fact is not worth a parse).
    - ``runnable``: a CI file can run files of this kind as scripts (which
      makes them CI context).  ``False`` spares a run the reading of the CI
      files for kinds nobody executes (Dockerfiles, YAML, package configs).
    - ``cache_deps``: the files other than itself an extractor reads for one
      file, so cached results are keyed on their contents too: a callable or
      ``"module:function"`` ``(fs_path, data) -> list of paths``, or returning
      ``None`` when a result must not be cached at all.  The default (``None``
      here) means the result depends on the file alone.

    The CI-provider interface (POLICY.md "CI context"): what the pipeline
    needs to know of a CI system, so that it names none.

    - ``ci_scripts``: ``"module:function"`` ``(source text) -> paths``, the
      repository-relative paths of the scripts a file of this kind runs;
      those scripts are judged as CI context.
    - ``ci_globs``: where a repository's CI files of this kind are, as glob
      patterns (``**`` recursive) relative to its root.
    - ``ci_roots``: the root files of a pipeline, relative to the repository
      root.  With ``ci_includes`` (``"module:function"`` ``(source text) ->
      patterns``, the local include patterns of a CI file), the files a root
      includes, includes of includes too, are of this kind whatever their
      names, when they have a root file's extension.
    - ``ci_targets``: CI runs targets of files of this kind (``make push``:
      ``ci_scripts`` gives ``path\0target``); such a file is not CI context,
      its context's ``ci_targets`` name what CI runs of it.
    - ``ci_include_tokens``: a CI file whose bytes hold none of these
      (case-sensitive) includes nothing and is not parsed for its includes
      (empty: every CI file is parsed).
    """

    name: str
    extractor: Union[str, Extractor]
    names: Tuple[str, ...] = ()
    globs: Tuple[str, ...] = ()
    not_globs: Tuple[str, ...] = ()
    path_globs: Tuple[str, ...] = ()
    shebangs: Tuple[str, ...] = ()
    ci: bool = False
    priority: int = 0  # higher wins when several kinds match
    ci_scripts: Optional[str] = None
    ci_globs: Tuple[str, ...] = ()
    ci_roots: Tuple[str, ...] = ()
    ci_includes: Optional[str] = None
    ci_include_tokens: Tuple[str, ...] = ()
    ci_targets: bool = False
    tokens: Optional[Tuple[str, ...]] = None
    nx000_needs_parse: bool = True
    runnable: bool = True
    cache_deps: Union[None, str, Callable[..., Optional[List[str]]]] = None
    # caches, never copied by dataclasses.replace (a KIND is shared by every Linter)
    _resolved: Optional[Extractor] = field(default=None, init=False, repr=False, compare=False)
    _tokens_lower: Optional[tuple] = field(default=None, init=False, repr=False, compare=False)
    _deps: Optional[Callable[..., Optional[List[str]]]] = field(default=None, init=False, repr=False, compare=False)

    def matches_name(self, name_lower: str, relpath: str) -> bool:
        if name_lower in self.names or any(fnmatch.fnmatchcase(name_lower, g) for g in self.globs):
            return not any(fnmatch.fnmatchcase(name_lower, g) for g in self.not_globs)
        return any(fnmatch.fnmatchcase(relpath, g) for g in self.path_globs)

    def extract(self, source, context) -> Iterable[object]:
        if self._resolved is None:
            self._resolved = resolve(self.extractor) if isinstance(self.extractor, str) else self.extractor
        return self._resolved(source, context)

    def wanted(self, data: bytes) -> bool:
        """The prefilter: could ``data`` hold a fact at all?  (True without tokens.)"""
        if self.tokens is None:
            return True
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff":
            return True  # UTF-16/32: the tokens are not byte substrings there
        toks = self._tokens_lower
        if toks is None:
            words = tuple(t.lower().encode("ascii") for t in self.tokens if not t.startswith("re:"))
            patterns = tuple(re.compile(t[3:].encode("ascii")).search for t in self.tokens if t.startswith("re:"))
            toks = self._tokens_lower = (words, patterns)
        low = data.lower()
        for t in toks[0]:
            if t in low:
                return True
        for search in toks[1]:
            if search(low) is not None:
                return True
        return False

    def dependencies(self, fs_path: str, data: bytes) -> Optional[List[str]]:
        """Paths whose contents a cached result of this file also depends on
        (``[]``: none), or ``None`` when the result must not be cached."""
        deps = self.cache_deps
        if deps is None:
            return []
        if isinstance(deps, str):  # resolved once, beside the declaration (which stays as written)
            if self._deps is None:
                self._deps = resolve(deps)
            deps = self._deps
        return deps(fs_path, data)


def resolve(ref: str) -> Callable[..., object]:
    """The function a ``"module:function"`` string names (the module imported now)."""
    module, _, func = ref.partition(":")
    return getattr(importlib.import_module(module), func)


_SHEBANG = lazy_re(rb"^#![ \t]*(\S+)(?:[ \t]+(\S+))?")


def shebang_interpreter(head: bytes) -> Optional[str]:
    """``#!/usr/bin/env bash`` -> ``bash``; ``#!/bin/sh -e`` -> ``sh``."""
    m = _SHEBANG.match(head)
    if not m:
        return None
    prog = m.group(1).rsplit(b"/", 1)[-1]
    if prog == b"env" and m.group(2):
        arg = m.group(2)
        if arg == b"-S":
            rest = head[m.end():].split()
            arg = rest[0] if rest else b""
        prog = arg.rsplit(b"/", 1)[-1]
    name = prog.decode("ascii", "replace")
    return re.sub(r"[\d.]+$", "", name) or name


class Classifier:
    def __init__(self, kinds: Sequence[FileKind]) -> None:
        self.kinds: List[FileKind] = sorted(kinds, key=lambda k: -k.priority)
        self.by_name = {k.name: k for k in self.kinds}
        self.needs_shebang = any(k.shebangs for k in self.kinds)
        # Each kind's FileKind.matches_name with its patterns prepared once:
        # plain string tests first (cheap to set up: one file costs nothing),
        # one regular expression per pattern set once a run has many files.
        # Only the kinds whose patterns allow the name's extension are tried.
        self._calls = 0
        self._build(_any_glob)
        exts = [(k, _extensions(k)) for k in self.kinds]
        wild = [k for k, e in exts if e is None]
        self._by_ext: Dict[str, list] = {ext: [] for _k, e in exts for ext in e or ()}
        for ext, kinds_ in self._by_ext.items():
            kinds_.extend(k for k, e in exts if e is None or ext in e)
        self._wild = wild

    def _build(self, any_of: Callable[[Iterable[str]], Callable[[str], object]]) -> None:
        self._matchers = {
            k.name: (k, frozenset(k.names), any_of(k.globs), any_of(k.not_globs), any_of(k.path_globs))
            for k in self.kinds
        }

    def by_path(self, relpath: str) -> Optional[FileKind]:
        self._calls += 1
        if self._calls == _COMPILE_AFTER:
            self._build(_any_regex)
        name = relpath.rsplit("/", 1)[-1].lower()
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        matchers = self._matchers
        for k in self._by_ext.get(ext, self._wild):
            kind, names, globs, not_globs, path_globs = matchers[k.name]
            if name in names or globs(name):
                if not not_globs(name):
                    return kind
            elif path_globs(relpath):
                return kind
        return None

    def by_shebang(self, head: bytes) -> Optional[FileKind]:
        interp = shebang_interpreter(head)
        if interp is None:
            return None
        for kind in self.kinds:
            if interp in kind.shebangs:
                return kind
        return None

    def wants_shebang(self, relpath: str) -> bool:
        """Only extensionless files are opened to look for a shebang."""
        name = relpath.rsplit("/", 1)[-1]
        return self.needs_shebang and "." not in name.lstrip(".")


_COMPILE_AFTER = 64  # files classified before the patterns become regular expressions


def _extensions(kind: FileKind) -> Optional[Set[str]]:
    """The (lower-case) extensions a name must have for ``kind`` to match it,
    or None when a pattern allows any (``dockerfile.*``)."""
    out: Set[str] = set()
    for pattern in kind.names + kind.globs + kind.path_globs:
        tail = pattern.rsplit("*", 1)[-1].rsplit("/", 1)[-1]
        if "*" in pattern and "." not in tail:
            return None  # "dockerfile.*": the extension is the wildcard
        if "?" in tail or "[" in tail:
            return None
        out.add(tail.lower().rsplit(".", 1)[-1] if "." in tail else "")
    return out


def _any_regex(globs: Iterable[str]) -> Callable[[str], object]:
    """"Any of these fnmatch patterns" as one regular expression (case-sensitive, like fnmatchcase)."""
    patterns = sorted(set(globs))
    if not patterns:
        return lambda _s: None
    return re.compile("|".join(fnmatch.translate(g) for g in patterns)).match


def _any_glob(globs: Iterable[str]) -> Callable[[str], bool]:
    """The same test with plain string operations (no regular expression to build)."""
    tests = [_glob_test(g) for g in sorted(set(globs))]
    if not tests:
        return lambda _s: False
    return lambda s: any(t(s) for t in tests)


def _glob_test(glob: str) -> Callable[[str], bool]:
    if "[" in glob or "?" in glob:
        return re.compile(fnmatch.translate(glob)).match  # type: ignore[return-value]
    parts = glob.split("*")
    if len(parts) == 1:
        return glob.__eq__
    first, last, middle = parts[0], parts[-1], parts[1:-1]
    least = sum(len(p) for p in parts)

    def test(s: str) -> bool:  # "*" matches anything, "/" too, as in fnmatch
        if len(s) < least or not s.startswith(first) or not s.endswith(last):
            return False
        pos, end = len(first), len(s) - len(last)
        for part in middle:
            i = s.find(part, pos, end)
            if i < 0:
                return False
            pos = i + len(part)
        return True

    return test


def ci_context(relpath: str, kind: Optional[FileKind]) -> Tuple[bool, str]:
    """Is this file CI context by its kind or location (POLICY.md)?"""
    if kind is not None and kind.ci:
        return True, f"{kind.name} file"
    parts = relpath.split("/")[:-1]
    for part in parts:
        if part in CI_DIRS:
            return True, f"under {part}/"
    return False, ""
