"""Makefiles: recipes through the shell analyser after make's own processing,
make variables resolved to their literals, NX000 where GNU make stops."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import codes, fix_text, lint, where

HOST = "nexus.shared.cwiq.io"


def at(text: str, needle: str, skip: int = 0, nth: int = 0):
    """(line, column) of the ``nth`` occurrence of ``needle`` in ``text``, plus ``skip`` characters."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += skip
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def port(text: str, nth: int = 0):
    return at(text, ":8444", 1, nth)


def test_a_push_through_a_variable_is_found_and_fixed_at_the_literal():
    text = (f"REGISTRY ?= {HOST}:8444\n"
            "IMAGE = $(REGISTRY)/orchestrator/app\n"
            "\n"
            "push:\n"
            "\tdocker push $(IMAGE):1.0\n")
    found = lint(text, "Makefile")
    assert where(found) == [("NX103", *port(text))]
    assert "recipe of `push`" in found[0].message
    # the use in the recipe is the related location: the reference that brought the value in
    assert [text[r.start:r.end] for r in found[0].related] == ["$(IMAGE)"]
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


@pytest.mark.parametrize("assign", [
    "REG = {v}", "REG := {v}", "REG ::= {v}", "REG ?= {v}", "override REG = {v}", "export REG := {v}",
    "REG =\nREG += {v}", "define REG\n{v}\nendef",
])
def test_every_assignment_form_resolves(assign):
    text = assign.format(v=f"{HOST}:8444") + "\nall:\n\tdocker push ${REG}/orchestrator/app\n"
    found = lint(text, "Makefile")
    assert codes(found) == ["NX103"]
    line = text[:text.index(":8444")].count("\n") + 1
    assert found[0].line == line
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


def test_the_last_assignment_wins_and_question_mark_keeps_the_first():
    text = (f"REG = {HOST}:8443\nREG ?= {HOST}:8444\n"
            f"OTHER := {HOST}:8444\nOTHER := {HOST}:8443\n"
            "all:\n\tdocker push $(REG)/orchestrator/a\n\tdocker push $(OTHER)/orchestrator/b\n")
    assert codes(lint(text, "Makefile")) == []


def test_simple_and_recursive_flavours_expand_when_make_does():
    # `:=` takes REG's value at that line (empty), `=` the final one
    text = (f"NOW := $(REG)/orchestrator/a\nLATER = $(REG)/orchestrator/b\nREG = {HOST}:8444\n"
            "all:\n\tdocker push $(NOW)\n\tdocker push $(LATER)\n")
    found = lint(text, "Makefile")
    assert where(found) == [("NX103", *port(text))]
    assert "orchestrator/b" in found[0].message


def test_target_specific_variables_apply_to_their_target_only():
    text = (f"REG = {HOST}:8443\n"
            f"release: REG = {HOST}:8444\n"
            "release:\n\tdocker push $(REG)/orchestrator/a\n"
            "build:\n\tdocker push $(REG)/orchestrator/b\n")
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]


def test_pattern_specific_variables_and_appends():
    text = (f"%-push: REG = {HOST}\n"
            "app-push: REG += x\n"
            "app-push:\n\tdocker pull $(REG):8443/orchestrator/app\n")
    # REG is "nexus.shared.cwiq.io x" (`+=` adds a blank): the shell pulls two images, one of them from Docker Hub
    assert [f.message.split("`")[1] for f in lint(text, "Makefile")] == [HOST]
    text = f"%-pull: REG = {HOST}:8443\napp-pull:\n\tdocker pull $(REG)/orchestrator/app\n"
    assert where(lint(text, "Makefile")) == [("NX102", *at(text, ":8443", 1))]


@pytest.mark.parametrize("unknown", [
    "$(shell cat registry.txt)", "$(call reg,x)", "$(UNDEFINED)", "$@", "$(@D)", "$(REG:a=b)", "$($(X)_REG)",
    "$(strip x)",
])
def test_functions_automatic_and_undefined_variables_are_unknown(unknown):
    text = f"X = y\nREG = {unknown}\nall:\n\tdocker pull $(REG)/python:3.11\n\tdocker pull {unknown}\n"
    assert codes(lint(text, "Makefile")) == []


