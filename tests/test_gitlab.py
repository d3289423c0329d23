"""GitLab CI: image/services/script facts with exact offsets, and the findings users see."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from conftest import codes, lint, make_linter, where, write_tree
from nexus_lint.kinds.gitlab import ci_scripts, extract, local_includes
from nexus_lint.hookspecs import hookimpl
from nexus_lint.kinds.base import FileContext, FileKind
from nexus_lint.core.model import PULL, PUSH, ImageFact, ParseProblem, Suppression
from nexus_lint.core.source import SourceFile

PULL_REG = "nexus.shared.cwiq.io:8444"


# -- helpers -----------------------------------------------------------------------


def facts(text: str, path: str = ".gitlab-ci.yml", fs_path=None):
    source = SourceFile(path, text, fs_path=fs_path)
    return list(extract(source, FileContext(path, "gitlab-ci", True, "gitlab")))


def images(text: str, **kw):
    """(value, role, origin, text at the use site) per image fact."""
    return [(f.value.text, f.role, f.origin, text[f.use[0]:f.use[1]]) for f in facts(text, **kw) if isinstance(f, ImageFact)]


def image_facts(text: str, **kw):
    return [f for f in facts(text, **kw) if isinstance(f, ImageFact)]


def literal(fact: ImageFact, text: str, sub: str) -> str:
    """Where the characters of ``sub`` inside the fact's value stand in ``text``."""
    i = fact.value.text.index(sub)
    span = fact.value.span(i, i + len(sub))
    assert span is not None, f"{sub!r} is not one literal in {fact.value!r}"
    return text[span[0]:span[1]]


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@hookimpl
def _kinds():
    return [
        FileKind(
            name="gitlab-ci",
            extractor="nexus_lint.kinds.gitlab:extract",
            names=(".gitlab-ci.yml", ".gitlab-ci.yaml"),
            globs=("*.gitlab-ci.yml", "*.gitlab-ci.yaml"),
            path_globs=(".gitlab/*",),
            ci=True,
        )
    ]


_LINTER = None


def gl_linter():
    """The real engine; registers the GitLab kind itself until builtin.py does."""
    global _LINTER
    if _LINTER is None:
        linter = make_linter()
        if linter.classifier.by_path(".gitlab-ci.yml") is None:
            linter = make_linter(plugins=[types.SimpleNamespace(nexus_lint_file_kinds=_kinds)])
        _LINTER = linter
    return _LINTER


def gl(text: str, filename: str = ".gitlab-ci.yml", **kw):
    return lint(text, filename, linter=gl_linter(), **kw)


# -- image and services --------------------------------------------------------------


def test_string_image_is_a_pull_at_the_literal():
    text = "build:\n  image: python:3.11\n  script: [make]\n"
    assert images(text) == [("python:3.11", PULL, "image:", "python:3.11")]
    assert where(gl(text)) == [("NX101", 2, 10)]


def test_map_image_name_and_entrypoint_is_ignored():
    text = 'build:\n  image:\n    name: gcr.io/kaniko-project/executor:debug\n    entrypoint: [""]\n  script: [x]\n'
    assert images(text) == [("gcr.io/kaniko-project/executor:debug", PULL, "image:", "gcr.io/kaniko-project/executor:debug")]
    assert gl(text) == []


def test_services_string_and_map_form():
    text = (
        "test:\n"
        "  services:\n"
        "    - postgres:15\n"
        "    - name: nexus.shared.cwiq.io:8443/library/redis:7\n"
        "      alias: cache\n"
        "      entrypoint: [redis-server]\n"
        "  script: [pytest]\n"
    )
    assert images(text) == [
        ("postgres:15", PULL, "services:", "postgres:15"),
        ("nexus.shared.cwiq.io:8443/library/redis:7", PULL, "services:", "nexus.shared.cwiq.io:8443/library/redis:7"),
    ]
    assert where(gl(text)) == [("NX101", 3, 7), ("NX102", 4, 34)]


