"""Any other JSON file that holds ``admin123``, the Nexus default admin
password (a CLI's settings, ``{"nexus_pass": "admin123"}``): that value under
any key is NX401 wherever a Nexus credential can be written.  Nothing else is
read from such a file (its keys mean nothing to the policy), so its prefilter
is the one word and a broken file is no finding."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind

KIND = FileKind(name="json-config", globs=("*.json",), extractor="nexus_lint.kinds.json_config:extract",
                priority=-10, tokens=("admin123",), nx000_needs_parse=False, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.lang import jsonpos
    from nexus_lint.values.secrets import default_password_facts

    root, problem = jsonpos.read(source.text)
    if problem is not None or root is None:
        return
    stack = [("", root)]
    pairs = []
    while stack:
        key, node = stack.pop()
        if node.kind == "object":
            stack.extend(node.value.items())
        elif node.kind == "array":
            stack.extend((key, n) for n in node.value)
        elif node.kind == "string":
            pairs.append((key, node.value))
    yield from default_password_facts(sorted(pairs, key=lambda kv: kv[1].first_known()), "json")
