"""The Ansible file kind: recognition, module-aware facts, Jinja, vault, fixes."""

from __future__ import annotations

import json

import pytest

from conftest import codes, fix_text, lint, make_linter, where

LINTER = make_linter()


def kind_of(path: str):
    kind = LINTER.classifier.by_path(path)
    return kind.name if kind is not None else None


# ---------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "roles/web/tasks/main.yml", "ansible/roles/web/tasks/install.yaml", "roles/web/handlers/main.yml",
    "roles/web/defaults/main.yml", "roles/web/vars/RedHat.yml", "group_vars/all.yml", "group_vars/all",
    "inventories/prod/group_vars/web/vars.yml", "host_vars/db1.yml", "site.yml", "playbook-deploy.yml",
    "playbooks/deploy.yml", "inventory.yml", "inventory/hosts.yml", "tasks/main.yml",
])
def test_ansible_paths_are_the_ansible_kind(path):
    assert kind_of(path) == "ansible"


@pytest.mark.parametrize("path, kind", [
    ("deploy.yml", "kubernetes"), ("k8s/deployment.yaml", "kubernetes"), ("docker-compose.yml", "compose"),
    (".gitlab-ci.yml", "gitlab-ci"), (".github/workflows/ci.yml", "github-actions"),
])
def test_other_yaml_keeps_its_kind(path, kind):
    assert kind_of(path) == kind


PLAYBOOK = """\
- hosts: all
  tasks:
    - name: run the app
      community.docker.docker_container:
        name: web
        image: nginx:1.25
"""


def test_a_playbook_under_any_name_is_read_as_ansible():
    # deploy.yml is the catch-all YAML kind's by path; its content makes it a playbook
    assert where(lint(PLAYBOOK, "deploy.yml")) == [("NX101", 6, 16)]
    assert where(lint(PLAYBOOK, "site.yml")) == [("NX101", 6, 16)]


def test_yaml_that_is_no_playbook_is_left_to_the_other_kinds():
    manifest = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: busybox\n"
    assert where(lint(manifest, "site.yml")) == [("NX101", 6, 14)]  # read as a manifest
    data = "hosts:\n  - name: a\n    shell: docker pull redis\n"
    assert lint(data, "config.yml") == []  # a mapping with "hosts": no playbook, no manifest
    assert lint(data, "playbooks/data.yml") == []


def test_a_role_task_list():
    text = """\
- name: fetch
  ansible.builtin.get_url:
    url: http://nexus.shared.cwiq.io/repository/raw-hosted-dev/tool.tgz
    dest: /tmp/tool.tgz
- name: pull
  docker_image:
    name: redis:7
    source: pull
"""
    assert where(lint(text, "roles/app/tasks/main.yml")) == [("NX202", 3, 10), ("NX101", 7, 11)]


# ---------------------------------------------------------------------------
# Modules, FQCN and short names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["docker_image", "community.docker.docker_image"])
def test_docker_image_pull_and_push(module):
    text = f"""\
- hosts: all
  tasks:
    - {module}:
        name: nexus.shared.cwiq.io:8443/orchestrator/app:1
        source: pull
    - {module}:
        name: orchestrator/app:2
        repository: nexus.shared.cwiq.io:8444/orchestrator/app:2
        push: true
        source: build
        build: {{path: .}}
"""
    assert where(lint(text, "site.yml")) == [("NX102", 4, 36), ("NX103", 8, 42)]
    fixed = fix_text(text, "site.yml")
    assert "name: nexus.shared.cwiq.io:8444/orchestrator/app:1" in fixed
    assert "repository: nexus.shared.cwiq.io:8443/orchestrator/app:2" in fixed


def test_docker_image_built_and_not_pushed_is_local():
    text = "- docker_image:\n    name: app:dev\n    source: build\n    build: {path: .}\n"
    assert lint(text, "roles/a/tasks/main.yml") == []


@pytest.mark.parametrize("module", ["containers.podman.podman_container", "podman_container",
                                    "community.docker.docker_container", "docker_swarm_service"])
