"""The rule catalogue: its pages (``rules/NXnnn.md``) and the README's rule table.

Each page has a title ``# NXnnn: name`` and the sections What it does / Why /
Example / Use instead / Fix safety.  Fenced code blocks in Example and Use
instead carry the file name they stand for (```` ```dockerfile file=Dockerfile ````);
the test suite lints them, so a page cannot drift from the code.

The README's table of rules (section "## Rules") is generated from the rule
registry, the same that ``nexus-lint rules`` prints:

    python -m nexus_lint.docs --readme-table          # print it
    python -m nexus_lint.docs --update-readme README.md
"""

from __future__ import annotations

import re
import sys
from nexus_lint.core.record import field, record
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from nexus_lint.core.model import RuleMeta

from nexus_lint.core.lazyre import lazy_re

_FENCE = lazy_re(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
_FILE = lazy_re(r"\bfile=(\S+)")


@record
class Example:
    file: str
    code: str
    bad: bool


@record
class RulePage:
    id: str
    name: str
    text: str
    sections: Dict[str, str] = field(default_factory=dict)
    examples: List[Example] = field(default_factory=list)

    def section(self, title: str) -> str:
        return self.sections.get(title.lower(), "").strip()

    def help_text(self) -> str:
        parts = [self.section("What it does"), self.section("Why"), self.section("Fix safety")]
        return "\n\n".join(p for p in parts if p)


def rules_dir() -> Optional[Path]:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def parse_page(text: str) -> Optional[RulePage]:
    m = re.match(r"#\s*(NX\d{3})\s*:\s*(\S+)", text)
    if not m:
        return None
    page = RulePage(m.group(1), m.group(2), text)
    current = None
    buf: List[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current:
                page.sections[current] = "\n".join(buf)
            current, buf = line[3:].strip().lower(), []
        elif current:
            buf.append(line)
    if current:
        page.sections[current] = "\n".join(buf)
    for title, bad in (("example", True), ("use instead", False)):
        for fm in _FENCE.finditer(page.sections.get(title, "") + "\n"):
            fm_file = _FILE.search(fm.group(1))
            if fm_file:
                page.examples.append(Example(fm_file.group(1), fm.group(2), bad))
    return page


_cache: Optional[Dict[str, RulePage]] = None


def load_pages() -> Dict[str, RulePage]:
    global _cache
    if _cache is None:
        pages: Dict[str, RulePage] = {}
        folder = rules_dir()
        if folder is not None:
            for path in sorted(folder.glob("NX*.md")):
                page = parse_page(path.read_text(encoding="utf-8"))
                if page is not None:
                    pages[page.id] = page
        _cache = pages
    return _cache


def page_for(rule_id: str) -> Optional[RulePage]:
    return load_pages().get(rule_id)


# ---------------------------------------------------------------------------
# a page for the terminal (``nexus-lint rule``)
# ---------------------------------------------------------------------------


def find_rule(query: str, rules: Iterable[RuleMeta]) -> Optional[RuleMeta]:
    """The rule ``query`` names: its id (any case) or its name (``docker-hub-pull``)."""
    q = query.strip()
    for meta in rules:
        if meta.id.lower() == q.lower() or meta.name.lower() == q.lower():
            return meta
    return None


def _plain_fence(info: str, code: str) -> List[str]:
    m = _FILE.search(info)
    out = [f"  {m.group(1)}:"] if m else []
    out += [("    " + line).rstrip() for line in code.rstrip("\n").split("\n")]
    return out


def render_terminal(meta: RuleMeta, page: Optional[RulePage] = None) -> str:
    """The rule's page as plain text for a terminal: one title line (id, name,
    severity, fix), the sections with underlined headings (``-``, ``~`` below), each example as an
    indented block under a ``Dockerfile:`` caption instead of its test fence.
    The page's own title and severity table are left out (the title line says it)."""
    title = f"{meta.id} {meta.name} (severity: {meta.severity}, fix: {meta.fix or 'none'})"
    out = [title, "=" * len(title), ""]
    if page is None:
        return "\n".join(out + [meta.summary]) + "\n"
    lines = page.text.splitlines()
    i = 0
    # skip the "# NXnnn: name" title and the severity/fix table before the first section
    while i < len(lines) and not lines[i].startswith("## "):
        i += 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line[3:].strip()
            if out and out[-1] != "":
                out.append("")
            out += [heading, "-" * len(heading)]
            i += 1
            continue
        if line.startswith("### "):
            heading = line.lstrip("#").strip()
            out += [heading, "~" * len(heading)]
            i += 1
            continue
        if line.startswith("```"):
            info, code = line[3:], []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            i += 1  # the closing fence
            out += _plain_fence(info, "\n".join(code))
            continue
        out.append(line.rstrip())
        i += 1
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# the README's rule table
# ---------------------------------------------------------------------------

README_SECTION = "## Rules"


def builtin_rules() -> List[RuleMeta]:
    """The metadata of the built-in rules, by id, from the rule registry."""
    from nexus_lint.builtin import nexus_lint_rules
    from nexus_lint.checks.base import RuleRegistry

    return RuleRegistry(nexus_lint_rules()).sorted_rules()


def rule_table(rules: Iterable[RuleMeta]) -> str:
    """The Markdown table of ``rules``: id, name, severity and fix safety ("—" for none)."""
    rows = ["| id | name | severity | fix |", "|---|---|---|---|"]
    rows += [f"| {r.id} | {r.name} | {r.severity} | {r.fix or '—'} |" for r in rules]
    return "\n".join(rows) + "\n"


def table_span(readme: str) -> Optional[Tuple[int, int]]:
    """Where the first table under the heading :data:`README_SECTION` stands in ``readme``
    (start and end offsets, the end after its last line's newline)."""
    m = re.search(rf"^{re.escape(README_SECTION)}[ \t]*$", readme, re.M)
    if m is None:
        return None
    t = re.compile(r"^\|.*\|[ \t]*\n(?:^\|.*\|[ \t]*(?:\n|\Z))*", re.M).search(readme, m.end())
    nxt = re.compile(r"^## ", re.M).search(readme, m.end())
    if t is None or (nxt is not None and nxt.start() < t.start()):
        return None
    return t.start(), t.end()


def update_readme(readme: str, table: str) -> str:
    span = table_span(readme)
    if span is None:
        raise ValueError(f"no table under {README_SECTION!r}")
    return readme[:span[0]] + table + readme[span[1]:]


KIND_INDEX = Path(__file__).resolve().parent / "kinds" / "index.py"


def kind_index_source(kinds) -> str:
    """``nexus_lint/kinds/index.py``: each kind's declaration, its fields that
    differ from their defaults written out as literals."""
    import pprint

    from nexus_lint.core.record import MISSING, fields

    lines = [
        '"""The built-in file kinds\' declarations, generated from each kind module\'s ``KIND``',
        "(``python -m nexus_lint.docs --update-kind-index``; do not edit: ``tests/test_registry.py``",
        "keeps it equal to the modules).  Start-up reads this one module instead of importing",
        'all of them (see ``nexus_lint.builtin.nexus_lint_file_kinds``)."""',
        "",
        "from nexus_lint.kinds.base import FileKind",
        "",
        "KINDS = (",
    ]
    for kind in kinds:
        lines.append("    FileKind(")
        for f in fields(kind):
            if not f.init:
                continue
            value = getattr(kind, f.name)
            default = f.default if f.default is not MISSING else (
                f.default_factory() if f.default_factory is not MISSING else MISSING)
            if value == default and default is not MISSING:
                continue
            if not isinstance(value, (str, bool, int, tuple, type(None))):
                raise ValueError(f"{kind.name}.{f.name}: {value!r} cannot be written as a literal")
            text = pprint.pformat(value, width=110 - 9 - len(f.name), compact=True)
            lines.append(f"        {f.name}=" + text.replace("\n", "\n" + " " * (9 + len(f.name))) + ",")
        lines.append("    ),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nexus_lint.docs", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--readme-table", action="store_true", help="print the README's rule table")
    group.add_argument("--update-readme", metavar="README", help="rewrite the rule table in this README")
    group.add_argument("--update-kind-index", action="store_true",
                       help="rewrite nexus_lint/kinds/index.py from the kind modules' KIND")
    args = parser.parse_args(argv)
    if args.update_kind_index:
        from nexus_lint.builtin import declared_kinds

        KIND_INDEX.write_text(kind_index_source(declared_kinds()), encoding="utf-8")
        return 0
    table = rule_table(builtin_rules())
    if args.readme_table:
        sys.stdout.write(table)
        return 0
    path = Path(args.update_readme)
    text = path.read_text(encoding="utf-8")
    new = update_readme(text, table)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
