"""YAML with positions: loading, scalars with offsets, merge keys, bounded traversal."""

from __future__ import annotations


import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus_lint.lang import yamldoc
from nexus_lint.lang.yamldoc import YamlError, get, items, load, scalar, walk


def _value(text: str, *path):
    node = load(text)[0]
    for key in path:
        node = node.value[key] if isinstance(key, int) else get(node, key)
    return node


def _located(s, text):
    """The characters of ``s`` that have an offset, as they stand in ``text``."""
    return "".join(text[o] if o >= 0 else "?" for o in s.offsets)


# -- load ------------------------------------------------------------------------


def test_load_gives_every_document_and_skips_empty_ones():
    docs = load("a: 1\n---\n---\nb: 2\n")
    assert [d.value[0][0].value for d in docs] == ["a", "b"]


def test_any_tag_is_kept_as_a_plain_node():
    doc = load("a: !reference [job, script]\nb: !Ref Thing\nc: !!python/object:os.system x\n")[0]
    ref = get(doc, "a")
    assert isinstance(ref, yaml.SequenceNode) and ref.tag == "!reference"
    assert [n.value for n in ref.value] == ["job", "script"]
    assert yamldoc.is_reference(ref)
    assert get(doc, "b").tag == "!Ref" and get(doc, "b").value == "Thing"
    assert get(doc, "c").value == "x"  # composed, never constructed


def test_libyaml_is_used_when_available():
    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML without libyaml")
    assert issubclass(yamldoc._loader(), yaml.CSafeLoader)


@pytest.mark.parametrize(
    "text, at",
    [
        ("a: [1, 2\nb: 3\n", "b"),
        ("a: b: c\n", ":"),
        ("a: 'unterminated\n", None),
        ("key: value\n  bad: indent\n", ":"),
        ("a: *missing\n", "*"),
    ],
)
def test_broken_yaml_is_a_yaml_error_at_the_parser_position(text, at):
    with pytest.raises(YamlError) as info:
        load(text)
    err = info.value
    assert err.message.startswith("invalid YAML: ")
    assert 0 <= err.start <= err.end <= len(text)
    if at is not None:
        assert text[err.start] == at or text.index(at) <= err.start


def test_control_characters_are_a_yaml_error():
    with pytest.raises(YamlError) as info:
        load("a: b\x01\n")
    assert info.value.start == 4


def test_billion_laughs_composes_and_walks_fast():
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\nbomb: *a9\n"
    doc = load(text)[0]
    nodes = list(walk(doc))
    assert len(nodes) < 100  # each distinct node once


def test_merge_bomb_resolves_in_bounded_time():
    lines = ["m0: &m0 {x: 1}"]
    for i in range(1, 10):
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + f"], k{i}: {i}}}")
    doc = load("\n".join(lines) + "\n")[0]
    keys = [k for k, _kn, _v in items(get(doc, "m9"))]
    assert sorted(keys) == sorted(["x"] + [f"k{i}" for i in range(1, 10)])


@pytest.mark.parametrize("text", ["[" * 10_000, "{" * 10_000, "- " * 5_000 + "x\n", "a: " + "[" * 10_000 + "]" * 10_000])
def test_deep_nesting_is_a_yaml_error_not_a_crash(text):
    with pytest.raises(YamlError):
        load(text)


def test_walk_is_capped():
    doc = load("[" + ", ".join(str(i) for i in range(1000)) + "]")[0]
    assert len(list(walk(doc, limit=10))) == 10


# -- mappings ----------------------------------------------------------------------


def test_merge_key_single_alias_explicit_key_wins():
    doc = load("base: &b {image: a, tag: 1}\njob:\n  <<: *b\n  image: mine\n")[0]
    job = get(doc, "job")
    assert get(job, "image").value == "mine"
    assert get(job, "tag").value == "1"
    assert [k for k, _kn, _v in items(job)] == ["image", "tag"]


def test_merge_key_list_earlier_mapping_wins():
    doc = load("a: &a {x: from-a}\nb: &b {x: from-b, y: from-b}\nj:\n  <<: [*a, *b]\n")[0]
    j = get(doc, "j")
    assert get(j, "x").value == "from-a"
    assert get(j, "y").value == "from-b"