def test_container_images_are_pulls(module):
    text = f"- name: run\n  {module}:\n    name: db\n    image: postgres:16\n"
    assert codes(lint(text, "roles/a/tasks/main.yml")) == ["NX101"]


def test_podman_image_push_to_dest():
    text = """\
- containers.podman.podman_image:
    name: localhost/app
    path: ./build
    push: true
    push_args:
      dest: nexus.shared.cwiq.io:8444/orchestrator/app
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX103", 6, 34)]


def test_yum_repository_and_dnf():
    text = """\
- ansible.builtin.yum_repository:
    name: nexus
    description: nexus
    baseurl: https://nexus.shared.cwiq.io:8444/repository/yum-group-dev/
- dnf:
    name:
      - http://nexus.shared.cwiq.io/repository/yum-group-dev/x.rpm
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX201", 4, 42), ("NX202", 7, 9)]
    fixed = fix_text(text, "roles/a/tasks/main.yml")
    assert "baseurl: https://nexus.shared.cwiq.io/repository/yum-group-dev/\n" in fixed
    assert "- https://nexus.shared.cwiq.io/repository/yum-group-dev/x.rpm" in fixed


def test_pip_extra_args_go_through_pips_option_parser():
    text = """\
- ansible.builtin.pip:
    name: requests
    extra_args: --index-url https://nexus.shared.cwiq.io/repository/pypi-group/ --no-cache-dir
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX504", 3, 69)]
    assert "pypi-group/simple/ --no-cache-dir" in fix_text(text, "roles/a/tasks/main.yml")


def test_pip_environment_index_url():
    text = """\
- pip:
    name: requests
  environment:
    PIP_INDEX_URL: https://nexus.shared.cwiq.io/repository/pypi-hosted/simple/
"""
    assert codes(lint(text, "roles/a/tasks/main.yml")) == ["NX502"]


def test_npm_registry_and_helm_urls():
    text = """\
- community.general.npm:
    name: left-pad
    registry: https://nexus.shared.cwiq.io:8443/repository/npm-group/
- kubernetes.core.helm_repository:
    name: nexus
    repo_url: http://nexus.shared.cwiq.io/repository/helm-group/
- kubernetes.core.helm:
    name: app
    chart_ref: app/app
    chart_repo_url: https://nexus.shared.cwiq.io:8444/repository/helm-group/
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX201", 3, 43), ("NX202", 6, 15), ("NX201", 10, 49)]


def test_get_url_and_uri_credentials():
    text = """\
- get_url:
    url: https://nexus.shared.cwiq.io/repository/raw-group/x.tgz
    dest: /tmp/x.tgz
    url_username: ci
    url_password: Fake-Passw0rd-4-tests
- uri:
    url: https://nexus.shared.cwiq.io/service/rest/v1/status
    headers:
      Authorization: "Bearer abcdefghijklmnopqrstuvwxyz0123"
"""
    found = lint(text, "roles/a/tasks/main.yml")
    assert where(found) == [("NX401", 5, 19), ("NX401", 9, 30)]
    assert "ansible-vault" in found[0].message and "Fak" in found[0].message
    assert "Passw0rd" not in " ".join(f.message for f in found)


def test_docker_login_password():
    text = """\
- community.docker.docker_login:
    registry_url: nexus.shared.cwiq.io:8443
    username: ci
    password: Fake-Passw0rd-4-tests
- community.docker.docker_login:
    registry_url: nexus.shared.cwiq.io:8443
    username: ci
    password: "{{ lookup('env', 'NEXUS_PASSWORD') }}"
- community.docker.docker_login:
    registry_url: nexus.shared.cwiq.io:8443
    username: ci
    password: "{{ lookup('community.hashi_vault.hashi_vault', 'secret=nexus/ci:password') }}"
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX401", 4, 15)]


def test_uri_user_update_without_source_is_fixed_in_the_yaml_body():
    text = """\
- name: update the user
  ansible.builtin.uri:
    url: https://nexus.shared.cwiq.io/service/rest/v1/security/users/ci
    method: PUT
    body_format: json
    body:
      userId: ci
      emailAddress: ci@example.com
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX601", 2, 3)]
    fixed = fix_text(text, "roles/a/tasks/main.yml")
    assert '    body:\n      "source": "default"\n      userId: ci\n' in fixed
    assert lint(fixed, "roles/a/tasks/main.yml") == []


