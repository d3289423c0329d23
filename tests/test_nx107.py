"""NX107 login-port-mismatch through the real CLI: a login must name the Docker port
its job (shell session) pushes or pulls through (issue 16 item 9)."""

from __future__ import annotations


import pytest

from conftest import check_tree, fix_tree

PUSH = "nexus.shared.cwiq.io:8443"
PULL = "nexus.shared.cwiq.io:8444"
HOST = "nexus.shared.cwiq.io"
STDIN = "-u ci --password-stdin < /run/secrets/nexus"


run, fixed = check_tree, fix_tree


def col(line: str, sub: str) -> int:
    return line.index(sub) + 1


def script(*lines: str) -> str:
    return "#!/bin/sh\nset -eu\n" + "\n".join(lines) + "\n"


# -- a script ------------------------------------------------------------------------------


def test_login_to_the_pull_port_in_a_script_that_pushes(cli, tmp_path):
    login = f"docker login {PULL} {STDIN}"
    text = script(login, f"docker push {PUSH}/orchestrator/api:1.2.0")
    code, found, raw = run(cli, tmp_path, {"publish.sh": text})
    assert code == 1
    assert found == [("NX107", "publish.sh", 3, col(login, "8444"))]
    f = raw[0]
    assert f["end_location"] == {"row": 3, "column": col(login, "8444") + 4}
    assert "pushes through port 8443" in f["message"] and "log in to port 8443" in f["message"]
    assert f["related"][0]["location"]["row"] == 4 and f["related"][0]["message"] == "pushed here by docker push"
    assert fixed(cli, tmp_path, {"publish.sh": text})["publish.sh"] == text.replace(f"login {PULL}", f"login {PUSH}")


def test_login_to_the_push_port_in_a_script_that_only_pulls(cli, tmp_path):
    login = f"podman login {PUSH} {STDIN}"
    text = script(login, f"podman pull {PULL}/orchestrator/api:1.2.0", f"podman run --rm {PULL}/orchestrator/api:1.2.0")
    _, found, raw = run(cli, tmp_path, {"e2e.sh": text})
    assert found == [("NX107", "e2e.sh", 3, col(login, "8443"))]
    assert "only pulls through port 8444" in raw[0]["message"]
    assert fixed(cli, tmp_path, {"e2e.sh": text})["e2e.sh"] == text.replace(f"login {PUSH}", f"login {PULL}")


def test_login_without_a_port_gets_the_port_added(cli, tmp_path):
    login = f"docker login https://{HOST}/ {STDIN}"
    text = script(login, f"docker push {PUSH}/orchestrator/api:1")
    _, found, raw = run(cli, tmp_path, {"p.sh": text})
    assert found == [("NX107", "p.sh", 3, col(login, HOST))]
    assert "names no port" in raw[0]["message"]
    assert fixed(cli, tmp_path, {"p.sh": text})["p.sh"] == text.replace(f"https://{HOST}/", f"https://{PUSH}/")


@pytest.mark.parametrize("login", [
    f"docker login {PUSH} {STDIN}",
    f"echo \"$P\" | docker login --username ci --password-stdin {PUSH}",
    f"docker --config /tmp/d login -u ci --password-stdin {PUSH}",
    f"podman login --tls-verify=true {PUSH} {STDIN}",
    f"buildah login {PUSH} {STDIN}",
    f"nerdctl login {PUSH} {STDIN}",
    f"skopeo login {PUSH} {STDIN}",
    f"helm registry login {PUSH} {STDIN}",
    f"oras login {PUSH} {STDIN}",
    f"crane auth login {PUSH} {STDIN}",
    f"cosign login {PUSH} -u ci -p \"$P\"  # nexus-lint: ignore[NX403]",
])
def test_every_login_tool(cli, tmp_path, login):
    good = script(login, f"docker push {PUSH}/orchestrator/api:1")
    assert run(cli, tmp_path, {"ok.sh": good})[:2] == (0, [])
    bad = good.replace(f" {PUSH}", f" {PULL}", 1)
    line = bad.splitlines()[2]
    assert run(cli, tmp_path, {"ok.sh": bad})[1] == [("NX107", "ok.sh", 3, col(line, "8444"))]