def test_a_bang_assignment_is_unknown():
    text = "REG != echo docker.io\nall:\n\tdocker pull $(REG)/python:3.11\n"
    assert codes(lint(text, "Makefile")) == []


def test_an_unknown_tag_still_judges_the_name():
    text = f"REG ?= {HOST}:8444\nTAG := $(shell git rev-parse --short HEAD)\nall:\n\tdocker push $(REG)/orchestrator/api:$(TAG)\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]


def test_dollar_dollar_is_a_shell_variable_with_its_own_literal():
    text = f"push:\n\tREG={HOST}:8444; docker push $$REG/orchestrator/app\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


def test_exported_variables_are_the_recipe_shells_environment():
    text = f"export REG = {HOST}:8444\nall:\n\tdocker push \"$$REG/orchestrator/app\"\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]
    # not exported: the shell's $REG is whatever the environment holds
    text = f"REG = {HOST}:8444\nall:\n\tdocker push \"$$REG/orchestrator/app\"\n"
    assert codes(lint(text, "Makefile")) == []
    text = f"REG = {HOST}:8444\nexport REG\nall:\n\tdocker push \"$$REG/orchestrator/app\"\n"
    assert codes(lint(text, "Makefile")) == ["NX103"]
    text = f"REG = {HOST}:8444\n.EXPORT_ALL_VARIABLES:\nall:\n\tdocker push \"$$REG/orchestrator/app\"\n"
    assert codes(lint(text, "Makefile")) == ["NX103"]


@pytest.mark.parametrize("prefix", ["@", "-", "+", "@-", "-@ ", " @"])
def test_recipe_prefixes_are_make_s_not_the_shell_s(prefix):
    text = f"all:\n\t{prefix}docker pull python:3.11\n"
    col = 2 + len(prefix) + len("docker pull ")
    assert where(lint(text, "Makefile")) == [("NX101", 2, col + 0)]


def test_a_continued_recipe_line_is_one_shell_command_with_exact_positions():
    text = "all:\n\tdocker pull \\\n\t  --quiet \\\n\t  python:3.11\n"
    assert where(lint(text, "Makefile")) == [("NX101", *at(text, "python"))]
    assert fix_text(text, "Makefile") == text.replace("python:3.11", f"{HOST}:8444/library/python:3.11")


def test_a_continued_variable_value_joins_its_lines():
    text = f"REG = \\\n    {HOST}:8444\nall:\n\tdocker push $(REG)/orchestrator/app\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


def test_a_define_with_several_lines_runs_each_line():
    text = "define PULL\n@echo pulling\n-docker pull python:3.11\nendef\nall:\n\t$(PULL)\n"
    assert where(lint(text, "Makefile")) == [("NX101", *at(text, "python"))]


def test_oneshell_keeps_the_shell_between_lines():
    text = f".ONESHELL:\nall:\n\tREG={HOST}:8444\n\tdocker push $$REG/orchestrator/app\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]
    # without .ONESHELL each line has a shell of its own
    assert codes(lint(text.replace(".ONESHELL:\n", ""), "Makefile")) == []


def test_an_inline_recipe_after_a_semicolon():
    text = "all: deps ; docker pull python:3.11\n"
    assert where(lint(text, "Makefile")) == [("NX101", *at(text, "python"))]


def test_make_comments_and_shell_comments():
    text = ("# docker pull python:3.11 in a make comment\n"
            "BASE = python:3.11 # the base image\n"
            "all:\n"
            "\t# docker pull node:20 in a shell comment\n"
            "\tdocker pull $(BASE) # pulled here\n"
            "\techo '#' docker pull redis:7\n")
    assert where(lint(text, "Makefile")) == [("NX101", *at(text, "python", nth=1))]


def test_an_escaped_hash_is_part_of_the_value():
    text = "URL = https://nexus.shared.cwiq.io:8081/x\\#y\nall:\n\tcurl -f $(URL)\n"
    assert codes(lint(text, "Makefile")) == ["NX203"]