def test_uri_user_create_without_500():
    text = """\
- uri:
    url: https://nexus.shared.cwiq.io/service/rest/v1/security/users
    method: POST
    body_format: json
    body: {userId: ci, source: default}
"""
    assert codes(lint(text, "roles/a/tasks/main.yml")) == ["NX602"]
    ok = text + "    status_code: [200, 500]\n"
    assert lint(ok, "roles/a/tasks/main.yml") == []


def test_k8s_inline_definition():
    text = """\
- kubernetes.core.k8s:
    state: present
    definition:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - name: web
                image: nexus.shared.cwiq.io:8443/orchestrator/web:1
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX102", 12, 45)]


# ---------------------------------------------------------------------------
# Shell modules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("task", [
    "- shell: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
    "- ansible.builtin.command: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
    "- ansible.builtin.shell:\n    cmd: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
    "- command:\n    argv: [docker, push, nexus.shared.cwiq.io:8444/orchestrator/app:1]\n",
    "- raw: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
    "- shell:\n  args:\n    cmd: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1\n",
])
def test_shell_forms(task):
    found = lint(task, "roles/a/tasks/main.yml")
    assert codes(found) == ["NX103"]
    fixed = fix_text(task, "roles/a/tasks/main.yml")
    assert "nexus.shared.cwiq.io:8443/orchestrator/app:1" in fixed and ":8444" not in fixed


def test_shell_block_scalar_with_task_environment():
    text = """\
