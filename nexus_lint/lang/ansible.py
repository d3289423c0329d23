"""Ansible's YAML dialect, with positions: what a file is (playbook, task list,
inventory), a task's module and its ``key=value`` arguments, and Jinja
``{{ ... }}`` expressions rendered with the variables a file gives.

Knows nothing of Nexus: :mod:`nexus_lint.kinds.ansible_facts` reads the facts.

Jinja: ``{{ name }}`` (and ``{{ name | default('x') }}``) becomes the value of
``name`` when the caller's variables give it as text (each character keeps its
offset where it is written), anything else (``lookup('env', ...)``,
``lookup('hashi_vault', ...)``, filters, facts, ``{% %}`` blocks) becomes
:data:`UNKNOWN`: never a literal, never an error.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr

# What an unknown Jinja expression becomes: an unset shell variable (the shell
# analyser sees an unknown word part) and text no image name may hold.
UNKNOWN = "${__jinja__}"
MAX_RESOLVE = 8  # variables through variables
MAX_VALUE_CHARS = 65_536

Vars = Dict[str, Optional[SourcedStr]]  # variable -> its text as written (unrendered), None: unknown

_JINJA = lazy_re(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SIMPLE = lazy_re(
    r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\|\s*(?:default|d)\s*\(\s*(?:'([^'\\]*)'|\"([^\"\\]*)\")\s*(?:,\s*(?:true|false|True|False)\s*)?\)\s*)?\Z"
)
_KV = lazy_re(r"""(?:^|(?<=\s))([A-Za-z_][A-Za-z0-9_]*)=((?:"(?:[^"\\]|\\.)*"|'[^']*'|\{\{.*?\}\}|[^\s'"{]|\{(?!\{))+)""",
              re.S)
_PLAYBOOK_TEXT = lazy_re(r"(?m)^-[ \t]+(?:hosts|import_playbook|ansible\.builtin\.import_playbook)[ \t]*:")
_SAFE_WORD = lazy_re(r"^[A-Za-z0-9_@%+=:,./-]+$")

# Keywords of a task (everything else in a task mapping may be its module).
TASK_KEYWORDS = frozenset("""
    name action local_action args vars when loop loop_control register become become_user become_method
    become_flags become_exe tags notify environment delegate_to delegate_facts ignore_errors ignore_unreachable
    failed_when changed_when retries delay until no_log block rescue always listen run_once check_mode diff
    any_errors_fatal collections module_defaults connection throttle timeout debugger port remote_user async poll
    vars_files vars_prompt
