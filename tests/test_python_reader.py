"""The Python reader on the standard library's ``ast``: offsets from byte columns,
string literals read from the source, 3.12 syntax on older Pythons, comments,
statement lines and deep trees."""

from __future__ import annotations

import ast
import sys

import pytest

from conftest import lint
from nexus_lint.kinds.python_facts import analyse
from nexus_lint.lang.python import PySource, comments, parse
from nexus_lint.lang.python_strings import scan_literals

HOST = "https://nexus.shared.cwiq.io:8443/service/rest/v1/status"  # nexus-lint: ignore[NX201] (planted test data)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_columns_after_non_ascii_characters_on_the_line(eol):
    src = eol.join(["import requests", "# ü", f'X = "äöü 🙂"; requests.get("{HOST}")  # 🙂', ""])
    found = lint(src, "s.py")
    assert [(f.rule.id, f.start) for f in found] == [("NX201", src.index(":8443"))]


def test_byte_columns_become_character_offsets():
    text = 'a = "ü🙂"\nb = "x"\n'
    src = parse(text)
    assert isinstance(src, PySource)
    first, second = src.tree.body
    assert src.code(first.value) == '"ü🙂"' and src.code(second.value) == '"x"'


@pytest.mark.parametrize("text,bodies", [
    ('"a" \'b\'', ["a", "b"]),
    ('"a"  # note\n "b"', ["a", "b"]),
    ('rb"x\\"y"', ['x\\"y']),
    ('"""a\n"b"\n"""', ['a\n"b"\n']),
    ('f"{x!r:>{w}}{{y}}"', ["{x!r:>{w}}{{y}}"]),
])
def test_string_literals_are_read_from_the_source(text, bodies):
    found = scan_literals(text, 0, len(text))
    assert [text[lit.body:lit.end] for lit in found] == bodies


def test_fstring_fields_nest_quotes_and_specs():
    text = 'f"{d["k"]=}{a:{b}}{c!s}"'
    [lit] = scan_literals(text, 0, len(text))
    assert [text[f.expr[0]:f.expr[1]] for f in lit.fields] == ['d["k"]', "a", "c"]
    assert [(f.conversion, f.spec, f.equal) for f in lit.fields] == [(None, False, True), (None, True, False),
                                                                      ("s", False, False)]


def test_a_tuple_in_an_fstring_field_is_shown_as_written():
    [site] = analyse('token = f"x{a, b}"\n').sites
    assert site.values[0].text == "x{a, b}"


def test_newer_syntax_is_rewritten_in_place_for_older_pythons():
    from nexus_lint.lang.python_newer import downlevel

    text = 'type Url[T] = str\ndef f[T: (int, str)](x: T) -> T:\n    return f"{x["k"]}ü"\nclass C[T]:\n    pass\n'
    out, aliases = downlevel(text)
    assert len(out.encode()) == len(text.encode()) and out.splitlines() != text.splitlines()
    assert [len(a.encode()) for a in out.splitlines()] == [len(a.encode()) for a in text.splitlines()]
    ast.parse(out)
    assert aliases == {0}


def test_comments_are_found_outside_strings():
    text = 'x = "# no"  # yes nexus-lint\ny = """\n# no\n"""\nz = f"{a}#no"  # nexus-lint too\n'
    assert [c for _s, _e, c in comments(text, "nexus-lint")] == ["# yes nexus-lint", "# nexus-lint too"]


def test_statement_lines_leave_suites_out():
    text = "import os  # nexus-lint: ignore[NX101]\na = 1; b = f(\n  2)\nif a: c = 3\n"
    lines = [(text[:s].count("\n") + 1, text[:e].count("\n") + 1) for s, e in analyse(text).statements]
    assert lines == [(1, 1), (2, 3)]


def test_a_deep_tree_is_walked_without_recursion():
    from nexus_lint.lang.python_scopes import Collector
    from nexus_lint.lang.python_values import Evaluator

    text = "x = a" + " + a" * 3000 + "\n"
    node: ast.expr = ast.Name("a", ast.Load(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5)
    for k in range(3000):  # built by hand: CPython 3.11+ refuses to parse it
        right = ast.Name("a", ast.Load(), lineno=1, col_offset=8 + 4 * k, end_lineno=1, end_col_offset=9 + 4 * k)
        node = ast.BinOp(node, ast.Add(), right, lineno=1, col_offset=4, end_lineno=1, end_col_offset=9 + 4 * k)
    target = ast.Name("x", ast.Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)
    tree = ast.Module([ast.Assign([target], node, lineno=1, col_offset=0, end_lineno=1,
                                  end_col_offset=len(text) - 1)], [])
    an = Evaluator(PySource(text, tree))
    Collector(an).run() if sys.version_info >= (3, 11) else None
    assert an.string(node, an.module_scope, len(text)) is None  # a name it cannot read: bounded, not recursive


def test_too_deep_is_not_valid_python():
    from nexus_lint.lang.python import TooDeep
    from nexus_lint.lang.python_scopes import _measure_depth

    node: ast.expr = ast.Name("a", ast.Load())
    for _ in range(3200):
        node = ast.Attribute(node, "b", ast.Load())
    with pytest.raises(TooDeep):
        _measure_depth(ast.Module([ast.Expr(node)], []))
    assert analyse("x = requests" + ".b" * 20000 + "\n").problem.message.startswith("not valid Python: ")
