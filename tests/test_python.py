"""Python scripts analysed as code: string values, HTTP calls, subprocess commands,
docker SDK calls, the prefilter, suppressions and parse errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import codes, fix_text, lint, make_linter, where, write_tree
from nexus_lint.kinds.python_facts import analyse
from nexus_lint.core.model import ApiCallFact, ImageFact, UrlFact


def py(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def facts(text: str, cls=None):
    out = analyse(text)
    assert out.problem is None, out.problem
    return [f for f in out.facts if cls is None or isinstance(f, cls)]


def col(text: str, needle: str, nth: int = 0) -> tuple:
    """(line, column) of the ``nth`` occurrence of ``needle``."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    line = text[:i].count("\n") + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


# -- file kind ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sync.py", "tools/x.pyw", "a/b/c.py"])
def test_python_files_by_name(name):
    assert make_linter().classifier.by_path(name).name == "python"


@pytest.mark.parametrize("shebang", ["#!/usr/bin/env python3", "#!/usr/bin/python", "#!/usr/bin/env python3.12",
                                     "#!/opt/pypy3/bin/pypy3"])
def test_python_scripts_by_shebang(tmp_path, cli, shebang):
    write_tree(tmp_path, {"bin/pull": f"{shebang}\nimport docker\ndocker.from_env().images.pull('redis:7')\n"})
    result = cli(["check", "bin/pull"], cwd=tmp_path)
    assert result.code == 1 and "NX101" in result.out


# -- string values --------------------------------------------------------------------------------


def test_constants_and_fstrings_point_at_the_literal():
    src = py('''
        import requests

        HOST = "nexus.shared.cwiq.io:8443"
        NEXUS = f"https://{HOST}"
        STATUS = NEXUS + "/service/rest/v1/status"

        def ok():
            return requests.get(STATUS).ok
    ''')
    found = lint(src, "s.py")
    assert where(found) == [("NX201", *col(src, ":8443"))]
    assert src.index("STATUS)") in [r.start for r in found[0].related]
    assert fix_text(src, "s.py") == src.replace(":8443", "")


@pytest.mark.parametrize("expr", [
    '"https://nexus.shared.cwiq.io:8444/repository/pypi-group/simple/"',
    "'https://nexus.shared.cwiq.io:8444' '/repository/pypi-group/simple/'",
    '"https://%s/repository/pypi-group/simple/" % HOST',
    '"https://{}/repository/{repo}/simple/".format(HOST, repo="pypi-group")',
    'f"https://{HOST}/repository/{REPO}/simple/"',
    '"/".join(["https:/", HOST, "repository", REPO, "simple/"])',
    'os.environ.get("PIP_INDEX", "https://nexus.shared.cwiq.io:8444/repository/pypi-group/simple/")',
    'os.getenv("PIP_INDEX", f" https://{HOST}/repository/pypi-group/simple//").strip().rstrip("/") + "/"',
    r'"https://nexus.shared.cwiq.io\x3a8444/repository/pypi-group/simple/"',
    r'"https://nexus.shared.cwiq.io:8444/repository/pypi-group/\
simple/"',
])
def test_string_forms(expr):
    src = (
        "import os\nimport subprocess\n\nHOST = 'nexus.shared.cwiq.io:8444'\nREPO = 'pypi-group'\n"
        f"INDEX = {expr}\n"
        'subprocess.run(["pip", "install", "--index-url", INDEX, "requests"], check=True)\n'
    )
    urls = facts(src, UrlFact)
    assert "https://nexus.shared.cwiq.io:8444/repository/pypi-group/simple/" in [u.value.text for u in urls]
    assert "NX201" in codes(lint(src, "s.py"))


def test_escaped_characters_are_never_edited():
    src = 'import requests\nrequests.get("https://nexus.shared.cwiq.io\\u003a8443/service/rest/v1/status")\n'
    found = lint(src, "s.py")
    assert codes(found) == ["NX201"]
    assert found[0].fix is None  # the ":" is an escape: no single place to edit
    assert fix_text(src, "s.py") == src