def test_suppression_comments():
    text = (f"# nexus-lint: ignore[NX103]\nREG = {HOST}:8444\n"
            f"OTHER = {HOST}:8444/orchestrator/b # nexus-lint: ignore[NX103]\n"
            "all:\n\tdocker push $(REG)/orchestrator/a\n\tdocker push $(OTHER)\n"
            "\tdocker pull python:3.11  # nexus-lint: ignore[NX101]\n"
            "\t# nexus-lint: ignore[NX101]\n\tdocker pull node:20\n"
            "\tdocker pull redis:7\n")
    assert where(lint(text, "Makefile")) == [("NX101", *at(text, "redis"))]
    assert sorted(codes(lint(text, "Makefile", include_suppressed=True))) == ["NX101"] * 3 + ["NX103"] * 2


def test_credentials_in_variables_and_recipes():
    text = ("NEXUS_PASSWORD = Xk3dPq92LmZ\nNEXUS_TOKEN ?= $(shell vault kv get -field=token x)\n"
            "login:\n\techo $(NEXUS_PASSWORD) | docker login -u ci --password-stdin "
            f"{HOST}:8443\n\tdocker login -u ci -p $$NEXUS_PASSWORD {HOST}:8443\n")
    assert where(lint(text, "Makefile")) == [("NX401", *at(text, "Xk3d")), ("NX403", *at(text, "$$NEXUS_PASSWORD", 1))]


def test_urls_in_variables():
    text = "PIP_INDEX_URL = http://nexus.shared.cwiq.io/repository/pypi-group/simple/\n"
    assert where(lint(text, "Makefile")) == [("NX202", *at(text, "http"))]


def test_crlf_and_unicode_keep_positions_and_line_ends():
    text = f"# café ☕\r\nREG = {HOST}:8444\r\nall:\r\n\t@docker push $(REG)/orchestrator/app\r\n"
    assert where(lint(text, "Makefile")) == [("NX103", *port(text))]
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


@pytest.mark.parametrize("name", ["Makefile", "makefile", "GNUmakefile", "build/docker.mk", "sub/Makefile"])
def test_file_names(name):
    assert codes(lint("all:\n\tdocker pull python:3.11\n", name)) == ["NX101"]


def test_recipes_of_several_targets_and_tag_then_push():
    text = (f"IMG = {HOST}:8444/orchestrator/app\n"
            "build:\n\tdocker tag app $(IMG)\n\tdocker push $(IMG)\n")
    found = lint(text, "Makefile")
    assert where(found) == [("NX103", *port(text))]
    assert fix_text(text, "Makefile") == text.replace(":8444", ":8443")


# -- NX000: what GNU make rejects, and nothing it accepts ------------------------------------------

MAKE_CASES = [
    ("recipe before target", "\techo hi\nall:\n\techo x\n", 1),
    ("recipe after assignment", "all:\n\techo x\nY = 1\n\techo after\n", 4),
    ("8 spaces", "all:\n        echo x\n", 2),
    ("missing separator", "foo bar\nall:\n\techo x\n", 1),
    ("unterminated define", "define X\nabc\nall:\n\techo x\n", 1),
    ("missing endif", "ifdef X\nall:\n\techo x\n", 1),
    ("extraneous endif", "all:\n\techo x\nendif\n", 3),
    ("extraneous else", "else\nall:\n\techo x\n", 1),
    ("two else", "ifdef X\nelse\nelse\nendif\nall:\n\techo x\n", 3),
    ("extraneous endef", "all:\n\techo x\nendef\n", 3),
    ("static pattern without %", "all: a: b\n\techo x\n", 1),
    ("fine: a colon in a command without a tab (a rule to make)", "push:\n    docker push nexus.shared.cwiq.io:8443/orchestrator/api\n", None),
    ("fine: colons in an inline recipe", "all: ; echo a:b\n", None),
    ("variable name with a blank", "a b = 1\nall:\n\techo x\n", 1),
    ("fine: comments and blanks", "# c\n\t# tab comment\n\nall:\n\techo x\n\n\t\n# c\n\techo y\n", None),
    ("fine: conditional in a recipe", "all:\n\techo x\nifdef Y\n\techo y\nendif\n\techo z\n", None),
    ("fine: junk in a false branch", "ifdef NOPE_UNSET_X\nfoo bar\nendif\nall:\n\techo x\n", None),
    ("fine: tab assignment before target", "\tX = 1\nall:\n\techo $(X)\n", None),
    ("fine: expansion line", "$(info hi)\nall:\n\techo x\n", None),
    ("fine: define with op", "define X :=\nfoo\nendef\nall:\n\t@echo $(X)\n", None),
    ("fine: export and override", "export X\noverride Y = 1\nexport Z ?= 2\nunexport W\nall:\n\techo x\n", None),
    ("fine: static pattern and double colon", "OBJS = a.o\n$(OBJS): %.o: %.c\n\tcc $<\nall::\n\techo x\n", None),
    ("fine: target-specific", "all: X = 1\nall: export Y := 2\nall:\n\techo $(X)\n", None),
    ("fine: recipe prefix", ".RECIPEPREFIX = >\nall:\n> echo gt\n", None),
    ("fine: continuation", "X = a \\\n  b\nall: \\\n  dep\n\techo a \\\n  b\ndep:\n", None),
    ("fine: else if", "ifeq (a,b)\nX=1\nelse ifeq (a,c)\nX=2\nelse\nX=3\nendif\nall:\n\techo $(X)\n", None),
    ("fine: nested define", "define A\ndefine B\nx\nendef\nendef\nall:\n\techo x\n", None),
    ("fine: crlf", "X = 1\r\nall:\r\n\techo $(X)\r\n", None),
    ("fine: vpath include", "vpath %.c src\n-include nope.mk\nall:\n\techo x\n", None),
]


