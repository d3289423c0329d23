"""The package's shape: layers that only import downwards, no import cycle, small units.

The import graph is built with ``ast`` from every module of the package, imports
inside functions included (they are the lazy imports that keep start-up lean, and
a cycle through them is still a cycle).  The layers, lowest first:

    core      source text, offsets, Secret and masking, facts, findings (+ policy)
    values    image references, URLs, token shapes, what a credential is
    lang      shell, shell words, YAML, Dockerfile, Python, JSON ... readers
    tools     one module per command-line tool: the facts of its command lines
    kinds     one module per file kind: its FileKind and its extractor
    checks    one file per rule (imports only core, values and policy)
    registry  hook specs, built-in registration, plugins, config, rule pages
    pipeline  classify, lint, filter, fix, pool, cache: the facade
    report    one module per output format
    app       the command line (and the language server)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest

PKG = Path(__file__).resolve().parent.parent / "nexus_lint"

LAYERS: List[tuple] = [
    ("core", ("nexus_lint.core", "nexus_lint.policy", "nexus_lint")),  # the package itself: its version
    ("values", ("nexus_lint.values",)),
    ("lang", ("nexus_lint.lang",)),
    ("tools", ("nexus_lint.tools",)),
    ("kinds", ("nexus_lint.kinds",)),
    ("checks", ("nexus_lint.checks",)),
    ("registry", ("nexus_lint.hookspecs", "nexus_lint.builtin", "nexus_lint.plugins",
                  "nexus_lint.config", "nexus_lint.docs")),
    ("pipeline", ("nexus_lint.pipeline",)),
    ("report", ("nexus_lint.report",)),
    ("app", ("nexus_lint.cli", "nexus_lint.server", "nexus_lint.__main__")),
]

# What a rule may import besides the modules of its own layer's shared code.
CHECK_MAY_IMPORT = ("core", "values")
CHECK_SHARED = ("nexus_lint.checks.base", "nexus_lint.checks.common")

MAX_MODULE_LINES = 800
MAX_CLASS_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> Dict[str, Path]:
    mods = {}
    for p in PKG.rglob("*.py"):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = p
    return mods


MODULES = _modules()


def _imports(name: str, path: Path) -> Set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in MODULES:
                    out.add(full)
                elif target in MODULES:
                    out.add(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    out.add(alias.name)
    out.discard(name)
    return out


_BY_NAME = re.compile(r"^(nexus_lint(?:\.[A-Za-z_]\w*)+):[A-Za-z_]\w*$")


def _loaded_by_name(name: str, path: Path) -> Set[str]:
    """Modules loaded by name rather than imported, to keep start-up lean: a
    ``"module:function"`` string (FileKind extractors, cache_deps, ci_scripts)
    and the table of tools (tools.commands loads each tool's module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = _BY_NAME.match(node.value)
            if m and m.group(1) in MODULES:
                out.add(m.group(1))
    if name == "nexus_lint.tools.commands":
        from nexus_lint.tools.table import TOOLS

        out.update(f"nexus_lint.tools.{tool.module}" for tool in TOOLS)
    if name == "nexus_lint.builtin":
        out.update(m for m in MODULES if m.startswith("nexus_lint.checks.nx"))
    out.discard(name)
    return out


GRAPH = {name: _imports(name, path) | _loaded_by_name(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = module.startswith(prefix + ".") and prefix != "nexus_lint"
            if (module == prefix or inside) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def _cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on: Set[str] = set()
    found: List[List[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


def test_no_import_cycle():
    assert _cycles(GRAPH) == []


def test_modules_loaded_by_name_are_in_the_graph():
    assert "nexus_lint.tools.docker" in GRAPH["nexus_lint.tools.commands"]
    assert "nexus_lint.checks.nx101_docker_hub_pull" in GRAPH["nexus_lint.builtin"]


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_only_go_down():
    upward = []
    for name, targets in GRAPH.items():
        for target in targets:
            if layer_of(target) > layer_of(name):
                upward.append(f"{name} -> {target}")
    assert sorted(upward) == []


def test_a_check_imports_only_core_values_policy_and_shared_check_code():
    allowed = {i for i, (n, _) in enumerate(LAYERS) if n in CHECK_MAY_IMPORT}
    bad = []
    for name, targets in GRAPH.items():
        if layer_of(name) != layer_of("nexus_lint.checks"):
            continue
        for target in targets:
            if target in CHECK_SHARED or target == "nexus_lint.policy" or target == "nexus_lint.checks":
                continue
            if layer_of(target) not in allowed:
                bad.append(f"{name} -> {target}")
    assert bad == []


def _table_lines(tree: ast.Module) -> int:
    """Lines of module-level tables of data (assignments), not counted as code."""
    return sum(n.end_lineno - n.lineno + 1 for n in tree.body
               if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.end_lineno - n.lineno >= 5)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_units_are_small(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    problems = []
    code_lines = len(text.splitlines()) - _table_lines(tree)
    if code_lines > MAX_MODULE_LINES:
        problems.append(f"module: {code_lines} lines")
    for node in ast.walk(tree):
        size = getattr(node, "end_lineno", 0) - getattr(node, "lineno", 0) + 1
        if isinstance(node, ast.ClassDef) and size > MAX_CLASS_LINES:
            problems.append(f"class {node.name}: {size} lines")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and size > MAX_FUNCTION_LINES:
            problems.append(f"function {node.name}: {size} lines")
    assert problems == []
