"""The organisation's Nexus policy: the embedded default and its overrides.

Every value the rules enforce lives here and nowhere else.  The defaults are the
platform team's page (POLICY.md); an organisation with another layout overrides
them under ``[tool.nexus-lint.policy]``.
"""

from __future__ import annotations

from nexus_lint.core.record import field, fields, record, replace
from typing import Any, Dict, Tuple


class PolicyError(ValueError):
    pass


@record(frozen=True)
class Policy:
    shared_host: str = "nexus.shared.cwiq.io"
    dev_host: str = "nexus.dev.cwiq.io"
    docker_push_port: int = 8443
    docker_pull_port: int = 8444
    image_namespace: str = "orchestrator"
    forbidden_image_prefixes: Tuple[str, ...] = ("cwiq-",)
    docker_hub_aliases: Tuple[str, ...] = (
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "registry.hub.docker.com",
    )
    docker_hub_official_namespace: str = "library"
    health_path: str = "/health"
    ci_vault_role: str = "nexus-ci"
    # Repository naming conventions: a repository's kind and environment are read
    # from the words of its name (pypi-group, yum-hosted-dev, raw-hosted-prod).
    repository_path: str = "/repository/"
    repository_group_words: Tuple[str, ...] = ("group",)
    repository_proxy_words: Tuple[str, ...] = ("proxy",)
    repository_hosted_words: Tuple[str, ...] = ("hosted",)
    repository_environments: Tuple[str, ...] = ("dev", "uat", "prod")
    promoted_environments: Tuple[str, ...] = ("uat", "prod")
    pypi_repository_words: Tuple[str, ...] = ("pypi",)
    _extra: Dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- derived ---------------------------------------------------------------
    @property
    def nexus_hosts(self) -> Tuple[str, ...]:
        return (self.shared_host.lower(), self.dev_host.lower())

    def is_nexus_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.nexus_hosts

    @property
    def docker_ports(self) -> Tuple[int, int]:
        return (self.docker_push_port, self.docker_pull_port)

    def pull_prefix(self) -> str:
        return f"{self.shared_host}:{self.docker_pull_port}"

    def push_prefix(self) -> str:
        return f"{self.shared_host}:{self.docker_push_port}"


_FIELD_TYPES = {f.name: f.type for f in fields(Policy) if not f.name.startswith("_")}


def policy_keys() -> Tuple[str, ...]:
    """The config keys accepted under ``[tool.nexus-lint.policy]`` (kebab-case)."""
    return tuple(name.replace("_", "-") for name in _FIELD_TYPES)


def policy_from_config(table: Dict[str, Any], where: str = "[tool.nexus-lint.policy]") -> Policy:
    """Build a policy from a config table; raise :class:`PolicyError` on any bad key or value."""
    default = Policy()
    changes: Dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _FIELD_TYPES:
            known = ", ".join(policy_keys())
            raise PolicyError(f"{where}: unknown key {key!r} (known keys: {known})")
        current = getattr(default, name)
        if isinstance(current, bool) or isinstance(current, int):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
                raise PolicyError(f"{where}: {key} must be a port number (1-65535), got {value!r}")
        elif isinstance(current, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise PolicyError(f"{where}: {key} must be a list of non-empty strings, got {value!r}")
            value = tuple(value)
        elif isinstance(current, str):
            if not isinstance(value, str) or not value.strip():
                raise PolicyError(f"{where}: {key} must be a non-empty string, got {value!r}")
            value = value.strip()
        changes[name] = value
    policy = replace(default, **changes)
    if policy.docker_push_port == policy.docker_pull_port:
        raise PolicyError(f"{where}: docker-push-port and docker-pull-port must differ")
    return policy


DEFAULT_POLICY = Policy()
