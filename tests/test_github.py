"""GitHub Actions: container/services/uses/run/build-push-action facts, through the real engine."""

from __future__ import annotations


import pytest

from conftest import codes, fix_text, lint, where
from nexus_lint.kinds.github import ci_scripts, extract
from nexus_lint.kinds.github_facts import substitute
from nexus_lint.kinds.base import FileContext
from nexus_lint.core.model import LOCAL, PULL, PUSH, ImageFact, ParseProblem, Suppression
from nexus_lint.core.source import SourceFile
from nexus_lint.core.sourced import SourcedStr

WF = ".github/workflows/ci.yml"
PULL_REG = "nexus.shared.cwiq.io:8444"
PUSH_REG = "nexus.shared.cwiq.io:8443"


def facts(text: str, path: str = WF):
    return list(extract(SourceFile(path, text), FileContext(path, "github-actions", True, "github-actions file")))


def images(text: str, path: str = WF):
    """(value, role, origin, text at the use site) per image fact."""
    return [(f.value.text, f.role, f.origin, text[f.use[0]:f.use[1]]) for f in facts(text, path) if isinstance(f, ImageFact)]


def gh(text: str, filename: str = WF, **kw):
    return lint(text, filename, **kw)


def job(body: str, head: str = "") -> str:
    """A workflow with one job whose body is ``body`` (indented by 4)."""
    return "name: ci\non: [push]\n" + head + "jobs:\n  build:\n    runs-on: ubuntu-latest\n" + body


# -- the kind ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [".github/workflows/ci.yml", ".github/workflows/release.yaml", "sub/.github/workflows/x.yml",
                                  "action.yml", ".github/actions/build/action.yaml"])
def test_workflows_and_actions_are_github_actions_files(path):
    from conftest import make_linter

    assert make_linter().classifier.by_path(path).name == "github-actions"


# -- container and services ---------------------------------------------------------------


def test_container_string_form():
    text = job("    container: python:3.11\n    steps:\n      - run: make\n")
    assert images(text) == [("python:3.11", PULL, "container:", "python:3.11")]
    assert where(gh(text)) == [("NX101", 6, 16)]


def test_container_map_form_with_credentials():
    text = job(
        "    container:\n"
        "      image: nexus.shared.cwiq.io:8443/library/node:20\n"
        "      credentials:\n        username: ${{ github.actor }}\n        password: ${{ secrets.NEXUS }}\n"
        "      options: --cpus 1\n"
        "    steps: [{run: make}]\n"
    )
    assert images(text) == [(f"{PUSH_REG}/library/node:20", PULL, "container:", f"{PUSH_REG}/library/node:20")]
    assert where(gh(text)) == [("NX102", 7, 35)]


def test_services_images():
    text = job(
        "    services:\n"
        "      redis:\n        image: redis:7\n        ports: ['6379:6379']\n"
        "      db:\n        image: nexus.shared.cwiq.io/library/postgres:15\n"
        "      cache:\n        image: nexus.shared.cwiq.io:8444/library/memcached:1\n"
        "    steps: [{run: make}]\n"
    )
    assert [v for v, *_ in images(text)] == ["redis:7", "nexus.shared.cwiq.io/library/postgres:15",
                                             f"{PULL_REG}/library/memcached:1"]
    assert where(gh(text)) == [("NX101", 8, 16), ("NX106", 11, 16)]


def test_uses_docker_image_in_job_steps():
    text = job(
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: docker://alpine:3.19\n"
        "        with: {args: echo hi}\n"
        "      - uses: 'docker://nexus.shared.cwiq.io:8443/library/alpine:3'\n"
        "      - uses: docker://ghcr.io/owner/tool:1\n"
    )
    assert images(text) == [
        ("alpine:3.19", PULL, "uses: docker://", "alpine:3.19"),
        (f"{PUSH_REG}/library/alpine:3", PULL, "uses: docker://", f"{PUSH_REG}/library/alpine:3"),
        ("ghcr.io/owner/tool:1", PULL, "uses: docker://", "ghcr.io/owner/tool:1"),
    ]
    assert where(gh(text)) == [("NX101", 8, 24), ("NX102", 10, 46)]


