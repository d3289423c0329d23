"""The shell analyser, the Docker command knowledge and the shell-script extractor."""

from __future__ import annotations

import ast
import importlib

import pytest

from nexus_lint.lang import shell as shell_mod
from nexus_lint.tools.commands import image_facts
from nexus_lint.tools.options import parse_options
from nexus_lint.lang.shell import Command, Word, analyse
from nexus_lint.kinds.shell import extract
from nexus_lint.kinds.base import FileContext
from nexus_lint.core.model import PULL, PUSH, LOCAL, ImageFact, ParseProblem, Suppression
from nexus_lint.core.source import SourceFile
from nexus_lint.core.sourced import SourcedStr


def run(text: str, start: int = 0, env=None):
    return analyse(SourcedStr.literal(text, start), env)


def facts(text: str, start: int = 0, env=None):
    return list(image_facts(run(text, start, env)))


def roles(text: str):
    return [(f.role, f.value.text) for f in facts(text)]


def names(text: str):
    return [c.name for c in run(text).commands]


def argv(cmd: Command):
    return [w.value.text for w in cmd.argv]


def offsets(s: SourcedStr):
    return list(s.offsets)


def at(text: str, needle: str, count: int = 1):
    """Offsets of the ``count``-th occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(count):
        pos = text.index(needle, pos + 1)
    return list(range(pos, pos + len(needle)))


# ---------------------------------------------------------------------------
# Finding commands
# ---------------------------------------------------------------------------


def test_commands_everywhere_in_source_order():
    text = (
        "a | b && (c; d) || e\n"
        "f() { g; }\n"
        "if h; then i; elif j; then k; else l; fi\n"
        "for x in 1; do m; done; while n; do o; done\n"
        "case $v in p) q;; esac\n"
        "r $(s `t`) <(u)\n"
        "v > out 2>&1\n"
        "{ w; } &\n"
    )
    # f is a function's name and p a case pattern: neither is a command
    assert names(text) == list("abcdeghijklmnoqrstuvw")


def test_heredoc_lines_are_not_commands_but_the_redirect_line_is():
    text = "cat <<EOF | docker login\ndocker push x\nEOF\n"
    assert names(text) == ["cat", "docker"]
    assert facts(text) == []


def test_echoed_prose_and_comments_are_not_commands():
    text = "echo docker push x\necho 'docker pull y'\n# docker push z\nprintf '%s' \"docker run w\"\n"
    assert names(text) == ["echo", "echo", "printf"]
    assert facts(text) == []


def test_hash_inside_quotes_or_words_is_not_a_comment():
    text = "echo '# a' \"# b\" c#d # real\n"
    an = run(text)
    assert [c.text.text for c in an.comments] == ["# real"]
    assert an.comments[0].start == text.index("# real")
    assert an.comments[0].end == len(text) - 1
    assert argv(an.commands[0]) == ["echo", "# a", "# b", "c#d"]


def test_command_span_and_depth():
    text = "x=1\n  docker push a:1  \n"
    cmd = run(text).commands[0]
    assert (cmd.start, cmd.end) == (text.index("docker"), text.index("a:1") + 3)
    assert cmd.depth == 0


# ---------------------------------------------------------------------------
# Words: quotes, escapes, concatenation, offsets
# ---------------------------------------------------------------------------


def test_quote_removal_keeps_offsets():
    text = "cmd 'a b' \"c d\" e\\ f g\"h\"'i' $'j\\tk'\n"
    words = run(text).commands[0].argv
    assert [w.value.text for w in words] == ["cmd", "a b", "c d", "e f", "ghi", "j\tk"]
    assert all(w.known for w in words)
    assert offsets(words[1].value) == at(text, "a b")
    assert offsets(words[3].value) == [text.index("e\\"), text.index(" f"), text.index(" f") + 1]
    assert offsets(words[4].value) == [text.index('g"'), text.index('h"'), text.index("i'")]
    # a decoded escape has no single place in the file
    assert offsets(words[5].value) == [text.index("j\\"), -1, text.index("k'")]
    assert words[1].raw.text == "'a b'"
    assert words[1].raw.extent() == (text.index("'a b'"), text.index("'a b'") + 5)


def test_ansi_c_escapes():
    text = "cmd $'a\\x41\\101\\u00e9\\q\\''\n"
    word = run(text).commands[0].argv[1]
    assert word.value.text == "aAA\u00e9\\q'"
    assert offsets(word.value)[:2] == [text.index("a\\x"), -1]
    assert offsets(word.value)[4:6] == at(text, "\\q")


def test_double_quote_escapes():
    text = 'cmd "a\\"b\\$c\\d"\n'
    word = run(text).commands[0].argv[1]
    assert word.value.text == 'a"b$c\\d'


def test_line_continuation_inside_a_word_joins_it():
    text = "docker push reg/app\\\n:1\n"
    assert roles(text) == [(PUSH, "reg/app:1")]


def test_globs_tilde_and_brace_expansion_are_unknown():
    words = run("cmd *.txt ~/x a{b,c} '*' \"~\" x=~ a?b\n").commands[0].argv
    assert [(w.value.text, w.known) for w in words[1:]] == [
        ("*.txt", False),
        ("~/x", False),
        ("a{b,c}", False),
        ("*", True),
        ("~", True),
        ("x=~", True),
        ("a?b", True),  # an unmatched ? stays literal; URLs carry them unquoted
    ]


# ---------------------------------------------------------------------------
# Variables
# ---------------------------------------------------------------------------


def test_variable_across_lines_points_at_the_assignment_literal():
    text = 'REG=nexus.shared.cwiq.io:8444; docker push "$REG/orchestrator/app:1"\n'
    (fact,) = facts(text)
    assert fact.role == PUSH
    assert fact.origin == "docker push"
    assert fact.value.text == "nexus.shared.cwiq.io:8444/orchestrator/app:1"
    port = fact.value.text.index("8444")
    assert offsets(fact.value[port : port + 4]) == at(text, "8444")
    assert offsets(fact.value[len("nexus.shared.cwiq.io:8444") :]) == at(text, "/orchestrator/app:1")
    start = text.index('"$REG')
    assert fact.use == (start, text.index(':1"') + 3)
    assert fact.via == ("REG",)


def test_later_assignment_wins_from_that_point_on():
    text = "IMG=a:1\ndocker pull $IMG\nIMG=b:2\ndocker pull $IMG\n"
    assert roles(text) == [(PULL, "a:1"), (PULL, "b:2")]
    second = facts(text)[1]
    assert offsets(second.value) == at(text, "b:2")


def test_default_and_alternative_expansions():
    text = (
        "docker pull ${TAG:-latest}\n"
        "TAG=7; docker pull redis:${TAG:-latest}\n"
        "E=; docker pull a:${E:-x} b:${E-y}\n"
        "docker pull c${N:+:z} d${TAG:+:on}\n"
        "docker pull ${NEW:=e:1}; docker pull $NEW\n"
    )
    assert [f.value.text for f in facts(text)] == ["latest", "redis:7", "a:x", "b:", "c", "d:on", "e:1", "e:1"]
    first = facts(text)[0]
    assert offsets(first.value) == at(text, "latest")
    assert first.via == ("TAG",)


def test_default_that_is_itself_an_expansion():
    text = "R=nexus:8444\ndocker pull ${IMAGE:-$R/library/python:3.11}\n"
    (fact,) = facts(text)
    assert fact.value.text == "nexus:8444/library/python:3.11"
    assert offsets(fact.value[:10]) == at(text, "nexus:8444")


def test_unknown_values_give_no_fact():
    text = (
        "docker pull $UNSET\n"
        "docker pull \"$1\"\n"
        "T=$(git rev-parse HEAD); docker push $T/app\n"
        "docker push ${T:-x}/app\n"
        "for i in a $(ls); do docker pull $i; done\n"
        "for i in *.tar; do docker push $i; done\n"
        "read -r R; docker pull $R\n"
        "docker pull ${X/a/b} ${#Y} $((1+2)) `img`\n"
    )
    assert facts(text) == []
    word = run("docker push app:$T\n").commands[0].argv[2]
    assert not word.known
    assert word.value.text == "app:$T"  # the unknown part keeps its text, at no offset
    assert offsets(word.value)[-2:] == [-1, -1]


def test_an_unknown_tag_still_gives_the_name():
    text = "T=$(git rev-parse HEAD)\nREG=nexus.shared.cwiq.io:8444\ndocker push $REG/orchestrator/app:$T\n"
    [fact] = facts(text)
    assert fact.value.text == "nexus.shared.cwiq.io:8444/orchestrator/app"
    assert fact.role == PUSH


def test_for_loop_over_known_words_is_unrolled():
    text = (
        "REG=nexus:8444\n"
        'for svc in api "web"; do\n'
        '  docker push "$REG/orchestrator/$svc:1"\n'
        "done\n"
        "docker pull $svc\n"
    )
    found = facts(text)
    assert [(f.role, f.value.text) for f in found] == [
        (PUSH, "nexus:8444/orchestrator/api:1"),
        (PUSH, "nexus:8444/orchestrator/web:1"),
        (PULL, "web"),  # after the loop the variable keeps the last word
    ]
    use = (text.index('"$REG'), text.index(':1"') + 3)
    assert found[0].use == found[1].use == use
    assert offsets(found[1].value[:10]) == at(text, "nexus:8444")
    assert offsets(found[1].value[24:27]) == at(text, "web")
    assert found[0].via == ("REG", "svc")


def test_export_declare_local_readonly_and_unset():
    text = (
        "export A=a:1 B\n"
        "declare -x C=c:1\n"
        "f() { local D=d:1; docker pull $D; }\n"
        "readonly E=e:1\n"
        "typeset F=f:1\n"
        "docker pull $A $C $E $F\n"
        "unset A; docker pull $A\n"
        "declare -a ARR=(x y); docker pull $ARR\n"
    )
    assert [f.value.text for f in facts(text)] == ["d:1", "a:1", "c:1", "e:1", "f:1"]


def test_append_assignment():
    text = "IMG=reg/app; IMG+=:2; docker push $IMG\n"
    (fact,) = facts(text)
    assert fact.value.text == "reg/app:2"
    assert offsets(fact.value) == at(text, "reg/app") + at(text, ":2")


def test_prefix_assignment_applies_to_that_command_only():
    text = "IMG=a:1 docker pull $IMG\nIMG=b:1 env | grep IMG\ndocker pull $IMG\n"
    an = run(text)
    # the prefix is in the command's environment, but not in its own arguments
    assert an.commands[0].env["IMG"].text == "a:1"
    assert not an.commands[0].argv[2].known
    assert "IMG" not in an.commands[3].env
    assert facts(text) == []


def test_inherited_env():
    env = {"REGISTRY": SourcedStr.literal("nexus:8443", 500)}
    (fact,) = facts('docker push "$REGISTRY/orchestrator/x:1"\n', env=env)
    assert fact.value.text == "nexus:8443/orchestrator/x:1"
    assert offsets(fact.value[:10]) == list(range(500, 510))


def test_env_view_per_command():
    an = run("A=1\nx\nB=2\ny\nA=$(z)\nw\n")
    x, y, z, w = an.commands
    assert dict(x.env) == {"A": SourcedStr.literal("1", 2)}
    assert sorted(y.env) == ["A", "B"]
    assert sorted(w.env) == ["B"]  # A's value is unknown there


def test_unquoted_expansion_is_split_into_words():
    text = 'OPTS="--rm -e A=1"; docker run $OPTS img:1 $EMPTY_UNSET\nE=""; docker run $E img:2\n'
    an = run(text)
    assert argv(an.commands[0])[:6] == ["docker", "run", "--rm", "-e", "A=1", "img:1"]
    assert argv(an.commands[1]) == ["docker", "run", "img:2"]
    assert roles(text) == [(PULL, "img:1"), (PULL, "img:2")]


# ---------------------------------------------------------------------------
# Prefixes and nested scripts
# ---------------------------------------------------------------------------


def test_prefixes_are_skipped():
    text = (
        "sudo -E -u root docker pull a:1\n"
        "env -i X=1 docker pull b:1\n"
        "exec nohup nice -n 5 timeout -s KILL 60 time docker pull c:1\n"
        "command docker pull d:1\n"
        "command -v docker\n"
        "/usr/bin/docker pull e:1\n"
    )
    an = run(text)
    assert [c.name for c in an.commands] == ["docker", "docker", "docker", "docker", "command", "docker"]
    assert an.commands[1].env["X"].text == "1"
    assert an.commands[0].start == 0  # the span still covers the prefix
    assert roles(text) == [(PULL, "a:1"), (PULL, "b:1"), (PULL, "c:1"), (PULL, "d:1"), (PULL, "e:1")]


def test_sh_c_eval_and_ssh_scripts_are_analysed():
    text = (
        "REG=nexus:8444\n"
        "sh -c 'docker push $REG/orchestrator/a:1'\n"
        'bash -ec "docker pull $REG/b:1"\n'
        "eval docker pull c:1\n"
        "ssh -p 22 deploy@host docker pull d:1\n"
    )
    an = run(text)
    nested = [c for c in an.commands if c.depth == 1]
    assert [argv(c)[:2] for c in nested] == [["docker", "push"]] + [["docker", "pull"]] * 3
    found = facts(text)
    assert [(f.role, f.value.text) for f in found] == [
        (PUSH, "nexus:8444/orchestrator/a:1"),
        (PULL, "nexus:8444/b:1"),
        (PULL, "c:1"),
        (PULL, "d:1"),
    ]
    # offsets survive the extra level: the port is the assignment's literal
    assert offsets(found[0].value[:10]) == at(text, "nexus:8444")
    assert offsets(found[0].value[10:]) == at(text, "/orchestrator/a:1")
    # the use site stays inside the quoted script
    quoted = text.index("'docker push")
    assert quoted <= found[0].use[0] < found[0].use[1] <= text.index("'\n", quoted) + 1


# ---------------------------------------------------------------------------
# Docker knowledge
# ---------------------------------------------------------------------------


def test_run_skips_options_with_values():
    text = (
        "docker run --rm -it -e X=1 --name n -v a:b --network x -p 80:80 --entrypoint sh "
        "-w /w -u 1 --platform=linux/amd64 --env=Y=2 -dp 81:81 python:3.11 docker push not-this\n"
    )
    assert roles(text) == [(PULL, "python:3.11")]
    (fact,) = facts(text)
    assert fact.origin == "docker run"
    assert fact.use == (text.index("python"), text.index("python") + len("python:3.11"))


def test_pull_create_and_group_forms():
    text = (
        "docker pull a:1\n"
        "podman pull docker://b:1\n"
        "podman pull oci:/tmp/layout\n"
        "nerdctl --namespace k8s.io pull c:1\n"
        "docker -H tcp://h:2375 container create d:1\n"
        "docker image pull e:1\n"
        "docker run --pull=never local:1\n"
        "buildah from f:1\n"
        "docker compose pull\n"
        "docker-compose up\n"
    )
    assert roles(text) == [
        (PULL, "a:1"),
        (PULL, "b:1"),
        (PULL, "c:1"),
        (PULL, "d:1"),
        (PULL, "e:1"),
        (LOCAL, "local:1"),
        (PULL, "f:1"),
    ]
    podman = facts(text)[1]
    assert offsets(podman.value) == at(text, "b:1")


def test_push_forms():
    text = (
        "docker push a:1\n"
        "docker image push b:1\n"
        "podman push local:1 docker://c:1\n"
        "podman push local:2 dir:/tmp/x\n"
        "docker manifest push d:1\n"
    )
    assert roles(text) == [
        (PUSH, "a:1"),
        (PUSH, "b:1"),
        (LOCAL, "local:1"),
        (PUSH, "c:1"),
        (LOCAL, "local:2"),
        (PUSH, "d:1"),
    ]


def test_tag_then_push():
    text = (
        "REG=nexus.shared.cwiq.io:8444\n"
        "docker tag app:1 $REG/orchestrator/app:1\n"
        "docker tag app:1 other/app:1\n"
        "docker push $REG/orchestrator/app:1\n"
        "docker tag app:1 late/app:1\n"
    )
    found = facts(text)
    assert [(f.role, f.value.text, f.origin) for f in found] == [
        (LOCAL, "app:1", "docker tag"),
        (PUSH, "nexus.shared.cwiq.io:8444/orchestrator/app:1", "docker tag"),
        (LOCAL, "app:1", "docker tag"),
        (LOCAL, "other/app:1", "docker tag"),
        (PUSH, "nexus.shared.cwiq.io:8444/orchestrator/app:1", "docker push"),
        (LOCAL, "app:1", "docker tag"),
        (LOCAL, "late/app:1", "docker tag"),  # pushed before it was tagged: not this one
    ]
    assert found[1].use == (text.index("$REG/orchestrator"), text.index("$REG/orchestrator") + 23)


def test_push_all_tags_covers_earlier_tags():
    assert roles("docker tag a r/app:1\ndocker push --all-tags r/app\n") == [
        (LOCAL, "a"),
        (PUSH, "r/app:1"),
        (PUSH, "r/app"),
    ]


def test_build_tags():
    text = (
        "docker build -t local/a:1 --tag=b:1 -f Dockerfile --build-arg X=1 .\n"
        "docker push b:1\n"
        "docker buildx build --push -t c:1 .\n"
        "docker buildx build --platform linux/amd64 --output type=image,name=d:1,push=true .\n"
        "docker buildx build -o type=registry -t e:1 .\n"
        "docker buildx build --push=false -t f:1 .\n"
        "docker buildx build --cache-to type=registry,ref=g:cache,mode=max --cache-from type=registry,ref=g:cache -t h .\n"
        "podman build --from base:1 -t i:1 .\n"
        "docker buildx imagetools create -t j:1 k:1 l:1\n"
    )
    assert roles(text) == [
        (LOCAL, "local/a:1"),
        (PUSH, "b:1"),
        (PUSH, "b:1"),
        (PUSH, "c:1"),
        (PUSH, "d:1"),
        (PUSH, "e:1"),
        (LOCAL, "f:1"),
        (LOCAL, "h"),
        (PUSH, "g:cache"),
        (PULL, "g:cache"),
        (LOCAL, "i:1"),
        (PULL, "base:1"),
        (PUSH, "j:1"),
        (PULL, "k:1"),
        (PULL, "l:1"),
    ]
    found = facts(text)
    assert offsets(found[4].value) == at(text, "d:1")
    assert found[4].use == (text.index("d:1"), text.index("d:1") + 3)
    assert offsets(found[8].value) == at(text, "g:cache")
    assert found[1].origin == "docker build --tag"


def test_kaniko():
    text = (
        "/kaniko/executor --context . --dockerfile Dockerfile --destination=r:8443/o/a:1 "
        "-d r/o/b:1 --destination $REG/x --cache-repo=r/cache\n"
        "executor --no-push -d c:1\n"
    )
    assert roles(text) == [
        (PUSH, "r:8443/o/a:1"),
        (PUSH, "r/o/b:1"),
        (PUSH, "r/cache"),
        (LOCAL, "c:1"),
    ]
    first = facts(text)[0]
    assert first.origin == "kaniko --destination"
    assert offsets(first.value) == at(text, "r:8443/o/a:1")
    assert first.use == (text.index("r:8443"), text.index("r:8443") + len("r:8443/o/a:1"))


def test_crane():
    text = (
        "crane copy src:1 dst:1\n"
        "crane --platform linux/amd64 cp -a s2 d2\n"
        "crane push image.tar p:1\n"
        "crane pull q:1 r:1 out.tar\n"
        "crane tag t:1 v2\n"
        "crane mutate m:1 -t m:2 --label a=b\n"
        "crane append -b base:1 -f layer.tar -t new:1\n"
        "crane digest dg:1\n"
        "crane auth login reg -u x\n"
    )
    assert roles(text) == [
        (PULL, "src:1"),
        (PUSH, "dst:1"),
        (PULL, "s2"),
        (PUSH, "d2"),
        (PUSH, "p:1"),
        (PULL, "q:1"),
        (PULL, "r:1"),
        (PUSH, "t:1"),
        (PULL, "m:1"),
        (PUSH, "m:2"),
        (PULL, "base:1"),
        (PUSH, "new:1"),
        (PULL, "dg:1"),
    ]


def test_skopeo():
    text = (
        "skopeo copy --src-creds u:p --dest-tls-verify=false docker://s:1 docker://d:1\n"
        "skopeo copy oci:/layout docker://d:2\n"
        "skopeo --policy p.json copy docker://s:3 dir:/tmp/x\n"
        "skopeo inspect docker://i:1\n"
        "skopeo sync --src docker --dest docker src/repo dst-reg/prefix\n"
    )
    assert roles(text) == [
        (PULL, "s:1"),
        (PUSH, "d:1"),
        (PUSH, "d:2"),
        (PULL, "s:3"),
        (PULL, "i:1"),
        (PULL, "src/repo"),
        (PUSH, "dst-reg/prefix"),
    ]
    first = facts(text)[0]
    assert offsets(first.value) == at(text, "s:1", 1)
    assert first.use == (text.index("s:1"), text.index("s:1") + 3)  # without the transport


def test_parse_options_like_pflag():
    words = run("x -dp 80:80 --name=n --rm -e A -- -notopt img\n").commands[0].argv[1:]
    opts, pos, _ = parse_options(words, frozenset({"-p", "-e", "--name"}))
    assert [(n, v.value.text if v else None) for n, v in opts] == [
        ("-d", None),
        ("-p", "80:80"),
        ("--name", "n"),
        ("--rm", None),
        ("-e", "A"),
    ]
    assert [w.value.text for w in pos] == ["-notopt", "img"]


# ---------------------------------------------------------------------------
# Hosts: shifted offsets, joined text, CRLF, Unicode
# ---------------------------------------------------------------------------


def test_shifted_host_offsets():
    text = 'REG=nexus:8444\ndocker push "$REG/o/a:1"\n'
    (fact,) = facts(text, start=1000)
    assert offsets(fact.value[:10]) == [1000 + o for o in at(text, "nexus:8444")]
    assert fact.use == (1000 + text.index('"$REG'), 1000 + text.index(':1"') + 3)
    an = run(text, start=1000)
    assert an.commands[0].start == 1000 + text.index("docker")


def test_joined_host_text_with_gaps():
    # e.g. a Dockerfile RUN whose continuation lines were joined by the host
    script = SourcedStr.join([SourcedStr.literal("docker push ", 10), SourcedStr.literal("img:1", 50)])
    (fact,) = image_facts(analyse(script))
    assert offsets(fact.value) == [50, 51, 52, 53, 54]
    assert fact.use == (50, 55)


def test_crlf_script():
    text = 'REG="nexus:8444"\r\ndocker push $REG/app:1 \\\r\n  --quiet\r\ndocker pull b:1\r\n# c\r\n'
    an = run(text)
    assert [argv(c) for c in an.commands] == [
        ["docker", "push", "nexus:8444/app:1", "--quiet"],
        ["docker", "pull", "b:1"],
    ]
    assert [c.text.text for c in an.comments] == ["# c"]
    push, pull = facts(text)
    assert offsets(push.value[:10]) == at(text, "nexus:8444")
    assert offsets(pull.value) == at(text, "b:1")


def test_unicode_before_the_command_maps_bytes_to_characters():
    text = "echo 'Grüße, 日本語 😀'; X=ünï; docker push \"r/€/$X:1\"\n"
    (fact,) = facts(text)
    assert fact.value.text == "r/€/ünï:1"
    assert offsets(fact.value[:4]) == at(text, "r/€/")
    assert offsets(fact.value[4:7]) == at(text, "ünï")
    assert fact.use == (text.index('"r/€'), text.index(':1"') + 3)
    assert run(text).commands[1].start == text.index("docker")


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------


def test_error_nodes_do_not_stop_the_analysis():
    an = run("docker pull a:1\nif [ x ]; then\n docker pull b:1\n")
    assert an.has_errors
    assert [f.value.text for f in image_facts(an)] == ["a:1", "b:1"]


@pytest.mark.parametrize(
    "text",
    [
        "echo " + "$(" * 500 + "x" + ")" * 500,
        "$(" * 500,
        "echo " + "${A:-" * 500 + "x" + "}" * 500,
        "echo " + '"$(' * 300 + "x" + ')"' * 300,
        "eval " * 200 + "docker pull x",
        "${" * 1000,
        bytes(range(256)).decode("latin-1") * 40,
        "docker pull a\x00b\n\x00\x01\x02",
        "docker pull \udcff\udcfe:1",
        '"' * 5001,
        "\\" * 5001,
    ],
)
def test_hostile_input_never_raises(text):
    an = analyse(SourcedStr.literal(text, 0))
    list(image_facts(an))


def test_deep_command_substitution_is_still_found():
    text = "echo " + "$(" * 500 + "docker pull deep:1" + ")" * 500
    assert roles(text) == [(PULL, "deep:1")]


def test_one_megabyte_line():
    text = "docker push r/" + "a" * 1_000_000 + ":1\n"
    (fact,) = facts(text)
    assert len(fact.value) == 1_000_004
    assert fact.use == (12, len(text) - 1)


def test_work_budget_truncates(monkeypatch):
    monkeypatch.setattr(shell_mod, "WORK_BUDGET", 200)
    an = run("docker pull a:1\n" * 200)
    assert an.truncated and an.problem
    assert 0 < len(an.commands) < 200


def test_parse_deadline_truncates(monkeypatch):
    monkeypatch.setattr(shell_mod, "PARSE_SECONDS", -1)
    an = run("docker pull a:1\n" * 5000)
    assert an.truncated and an.problem
    assert an.commands == []


@pytest.mark.parametrize("module", ["nexus_lint.lang.shell", "nexus_lint.tools.commands", "nexus_lint.kinds.shell"])
def test_tree_sitter_is_imported_lazily(module):
    """No module-level import of tree_sitter: importing the analyser stays cheap."""
    path = importlib.import_module(module).__file__
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in tree.body:
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("tree_sitter") for a in node.names)
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("tree_sitter")


# ---------------------------------------------------------------------------
# The shell-script extractor
# ---------------------------------------------------------------------------


def extracted(text: str):
    source = SourceFile("ci/build.sh", text)
    return list(extract(source, FileContext("ci/build.sh", "shell", True, "under ci/")))


def test_extract_images_and_suppressions():
    text = (
        "#!/bin/bash\n"
        "docker pull python:3.11  # nexus-lint: ignore[NX101]\n"
        "# nexus-lint: ignore[NX101, NX104]\n"
        "docker run --rm \\\n"
        "  redis:7\n"
        "echo '# nexus-lint: ignore[NX102]'\n"
        "# nexus-lint: ignore[bogus]\n"
    )
    out = extracted(text)
    images = [f for f in out if isinstance(f, ImageFact)]
    sups = [f for f in out if isinstance(f, Suppression)]
    assert [(f.role, f.value.text) for f in images] == [(PULL, "python:3.11"), (PULL, "redis:7")]
    assert not [f for f in out if isinstance(f, ParseProblem)]
    # the bogus id is kept: the run reports it as an unknown rule id (exit 2), never silently
    assert [(s.ids, s.lines) for s in sups] == [(("NX101",), (2,)), (("NX101", "NX104"), (3, 4, 5)),
                                                (("BOGUS",), (7, 8))]
    marker = text.index("nexus-lint: ignore[NX101]")
    assert (sups[0].start, sups[0].end) == (marker, marker + len("nexus-lint: ignore[NX101]"))


def test_extract_trailing_marker_covers_the_whole_command():
    text = "docker run \\\n  --rm python:3.11 \\\n  echo hi  # nexus-lint: ignore[NX101]\n"
    sups = [f for f in extracted(text) if isinstance(f, Suppression)]
    assert [s.lines for s in sups] == [(1, 2, 3)]


def test_extract_odd_syntax_is_not_a_parse_problem():
    out = extracted("docker pull a:1\nif [ x ]; then\n docker pull b:1\n")
    assert not [f for f in out if isinstance(f, ParseProblem)]
    assert [f.value.text for f in out if isinstance(f, ImageFact)] == ["a:1", "b:1"]


def test_extract_not_shell_at_all():
    out = extracted("$(" * 200)
    problems = [f for f in out if isinstance(f, ParseProblem)]
    assert len(problems) == 1 and "not a shell script" in problems[0].message
    assert not [f for f in out if isinstance(f, ImageFact)]


def test_extract_truncated_analysis_is_a_parse_problem(monkeypatch):
    monkeypatch.setattr(shell_mod, "WORK_BUDGET", 100)
    out = extracted("docker pull a:1\n" * 100)
    assert [type(f) for f in out][:1] == [ParseProblem]
    assert any(isinstance(f, ImageFact) for f in out)


def test_word_and_command_shapes():
    cmd = run("docker push a\n").commands[0]
    assert isinstance(cmd.argv[0], Word)
    assert cmd.name == "docker" and cmd.end == 13


# -- running what the same file built ------------------------------------------------------

@pytest.mark.parametrize("name,text,flagged", [
    ("test.sh", "docker build -t app:ci .\ndocker run --rm app:ci pytest\n", []),
    ("test.sh", "docker buildx build --load -t app:ci .\ndocker container create app:ci\n", []),
    ("test.sh", "podman build -t app:ci .\npodman run app:ci\n", []),
    # a pull of a built name still goes to a registry, and a name nothing built is Docker Hub
    ("test.sh", "docker build -t app:ci .\ndocker pull app:ci\n", [(2, 13)]),
    ("test.sh", "docker build -t app:ci .\ndocker run app:other\n", [(2, 12)]),
    # GitLab: one job builds, a later stage runs it
    (".gitlab-ci.yml", "build:\n  script: [docker build -t app:ci .]\ntest:\n  script: [docker run app:ci pytest]\n", []),
    # GitHub: docker/build-push-action with load: true, then a run step
    (".github/workflows/ci.yml",
     "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
     "      - uses: docker/build-push-action@v5\n        with: {load: true, tags: 'app:ci'}\n"
     "      - run: docker run app:ci pytest\n", []),
])
def test_running_an_image_the_file_built_is_no_pull(name, text, flagged):
    from conftest import lint

    found = [(f.line, f.column) for f in lint(text, name) if f.rule.id == "NX101"]
    assert found == flagged