""".split())
PLAY_KEYS = frozenset({"hosts", "import_playbook", "ansible.builtin.import_playbook"})
_PLAY_BODY_KEYS = frozenset({"tasks", "roles", "pre_tasks", "post_tasks", "handlers", "vars", "gather_facts",
                             "become", "collections"})
# Keys that make a list item a task (with the module names a reader knows).
TASK_MARKERS = frozenset({
    "block", "include_tasks", "import_tasks", "include_role", "import_role", "include", "set_fact", "debug",
    "template", "copy", "file", "service", "systemd", "lineinfile", "package", "apt", "user", "group", "assert",
    "fail", "stat", "wait_for", "meta", "shell", "command", "raw", "script", "action", "local_action",
})


# A role's own variables, which its task files use (lowest precedence first).
ROLE_VARS = ("defaults/main.yml", "defaults/main.yaml", "vars/main.yml", "vars/main.yaml")


def role_dir(path: str) -> Optional[str]:
    """The role folder of a task or handler file (``roles/web`` for
    ``roles/web/tasks/main.yml``; ``""`` for a role at the root), else None."""
    parts = path.replace("\\", "/").split("/")[:-1]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("tasks", "handlers"):
            return "/".join(parts[:i])
    return None


def role_var_files(fs_path: str) -> List[str]:
    import os

    found = role_dir(fs_path)
    if found is None:
        return []
    return [os.path.join(found or ".", name) for name in ROLE_VARS]


def short_name(key: str) -> str:
    """``ansible.builtin.get_url`` -> ``get_url``; ``community.docker.docker_image`` -> ``docker_image``."""
    parts = key.split(".")
    return parts[-1] if len(parts) >= 3 else key


# ---------------------------------------------------------------------------
# What a file is
# ---------------------------------------------------------------------------


def _keys(mapping) -> List[str]:
    import yaml

    return [k.value for k, _v in mapping.value if isinstance(k, yaml.ScalarNode)]


def is_playbook(docs: list) -> bool:
    """A top-level list of plays (``hosts:`` with tasks or roles, or ``import_playbook:``)."""
    import yaml

    for doc in docs:
        if not isinstance(doc, yaml.SequenceNode) or not doc.value:
            return False
        for item in doc.value:
            if not isinstance(item, yaml.MappingNode):
                return False
            keys = set(_keys(item))
            if not keys & PLAY_KEYS or ("hosts" in keys and not keys & _PLAY_BODY_KEYS):
                return False
    return bool(docs)


def looks_like_playbook(text: str) -> bool:
    """Text (perhaps broken YAML) that starts a play at column 0 (``- hosts: ...``)."""
    return _PLAYBOOK_TEXT.search(text) is not None


def is_task_list(docs: list, modules: frozenset = frozenset()) -> bool:
    """A top-level list of tasks: each item has a key that is no task keyword
    (its module) and a ``name`` or a known module (``modules``, a known task
    keyword, or any ``namespace.collection.module``)."""
    import yaml

    for doc in docs:
        if not isinstance(doc, yaml.SequenceNode):
            return False
        for item in doc.value:
            if not isinstance(item, yaml.MappingNode):
                return False
            keys = _keys(item)
            named = "name" in keys or any(short_name(k) in modules or short_name(k) in TASK_MARKERS
                                          or k.count(".") >= 2 for k in keys)
            if not named or not any(k not in TASK_KEYWORDS for k in keys):
                return False
    return bool(docs)


def is_inventory(docs: list) -> bool:
    """A YAML inventory: groups (``all:``, ...) of ``hosts``, ``children`` and ``vars``."""
    import yaml

    from nexus_lint.lang import yamldoc

    for doc in docs:
        if not isinstance(doc, yaml.MappingNode) or not doc.value:
            return False
        for _name, _k, group in yamldoc.items(doc):
            if not isinstance(group, yaml.MappingNode):
                return False
            keys = {k for k, _kn, _v in yamldoc.items(group)}
            if not keys or not keys <= {"hosts", "children", "vars"}:
                return False
    return bool(docs)


# ---------------------------------------------------------------------------
# Module arguments
# ---------------------------------------------------------------------------


def parse_kv(raw: SourcedStr) -> Dict[str, SourcedStr]:
    """``url=https://x dest=/tmp mode='0644'``: each ``key=value`` (quotes removed,
    a ``{{ ... }}`` kept whole), every character at its place."""
    out: Dict[str, SourcedStr] = {}
    for m in _KV.finditer(raw.text):
        v = raw[m.start(2):m.end(2)]
        if len(v.text) >= 2 and v.text[0] == v.text[-1] and v.text[0] in "'\"":
            v = v[1:-1]
        out[m.group(1)] = v
    return out


# The parameters ``shell``/``command`` take from their free form (``cmd chdir=/x creates=/y``).
RAW_PARAMS = frozenset({"chdir", "creates", "removes", "executable", "warn", "stdin", "stdin_add_newline",
                        "strip_empty_ends", "expand_argument_vars"})


def free_form(raw: SourcedStr) -> SourcedStr:
    """The command of a ``shell``/``command`` free form: ``key=value`` words of
    :data:`RAW_PARAMS` taken out, as Ansible does."""
    parts: List[SourcedStr] = []
    pos = 0
    for m in _KV.finditer(raw.text):
        if m.group(1) in RAW_PARAMS:
            parts.append(raw[pos:m.start()])
            pos = m.end()
    if not parts:
        return raw
    parts.append(raw[pos:])
    return SourcedStr.join(parts)


def argv_script(words: List[Optional[SourcedStr]]) -> Optional[SourcedStr]:
    """``argv:`` as one shell line whose words are exactly the list's items
    (quoted where needed; a quote the line adds has no place in the file)."""
    parts: List[SourcedStr] = []
    for w in words:
        if w is None:
            return None
        if parts:
            parts.append(SourcedStr.unknown(" "))
        if w.text and _SAFE_WORD.match(w.text):
            parts.append(w)
            continue
        parts.append(SourcedStr.unknown("'"))
        pos = 0
        for i, piece in enumerate(w.text.split("'")):
            if i:
                parts.append(SourcedStr.unknown("'\\''"))
                pos += 1
            parts.append(w[pos:pos + len(piece)])
            pos += len(piece)
        parts.append(SourcedStr.unknown("'"))
    return SourcedStr.join(parts) if parts else None


# ---------------------------------------------------------------------------
# Jinja
# ---------------------------------------------------------------------------


def render(value: SourcedStr, variables: Vars, depth: int = 0) -> Tuple[SourcedStr, Tuple[str, ...]]:
    """``value`` with its Jinja expressions replaced (see the module docstring).
    Returns (text, the variables it came through)."""
    text = value.text
    if "{" not in text:
        return value, ()
    parts: List[SourcedStr] = []
    via: List[str] = []
    pos = 0
    size = 0
    for m in _JINJA.finditer(text):
        parts.append(value[pos:m.start()])
        got = _expression(value, m, variables, depth, via) if m.group(1) is not None else None
        if got is None:
            got = SourcedStr.unknown(UNKNOWN)
        size += len(got)
        if size > MAX_VALUE_CHARS:
            return SourcedStr.unknown(UNKNOWN), tuple(via)
        parts.append(got)
        pos = m.end()
    parts.append(value[pos:])
    return SourcedStr.join(parts), tuple(dict.fromkeys(via))


def _expression(value: SourcedStr, m, variables: Vars, depth: int, via: List[str]) -> Optional[SourcedStr]:
    simple = _SIMPLE.match(value.text, m.start(1), m.end(1))
    if simple is None:
        return None
    name = simple.group(1)
    raw = variables.get(name) if depth < MAX_RESOLVE else None
    if raw is not None:
        got, inner = render(raw, variables, depth + 1)
        via.append(name)
        via.extend(inner)
        return got
    if name not in variables and (simple.group(2) is not None or simple.group(3) is not None):
        g = 2 if simple.group(2) is not None else 3
        return value[simple.start(g):simple.end(g)]
    return None
