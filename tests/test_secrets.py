"""NX401-NX403: credentials found in every file kind, on the line of the value,
with the way out for the context, and the false-alarm traps that are not findings.

Secret values here are made up at run time (``fake(...)``), so this file holds
no literal that looks like a credential to a scanner.
"""

from __future__ import annotations

import pytest

from conftest import codes, fix_text, lint, where
from nexus_lint.values.secrets import find_tokens, is_secret_key, secret_part
from nexus_lint.core.model import Secret
from nexus_lint.pipeline.redact import mask
from nexus_lint.core.sourced import SourcedStr

N = "nexus.shared.cwiq.io"


def fake(tag: str) -> str:
    """A made-up secret: long enough to be shown as its first 3 characters only."""
    return "Fk" + tag + "-" + "x9Q" + "7z" * 4


def nx4(findings):
    return [f for f in findings if f.rule.id.startswith("NX4")]


def assert_redacted(findings, *secrets):
    for f in findings:
        text = f.message + (f.fix.description if f.fix else "") + "".join(r.message for r in f.related)
        for s in secrets:
            assert s not in text, f.message


# ---------------------------------------------------------------------------
# The secret value object and the redacted form
# ---------------------------------------------------------------------------


def test_secret_str_repr_and_format_are_redacted():
    raw = fake("obj")
    s = Secret(SourcedStr.literal(raw, 10))
    assert str(s) == raw[:3] + "*****"
    assert raw not in repr(s) and raw not in f"{s}" and raw not in f"{s:>40}" and raw not in "%s" % s
    assert s.reveal().text == raw and s.span() == (10, 10 + len(raw)) and len(s) == len(raw)


@pytest.mark.parametrize("raw, shown", [
    ("hunter2hunter2", "hun*****"), ("hunter2x", "hu*****"), ("hunter2", "h*****"), ("abc", "*****"), ("", "*****"),
])
def test_mask_shows_at_most_three_characters_and_never_the_length(raw, shown):
    assert mask(raw) == shown


@pytest.mark.parametrize("key", [
    "NEXUS_PASSWORD", "_authToken", "//host/repo/:_password", "_auth", "PGPASSWORD", "API_KEY", "apiKey",
    "DB_PASS", "client_secret", "GITLAB_TOKEN", "npmAuthToken", "passphrase", "SECRET_KEY", "ssh-privatekey",
])
def test_secret_like_names(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", [
    "PASSWORD_FILE", "TOKEN_PATH", "AUTH_URL", "NEXUS_USER", "VAULT_AUTH_ROLE", "VAULT_AUTH_PATH", "PASSWORD_PROMPT",
    "secretName", "existingSecret", "passwordKey", "secretKeyRef", "TOKEN_TTL", "PWD", "id-token", "author",
    "tokenizer", "bypass", "DOCKER_AUTH_CONFIG", "AUTH_TYPE",
])
def test_names_that_are_about_a_secret_not_the_secret(key):
    assert not is_secret_key(key)


@pytest.mark.parametrize("value", [
    "", "   ", "$NEXUS_PASSWORD", "${NEXUS_PASSWORD}", "${NEXUS_PASSWORD:-}", "${{ secrets.NEXUS_PASSWORD }}",
    "%(password)s", "${env.NEXUS_PASSWORD}", "$(vault kv get -field=password secret/ci)",
    "$(cat /run/secrets/nexus)", "`cat /run/secrets/nexus`", "/run/secrets/nexus", "./secrets/token",
    "Enter the Nexus password:", "[MASKED]", "***", "<your-token>", "changeme", "true", "xxxxxxxx",
    "{{ .Values.password }}", "ENC[AES256_GCM,data:abc]", "https://vault.example.com", "{COQLCE6DU6GtcS5P=}",
])
def test_values_that_are_no_secret(value):
    assert secret_part(value, "NEXUS_PASSWORD") is None


def test_a_literal_default_of_a_reference_is_the_secret():
    value = "${NEXUS_PASSWORD:-" + fake("dflt") + "}"
    s, e = secret_part(value, "NEXUS_PASSWORD")
    assert value[s:e] == fake("dflt")


def test_token_shapes_under_any_name():
    npm = "npm_" + "A1b2" * 9
    glpat = "glpat-" + "Zy9x" * 5
    ghp = "ghp_" + "Q" * 36
    text = f"a={npm} b={glpat} c={ghp} d=pypi-group-words"
    found = [text[s:e] for s, e, _ in find_tokens(text)]
    assert found == [npm, glpat, ghp]