def test_default_image_and_services_reported_once():
    text = (
        "default:\n"
        "  image: node:20\n"
        "  services: [docker:24-dind]\n"
        "a:\n  script: [npm test]\n"
        "b:\n  script: [npm run lint]\n"
        "c:\n  image: nexus.shared.cwiq.io:8444/library/node:20\n  script: [x]\n"
    )
    assert sorted(images(text)) == sorted([
        ("node:20", PULL, "image:", "node:20"),
        ("docker:24-dind", PULL, "services:", "docker:24-dind"),
        (f"{PULL_REG}/library/node:20", PULL, "image:", f"{PULL_REG}/library/node:20"),
    ])
    assert where(gl(text)) == [("NX101", 2, 10), ("NX101", 3, 14)]


def test_legacy_top_level_image():
    text = "image: ruby:3.2\ntest:\n  script: [rake]\n"
    assert images(text) == [("ruby:3.2", PULL, "image:", "ruby:3.2")]


def test_other_registries_are_facts_but_not_docker_hub():
    text = (
        "a:\n  image: gcr.io/distroless/base:nonroot\n  script: [x]\n"
        "b:\n  image: ghcr.io/org/tool:1\n  script: [x]\n"
        "c:\n  image: quay.io/prometheus/prometheus:v2\n  script: [x]\n"
    )
    assert [v for v, *_ in images(text)] == ["gcr.io/distroless/base:nonroot", "ghcr.io/org/tool:1", "quay.io/prometheus/prometheus:v2"]
    assert gl(text) == []


# -- templates: hidden jobs, extends, anchors, !reference ------------------------------


def test_hidden_job_and_multi_level_extends_report_the_literal_once():
    text = (
        ".base:\n  image: python:3.11\n"
        ".middle:\n  extends: .base\n  services: [redis:7]\n"
        "test:\n  extends: .middle\n  script: [pytest]\n"
        "lint:\n  extends: [.middle]\n  script: [ruff]\n"
    )
    assert images(text) == [
        ("python:3.11", PULL, "image:", "python:3.11"),
        ("redis:7", PULL, "services:", "redis:7"),
    ]
    assert where(gl(text)) == [("NX101", 2, 10), ("NX101", 5, 14)]


def test_extends_deep_merges_variables_and_job_wins():
    text = (
        "variables:\n  REG: docker.io\n"
        ".tpl:\n  image: $REG/library/alpine:3\n  variables:\n    REG: quay.io\n"
        "job:\n  extends: .tpl\n  variables:\n    REG: nexus.shared.cwiq.io:8444\n  script: [x]\n"
    )
    [fact] = image_facts(text)
    assert fact.value.text == f"{PULL_REG}/library/alpine:3"
    assert literal(fact, text, PULL_REG) == PULL_REG
    assert line_of(text, fact.value.offsets[0]) == 10
    assert fact.via == ("REG",)


def test_anchors_and_merge_keys():
    text = (
        ".defaults: &defaults\n"
        "  image: alpine:3.19\n"
        "  before_script:\n"
        "    - docker pull nginx:1.25\n"
        "build:\n"
        "  <<: *defaults\n"
        "  script: [make]\n"
        "deploy:\n"
        "  <<: *defaults\n"
        "  image: nexus.shared.cwiq.io:8444/library/alpine:3.19\n"
        "  script: [./deploy.sh]\n"
    )
    got = images(text)
    assert ("alpine:3.19", PULL, "image:", "alpine:3.19") in got
    assert ("nginx:1.25", PULL, "docker pull", "nginx:1.25") in got
    assert len(got) == 3
    assert where(gl(text)) == [("NX101", 2, 10), ("NX101", 4, 19)]


def test_reference_tag_for_script_image_and_variables():
    text = (
        ".setup:\n"
        "  variables:\n    REGISTRY: nexus.shared.cwiq.io:8444\n"
        "  image: nexus.shared.cwiq.io/library/python:3\n"
        "  script:\n    - docker push $REGISTRY/orchestrator/app\n"
        "release:\n"
        "  variables: !reference [.setup, variables]\n"
        "  image: !reference [.setup, image]\n"
        "  script:\n    - echo start\n    - !reference [.setup, script]\n"
    )
    got = image_facts(text)
    push = [f for f in got if f.role == PUSH]
    assert [f.value.text for f in push] == [f"{PULL_REG}/orchestrator/app"]
    assert literal(push[0], text, "8444") == "8444"
    assert text[push[0].use[0]:push[0].use[1]] == "$REGISTRY/orchestrator/app"
    assert [f.value.text for f in got if f.origin == "image:"] == ["nexus.shared.cwiq.io/library/python:3"]
    assert codes(gl(text)) == ["NX103", "NX106"]