def test_composite_action_steps_and_docker_action_image():
    text = (
        "name: build\n"
        "runs:\n"
        "  using: composite\n"
        "  steps:\n"
        "    - uses: docker://python:3\n"
        "    - shell: bash\n"
        "      run: docker pull nexus.shared.cwiq.io/library/redis:7\n"
    )
    assert where(gh(text, "action.yml")) == [("NX101", 5, 22), ("NX106", 7, 24)]
    docker_action = "name: x\nruns:\n  using: docker\n  image: 'docker://ruby:3'\n  args: [a]\n"
    assert where(gh(docker_action, "action.yaml")) == [("NX101", 4, 20)]
    assert gh("name: x\nruns:\n  using: docker\n  image: Dockerfile\n", "action.yml") == []


@pytest.mark.parametrize("image", ["gcr.io/distroless/static:nonroot", "ghcr.io/actions/runner:2", "quay.io/prometheus/node-exporter:v1",
                                   "public.ecr.aws/lambda/python:3.12", f"{PULL_REG}/library/python:3.11"])
def test_other_registries_and_correct_pulls_are_clean(image):
    text = job(f"    container: {image}\n    services:\n      s:\n        image: {image}\n    steps:\n      - uses: docker://{image}\n"
               f"      - run: docker pull {image}\n")
    assert len(images(text)) == 4
    assert gh(text) == []


# -- expressions ------------------------------------------------------------------------


@pytest.mark.parametrize("expr", ["${{ secrets.IMAGE }}", "${{ matrix.image }}", "${{ matrix.name }}:3",
                                  "${{ vars.REGISTRY }}/library/python:3", "${{ inputs.image }}", "${{ fromJSON(env.X) }}",
                                  "${{ env.UNDEFINED }}", "nexus.shared.cwiq.io:${{ matrix.port }}/library/python:3"])
def test_expressions_are_not_guessed(expr):
    text = job(
        f"    container: {expr}\n"
        f"    services:\n      s:\n        image: '{expr}'\n"
        "    strategy:\n      matrix:\n        image: [python:3, node:20]\n        python: ['3.11']\n"
        "    steps:\n"
        f"      - run: docker pull {expr}\n"
        f"      - run: docker run --rm \"{expr}\" echo\n"
        "      - uses: docker/build-push-action@v6\n"
        f"        with:\n          push: true\n          tags: {expr}\n"
    )
    assert images(text) == []
    assert gh(text) == []


def test_an_unknown_tag_does_not_hide_the_registry_or_the_name():
    text = job(
        "    container: python:${{ matrix.python }}\n"
        "    services:\n      db:\n        image: nexus.shared.cwiq.io:8443/library/postgres:${{ matrix.pg }}\n"
        "    steps:\n"
        "      - run: docker pull node:${{ matrix.node }}\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          push: true\n          tags: nexus.shared.cwiq.io:8444/orchestrator/app@${{ steps.b.outputs.digest }}\n"
    )
    assert [(v, r) for v, r, *_ in images(text)] == [
        ("python", PULL), (f"{PUSH_REG}/library/postgres", PULL), ("node", PULL), (f"{PULL_REG}/orchestrator/app", PUSH)]
    assert where(gh(text)) == [("NX101", 6, 16), ("NX102", 9, 37), ("NX101", 11, 26), ("NX103", 15, 38)]


def test_env_context_is_known_only_where_github_offers_it():
    # container/services have no `env` context in GitHub: `${{ env.X }}` there is not resolved
    text = job(
        "    container: ${{ env.IMG }}\n"
        "    steps:\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          push: true\n          tags: ${{ env.IMG }}\n",
        head="env:\n  IMG: nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
    )
    assert images(text) == [(f"{PULL_REG}/orchestrator/app:1", PUSH, "build-push-action tags:", "${{ env.IMG }}")]
    assert where(gh(text)) == [("NX103", 4, 29)]


def test_substitute_keeps_offsets_of_the_env_literal():
    text = "REG: nexus:8444\nuse: ${{ env.REG }}/x and ${{ env['REG'] }}"
    env = {"REG": SourcedStr.literal("nexus:8444", 5)}
    use = SourcedStr.literal(text[21:], 21)
    got = substitute(use, env)
    assert got.text == "nexus:8444/x and nexus:8444"
    assert got.span(0, 10) == (5, 15)
    assert substitute(use, None) is None
    assert substitute(SourcedStr.literal("a ${{ github.sha }} b", 0), {}, "?").text == "a ? b"


