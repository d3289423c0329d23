"""Terraform / HCL files (issue 15, item 3): images, URLs, credentials and shell in
``*.tf``, ``*.tfvars`` and ``*.hcl``, at the literal, with the rules' fixes."""

from __future__ import annotations

from conftest import codes, fix_text, lint, where, write_tree
from nexus_lint.lang import hcl

HOST = "nexus.shared.cwiq.io"


def finding(text, name="main.tf", rule=None):
    found = [f for f in lint(text, name) if rule is None or f.rule.id == rule]
    assert len(found) == 1, [(f.rule.id, f.message) for f in found]
    return found[0]


# -- the reader ---------------------------------------------------------------


def test_reader_keeps_offsets_of_escapes_interpolations_and_unicode():
    text = 'a = "é${var.b}c\\"d $${e}"\n'
    doc = hcl.read(text)
    assert doc.problem is None
    (tpl,) = doc.strings
    value = tpl.value()
    assert value.text == 'é${var.b}c"d ${e}'
    assert [text[o] if o >= 0 else None for o in value.offsets] == (
        ["é"] + [None] * 8 + ["c", '"', "d", " ", "$", "{", "e", "}"])
    assert [i.expression for i in tpl.interps] == ["var.b"]


def test_reader_heredocs_plain_and_indented_with_crlf():
    text = 'a = <<EOT\r\n  x\r\nEOT\r\nb = <<-EOT\r\n    y ${z}\r\n      w\r\n    EOT\r\n'
    doc = hcl.read(text)
    assert doc.problem is None
    a, b = doc.strings
    assert a.value().text == "  x\n"
    assert b.value().text == "y ${z}\n  w\n"
    assert text[b.value().offsets[0]] == "y"


def test_reader_blocks_attributes_objects_and_comments():
    doc = hcl.read('# one\nresource "x" "y" { // two\n  m = { "k" = "v", k2 = [1] } /* three */\n  r = var.x\n}\n')
    (block,) = doc.blocks()
    assert (block.type, block.labels) == ("resource", ["x", "y"])
    assert block.attr("m").get("k").string.value().text == "v"
    assert block.attr("r").kind == "ref" and block.attr("r").name == "var.x"
    assert [c.text for c in doc.comments] == ["# one", "// two", "/* three */"]


def test_reader_reports_the_first_error_where_it_is():
    doc = hcl.read('resource "x" "y" {\n  a = "b\n}\n')
    msg, start, _end = doc.problem
    assert "not closed" in msg and start == 25


# -- images ---------------------------------------------------------------------


def test_docker_image_name_is_a_pull_and_fixed_at_the_literal():
    text = 'resource "docker_image" "app" {\n  name = "python:3.11"\n}\n'
    f = finding(text)
    assert (f.rule.id, f.line, f.column) == ("NX101", 2, 11)
    assert "docker_image name" in f.message
    assert fix_text(text, "main.tf") == text.replace("python:3.11", f"{HOST}:8444/library/python:3.11")


def test_docker_image_with_a_build_block_is_a_local_build():
    assert lint('resource "docker_image" "app" {\n  name = "app:1"\n  build {\n    context = "."\n  }\n}\n',
                "main.tf") == []


def test_docker_registry_image_is_a_push_on_the_push_port():
    text = f'resource "docker_registry_image" "app" {{\n  name = "{HOST}:8444/orchestrator/app:1"\n}}\n'
    f = finding(text)
    assert (f.rule.id, f.line) == ("NX103", 2) and "docker_registry_image name" in f.message
    assert fix_text(text, "main.tf") == text.replace(":8444", ":8443")


def test_kubernetes_container_image_and_interpolated_tag():
    text = ('resource "kubernetes_deployment" "d" {\n  spec {\n    template {\n      spec {\n'
            '        container {\n          image = "nginx:${var.tag}"\n        }\n      }\n    }\n  }\n}\n')
    assert where(lint(text, "main.tf")) == [("NX101", 6, 20)]
    assert "kubernetes_deployment image" in lint(text, "main.tf")[0].message


def test_an_interpolated_name_is_not_judged():
    assert lint('resource "kubernetes_pod" "p" {\n  spec {\n    container {\n      image = "${var.registry}/app:1"\n'
                '    }\n  }\n}\n', "main.tf") == []


def test_ecs_container_definitions_jsonencode_and_json_heredoc():
    text = ('resource "aws_ecs_task_definition" "a" {\n'
            '  container_definitions = jsonencode([{ name = "a", image = "redis:7" }])\n}\n'
            'resource "aws_ecs_task_definition" "b" {\n  container_definitions = <<EOF\n'
            f'[{{"name": "b", "image": "{HOST}:8443/orchestrator/b:1"}}]\nEOF\n}}\n')
    assert where(lint(text, "main.tf")) == [("NX101", 2, 62), ("NX102", 6, 47)]
    fixed = fix_text(text, "main.tf")
    assert f'image = "{HOST}:8444/library/redis:7"' in fixed and f'"{HOST}:8444/orchestrator/b:1"' in fixed


