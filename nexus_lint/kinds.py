"""File kinds: how a file is recognised and which extractor reads it."""

from __future__ import annotations

import fnmatch
import importlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

# Folders whose files count as CI context (POLICY.md "CI context").
CI_DIRS = ("ci", ".ci", ".gitlab", ".github")


@dataclass
class FileContext:
    """Where a file lives and what that means for the policy."""

    path: str  # display path, "/"-separated
    kind: str
    is_ci: bool = False
    ci_reason: str = ""


Extractor = Callable[..., Iterable[object]]


@dataclass
class FileKind:
    """A kind of file nexus-lint can read.

    ``names`` are exact file names and ``globs`` fnmatch patterns on the file
    name, both compared lower-cased; ``path_globs`` match the whole
    "/"-separated relative path; ``shebangs`` are interpreter names read from a
    ``#!`` line of files no name matched.  ``extractor`` is a callable
    ``(source, context) -> facts`` or a ``"module:function"`` string imported
    on first use, so a run pays only for the kinds it meets.  ``ci`` marks a
    kind whose files are always CI context.  ``not_globs`` exclude names.
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
    # "module:function" (source text, display path) -> repository-relative paths of
    # scripts the file runs; those scripts are judged as CI context.
    ci_scripts: Optional[str] = None
    _resolved: Optional[Extractor] = field(default=None, repr=False)

    def matches_name(self, name_lower: str, relpath: str) -> bool:
        if name_lower in self.names or any(fnmatch.fnmatchcase(name_lower, g) for g in self.globs):
            return not any(fnmatch.fnmatchcase(name_lower, g) for g in self.not_globs)
        return any(fnmatch.fnmatchcase(relpath, g) for g in self.path_globs)

    def extract(self, source, context) -> Iterable[object]:
        if self._resolved is None:
            if isinstance(self.extractor, str):
                module, _, func = self.extractor.partition(":")
                self._resolved = getattr(importlib.import_module(module), func)
            else:
                self._resolved = self.extractor
        return self._resolved(source, context)


_SHEBANG = re.compile(rb"^#![ \t]*(\S+)(?:[ \t]+(\S+))?")


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

    def by_path(self, relpath: str) -> Optional[FileKind]:
        name = relpath.rsplit("/", 1)[-1].lower()
        for kind in self.kinds:
            if kind.matches_name(name, relpath):
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


def ci_context(relpath: str, kind: Optional[FileKind]) -> Tuple[bool, str]:
    """Is this file CI context by its kind or location (POLICY.md)?"""
    if kind is not None and kind.ci:
        return True, f"{kind.name} file"
    parts = relpath.split("/")[:-1]
    for part in parts:
        if part in CI_DIRS:
            return True, f"under {part}/"
    return False, ""
