"""Command-line interface: ``nexus-lint check|rules|rule|server``.

Exit codes: 0 nothing at or above the failure level, 1 findings (or, with
``--diff``, changes to show), 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from nexus_lint import __version__
from nexus_lint.pipeline import CACHE_DIR

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of jobs: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return n


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
    c = sub.add_parser("check", help="lint files and folders (default: .; -: standard input)")
    c.add_argument("paths", nargs="*", metavar="PATH")
    c.add_argument("--format", "--output-format", dest="format", default="text",
                   choices=("text", "json", "sarif", "gitlab", "github", "checkstyle", "junit", "sonarqube", "gnu"),
                   help="the report's format (--output-format: ruff's name for it)")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    c.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: also apply unsafe fixes")
    c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    c.add_argument("--select", metavar="IDS", help="comma-separated rule ids or prefixes to enable (default: all)")
    c.add_argument("--extend-select", metavar="IDS",
                   help="comma-separated rule ids or prefixes to enable besides those the config selects")
    c.add_argument("--ignore", metavar="IDS", help="comma-separated rule ids or prefixes to disable")
    c.add_argument("--fail-on", choices=("error", "warning"), help="lowest severity that fails the run (default: error)")
    c.add_argument("--config", metavar="FILE", help="use this config file (pyproject.toml or .nexus-lint.toml)")
    c.add_argument("--isolated", action="store_true", help="ignore every config file in the repository")
    c.add_argument("--policy-config", metavar="FILE",
                   help="the CI's policy config (default: $NEXUS_LINT_POLICY): repository configs may tighten it, "
                        "never weaken it (exit 2)")
    c.add_argument("--stdin-filename", metavar="NAME", help="read the file from standard input, as if it were NAME")
    c.add_argument("--no-color", action="store_true", help="never colour the text output")
    c.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="processes to lint with (default: the CPU count; 1: none)")
    c.add_argument("--no-cache", action="store_true", help=f"neither read nor write the result cache ({CACHE_DIR}/)")
    c.add_argument("--cache", action="store_true", help="use the result cache even where CI=true (off there by default)")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 still means an error)")
    c.add_argument("-q", "--quiet", action="count", default=0,
                   help="only the findings, no summary; twice (-qq): nothing on standard output, the exit code only")
    c.add_argument("--statistics", action="store_true",
                   help="per-rule counts (and fixable counts, and what suppressions, per-file ignores and the baseline hid) "
                        "instead of the findings")
    c.add_argument("--show-files", action="store_true", help="list each file with its kind, or why it is skipped; lint nothing")
    c.add_argument("--show-fixes", action="store_true",
                   help="list the fixes --fix would apply (with --fix: those it applied)")
    c.add_argument("-v", "--verbose", action="store_true", help="say which config is used, and the timings, on standard error")
    c.add_argument("--changed-since", metavar="REF",
                   help="report only findings on lines changed since the git REF (and in untracked files): "
                        "for merge-request jobs")
    c.add_argument("--add-noqa", action="store_true",
                   help="write a suppression comment (nexus-lint: ignore[NXnnn] <reason>) above each line with findings")
    c.add_argument("--watch", "-w", action="store_true",
                   help="lint again whenever a file under the paths changes (polling; Ctrl-C stops)")
    c.add_argument("--baseline", metavar="FILE", help="report only findings that FILE (from --write-baseline) does not record")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    r = sub.add_parser("rules", help="list every rule")
    r.add_argument("--format", choices=("text", "json"), default="text")
    e = sub.add_parser("rule", help="explain one rule")
    e.add_argument("id", metavar="ID", help="a rule id (NX101) or name (docker-hub-pull)")
    sub.add_parser("server", help="run the language server (LSP over standard input and output)")
    return p


def _subparser(parser: argparse.ArgumentParser, name: Optional[str]) -> argparse.ArgumentParser:
    """The parser of the subcommand ``name`` (the top-level one if none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            return action.choices[name]
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    # Start-up allocates tens of thousands of objects that live for the whole
    # run (modules, classes, the kinds and rules): the cyclic collector would
    # walk them again and again (5 % of one small file's run, callgrind). It is
    # off until the linter is built, then those objects are frozen out of its
    # reach (_started) and it runs as usual for the files.  Only for the
    # process's own command line (argv None): a caller that runs main() in its
    # own process keeps its collector as it is.
    import gc

    global _own_process
    enabled = gc.isenabled()
    _own_process = argv is None and enabled
    if _own_process:
        gc.disable()
    try:
        return _main(argv)
    finally:
        if enabled:
            gc.enable()


_own_process = False


def _started() -> None:
    """Start-up is over: what it built is out of the collector's reach, which is on again."""
    if _own_process:
        import gc

        gc.freeze()
        gc.enable()


def _main(argv: Optional[Sequence[str]]) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # a bad flag of a subcommand: that subcommand's usage, not the top-level one
            _subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "rule":
            return cmd_rule(args)
        if args.command == "server":
            from nexus_lint.server import main as serve

            _started()
            return serve()
        parser.print_help()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # last line of defence: a message, never a traceback
        from nexus_lint.pipeline.redact import printable

        sys.stderr.write(f"nexus-lint: internal error: {type(exc).__name__}: {printable(str(exc))}\n")
        if os.environ.get("NEXUS_LINT_DEBUG"):
            raise
        return EXIT_ERROR


def _fail(message: str) -> int:
    from nexus_lint.pipeline.redact import printable  # (a path or a value from the repository)

    sys.stderr.write(f"nexus-lint: error: {printable(message)}\n")
    return EXIT_ERROR


def _linter(args, start: Path, cache: bool = False):
    from nexus_lint.config import POLICY_ENV, ConfigError, ConfigResolver, parse_rule_selectors
    from nexus_lint.pipeline.engine import Linter
    from nexus_lint.plugins import PluginError

    try:
        policy = getattr(args, "policy_config", None) or os.environ.get(POLICY_ENV) or None
        resolver = ConfigResolver(getattr(args, "config", None), getattr(args, "isolated", False), policy)
        config = resolver.base(start)
        select = parse_rule_selectors(args.select) if getattr(args, "select", None) else ()
        ignore = parse_rule_selectors(args.ignore) if getattr(args, "ignore", None) else ()
        extend = parse_rule_selectors(args.extend_select) if getattr(args, "extend_select", None) else ()
        linter = Linter(config, select, ignore, cache=cache, resolver=resolver, extend_select=extend)
        _started()
        if resolver.per_file and resolver.policy is not None:  # every config of the run, checked now (exit 2)
            resolver.rule_ids = tuple(linter.registry.rules)
        return linter, None
    except (ConfigError, PluginError) as exc:
        return None, str(exc)


def _conflict(args) -> Optional[str]:
    """Why the options of ``check`` cannot work together (None: they can)."""
    if args.paths and "-" in args.paths:
        if args.paths != ["-"]:
            return "`-` (standard input) cannot be named with other paths"
        if not args.stdin_filename:
            return "`-` reads standard input: say which file it is with --stdin-filename NAME (its kind comes from the name)"
    elif args.stdin_filename and args.paths:
        return "--stdin-filename reads standard input; do not name paths as well"
    if args.fix and args.diff:
        return "--fix writes the fixes and --diff only shows them: choose one"
    if args.unsafe_fixes and not (args.fix or args.diff):
        return "--unsafe-fixes needs --fix or --diff"
    if args.diff and args.format != "text":
        return f"--diff prints a unified diff; it has no --format {args.format}"
    for flag, on in (("--statistics", args.statistics), ("--show-fixes", args.show_fixes)):
        if on and args.format != "text":
            return f"{flag} is a text report; it has no --format {args.format}"
        if on and args.diff:
            return f"{flag} reports findings; --diff prints only the diff"
    if args.statistics and args.show_fixes:
        return "--statistics counts the findings and --show-fixes lists them: choose one"
    if args.show_files and (args.fix or args.diff or args.write_baseline or args.stdin_filename or args.paths == ["-"]):
        return "--show-files lists the files a run would lint; it lints (and fixes) nothing"
    if args.changed_since:
        for flag, on in (("--fix", args.fix), ("--diff", args.diff), ("--write-baseline", args.write_baseline),
                         ("standard input", args.stdin_filename), ("--show-files", args.show_files)):
            if on:
                return f"--changed-since filters a report of files in git; it does not go with {flag}"
    if args.add_noqa:
        for flag, on in (("--fix", args.fix), ("--diff", args.diff), ("--write-baseline", args.write_baseline),
                         ("standard input", args.stdin_filename or args.paths == ["-"]),
                         ("--show-files", args.show_files), ("--statistics", args.statistics)):
            if on:
                return f"--add-noqa writes comments into the files; it does not go with {flag}"
    if args.watch:
        for flag, on in (("standard input", args.stdin_filename or args.paths == ["-"]),
                         ("--write-baseline", args.write_baseline), ("--add-noqa", args.add_noqa),
                         ("--show-files", args.show_files)):
            if on:
                return f"--watch lints files again as they change; it does not go with {flag}"
    if args.output:
        folder = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(folder):
            return f"--output {args.output}: the folder {folder} does not exist"
        if os.path.isdir(args.output):
            return f"--output {args.output} is a folder; name a file"
    return None


def cmd_check(args) -> int:
    err = _conflict(args)
    if err:
        return _fail(err)
    if args.paths == ["-"]:
        args.paths = []
    if args.watch:
        return _watch(args)
    return _check_once(args)


def _snapshot(paths: List[str]) -> dict:
    """(mtime, size) of every file under ``paths`` (version-control and cache folders left out)."""
    from nexus_lint.pipeline.discovery import SKIP_DIRS

    seen = {}
    for top in paths:
        if not os.path.isdir(top):
            try:
                st = os.stat(top)
                seen[top] = (st.st_mtime_ns, st.st_size)
            except OSError:
                seen[top] = None
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    return seen


def _watch(args) -> int:
    """--watch: lint, then again each time a file changes.  NEXUS_LINT_WATCH_INTERVAL
    (seconds between polls, default 0.5) and NEXUS_LINT_WATCH_RUNS (stop after that
    many runs; for tests) tune it."""
    import time

    interval = float(os.environ.get("NEXUS_LINT_WATCH_INTERVAL") or 0.5)
    runs_left = int(os.environ.get("NEXUS_LINT_WATCH_RUNS") or 0)
    paths = args.paths or ["."]
    while True:
        before = _snapshot(paths)
        code = _check_once(args)
        runs_left -= 1
        if runs_left == 0:
            return code
        sys.stderr.write("nexus-lint: watching for changes (Ctrl-C stops)\n")
        sys.stderr.flush()
        while _snapshot(paths) == before:
            time.sleep(interval)
        if not args.quiet and args.format == "text" and not args.output:
            sys.stdout.write("\n")


def _check_once(args) -> int:
    cwd = os.getcwd()
    paths = args.paths or ["."]
    for p in paths:
        if not os.path.lexists(p):
            return _fail(f"{p}: no such file or folder")
    if args.stdin_filename:
        start = Path(args.stdin_filename)
    else:  # the run's own config: from the folder all the paths share (never the first path's alone)
        try:
            start = Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
        except ValueError:  # different drives
            start = Path(paths[0])
    in_ci = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
    cache = not args.no_cache and (args.cache or not in_ci)  # CI: the repository is untrusted; no cache unless asked
    linter, err = _linter(args, start if start.exists() else Path(cwd), cache=cache)
    if err:
        return _fail(err)
    if args.write_baseline and args.diff:
        return _fail("--write-baseline records findings; it does not go with --diff")
    if args.verbose:
        _say_config(linter, args)
    if args.show_files:
        return _show_files(linter, paths, cwd)
    if args.baseline:
        err = _use_baseline(linter, args)
        if err:
            return _fail(err)
    from nexus_lint.config import ConfigError

    import time

    began = time.perf_counter()
    try:
        run = _run(linter, args, paths, cwd)
    except ConfigError as exc:  # a file's own config (found from its folder) is unusable or weakens the policy
        return _fail(str(exc))
    from nexus_lint.pipeline.redact import printable

    for message in run.not_written:
        sys.stderr.write(f"nexus-lint: {printable(message)}\n")
    changed_hidden = 0
    if args.changed_since:
        from nexus_lint.pipeline.changed import ChangedError, ChangedSince

        try:
            changed_hidden = ChangedSince(args.changed_since).keep(run.results, cwd)
        except ChangedError as exc:
            return _fail(str(exc))
    if args.add_noqa:
        return _add_noqa(linter, run, cwd)
    if args.verbose:
        took = time.perf_counter() - began
        sys.stderr.write(f"nexus-lint: {run.files_checked} file{'s' if run.files_checked != 1 else ''} linted "
                         f"in {took:.3f} s ({run.files_checked / took if took > 0 else 0:.0f} files/s), "
                         f"{sum(1 for r in run.results for f in r.findings if not f.suppressed)} reported\n")
    if args.write_baseline:
        return _write_baseline(linter, args, run)
    if args.diff:
        text = "".join(run.diffs)
        if not _emit(text, args.output):
            return EXIT_ERROR
        return EXIT_FINDINGS if text else EXIT_OK
    return _report(linter, args, run, cwd, changed_hidden)


def _add_noqa(linter, run, cwd: str) -> int:
    from nexus_lint.pipeline.noqa import add_noqa
    from nexus_lint.pipeline.redact import printable

    done = add_noqa(linter, run.results, cwd)
    for message in done.left:
        sys.stderr.write(f"nexus-lint: {printable(message)}\n")
    s = "s" if done.comments != 1 else ""
    sys.stderr.write(f"nexus-lint: added {done.comments} suppression comment{s} ({done.findings} "
                     f"finding{'s' if done.findings != 1 else ''}) in {done.files} file{'s' if done.files != 1 else ''}"
                     f"{'; replace <reason> with why' if done.comments else ''}\n")
    return EXIT_OK


def _use_baseline(linter, args) -> Optional[str]:
    """Report only what ``--baseline`` does not record; with ``--write-baseline``
    (which records a new one) the file is only checked.  The error, if any."""
    from nexus_lint.pipeline.baseline import BaselineError, load

    try:
        if args.write_baseline:
            load(args.baseline)
        else:
            linter.use_baseline(args.baseline)
    except BaselineError as exc:
        return str(exc)
    return None


def _run(linter, args, paths: List[str], cwd: str):
    """Check (and fix) what the command line names: standard input or paths."""
    if args.stdin_filename:
        return linter.check_bytes(sys.stdin.buffer.read(), args.stdin_filename, cwd, fix=args.fix, diff=args.diff,
                                  unsafe=args.unsafe_fixes)
    if args.fix or args.diff:
        return linter.fix_paths(paths, cwd, unsafe=args.unsafe_fixes, diff=args.diff)
    return linter.check_paths(paths, cwd, jobs=args.jobs)


def _write_baseline(linter, args, run) -> int:
    from nexus_lint.pipeline.baseline import BaselineError

    try:
        n = linter.write_baseline(args.write_baseline, run)
    except BaselineError as exc:
        return _fail(str(exc))
    sys.stderr.write(f"nexus-lint: recorded {n} finding{'s' if n != 1 else ''} in {args.write_baseline}\n")
    return EXIT_OK


def _report(linter, args, run, cwd: str, changed_hidden: int = 0) -> int:
    from nexus_lint.report import Report, render

    color = (
        args.format == "text"
        and not args.no_color
        and not args.output
        and not os.environ.get("NO_COLOR")
        and (sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR")))
    )
    report = Report(
        results=run.results,
        registry=linter.registry,
        active=linter.active,
        cwd=cwd,
        version=__version__,
        color=color,
        fail_on=args.fail_on or linter.fail_on,
        files_checked=run.files_checked,
        fix_mode=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        hidden=dict(linter.hidden, **({"changed-since": changed_hidden} if changed_hidden else {})),
    )
    report.quiet = args.quiet
    if args.statistics:
        out = _statistics(report)
    else:
        out = render(args.format, report)
        if args.show_fixes:
            out += _show_fixes(report, run, args)
    if args.quiet >= 2 and run.output is None and not args.output:
        out = ""  # -qq: the exit code only
    if run.output is not None:  # --fix of standard input: the text goes to standard output, the report aside
        sys.stdout.buffer.write(run.output)
        sys.stdout.flush()
        sys.stderr.write(out)
    elif not _emit(out, args.output):
        return EXIT_ERROR
    usage = [f for r in run.results for f in r.findings if f.usage]
    if usage:  # an unknown rule id in a suppression marker: a typo must not pass as a gate
        from nexus_lint.pipeline.redact import printable

        for f in usage:
            sys.stderr.write(f"nexus-lint: error: {printable(f.path)}:{f.line}:{f.column}: {printable(f.message)}\n")
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if report.failing() else EXIT_OK


def _say_config(linter, args) -> None:
    """--verbose: the config, policy, plugins and rules of the run (standard error)."""
    from nexus_lint.pipeline.redact import printable

    cfg = linter.config
    policy = getattr(args, "policy_config", None) or os.environ.get("NEXUS_LINT_POLICY") or "none"
    lines = [
        f"config: {cfg.path if cfg.path else 'none found (defaults)'}{' (--isolated)' if args.isolated else ''}",
        f"project root: {cfg.root}",
        f"policy config: {policy}",
        f"rules: {len(linter.active)} of {len(linter.registry.rules)} enabled",
        f"plugins: {', '.join(name for name, _ in linter.plugins) or 'none'}",
        f"cache: {'on' if linter.use_cache else 'off'}",
    ]
    for line in lines:
        sys.stderr.write(f"nexus-lint: {printable(line)}\n")


def _show_files(linter, paths: List[str], cwd: str) -> int:
    from nexus_lint.pipeline.redact import printable

    for display, kind, why in linter.show_files(paths, cwd):
        sys.stdout.write(f"{printable(display)}: {kind}\n" if kind else f"{printable(display)}: skipped: {why}\n")
    sys.stdout.flush()
    return EXIT_OK


def _statistics(report) -> str:
    """--statistics: per rule, how many findings and how many of them are fixable;
    then what the run hid."""
    from collections import Counter

    counts: Counter = Counter()
    fixable: Counter = Counter()
    for f in report.findings():
        counts[f.rule.id] += 1
        if f.fix is not None:
            fixable[f.rule.id, f.fix.safety] += 1
    lines = []
    width = max((len(str(n)) for n in counts.values()), default=1)
    name_width = max((len(report.registry.rules[r].name) for r in counts if r in report.registry.rules), default=0)
    for rid, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = report.registry.rules.get(rid)
        name = rule.name if rule else ""
        safe, unsafe = fixable[rid, "safe"], fixable[rid, "unsafe"]
        fix = []
        if safe:
            fix.append(f"{safe} fixable")
        if unsafe:
            fix.append(f"{unsafe} fixable with --unsafe-fixes")
        lines.append(f"{n:>{width}}  {rid}  {name:<{name_width}}  {', '.join(fix)}".rstrip())
    total = sum(counts.values())
    lines.append(f"{total} finding{'s' if total != 1 else ''} in {report.files_checked} "
                 f"file{'s' if report.files_checked != 1 else ''} checked.")
    hidden = dict((what, n) for n, what in report.hidden_counts())
    kinds = ["inline suppressions", "per-file ignores", "the baseline"]
    if "--changed-since (unchanged lines)" in hidden:
        kinds.append("--changed-since (unchanged lines)")
    lines.append("Hidden: " + ", ".join(f"{hidden.get(what, 0)} by {what}" for what in kinds) + ".")
    if report.quiet:
        lines = lines[:-2]
    return "\n".join(lines) + ("\n" if lines else "")


def _show_fixes(report, run, args) -> str:
    """--show-fixes: the fixes --fix would apply, or (with --fix) applied."""
    from nexus_lint.pipeline.redact import printable

    if args.fix:
        items = run.applied
        head = "Fixes applied:"
    else:
        items = [f for f in report.findings() if f.fix is not None and (f.fix.safety == "safe" or args.unsafe_fixes)]
        head = "Fixes --fix would apply:" if not args.unsafe_fixes else "Fixes --fix --unsafe-fixes would apply:"
    if not items:
        return f"{head} none.\n"
    lines = [head]
    for f in items:
        lines.append(f"  {printable(f.path)}:{f.line}:{f.column}: {f.rule.id} ({f.fix.safety}) {printable(f.fix.description)}")
    return "\n".join(lines) + "\n"


def _emit(text: str, output: Optional[str]) -> bool:
    """Write the report; False (and why, on standard error) when it cannot be written."""
    if output:
        from nexus_lint.core.fix import write_output

        try:
            write_output(output, text.encode("utf-8"))  # never through a link the repository committed
        except OSError as exc:
            from nexus_lint.pipeline.redact import printable

            sys.stderr.write(f"nexus-lint: error: {printable(output)}: report not written: {exc.strerror or exc}\n")
            return False
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return True


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
    from nexus_lint.docs import find_rule, page_for, render_terminal

    linter, err = _linter(args, Path(os.getcwd()))
    if err:
        return _fail(err)
    meta = find_rule(args.id, linter.registry.rules.values())
    if meta is None:
        return _fail(f"unknown rule {args.id!r}; `nexus-lint rules` lists them")
    sys.stdout.write(render_terminal(meta, page_for(meta.id)))
    return EXIT_OK
