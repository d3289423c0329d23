"""NX601 user-update-missing-source and NX602 user-create-500-unhandled, in Python and shell."""

from __future__ import annotations

import ast
import textwrap

import pytest

from conftest import codes, fix_text, lint, where, write_tree

MINE = ("NX201", "NX601", "NX602")


def mine(findings):
    return [f for f in findings if f.rule.id in MINE]


def py(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- the acceptance script ---------------------------------------------------------------------

SYNC = py('''
    #!/usr/bin/env python3
    """Sync users from the HR export into Nexus.

    API docs: https://nexus.shared.cwiq.io:8443/service/rest/v1/security/users
    """
    import sys

    import requests

    NEXUS = "https://nexus.shared.cwiq.io"
    USERS_API = f"{NEXUS}/service/rest/v1/security/users"
    ADMIN = ("admin", "admin123")


    def healthy():
        r = requests.get("https://nexus.shared.cwiq.io:8443/service/rest/v1/status", auth=ADMIN)
        return r.status_code == 200


    def create_user(user):
        body = {
            "userId": user["id"],
            "firstName": user["first"],
            "lastName": user["last"],
            "emailAddress": user["email"],
            "password": user["initial_password"],
            "status": "active",
            "roles": ["nx-developer"],
        }
        r = requests.post(USERS_API, json=body, auth=ADMIN)
        r.raise_for_status()


    def update_user(user):
        body = {
            "userId": user["id"],
            "firstName": user["first"],
            "lastName": user["last"],
            "emailAddress": user["email"],
            "status": "active",
            "roles": ["nx-developer"]
        }
        r = requests.put(f"{USERS_API}/{user['id']}", json=body, auth=ADMIN)
        r.raise_for_status()


    if __name__ == "__main__":
        if not healthy():
            sys.exit(1)
''')

SYNC_FIXED = py('''
    #!/usr/bin/env python3
    """Sync users from the HR export into Nexus."""
    import os
    import sys

    import requests

    NEXUS = "https://nexus.shared.cwiq.io"
    USERS_API = f"{NEXUS}/service/rest/v1/security/users"
    ADMIN = (os.environ["NEXUS_USER"], os.environ["NEXUS_PASSWORD"])


    def healthy():
        r = requests.get("https://nexus.shared.cwiq.io/service/rest/v1/status", auth=ADMIN)
        return r.status_code == 200


    def user_exists(user_id):
        r = requests.get(USERS_API, params={"userId": user_id}, auth=ADMIN)
        r.raise_for_status()
        return any(u["userId"] == user_id for u in r.json())


    def create_user(user):
        body = {
            "userId": user["id"],
            "firstName": user["first"],
            "status": "active",
            "roles": ["nx-developer"],
        }
        r = requests.post(USERS_API, json=body, auth=ADMIN)
        if r.status_code == 500 and user_exists(user["id"]):
            return  # Nexus 3.75+: the user already exists
        r.raise_for_status()


    def update_user(user):
        body = {
            "userId": user["id"],
            "firstName": user["first"],
            "status": "active",
            "roles": ["nx-developer"],
            "source": "default",
        }
        r = requests.put(f"{USERS_API}/{user['id']}", json=body, auth=ADMIN)
        r.raise_for_status()


    if __name__ == "__main__":
        if not healthy():
            sys.exit(1)
''')


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_acceptance_user_sync_script():
    found = mine(lint(SYNC, "sync_users.py"))
    assert where(found) == [
        ("NX201", line_of(SYNC, 'requests.get("https://nexus.shared.cwiq.io:8443'), 51),
        ("NX602", line_of(SYNC, "requests.post("), 9),
        ("NX601", line_of(SYNC, "requests.put("), 9),
    ]
    nx602 = found[1]
    assert "500" in nx602.message and "look the user up" in nx602.message
    assert nx602.related and nx602.related[0].start == SYNC.index("r.raise_for_status()", SYNC.index("requests.post"))
    nx601 = found[2]
    # the body the fix edits is shown as a related location
    assert nx601.related[0].start == SYNC.index("{", SYNC.index("def update_user"))


def test_acceptance_the_url_in_the_docstring_is_not_used():
    doc_line = line_of(SYNC, "API docs:")
    assert all(f.line != doc_line for f in lint(SYNC, "sync_users.py"))


def test_acceptance_corrected_script_is_clean():
    assert lint(SYNC_FIXED, "sync_users.py") == []


def test_acceptance_fix_adds_source_and_nothing_else():
    fixed = fix_text(SYNC, "sync_users.py")
    ast.parse(fixed)
    # NX201's fix drops the port; NX601's adds one entry; nothing else changes
    expected = SYNC.replace("cwiq.io:8443/service/rest/v1/status", "cwiq.io/service/rest/v1/status").replace(
        '"roles": ["nx-developer"]\n    }\n    r = requests.put',
        '"roles": ["nx-developer"],\n        "source": "default"\n    }\n    r = requests.put',
    )
    assert fixed == expected
    assert codes(mine(lint(fixed, "sync_users.py"))) == ["NX602"]


def test_acceptance_fix_through_the_cli(tmp_path, cli):
    write_tree(tmp_path, {"tools/sync_users.py": SYNC})
    result = cli(["check", "--fix", "--select", "NX601", "tools/sync_users.py"], cwd=tmp_path)
    assert result.code == 0, result.out
    fixed = (tmp_path / "tools/sync_users.py").read_text()
    assert fixed.count('"source": "default"') == 1
    ast.parse(fixed)
    assert fixed.replace(',\n        "source": "default"', "") == SYNC


def test_acceptance_curl_put_in_a_shell_script():
    script = py('''
        #!/bin/bash
        set -euo pipefail
        NEXUS=https://nexus.shared.cwiq.io
        curl -fsS -u "$NEXUS_AUTH" -X PUT -H 'Content-Type: application/json' \\
          -d '{"userId": "jdoe", "emailAddress": "jdoe@example.com", "status": "active"}' \\
          "$NEXUS/service/rest/v1/security/users/jdoe"
    ''')
    assert where(lint(script, "sync-users.sh")) == [("NX601", 4, 1)]
    fixed = fix_text(script, "sync-users.sh")
    assert fixed == script.replace('"status": "active"}', '"status": "active", "source": "default"}')


# -- NX601 in Python ---------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ('{"userId": uid, "status": "active"}', '{"userId": uid, "status": "active", "source": "default"}'),
    ('{"userId": uid, "status": "active",}', '{"userId": uid, "status": "active", "source": "default",}'),
    ("{'userId': uid}", "{'userId': uid, 'source': 'default'}"),
    ('{"userId":uid}', '{"userId":uid,"source":"default"}'),
    ('{"userId": uid, "roles": []}', '{"userId": uid, "roles": [], "source": "default"}'),
    ('{"userId":uid,"roles":[]}', '{"userId":uid,"roles":[],"source":"default"}'),
    ("{}", '{"source": "default"}'),
    ('{\n        "userId": uid,\n        "roles": [],\n    }',
     '{\n        "userId": uid,\n        "roles": [],\n        "source": "default",\n    }'),
    ('{\n        "userId": uid,\n        "roles": []\n    }',
     '{\n        "userId": uid,\n        "roles": [],\n        "source": "default"\n    }'),
    ('{\n        "userId": uid,\n        "roles": [],  # none yet\n    }',
     '{\n        "userId": uid,\n        "roles": [],  # none yet\n        "source": "default",\n    }'),
    ('{\n        "userId": uid,\n        "roles": []  # none yet\n    }',
     '{\n        "userId": uid,\n        "roles": [],  # none yet\n        "source": "default"\n    }'),
    ('{\n  "userId": uid, "roles": []}', '{\n  "userId": uid, "roles": [], "source": "default"}'),
])
def test_nx601_fix_keeps_the_dict_style(body, expected):
    src = (
        "import requests\n\n\n"
        "def update(uid):\n"
        f"    body = {body}\n"
        '    requests.put(f"https://nexus.shared.cwiq.io/service/rest/v1/security/users/{uid}", json=body)\n'
    )
    assert codes(lint(src, "u.py")) == ["NX601"]
    fixed = fix_text(src, "u.py")
    assert fixed == src.replace(body, expected)
    ast.parse(fixed)
    assert lint(fixed, "u.py") == []


