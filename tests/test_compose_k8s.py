"""docker-compose and Kubernetes / Helm values: image facts and findings through the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import codes, fix_text, lint, make_linter, where, write_tree
from nexus_lint.kinds import compose, kubernetes
from nexus_lint.lang.compose import interpolate, parse_dotenv
from nexus_lint.kinds.base import FileContext
from nexus_lint.core.model import PULL, PUSH, ImageFact, ParseProblem, Suppression
from nexus_lint.core.source import SourceFile
from nexus_lint.core.sourced import SourcedStr

PULL_REG = "nexus.shared.cwiq.io:8444"
PUSH_REG = "nexus.shared.cwiq.io:8443"


def facts(module, text: str, path: str, fs_path=None):
    source = SourceFile(path, text, fs_path=fs_path)
    return list(module.extract(source, FileContext(path, module.__name__.rsplit(".", 1)[-1], False)))


def images(module, text: str, path: str, fs_path=None):
    """(value, role, text at the use site) per image fact."""
    return [(f.value.text, f.role, text[f.use[0]:f.use[1]]) for f in facts(module, text, path, fs_path) if isinstance(f, ImageFact)]


def lint_file(path: Path):
    """Findings for a file on disk (so its folder, e.g. a `.env`, is visible)."""
    linter = make_linter()
    kind = linter.classifier.by_path(path.name)
    result = linter.lint_bytes(path.name, path.read_bytes(), kind, path.name, fs_path=str(path))
    return [f for f in result.findings if not f.suppressed]


def kind_of(path: str):
    kind = make_linter().classifier.by_path(path)
    return kind.name if kind else None


# == docker-compose ====================================================================


@pytest.mark.parametrize("path, kind", [
    ("compose.yml", "compose"), ("compose.yaml", "compose"), ("docker-compose.yml", "compose"),
    ("deploy/docker-compose.prod.yaml", "compose"), ("compose.override.yml", "compose"),
    ("k8s/deploy.yaml", "kubernetes"), ("values.yaml", "kubernetes"), (".github/dependabot.yml", "kubernetes"),
    ("mkdocs.yml", None),
])
def test_file_kinds(path, kind):
    assert kind_of(path) == kind


def test_compose_image_is_a_pull_and_with_build_a_push():
    text = (
        "services:\n"
        "  db:\n"
        "    image: postgres:15\n"
        "  api:\n"
        "    build: .\n"
        "    image: nexus.shared.cwiq.io:8444/orchestrator/api:1.0\n"
        "  worker:\n"
        "    build:\n      context: ./worker\n      dockerfile: Dockerfile\n"
        "    image: nexus.shared.cwiq.io:8443/orchestrator/worker:1.0\n"
        "  cache:\n"
        "    image: nexus.shared.cwiq.io:8443/library/redis:7\n"
    )
    assert images(compose, text, "compose.yml") == [
        ("postgres:15", PULL, "postgres:15"),
        (f"{PULL_REG}/orchestrator/api:1.0", PUSH, f"{PULL_REG}/orchestrator/api:1.0"),
        (f"{PUSH_REG}/orchestrator/worker:1.0", PUSH, f"{PUSH_REG}/orchestrator/worker:1.0"),
        (f"{PUSH_REG}/library/redis:7", PULL, f"{PUSH_REG}/library/redis:7"),
    ]
    assert where(lint(text, "compose.yml")) == [("NX101", 3, 12), ("NX103", 6, 33), ("NX102", 13, 33)]


def test_compose_local_build_name_is_not_docker_hub():
    text = "services:\n  app:\n    build: .\n    image: myapp:dev\n"
    assert images(compose, text, "docker-compose.yml") == [("myapp:dev", PUSH, "myapp:dev")]
    assert lint(text, "docker-compose.yml") == []


@pytest.mark.parametrize("image", ["gcr.io/distroless/static:nonroot", "ghcr.io/org/app:1", "quay.io/coreos/etcd:v3.5",
                                   f"{PULL_REG}/library/postgres:15", f"{PULL_REG}/bitnami/redis:7"])
def test_compose_other_registries_and_correct_pulls_are_clean(image):
    assert lint(f"services:\n  s:\n    image: {image}\n", "compose.yaml") == []


def test_compose_defaults_and_unknown_variables():
    text = (
        "services:\n"
        "  a:\n    image: \"python:${PY_VERSION:-3.11}\"\n"
        "  b:\n    image: ${REGISTRY-nexus.shared.cwiq.io:8443}/library/redis:${TAG:-7}\n"
        "  c:\n    image: ${IMAGE}\n"
        "  d:\n    image: ${REGISTRY:?set REGISTRY}/library/node:20\n"
        "  e:\n    image: nexus.shared.cwiq.io:8443/orchestrator/e:${TAG}\n"
        "  f:\n    image: ${REG:-${FALLBACK:-docker.io}}/library/ruby:3\n"
        "  g:\n    image: ${OPT:+x}alpine:3\n"
        "  h:\n    image: nexus.shared.cwiq.io/$$x\n"
    )
    got = [f for f in facts(compose, text, "compose.yml") if isinstance(f, ImageFact)]
    assert [f.value.text for f in got] == [
        "python:3.11",
        f"{PUSH_REG}/library/redis:7",
        f"{PUSH_REG}/orchestrator/e",  # an unknown tag does not hide the registry
        "docker.io/library/ruby:3",
        "nexus.shared.cwiq.io/$x",
    ]
    port = got[1].value.text.index("8443")
    s, e = got[1].value.span(port, port + 4)
    assert text[s:e] == "8443"
    assert where(lint(text, "compose.yml")) == [("NX101", 3, 13), ("NX102", 5, 44), ("NX102", 11, 33), ("NX101", 13, 31)]
    fixed = fix_text(text, "compose.yml")
    assert "image: \"nexus.shared.cwiq.io:8444/library/python:${PY_VERSION:-3.11}\"" in fixed
    assert "${REGISTRY-nexus.shared.cwiq.io:8444}/library/redis:${TAG:-7}" in fixed
    assert "image: nexus.shared.cwiq.io:8444/orchestrator/e:${TAG}" in fixed


def test_compose_dotenv_next_to_the_file(tmp_path):
    write_tree(tmp_path, {
        ".env": "# settings\nexport REGISTRY=nexus.shared.cwiq.io:8443\nTAG='2.0'\nIMAGE=\"postgres:${PG:-16}\"  \nEMPTY=\n",
        "docker-compose.yml": (
            "services:\n"
            "  app:\n    image: ${REGISTRY}/library/python:${TAG:-1.0}\n"
            "  db:\n    image: ${IMAGE}\n"
            "  x:\n    image: ${EMPTY:-nexus.shared.cwiq.io:8443/library/x:1}\n"
            "  y:\n    image: ${EMPTY-python}:3\n"
        ),
    })
    path = tmp_path / "docker-compose.yml"
    text = path.read_text()
    got = images(compose, text, "docker-compose.yml", fs_path=str(path))
    assert got == [
        (f"{PUSH_REG}/library/python:2.0", PULL, "${REGISTRY}/library/python:${TAG:-1.0}"),
        ("postgres:16", PULL, "${IMAGE}"),
        (f"{PUSH_REG}/library/x:1", PULL, "${EMPTY:-nexus.shared.cwiq.io:8443/library/x:1}"),
        (":3", PULL, "${EMPTY-python}:3"),  # set, though empty: `-` keeps it (compose's own rule)
    ]
    # a value from .env has no place in this file: the finding points at the use, with no fix
    findings = lint_file(path)
    assert where(findings) == [("NX102", 3, 12), ("NX101", 5, 12), ("NX102", 7, 42)]
    assert [f.fix is not None for f in findings] == [False, False, True]
    # without the .env file, only the defaults
    (tmp_path / ".env").unlink()
    assert images(compose, text, "docker-compose.yml", fs_path=str(path)) == [
        (f"{PUSH_REG}/library/x:1", PULL, "${EMPTY:-nexus.shared.cwiq.io:8443/library/x:1}"),
        ("python:3", PULL, "${EMPTY-python}:3"),
    ]


def test_parse_dotenv_forms():
    env = parse_dotenv(
        "A=plain value # comment\nB='single $A'\nC=\"double ${A}\\n\"\nD=${UNSET_THING}\nexport E = spaced\n"
        "F=\"multi\nline\"\n# G=no\nbad line\n"
    )
    assert {k: (None if v is None else v.text) for k, v in env.items()} == {
        "A": "plain value", "B": "single $A", "C": "double plain value\n", "D": None, "E": "spaced", "F": "multi\nline",
    }


def test_interpolate_dollar_escape_and_invalid_forms():
    def lookup(name):
        return ("set", SourcedStr.unknown("v")) if name == "V" else ("unset", None)

    assert interpolate(SourcedStr.literal("a$$b${V}$V", 0), lookup).text == "a$bvv"
    assert interpolate(SourcedStr.literal("a$$b", 0), lookup).span(1, 2) == (1, 2)
    for bad in ("${", "${V", "$-", "${1X}", "${V/x/y}"):
        assert interpolate(SourcedStr.literal(bad, 0), lookup) is None


def test_compose_anchors_merges_and_extension_fields():
    text = (
        "x-common: &common\n"
        "  image: nexus.shared.cwiq.io:8443/library/python:3.11\n"
        "  restart: always\n"
        "x-unused: &unused\n"
        "  image: ruby:3\n"
        "services:\n"
        "  a:\n    <<: *common\n    command: a\n"
        "  b:\n    <<: *common\n    command: b\n"
        "  c:\n    <<: [*common]\n    image: node:20\n"
    )
    assert images(compose, text, "compose.yml") == [
        (f"{PUSH_REG}/library/python:3.11", PULL, f"{PUSH_REG}/library/python:3.11"),
        ("node:20", PULL, "node:20"),
    ]
    assert where(lint(text, "compose.yml")) == [("NX102", 2, 31), ("NX101", 15, 12)]


def test_compose_extends_in_the_same_file_and_legacy_format():
    text = (
        "services:\n"
        "  base:\n    build: .\n    image: nexus.shared.cwiq.io:8444/orchestrator/base:1\n"
        "  child:\n    extends: base\n    command: x\n"
        "  other:\n    extends:\n      file: common.yml\n      service: web\n"
    )
    assert images(compose, text, "compose.yml") == [(f"{PULL_REG}/orchestrator/base:1", PUSH, f"{PULL_REG}/orchestrator/base:1")]
    legacy = "web:\n  image: nginx:1.25\n  links: [db]\ndb:\n  image: nexus.shared.cwiq.io:8444/library/postgres:9\n"
    assert where(lint(legacy, "docker-compose.yml")) == [("NX101", 2, 10)]


def test_compose_fix_in_place_keeps_the_rest_byte_for_byte():
    text = (
        "# stack\n"
        "services:\n"
        "  web:\n"
        "    image: 'nginx:1.25'   # front\n"
        "    ports: [\"80:80\"]\n"
        "  api:\n"
        "      build: { context: . }\n"
        "      image: \"nexus.shared.cwiq.io:8444/orchestrator/api:${TAG:-dev}\"\n"
        "  db:\n"
        "    image: >-\n      nexus.shared.cwiq.io/library/postgres:15\n"
    )
    fixed = fix_text(text, "compose.yaml")
    assert fixed == (
        text.replace("'nginx:1.25'", "'nexus.shared.cwiq.io:8444/library/nginx:1.25'")
        .replace(":8444/orchestrator/api", ":8443/orchestrator/api")
        .replace("nexus.shared.cwiq.io/library/postgres", "nexus.shared.cwiq.io:8444/library/postgres")
    )
    assert lint(fixed, "compose.yaml") == []


def test_compose_comments_suppressions_and_broken_yaml():
    text = (
        "# image: python:3 -- use nexus.shared.cwiq.io:8443? no\n"
        "services:\n"
        "  a:\n    image: python:3  # nexus-lint: ignore[NX101]\n"
        "  b:\n    # nexus-lint: ignore[NX101]\n    image: ruby:3\n"
        "  c:\n    image: node:20  # not docker.io/node\n"
    )
    assert where(lint(text, "compose.yml")) == [("NX101", 9, 12)]
    broken = "services:\n  a:\n    image: python:3\n   b: [\n"
    assert [type(f) for f in facts(compose, broken, "compose.yml")] == [ParseProblem]
    assert codes(lint(broken, "compose.yml")) == ["NX000"]


# == Kubernetes ============================================================================


DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: nexus.shared.cwiq.io/orchestrator/api:1.2  # no port
      containers:
        - name: api
          image: "nexus.shared.cwiq.io:8443/orchestrator/api:1.2"
        - name: sidecar
          image: envoyproxy/envoy:v1.29
---
# a CronJob
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: python:3.12
          restartPolicy: OnFailure
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers: [{name: a, image: gcr.io/distroless/base:debug}]
  ephemeralContainers:
    - {name: dbg, image: 'docker.io/library/busybox:1.36'}
"""


