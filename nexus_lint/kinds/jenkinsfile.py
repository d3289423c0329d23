"""Jenkins pipeline facts (``Jenkinsfile``, ``Jenkinsfile.*``, ``*.jenkinsfile``,
``*.groovy`` under a ``jenkins/`` or ``vars/`` folder), declarative and scripted.

* ``agent { docker { image '...' } }`` (with its ``registryUrl``), ``agent {
  docker '...' }`` and ``containerTemplate(image: ...)`` are pulls;
* ``docker.image('...')`` followed by ``.pull()``, ``.inside``, ``.run()`` or
  ``.withRun()`` is a pull, ``docker.build('name:tag')`` or ``docker.image``
  followed by ``.push()`` / ``.push('tag')`` a push of that name, also through
  a variable (``def img = docker.build(...)``, ``img.push()``);
  inside ``docker.withRegistry('https://host:port', 'credId') { }`` a name
  without a registry is that registry's: the finding about its port lands on
  the port in the URL;
* every ``sh``/``bat``/``powershell``/``pwsh`` step's string goes through the
  shell analyser (Groovy escapes decoded, ``${...}``/``$name`` interpolation an
  unknown value unless it names an ``environment {}`` literal), with the
  ``environment {}`` / ``withEnv`` / ``env.X =`` literals as its variables;
* a literal under a credential-like name in ``environment {}`` is a hardcoded
  credential; ``credentials('id')`` and ``withCredentials`` bindings are
  references; token shapes and URL passwords in any other string count too.

A Jenkinsfile is CI context; the scripts its steps run are too.  Suppression:
``// nexus-lint: ignore[NX101]`` (or ``/* ... */``) at the end of a line covers
that line and the step spanning it; on a line of its own the next line and
the step starting there.  What Groovy's lexer rejects (an unterminated
string or comment, unbalanced brackets) is NX000 at its position.  The reader
is :mod:`nexus_lint.lang.groovy`; the facts :mod:`nexus_lint.kinds.jenkinsfile_facts`.
"""

from __future__ import annotations

from typing import Iterator, List

from nexus_lint.kinds.base import FileKind

KIND = FileKind(
    name="jenkinsfile",
    extractor="nexus_lint.kinds.jenkinsfile:extract",
    names=("jenkinsfile",),
    globs=("jenkinsfile.*", "jenkinsfile-*", "jenkinsfile_*", "*.jenkinsfile"),
    not_globs=("*.md", "*.rst", "*.txt", "*.html", "*.orig", "*.rej", "*.bak", "*.swp", "*.bats", "*.py", "*.sh",
               "*.json", "*.yml", "*.yaml", "*.xml", "*.png", "*.svg"),
    path_globs=("jenkins/*.groovy", "*/jenkins/*.groovy", "vars/*.groovy", "*/vars/*.groovy"),
    ci=True,
    priority=10,
    ci_scripts="nexus_lint.kinds.jenkinsfile:ci_scripts",
    # the CI provider: where a repository keeps its Jenkins pipelines
    ci_globs=("Jenkinsfile", "Jenkinsfile[._-]*", "*.jenkinsfile", ".jenkins/Jenkinsfile*"),
    runnable=False,
)


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.jenkinsfile_facts import extract as facts  # the reader is imported on first use

    return facts(source, context)


def ci_scripts(source_text: str) -> List[str]:
    """Repository-relative paths of the scripts this pipeline's shell steps run."""
    from nexus_lint.kinds.jenkinsfile_facts import ci_scripts as scripts

    return scripts(source_text)
