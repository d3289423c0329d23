"""Configuration: ``[tool.nexus-lint]`` in ``pyproject.toml`` or ``.nexus-lint.toml``.

The file is found from the checked path upwards (the first folder that has
either file wins; ``.nexus-lint.toml`` is preferred in the same folder, and a
``pyproject.toml`` without a ``[tool.nexus-lint]`` table is passed over).
Unknown keys and bad values are errors with a message, never a traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from nexus_lint.core.limits import DEFAULT_MAX_FILE_SIZE, DEFAULT_TIMEOUT, parse_size
from nexus_lint.core.model import SEVERITIES
from nexus_lint.policy import DEFAULT_POLICY, Policy, PolicyError, policy_from_config


def _toml():
    """tomllib, imported when a config file needs parsing (start-up time)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


class ConfigError(ValueError):
    pass


KNOWN_KEYS = ("select", "ignore", "exclude", "extend-exclude", "fail-on", "per-file-ignores", "policy",
              "max-file-size", "timeout")


@dataclass
class Config:
    root: Path  # folder the config file lives in (paths in it are relative to this)
    path: Optional[Path] = None
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()
    fail_on: str = "error"
    per_file_ignores: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    policy: Policy = DEFAULT_POLICY
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; larger files are NX000, not read
    timeout: float = DEFAULT_TIMEOUT  # seconds of analysis per file; 0: no limit


def _str_list(value: Any, key: str, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _rule_list(value: Any, key: str, where: str) -> Tuple[str, ...]:
    items = _str_list(value, key, where)
    for item in items:
        if not _is_rule_selector(item):
            raise ConfigError(f"{where}: {key}: {item!r} is not a rule id or prefix (like NX101 or NX1)")
    return tuple(i.upper() for i in items)


def _is_rule_selector(item: str) -> bool:
    item = item.strip().upper()
    return item == "ALL" or (item.startswith("NX") and (item[2:].isdigit() or item == "NX"))


def parse_rule_selectors(text: str) -> Tuple[str, ...]:
    """``"NX101,NX2"`` -> ``("NX101", "NX2")``; raise ConfigError on junk."""
    items = tuple(p.strip().upper() for p in text.split(",") if p.strip())
    for item in items:
        if not _is_rule_selector(item):
            raise ConfigError(f"{item!r} is not a rule id or prefix (like NX101 or NX1)")
    return items


def load_table(path: Path) -> Optional[Dict[str, Any]]:
    """The nexus-lint table of a config file, or None when a pyproject has none."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if path.name == "pyproject.toml" and b"nexus-lint" not in raw and b"\\" not in raw:
        return None  # no [tool.nexus-lint] can be spelt without these: not worth a TOML parse
    tomllib = _toml()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("nexus-lint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.nexus-lint] must be a table")
        return table
    # .nexus-lint.toml: keys at the top level, or under [tool.nexus-lint] like pyproject
    if "tool" in data and isinstance(data["tool"], dict) and "nexus-lint" in data["tool"]:
        return data["tool"]["nexus-lint"]
    return data


def from_table(table: Dict[str, Any], root: Path, path: Optional[Path]) -> Config:
    where = str(path) if path else "config"
    cfg = Config(root=root, path=path)
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known keys: {', '.join(KNOWN_KEYS)})")
        if key == "select":
            cfg.select = _rule_list(value, key, where)
        elif key == "ignore":
            cfg.ignore = _rule_list(value, key, where)
        elif key in ("exclude", "extend-exclude"):
            cfg.exclude = cfg.exclude + _str_list(value, key, where)
        elif key == "fail-on":
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: fail-on must be one of {', '.join(SEVERITIES)}, got {value!r}")
            cfg.fail_on = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [rule ids]")
            cfg.per_file_ignores = {str(k): _rule_list(v, f"per-file-ignores.{k}", where) for k, v in value.items()}
        elif key == "max-file-size":
            size = parse_size(value)
            if size is None:
                raise ConfigError(f"{where}: max-file-size must be a positive number of bytes or a size like \"10MiB\", got {value!r}")
            cfg.max_file_size = size
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ConfigError(f"{where}: timeout must be a number of seconds (0: no limit), got {value!r}")
            cfg.timeout = float(value)
        elif key == "policy":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: policy must be a table")
            try:
                cfg.policy = policy_from_config(value, where=f"{where}: [tool.nexus-lint.policy]")
            except PolicyError as exc:
                raise ConfigError(str(exc)) from None
    return cfg


def find_config(start: Path) -> Optional[Tuple[Path, Dict[str, Any]]]:
    """Walk from ``start`` upwards to the first folder with a nexus-lint config."""
    here = start if start.is_dir() else start.parent
    here = Path(os.path.abspath(here))
    while True:
        for name in (".nexus-lint.toml", "pyproject.toml"):
            candidate = here / name
            if candidate.is_file():
                table = load_table(candidate)
                if table is not None:
                    return candidate, table
        if (here / ".git").exists() or here.parent == here:
            return None
        here = here.parent


def _repo_root(start: Path) -> Path:
    from nexus_lint.core.repo import git_root

    root = git_root(str(start if start.is_dir() else start.parent))
    return Path(root) if root else Path(os.getcwd())


def load_config(explicit: Optional[str], start: Path) -> Config:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        table = load_table(path)
        if table is None:
            raise ConfigError(f"{explicit}: no [tool.nexus-lint] table")
        return from_table(table, Path(os.path.abspath(path.parent)), path)
    found = find_config(start)
    if found is None:
        # No config: paths are relative to the repository (or the working folder),
        # never to the first file's folder, so `.github/workflows/x.yml` named
        # alone (as pre-commit does) is still a workflow.
        return Config(root=_repo_root(start))
    path, table = found
    return from_table(table, path.parent, path)
