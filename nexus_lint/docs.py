"""The rule catalogue pages (``rules/NXnnn.md``): located, parsed, and their examples.

Each page has a title ``# NXnnn: name`` and the sections What it does / Why /
Example / Use instead / Fix safety.  Fenced code blocks in Example and Use
instead carry the file name they stand for (```` ```dockerfile file=Dockerfile ````);
the test suite lints them, so a page cannot drift from the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from nexus_lint.core.lazyre import lazy_re

_FENCE = lazy_re(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
_FILE = lazy_re(r"\bfile=(\S+)")


@dataclass
class Example:
    file: str
    code: str
    bad: bool


@dataclass
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