@pytest.mark.parametrize("label, text, line", MAKE_CASES, ids=[c[0] for c in MAKE_CASES])
def test_nx000_where_make_stops(label, text, line):
    found = [f for f in lint(text, "Makefile") if f.rule.id == "NX000"]
    if line is None:
        assert found == []
    else:
        assert [f.line for f in found] == [line]
        assert "GNU make" in found[0].message


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
@pytest.mark.parametrize("label, text, line", MAKE_CASES, ids=[c[0] for c in MAKE_CASES])
def test_nx000_agrees_with_gnu_make(label, text, line, tmp_path):
    path = tmp_path / "Makefile"
    path.write_bytes(text.encode())
    run = subprocess.run(["make", "-n", "-f", str(path)], cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, timeout=30)
    rejected = "***" in run.stderr and ("Stop." in run.stderr) and "No rule to make target" not in run.stderr
    assert rejected == (line is not None), run.stderr
    if line is not None:
        ours = [f for f in lint(text, "Makefile") if f.rule.id == "NX000"][0]
        make_message = run.stderr.split("*** ", 1)[1].split(".  Stop.", 1)[0]
        assert make_message in ours.message


@pytest.mark.parametrize("junk", [
    "\x00\x01", "$(", "${", "all: $(\n\techo", "define\n", "ifeq (\n", "\\\n\\\n\\", "a:=$($($($(\n",
    "X = $(X)\nall:\n\tdocker pull $(X)\n", "A = $(B)\nB = $(A)\nall:\n\tdocker pull $(A)\n",
    "\t\n" * 50 + ":\n\t" + "\\\n" * 200, "endef\nendif\nelse\n", "ü:\n\t¿docker pull python\n",
])
def test_broken_files_never_crash(junk):
    found = lint(junk, "Makefile")
    assert all(f.rule.id != "NX000" or "internal" not in f.message.lower() for f in found)


def test_a_variable_bomb_is_bounded():
    lines = ["X0 = docker"] + [f"X{i} = $(X{i - 1}) $(X{i - 1})" for i in range(1, 40)]
    text = "\n".join(lines) + "\nall:\n\t$(X39) pull python:3.11\n"
    found = lint(text, "Makefile")
    assert all(f.rule.id != "NX000" for f in found)


def test_the_cli_fixes_the_literal_in_place(cli, tmp_path):
    (tmp_path / "build").mkdir()
    mk = tmp_path / "build" / "release.mk"
    mk.write_text(f"REGISTRY ?= {HOST}:8444\nBASE = python:3.11-slim\n\nrelease:\n"
                  "\tdocker pull $(BASE)\n\tdocker push $(REGISTRY)/orchestrator/api:$(TAG)\n")
    result = cli(["check", "--no-cache", "--fix", "."], cwd=tmp_path)
    assert result.code == 0, result.out
    assert mk.read_text() == (f"REGISTRY ?= {HOST}:8443\nBASE = {HOST}:8444/library/python:3.11-slim\n\nrelease:\n"
                              "\tdocker pull $(BASE)\n\tdocker push $(REGISTRY)/orchestrator/api:$(TAG)\n")
    result = cli(["check", "--no-cache", "."], cwd=tmp_path)
    assert result.code == 0 and "All checks passed" in result.out


