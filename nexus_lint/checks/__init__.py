"""The rules: one module per rule, named by its id and name (``nx101_docker_hub_pull``).

A rule module holds the rule's :class:`~nexus_lint.core.model.RuleMeta` (id,
name, severity, fix safety, summary) under its id, its check (a hook per
subject it looks at) and ``RULE``, the two together.  It imports only the core,
the values, :mod:`nexus_lint.policy`, :mod:`nexus_lint.checks.base` (the check
API) and :mod:`nexus_lint.checks.common` (the subjects: image references, Nexus
URLs, hosts, credentials ... each prepared once per file for every rule that
looks at it, and the helpers that place findings and fixes).  No rule imports
another.

Adding a rule:

1. a module here, ``nxNNN_its_name.py``, with ``NXNNN = RuleMeta(...)``, its
   check function(s) and ``RULE = Rule(NXNNN, {SUBJECT: check})``; a rule that
   needs a fact no subject hands out gets a new subject in ``common.py``;
2. one line in the registry, ``nexus_lint_rules`` in :mod:`nexus_lint.builtin`
   (in id order: the hooks on one subject run in that order), the list that
   ``nexus-lint rules`` prints; then ``python -m nexus_lint.docs --update-readme
   README.md`` writes the README's rule table from it;
3. its page, ``rules/NXNNN.md``, whose examples the test suite runs.

``tests/test_registry.py`` fails while one of these is missing or the README
table differs from the registry.
"""