def test_kubernetes_multi_document_workloads():
    assert [(v, r) for v, r, _u in images(kubernetes, DEPLOY, "deploy.yaml")] == [
        ("nexus.shared.cwiq.io/orchestrator/api:1.2", PULL),
        (f"{PUSH_REG}/orchestrator/api:1.2", PULL),
        ("envoyproxy/envoy:v1.29", PULL),
        ("python:3.12", PULL),
        ("gcr.io/distroless/base:debug", PULL),
        ("docker.io/library/busybox:1.36", PULL),
    ]
    assert where(lint(DEPLOY, "k8s/deploy.yaml")) == [
        ("NX106", 10, 18), ("NX102", 13, 40), ("NX101", 15, 18), ("NX101", 30, 20), ("NX101", 39, 27)]


def test_kubernetes_fix_in_place_keeps_the_rest_byte_for_byte():
    fixed = fix_text(DEPLOY, "k8s/deploy.yaml")
    assert fixed == (
        DEPLOY.replace("nexus.shared.cwiq.io/orchestrator/api:1.2", "nexus.shared.cwiq.io:8444/orchestrator/api:1.2")
        .replace("cwiq.io:8443/orchestrator/api", "cwiq.io:8444/orchestrator/api")
        .replace("image: envoyproxy/envoy", "image: nexus.shared.cwiq.io:8444/envoyproxy/envoy")
        .replace("image: python:3.12", "image: nexus.shared.cwiq.io:8444/library/python:3.12")
        .replace("'docker.io/library/busybox:1.36'", "'nexus.shared.cwiq.io:8444/library/busybox:1.36'")
    )
    assert lint(fixed, "k8s/deploy.yaml") == []


