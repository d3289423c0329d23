"""helm, oras, cosign, crane auth, docker manifest/imagetools: OCI pushes and pulls in
every place shell is analysed, through the real CLI (issue 16 item 8)."""

from __future__ import annotations

import json

import pytest

from conftest import check_tree, fix_tree, write_tree

PUSH = "nexus.shared.cwiq.io:8443"
PULL = "nexus.shared.cwiq.io:8444"
HOST = "nexus.shared.cwiq.io"


run, fixed = check_tree, fix_tree


def col(line: str, sub: str) -> int:
    return line.index(sub) + 1


# -- helm ----------------------------------------------------------------------------------


def test_helm_push_to_the_pull_port_is_nx103_and_fixed(cli, tmp_path):
    line = f"helm push app-1.0.0.tgz oci://{PULL}/orchestrator/charts"
    code, found, raw = run(cli, tmp_path, {"release.sh": f"#!/bin/sh\n{line}\n"})
    assert code == 1
    assert found == [("NX103", "release.sh", 2, col(line, "8444"))]
    assert "helm push" in raw[0]["message"]
    out = fixed(cli, tmp_path, {"release.sh": f"#!/bin/sh\n{line}\n"})
    assert out["release.sh"] == f"#!/bin/sh\n{line.replace('8444', '8443')}\n"


@pytest.mark.parametrize("cmd", [
    "helm pull oci://{reg}/orchestrator/charts/app --version 1.0.0",
    "helm install app oci://{reg}/orchestrator/charts/app --version 1.0.0",
    "helm upgrade --install app oci://{reg}/orchestrator/charts/app -n prod --wait",
    "helm template app oci://{reg}/orchestrator/charts/app -f values.yaml",
    "helm show values oci://{reg}/orchestrator/charts/app",
])
def test_helm_pulls_from_the_push_port_are_nx102(cli, tmp_path, cmd):
    line = cmd.format(reg=PUSH)
    code, found, _ = run(cli, tmp_path, {"deploy.sh": f"#!/bin/bash\n{line}\n"})
    assert found == [("NX102", "deploy.sh", 2, col(line, "8443"))]
    assert fixed(cli, tmp_path, {"deploy.sh": f"#!/bin/bash\n{line}\n"})["deploy.sh"] == f"#!/bin/bash\n{cmd.format(reg=PULL)}\n"


def test_helm_pull_without_a_port_is_nx106_and_gets_the_pull_port(cli, tmp_path):
    line = f"helm pull oci://{HOST}/orchestrator/charts/app"
    _, found, _ = run(cli, tmp_path, {"get.sh": f"#!/bin/sh\n{line}\n"})
    assert found == [("NX106", "get.sh", 2, col(line, HOST))]
    assert fixed(cli, tmp_path, {"get.sh": f"#!/bin/sh\n{line}\n"})["get.sh"] == f"#!/bin/sh\nhelm pull oci://{PULL}/orchestrator/charts/app\n"


def test_helm_http_chart_repositories_are_not_docker_nx201_drops_the_port(cli, tmp_path):
    lines = [f"helm repo add internal https://{PUSH}/repository/helm-group/",
             f"helm install app internal-chart --repo https://{PULL}/repository/helm-group/"]
    files = {"repos.sh": "#!/bin/sh\n" + "\n".join(lines) + "\n"}
    _, found, _ = run(cli, tmp_path, files)
    assert found == [("NX201", "repos.sh", 2, col(lines[0], ":8443")), ("NX201", "repos.sh", 3, col(lines[1], ":8444"))]
    out = fixed(cli, tmp_path, files)["repos.sh"]
    assert out.count(f"https://{HOST}/repository/helm-group/") == 2 and ":844" not in out


def test_helm_chart_names_and_local_charts_are_not_images(cli, tmp_path):
    files = {"ok.sh": (
        "#!/bin/sh\n"
        "helm install app ./charts/app --set image.tag=1\n"
        "helm upgrade app internal/app --version 1.0.0\n"
        "helm push app-1.0.0.tgz internal\n"  # the cm-push plugin's repository name
        "helm show chart oci\n"
        "helm\n"
        "helm push\n"
    )}
    code, found, _ = run(cli, tmp_path, files)
    assert (code, found) == (0, [])


def test_helm_push_through_a_variable_points_at_the_literal(cli, tmp_path):
    text = f'#!/bin/sh\nCHARTS="oci://{PULL}/orchestrator/charts"\nhelm push "app-$VERSION.tgz" "$CHARTS"\n'
    _, found, raw = run(cli, tmp_path, {"r.sh": text})
    assert found == [("NX103", "r.sh", 2, col(f'CHARTS="oci://{PULL}', "8444"))]
    assert raw[0]["related"][0]["location"]["row"] == 3