# -- run scripts and env at three levels -------------------------------------------------------


def test_run_with_env_from_workflow_job_and_step_lands_on_each_literal():
    text = job(
        "    env:\n      PROJECT: orchestrator/app\n"
        "    steps:\n"
        "      - name: publish\n"
        "        env:\n          TAG: '1.0'\n"
        "        run: |\n"
        "          docker build -t \"$REGISTRY/$PROJECT:$TAG\" .\n"
        "          docker push \"$REGISTRY/$PROJECT:$TAG\"\n",
        head="env:\n  REGISTRY: nexus.shared.cwiq.io:8444\n",
    )
    got = [f for f in facts(text) if isinstance(f, ImageFact)]
    assert [(f.value.text, f.role) for f in got] == [(f"{PULL_REG}/orchestrator/app:1.0", PUSH)] * 2
    f = got[1]
    for sub in ("nexus.shared.cwiq.io:8444", "orchestrator/app", "1.0"):
        i = f.value.text.index(sub)
        s, e = f.value.span(i, i + len(sub))
        assert text[s:e] == sub
    findings = gh(text)
    assert where(findings) == [("NX103", 4, 34)]
    assert len(findings[0].related) == 2  # both uses


def test_step_env_overrides_job_env_and_job_env_overrides_workflow_env():
    text = job(
        "    env:\n      IMG: nexus.shared.cwiq.io:8444/library/redis:7\n"
        "    steps:\n"
        "      - run: docker pull $IMG\n"
        "      - env:\n          IMG: redis:7\n"
        "        run: docker pull \"${IMG}\"\n",
        head="env:\n  IMG: python:3\n",
    )
    assert [v for v, *_ in images(text)] == [f"{PULL_REG}/library/redis:7", "redis:7"]
    assert where(gh(text)) == [("NX101", 13, 16)]


def test_env_expression_in_run_and_in_step_env():
    text = job(
        "    env:\n      BASE: nexus.shared.cwiq.io:8443/library\n"
        "    steps:\n"
        "      - env:\n          IMAGE: ${{ env.BASE }}/python:3\n"
        "        run: |\n"
        "          docker pull ${{ env.BASE }}/node:20\n"
        "          docker pull $IMAGE\n"
        "          docker pull ${{ secrets.REG }}/python:3\n"
    )
    assert [v for v, *_ in images(text)] == [f"{PUSH_REG}/library/node:20", f"{PUSH_REG}/library/python:3"]
    findings = gh(text)
    assert where(findings) == [("NX102", 7, 34)]  # one literal, reached twice
    fixed = fix_text(text, WF)
    assert fixed == text.replace("cwiq.io:8443", "cwiq.io:8444")


def test_run_on_every_shell_form_and_comments_give_nothing():
    text = job(
        "    steps:\n"
        "      - run: docker pull python:3\n"
        "      - run: >-\n          docker run --rm\n          node:20 npm test\n"
        "      - run: \"docker pull \\\n          ruby:3\"\n"
        "      - run: |\n          # docker pull mysql:8\n          echo 'docker pull mysql:8'\n"
        "      - shell: python\n        run: print('docker pull perl:5')\n"
        "      - shell: bash -e {0}\n        run: docker pull golang:1\n"
    )
    assert [v for v, *_ in images(text)] == ["python:3", "node:20", "ruby:3", "golang:1"]
    assert where(gh(text)) == [("NX101", 7, 26), ("NX101", 10, 11), ("NX101", 12, 11), ("NX101", 19, 26)]


def test_tag_in_one_step_pushed_in_a_later_step_is_a_push():
    text = job(
        "    steps:\n"
        "      - run: docker build -t nexus.shared.cwiq.io:8444/orchestrator/app:1 .\n"
        "      - run: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n"
    )
    assert [r for _v, r, *_ in images(text)] == [PUSH, PUSH]
    assert where(gh(text)) == [("NX103", 7, 51), ("NX103", 8, 47)]