def test_nx601_inline_body_json_dumps_and_json_text():
    src = py('''
        import json
        import requests

        URL = "https://nexus.shared.cwiq.io/service/rest/v1/security/users/jdoe"
        requests.put(URL, json={"userId": "jdoe"})
        requests.put(URL, data=json.dumps({"userId": "jdoe"}), headers={"Content-Type": "application/json"})
        requests.put(URL, data='{"userId": "jdoe"}')
        requests.put(URL, data="{\\"userId\\": \\"jdoe\\"}")
    ''')
    assert [f.line for f in lint(src, "u.py")] == [5, 6, 7, 8]
    fixed = fix_text(src, "u.py")
    assert fixed.count('"source": "default"') == 3
    assert '"{\\"userId\\": \\"jdoe\\", \\"source\\": \\"default\\"}"' in fixed
    ast.parse(fixed)
    assert lint(fixed, "u.py") == []


def test_nx601_clients_and_sessions():
    src = py('''
        import httpx
        import requests
        from urllib.request import Request, urlopen
        import json

        class Nexus:
            def __init__(self, base):
                self.session = requests.Session()
                self.base = "https://nexus.shared.cwiq.io/service/rest/v1"

            def update(self, uid, roles):
                return self.session.put(f"{self.base}/security/users/{uid}", json={"userId": uid, "roles": roles})

        def with_session(uid):
            with requests.Session() as s:
                s.put("https://nexus.shared.cwiq.io/service/rest/v1/security/users/" + uid, json={"userId": uid})

        def with_httpx(uid):
            with httpx.Client(base_url="https://nexus.shared.cwiq.io") as client:
                client.put(f"/service/rest/v1/security/users/{uid}", json={"userId": uid})

        def with_request(uid):
            r = requests.request("PUT", "https://nexus.shared.cwiq.io/service/rest/v1/security/users/" + uid,
                                 json={"userId": uid})

        def with_urllib(uid):
            body = {"userId": uid}
            req = Request(f"https://nexus.shared.cwiq.io/service/rest/v1/security/users/{uid}",
                          data=json.dumps(body).encode(), method="PUT")
            return urlopen(req)
    ''')
    found = lint(src, "u.py")
    assert codes(found) == ["NX601"] * 5
    assert [f.line for f in found] == [12, 16, 20, 23, 28]
    assert lint(fix_text(src, "u.py"), "u.py") == []


