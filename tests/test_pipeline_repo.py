"""A realistic GitLab repository, checked through the CLI the way CI runs it."""

from __future__ import annotations

import json
import subprocess

from conftest import write_tree

TEMPLATES = """\
variables:
  REGISTRY: nexus.shared.cwiq.io:8444
.docker:
  image: docker:27
  services:
    - name: docker:27-dind
      alias: docker
"""

PIPELINE = """\
include:
  - local: .gitlab/templates.yml
variables:
  PUSH_REGISTRY: nexus.shared.cwiq.io:8443
.defaults: &defaults
  before_script:
    - echo "logging in"   # docker pull python:3.11 is just a comment here
  tags: [docker]
.build:
  extends: .docker
  script:
    - docker build -t ${REGISTRY}/orchestrator/api:${CI_COMMIT_SHA} .
    - docker push ${REGISTRY}/orchestrator/api:${CI_COMMIT_SHA}
build:
  <<: *defaults
  extends: .build
  stage: build
test:
  image: nexus.shared.cwiq.io:8443/library/python:3.12
  script:
    - !reference [.build, script]
    - curl -f http://nexus.shared.cwiq.io:80/health
release:
  image:
    name: nexus.shared.cwiq.io:8444/library/alpine:3.20
    entrypoint: [""]
  secrets:
    NEXUS_PASSWORD:
      vault: ci/nexus/password@secret
  script:
    - docker push $PUSH_REGISTRY/orchestrator/api:$CI_COMMIT_TAG
"""


def test_gitlab_repository_findings_at_the_right_lines(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, {".gitlab-ci.yml": PIPELINE, ".gitlab/templates.yml": TEMPLATES})
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    found = sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(res.out))
    assert found == [
        # the build pushes through ${REGISTRY}, which the included file sets to 8444:
        # the literal lives in another file, so the finding sits on each use
        (".gitlab-ci.yml", "NX102", 19, 31),  # test: pulls through the push port
        (".gitlab-ci.yml", "NX103", 12, 23),
        (".gitlab-ci.yml", "NX103", 13, 19),
        (".gitlab/templates.yml", "NX101", 4, 10),  # docker:27 straight from Docker Hub
        (".gitlab/templates.yml", "NX101", 6, 13),  # the dind service too
    ]


def test_the_corrected_pipeline_is_clean(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    fixed_templates = TEMPLATES.replace("8444", "8443").replace("docker:27", "nexus.shared.cwiq.io:8444/library/docker:27")
    write_tree(
        tmp_path,
        {".gitlab-ci.yml": PIPELINE.replace("8443/library", "8444/library"), ".gitlab/templates.yml": fixed_templates},
    )
    res = cli(["check", "."], cwd=tmp_path)
    assert res.code == 0, res.out


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "job:\n  image: *i\n  script: *i\n"


def test_a_billion_laughs_pipeline_is_harmless(tmp_path, cli):
    write_tree(tmp_path, {".gitlab-ci.yml": BOMB, "deploy.yaml": "apiVersion: v1\nkind: Pod\n" + BOMB})
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert res.code in (0, 1)
    assert all(f["code"] in ("NX000",) for f in json.loads(res.out))


def test_urls_in_ci_variables_are_checked(tmp_path, cli):
    write_tree(
        tmp_path,
        {
            ".gitlab-ci.yml": (
                "variables:\n"
                "  PIP_INDEX_URL: https://nexus.shared.cwiq.io:8444/repository/pypi-group/simple/\n"
                "  TWINE_REPOSITORY_URL: https://nexus.shared.cwiq.io/repository/pypi-hosted/\n"
                "test:\n"
                "  image: nexus.shared.cwiq.io:8444/library/python:3.12\n"
                "  script: [pytest]\n"
            )
        },
    )
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    found = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(res.out)]
    assert found == [("NX201", 2, 46)]  # the ":8444" to drop
