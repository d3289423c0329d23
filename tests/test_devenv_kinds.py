"""Developer-machine files (issue 16 items 4-7): dev containers, ``.env`` files,
Pipfile, conda ``environment.yml`` and ``.condarc``, ``setup.cfg``,
``tox.ini``, classic ``.yarnrc`` and ``bunfig.toml``.  Each violation is found
at its literal and fixed where the rule has a fix; comments, quoting, CRLF,
unicode and broken files are the traps."""

from __future__ import annotations

import pytest

from conftest import codes, fix_text, lint, where, write_tree

N = "nexus.shared.cwiq.io"
R = f"https://{N}/repository"


def at(text, needle, nth=1):
    """1-based (line, column) of the nth occurrence of ``needle``."""
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def expect(text, *items):
    out = [(rule, *at(text, needle, *rest)) for rule, needle, *rest in items]
    return sorted(out, key=lambda x: (x[1], x[2], x[0]))


def found(text, name):
    return sorted(where(lint(text, name)), key=lambda x: (x[1], x[2], x[0]))


# ---------------------------------------------------------------------------
# dev containers
# ---------------------------------------------------------------------------

DC = ".devcontainer/devcontainer.json"


def test_devcontainer_docker_hub_image_with_comments_and_trailing_commas():
    text = (
        "// the team's dev container\n"
        "{\n"
        '  "name": "app", /* a block comment */\n'
        '  "image": "python:3.11-slim",\n'
        '  "customizations": {"vscode": {"extensions": ["ms-python.python",],},},\n'
        "}\n"
    )
    assert found(text, DC) == expect(text, ("NX101", "python:3.11-slim"))
    assert f'"image": "{N}:8444/library/python:3.11-slim",' in fix_text(text, DC)
    assert fix_text(text, DC).startswith("// the team's dev container\n{\n")


@pytest.mark.parametrize("name", [".devcontainer.json", ".devcontainer/python/devcontainer.json",
                                  "services/api/.devcontainer/devcontainer.json"])
def test_devcontainer_file_names(name):
    assert codes(lint('{"image": "node:20"}', name)) == ["NX101"]


def test_devcontainer_build_args_features_and_env():
    text = (
        "{\n"
        '  "build": {"dockerfile": "Dockerfile", "args": {"BASE_IMAGE": "ubuntu:22.04", "VARIANT": "3.11"}},\n'
        '  "features": {\n'
        '    "ghcr.io/devcontainers/features/node:1": {},\n'
        f'    "{N}:8443/devcontainer-features/tools:1": {{"version": "latest"}},\n'
        '    "./local-feature": {}\n'
        "  },\n"
        f'  "containerEnv": {{"NEXUS_PASSWORD": "Fake-Passw0rd-4-tests", "PIP_INDEX_URL": "{R}/pypi-group"}},\n'
        '  "remoteEnv": {"NEXUS_TOKEN": "${localEnv:NEXUS_TOKEN}"}\n'
        "}\n"
    )
    assert found(text, DC) == expect(text, ("NX101", "ubuntu:22.04"), ("NX102", "8443"),
                                     ("NX401", "Fake-Passw0rd"), ("NX504", "pypi-group"))
    fixed = fix_text(text, DC)
    assert f'"BASE_IMAGE": "{N}:8444/library/ubuntu:22.04"' in fixed
    assert f'"{N}:8444/devcontainer-features/tools:1"' in fixed
    assert f'"{R}/pypi-group/simple/"' in fixed
    assert '"VARIANT": "3.11"' in fixed


def test_devcontainer_lifecycle_commands_string_array_and_object_forms():
    text = (
        "{\n"
        '  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",\n'
        '  "postCreateCommand": "docker pull redis:7 && pip install -i http://' + N + '/repository/pypi-group/simple/ x",\n'
        '  "postStartCommand": ["docker", "pull", "postgres:16"],\n'
        '  "postAttachCommand": {"cache": "docker pull alpine:3", "db": ["docker", "pull", "mysql:8"]},\n'
        '  "initializeCommand": "echo hi"\n'
        "}\n"
    )
    assert found(text, DC) == expect(text, ("NX101", "redis:7"), ("NX202", "http://"), ("NX101", "postgres:16"),
                                     ("NX101", "alpine:3"), ("NX101", "mysql:8"))
    fixed = fix_text(text, DC)
    assert f'["docker", "pull", "{N}:8444/library/postgres:16"]' in fixed
    assert f'"db": ["docker", "pull", "{N}:8444/library/mysql:8"]' in fixed
    assert f"-i https://{N}/repository/pypi-group/simple/ x" in fixed