def test_helm_registry_login_password_is_nx403_and_literal_nx401(cli, tmp_path):
    lines = [
        f"helm registry login {PUSH} -u ci -p 'S3cr3tValue!x'",
        f"helm registry login {PUSH} -u ci --password \"$NEXUS_PASSWORD\"",
        f"echo 'S3cr3tValue!y' | helm registry login {PUSH} -u ci --password-stdin",
        f"printf '%s' \"$NEXUS_PASSWORD\" | helm registry login {PUSH} -u ci --password-stdin",
        f"helm push app.tgz oci://{PUSH}/orchestrator/charts",
    ]
    _, found, _ = run(cli, tmp_path, {"login.sh": "#!/bin/sh\n" + "\n".join(lines) + "\n"})
    assert sorted(found) == [("NX401", "login.sh", 2, col(lines[0], "S3cr")), ("NX401", "login.sh", 4, col(lines[2], "S3cr")),
                             ("NX403", "login.sh", 2, col(lines[0], "'S3cr")),
                             ("NX403", "login.sh", 3, col(lines[1], '"$NEXUS'))]


# -- oras, cosign, crane, docker -----------------------------------------------------------


@pytest.mark.parametrize("line, rule, where", [
    (f"oras push {PULL}/orchestrator/artifact:1 report.json:application/json", "NX103", "8444"),
    (f"oras pull {PUSH}/orchestrator/artifact:1", "NX102", "8443"),
    (f"oras attach --artifact-type sbom/spdx {PULL}/orchestrator/api:1 sbom.json", "NX103", "8444"),
    (f"oras tag {PULL}/orchestrator/api:1 latest", "NX103", "8444"),
    (f"oras manifest fetch {PUSH}/orchestrator/api:1", "NX102", "8443"),
    (f"oras cp ghcr.io/acme/tool:1 {PULL}/orchestrator/tool:1", "NX103", "8444"),
    (f"oras push {HOST}/orchestrator/artifact:1 f.txt", "NX106", HOST),
    (f"cosign sign --yes --key env://COSIGN_KEY {PULL}/orchestrator/api@sha256:{'a' * 64}", "NX103", "8444"),
    (f"cosign attest --predicate sbom.json --type spdx {PULL}/orchestrator/api:1", "NX103", "8444"),
    (f"cosign verify --key cosign.pub {PUSH}/orchestrator/api:1", "NX102", "8443"),
    (f"cosign copy {PUSH}/orchestrator/api:1 {PUSH}/orchestrator/api:2", "NX102", "8443"),
    (f"docker buildx imagetools create -t {PULL}/orchestrator/api:1 {PULL}/orchestrator/api:1-amd64", "NX103", "8444"),
    (f"crane copy ghcr.io/acme/api:1 {PULL}/orchestrator/api:2", "NX103", "8444"),
])
def test_oci_tools_give_pushes_and_pulls(cli, tmp_path, line, rule, where):
    code, found, _ = run(cli, tmp_path, {"ci/oci.sh": f"#!/bin/sh\nset -e\n{line}\n"})
    assert found == [(rule, "ci/oci.sh", 3, col(line, where))], found


def test_oras_and_cosign_local_layouts_and_other_registries_are_quiet(cli, tmp_path):
    files = {"ok.sh": (
        "#!/bin/sh\n"
        f"oras push --oci-layout ./layout:{PULL} f.txt\n"
        "oras pull ghcr.io/oras-project/oras:v1.2.0\n"
        "cosign sign --yes ghcr.io/acme/api@sha256:abc\n"
        "cosign sign-blob --bundle b.json artifact.tgz\n"
        "cosign verify --local-image ./layout\n"
        f"oras login {PUSH} -u ci --password-stdin < /run/secrets/nexus\n"
        f"oras push {PUSH}/orchestrator/artifact:1 f.txt\n"
    )}
    code, found, _ = run(cli, tmp_path, files)
    assert (code, found) == (0, [])


def test_docker_manifest_create_then_push_is_a_push_of_the_list(cli, tmp_path):
    lines = [
        f"docker manifest create {PULL}/orchestrator/api:1 {PUSH}/orchestrator/api:1-amd64",
        f"docker manifest push {PULL}/orchestrator/api:1",
    ]
    _, found, _ = run(cli, tmp_path, {"m.sh": "#!/bin/sh\n" + "\n".join(lines) + "\n"})
    assert found == [("NX103", "m.sh", 2, col(lines[0], "8444")), ("NX102", "m.sh", 2, col(lines[0], "8443")),
                     ("NX103", "m.sh", 3, col(lines[1], "8444"))]