def test_kubernetes_lists_custom_resources_and_anchors():
    text = (
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - apiVersion: apps/v1\n"
        "    kind: DaemonSet\n"
        "    spec:\n      template:\n        spec:\n          containers:\n"
        "            - &agent {name: agent, image: 'datadog/agent:7'}\n"
        "  - apiVersion: example.com/v1\n"
        "    kind: Thing\n"
        "    spec:\n      worker:\n        containers:\n          - *agent\n          - {name: x, image: quay.io/x/y:1}\n"
    )
    assert [v for v, _r, _u in images(kubernetes, text, "list.yml")] == ["datadog/agent:7", "quay.io/x/y:1"]
    assert where(lint(text, "list.yml")) == [("NX101", 10, 44)]


def test_kubernetes_image_keys_outside_container_lists_are_not_images():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        "data:\n  image: python:3\n  containers: 'nexus.shared.cwiq.io:8443/x'\n"
        "  note: |\n    containers:\n      - image: python:3\n"
    )
    assert images(kubernetes, text, "cm.yaml") == []
    assert lint(text, "cm.yaml") == []


def test_kubernetes_envsubst_placeholder_in_the_tag_alone():
    text = (
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
        "    - {name: a, image: 'nexus.shared.cwiq.io:8443/orchestrator/a:${TAG}'}\n"
        "    - {name: b, image: '${REGISTRY}/orchestrator/b:1'}\n"
    )
    assert [v for v, _r, _u in images(kubernetes, text, "pod.yaml")] == [f"{PUSH_REG}/orchestrator/a"]
    assert where(lint(text, "pod.yaml")) == [("NX102", 5, 46)]


