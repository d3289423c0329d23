"""A realistic repository for the benchmark, generated reproducibly from a seed.

The shape is a monorepo of Python services shipped through Nexus: at scale 1
there are 12 services, each with its application package (ordinary Python
that never mentions Nexus: the majority of the files), tests, a multi-stage
Dockerfile with ARGs, Kubernetes manifests and Helm values, package configs
and shell scripts; at the root a GitLab pipeline with local includes, GitHub
workflows, compose files with a ``.env``, docs and a ``.gitignore``d build
folder.  Scale N has 12 x N services (the root files once), so the number of
files grows linearly.  Some files break the policy (Docker Hub pulls, the
push port used to pull, plain http), as real repositories do.

    python bench/corpus.py OUT [--scale N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
from typing import Dict, List

SERVICES_PER_SCALE = 12
NEXUS = "nexus.shared.cwiq.io"

WORDS = (
    "account order invoice customer payment report catalog inventory shipment user session audit metric "
    "ledger quote refund cart price tax discount coupon warehouse carrier route schedule tenant profile "
    "notification template export import batch job queue event stream record entry summary policy rule"
).split()
VERBS = "load save build parse render validate compute merge apply fetch update create delete list find sync".split()
LIBS = ["json", "logging", "os", "re", "datetime", "decimal", "itertools", "functools", "collections",
        "dataclasses", "typing", "pathlib", "uuid", "enum", "contextlib", "math", "statistics", "csv"]
BASE_IMAGES = ["python:3.11-slim", "python:3.12-slim", "alpine:3.19", "debian:bookworm-slim", "ubuntu:22.04",
               "node:20-alpine", "golang:1.22", "redis:7", "postgres:16"]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def name(self, n: int = 2, sep: str = "_") -> str:
        return sep.join(self.pick(WORDS) for _ in range(n))

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # -- Python ------------------------------------------------------------------
    def python_module(self, pkg: str) -> str:
        r = self.r
        lines = [f'"""{self.name(2, " ").capitalize()} {self.pick(VERBS)}ing for the {pkg} service."""', ""]
        lines.append("from __future__ import annotations")
        lines.append("")
        for lib in sorted(r.sample(LIBS, r.randint(2, 6))):
            lines.append(f"import {lib}")
        if self.chance(0.5):
            lines.append(f"from .{self.name(1)} import {self.name(2)}")
        lines += ["", f"log = logging.getLogger(__name__)" if "logging" in "".join(lines) else "", ""]
        lines.append(f"DEFAULT_{self.name(1).upper()}_LIMIT = {r.randint(10, 5000)}")
        lines.append("")
        for _ in range(r.randint(2, 7)):
            if self.chance(0.4):
                cls = "".join(w.capitalize() for w in self.name(2).split("_"))
                lines.append("")
                lines.append(f"class {cls}:")
                lines.append(f'    """A {self.name(2, " ")} and what it knows."""')
                lines.append("")
                lines.append(f"    def __init__(self, {self.name(1)}_id: int, {self.name(1)}: str = \"\") -> None:")
                lines.append(f"        self.items = []")
                lines.append(f"        self.count = 0")
                for _ in range(r.randint(1, 4)):
                    lines.append("")
                    lines.append(f"    def {self.pick(VERBS)}_{self.name(1)}(self, value):")
                    lines += self._body(8)
            else:
                lines.append("")
                lines.append("")
                args = ", ".join(f"{self.name(1)}{i}" for i in range(r.randint(0, 3)))
                lines.append(f"def {self.pick(VERBS)}_{self.name(2)}({args}):")
                lines.append(f'    """{self.pick(VERBS).capitalize()} the {self.name(2, " ")}."""')
                lines += self._body(4)
        return "\n".join(lines) + "\n"

    def _body(self, indent: int) -> List[str]:
        r = self.r
        pad = " " * indent
        out = []
        for _ in range(r.randint(2, 9)):
            k = r.randint(0, 7)
            v = self.name(1)
            if k == 0:
                out.append(f"{pad}{v} = {{\"{self.name(1)}\": {r.randint(0, 99)}, \"{self.name(1)}\": \"{self.name(2, '-')}\"}}")
            elif k == 1:
                out.append(f"{pad}for {v} in range({r.randint(2, 50)}):")
                out.append(f"{pad}    if {v} % {r.randint(2, 7)} == 0:")
                out.append(f"{pad}        continue")
                out.append(f"{pad}    log.debug(\"{self.name(2, ' ')} %s\", {v})" if self.chance(0.5) else f"{pad}    pass")
            elif k == 2:
                out.append(f"{pad}try:")
                out.append(f"{pad}    {v} = int(str({r.randint(1, 999)}))")
                out.append(f"{pad}except ValueError:")
                out.append(f"{pad}    {v} = None")
            elif k == 3:
                out.append(f"{pad}# {self.pick(VERBS)} the {self.name(2, ' ')} before {self.pick(VERBS)}ing it")
                out.append(f"{pad}{v} = [{', '.join(str(r.randint(0, 9)) for _ in range(r.randint(1, 6)))}]")
            elif k == 4:
                out.append(f"{pad}if not {v}_enabled():" if self.chance(0.3) else f"{pad}if len(str({r.randint(0, 9)})) > 1:")
                out.append(f"{pad}    raise RuntimeError(\"{self.name(3, ' ')} is not ready\")")
            elif k == 5:
                out.append(f"{pad}{v} = f\"{{{r.randint(0, 9)}}}-{self.name(1)}\"")
            elif k == 6:
                out.append(f"{pad}{v} = sorted({{{r.randint(0, 9)}, {r.randint(10, 99)}}})")
            else:
                out.append(f"{pad}{v} = \"\"\"")
                out.append(f"{pad}{self.name(6, ' ')}.")
                out.append(f"{pad}\"\"\"")
        out.append(f"{pad}return {self.pick(['None', 'True', 'False', '0', 'result' if False else '[]'])}")
        return out

    def python_test(self, pkg: str) -> str:
        lines = ["import pytest", "", f"from {pkg} import {self.name(1)}", ""]
        for i in range(self.r.randint(3, 10)):
            lines += ["", f"def test_{self.pick(VERBS)}_{self.name(2)}_{i}():",
                      f"    assert {self.r.randint(0, 9)} + {self.r.randint(0, 9)} >= 0",
                      f"    assert \"{self.name(1)}\" != \"{self.name(1)}x\""]
        return "\n".join(lines) + "\n"

    # -- Dockerfiles -----------------------------------------------------------------
    def dockerfile(self, svc: str) -> str:
        r = self.r
        bad = self.chance(0.35)
        base = self.pick(BASE_IMAGES[:5])
        img = base if bad else f"{NEXUS}:8444/library/{base}"
        lines = ["# syntax=docker/dockerfile:1", f"ARG BASE_IMAGE={img}", "ARG APP_VERSION=0.0.0", "",
                 "FROM ${BASE_IMAGE} AS build", "ARG APP_VERSION", "WORKDIR /src"]
        lines.append("ENV PIP_INDEX_URL=https://" + NEXUS + "/repository/pypi-group/simple/" if self.chance(0.6)
                     else "ENV PIP_DISABLE_PIP_VERSION_CHECK=1")
        lines += ["COPY requirements.txt pyproject.toml ./",
                  "RUN --mount=type=cache,target=/root/.cache/pip \\",
                  "    pip install --no-compile -r requirements.txt",
                  "COPY src/ ./src/",
                  "RUN python -m compileall -q src && \\",
                  "    find src -name '*.py' | wc -l"]
        if self.chance(0.3):
            port = "8443" if self.chance(0.5) else "8444"
            lines += [f"FROM {NEXUS}:{port}/orchestrator/tools:{r.randint(1, 9)}.{r.randint(0, 9)} AS tools"]
        lines += ["", f"FROM {img if not bad or self.chance(0.5) else base} AS runtime",
                  "ARG APP_VERSION", 'LABEL org.opencontainers.image.version="${APP_VERSION}"',
                  f"RUN groupadd -r {svc} && useradd -r -g {svc} {svc}",
                  "COPY --from=build /src /app"]
        if self.chance(0.3):
            lines.append("COPY --from=tools /usr/local/bin/healthcheck /usr/local/bin/")
        lines += [f"USER {svc}", "WORKDIR /app", f"EXPOSE {r.choice([8000, 8080, 9000])}",
                  'CMD ["python", "-m", "src"]']
        return "\n".join(lines) + "\n"

    # -- Kubernetes / Helm -------------------------------------------------------------
    def k8s_deployment(self, svc: str) -> str:
        bad = self.chance(0.15)
        image = f"{svc}:latest" if bad else f"{NEXUS}:8444/orchestrator/{svc}:{self.r.randint(1, 40)}.{self.r.randint(0, 9)}"
        return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {svc}
  labels:
    app: {svc}
spec:
  replicas: {self.r.randint(1, 4)}
  selector:
    matchLabels:
      app: {svc}
  template:
    metadata:
      labels:
        app: {svc}
    spec:
      containers:
        - name: {svc}
          image: {image}
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
      initContainers:
        - name: migrate
          image: {NEXUS}:8444/orchestrator/{svc}-migrate:1.{self.r.randint(0, 9)}
"""

    def k8s_service(self, svc: str) -> str:
        return f"""apiVersion: v1
kind: Service
metadata:
  name: {svc}
spec:
  selector:
    app: {svc}
  ports:
    - port: 80
      targetPort: 8080
"""

    def k8s_configmap(self, svc: str) -> str:
        keys = "\n".join(f"  {self.name(2).upper()}: \"{self.name(1)}\"" for _ in range(self.r.randint(3, 12)))
        return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {svc}-config
