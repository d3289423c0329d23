"""The facts of a Makefile (see :mod:`nexus_lint.kinds.makefile`)."""

from __future__ import annotations

import bisect
from nexus_lint.core.record import replace
from typing import Dict, Iterator, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import ParseProblem
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.make import Assignment, Directive, Makefile, RecipeLine, Rule, read
from nexus_lint.lang.make_expand import Expander, shell_lines


def extract(source, context) -> Iterator[object]:
    text = source.text
    mk = read(text)
    for p in mk.problems:
        yield ParseProblem(f"not a valid Makefile: {p.message} (GNU make stops here)", p.start, p.end)
    fs_path = getattr(source, "fs_path", None)
    if fs_path and any(isinstance(i, Directive) and i.word == "include" for i in mk.items):
        _Includes(fs_path).splice(mk)
    exp = Expander(mk)
    is_ci = bool(context is not None and context.is_ci)
    yield from _variables(mk, exp, is_ci)
    comments: dict = {}
    from nexus_lint.tools.images import run_what_was_built

    targets = getattr(context, "ci_targets", ()) if context is not None else ()
    ci_rules = _ci_rules(mk, targets) if targets else set()
    pairs = list(_recipes(mk, exp, comments))
    facts = run_what_was_built([fact for fact, _, _ in pairs])  # a recipe runs what another built
    for fact, (_, where, rule) in zip(facts, pairs):
        origin = getattr(fact, "origin", None)
        changes: dict = {"origin": f"{origin}, {where}"} if isinstance(origin, str) else {}
        if id(rule) in ci_rules and hasattr(fact, "ci"):
            changes["ci"] = True
        yield replace(fact, **changes) if changes else fact
    if "nexus-lint" in text:
        yield from _suppressions(text, mk, comments, source)


def _variables(mk: Makefile, exp: Expander, is_ci: bool) -> Iterator[object]:
    """Credentials and URLs in variable values that stand in this file."""
    from nexus_lint.kinds.embedded import worth_analysing

    for item in mk.items:
        if not isinstance(item, Assignment) or item.file or item.op == "!=" or not item.value.text.strip():
            continue
        if not worth_analysing(f"{item.name}={item.value.text}"):
            continue
        value = exp.expand(item.value, exp.scope(item.targets) if item.targets else exp.globals)
        if value.extent() is None:
            continue
        origin = f"make variable {item.name}"
        from nexus_lint.values.secrets import by_key

        yield from by_key(item.name, value, origin, strict=is_ci)
        if "://" in value.text:
            from nexus_lint.tools.urls import url_facts_in_value

            yield from url_facts_in_value(value, item.name, origin)


def _recipes(mk: Makefile, exp: Expander, comments: dict) -> Iterator[Tuple[object, str, Rule]]:
    """Every recipe line through the shell analyser, with its rule's variables:
    (fact, the recipe it stands in, its rule)."""
    from nexus_lint.kinds.embedded import analyse, command_facts, worth_analysing
    from nexus_lint.kinds.yamlcommon import tag_then_push

    envs: Dict[int, dict] = {}
    uses = _Uses(mk)
    for rule in mk.rules:
        if not rule.recipe:
            continue
        scope = exp.scope(rule.targets)
        scripts: List[Tuple[SourcedStr, List[RecipeLine]]] = []
        for line in rule.recipe:
            scripts.append((shell_lines(exp.expand(line.text, scope)), [line]))
        if mk.oneshell:
            scripts = [(SourcedStr.join(_interleave([s for s, _ in scripts])), list(rule.recipe))]
        facts: List[object] = []
        for script, lines in scripts:
            if not worth_analysing(script.text):
                continue
            env = envs.get(id(scope))
            if env is None:
                env = envs[id(scope)] = exp.exports(scope)
            for fact in command_facts(analyse(script, env, comments)):
                if rule.file:
                    fact = _included(fact)
                    if fact is not None:
                        facts.append(fact)
                else:
                    facts.append(_use_site(fact, lines, uses))
        where = f"recipe of `{rule.targets[0]}`" if rule.targets else "recipe"
        if rule.file:
            where += f" in {rule.file}"
        for fact in tag_then_push(facts):
            yield fact, where, rule