def test_nx601_traps():
    src = py('''
        import requests

        USERS = "https://nexus.shared.cwiq.io/service/rest/v1/security/users"

        def later(uid):
            body = {"userId": uid}
            body["source"] = "default"
            requests.put(f"{USERS}/{uid}", json=body)

        def updated(uid):
            body = {"userId": uid}
            body.update(source="default")
            requests.put(f"{USERS}/{uid}", json=body)

        def unknown(uid, body):
            requests.put(f"{USERS}/{uid}", json=body)  # a parameter: not judged

        def spread(uid, base):
            requests.put(f"{USERS}/{uid}", json={**base, "userId": uid})

        def get(uid):
            return requests.get(f"{USERS}/{uid}").json()

        def password(uid):
            requests.put(f"{USERS}/{uid}/change-password", data="s3cret")

        def create(uid):
            requests.post(USERS, json={"userId": uid})

        def print_docs():
            """PUT https://nexus.shared.cwiq.io/service/rest/v1/security/users/{id} needs a source."""
            print("PUT https://nexus.shared.cwiq.io:8443/service/rest/v1/security/users/x with a body")
    ''')
    assert mine(lint(src, "u.py")) == []


def test_nx601_body_assigned_after_the_call_does_not_count():
    src = py('''
        import requests

        def update(uid):
            body = {"userId": uid}
            requests.put(f"https://nexus.shared.cwiq.io/service/rest/v1/security/users/{uid}", json=body)
            body["source"] = "default"
    ''')
    assert codes(lint(src, "u.py")) == ["NX601"]