def test_reference_inside_variable_value():
    text = (
        ".vars:\n  variables:\n    BASE: nexus.shared.cwiq.io:8443/library/node:20\n"
        "job:\n  variables:\n    IMG: !reference [.vars, variables, BASE]\n  image: $IMG\n  script: [x]\n"
    )
    [fact] = image_facts(text)
    assert fact.value.text == "nexus.shared.cwiq.io:8443/library/node:20"
    assert literal(fact, text, "8443") == "8443"
    assert where(gl(text)) == [("NX102", 3, 32)]


# -- variables ---------------------------------------------------------------------------


def test_variable_precedence_global_default_job():
    text = (
        "variables:\n  IMG: global/one:1\n"
        "default:\n  variables:\n    IMG: default/two:2\n"
        "only-global:\n  inherit:\n    default: false\n  image: $IMG\n  script: [x]\n"
        "with-default:\n  image: ${IMG}\n  script: [x]\n"
        "with-job:\n  variables:\n    IMG: job/three:3\n  image: $IMG\n  script: [x]\n"
    )
    values = sorted(f.value.text for f in image_facts(text))
    assert values == ["default/two:2", "global/one:1", "job/three:3"]


def test_variable_value_form_and_nested_variables():
    text = (
        "variables:\n"
        "  HOST:\n    value: nexus.shared.cwiq.io\n    description: the registry host\n"
        "  REGISTRY: $HOST:8443\n"
        "  IMAGE: ${REGISTRY}/orchestrator/api\n"
        "build:\n  image: $IMAGE:1.0\n  script: [x]\n"
    )
    [fact] = image_facts(text)
    assert fact.value.text == "nexus.shared.cwiq.io:8443/orchestrator/api:1.0"
    assert literal(fact, text, "nexus.shared.cwiq.io") == "nexus.shared.cwiq.io"
    assert line_of(text, fact.value.span(0, 4)[0]) == 3
    assert literal(fact, text, ":8443") == ":8443"
    assert literal(fact, text, "/orchestrator/api") == "/orchestrator/api"
    assert text[fact.use[0]:fact.use[1]] == "$IMAGE:1.0"
    assert where(gl(text)) == [("NX102", 5, 19)]


def test_expand_false_keeps_the_value_verbatim():
    text = "variables:\n  IMG:\n    value: $NOT_EXPANDED\n    expand: false\njob:\n  image: $IMG\n  script: [x]\n"
    assert [f.value.text for f in image_facts(text)] == ["$NOT_EXPANDED"]


def test_inherit_variables_false():
    text = "variables:\n  IMG: python:3\njob:\n  inherit:\n    variables: false\n  image: $IMG\n  script: [x]\n"
    assert images(text) == []


@pytest.mark.parametrize(
    "image",
    ["$CI_REGISTRY_IMAGE:latest", "$CI_REGISTRY_IMAGE/app:$CI_COMMIT_SHA", "${CI_REGISTRY}/group/app", "$DERIVED"],
)
def test_unknown_variables_are_not_guessed(image):
    text = f"variables:\n  DERIVED: $CI_REGISTRY_IMAGE/x\njob:\n  image: {image}\n  script:\n    - docker push {image}\n"
    assert images(text) == []
    assert gl(text) == []


def test_push_through_registry_variable_lands_on_the_variables_literal():
    text = (
        "variables:\n"
        "  REGISTRY: nexus.shared.cwiq.io:8444\n"
        "publish:\n"
        "  image: nexus.shared.cwiq.io:8444/library/docker:24\n"
        "  script:\n"
        "    - docker build -t ${REGISTRY}/orchestrator/app:1 .\n"
        "    - docker push ${REGISTRY}/orchestrator/app:1\n"
    )
    push = [f for f in image_facts(text) if f.role == PUSH]
    assert push and all(literal(f, text, "8444") == "8444" for f in push)
    assert {text[f.use[0]:f.use[1]] for f in push} == {"${REGISTRY}/orchestrator/app:1"}
    findings = gl(text)
    # `docker build -t` then `docker push`: both push through the same literal
    assert where(findings) == [("NX103", 2, 34)]
    assert {line_of(text, r.start) for r in findings[0].related} == {6, 7}


