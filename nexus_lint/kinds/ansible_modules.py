"""What each Ansible module a task calls means (see :mod:`nexus_lint.kinds.ansible_facts`),
by its short name (FQCN and short names alike):

* ``yum_repository`` ``baseurl``/``mirrorlist``/``metalink``, ``apt_repository``/
  ``zypper_repository`` ``repo``, a URL in ``dnf``/``yum``/``package``/``apt``
  ``name``, ``pip`` ``name`` URLs and ``extra_args`` (through pip's own option
  parser, as ``pip install <extra_args>``), ``npm`` ``registry``,
  ``helm`` ``chart_repo_url``, ``helm_repository`` ``repo_url``: INSTALL;
* ``get_url``/``uri`` ``url`` (an upload for ``uri`` PUT/POST under
  ``/repository/``; the REST API by its path), and for ``uri`` on the REST API
  the call itself (method, JSON ``body``, ``status_code``: a status it does not
  list fails the task); an ``Authorization`` header's credentials;
* ``docker_image``: ``name`` pulled (``source: pull``, or no source and no
  build), built or loaded (local), pushed (``push: true`` without
  ``repository``); ``repository`` pushed with ``push: true`` (a local tag
  otherwise); ``docker_image_pull``/``docker_image_push``; ``docker_container``,
  ``docker_swarm_service``, ``podman_container`` ``image``: pulls;
  ``podman_image`` ``name`` pulled unless built (``path``), ``push: true`` to
  ``push_args.dest`` (or ``name``); ``helm`` ``chart_ref: oci://...``: a pull;
* ``k8s`` inline ``definition:`` and ``helm`` ``values:``: read as the
  Kubernetes kind reads a manifest (container images, ``Secret`` data);
* ``shell``/``command``/``raw``/``script``: free form, ``cmd:`` or ``argv:``,
  through the shell analyser with the task's ``environment:``.

Passwords (``docker_login``/``podman_login`` ``password``, ``url_password``,
``repo_password`` ...) are found by the credential reading of every key.
"""

from __future__ import annotations

from typing import Dict, Iterator, Optional

from nexus_lint.core.model import (API, BROWSE, ENTRY, HEALTH, INSTALL, LOCAL, PULL, PUSH, TOKEN, UPLOAD, ApiCallFact,
                                   CredentialFact, JsonBody, Secret, UrlFact)
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.ansible import argv_script, free_form, short_name

Args = Dict[str, object]  # argument -> YAML node or SourcedStr
Env = Dict[str, Optional[SourcedStr]]

SHELL_MODULES = frozenset({"shell", "command", "raw", "script"})
MODULES = frozenset({
    "yum_repository", "dnf", "yum", "package", "apt", "apt_repository", "apt_key", "rpm_key", "zypper_repository",
    "get_url", "uri", "pip", "npm", "docker_login", "docker_image", "docker_image_pull", "docker_image_push",
    "docker_container", "docker_swarm_service", "podman_image", "podman_container", "podman_login", "helm",
    "helm_repository", "k8s", "set_fact",
}) | SHELL_MODULES