def test_function_level_constants_and_rebinding():
    src = py('''
        import requests

        URL = "https://nexus.shared.cwiq.io/service/rest/v1/status"

        def first():
            url = "https://nexus.shared.cwiq.io:8081/service/rest/v1/status"
            requests.get(url)
            url = URL
            requests.get(url)

        def second():
            requests.get(URL)
    ''')
    assert where(lint(src, "s.py")) == [("NX203", *col(src, "8081"))]


def test_unresolved_parts_stay_as_written():
    (fact,) = facts(py('''
        import requests
        def put(base, uid):
            requests.put(f"{base}/service/rest/v1/security/users/{uid}", json={})
    '''), ApiCallFact)
    assert fact.method == "PUT" and fact.value.text == "{base}/service/rest/v1/security/users/{uid}"
    assert list(fact.value.offsets)[:6] == [-1] * 6
    assert fact.body.keys == ()


# -- prose never matches ------------------------------------------------------------------------------


def test_docstrings_comments_and_prose_never_match():
    src = py('''
        """Talks to http://nexus.shared.cwiq.io:8081/service/rest/ (see docs)."""
        import logging
        import requests

        # requests.get("http://nexus.shared.cwiq.io:8443/service/rest/v1/status")
        HELP = "set NEXUS to e.g. http://nexus.shared.cwiq.io:8443 before running"


        def main():
            """Pull python:3.11 with docker pull python:3.11 and http://nexus.dev.cwiq.io:8443/x."""
            logging.info("see http://nexus.shared.cwiq.io:8443/#browse for the UI")
            print("docker pull redis:7")
            "https://nexus.shared.cwiq.io:8444/repository/pypi-group/"
    ''')
    assert lint(src, "ci/tool.py") == []


def test_whole_url_strings_are_uses():
    src = py('''
        import os
        PIP_INDEX = "https://nexus.shared.cwiq.io/repository/pypi-hosted/simple/"
        os.environ["PIP_INDEX_URL"] = "https://nexus.shared.cwiq.io/repository/pypi-hosted/simple/"
        settings = {"index_url": "http://nexus.shared.cwiq.io/repository/pypi-group/simple/"}
        def configure(url="https://nexus.shared.cwiq.io:8444/service/rest/v1/status"):
            pass
    ''')
    assert where(lint(src, "s.py")) == [
        ("NX502", *col(src, "pypi-hosted", 1)),
        ("NX202", *col(src, "http:")),
        ("NX201", *col(src, ":8444")),
    ]


# -- HTTP calls -----------------------------------------------------------------------------------------


def test_http_call_facts():
    src = py('''
        import httpx
        import requests as rq
        from requests import post
        from urllib.request import urlopen

        rq.put("https://nexus.shared.cwiq.io/service/rest/v1/security/users/a", json={"userId": "a"})
        post("https://nexus.shared.cwiq.io/service/rest/v1/security/users", json={"userId": "b"}).raise_for_status()
        httpx.delete("https://nexus.shared.cwiq.io/service/rest/v1/security/users/c")
        urlopen("https://nexus.shared.cwiq.io/service/rest/v1/status")
        rq.request("PATCH", "https://nexus.shared.cwiq.io/service/rest/v1/x")
    ''')
    calls = facts(src, ApiCallFact)
    assert [(c.method, c.origin, c.body.keys if c.body else None, c.raises) for c in calls] == [
        ("PUT", "requests.put", ("userId",), None),
        ("POST", "requests.post", ("userId",), "raise_for_status()"),
        ("DELETE", "httpx.delete", None, None),
        ("GET", "urlopen", None, "urlopen()"),
        ("PATCH", "requests.request", None, None),
    ]
    urls = facts(src, UrlFact)
    assert {u.role for u in urls} == {"api"}
    assert urls[0].use == (src.index('"https'), src.index('", json') + 1)


def test_a_method_named_get_is_not_http_without_a_url():
    src = py('''
        def f(cache, session):
            cache.get("/service/rest/v1/status")
            session.get(key)
            session.put("https://nexus.shared.cwiq.io:8443/service/rest/v1/x", json={})
    ''')
    calls = facts(src, ApiCallFact)
    assert [c.value.text for c in calls] == ["https://nexus.shared.cwiq.io:8443/service/rest/v1/x"]