def test_matching_logins_other_hosts_and_docker_hub_are_quiet(cli, tmp_path):
    text = script(
        f"docker login {PUSH} {STDIN}",
        f"docker login {PULL} {STDIN}",  # a job may log in to both
        "docker login ghcr.io -u ci --password-stdin < /t",
        "docker login -u ci --password-stdin < /t",  # Docker Hub
        'docker login "$CI_REGISTRY" -u ci --password-stdin < /t',  # not known here
        f"docker pull {PULL}/orchestrator/base:1",
        f"docker push {PUSH}/orchestrator/api:1",
    )
    assert run(cli, tmp_path, {"ok.sh": text})[:2] == (0, [])


def test_a_login_with_nothing_to_serve_is_not_judged(cli, tmp_path):
    text = script(f"docker login {PULL} {STDIN}", "make release")
    assert run(cli, tmp_path, {"ok.sh": text})[:2] == (0, [])


def test_a_login_on_the_port_of_the_wrong_push_is_left_to_nx103_then_fixed_with_it(cli, tmp_path):
    login = f"docker login {PULL} {STDIN}"
    push = f"docker push {PULL}/orchestrator/api:1"
    text = script(login, push)
    _, found, _ = run(cli, tmp_path, {"p.sh": text})
    assert found == [("NX103", "p.sh", 4, col(push, "8444"))]  # only the push
    assert fixed(cli, tmp_path, {"p.sh": text})["p.sh"] == text.replace(PULL, PUSH)


def test_a_login_variable_that_also_feeds_a_pull_is_reported_without_a_fix(cli, tmp_path):
    text = script(
        f"REGISTRY={PULL}",
        f"docker login $REGISTRY {STDIN}",
        "docker pull $REGISTRY/orchestrator/base:1",
        f"docker push {PUSH}/orchestrator/api:1",
    )
    code, found, raw = run(cli, tmp_path, {"p.sh": text})
    assert found == [("NX107", "p.sh", 3, col(f"REGISTRY={PULL}", "8444"))]
    assert raw[0]["fix"] is None and "$REGISTRY also names the registry" in raw[0]["message"]
    assert raw[0]["related"][0]["location"]["row"] == 4  # the login that uses it


def test_suppression_comment(cli, tmp_path):
    text = script(f"docker login {PULL} {STDIN}  # nexus-lint: ignore[NX107]", f"docker push {PUSH}/orchestrator/a:1")
    assert run(cli, tmp_path, {"p.sh": text})[:2] == (0, [])


# -- GitLab CI -----------------------------------------------------------------------------

ISSUE_PIPELINE = f"""\
stages: [build, test]

default:
  before_script:
    - echo "$NEXUS_PASSWORD" | docker login {PULL} -u ci --password-stdin

build:
  stage: build
  script:
    - docker build -t {PULL}/orchestrator/api:$CI_COMMIT_SHA .
    - docker push {PULL}/orchestrator/api:$CI_COMMIT_SHA

e2e:
  stage: test
  script:
    - docker pull {PULL}/orchestrator/api:$CI_COMMIT_SHA
"""


def test_the_issue_pipeline_logs_in_to_one_port_and_pushes_to_the_other(cli, tmp_path):
    files = {".gitlab-ci.yml": ISSUE_PIPELINE}
    _, found, _ = run(cli, tmp_path, files)
    assert [f[0] for f in found] == ["NX103", "NX103"]  # the pushes; the login agrees with them
    out = fixed(cli, tmp_path, files)[".gitlab-ci.yml"]
    assert f"docker login {PUSH} -u ci" in out  # the login moved with the push
    assert f"docker push {PUSH}/orchestrator/api" in out and f"-t {PUSH}/orchestrator/api" in out
    assert f"docker pull {PULL}/orchestrator/api" in out  # the pull stays on the pull port


def test_default_login_on_the_pull_port_with_a_pushing_job_is_reported(cli, tmp_path):
    text = ISSUE_PIPELINE.replace(f"docker build -t {PULL}", f"docker build -t {PUSH}").replace(
        f"docker push {PULL}", f"docker push {PUSH}")
    _, found, raw = run(cli, tmp_path, {".gitlab-ci.yml": text})
    line = text.splitlines()[4]
    assert found == [("NX107", ".gitlab-ci.yml", 5, col(line, "8444"))]
    assert "job `build` pushes" in raw[0]["message"]


def test_a_pull_only_job_sharing_the_pushing_jobs_login_is_not_reported(cli, tmp_path):
    text = ISSUE_PIPELINE.replace(PULL, PUSH).replace(f"docker pull {PUSH}", f"docker pull {PULL}")
    assert run(cli, tmp_path, {".gitlab-ci.yml": text})[:2] == (0, [])


