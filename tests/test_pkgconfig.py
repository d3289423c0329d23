"""Package-manager configs: each format read the way its tool reads it, the URL
rules on the right line and column, fixes that change only the URL, encodings,
comments, suppressions, parse problems, and CI uploads into promoted repositories."""

from __future__ import annotations


import pytest

from conftest import lint, make_linter, write_tree
from nexus_lint.builtin import nexus_lint_rules
from nexus_lint.docs import load_pages
from nexus_lint.core.model import BROWSE, INSTALL, PUBLISH, ParseProblem, UrlFact

N = "nexus.shared.cwiq.io"
R = f"https://{N}/repository"

LINTER = make_linter()


@pytest.fixture
def wired():
    """Shell commands give URL facts through the shared command knowledge."""


@pytest.fixture
def cli_with_kinds(cli):
    return cli


def find(text, filename, include_suppressed=False):
    return lint(text, filename, linter=LINTER, include_suppressed=include_suppressed)


def fix(text, filename, unsafe=False):
    kind = LINTER.classifier.by_path(filename)
    result = LINTER.lint_bytes(filename, text.encode("utf-8"), kind, filename)
    fixed = LINTER.fix(result, kind, filename, unsafe)
    return fixed.fixed_text if fixed.fixed_text is not None else text


def at(text, needle, nth=1):
    """1-based (line, column) of the nth occurrence of ``needle``."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def expect(text, *items):
    """[(rule, line, column)] for (rule, needle[, nth]) items, in file order."""
    out = []
    for item in items:
        rule, needle = item[0], item[1]
        nth = item[2] if len(item) > 2 else 1
        out.append((rule, *at(text, needle, nth)))
    return sorted(out, key=lambda x: (x[1], x[2], x[0]))


def where(findings):
    return sorted(((f.rule.id, f.line, f.column) for f in findings), key=lambda x: (x[1], x[2], x[0]))


def url_facts_of(text, filename):
    from nexus_lint.core.source import SourceFile
    from nexus_lint.kinds.base import FileContext

    kind = LINTER.classifier.by_path(filename)
    source = SourceFile(filename, text)
    return list(kind.extract(source, FileContext(filename, kind.name)))


# ---------------------------------------------------------------------------
# Each format: the catalogue's findings, on the right line and column
# ---------------------------------------------------------------------------

PIP_CONF = f"""[global]
index-url = https://{N}:8443/repository/pypi-group/simple/
extra-index-url =
    http://{N}/repository/pypi-proxy/simple/
    {R}/pypi-hosted/simple/
timeout = 60

[install]
index_url = {R}/pypi-group
"""

REQUIREMENTS = f"""--index-url https://{N}:8444/repository/pypi-group/simple/
--extra-index-url http://{N}/repository/pypi-proxy/simple/
-i {R}/pypi-hosted/simple/
--extra-index-url={R}/pypi-group/
requests==2.32.3  # see https://{N}:8443/ (a comment)
"""

PYPIRC = f"""[distutils]
index-servers =
    nexus
    staging
    legacy

[nexus]
repository = {R}/pypi-group/
username = __token__

[staging]
repository = https://{N}:8443/repository/pypi-hosted/

[legacy]
repository: http://{N}/repository/pypi-hosted/
"""

NPMRC = f"""; npm configuration
registry={R}/npm-hosted/
@cwiq:registry = "http://{N}/repository/npm-group/"
@tools:registry=https://{N}:8444/repository/npm-group/ ; the pull port
//{N}/repository/npm-group/:_authToken=${{NPM_TOKEN}}
"""

YARNRC = f"""npmRegistryServer: "https://{N}:8444/repository/npm-group/"
npmPublishRegistry: {R}/npm-group/
npmScopes:
  cwiq:
    npmRegistryServer: http://{N}/repository/npm-hosted/
    npmPublishRegistry: '{R}/npm-hosted/'
"""

PACKAGE_JSON = f"""{{
  "name": "@cwiq/web",
  "version": "1.0.0",
  "publishConfig": {{
    "registry": "{R}/npm-group/",
    "access": "restricted"
  }}
}}
"""

PYPROJECT = f"""[project]
name = "svc"
urls = {{ Homepage = "http://{N}/repository/pypi-group/" }}

