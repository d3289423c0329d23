"""URL analysis (parse_url, find_urls, repository conventions), URL knowledge of
shell commands and env-style values, and the URL check on those facts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nexus_lint.lang.shell import analyse
from nexus_lint.tools.commands import url_facts, worth_analysing
from nexus_lint.tools.urls import role_for_key, url_facts_in_value
from nexus_lint.values.urls import (
    GROUP,
    HOSTED,
    PROXY,
    RepoConventions,
    classify,
    conventions_for,
    find_urls,
    parse_url,
    with_kind,
)
from nexus_lint.builtin import nexus_lint_rules
from nexus_lint.checks.nx203_unknown_nexus_port import NX203
from nexus_lint.core.model import API, BROWSE, HEALTH, INSTALL, PUBLISH, UPLOAD, Facts, UrlFact
from nexus_lint.policy import DEFAULT_POLICY, policy_from_config
from nexus_lint.checks.base import CheckContext
from nexus_lint.core.sourced import SourcedStr

N = "nexus.shared.cwiq.io"
url_checks = next(c for c in nexus_lint_rules() if c.name == "urls")  # the URL rules' pass


def part(url, span):
    return url.text[span[0]:span[1]]


# ---------------------------------------------------------------------------
# parse_url
# ---------------------------------------------------------------------------


def test_parts_and_their_spans():
    text = f"https://{N}:8443/repository/pypi-group/simple/?x=1#frag"  # nexus-lint: ignore[NX201] (planted test data)
    url = parse_url(text)
    assert (url.scheme, url.host, url.port, url.path, url.query, url.fragment) == (
        "https", N, 8443, "/repository/pypi-group/simple/", "x=1", "frag")
    assert part(url, url.scheme_span) == "https"
    assert part(url, url.host_span) == N
    assert part(url, url.port_span) == "8443"
    assert part(url, url.path_span) == "/repository/pypi-group/simple/"
    assert part(url, url.repository_span) == "pypi-group"
    assert (url.repository, url.repository_kind, url.repository_env, url.repository_rest) == (
        "pypi-group", GROUP, None, "simple/")


def test_no_port_no_path():
    url = parse_url(f"https://{N}")
    assert url.port is None and url.port_span is None and url.path == "" and url.repository is None
    assert url.path_span == (len(url.text), len(url.text))


def test_host_compares_case_insensitively_and_without_trailing_dot():
    url = parse_url("HTTPS://Nexus.Shared.CWIQ.io./repository/raw-hosted-dev/x")
    assert url.scheme == "https" and url.hostname == N and url.is_host(N.upper())
    assert DEFAULT_POLICY.is_nexus_host(url.hostname)


@pytest.mark.parametrize("text", [
    f"https://{N}.evil.com/repository/pypi-group/simple/",
    f"https://evil-{N}/repository/pypi-group/simple/",
    f"https://x{N}/",
    f"https://{N}@evil.com/",  # userinfo, not host
    f"https://evil.com/{N}/",
    f"https://evil.com/?u=https://{N}/",
])
def test_substring_hosts_are_not_nexus(text):
    url = parse_url(text)
    assert url is not None and not DEFAULT_POLICY.is_nexus_host(url.hostname)


def test_userinfo_ends_at_the_last_at_sign_and_is_redacted_when_shown():
    url = parse_url(f"https://ci:p@ss@{N}:8081/repository/raw-hosted-dev/")
    assert url.hostname == N and url.userinfo == "ci:p@ss" and url.port == 8081
    assert part(url, url.userinfo_span) == "ci:p@ss"
    assert url.shown() == f"https://ci:*****@{N}:8081/repository/raw-hosted-dev/"
    assert "p@ss" not in url.shown()


@pytest.mark.parametrize("text, host, port", [
    ("https://[::1]:8081/x", "::1", 8081),
    ("http://[2001:db8::8443]/repository/pypi-group/", "2001:db8::8443", None),
    ("https://[fe80::1%25eth0]:8444", "fe80::1%25eth0", 8444),
])
def test_ipv6_hosts(text, host, port):
    url = parse_url(text)
    assert (url.host, url.port, url.is_ipv6) == (host, port, True)
    assert part(url, url.host_span) == f"[{host}]"


@pytest.mark.parametrize("text", [
    "nexus.shared.cwiq.io/repository/x",  # no scheme
    "https://",
    "https:///path",
    "https://[::1/x",  # unterminated IPv6
    "https://[::1]x/",
    f"https://{N}:http/",
    f"https://{N}:99999/",
    f"https://{N}:0/",
    f"https://{N}/a b",
    "",
])
def test_not_urls(text):
    assert parse_url(text) is None


def test_empty_port_is_no_port():
    url = parse_url(f"https://{N}:/repository/npm-group/")
    assert url.port is None and url.repository == "npm-group"


def test_unresolved_variables_are_just_text():
    assert parse_url("https://${NEXUS_HOST}/repository/pypi-group/simple/").hostname == "${nexus_host}"
    url = parse_url(f"https://{N}/repository/${{REPO}}/x")
    assert url.repository is None
    assert parse_url(f"https://{N}:$PORT/x") is None


def test_query_param():
    url = parse_url(f"https://{N}/service/rest/v1/components?a=1&repository=raw-hosted-uat")
    value, span = url.query_param("repository")
    assert value == "raw-hosted-uat" and url.text[span[0]:span[1]] == value
    assert url.query_param("missing") is None


# ---------------------------------------------------------------------------
# repository conventions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, env", [
    ("pypi-group", GROUP, None),
    ("pypi-hosted", HOSTED, None),
    ("pypi-proxy", PROXY, None),
    ("yum-group-prod", GROUP, "prod"),
    ("yum-hosted-dev", HOSTED, "dev"),
    ("raw-hosted-uat", HOSTED, "uat"),
    ("npm_group", GROUP, None),
    ("maven-public", None, None),
    ("groupware-hosted", HOSTED, None),  # words, not substrings
    ("pypi-groups", None, None),
    ("group-hosted", None, None),  # two kinds: no guess
    ("dev-hosted", HOSTED, None),  # the environment is a suffix
    ("YUM-GROUP-PROD", GROUP, "prod"),
])
def test_classify(name, kind, env):
    assert classify(name) == (kind, env)


def test_with_kind():
    assert with_kind("pypi-group", HOSTED) == "pypi-hosted"
    assert with_kind("yum-group-prod", HOSTED) == "yum-hosted-prod"
    assert with_kind("raw-hosted-dev", GROUP) == "raw-group-dev"
    assert with_kind("maven-public", HOSTED) is None
    assert with_kind("pypi-hosted", HOSTED) is None


def test_conventions_come_from_the_policy_when_it_has_them():
    assert conventions_for(DEFAULT_POLICY) == RepoConventions()

    @dataclass(frozen=True)
    class Wired:
        repository_group_words: tuple = ("public",)
        repository_hosted_words: tuple = ("releases", "snapshots")
        promoted_environments: tuple = ("prod",)

    conv = conventions_for(Wired())
    assert classify("maven-public", conv) == (GROUP, None)
    assert classify("maven-releases", conv) == (HOSTED, None)
    assert conv.promoted_environments == ("prod",) and conv.proxy_words == ("proxy",)


def test_repository_path_must_be_the_nexus_prefix():
    assert parse_url(f"https://{N}/x/repository/pypi-group/").repository is None
    assert parse_url(f"https://{N}/repository/").repository is None
    assert parse_url(f"https://{N}/repository/pypi-group").repository_rest == ""


# ---------------------------------------------------------------------------
# find_urls
# ---------------------------------------------------------------------------


def found(text):
    return [text[s:e] for s, e in find_urls(text)]


def test_find_urls_in_arbitrary_text():
    assert found(f"a=https://{N}/simple b=http://x.io/y") == [f"https://{N}/simple", "http://x.io/y"]
    assert found(f"(see https://{N}/a/(b)).") == [f"https://{N}/a/(b)"]
    assert found(f'"https://{N}/x", \'http://y/z\'') == [f"https://{N}/x", "http://y/z"]
    assert found(f"https://{N}/repository/${{REPO}}/") == [f"https://{N}/repository/${{REPO}}/"]
    assert found("xhttps://a.b/ ftp://c/ http:// https://") == []
    assert found(f"HTTPS://{N}/") == [f"HTTPS://{N}/"]


# ---------------------------------------------------------------------------
# env-style values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("key, role", [
    ("PIP_INDEX_URL", INSTALL), ("PIP_EXTRA_INDEX_URL", INSTALL), ("UV_INDEX_URL", INSTALL),
    ("UV_INDEX", INSTALL), ("NPM_CONFIG_REGISTRY", INSTALL), ("npm_config_registry", INSTALL),
    ("TWINE_REPOSITORY_URL", PUBLISH), ("UV_PUBLISH_URL", PUBLISH), ("POETRY_REPOSITORIES_NEXUS_URL", PUBLISH),
    ("NEXUS_URL", BROWSE), ("DOCS", BROWSE),
])
def test_role_from_the_key(key, role):
    assert role_for_key(key) == role


def test_url_facts_in_value_keeps_offsets_and_finds_each_url():
    text = f'PIP_EXTRA_INDEX_URL="https://{N}/repository/pypi-group/simple/ http://{N}:8443/repository/pypi-proxy/"'
    start = text.index('"') + 1
    value = SourcedStr.literal(text[start:-1], start)
    facts = list(url_facts_in_value(value, "PIP_EXTRA_INDEX_URL", "ENV PIP_EXTRA_INDEX_URL"))
    assert [f.role for f in facts] == [INSTALL, INSTALL]
    second = facts[1]
    s, e = second.value.span()
    assert text[s:e] == f"http://{N}:8443/repository/pypi-proxy/"
    assert second.use == (start, len(text) - 1)


def test_url_facts_in_value_api_and_health_roles():
    api = list(url_facts_in_value(SourcedStr.unknown(f"https://{N}/service/rest/v1/status"), "NEXUS_STATUS", "x"))
    health = list(url_facts_in_value(SourcedStr.unknown(f"http://{N}:80/health"), "HEALTH_URL", "x"))
    assert api[0].role == API and health[0].role == HEALTH


# ---------------------------------------------------------------------------
# shell commands
# ---------------------------------------------------------------------------


def cmd_facts(script):
    return list(url_facts(analyse(SourcedStr.literal(script, 0))))


def roles(script):
    return [(f.role, f.method, f.value.text) for f in cmd_facts(script)]


R = f"https://{N}/repository"


@pytest.mark.parametrize("script, expected", [
    (f"curl -fsSL {R}/raw-hosted-dev/x.tgz -o x.tgz", [(BROWSE, "GET", f"{R}/raw-hosted-dev/x.tgz")]),
    (f"curl -f -T app.rpm {R}/yum-hosted-dev/", [(UPLOAD, "PUT", f"{R}/yum-hosted-dev/")]),
    # curl has no --opt=value: `--upload-file=x` is an unknown option, not an upload
    (f"curl --upload-file=x {R}/raw-hosted-dev/", [(BROWSE, "GET", f"{R}/raw-hosted-dev/")]),
    (f"curl -sS --upload-file x {R}/raw-hosted-dev/x", [(UPLOAD, "PUT", f"{R}/raw-hosted-dev/x")]),
    (f"curl -XPUT --data-binary @x {R}/raw-hosted-dev/x", [(UPLOAD, "PUT", f"{R}/raw-hosted-dev/x")]),
    (f"curl -u u:p -X POST -F r.asset=@x 'https://{N}/service/rest/v1/components?repository=raw-hosted-dev'",
     [(API, "POST", f"https://{N}/service/rest/v1/components?repository=raw-hosted-dev")]),
    (f"curl -d '{{}}' https://{N}/service/rest/v1/script", [(API, "POST", f"https://{N}/service/rest/v1/script")]),
    (f"curl -f http://{N}:80/health", [(HEALTH, "GET", f"http://{N}:80/health")]),
    (f"curl -sk https://{N}/service/rest/v1/status", [(API, "GET", f"https://{N}/service/rest/v1/status")]),
    (f"curl -H 'Accept: x' --url {R}/raw-hosted-dev/a", [(BROWSE, "GET", f"{R}/raw-hosted-dev/a")]),
    (f"curl -o out -H X {R}/raw-hosted-dev/a", [(BROWSE, "GET", f"{R}/raw-hosted-dev/a")]),
    (f"wget -q -O - {R}/raw-hosted-dev/a", [(BROWSE, "GET", f"{R}/raw-hosted-dev/a")]),
    (f"wget --method=PUT --body-file=x {R}/raw-hosted-dev/a", [(UPLOAD, "PUT", f"{R}/raw-hosted-dev/a")]),
    (f"twine upload --repository-url {R}/pypi-hosted/ dist/*", [(PUBLISH, None, f"{R}/pypi-hosted/")]),
    (f"python3 -m twine upload --repository-url={R}/pypi-group/ dist/*", [(PUBLISH, None, f"{R}/pypi-group/")]),
    (f"twine upload -r nexus dist/*", []),
    (f"pip install -i {R}/pypi-group/simple/ x", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"pip3 install --index-url={R}/pypi-group/ --extra-index-url {R}/pypi-proxy/simple x",
     [(INSTALL, None, f"{R}/pypi-group/"), (INSTALL, None, f"{R}/pypi-proxy/simple")]),
    (f"python -m pip download -i{R}/pypi-group/simple/ x", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"pip config set global.index-url {R}/pypi-group/simple/", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"pip config --user set global.extra-index-url '{R}/a-group/simple/ {R}/b-group/simple/'",
     [(INSTALL, None, f"{R}/a-group/simple/"), (INSTALL, None, f"{R}/b-group/simple/")]),
    (f"pip config set global.timeout 60", []),
    (f"uv pip install --index-url {R}/pypi-group/simple/ x", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"uv add --index nexus={R}/pypi-group/simple/ x", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"uv publish --publish-url {R}/pypi-hosted/", [(PUBLISH, None, f"{R}/pypi-hosted/")]),
    (f"poetry source add nexus {R}/pypi-group/simple/", [(INSTALL, None, f"{R}/pypi-group/simple/")]),
    (f"poetry config repositories.nexus {R}/pypi-hosted/", [(PUBLISH, None, f"{R}/pypi-hosted/")]),
    (f"npm install --registry {R}/npm-group/", [(INSTALL, None, f"{R}/npm-group/")]),
    (f"npm publish --registry={R}/npm-hosted/", [(PUBLISH, None, f"{R}/npm-hosted/")]),
    (f"yarn publish --registry {R}/npm-group/", [(PUBLISH, None, f"{R}/npm-group/")]),
    (f"pnpm --loglevel warn publish --registry {R}/npm-hosted/", [(PUBLISH, None, f"{R}/npm-hosted/")]),
    (f"npm config set registry {R}/npm-group/", [(INSTALL, None, f"{R}/npm-group/")]),
    (f"npm config set @cwiq:registry={R}/npm-group/", [(INSTALL, None, f"{R}/npm-group/")]),
    (f"npm set registry {R}/npm-group/", [(INSTALL, None, f"{R}/npm-group/")]),
    (f"yarn config set npmPublishRegistry {R}/npm-hosted/", [(PUBLISH, None, f"{R}/npm-hosted/")]),
    (f"helm repo add cwiq {R}/helm-group/", [(INSTALL, None, f"{R}/helm-group/")]),
    (f"yum-config-manager --add-repo {R}/yum-group-dev/cwiq.repo", [(INSTALL, None, f"{R}/yum-group-dev/cwiq.repo")]),
    (f"dnf config-manager --add-repo={R}/yum-group-dev/cwiq.repo", [(INSTALL, None, f"{R}/yum-group-dev/cwiq.repo")]),
    (f"mvn -B deploy -DaltDeploymentRepository=nexus::{R}/maven-hosted/", [(PUBLISH, None, f"{R}/maven-hosted/")]),
    (f"./mvnw deploy:deploy-file -Dfile=x.jar -Durl={R}/maven-hosted/", [(PUBLISH, None, f"{R}/maven-hosted/")]),
    (f"echo {R}/pypi-group/", []),
    (f"git clone https://{N}/repo.git", []),
])
def test_command_roles(script, expected):
    assert roles(script) == expected


def test_command_url_offsets_follow_variables():
    script = f"BASE=https://{N}:8443/repository\ncurl -T x \"$BASE/raw-hosted-dev/x\"\n"
    (fact,) = cmd_facts(script)
    assert fact.value.text == f"https://{N}:8443/repository/raw-hosted-dev/x"
    assert fact.via == ("BASE",)
    port = fact.value.text.index("8443")
    s, e = fact.value.span(port, port + 4)
    assert script[s:e] == "8443" and s < script.index("curl")
    assert script[fact.use[0]:fact.use[1]] == '"$BASE/raw-hosted-dev/x"'


def test_partly_unknown_urls_keep_their_known_parts():
    (fact,) = cmd_facts(f"curl -T x https://{N}/repository/raw-hosted-prod/$FILE")
    assert fact.value.text.endswith("$FILE") and fact.role == UPLOAD
    assert fact.value.span(0, 5) is not None and fact.value.span(len(fact.value) - 5) is None


def test_package_client_environment():
    script = f"export PIP_INDEX_URL=https://{N}/repository/pypi-hosted/\npip install x\n"
    (fact,) = cmd_facts(script)
    assert (fact.role, fact.via) == (INSTALL, ("PIP_INDEX_URL",))
    s, e = fact.value.span()
    assert script[s:e] == f"https://{N}/repository/pypi-hosted/"
    prefixed = cmd_facts(f"TWINE_REPOSITORY_URL={R}/pypi-group/ twine upload dist/*")
    assert [(f.role, f.value.text) for f in prefixed] == [(PUBLISH, f"{R}/pypi-group/")]


def test_nested_shell_and_sudo():
    assert roles(f"sudo -E bash -c 'curl -T f {R}/raw-hosted-dev/f'") == [(UPLOAD, "PUT", f"{R}/raw-hosted-dev/f")]


def test_trigger_words():
    for text in ("curl x", "pip install", "python -m twine", "npm ci", "helm repo add", "uv sync", "wget x",
                 "echo https://x", "yum-config-manager", "./mvnw deploy"):
        assert worth_analysing(text), text
    assert not worth_analysing("make build && ls -l")


# ---------------------------------------------------------------------------
# the check, on command facts
# ---------------------------------------------------------------------------


def check(script, is_ci=False, policy=DEFAULT_POLICY):
    facts = Facts()
    for f in cmd_facts(script):
        facts.add(f)
    ctx = CheckContext("ci/x.sh" if is_ci else "x.sh", "shell", facts, policy, is_ci, "under ci/" if is_ci else "")
    url_checks.run(ctx)
    return [(f.rule.id, script[f.start:f.end]) for f in ctx.findings]


def test_health_and_status_checks_are_correct():
    assert check(f"curl -f http://{N}:80/health") == []
    assert check(f"curl -f http://{N}/health") == []
    assert check(f"curl -sk https://{N}/service/rest/v1/status") == []
    assert check(f"curl -sk https://{N}:443/service/rest/v1/status") == []
    assert check(f"curl -f http://{N}:80/healthz") == [("NX202", "http")]
    assert check(f"curl -f http://{N}:8080/health") == [("NX202", "http"), ("NX203", "8080")]


def test_ports():
    assert check(f"curl {R}/raw-hosted-dev/x".replace(N, N + ":8443")) == [("NX201", ":8443")]
    assert check(f"curl https://{N}:8081/service/rest/v1/status") == [("NX203", "8081")]
    assert check(f"curl https://{N}:5000/x") == [("NX203", "5000")]
    assert check(f"curl https://{N}:80/x") == [("NX203", "80")]
    assert check(f"curl https://{N}:8444/v2/_catalog") == []  # the Docker registry API: NX1 territory
    assert check(f"curl http://{N}:8443/v2/") == [("NX202", "http")]
    assert check(f"curl http://{N}:8443/repository/raw-hosted-dev/") == [("NX201", ":8443"), ("NX202", "http")]


def test_other_hosts_are_not_judged():
    assert check(f"curl -T x http://{N}.evil.com:8443/repository/pypi-group/") == []
    assert check("curl -T x http://[::1]:8443/repository/pypi-group/") == []
    assert check("curl -T x http://localhost:8081/repository/pypi-group/") == []


def test_writes_into_group_or_proxy():
    assert check(f"curl -T x {R}/raw-group/x") == [("NX501", "raw-group")]
    assert check(f"twine upload --repository-url {R}/pypi-proxy/ d") == [("NX501", "pypi-proxy")]
    assert check(f"curl -X POST -F a=@x 'https://{N}/service/rest/v1/components?repository=raw-group'") == [
        ("NX501", "raw-group")]
    assert check(f"curl {R}/raw-group/x") == []  # a download


def test_ci_writes_into_promoted_environments():
    up = "curl -f -T app.rpm {}/app.rpm"
    assert check(up.format(f"{R}/yum-hosted-prod"), is_ci=True) == [("NX503", "yum-hosted-prod")]
    assert check(up.format(f"{R}/yum-hosted-uat"), is_ci=True) == [("NX503", "yum-hosted-uat")]
    assert check(up.format(f"{R}/yum-hosted-dev"), is_ci=True) == []
    assert check(up.format(f"{R}/yum-hosted-prod"), is_ci=False) == []
    api = f"curl -X POST -F a=@x 'https://{N}/service/rest/v1/components?repository=raw-hosted-prod'"
    assert check(api, is_ci=True) == [("NX503", "raw-hosted-prod")]
    assert check(f"curl {R}/raw-hosted-prod/x", is_ci=True) == []  # reading is fine
    assert check(up.format(f"{R}/yum-group-prod"), is_ci=True) == [("NX501", "yum-group-prod"),
                                                                  ("NX503", "yum-group-prod")]


def test_install_rules():
    assert check(f"pip install -i {R}/pypi-hosted/simple/ x") == [("NX502", "pypi-hosted")]
    assert check(f"pip install -i {R}/pypi-group/ x") == [("NX504", "pypi-group")]
    assert check(f"pip install -i {R}/pypi-group/simple x") == []
    assert check(f"pip install -f {R}/pypi-group/ x") == []  # find-links is a page of links
    assert check(f"npm install --registry {R}/npm-group/") == []
    assert check(f"npm install --registry {R}/npm-hosted/") == [("NX502", "npm-hosted")]


def test_messages_never_show_a_password():
    facts = Facts()
    for f in cmd_facts(f"curl -T x http://ci:hunter2@{N}/repository/raw-group/x"):
        facts.add(f)
    ctx = CheckContext("x.sh", "shell", facts, DEFAULT_POLICY)
    url_checks.run(ctx)
    assert {f.rule.id for f in ctx.findings} == {"NX202", "NX501"}
    assert all("hunter2" not in f.message for f in ctx.findings)
    assert f"`https://ci:*****@{N}/repository/raw-group/x`" in ctx.findings[0].message


def test_policy_hosts_and_ports_are_not_hard_wired():
    policy = policy_from_config({"shared-host": "repo.example.org", "docker-push-port": 5001, "docker-pull-port": 5002})
    assert check("curl https://repo.example.org:5001/repository/raw-hosted-dev/x", policy=policy) == [("NX201", ":5001")]
    assert check("curl https://repo.example.org:8443/repository/raw-hosted-dev/x", policy=policy) == [("NX203", "8443")]
    assert check(f"curl https://{N}:8443/repository/raw-hosted-dev/x", policy=policy) == []


def fixes(script):
    facts = Facts()
    for f in cmd_facts(script):
        facts.add(f)
    ctx = CheckContext("x.sh", "shell", facts, DEFAULT_POLICY)
    url_checks.run(ctx)
    out = {}
    for f in ctx.findings:
        text = script
        for e in sorted(f.fix.edits, key=lambda e: -e.start) if f.fix else ():
            text = text[:e.start] + e.replacement + text[e.end:]
        out[f.rule.id] = (text if f.fix else None, f.message)
    return out


def test_fix_edits_and_suggestions():
    got = fixes(f"curl http://{N}:8081/repository/raw-hosted-dev/x")
    assert got["NX202"][0] == f"curl https://{N}/repository/raw-hosted-dev/x"
    assert f"use `https://{N}/repository/raw-hosted-dev/x`" in got["NX202"][1]
    assert got["NX203"][0] is None
    got = fixes(f"curl http://{N}:8443/v2/_catalog")  # the Docker registry keeps its port
    assert got["NX202"][0] == f"curl https://{N}:8443/v2/_catalog"
    assert f"use `https://{N}:8443/v2/_catalog`" in got["NX202"][1]
    got = fixes(f"curl -T f https://{N}:8444/repository/raw-group/f")
    assert got["NX201"][0] == f"curl -T f https://{N}/repository/raw-group/f"
    assert got["NX501"][0] == f"curl -T f https://{N}:8444/repository/raw-hosted/f"
    got = fixes(f"pip install -i {R}/pypi-hosted/simple/ x")
    assert got["NX502"][0] is None and "`pypi-group`" in got["NX502"][1]


def test_unknown_offsets_give_no_fix_but_a_finding():
    value = SourcedStr.unknown(f"http://{N}:8443/repository/pypi-group/")
    facts = Facts()
    facts.add(UrlFact(value, INSTALL, "ENV PIP_INDEX_URL", (3, 10)))
    ctx = CheckContext("Dockerfile", "dockerfile", facts, DEFAULT_POLICY)
    url_checks.run(ctx)
    assert [(f.rule.id, f.start, f.end, f.fix) for f in ctx.findings] == [
        ("NX201", 3, 10, None), ("NX202", 3, 10, None), ("NX504", 3, 10, None)]


def test_nx203_is_exported():
    assert NX203.id == "NX203" and NX203 in url_checks.rules