# ---------------------------------------------------------------------------
# GitLab CI
# ---------------------------------------------------------------------------


def test_gitlab_variables_literal_with_the_vault_way_out():
    pw = fake("gl")
    text = (
        "variables:\n"
        f"  NEXUS_PASSWORD: \"{pw}\"\n"
        "  NEXUS_USER: ci\n"
        "build:\n"
        f"  image: {N}:8444/library/docker:27\n"
        "  variables:\n"
        f"    DEPLOY_TOKEN: {fake('job')}\n"
        "  script:\n"
        f"    - echo \"$NEXUS_PASSWORD\" | docker login -u ci --password-stdin {N}:8443\n"
    )
    found = nx4(lint(text, ".gitlab-ci.yml"))
    assert where(found) == [("NX401", 2, 20), ("NX401", 7, 19)]
    msg = found[0].message
    assert "Vault" in msg and "nexus-ci" in msg and "id_tokens" in msg and "vault:" in msg and "secrets:" in msg
    assert_redacted(found, pw, fake("job"))


def test_gitlab_correct_pipeline_gives_no_nx4():
    text = (
        "variables:\n"
        "  VAULT_AUTH_ROLE: nexus-ci\n"
        "  NEXUS_PASSWORD_FILE: /run/secrets/nexus\n"
        "  MASKED_TOKEN: \"[MASKED]\"\n"
        "  OPTIONAL_TOKEN: ${OPTIONAL_TOKEN:-}\n"
        "  PROMPT: {value: \"\", description: \"Enter the Nexus password\"}\n"
        "publish:\n"
        f"  image: {N}:8444/library/docker:27\n"
        "  id_tokens:\n"
        "    VAULT_ID_TOKEN:\n"
        "      aud: https://vault.example.com\n"
        "  secrets:\n"
        "    NEXUS_PASSWORD:\n"
        "      vault: nexus/ci/password@secret\n"
        "      token: $VAULT_ID_TOKEN\n"
        "      file: false\n"
        "  services:\n"
        f"    - name: {N}:8444/library/postgres:16\n"
        "      variables: {POSTGRES_PASSWORD: postgres}\n"
        "  script:\n"
        f"    - echo \"$NEXUS_PASSWORD\" | docker login -u ci --password-stdin {N}:8443\n"
        "    - export TOKEN=\"$(vault kv get -field=token secret/ci)\"\n"
        "    - read -r -s -p 'Password: ' PASSWORD\n"
        "    - git clone \"https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example.com/g/p.git\"\n"
    )
    assert nx4(lint(text, ".gitlab-ci.yml")) == []


def test_gitlab_docker_auth_config_and_docker_login_argument():
    auth = __import__("base64").b64encode(("ci:" + fake("dac")).encode()).decode()
    text = (
        "variables:\n"
        f"  DOCKER_AUTH_CONFIG: '{{\"auths\": {{\"{N}:8444\": {{\"auth\": \"{auth}\"}}}}}}'\n"
        "job:\n"
        f"  image: {N}:8444/library/docker:27\n"
        "  script:\n"
        f"    - docker login -u ci -p \"$NEXUS_PASSWORD\" {N}:8443\n"
    )
    found = nx4(lint(text, ".gitlab-ci.yml"))
    assert [(f.rule.id, f.line, f.severity) for f in found] == [("NX401", 2, "error"), ("NX403", 6, "warning")]
    assert "--password-stdin" in found[1].message


# ---------------------------------------------------------------------------
# GitHub Actions
# ---------------------------------------------------------------------------


def test_github_env_and_with_literals_point_to_secrets():
    text = (
        "on: push\n"
        "permissions:\n"
        "  id-token: write\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    env:\n"
        "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
        f"      NODE_AUTH_TOKEN: {fake('gh')}\n"
        "    steps:\n"
        "      - uses: docker/login-action@v3\n"
        "        with:\n"
        f"          registry: {N}:8443\n"
        "          username: ci\n"
        "          password: ${{ secrets.NEXUS_PASSWORD }}\n"
        f"      - run: docker login -u ci -p ${{{{ secrets.NEXUS_PASSWORD }}}} {N}:8443\n"
    )
    found = nx4(lint(text, ".github/workflows/ci.yml"))
    assert where(found) == [("NX401", 9, 24), ("NX403", 16, 14)]  # the expression has no place: the command
    assert "${{ secrets.NODE_AUTH_TOKEN }}" in found[0].message


