"""Loading plugins: the built-ins and every package in the ``nexus_lint`` entry-point group."""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import Iterable, List, Optional, Tuple

import pluggy

from nexus_lint.core.lazyre import lazy_re
from nexus_lint import hookspecs


class PluginError(Exception):
    pass


def load_plugins(extra: Iterable[object] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.nexus_lint_dists = {}  # entry-point name -> "distribution version" (the cache key's plugin part)
    try:
        found = entry_points(hookspecs.PROJECT)
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
        from nexus_lint import builtin

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
