"""Issue 13, the value level: what a credential is, so a finding is one.

* well-known token shapes (AWS, Slack, JWT) under any key, anchored;
* :func:`looks_like_secret` for code constants whose *name* merely holds a
  credential word (the issue's "False alarms");
* ONE narrow placeholder list: in CI, deploy scripts, Dockerfiles and configs a
  literal password is a finding whatever word it is;
* ``admin123``, the Nexus default admin password, everywhere;
* reserved example and test hosts (RFC 2606/6761) for NX402 in test code.

Through the real CLI where the file kinds already pass the value through this
layer; at the value level where a caller in ``kinds/`` still has to choose the
judgment (see the report of issue 13).  Every secret-looking value is made up
at run time (``_j(...)``), so this file holds no literal a scanner would flag.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_tree
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.values import secrets as S
from nexus_lint.values.hosts import is_reserved_host, url_has_reserved_host
from nexus_lint.values.secrets import (
    PLACEHOLDER_WORDS,
    is_secret_key,
    by_key,
    credential_note,
    is_nexus_default_password,
    is_test_path,
    looks_like_secret,
    secret_part,
    url_secret_part,
)
from nexus_lint.values.tokens import find_tokens

N = "nexus.shared.cwiq.io"


def _j(*parts: str) -> str:
    """Join at run time: no credential-shaped literal stands in this file."""
    return "".join(parts)


AWS_ID = _j("AK", "IA", "Q3EGRWTJ5NPLZ4UM")
AWS_SECRET = _j("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYzq8Lm2Tn5v")
SLACK = {p: _j("xo", "x", p, "-", "123456789012-1234567890123-", "AbCdEfGhIjKlMnOpQrStUvWx") for p in "bpars"}
SLACK_HOOK = _j("https://hooks.", "slack.com/services/", "T0AB1CD2E/B0FG3HI4J/", "abcdEFGHijklMNOPqrstUVWX")
JWT = _j("ey", "JhbGciOiJIUzI1NiJ9", ".", "ey", "JzdWIiOiIxMjM0NTY3ODkwIn0", ".",
         "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
PYPI = _j("pypi-", "AgE", "IcHlwaS5vcmcCJDU1ZmY4NDk0LWE3YjQtNDc0Zi1iNmQ0LWJkNzBkYWQ4YjE0OQ")
ADMIN = _j("admin", "123")


def found(text):
    return [(text[s:e], label) for s, e, label in find_tokens(text)]


# ---------------------------------------------------------------------------
# Token shapes
# ---------------------------------------------------------------------------


def test_aws_access_key_id_under_any_name_but_not_inside_an_identifier_or_a_regex():
    text = f"x = {AWS_ID}\ny = X{AWS_ID}\nz = {AWS_ID}Q\nrx = r'AK' 'IA[0-9A-Z]{{16}}'\nw = AKIA[0-9A-Z]{{16}}"
    assert found(text) == [(AWS_ID, "AWS access key id")]
    asia = _j("AS", "IA", "Z7Y6X5W4V3U2T1S0")
    assert found(f"AWS_SESSION_KEY_ID={asia}") == [(asia, "AWS access key id")]


def test_aws_documentation_example_keys_are_not_findings():
    doc_id = _j("AKIA", "IOSFODNN7", "EXAMPLE")
    doc_secret = _j("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY")
    assert found(f"id={doc_id} aws_secret_access_key={doc_secret}") == []


@pytest.mark.parametrize("line", [
    "aws_secret_access_key = {s}",
    "AWS_SECRET_ACCESS_KEY={s}",
    '"SecretAccessKey": "{s}"',
    "aws configure set aws_secret_access_key {s}",
])
def test_aws_secret_access_key_next_to_its_name(line):
    assert found(line.format(s=AWS_SECRET)) == [(AWS_SECRET, "AWS secret access key")]


def test_a_40_character_run_alone_or_a_hex_digest_is_no_aws_secret():
    sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert found(f"checksum = {AWS_SECRET}") == []
    assert found(f"aws_secret_access_key = {sha1}") == []  # one case, no mix: a digest


@pytest.mark.parametrize("prefix", list("bpars"))
def test_slack_tokens(prefix):
    tok = SLACK[prefix]
    assert found(f"SLACK = '{tok}'") == [(tok, "Slack token")]
    assert found(f"id_{tok}") == []  # inside an identifier


def test_slack_token_placeholders_and_regexes_are_not_findings():
    assert found(_j("xo", "xb-your-token-here-please-ok")) == []
    assert found(_j("rx = r'xo", "x[baprs]-[0-9a-zA-Z]{10,48}'")) == []


def test_slack_webhook_url_but_not_the_documentation_one():
    assert found(f"curl -X POST -d @msg.json {SLACK_HOOK}") == [(SLACK_HOOK, "Slack webhook URL")]
    doc = _j("https://hooks.", "slack.com/services/", "T00000000/B00000000/", "X" * 24)
    assert found(doc) == []


def test_json_web_token_but_not_a_regex_for_one():
    assert found(f"Authorization: Bearer {JWT}") == [(JWT, "JSON Web Token")]
    assert found(f"token: {JWT}.") == [(JWT, "JSON Web Token")]  # end of a sentence
    assert found(_j(r"rx = r'ey", r"J[A-Za-z0-9_-]+\.ey", r"J[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+'")) == []
    assert found(f"x{JWT}") == []


def test_new_shapes_through_the_cli_in_a_ci_file_under_names_that_say_nothing(cli, tmp_path):
    text = (
        "deploy:\n"
        f"  image: {N}:8444/library/alpine:3\n"
        "  variables:\n"
        f"    ACCOUNT: {AWS_ID}\n"
        f"    CHAT: {SLACK['b']}\n"
        f"    NOTIFY: {SLACK_HOOK}\n"
        f"    SESSION: {JWT}\n"
    )
    got = run(cli, tmp_path, {".gitlab-ci.yml": text})
    assert got == [("NX401", ".gitlab-ci.yml", 4, 14), ("NX401", ".gitlab-ci.yml", 5, 11),
                   ("NX401", ".gitlab-ci.yml", 6, 13), ("NX401", ".gitlab-ci.yml", 7, 14)]


# ---------------------------------------------------------------------------
# A code constant whose name holds a credential word: judged by its value
# ---------------------------------------------------------------------------

# The issue's "False alarms" the value decides (key, value)
NOT_SECRETS = [
    ("BASIC_AUTH", "basic-auth"),
    ("URL_PASSWORD", "url-password"),
    ("SECRET_RULES", "NX4"),
    ("password", "ansible_ssh_pass"),
    ("password", "ansible_password"),
    ("safe_user_passwords", "git"),
    ("auth", "negotiate"),
    ("_IPV4_PAT", r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}"),
    ("_CREDENTIAL_WORDS", "pass|pwd|secret|token|auth|api-key|npm_|glpat-"),  # this project's own alternation
    ("password", ":****"),
    ("LOG_PASSWORD", "NOT_LOGGING_PASSWORD"),
    ("omit_token", "POPCORN"),
    ("TWINE_PASSWORD", "pypipassword"),
    ("X-CSRF-Token", "fetch"),
    # more labels, regexes, templates and masks of the same kinds
    ("AUTH_SCHEME", "HTTPBasicAuth"),
    ("DEFAULT_AUTH", "oauth2"),
    ("TOKEN_ALGO_SECRET", "sha256"),
    ("API_TOKEN_VERSION_SECRET", "v1.2.3"),
    ("PASSWORD_TEMPLATE_SECRET", "{user}:{password}"),
    ("PASSWORD_SECRET", "%s"),
    ("TOKEN_RE_SECRET", r"^gh[pousr]_\w{36}$"),
    ("SMTP_AUTH", "noreply@example.com"),
    ("TOKEN_MASK", "xxxx-xxxx-xxxx"),
    ("password", "password"),
    ("secret", "secret"),
    ("client_secret", "client-secret"),
    ("PASSWORD_HASHER", "argon2id"),
    ("TOKEN_CURVE_SECRET", "ed25519"),
    ("SECRET_LABELS", "requests.auth.HTTPBasicAuth"),
]


@pytest.mark.parametrize("key,value", NOT_SECRETS)
def test_constant_values_that_are_no_secret(key, value):
    assert not looks_like_secret(value, key)
    assert by_key(key, SourcedStr.literal(value, 0), f"{key} =", hint="env", strict=False) == []


SECRETS = [
    ("password", "SecurePassword123!"),
    ("password", ADMIN),
    ("Password", _j("hunter", "2")),
    ("DB_PASSWORD", _j("s3cr", "3t-v4lue")),
    ("PIN_PASSWORD", "482915"),
    ("PASSWORD", _j("pAsS", "wOrD")),
    ("API_TOKEN", _j("kqjdhfwpeo", "irutyzmxnc")),
    ("TOKEN", _j("ghp_", "Q" * 36)),
    ("PASSWORD", _j("Passw0rd", "$")),
    ("ADMIN_AUTH", _j("admin:", ADMIN)),
    ("DB_PASSWORD", _j("P%40ss", "w0rd")),  # URL-encoded, not a printf template
    ("SERVICE_TOKEN", _j("123e4567-e89b-12d3-", "a456-426614174000")),
]


@pytest.mark.parametrize("key,value", SECRETS)
def test_constant_values_that_are_secrets(key, value):
    assert looks_like_secret(value, key)
    facts = by_key(key, SourcedStr.literal(value, 0), f"{key} =", hint="env", strict=False)
    assert len(facts) == 1


def test_the_default_judgment_keeps_the_strict_one():
    # config and CI callers pass nothing: every literal but a placeholder is the secret
    assert secret_part("basic-auth", "BASIC_AUTH") == (0, 10)
    assert secret_part("negotiate", "auth") == (0, 9)
    assert secret_part("   git ", "PASSWORD") == (3, 6)


def test_test_code_fixtures_only_count_token_shapes_and_the_nexus_default():
    assert secret_part(_j("hunter", "2"), "Password", test_code=True) is None
    assert secret_part("pypipassword", "TWINE_PASSWORD", test_code=True) is None
    assert secret_part(PYPI, "TWINE_PASSWORD", test_code=True) == (0, len(PYPI))
    assert secret_part(ADMIN, "nexus_pass", test_code=True) == (0, 8)
    url = _j("http://foo:", "bar@example.com/path")
    assert by_key("url", SourcedStr.literal(url, 0), "url", test_code=True) == []
    assert len(by_key("url", SourcedStr.literal(url, 0), "url")) == 1


@pytest.mark.parametrize("path,expected", [
    ("tests/test_upload.py", True), ("test_client.py", True), ("pkg/client_test.py", True), ("conftest.py", True),
    ("src/pkg/testing/fakes.py", True), ("a/__tests__/x.js", True), ("tests.py", True), ("spec/api_spec.rb", True),
    ("examples/create_user.py", False), ("src/pkg/client.py", False), ("scripts/deploy.sh", False),
    ("contest.py", False), ("latest/tool.py", False), ("attestation.py", False), ("", False),
])
def test_what_is_test_code(path, expected):
    assert is_test_path(path) is expected


def test_test_code_headers_and_user_password_pairs():
    assert S.header_secret("Authorization: Basic " + _j("hunter", "2xyz")) is not None
    assert S.header_secret("Authorization: Basic " + _j("hunter", "2xyz"), test_code=True) is None
    assert S.header_secret("Authorization: Bearer " + JWT, test_code=True) is not None
    assert S.basic_auth_secret("user:pass") == (5, 9)
    assert S.basic_auth_secret("user:pass", test_code=True) is None
    assert S.basic_auth_secret("admin:" + ADMIN, test_code=True) == (6, 14)


# The Python file kind judges constants, dict entries and keywords by their value
# (kinds/python.py credential_facts passes strict=False).


def test_python_constants_of_the_issue_through_the_cli(cli, tmp_path):
    text = (
        "import re\n"
        'BASIC_AUTH = "basic-auth"\n'
        'URL_PASSWORD = "url-password"\n'
        'SECRET_RULES = ("NX4",)\n'
        "connection = dict(password=('ansible_ssh_pass', 'ansible_password'))\n"
        'safe_user_passwords = ("git",)\n'
        "opts = {'auth': 'negotiate'}\n"
        '_IPV4_PAT = r"(?:[0-9]{1,3}\\.){3}[0-9]{1,3}"\n'
        'password = ":****"\n'
        "LOG_PASSWORD = 'NOT_LOGGING_PASSWORD'\n"
        "omit_token = 'POPCORN'\n"
        f"admin_password = '{ADMIN}'\n"
    )
    assert run(cli, tmp_path, {"consts.py": text}) == [("NX401", "consts.py", 12, 19)]


# ---------------------------------------------------------------------------
# Real findings the rules must keep
# ---------------------------------------------------------------------------


def test_a_real_pypi_token_in_a_test_is_found(cli, tmp_path):
    text = (
        "def test_upload(monkeypatch):\n"
        f"    monkeypatch.setenv('TWINE_PASSWORD', '{PYPI}')\n"
        f"    token = '{PYPI}'\n"
    )
    got = run(cli, tmp_path, {"tests/test_upload.py": text})
    assert ("NX401", "tests/test_upload.py", 3, 14) in got


def test_a_password_for_a_nexus_user_creation_in_an_example_script_is_found(cli, tmp_path):
    text = (
        "from nexus_client import NexusClient\n"
        f"client = NexusClient('https://{N}')\n"
        "client.security.users.create(\n"
        "    user_id='deployer',\n"
        '    password="SecurePassword123!",\n'
        "    roles=['nx-deploy'],\n"
        ")\n"
    )
    assert run(cli, tmp_path, {"examples/create_user.py": text}) == [
        ("NX401", "examples/create_user.py", 5, 15)]


def test_the_password_for_a_nexus_user_is_kept_with_lenient_constants(cli, tmp_path):
    text = f'import nexus\nnexus.create_user("deployer", password="SecurePassword123!", url="https://{N}")\n'
    assert run(cli, tmp_path, {"examples/create_user.py": text}) == [("NX401", "examples/create_user.py", 2, 41)]


# ---------------------------------------------------------------------------
# One narrow placeholder list
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", sorted(PLACEHOLDER_WORDS) + [
    "CHANGEME", "example-token", "dummy_password", "***", ":****", "****abcd", "xxx", "<token>",
    "<your password>", "[MASKED]", "(none)", "your-token", "your_api_key", "token-goes-here", "abc...",
    "precompile_placeholder", "build-dummy",
])
def test_placeholders_are_no_secret_in_any_file_kind(value):
    assert secret_part(value, "NEXUS_PASSWORD") is None
    assert secret_part(value) is None


def test_the_placeholder_list_is_the_narrow_one_the_rule_page_writes():
    assert PLACEHOLDER_WORDS == frozenset("""
        changeme change-me change_me changeit example dummy placeholder redacted masked none null nil undefined
        empty unset todo tbd fixme required optional true false yes no on off invalid
    """.split())
    page = (Path(__file__).resolve().parent.parent / "rules" / "NX401.md").read_text(encoding="utf-8")
    placeholders = page.split("### Placeholders", 1)[1].split("## ", 1)[0]
    for word in PLACEHOLDER_WORDS:
        assert f"`{word}`" in placeholders, word


@pytest.mark.parametrize("value", ["password", "passwd", "pass", "secret", "token", "test", "testing", "default",
                                   "fake", "sample", "read", "write", "mypass", "notasecret"])
def test_ordinary_words_are_passwords_in_strict_contexts(value):
    assert secret_part(value, "password") == (0, len(value))


def test_a_value_that_is_the_other_word_of_its_key_but_never_the_credential_word():
    assert secret_part("postgres", "POSTGRES_PASSWORD") is None  # the service's throwaway default (kept)
    assert secret_part("password", "password") == (0, 8)
    assert secret_part("pass", "DB_PASS") == (0, 4)


def test_password_password_is_reported_in_a_ci_file_and_a_config(cli, tmp_path):
    files = {
        ".gitlab-ci.yml": (
            "deploy:\n"
            f"  image: {N}:8444/library/alpine:3\n"
            "  variables:\n"
            "    NEXUS_PASSWORD: password\n"
            "    NEXUS_TOKEN: mypass\n"
        ),
        ".pypirc": (
            "[distutils]\nindex-servers = nexus\n\n[nexus]\n"
            f"repository = https://{N}/repository/pypi-hosted/\nusername = ci\npassword = password\n"
        ),
        ".docker/config.json": json.dumps(
            {"auths": {f"{N}:8443": {"username": "ci", "password": _j("pass", "word")}}}, indent=1) + "\n",
    }
    got = run(cli, tmp_path, files)
    assert ("NX401", ".gitlab-ci.yml", 4, 21) in got
    assert ("NX401", ".gitlab-ci.yml", 5, 18) in got
    assert ("NX401", ".pypirc", 7, 12) in got
    assert ("NX401", ".docker/config.json", 5, 17) in got


def test_docker_login_with_a_common_word_in_a_deploy_script(cli, tmp_path):
    text = f"#!/bin/sh\nset -e\ndocker login -u deployer -p secret {N}:8443\n"
    got = run(cli, tmp_path, {"deploy.sh": text})
    assert got == [("NX401", "deploy.sh", 3, 29), ("NX403", "deploy.sh", 3, 29)]


def test_a_common_word_in_a_dockerfile_and_a_compose_file(cli, tmp_path):
    files = {
        "Dockerfile": f"FROM {N}:8444/library/python:3.12-slim\nENV NEXUS_PASSWORD=default\n",
        "compose.yml": (
            "services:\n  app:\n"
            f"    image: {N}:8444/library/python:3.12-slim\n"
            "    environment:\n      NEXUS_PASSWORD: test\n"
        ),
    }
    got = run(cli, tmp_path, files)
    assert ("NX401", "Dockerfile", 2, 20) in got
    assert ("NX401", "compose.yml", 5, 23) in got


# ---------------------------------------------------------------------------
# admin123, the Nexus default admin password
# ---------------------------------------------------------------------------


def test_the_nexus_default_password_helper():
    import base64

    assert is_nexus_default_password(ADMIN)
    assert is_nexus_default_password(f" {ADMIN} ")
    assert is_nexus_default_password(f"admin:{ADMIN}")
    assert is_nexus_default_password(base64.b64encode(f"admin:{ADMIN}".encode()).decode())
    assert not is_nexus_default_password(ADMIN + "4")
    assert not is_nexus_default_password("admin")
    assert credential_note(ADMIN) == "the Nexus default admin password"
    assert credential_note("Fake-Passw0rd") == ""


@pytest.mark.parametrize("key", ["nexus_pass", "NEXUS_PASSWORD", "password", "admin_password"])
def test_admin123_is_a_secret_in_every_judgment(key):
    for kw in ({}, {"strict": False}, {"test_code": True}):
        assert secret_part(ADMIN, key, **kw) == (0, 8), kw
    assert looks_like_secret(ADMIN)


def test_admin123_through_the_cli_in_yaml_json_python_shell_and_ci(cli, tmp_path):
    files = {
        "compose.yml": (
            "services:\n  nexus:\n"
            f"    image: {N}:8444/sonatype/nexus3:3.70.1\n"
            f"    environment:\n      NEXUS_PASSWORD: {ADMIN}\n"
        ),
        ".docker/config.json": json.dumps({"auths": {f"{N}:8443": {"username": "admin", "password": ADMIN}}},
                                          indent=1) + "\n",
        "cli_config.py": f'CONFIG = {{"nexus_url": "https://{N}", "nexus_pass": "{ADMIN}"}}\n',
        "bootstrap.sh": f"#!/bin/sh\ncurl -u admin:{ADMIN} https://{N}/service/rest/v1/status\n",
        ".gitlab-ci.yml": f"test:\n  image: {N}:8444/library/alpine:3\n  variables:\n    NEXUS_PASS: {ADMIN}\n",
    }
    got = run(cli, tmp_path, files)
    py_col = files["cli_config.py"].index(ADMIN) + 1
    for where in [("NX401", "compose.yml", 5, 23), ("NX401", ".docker/config.json", 5, 17),
                  ("NX401", "cli_config.py", 1, py_col), ("NX401", "bootstrap.sh", 2, 15),
                  ("NX401", ".gitlab-ci.yml", 4, 17)]:
        assert where in got, (where, got)


def test_admin123_in_settings_json_and_env_example_values():
    # No file kind reads a generic YAML settings file, a JSON CLI config or a
    # .env.example yet: the judgment those kinds will ask is this one.
    for key in ("password", "nexus_pass", "NEXUS_PASSWORD"):
        assert S.by_key(key, SourcedStr.literal(ADMIN, 0), key, hint="env")
        assert S.by_key(key, SourcedStr.literal(ADMIN, 0), key, hint="env", strict=False)


# ---------------------------------------------------------------------------
# Reserved example and test hosts (NX402 in test code)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", [
    "example.com", "EXAMPLE.ORG", "api.example.net", "example.com.", "nexus.example", "foo.test", "test",
    "host.invalid", "localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "192.0.2.10",
    "198.51.100.7", "203.0.113.1", "2001:db8::5",
])
def test_reserved_hosts(host):
    assert is_reserved_host(host)


@pytest.mark.parametrize("host", [
    "foo.com", "example.co", "myexample.com", "example.com.evil.io", N, "testing.io", "localhost.company.com",
    "10.0.0.1", "8.8.8.8", "", "test.com",
])
def test_hosts_that_are_not_reserved(host):
    assert not is_reserved_host(host)


def test_url_credentials_to_reserved_hosts_in_test_code():
    url = _j("http://foo:", "bar@example.com/path")
    assert url_has_reserved_host(url)
    assert url_secret_part(url) == (11, 14)
    assert url_secret_part(url, reserved_ok=True) is None
    other = _j("http://username:", "pas:word@foo.com/data")
    assert url_secret_part(other, reserved_ok=True) is not None  # a real host: the caller decides
    token = _j("https://", "glpat-", "Zy9x" * 5, "@gitlab.example.com/g/p.git")
    assert url_secret_part(token, reserved_ok=True) is not None  # a token shape is always a secret


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def run(cli, root: Path, files: dict):
    """(rule, file, line, column) of the NX4 findings of the real CLI on ``files``, sorted."""
    write_tree(root, files)
    result = cli(["check", "--no-cache", "--jobs", "1", "--format", "json", *files], cwd=root)
    assert result.code in (0, 1), result.err
    out = [(f["code"], f["filename"], f["location"]["row"], f["location"]["column"])
           for f in json.loads(result.out) if f["code"].startswith("NX4")]
    return sorted(out)


def test_this_repository_lints_clean():
    """The README's first command on this repository: its own config excludes the
    conformance suites and the planted test data, and no own constant is flagged."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, "-m", "nexus_lint", "check", "--no-cache", "."], cwd=root,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:]
    assert res.stdout.startswith("All checks passed")


