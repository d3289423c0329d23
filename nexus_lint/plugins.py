"""Loading plugins: the built-ins and every package in the ``nexus_lint`` entry-point group.

Where the built-in plugin is the only one (no other distribution declares the
entry-point group, and the caller adds none), :func:`load_plugins` returns a
:class:`BuiltinOnly` that calls :mod:`nexus_lint.builtin` directly, with the
part of pluggy's plugin-manager interface the engine uses: pluggy and the
:mod:`inspect` module it imports cost 5 ms of every start (``python -X
importtime``), more than linting a small file.  Any other plugin, or an
entry-point layout the quick scan cannot read, takes pluggy's manager.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import Iterable, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re

PROJECT = "nexus_lint"  # the entry-point group and pluggy project name (nexus_lint.hookspecs.PROJECT)
_BUILTIN = "nexus_lint.builtin"


class PluginError(Exception):
    pass


class _NoImplementations:
    """A hook no plugin implements (pluggy's HookCaller, as far as the engine asks)."""

    @staticmethod
    def get_hookimpls() -> list:
        return []


class _BuiltinHooks:
    def __init__(self, builtin) -> None:
        self._builtin = builtin
        self.nexus_lint_extract = _NoImplementations()

    def nexus_lint_file_kinds(self) -> list:
        return [self._builtin.nexus_lint_file_kinds()]

    def nexus_lint_rules(self) -> list:
        return [self._builtin.nexus_lint_rules()]


class BuiltinOnly:
    """The plugin manager where :mod:`nexus_lint.builtin` is the only plugin: the
    part of pluggy's ``PluginManager`` the engine uses (``hook``,
    ``list_name_plugin``, ``get_plugin``), without importing pluggy."""

    def __init__(self, dists) -> None:
        from nexus_lint import builtin

        self._builtin = builtin
        self.hook = _BuiltinHooks(builtin)
        self.nexus_lint_dists = dists

    def list_name_plugin(self) -> list:
        return [("builtin", self._builtin)]

    def get_plugin(self, name: str):
        return self._builtin if name == "builtin" else None


def load_plugins(extra: Iterable[object] = ()):
    """The plugin manager: :class:`BuiltinOnly` when nothing but the built-in
    plugin is installed or given, else a pluggy ``PluginManager`` with every
    plugin of the entry-point group, then ``extra``."""
    extra = tuple(extra)
    try:
        found = entry_points(PROJECT)
    except Exception as exc:  # an unreadable metadata folder: a clear error, not a traceback
        raise PluginError(f"cannot load a nexus_lint plugin: {type(exc).__name__}: {exc}") from None
    if found is not None and not extra and all(value == _BUILTIN for _name, value, _dist in found):
        return BuiltinOnly({name: dist for name, _value, dist in found})
    return _pluggy_manager(found, extra)


def _pluggy_manager(found, extra: Tuple[object, ...]):
    import pluggy

    from nexus_lint import builtin, hookspecs

    for name in builtin.HOOKS:  # the marker builtin.py leaves out (it would import pluggy)
        hookspecs.hookimpl(getattr(builtin, name))
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.nexus_lint_dists = {}  # entry-point name -> "distribution version" (the cache key's plugin part)
    try:
        if found is None:  # a layout the quick scan does not read: pluggy's own (slower) way
            pm.load_setuptools_entrypoints(hookspecs.PROJECT)
            for plugin, dist in pm.list_plugin_distinfo():
                pm.nexus_lint_dists[pm.get_name(plugin)] = f"{dist.project_name} {dist.version}"
        else:
            for name, value, dist in found:
                if pm.get_plugin(name) is not None or pm.is_blocked(name):
                    continue
                pm.register(_load(value), name=name)
                pm.nexus_lint_dists[name] = dist
    except Exception as exc:  # a broken third-party plugin is a clear error, not a traceback
        raise PluginError(f"cannot load a nexus_lint plugin: {type(exc).__name__}: {exc}") from None
    if pm.get_plugin("builtin") is None:
        # Running from a source tree that was never installed: no entry points.
        pm.register(builtin, "builtin")
    for plugin in extra:
        pm.register(plugin)
    return pm


# -- entry points without importlib.metadata ------------------------------------------
#
# ``importlib.metadata`` (with the email, zipfile and csv modules it pulls in)
# costs more start-up time than linting a small file.  The entry points of the
# distributions installed in plain folders are read straight from their
# ``*.dist-info``/``*.egg-info`` folders instead, in importlib.metadata's order
# (sys.path order, the first distribution of a name wins); any other layout
# (zip files, eggs, custom finders) falls back to pluggy's importlib.metadata scan.

_EP_VALUE = lazy_re(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


def entry_points(group: str) -> Optional[List[Tuple[str, str, str]]]:
    """``[(name, value, "distribution version")]`` of ``group``, or None when
    the quick scan cannot vouch for the answer."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and getattr(finder, "find_distributions", None) is not None:
            return None
    out: List[Tuple[str, str, str]] = []
    seen = set()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return None  # a zip file on the path
        except OSError:
            continue
        if folder.endswith(".egg"):
            return None
        for child in names:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            stem = child.rsplit(".", 1)[0]
            dist_name, _, version = stem.partition("-")
            key = re.sub(r"[-_.]+", "_", dist_name).lower()
            if key in seen:
                continue
            seen.add(key)
            try:
                with open(os.path.join(folder, child, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            section = None
            for line in text.splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                    continue
                if section == group:
                    name, _, value = line.partition("=")
                    out.append((name.strip(), value.strip(), f"{dist_name} {version.split('-')[0]}".strip()))
    return out


def _load(value: str) -> object:
    m = _EP_VALUE.match(value)
    if m is None:
        raise ValueError(f"bad entry point {value!r}")
    obj = importlib.import_module(m.group("module"))
    for attr in filter(None, (m.group("attr") or "").split(".")):
        obj = getattr(obj, attr)
    return obj
