"""Command-line interface: ``nexus-lint check|rules|rule``.

Exit codes: 0 nothing at or above the failure level, 1 findings (or, with
``--diff``, changes to show), 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from nexus_lint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CACHE_DIR = ".nexus-lint-cache"
# Fewer files than this are linted without the cache: reading and rewriting its
# manifest would cost more than it saves (the pre-commit case).
CACHE_MIN_FILES = 20


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of jobs: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return n


def _open_cache(linter):
    """The project's result cache, opened once."""
    if linter.cache is None:
        from nexus_lint.pipeline.cache import ResultCache

        linter.cache = ResultCache(str(linter.config.root), linter.settings_key())
    return linter.cache


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, without importing shutil (and bz2, lzma ...) for the
    terminal width at every start: the same answer from os directly."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width=None) -> None:
        if width is None:
            try:
                width = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                width = 0
            if width <= 0:
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns
                except (AttributeError, ValueError, OSError):
                    width = 0
            width = (width or 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # usage errors: exit 2 with a clear line
        self.print_usage(sys.stderr)
        sys.stderr.write(f"nexus-lint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nexus-lint", description="Check repository files against the organisation's Nexus policy.")
    p.add_argument("--version", action="version", version=f"nexus-lint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    c = sub.add_parser("check", help="lint files and folders (default: .)")
    c.add_argument("paths", nargs="*", metavar="PATH")
    c.add_argument("--format", choices=("text", "json", "sarif", "gitlab", "github"), default="text")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    c.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: also apply unsafe fixes")
    c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    c.add_argument("--select", metavar="IDS", help="comma-separated rule ids or prefixes to enable (default: all)")
    c.add_argument("--ignore", metavar="IDS", help="comma-separated rule ids or prefixes to disable")
    c.add_argument("--fail-on", choices=("error", "warning"), help="lowest severity that fails the run (default: error)")
    c.add_argument("--config", metavar="FILE", help="use this config file (pyproject.toml or .nexus-lint.toml)")
    c.add_argument("--stdin-filename", metavar="NAME", help="read the file from standard input, as if it were NAME")
    c.add_argument("--no-color", action="store_true", help="never colour the text output")
    c.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="processes to lint with (default: the CPU count; 1: none)")
    c.add_argument("--no-cache", action="store_true", help=f"neither read nor write the result cache ({CACHE_DIR}/)")
    c.add_argument("--baseline", metavar="FILE", help="report only findings that FILE (from --write-baseline) does not record")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    r = sub.add_parser("rules", help="list every rule")
    r.add_argument("--format", choices=("text", "json"), default="text")
    e = sub.add_parser("rule", help="explain one rule")
    e.add_argument("id", metavar="ID")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "rule":
            return cmd_rule(args)
        parser.print_help()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # last line of defence: a message, never a traceback
        sys.stderr.write(f"nexus-lint: internal error: {type(exc).__name__}: {exc}\n")
        if os.environ.get("NEXUS_LINT_DEBUG"):
            raise
        return EXIT_ERROR


def _fail(message: str) -> int:
    sys.stderr.write(f"nexus-lint: error: {message}\n")
    return EXIT_ERROR


def _linter(args, start: Path):
    from nexus_lint.config import ConfigError, load_config, parse_rule_selectors
    from nexus_lint.pipeline.engine import Linter
    from nexus_lint.plugins import PluginError

    try:
        config = load_config(getattr(args, "config", None), start)
        select = parse_rule_selectors(args.select) if getattr(args, "select", None) else ()
        ignore = parse_rule_selectors(args.ignore) if getattr(args, "ignore", None) else ()
        return Linter(config, select, ignore), None
    except (ConfigError, PluginError) as exc:
        return None, str(exc)


def cmd_check(args) -> int:
    from nexus_lint.pipeline.engine import FileResult
    from nexus_lint.report import Report, render

    cwd = os.getcwd()
    paths = args.paths or ["."]
    if args.stdin_filename and args.paths:
        return _fail("--stdin-filename reads standard input; do not name paths as well")
    for p in paths:
        if not os.path.lexists(p):
            return _fail(f"{p}: no such file or folder")
    start = Path(args.stdin_filename if args.stdin_filename else paths[0])
    linter, err = _linter(args, start if start.exists() else Path(cwd))
    if err:
        return _fail(err)
    fail_on = args.fail_on or linter.config.fail_on
    fixing = args.fix or args.diff
    if fixing:
        from nexus_lint.core.fix import atomic_write
        from nexus_lint.pipeline.redact import safe_diff  # secrets are redacted in --diff too
    baseline = None
    if args.write_baseline and args.diff:
        return _fail("--write-baseline records findings; it does not go with --diff")
    if args.baseline:
        from nexus_lint.pipeline import baseline as _baseline

        try:
            baseline = _baseline.load(args.baseline)
        except _baseline.BaselineError as exc:
            return _fail(str(exc))
    results: List[FileResult] = []
    diffs: List[str] = []
    stdin_fixed: Optional[bytes] = None
    files_checked = 0

    if args.stdin_filename:
        from nexus_lint.pipeline.discovery import display_path

        display = display_path(args.stdin_filename, cwd)
        rel = _relpath(args.stdin_filename, linter.config.root)
        kind = linter.classifier.by_path(rel)
        data = sys.stdin.buffer.read()
        if kind is None and linter.classifier.wants_shebang(rel):
            kind = linter.classifier.by_shebang(data[:256])
        kind = linter.included_kind(kind, rel, os.path.abspath(args.stdin_filename))
        if kind is not None:
            files_checked = 1
            linter.find_ci_scripts([args.stdin_filename], cwd)
            result = linter.lint_bytes(display, data, kind, rel, fs_path=os.path.abspath(args.stdin_filename))
            if fixing:
                fixed = linter.fix(result, kind, rel, args.unsafe_fixes)
                if fixed.fixed_text is not None:
                    if args.diff:
                        diffs.append(safe_diff(display, result.source.text, fixed.fixed_text, result.secrets,
                                               fixed.secrets))
                    else:
                        stdin_fixed = fixed.source.encode()
                    result = fixed
            if args.fix and not args.diff:
                stdin_fixed = stdin_fixed if stdin_fixed is not None else data
            results.append(result)
        elif args.fix and not args.diff:
            stdin_fixed = data
    else:
        from nexus_lint.pipeline.discovery import discover

        work = []
        if not fixing and not args.no_cache:  # classifying may want it (a pipeline's includes)
            linter.cache_opener = lambda: _open_cache(linter)
        for cand in discover(paths, linter.config.exclude, linter.config.root, cwd):
            kind = linter.classify(cand)
            if kind is not None:
                work.append((cand, kind))
        linter.cache_opener = None
        linter.find_ci_scripts((c.fs_path for c, _ in work), cwd)
        if not fixing:
            cache = None
            if not args.no_cache and len(work) >= CACHE_MIN_FILES:
                cache = _open_cache(linter)
            elif linter.cache is not None:  # opened while classifying: a small run keeps what it learnt
                linter.cache.save((), str(linter.config.root))
                linter.cache = None
            results.extend(linter.lint_many(work, args.jobs or _cpu_count()))
            files_checked = len(work)
            if cache is not None:
                cache.save((c.relpath for c, _ in work), str(linter.config.root))
            work = []  # done; --fix and --diff go on below, one file at a time
        for cand, kind in work:
            files_checked += 1
            result = linter.read(cand, kind)
            if fixing and result.source is not None:
                fixed = linter.fix(result, kind, cand.relpath, args.unsafe_fixes)
                if fixed.fixed_text is not None:
                    if args.diff:
                        diffs.append(safe_diff(cand.display, result.source.text, fixed.fixed_text, result.secrets,
                                               fixed.secrets))
                        fixed.fixes_applied = 0
                        result.dropped_fixes = fixed.dropped_fixes
                    else:
                        try:
                            # never through a link out of the repository, never over a change made meanwhile
                            atomic_write(cand.fs_path, fixed.source.encode(), expected=result.source.encode(),
                                         root=linter.repo_root(cand.fs_path))
                            result = fixed
                        except (OSError, UnicodeError) as exc:
                            sys.stderr.write(f"nexus-lint: {cand.display}: fix not written: {getattr(exc, 'strerror', None) or exc}\n")
                else:
                    result.dropped_fixes = fixed.dropped_fixes
            results.append(result)

    _apply_per_file_ignores(results, linter.config)

    if args.write_baseline:
        from nexus_lint.pipeline import baseline as _baseline

        try:
            n = _baseline.write(args.write_baseline, results, linter.config.root)
        except _baseline.BaselineError as exc:
            return _fail(str(exc))
        sys.stderr.write(f"nexus-lint: recorded {n} finding{'s' if n != 1 else ''} in {args.write_baseline}\n")
        return EXIT_OK
    if baseline is not None:
        _baseline.apply(baseline, results, linter.config.root)

    if args.diff:
        text = "".join(diffs)
        _emit(text, args.output)
        return EXIT_FINDINGS if text else EXIT_OK

    color = (
        args.format == "text"
        and not args.no_color
        and not args.output
        and not os.environ.get("NO_COLOR")
        and (sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR")))
    )
    report = Report(
        results=results,
        registry=linter.registry,
        active=linter.active,
        cwd=cwd,
        version=__version__,
        color=color,
        fail_on=fail_on,
        files_checked=files_checked,
        fix_mode=args.fix,
        unsafe_fixes=args.unsafe_fixes,
    )
    out = render(args.format, report)
    if stdin_fixed is not None:
        sys.stdout.buffer.write(stdin_fixed)
        sys.stdout.flush()
        sys.stderr.write(out)
    else:
        _emit(out, args.output)
    return EXIT_FINDINGS if report.failing() else EXIT_OK


def _relpath(path: str, root: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:
        rel = absolute
    return rel.replace(os.sep, "/")


def _apply_per_file_ignores(results, config) -> None:
    if not config.per_file_ignores:
        return
    from nexus_lint.checks.base import selected

    for r in results:
        rel = _relpath(r.path, config.root)
        for pattern, ids in config.per_file_ignores.items():
            if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern):
                r.findings = [f for f in r.findings if selected(f.rule.id, ("ALL",), ids)]


def _emit(text: str, output: Optional[str]) -> None:
    if output:
        from nexus_lint.core.fix import atomic_write

        atomic_write(output, text.encode("utf-8")) if os.path.exists(output) else Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def cmd_rules(args) -> int:
    linter, err = _linter(args, Path(os.getcwd()))
    if err:
        return _fail(err)
    rules = linter.registry.sorted_rules()
    if args.format == "json":
        import json

        sys.stdout.write(
            json.dumps(
                [{"id": r.id, "name": r.name, "severity": r.severity, "fix": r.fix, "summary": r.summary} for r in rules],
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    width = max((len(r.name) for r in rules), default=10)
    for r in rules:
        fix = r.fix or "-"
        sys.stdout.write(f"{r.id}  {r.name:<{width}}  {r.severity:<7}  fix: {fix:<6}  {r.summary}\n")
    return EXIT_OK


def cmd_rule(args) -> int:
    from nexus_lint.docs import page_for

    linter, err = _linter(args, Path(os.getcwd()))
    if err:
        return _fail(err)
    rid = args.id.strip().upper()
    meta = linter.registry.rules.get(rid)
    if meta is None:
        return _fail(f"unknown rule {args.id!r}; `nexus-lint rules` lists them")
    page = page_for(rid)
    header = f"{meta.id} {meta.name} (severity: {meta.severity}, fix: {meta.fix or 'none'})\n\n"
    body = page.text if page is not None else meta.summary + "\n"
    sys.stdout.write(header + body)
    return EXIT_OK
