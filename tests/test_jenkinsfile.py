"""Jenkins pipelines (kinds/jenkinsfile.py, lang/groovy.py): what a user sees."""

from __future__ import annotations

import time

import pytest

from conftest import codes, fix_text, lint, make_linter, where, write_tree
from nexus_lint.lang import groovy

H = "nexus.shared.cwiq.io"


def line_col(text: str, needle: str, nth: int = 0):
    """1-based (line, column) of the nth occurrence of ``needle``."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


@pytest.mark.parametrize("path, kind", [
    ("Jenkinsfile", "jenkinsfile"),
    ("ci/Jenkinsfile.release", "jenkinsfile"),
    ("Jenkinsfile-PreCommit", "jenkinsfile"),
    ("Jenkinsfile_k8s", "jenkinsfile"),
    ("build.jenkinsfile", "jenkinsfile"),
    ("vars/buildImage.groovy", "jenkinsfile"),
    ("ci/jenkins/deploy.groovy", "jenkinsfile"),
    ("jenkins/deploy.groovy", "jenkinsfile"),
    ("src/org/Foo.groovy", None),
    ("Jenkinsfile.md", None),
])
def test_file_names(path, kind):
    found = make_linter().classifier.by_path(path)
    assert (found.name if found else None) == kind


# ---------------------------------------------------------------------------
# Declarative agents and the docker DSL
# ---------------------------------------------------------------------------

def test_agent_docker_block_and_short_form_are_pulls_fixed_at_the_literal():
    text = ("pipeline {\n"
            "  agent { docker { image 'maven:3.9' } }\n"
            "  stages { stage('a') { agent { docker 'node:20' } steps { echo 'x' } } }\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, "maven"), ("NX101",) + line_col(text, "node:20")]
    assert "agent { docker" in f[0].message
    fixed = fix_text(text, "Jenkinsfile")
    assert f"image '{H}:8444/library/maven:3.9'" in fixed and f"docker '{H}:8444/library/node:20'" in fixed


def test_agent_docker_registry_url_gives_the_registry():
    text = f"pipeline {{\n  agent {{ docker {{\n    image 'orchestrator/build:1'\n    registryUrl 'https://{H}:8443'\n  }} }}\n}}\n"
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX102",) + line_col(text, "8443")]
    assert "(agent { docker { image } } with registryUrl)" in f[0].message
    assert f"registryUrl 'https://{H}:8444'" in fix_text(text, "Jenkinsfile")


def test_docker_image_pull_inside_run_are_pulls():
    text = ("node {\n"
            "  docker.image('redis:7').pull()\n"
            "  docker.image('postgres:16').inside('-u root') { sh 'make test' }\n"
            "  docker.image('busybox').withRun('-p 80:80') { c -> sh 'true' }\n"
            f"  docker.image('{H}:8444/library/python:3').inside {{ sh 'true' }}\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, "redis"), ("NX101",) + line_col(text, "postgres"),
                        ("NX101",) + line_col(text, "busybox")]
    assert "docker.image(...).inside()" in f[1].message


def test_with_registry_gives_pushes_and_pulls_its_port_reported_at_the_url():
    text = ("node {\n"
            f"  docker.withRegistry('https://{H}:8444', 'nexus-creds') {{\n"
            "    def app = docker.build(\"orchestrator/app:${env.BUILD_ID}\", '-f Dockerfile .')\n"
            "    app.push()\n"
            "    app.push('latest')\n"
            "  }\n"
            f"  docker.withRegistry('https://{H}:8444', 'nexus-creds') {{\n"
            "    docker.image('library/python:3.12').pull()\n"
            "  }\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX103",) + line_col(text, "8444")]  # the pulls on the pull port are right
    assert "(docker.build(...).push() in docker.withRegistry)" in f[0].message
    fixed = fix_text(text, "Jenkinsfile")
    assert fixed.count(f"https://{H}:8443") == 1 and fixed.count(f"https://{H}:8444") == 1


def test_with_registry_pull_on_the_push_port():
    text = f"node {{\n  docker.withRegistry(\"https://{H}:8443\") {{\n    docker.image('orchestrator/tool:1').inside {{ sh 'true' }}\n  }}\n}}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX102",) + line_col(text, "8443")]


def test_build_then_push_with_a_registry_in_the_name():
    text = f"node {{\n  docker.build('{H}:8444/orchestrator/app:1').push()\n  docker.build('tool:1')\n}}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX103",) + line_col(text, "8444")]


def test_image_without_registry_outside_with_registry_is_docker_hub_push():
    text = "node {\n  docker.withRegistry('', 'dockerhub') {\n    docker.build('orchestrator/app').push()\n  }\n}\n"
    assert codes(lint(text, "Jenkinsfile")) == []  # a push to Docker Hub is not a pull


def test_container_template_image_is_a_pull():
    text = "podTemplate(containers: [containerTemplate(name: 'maven', image: 'maven:3.8', command: 'cat')]) {\n  node(POD_LABEL) { sh 'mvn -v' }\n}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX101",) + line_col(text, "maven:3.8")]


# ---------------------------------------------------------------------------
# Shell steps
# ---------------------------------------------------------------------------

QUOTES = [
    ("sh 'docker pull ubuntu'", "ubuntu"),
    ('sh "docker pull ubuntu"', "ubuntu"),
    ("sh '''\n    docker pull ubuntu\n  '''", "ubuntu"),
    ('sh """\n    docker pull ubuntu\n  """', "ubuntu"),
    ("sh(script: 'docker pull ubuntu', returnStdout: true)", "ubuntu"),
    ("sh script: \"docker pull ubuntu\", label: 'pull'", "ubuntu"),
    ("bat 'docker pull ubuntu'", "ubuntu"),
    ("powershell 'docker pull ubuntu'", "ubuntu"),
    ("sh('docker pull ' + 'ubuntu')", "ubuntu"),
    ('sh """docker pull ubuntu""".stripIndent()', "ubuntu"),
]


@pytest.mark.parametrize("step, needle", QUOTES)
def test_shell_step_forms(step, needle):
    text = f"node {{\n  {step}\n}}\n"
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, needle)]
    assert f"{H}:8444/library/ubuntu" in fix_text(text, "Jenkinsfile")


def test_groovy_interpolation_is_unknown_and_shell_variables_stay_the_shells():
    text = ("node {\n"
            f"  sh \"docker pull ${{params.IMAGE}} && docker pull $IMAGE\"\n"  # Groovy's: unknown
            f"  sh 'docker pull ${{IMAGE}}'\n"  # the shell's, unset: unknown
            "  sh \"docker pull \\${IMAGE:-alpine}\"\n"  # \$: the shell's, with its default
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, "alpine")]


@pytest.mark.parametrize("step", [
    "sh 'docker push $REGISTRY/orchestrator/app:1'",  # the shell's variable
    'sh "docker push ${env.REGISTRY}/orchestrator/app:1"',  # Groovy's interpolation of the same value
    'sh "docker push $REGISTRY/orchestrator/app:1"',
    "sh 'docker push ' + env.REGISTRY + '/orchestrator/app:1'",
])
def test_environment_literals_are_variables_of_the_steps(step):
    text = ("pipeline {\n"
            "  agent any\n"
            f"  environment {{ REGISTRY = '{H}:8444' }}\n"
            "  stages { stage('push') { steps {\n"
            f"    {step}\n"
            "  } } }\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX103",) + line_col(text, "8444")]
    assert [text.count("\n", 0, r.start) + 1 for r in f[0].related] == [5]
    assert f"REGISTRY = '{H}:8443'" in fix_text(text, "Jenkinsfile")


def test_stage_environment_wins_and_stays_in_its_stage():
    text = ("pipeline {\n"
            f"  environment {{ REG = '{H}:8444' }}\n"
            "  stages {\n"
            f"    stage('a') {{ environment {{ REG = '{H}:8443' }}\n      steps {{ sh 'docker push $REG/orchestrator/a:1' }} }}\n"
            "    stage('b') { steps { sh 'docker pull $REG/orchestrator/b:1' } }\n"
            "  }\n"
            "}\n")
    assert codes(lint(text, "Jenkinsfile")) == []


def test_with_env_items_are_variables():
    text = f"node {{\n  withEnv([\"REG={H}:8443\"]) {{\n    sh 'docker pull $REG/orchestrator/a:1'\n  }}\n}}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX102",) + line_col(text, "8443")]


def test_groovy_escapes_keep_exact_offsets():
    text = "node {\n  sh \"echo \\\"a\\\" \\\\ && docker pull python:3\"\n  sh 'echo \\'x\\' && docker pull redis'\n}\n"
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, "python:3"), ("NX101",) + line_col(text, "redis")]
    fixed = fix_text(text, "Jenkinsfile")
    assert f"docker pull {H}:8444/library/python:3\"" in fixed and f"docker pull {H}:8444/library/redis'" in fixed


def test_shell_steps_run_their_other_rules():
    text = ("node {\n"
            "  withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'U', passwordVariable: 'P')]) {\n"
            f"    sh 'docker login -u $U -p $P {H}:8443'\n"
            f"    sh 'pip install -i http://{H}/repository/pypi-group/simple/ app'\n"
            "  }\n"
            "}\n")
    assert where(lint(text, "Jenkinsfile")) == [("NX403",) + line_col(text, "$P"), ("NX202",) + line_col(text, "http://")]


def test_jenkinsfile_is_ci_context():
    text = "node {\n  sh 'docker pull nexus.dev.cwiq.io:8444/orchestrator/a:1'\n}\n"
    assert codes(lint(text, "Jenkinsfile")) == ["NX301"]


def test_a_script_the_pipeline_runs_is_ci_context(tmp_path, cli):
    write_tree(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "Jenkinsfile": "node {\n  sh './scripts/publish.sh'\n}\n",
        "scripts/publish.sh": "#!/bin/sh\ndocker pull nexus.dev.cwiq.io:8444/orchestrator/a:1\n",
    })
    r = cli(["check", "--no-cache", "scripts/publish.sh"], cwd=tmp_path)
    assert "NX301" in r.out


# ---------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------

def test_literal_under_a_credential_name_in_environment_is_nx401():
    text = ("pipeline {\n  environment {\n"
            "    NEXUS_PASSWORD = 'Sup3rS3cret!'\n"
            "    NEXUS_TOKEN = credentials('nexus-token')\n"
            "    API_KEY = \"${env.FROM_VAULT}\"\n"
            "    PASSWORD_FILE = '/run/secrets/pw'\n"
            "  }\n}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX401",) + line_col(text, "Sup3r")]
    assert "Sup3rS3cret" not in f[0].message and "credentials('<id>')" in f[0].message


def test_with_credentials_bindings_are_references():
    text = ("node {\n"
            "  withCredentials([string(credentialsId: 'npm-token', variable: 'NPM_TOKEN'),\n"
            "                   usernamePassword(credentialsId: 'n', usernameVariable: 'USER', passwordVariable: 'PASSWORD')]) {\n"
            f"    sh 'echo \"$PASSWORD\" | docker login -u \"$USER\" --password-stdin {H}:8443'\n"
            "  }\n}\n")
    assert codes(lint(text, "Jenkinsfile")) == []


def test_token_shape_in_any_string():
    token = "ghp_" + "Q" * 36  # built here, so this file holds no token itself
    text = f"node {{\n  def t = '{token}'\n  git url: 'https://bob:hunter2hunter2@example.org/r.git'\n}}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX401",) + line_col(text, "ghp_"), ("NX402",) + line_col(text, "hunter2")]


# ---------------------------------------------------------------------------
# Comments, suppressions, text traps
# ---------------------------------------------------------------------------

def test_comments_are_never_read():
    text = ("// docker.image('ubuntu').pull()\n"
            "/* agent { docker { image 'maven:3' } }\n   sh 'docker pull alpine' */\n"
            "node { echo 'docker pull busybox' }  // sh 'docker pull debian'\n")
    assert codes(lint(text, "Jenkinsfile")) == []


def test_suppression_comments():
    text = ("node {\n"
            "  sh 'docker pull ubuntu'  // nexus-lint: ignore[NX101]\n"
            "  // nexus-lint: ignore[NX101]\n"
            "  sh '''\n    docker pull alpine\n  '''\n"
            "  sh 'docker pull busybox' /* nexus-lint: ignore[NX101] */\n"
            "  sh '''\n    # nexus-lint: ignore[NX101]\n    docker pull debian\n  '''\n"
            "  sh 'docker pull redis'  // nexus-lint: ignore[NX102]\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101",) + line_col(text, "redis")]
    assert len(lint(text, "Jenkinsfile", include_suppressed=True)) == 5


def test_crlf_and_unicode_columns():
    text = "node {\r\n  // 日本語 ü\r\n  sh '''\r\n    echo 'ü 日本' && docker pull ubuntu\r\n  '''\r\n}\r\n"
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX101", 4, 32)]  # code points: ü and 日本 are one column each
    fixed = fix_text(text, "Jenkinsfile")
    assert f"docker pull {H}:8444/library/ubuntu\r\n" in fixed and fixed.count("\r\n") == text.count("\r\n")


@pytest.mark.parametrize("text, line, col, words", [
    ("node {\n  sh 'docker pull x\n}\n", 2, 6, "unterminated string"),
    ("node {\n  sh '''docker pull x\n}\n", 2, 6, "unterminated string"),
    ("node {\n  sh \"echo ${env.X\"\n}\n", 2, 19, "unterminated string"),  # the `"` opens a string inside `${`
    ("node {\n  sh \"echo ${env.X\n}\n", 2, 6, "unterminated string"),
    ("node {\n  sh \"\"\"echo ${env.X\n", 2, 14, "unterminated `${`"),
    ("pipeline {\n  stages {\n  }\n", 1, 10, "unbalanced `{`"),
    ("node {\n  sh 'x'\n}\n}\n", 4, 1, "closes nothing"),
    ("node {\n  sh('x'}\n}\n", 2, 9, "closes the `(`"),
    ("/* never closed\nnode { }\n", 1, 1, "unterminated comment"),
    ("node {\n  sh \"cost $5\"\n}\n", 2, 12, "`$`"),
    ("node {\n  sh 'a\\qb'\n}\n", 2, 8, "invalid escape"),
])
def test_broken_groovy_is_nx000_at_its_position(text, line, col, words):
    f = lint(text, "Jenkinsfile")
    assert [(x.rule.id, x.line, x.column) for x in f if x.rule.id == "NX000"] == [("NX000", line, col)]
    assert words in [x for x in f if x.rule.id == "NX000"][0].message


def test_broken_file_still_reports_and_is_never_fixed():
    text = "node {\n  sh 'docker pull ubuntu'\n  sh 'x\n}\n"
    assert codes(lint(text, "Jenkinsfile")) == ["NX101", "NX000"]
    assert fix_text(text, "Jenkinsfile") == text


@pytest.mark.parametrize("text", [
    "#!/usr/bin/env groovy\n@Library('x') _\nnode { sh 'true' }\n",
    "def call(Map p = [:]) {\n  def (a, b) = [1, 2]\n  def r = ~/^v\\d+$/\n  println(a / b)\n}\n",
    "node {\n  sh(/set +x; echo \"it's $HOME\"/)\n  def s = $/a/b$$c/$\n  def m = \"${tool \"jdk\"}/bin\"\n}\n",
    "node {\n  sh \"\"\"\n    echo \\$HOME ${env.X} \"quoted\" '' \\\n    done\n  \"\"\"\n}\n",
    "def x = [a: { -> 1 }, 'b': [1, 2]]\nx.each { k, v -> echo \"$k=$v.size\" }\n",
])
def test_valid_groovy_is_no_parse_error(text):
    assert groovy.parse(text).problem is None
    assert "NX000" not in codes(lint(text, "Jenkinsfile"))


def test_hostile_input_is_bounded():
    deep = "node {" + "(" * 5000 + ")" * 5000 + "}\n"
    assert "nested too deeply" in groovy.parse(deep).problem.message
    big = "node {\n" + "  sh \"docker pull ${env.X}/a:1 'q' \\$Y\"\n" * 3000 + "}\n"
    t = time.perf_counter()
    groovy.parse(big)
    assert time.perf_counter() - t < 2.0
    for junk in ("\x00\x01", "x = ²", "١٢", "'''", '"""$', "$/", "/", "${", "\\", "'\\u12", "{{{{"):
        lint(junk, "Jenkinsfile")  # never raises


def test_steps_in_closures_with_parameters_and_parallel_maps():
    text = ("node {\n"
            "  ['a', 'b'].each { n -> sh \"docker pull ubuntu:${n}\" }\n"
            "  parallel linux: { sh 'docker pull alpine' }, 'windows': { bat 'docker pull busybox' }\n"
            "  if (env.X) { sh 'docker pull debian' } else { retry(2) { sh 'docker pull redis' } }\n"
            "}\n")
    assert where(lint(text, "Jenkinsfile")) == [("NX101",) + line_col(text, w) for w in
                                                ("ubuntu", "alpine", "busybox", "debian", "redis")]


def test_groovy_string_variables_are_values_in_strings_but_not_in_the_shells_environment():
    text = ("def registry = 'nexus.shared.cwiq.io:8444'\n"
            "node {\n"
            "  sh \"docker push ${registry}/orchestrator/app:1\"\n"  # Groovy interpolates it
            "  sh 'docker push $registry/orchestrator/app:2'\n"  # the shell has no such variable
            "  def tool = 'maven:3.9'\n"
            "  docker.image(\"${tool}\").inside { sh 'mvn -v' }\n"
            "}\n")
    f = lint(text, "Jenkinsfile")
    assert where(f) == [("NX103",) + line_col(text, "8444"), ("NX101",) + line_col(text, "maven")]
    assert [text.count("\n", 0, r.start) + 1 for r in f[0].related] == [3]
    fixed = fix_text(text, "Jenkinsfile")
    assert "nexus.shared.cwiq.io:8443'" in fixed and "tool = 'nexus.shared.cwiq.io:8444/library/maven:3.9'" in fixed


def test_image_variable_used_later():
    text = "node {\n  def redis = docker.image('redis:7')\n  stage('t') {\n    redis.withRun { c -> sh 'make it' }\n  }\n}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX101",) + line_col(text, "redis:7")]


def test_build_in_one_step_then_push_in_another_is_a_push():
    text = f"node {{\n  sh 'docker build -t {H}:8444/orchestrator/app:1 .'\n  sh 'docker push {H}:8444/orchestrator/app:1'\n}}\n"
    assert where(lint(text, "Jenkinsfile")) == [("NX103",) + line_col(text, "8444"), ("NX103",) + line_col(text, "8444", 1)]


def test_many_steps_stay_fast():
    text = "node {\n" + "  sh 'docker build -t a:1 . && docker push b:1'\n" * 2000 + "}\n"
    t = time.perf_counter()
    lint(text, "Jenkinsfile")
    assert time.perf_counter() - t < 20  # was quadratic in the steps' images (3.8 M comparisons for 2,757)