# -- Helm-style values -------------------------------------------------------------------------


def test_helm_values_assembled_from_registry_repository_and_tag():
    text = (
        "image:\n"
        "  registry: nexus.shared.cwiq.io:8443\n"
        "  repository: library/redis\n"
        "  tag: \"7.2\"\n"
        "  pullPolicy: IfNotPresent\n"
        "metrics:\n"
        "  image:\n"
        "    registry: docker.io\n"
        "    repository: bitnami/redis-exporter\n"
        "    tag: 1.58.0\n"
        "proxy:\n"
        "  image: {repository: nexus.shared.cwiq.io/library/nginx, tag: '1.25'}\n"
        "pinned:\n"
        "  image:\n    repository: ghcr.io/org/tool\n    digest: sha256:" + "a" * 64 + "\n"
        "chartDefault:\n  image:\n    repository: bitnami/redis\n    tag: \"\"\n"
        "plain:\n  image: python:3\n"
        "partial:\n  image: {registry: docker.io, tag: '1'}\n"
    )
    got = [f for f in facts(kubernetes, text, "values.yaml") if isinstance(f, ImageFact)]
    assert [(f.value.text, f.role) for f in got] == [
        (f"{PUSH_REG}/library/redis:7.2", PULL),
        ("docker.io/bitnami/redis-exporter:1.58.0", PULL),
        ("nexus.shared.cwiq.io/library/nginx:1.25", PULL),
        ("ghcr.io/org/tool@sha256:" + "a" * 64, PULL),
    ]
    # the port's characters point at the registry literal
    port = got[0].value.text.index("8443")
    s, e = got[0].value.span(port, port + 4)
    assert (text[s:e], text.count("\n", 0, s) + 1) == ("8443", 2)
    assert where(lint(text, "values.yaml")) == [("NX102", 2, 34), ("NX101", 8, 15), ("NX106", 12, 23)]
    fixed = fix_text(text, "charts/app/values-prod.yaml")
    assert fixed == text.replace("cwiq.io:8443", "cwiq.io:8444").replace(
        "repository: nexus.shared.cwiq.io/library/nginx", "repository: nexus.shared.cwiq.io:8444/library/nginx")


