"""Make's variables expanded with every character's offset kept, and recipe
lines as make hands them to the shell (see :mod:`nexus_lint.lang.make` for
the reader and what is known and unknown)."""

from __future__ import annotations

import re
from nexus_lint.core.record import record
from typing import Callable, Dict, List, Optional, Tuple

from nexus_lint.core.sourced import UNKNOWN, SourcedStr
from nexus_lint.lang.make import Assignment, Directive, Makefile, _continued

MAX_DEPTH = 40  # nested variable expansions followed before a value is unknown
MAX_WORK = 20_000  # references expanded for one text before the rest is unknown
MAX_LENGTH = 200_000  # characters an expansion may reach before it is unknown


# ---------------------------------------------------------------------------
# Expansion
# ---------------------------------------------------------------------------


@record
class Var:
    value: Optional[SourcedStr]  # None: unknown (`!=`, or built from an unknown)
    recursive: bool
    export: Optional[bool] = None
    origin: str = ""  # the variable's name, for `via`


FUNCTIONS = frozenset(
    "subst patsubst strip findstring filter filter-out sort word wordlist words firstword lastword dir notdir "
    "suffix basename addsuffix addprefix join wildcard realpath abspath error warning info shell origin flavor "
    "foreach if or and call eval file value let intcmp guile".split())
AUTOMATIC = frozenset("@<^+?*%|")


_SHELL_KEYWORDS = frozenset("if then else elif fi for while until do done case esac function select in time".split())


def placeholder(ref: str) -> SourcedStr:
    """An unknown reference as text the shell reads as an unknown value: a
    command substitution named after the variable or function (``$(VERSION)``,
    ``$(shell)``, ``$(@)``), offsets unknown."""
    words = ref.split()
    name = re.sub(r"[^A-Za-z0-9_.@-]", "_", words[0] if words else "_")[:40] or "_"
    if name in _SHELL_KEYWORDS or "@" in name[1:]:
        name = "_" + name.replace("@", "_")
    return SourcedStr.unknown(f"$({name})")