[[tool.uv.index]]
name = "nexus"
url = "{R}/pypi-group/"
publish-url = "{R}/pypi-group/"

[tool.uv]
extra-index-url = [
  "http://{N}/repository/pypi-proxy/simple/",  # trailing comma
]

[[tool.poetry.source]]
name = "nexus"
url = '{R}/pypi-hosted/simple/'

[[tool.pdm.source]]
name = "nexus"
url = "https://{N}:8443/repository/pypi-group/simple/"
"""

REPO = f"""[cwiq]
name=CWIQ $releasever
baseurl={R}/yum-hosted-dev/$releasever/$basearch/
        http://{N}/repository/yum-group-dev/$releasever/,https://{N}:8443/repository/yum-group-dev/
gpgcheck=0
#baseurl=http://{N}:8081/repository/yum-old/
"""

SETTINGS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <mirrors>
    <mirror>
      <id>nexus</id>
      <mirrorOf>*</mirrorOf>
      <url>https://{N}:8444/repository/maven-group/</url>
    </mirror>
    <mirror>
      <id>old</id>
      <url>
        http://{N}/repository/maven-hosted/
      </url>
    </mirror>
  </mirrors>
  <!-- <url>http://{N}:8081/</url> -->
  <servers><server><id>nexus</id><username>${{env.NEXUS_USER}}</username></server></servers>
</settings>
"""

POM_XML = f"""<project>
  <modelVersion>4.0.0</modelVersion>
  <repositories>
    <repository><id>n</id><url>{R}/maven-hosted/</url></repository>
  </repositories>
  <distributionManagement>
    <repository><id>n</id><url>{R}/maven-group/</url></repository>
    <snapshotRepository><id>s</id><url>http://{N}/repository/maven-hosted/</url></snapshotRepository>
  </distributionManagement>
</project>
"""

CASES = {
    "pip.conf": (PIP_CONF, [
        ("NX201", ":8443"), ("NX202", "http://"), ("NX502", "pypi-hosted"), ("NX504", "pypi-group", 2)]),
    "requirements.txt": (REQUIREMENTS, [
        ("NX201", ":8444"), ("NX202", "http://"), ("NX502", "pypi-hosted"), ("NX504", "pypi-group", 2)]),
    ".pypirc": (PYPIRC, [("NX501", "pypi-group"), ("NX201", ":8443"), ("NX202", "http://")]),
    ".npmrc": (NPMRC, [("NX502", "npm-hosted"), ("NX202", "http://"), ("NX201", ":8444")]),
    ".yarnrc.yml": (YARNRC, [
        ("NX201", ":8444"), ("NX501", "npm-group", 2), ("NX202", "http://"), ("NX502", "npm-hosted")]),
    "package.json": (PACKAGE_JSON, [("NX501", "npm-group")]),
    "pyproject.toml": (PYPROJECT, [
        ("NX504", "pypi-group", 2), ("NX501", "pypi-group", 3), ("NX202", "http://", 2),
        ("NX502", "pypi-hosted"), ("NX201", ":8443")]),
    "cwiq.repo": (REPO, [("NX502", "yum-hosted-dev"), ("NX202", "http://"), ("NX201", ":8443")]),
    "settings.xml": (SETTINGS_XML, [("NX201", ":8444"), ("NX202", "http://", 2), ("NX502", "maven-hosted")]),
    "pom.xml": (POM_XML, [("NX502", "maven-hosted"), ("NX501", "maven-group"), ("NX202", "http://")]),
}


@pytest.mark.parametrize("filename", sorted(CASES))
def test_catalogue_findings_on_the_right_line_and_column(filename):
    text, items = CASES[filename]
    assert where(find(text, filename)) == expect(text, *items)