def test_nomad_job_config_image():
    text = 'job "web" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n' \
           '        image = "redis:7"\n      }\n    }\n  }\n}\n'
    f = finding(text, "web.nomad.hcl")
    assert (f.rule.id, f.line, f.column) == ("NX101", 6, 18) and "nomad job image" in f.message


def test_machine_images_are_not_container_images():
    text = ('resource "google_compute_instance" "vm" {\n  boot_disk {\n    initialize_params {\n'
            '      image = "debian-cloud/debian-11"\n    }\n  }\n}\n'
            'resource "digitalocean_droplet" "d" {\n  image = "ubuntu-20-04-x64"\n}\n'
            'module "m" {\n  image = "ubuntu-22.04"\n}\n')
    assert lint(text, "main.tf") == []


def test_module_input_and_variable_default_that_look_like_images():
    text = 'module "m" {\n  image = "nginx:1.25"\n}\nvariable "app_image" {\n  default = "redis:7"\n}\n'
    assert where(lint(text, "main.tf")) == [("NX101", 2, 12), ("NX101", 5, 14)]


def test_tfvars_image():
    assert where(lint('image = "alpine:3.19"\n', "prod.tfvars")) == [("NX101", 1, 10)]


# -- URLs -------------------------------------------------------------------------


def test_helm_release_repository_installs_from_it():
    text = f'resource "helm_release" "r" {{\n  repository = "http://{HOST}/repository/helm-hosted/"\n}}\n'
    found = lint(text, "main.tf")
    assert sorted(codes(found)) == ["NX202", "NX502"]
    assert all("helm_release.repository" in f.message for f in found)
    assert f'"https://{HOST}/repository/helm-hosted/"' in fix_text(text, "main.tf")


def test_any_nexus_url_in_any_string():
    text = f'locals {{\n  pypi = "https://{HOST}:8443/repository/pypi-group/simple"\n}}\n'
    f = finding(text)
    assert (f.rule.id, f.line) == ("NX201", 2) and "(locals.pypi)" in f.message


def test_a_url_under_a_package_index_variable_name_is_an_install():
    text = f'locals {{\n  PIP_INDEX_URL = "https://{HOST}/repository/pypi-hosted/simple"\n}}\n'
    f = finding(text)
    assert (f.rule.id, f.line) == ("NX502", 2) and "locals.PIP_INDEX_URL" in f.message


# -- credentials ------------------------------------------------------------------


def test_literal_password_attribute_and_registry_auth():
    text = ('provider "docker" {\n  registry_auth {\n    address  = "nexus.shared.cwiq.io:8443"\n'
            '    username = "ci"\n    password = "s3cr3tPassw0rd"\n  }\n}\n')
    f = finding(text)
    assert (f.rule.id, f.line, f.column) == ("NX401", 5, 17)
    assert "registry_auth.password" in f.message and "TF_VAR_" in f.message and "s3cr3t" not in f.message


def test_variable_default_sensitive_and_plain():
    text = ('variable "nexus_token" {\n  default = "abcd1234efgh5678"\n}\n'
            'variable "db" {\n  sensitive = true\n  default   = "hunter2hunter2"\n}\n'
            'variable "secret_key_name" {\n  default = "credentials"\n}\n')
    assert where(lint(text, "variables.tf")) == [("NX401", 2, 14), ("NX401", 6, 16)]


def test_env_name_value_pair_and_object_keys():
    text = ('resource "kubernetes_pod" "p" {\n  spec {\n    container {\n      env {\n'
            '        name  = "NEXUS_PASSWORD"\n        value = "hunter2hunter2"\n      }\n    }\n  }\n}\n'
            'locals {\n  cfg = { api_token = "abcd1234efgh5678" }\n}\n')
    assert where(lint(text, "main.tf")) == [("NX401", 6, 18), ("NX401", 12, 24)]


def test_references_are_not_credentials():
    text = ('provider "nexus" {\n  password = var.nexus_password\n  token = "${var.token}"\n'
            '  secret = data.vault_generic_secret.x.data["s"]\n  api_key = local.key\n}\n'
            'variable "password" {\n  default = "${var.other}"\n}\n')
    assert lint(text, "main.tf") == []


# -- shell ------------------------------------------------------------------------


