"""What the language server knows of the projects of its open documents: one
:class:`~nexus_lint.pipeline.engine.Linter` per config (found from each
file's path upwards, as the command line finds it), rebuilt when a config, a
CI file or another file the results depend on changes on disk.

Nothing here knows LSP: a document is a path and a text, a result the
:class:`~nexus_lint.core.model.FileResult` the command line would report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

# Files whose change on disk can change another file's findings: configs, CI
# files (a script they run is CI context; their includes), dependencies such as .env.
WATCHED_GLOBS = ("**/.nexus-lint.toml", "**/pyproject.toml", "**/*.yml", "**/*.yaml", "**/.env*",
                 "**/*.gitlab-ci.yml")


class Settings:
    """The client's settings (``initializationOptions``): ``select``, ``ignore``
    (lists or comma-separated strings), ``config`` (a file), ``isolated``
    (read no config file)."""

    def __init__(self, options: Optional[dict] = None) -> None:
        options = options if isinstance(options, dict) else {}
        self.select = _ids(options.get("select"))
        self.ignore = _ids(options.get("ignore"))
        config = options.get("config")
        self.config = str(config) if config else None
        self.isolated = bool(options.get("isolated", False))
        try:
            self.debounce = max(0.0, float(options.get("debounce", 150)) / 1000.0)
        except (TypeError, ValueError):
            self.debounce = 0.15


def _ids(value) -> Tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(v).strip() for v in value if str(v).strip())


class Projects:
    """The linters of the open documents' projects, by config."""

    def __init__(self, settings: Settings, roots: Sequence[str] = ()) -> None:
        self.settings = settings
        self.roots = [os.path.abspath(r) for r in roots]  # the workspace folders
        self._linters: Dict[object, object] = {}
        self._config_of: Dict[str, object] = {}  # folder -> config key
        self.errors: Dict[str, str] = {}  # config error -> already shown

    def forget(self) -> None:
        """Something on disk changed: build the linters anew on next use."""
        self._linters.clear()
        self._config_of.clear()
        self.errors.clear()

    def linter_for(self, fs_path: str):
        """The linter for the file ``fs_path``; raises the config's error."""
        folder = os.path.dirname(fs_path)
        key = self._config_of.get(folder)
        if key is not None and key in self._linters:
            return self._linters[key]
        config = self._load(Path(folder))
        key = (str(config.path or ""), str(config.root))
        linter = self._linters.get(key)
        if linter is None:
            from nexus_lint.config import parse_rule_selectors
            from nexus_lint.pipeline.engine import Linter

            select = parse_rule_selectors(",".join(self.settings.select)) if self.settings.select else ()
            ignore = parse_rule_selectors(",".join(self.settings.ignore)) if self.settings.ignore else ()
            linter = self._linters[key] = Linter(config, select, ignore)
        self._config_of[folder] = key
        return linter

    def _load(self, start: Path):
        from nexus_lint.config import Config, load_config

        if self.settings.isolated and not self.settings.config:
            from nexus_lint.core.repo import git_root

            return Config(root=Path(git_root(str(start)) or str(start)))
        explicit = self.settings.config
        if explicit and not os.path.isabs(explicit) and self.roots:
            explicit = os.path.join(self.roots[0], explicit)
        return load_config(explicit, start)

    def cwd_for(self, fs_path: str, linter) -> str:
        """Where the command line would run: the workspace folder holding the
        file (the innermost), else the config's folder."""
        inside = [r for r in self.roots if fs_path.startswith(r.rstrip(os.sep) + os.sep)]
        return max(inside, key=len) if inside else str(linter.config.root)

    def lint(self, fs_path: str, text: str, fix: bool = False):
        """(result or None, run) for ``text`` as the file ``fs_path``: what
        ``nexus-lint check --stdin-filename`` reports for it."""
        linter = self.linter_for(fs_path)
        cwd = self.cwd_for(fs_path, linter)
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > linter.max_file_size:
            return self._too_big(linter, fs_path, data, cwd), None
        run = linter.check_bytes(data, fs_path, cwd=cwd, fix=fix)
        return (run.results[0] if run.results else None), run

    def _too_big(self, linter, fs_path: str, data: bytes, cwd: str):
        """A buffer over max-file-size: NX000, as the command line says of such a file."""
        from nexus_lint.core.limits import format_size
        from nexus_lint.pipeline.discovery import display_path, project_relpath

        rel = project_relpath(fs_path, linter.config.root, cwd)
        kind = linter.classification.kind_of(rel, fs_path, data[:65536])
        if kind is None:
            return None
        message = f"file is larger than the {format_size(linter.max_file_size)} limit (max-file-size); not checked"
        result = linter.files.problem(display_path(fs_path, cwd), kind, message)
        linter.filter.run([result], cwd)
        return result


def relevant_change(paths: List[str]) -> bool:
    """Whether a change to these files may change another file's findings."""
    for p in paths:
        name = os.path.basename(p)
        if name in (".nexus-lint.toml", "pyproject.toml") or name.startswith(".env"):
            return True
        if name.endswith((".yml", ".yaml")):
            return True
    return False
