"""Helm charts and templates, kustomize and skaffold (issue 16, items 1-3), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import codes, fix_text, lint, make_linter, where, write_tree
from nexus_lint.lang.gotemplate import actions, neutralise

PUSH = "nexus.shared.cwiq.io:8443"
PULL = "nexus.shared.cwiq.io:8444"
HOST = "nexus.shared.cwiq.io"


def run_json(cli, root: Path, *args):
    res = cli(["check", "--no-cache", "--format", "json", *args, "."], cwd=root)
    assert "Traceback" not in res.err
    return res, json.loads(res.out)


def found(items):
    """(file, rule, line, column) of each finding of a JSON report."""
    return sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"]) for f in items)


def fixed(cli, root: Path) -> None:
    res = cli(["check", "--no-cache", "--fix", "."], cwd=root)
    assert "Traceback" not in res.err
    again = cli(["check", "--no-cache", "."], cwd=root)
    assert again.code == 0, again.out


# ---------------------------------------------------------------------------
# the issue's first paragraph: each violation found at its literal and fixed
# ---------------------------------------------------------------------------

CHART = f"""\
apiVersion: v2
name: app
version: 1.0.0
dependencies:
  - name: redis
    version: 18.0.0
    repository: https://{PUSH}/repository/helm-group/
  - name: pg
    version: 1.0.0
    repository: oci://{PUSH}/helm-hosted
  - name: common
    version: 1.0.0
    repository: "oci://{HOST}/helm"
  - name: local
    version: 1.0.0
    repository: file://../local
  - name: aliased
    version: 1.0.0
    repository: "@stable"