GOOD = {
    "pip.conf": f"[global]\nindex-url = {R}/pypi-group/simple/\nextra-index-url =\n    {R}/pypi-group/simple/\n",
    "requirements.txt": f"-i {R}/pypi-group/simple/\n--extra-index-url={R}/pypi-group/simple\nrequests==2\n",
    ".pypirc": f"[distutils]\nindex-servers = nexus\n\n[nexus]\nrepository = {R}/pypi-hosted/\nusername = __token__\n",
    ".npmrc": f"registry={R}/npm-group/\n@cwiq:registry={R}/npm-group/\n",
    ".yarnrc.yml": f"npmRegistryServer: {R}/npm-group/\nnpmPublishRegistry: {R}/npm-hosted/\n",
    "package.json": f'{{"name": "x", "publishConfig": {{"registry": "{R}/npm-hosted/"}}}}\n',
    "pyproject.toml": (f'[[tool.uv.index]]\nname = "n"\nurl = "{R}/pypi-group/simple/"\n'
                       f'publish-url = "{R}/pypi-hosted/"\n'),
    "cwiq.repo": f"[cwiq]\nname=CWIQ\nbaseurl={R}/yum-group-dev/\n[cwiq-prod]\nbaseurl={R}/yum-group-prod/\n",
    "settings.xml": f"<settings><mirrors><mirror><url>{R}/maven-group/</url></mirror></mirrors></settings>\n",
    "pom.xml": (f"<project><distributionManagement><repository><url>{R}/maven-hosted/</url></repository>"
                f"</distributionManagement></project>\n"),
}


@pytest.mark.parametrize("filename", sorted(GOOD))
def test_the_policy_urls_give_no_finding(filename):
    assert find(GOOD[filename], filename) == []


@pytest.mark.parametrize("filename", sorted(GOOD))
def test_the_policy_urls_are_extracted_with_their_roles(filename):
    facts = [f for f in url_facts_of(GOOD[filename], filename) if isinstance(f, UrlFact)]
    assert facts, filename
    for f in facts:
        s, e = f.value.span()
        assert GOOD[filename][s:e] == f.value.text  # exact spans


def test_other_hosts_are_not_judged():
    text = f"[global]\nindex-url = https://{N}.evil.com:8443/repository/pypi-group/\n"
    assert find(text, "pip.conf") == []
    assert find("registry=http://registry.npmjs.org/\n", ".npmrc") == []


# ---------------------------------------------------------------------------
# --fix: the corrected URL and nothing else
# ---------------------------------------------------------------------------

FIXED = {
    "pip.conf": PIP_CONF.replace(":8443", "").replace("http://", "https://")
    .replace(f"{R}/pypi-group\n", f"{R}/pypi-group/simple/\n"),
    "requirements.txt": REQUIREMENTS.replace(f"{N}:8444", N).replace(f"http://{N}/", f"https://{N}/")
    .replace(f"{R}/pypi-group/\n", f"{R}/pypi-group/simple/\n"),
    ".pypirc": PYPIRC.replace(f"{N}:8443", N).replace(f"http://{N}", f"https://{N}"),
    ".npmrc": NPMRC.replace(f"http://{N}", f"https://{N}").replace(f"{N}:8444", N),
    ".yarnrc.yml": YARNRC.replace(f"{N}:8444", N).replace(f"http://{N}", f"https://{N}"),
    "package.json": PACKAGE_JSON,
    "pyproject.toml": PYPROJECT.replace(f'\nurl = "{R}/pypi-group/"', f'\nurl = "{R}/pypi-group/simple/"')
    .replace(f'"http://{N}/repository/pypi-proxy', f'"https://{N}/repository/pypi-proxy').replace(f"{N}:8443", N),
    "cwiq.repo": REPO.replace(f"http://{N}/repository/yum-group-dev", f"https://{N}/repository/yum-group-dev")
    .replace(f"{N}:8443", N),
    "settings.xml": SETTINGS_XML.replace(f"{N}:8444", N).replace(f"http://{N}/repository", f"https://{N}/repository"),
    "pom.xml": POM_XML.replace(f"http://{N}/repository", f"https://{N}/repository"),
}


@pytest.mark.parametrize("filename", sorted(CASES))
def test_fix_corrects_the_url_and_nothing_else(filename):
    text = CASES[filename][0]
    fixed = fix(text, filename)
    assert fixed == FIXED[filename]
    assert fix(fixed, filename) == fixed  # idempotent
    left = {f.rule.id for f in find(fixed, filename)}
    assert left <= {"NX501", "NX502", "NX503"}  # only the rules without a safe fix remain


UNSAFE = {
    ".pypirc": PYPIRC.replace("pypi-group", "pypi-hosted"),
    "package.json": PACKAGE_JSON.replace("npm-group", "npm-hosted"),
    "pom.xml": POM_XML.replace("maven-group", "maven-hosted"),
}