# -- files that are not manifests ----------------------------------------------------------------


DEPENDABOT = """\
version: 2
updates:
  - package-ecosystem: docker
    directory: /
    schedule: {interval: weekly}
    registries: [nexus]
registries:
  nexus:
    type: docker-registry
    url: https://nexus.shared.cwiq.io:8443
"""

MKDOCS = """\
site_name: Docs
nav:
  - Home: index.md
  - Images: images.md   # docker pull python:3
markdown_extensions:
  - pymdownx.superfences
theme:
  name: material
  logo: images/logo.png
"""

RANDOM = """\
# test data
cases:
  - image: python:3
    expected: nexus.shared.cwiq.io:8444/library/python:3
  - image: {name: nginx}
containers:
  - image: nexus.shared.cwiq.io:8443/x:1
"""


@pytest.mark.parametrize("text, name", [
    (DEPENDABOT, ".github/dependabot.yml"), (MKDOCS, "docs/mkdocs.yaml"), (RANDOM, "tests/data/cases.yml"),
    ("a: [\nimage: b\n  c: {\n", "broken.yml"), ("apiVersion: v1\n  x: [\n", "not-quite.yaml"),
    ("kind: Pod\n{{ .Values }}\n", "chart/templates/pod.yaml"),
    ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: {{ .Values.image }}\n", "chart/templates/pod.yaml"),
    ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: \"{{ .Values.registry }}:8443/{{ .Chart.Name }}\"\n"
     "    name: x\n", "chart/templates/pod.yaml"),
    # (a literal image inside `{{- range }}` in a chart template is a pull since issue 16:
    # tests/test_helm_kustomize_skaffold.py)
    ("", "empty.yaml"), ("---\n...\n", "docs.yml"), ("- 1\n- 2\n", "list.yml"), ("\x85\ufeff: x\n", "odd.yml"),
])
def test_non_manifests_give_nothing(text, name):
    assert [f for f in facts(kubernetes, text, name) if not isinstance(f, Suppression)] == []
    assert lint(text, name) == []


