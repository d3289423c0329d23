"""``pyproject.toml`` and ``uv.toml``: the index settings of uv, Poetry and PDM.

``[[tool.uv.index]] url``, ``[tool.uv]`` ``index-url``/``extra-index-url``/
``find-links`` (and ``[tool.uv.pip]``), ``[[tool.poetry.source]] url`` and
``[[tool.pdm.source]] url`` install; ``publish-url`` publishes.  ``uv.toml``
has the ``[tool.uv]`` keys at the top.  (``pyproject.toml`` is also
nexus-lint's own config file; here it is just a file whose index settings are
facts.)
"""

from __future__ import annotations

from typing import Dict, Iterator, Tuple

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(name="pyproject", names=("pyproject.toml", "uv.toml"), extractor="nexus_lint.kinds.pyproject:extract",
                tokens=PACKAGE_CONFIG + ESCAPES, runnable=False)

_TABLES: Dict[bool, Dict[Tuple[str, ...], Tuple[str, str]]] = {}


def _keys(path: str) -> Dict[Tuple[str, ...], Tuple[str, str]]:
    """The settings this file's name says it holds: key path -> (role, origin)."""
    uv_toml = path.replace("\\", "/").rsplit("/", 1)[-1].lower() == "uv.toml"
    if not _TABLES:
        from nexus_lint.core.model import INSTALL, PUBLISH

        # (path, role, origin) for pyproject.toml; uv.toml has the [tool.uv] keys at the top.
        uv_keys = (
            (("index", "[]", "url"), INSTALL, "[[tool.uv.index]] url"),
            (("index", "[]", "publish-url"), PUBLISH, "[[tool.uv.index]] publish-url"),
            (("index-url",), INSTALL, "[tool.uv] index-url"),
            (("extra-index-url", "[]"), INSTALL, "[tool.uv] extra-index-url"),
            (("find-links", "[]"), INSTALL, "[tool.uv] find-links"),
            (("publish-url",), PUBLISH, "[tool.uv] publish-url"),
            (("pip", "index-url"), INSTALL, "[tool.uv.pip] index-url"),
            (("pip", "extra-index-url", "[]"), INSTALL, "[tool.uv.pip] extra-index-url"),
            (("pip", "find-links", "[]"), INSTALL, "[tool.uv.pip] find-links"),
        )
        pyproject = {("tool", "uv") + p: (r, o) for p, r, o in uv_keys}
        pyproject.update({
            ("tool", "poetry", "source", "[]", "url"): (INSTALL, "[[tool.poetry.source]] url"),
            ("tool", "pdm", "source", "[]", "url"): (INSTALL, "[[tool.pdm.source]] url"),
        })
        _TABLES[False] = pyproject
        _TABLES[True] = {p: (r, o.replace("tool.uv.", "").replace("[tool.uv] ", "")) for p, r, o in uv_keys}
    return _TABLES[uv_toml]


def extract(source, context) -> Iterator[object]:
    """Index settings of ``pyproject.toml`` (uv, Poetry, PDM) and ``uv.toml``."""
    from nexus_lint.kinds.pkgcommon import toml_facts

    yield from toml_facts(source, _keys(source.path), "pypi")