- name: publish
  shell: |
    set -e
    twine upload --repository-url "$REPO" dist/*
  environment:
    REPO: https://nexus.shared.cwiq.io/repository/pypi-group/
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX501", 6, 51)]


# ---------------------------------------------------------------------------
# Jinja, vars, vault, lookups
# ---------------------------------------------------------------------------


def test_play_vars_resolve_into_uses_and_the_fix_lands_on_the_literal():
    text = """\
- hosts: all
  vars:
    registry: nexus.shared.cwiq.io:8443
  tasks:
    - docker_container:
        name: app
        image: "{{ registry }}/orchestrator/app:{{ app_version }}"
"""
    found = lint(text, "site.yml")
    assert where(found) == [("NX102", 3, 36)]  # the port of the literal in `vars:`
    assert "    registry: nexus.shared.cwiq.io:8444\n" in fix_text(text, "site.yml")


def test_task_vars_and_block_vars():
    text = """\
- block:
    - shell: "docker pull {{ image }}"
      vars:
        image: python:3.12
  vars:
    image: unused:1
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 4, 16)]


def test_unknown_jinja_is_never_a_literal():
    text = """\
- docker_container:
    name: app
    image: "{{ registry }}/app:1"
- docker_container:
    name: app
    image: "{{ lookup('env', 'IMAGE') }}"
- get_url:
    url: "{{ nexus_url }}/repository/raw-group/x"
    dest: /tmp/x
- shell: "docker pull {{ image | default(omit) }}"
"""
    assert lint(text, "roles/a/tasks/main.yml") == []


def test_unknown_tag_leaves_the_name_to_judge():
    text = "- docker_container:\n    name: app\n    image: \"redis:{{ redis_version }}\"\n"
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 3, 13)]


def test_default_filter_literal_is_used():
    text = "- docker_container:\n    name: app\n    image: \"{{ app_image | default('redis:7') }}\"\n"
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 3, 37)]


def test_vault_and_lookups_are_references():
    text = """\
nexus_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  62313365396662343061393464336163383764373764613633653634306231386433626436623361
  6231333653966623430613934643361633837643737646136336536343062313864336264366233
nexus_token: "{{ lookup('env', 'NEXUS_TOKEN') }}"
db_password: "{{ lookup('hashi_vault', 'secret=db:password') }}"
api_secret: "{{ vault_api_secret }}"
"""
    assert lint(text, "group_vars/all.yml") == []


def test_literal_passwords_in_vars_files():
    text = "nexus_user: ci\nnexus_password: Fake-Passw0rd-4-tests\nansible_become_password: hunter2\n"
    for path in ("group_vars/all.yml", "group_vars/all", "host_vars/db1.yml", "roles/a/defaults/main.yml",
                 "roles/a/vars/main.yml"):
        found = lint(text, path)
        assert where(found) == [("NX401", 2, 17), ("NX401", 3, 26)], path


def test_play_vars_password():
    text = "- hosts: db\n  vars:\n    db_password: Fake-Passw0rd-4-tests\n  roles: [db]\n"
    assert where(lint(text, "site.yml")) == [("NX401", 3, 18)]


def test_a_whole_vault_file_is_nothing():
    text = "$ANSIBLE_VAULT;1.1;AES256\n6231336539666234306139346433616338376437376461363365363430623138\n"
    assert lint(text, "group_vars/all/vault.yml") == []


def test_vars_file_urls():
    text = "nexus_pypi_url: http://nexus.shared.cwiq.io/repository/pypi-group/simple/\n"
    assert where(lint(text, "group_vars/all.yml")) == [("NX202", 1, 17)]


def test_inventory_yaml():
    text = """\
all:
  hosts:
    web1:
      ansible_host: 10.0.0.1
  vars:
    ansible_password: Fake-Passw0rd-4-tests
"""
    assert where(lint(text, "inventory.yml")) == [("NX401", 6, 23)]


# ---------------------------------------------------------------------------
# Comments, broken files, encodings
# ---------------------------------------------------------------------------


def test_suppression_comments():
    text = """\
- docker_container:
    name: app
    image: redis:7  # nexus-lint: ignore[NX101]
# nexus-lint: ignore[NX101]
- shell: docker pull redis:7
- shell: |
    # nexus-lint: ignore[NX101]
    docker pull redis:7
    docker pull postgres:16
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 9, 17)]
    assert len(lint(text, "roles/a/tasks/main.yml", include_suppressed=True)) == 4


def test_comments_are_not_read():
    text = "# - docker_container: {image: redis:7}\n- debug: msg=hello  # docker pull redis:7\n"
    assert lint(text, "roles/a/tasks/main.yml") == []


def test_broken_yaml_is_nx000_at_its_position():
    text = "- hosts: all\n  tasks:\n    - shell: [docker pull\n"
    found = lint(text, "site.yml")
    assert codes(found) == ["NX000"]
    assert found[0].line == 4
    assert codes(lint("- name: x\n  shell: 'a\n", "roles/a/tasks/main.yml")) == ["NX000"]
    # a broken playbook under any name too; a broken file that is no playbook stays silent
    assert codes(lint(text, "deploy.yml")) == ["NX000"]
    assert lint("a: [b\n", "playbooks/x.yml") == []


def test_crlf_and_unicode():
    text = ("# déploiement ✓\r\n- hosts: all\r\n  vars:\r\n    reg: nexus.shared.cwiq.io:8443\r\n  tasks:\r\n"
            "    - name: «pull» 🚀\r\n      docker_image:\r\n        name: \"{{ reg }}/orchestrator/app:1\"\r\n"
            "        source: pull\r\n")
    assert where(lint(text, "site.yml")) == [("NX102", 4, 31)]
    fixed = fix_text(text, "site.yml")
    assert fixed == text.replace(":8443", ":8444")


def test_json_output_points_at_the_literal(cli, tmp_path):
    (tmp_path / "roles" / "a" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "a" / "tasks" / "main.yml").write_text(
        "- docker_container:\n    name: a\n    image: redis:7\n", encoding="utf-8")
    result = cli(["check", "--format", "json", "."], cwd=tmp_path)
    assert result.code == 1
    data = json.loads(result.out)
    assert [(f["code"], f["filename"], f["location"]) for f in data] == [
        ("NX101", "roles/a/tasks/main.yml", {"row": 3, "column": 12})]
    assert data[0]["fix"]["edits"][0]["content"] == "nexus.shared.cwiq.io:8444/library/redis"


def test_a_container_of_an_image_built_in_the_file_is_no_pull():
    text = """\
- docker_image:
    name: app
    source: build
    build: {path: /src}
- docker_container:
    name: app
    image: app:latest
- docker_container:
    name: cache
    image: redis:7
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 10, 12)]


def test_a_number_about_a_token_is_no_secret():
    text = "fernet_token_allow_expired_window: 172800\nnexus_token: 1234567890\n"
    assert where(lint(text, "group_vars/all.yml")) == [("NX401", 2, 14)]


def test_a_root_role_task_list_with_short_module_names():
    text = "- name: vars\n  include_vars: main.yml\n- name: pull\n  docker_image: {name: redis, source: pull}\n"
    assert where(lint(text, "tasks/main.yml")) == [("NX101", 4, 24)]
    assert where(lint("- name: bob\n  uid: 1\n", "tasks/users.yml")) == []


def test_an_environment_value_with_jinja_is_unknown_to_the_shell():
    text = """\
- shell: docker pull "$IMAGE" && docker pull "$BASE"
  environment:
    IMAGE: "{{ registry }}/app:1"
    BASE: "python:{{ py }}"
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == []


def test_action_and_key_value_forms():
    text = """\
- action: shell docker pull redis:7
- get_url: url=http://nexus.shared.cwiq.io/repository/raw-group/x.tgz dest=/tmp/x.tgz
- local_action:
    module: ansible.builtin.command
    cmd: docker pull postgres:16
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 1, 29), ("NX202", 2, 16), ("NX101", 5, 22)]


def test_role_defaults_and_vars_feed_the_role_tasks(cli, tmp_path):
    from conftest import write_tree

    write_tree(tmp_path, {
        "roles/app/defaults/main.yml": "app_registry: nexus.shared.cwiq.io:8444\napp_image: redis:7\n",
        "roles/app/vars/main.yml": "app_registry: nexus.shared.cwiq.io:8443\n",  # vars win over defaults
        "roles/app/tasks/main.yml": (
            "- community.docker.docker_image:\n"
            "    name: \"{{ app_registry }}/orchestrator/app:1\"\n"
            "    source: pull\n"
            "- community.docker.docker_container:\n"
            "    name: app\n"
            "    image: \"{{ app_image }}\"\n"
            "  vars:\n"
            "    app_image: nexus.shared.cwiq.io:8444/library/redis:7\n"  # task vars win over the role's
        ),
    })
    result = cli(["check", "roles/app/tasks/main.yml"], cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if ": NX" in line]
    # the value stands in another file: the finding points at the use, with no fix
    assert len(lines) == 1 and lines[0].startswith("roles/app/tasks/main.yml:2:12: NX102"), result.out
    assert "fix (" not in result.out


def test_set_fact_literals_feed_later_tasks():
    text = """\
- ansible.builtin.set_fact:
    pip_index: https://nexus.shared.cwiq.io/repository/pypi-group/
- ansible.builtin.pip:
    name: requests
    extra_args: "--index-url {{ pip_index }}"
"""
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX504", 2, 56)]
    assert "pypi-group/simple/\n" in fix_text(text, "roles/a/tasks/main.yml")


def test_a_suppression_above_a_vars_literal():
    text = """\
- hosts: all
  vars:
    # nexus-lint: ignore[NX102]
    registry: nexus.shared.cwiq.io:8443
  tasks:
    - docker_image: {name: "{{ registry }}/orchestrator/app:1", source: pull}
"""
    assert lint(text, "site.yml") == []
    assert codes(lint(text, "site.yml", include_suppressed=True)) == ["NX102"]


def test_free_form_parameters_are_no_arguments():
    text = "- command: docker push nexus.shared.cwiq.io:8444/orchestrator/app:1 chdir=/srv creates=/tmp/x\n"
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX103", 1, 45)]
    assert fix_text(text, "roles/a/tasks/main.yml") == text.replace(":8444", ":8443")
    # Ansible takes them out wherever they stand: the image is the word after them
    text = "- command: docker pull creates=/srv/done redis:7\n"
    assert where(lint(text, "roles/a/tasks/main.yml")) == [("NX101", 1, 42)]