def test_helm_values_with_template_strings_are_still_read():
    text = (
        "## e.g. fullnameOverride: \"{{ .Release.Name }}-api\"\n"
        "podAnnotations:\n  checksum: \"{{ include (print $.Template.BasePath) . }}\"\n"
        "image:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: 1.25.3\n"
        "sidecar:\n  image:\n    registry: \"{{ .Values.global.imageRegistry }}\"\n    repository: x\n    tag: '1'\n"
    )
    assert [v for v, _r, _u in images(kubernetes, text, "values.yaml")] == ["docker.io/bitnami/nginx:1.25.3"]
    assert where(lint(text, "values.yaml")) == [("NX101", 5, 13)]


def test_text_without_api_version_or_image_key_is_not_parsed(monkeypatch):
    from nexus_lint.lang import yamldoc

    def boom(text):
        raise AssertionError("parsed")

    monkeypatch.setattr(yamldoc, "load", boom)
    assert facts(kubernetes, MKDOCS, "x.yml") == []
    assert facts(kubernetes, "a: [\n" * 100, "x.yml") == []


def test_broken_manifest_is_nx000_at_the_parser_position():
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: python:3\n     bad: [\n"
    got = facts(kubernetes, text, "pod.yaml")
    assert [type(f) for f in got] == [ParseProblem]
    findings = lint(text, "pod.yaml")
    assert codes(findings) == ["NX000"]
    assert findings[0].line == 7


def test_kubernetes_suppressions():
    text = (
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
        "    - name: a\n      image: python:3  # nexus-lint: ignore[NX101]\n"
        "    - name: b\n      # nexus-lint: ignore[NX101]\n      image: ruby:3\n"
        "    - name: c\n      image: node:20\n"
    )
    assert where(lint(text, "pod.yaml")) == [("NX101", 11, 14)]


@pytest.mark.parametrize("name, kind_module", [("deploy.yaml", kubernetes), ("compose.yml", compose)])
def test_billion_laughs_finishes_fast(name, kind_module):
    lines = ["apiVersion: v1", "kind: Pod", 'c0: &c0 [{name: x, image: "lol:1"}]', "m0: &m0 {image: lol:1, build: .}"]
    for i in range(1, 10):
        lines.append(f"c{i}: &c{i} [" + ", ".join([f"*c{i - 1}"] * 9) + "]")
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "], containers: *c{i - 1}}}")
    lines.append("spec:\n  containers: *c9\n  initContainers: *c9\n  template: *m9")
    lines.append("services:\n" + "".join(f"  s{k}: *m9\n" for k in range(300)))
    text = "\n".join(lines) + "\n"
    got = facts(kind_module, text, name)
    findings = lint(text, name)
    assert {f.value.text for f in got if isinstance(f, ImageFact)} <= {"lol:1"}
    assert set(codes(findings)) <= {"NX000", "NX101"}


def test_many_documents_and_merge_heavy_values_are_all_read():
    doc = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n" + "".join(f"  - {{name: c{i}, image: 'ghcr.io/a/b:{i}'}}\n" for i in range(20))
    text = "---\n".join([doc] * 500)
    base = "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(2000)) + "}\n"
    merges = base + "".join(f"x{i}:\n  image: {{<<: *b, tag: '1'}}\n" for i in range(2000))
    assert len(images(kubernetes, text, "big.yaml")) == 20 * 500
    assert images(kubernetes, merges, "values.yaml") == []


def test_dev_host_outside_ci_context_is_not_nx301():
    text = "services:\n  a:\n    image: nexus.dev.cwiq.io:8444/library/python:3\n"
    assert lint(text, "compose.yml") == []
    pod = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: 'nexus.dev.cwiq.io:8444/library/python:3'}]\n"
    assert lint(pod, "k8s/pod.yaml") == []
    assert where(lint(pod, "ci/pod.yaml")) == [("NX301", 4, 34)]