def test_dollar_dollar_is_a_literal_dollar():
    text = "variables:\n  X: python\njob:\n  image: $$X\n  script: [x]\n"
    assert [f.value.text for f in image_facts(text)] == ["$X"]


def test_script_variables_carry_over_between_items():
    text = (
        "build:\n  script:\n"
        "    - export IMAGE=nexus.shared.cwiq.io:8444/orchestrator/app\n"
        "    - docker push $IMAGE\n"
        "  after_script:\n    - docker push $IMAGE\n"
    )
    push = [f for f in image_facts(text) if f.role == PUSH]
    assert [f.value.text for f in push] == ["nexus.shared.cwiq.io:8444/orchestrator/app"]
    assert text[push[0].use[0]:push[0].use[1]] == "$IMAGE"


def test_tag_then_push_across_script_items_is_a_push():
    text = (
        "build:\n  before_script:\n"
        "    - docker build -t nexus.shared.cwiq.io:8444/orchestrator/app:1 .\n"
        "  script:\n"
        "    - docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n"
        "  after_script:\n"
        "    - docker tag x nexus.shared.cwiq.io:8443/orchestrator/other:1\n"
        "other:\n  script:\n    - docker push nexus.shared.cwiq.io:8443/orchestrator/other:1\n"
    )
    roles = [(line_of(text, f.use[0]), f.role) for f in image_facts(text) if "orchestrator" in f.value.text]
    assert (3, PUSH) in roles and (5, PUSH) in roles
    assert (7, PUSH) not in roles  # after_script is another shell; `other` another job
    assert [w for w in where(gl(text)) if w[0] == "NX103"] == [("NX103", 3, 44), ("NX103", 5, 40)]


def test_template_variable_overridden_by_every_user_is_not_reported_from_the_template():
    text = (
        "variables:\n  REGISTRY: nexus.shared.cwiq.io:8444\n"
        ".push:\n  script:\n    - docker push $REGISTRY/orchestrator/app\n"
        "release:\n  extends: .push\n  variables:\n    REGISTRY: nexus.shared.cwiq.io:8443\n"
    )
    assert gl(text) == []


# -- scripts --------------------------------------------------------------------------


def test_block_scalar_script_exact_offsets():
    text = (
        "deploy:\n"
        "  script: |\n"
        "    set -e\n"
        "    docker pull nexus.shared.cwiq.io:8443/orchestrator/api:1\n"
        "    docker run --rm \\\n"
        "      alpine:3 true\n"
    )
    got = image_facts(text)
    assert [(f.value.text, f.role) for f in got] == [("nexus.shared.cwiq.io:8443/orchestrator/api:1", PULL), ("alpine:3", PULL)]
    for f in got:
        assert text[f.use[0]:f.use[1]] == f.value.text
    assert where(gl(text)) == [("NX102", 4, 38), ("NX101", 6, 7)]


def test_folded_block_scalar_script():
    text = "job:\n  script:\n    - >\n      docker push\n      nexus.shared.cwiq.io:8444/orchestrator/app\n"
    [f] = image_facts(text)
    assert f.role == PUSH and text[f.use[0]:f.use[1]] == "nexus.shared.cwiq.io:8444/orchestrator/app"
    assert where(gl(text)) == [("NX103", 5, 28)]


def test_multi_line_plain_scalar_script():
    text = "job:\n  script:\n    - docker pull\n      nexus.shared.cwiq.io/orchestrator/api:2\n"
    [f] = image_facts(text)
    assert f.value.text == "nexus.shared.cwiq.io/orchestrator/api:2"
    assert text[f.use[0]:f.use[1]] == f.value.text
    assert where(gl(text)) == [("NX106", 4, 7)]


def test_string_script_and_nested_lists_are_flattened():
    text = (
        ".pulls: &pulls\n  - docker pull redis:7\n  - [docker pull memcached:1]\n"
        "job:\n  before_script: docker pull busybox:1\n  script:\n    - *pulls\n    - - - docker pull nginx:1\n"
    )
    assert sorted(f.value.text for f in image_facts(text)) == ["busybox:1", "memcached:1", "nginx:1", "redis:7"]