def test_devcontainer_suppression_comments():
    text = (
        "{\n"
        '  // nexus-lint: ignore[NX101]\n'
        '  "image": "python:3.11",\n'
        '  "postStartCommand": "docker pull redis:7" /* nexus-lint: ignore[NX101] */\n'
        "}\n"
    )
    assert lint(text, DC) == []
    assert codes(lint(text, DC, include_suppressed=True)) == ["NX101", "NX101"]


def test_devcontainer_broken_files_are_nx000_at_their_position():
    text = '{\n  "image": "python:3.11"\n  "name": "x"\n}\n'
    assert found(text, DC) == [("NX000", 3, 3)]
    assert found('{"image": "python:3.11", /* unterminated\n', DC) == [("NX000", 1, 26)]
    assert found('{"image": "python:3.11",,}', DC) == [("NX000", 1, 25)]


def test_devcontainer_crlf_unicode_and_escapes():
    text = '{\r\n  "name": "Entwicklung \u00fc\u00e9 \U0001f680",\r\n  "image": "node:20"\r\n}\r\n'
    assert found(text, DC) == [("NX101", 3, 13)]
    assert fix_text(text, DC) == text.replace("node:20", f"{N}:8444/library/node:20")
    # an escaped character has no place in the file: the fix edits only the characters around it
    escaped = '{"image": "node\\u003a20"}'
    assert codes(lint(escaped, DC)) == ["NX101"]
    assert fix_text(escaped, DC) == '{"image": "%s:8444/library/node\\u003a20"}' % N


def test_devcontainer_cli_variables_stay_unknown():
    text = '{"image": "${localEnv:REGISTRY}/app:1", "containerEnv": {"TOKEN": "${localEnv:TOKEN}"}}'
    assert lint(text, DC) == []


# ---------------------------------------------------------------------------
# .env files
# ---------------------------------------------------------------------------


def test_dotenv_password_and_wrong_index_found_and_fixed():
    text = (
        "# service settings\n"
        "export NEXUS_PASSWORD=Fake-Passw0rd-4-tests\n"
        f"PIP_INDEX_URL=\"http://{N}:8443/repository/pypi-group\"\n"
        f"UV_EXTRA_INDEX_URL='{R}/pypi-proxy/simple/'\n"
        "APP_IMAGE=python:3.12   # the base\n"
    )
    assert found(text, ".env") == expect(text, ("NX401", "Fake-Passw0rd"), ("NX202", "http://"), ("NX201", ":8443"),
                                         ("NX504", "pypi-group"), ("NX101", "python:3.12"))
    fixed = fix_text(text, ".env")
    assert f'PIP_INDEX_URL="https://{N}/repository/pypi-group/simple/"' in fixed
    assert f"APP_IMAGE={N}:8444/library/python:3.12   # the base" in fixed
    assert "export NEXUS_PASSWORD=Fake-Passw0rd-4-tests" in fixed  # NX401's fix is unsafe


@pytest.mark.parametrize("name", [".env", ".env.local", ".env.production", "prod.env", "config/.env.staging"])
def test_dotenv_file_names(name):
    assert codes(lint(f"PIP_INDEX_URL=http://{N}/repository/pypi-group/simple/\n", name)) == ["NX202"]


@pytest.mark.parametrize("name", [".env.js", ".env.d.ts", ".env.yml", ".envrc"])
def test_other_languages_files_named_env_are_not_dotenv(name):
    from conftest import make_linter

    kind = make_linter().classifier.by_path(name)
    assert kind is None or kind.name != "dotenv"


