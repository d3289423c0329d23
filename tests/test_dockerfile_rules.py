"""NX101-NX106 on Dockerfiles: findings at the right token, and the traps around them."""

from __future__ import annotations

import pytest

from conftest import codes, lint, where

PULL = "nexus.shared.cwiq.io:8444"


def test_docker_hub_from_points_at_the_image():
    findings = lint("FROM python:3.11-slim AS build\n")
    assert where(findings) == [("NX101", 1, 6)]
    f = findings[0]
    assert (f.end_line, f.end_column) == (1, 12)  # the registry-and-name part
    assert f"{PULL}/library/python:3.11-slim" in f.message
    assert f.fix is not None and f.fix.safety == "safe"


@pytest.mark.parametrize(
    "image",
    [
        "python:3.11",
        "library/python:3.11",
        "docker.io/python:3.11",
        "docker.io/library/python:3.11",
        "index.docker.io/library/python",
        "registry-1.docker.io/library/python",
        "registry.hub.docker.com/bitnami/redis:7",
        "bitnami/redis:7",
        "python@sha256:" + "a" * 64,
    ],
)
def test_every_docker_hub_spelling_is_nx101(image):
    assert codes(lint(f"FROM {image}\n")) == ["NX101"]


@pytest.mark.parametrize(
    "image",
    [
        "gcr.io/distroless/static:nonroot",
        "ghcr.io/astral-sh/uv:0.4",
        "quay.io/prometheus/node-exporter",
        "localhost:5000/app",
        f"{PULL}/library/python:3.11",
        f"{PULL}/orchestrator/api:1.0",
    ],
)
def test_other_registries_and_the_cache_are_clean(image):
    assert lint(f"FROM {image}\n") == []


def test_stage_names_scratch_and_numeric_stages_are_not_images():
    text = (
        f"FROM {PULL}/library/golang:1.22 AS Builder\n"
        "FROM builder AS tested\n"  # stage names match case-insensitively
        "FROM scratch\n"
        "COPY --from=BUILDER /out /out\n"
        "COPY --from=0 /etc/passwd /etc/passwd\n"
        "RUN --mount=type=cache,from=tested,target=/cache true\n"
    )
    assert lint(text) == []


def test_platform_flag_and_comments_are_not_images():
    text = (
        "# FROM python:3.11 is what we used to do\n"
        f"FROM --platform=$BUILDPLATFORM {PULL}/library/golang:1.22 AS build\n"
        "# syntax is fine here\n"
    )
    assert lint(text) == []


def test_arg_default_is_reported_at_the_literal_with_the_use_as_related():
    text = "ARG BASE=python:3.11\nFROM ${BASE}\n"
    findings = lint(text)
    assert where(findings) == [("NX101", 1, 10)]
    rel = findings[0].related
    assert len(rel) == 1 and text[rel[0].start : rel[0].end] == "${BASE}"


def test_arg_whose_default_is_already_correct_is_clean():
    assert lint(f"ARG BASE={PULL}/library/python:3.11\nFROM $BASE AS app\n") == []


def test_arg_without_default_is_not_guessed():
    assert lint("ARG BASE\nFROM ${BASE}\nFROM $REGISTRY/python:3.11\n") == []


def test_arg_with_default_operator_uses_the_default():
    findings = lint("ARG BASE\nFROM ${BASE:-python:3.11}\n")
    assert where(findings) == [("NX101", 2, 14)]


def test_partial_arg_port_is_found_in_the_arg_line():
    text = "ARG REGISTRY=nexus.shared.cwiq.io:8443\nFROM ${REGISTRY}/orchestrator/base:1.0\n"
    findings = lint(text)
    assert where(findings) == [("NX102", 1, 35)]
    assert text[findings[0].start : findings[0].end] == "8443"


def test_copy_from_and_mount_from_images():
    text = (
        f"FROM {PULL}/library/alpine:3.20\n"
        "COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n"
        "RUN --mount=type=bind,from=nexus.shared.cwiq.io:8443/orchestrator/tools:1,target=/t true\n"
    )
    assert where(lint(text)) == [("NX101", 2, 13), ("NX102", 3, 49)]


def test_stage_local_arg_and_env_resolve_copy_from():
    text = (
        f"FROM {PULL}/library/alpine:3.20\n"
        "ARG TOOLS=busybox:1.36\n"
        "COPY --from=${TOOLS} /bin/busybox /bin/busybox\n"
    )
    assert where(lint(text)) == [("NX101", 2, 11)]


def test_push_port_missing_port_and_cwiq_prefix():
    text = (
        "FROM nexus.shared.cwiq.io:8443/orchestrator/a:1\n"
        "FROM nexus.shared.cwiq.io/orchestrator/b:1\n"
        "FROM nexus.shared.cwiq.io:443/orchestrator/c:1\n"
        f"FROM {PULL}/cwiq-api:1\n"
        "FROM nexus.dev.cwiq.io:8443/orchestrator/d:1\n"
    )
    assert where(lint(text)) == [
        ("NX102", 1, 27),
        ("NX106", 2, 6),
        ("NX106", 3, 6),
        ("NX104", 4, 32),
        ("NX102", 5, 24),
    ]


def test_lowercase_instructions_crlf_bom_and_continuations():
    text = "\ufefffrom \\\r\n  python:3.11 \\\r\n  as build\r\n"
    findings = lint(text)
    assert where(findings) == [("NX101", 2, 3)]


def test_unicode_before_the_image_keeps_columns_in_characters():
    text = 'ARG DESCRIPTION="Ünïcödé ✓"\nFROM python:3.11\n'
    assert where(lint(text)) == [("NX101", 2, 6)]
    text = 'FROM scratch\nLABEL d="Ünïcödé ✓" e=✓ FROM=1\nCOPY --from=python:3.11 / /\n'
    assert where(lint(text)) == [("NX101", 3, 13)]