def test_health_check_and_other_commands_give_no_image():
    text = (
        "check:\n  image: nexus.shared.cwiq.io:8444/library/alpine:3\n  script:\n"
        "    - curl -f http://nexus.shared.cwiq.io:80/health\n"
        "    - echo docker pull python:3\n"
        "    - pip install --index-url https://nexus.shared.cwiq.io/repository/pypi-group/simple/ x\n"
    )
    assert [f.origin for f in image_facts(text)] == ["image:"]
    assert gl(text) == []


def test_vault_secrets_and_other_keys_are_ignored():
    text = (
        "deploy:\n"
        "  image: nexus.shared.cwiq.io:8444/library/alpine:3\n"
        "  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://vault.example.com\n"
        "  secrets:\n"
        "    NEXUS_PASSWORD:\n      vault: ci/nexus/password@secret\n      file: false\n"
        "    DOCKER_IMAGE:\n      vault: python:3.11/x@kv\n"
        "  cache:\n    key: nexus.shared.cwiq.io:8443\n"
        "  artifacts:\n    paths: [docker.io/python]\n"
        "  script: [./deploy.sh]\n"
    )
    assert [f.origin for f in image_facts(text)] == ["image:"]
    assert gl(text) == []


def test_yaml_comments_mentioning_wrong_ports_give_nothing():
    text = (
        "# pull from nexus.shared.cwiq.io:8443/library/python:3 -- no, use 8444\n"
        "build:\n"
        "  image: nexus.shared.cwiq.io:8444/library/python:3  # not docker.io/python or :8443\n"
        "  script:\n"
        "    # docker push nexus.shared.cwiq.io:8444/orchestrator/app\n"
        "    - make  # docker pull python:3\n"
        "    - |\n"
        "      # docker pull python:3\n"
        "      echo done\n"
    )
    assert [f.origin for f in image_facts(text)] == ["image:"]
    assert gl(text) == []


# -- includes ------------------------------------------------------------------------


def _repo(tmp_path: Path, files: dict) -> Path:
    root = write_tree(tmp_path, files)
    (root / ".git").mkdir()
    return root


def test_included_local_file_defines_template_and_variables(tmp_path):
    main = (
        "include:\n"
        "  - local: /ci/templates.yml\n"
        "  - 'ci/more.yml'\n"
        "  - remote: https://example.com/x.yml\n"
        "  - project: group/project\n    file: /x.yml\n"
        "  - template: Auto-DevOps.gitlab-ci.yml\n"
        "variables:\n  MAIN_REG: nexus.shared.cwiq.io:8444\n"
        "publish:\n"
        "  extends: .docker\n"
        "  image: $BASE_IMAGE\n"
        "  script:\n"
        "    - docker push ${REGISTRY}/orchestrator/app\n"
    )
    root = _repo(tmp_path, {
        ".gitlab-ci.yml": main,
        "ci/templates.yml": (
            "variables:\n  REGISTRY: nexus.shared.cwiq.io:8444\n"
            ".docker:\n  services: [docker:24-dind]\n  before_script:\n    - docker pull python:3\n"
                "    - docker push $MAIN_REG/orchestrator/base\n"
            "included-job:\n  image: alpine:3\n  script: [x]\n"
        ),
        "ci/more.yml": "variables:\n  BASE_IMAGE: nexus.shared.cwiq.io:8443/library/docker:24\n",
    })
    got = image_facts(main, fs_path=str(root / ".gitlab-ci.yml"))
    # Only literals of this file: the included services/before_script/job are not
    # reported here, but a command there that uses this file's variable is, on the variable.
    assert [(f.value.text, f.role, f.origin, main[f.use[0]:f.use[1]]) for f in got] == [
        ("nexus.shared.cwiq.io:8443/library/docker:24", PULL, "image:", "$BASE_IMAGE"),
        (f"{PULL_REG}/orchestrator/base", PUSH, "docker push in ci/templates.yml", PULL_REG),
        (f"{PULL_REG}/orchestrator/app", PUSH, "docker push", "${REGISTRY}/orchestrator/app"),
    ]
    # values from the other file have no offsets in this one
    assert all(o == -1 for o in got[0].value.offsets)
    assert all(o == -1 for o in got[2].value.offsets[:len(PULL_REG)])
    linter = gl_linter()
    kind = linter.classifier.by_path(".gitlab-ci.yml")
    result = linter.lint_bytes(".gitlab-ci.yml", main.encode(), kind, ".gitlab-ci.yml", fs_path=str(root / ".gitlab-ci.yml"))
    assert where(result.findings) == [("NX103", 9, 34), ("NX102", 12, 10), ("NX103", 14, 19)]