def test_health_check_and_other_commands_give_nothing():
    text = job(
        "    steps:\n"
        "      - run: curl -f http://nexus.shared.cwiq.io:80/health\n"
        "      - run: docker login nexus.shared.cwiq.io:8443 -u x --password-stdin < token\n"
        "      - run: echo \"docker push nexus.shared.cwiq.io:8444/orchestrator/x\"\n"
    )
    assert images(text) == []
    assert gh(text) == []


# -- docker/build-push-action ----------------------------------------------------------------


def test_build_push_action_tags_are_pushes_when_push_is_true():
    text = job(
        "    env:\n      REG: nexus.shared.cwiq.io:8444\n"
        "    steps:\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n"
        "          context: .\n"
        "          push: true\n"
        "          tags: |\n"
        "            ${{ env.REG }}/orchestrator/app:latest\n"
        "            nexus.shared.cwiq.io:8443/orchestrator/app:1, nexus.shared.cwiq.io/orchestrator/app:2\n"
        "            ${{ env.REG }}/orchestrator/app:${{ github.sha }}\n"
    )
    assert images(text) == [
        (f"{PULL_REG}/orchestrator/app:latest", PUSH, "build-push-action tags:", "${{ env.REG }}/orchestrator/app:latest"),
        (f"{PUSH_REG}/orchestrator/app:1", PUSH, "build-push-action tags:", f"{PUSH_REG}/orchestrator/app:1"),
        ("nexus.shared.cwiq.io/orchestrator/app:2", PUSH, "build-push-action tags:", "nexus.shared.cwiq.io/orchestrator/app:2"),
        # an unknown tag does not hide the registry
        (f"{PULL_REG}/orchestrator/app", PUSH, "build-push-action tags:", "${{ env.REG }}/orchestrator/app:${{ github.sha }}"),
    ]
    assert where(gh(text)) == [("NX103", 7, 33), ("NX106", 15, 59)]
    fixed = fix_text(text, WF)
    assert fixed == text.replace("REG: nexus.shared.cwiq.io:8444", "REG: nexus.shared.cwiq.io:8443").replace(
        "nexus.shared.cwiq.io/orchestrator/app:2", "nexus.shared.cwiq.io:8443/orchestrator/app:2")


@pytest.mark.parametrize("push", ["false", "${{ github.event_name != 'pull_request' }}", None])
def test_build_push_action_without_a_literal_true_push_keeps_tags_local(push):
    line = f"          push: {push}\n" if push else ""
    text = job(
        "    steps:\n"
        "      - uses: docker/build-push-action@v5\n"
        "        with:\n" + line +
        "          load: true\n"
        "          tags: nexus.shared.cwiq.io:8444/orchestrator/app:test,myapp:dev\n"
    )
    assert [(v, r) for v, r, *_ in images(text)] == [(f"{PULL_REG}/orchestrator/app:test", LOCAL), ("myapp:dev", LOCAL)]
    assert gh(text) == []


@pytest.mark.parametrize("flag", ["'true'", '"true"', "True"])
def test_build_push_action_push_true_quoted(flag):
    text = job(
        "    steps:\n"
        "      - uses: docker/build-push-action@v5\n"
        f"        with:\n          push: {flag}\n          tags: \"nexus.shared.cwiq.io:8444/orchestrator/app:1\"\n"
    )
    assert where(gh(text)) == [("NX103", 10, 39)]


def test_build_push_action_outputs_and_cache_refs():
    text = job(
        "    steps:\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n"
        "          outputs: type=registry\n"
        "          tags: nexus.shared.cwiq.io:8443/orchestrator/app:1\n"
        "          cache-from: type=registry,ref=nexus.shared.cwiq.io:8443/orchestrator/app:cache\n"
        "          cache-to: type=registry,ref=nexus.shared.cwiq.io:8444/orchestrator/app:cache,mode=max\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          cache-from: type=gha\n          cache-to: type=gha,mode=max\n"
    )
    assert [(v, r) for v, r, *_ in images(text)] == [
        (f"{PUSH_REG}/orchestrator/app:1", PUSH),
        (f"{PUSH_REG}/orchestrator/app:cache", PULL),
        (f"{PULL_REG}/orchestrator/app:cache", PUSH),
    ]
    assert where(gh(text)) == [("NX102", 11, 62), ("NX103", 12, 60)]