class Expander:
    """Variables of a makefile, and the expansion of text with them."""

    def __init__(self, mk: Makefile, unknown: Callable[[str], SourcedStr] = placeholder) -> None:
        self.unknown = unknown
        self.globals: Dict[str, Var] = {}
        self.specific: List[Tuple[Tuple[str, ...], Assignment]] = []
        self._by_target: Optional[Dict[str, List[int]]] = None  # exact target -> indexes into specific
        self._patterns: List[int] = []  # indexes of pattern-specific assignments
        self.export_all = False
        self.exported: Dict[str, bool] = {}
        self._work = 0
        for item in mk.items:
            if isinstance(item, Assignment):
                if item.targets:
                    self.specific.append((item.targets, item))
                else:
                    self._assign(self.globals, item, self.globals)
            elif isinstance(item, Directive):
                if item.word == "undefine":
                    for n in item.names:
                        self.globals.pop(n, None)
                elif not item.names:
                    self.export_all = item.word == "export"
                else:
                    for n in item.names:
                        self.exported[n] = item.word == "export"
        if ".EXPORT_ALL_VARIABLES" in {t for r in mk.rules for t in r.targets}:
            self.export_all = True

    def _assign(self, table: Dict[str, Var], a: Assignment, scope: Dict[str, Var]) -> None:
        name = a.name
        if "$" in name:
            expanded = self.expand(SourcedStr.unknown(name), scope)
            if expanded is None or "$(" in expanded.text:
                return
            name = expanded.text.strip()
        old = table.get(name)
        if a.export is not None:
            self.exported[name] = a.export
        if a.op == "?=":
            if old is not None:
                return
            table[name] = Var(a.value, True, origin=name)
        elif a.op == "=":
            table[name] = Var(a.value, True, origin=name)
        elif a.op in (":=", "::="):
            table[name] = Var(self.expand(a.value, scope), False, origin=name)
        elif a.op == ":::=":  # expanded now, then recursive: `$$` stays `$$`
            v = self.expand(a.value, scope)
            table[name] = Var(v, True, origin=name)
        elif a.op == "+=":
            if old is None:
                table[name] = Var(a.value, True, origin=name)
            else:
                add = a.value if old.recursive else self.expand(a.value, scope)
                if old.value is None or add is None:
                    table[name] = Var(None, old.recursive, origin=name)
                elif not old.value.text:
                    table[name] = Var(add, old.recursive, origin=name)
                else:
                    table[name] = Var(SourcedStr.join([old.value, SourcedStr.unknown(" "), add]), old.recursive,
                                      origin=name)
        else:  # `!=`: the output of a shell command
            table[name] = Var(None, False, origin=name)

    def scope(self, targets: Tuple[str, ...]) -> Dict[str, Var]:
        """The variables a recipe of ``targets`` sees (target- and pattern-specific ones applied)."""
        if not self.specific:
            return self.globals
        if self._by_target is None:
            by_target: Dict[str, List[int]] = {}
            patterns: List[int] = []
            for i, (pattern_targets, _a) in enumerate(self.specific):
                for p in pattern_targets:
                    if "%" in p:
                        patterns.append(i)
                    else:
                        by_target.setdefault(p, []).append(i)
            self._by_target, self._patterns = by_target, sorted(set(patterns))
        found = set()
        for t in targets:
            found.update(self._by_target.get(t, ()))
        for i in self._patterns:
            if any(_target_matches(p, t) for p in self.specific[i][0] for t in targets):
                found.add(i)
        matching = [self.specific[i][1] for i in sorted(found)]
        if not matching:
            return self.globals
        table = dict(self.globals)
        for a in matching:
            self._assign(table, a, table)
        return table

    def exports(self, table: Dict[str, Var]) -> Dict[str, Optional[SourcedStr]]:
        """The environment a recipe's shell gets: the exported variables, expanded
        (``None``: exported with an unknown value)."""
        env: Dict[str, Optional[SourcedStr]] = {}
        for name, var in table.items():
            if self.exported.get(name, self.export_all) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                if var.value is None:
                    env[name] = None
                else:
                    v = self.expand(var.value, table) if var.recursive else var.value
                    env[name] = v if v is not None and "$(" not in _unknown_text(v) else None
        return env

    # -- expansion ----------------------------------------------------------------
    def expand(self, text: SourcedStr, table: Dict[str, Var]) -> SourcedStr:
        """``text`` with every reference replaced: a known variable by its value
        (keeping its literal's offsets), anything else by a placeholder."""
        out: List[SourcedStr] = []
        self._work = 0
        self._expand(text, table, out, set())
        return SourcedStr.join(out)

    def _expand(self, text: SourcedStr, table: Dict[str, Var], out: List[SourcedStr], active: set) -> None:
        t = text.text
        n = len(t)
        pos = 0
        while pos < n:
            i = t.find("$", pos)
            if i < 0:
                out.append(text[pos:])
                return
            if i > pos:
                out.append(text[pos:i])
            if i + 1 >= n:
                out.append(text[i:i + 1])  # a trailing '$' stays (make drops it; harmless)
                return
            c = t[i + 1]
            if c == "$":
                out.append(text[i + 1:i + 2])
                pos = i + 2
                continue
            if c in "({":
                close = ")" if c == "(" else "}"
                j = _matching(t, i + 2, c, close)
                if j < 0:  # unterminated reference: make rejects it when it expands it
                    out.append(self.unknown(t[i + 2:]))
                    return
                ref = t[i + 2:j]
                pos = j + 1
            else:
                ref = c
                j = i + 1
                pos = i + 2
            self._work += 1
            value = None if self._work > MAX_WORK else self._lookup(ref, table, active)
            if value is None:
                out.append(self.unknown(ref))
            else:
                out.append(value)

    def _lookup(self, ref: str, table: Dict[str, Var], active: set) -> Optional[SourcedStr]:
        if not ref or ref in AUTOMATIC or (len(ref) == 2 and ref[0] in AUTOMATIC and ref[1] in "DF"):
            return None
        if "$" in ref or ":" in ref or "=" in ref:
            return None  # a computed name or a substitution reference
        head = ref.split(None, 1)[0] if ref.split() else ""
        if head in FUNCTIONS and (head != ref):
            return None
        var = table.get(ref)
        if var is None or var.value is None or ref in active or len(active) > MAX_DEPTH:
            return None
        if not var.recursive:
            return var.value
        out: List[SourcedStr] = []
        active.add(ref)
        try:
            self._expand(var.value, table, out, active)
        finally:
            active.discard(ref)
        value = SourcedStr.join(out)
        if len(value.text) > MAX_LENGTH:
            return None
        return value


def _unknown_text(v: SourcedStr) -> str:
    return "".join(c for c, o in zip(v.text, v.offsets) if o == UNKNOWN)


def _matching(t: str, pos: int, open_: str, close: str) -> int:
    """Index of the bracket that closes a reference opened before ``pos``
    (make counts only the bracket kind that opened it)."""
    depth = 1
    for i in range(pos, len(t)):
        c = t[i]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _target_matches(pattern: str, target: str) -> bool:
    if "%" not in pattern:
        return pattern == target
    pre, _, post = pattern.partition("%")
    return len(target) >= len(pre) + len(post) and target.startswith(pre) and target.endswith(post)


# ---------------------------------------------------------------------------
# Recipes as the shell gets them
# ---------------------------------------------------------------------------


def shell_lines(expanded: SourcedStr) -> SourcedStr:
    """An expanded recipe line as make hands it to the shell: each line of it
    (an expansion may hold newlines) without its leading ``@``, ``-``, ``+``
    and blanks; backslash-newlines kept."""
    t = expanded.text
    parts: List[SourcedStr] = []
    pos = 0
    n = len(t)
    while pos <= n:
        # one command line: up to a newline not preceded by a backslash
        end = pos
        while True:
            k = t.find("\n", end)
            if k < 0:
                k = n
                break
            if _continued(t, pos, k):
                end = k + 1
                continue
            break
        p = pos
        while p < k and t[p] in "@-+ \t":
            p += 1
        if parts:
            parts.append(SourcedStr.unknown("\n"))
        parts.append(expanded[p:k])
        pos = k + 1
    return SourcedStr.join(parts)