def test_user_data_heredoc_and_provisioners_go_through_the_shell_analyser():
    text = ('resource "aws_instance" "w" {\n  user_data = <<-EOT\n    #!/bin/bash\n    docker pull ubuntu:22.04\n'
            '  EOT\n  provisioner "local-exec" {\n'
            f'    command = "docker push {HOST}:8444/orchestrator/app:${{var.v}}"\n  }}\n'
            '  provisioner "remote-exec" {\n    inline = ["sudo true", "docker pull redis:7"]\n  }\n}\n')
    assert where(lint(text, "main.tf")) == [("NX101", 4, 17), ("NX103", 7, 49), ("NX101", 10, 41)]
    fixed = fix_text(text, "main.tf")
    assert f"docker pull {HOST}:8444/library/ubuntu:22.04" in fixed
    assert f"docker push {HOST}:8443/orchestrator/app:${{var.v}}" in fixed


def test_cloud_config_user_data_is_not_shell():
    assert lint('resource "aws_instance" "w" {\n  user_data = <<EOF\n#cloud-config\nruncmd:\n  - docker pull x:1\nEOF\n}\n',
                "main.tf") == []


# -- traps ------------------------------------------------------------------------


def test_comments_are_not_read():
    text = ('# image = "nginx:1"\n// password = "hunter2hunter2"\n/* resource "docker_image" "x" {\n'
            '  name = "python:3"\n} */\n')
    assert lint(text, "main.tf") == []


def test_suppression_comments_in_all_three_styles():
    text = ('resource "docker_image" "a" {\n  name = "python:3.11" # nexus-lint: ignore[NX101]\n}\n'
            'resource "docker_image" "b" {\n  // nexus-lint: ignore[NX101]\n  name = "python:3.12"\n}\n'
            'resource "docker_image" "c" {\n  /* nexus-lint: ignore[NX101] */\n  name = "python:3.13"\n}\n'
            'resource "docker_image" "d" {\n  name = "python:3.14" # nexus-lint: ignore[NX102]\n}\n')
    assert where(lint(text, "main.tf")) == [("NX101", 13, 11)]


def test_crlf_and_unicode_positions_and_fix():
    text = '# é ü\r\nresource "docker_image" "app" {\r\n  name = "pyth\\u006fn:3.11"\r\n  name2 = "ñ"\r\n}\r\n'
    f = finding(text)  # an escaped character: found where the name stands, no fix
    assert (f.rule.id, f.line, f.column, f.fix) == ("NX101", 3, 11, None)
    text = '# é ü\r\nresource "docker_image" "app" {\r\n  # ñ\r\n  name = "python:3.11"\r\n}\r\n'
    assert where(lint(text, "main.tf")) == [("NX101", 4, 11)]
    assert fix_text(text, "main.tf") == text.replace("python:3.11", f"{HOST}:8444/library/python:3.11")


def test_broken_terraform_is_nx000_at_its_position():
    f = finding('resource "docker_image" "app" {\n  name = "python:3.11"\n', "main.tf")
    assert (f.rule.id, f.line, f.column) == ("NX000", 1, 1) and "block is not closed" in f.message
    f = finding('variable "x" {\n  default = \n}\n  = 3\n', "main.tf")
    assert f.rule.id == "NX000"


def test_hcl1_agent_config_is_read_without_nx000():
    text = 'client {\n  options {\n    "docker.privileged.enabled" = "true"\n  }\n}\n'
    assert lint(text, "client.hcl") == []
    assert codes(lint('consul {\n  token = "abcd1234efgh5678"\n}\n', "client.hcl")) == ["NX401"]
    assert codes(lint(text, "main.tf")) == ["NX000"]


def test_not_under_dot_terraform_and_not_lock_files(tmp_path, cli):
    write_tree(tmp_path, {
        ".terraform/modules/x/main.tf": 'resource "docker_image" "a" {\n  name = "python:3"\n}\n',
        ".terraform.lock.hcl": 'provider "x" {\n  hashes = ["h1:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG="]\n}\n',
        "main.tf": 'resource "docker_image" "a" {\n  name = "python:3"\n}\n',
    })
    result = cli(["check", "--no-cache", "."], cwd=tmp_path)
    assert result.code == 1
    assert "main.tf:2:11: NX101" in result.out and ".terraform/" not in result.out.replace("main.tf", "")
    assert "lock" not in result.out


def test_local_exec_environment_feeds_the_command():
    text = ('resource "null_resource" "push" {\n  provisioner "local-exec" {\n'
            f'    environment = {{\n      REG = "{HOST}:8444"\n      TAG = var.tag\n    }}\n'
            '    command = "docker push $REG/orchestrator/app:$TAG"\n  }\n}\n')
    assert where(lint(text, "main.tf")) == [("NX103", 4, 35)]
    assert f'REG = "{HOST}:8443"' in fix_text(text, "main.tf")
