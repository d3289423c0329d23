"""What the jobs of a GitLab CI configuration use (see :mod:`nexus_lint.kinds.gitlab`):
images and services with their variables expanded, every script line through
the shell analyser with the job's environment, and the scripts the pipeline
runs.  The merged configuration is :mod:`nexus_lint.kinds.gitlab_config`."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import PULL, CredentialFact, ImageFact, LoginFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.kinds.gitlab_config import MAX_LIST_ITEMS, CiFile, Config, Entry, Resolver, Val, repo_root
from nexus_lint.kinds.yamlcommon import tag_then_push, yaml_file

SCRIPT_KEYS = ("before_script", "script", "after_script")
MAX_ANALYSES = 20_000

_WORDS = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*")


def extract(source, context) -> Iterator[object]:
    """The facts of a GitLab CI file and of what it includes."""

    comments: dict = {}  # the scripts' shell comments with a marker
    # literal secrets in `variables:` (every level), `DOCKER_AUTH_CONFIG`, tokens anywhere
    return yaml_file(source, "gitlab", lambda docs: _facts(source, context, docs, comments), comments=comments)


def _facts(source, context, docs: list, comments: dict) -> List[object]:
    """What every job uses, in the configuration merged with its local includes."""
    from nexus_lint.tools.images import run_what_was_built

    main = CiFile(context.path if context is not None else source.path, source.text, True, docs)
    fs_path = getattr(source, "fs_path", None)
    pipeline = _Pipeline(Config(main, repo_root(fs_path), fs_path), comments)
    return run_what_was_built(list(pipeline.facts()))  # a job runs what another built


# ---------------------------------------------------------------------------
# What the jobs use
# ---------------------------------------------------------------------------


class _Pipeline:
    """The images and scripts of every job of a merged configuration."""

    def __init__(self, cfg: Config, comments: dict) -> None:
        self.cfg = cfg
        self.yaml = cfg.yaml
        self.yd = cfg.yd
        self._analyses: Dict[tuple, tuple] = {}
        self._names: Dict[int, frozenset] = {}
        self.comments = comments  # shell comments with a marker, by (start, end)

    # -- facts ------------------------------------------------------------------
    def facts(self) -> Iterator[object]:
        seen: Set[tuple] = set()
        names = self.cfg.job_names()
        extended = self._used_templates(names)
        runs: List[Tuple[Optional[str], bool]] = [(None, bool(names))]
        for name in names:
            # A template some job extends is evaluated with its users' variables
            # there; on its own it only reports what does not depend on variables.
            runs.append((name, name.startswith(".") and name in extended))
        for name, literal_only in runs:
            for fact in self._job_facts(name):
                if literal_only and (fact.via or isinstance(fact, LoginFact)):
                    continue  # a template's login serves the jobs that use it: judged there
                if isinstance(fact, CredentialFact):
                    key = (fact.kind, fact.key, fact.value.extent(), fact.use, fact.argument, fact.literal)
                elif isinstance(fact, LoginFact):
                    key = (fact.value.text, fact.value.offsets.tobytes(), fact.use, fact.scope)
                else:
                    key = (fact.value.text, fact.value.offsets.tobytes(), fact.role, fact.origin, fact.use)
                if key in seen:
                    continue
                seen.add(key)
                yield fact

    def _used_templates(self, names: List[str]) -> Set[str]:
        """Jobs another job builds on: ``extends``, ``<<: *anchor``, ``!reference``."""

        used: Set[str] = set()
        for name in names:
            m = self.cfg.as_map(self.cfg.top.get(name))
            if m is not None:
                used.update(self.cfg.names(m.get("extends")))
        by_node: Dict[int, str] = {}
        for name in names:
            e = self.cfg.top.get(name)
            if isinstance(e, Val):
                by_node[id(e.node)] = name
        for f in self.cfg.files:
            for doc in f.docs:
                for node in self.yd.walk(doc):
                    if self.yd.is_reference(node) and node.value and isinstance(node.value[0], self.yaml.ScalarNode):
                        used.add(node.value[0].value)
                    elif isinstance(node, self.yaml.MappingNode):
                        for k, v in node.value:
                            if k.tag == self.yd.MERGE_TAG:
                                for src in (v.value if isinstance(v, self.yaml.SequenceNode) else [v]):
                                    if id(src) in by_node:
                                        used.add(by_node[id(src)])
        return used

    def _job_facts(self, name: Optional[str]) -> Iterator[object]:
        job, raw = self.cfg.effective(name)
        resolve = Resolver(raw)
        for var in raw:
            # URLs in CI variables (PIP_INDEX_URL, NPM_CONFIG_REGISTRY, ...), when
            # their literal is in this file.
            val = resolve.value(var)
            if val is not None and "://" in val.text and val.extent() is not None:
                from nexus_lint.tools.urls import url_facts_in_value

                yield from url_facts_in_value(val, var, f"variables: {var}")
        image = job.get("image")
        if image is not None:
            fact = self._image(image, "image:", resolve)
            if fact is not None:
                yield fact
        services = job.get("services")
        if services is not None:
            for item in self._service_items(services):
                fact = self._image(item, "services:", resolve)
                if fact is not None:
                    yield fact
        if not any(k in job for k in SCRIPT_KEYS):
            return
        env = resolve.known()
        from nexus_lint.tools.logins import in_scope

        job_name = "(default)" if name is None else name
        for group in (("before_script", "script"), ("after_script",)):
            cur_env = env  # before_script and script share one shell; after_script has its own
            session: List[ImageFact] = []
            for key in group:
                for v in self.cfg.as_list(job.get(key)):
                    cur_env, facts = self._script(v, cur_env)
                    session.extend(facts)
            # A login (in the job, its template or the default before_script)
            # serves the pushes and pulls of the same shell session (NX107).
            yield from in_scope(tag_then_push(session), f"gitlab job {job_name} {group[-1]}")

    def _service_items(self, e: Entry) -> List[Entry]:
        e = self.cfg.deref(e)
        if isinstance(e, Val) and isinstance(e.node, self.yaml.SequenceNode):
            out: List[Entry] = []
            for item in e.node.value[:MAX_LIST_ITEMS]:
                d = self.cfg.deref(Val(item, e.file))
                if isinstance(d, Val) and isinstance(d.node, self.yaml.SequenceNode):
                    out.extend(Val(x, d.file) for x in d.node.value[:MAX_LIST_ITEMS])
                elif d is not None:
                    out.append(d)
            return out
        return [e] if e is not None else []

    def _image(self, e: Entry, origin: str, resolve: Resolver) -> Optional[ImageFact]:
        m = self.cfg.as_map(e)
        if m is not None:
            e = m.get("name")
        v = self.cfg.scalar(e)
        if v is None:
            return None
        raw = self.cfg.sval(v)
        if not raw.text.strip():
            return None
        via: List[str] = []
        value = resolve.expand(raw, via)
        if value is None:
            # Only the tag or digest unknown (`$REG/app:$CI_COMMIT_SHA`): judge the name.
            from nexus_lint.tools.images import known_name

            partial = resolve.expand(raw, via, keep_unknown=True)
            value = known_name(partial.strip()) if partial is not None else None
            if value is None:
                return None
        value = value.strip()
        if not value.text:
            return None
        fact = ImageFact(value, PULL, origin, raw.extent() or (0, 0), tuple(dict.fromkeys(via)))
        return fact if v.file.main else _foreign(fact, v.file)

    # -- scripts ----------------------------------------------------------------
    def _script(self, v: Val, env: Dict[str, SourcedStr]) -> Tuple[Dict[str, SourcedStr], List[ImageFact]]:
        """Analyse one script item; returns the environment after it and its facts.

        The analysis is cached by the item and the values of the variables its
        text names, so a template's lines shared by many jobs are analysed once
        per distinct environment that matters to them.
        """
        if not v.node.value.strip():
            return env, []
        names = self._names.get(id(v.node))
        if names is None:
            names = frozenset(_WORDS.findall(v.node.value))
            self._names[id(v.node)] = names
        fp = tuple(sorted((k, env[k].text, env[k].offsets.tobytes()) for k in names if k in env))
        cache_key = (id(v.node), fp)
        hit = self._analyses.get(cache_key)
        if hit is None:
            if len(self._analyses) >= MAX_ANALYSES:
                return env, []
            hit = self._analyse(v, {k: env[k] for k in names if k in env})
            self._analyses[cache_key] = hit
        changed, removed, facts = hit
        if changed or removed:
            env = {k: val for k, val in env.items() if k not in removed}
            env.update(changed)
        return env, facts

    def _analyse(self, v: Val, env: Dict[str, SourcedStr]) -> Tuple[Dict[str, SourcedStr], Set[str], List[ImageFact]]:
        from nexus_lint.kinds.script_memo import memoised

        # Kept across lints (the language server lints the file again on every
        # edit, which changes one job): the same line with the same variables
        # gives the same result, moved to where the line stands now.
        changed, removed, facts = memoised(self.cfg.sval(v), env, lambda s, found: _analyse_line(s, env, found),
                                           self.comments)
        if not v.file.main:
            facts = [f for f in (_foreign(f, v.file) for f in facts) if f is not None]
        return changed, removed, facts


def _analyse_line(script: SourcedStr, env: Dict[str, SourcedStr], comments: dict):
    """((variables it sets, variables it unsets, its facts), complete) for one script line."""
    from nexus_lint.kinds.embedded import analyse, command_facts

    # A no-op command after the script shows the variables it leaves set
    # (GitLab runs the lines of before_script and script in one shell).
    sentinel = not script.text.rstrip(" \t\r\n").endswith("\\")
    text = SourcedStr.join([script, SourcedStr.unknown("\n:")]) if sentinel else script
    analysis = analyse(text, env, comments)
    changed: Dict[str, SourcedStr] = {}
    removed: Set[str] = set()
    if sentinel and analysis.commands:
        last = analysis.commands[-1]
        if last.name == ":" and last.start == -1 and last.depth == 0:
            after = dict(last.env)
            changed = {k: val for k, val in after.items() if k not in env or env[k] != val}
            removed = {k for k in env if k not in after}
    return (changed, removed, list(command_facts(analysis))), not analysis.truncated


def _foreign(fact: ImageFact, file: CiFile) -> Optional[ImageFact]:
    """A fact used in an included file: kept only when part of its value is a
    literal of this file (a variable defined here), and then placed there."""
    from nexus_lint.core.record import replace

    extent = fact.value.extent()
    if extent is None:
        return None
    return replace(fact, use=extent, origin=f"{fact.origin} in {file.path}")


# ---------------------------------------------------------------------------
# Scripts the pipeline runs (CI context)
# ---------------------------------------------------------------------------

def ci_scripts(source_text: str) -> List[str]:
    """Repository-relative paths of the scripts this CI file's ``script`` lines run.

    ``./ci/publish.sh``, ``bash scripts/release.sh``, ``sh ci/x.sh``,
    ``source ci/env.sh``, ``python3 tools/push.py``, ``$CI_PROJECT_DIR/ci/x.sh``
    and ``cd ci && ./x.sh`` are found (``./`` dropped, ``cd`` into a known
    relative folder followed).  Every ``script``/``before_script``/``after_script``
    anywhere in the file counts, templates too.  Broken YAML gives ``[]``.
    """
    import yaml

    from nexus_lint.kinds.embedded import analyse
    from nexus_lint.lang import yamldoc
    from nexus_lint.tools.scripts import script_paths

    try:
        docs = yamldoc.load(source_text)
    except yamldoc.YamlError:
        return []
    items: List[object] = []
    seen_nodes: Set[int] = set()
    for doc in docs:
        for node in yamldoc.walk(doc):
            if not isinstance(node, yaml.MappingNode):
                continue
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value in SCRIPT_KEYS:
                    for s in yamldoc.walk(v, 10_000):
                        if isinstance(s, yaml.ScalarNode) and id(s) not in seen_nodes and s.tag != "tag:yaml.org,2002:null":
                            seen_nodes.add(id(s))
                            items.append(s)
    # !reference parts are scalars too: drop the items of reference sequences
    ref_parts: Set[int] = set()
    for doc in docs:
        for node in yamldoc.walk(doc):
            if yamldoc.is_reference(node):
                ref_parts.update(id(x) for x in node.value)
    out: Dict[str, None] = {}
    for node in items[:MAX_LIST_ITEMS]:
        if id(node) in ref_parts:
            continue
        script = yamldoc.scalar(node, source_text)
        for path in script_paths(analyse(script, None)):
            out.setdefault(path, None)
    return list(out)
