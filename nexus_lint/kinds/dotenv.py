"""``.env`` files (``.env``, ``.env.*``, ``*.env``), read as Docker Compose
reads them (:mod:`nexus_lint.lang.dotenv`; compose files see the same values
through :func:`nexus_lint.lang.compose.read_dotenv`).

Each value is judged by what its key says, as a Dockerfile ``ENV`` is: a URL
under an index or registry key installs (``PIP_INDEX_URL``,
``*_INDEX_URL``, ``*_EXTRA_INDEX_URL``, ``NPM_CONFIG_REGISTRY``, ...: the
rest of :func:`nexus_lint.tools.urls.role_for_key`), a value under an
``*_IMAGE`` key is a pulled image, a literal under a credential key is a
secret.  ``${VAR}`` of an earlier line is substituted (its characters keep
their place there); one the file does not set stays unknown.  Templates
(``.env.example``, ``.env.sample``, ``.env.template``, ``.env.dist``...) hold
values meant to be replaced: a value there is a secret only when it looks
like one (a token shape, ``admin123``, letters mixed with digits...).
``# nexus-lint: ignore[NX401]`` at the end of the line or on the line above.
"""

from __future__ import annotations

from typing import Iterator

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.kinds.base import FileKind

# other languages' files that happen to start with ".env." (.env.js, .env.d.ts, .env.yml)
_NOT = ("*.js", "*.cjs", "*.mjs", "*.ts", "*.tsx", "*.jsx", "*.py", "*.json", "*.yml", "*.yaml", "*.toml", "*.sh",
        "*.bash", "*.zsh", "*.ps1", "*.bat", "*.cmd", "*.md", "*.rb", "*.go", "*.php", "*.java", "*.kt", "*.swift",
        "*.dart", "*.rs", "*.c", "*.h", "*.cs", "*.vue", "*.svelte", "*.html", "*.xml", "*.gpg", "*.enc", "*.age",
        "*.asc", "*.lock", "*.txt")

KIND = FileKind(name="dotenv", names=(".env",), globs=(".env.*", "*.env"), not_globs=_NOT,
                extractor="nexus_lint.kinds.dotenv:extract", runnable=False)

_IMAGE_KEY = lazy_re(r"(?i)(?:^|_)IMAGE$")
_INDEX_KEY = lazy_re(r"(?i)(?:^|_)(?:EXTRA_)?INDEX_URL$|(?:^|_)FIND_LINKS$")


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.model import INSTALL, PULL, ImageFact
    from nexus_lint.lang.compose import SET, UNKNOWN, UNSET, interpolate
    from nexus_lint.lang.dotenv import is_template, read
    from nexus_lint.tools.urls import role_for_key, url_facts_in_value
    from nexus_lint.values.secrets import by_key

    text = source.text
    entries, comments, problems = read(text)
    yield from problems
    template = is_template(source.path) is not None
    known: dict = {}

    def lookup(name: str):
        if name not in known:
            return UNSET, None
        v = known[name]
        return (UNKNOWN, None) if v is None else (SET, v)

    for entry in entries:
        raw = entry.value
        value = raw if entry.quote == "'" else interpolate(raw, lookup, partial=True)
        known[entry.name] = value
        if value is None:
            value = raw
        origin = f".env {entry.name}"
        yield from by_key(entry.name, value, origin, hint="dotenv", strict=not template)
        key = entry.name
        if "://" in value.text:
            role = role_for_key(key)
            if _INDEX_KEY.search(key) and role != INSTALL:
                from nexus_lint.kinds.pkgcommon import url_facts

                yield from url_facts(value, INSTALL, origin)
            else:
                yield from url_facts_in_value(value, key, origin)
        elif _IMAGE_KEY.search(key):
            ref = value.strip()
            if ref.text and not any(c.isspace() for c in ref.text) and "${?}" not in ref.text:
                yield ImageFact(ref, PULL, origin, ref.extent() or (entry.name_start, entry.name_start + len(key)))
    if "nexus-lint" in text:
        from nexus_lint.kinds.comments import suppressions

        yield from suppressions(source, comments, [(e.first_line, e.last_line) for e in entries])