data:
{keys}
"""

    def plain_yaml(self) -> str:
        """Config YAML that is neither a manifest nor CI (the catch-all kind's common case)."""
        lines = [f"{self.name(1)}:"]
        for _ in range(self.r.randint(3, 15)):
            lines.append(f"  {self.name(1)}_{self.name(1)}: {self.r.randint(0, 500)}")
        lines.append(f"{self.name(1)}s:")
        for _ in range(self.r.randint(1, 6)):
            lines.append(f"  - {self.name(2, '-')}")
        return "\n".join(lines) + "\n"

    def helm_values(self, svc: str) -> str:
        return f"""replicaCount: 2
image:
  registry: {NEXUS}:8444
  repository: orchestrator/{svc}
  tag: "1.{self.r.randint(0, 30)}.0"
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
  port: 80
ingress:
  enabled: false
"""

    # -- package configs ---------------------------------------------------------------
    def requirements(self) -> str:
        pkgs = ["requests", "flask", "sqlalchemy", "pydantic", "celery", "redis", "boto3", "pyyaml", "click",
                "gunicorn", "structlog", "httpx", "alembic", "jinja2"]
        lines = []
        if self.chance(0.5):
            lines.append(f"--index-url https://{NEXUS}/repository/pypi-group/simple/")
        for p in self.r.sample(pkgs, self.r.randint(3, 9)):
            lines.append(f"{p}=={self.r.randint(0, 5)}.{self.r.randint(0, 30)}.{self.r.randint(0, 9)}")
        return "\n".join(lines) + "\n"

    def pyproject(self, pkg: str) -> str:
        out = f"""[project]
name = "{pkg.replace('_', '-')}"
version = "1.{self.r.randint(0, 20)}.0"
requires-python = ">=3.10"
dependencies = ["requests>=2", "pydantic>=2"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""
        if self.chance(0.4):
            out += f"""
[[tool.uv.index]]
name = "nexus"
url = "https://{NEXUS}/repository/pypi-group/simple/"
"""
        return out

    def package_json(self, svc: str) -> str:
        return f"""{{
  "name": "@orchestrator/{svc}-ui",
  "version": "1.{self.r.randint(0, 9)}.0",
  "private": true,
  "scripts": {{
    "build": "vite build",
    "test": "vitest run",
    "lint": "eslint src"
  }},
  "publishConfig": {{
    "registry": "https://{NEXUS}/repository/npm-hosted-dev/"
  }}
}}
"""

    def shell_script(self, svc: str, kind: str) -> str:
        if kind == "deploy":
            return f"""#!/usr/bin/env bash
set -euo pipefail
IMAGE="{NEXUS}:8443/orchestrator/{svc}:${{CI_COMMIT_SHORT_SHA:-dev}}"
docker build -t "$IMAGE" services/{svc}
docker push "$IMAGE"
kubectl -n apps set image deployment/{svc} {svc}="$IMAGE"
"""
        if kind == "publish":
            port = ":8444" if self.chance(0.3) else ""
            return f"""#!/bin/sh
set -e
python -m build
twine upload --repository-url https://{NEXUS}{port}/repository/pypi-hosted-dev/ dist/*
"""
        return f"""#!/usr/bin/env bash
# {self.name(3, ' ')}
set -euo pipefail
cd "$(dirname "$0")/.."
for f in src/*.py; do
  echo "checking $f"
done
python -m pytest -q tests
"""


# -- the root files ------------------------------------------------------------------

def gitlab_ci(g: Gen, services: List[str]) -> Dict[str, str]:
    files = {}
    main = [
        "include:",
        "  - local: .gitlab/build.yml",
        "  - local: .gitlab/deploy.yml",
        "",
        "stages: [test, build, publish, deploy]",
        "",
        "variables:",
        f"  DOCKER_REGISTRY: {NEXUS}:8443",
        f"  PULL_REGISTRY: {NEXUS}:8444",
        f"  PIP_INDEX_URL: https://{NEXUS}/repository/pypi-group/simple/",
        "",
        "default:",
        f"  image: {NEXUS}:8444/library/python:3.12-slim",
        "",
        ".tests: &tests",
        "  stage: test",
        "  script:",
        "    - pip install -r requirements.txt",
        "    - pytest -q",
        "",
    ]
    for svc in services:
        main += [f"test-{svc}:", "  <<: *tests", "  variables:", f"    SERVICE: {svc}", ""]
    main += ["publish:", "  stage: publish", "  script:", "    - ./ci/publish.sh", ""]
    files[".gitlab-ci.yml"] = "\n".join(main) + "\n"
    build = [".build:", "  stage: build", "  image: docker:24", "  services:", "    - docker:24-dind", "  script:",
             "    - docker build -t $DOCKER_REGISTRY/orchestrator/$SERVICE:$CI_COMMIT_SHA services/$SERVICE",
             "    - docker push $DOCKER_REGISTRY/orchestrator/$SERVICE:$CI_COMMIT_SHA", ""]
    for svc in services:
        build += [f"build-{svc}:", "  extends: .build", "  variables:", f"    SERVICE: {svc}", ""]
    files[".gitlab/build.yml"] = "\n".join(build) + "\n"
    deploy = ["deploy:", "  stage: deploy", f"  image: {NEXUS}:8444/orchestrator/kubectl:1.29", "  script:"]
    deploy += [f"    - ./services/{svc}/scripts/deploy.sh" for svc in services[:4]]
    files[".gitlab/deploy.yml"] = "\n".join(deploy) + "\n"
    return files


def github_workflows(g: Gen) -> Dict[str, str]:
    ci = f"""name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    container: {NEXUS}:8444/library/python:3.12
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest -q
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: {NEXUS}:8443
          username: ${{{{ secrets.NEXUS_USER }}}}
          password: ${{{{ secrets.NEXUS_PASSWORD }}}}
      - run: ./ci/build.sh
"""
    lint = """name: lint
on: [pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: { python-version: "3.12" }
      - run: pip install ruff && ruff check .
"""
    release = f"""name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          python -m build
          twine upload --repository-url https://{NEXUS}/repository/pypi-hosted-prod/ dist/*
"""
    return {".github/workflows/ci.yml": ci, ".github/workflows/lint.yml": lint, ".github/workflows/release.yml": release}


def compose(g: Gen, services: List[str]) -> Dict[str, str]:
    lines = ["services:"]
    for svc in services[:8]:
        lines += [f"  {svc}:", f"    image: ${{REGISTRY}}/orchestrator/{svc}:${{TAG:-latest}}",
                  f"    build: ./services/{svc}", "    environment:", "      LOG_LEVEL: debug"]
    lines += ["  db:", "    image: postgres:16", "  cache:", f"    image: {NEXUS}:8444/library/redis:7"]
    return {
        "docker-compose.yml": "\n".join(lines) + "\n",
        "compose.override.yml": "services:\n  db:\n    ports: [\"5432:5432\"]\n",
        ".env": f"REGISTRY={NEXUS}:8444\nTAG=dev\n",
    }


def generate(out: str, scale: int = 1, seed: int = 7) -> Dict[str, int]:
    """Write the repository to ``out`` (replacing it); return counts by kind of file."""
    if os.path.exists(out):
        shutil.rmtree(out)
    g = Gen(seed)
    files: Dict[str, object] = {}
    n = SERVICES_PER_SCALE * scale
    services = [f"{g.name(1, '')}-{i:03d}" for i in range(n)]
    for svc in services:
        pkg = svc.replace("-", "_")
        base = f"services/{svc}"
        for _ in range(g.r.randint(30, 44)):
            files[f"{base}/src/{pkg}/{g.name(2)}.py"] = g.python_module(pkg)
        files[f"{base}/src/{pkg}/__init__.py"] = f'"""The {svc} service."""\n'
        for _ in range(g.r.randint(6, 10)):
            files[f"{base}/tests/test_{g.name(2)}.py"] = g.python_test(pkg)
        files[f"{base}/Dockerfile"] = g.dockerfile(pkg)
        files[f"{base}/requirements.txt"] = g.requirements()
        if g.chance(0.3):
            files[f"{base}/requirements-dev.txt"] = "pytest==8.0.0\nruff==0.4.0\n"
        files[f"{base}/pyproject.toml"] = g.pyproject(pkg)
        files[f"{base}/deploy/deployment.yaml"] = g.k8s_deployment(svc)
        files[f"{base}/deploy/service.yaml"] = g.k8s_service(svc)
        files[f"{base}/deploy/configmap.yaml"] = g.k8s_configmap(svc)
        files[f"{base}/chart/values.yaml"] = g.helm_values(svc)
        files[f"{base}/config/settings.yml"] = g.plain_yaml()
        files[f"{base}/config/logging.yaml"] = g.plain_yaml()
        files[f"{base}/scripts/deploy.sh"] = g.shell_script(svc, "deploy")
        files[f"{base}/scripts/check.sh"] = g.shell_script(svc, "check")
        files[f"{base}/README.md"] = f"# {svc}\n\n{g.name(12, ' ')}.\n"
        files[f"{base}/data/fixtures.json"] = "{\"" + g.name(1) + "\": [1, 2, 3]}\n"
        if g.chance(0.25):
            ui = f"{base}/ui"
            files[f"{ui}/package.json"] = g.package_json(svc)
            files[f"{ui}/.npmrc"] = f"registry=https://{NEXUS}/repository/npm-group/\n"
            files[f"{ui}/src/index.ts"] = "export const x = 1;\n"
        if g.chance(0.1):
            files[f"{base}/static/logo.png"] = bytes(g.r.randrange(256) for _ in range(2048))
    files.update(gitlab_ci(g, services[:12]))
    files.update(github_workflows(g))
    files.update(compose(g, services))
    files["ci/publish.sh"] = g.shell_script("root", "publish")
    files["ci/build.sh"] = g.shell_script(services[0], "deploy")
    files["pip.conf"] = f"[global]\nindex-url = https://{NEXUS}/repository/pypi-group/simple/\n"
    files["maven/settings.xml"] = (
        "<settings><mirrors><mirror><id>nexus</id><mirrorOf>*</mirrorOf>"
        f"<url>https://{NEXUS}/repository/maven-public/</url></mirror></mirrors></settings>\n")
    files["yum/nexus.repo"] = f"[nexus]\nname=Nexus\nbaseurl=https://{NEXUS}/repository/yum-group/$releasever/\ngpgcheck=1\n"
    files[".pre-commit-config.yaml"] = "repos: []\n"
    files[".gitignore"] = "build/\n*.pyc\n.nexus-lint-cache/\n"
    for i in range(30):
        files[f"build/lib/generated_{i}.py"] = "x = 1\n"  # ignored by git: never read
    for i in range(10 * scale):
        files[f"docs/{g.name(2)}_{i}.md"] = f"# {g.name(3, ' ')}\n\n{g.name(40, ' ')}\n"
    counts: Dict[str, int] = {}
    for rel, content in files.items():
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        if rel.endswith(".sh"):
            os.chmod(path, 0o755)
        ext = os.path.splitext(rel)[1] or os.path.basename(rel)
        counts[ext] = counts.get(ext, 0) + 1
    subprocess.run(["git", "init", "-q", out], check=False, capture_output=True)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    counts = generate(a.out, a.scale, a.seed)
    print(f"{sum(counts.values())} files in {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