def _ci_rules(mk: Makefile, targets) -> set:
    """The ids of the rules make runs for these targets (``""``: the default
    goal, the first target not starting with ``.`` or holding ``%``) and,
    transitively, for their prerequisites; a name with a variable in it is not
    followed."""
    by_target: Dict[str, List[Rule]] = {}
    default = None
    for rule in mk.rules:
        for t in rule.targets:
            by_target.setdefault(t, []).append(rule)
            if default is None and not t.startswith(".") and "%" not in t and "$" not in t:
                default = t
    todo = [t or default for t in targets]
    seen: set = set()
    out: set = set()
    while todo:
        t = todo.pop()
        if t is None or t in seen or "$" in t:
            continue
        seen.add(t)
        for rule in by_target.get(t, ()):
            out.add(id(rule))
            todo.extend(rule.prerequisites)
    return out


class _Uses:
    """Where a recipe uses a variable whose literal a fact came from: the
    variable's own reference, or that of a variable whose value refers to it
    (``IMAGE = $(REGISTRY)/app`` used as ``$(IMAGE)``)."""

    def __init__(self, mk: Makefile) -> None:
        self.spans: List[Tuple[int, int, str]] = []  # where each assignment's value stands, and its name
        self.refs: Dict[str, List[str]] = {}  # name -> names of variables whose values refer to it
        self._sorted = False
        self._starts: List[int] = []
        for item in mk.items:
            if isinstance(item, Assignment):
                ext = item.value.extent()
                if ext is not None:
                    self.spans.append((ext[0], ext[1], item.name))
                for m in _REF.finditer(item.value.text):
                    self.refs.setdefault(m.group(1) or m.group(2), []).append(item.name)

    def names(self, offset: int) -> List[str]:
        if not self._sorted:
            self.spans.sort()
            self._starts = [s for s, _e, _n in self.spans]
            self._sorted = True
        i = bisect.bisect_right(self._starts, offset)
        found = [n for s, e, n in self.spans[max(0, i - 1):i] if s <= offset < e]
        seen = set(found)
        i = 0
        while i < len(found) and len(found) < 50:
            for user in self.refs.get(found[i], ()):
                if user not in seen:
                    seen.add(user)
                    found.append(user)
            i += 1
        return found


_REF = lazy_re(r"\$\(([A-Za-z0-9_.-]+)\)|\$\{([A-Za-z0-9_.-]+)\}")


def _use_site(fact, lines: List[RecipeLine], uses: _Uses):
    """A fact whose use landed in a variable's definition gets its use in the
    recipe: the reference that brought the value in, else the recipe line."""
    use = getattr(fact, "use", None)
    if not isinstance(use, tuple) or any(line.start <= use[0] < line.end for line in lines):
        return fact
    names = uses.names(use[0])
    for line in lines:
        text = line.text.text
        for m in _REF.finditer(text):
            if (m.group(1) or m.group(2)) in names:
                span = line.text.span(m.start(), m.end())
                if span is not None:
                    return replace(fact, use=span)
    return replace(fact, use=(lines[0].start, lines[0].end))


def _included(fact):
    """A fact of an included file's recipe counts only through a literal of
    this file (a variable defined here), and stands there."""
    value = getattr(fact, "value", None)
    extent = value.extent() if value is not None and hasattr(value, "extent") else None
    if extent is None:
        return None
    return replace(fact, use=extent)


MAX_INCLUDE_DEPTH = 10
MAX_INCLUDE_BYTES = 10 * 1024 * 1024