@pytest.mark.parametrize("filename", sorted(UNSAFE))
def test_unsafe_fix_moves_a_publish_target_to_the_hosted_repository(filename):
    text = CASES[filename][0]
    assert fix(text, filename) == FIXED[filename]  # not without --unsafe-fixes
    fixed = fix(text, filename, unsafe=True)
    assert "NX501" not in {f.rule.id for f in find(fixed, filename)}
    expected = FIXED[filename]
    for old, new in (("pypi-group", "pypi-hosted"), ("npm-group", "npm-hosted"), ("maven-group", "maven-hosted")):
        if old in UNSAFE[filename] or old not in CASES[filename][0]:
            continue
        expected = expected.replace(old, new)
    assert fixed == expected


def test_unsafe_fix_of_a_pypi_upload_drops_the_simple_index():
    text = f"[distutils]\nindex-servers = n\n[n]\nrepository = {R}/pypi-group/simple/\n"
    assert fix(text, ".pypirc", unsafe=True) == text.replace("pypi-group/simple/", "pypi-hosted/")


def test_health_port_80_is_dropped_with_http_but_the_health_check_stays():
    text = f"--index-url http://{N}:80/repository/pypi-group/simple/\n"
    assert fix(text, "requirements.txt") == f"--index-url https://{N}/repository/pypi-group/simple/\n"
    text = f"--index-url https://{N}:443/repository/pypi-group/simple/\n"
    assert find(text, "requirements.txt") == []


def test_fix_without_trailing_slash_adds_the_slash_too():
    assert fix(f"-i {R}/pypi-group\n", "requirements.txt") == f"-i {R}/pypi-group/simple/\n"
    assert fix(f"-i {R}/pypi-proxy/?x=1\n", "requirements.txt") == f"-i {R}/pypi-proxy/simple/?x=1\n"


@pytest.mark.parametrize("filename, text, data", [
    ("pip.conf", f"# caf\xe9\n[global]\nindex-url = https://{N}:8443/repository/pypi-group/simple/\n", "latin-1"),
    (".npmrc", f"; \u00e9t\u00e9\r\nregistry=http://{N}/repository/npm-group/\r\n", "utf-8-sig"),
    ("requirements.txt", f"# caf\xe9\n-i https://{N}:8444/repository/pypi-group/simple/\nx", "latin-1"),
    ("settings.xml", f"<?xml version='1.0'?>\r\n<settings><!-- \u00e9 --><mirrors><mirror>"
                     f"<url>http://{N}/repository/maven-group/</url></mirror></mirrors></settings>", "utf-8-sig"),
])
def test_fix_keeps_the_encoding(tmp_path, cli_with_kinds, filename, text, data):
    path = tmp_path / filename
    path.write_bytes(text.encode(data))
    res = cli_with_kinds(["check", "--fix", filename], cwd=tmp_path)
    assert res.code == 0, res.out
    expected = text.replace(f"{N}:8443", N).replace(f"{N}:8444", N).replace("http://", "https://")
    assert path.read_bytes() == expected.encode(data)


def test_cli_reports_pkgconfig_findings(tmp_path, cli_with_kinds):
    write_tree(tmp_path, {"pip.conf": PIP_CONF, "sub/.npmrc": GOOD[".npmrc"]})
    res = cli_with_kinds(["check", "."], cwd=tmp_path)
    assert res.code == 1
    assert "pip.conf:2:" in res.out and "NX201" in res.out and "sub/.npmrc" not in res.out