@pytest.mark.parametrize("text,where_,message", [
    ("FROM alpine\nFOO bar\n", (2, 1), "unknown instruction: FOO"),
    ("FROM alpine\nRUN a \\\n b\nfrom-x y\n", (4, 1), "unknown instruction: FROM-X"),
    ("RUN echo hi\nFROM alpine\n", (1, 1), "no build stage in current context (RUN before the first FROM)"),
    ("# syntax=docker/dockerfile:1\nLABEL a=b\nFROM alpine\n", (2, 1), "no build stage in current context"),
    ("# syntax=docker.io/docker/dockerfile-upstream:master-labs\nFROM alpine\nFOO x\n", (3, 1),
     "unknown instruction: FOO"),
])
def test_what_docker_build_rejects_after_parsing_is_nx000(text, where_, message):
    found = lint(text)
    [nx000] = [f for f in found if f.rule.id == "NX000"]
    assert (nx000.line, nx000.column) == where_ and nx000.message.startswith(message)
    assert "NX101" in codes(found)  # the rest of the file is still judged


@pytest.mark.parametrize("text", [
    "# syntax=cmdjulian/mopy:v1\npython: 3.11\npackages: [requests]\n",  # another frontend decides
    "# syntax = example.com/frontends/x@sha256:" + "a" * 64 + "\nFROM alpine\nBUILDME now\n",
    "ARG A=1\n# comment\nARG B\nFROM alpine:$A\n",
    "FROM alpine\nonbuild run echo\nhealthcheck NONE\nstopsignal 9\nmaintainer me\n",
    "# escape=`\nFROM alpine\nRUN echo `\n  hi\n",
    "FROM alpine\nRUN <<EOF\nFOO bar\nEOF\n",
])
def test_every_instruction_buildkit_knows_is_accepted(text):
    assert "NX000" not in codes(lint(text))


def test_image_split_by_a_continuation_is_found():
    text = "FROM pyt\\\nhon:3.11\n"
    findings = lint(text)
    assert codes(findings) == ["NX101"]
    assert findings[0].line == 1


def test_suppression_comment_on_the_line_above():
    text = "# nexus-lint: ignore[NX101]\nFROM python:3.11\nFROM node:20\n"
    assert where(lint(text)) == [("NX101", 3, 6)]
    suppressed = [f for f in lint(text, include_suppressed=True) if f.suppressed]
    assert where(suppressed) == [("NX101", 2, 6)]


def test_suppression_needs_the_right_id_and_covers_continued_instruction():
    text = (
        "# nexus-lint: ignore[NX102]\n"
        "FROM python:3.11\n"
        "# nexus-lint: ignore[NX101, NX104]\n"
        "FROM \\\n  node:20\n"
    )
    assert where(lint(text)) == [("NX101", 2, 6)]


def test_suppressing_the_use_site_covers_a_value_from_an_arg():
    text = "ARG BASE=python:3.11\n# nexus-lint: ignore[NX101]\nFROM ${BASE}\n"
    assert lint(text) == []


def test_stdin_style_unknown_variable_in_copy_from_is_not_guessed():
    assert lint(f"FROM {PULL}/library/alpine:3\nCOPY --from=$STAGE /a /a\n") == []


def test_an_arg_declared_inside_a_stage_does_not_feed_a_later_from():
    # BuildKit expands FROM with global ARGs only: Z is unknown there, so no guess.
    assert lint(f"FROM {PULL}/library/alpine:3\nARG Z=python:3.11\nFROM $Z\n") == []


def test_a_global_arg_redeclared_in_a_stage_feeds_copy_from():
    text = f"ARG TOOLS=busybox:1.36\nFROM {PULL}/library/alpine:3\nARG TOOLS\nCOPY --from=$TOOLS /bin/sh /bin/sh\n"
    assert where(lint(text)) == [("NX101", 1, 11)]


def test_run_commands_and_heredocs_go_through_the_shell_analyser():
    text = (
        f"FROM {PULL}/library/docker:27\n"
        "ARG REG=nexus.shared.cwiq.io:8444\n"
        "RUN docker build -t $REG/orchestrator/app:1 . \\\n"
        " && docker push $REG/orchestrator/app:1\n"
        "RUN <<EOF\n"
        "# docker pull python:3.11 is only a comment\n"
        "echo 'docker pull node:20 is prose'\n"
        "docker pull nexus.shared.cwiq.io:8443/orchestrator/x:1\n"
        "EOF\n"
        'RUN ["docker", "pull", "python:3.11"]\n'
    )
    findings = lint(text)
    assert where(findings) == [("NX103", 2, 30), ("NX102", 8, 34)]
    assert len(findings[0].related) == 2  # the build tag and the push both use $REG


def test_a_local_build_tag_is_not_a_pull():
    text = f"FROM {PULL}/library/docker:27\nRUN docker build -t myapp:dev . && docker tag myapp:dev other:dev\n"
    assert lint(text) == []


def test_the_syntax_directive_frontend_image_is_a_pull():
    text = f"# syntax=docker/dockerfile:1.7\nFROM {PULL}/library/alpine:3\n"
    assert where(lint(text)) == [("NX101", 1, 10)]
    assert lint(f"# syntax={PULL}/docker/dockerfile:1.7\nFROM {PULL}/library/alpine:3\n") == []
    assert lint(f"# a comment\n# syntax=docker/dockerfile:1\nFROM {PULL}/library/alpine:3\n") == []  # not a directive there
