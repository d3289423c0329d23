"""The pipeline: discover, classify, lint, filter, fix, behind one facade
(:class:`nexus_lint.pipeline.engine.Linter`)."""

CACHE_DIR = ".nexus-lint-cache"  # the result cache's folder in a project (nexus_lint.pipeline.cache), never linted