def test_merge_explicit_key_before_merge_still_wins():
    doc = load("a: &a {x: merged}\nj:\n  x: explicit\n  <<: *a\n")[0]
    assert get(get(doc, "j"), "x").value == "explicit"


def test_duplicate_keys_last_wins():
    doc = load("image: first\nimage: second\n")[0]
    assert get(doc, "image").value == "second"
    assert [(k, v.value) for k, _kn, v in items(doc)] == [("image", "second")]


def test_quoted_merge_key_is_an_ordinary_key():
    doc = load("a: &a {x: 1}\nj:\n  '<<': *a\n")[0]
    assert get(get(doc, "j"), "x") is None
    assert get(get(doc, "j"), "<<") is not None


def test_recursive_merge_is_cut():
    doc = load("a: &a\n  x: 1\n  <<: *a\n")[0]
    assert [k for k, _kn, _v in items(get(doc, "a"))] == ["x"]


def test_get_and_items_on_non_mappings():
    node = load("[1, 2]")[0]
    assert get(node, "x") is None
    assert items(node) == []


# -- scalars -----------------------------------------------------------------------


def test_plain_scalar_offsets():
    text = "image: python:3.11\n"
    s = scalar(_value(text, "image"), text)
    assert s.text == "python:3.11"
    assert s.span() == (7, 18)


def test_anchored_and_tagged_scalar_skips_the_properties():
    text = "a: &x !custom  nexus.shared.cwiq.io:8444/app\nb: &y\n  # note\n  value\n"
    s = scalar(_value(text, "a"), text)
    assert s.text == "nexus.shared.cwiq.io:8444/app"
    assert text[s.span()[0]:s.span()[1]] == s.text
    s = scalar(_value(text, "b"), text)
    assert text[s.span()[0]:s.span()[1]] == "value"


def test_multi_line_plain_scalar_folds_with_unknown_spaces():
    text = "script: docker push\n  nexus.shared.cwiq.io:8444/app\n\n  done\n"
    s = scalar(_value(text, "script"), text)
    assert s.text == "docker push nexus.shared.cwiq.io:8444/app\ndone"
    i = s.text.index("nexus")
    start, end = s.span(i, i + len("nexus.shared.cwiq.io:8444/app"))
    assert text[start:end] == "nexus.shared.cwiq.io:8444/app"
    assert s.offsets[len("docker push")] == -1  # the folded line break
    assert _located(s, text).startswith("docker push?nexus")


def test_single_quoted_scalar_doubled_quote():
    text = "a: 'it''s here'\n"
    s = scalar(_value(text, "a"), text)
    assert s.text == "it's here"
    assert s.span(3, 9) == (text.index("s here"), text.index("s here") + 6)
    assert text[s.offsets[2]] == "'"


def test_double_quoted_escapes_have_no_offset():
    text = 'a: "x\\ty\\u0041\\x42z\\\\"\n'
    s = scalar(_value(text, "a"), text)
    assert s.text == "x\tyABz\\"
    assert text[s.offsets[0]] == "x" and text[s.offsets[2]] == "y" and text[s.offsets[5]] == "z"
    assert s.offsets[1] == s.offsets[3] == s.offsets[4] == s.offsets[6] == -1


def test_double_quoted_escaped_line_break_joins_lines():
    text = 'a: "docker push \\\n    nexus.shared.cwiq.io:8444/x"\n'
    s = scalar(_value(text, "a"), text)
    assert s.text == "docker push nexus.shared.cwiq.io:8444/x"
    i = s.text.index("nexus")
    assert text[s.offsets[i]:s.offsets[i] + 5] == "nexus"


def test_literal_block_scalar_keeps_every_character_offset():
    text = "job:\n  script: |\n    docker pull a\n      indented\n\n    docker push b\n  next: 1\n"
    s = scalar(_value(text, "job", "script"), text)
    assert s.text == "docker pull a\n  indented\n\ndocker push b\n"
    assert all(o >= 0 for o in s.offsets)
    assert _located(s, text) == s.text
    i = s.text.index("docker push b")
    assert s.span(i, i + 13) == (text.index("docker push b"), text.index("docker push b") + 13)