def test_docker_manifest_create_without_a_push_stays_local(cli, tmp_path):
    line = f"docker manifest create {PULL}/orchestrator/api:1 {PULL}/orchestrator/api:1-amd64"
    code, found, _ = run(cli, tmp_path, {"m.sh": f"#!/bin/sh\n{line}\n"})
    assert (code, found) == (0, [])


def test_oras_cosign_crane_passwords(cli, tmp_path):
    lines = [
        f"oras login {PUSH} -u ci -p 'S3cr3tValue!a'",
        f"cosign login {PUSH} -u ci -p \"$NEXUS_PASSWORD\"",
        f"crane auth login {PUSH} -u ci -p 'S3cr3tValue!b'",
        f"cosign sign --registry-password 'S3cr3tValue!c' {PUSH}/orchestrator/api:1",
        f"oras push {PUSH}/orchestrator/a:1 f.txt",
    ]
    _, found, _ = run(cli, tmp_path, {"p.sh": "#!/bin/sh\n" + "\n".join(lines) + "\n"})
    assert sorted(found) == [("NX401", "p.sh", 2, col(lines[0], "S3cr")), ("NX401", "p.sh", 4, col(lines[2], "S3cr")),
                             ("NX401", "p.sh", 5, col(lines[3], "S3cr")),
                             ("NX403", "p.sh", 2, col(lines[0], "'S3cr")), ("NX403", "p.sh", 3, col(lines[1], '"$NEXUS')),
                             ("NX403", "p.sh", 4, col(lines[2], "'S3cr"))]


# -- every place shell is analysed -------------------------------------------------------------


def test_helm_push_in_gitlab_github_dockerfile_and_makefile_free_hosts(cli, tmp_path):
    files = {
        ".gitlab-ci.yml": (
            "variables:\n"
            f"  CHARTS: oci://{PULL}/orchestrator/charts\n"
            "release:\n"
            "  script:\n"
            "    - helm package chart\n"
            "    - helm push app-*.tgz $CHARTS  # nexus-lint: ignore[NX105]\n"
        ),
        ".github/workflows/release.yml": (
            "on: push\n"
            "jobs:\n"
            "  sign:\n"
            "    runs-on: ubuntu-latest\n"
            "    steps:\n"
            f"      - run: cosign sign --yes {PULL}/orchestrator/api:${{{{ github.sha }}}}\n"
        ),
        "Dockerfile": (
            "FROM nexus.shared.cwiq.io:8444/alpine/helm:3.15\n"
            f"RUN helm pull oci://{PUSH}/orchestrator/charts/app --untar\n"
        ),
        "package.json": json.dumps({"scripts": {"chart": f"helm push app.tgz oci://{PULL}/orchestrator/charts"}}),
    }
    _, found, _ = run(cli, tmp_path, files)
    assert sorted(found) == sorted([
        ("NX103", ".gitlab-ci.yml", 2, col(f"  CHARTS: oci://{PULL}", "8444")),
        ("NX103", ".github/workflows/release.yml", 6, col(f"      - run: cosign sign --yes {PULL}", "8444")),
        ("NX102", "Dockerfile", 2, col(f"RUN helm pull oci://{PUSH}", "8443")),
        ("NX103", "package.json", 1, col(files["package.json"], "8444")),
    ])


def test_crlf_unicode_and_suppression(cli, tmp_path):
    text = (
        "#!/bin/sh\r\n"
        "# Übersicht: Charts veröffentlichen\r\n"
        f"helm push app.tgz oci://{PULL}/orchestrator/charts  # nexus-lint: ignore[NX103]\r\n"
        f"oras push {PULL}/orchestrator/ärger:1 f.txt\r\n"
        f"helm push app.tgz 'oci://{PULL}/orchestrator/charts'\r\n"
    )
    _, found, _ = run(cli, tmp_path, {"r.sh": text})
    # the suppressed line is quiet; the unicode name is no valid reference
    assert found == [("NX103", "r.sh", 5, col(f"helm push app.tgz 'oci://{PULL}", "8444"))]
    write_tree(tmp_path, {"r.sh": text.encode("utf-8")})
    cli(["check", "--fix", "."], cwd=tmp_path)
    data = (tmp_path / "r.sh").read_bytes()
    assert data.count(b"\r\n") == 5 and f"'oci://{PUSH}/orchestrator/charts'".encode() in data


def test_oras_push_of_several_tags_is_judged_by_the_first(cli, tmp_path):
    line = f'oras push "{PULL}/orchestrator/bundle:1.0,latest" ./bundle.json'
    _, found, _ = run(cli, tmp_path, {"b.sh": f"#!/bin/sh\n{line}\n"})
    assert found == [("NX103", "b.sh", 2, col(line, "8444"))]