# ---------------------------------------------------------------------------
# What each tool reads, and what it does not
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("filename, text", [
    ("pip.conf", f"[global]\n# index-url = http://{N}:8443/repository/pypi-group/\n; extra-index-url = http://{N}/\n"),
    ("requirements.txt", f"# -i http://{N}:8443/repository/pypi-group/\nrequests  # --index-url http://{N}/\n"),
    (".npmrc", f";registry=http://{N}/repository/npm-hosted/\n  # registry=http://{N}/\n"),
    (".yarnrc.yml", f"# npmRegistryServer: http://{N}/repository/npm-hosted/\nenableTelemetry: false\n"),
    ("pyproject.toml", f'[[tool.uv.index]]\nname = "x"\n# url = "http://{N}/repository/pypi-hosted/"\n'
                       f'url = "{R}/pypi-group/simple/"\n'),
    ("cwiq.repo", f"[cwiq]\n#baseurl=http://{N}/repository/yum-hosted-dev/\nbaseurl={R}/yum-group-dev/\n"),
    ("settings.xml", f"<settings><!-- <mirrors><mirror><url>http://{N}:8081/</url></mirror></mirrors> -->"
                     f"</settings>\n"),
    ("package.json", f'{{"description": "publish to http://{N}/repository/npm-group/"}}\n'),
])
def test_a_url_in_a_comment_or_prose_is_not_in_use(filename, text):
    assert find(text, filename) == []


def test_pip_conf_keys_are_normalised_like_pip():
    text = f"[GLOBAL]\nIndex_URL = http://{N}/repository/pypi-group/simple/\n--find-links = http://{N}/x/\n"
    assert [f.rule.id for f in find(text, "pip.ini")] == ["NX202", "NX202"]


def test_pip_conf_multi_line_values_and_inline_hash():
    text = (f"[global]\nextra-index-url = {R}/a-group/simple/\n\n  # a comment line inside\n"
            f"    http://{N}/repository/b-group/simple/\ntrusted-host = {N}\n")
    assert where(find(text, "pip.conf")) == expect(text, ("NX202", "http://"))
    # configparser keeps "# ..." in the value: pip would use it literally, so it is not a marker
    text = f"[global]\nindex-url = http://{N}/repository/pypi-group/simple/  # nexus-lint: ignore[NX202]\n"
    assert where(find(text, "pip.conf")) == expect(text, ("NX202", "http://"))


def test_requirements_forms():
    text = (f"-i{R}/pypi-group\n"  # attached short option
            f"--index {R}/pypi-group\n"  # optparse unique prefix
            f"--extra-index-url \\\n    {R}/pypi-group\n"  # continuation
            f"pkg @ http://{N}/repository/pypi-group/packages/pkg-1.0.tar.gz\n"  # direct URL: read, not indexed
            f"-f {R}/pypi-group/\n"  # find-links: a page of links
            f"--trusted-host {N}\n"
            f"requests --index-url http://{N}/x/\n"  # global option on a requirement line: pip ignores it
            f"-i '{R}/pypi-group'\n")
    assert where(find(text, "requirements.txt")) == expect(
        text, ("NX504", "pypi-group", 1), ("NX504", "pypi-group", 2), ("NX504", "pypi-group", 3),
        ("NX202", "http://", 1), ("NX504", "pypi-group", 6))
    fixed = fix(text, "requirements.txt")
    assert fixed.count("pypi-group/simple/") == 4


def test_requirements_env_variables_are_unknown():
    text = f"-i https://${{NEXUS_HOST}}/repository/pypi-group/\n-i http://{N}/repository/${{REPO}}/simple/\n"
    assert where(find(text, "requirements.txt")) == expect(text, ("NX202", "http://"))


def test_npmrc_semantics():
    text = (f"registry = '{R}/npm-hosted/'\n"  # quoted: JSON-parsed
            f"[section]\nregistry=http://{N}/repository/npm-group/\n")  # in a section: not npm config
    assert where(find(text, ".npmrc")) == expect(text, ("NX502", "npm-hosted"))
    text = f"registry=${{NEXUS}}/repository/npm-hosted/\n@x:registry=https://{N}/repository/npm-${{ENV}}/\n"
    assert find(text, ".npmrc") == []


def test_yarnrc_environment_and_scopes():
    text = f'npmRegistryServer: "${{NEXUS_URL:-http://{N}}}/repository/npm-group/"\n'
    assert find(text, ".yarnrc.yml") == []
    text = f"npmScopes:\n  a:\n    npmPublishRegistry: {R}/npm-group/\n"
    assert where(find(text, ".yarnrc.yml")) == expect(text, ("NX501", "npm-group"))


def test_yarnrc_wins_over_the_kubernetes_kind():
    assert LINTER.classifier.by_path(".yarnrc.yml").name == "yarnrc"


