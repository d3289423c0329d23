"""How an Ansible file is read (see :mod:`nexus_lint.kinds.ansible`).

The shape of the file decides how it is read:

* a playbook (a top-level list of plays: mappings with ``hosts:`` or
  ``import_playbook:``): each play's ``vars:`` and ``environment:``, then its
  ``pre_tasks``, ``tasks``, ``post_tasks`` and ``handlers``;
* a task list (role ``tasks/``, ``handlers/``): each task, ``block:``,
  ``rescue:`` and ``always:`` with their own ``vars:``/``environment:``;
* a mapping in a vars location (``group_vars``, ``host_vars``, role
  ``defaults``/``vars``) or an inventory (``all:``/groups with ``hosts``,
  ``children``, ``vars``): variables.

A task's module is found by its FQCN or short name (``ansible.builtin.get_url``
and ``get_url`` alike, any collection's ``ns.collection.name``); its arguments
come from the module's mapping, its ``key=value`` string (or free form for
``shell``/``command``/``raw``/``script``) and the task's ``args:``.

Jinja: ``{{ name }}`` (and ``{{ name | default('x') }}``) is replaced by the
value of ``name`` when the file gives it as a literal in a ``vars:`` that is in
scope (play, block, task; in a vars file, the file's own variables), so a
finding lands on that literal; any other expression (``lookup('env', ...)``,
``lookup('hashi_vault', ...)``, filters, facts, ``{% %}``) is an unknown part:
never a literal, never an error.  An image whose name is unknown gives no
fact (an unknown tag alone still leaves the registry and name to judge).
``!vault`` values are references.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from nexus_lint.core.model import BROWSE, CredentialFact, ImageFact, UrlFact
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.kinds.ansible_modules import MODULES, ModuleReaders, path_role
from nexus_lint.lang.ansible import (TASK_KEYWORDS, UNKNOWN, is_inventory, is_playbook, is_task_list,
                                     looks_like_playbook, parse_kv, render, role_dir, role_var_files, short_name)

MAX_TASKS = 50_000
MAX_DEPTH = 20  # nested blocks

_NULL = "tag:yaml.org,2002:null"
_VAULT = "!vault"
_TRUE = frozenset({"true", "yes", "on", "1", "y"})
PLAY_BODIES = ("pre_tasks", "tasks", "post_tasks", "handlers")
_VARS_FOLDERS = ("defaults/", "vars/", "group_vars/", "host_vars/", "inventory/", "inventories/")

Args = Dict[str, object]  # argument -> YAML node or SourcedStr
Env = Dict[str, Optional[SourcedStr]]  # variable -> its text as written, or None when its value is unknown
Environment = Dict[str, SourcedStr]  # the process environment a task runs with (rendered)


def extract_file(source, context, where: str) -> Optional[List[object]]:
    """The facts of a file the ansible kind claimed by its path (``where``:
    ``tasks``, ``vars`` or ``hint``), or ``None`` when the content says it is
    no Ansible file (the caller reads it as other YAML)."""
    from nexus_lint.kinds.yamlcommon import load_yaml

    text = source.text
    relpath = context.path
    name = relpath.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    if where == "vars" and ext not in ("", "yml", "yaml", "json"):
        return []  # group_vars/README.md and the like
    if text.lstrip().startswith("$ANSIBLE_VAULT"):
        return []  # a whole file encrypted with ansible-vault
    docs, problem = load_yaml(text)
    if problem is not None:
        if where != "hint" or looks_like_playbook(text):
            return [problem]
        return None
    if where == "tasks":
        shape = "tasks" if _all_sequences(docs) else "vars"
    elif where == "vars":
        shape = "vars"
    elif is_playbook(docs):
        shape = "playbook"
    elif is_task_list(docs, MODULES):
        shape = "tasks"
    elif is_inventory(docs):
        shape = "vars"
    elif _all_mappings(docs) and any(("/" + f) in "/" + relpath for f in _VARS_FOLDERS):
        shape = "vars"
    else:
        return None
    role_vars = _role_vars(getattr(source, "fs_path", None)) if shape == "tasks" else {}
    return list(read(source, docs, shape, role_vars))


MAX_ROLE_VARS_BYTES = 1 << 20


def _role_vars(fs_path: Optional[str]) -> Env:
    """The variables the role's ``defaults/main.yml`` and ``vars/main.yml`` give
    a task file of the role: their text has no place in this file (a finding
    on such a value points at the use, with no fix)."""
    import os

    import yaml

    from nexus_lint.core.source import Unreadable, read_file
    from nexus_lint.lang import yamldoc

    out: Env = {}
    if not fs_path:
        return out
    root = role_dir(fs_path) or "."
    for path in role_var_files(fs_path):
        if not os.path.isfile(path):
            continue
        try:  # never a FIFO, never a link out of the role, never past the size limit
            text = read_file(path, MAX_ROLE_VARS_BYTES, root).decode("utf-8-sig")
            docs = yamldoc.load(text)
        except (Unreadable, UnicodeDecodeError, yamldoc.YamlError):
            continue
        for doc in docs[:1]:
            for key, _k, v in yamldoc.items(doc):
                plain = isinstance(v, yaml.ScalarNode) and v.tag not in (_NULL, _VAULT) and v.value != ""
                out[key] = SourcedStr.unknown(v.value) if plain else None
    return out


def _all_sequences(docs) -> bool:
    import yaml

    return all(isinstance(d, yaml.SequenceNode) for d in docs)


def _all_mappings(docs) -> bool:
    import yaml

    return bool(docs) and all(isinstance(d, yaml.MappingNode) for d in docs)


def read(source, docs: list, shape: str, role_vars: Optional[Env] = None) -> Iterator[object]:
    """Every fact of an Ansible file of ``shape`` (``playbook``, ``tasks``, ``vars``)
    whose YAML is ``docs``: module facts, credentials, suppressions."""
    from nexus_lint.kinds.yamlcommon import yaml_credentials, yaml_suppressions

    from nexus_lint.values.secrets import is_test_path

    text = source.text
    reader = _Reader(text)
    reader.test_code = is_test_path(source.path)  # fixtures: only token shapes and admin123
    facts = list(reader.facts(docs, shape, role_vars or {}))
    yield from facts
    vaults = reader.vault_spans(docs)
    for fact in yaml_credentials(docs, text, "ansible", skip=reader.skip, test_code=reader.test_code):
        if vaults and isinstance(fact, CredentialFact) and _inside(fact.use, vaults):
            continue
        if isinstance(fact, CredentialFact) and _a_number_about_a_secret(fact):
            continue
        yield fact
    if "nexus-lint" in text:
        yield from yaml_suppressions(text, docs, source)
        if reader.comments:
            from nexus_lint.kinds.embedded import comment_suppressions

            yield from comment_suppressions(text, reader.comments, source)


def _run_what_was_built(facts: List[object]) -> List[object]:
    """A container run from an image a task of this file built or loaded
    (``docker_image`` with ``source: build``, ``podman_image`` with ``path``)
    uses that local image: no pull (the tag defaults to ``latest``)."""
    from nexus_lint.core.record import replace

    from nexus_lint.core.model import LOCAL, PULL

    built = {_with_tag(f.value.text) for f in facts if isinstance(f, ImageFact) and f.role == LOCAL}
    if not built:
        return facts
    return [replace(f, role=LOCAL) if isinstance(f, ImageFact) and f.role == PULL and f.origin.endswith(" image")
            and _with_tag(f.value.text) in built else f for f in facts]


def _with_tag(ref: str) -> str:
    last = ref.rsplit("/", 1)[-1]
    return ref if ":" in last or "@" in last else ref + ":latest"


def _a_number_about_a_secret(fact: CredentialFact) -> bool:
    """``fernet_token_expiry_window: 172800``: a number under a key whose last
    word is no credential word is a setting about the secret, not the secret."""
    from nexus_lint.values.secrets import is_secret_key, key_words

    words = key_words(fact.key)
    return bool(words) and fact.value.reveal().text.isdigit() and not is_secret_key(words[-1])


def _inside(span, spans) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


# ---------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------


class _Reader(ModuleReaders):
    def __init__(self, text: str) -> None:
        import yaml

        from nexus_lint.lang import yamldoc

        self.yaml = yaml
        self.yd = yamldoc
        self.text = text
        self.test_code = False
        self.tasks = 0
        self.skip: Set[int] = set()  # mappings whose credentials a module reading reported
        self.comments: Dict[Tuple[int, int], object] = {}
        self._k8s = None
        self.seen: Set[tuple] = set()

    # -- YAML -------------------------------------------------------------------
    def scalar(self, node) -> Optional[SourcedStr]:
        """A scalar's value as written, or None (not a scalar, null, ``!vault``)."""
        if isinstance(node, SourcedStr):
            return node
        if not isinstance(node, self.yaml.ScalarNode) or node.tag in (_NULL, _VAULT):
            return None
        return self.yd.scalar(node, self.text)

    def scalars(self, node) -> List[SourcedStr]:
        """A scalar or the scalars of a list (``name: [a, b]``, ``baseurl: [...]``)."""
        if isinstance(node, self.yaml.SequenceNode):
            return [s for s in (self.scalar(n) for n in node.value) if s is not None]
        one = self.scalar(node)
        return [one] if one is not None else []

    def vault_spans(self, docs) -> List[Tuple[int, int]]:
        out = []
        if "!vault" not in self.text:
            return out
        for doc in docs:
            for node in self.yd.walk(doc):
                if isinstance(node, self.yaml.ScalarNode) and node.tag == _VAULT:
                    out.append((node.start_mark.index, node.end_mark.index))
        return out

    @staticmethod
    def span(node) -> Tuple[int, int]:
        if isinstance(node, SourcedStr):
            return node.extent() or (0, 0)
        return (node.start_mark.index, node.end_mark.index)

    # -- variables --------------------------------------------------------------------
    def layer(self, node, outer: Env) -> Env:
        """``outer`` with the variables of a ``vars:`` mapping on top."""
        if not isinstance(node, self.yaml.MappingNode):
            return outer
        env = dict(outer)
        for key, _k, v in self.yd.items(node):
            env[key] = self.scalar(v)
        return env

    def render(self, value: SourcedStr, env: Env) -> Tuple[SourcedStr, Tuple[str, ...]]:
        return render(value, env)

    # -- facts ------------------------------------------------------------------
    def facts(self, docs: list, shape: str, role_vars: Env) -> List[object]:
        return _run_what_was_built(list(self._facts(docs, shape, role_vars)))

    def _facts(self, docs: list, shape: str, role_vars: Env) -> Iterator[object]:
        for doc in docs:
            if shape == "playbook":
                for play in doc.value:
                    yield from self.play(play)
            elif shape == "tasks":
                yield from self.task_list(doc, role_vars, {}, 0)
            else:
                yield from self.vars_file(doc)

    def play(self, play) -> Iterator[object]:
        if not isinstance(play, self.yaml.MappingNode):
            return
        env = self.layer(self.yd.get(play, "vars"), {})
        environment = self.environment(self.yd.get(play, "environment"), env, {})
        yield from self.env_urls(self.yd.get(play, "environment"), env)
        yield from self.vars_urls(self.yd.get(play, "vars"), env)
        for body in PLAY_BODIES:
            yield from self.task_list(self.yd.get(play, body), env, environment, 0)

    def task_list(self, node, env: Env, environment: Dict[str, SourcedStr], depth: int) -> Iterator[object]:
        if not isinstance(node, self.yaml.SequenceNode) or depth > MAX_DEPTH:
            return
        for task in node.value:
            if not isinstance(task, self.yaml.MappingNode):
                continue
            self.tasks += 1
            if self.tasks > MAX_TASKS:
                return
            t_env = self.layer(self.yd.get(task, "vars"), env)
            t_environment = self.environment(self.yd.get(task, "environment"), t_env, environment)
            yield from self.env_urls(self.yd.get(task, "environment"), t_env)
            for key in ("block", "rescue", "always"):
                yield from self.task_list(self.yd.get(task, key), t_env, t_environment, depth + 1)
            yield from self.task(task, t_env, t_environment)
            found = self.module(task)
            if found is not None and found[0] == "set_fact":  # later tasks see literal facts
                args = self.args(task, found[1], found[2])
                env = dict(env)
                for k, v in args.items():
                    if k not in ("cacheable",):
                        env[k] = self.scalar(v) if not isinstance(v, SourcedStr) else v

    def vars_file(self, doc) -> Iterator[object]:
        """A vars file or inventory: URLs in its values (the role by the variable's name)."""
        if not isinstance(doc, self.yaml.MappingNode):
            return
        env: Env = {}
        mappings = []
        for node in self.yd.walk(doc):
            if isinstance(node, self.yaml.MappingNode):
                mappings.append(node)
                for key, _k, v in self.yd.items(node):
                    if key not in env:
                        env[key] = self.scalar(v)
        for node in mappings:
            yield from self.vars_urls(node, env)
        yield from self.k8s_reader().document(doc)

    def vars_urls(self, node, env: Env) -> Iterator[object]:
        from nexus_lint.tools.urls import url_facts_in_value

        for key, _k, v in self.yd.items(node):
            raw = self.scalar(v)
            if raw is None or "://" not in raw.text:
                continue
            value, via = self.render(raw, env)
            yield from url_facts_in_value(value, key, f"variable {key}", raw.extent() or self.span(v), via)

    def environment(self, node, env: Env, outer: Dict[str, SourcedStr]) -> Dict[str, SourcedStr]:
        if not isinstance(node, self.yaml.MappingNode):
            return outer
        out = dict(outer)
        for key, _k, v in self.yd.items(node):
            raw = self.scalar(v)
            if raw is not None:
                out[key], _via = self.render(raw, env)
        return out

    def env_urls(self, node, env: Env) -> Iterator[object]:
        """``environment: {PIP_INDEX_URL: ...}``: URLs by the variable's role."""
        from nexus_lint.tools.urls import role_for_key, url_facts_in_value

        for key, _k, v in self.yd.items(node):
            raw = self.scalar(v)
            if raw is None or "://" not in raw.text or role_for_key(key) == BROWSE:
                continue
            value, via = self.render(raw, env)
            yield from url_facts_in_value(value, key, f"environment {key}", raw.extent() or self.span(v), via)

    # -- one task ---------------------------------------------------------------
    def module(self, task) -> Optional[Tuple[str, object, object]]:
        """(short module name, key node, value node) of a task's module."""
        for k, v in task.value:
            if not isinstance(k, self.yaml.ScalarNode):
                continue
            key = k.value
            if key in ("action", "local_action"):
                if isinstance(v, self.yaml.MappingNode):
                    mod = self.yd.get(v, "module")
                    if isinstance(mod, self.yaml.ScalarNode):
                        return short_name(mod.value), k, v
                elif isinstance(v, self.yaml.ScalarNode):
                    word = v.value.split(None, 1)[0] if v.value.strip() else ""
                    return short_name(word), k, v
                continue
            if key in TASK_KEYWORDS or key.startswith("with_"):
                continue
            name = short_name(key)
            if name in MODULES:
                return name, k, v
        return None

    def args(self, task, key_node, value) -> Args:
        """The module's arguments: the task's ``args:``, then the module's own mapping or ``k=v`` string."""
        out: Args = {}
        for key, _k, v in self.yd.items(self.yd.get(task, "args")):
            out[key] = v
        if isinstance(value, self.yaml.MappingNode):
            for key, _k, v in self.yd.items(value):
                if key != "module":
                    out[key] = v
        elif isinstance(value, self.yaml.ScalarNode) and value.tag not in (_NULL, _VAULT):
            raw = self.yd.scalar(value, self.text)
            if key_node.value in ("action", "local_action"):
                first = raw.text.lstrip().split(None, 1)[0] if raw.text.strip() else ""
                start = raw.text.find(first) + len(first)
                raw = raw[start:]
            out.update(parse_kv(raw))
            out["_raw_params"] = raw
        return out

    def task(self, task, env: Env, environment: Dict[str, SourcedStr]) -> Iterator[object]:
        found = self.module(task)
        if found is None:
            return
        name, key_node, value = found
        args = self.args(task, key_node, value)
        handler = getattr(self, "_m_" + name, None)
        if handler is None:
            return
        yield from handler(task, key_node, args, env, environment)

    # -- helpers for the module readers ---------------------------------------------
    def arg(self, args: Args, *names: str) -> Optional[object]:
        for n in names:
            if n in args:
                return args[n]
        return None

    def flag(self, args: Args, name: str, default: bool = False) -> bool:
        v = self.scalar(args.get(name))
        if v is None:
            return default
        return v.text.strip().lower() in _TRUE

    def text_arg(self, args: Args, name: str) -> str:
        v = self.scalar(args.get(name))
        return v.text.strip().lower() if v is not None else ""

    def image(self, node, role: str, origin: str, env: Env) -> Iterator[ImageFact]:
        from nexus_lint.tools.images import known_name

        raw = self.scalar(node)
        if raw is None:
            return
        value, via = self.render(raw, env)
        value = value.strip()
        if UNKNOWN in value.text:
            value = known_name(value)
        if value is None or not value.text or "{" in value.text:
            return
        fact = ImageFact(value, role, origin, raw.extent() or self.span(node), via)
        key = (value.text, value.offsets.tobytes(), role, origin)
        if key not in self.seen:
            self.seen.add(key)
            yield fact

    def urls(self, node, role: str, origin: str, env: Env, method: Optional[str] = None) -> Iterator[UrlFact]:
        from nexus_lint.values.urls import find_urls

        for raw in self.scalars(node):
            value, via = self.render(raw, env)
            use = raw.extent() or self.span(node if not isinstance(node, self.yaml.SequenceNode) else raw)
            for s, e in find_urls(value.text):
                part = value[s:e]
                yield UrlFact(part, path_role(part.text, role), origin, use, via, method)

    def shell(self, script: SourcedStr, env: Env, environment: Dict[str, SourcedStr]) -> Iterator[object]:
        from nexus_lint.kinds.embedded import analyse, command_facts, worth_analysing

        value, _via = self.render(script, env)
        if not value.text.strip() or not worth_analysing(value.text):
            return
        # a variable whose value has an unknown part is, to the shell, an unknown value
        shell_env = {k: None if UNKNOWN in v.text else v for k, v in environment.items()}
        yield from command_facts(analyse(value, shell_env, self.comments))

    def k8s_reader(self):
        if self._k8s is None:
            from nexus_lint.kinds.kubernetes_facts import Reader

            self._k8s = Reader(self.text)
        return self._k8s