def test_dotenv_keys_say_what_a_url_is():
    text = (
        f"MY_INDEX_URL={R}/pypi-group\n"  # an index by its name: NX504
        f"MY_EXTRA_INDEX_URL={R}/pypi-proxy\n"
        f"NPM_CONFIG_REGISTRY=https://{N}:8444/repository/npm-group/\n"
        f"HOMEPAGE=https://{N}:8444/\n"  # a link: not an install
        f"DOCS_URL={R}/pypi-group\n"
    )
    assert found(text, ".env") == expect(text, ("NX504", "pypi-group"), ("NX504", "pypi-proxy"), ("NX201", ":8444"))


def test_dotenv_quoting_multiline_and_variables():
    text = (
        "A='single $NOPE # not a comment'\n"
        'CERT="-----BEGIN CERTIFICATE-----\n'
        "MIIB\n"
        '-----END CERTIFICATE-----"\n'
        f"REGISTRY={N}\n"
        "WEB_IMAGE=${REGISTRY}:8443/orchestrator/web:1\n"
        'B="escaped \\" quote"  # trailing comment\n'
    )
    # the host of WEB_IMAGE came through ${REGISTRY}: the finding is on the port literal of the use
    assert found(text, ".env") == expect(text, ("NX102", "8443"))
    assert fix_text(text, ".env") == text.replace(":8443/", ":8444/")


def test_dotenv_templates_use_the_placeholder_rules():
    text = (
        "DB_PASSWORD=secret\n"
        "API_TOKEN=your-token-here\n"
        "NEXUS_PASSWORD=changeme\n"
        "ADMIN_PASSWORD=admin123\n"
        "GITHUB_TOKEN=" + "ghp_" + "Q" * 36 + "\n"
    )
    for name in (".env.example", ".env.sample", ".env.template"):
        assert found(text, name) == expect(text, ("NX401", "admin123"), ("NX401", "ghp_")), name
    assert found(text, ".env") == expect(text, ("NX401", "secret"), ("NX401", "admin123"), ("NX401", "ghp_"))


def test_dotenv_suppression_comments():
    text = (
        "# nexus-lint: ignore[NX401]\n"
        "NEXUS_PASSWORD=Fake-Passw0rd-4-tests\n"
        "API_TOKEN=Fake-T0ken-4-tests # nexus-lint: ignore[NX401]\n"
        'OTHER_TOKEN="Fake-T0ken-4-tests" # nexus-lint: ignore[NX101]\n'
    )
    assert found(text, ".env") == expect(text, ("NX401", "Fake-T0ken-4-tests", 2))


def test_dotenv_crlf_unicode_and_broken_lines():
    text = "# caf\u00e9 \u2615\r\nNAME=\u00fcml\u00e4ut \U0001f680\r\nAPP_IMAGE=node:20\r\n"
    assert found(text, ".env") == [("NX101", 3, 11)]
    assert fix_text(text, ".env") == text.replace("node:20", f"{N}:8444/library/node:20")
    broken = "GOOD=1\nthis is not an assignment\nAPP_IMAGE=node:20\n"
    assert found(broken, ".env") == [("NX000", 2, 1), ("NX101", 3, 11)]
    unclosed = 'A=1\nB="never closed\nC=2\n'
    assert found(unclosed, ".env") == [("NX000", 2, 3)]
    assert lint("INHERITED\nexport ALSO\n.VITE_APP_URL= 'https://example.com'\n", ".env") == []
    assert found("set -x PG_PASSWORD ''\n", ".env.example") == [("NX000", 1, 1)]  # a fish script: no reader loads it


def test_compose_still_reads_the_env_file_next_to_it(tmp_path, cli):
    write_tree(tmp_path, {
        ".env": "TAG=3.12\nBASE='python'\n",
        "compose.yml": "services:\n  app:\n    image: ${BASE}:${TAG}\n",
    })
    result = cli(["check", "--no-cache", "compose.yml"], cwd=tmp_path)
    assert "compose.yml:3:12: NX101" in result.out


# ---------------------------------------------------------------------------
# Python packaging configs
# ---------------------------------------------------------------------------


def test_pipfile_source_found_and_fixed():
    text = (
        "[[source]]\n"
        f'url = "http://{N}:8443/repository/pypi-group/simple"  # nexus\n'
        "verify_ssl = true\n"
        'name = "nexus"\n\n'
        "[packages]\nrequests = \"*\"\n"
    )
    assert found(text, "Pipfile") == expect(text, ("NX202", "http://"), ("NX201", ":8443"))
    assert f'url = "https://{N}/repository/pypi-group/simple"  # nexus' in fix_text(text, "Pipfile")