def test_upload_role_for_put_into_a_repository():
    src = py('''
        import requests
        with open("app.tgz", "rb") as fh:
            requests.put("https://nexus.shared.cwiq.io/repository/raw-group/app/app.tgz", data=fh)
    ''')
    assert codes(lint(src, "s.py")) == ["NX501"]


# -- commands -----------------------------------------------------------------------------------------------


def test_subprocess_forms():
    src = py('''
        import os
        import shlex
        import subprocess

        IMAGE = "python:3.11"
        REG = "nexus.shared.cwiq.io:8444"

        subprocess.run(["docker", "pull", IMAGE], check=True)
        subprocess.check_call("docker pull redis:7", shell=True)
        os.system(f"docker push {REG}/orchestrator/app:1")
        subprocess.run(shlex.split("sudo docker pull alpine:3.19"))
        subprocess.run("docker pull busybox".split())
        cmd = ["docker", "push"]
        cmd.append(REG + "/orchestrator/api:2")
        subprocess.call(cmd)
        subprocess.run(["pip", "install", "requests"], env={"PIP_INDEX_URL": "https://nexus.shared.cwiq.io/repository/pypi-hosted/simple/"})
        subprocess.run(["bash", "-c", "docker pull nginx:1"])
    ''')
    images = [(f.value.text, f.role) for f in facts(src, ImageFact)]
    assert images == [
        ("python:3.11", "pull"),
        ("redis:7", "pull"),
        ("nexus.shared.cwiq.io:8444/orchestrator/app:1", "push"),
        ("alpine:3.19", "pull"),
        ("busybox", "pull"),
        ("nexus.shared.cwiq.io:8444/orchestrator/api:2", "push"),
        ("nginx:1", "pull"),
    ]
    found = lint(src, "s.py")
    assert where(found) == [
        ("NX101", *col(src, "python:3.11")),
        ("NX103", *col(src, "8444")),  # the REG constant, pushed twice
        ("NX101", *col(src, "redis:7")),
        ("NX101", *col(src, "alpine:3.19")),
        ("NX101", *col(src, "busybox")),
        ("NX502", *col(src, "pypi-hosted")),
        ("NX101", *col(src, "nginx:1")),
    ]
    fixed = fix_text(src, "s.py")
    assert 'IMAGE = "nexus.shared.cwiq.io:8444/library/python:3.11"' in fixed
    assert 'REG = "nexus.shared.cwiq.io:8443"' in fixed
    assert '"docker pull nexus.shared.cwiq.io:8444/library/busybox".split()' in fixed


def test_quotes_inside_list_words_keep_their_offsets():
    src = 'import subprocess\nsubprocess.run(["sh", "-c", "docker pull \'redis:7\'"])\n'
    assert where(lint(src, "s.py")) == [("NX101", *col(src, "redis:7"))]
    assert "'nexus.shared.cwiq.io:8444/library/redis:7'" in fix_text(src, "s.py")


def test_docker_sdk():
    src = py('''
        import docker

        client = docker.from_env()
        client.images.pull("python", tag="3.11")
        client.images.pull("nexus.shared.cwiq.io:8443/library/python:3.12")
        client.containers.run("redis:7", detach=True)
        client.images.push("nexus.shared.cwiq.io:8444/orchestrator/app", tag="1.0")
        client.images.build(path=".", tag="cwiq-app:1")
        api = docker.APIClient()
        api.pull("busybox", tag="1")
        docker.from_env().containers.create(image="alpine:3.19")
    ''')
    assert [(f.value.text, f.role, f.origin) for f in facts(src, ImageFact)] == [
        ("python:3.11", "pull", "docker SDK images.pull"),
        ("nexus.shared.cwiq.io:8443/library/python:3.12", "pull", "docker SDK images.pull"),
        ("redis:7", "pull", "docker SDK containers.run"),
        ("nexus.shared.cwiq.io:8444/orchestrator/app:1.0", "push", "docker SDK images.push"),
        ("cwiq-app:1", "local", "docker SDK images.build"),
        ("busybox:1", "pull", "docker APIClient.pull"),
        ("alpine:3.19", "local", "docker SDK containers.create"),  # create pulls nothing (issue 13)
    ]
    assert codes(lint(src, "s.py")) == ["NX101", "NX102", "NX101", "NX103", "NX104", "NX101"]
    fixed = fix_text(src, "s.py")
    assert 'client.images.pull("nexus.shared.cwiq.io:8444/library/python", tag="3.11")' in fixed
    assert lint(fixed, "s.py", ) and codes(lint(fixed, "s.py")) == ["NX104"]  # unsafe: left alone