"""

TEMPLATE = """\
{{- /*
A chart template: whole-line actions, actions inside values, a comment.
*/}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    metadata:
      labels: {{- include "app.selectorLabels" . | nindent 8 }}
        extra: "1"
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "nexus.shared.cwiq.io:8443/{{ .Values.image.name }}:{{ .Chart.AppVersion }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          env:
            - name: NEXUS_PASSWORD
              value: {{ .Values.password | quote }}
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
        - name: values-image
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
        - name: registry-from-values
          image: "{{ .Values.registry }}:8443/app:1"
"""

KUSTOMIZATION = f"""\
resources:
  - deployment.yaml
  - https://{PULL}/repository/raw-hosted-dev/k8s/base.yaml
  - github.com/org/repo//deploy?ref=v1
images:
  - name: app
    newName: {PULL.replace('8444', '8443')}/orchestrator/app
    newTag: "1.2"
  - name: nginx
    newTag: "1.25"
helmCharts:
  - name: redis
    repo: https://{PUSH}/repository/helm-group
  - name: pg
    repo: oci://{HOST}/helm
"""

SKAFFOLD = f"""\
apiVersion: skaffold/v4beta6
kind: Config
build:
  tagPolicy:
    gitCommit: {{}}
  artifacts:
    - image: {PULL}/orchestrator/app
deploy:
  helm:
    releases:
      - name: app
        chartPath: charts/app
        setValues:
          image.repository: {PUSH}/orchestrator/app
          image.tag: "1"
"""


def test_the_issues_violations_are_found_at_their_literals(cli, tmp_path):
    write_tree(tmp_path, {
        "chart/Chart.yaml": CHART,
        "chart/templates/deployment.yaml": TEMPLATE,
        "chart/templates/_helpers.tpl": '{{- define "app.image" -}}nexus.shared.cwiq.io:8443/x:1{{- end }}\n',
        "chart/templates/NOTES.txt": "docker pull python:3 from nexus.shared.cwiq.io:8443\n",
        "deploy/kustomization.yaml": KUSTOMIZATION,
        "skaffold.yaml": SKAFFOLD,
    })
    res, items = run_json(cli, tmp_path)
    assert res.code == 1
    assert found(items) == [
        ("chart/Chart.yaml", "NX102", 10, 44),  # oci:// is a Docker pull: 8443 is the push port
        ("chart/Chart.yaml", "NX106", 13, 24),  # oci:// with no port
        ("chart/Chart.yaml", "NX201", 7, 45),  # an https chart repository on 8443: not Docker
        ("chart/templates/deployment.yaml", "NX102", 21, 40),  # the literal port of a templated image
        ("deploy/kustomization.yaml", "NX102", 7, 35),
        ("deploy/kustomization.yaml", "NX106", 15, 17),
        ("deploy/kustomization.yaml", "NX201", 3, 33),
        ("deploy/kustomization.yaml", "NX201", 13, 39),
        ("skaffold.yaml", "NX102", 14, 50),
        ("skaffold.yaml", "NX103", 7, 35),
    ]
    lines = {name: (tmp_path / name).read_text().splitlines() for name in {f[0] for f in found(items)}}
    for name, rule, line, col in found(items):
        shown = lines[name][line - 1][col - 1:]
        if rule == "NX106":
            assert shown.startswith(HOST), shown  # the host that lacks a port
        else:
            assert shown.lstrip(":").startswith(("8443", "8444")), shown  # the port literal itself


def test_the_issues_violations_are_fixed_and_the_result_lints_clean(cli, tmp_path):
    write_tree(tmp_path, {
        "chart/Chart.yaml": CHART,
        "chart/templates/deployment.yaml": TEMPLATE,
        "deploy/kustomization.yaml": KUSTOMIZATION,
        "skaffold.yaml": SKAFFOLD,
    })
    fixed(cli, tmp_path)
    chart = (tmp_path / "chart/Chart.yaml").read_text()
    assert f"repository: https://{HOST}/repository/helm-group/" in chart
    assert f"repository: oci://{PULL}/helm-hosted" in chart
    assert f'repository: "oci://{PULL}/helm"' in chart
    template = (tmp_path / "chart/templates/deployment.yaml").read_text()
    assert f'image: "{PULL}/{{{{ .Values.image.name }}}}:{{{{ .Chart.AppVersion }}}}"' in template
    assert template.replace(PULL, PUSH) == TEMPLATE  # nothing else moved
    kust = (tmp_path / "deploy/kustomization.yaml").read_text()
    assert f"newName: {PULL}/orchestrator/app" in kust
    assert f"https://{HOST}/repository/raw-hosted-dev/k8s/base.yaml" in kust
    assert f"repo: https://{HOST}/repository/helm-group" in kust
    assert f"repo: oci://{PULL}/helm" in kust
    skaffold = (tmp_path / "skaffold.yaml").read_text()
    assert f"- image: {PUSH}/orchestrator/app" in skaffold
    assert f"image.repository: {PULL}/orchestrator/app" in skaffold


# ---------------------------------------------------------------------------
# Chart.yaml
# ---------------------------------------------------------------------------

def test_chart_dependency_findings_and_messages():
    found_ = lint(CHART, "chart/Chart.yaml")
    by = {f.rule.id: f for f in found_}
    assert set(by) == {"NX201", "NX102", "NX106"}
    assert (by["NX201"].line, by["NX201"].column) == (7, 45)  # at ":8443" of the URL
    assert CHART.splitlines()[6][by["NX201"].column - 1:].startswith(":8443/")
    assert "served on 443" in by["NX201"].message
    assert (by["NX102"].line, CHART.splitlines()[9][by["NX102"].column - 1:]) == (10, "8443/helm-hosted")
    assert CHART.splitlines()[12][by["NX106"].column - 1:] == f'{HOST}/helm"'
    assert "oci://" in by["NX102"].message and "helm-hosted/pg" in by["NX102"].message
    assert by["NX106"].line == 13
    fixed_ = fix_text(CHART, "chart/Chart.yaml")
    assert codes(lint(fixed_, "chart/Chart.yaml")) == []
    assert fixed_.count(":8444") == 2 and ":8443" not in fixed_


@pytest.mark.parametrize("repo", [
    f"https://{HOST}/repository/helm-group/", f"oci://{PULL}/helm", "https://charts.bitnami.com/bitnami",
    "oci://ghcr.io/org/charts", "file://../common", "@stable", "alias:stable", "${REPO}", "",
])
def test_good_or_unknown_chart_repositories_are_clean(repo):
    text = f"apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies:\n  - name: x\n    version: 1.0.0\n    repository: \"{repo}\"\n"
    assert codes(lint(text, "Chart.yaml")) == []


def test_chart_from_docker_hub_over_oci_is_a_docker_hub_pull():
    text = "apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 18.0.0\n" \
           "    repository: oci://registry-1.docker.io/bitnamicharts\n"
    f, = lint(text, "Chart.yaml")
    assert (f.rule.id, f.line, f.column) == ("NX101", 7, 23)  # after `oci://`
    assert f"{PULL}/bitnamicharts/redis" in f.message


def test_chart_yaml_suppression_crlf_unicode_and_broken():
    text = ("apiVersion: v2\r\nname: ä-chart  # ünïcode\r\nversion: 1.0.0\r\ndependencies:\r\n  - name: redis\r\n"
            f"    version: 1.0.0\r\n    repository: https://{PUSH}/repository/helm-group/  # nexus-lint: ignore[NX201]\r\n"
            f"  - name: pg\r\n    version: 1.0.0\r\n    repository: \"oci://{PUSH}/hélm\"\r\n")
    assert where(lint(text, "Chart.yaml")) == []  # `hélm` is no image name: nothing to judge
    text = text.replace("hélm", "helm")
    assert where(lint(text, "Chart.yaml")) == [("NX102", 10, 45)]
    fixed_ = fix_text(text, "Chart.yaml")
    assert "\r\n" in fixed_ and "\n" not in fixed_.replace("\r\n", "")
    assert f"oci://{PULL}/helm" in fixed_ and f"https://{PUSH}/repository/helm-group/" in fixed_  # suppressed: kept
    broken = lint("apiVersion: v2\ndependencies:\n  - name: [x\n", "Chart.yaml")
    assert codes(broken) == ["NX000"]
    assert broken[0].line == 4  # where the parser gave up: the end of the text


def test_chart_yaml_comments_do_not_count():
    text = f"apiVersion: v2\nname: a\nversion: 1.0.0\n# repository: https://{PUSH}/x\ndependencies: []\n"
    assert codes(lint(text, "Chart.yaml")) == []


# ---------------------------------------------------------------------------
# the Go template neutraliser
# ---------------------------------------------------------------------------

def test_neutralise_keeps_every_position_and_line():
    text = TEMPLATE + "x: {{ printf \"}}\" }} {{/* a }} */}}\r\ny: '{{ .a }}'\n"
    out, spans = neutralise(text)
    assert len(out) == len(text)
    assert [i for i, c in enumerate(out) if c in "\r\n"] == [i for i, c in enumerate(text) if c in "\r\n"]
    for s, e in spans:
        assert text[s:s + 2] == "{{" and text[e - 2:e] == "}}"
    assert 'image: "nexus.shared.cwiq.io:8443/' in out
    assert "{{" not in out and "}}" not in out
    assert out.splitlines()[8].strip() == "#"  # `{{- include ... | nindent 4 }}` alone on its line
    assert out.splitlines()[15].rstrip() == "      labels:"  # `labels: {{- include ... | nindent 8 }}` above a block


def test_actions_know_strings_comments_and_unclosed_actions():
    text = '{{ "}}" }}a{{/* }} */}}b{{ `}}` }}c{{ .x'
    assert [text[s:e] for s, e in actions(text)] == ['{{ "}}" }}', "{{/* }} */}}", "{{ `}}` }}", "{{ .x"]
    assert neutralise("plain: yaml\n") == ("plain: yaml\n", [])


# ---------------------------------------------------------------------------
# Helm templates
# ---------------------------------------------------------------------------

def template_findings(tmp_path: Path, text: str, name: str = "templates/deploy.yaml", chart: bool = True):
    files = {f"c/{name}": text}
    if chart:
        files["c/Chart.yaml"] = "apiVersion: v2\nname: c\nversion: 1.0.0\n"
    write_tree(tmp_path, files)
    linter = make_linter()
    rel = f"c/{name}"
    kind = linter.classifier.by_path(rel)
    result = linter.lint_bytes(rel, (tmp_path / rel).read_bytes(), kind, rel, fs_path=str(tmp_path / rel))
    return kind.name, [f for f in result.findings if not f.suppressed]


def test_templated_image_is_judged_by_its_literal_registry(tmp_path):
    kind, found_ = template_findings(tmp_path, TEMPLATE)
    assert kind == "helm-template"
    assert where(found_) == [("NX102", 21, 40)]  # not the password from values, not the templated registry
    assert "template action" in found_[0].message


@pytest.mark.parametrize("image, expected", [
    ('"busybox:{{ .Values.tag }}"', ["NX101"]),  # only the tag is templated: a Docker Hub pull
    ('"{{ .Values.image.repository }}:{{ .Values.image.tag }}"', []),
    ('"{{ .Values.registry }}/app:1"', []),
    ('"nexus{{ .Values.suffix }}.cwiq.io:8443/app:1"', []),  # the host itself is not literal
    ('"nexus.shared.cwiq.io/{{ .Values.name }}:1"', ["NX106"]),
    ('"nexus.shared.cwiq.io:8444/orchestrator/{{ .Values.name }}:{{ .Chart.AppVersion }}"', []),
    ('{{ include "app.image" . }}', []),
    ('{{ .Values.image | quote }}', []),
    ("'docker.io/{{ .Values.name }}:1'", ["NX101"]),
])
def test_templated_images(tmp_path, image, expected):
    text = f"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: x\n      image: {image}\n"
    assert codes(template_findings(tmp_path, text)[1]) == expected


def test_literal_image_inside_range_is_a_pull(tmp_path):
    text = ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  {{- range .Values.containers }}\n  - image: python:3\n"
            "  {{- end }}\n")
    assert where(template_findings(tmp_path, text)[1]) == [("NX101", 6, 12)]


def test_template_that_is_no_yaml_after_neutralising_is_silent(tmp_path):
    text = ("apiVersion: v1\nkind: ConfigMap\ndata:\n  {{ .Values.key }}: [\n  image: nexus.shared.cwiq.io:8443/a:1\n"
            "containers: {{ toYaml . }}\n  - x\n")
    kind, found_ = template_findings(tmp_path, text)
    assert kind == "helm-template" and found_ == []


def test_template_suppression_crlf_and_unicode(tmp_path):
    text = ("apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: ünïcode-{{ .Release.Name }}\r\nspec:\r\n  containers:\r\n"
            "    {{- if .Values.a }}\r\n"
            "    - image: \"nexus.shared.cwiq.io:8443/{{ .Values.a }}:1\"  # nexus-lint: ignore[NX102]\r\n"
            "    {{- end }}\r\n"
            "    - image: \"nexus.shared.cwiq.io:8443/{{ .Values.b }}:2\"  # {{ .Values.comment }}\r\n")
    kind, found_ = template_findings(tmp_path, text)
    assert where(found_) == [("NX102", 10, 36)]
    fixed_ = fix_text(text, "c/templates/pod.yaml")
    assert fixed_.count(":8444/{{ .Values.b }}") == 1 and fixed_.count(":8443/{{ .Values.a }}") == 1
    assert fixed_.count("\r\n") == text.count("\r\n")


def test_helpers_and_notes_are_skipped(tmp_path):
    assert template_findings(tmp_path, 'image: "nexus.shared.cwiq.io:8443/x:1"\n', "templates/_helpers.tpl")[1] == []
    assert make_linter().classifier.by_path("c/templates/NOTES.txt") is None


def test_templates_folder_outside_a_chart_is_read_as_kubernetes(tmp_path):
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nexus.shared.cwiq.io:8443/a:1\n"
    kind, found_ = template_findings(tmp_path, text, chart=False)
    assert kind == "helm-template" and where(found_) == [("NX102", 5, 35)]
    broken = "apiVersion: v1\nkind: Pod\nspec: [\n"
    assert codes(template_findings(tmp_path, broken, "templates/b.yaml", chart=False)[1]) == ["NX000"]
    # in a chart, a template is never NX000 (what Helm renders is not the file)
    assert codes(template_findings(tmp_path, broken, "templates/b.yaml")[1]) == []


def test_values_files_image_blocks_are_still_read():
    values = "image:\n  registry: nexus.shared.cwiq.io:8443\n  repository: orchestrator/app\n  tag: 1.0.0\n"
    assert where(lint(values, "chart/values.yaml")) == [("NX102", 2, 34)]
    assert where(lint(values, "chart/values-prod.yaml")) == [("NX102", 2, 34)]


# ---------------------------------------------------------------------------
# kustomize
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml", "Kustomization", "overlays/prod/kustomization.yaml"])
def test_kustomize_file_names(name):
    assert make_linter().classifier.by_path(name).name == "kustomize"


def test_kustomize_findings_and_fix():
    assert where(lint(KUSTOMIZATION, "kustomization.yaml")) == [
        ("NX201", 3, 33), ("NX102", 7, 35), ("NX201", 13, 39), ("NX106", 15, 17)]
    out = fix_text(KUSTOMIZATION, "kustomization.yaml")
    assert codes(lint(out, "kustomization.yaml")) == []


def test_kustomize_name_alone_or_good_names_change_nothing():
    text = ("images:\n  - name: nginx\n    newTag: 1.25\n  - name: app\n    digest: sha256:" + "a" * 64 + "\n"
            f"  - name: b\n    newName: {PULL}/orchestrator/b\n    newTag: '2'\n"
            "  - name: c\n    newName: ghcr.io/org/c\n"
            "resources:\n  - ../base\n  - https://github.com/org/repo/deploy?ref=v1\n")
    assert codes(lint(text, "kustomization.yaml")) == []


def test_kustomize_docker_hub_newname_is_fixed_at_the_literal():
    text = "images:\n- name: app\n  newName: python  # base image\n  newTag: \"3.12\"\n"
    f, = lint(text, "kustomization.yaml")
    assert (f.rule.id, f.line, f.column) == ("NX101", 3, 12)
    assert fix_text(text, "kustomization.yaml") == text.replace("newName: python", f"newName: {PULL}/library/python")


def test_kustomize_suppression_crlf_and_broken():
    text = f"images:\r\n  - name: app  # ünïcode\r\n    newName: {PUSH}/app  # nexus-lint: ignore[NX102]\r\n"
    assert codes(lint(text, "kustomization.yaml")) == []
    assert codes(lint(text.replace("  # nexus-lint: ignore[NX102]", ""), "kustomization.yaml")) == ["NX102"]
    broken = lint("images:\n  - name: a\n   newName: b\n", "kustomization.yaml")
    assert codes(broken) == ["NX000"]


# ---------------------------------------------------------------------------
# skaffold
# ---------------------------------------------------------------------------

def test_skaffold_artifact_push_and_helm_values_pull():
    assert where(lint(SKAFFOLD, "skaffold.yaml")) == [("NX103", 7, 35), ("NX102", 14, 50)]
    out = fix_text(SKAFFOLD, "skaffold.yaml")
    assert codes(lint(out, "skaffold.yaml")) == []
    assert f"image: {PUSH}/orchestrator/app" in out and f"image.repository: {PULL}/orchestrator/app" in out


def test_skaffold_local_push_false_keeps_the_artifact_local():
    text = f"apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  local:\n    push: false\n  artifacts:\n  - image: {PULL}/orchestrator/app\n"
    assert codes(lint(text, "skaffold.yaml")) == []
    assert codes(lint(text.replace("push: false", "push: true"), "skaffold.yaml")) == ["NX103"]
    assert codes(lint(text.replace("  local:\n    push: false\n", "  googleCloudBuild: {}\n"), "skaffold.yaml")) == ["NX103"]


def test_skaffold_profiles():
    text = f"""\
apiVersion: skaffold/v4beta6
kind: Config
build:
  local:
    push: false
  artifacts:
  - image: {PULL}/orchestrator/local-only
profiles:
- name: dev
  build:
    artifacts:
    - image: {PULL}/orchestrator/dev
- name: ci
  build:
    local:
      push: true
    artifacts:
    - image: {PULL}/orchestrator/ci
  deploy:
    helm:
      releases:
      - name: x
        repo: https://{PULL}/repository/helm-group
        remoteChart: x
        setValues:
          image: {PUSH}/orchestrator/x:1
      - name: y
        remoteChart: oci://{PUSH}/helm/y
"""
    got = lint(text, "skaffold.yaml")
    lines = text.splitlines()
    assert [(f.rule.id, f.line, lines[f.line - 1][f.column - 1:]) for f in got] == [
        ("NX103", 18, "8444/orchestrator/ci"),  # the main build keeps its images, this profile pushes
        ("NX201", 23, ":8444/repository/helm-group"),  # a chart repository is not Docker
        ("NX102", 26, "8443/orchestrator/x:1"),
        ("NX102", 28, "8443/helm/y"),  # an oci:// chart is a Docker pull
    ]


def test_skaffold_artifact_names_templates_and_tag_policy_are_not_judged():
    text = """\
apiVersion: skaffold/v4beta6
kind: Config
build:
  tagPolicy:
    envTemplate:
      template: "nexus.shared.cwiq.io:8444/{{.IMAGE_NAME}}"
  artifacts:
  - image: skaffold-example
deploy:
  helm:
    releases:
    - name: app
      chartPath: charts
      setValues:
        image: skaffold-example
      setValueTemplates:
        image.repository: "{{.IMAGE_REPO_skaffold_example}}"
"""
    assert codes(lint(text, "skaffold.yaml")) == []


def test_skaffold_suppression_crlf_and_broken():
    text = f"build:\r\n  artifacts:\r\n  - image: {PULL}/orchestrator/app  # nexus-lint: ignore[NX103]\r\n"
    assert codes(lint(text, "skaffold.yaml")) == []
    fixed_ = fix_text(text.replace("  # nexus-lint: ignore[NX103]", "  # ünïcode"), "skaffold.yaml")
    assert fixed_ == f"build:\r\n  artifacts:\r\n  - image: {PUSH}/orchestrator/app  # ünïcode\r\n"
    assert codes(lint("build:\n  artifacts:\n  - image: [a\n", "skaffold.yaml")) == ["NX000"]


def test_template_comment_suppresses_too(tmp_path):
    text = ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
            "    {{- /* nexus-lint: ignore[NX102] */}}\n"
            "    - image: \"nexus.shared.cwiq.io:8443/{{ .Values.a }}:1\"\n"
            "    - image: \"nexus.shared.cwiq.io:8443/{{ .Values.b }}:1\" {{- /* nexus-lint: ignore[NX101] */}}\n"
            "    - image: \"nexus.shared.cwiq.io:8443/{{ .Values.c }}:1\" {{- /* nexus-lint: ignore[NX102] */}}\n")
    assert where(template_findings(tmp_path, text)[1]) == [("NX102", 7, 36)]  # ignore[NX101] covers no NX102


def test_comment_actions_render_nothing():
    out, spans = neutralise('a: "x" {{- /* note */}}\nb: {{ .c }}\n')
    assert out == 'a: "x"' + " " * 17 + "\nb: xxxxxxxx\n" and spans == [(27, 35)]


@pytest.mark.parametrize("unit, count", [
    ("{{a}}", 20000), ("{{a}} x ", 12000), ("  {{- if .x }}\n  a: {{ .b }}\n", 5000), ('{{ "', 30000),
    ("{{/*", 30000), ("a: {{ x }}\n", 10000),
], ids=["adjacent actions", "actions and text", "action lines", "open strings", "open comments", "key lines"])
def test_neutralise_is_linear_on_100k_character_inputs(unit, count):
    import subprocess
    import sys

    code = f"from nexus_lint.lang.gotemplate import neutralise\nt = {unit!r} * {count}\nassert len(neutralise(t)[0]) == len(t)\n"
    # quadratic work on these inputs took minutes; linear work takes well under a second
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
