"""``tox.ini``: ``indexserver`` (``[tox]``, tox 3: ``NAME = URL`` lines),
``install_command`` through the shell analyser (``pip install -i URL
{opts} {packages}``: tox's ``{...}`` substitutions are unknown), ``setenv``
lines judged by their key (``PIP_INDEX_URL = URL`` installs), and
``deps`` lines that are pip index options (``-i URL``, ``--index-url``,
``--extra-index-url``, ``-f``); read as tox reads the file (configparser,
strict).  Full-line comments only: ``# nexus-lint: ignore[NX202]`` goes on
the line above."""

from __future__ import annotations

from typing import Iterator

from nexus_lint.kinds.base import FileKind
from nexus_lint.tools.triggers import PACKAGE_CONFIG, SHELL

KIND = FileKind(name="tox-ini", names=("tox.ini",), extractor="nexus_lint.kinds.tox_ini:extract",
                tokens=PACKAGE_CONFIG + SHELL, runnable=False)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.core.lazyre import lazy_re
    from nexus_lint.core.model import INSTALL
    from nexus_lint.kinds.pkgcommon import ini_facts, mask, pip_option_urls, tokens, url_facts

    subst = lazy_re(r"\{[^{}\s]*\}")
    setenv_line = lazy_re(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")

    def urls(entry) -> Iterator[object]:
        key = entry.key.lower().replace("-", "_")
        where = f"tox.ini [{entry.section}] {entry.key}"
        if key == "indexserver":
            yield from url_facts(mask(entry.value(), subst), INSTALL, where, sep=r"[\s=]+", use=entry.line_span)
        elif key == "install_command":
            from nexus_lint.kinds.embedded import script_facts

            yield from script_facts([mask(entry.value(), subst)])
        elif key == "setenv":
            from nexus_lint.tools.urls import url_facts_in_value
            from nexus_lint.values.secrets import by_key, is_secret_key

            for line in tokens(entry.value(), r"\n"):
                m = setenv_line.match(line.text)
                if m is None:
                    continue
                name, value = m.group(1), mask(line[m.start(2):m.end(2)], subst)
                if "://" in value.text:
                    yield from url_facts_in_value(value, name, f"tox.ini [{entry.section}] setenv {name}",
                                                  use=value.extent() or entry.line_span)
                if is_secret_key(name) and "://" not in value.text:  # the rest: the whole value's credentials
                    yield from by_key(name, value, f"tox.ini [{entry.section}] setenv {name}", hint="pypi")
        elif key == "deps":
            for line in tokens(entry.value(), r"\n"):
                yield from pip_option_urls(mask(line, subst), "tox.ini deps")

    return ini_facts(source, True, "tox.ini", "pypi", urls)