def test_nx601_module_level_body_and_unknown_host():
    src = py('''
        import os
        import requests

        BASE = os.environ["NEXUS_URL"]
        BODY = {"userId": "svc-ci", "roles": ["nx-ci"]}

        def main():
            requests.put(f"{BASE}/service/rest/v1/security/users/svc-ci", json=BODY)
    ''')
    found = lint(src, "u.py")
    assert where(found) == [("NX601", 8, 5)]
    assert "/service/rest/v1/security/users/svc-ci" in found[0].message


# -- NX601 in shell -----------------------------------------------------------------------------


def test_nx601_curl_forms():
    script = py('''
        N=https://nexus.shared.cwiq.io/service/rest/v1/security/users
        curl -X PUT --data "{\\"userId\\":\\"$U\\",\\"roles\\":[\\"a\\"]}" "$N/$U"
        BODY='{
          "userId": "x",
          "roles": ["nx-admin"]
        }'
        curl -X PUT --json "$BODY" "$N/x"
        curl --request PUT --data-raw '{"userId":"y"}' "$N/y"
        curl -X PUT -d @user.json "$N/z"
        curl -X PUT -d '{"userId": "y", "source": "default"}' "$N/y"
        curl "$N/y"
        curl -X POST -d '{"userId": "y"}' "$N"
    ''')
    assert where(lint(script, "u.sh")) == [("NX601", 2, 1), ("NX601", 7, 1), ("NX601", 8, 1)]
    fixed = fix_text(script, "u.sh")
    assert '--data "{\\"userId\\":\\"$U\\",\\"roles\\":[\\"a\\"],\\"source\\":\\"default\\"}"' in fixed
    assert '  "roles": ["nx-admin"],\n  "source": "default"\n}\'' in fixed
    assert "--data-raw '{\"userId\":\"y\",\"source\":\"default\"}'" in fixed
    assert lint(fixed, "u.sh") == []


def test_nx601_in_dockerfile_run_and_gitlab_ci():
    dockerfile = (
        "FROM nexus.shared.cwiq.io:8444/library/alpine:3.19\n"
        "RUN curl -X PUT -d '{\"userId\": \"ci\"}' https://nexus.shared.cwiq.io/service/rest/v1/security/users/ci\n"
    )
    assert where(lint(dockerfile, "Dockerfile")) == [("NX601", 2, 5)]
    gitlab = (
        "sync:\n"
        "  image: nexus.shared.cwiq.io:8444/library/alpine:3.19\n"
        "  script:\n"
        "    - >-\n"
        "      curl -X PUT -d '{\"userId\": \"ci\"}' https://nexus.shared.cwiq.io/service/rest/v1/security/users/ci\n"
    )
    assert codes(lint(gitlab, ".gitlab-ci.yml")) == ["NX601"]
    assert '"userId": "ci", "source": "default"' in fix_text(gitlab, ".gitlab-ci.yml")


# -- NX602 ------------------------------------------------------------------------------------------


def test_nx602_python_forms():
    src = py('''
        import requests
        import urllib.request
        import json

        USERS = "https://nexus.shared.cwiq.io/service/rest/v1/security/users"

        def chained(user):
            requests.post(USERS, json=user).raise_for_status()

        def named(session, user):
            resp = session.post(USERS, json=user)
            log(resp)
            resp.raise_for_status()

        def with_urllib(user):
            req = urllib.request.Request(USERS, data=json.dumps(user).encode(),
                                         headers={"Content-Type": "application/json"})
            urllib.request.urlopen(req)
    ''')
    found = lint(src, "c.py")
    assert where(found) == [("NX602", 8, 5), ("NX602", 11, 12), ("NX602", 16, 11)]
    assert "`raise_for_status()`" in found[0].message and "`urlopen()`" in found[2].message
    assert all(f.severity == "warning" and f.fix is None for f in found)