def test_dev_host_in_a_ci_python_script():
    src = 'import requests\nrequests.get("https://nexus.dev.cwiq.io/service/rest/v1/status")\n'
    assert codes(lint(src, "ci/check.py")) == ["NX301"]
    assert lint(src, "tools/check.py") == []


# -- prefilter ----------------------------------------------------------------------------------------------


def _real_parse(text):
    from nexus_lint.kinds.python_facts import analyse as real

    return real(text)


ORDINARY = py('''
    """Utilities for parsing configuration files (see https://docs.python.org/3/)."""
    import subprocess

    import requests


    def fetch(url, timeout=10):
        return requests.get(url, timeout=timeout).json()


    def run(cmd):
        return subprocess.run(cmd, check=True, capture_output=True).stdout
''')


def test_prefilter_skips_files_without_keywords(monkeypatch):
    import nexus_lint.kinds.python as extractor

    calls = []
    monkeypatch.setattr(extractor, "parse", lambda text: calls.append(text) or _real_parse(text))
    assert extractor.worth_parsing(ORDINARY) is False
    assert lint(ORDINARY, "util.py") == []
    assert lint("def f(:\n", "broken.py") == []  # not even a syntax error is looked for
    assert calls == []
    assert lint(ORDINARY + 'URL = "https://nexus.shared.cwiq.io"\n', "util.py") == []
    assert len(calls) == 1


@pytest.mark.parametrize("text, wanted", [
    ('URL = "https://nexus.shared.cwiq.io"', True),
    ("import docker", True),
    ('u = base + "/service/rest/v1/status"', True),
    ('PASSWORD = "hunter22"', True),
    ('requests.get(url, auth=("admin", "admin123"))', True),
    ("requests.get(url, auth=ADMIN)", True),
    ('headers = {"PRIVATE-TOKEN": "glpat-abc"}', True),
    ('HTTPBasicAuth(user, "s3cret")', True),
    ("token = tokens[0]\nif token == 'x':\n    pass", False),  # a tokenizer
    ('__author__ = "me"', False),
    ("password = getpass.getpass()", False),
    ("def f():\n    pass", False),
])
def test_prefilter_words(text, wanted):
    from nexus_lint.kinds.python import worth_parsing

    assert worth_parsing(text) is wanted