# ---------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------


def test_dockerfile_env_over_continuation_lines_and_arg():
    pw = fake("df")
    text = (
        f"FROM {N}:8444/library/python:3.12\n"
        "ARG NEXUS_USER=ci\n"
        "ENV A=1 \\\n"
        f"    NEXUS_PASSWORD={pw} \\\n"
        "    B=2\n"
        "ARG NEXUS_TOKEN\n"
        "ENV TOKEN_FILE=/run/secrets/token\n"
        "RUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null\n"
    )
    found = nx4(lint(text))
    assert where(found) == [("NX401", 4, 20)]
    assert "--mount=type=secret" in found[0].message
    assert_redacted(found, pw)


def test_dockerfile_run_uses_the_env_literal_as_related():
    pw = fake("run")
    text = f"FROM {N}:8444/library/python:3.12\nENV NEXUS_PASSWORD={pw}\nRUN docker login -u ci -p $NEXUS_PASSWORD {N}:8443\n"
    found = nx4(lint(text))
    assert where(found) == [("NX401", 2, 20), ("NX403", 3, 27)]
    assert found[0].related and found[0].related[0].message.startswith("used here by docker login -p")


# ---------------------------------------------------------------------------
# Package-manager configs
# ---------------------------------------------------------------------------


def test_npmrc_token_with_the_unsafe_fix():
    tok = "npm_" + "Fk1" * 12
    text = (
        f"//{N}/repository/npm-group/:_authToken={tok}\n"
        f"//{N}/repository/npm-hosted/:_authToken=${{NPM_TOKEN}}\n"
        f"registry=https://{N}/repository/npm-group/\n"
        "always-auth=true\n"
    )
    found = lint(text, ".npmrc")
    assert where(found) == [("NX401", 1, 57)]
    assert found[0].fix.safety == "unsafe" and "${NPM_TOKEN}" in found[0].message
    assert_redacted(found, tok)
    assert fix_text(text, ".npmrc") == text  # unsafe: not with --fix alone
    fixed = fix_text(text, ".npmrc", unsafe=True)
    assert fixed.splitlines()[0] == f"//{N}/repository/npm-group/:_authToken=${{NPM_TOKEN}}"
    assert lint(fixed, ".npmrc") == []


def test_npmrc_auth_and_password_and_sections():
    auth = fake("npa")
    text = f"_auth={auth}\n//{N}/:_password=${{NPM_PASSWORD}}\n[section]\n_authToken={fake('sec')}\n"
    assert where(lint(text, ".npmrc")) == [("NX401", 1, 7)]


def test_pypirc_password_and_keyring_way_out():
    pw = fake("pypirc")
    text = (
        "[distutils]\nindex-servers = nexus\n\n[nexus]\n"
        f"repository = https://{N}/repository/pypi-hosted/\nusername = __token__\npassword = {pw}\n"
    )
    found = lint(text, ".pypirc")
    assert where(found) == [("NX401", 7, 12)]
    assert "TWINE_PASSWORD" in found[0].message and "keyring" in found[0].message


def test_repo_password_and_reference():
    text = (
        "[nexus]\nname=Nexus\n"
        f"baseurl=https://{N}/repository/yum-group-dev/\n"
        f"username=ci\npassword={fake('repo')}\nproxy_password=$PROXY_PASSWORD\n"
    )
    found = lint(text, "nexus.repo")
    assert where(found) == [("NX401", 5, 10)]
    assert "DNF_VAR_" in found[0].message


def test_maven_settings_passwords():
    text = (
        "<settings><servers>\n"
        f"  <server><id>a</id><username>ci</username><password>{fake('mvn')}</password></server>\n"
        "  <server><id>b</id><password>${env.NEXUS_PASSWORD}</password></server>\n"
        "  <server><id>c</id><password>{COQLCE6DU6GtcS5P=}</password></server>\n"
        "</servers></settings>\n"
    )
    found = lint(text, "settings.xml")
    assert where(found) == [("NX401", 2, 54)]
    assert "${env.NEXUS_PASSWORD}" in found[0].message