def test_login_action_registry_is_not_an_image():
    text = job(
        "    steps:\n"
        "      - uses: docker/login-action@v3\n"
        "        with:\n          registry: nexus.shared.cwiq.io:8443\n          username: ci\n          password: ${{ secrets.NEXUS }}\n"
    )
    assert images(text) == []
    assert gh(text) == []


# -- fixes, comments, suppressions -------------------------------------------------------------


def test_fix_rewrites_in_place_and_keeps_everything_else():
    text = (
        "# CI for the app\n"
        "name: ci   # keep me\n"
        "on:\n  push:\n    branches: [main]\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    container:\n"
        "      image: 'python:3.11-slim'   # the base\n"
        "    services:\n"
        "      db:\n"
        "        image: \"nexus.shared.cwiq.io:8443/library/postgres:15\"\n"
        "    steps:\n"
        "   \n"
        "      - uses: docker://nexus.shared.cwiq.io/library/alpine:3\n"
        "      - run: |\n"
        "          set -e\n"
        "          docker pull bitnami/redis:7   # cache\n"
    )
    fixed = fix_text(text, WF)
    assert fixed == (
        text.replace("'python:3.11-slim'", "'nexus.shared.cwiq.io:8444/library/python:3.11-slim'")
        .replace(":8443/library/postgres", ":8444/library/postgres")
        .replace("docker://nexus.shared.cwiq.io/library", "docker://nexus.shared.cwiq.io:8444/library")
        .replace("docker pull bitnami/redis:7", "docker pull nexus.shared.cwiq.io:8444/bitnami/redis:7")
    )
    assert gh(fixed) == []


def test_yaml_comments_mentioning_wrong_ports_give_nothing():
    text = job(
        "    # container: nexus.shared.cwiq.io:8443/library/python:3\n"
        "    container: nexus.shared.cwiq.io:8444/library/python:3  # not :8443, not docker.io/python\n"
        "    steps:\n"
        "      # - uses: docker://python:3\n"
        "      - run: |\n"
        "          # docker push nexus.shared.cwiq.io:8444/orchestrator/x\n"
        "          make  # docker pull python:3\n",
        head="# env:\n#   REG: nexus.shared.cwiq.io:8444\n",
    )
    assert [o for _v, _r, o, _u in images(text)] == ["container:"]
    assert gh(text) == []


def test_suppressions_in_yaml_and_shell_comments():
    text = job(
        "    container: python:3  # nexus-lint: ignore[NX101]\n"
        "    services:\n"
        "      db:\n"
        "        # nexus-lint: ignore[NX101]\n"
        "        image: postgres:15\n"
        "    steps:\n"
        "      - run: |\n"
        "          # nexus-lint: ignore[NX101]\n"
        "          docker pull a:1\n"
        "          docker pull b:1  # nexus-lint: ignore[NX101]\n"
        "          docker pull c:1\n"
    )
    assert where(gh(text)) == [("NX101", 16, 23)]
    assert len(gh(text, include_suppressed=True)) == 5
    assert any(isinstance(f, Suppression) for f in facts(text))


# -- parsing and hostile input ---------------------------------------------------------------------


def test_broken_yaml_is_nx000_at_the_parser_position():
    text = job("    container: python:3\n    steps: [\n      - run: x\n")
    got = facts(text)
    assert [type(f) for f in got] == [ParseProblem]
    findings = gh(text)
    assert codes(findings) == ["NX000"]
    assert findings[0].line == 8


@pytest.mark.parametrize("text", [
    "", "---\n", "- a\n", "jobs: [1, 2]\n", "jobs:\n  a: [x]\n  b:\n    steps: {x: y}\n    container: [a]\n    services: [a]\n",
    "jobs:\n  a:\n    steps:\n      - uses: [x]\n      - run: {a: b}\n      - uses: docker://\n      - with: {tags: x}\n",
    "runs: {using: composite, steps: [1, [2]]}\n", "on: push\njobs:\n  a:\n    container:\n    services:\n      s:\n",
])
def test_odd_files_give_nothing(text):
    assert [f for f in facts(text) if not isinstance(f, Suppression)] == []
    assert gh(text) == []


