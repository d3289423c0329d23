"""GitLab CI facts (``.gitlab-ci.yml``, ``*.gitlab-ci.yml``, files under ``.gitlab/``).

The file is read as GitLab reads it, as far as images and scripts go:

* ``include:`` ``local:`` entries and plain local paths are read (relative to
  the repository root, nested includes too, bounded, cycles cut) and merged
  under this file, deep-merging as GitLab does; this file wins;
* jobs are the top-level mappings that are not global keywords; hidden jobs
  (``.name``) are templates and are read too; ``extends:`` (string or list,
  several levels) deep-merges the parents under the job; ``default:`` (and the
  legacy top-level ``image``/``services``/``before_script``/``after_script``)
  fills what the job does not set, subject to ``inherit:``;
* anchors, aliases and merge keys come from the YAML layer; ``!reference
  [job, key, ...]`` is looked up wherever a value may stand;
* ``variables:`` at top level, in ``default:`` and in the job (job wins;
  ``{value: ..., expand: false}`` form too) are expanded, GitLab-style, into
  ``image``/``services`` names, and handed to the shell analyser as the
  environment of every ``before_script``/``script``/``after_script`` line.

Facts carry offsets into *this* file only: a value literal that lives in an
included file keeps its text but has unknown offsets, and an image or script
written in an included file is not reported from here (that file is linted on
its own).  A name that depends on a variable the file does not define
(``$CI_REGISTRY_IMAGE``, ``$CI_COMMIT_SHA``, ...) is not guessed at: no fact.

This module declares the kind and what a pipeline tells the run
(:func:`local_includes`, :func:`ci_scripts`); the merged configuration
(includes, references, ``extends``, defaults, variables) is
:mod:`nexus_lint.kinds.gitlab_config`, what the jobs use
:mod:`nexus_lint.kinds.gitlab_jobs`, both imported on first use.
"""

from __future__ import annotations

from typing import Dict, Iterator, List

from nexus_lint.kinds.base import FileKind


def extract(source, context) -> Iterator[object]:
    from nexus_lint.kinds.gitlab_jobs import extract as facts

    return facts(source, context)


def ci_scripts(source_text: str) -> List[str]:
    """Repository-relative paths of the scripts this CI file's ``script`` lines run."""
    from nexus_lint.kinds.gitlab_jobs import ci_scripts as scripts

    return scripts(source_text)


def local_includes(source_text: str) -> List[str]:
    """Repository-relative paths (or glob patterns) this file can make the
    pipeline run, normalised: local includes, child pipelines (``trigger:
    include:``), ``project:`` includes of this same repository, and paths with
    variables (expanded by their values in the file, else by a glob).  These
    files are GitLab CI configuration too, whatever their names."""
    from nexus_lint.kinds.gitlab_config import runnable_entries
    from nexus_lint.lang import yamldoc
    from nexus_lint.tools.scripts import normal_path

    try:
        docs = yamldoc.load(source_text)
    except yamldoc.YamlError:
        return []
    out: Dict[str, None] = {}
    for doc in docs:
        for path in runnable_entries(doc):
            p = normal_path(path.lstrip("/"))
            if p:
                out.setdefault(p, None)
    return list(out)


KIND = FileKind(
    name="gitlab-ci",
    extractor="nexus_lint.kinds.gitlab:extract",
    names=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
    globs=("*.gitlab-ci.yml", "*.gitlab-ci.yaml"),
    path_globs=(".gitlab/*.yml", ".gitlab/*.yaml", "*/.gitlab/*.yml", "*/.gitlab/*.yaml"),
    ci=True,
    priority=30,
    ci_scripts="nexus_lint.kinds.gitlab:ci_scripts",
    # the CI provider: a pipeline's root files, where its files live, what they include
    ci_globs=(".gitlab-ci.yml", ".gitlab-ci.yaml", ".gitlab/**/*.yml", ".gitlab/**/*.yaml"),
    ci_roots=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
    ci_includes="nexus_lint.kinds.gitlab:local_includes",
    ci_include_tokens=("include",),
    runnable=False,
)