def test_folded_block_scalar_folded_breaks_have_no_offset():
    text = "a: >-\n  one\n  two\n\n  three\n    more\n"
    s = scalar(_value(text, "a"), text)
    assert s.text == "one two\nthree\n  more"
    assert s.offsets[3] == -1  # folded into a space
    assert text[s.span(4, 7)[0]:s.span(4, 7)[1]] == "two"


@pytest.mark.parametrize("header, value", [("|+", "a\n\n"), ("|-", "a"), ("|2", " a\n"), ("|2-", " a"), ("|1+", "  a\n\n")])
def test_block_scalar_indicators(header, value):
    # the indentation indicator counts from the parent mapping's indentation (2)
    text = f"k:\n  v: {header}\n     a\n\n  w: 1\n"
    s = scalar(_value(text, "k", "v"), text)
    assert s.text == value
    i = value.index("a")
    assert text[s.offsets[i]] == "a"


def test_crlf_offsets():
    text = "job:\r\n  script: |\r\n    docker push x\r\n    echo hi\r\n  image: python:3\r\n"
    s = scalar(_value(text, "job", "script"), text)
    assert s.text == "docker push x\necho hi\n"
    assert text[s.offsets[s.text.index("echo")]:][:4] == "echo"
    assert text[s.offsets[s.text.index("\n")]] == "\r"
    img = scalar(_value(text, "job", "image"), text)
    assert text[img.span()[0]:img.span()[1]] == "python:3"


def test_non_ascii_before_the_value_offsets_are_code_points():
    text = "# Überprüfung 😀\nname: ünïcödé 😀 x\nimage: python:3\n"
    s = scalar(_value(text, "image"), text)
    assert text[s.span()[0]:s.span()[1]] == "python:3"
    s = scalar(_value(text, "name"), text)
    assert _located(s, text) == "ünïcödé 😀 x"


def test_empty_and_null_scalars():
    text = "a:\nb: ''\nc: ~\n"
    assert scalar(_value(text, "a"), text).text == ""
    assert scalar(_value(text, "b"), text).text == ""
    assert scalar(_value(text, "c"), text).text == "~"


def test_scalar_rejects_other_nodes():
    with pytest.raises(TypeError):
        scalar(load("[1]")[0], "[1]")


_CHARS = st.text(alphabet=st.sampled_from(list("ab c:#-'\"\\\t\n xé😀\r/{}[],!&*|>%@`")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(value=_CHARS, style=st.sampled_from([None, "'", '"', "|", ">"]), width=st.sampled_from([6, 20, 80]),
       crlf=st.booleans())
def test_scalar_matches_the_parser_and_every_offset_points_at_its_character(value, style, width, crlf):
    text = yaml.dump({"job": {"key": value, "list": [value, "x"]}}, default_style=style, width=width, allow_unicode=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    for node in walk(load(text)[0]):
        if isinstance(node, yaml.ScalarNode):
            s = scalar(node, text)
            assert s.text == node.value
            for ch, off in zip(s.text, s.offsets):
                if off >= 0:
                    assert text[off] == ch or (ch == "\n" and text[off] in "\r\n")


def test_alignment_fallback_only_points_at_matching_characters():
    text = 'k: "ab\\x41c"\n'
    s = yamldoc._align("abAc", text, 3, 13)
    assert s.text == "abAc"
    assert [text[o] if o >= 0 else None for o in s.offsets] == ["a", "b", None, "c"]


def test_pure_python_fallback(monkeypatch):
    monkeypatch.setattr(yamldoc, "_LOADER", None)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    text = "job:\n  image: !custom python:3\n  script: |\n    docker pull x\n"
    doc = load(text)[0]
    assert yaml.SafeLoader in yamldoc._loader().__mro__
    s = scalar(get(get(doc, "job"), "image"), text)
    assert text[s.span()[0]:s.span()[1]] == "python:3"
    with pytest.raises(YamlError):
        load("a: [1\nb: 2\n")
    with pytest.raises(YamlError):
        load("[" * 3000)