def test_billion_laughs_finishes_fast():
    lines = ['a0: &a0 ["docker pull lol:1"]', "e0: &e0 {X: lol}"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
        lines.append(f"e{i}: &e{i} {{<<: [" + ", ".join([f"*e{i - 1}"] * 9) + "]}")
    lines.append("s0: &s0 {run: docker pull lol:1}")
    lines.append("s1: &s1 [" + ", ".join(["*s0"] * 50) + "]")
    lines.append("j0: &j0 {container: *a9, services: *a9, env: *e9, steps: *s1}")
    lines.append("jobs:\n" + "".join(f"  j{k}: *j0\n" for k in range(300)))
    text = "\n".join(lines) + "\n"
    got = facts(text)
    findings = gh(text)
    assert [f.value.text for f in got if isinstance(f, ImageFact)] == ["lol:1"]
    assert set(codes(findings)) <= {"NX000", "NX101"}


# -- CI context: scripts the workflow runs -----------------------------------------------------------


def test_ci_scripts_lists_the_scripts_run_steps_execute():
    text = (
        "on: push\n"
        "defaults:\n  run:\n    working-directory: ci\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: ./publish.sh\n"
        "      - run: bash $GITHUB_WORKSPACE/scripts/release.sh --dry-run\n        working-directory: .\n"
        "      - run: ${{ github.workspace }}/tools/y.sh\n        working-directory: ${{ github.workspace }}\n"
        "      - run: python tools/z.py\n        working-directory: ./\n"
        "      - run: print('x')\n        shell: python\n"
        "      - run: echo ci/not-run.sh\n        working-directory: /tmp\n"
        "      - run: |\n          cd deploy && ./go.sh\n"
        "  b:\n"
        "    defaults:\n      run:\n        working-directory: .\n"
        "    steps:\n      - run: source ci/env.sh && sh -e ci/x.sh\n"
    )
    assert ci_scripts(text) == ["ci/publish.sh", "scripts/release.sh", "tools/y.sh", "tools/z.py", "ci/deploy/go.sh",
                                "ci/env.sh", "ci/x.sh"]


def test_ci_scripts_of_an_action_and_of_broken_yaml():
    text = "runs:\n  using: composite\n  steps:\n    - run: ${{ github.action_path }}/entry.sh\n      shell: bash\n"
    assert ci_scripts(text, ".github/actions/build/action.yml") == [".github/actions/build/entry.sh"]
    assert ci_scripts(text) == []
    assert ci_scripts("jobs: [\n") == []


def test_dev_host_in_a_workflow_is_ci_context():
    text = job(
        "    container: nexus.dev.cwiq.io:8444/library/python:3\n"
        "    steps:\n"
        "      - run: docker pull nexus.dev.cwiq.io:8444/library/redis:7\n"
    )
    assert where(gh(text)) == [("NX301", 6, 16), ("NX301", 8, 26)]
    action = "runs:\n  using: composite\n  steps:\n    - uses: docker://nexus.dev.cwiq.io:8444/library/alpine:3\n"
    assert where(gh(action, "action.yml")) == [("NX301", 4, 22)]


def test_crlf_workflow_offsets_and_fix():
    text = job("    container: python:3\n    steps:\n      - run: |\n          docker pull nexus.shared.cwiq.io:8443/library/x:1\n").replace("\n", "\r\n")
    assert where(gh(text)) == [("NX101", 6, 16), ("NX102", 9, 44)]
    assert fix_text(text, WF) == text.replace("python:3", f"{PULL_REG}/library/python:3").replace(":8443/", ":8444/")


def test_env_value_with_an_unknown_tag_still_names_the_registry():
    text = job(
        "    env:\n      IMAGE: nexus.shared.cwiq.io:8444/orchestrator/app:${{ github.sha }}\n"
        "    steps:\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n          push: true\n          tags: ${{ env.IMAGE }}\n"
        "      - run: docker push \"$IMAGE\"  # unknown to the shell: no guess\n"
    )
    assert images(text) == [(f"{PULL_REG}/orchestrator/app", PUSH, "build-push-action tags:", "${{ env.IMAGE }}")]
    assert where(gh(text)) == [("NX103", 7, 35)]