DOCKER_SDK = '''import docker
from docker import APIClient

client = docker.from_env()
client.containers.create("redis:7")
client.containers.run("redis:7")
api = APIClient(base_url="unix://var/run/docker.sock")
api.pull("hello-world")
api.create_container("busybox", "true")


class T:
    def setUp(self):
        self.client = docker.APIClient(version="auto")

    def test(self):
        self.client.pull("nginx")
'''


def test_docker_sdk_pulls_are_nx101_and_creates_are_not(cli, tmp_path):
    """The SDK pulls on ``containers.run`` and ``APIClient.pull``; ``containers.create``
    and ``APIClient.create_container`` need a local image and pull nothing."""
    write_tree(tmp_path, {"sdk.py": DOCKER_SDK})
    result = cli(["check", "--no-cache", "--format", "json", "sdk.py"], cwd=tmp_path)
    found = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(result.out)]
    assert found == [("NX101", 6, 24), ("NX101", 8, 11), ("NX101", 17, 27)]


def test_docker_sdk_calls_on_a_fake_or_mock_client_pull_nothing(cli, tmp_path):
    write_tree(tmp_path, {"tests/test_models.py": (
        "import docker\nfrom unittest import mock\nfrom .fake_api_client import make_fake_client\n\n\n"
        "def test_run():\n"
        "    client = make_fake_client()\n"
        "    client.containers.run('alpine', 'echo hello world')\n"
        "    m = mock.MagicMock()\n"
        "    m.images.pull('busybox')\n"
        "    real = docker.from_env()\n"
        "    real.containers.run('alpine')\n")})
    result = cli(["check", "--no-cache", "--format", "json", "tests/test_models.py"], cwd=tmp_path)
    found = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(result.out)]
    assert found == [("NX101", 12, 26)]  # the real client's pull only


