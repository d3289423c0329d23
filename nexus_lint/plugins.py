"""Loading plugins: the built-ins and every package in the ``nexus_lint`` entry-point group."""

from __future__ import annotations

from typing import Iterable

import pluggy

from . import hookspecs


class PluginError(Exception):
    pass


def load_plugins(extra: Iterable[object] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    except Exception as exc:  # a broken third-party plugin is a clear error, not a traceback
        raise PluginError(f"cannot load a nexus_lint plugin: {type(exc).__name__}: {exc}") from None
    if pm.get_plugin("builtin") is None:
        # Running from a source tree that was never installed: no entry points.
        from . import builtin

        pm.register(builtin, "builtin")
    for plugin in extra:
        pm.register(plugin)
    return pm
