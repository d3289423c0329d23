"""nexus-lint: a policy linter for repositories that ship through a Nexus repository manager."""

__version__ = "0.2.0"