def test_pip_conf_url_password_is_nx402_and_dollar_braces_are_no_secret():
    pw = fake("pip")
    text = f"[global]\nindex-url = https://ci:{pw}@{N}/repository/pypi-group/simple/\n"
    found = lint(text, "pip.conf")
    assert where(found) == [("NX402", 2, 24)]
    assert_redacted(found, pw)
    assert lint(f"[global]\nindex-url = https://ci:${{PIP_PASSWORD}}@{N}/repository/pypi-group/simple/\n", "pip.conf") == []


def test_yarnrc_and_docker_config_json():
    text = f"npmRegistryServer: \"https://{N}/repository/npm-group/\"\nnpmAuthToken: {fake('yarn')}\n"
    assert where(lint(text, ".yarnrc.yml")) == [("NX401", 2, 15)]
    auth = __import__("base64").b64encode(("ci:" + fake("dcfg")).encode()).decode()
    cfg = f'{{\n  "auths": {{\n    "{N}:8443": {{"auth": "{auth}"}}\n  }}\n}}\n'
    assert where(lint(cfg, ".docker/config.json")) == [("NX401", 3, 44)]
    assert lint('{"credsStore": "desktop", "auths": {"x": {}}}', ".docker/config.json") == []


# ---------------------------------------------------------------------------
# compose and Kubernetes
# ---------------------------------------------------------------------------


def test_compose_environment_map_and_list():
    text = (
        "services:\n"
        "  db:\n"
        f"    image: {N}:8444/library/postgres:16\n"
        "    environment:\n"
        f"      POSTGRES_PASSWORD: {fake('cmp')}\n"
        "      POSTGRES_USER: app\n"
        "  app:\n"
        f"    image: {N}:8444/orchestrator/app:1\n"
        "    environment:\n"
        f"      - NEXUS_TOKEN={fake('lst')}\n"
        "      - DB_PASSWORD=${DB_PASSWORD}\n"
        "      - DB_PASSWORD_FILE=/run/secrets/db\n"
        "      - API_KEY=${API_KEY:-}\n"
    )
    assert where(nx4(lint(text, "compose.yml"))) == [("NX401", 5, 26), ("NX401", 10, 21)]


def test_kubernetes_secret_data_string_data_and_dockerconfigjson():
    import base64

    b64 = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731
    cfg = b64('{"auths": {"%s:8444": {"auth": "%s"}}}' % (N, b64("ci:" + fake("k8cfg"))))
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: nexus}\n"
        "data:\n"
        f"  password: {b64(fake('k8s'))}\n"
        f"  username: {b64('ci')}\n"
        f"  placeholder: {b64('changeme')}\n"
        "stringData:\n"
        f"  token: {fake('sd')}\n"
        "---\n"
        "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nmetadata: {name: pull}\n"
        f"data:\n  .dockerconfigjson: {cfg}\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
        f"    - name: app\n      image: {N}:8444/orchestrator/app:1\n"
        "      env:\n"
        f"        - {{name: DB_PASSWORD, value: {fake('env')}}}\n"
        "        - name: API_TOKEN\n          valueFrom: {secretKeyRef: {name: app, key: token}}\n"
    )
    found = nx4(lint(text, "deploy/nexus.yaml"))
    assert [(f.rule.id, f.line) for f in found] == [("NX401", 5), ("NX401", 9), ("NX401", 16), ("NX401", 25)]
    assert "secretKeyRef" in found[0].message


# ---------------------------------------------------------------------------
# Shell commands
# ---------------------------------------------------------------------------


def test_shell_commands_each_on_the_line_of_the_value():
    tw = "pypi-AgEIcHlwaS5vcmc" + "Fk9" * 20
    text = (
        "#!/bin/sh\n"
        f"docker login -u ci -p '{fake('dl')}' {N}:8443\n"
        f"curl -u admin:{fake('curl')} https://{N}/service/rest/v1/status\n"
        f"wget --password={fake('wget')} https://{N}/repository/raw-group/x\n"
        f"twine upload -u __token__ -p {tw} dist/*\n"
        f"helm repo add nx https://{N}/repository/helm-group/ --username ci --password {fake('helm')}\n"
        f"curl -H 'Authorization: Bearer {fake('bearer')}' https://{N}/service/rest/v1/status\n"
        f"curl -H \"Authorization: Basic $(printf 'ci:%s' \"$PW\" | base64)\" https://{N}/service/rest/v1/status\n"
        f"echo '{fake('pipe')}' | docker login -u ci --password-stdin {N}:8443\n"
        f"export NEXUS_PASSWORD={fake('exp')}\n"
    )
    found = nx4(lint(text, "publish.sh"))
    assert [(f.rule.id, f.line) for f in found] == [
        ("NX403", 2), ("NX401", 2), ("NX401", 3), ("NX401", 4), ("NX401", 5), ("NX401", 6), ("NX401", 7),
        ("NX401", 9), ("NX401", 10),
    ]
    assert found[1].column == 24  # inside the quotes, on the value
    msgs = {f.line: f.message for f in found if f.rule.id == "NX401"}
    assert "--password-stdin" in msgs[2] and "--password-stdin" in msgs[9]
    assert "TWINE_PASSWORD" in msgs[5]
    assert_redacted(found, fake("dl"), fake("curl"), tw, fake("exp"))


