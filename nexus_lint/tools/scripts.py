"""The scripts a piece of shell runs: what makes a script CI context.

:func:`script_paths` lists the repository files a piece of shell hands to an
interpreter or runs by path (``bash ci/build.sh``, ``./scripts/deploy``,
``python tools/push.py``, after a ``cd`` into the project), so a CI kind can
lint them as CI scripts; :func:`normal_path` normalises a repository-relative
path.
"""

from __future__ import annotations

import posixpath
from typing import Iterator, Optional

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.lang.shell import ShellAnalysis

__all__ = ["TARGET", "normal_path", "script_paths"]

# Between a Makefile's path and a target CI runs: ``deploy/Makefile\0release``
# (``Makefile\0``: the default goal).  No path holds a NUL.
TARGET = "\0"
_MAKE = frozenset({"make", "gmake"})

_INTERPRETERS = frozenset({"sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "source", ".",
                           "python", "python3", "python2", "pwsh", "perl", "ruby", "node"})
_PROJECT_DIR = lazy_re(r"^(?:\"?\$\{?CI_PROJECT_DIR\}?\"?/)")


def script_paths(analysis: ShellAnalysis) -> Iterator[str]:
    """Repository paths of the scripts the analysed shell runs, in order."""
    cwd: Optional[str] = ""
    for cmd in analysis.commands:
        if not cmd.argv:
            continue
        first = cmd.argv[0]
        name = cmd.name
        if name == "cd" and cmd.depth == 0:
            cwd = _cd(cwd, cmd.argv[1:])
            continue
        if name in _MAKE and cmd.depth == 0 and cwd is not None:
            yield from _make_targets(cwd, cmd.argv[1:])
            continue
        target = None
        if name in _INTERPRETERS:
            target = _interpreter_arg(name, cmd.argv[1:])
        else:
            t = _word_path(first)
            if t is not None and "/" in t:
                target = first
        if target is None:
            continue
        path = _word_path(target)
        if path is None:
            continue
        full = normal_path(path if cwd is None or path.startswith("/") else posixpath.join(cwd, path))
        if full:
            yield full


def _make_targets(cwd: str, args) -> Iterator[str]:
    """``make [-C DIR] [-f FILE] [VAR=x ...] [TARGET ...]``: the Makefile and
    each target it runs (``path\0target``; ``path\0`` for the default goal)."""
    folder, name, targets = cwd, "Makefile", []
    k = 0
    while k < len(args):
        w = args[k]
        k += 1
        if not w.known:
            if w.raw.text.startswith("-"):
                continue
            return  # a target or option make alone knows
        t = w.value.text
        if t in ("-C", "--directory", "-f", "--file", "--makefile") or t.startswith(("-C", "-f", "--directory=", "--file=", "--makefile=")):
            if "=" in t:
                value = t.split("=", 1)[1]
            elif t in ("-C", "--directory", "-f", "--file", "--makefile"):
                if k >= len(args) or not args[k].known:
                    return
                value = args[k].value.text
                k += 1
            else:
                value = t[2:]
            if t.startswith(("-C", "--directory")):
                if value.startswith(("/", "~")) or "$" in value:
                    return
                folder = posixpath.join(folder, value)
            else:
                if value.startswith("/") or "$" in value or value == "-":
                    return
                name = value
            continue
        if t in ("-I", "--include-dir", "-o", "--old-file", "-W", "--what-if", "--assume-new", "--assume-old",
                 "-j", "-l"):
            if t in ("-j", "-l") and (k >= len(args) or not args[k].known or not args[k].value.text.isdigit()):
                continue
            k += 1
            continue
        if t.startswith("-") or "=" in t:
            continue
        targets.append(t)
    path = normal_path(posixpath.join(folder, name))
    if not path:
        return
    for t in targets or [""]:
        yield path + TARGET + t


_INLINE_CODE = {"python": "cm", "python3": "cm", "python2": "cm", "perl": "eE", "ruby": "e", "node": "ep", "pwsh": "c"}


def _interpreter_arg(name: str, args) -> Optional[object]:
    """The script file an interpreter runs (``None`` for ``-c CODE`` and the like)."""
    inline = _INLINE_CODE.get(name, "c")
    k = 0
    while k < len(args):
        w = args[k]
        t = w.value.text if w.known else w.raw.text
        k += 1
        if t == "--":
            continue
        if t.startswith("--"):
            if t in ("--command", "--eval", "--print"):
                return None
            continue
        if t in ("-o", "+o", "-O", "+O"):
            k += 1  # `bash -o pipefail x.sh`
            continue
        if t[:1] in "-+" and len(t) > 1:
            if t[0] == "-" and any(ch in inline for ch in t[1:]):
                return None
            continue
        return w
    return None


def _word_path(w) -> Optional[str]:
    if w.known:
        t = w.value.text
    else:
        m = _PROJECT_DIR.match(w.raw.text)
        if not m:
            return None
        t = w.raw.text[m.end():].strip('"')
        if "$" in t or "`" in t:
            return None
    if not t or t.startswith("/") or any(c in t for c in "*?[]{}<>|;&"):
        return None
    return t


def _cd(cwd: Optional[str], args) -> Optional[str]:
    if not args:
        return ""
    w = args[0]
    raw = w.raw.text.strip('"')
    if raw in ("$CI_PROJECT_DIR", "${CI_PROJECT_DIR}"):
        return ""
    if not w.known:
        m = _PROJECT_DIR.match(w.raw.text)
        if m:
            rest = w.raw.text[m.end():].strip('"')
            return None if "$" in rest else normal_path(rest)
        return None
    t = w.value.text
    if t.startswith("/") or t == "-" or t.startswith("~"):
        return None
    if cwd is None:
        return None
    joined = posixpath.normpath(posixpath.join(cwd, t))
    if joined.startswith(".."):
        return None
    return "" if joined == "." else joined


def normal_path(path: str) -> str:
    """A repository-relative path, normalised (``""`` when it leaves the repository)."""
    p = posixpath.normpath(path)
    if p == "." or p.startswith("../") or p == "..":
        return ""
    while p.startswith("./"):
        p = p[2:]
    return p