def test_include_cycles_missing_files_and_escapes_are_harmless(tmp_path):
    main = "include:\n  - local: a.yml\n  - local: missing.yml\n  - local: ../../etc/passwd\n  - local: '*.yml'\njob:\n  extends: .a\n  script: [x]\n"
    root = _repo(tmp_path, {
        ".gitlab-ci.yml": main,
        "a.yml": "include: b.yml\n.a:\n  variables: {X: 1}\n",
        "b.yml": "include:\n  - local: a.yml\n  - local: .gitlab-ci.yml\n",
        "broken.yml": "a: [\n",
    })
    assert images(main, fs_path=str(root / ".gitlab-ci.yml")) == []


def test_nested_include_depth_is_bounded(tmp_path):
    files = {f"ci/{i}.yml": f"include: ci/{i + 1}.yml\n" for i in range(40)}
    files["ci/40.yml"] = "variables:\n  IMG: python:3\n"
    main = "include: ci/0.yml\njob:\n  image: $IMG\n  script: [x]\n"
    files[".gitlab-ci.yml"] = main
    root = _repo(tmp_path, files)
    assert images(main, fs_path=str(root / ".gitlab-ci.yml")) == []  # too deep to follow
    files["ci/3.yml"] = "variables:\n  IMG: python:3\n"
    root = _repo(tmp_path / "shallow", files)
    assert [v for v, *_ in images(main, fs_path=str(root / ".gitlab-ci.yml"))] == ["python:3"]


# -- parsing, hostile input, file encodings -----------------------------------------


def test_broken_yaml_is_a_parse_problem_at_the_parser_position():
    text = "build:\n  image: python:3\n  script: [make\n  stage: test\n"
    got = facts(text)
    assert len(got) == 1 and isinstance(got[0], ParseProblem)
    assert got[0].message.startswith("invalid YAML")
    findings = gl(text)
    assert codes(findings) == ["NX000"]
    assert findings[0].line == 4


def test_billion_laughs_finishes_fast():
    lines = ['a0: &a0 ["docker pull lol:1"]']
    for i in range(1, 10):
        lines.append(f".a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("job:\n  image: *a9\n  services: *a9\n  script: *a9\n  variables: {X: *a9}\n  extends: *a9")
    text = "\n".join(lines) + "\n"
    got = facts(text)
    findings = gl(text)
    assert not any(isinstance(f, ParseProblem) and "internal" in f.message for f in got)
    assert [f.value.text for f in got if isinstance(f, ImageFact)] == ["lol:1"]
    assert set(codes(findings)) <= {"NX000", "NX101"}


def test_merge_key_bomb_in_jobs_finishes_fast():
    lines = ["m0: &m0 {image: python:3}"]
    for i in range(1, 10):
        lines.append(f".m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "]}")
    lines += [f"job{j}: {{<<: *m9, extends: [.m9, .m8, .m7], script: [x]}}" for j in range(200)]
    text = "\n".join(lines) + "\n"
    got = facts(text)
    assert [f.value.text for f in got if isinstance(f, ImageFact)] == ["python:3"]


@pytest.mark.parametrize("text", ["[" * 10_000, "job:\n  script: " + "[" * 10_000 + "\n", "- " * 5000 + "x\n"])
def test_deep_nesting_is_a_parse_problem(text):
    got = facts(text)
    findings = gl(text)
    assert [type(f) for f in got] == [ParseProblem]
    assert codes(findings) == ["NX000"]