class _Includes:
    """``include`` lines: the files they name (relative to the Makefile's
    folder, globs expanded, never outside the repository, each once) read in
    place, so their variables and recipes take part; a name with a variable in
    it is not guessed at."""

    def __init__(self, fs_path: str) -> None:
        import os

        from nexus_lint.core.repo import git_root

        self.folder = os.path.dirname(os.path.abspath(fs_path))
        self.root = git_root(self.folder) or self.folder
        self.seen = {os.path.realpath(fs_path)}

    def splice(self, mk: Makefile, depth: int = 0) -> None:
        out: list = []
        for item in mk.items:
            if not (isinstance(item, Directive) and item.word == "include"):
                out.append(item)
                continue
            for name in item.names:
                for fs, rel in self._files(name):
                    sub = self._read(fs, rel)
                    if sub is None:
                        continue
                    if depth < MAX_INCLUDE_DEPTH:
                        self.splice(sub, depth + 1)
                    mk.oneshell = mk.oneshell or sub.oneshell
                    out.extend(i for i in sub.items if not (isinstance(i, Directive) and i.word == "include"))
        mk.items = out

    def _files(self, name: str) -> List[Tuple[str, str]]:
        import os

        from nexus_lint.core import depends
        from nexus_lint.core.limits import MAX_INCLUDE_FILES
        from nexus_lint.core.repo import repo_glob

        if "$" in name or len(self.seen) > MAX_INCLUDE_FILES:
            return []
        rel = os.path.relpath(os.path.join(self.folder, name), self.root)
        if rel.startswith(".."):
            return []
        found, matched = repo_glob(self.root, rel, MAX_INCLUDE_FILES)
        if matched is not None:
            depends.globbed(os.path.join(self.root, rel), matched)
        out = []
        for fs in found:
            real = os.path.realpath(fs)
            if real in self.seen:
                continue
            self.seen.add(real)
            out.append((fs, os.path.relpath(fs, self.folder).replace(os.sep, "/")))
        return out

    def _read(self, fs: str, rel: str) -> Optional[Makefile]:
        import os

        from nexus_lint.core import depends

        data = None
        try:
            if not os.path.isfile(fs) or os.path.getsize(fs) > MAX_INCLUDE_BYTES:
                return None
            with open(fs, "rb") as fh:
                data = fh.read(MAX_INCLUDE_BYTES + 1)
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        finally:
            depends.read(fs, data)
        return read(text, rel)


def _interleave(scripts: List[SourcedStr]) -> List[SourcedStr]:
    out: List[SourcedStr] = []
    for i, s in enumerate(scripts):
        if i:
            out.append(SourcedStr.unknown("\n"))
        out.append(s)
    return out


def _suppressions(text: str, mk: Makefile, comments: dict, source) -> Iterator[object]:
    """Make comments with a marker, and shell comments in recipe lines."""
    from nexus_lint.kinds.comments import suppressions
    from nexus_lint.kinds.embedded import comment_suppressions
    from nexus_lint.lang.textpos import Comment

    entries: List[Tuple[int, int]] = []
    for item in mk.items:
        if getattr(item, "file", ""):
            continue
        if isinstance(item, Rule):
            for line in item.recipe:
                entries.append((source.line_of(line.start), source.line_of(max(line.start, line.end - 1))))
            _recipe_comments(text, item, comments)
        elif isinstance(item, Assignment):
            entries.append((source.line_of(item.start), source.line_of(max(item.start, item.end - 1))))
    found = [Comment(s, text[s:e], own) for s, e, own in mk.comments if "nexus-lint" in text[s:e]]
    yield from suppressions(source, found, entries)
    yield from comment_suppressions(text, comments, source)


def _recipe_comments(text: str, rule: Rule, comments: dict) -> None:
    """A recipe line that is only a shell comment (never analysed: no command);
    its marker may cover the lines of this recipe only."""
    starts = [ln.start for ln in rule.recipe]
    scope = (min(starts), max(ln.end for ln in rule.recipe)) if starts else None
    for line in rule.recipe:
        t = line.text.text
        body = t.lstrip("@-+ \t")
        if body.startswith("#") and "nexus-lint" in body:
            i = len(t) - len(body)
            start = line.text.offsets[i]
            end = start + len(body.split("\n", 1)[0])
            if start >= 0 and (start, end) not in comments:
                comments[(start, end)] = (_Shim(SourcedStr.literal(text[start:end], start)), scope or (start, end))


class _Shim:
    """What :func:`comment_suppressions` reads of a shell comment."""

    def __init__(self, text: SourcedStr) -> None:
        self.text = text