def test_package_json_escapes_scope_registries_and_scripts(wired):
    text = ('{"publishConfig": {"@cwiq:registry": "https:\\/\\/' + N + ':8443/repository/npm-hosted/"},\n'
            ' "scripts": {"release": "npm publish --registry ' + R + '/npm-group/"}}\n')
    findings = find(text, "package.json")
    assert [f.rule.id for f in findings] == ["NX201", "NX501"]
    assert findings[1].line == 2
    # only literal characters are edited: the port is, the escaped slashes stay escaped
    assert fix(text, "package.json") == text.replace(":8443", "")


def test_pyproject_inline_tables_and_uv_toml():
    text = f'[tool.uv]\nindex = [{{ name = "n", url = "http://{N}/repository/pypi-group/simple/" }}]\n'
    assert where(find(text, "pyproject.toml")) == expect(text, ("NX202", "http://"))
    text = f'index-url = "{R}/pypi-group"\npublish-url = """{R}/pypi-group/"""\n'
    assert where(find(text, "uv.toml")) == expect(text, ("NX504", "pypi-group"), ("NX501", "pypi-group", 2))
    text = f'[tool.uv]\nindex-url = "http:\\u002F/{N}/repository/pypi-group/simple/"\n'
    (finding,) = find(text, "pyproject.toml")
    assert finding.rule.id == "NX202"
    assert fix(text, "pyproject.toml") == text.replace('"http:', '"https:')


def test_pyproject_is_also_the_linter_config():
    text = f'[tool.nexus-lint]\nignore = ["NX105"]\n\n[tool.uv]\nindex-url = "http://{N}/repository/pypi-group/simple/"\n'
    assert [f.rule.id for f in find(text, "pyproject.toml")] == ["NX202"]


def test_repo_lists_and_variables():
    text = f"[a]\nbaseurl = {R}/yum-group-$releasever/x , {R}/yum-hosted-dev/\nmirrorlist=http://{N}/m\n"
    assert where(find(text, "a.repo")) == expect(text, ("NX502", "yum-hosted-dev"), ("NX202", "http://"))


def test_maven_interpolation_and_profiles():
    text = (f"<settings><profiles><profile><repositories><repository>"
            f"<url>${{env.NEXUS}}/repository/maven-hosted/</url></repository>"
            f"<repository><url>{R}/maven-hosted/</url></repository></repositories></profile></profiles></settings>\n")
    assert where(find(text, "settings.xml")) == expect(text, ("NX502", "maven-hosted", 2))


def test_maven_entities_are_not_expanded():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE settings [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            "<settings>&b;</settings>\n")
    assert [f.rule.id for f in find(text, "settings.xml")] == ["NX000"]
    # an external DTD is never fetched; its entities stay unexpanded
    ext = '<?xml version="1.0"?>\n<!DOCTYPE s SYSTEM "http://evil/x.dtd">\n<settings>&x;</settings>\n'
    assert find(ext, "settings.xml") == []


# ---------------------------------------------------------------------------
# Parse problems: only files their own tool would refuse
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("filename, text, line", [
    ("pip.conf", "index-url = https://x/\n[global]\n", 1),  # no section: pip refuses the file
    ("pip.conf", "[global]\ntimeout = 1\ntimeout = 2\n", 3),  # strict: duplicate key
    (".pypirc", "[pypi]\nusername = a\n  \n[pypi]\n", 4),
    ("pyproject.toml", '[tool.uv]\nindex-url = "x\n', 2),
    ("package.json", '{"name": "x",}\n', 1),
    ("settings.xml", "<settings><mirrors></settings>\n", 1),
    (".yarnrc.yml", "npmScopes: [\n", 2),
])
def test_broken_files_are_nx000(filename, text, line):
    findings = find(text, filename)
    assert [f.rule.id for f in findings] == ["NX000"]
    assert findings[0].line == line


@pytest.mark.parametrize("filename, text", [
    ("requirements.txt", "-i 'unterminated\n--no-such-option x\n:::\n"),
    (".npmrc", "garbage line without equals\n[\n=\n"),
    ("cwiq.repo", "[a]\nbaseurl=x\nbaseurl=y\n"),  # dnf does not mind duplicates
    ("pip.conf", ""),
    ("package.json", "[]"),
])
def test_files_their_tool_accepts_are_not_nx000(filename, text):
    assert find(text, filename) == []