@pytest.mark.parametrize(
    "text",
    [
        "a: !reference [a, b]\nb:\n  script: !reference [b, script]\n  image: !reference [a, image]\n",
        "a:\n  extends: b\n  image: !reference [b, image]\nb:\n  extends: a\n  script: !reference [a, script]\n",
        "variables:\n  A: $B\n  B: $A\n  C: ${C}x\njob:\n  image: $A\n  script: [docker pull $C, docker pull $A]\n",
        "variables:\n" + "".join(f"  V{i}: $V{i - 1}$V{i - 1}$V{i - 1}$V{i - 1}\n" for i in range(1, 30))
        + "  V0: x\njob:\n  image: $V29\n  script: [docker pull $V29]\n",
        "job:\n  image: [1, 2]\n  services: {a: b}\n  script: {x: y}\n  variables: [a, b]\n  extends: {x: 1}\n  inherit: [1]\n",
        "a:\n  image: !reference []\n  script: !reference [[x], y]\n  services: !reference {a: b}\n",
        "? [a, b]\n: c\n1: 2\n~: x\n",
        "".join(f".j{i}:\n  extends: [.j{i + 1}, .j{i + 2}]\n" for i in range(60)) + "job:\n  extends: .j0\n  script: [x]\n",
    ],
    ids=["self-reference", "extends-cycle", "variable-cycle", "variable-bomb", "wrong-types", "odd-references",
         "odd-keys", "extends-fan"],
)
def test_hostile_configurations_finish_without_findings(text):
    got = facts(text)
    findings = gl(text)
    assert [f for f in got if not isinstance(f, Suppression)] == []
    assert findings == []


def test_duplicate_keys_last_wins():
    text = "job:\n  image: python:3\n  image: nexus.shared.cwiq.io:8444/library/python:3\n  script: [x]\n"
    assert [v for v, *_ in images(text)] == [f"{PULL_REG}/library/python:3"]
    assert gl(text) == []


def test_multi_document_file_with_spec_header():
    text = (
        "spec:\n  inputs:\n    tag:\n      default: '3'\n"
        "---\n"
        "variables:\n  IMG: python:3\n"
        "job:\n  image: $IMG\n  script: [x]\n"
    )
    [f] = image_facts(text)
    assert literal(f, text, "python:3") == "python:3"
    assert where(gl(text)) == [("NX101", 7, 8)]


def test_crlf_file_offsets():
    text = "variables:\r\n  REG: nexus.shared.cwiq.io:8444\r\njob:\r\n  image: alpine:3\r\n  script: |\r\n    docker push $REG/orchestrator/x\r\n    docker pull redis:7\r\n"
    got = image_facts(text)
    assert [(f.value.text, text[f.use[0]:f.use[1]]) for f in got] == [
        ("alpine:3", "alpine:3"),
        (f"{PULL_REG}/orchestrator/x", "$REG/orchestrator/x"),
        ("redis:7", "redis:7"),
    ]
    assert where(gl(text)) == [("NX103", 2, 29), ("NX101", 4, 10), ("NX101", 7, 17)]


def test_non_ascii_before_the_image():
    text = "# Überprüfung der Abhängigkeiten 😀\nvariables:\n  NOTE: \"naïve ✓\"\njob:\n  image: python:3\n  script: [echo ✓]\n"
    [f] = image_facts(text)
    assert text[f.use[0]:f.use[1]] == "python:3"
    assert where(gl(text)) == [("NX101", 5, 10)]


def test_empty_and_odd_documents_give_nothing():
    for text in ["", "---\n", "- a\n- b\n", "just a string\n", "job: [1, 2]\n", "job:\n  image:\n  script:\n", "image: {}\n"]:
        assert [f for f in facts(text) if not isinstance(f, Suppression)] == []


# -- suppressions ------------------------------------------------------------------------


def test_end_of_line_and_line_above_suppressions():
    text = (
        "a:\n  image: python:3  # nexus-lint: ignore[NX101]\n  script: [x]\n"
        "b:\n  # nexus-lint: ignore[NX101]\n  image: ruby:3\n  script: [x]\n"
        "c:\n  image: node:20\n  script: [x]\n"
    )
    assert where(gl(text)) == [("NX101", 9, 10)]
    assert len(gl(text, include_suppressed=True)) == 3


def test_suppression_above_a_map_form_image_covers_its_name():
    text = "a:\n  # nexus-lint: ignore[NX101]\n  image:\n    name: python:3\n    entrypoint: [\"\"]\n  script: [x]\n"
    assert gl(text) == []