def test_nx602_handled_or_not_fatal():
    src = py('''
        import requests
        from requests import HTTPError

        USERS = "https://nexus.shared.cwiq.io/service/rest/v1/security/users"

        def checks_500(user):
            r = requests.post(USERS, json=user)
            if r.status_code == 500 and exists(user["userId"]):
                return
            r.raise_for_status()

        def checks_in_handler(user):
            try:
                requests.post(USERS, json=user).raise_for_status()
            except HTTPError as e:
                if e.response.status_code in (409, 500):
                    return
                raise

        def caught(user):
            try:
                r = requests.post(USERS, json=user)
                r.raise_for_status()
            except requests.RequestException:
                log.warning("could not create %s", user)

        def not_fatal(user):
            r = requests.post(USERS, json=user)
            return r.ok

        def other_response(user):
            r = requests.post(USERS, json=user)
            r = requests.get(USERS)
            r.raise_for_status()

        def update_not_create(user):
            requests.put(USERS + "/x", json={**user}).raise_for_status()
    ''')
    assert mine(lint(src, "c.py")) == []


def test_nx602_match_statement_counts():
    src = py('''
        import requests

        def create(user):
            r = requests.post("https://nexus.shared.cwiq.io/service/rest/v1/security/users", json=user)
            match r.status_code:
                case 500:
                    return
            r.raise_for_status()
    ''')
    assert lint(src, "c.py") == []


def test_nx602_shell():
    script = py('''
        U=https://nexus.shared.cwiq.io/service/rest/v1/security/users
        curl -fsS -X POST --json @jdoe.json "$U"
        curl --fail -X POST --json @jdoe.json "$U" || echo "jdoe may exist already"
        if ! curl -f -X POST --json @jdoe.json "$U"; then lookup jdoe; fi
        curl -X POST --json @jdoe.json "$U"
    ''')
    found = lint(script, "c.sh")
    assert where(found) == [("NX602", 2, 1)]
    assert "`curl -f`" in found[0].message
    assert found[0].related[0].start == script.index("-fsS")
    checked = script + 'code=$(curl -s -o /dev/null -w "%{http_code}" "$U")\nif [ "$code" = 500 ]; then echo ok; fi\n'
    assert lint(checked, "c.sh") == []


def test_nx602_curl_through_subprocess_needs_a_checked_call():
    src = py('''
        import subprocess

        U = "https://nexus.shared.cwiq.io/service/rest/v1/security/users"
        subprocess.run(["curl", "-f", "-X", "POST", "--json", "@u.json", U])
        subprocess.run(["curl", "-f", "-X", "POST", "--json", "@u.json", U], check=True)
        subprocess.check_call(f"curl -f -X POST --json @u.json {U}", shell=True)
    ''')
    assert where(lint(src, "c.py")) == [("NX602", 5, 18), ("NX602", 6, 25)]


def test_suppression_on_the_call_line():
    src = py('''
        import requests

        def create(user):
            r = requests.post(  # nexus-lint: ignore[NX602]
                "https://nexus.shared.cwiq.io/service/rest/v1/security/users", json=user)
            r.raise_for_status()

        def update(uid):
            # nexus-lint: ignore[NX601]
            requests.put(f"https://nexus.shared.cwiq.io/service/rest/v1/security/users/{uid}",
                         json={"userId": uid})
    ''')
    assert lint(src, "s.py") == []
    assert codes(lint(src, "s.py", include_suppressed=True)) == ["NX602", "NX601"]