def test_a_broken_file_is_not_fixed():
    text = f"index-url = http://{N}/\n[global]\nindex-url = http://{N}:8443/repository/pypi-group/simple/\n"
    assert fix(text, "pip.conf") == text


# ---------------------------------------------------------------------------
# Suppressions
# ---------------------------------------------------------------------------


def suppressed(text, filename):
    return sorted((f.rule.id, f.line) for f in find(text, filename, include_suppressed=True) if f.suppressed)


def test_suppression_on_the_line_above_in_configparser_formats():
    text = (f"[global]\n# nexus-lint: ignore[NX202]\nextra-index-url =\n    http://{N}/repository/a-group/simple/\n"
            f"; nexus-lint: ignore[NX201]\nindex-url = https://{N}:8443/repository/pypi-group/simple/\n")
    assert suppressed(text, "pip.conf") == [("NX201", 6), ("NX202", 4)]
    assert find(text, "pip.conf") == []


def test_suppression_at_the_end_of_the_line():
    req = f"--index-url http://{N}/repository/pypi-group/simple/  # nexus-lint: ignore[NX202]\n"
    assert suppressed(req, "requirements.txt") == [("NX202", 1)]
    npmrc = f"registry=http://{N}/repository/npm-group/ ; nexus-lint: ignore[NX202]\n"
    assert suppressed(npmrc, ".npmrc") == [("NX202", 1)]
    npmrc = f"registry=http://{N}/repository/npm-group/#nexus-lint: ignore[NX202]\n"
    assert suppressed(npmrc, ".npmrc") == [("NX202", 1)]
    toml = f'[tool.uv]\nindex-url = "http://{N}/repository/pypi-group/simple/" # nexus-lint: ignore[NX202]\n'
    assert suppressed(toml, "pyproject.toml") == [("NX202", 2)]
    yml = f"npmRegistryServer: http://{N}/repository/npm-group/  # nexus-lint: ignore[NX202]\n"
    assert suppressed(yml, ".yarnrc.yml") == [("NX202", 1)]
    xml = f"<settings><mirrors><mirror><url>http://{N}/repository/m-group/</url><!-- nexus-lint: ignore[NX202] -->" \
          f"</mirror></mirrors></settings>\n"
    assert suppressed(xml, "settings.xml") == [("NX202", 1)]


def test_suppression_above_a_multi_line_entry():
    req = f"# nexus-lint: ignore[NX202]\n--extra-index-url \\\n  http://{N}/repository/pypi-group/simple/\n"
    assert suppressed(req, "requirements.txt") == [("NX202", 3)]
    toml = (f'[tool.uv]\n# nexus-lint: ignore[NX202]\nextra-index-url = [\n  "http://{N}/repository/a-group/simple/",\n]\n')
    assert suppressed(toml, "pyproject.toml") == [("NX202", 4)]
    xml = (f"<settings><mirrors>\n<!-- nexus-lint: ignore[NX201] -->\n<mirror>\n"
           f"<url>https://{N}:8443/repository/m-group/</url>\n</mirror></mirrors></settings>\n")
    assert suppressed(xml, "settings.xml") == [("NX201", 4)]


def test_a_marker_for_another_rule_suppresses_nothing():
    text = f"registry=http://{N}/repository/npm-group/ ; nexus-lint: ignore[NX201]\n"
    assert [f.rule.id for f in find(text, ".npmrc")] == ["NX202"]


# ---------------------------------------------------------------------------
# CI uploads into promoted environments
# ---------------------------------------------------------------------------

UPLOAD = 'curl -f -u "$NEXUS_USER:$NEXUS_PASSWORD" --upload-file dist/app.rpm {}/app.rpm\n'


@pytest.mark.parametrize("env, rules", [("prod", ["NX503"]), ("uat", ["NX503"]), ("dev", [])])
def test_ci_script_uploading_into_a_promoted_repository(wired, env, rules):
    text = UPLOAD.format(f"{R}/yum-hosted-{env}")
    findings = find(text, "ci/upload.sh")
    assert [f.rule.id for f in findings] == rules
    if rules:
        assert (findings[0].line, findings[0].column) == at(text, f"yum-hosted-{env}")
    assert find(text, "scripts/upload.sh") == []  # not CI context


