"""Configuration: ``[tool.nexus-lint]`` in ``pyproject.toml`` or ``.nexus-lint.toml``.

The file is found from the checked path upwards (the first folder that has
either file wins; ``.nexus-lint.toml`` is preferred in the same folder, and a
``pyproject.toml`` without a ``[tool.nexus-lint]`` table is passed over).
Unknown keys and bad values are errors with a message, never a traceback.
"""

from __future__ import annotations

import os
import sys
from nexus_lint.core.record import field, record
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


@record
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
    keys: Tuple[str, ...] = ()  # the keys the file sets (a CI policy checks what a repository config changes)


def _str_list(value: Any, key: str, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _rule_list(value: Any, key: str, where: str) -> Tuple[str, ...]:
    items = _str_list(value, key, where)
    for item in items:
        if not _is_rule_selector(item):
            raise ConfigError(f"{where}: {key}: {item!r} is not a rule id or prefix (like NX101 or NX1){_hint(item)}")
    return tuple(i.upper() for i in items)


def _is_rule_selector(item: str) -> bool:
    item = item.strip().upper()
    return item == "ALL" or (item.startswith("NX") and (item[2:].isdigit() or item == "NX"))


def _hint(item: str) -> str:
    """"; did you mean 'NX101'?" for the built-in rule id closest to ``item``."""
    import difflib

    from nexus_lint.builtin import nexus_lint_rules

    ids = sorted({r.id for c in nexus_lint_rules() for r in c.rules})
    close = difflib.get_close_matches(item.strip().upper(), ids, n=1, cutoff=0.0)
    return f"; did you mean {close[0]!r}?" if close else ""


def parse_rule_selectors(text: str) -> Tuple[str, ...]:
    """``"NX101,NX2"`` -> ``("NX101", "NX2")``; raise ConfigError on junk."""
    items = tuple(p.strip().upper() for p in text.split(",") if p.strip())
    for item in items:
        if not _is_rule_selector(item):
            raise ConfigError(f"{item!r} is not a rule id or prefix (like NX101 or NX1){_hint(item)}")
    return items


def unknown_selectors(items, known_ids) -> list:
    """The selectors among ``items`` that match no rule of ``known_ids``, each
    with the closest valid id or prefix (difflib): [(item, suggestion or None)]."""
    known = sorted(known_ids)
    out = []
    for item in items:
        item = item.strip().upper()
        if item in ("ALL", "NX") or any(rid.startswith(item) for rid in known):
            continue
        import difflib

        close = difflib.get_close_matches(item, known, n=1, cutoff=0.0)
        out.append((item, close[0] if close else None))
    return out


def check_selectors(items, known_ids, where: str) -> None:
    """ConfigError when a selector matches no rule: a typo must not disable the gate."""
    bad = unknown_selectors(items, known_ids)
    if bad:
        item, close = bad[0]
        hint = f"; did you mean {close!r}?" if close else ""
        raise ConfigError(f"{where}: unknown rule id or prefix {item!r}{hint} (`nexus-lint rules` lists them)")


def load_table(path: Path) -> Optional[Dict[str, Any]]:
    """The nexus-lint table of a config file, or None when a pyproject has none."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    # A pyproject.toml that never spells nexus-lint (a quoted key may, with escapes)
    # is another tool's file: when it is not TOML at all it configures nothing, so
    # it is left to the pyproject kind (NX000), not a reason to stop the run.
    others = path.name == "pyproject.toml" and b"nexus-lint" not in raw
    if others and b"\\" not in raw:
        return None  # no [tool.nexus-lint] can be spelt without these: not worth a TOML parse
    tomllib = _toml()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if others:
            return None
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        if others:
            return None
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
    cfg = Config(root=root, path=path, keys=tuple(table))
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


def _named_config(name: str, what: str) -> Config:
    """The config in the file ``name`` that the command line or the environment names."""
    path = Path(name)
    if not path.is_file():
        raise ConfigError(f"{name}: {what} file not found")
    table = load_table(path)
    if table is None:
        raise ConfigError(f"{name}: no [tool.nexus-lint] table")
    return from_table(table, Path(os.path.abspath(path.parent)), path)


def load_config(explicit: Optional[str], start: Path) -> Config:
    if explicit:
        return _named_config(explicit, "config")
    found = find_config(start)
    if found is None:
        # No config: paths are relative to the repository (or the working folder),
        # never to the first file's folder, so `.github/workflows/x.yml` named
        # alone (as pre-commit does) is still a workflow.
        return Config(root=_repo_root(start))
    path, table = found
    return from_table(table, path.parent, path)


# -- a CI policy that repository configs may tighten but not weaken --------------------

POLICY_ENV = "NEXUS_LINT_POLICY"


def load_policy_config(path: str) -> Config:
    """The CI's policy config (``--policy-config FILE`` or $NEXUS_LINT_POLICY):
    a nexus-lint config file, normally outside the repository."""
    return _named_config(path, "policy config")


def enforce_policy(policy: Config, repo: Optional[Config], root: Path, rule_ids) -> Config:
    """The config in force for files under a repository config ``repo`` (None:
    none) when the CI gives ``policy``: ``repo`` may add rules, excludes nothing,
    and changes neither the Nexus policy nor the resource limits; anything that
    would weaken the policy is a ConfigError (exit 2)."""
    from nexus_lint.checks.base import selected

    ids = sorted(rule_ids)
    if repo is None:
        return Config(root=root, path=policy.path, select=policy.select, ignore=policy.ignore,
                      exclude=policy.exclude, fail_on=policy.fail_on, per_file_ignores=dict(policy.per_file_ignores),
                      policy=policy.policy, max_file_size=policy.max_file_size, timeout=policy.timeout)
    where = f"{repo.path}: the CI policy ({policy.path}) does not allow this config to"
    keys = set(repo.keys)
    select = repo.select if "select" in keys else policy.select
    ignore = repo.ignore + policy.ignore
    wanted = [i for i in ids if selected(i, policy.select, policy.ignore)]
    # an ignore that names a rule the policy selects is refused even where a longer
    # select of the policy would win: the config says it tries to turn the rule off
    dropped = [i for i in wanted if not selected(i, select, ignore)
               or any(p == "ALL" or i.startswith(p) for p in repo.ignore)]
    if dropped:
        raise ConfigError(f"{where} turn off {', '.join(dropped[:5])}{' ...' if len(dropped) > 5 else ''}")
    extra = [p for p in repo.exclude if p not in policy.exclude]
    if extra:
        raise ConfigError(f"{where} exclude files ({', '.join(repr(p) for p in extra[:5])})")
    pfi = dict(policy.per_file_ignores)
    for pattern, pids in repo.per_file_ignores.items():
        allowed = policy.per_file_ignores.get(pattern, ())
        hit = [i for i in wanted if not selected(i, ("ALL",), pids) and selected(i, ("ALL",), allowed)]
        if hit:
            raise ConfigError(f"{where} ignore {', '.join(hit[:5])} in {pattern!r} (per-file-ignores)")
        pfi[pattern] = tuple(pids) + tuple(p for p in allowed if p not in pids)
    if "policy" in keys and repo.policy != policy.policy:
        raise ConfigError(f"{where} change the Nexus policy (hosts, ports, repositories)")
    for key, mine, theirs in (("max-file-size", repo.max_file_size, policy.max_file_size),
                              ("timeout", repo.timeout, policy.timeout)):
        if key in keys and mine != theirs:
            raise ConfigError(f"{where} change {key} ({theirs!r} -> {mine!r})")
    fail_on = policy.fail_on
    if "fail-on" in keys:
        if SEVERITIES.index(repo.fail_on) > SEVERITIES.index(policy.fail_on) if repo.fail_on in SEVERITIES else False:
            raise ConfigError(f"{where} raise fail-on to {repo.fail_on!r}")
        fail_on = repo.fail_on
    return Config(root=repo.root, path=repo.path, select=select, ignore=ignore, exclude=policy.exclude,
                  fail_on=fail_on, per_file_ignores=pfi, policy=policy.policy, max_file_size=policy.max_file_size,
                  timeout=policy.timeout, keys=repo.keys)


class ConfigResolver:
    """The config of each file: the nearest config file above it (up to its
    repository's root), checked against the CI policy when there is one.
    ``explicit`` (--config) or ``isolated`` (--isolated): one config for every file."""

    def __init__(self, explicit: Optional[str] = None, isolated: bool = False, policy: Optional[str] = None) -> None:
        self.explicit = explicit
        self.isolated = isolated
        self.policy = load_policy_config(policy) if policy else None
        self.rule_ids: Tuple[str, ...] = ()  # set by the pipeline (the registry's ids) before resolving
        self._found: Dict[str, Optional[Tuple[Path, Dict[str, Any]]]] = {}
        self._configs: Dict[str, Config] = {}

    @property
    def per_file(self) -> bool:
        return not (self.explicit or self.isolated)

    def base(self, start: Path) -> Config:
        """The config of the run (its root, output settings), found from ``start``."""
        if self.explicit:
            cfg = load_config(self.explicit, start)
            return cfg
        if self.isolated:
            root = _repo_root(start)
            if self.policy is not None:
                return enforce_policy(self.policy, None, root, self._ids())
            return Config(root=root)
        return self._resolve(find_config(start), start)

    def for_file(self, fs_path: str) -> Config:
        return self._resolve(self._find(os.path.dirname(os.path.abspath(fs_path))), Path(fs_path))

    def _ids(self):
        if not self.rule_ids:
            from nexus_lint.builtin import nexus_lint_rules

            self.rule_ids = tuple(sorted({r.id for c in nexus_lint_rules() for r in c.rules}))
        return self.rule_ids

    def _find(self, folder: str) -> Optional[Tuple[Path, Dict[str, Any]]]:
        """find_config, remembered per folder (a run asks once per file)."""
        if folder in self._found:
            return self._found[folder]
        here = Path(folder)
        found = None
        stop = False
        for name in (".nexus-lint.toml", "pyproject.toml"):
            candidate = here / name
            if candidate.is_file():
                table = load_table(candidate)
                if table is not None:
                    found, stop = (candidate, table), True
                    break
        if not stop and not (here / ".git").exists() and here.parent != here:
            found = self._find(str(here.parent))
        self._found[folder] = found
        return found

    def _resolve(self, found, start: Path) -> Config:
        root = found[0].parent if found else _repo_root(start)
        key = str(found[0]) if found else "\0" + str(root)
        cfg = self._configs.get(key)
        if cfg is None:
            repo = from_table(found[1], found[0].parent, found[0]) if found else None
            if self.policy is not None:
                cfg = enforce_policy(self.policy, repo, root, self._ids())
            else:
                cfg = repo if repo is not None else Config(root=root)
            self._configs[key] = cfg
        return cfg
