"""``nexus-lint server``: a Language Server Protocol server over standard
input and output (pygls and lsprotocol, imported only here, so the command
line's start-up does not pay for them).  See :mod:`nexus_lint.server.app`."""

from __future__ import annotations


def main() -> int:
    try:
        from nexus_lint.server.app import build
    except ImportError as exc:  # the optional dependency is missing
        import sys

        sys.stderr.write(f"nexus-lint: error: the language server needs pygls ({exc}); pip install 'pygls>=1.3'\n")
        return 2
    build().start_io()
    return 0
