"""Docker SDK calls in Python scripts: the images they pull, push and build.

The part of the Python reader (:mod:`nexus_lint.kinds.python_facts`) that knows
the docker SDK: ``client.images.pull("python", tag="3.11")``,
``.images.push(...)``, ``.images.build(tag=...)``, ``.containers.run("redis:7")``
and the low-level ``APIClient`` (``pull``, ``push``, ``create_container``) give
(``containers.create`` and ``create_container`` use a local image and pull
nothing: their images are local names, never a Docker Hub pull)
:class:`~nexus_lint.core.model.ImageFact` s at the exact characters of the
image reference.
"""

from __future__ import annotations

import re
from typing import Optional

import ast

from nexus_lint.core.model import LOCAL, PULL, PUSH, ImageFact
from nexus_lint.lang.python import Span, is_const
from nexus_lint.lang.python_strings import PyStr, unplaced
from nexus_lint.lang.python_values import Evaluator

_FAKE = re.compile(r"fake|mock|stub|dummy", re.I)
_DOCKER_CLIENTS = frozenset({"docker.APIClient", "docker.api.APIClient", "docker.Client", "docker.client.APIClient"})


class DockerCalls:
    """Pass 2 of the Python reader, docker SDK part: mixed into
    :class:`nexus_lint.kinds.python_facts.FactReader`, whose ``an``, ``scope``
    and ``out`` it uses."""

    an: Evaluator

    def _docker_call(self, node: ast.Call, pos: int, recv, attr: str) -> bool:
        """``X.images.pull/push/build``, ``X.containers.run/create`` and ``APIClient`` calls."""
        if isinstance(recv, ast.Attribute) and recv.attr in ("images", "containers"):
            if self._fake_client(recv.value, pos):
                return True  # a test's fake or mock client pulls nothing
            group = recv.attr
            if group == "images" and attr in ("pull", "push"):
                self._docker_image(node, "repository", PULL if attr == "pull" else PUSH, f"docker SDK images.{attr}")
                return True
            if group == "images" and attr == "build":
                self._docker_tag_kw(node, LOCAL, "docker SDK images.build")
                return True
            if group == "containers" and attr in ("run", "create"):
                # run pulls a missing image; create does not (it fails with ImageNotFound)
                role = PULL if attr == "run" else LOCAL
                self._docker_image(node, "image", role, f"docker SDK containers.{attr}", tag_kw=None)
                return True
        if self._docker_api_client(recv, pos):
            if attr in ("pull", "push"):
                self._docker_image(node, "repository", PULL if attr == "pull" else PUSH, f"docker APIClient.{attr}")
            elif attr == "create_container":  # uses a local image, never pulls it
                self._docker_image(node, "image", LOCAL, "docker APIClient.create_container", tag_kw=None)
            return True
        return False

    def _bound_call(self, recv, pos: int) -> Optional[ast.Call]:
        """The call whose result ``recv`` (a name, an attribute or a call) holds, if known."""
        value = None
        if isinstance(recv, ast.Name):
            found = self.an.lookup(recv.id, self.scope, pos)
            value = found[0].node if found is not None else None
        elif isinstance(recv, ast.Attribute):
            found = self.an.attr_lookup(recv, self.scope)
            value = found[0].node if found is not None else None
        elif isinstance(recv, ast.Call):
            value = recv
        return value if isinstance(value, ast.Call) else None

    def _fake_client(self, recv, pos: int) -> bool:
        """A client a test builds as a fake: ``make_fake_client()``, ``MagicMock()``, ``Mock(spec=...)``."""
        call = self._bound_call(recv, pos)
        name = self.an.qualname(call.func) if call is not None else None
        return name is not None and _FAKE.search(name.rpartition(".")[2]) is not None

    def _docker_api_client(self, recv, pos: int) -> bool:
        call = self._bound_call(recv, pos)
        return call is not None and self.an.qualname(call.func) in _DOCKER_CLIENTS

    def _docker_image(self, node: ast.Call, first_kw: str, role: str, origin: str, tag_kw: Optional[str] = "tag") -> None:
        an = self.an
        pos = an.start(node)
        args = an.args(node)
        positional = [a.value for a in args if a.keyword is None and not a.star]
        kw = {a.keyword: a.value for a in args if a.keyword is not None}
        repo_node = positional[0] if positional else kw.get(first_kw)
        if repo_node is None:
            return
        repo = an.string(repo_node, self.scope, pos)
        if repo is None:
            return
        value = repo
        if tag_kw is not None:
            tag_node = kw.get(tag_kw, positional[1] if len(positional) > 1 else None)
            if tag_node is not None and not is_const(tag_node, None):
                tag = an.string_or_hole(tag_node, self.scope, pos)
                value = repo + unplaced(":") + tag
        self._image(value, role, origin, an.span(repo_node))

    def _docker_tag_kw(self, node: ast.Call, role: str, origin: str) -> None:
        an = self.an
        pos = an.start(node)
        for a in an.args(node):
            if a.keyword == "tag":
                v = an.string(a.value, self.scope, pos)
                if v is not None:
                    self._image(v, role, origin, an.span(a.value))

    def _image(self, value: PyStr, role: str, origin: str, use: Span) -> None:
        from nexus_lint.tools.images import known_name

        v = value.value
        if not value.known:
            v = known_name(v)
            if v is None:
                return
        if v.text:
            self.out.facts.append(ImageFact(v, role, origin, use, value.vars))

