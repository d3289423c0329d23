"""How a Dockerfile is read (see :mod:`nexus_lint.kinds.dockerfile`): the
problems ``docker build`` has with it, the images of ``FROM``, ``COPY --from``,
``RUN --mount`` and ``# syntax=`` after variable substitution, ``ARG``/``ENV``
values, the shell of every ``RUN`` and the suppression comments."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, Iterator, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BUILD_BASE, PULL, ImageFact, LoginFact, ParseProblem, Suppression
from nexus_lint.core.sourced import SourcedStr

if TYPE_CHECKING:
    from nexus_lint.lang.dockerfile import Dockerfile, Instruction

_BARE_REF = lazy_re(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_COMMENT_LINE = lazy_re(r"^[ \t]*#[^\n]*", re.M)

Env = Dict[str, "SourcedStr"]


# What BuildKit's dispatcher knows (instructions.ParseInstruction); its parser
# accepts any keyword, the build then fails on the others.
INSTRUCTIONS = frozenset({
    "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer",
    "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
})


def extract(source, context) -> Iterator[object]:
    """The facts of a Dockerfile."""
    from nexus_lint.lang.dockerfile import parse

    text = source.text
    df = parse(text)
    for issue in df.errors:
        yield ParseProblem(issue.message, issue.start, issue.end)
    if not df.errors:
        yield from _dispatch_errors(df)
    if "nexus-lint" in text:
        yield from _suppressions(text, df, source)
    yield from _syntax_image(df, text)
    shell: list = []  # the facts of the RUN lines: one build, so a login serves the others (NX107)
    for fact in _images(df, shell):
        if not isinstance(fact, LoginFact):
            yield fact
    logins = [f for f in shell if isinstance(f, LoginFact)]
    if logins:
        from nexus_lint.tools.logins import in_scope

        yield from (f for f in in_scope(shell, "dockerfile") if isinstance(f, LoginFact))


_DOCKERFILE_FRONTENDS = frozenset({"docker/dockerfile", "docker/dockerfile-upstream"})


def _dispatch_errors(df: Dockerfile) -> Iterator[ParseProblem]:
    """What ``docker build`` rejects after parsing: an unknown instruction, and
    anything but ``ARG`` before the first ``FROM`` (BuildKit's words).  Not for
    a file whose ``# syntax=`` names another frontend: that one decides."""

    for d in df.directives:
        if d.name == "syntax":
            name = re.split(r"[:@]", d.value.strip().split()[0] if d.value.strip() else "", maxsplit=1)[0].lower()
            for prefix in ("docker.io/", "index.docker.io/"):
                if name.startswith(prefix):
                    name = name[len(prefix):]
            if name not in _DOCKERFILE_FRONTENDS:
                return
    staged = False
    for ins in df.instructions:
        span = ins.keyword_src.extent() or (max(ins.start, 0), max(ins.start, 0))
        if ins.keyword not in INSTRUCTIONS:
            yield ParseProblem(f"unknown instruction: {ins.keyword_src.text.upper()}", *span)
            return
        if ins.keyword == "from":
            staged = True
        elif ins.keyword != "arg" and not staged:
            yield ParseProblem(f"no build stage in current context ({ins.keyword.upper()} before the first FROM)",
                               *span)
            return


def _syntax_image(df: Dockerfile, text: str) -> Iterator[ImageFact]:
    """``# syntax=docker/dockerfile:1``: BuildKit pulls that frontend image."""

    for d in df.directives:
        if d.name != "syntax" or d.value_start < 0:
            continue
        raw = text[d.value_start:d.value_end]
        ref = raw.split()[0] if raw.split() else ""
        if ref:
            lead = len(raw) - len(raw.lstrip())
            value = SourcedStr.literal(ref, d.value_start + lead)
            yield ImageFact(value, PULL, "# syntax=", value.extent() or (d.start, d.end))


def resolve(word: SourcedStr, env: Env, escape: str) -> Tuple[Optional[SourcedStr], Tuple[str, ...]]:
    """Substitute ``word``; ``None`` when its value depends on an unknown variable."""
    from nexus_lint.lang.shellwords import WordError, process_word_with_matches

    try:
        value, matched, unmatched = process_word_with_matches(word, env, escape)
    except (WordError, RecursionError):
        return None, ()
    if unmatched:
        bare = {a or b for a, b in _BARE_REF.findall(word.text)}
        if bare & set(unmatched):
            return None, ()
    return value, tuple(sorted(matched))


def _images(df: Dockerfile, shell: list) -> Iterator[object]:
    escape = df.escape
    global_env: Env = {}
    stage_env: Env = {}
    stages: Set[str] = set()
    in_stage = False
    for ins in df.instructions:
        kw = ins.keyword
        if kw == "arg":
            env = stage_env if in_stage else global_env
            for pair in ins.pairs:
                name = pair.name.text
                if pair.value is None:
                    if in_stage and name in global_env:
                        stage_env[name] = global_env[name]
                    continue
                value, _ = resolve(pair.value, env, escape)
                if value is None:
                    env.pop(name, None)
                else:
                    env[name] = value
                    yield from _urls(name, value, "ARG")
        elif kw == "env" and in_stage:
            for pair in ins.pairs:
                if pair.value is None:
                    continue
                value, _ = resolve(pair.value, stage_env, escape)
                if value is None:
                    stage_env.pop(pair.name.text, None)
                else:
                    stage_env[pair.name.text] = value
                    yield from _urls(pair.name.text, value, "ENV")
        elif kw == "from":
            in_stage = True
            stage_env = {}
            if not ins.args:
                continue
            word = ins.args[0]
            stage_name = None
            if len(ins.args) >= 3 and ins.args[1].text.lower() == "as":
                stage_name = ins.args[2].text.lower()
            fact = _image(word.src, global_env, escape, stages, BUILD_BASE, "FROM")
            if fact is not None:
                yield fact
            if stage_name:
                stages.add(stage_name)
        elif kw in ("copy", "add"):
            for flag in ins.flags:
                if flag.name.lower() == "from" and flag.value is not None:
                    fact = _image(flag.value, stage_env, escape, stages, PULL, f"{kw.upper()} --from", flag.word.src)
                    if fact is not None:
                        yield fact
        elif kw == "run":
            run = list(_run_commands(ins, stage_env))
            shell.extend(run)
            yield from run
            for flag in ins.flags:
                if flag.name.lower() == "mount" and flag.value is not None:
                    src = _mount_from(flag.value)
                    if src is not None:
                        fact = _image(src, stage_env, escape, stages, PULL, "RUN --mount from=", flag.word.src)
                        if fact is not None:
                            yield fact


def _urls(name: str, value: SourcedStr, origin: str) -> Iterator[object]:
    """URLs in ARG/ENV values (PIP_INDEX_URL, NPM_CONFIG_REGISTRY, ...), and
    credentials (NEXUS_PASSWORD=..., a token or a URL password under any name)."""
    from nexus_lint.values.secrets import by_key

    yield from by_key(name, value, f"{origin} {name}", hint="dockerfile")
    if "://" not in value.text:
        return
    from nexus_lint.tools.urls import url_facts_in_value

    yield from url_facts_in_value(value, name, f"{origin} {name}")


def _run_commands(ins: Instruction, env: Env) -> Iterator[ImageFact]:
    """Images used by the shell commands of a RUN (shell form and heredoc bodies)."""
    from nexus_lint.kinds.embedded import script_facts

    scripts = [] if ins.json_form else [ins.rest]
    scripts += [h.content for h in ins.heredocs]
    return script_facts(scripts, env)


def _image(
    word: SourcedStr,
    env: Env,
    escape: str,
    stages: Set[str],
    role: str,
    origin: str,
    use_src: Optional[SourcedStr] = None,
) -> Optional[ImageFact]:

    value, via = resolve(word, env, escape)
    if value is None or not value.text:
        return None
    name = value.text.strip()
    low = name.lower()
    if low == "scratch" or low in stages or name.isdigit():
        return None
    use = (use_src or word).extent() or (0, 0)
    return ImageFact(value, role, origin, use, via)


def _mount_from(value: SourcedStr) -> Optional[SourcedStr]:
    """The ``from=`` field of a ``--mount`` value (comma-separated key=value)."""
    text = value.text
    pos = 0
    for part in text.split(","):
        key, eq, _ = part.partition("=")
        if eq and key.strip().lower() == "from":
            start = pos + len(key) + 1
            return value[start : pos + len(part)]
        pos += len(part) + 1
    return None


def _suppressions(text: str, df: Dockerfile, source) -> Iterator[Suppression]:
    """A marker comment covers the line below it and, when an instruction starts
    there, every line of that instruction (Dockerfiles have no end-of-line comments)."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.lang.textpos import Comment

    starts: Dict[int, Instruction] = {ins.start_line: ins for ins in df.instructions}
    comments = [Comment(m.start(), m.group(0), True) for m in _COMMENT_LINE.finditer(text)]
    return suppressions(source, comments, [(ins.start_line, ins.end_line) for ins in starts.values()])