def test_included_makefiles_take_part_and_their_changes_count(cli, tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "make").mkdir()
    (repo / "Makefile").write_text(f"REGISTRY ?= {HOST}:8444\ninclude make/*.mk\n-include ../outside.mk\n"
                                   "-include $(HOME)/x.mk\ninclude Makefile\n")
    (repo / "make" / "push.mk").write_text("push:\n\tdocker push $(REGISTRY)/orchestrator/app\n\tdocker pull python:3.11\n")
    (tmp_path / "outside.mk").write_text("pull:\n\tdocker pull $(REGISTRY)/orchestrator/app\n")
    result = cli(["check", "."], cwd=repo)
    assert result.code == 1
    lines = [l for l in result.out.splitlines() if " NX" in l]
    # the push in the included file is reported at this file's literal; the pull of python
    # in the included file, once, in that file; the file outside the repository is never read
    assert [l.split(" [")[0] for l in lines] == ["Makefile:1:34: NX103", "make/push.mk:3:14: NX101"], result.out
    assert "recipe of `push` in make/push.mk" in lines[0]
    # the cached result of Makefile depends on make/push.mk
    (repo / "make" / "push.mk").write_text("push:\n\tdocker push $(OTHER)/orchestrator/app\n")
    result = cli(["check", "."], cwd=repo)
    assert result.code == 0, result.out
    # linted on its own, the included file knows no REGISTRY
    (repo / "make" / "push.mk").write_text("push:\n\tdocker push $(REGISTRY)/orchestrator/app\n")
    assert cli(["check", "make/push.mk"], cwd=repo).code == 0
    assert cli(["check", "--fix", "Makefile"], cwd=repo).code == 0
    assert (repo / "Makefile").read_text().startswith(f"REGISTRY ?= {HOST}:8443\n")


# -- CI context: the targets a CI file runs (issue 15) -----------------------------------------

DEV = "nexus.dev.cwiq.io"
CI_MAKEFILE = (
    "all: build\n"
    "\n"
    "build:\n"
    f"\tdocker pull {DEV}:8444/orchestrator/base:1\n"
    "\n"
    "push: login tag\n"
    f"\tdocker push {DEV}:8444/orchestrator/api:1\n"
    "\tcurl -u $$NEXUS_USER:$$NEXUS_PASSWORD --upload-file app.rpm "
    f"https://{HOST}/repository/yum-hosted-prod/app.rpm\n"
    "\n"
    "login:\n"
    f"\tcurl -fsS https://{DEV}/service/rest/v1/status\n"
    "\n"
    "tag: ; docker tag a $(DEV_REGISTRY)/orchestrator/api:1\n"
    "\n"
    "local:\n"
    f"\tdocker pull {DEV}:8444/orchestrator/base:1\n"
    f"\tcurl -u $$NEXUS_USER:$$NEXUS_PASSWORD --upload-file app.rpm https://{HOST}/repository/yum-hosted-prod/app.rpm\n"
)
RELEASE_MAKEFILE = (
    "release:\n"
    f"\tdocker pull {DEV}:8444/orchestrator/base:1\n"
    "other:\n"
    f"\tdocker pull {DEV}:8444/orchestrator/base:2\n"
)


def _ci_repo(tmp_path, pipeline):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    from conftest import write_tree

    return write_tree(tmp_path, {
        ".gitlab-ci.yml": pipeline,
        "Makefile": CI_MAKEFILE,
        "deploy/Makefile": RELEASE_MAKEFILE,
        "tools/Makefile": RELEASE_MAKEFILE,
        "tools/build.sh": "#!/bin/sh\nmake -C tools other\n",  # a script CI does not run: not followed
    })


def _findings(out: str, rule: str):
    return [line.split(" [")[0] for line in out.splitlines() if f": {rule} " in line]


PIPELINE_MAKE = ("push:\n  script:\n    - make push DEV_REGISTRY=x\n"
                 "release:\n  script:\n    - cd deploy && make -j 4 -f Makefile release\n")