def test_sarif_carries_each_rules_precision_and_gitlab_severity_follows_it(cli, tmp_path):
    """SARIF rule descriptors carry the rule's measured precision; a GitLab Code
    Quality severity is critical for a very-high-precision error and info for a
    medium-precision warning."""
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.11\n",
                          "scripts/pull.sh": "docker pull nexus-shared.cwiq.io:8444/orchestrator/api:1.0\n"})
    files = ["Dockerfile", "scripts/pull.sh"]
    sarif = json.loads(cli(["check", "--no-cache", "--format", "sarif", *files], cwd=tmp_path).out)
    rules = {r["id"]: r["properties"]["precision"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["NX101"] == "very-high" and rules["NX302"] == "medium" and rules["NX401"] == "high"
    gitlab = json.loads(cli(["check", "--no-cache", "--format", "gitlab", *files], cwd=tmp_path).out)
    assert sorted((g["check_name"].split()[0], g["severity"]) for g in gitlab) == [("NX101", "critical"),
                                                                                  ("NX302", "info")]


@pytest.mark.parametrize("key,value", [
    ("secret_suffix", "nexus-state"),                # a Terraform backend's name suffix
    ("acl_token_gc_threshold", "12h"),               # a threshold, not a token
    ("GITHUB_TOKEN", "invalid"),                     # a placeholder
])
def test_names_about_a_secret_and_placeholders_found_in_the_real_world_runs(key, value):
    assert secret_part(value, key) is None or not is_secret_key(key)


def test_a_promql_rule_name_is_no_nexus_user_token():
    assert find_tokens("record: instance:node_network_receive_bytes_excluding_lo:rate5m") == []
    code = "Ab3dE5gH9jK2mN4pQ6rS8tU0vW1xY3zA5bC7dE9fG2hJ"
    assert [label for _, _, label in find_tokens(f"NEXUS_AUTH=abcd1234:{code}")] == ["Nexus user token"]


def test_admin123_in_a_yaml_settings_file_a_json_cli_config_and_an_env_example(cli, tmp_path):
    """The Nexus default admin password wherever a Nexus credential can be
    written, in files no other kind reads; nothing else is read from them."""
    files = {
        "settings.yml": "nexus:\n  url: https://nexus.example.com\n  user: admin\n  password: admin123\n",
        "cli-config.json": '{"nexus_url": "https://nexus.example.com", "nexus_pass": "admin123"}\n',
        ".env.example": "NEXUS_PASSWORD=admin123\n",
        "other.json": '{"password": "hunter2", "broken": [}\n',  # no admin123: not read at all
    }
    write_tree(tmp_path, files)
    result = cli(["check", "--no-cache", "--format", "json", *files], cwd=tmp_path)
    found = sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"])
                   for f in json.loads(result.out))
    assert found == [(".env.example", "NX401", 1, 16), ("cli-config.json", "NX401", 1, 59),
                     ("settings.yml", "NX401", 4, 13)]
    assert all("the Nexus default admin password" in f["message"] for f in json.loads(result.out))