def test_shell_comment_in_a_block_scalar_suppresses():
    text = (
        "a:\n  script: |\n"
        "    # nexus-lint: ignore[NX103]\n"
        "    docker push nexus.shared.cwiq.io:8444/orchestrator/a\n"
        "    docker push nexus.shared.cwiq.io:8444/orchestrator/b  # nexus-lint: ignore[NX103]\n"
        "    docker push nexus.shared.cwiq.io:8444/orchestrator/c\n"
    )
    assert where(gl(text)) == [("NX103", 6, 38)]


def test_hash_inside_quotes_is_not_a_suppression():
    text = (
        "a:\n"
        "  image: \"python:3 # nexus-lint: ignore[NX101]\"\n"
        "  script:\n"
        "    - 'echo \"# nexus-lint: ignore[NX101]\"'\n"
        "    - docker pull ruby:3\n"
    )
    sups = [f for f in facts(text) if isinstance(f, Suppression)]
    assert sups == []


def test_suppression_in_a_variables_block_covers_the_literal():
    text = (
        "variables:\n  REGISTRY: nexus.shared.cwiq.io:8444  # nexus-lint: ignore[NX103]\n"
        "job:\n  script:\n    - docker push $REGISTRY/orchestrator/app\n"
    )
    assert gl(text) == []


# -- CI context: scripts the pipeline runs --------------------------------------------------


def test_ci_scripts_lists_the_scripts_the_pipeline_runs():
    text = (
        "default:\n  before_script:\n    - source ./ci/env.sh\n"
        ".tpl:\n  script:\n    - bash scripts/release.sh --dry-run\n"
        "a:\n  script:\n    - ./ci/publish.sh\n    - sh -e ci/x.sh arg\n    - chmod +x tools/run && tools/run\n"
        "    - cd deploy && ./go.sh\n    - $CI_PROJECT_DIR/ci/y.sh\n    - python3 tools/push.py\n"
        "    - echo ci/not-run.sh\n    - bash -c 'ls'\n    - /usr/local/bin/tool\n    - . ci/env.sh\n"
        "  after_script:\n    - |\n      if true; then\n        ./ci/cleanup.sh\n      fi\n"
        "b:\n  script: !reference [.tpl, script]\n"
    )
    assert ci_scripts(text) == [
        "ci/env.sh",
        "scripts/release.sh",
        "ci/publish.sh",
        "ci/x.sh",
        "tools/run",
        "deploy/go.sh",
        "ci/y.sh",
        "tools/push.py",
        "ci/cleanup.sh",
    ]


def test_ci_scripts_on_broken_yaml_is_empty():
    assert ci_scripts("a: [\n") == []


def test_local_includes_lists_the_included_configuration_files():
    text = (
        "include:\n"
        "  - local: /ci/templates.yml\n"
        "  - ./.gitlab/jobs/*.yml\n"
        "  - 'ci/more.yml'\n"
        "  - remote: https://example.com/x.yml\n"
        "  - https://example.com/y.yml\n"
        "  - project: group/project\n    file: /x.yml\n"
        "  - template: Auto-DevOps.gitlab-ci.yml\n"
        "  - component: gitlab.com/org/comp@1.0\n"
        "  - local: ci/$ENV.yml\n"
    )
    # a path with a variable the file gives no value: whichever file the runner's value may name
    assert local_includes(text) == ["ci/templates.yml", ".gitlab/jobs/*.yml", "ci/more.yml", "ci/*.yml"]
    assert local_includes("include: ci/one.yml\n") == ["ci/one.yml"]
    assert local_includes("a: [\n") == []


def test_an_unknown_tag_alone_does_not_hide_the_registry():
    text = (
        "variables:\n  REGISTRY: nexus.shared.cwiq.io:8444\n"
        "job:\n  image: python:$UNDEFINED\n  script:\n"
        "    - docker build -t ${REGISTRY}/orchestrator/app:$CI_COMMIT_SHA .\n"
        "    - docker push ${REGISTRY}/orchestrator/app:$CI_COMMIT_SHA\n"
    )
    assert where(gl(text)) == [("NX103", 2, 34), ("NX101", 4, 10)]
