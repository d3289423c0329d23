"""Dev containers: ``.devcontainer/devcontainer.json``, ``.devcontainer.json``
and ``.devcontainer/<name>/devcontainer.json``, JSON with comments and
trailing commas (:mod:`nexus_lint.lang.jsonc`).

``image`` is pulled; ``build.args`` values under an image-like key
(``*IMAGE*``, ``BASE``, ``*_FROM``) feed ``FROM`` and are pulled too;
``features`` keys that name a registry (``host[:port]/path:tag``, not a local
``./feature`` or a tarball URL) are OCI pulls.  The lifecycle commands
(``initializeCommand``, ``onCreateCommand``, ``updateContentCommand``,
``postCreateCommand``, ``postStartCommand``, ``postAttachCommand``) go through
the shell analyser: a string is a shell command line, an array an exec-form
argv (one word per element), an object runs each of its values (string or
array).  ``containerEnv``/``remoteEnv`` (and ``build.args``) values are judged
by their key: credentials, and URLs by what the variable says
(``PIP_INDEX_URL`` installs).  ``${localEnv:X}``-style variables are the dev
container CLI's and stay unknown.  ``// nexus-lint: ignore[NX101]`` (or
``/* ... */``) at the end of the line or on the line above.
"""

from __future__ import annotations

from nexus_lint.kinds.base import FileKind

KIND = FileKind(name="devcontainer", names=(".devcontainer.json",),
                path_globs=(".devcontainer/devcontainer.json", "*/.devcontainer/devcontainer.json",
                            ".devcontainer/*/devcontainer.json", "*/.devcontainer/*/devcontainer.json"),
                extractor="nexus_lint.kinds.devcontainer_facts:extract", runnable=False)
