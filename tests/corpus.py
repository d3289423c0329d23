"""Seed files for the property tests and the fuzz run (``fuzz/run.py``).

One or more valid files per file kind, each with findings, fixes, suppressions
and the constructs its extractor knows (variables, anchors, heredocs, ...), plus
the rule pages' examples.  A kind added later (a plugin, a new extractor) with
no seed here still gets a generic one, so nothing is left unfuzzed.
"""

from __future__ import annotations

import codecs
from typing import Dict, List, Union

SEEDS: Dict[str, List[str]] = {
    "dockerfile": [
        """# syntax=docker/dockerfile:1
ARG BASE=python:3.11-slim
ARG REG=nexus.shared.cwiq.io:8443
FROM ${BASE} AS build
ENV PIP_INDEX_URL=http://nexus.shared.cwiq.io/repository/pypi-group/simple
# nexus-lint: ignore[NX104]
FROM cwiq-base:1
RUN pip install -i https://nexus.dev.cwiq.io/repository/pypi-hosted/simple requests \\
 && docker pull ubuntu:22.04 \\
 && docker push nexus.shared.cwiq.io:8444/orchestrator/app:1
COPY --from=alpine:3.19 /bin/sh /sh
RUN --mount=type=cache,from=busybox,target=/x echo hi
RUN <<EOF
curl -T x.tgz https://nexus.shared.cwiq.io/repository/raw-hosted-prod/x.tgz
docker pull $REG/orchestrator/tool
EOF
FROM nexus.shared.cwiq.io/library/node:20
""",
        "FROM ubuntu\nRUN apt-get update\n",
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo `\n  hi\nFROM docker.io/library/nginx:1.25 AS web\n",
    ],
    "gitlab-ci": [
        """variables:
  REGISTRY: nexus.shared.cwiq.io:8443
  PIP_INDEX_URL: http://nexus.shared.cwiq.io/repository/pypi-group/simple
.base: &base
  image: python:3.11
  services:
    - name: docker:24-dind
      alias: docker
build:
  <<: *base
  stage: build
  script:
    - docker build -t $REGISTRY/orchestrator/app:$CI_COMMIT_SHA .
    - docker push nexus.shared.cwiq.io:8444/orchestrator/app:1  # nexus-lint: ignore[NX103]
    - docker pull ubuntu:22.04
    - curl -u "$U:$P" --upload-file x.tgz https://nexus.dev.cwiq.io/repository/raw-hosted-prod/x.tgz
    - pip install -i https://nexus.shared.cwiq.io/repository/pypi-group requests
test:
  extends: .base
  image:
    name: cwiq-tools:1
    entrypoint: [""]
  script: !reference [build, script]
""",
        "image: alpine\njob:\n  script: [\"echo hi\"]\n",
    ],
    "github-actions": [
        """name: ci
on: [push]
env:
  REG: nexus.shared.cwiq.io:8444
jobs:
  build:
    runs-on: ubuntu-latest
    container: python:3.12
    services:
      db:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
      - uses: docker://alpine:3.19
      - uses: docker/build-push-action@v5
        with:
          push: true
          tags: nexus.shared.cwiq.io:8444/orchestrator/app:1
      - run: |
          docker pull ${{ env.REG }}/library/redis:7
          docker push nexus.shared.cwiq.io/orchestrator/app:2
          twine upload --repository-url http://nexus.shared.cwiq.io/repository/pypi-group/ dist/*
""",
    ],
    "compose": [
        """services:
  web:
    image: nginx:1.25
  db:
    image: "${DB_IMAGE:-postgres:16}"
  app:
    build: .
    image: nexus.shared.cwiq.io:8443/orchestrator/app:1
  # nexus-lint: ignore[NX101]
  cache:
    image: redis
  tool:
    image: cwiq-tool
""",
    ],
    "kubernetes": [
        """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: nexus.shared.cwiq.io:8443/orchestrator/app:1
        - name: side
          image: 'docker.io/library/nginx:1.25'  # nexus-lint: ignore[NX101]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nexus.shared.cwiq.io/orchestrator/c:1}]
""",
        "image:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: 7.2\n",
    ],
    "shell": [
        """#!/usr/bin/env bash
set -euo pipefail
REG=nexus.shared.cwiq.io:8444
IMG="$REG/orchestrator/app:${VERSION:-1}"
docker pull python:3.11  # nexus-lint: ignore[NX101]
docker build -t "$IMG" .
docker push "$IMG"
for b in alpine busybox; do docker pull "$b"; done
bash -c "docker pull ubuntu:22.04"
curl -fsSL -X PUT -T x.tgz http://nexus.shared.cwiq.io/repository/raw-group/x.tgz
pip install --index-url https://nexus.dev.cwiq.io/repository/pypi-hosted-dev/simple requests
echo "$(docker pull node:20)" `docker pull ruby`
cat <<EOF > /tmp/x
docker pull not-a-command
EOF
""",
    ],
    "requirements": [
        """--index-url http://nexus.shared.cwiq.io/repository/pypi-group/simple
--extra-index-url https://nexus.dev.cwiq.io/repository/pypi-hosted/ \\
    # a comment
-i https://nexus.shared.cwiq.io/repository/pypi-proxy
requests==2.31  # nexus-lint: ignore[NX202]
pkg @ https://nexus.shared.cwiq.io/repository/pypi-hosted/packages/pkg-1.0.tar.gz
""",
    ],
    "pip-conf": [
        """[global]
index-url = http://nexus.shared.cwiq.io/repository/pypi-group/simple
extra-index-url =
    https://nexus.dev.cwiq.io/repository/pypi-hosted
    https://nexus.shared.cwiq.io:8443/repository/pypi-group/simple
# nexus-lint: ignore[NX301]
[install]
trusted-host = nexus.shared.cwiq.io
""",
    ],
    "pypirc": [
        """[distutils]
index-servers =
    nexus
    dev

[nexus]
repository = http://nexus.shared.cwiq.io/repository/pypi-group/
username = ci

[dev]
repository: https://nexus.dev.cwiq.io:8444/repository/pypi-hosted-prod/
""",
    ],
    "pyproject": [
        """[project]
name = "x"

[[tool.uv.index]]
name = "nexus"
url = "http://nexus.shared.cwiq.io/repository/pypi-group/simple"

[[tool.poetry.source]]
name = "dev"
url = 'https://nexus.dev.cwiq.io/repository/pypi-hosted'

[[tool.pdm.source]]
name = "x"
url = \"\"\"https://nexus.shared.cwiq.io:8443/repository/pypi-group/simple\"\"\"
""",
    ],
    "npmrc": [
        """registry=http://nexus.shared.cwiq.io/repository/npm-group/
@acme:registry=https://nexus.dev.cwiq.io/repository/npm-hosted/
; nexus-lint: ignore[NX202]
//nexus.shared.cwiq.io/repository/npm-group/:_authToken=${NPM_TOKEN}
always-auth=true
""",
    ],
    "yarnrc": [
        """npmRegistryServer: "http://nexus.shared.cwiq.io/repository/npm-group/"
npmPublishRegistry: https://nexus.shared.cwiq.io:8444/repository/npm-hosted/
npmScopes:
  acme:
    npmRegistryServer: "${REGISTRY:-https://nexus.dev.cwiq.io/repository/npm-group}"
""",
    ],
    "package-json": [
        """{
  "name": "x",
  "publishConfig": {"registry": "http://nexus.shared.cwiq.io/repository/npm-group/"},
  "scripts": {
    "build": "docker build -t nexus.shared.cwiq.io:8444/orchestrator/x:1 . && docker push nexus.shared.cwiq.io:8444/orchestrator/x:1",
    "pull": "docker pull node:20 && npm publish --registry https://nexus.dev.cwiq.io/repository/npm-hosted/"
  }
}
""",
    ],
    "yum-repo": [
        """[nexus]
name=Nexus
baseurl=http://nexus.shared.cwiq.io/repository/yum-group/$releasever/$basearch,
        https://nexus.dev.cwiq.io/repository/yum-hosted-dev/
gpgkey=https://nexus.shared.cwiq.io:8443/repository/raw-group/key.asc
enabled=1
""",
    ],
    "maven": [
        """<?xml version="1.0" encoding="UTF-8"?>
<settings>
  <mirrors>
    <mirror>
      <id>nexus</id>
      <url>http://nexus.shared.cwiq.io/repository/maven-group/</url>
      <mirrorOf>*</mirrorOf>
    </mirror>
  </mirrors>
  <profiles><profile><repositories><repository>
    <url>https://nexus.dev.cwiq.io/repository/maven-hosted/</url>
  </repository></repositories></profile></profiles>
  <!-- nexus-lint: ignore[NX202] -->
  <distributionManagement><repository><url>https://nexus.shared.cwiq.io:8444/repository/maven-group/</url></repository></distributionManagement>
</settings>
""",
    ],
    "docker-config": [
        """{
  "auths": {"nexus.shared.cwiq.io:8444": {"auth": "dXNlcjpwYXNzd29yZA=="}},
  "credsStore": "desktop"
}
""",
    ],
    "python": [
        """import os
import subprocess

import requests

NEXUS = "http://nexus.shared.cwiq.io"
subprocess.run(["docker", "pull", "python:3.11"], check=True)
requests.put(f"{NEXUS}/repository/raw-hosted-prod/x.tgz", data=b"x")
requests.get("https://nexus.dev.cwiq.io/service/rest/v1/status")
os.system("docker push nexus.shared.cwiq.io:8444/orchestrator/x:1")  # nexus-lint: ignore[NX103]
""",
    ],
    "jenkinsfile": [
        """#!/usr/bin/env groovy
def registry = 'nexus.shared.cwiq.io:8444'
pipeline {
  agent { docker { image 'maven:3.9'; registryUrl "https://${registry}" } }
  environment {
    REG = 'nexus.shared.cwiq.io:8443'
    NEXUS_PASSWORD = credentials('nexus')  // a reference
  }
  stages {
    stage('build') {
      steps {
        sh "docker build -t \\$REG/orchestrator/app:${env.BUILD_ID} . && docker push \\$REG/orchestrator/app:${env.BUILD_ID}"
        sh '''
          docker pull python:3.11  # nexus-lint: ignore[NX101]
        '''
        script {
          docker.withRegistry("https://${registry}", 'nexus-ci') {
            def app = docker.build('orchestrator/app:1', '-f Dockerfile .')
            app.push(); app.push('latest')
            docker.image('redis:7').inside { sh 'redis-cli ping' }
          }
        }
        /* sh 'docker pull alpine' */
        sh(script: $/echo $$HOME/$, returnStdout: true).trim()
        sh(/echo "it's slashy"/)
      }
    }
  }
}
""",
    ],
}

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

# One malformed file per kind (path -> content): each must be NX000, in the
# robustness tests and in the real-world run (``fuzz/realworld.py``).
MALFORMED: Dict[str, Union[str, bytes]] = {
    "gitlab/.gitlab-ci.yml": "build:\n  stage: build\n\tscript: [make]\n",
    "gitlab-alias/.gitlab-ci.yml": "build:\n  <<: *missing\n  script: [make]\n",
    "compose/docker-compose.yml": "services:\n  web:\n    image: nginx\n    ports: [80\n",
    "workflow/.github/workflows/ci.yml": "on: push\njobs: {build: {runs-on: x, steps: [}\n",
    "action/action.yml": "runs:\n  using: docker\n  image: 'Dockerfile\n",
    "k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx\n   name: x\n",
    "docker/Dockerfile": "FROM alpine\nRUN <<EOF\necho never ends\n",
    "docker/Containerfile": 'FROM alpine\nCMD ["a", 1]\n',
    "pip/pip.conf": "index-url = http://nexus.shared.cwiq.io/repository/pypi-group/simple\n",
    "pypirc/.pypirc": "[nexus\nrepository = x\n",
    "pyproject/pyproject.toml": '[[tool.uv.index]]\nurl = "http://x\n',
    "npm/package.json": '{"scripts": {"a": "docker pull x",}',
    "maven/pom.xml": "<project><repositories><url>http://x</url></project>",
    "yarn/.yarnrc.yml": "npmRegistryServer: [\n",
    "terraform/main.tf": 'resource "docker_image" "x" {\n  name = "python:3.11\n}\n',
    "bake/docker-bake.hcl": 'target "app" {\n  tags = ["a:1"\n}\n',
    "bake-json/docker-bake.json": '{"target": {"app": {"tags": ["a:1",]}}}',
    "jenkins/Jenkinsfile": "pipeline {\n  stages {\n    stage('a') { steps { sh 'docker pull x } }\n  }\n}\n",
    "binary/compose.yml": PNG,
    "utf16/compose.yml": codecs.BOM_UTF16_LE + "services: {}".encode("utf-16-le") + b"\x00",
}


# What the formats are made of: mutations insert these, so a mutated file hits
# the parsers' corners (quotes, escapes, continuations, heredocs, anchors ...).
TOKENS = [
    "\n", "\r\n", "\r", " ", "\t", "\\", "\\\n", "`", "'", '"', "$", "${", "}", "$(", ")", "${A:-", "$$",
    "#", "# ", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a", "!reference [a, b]", "|", ">",
    "|-", "<<EOF\n", "EOF\n", "<<-", "&&", ";", "=", "==", "@", "/", "//", "://", "..", "%", "?", "&amp;",
    "<", "</", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\x0b", "\x0c", "\x85", "\u2028", "\ufeff", "é", "😀",
    "ß", "FROM ", "RUN ", "ARG X=", "ENV Y ", "COPY --from=", "# escape=`\n", "# syntax=x\n",
    "image: ", "script:", "services:", "uses: docker://", "run: ", "steps:", "variables:", "extends: ", "include: ",
    "docker pull ", "docker push ", "docker build -t ", "curl -T f ", "pip install -i ", "sh -c '", "eval ",
    "nexus-lint: ignore[NX101]", "nexus-lint: ignore[", "python:3.11", "nexus.shared.cwiq.io",
    "nexus.shared.cwiq.io:8443", "nexus.shared.cwiq.io:8444/", "cwiq-x", "http://", "https://",
    "http://nexus.shared.cwiq.io/repository/pypi-group/simple", "/repository/", "[global]\n", "index-url = ",
    "registry=", '{"a": ', "[[tool.uv.index]]\n", "url = ", "<url>", "</url>",
    # Python: string prefixes and escapes (libcst and CPython disagree at the edges), walrus, f-strings
    'b"', 'f"', 'rb"', 'u"', '"""', "'''", 'f"{', '}"', "\\N{", "\\u", "\\x", "\\e", ":=", "**", "->",
    "lambda ", "def ", "async ", "await ", "requests.put(", "json=", "subprocess.run([",
]
SYNTAX_CHARS = list(" \t\n\r\\`'\"$(){}[]#:-,|>&*!<=@/.%?;~^") + ["a", "b", "0", "é", "\x00"]

GENERIC_SEED = """# a file of a kind this corpus does not know
image: python:3.11
url: http://nexus.shared.cwiq.io/repository/pypi-group/simple
run: docker pull ubuntu && curl https://nexus.dev.cwiq.io/
"""


def sample_path(kind) -> str:
    """A relative path that the classifier gives to ``kind``."""
    if kind.names:
        return kind.names[0]
    for glob in kind.globs:
        return glob.replace("*", "x").replace("?", "x")
    for glob in kind.path_globs:
        return glob.replace("*/", "x/", 1).replace("*", "x")
    return kind.name


def seeds_for(kind_name: str) -> List[str]:
    """The seeds of one kind: this module's, then the rule pages' examples of it."""
    out = list(SEEDS.get(kind_name, ()))
    out.extend(_examples_by_kind().get(kind_name, ()))
    return out or [GENERIC_SEED]


_EXAMPLES = None


def _examples_by_kind() -> Dict[str, List[str]]:
    global _EXAMPLES
    if _EXAMPLES is None:
        from pathlib import Path

        from nexus_lint.config import Config
        from nexus_lint.docs import load_pages
        from nexus_lint.pipeline.engine import Linter

        linter = Linter(Config(root=Path(".")))
        found: Dict[str, List[str]] = {}
        for page in load_pages().values():
            for ex in page.examples:
                kind = linter.classifier.by_path(ex.file)
                if kind is not None:
                    found.setdefault(kind.name, []).append(ex.code)
        _EXAMPLES = found
    return _EXAMPLES