def test_a_gitlab_variable_login_is_reported_at_its_literal(cli, tmp_path):
    text = f"""\
variables:
  NEXUS_REGISTRY: {PULL}
publish:
  script:
    - docker login $NEXUS_REGISTRY -u ci --password-stdin < $PASSFILE
    - docker push {PUSH}/orchestrator/api:1
"""
    _, found, raw = run(cli, tmp_path, {".gitlab-ci.yml": text})
    assert found == [("NX107", ".gitlab-ci.yml", 2, col(f"  NEXUS_REGISTRY: {PULL}", "8444"))]
    assert raw[0]["related"][0]["location"]["row"] == 5
    out = fixed(cli, tmp_path, {".gitlab-ci.yml": text})[".gitlab-ci.yml"]
    assert f"NEXUS_REGISTRY: {PUSH}" in out


def test_jobs_and_after_script_are_separate_sessions(cli, tmp_path):
    text = f"""\
login-only:
  script:
    - docker login {PULL} -u ci --password-stdin < $F
pusher:
  script:
    - docker push {PUSH}/orchestrator/api:1
  after_script:
    - docker login {PUSH} -u ci --password-stdin < $F
"""
    # the login of another job, or of after_script (its own shell), serves nothing here
    assert run(cli, tmp_path, {".gitlab-ci.yml": text})[:2] == (0, [])


def test_a_template_login_is_judged_in_the_job_that_extends_it_once(cli, tmp_path):
    text = f"""\
.registry:
  before_script:
    - docker login {PULL} -u ci --password-stdin < $F
a:
  extends: .registry
  script:
    - docker push {PUSH}/orchestrator/a:1
b:
  extends: .registry
  script:
    - docker push {PUSH}/orchestrator/b:1
"""
    _, found, raw = run(cli, tmp_path, {".gitlab-ci.yml": text})
    assert found == [("NX107", ".gitlab-ci.yml", 3, col(f"    - docker login {PULL}", "8444"))]


# -- GitHub Actions, Dockerfile ------------------------------------------------------------


def test_github_login_action_and_run_steps_of_one_job(cli, tmp_path):
    text = f"""\
on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: {PULL}
          username: ci
          password: ${{{{ secrets.NEXUS_PASSWORD }}}}
      - run: docker push {PUSH}/orchestrator/api:${{{{ github.sha }}}}
  other:
    runs-on: ubuntu-latest
    steps:
      - run: docker login {PUSH} -u ci --password-stdin <<< "${{{{ secrets.P }}}}"
      - run: docker pull {PULL}/orchestrator/api:1
"""
    _, found, _ = run(cli, tmp_path, {".github/workflows/publish.yml": text})
    assert found == [
        ("NX107", ".github/workflows/publish.yml", 8, col(f"          registry: {PULL}", "8444")),
        ("NX107", ".github/workflows/publish.yml", 15, col(f"      - run: docker login {PUSH}", "8443")),
    ]
    out = fixed(cli, tmp_path, {".github/workflows/publish.yml": text})[".github/workflows/publish.yml"]
    assert f"registry: {PUSH}" in out and f"docker login {PULL}" in out


def test_dockerfile_run_lines_are_one_session(cli, tmp_path):
    text = f"""\
FROM {PULL}/library/docker:27
RUN --mount=type=secret,id=p docker login {PULL} -u ci --password-stdin < /run/secrets/p
RUN crane copy {PULL}/orchestrator/a:1 {PUSH}/orchestrator/a:2
"""
    _, found, _ = run(cli, tmp_path, {"Dockerfile": text})
    assert found == [("NX107", "Dockerfile", 2, col(text.splitlines()[1], "8444"))]


def test_rule_page(cli, tmp_path):
    res = cli(["rule", "NX107"], cwd=tmp_path)
    assert res.code == 0
    assert "login-port-mismatch" in res.out and "\nFix safety\n" in res.out and "docker login" in res.out


def test_a_python_script_is_one_session(cli, tmp_path):
    text = (
        "import subprocess\n"
        "\n"
        f'REGISTRY = "{PULL}"\n'
        'subprocess.run(["docker", "login", REGISTRY, "-u", "ci", "--password-stdin"], check=True)\n'
        f'subprocess.run(["docker", "push", "{PUSH}/orchestrator/api:1"], check=True)\n'
    )
    _, found, _ = run(cli, tmp_path, {"release.py": text})
    assert found == [("NX107", "release.py", 3, col(f'REGISTRY = "{PULL}"', "8444"))]
    assert fixed(cli, tmp_path, {"release.py": text})["release.py"] == text.replace(f'"{PULL}"', f'"{PUSH}"')