def test_the_recipes_of_a_target_ci_runs_and_of_its_prerequisites_are_ci_context(tmp_path, cli):
    _ci_repo(tmp_path, PIPELINE_MAKE)
    res = cli(["check", "--select", "NX301,NX503", "--no-cache", "."], cwd=tmp_path)
    push = at(CI_MAKEFILE, DEV, nth=1)
    login = at(CI_MAKEFILE, DEV, nth=2)
    upload = at(CI_MAKEFILE, "yum-hosted-prod", nth=0)
    # the push recipe and the recipe of its prerequisite `login`; never `build` (the default goal,
    # not run) nor `local`; of deploy/Makefile, `release` only; tools/Makefile is run by no CI file
    assert _findings(res.out, "NX301") == [f"Makefile:{push[0]}:{push[1]}: NX301", f"Makefile:{login[0]}:{login[1]}: NX301",
                                           "deploy/Makefile:2:14: NX301"], res.out
    assert "CI context (target `push` run by .gitlab-ci.yml; docker push, recipe of `push`)" in res.out
    assert "target `release` run by .gitlab-ci.yml" in res.out
    assert _findings(res.out, "NX503") == [f"Makefile:{upload[0]}:{upload[1]}: NX503"], res.out
    # the same Makefile checked alone (pre-commit) still knows what the pipeline runs of it
    alone = cli(["check", "--select", "NX301,NX503", "Makefile"], cwd=tmp_path)
    assert _findings(alone.out, "NX301") == _findings(res.out, "NX301")[:2]
    assert _findings(alone.out, "NX503") == _findings(res.out, "NX503")
    assert cli(["check", "--select", "NX301", "deploy/Makefile"], cwd=tmp_path).code == 1
    assert cli(["check", "--select", "NX301", "tools/Makefile"], cwd=tmp_path).code == 0


def test_make_without_a_target_runs_the_default_goal_and_c_finds_the_makefile(tmp_path, cli):
    _ci_repo(tmp_path, "build:\n  script:\n    - make\n    - make -C deploy release\n    - make --directory=tools\n")
    res = cli(["check", "--select", "NX301", "--no-cache", "."], cwd=tmp_path)
    build = at(CI_MAKEFILE, DEV, nth=0)
    # `all` is the default goal: its prerequisite `build`; of tools/Makefile, its first target `release`
    assert _findings(res.out, "NX301") == [f"Makefile:{build[0]}:{build[1]}: NX301", "deploy/Makefile:2:14: NX301",
                                           "tools/Makefile:2:14: NX301"], res.out
    assert "the default goal run by .gitlab-ci.yml" in res.out


def test_a_makefile_no_ci_file_runs_has_no_ci_context(tmp_path, cli):
    _ci_repo(tmp_path, "build:\n  script:\n    - ./tools/build.sh\n    - echo make push\n")
    res = cli(["check", "--select", "NX301,NX503", "--no-cache", "Makefile", "deploy/Makefile"], cwd=tmp_path)
    assert res.code == 0, res.out
    # the script CI runs runs `make -C tools other`: only CI files' own lines count
    assert cli(["check", "--select", "NX301", "tools/Makefile"], cwd=tmp_path).code == 0


def test_the_cached_result_of_a_makefile_follows_the_targets_ci_runs(tmp_path, cli):
    _ci_repo(tmp_path, PIPELINE_MAKE)
    assert cli(["check", "--select", "NX301", "Makefile"], cwd=tmp_path).code == 1
    (tmp_path / ".gitlab-ci.yml").write_text("local:\n  script:\n    - make local\n")
    res = cli(["check", "--select", "NX301", "Makefile"], cwd=tmp_path)
    local = at(CI_MAKEFILE, DEV, nth=3)
    assert _findings(res.out, "NX301") == [f"Makefile:{local[0]}:{local[1]}: NX301"], res.out
    (tmp_path / ".gitlab-ci.yml").write_text("lint:\n  script:\n    - make -n\n    - gmake -C deploy other\n")
    assert cli(["check", "--select", "NX301", "Makefile"], cwd=tmp_path).code == 1  # `make -n`: the default goal
    (tmp_path / ".gitlab-ci.yml").write_text("lint:\n  script:\n    - echo done\n")
    assert cli(["check", "--select", "NX301", "Makefile"], cwd=tmp_path).code == 0
