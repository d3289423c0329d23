"""docker buildx bake files (issue 15, item 5): tags are pushes, ``docker-image://``
contexts pulls, ``args`` that feed ``FROM`` build bases, variables resolved."""

from __future__ import annotations

from conftest import codes, fix_text, lint, where, write_tree

HOST = "nexus.shared.cwiq.io"


def test_a_tag_on_the_pull_port_is_a_push_fixed_at_the_variable_default():
    text = (f'variable "REGISTRY" {{\n  default = "{HOST}:8444"\n}}\nvariable "TAG" {{ default = "dev" }}\n'
            'target "app" {\n  tags = ["${REGISTRY}/orchestrator/app:${TAG}"]\n}\n')
    found = lint(text, "docker-bake.hcl")
    assert where(found) == [("NX103", 2, 35)]
    assert 'target "app" tags' in found[0].message
    assert found[0].related and found[0].related[0].start == text.index('"${REGISTRY}')
    assert fix_text(text, "docker-bake.hcl") == text.replace(":8444", ":8443")


def test_a_docker_hub_tag_is_a_push_not_a_pull():
    assert lint('target "app" {\n  tags = ["myorg/app:latest", "app:dev"]\n}\n', "docker-bake.hcl") == []


def test_a_tag_without_the_namespace_and_an_unknown_variable():
    text = f'target "app" {{\n  tags = ["{HOST}:8443/app:1", "${{UNSET}}/x:1", "{HOST}:8443/orchestrator/app:${{TAG}}"]\n}}\n'
    assert codes(lint(text, "docker-bake.hcl")) == ["NX105"]


def test_docker_image_contexts_are_pulls():
    text = 'target "app" {\n  contexts = {\n    base = "docker-image://alpine:3.19"\n    src = "../src"\n  }\n}\n'
    found = lint(text, "docker-bake.hcl")
    assert where(found) == [("NX101", 3, 28)] and "contexts.base" in found[0].message
    assert fix_text(text, "docker-bake.hcl") == text.replace("//alpine", f"//{HOST}:8444/library/alpine")


def test_cache_from_is_a_pull_and_cache_to_a_push():
    text = (f'target "app" {{\n  cache-from = ["type=registry,ref={HOST}:8443/orchestrator/app:cache"]\n'
            f'  cache-to = ["type=registry,ref={HOST}:8444/orchestrator/app:cache,mode=max", "type=gha"]\n}}\n')
    assert where(lint(text, "docker-bake.hcl")) == [("NX102", 2, 57), ("NX103", 3, 55)]


def test_args_that_feed_from_are_build_bases(tmp_path, cli):
    write_tree(tmp_path, {
        "docker-bake.hcl": (f'target "app" {{\n  context = "svc"\n  args = {{\n    BASE = "{HOST}:8443/library/python:3.11"\n'
                            '    VERSION = "1.0"\n  }\n}\n'),
        "svc/Dockerfile": "ARG BASE\nFROM ${BASE} AS build\n",
    })
    result = cli(["check", "--no-cache", "docker-bake.hcl"], cwd=tmp_path)
    assert "docker-bake.hcl:4:34: NX102" in result.out and "args.BASE (FROM)" in result.out
    assert result.out.count(": NX") == 1


def test_an_image_arg_is_judged_without_the_dockerfile():
    text = f'target "app" {{\n  args = {{\n    BASE_IMAGE = "{HOST}:8443/library/python:3.11"\n    NAME = "x:1"\n  }}\n}}\n'
    assert where(lint(text, "docker-bake.hcl")) == [("NX102", 3, 40)]


def test_secrets_in_args_and_variables():
    token = "npm_" + "abcdefghijklmnopqrstuvwxyz0123456789"  # nexus-lint: ignore[NX401] (planted test data)
    text = ('variable "NPM_TOKEN" {\n  default = "' + token + '"\n}\n'
            'target "app" {\n  args = {\n    NEXUS_PASSWORD = "hunter2hunter2"\n    GIT_TOKEN = "${GIT_TOKEN}"\n  }\n}\n')
    found = lint(text, "docker-bake.hcl")
    assert where(found) == [("NX401", 2, 14), ("NX401", 6, 23)]
    assert "build secret" in found[1].message


def test_comments_and_suppressions():
    text = ('# tags = ["python:3"]\ntarget "app" {\n  // contexts = { b = "docker-image://alpine:3" }\n'
            '  contexts = { b = "docker-image://alpine:3" } # nexus-lint: ignore[NX101]\n}\n')
    assert lint(text, "docker-bake.hcl") == []


def test_bake_json_with_variables():
    text = ('{\n  "variable": {"REG": {"default": "' + HOST + ':8444"}},\n'
            '  "target": {\n    "app": {\n      "tags": ["${REG}/orchestrator/app:1"],\n'
            '      "contexts": {"b": "docker-image://alpine:3"}\n    }\n  }\n}\n')
    assert where(lint(text, "docker-bake.json")) == [("NX103", 2, 57), ("NX101", 6, 41)]
    fixed = fix_text(text, "docker-bake.json")
    assert f'"{HOST}:8443"' in fixed and f"docker-image://{HOST}:8444/library/alpine:3" in fixed


def test_override_files_crlf_and_unicode():
    text = '# ü\r\ntarget "app" {\r\n  tags = ["' + HOST + ':8444/orchestrator/ä:1"]\r\n  contexts = { b = "docker-image://alpine:3" }\r\n}\r\n'
    assert where(lint(text, "docker-bake.override.hcl")) == [("NX101", 4, 36)]


def test_broken_bake_files_are_nx000():
    found = lint('target "app" {\n  tags = ["a"\n}\n', "docker-bake.hcl")
    assert codes(found) == ["NX000"] and found[0].line == 2
    found = lint('{"target": {"app": {"tags": ["a",]}}}', "docker-bake.json")
    assert codes(found) == ["NX000"]


def test_from_args_through_inherits(tmp_path, cli):
    write_tree(tmp_path, {
        "docker-bake.hcl": ('target "_common" {\n  context = "svc"\n  dockerfile = "build.Dockerfile"\n}\n'
                            'target "app" {\n  inherits = ["_common"]\n  args = {\n'
                            f'    FROM_HERE = "{HOST}:8443/library/python:3.11"\n  }}\n}}\n'),
        "svc/build.Dockerfile": "ARG FROM_HERE\nFROM $FROM_HERE\n",
    })
    result = cli(["check", "--no-cache", "docker-bake.hcl"], cwd=tmp_path)
    assert "docker-bake.hcl:8:39: NX102" in result.out and "args.FROM_HERE (FROM)" in result.out


def test_a_digest_alone_in_an_image_arg_is_no_docker_hub_pull():
    """``PUBLIC_ALPINE_IMAGE = "sha256:..."`` feeds ``FROM alpine@${PUBLIC_ALPINE_IMAGE}``:
    the value names no image (found in the real-world run)."""
    text = ('target "app" {\n  args = {\n'
            '    PUBLIC_ALPINE_IMAGE = "sha256:25109184c71bdad752c8312a8623239686a9a2071e8825f20acb8f2198c3f659"\n'
            '    BASE_IMAGE = "alpine:3.20"\n  }\n}\n')
    assert codes(lint(text, "docker-bake.hcl")) == ["NX101"]