def test_pipfile_suppression_env_vars_and_broken_toml():
    text = (
        "[[source]]\n"
        f'url = "http://{N}/repository/pypi-group/simple"  # nexus-lint: ignore[NX202]\n'
        "[[source]]\n"
        'url = "https://${NEXUS_HOST}/repository/pypi-group/simple"\n'
    )
    assert lint(text, "Pipfile") == []
    assert found('[[source]]\nurl = "x\n', "Pipfile") == [("NX000", 2, 1)]


def test_conda_environment_pip_index_and_channels():
    text = (
        "name: app\n"
        "channels:\n"
        f"  - https://{N}:8444/repository/conda-proxy/main  # nexus-lint: ignore[NX202]\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - pip\n"
        "  - pip:\n"
        f"    - --index-url {R}/pypi-group\n"
        f"    - --extra-index-url=http://{N}/repository/pypi-proxy/simple/\n"
        f"    - -i {R}/pypi-group/simple/\n"
        "    - requests==2.*\n"
    )
    assert found(text, "environment.yml") == expect(text, ("NX201", ":8444"), ("NX504", "pypi-group"),
                                                    ("NX202", "http://"))
    fixed = fix_text(text, "environment.yml")
    assert f"  - https://{N}/repository/conda-proxy/main  #" in fixed
    assert f"    - --index-url {R}/pypi-group/simple/\n" in fixed
    assert f"    - --extra-index-url=https://{N}/repository/pypi-proxy/simple/\n" in fixed
    assert codes(lint("name: x\nchannels: [\n", "environment.yaml")) == ["NX000"]


def test_condarc_channels():
    text = (
        "# conda through Nexus\n"
        f"channel_alias: https://{N}:8443/repository/conda\n"
        "channels:\n"
        f"  - http://{N}/repository/conda-group/\n"
        "  - defaults\n"
        "default_channels:\n"
        f"  - {R}/conda-main/\n"
        "custom_channels:\n"
        f"  internal: https://{N}:8444/repository/\n"
        "custom_multichannels:\n"
        f"  team: [https://{N}:8444/repository/conda-team]\n"
    )
    assert found(text, ".condarc") == expect(text, ("NX201", ":8443"), ("NX202", "http://"), ("NX201", ":8444"),
                                             ("NX201", ":8444", 2))
    fixed = fix_text(text, ".condarc")
    assert f"channel_alias: {R}/conda\n" in fixed and f"  internal: {R}/\n" in fixed
    assert f"  - {R}/conda-group/\n" in fixed


def test_setup_cfg_easy_install():
    text = (
        "[metadata]\nname = app\n\n"
        "[easy_install]\n"
        f"index_url = {R}/pypi-group\n"
        f"find_links = http://{N}/repository/raw-hosted/wheels/\n"
    )
    assert found(text, "setup.cfg") == expect(text, ("NX504", "pypi-group"), ("NX202", "http://"))
    fixed = fix_text(text, "setup.cfg")
    assert f"index_url = {R}/pypi-group/simple/\n" in fixed
    assert f"find_links = {R}/raw-hosted/wheels/\n" in fixed
    suppressed = "[easy_install]\n# nexus-lint: ignore[NX504]\n" + f"index_url = {R}/pypi-group\n"
    assert lint(suppressed, "setup.cfg") == []
    assert found("[easy_install]\nindex_url = a\nindex_url = b\n", "setup.cfg")[0][0] == "NX000"


def test_tox_ini_indexserver_install_command_setenv_and_deps():
    text = (
        "[tox]\n"
        "indexserver =\n"
        f"    default = http://{N}/repository/pypi-group/simple\n"
        "\n[testenv]\n"
        f"install_command = pip install --index-url https://{N}:8443/repository/pypi-group/simple {{opts}} {{packages}}\n"
        "setenv =\n"
        f"    PIP_EXTRA_INDEX_URL = {R}/pypi-proxy\n"
        "    NEXUS_PASSWORD = Fake-Passw0rd-4-tests\n"
        "deps =\n"
        f"    -i {R}/pypi-group\n"
        "    pytest\n"
    )
    assert found(text, "tox.ini") == expect(text, ("NX202", "http://"), ("NX201", ":8443"), ("NX504", "pypi-proxy"),
                                            ("NX401", "Fake-Passw0rd"), ("NX504", "pypi-group", 3))
    fixed = fix_text(text, "tox.ini")
    assert f"--index-url {R}/pypi-group/simple {{opts}}" in fixed
    assert f"PIP_EXTRA_INDEX_URL = {R}/pypi-proxy/simple/\n" in fixed