def test_prefilter_never_imports_the_reader(tmp_path):
    tree = {f"pkg/mod{i}.py": ORDINARY for i in range(20)}
    write_tree(tmp_path, tree)
    code = (
        "import sys\n"
        "from nexus_lint.cli import main\n"
        "rc = main(['check', 'pkg'])\n"
        "print('READER' if 'nexus_lint.kinds.python_facts' in sys.modules else 'NO-READER', rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "NO-READER 0", out.stdout + out.stderr
    (tmp_path / "pkg/mod0.py").write_text(ORDINARY + "import docker\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "READER 0", out.stdout + out.stderr


# -- problems and suppressions ----------------------------------------------------------------------------------


def test_syntax_error_is_nx000_at_the_error():
    src = "import docker\n\ndef f(:\n    pass\n"
    found = lint(src, "s.py")
    assert codes(found) == ["NX000"] and found[0].line in (3, 4)
    assert "not valid Python" in found[0].message


def test_newer_syntax_parses():
    src = py('''
        import requests
        type Url = str
        def f[T](x: T) -> T:
            return x
        d = {"k": "nexus.shared.cwiq.io:8443"}
        requests.get(f"https://nexus.shared.cwiq.io:8443/service/rest/v1/{d["k"]}")
    ''')
    assert codes(lint(src, "s.py")) == ["NX201"]


def test_suppression_comments():
    src = py('''
        import docker
        c = docker.from_env()
        c.images.pull("redis:7")  # nexus-lint: ignore[NX101]
        # nexus-lint: ignore[NX101]
        c.containers.run(
            "nginx:1",
            detach=True,
        )
        c.images.pull("alpine:3")  # nexus-lint: ignore[NX102]
    ''')
    assert where(lint(src, "s.py")) == [("NX101", *col(src, "alpine:3"))]


def test_crlf_and_non_ascii_offsets():
    src = py('''
        # -*- coding: utf-8 -*-
        import requests
        GRÜSSE = "äöü 🙂"
        URL = "https://nexus.shared.cwiq.io:8443/service/rest/v1/status"  # 🙂 ok
        requests.get(URL)
    ''').replace("\n", "\r\n")
    found = lint(src, "s.py")
    i = src.index(":8443")
    assert [(f.rule.id, f.start) for f in found] == [("NX201", i)]
    assert fix_text(src, "s.py") == src.replace(":8443", "")


def test_user_sync_script_credentials_are_nx401_and_never_printed(tmp_path, cli):
    from conftest import write_tree

    pw = "S3cret" + "Adm1n!"
    token = "glpat-" + "abcdefghijklmnopqrst"  # nexus-lint: ignore[NX401] (planted test data)
    script = (
        "import requests\n"
        'NEXUS = "https://nexus.shared.cwiq.io"\n'
        f'ADMIN = ("admin", "{pw}")\n'
        f'API_TOKEN = "{token}"\n'
        'HEADERS = {"Authorization": "Bearer " + API_TOKEN}\n'
        "def status():\n"
        '    return requests.get(f"{NEXUS}/service/rest/v1/status", auth=ADMIN)\n'
    )
    write_tree(tmp_path, {"sync_users.py": script})
    res = cli(["check", "--format", "json", "."], cwd=tmp_path)
    import json

    found = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(res.out)]
    assert ("NX401", 3, 20) in found and ("NX401", 4, 14) in found
    assert pw not in res.out and token not in res.out


def test_prefilter_knows_the_policys_own_host(tmp_path, cli):
    """A custom policy host without "nexus" in it lets a Python file through the
    prefilter (the engine's and the extractor's), so its URLs are judged."""
    write_tree(tmp_path, {
        ".nexus-lint.toml": '[policy]\nshared-host = "artifacts.acme.io"\n',
        "fetch.py": 'import requests\nrequests.get("https://artifacts.acme.io:8443/simple/x")\n',
    })
    res = cli(["check", "--no-cache", "--format", "json", "fetch.py"], cwd=tmp_path)
    found = [(f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(res.out)]
    assert found == [("NX201", 2, 40)]
    # the default policy does not know that host: the file is never parsed
    assert lint('import requests\nrequests.get("https://artifacts.acme.io:8443/simple/x")\n', "fetch.py") == []


@pytest.mark.parametrize("text", [
    'import requests\nY = b"a" "b"\nrequests.get("https://nexus.shared.cwiq.io/x")\n',  # found by fuzz/run.py
    'import requests\nY = "a" b"b"\nrequests.get("https://nexus.shared.cwiq.io/x")\n',
])
def test_python_libcst_refuses_to_build_is_not_valid_python(text):
    """libcst parses ``b"a" "b"`` and then refuses to build the node
    (CSTValidationError); CPython rejects it too: NX000, not an internal error."""
    [f] = lint(text, "x.py")
    assert f.rule.id == "NX000" and f.message.startswith("not valid Python: ")


def test_the_files_own_warnings_are_not_printed(tmp_path):
    """An invalid escape is a SyntaxWarning in CPython 3.12: reading the file
    must not print it (it is the file's business, not the report's)."""
    (tmp_path / "x.py").write_text('import requests\nX = "\\e"\nrequests.get("https://nexus.shared.cwiq.io/x")\n')
    out = subprocess.run([sys.executable, "-W", "default", "-m", "nexus_lint", "check", "--no-cache", "x.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr == "", out.stderr