@pytest.mark.parametrize("env, rules", [("prod", ["NX503"]), ("uat", ["NX503"]), ("dev", [])])
def test_ci_job_uploading_into_a_promoted_repository(wired, env, rules):
    if LINTER.classifier.by_path(".gitlab-ci.yml") is None:
        pytest.skip("no GitLab CI kind registered")
    text = ("publish:\n  stage: deploy\n  script:\n"
            f"    - curl -f -X PUT --data-binary @app.tgz {R}/raw-hosted-{env}/app.tgz\n"
            f"    - twine upload --repository-url {R}/pypi-hosted/ dist/*\n")
    assert [f.rule.id for f in find(text, ".gitlab-ci.yml")] == rules


def test_ci_publish_config_into_a_promoted_repository():
    text = f"<project><distributionManagement><repository><url>{R}/maven-hosted-prod/</url></repository>" \
           f"</distributionManagement></project>\n"
    assert [f.rule.id for f in find(text, "ci/pom.xml")] == ["NX503"]
    assert find(text, "pom.xml") == []
    assert find(text.replace("-prod", "-dev"), "ci/pom.xml") == []


# ---------------------------------------------------------------------------
# Kinds and rule pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path, kind", [
    ("pip.conf", "pip-conf"), ("etc/pip.ini", "pip-conf"), ("requirements.txt", "requirements"),
    ("requirements-dev.txt", "requirements"), ("constraints.txt", "requirements"),
    ("requirements/base.txt", "requirements"), ("svc/requirements/base.in", "requirements"),
    ("pyproject.toml", "pyproject"), ("uv.toml", "pyproject"), (".pypirc", "pypirc"), (".npmrc", "npmrc"),
    (".yarnrc.yml", "yarnrc"), ("web/package.json", "package-json"), ("yum.repos.d/cwiq.repo", "yum-repo"),
    ("settings.xml", "maven"), ("pom.xml", "maven"), ("app-1.0.pom", "maven"),
])
def test_kinds(path, kind):
    assert LINTER.classifier.by_path(path).name == kind


def test_every_registered_kind_has_an_extractor():
    import importlib

    for kind in LINTER.classifier.kinds:
        module, _, func = kind.extractor.partition(":")
        assert callable(getattr(importlib.import_module(module), func)), kind.name


MY_RULES = ("NX201", "NX202", "NX203", "NX501", "NX502", "NX503", "NX504")
PAGES = load_pages()
EXAMPLES = [(rid, i, ex) for rid in MY_RULES for i, ex in enumerate(PAGES[rid].examples)]


@pytest.mark.parametrize("rule_id, index, example", EXAMPLES,
                         ids=[f"{r}-{i}-{'bad' if e.bad else 'good'}" for r, i, e in EXAMPLES])
def test_rule_page_examples(wired, rule_id, index, example):
    found = [f.rule.id for f in find(example.code, example.file)]
    if example.bad:
        assert found and set(found) == {rule_id}, found
    else:
        assert found == []


@pytest.mark.parametrize("rule_id", MY_RULES)
def test_rule_pages_match_the_metadata(rule_id):
    meta = {r.id: r for c in nexus_lint_rules() if c.name == "urls" for r in c.rules}[rule_id]
    page = PAGES[rule_id]
    assert page.name == meta.name
    assert f"| {meta.severity} | {meta.fix or 'none'} |" in page.text.split("## ")[0]


def test_extractor_values_are_exact_spans():
    for filename, (text, _items) in CASES.items():
        for fact in url_facts_of(text, filename):
            if isinstance(fact, UrlFact):
                span = fact.value.span()
                if span is not None:
                    assert text[span[0]:span[1]] == fact.value.text
                assert fact.role in (INSTALL, PUBLISH, BROWSE)
            else:
                assert not isinstance(fact, ParseProblem), (filename, fact)


def test_a_shadowed_repo_option_is_not_in_use():
    text = f"[a]\nbaseurl=http://{N}/repository/yum-group-dev/\nbaseurl={R}/yum-hosted-dev/\n"
    assert where(find(text, "a.repo")) == expect(text, ("NX502", "yum-hosted-dev"))