def test_shell_traps_are_not_findings():
    text = (
        "#!/bin/bash\n"
        "read -r -s -p 'Nexus password: ' NEXUS_PASSWORD\n"
        "TOKEN=$(vault kv get -field=token secret/ci)\n"
        "PASSWORD=\"$(cat /run/secrets/nexus)\"\n"
        "NEXUS_PASSWORD=${NEXUS_PASSWORD:-}\n"
        "PASSWORD_FILE=/run/secrets/nexus\n"
        "echo \"Enter the password:\"\n"
        f"printf '%s' \"$NEXUS_PASSWORD\" | docker login -u ci --password-stdin {N}:8443\n"
        f"curl -u \"$NEXUS_USER:$NEXUS_PASSWORD\" https://{N}/service/rest/v1/status\n"
        f"curl -u admin https://{N}/service/rest/v1/status\n"
        f"curl -H \"Authorization: Bearer $TOKEN\" https://{N}/service/rest/v1/status\n"
        f"twine upload --repository-url https://{N}/repository/pypi-hosted/ dist/*\n"
        "# the token is glpat-" + "x" * 20 + " in a comment: prose, not code\n"
    )
    assert nx4(lint(text, "publish.sh")) == []


@pytest.mark.parametrize("feed,line,column", [
    ("<<< '{s}' {n}:8443", 1, 42),
    ("<<< \"{s}\" {n}:8443", 1, 42),
    ("{n}:8443 <<EOF\n{s}\nEOF", 2, 1),
    ("{n}:8443 <<'EOF'\n{s}\nEOF", 2, 1),
    ("{n}:8443 <<EOF\r\n{s}\r\nEOF", 2, 1),
])
def test_password_fed_by_here_string_or_heredoc(feed, line, column):
    secret = fake("here")
    text = "docker login -u ci --password-stdin " + feed.format(s=secret, n=N) + "\n"
    found = nx4(lint(text, "login.sh"))
    assert [(f.rule.id, f.line, f.column) for f in found] == [("NX401", line, column)]
    assert "--password-stdin" in found[0].message
    assert_redacted(found, secret)


@pytest.mark.parametrize("feed", [
    "<<< \"$NEXUS_PASSWORD\" {n}:8443",
    "<<< \"$(vault kv get -field=password secret/ci)\" {n}:8443",
    "{n}:8443 <<EOF\n$NEXUS_PASSWORD\nEOF",
    "{n}:8443 <<EOF\n${{NEXUS_PASSWORD}}\nEOF",
])
def test_variable_fed_by_here_string_or_heredoc_is_not_a_finding(feed):
    assert nx4(lint("docker login -u ci --password-stdin " + feed.format(n=N) + "\n", "login.sh")) == []


def test_a_heredoc_into_another_command_is_not_a_password():
    assert nx4(lint("cat <<'EOF' > notes.txt\nhunter2hunter2\nEOF\ndocker login -u ci --password-stdin r\n",
                    "login.sh")) == []


def test_nx403_is_a_warning_for_a_variable_and_comes_with_nx401_for_a_literal():
    var = lint(f"docker login -u ci --password \"$NEXUS_PASSWORD\" {N}:8443\n", "login.sh")
    assert [(f.rule.id, f.severity) for f in var] == [("NX403", "warning")]
    lit = lint(f"podman login -u ci -p {fake('pod')} {N}:8443\n", "login.sh")
    assert sorted(codes(lit)) == ["NX401", "NX403"]