class ModuleReaders:
    """The module readers of :class:`nexus_lint.kinds.ansible_facts._Reader`
    (which gives ``scalar``, ``scalars``, ``arg``, ``flag``, ``text_arg``,
    ``image``, ``urls``, ``shell``, ``render``, ``span``, ``k8s_reader``)."""

    test_code: bool = False  # set by the reader: a fixture in test code

    def _m_shell(self, task, key_node, args: Args, env: Env, environment) -> Iterator[object]:
        argv = args.get("argv")
        if isinstance(argv, self.yaml.SequenceNode):
            script = argv_script([self.scalar(n) for n in argv.value])
        elif "cmd" in args:
            script = self.scalar(args["cmd"])
        else:
            script = self.scalar(self.arg(args, "_raw_params", "free_form"))
            if script is not None and short_name(key_node.value) != "raw":
                script = free_form(script)  # `cmd chdir=/x creates=/y`
        if script is not None:
            yield from self.shell(script, env, environment)

    _m_command = _m_raw = _m_script = _m_shell

    def _m_yum_repository(self, task, key_node, args, env, environment):
        for key in ("baseurl", "mirrorlist", "metalink"):
            yield from self.urls(args.get(key), INSTALL, f"yum_repository {key}", env)
        yield from self.urls(args.get("gpgkey"), BROWSE, "yum_repository gpgkey", env)

    def _m_dnf(self, task, key_node, args, env, environment):
        yield from self.urls(self.arg(args, "name", "pkg"), INSTALL, f"{short_name(key_node.value)} name", env)

    _m_yum = _m_package = _m_apt = _m_dnf

    def _m_repository(self, task, key_node, args, env, environment):
        yield from self.urls(args.get("repo"), INSTALL, f"{short_name(key_node.value)} repo", env)

    _m_zypper_repository = _m_apt_repository = _m_repository

    def _m_rpm_key(self, task, key_node, args, env, environment):
        yield from self.urls(self.arg(args, "key", "url"), BROWSE, f"{short_name(key_node.value)} key", env)

    _m_apt_key = _m_rpm_key

    def _m_get_url(self, task, key_node, args, env, environment):
        yield from self.urls(args.get("url"), BROWSE, "get_url url", env)
        yield from self.headers(args, env)

    def _m_uri(self, task, key_node, args, env, environment):
        method_v = self.scalar(args.get("method"))
        method = method_v.text.strip().upper() if method_v is not None and "{" not in method_v.text else "GET"
        urls = list(self.urls(args.get("url"), BROWSE, "uri" if method == "GET" else f"uri {method}", env, method))
        for fact in urls:
            if method in ("PUT", "POST") and fact.role == BROWSE and repository_path(fact.value.text):
                fact = UrlFact(fact.value, UPLOAD, fact.origin, fact.use, fact.via, method)
            yield fact
        yield from self.headers(args, env)
        raw = self.scalar(args.get("url"))
        if raw is None:
            return
        value, via = self.render(raw, env)
        if "/service/rest/" not in value.text:
            return
        body = self.body(args.get("body"), self.text_arg(args, "body_format"), env)
        statuses = tuple(int(s.text) for s in self.scalars(args.get("status_code")) if s.text.strip().isdigit())
        handled = self.flag({"x": self.yd.get(task, "ignore_errors")}, "x") or self.yd.get(task, "failed_when") is not None
        raises = None if handled else "uri status_code"
        status_node = args.get("status_code")
        raises_at = self.span(status_node) if status_node is not None else None
        use = (key_node.start_mark.index, key_node.end_mark.index)
        yield ApiCallFact(method, value, f"uri {method}" if method != "GET" else "uri", use, body, raises, raises_at,
                          statuses if statuses else (200,), via)

    def headers(self, args: Args, env: Env) -> Iterator[object]:
        from nexus_lint.values.secrets import header_secret, located

        node = args.get("headers")
        for key, _k, v in self.yd.items(node):
            raw = self.scalar(v)
            if raw is None or key.lower() not in ("authorization", "proxy-authorization"):
                continue
            part = header_secret(f"{key}: {raw.text}", test_code=self.test_code)
            if part is None:
                continue
            s, e = part[0] - len(key) - 2, part[1] - len(key) - 2
            if s < 0:
                continue
            secret = raw[s:e]
            if located(secret):
                yield CredentialFact(key, Secret(secret), TOKEN, f"{key} header", secret.extent() or self.span(v), "http")

    def body(self, node, body_format: str, env: Env) -> Optional[JsonBody]:
        y = self.yaml
        if isinstance(node, y.MappingNode):
            keys = tuple(k for k, _kn, _v in self.yd.items(node))
            if not node.value:
                return None
            first = node.value[0][0]
            at = first.start_mark.index
            if node.flow_style:
                insertion = (at, ENTRY + ", ")
            else:
                insertion = (at, ENTRY + "\n" + " " * first.start_mark.column)
            return JsonBody(keys, self.span(node), (), (insertion,), '"', ": ")
        raw = self.scalar(node)
        if raw is None:
            return None
        from nexus_lint.lang.jsonbody import json_text_body

        value, _via = self.render(raw, env)
        return json_text_body(value)

    def _m_pip(self, task, key_node, args, env, environment):
        for raw in self.scalars(args.get("name")):
            if "://" in raw.text:
                yield from self.urls(raw, INSTALL, "pip name", env)
        extra = self.scalar(args.get("extra_args"))
        if extra is not None:
            # through pip's own option parser: `pip install <extra_args>`
            script = SourcedStr.join([SourcedStr.unknown("pip install "), extra])
            yield from self.shell(script, env, environment)

    def _m_npm(self, task, key_node, args, env, environment):
        yield from self.urls(args.get("registry"), INSTALL, "npm registry", env)

    def _m_docker_login(self, task, key_node, args, env, environment):
        return iter(())  # its password: the credential reading; its registry: no fact of its own

    def _m_docker_image(self, task, key_node, args, env, environment):
        if self.text_arg(args, "state") == "absent":
            return
        source = self.text_arg(args, "source")
        built = source == "build" or (not source and (args.get("build") is not None or args.get("path") is not None))
        push = self.flag(args, "push")
        repository = args.get("repository")
        if built or source in ("load", "local"):
            name_role = LOCAL
        else:
            name_role = PULL
        origin = "docker_image"
        if push and repository is not None:
            yield from self.image(repository, PUSH, f"{origin} repository (push)", env)
        elif repository is not None:
            yield from self.image(repository, LOCAL, f"{origin} repository", env)
        if push and repository is None:
            if name_role == PULL and source == "pull":
                yield from self.image(args.get("name"), PULL, f"{origin} name (source: pull)", env)
            yield from self.image(args.get("name"), PUSH, f"{origin} name (push)", env)
        else:
            label = "source: pull" if name_role == PULL else (f"source: {source}" if source else "build")
            yield from self.image(args.get("name"), name_role, f"{origin} name ({label})", env)

    def _m_docker_image_pull(self, task, key_node, args, env, environment):
        yield from self.image(args.get("name"), PULL, "docker_image_pull name", env)

    def _m_docker_image_push(self, task, key_node, args, env, environment):
        yield from self.image(args.get("name"), PUSH, "docker_image_push name", env)

    def _m_docker_container(self, task, key_node, args, env, environment):
        if self.text_arg(args, "state") == "absent":
            return
        mod = short_name(key_node.value)
        yield from self.image(args.get("image"), PULL, f"{mod} image", env)

    _m_docker_swarm_service = _m_podman_container = _m_docker_container

    def _m_podman_image(self, task, key_node, args, env, environment):
        if self.text_arg(args, "state") == "absent":
            return
        built = args.get("path") is not None or self.text_arg(args, "state") == "build"
        pulls = self.flag(args, "pull", True) and not built
        if self.flag(args, "push"):
            dest = self.yd.get(args.get("push_args"), "dest") if isinstance(args.get("push_args"), self.yaml.MappingNode) else None
            dest = dest if dest is not None else args.get("dest")
            if dest is not None:
                yield from self.image(dest, PUSH, "podman_image push_args.dest", env)
                if pulls:
                    yield from self.image(args.get("name"), PULL, "podman_image name", env)
            else:
                yield from self.image(args.get("name"), PUSH, "podman_image name (push)", env)
            return
        yield from self.image(args.get("name"), PULL if pulls else LOCAL, "podman_image name", env)

    def _m_podman_login(self, task, key_node, args, env, environment):
        return iter(())

    def _m_helm(self, task, key_node, args, env, environment):
        yield from self.urls(args.get("chart_repo_url"), INSTALL, "helm chart_repo_url", env)
        ref = self.scalar(self.arg(args, "chart_ref", "chart"))
        if ref is not None and ref.text.strip().startswith("oci://"):
            yield from self.image(ref.strip()[len("oci://"):], PULL, "helm chart_ref oci://", env)
        values = self.arg(args, "values", "release_values")
        if isinstance(values, self.yaml.MappingNode):
            yield from self.k8s_reader().document(values)

    def _m_helm_repository(self, task, key_node, args, env, environment):
        yield from self.urls(self.arg(args, "repo_url", "url"), INSTALL, "helm_repository repo_url", env)

    def _m_k8s(self, task, key_node, args, env, environment):
        from nexus_lint.kinds.kubernetes_facts import secret_data

        definition = self.arg(args, "definition", "resource_definition", "inline")
        y = self.yaml
        docs = definition.value if isinstance(definition, y.SequenceNode) else [definition]
        for doc in docs:
            if isinstance(doc, y.MappingNode):
                yield from self.k8s_reader().document(doc)
                yield from secret_data(doc, self.text, self.skip)

    def _m_set_fact(self, task, key_node, args, env, environment):
        return iter(())



def path_role(text: str, role: str) -> str:
    """API for the REST API and HEALTH for the health path, whatever the module."""
    from nexus_lint.values.urls import parse_url

    url = parse_url(text)
    if url is None:
        return role
    if url.path.startswith("/service/rest/"):
        return API
    if url.path.rstrip("/") == "/health" and role == BROWSE:
        return HEALTH
    return role


def repository_path(text: str) -> bool:
    from nexus_lint.values.urls import parse_url

    url = parse_url(text) if text.lower().startswith(("http://", "https://")) else None
    return url is not None and url.path.startswith("/repository/")