# ---------------------------------------------------------------------------
# npm family
# ---------------------------------------------------------------------------


def test_classic_yarnrc_registry_scopes_and_tokens():
    text = (
        "# yarn lockfile v1\n"
        f'registry "https://{N}:8443/repository/npm-group/"\n'
        f'"@acme:registry" "http://{N}/repository/npm-private/"  # nexus-lint: ignore[NX202]\n'
        f'"//{N}/repository/npm-group/:_authToken" "Fake-T0ken-4-tests"\n'
        "lastUpdateCheck 1700000000000\n"
        "--install.frozen-lockfile true\n"
    )
    assert found(text, ".yarnrc") == expect(text, ("NX201", ":8443"), ("NX401", "Fake-T0ken"))
    assert f'registry "{R}/npm-group/"\n' in fix_text(text, ".yarnrc")
    assert codes(lint(f"registry https://{N}:8444/repository/npm-group/\r\n", ".yarnrc")) == ["NX201"]
    assert found('registry "https://never-closed\n', ".yarnrc") == [("NX000", 1, 10)]


def test_bunfig_registry_forms():
    text = (
        "[install]\n"
        f'registry = {{ url = "https://{N}:8444/repository/npm-group/", token = "Fake-T0ken-4-tests" }}\n'
        "\n[install.scopes]\n"
        f'acme = "http://{N}/repository/npm-acme/"\n'
        'other = { url = "https://registry.example.com/", token = "$OTHER_TOKEN" }\n'
    )
    assert found(text, "bunfig.toml") == expect(text, ("NX201", ":8444"), ("NX401", "Fake-T0ken"), ("NX202", "http://"))
    fixed = fix_text(text, "bunfig.toml")
    assert f'url = "{R}/npm-group/"' in fixed and f'acme = "{R}/npm-acme/"' in fixed
    assert codes(lint("[install]\nregistry = \n", "bunfig.toml")) == ["NX000"]


def test_npmrc_pnpm_keys_are_read():
    text = f"registry=https://{N}:8443/repository/npm-group/\n@acme:registry=http://{N}/repository/npm-acme/\n"
    assert found(text, ".npmrc") == expect(text, ("NX201", ":8443"), ("NX202", "http://"))


def test_a_repository_with_every_kind_lints_clean_after_fix(tmp_path, cli):
    write_tree(tmp_path, {
        ".devcontainer/devcontainer.json": '{\n  // dev\n  "image": "python:3.11",\n}\n',
        ".env": f"NEXUS_PASSWORD=${{NEXUS_PASSWORD}}\nPIP_INDEX_URL=http://{N}:8443/repository/pypi-group\n",
        "Pipfile": f'[[source]]\nurl = "http://{N}/repository/pypi-group/simple"\nname = "n"\n',
        "environment.yml": f"dependencies:\n  - pip:\n    - --index-url https://{N}:8444/repository/pypi-group/simple/\n",
        ".condarc": f"channel_alias: http://{N}/repository/conda\n",
        "setup.cfg": f"[easy_install]\nindex_url = {R}/pypi-group\n",
        ".yarnrc": f'registry "https://{N}:8443/repository/npm-group/"\n',
        "bunfig.toml": f'[install]\nregistry = "http://{N}/repository/npm-group/"\n',
    })
    first = cli(["check", "--no-cache", "--fix", "."], cwd=tmp_path)
    assert first.code == 0, first.out
    again = cli(["check", "--no-cache", "."], cwd=tmp_path)
    assert again.code == 0 and "Found" not in again.out.replace("Found 0", ""), again.out
    assert (tmp_path / ".devcontainer/devcontainer.json").read_text() == (
        f'{{\n  // dev\n  "image": "{N}:8444/library/python:3.11",\n}}\n')
