"""pip requirement and constraint files (``requirements*.txt``,
``constraints*.txt``, ``*.in``): ``-i``/``--index-url``, ``--extra-index-url``
and ``-f``/``--find-links`` install, read with pip's own rules (line joining,
comment stripping, ``shlex`` and optparse: ``=``/space/attached forms, unique
prefixes: :mod:`nexus_lint.lang.requirements`); a direct URL requirement is
read too (browse)."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import ESCAPES, PACKAGE_CONFIG

KIND = FileKind(
    name="requirements",
    globs=("requirements*.txt", "constraints*.txt", "requirements*.in", "constraints*.in"),
    path_globs=("requirements/*.txt", "*/requirements/*.txt", "requirements/*.in", "*/requirements/*.in"),
    extractor="nexus_lint.kinds.requirements:extract",
    nx000_needs_parse=False,  # requirements files are never NX000
    tokens=PACKAGE_CONFIG + ESCAPES,
    runnable=False,
)


def extract(source, context) -> Iterator[object]:
    """pip requirement and constraint files (``pip._internal.req.req_file``)."""
    from nexus_lint.core.model import BROWSE, INSTALL, UrlFact
    from nexus_lint.kinds.pkgcommon import HTTP, mask, suppressions, tokens
    from nexus_lint.lang import requirements as req

    text = source.text
    logical, comments = req.logical_lines(text)
    entries = []
    for first_line, last_line, line in logical:
        entries.append((first_line, last_line))
        line = mask(req.strip_comment(line).strip(), req.ENV_VAR)
        if not line.text:
            continue
        args, options = req.break_args_options(line)
        if args.text:
            # a requirement: a direct URL (``pkg @ https://...`` or a bare URL) is read, not indexed
            for tok in tokens(args):
                if HTTP.match(tok.text):
                    yield UrlFact(tok, BROWSE, "requirement URL", tok.extent() or (0, 0))
            continue
        words = req.shlex_split(options)
        if words is None:
            continue  # pip stops with "No closing quotation"; nothing to read on this line
        for name, value in req.url_options(words):
            if HTTP.match(value.text):
                yield UrlFact(value, INSTALL, f"requirements {name}", value.extent() or line.extent() or (0, 0))
    if "nexus-lint" in text:
        yield from suppressions(source, comments, entries)
