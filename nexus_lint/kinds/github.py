"""GitHub Actions facts (``.github/workflows/*.yml|yaml``, ``action.yml``).

What a workflow or action uses, read the way GitHub reads it:

* ``jobs.<id>.container`` (a string or ``image:``) and
  ``jobs.<id>.services.<name>.image`` are pulls;
* ``uses: docker://IMAGE`` in job steps and composite-action steps, and
  ``runs.image: docker://IMAGE`` of a Docker container action, are pulls;
* ``docker/build-push-action`` steps: every entry of ``with.tags`` (newline-
  or comma-separated) is a push when ``with.push`` is literally true (or
  ``outputs`` says ``type=registry`` / ``push=true``), otherwise a name that
  stays on the runner (LOCAL; a later ``docker push`` of the same name in the
  job makes it a push); ``cache-from``/``cache-to`` registry refs are a pull
  and a push;
* every ``run:`` of a bash/sh (or PowerShell) step goes through the shell
  analyser with the environment GitHub gives it: workflow ``env`` + job
  ``env`` + step ``env`` (later wins).  Names from ``run`` lines in one job
  share the runner's Docker daemon, so a name built in one step and pushed in a
  later step is a push.

GitHub expressions ``${{ ... }}`` are substituted before anything else, as
GitHub does.  Only ``${{ env.NAME }}`` (or ``env['NAME']``) is known, and only
where GitHub offers the ``env`` context (step ``env``, ``with``, ``run``; not
``container``, ``services``, workflow or job ``env``) and ``NAME`` is defined
in this file; then the value keeps the offsets of its literal in the ``env:``
block, so a finding lands there.  Any other expression (``secrets``,
``matrix``, ``github``, ``steps``, ``vars``, ``inputs``, functions) is not
guessed: a value that needs one gives no fact; in a ``run`` script it becomes
an unknown shell variable, so the words around it stay unknown too.

An image whose tag (or digest) alone is an unknown expression
(``nexus...:8443/app:${{ github.sha }}``) is still judged by its registry and
name, as the shell analyser does (:func:`~nexus_lint.tools.images.known_name`).

``docker/login-action``'s ``registry`` names a registry host, not an image; it
is not a fact here.
"""

from __future__ import annotations

from typing import Iterator, List, Optional

from nexus_lint.kinds.base import FileKind


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.github_facts import extract as facts  # the reader is imported on first use

    return facts(source, context)


def ci_scripts(source_text: str, path: Optional[str] = None) -> List[str]:
    """Repository-relative paths of the scripts this workflow's ``run:`` steps execute."""
    from nexus_lint.kinds.github_facts import ci_scripts as scripts

    return scripts(source_text, path)


KIND = FileKind(
    name="github-actions",
    extractor="nexus_lint.kinds.github:extract",
    names=("action.yml", "action.yaml"),
    path_globs=(".github/workflows/*.yml", ".github/workflows/*.yaml", "*/.github/workflows/*.yml", "*/.github/workflows/*.yaml"),
    ci=True,
    priority=30,
    ci_scripts="nexus_lint.kinds.github:ci_scripts",
    ci_globs=(".github/workflows/*.yml", ".github/workflows/*.yaml"),
    runnable=False,
)