def test_calls_through_a_wrapper_function_are_read_at_each_call():
    src = py('''
        import os
        import requests


        class NexusClient:
            def __init__(self, url):
                self.url = url.rstrip("/")
                self.session = requests.Session()

            def _request(self, method, path, **kwargs):
                r = self.session.request(method, f"{self.url}/service/rest/v1{path}", **kwargs)
                r.raise_for_status()
                return r

            def update_user(self, user):
                return self._request("PUT", f"/security/users/{user['userId']}", json=user)

            def set_roles(self, uid, roles):
                body = {"userId": uid, "roles": roles}
                return self._request("PUT", f"/security/users/{uid}", json=body)

            def create_user(self, uid):
                return self._request("POST", "/security/users", json={"userId": uid})

            def delete_user(self, uid):
                return self._request("DELETE", f"/security/users/{uid}")


        def put_json(url, payload, timeout=30):
            resp = requests.put(url, json=payload, timeout=timeout)
            resp.raise_for_status()
            return resp


        def main():
            put_json("https://nexus.shared.cwiq.io:8443/service/rest/v1/security/users/jdoe", {"userId": "jdoe"})
            put_json("https://nexus.shared.cwiq.io/service/rest/v1/security/users/jdoe", {"userId": "jdoe", "source": "default"})
    ''')
    found = lint(src, "client.py")
    assert where(found) == [
        ("NX601", line_of(src, 'self._request("PUT", f"/security/users/{uid}"'), 16),
        ("NX602", line_of(src, 'self._request("POST"'), 16),
        ("NX601", line_of(src, 'put_json("https://nexus.shared.cwiq.io:8443'), 5),
        ("NX201", line_of(src, 'put_json("https://nexus.shared.cwiq.io:8443'), 43),
    ]
    assert found[1].related[0].start == src.index("r.raise_for_status()")
    fixed = fix_text(src, "client.py")
    assert 'body = {"userId": uid, "roles": roles, "source": "default"}' in fixed
    assert codes(lint(fixed, "client.py")) == ["NX602"]


# Issue 13: the users API through client wrappers that add /service/rest themselves.
WRAPPED_CLIENT = '''\
import requests


class NexusClient:
    def __init__(self, url, user, password):
        self.base = url.rstrip("/") + "/service/rest"
        self.session = requests.Session()
        self.session.auth = (user, password)

    def _request(self, method, path, **kw):
        r = self.session.request(method, self.base + path, **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code}")
        return r

    def create_user(self, user_id):
        body = {"userId": user_id, "firstName": "A", "lastName": "B", "emailAddress": "a@b.c",
                "password": "x", "status": "active", "roles": ["nx-admin"]}
        return self._request("POST", "/v1/security/users", json=body)

    def update_user(self, user_id):
        data = {"userId": user_id, "firstName": "A", "lastName": "B", "emailAddress": "a@b.c",
                "status": "active", "roles": ["nx-admin"]}
        return self._request("PUT", f"/v1/security/users/{user_id}", json=data)
'''

USERS_ON_ANY_CLIENT = '''\
class Users:
    def __init__(self, client):
        self.client = client

    def disable(self, user_id):
        data = {"userId": user_id, "firstName": "A", "lastName": "B", "emailAddress": "a@b.c",
                "status": "disabled", "roles": ["nx-anonymous"]}
        return self.client.put(f'/v1/security/users/{user_id}', json=data)
'''


def test_users_api_through_a_wrapper_that_raises_on_every_error_status():
    """NX602 for a create whose wrapper treats every status >= 400 alike; NX601
    for an update without "source" through the same wrapper."""
    assert where(lint(WRAPPED_CLIENT, "nexus_client.py")) == [("NX602", 19, 16), ("NX601", 24, 16)]


def test_a_wrapper_that_spares_500_is_no_nx602():
    text = WRAPPED_CLIENT.replace("if r.status_code >= 400:", "if r.status_code >= 400 and r.status_code != 500:")
    assert codes(lint(text, "nexus_client.py")) == ["NX601"]


def test_users_path_without_service_rest_on_any_client_object():
    """``self.client.put('/v1/security/users/{id}')``: the client adds /service/rest."""
    assert where(lint(USERS_ON_ANY_CLIENT, "users.py")) == [("NX601", 8, 16)]
    fixed = fix_text(USERS_ON_ANY_CLIENT, "users.py")
    assert '"roles": ["nx-anonymous"], "source": "default"}' in fixed
    assert lint(fixed, "users.py") == []