def test_url_userinfo_in_commands_and_ci_variables():
    pw = fake("url")
    text = f"git clone https://ci:{pw}@gitlab.example.com/g/p.git\npip install -i https://ci:{pw}@{N}/repository/pypi-group/simple/ x\n"
    found = lint(text, "s.sh")
    assert where(found) == [("NX402", 1, 22), ("NX402", 2, 27)]
    assert_redacted(found, pw)


def test_token_shape_under_a_name_that_says_nothing():
    glpat = "glpat-" + "Fk7q" * 5
    text = f"variables:\n  GITLAB_API: {glpat}\njob:\n  script:\n    - echo hi\n"
    assert where(lint(text, ".gitlab-ci.yml")) == [("NX401", 2, 15)]


def test_suppression_works_for_secrets():
    text = f"export NEXUS_PASSWORD={fake('sup')}  # nexus-lint: ignore[NX401]\n"
    assert lint(text, "s.sh") == []


def test_docker_run_env_and_build_arg():
    text = (
        f"docker run -e NEXUS_PASSWORD={fake('run')} --env=API_TOKEN={fake('env')} -e PATH=/usr/bin {N}:8444/library/alpine:3\n"
        f"docker build --build-arg NPM_TOKEN={fake('arg')} --build-arg NPM_TOKEN_FILE=/run/secrets/npm .\n"
    )
    assert [(f.rule.id, f.line) for f in lint(text, "b.sh")] == [("NX401", 1), ("NX401", 1), ("NX401", 2)]


def test_a_token_as_the_url_user_is_a_credential_in_the_url_and_never_shown():
    glpat = "glpat-" + "Fk3w" * 5
    text = f"[global]\nindex-url = http://{glpat}@{N}/repository/pypi-group/simple/\n"
    found = lint(text, "pip.conf")
    assert sorted(codes(found)) == ["NX202", "NX402"]
    assert_redacted(found, glpat)


def test_nx403_message_names_the_variable_it_came_through():
    found = lint(f"docker login -u ci -p \"$REGISTRY_PASSWORD\" {N}:8443\n", "login.sh")
    assert "\"$REGISTRY_PASSWORD\" | docker login" in found[0].message


def test_gitlab_long_form_variable():
    text = (
        "variables:\n"
        "  NEXUS_PASSWORD:\n"
        f"    value: {fake('long')}\n"
        "    description: the Nexus password\n"
        "  NEXUS_TOKEN: {value: \"\", description: \"Enter the token\"}\n"
    )
    assert where(lint(text, ".gitlab-ci.yml")) == [("NX401", 3, 12)]


def test_nexus_user_token_pair_and_private_key_shapes():
    name, code = "Ab3dEf7h", "Qx" * 22
    text = f"NEXUS_AUTH_PAIR={name}:{code}"
    assert [(text[s:e], label) for s, e, label in find_tokens(text)] == [(code, "Nexus user token")]
    body = "MIIEowIBAAKCAQEAq1x9Jz4b7Kd2mVt0pR8sW3nYc6uHf5gLe1oQa"
    pem = "-----BEGIN " + f"RSA PRIVATE KEY-----\n{body}\n-----END RSA " + "PRIVATE KEY-----"  # nexus-lint: ignore[NX401] (planted test data)
    assert [label for _, _, label in find_tokens("key: |\n" + pem)] == ["private key"]
    old_style = "-----BEGIN " + f"RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,AB12\n\n{body}\n"  # nexus-lint: ignore[NX401] (planted test data)
    assert [label for _, _, label in find_tokens(old_style)] == ["private key"]  # headers, then the body
    # a pattern that matches keys, in sed or grep, has no body: no key
    for pattern in ("s/-----BEGIN OPENSSH " + "PRIVATE KEY-----[^-]*-----END OPENSSH PRIVATE KEY-----/[REDACTED]/g",
                    "grep -qE '-----BEGIN OPENSSH " + "PRIVATE KEY-----'"):
        assert find_tokens(pattern) == []


def test_a_made_up_token_that_spells_the_alphabet_is_no_finding():
    assert find_tokens("Token: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm") == []
    assert find_tokens("npm_0123456789abcdefghijklmnopqrstuvwxyz") == []
    real_shape = "ghp_" + "x1Qa9ZrT" * 4 + "bQ7m"
    assert [label for _, _, label in find_tokens(real_shape)] == ["GitHub token"]
    assert find_tokens(f"image@sha256:{'a' * 64}") == []
