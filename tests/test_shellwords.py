"""BuildKit's Dockerfile word processing (nexus_lint.lang.shellwords)."""

from __future__ import annotations

import json
import random
import re
from array import array
from pathlib import Path

import pytest

from nexus_lint.lang.shellwords import (
    MAX_RESULT_CHARS,
    WordError,
    envs_from_slice,
    get_env,
    process_word,
    process_word_with_matches,
    process_words,
)
from nexus_lint.lang.shellwords_pattern import compile_pattern as _compile_pattern, find_match as _find
from nexus_lint.core.sourced import SourcedStr

DATA = Path(__file__).parent / "data" / "buildkit-parser" / "shell_word_cases.json"
CASES = json.loads(DATA.read_text(encoding="utf-8"))["cases"]


def _params():
    for i, case in enumerate(CASES):
        for platform in case["platforms"]:
            ident = f"{i}-{case['kind']}-{platform}-{case['source'].rsplit('/', 1)[-1]}"
            yield pytest.param(case, platform, id=ident)


# --------------------------------------------------------------------------
# Conformance: every case of shell_word_cases.json, on each platform it names
# (Windows = case-insensitive variable names).


@pytest.mark.parametrize("case, platform", list(_params()))
def test_buildkit_case(case, platform):
    ci = platform == "windows"
    kind = case["kind"]
    exp = case["expected"]
    word = case["input"]

    if kind == "get_env":
        env = envs_from_slice(case["env_list"])
        value, _found = get_env(env, word, case_insensitive=ci)
        assert isinstance(value, SourcedStr)
        assert value.text == exp["result"]
        return

    env = case["env"]
    if kind == "process_word":
        call = lambda: process_word(word, env, case_insensitive=ci)  # noqa: E731
    elif kind == "process_words":
        call = lambda: process_words(word, env, case_insensitive=ci)  # noqa: E731
    elif kind == "process_word_with_matches":
        call = lambda: process_word_with_matches(word, env, case_insensitive=ci)  # noqa: E731
    else:  # pragma: no cover - a new kind in the data must not pass silently
        pytest.fail(f"unknown kind {kind!r}")

    if exp["error"]:
        with pytest.raises(WordError) as info:
            call()
        if "error_contains" in exp:
            assert exp["error_contains"] in str(info.value)
        return

    got = call()
    if kind == "process_word":
        assert isinstance(got, SourcedStr)
        assert got.text == exp["result"]
    elif kind == "process_words":
        assert all(isinstance(w, SourcedStr) for w in got)
        assert [w.text for w in got] == exp["words"]
    else:
        result, matched, unmatched = got
        assert result.text == exp["result"]
        if "matched" in exp:
            assert matched == set(exp["matched"])
        if "unmatched" in exp:
            assert unmatched == set(exp["unmatched"])


def test_case_file_is_complete():
    kinds = {}
    for c in CASES:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    assert kinds == {"process_word": 236, "process_words": 24, "process_word_with_matches": 50, "get_env": 7}


# --------------------------------------------------------------------------
# Provenance


def offs(s: SourcedStr) -> list:
    return list(s.offsets)


def test_variable_keeps_offsets_of_its_value():
    r = process_word("${BASE}", {"BASE": SourcedStr.literal("python:3.11", 40)})
    assert r.text == "python:3.11"
    assert offs(r) == list(range(40, 51))
    assert r.span() == (40, 51)


def test_dollar_name_form_and_word_characters():
    word = SourcedStr.literal("FROM=$BASE-x", 10)
    r = process_word(word, {"BASE": SourcedStr.literal("alpine", 100)})
    assert r.text == "FROM=alpine-x"
    assert offs(r) == [10, 11, 12, 13, 14] + list(range(100, 106)) + [20, 21]


def test_plain_str_env_value_is_unknown():
    r = process_word(SourcedStr.literal("a$X", 0), {"X": "yz"})
    assert r.text == "ayz"
    assert offs(r) == [0, -1, -1]


def test_plain_str_word_is_unknown():
    r = process_word("a'b'", {})
    assert r.text == "ab"
    assert offs(r) == [-1, -1]


def test_default_word_points_at_default_characters():
    text = '"${REG:-nexus.shared.cwiq.io:8444}/app"'
    word = SourcedStr.literal(text, 100)
    r, matched, unmatched = process_word_with_matches(word, {})
    assert r.text == "nexus.shared.cwiq.io:8444/app"
    start = 100 + text.index("nexus")
    assert offs(r)[:25] == list(range(start, start + 25))
    slash = 100 + text.index("/app")
    assert offs(r)[25:] == [slash, slash + 1, slash + 2, slash + 3]
    assert r.span(0, 25) == (start, start + 25)
    assert unmatched == {"REG"} and matched == set()


def test_default_not_used_when_set():
    word = SourcedStr.literal("${REG:-docker.io}/app", 0)
    r = process_word(word, {"REG": SourcedStr.literal("nexus:8444", 500)})
    assert r.text == "nexus:8444/app"
    assert offs(r) == list(range(500, 510)) + [17, 18, 19, 20]


def test_alternative_word_and_nested_variable():
    word = SourcedStr.literal("${V:+-${V}}", 0)
    r = process_word(word, {"V": SourcedStr.literal("v7", 90)})
    assert r.text == "-v7"
    assert offs(r) == [5, 90, 91]


def test_unset_reported_unmatched():
    r, matched, unmatched = process_word_with_matches(SourcedStr.literal("$UNSET/x", 7), {"SET": "1"})
    assert r.text == "/x"
    assert offs(r) == [13, 14]
    assert unmatched == {"UNSET"} and matched == set()


def test_escapes_and_quotes_removed_offsets_remain():
    text = r"a\ b'c d'\"e\\f"
    r = process_word(SourcedStr.literal(text, 0), {})
    assert r.text == 'a bc d"e\\f'
    # a=0, \ =1 (gone), ' '=2, b=3, '=4 (gone), c=5, ' '=6, d=7, '=8 (gone),
    # \ =9 (gone), "=10, e=11, \ =12 (gone), \=13, f=14
    assert offs(r) == [0, 2, 3, 5, 6, 7, 10, 11, 13, 14]


def test_double_quotes_offsets():
    text = '"x\\$y\\q$Z"'
    r = process_word(SourcedStr.literal(text, 0), {"Z": SourcedStr.literal("zz", 50)})
    assert r.text == "x$y\\qzz"
    assert offs(r) == [1, 3, 4, 5, 6, 50, 51]


def test_backtick_escape():
    r = process_word(SourcedStr.literal("a`$b`\\c", 0), {"b": "X"}, escape="`")
    assert r.text == "a$b\\c"
    assert offs(r) == [0, 2, 3, 5, 6]


def test_lone_dollar_keeps_offset():
    r = process_word(SourcedStr.literal("$.x", 3), {})
    assert r.text == "$.x"
    assert offs(r) == [3, 4, 5]


def test_trim_prefix_and_suffix_keep_value_offsets():
    env = {"IMG": SourcedStr.literal("registry:5000/team/app:1.2", 200)}
    r = process_word("${IMG##*/}", env)
    assert r.text == "app:1.2"
    assert r.span() == (219, 226)
    r = process_word("${IMG%:*}", env)
    assert r.text == "registry:5000/team/app"
    assert r.span() == (200, 222)
    r = process_word("${IMG%%:*}", env)
    assert r.text == "registry"
    assert r.span() == (200, 208)
    r = process_word("${IMG#*:}", env)
    assert r.text == "5000/team/app:1.2"
    assert r.span() == (209, 226)


def test_replace_keeps_value_and_replacement_offsets():
    word = SourcedStr.literal("${R/docker.io/nexus}", 0)
    r = process_word(word, {"R": SourcedStr.literal("docker.io/lib/x", 100)})
    assert r.text == "nexus/lib/x"
    assert offs(r) == [14, 15, 16, 17, 18] + list(range(109, 115))


def test_replace_all_template():
    env = {"V": SourcedStr.literal("a-b-c", 10)}
    # $0 in a // replacement is the whole match (Go's Expand), $$ is '$'
    r = process_word(SourcedStr.literal("${V//-/<$W>}", 0), {**env, "W": "$0$$"})
    assert r.text == "a<-$>b<-$>c"
    assert offs(r) == [10, 7, 11, -1, 10, 12, 7, 13, -1, 10, 14]
    # the single form inserts the replacement literally
    r = process_word("${V/-/$W}", {**env, "W": "$0"})
    assert r.text == "a$0b-c"


def test_words_keep_offsets():
    word = SourcedStr.literal('a "b c" $X', 0)
    ws = process_words(word, {"X": SourcedStr.literal("d e", 30)})
    assert [w.text for w in ws] == ["a", "b c", "d", "e"]
    assert [offs(w) for w in ws] == [[0], [3, 4, 5], [30], [32]]


def test_words_buffer_reset_like_buildkit():
    # BuildKit's nested word reader resets the shared field buffer.
    assert [w.text for w in process_words("hello${X:-a}bye", {})] == ["abye"]
    assert [w.text for w in process_words("x y${X:-a b}z", {})] == ["x", "a", "bz"]
    assert process_word("hello${X:-a}bye", {}).text == "helloabye"


def test_case_insensitive_lookup():
    r, matched, unmatched = process_word_with_matches("$pwd ${Pwd}", {"PWD": "/h"}, case_insensitive=True)
    assert r.text == "/h /h"
    assert matched == {"pwd", "Pwd"} and unmatched == set()
    r, matched, unmatched = process_word_with_matches("$pwd", {"PWD": "/h"})
    assert r.text == "" and unmatched == {"pwd"}


def test_envs_from_slice():
    env = envs_from_slice(["a=1", "b", "a=2=3", SourcedStr.literal("c=xy", 10)])
    assert env["a"] == "2=3" and env["b"] == ""
    assert env["c"] == SourcedStr("xy", [12, 13])
    assert get_env(env, "c")[0].span() == (12, 14)
    assert get_env(env, "zz") == (SourcedStr(""), False)


def test_error_message_and_reason():
    with pytest.raises(WordError) as info:
        process_word("x${A:?need A}", {})
    assert str(info.value) == 'failed to process "x${A:?need A}": A: need A'
    assert info.value.reason == "A: need A"
    with pytest.raises(WordError) as info:
        process_word("${A:-${B}", {})
    assert info.value.reason == "syntax error: missing '}'"
    with pytest.raises(WordError) as info:
        process_word("${A/x", {})
    assert info.value.reason == "syntax error: missing '/' in ${}"
    with pytest.raises(WordError) as info:
        process_word("${A#\\x}", {"A": "a"})
    assert info.value.reason == "invalid pattern (\\x) in substitution: invalid escape '\\x'"
    with pytest.raises(WordError) as info:
        process_word("${A:=b}", {})
    assert info.value.reason == "unsupported modifier (:=) in substitution"


def test_leading_bom_is_dropped_like_text_scanner():
    assert process_word("\ufeff$A", {"A": "x"}).text == "x"
    assert process_word("a\ufeff", {}).text == "a\ufeff"


# --------------------------------------------------------------------------
# Pattern matcher: same answers as a backtracking regex engine (Go's regexp is
# leftmost-first like Python's re for these expressions).


def _to_regex(pattern: str, greedy: bool) -> str:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        i += 1
        if c == "*":
            out.append(".*" if greedy else ".*?")
        elif c == "?":
            out.append(".")
        elif c == "\\":
            out.append(re.escape(pattern[i]))
            i += 1
        else:
            out.append(re.escape(c))
    return "".join(out)


def test_matcher_agrees_with_backtracking_regex():
    rng = random.Random(1234)
    alphabet = "ab\n*?"
    for _ in range(4000):
        pat = "".join(rng.choice("ab*?") if rng.random() < 0.9 else "\\*" for _ in range(rng.randint(0, 5)))
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        greedy = rng.random() < 0.5
        prog = _compile_pattern(pat, greedy)
        rx = re.compile(_to_regex(pat, greedy))
        for anchored in (True, False):
            for start in range(len(s) + 1):
                m = (rx.match if anchored else rx.search)(s, start)
                want = m.span() if m else None
                assert _find(prog, s, start, anchored) == want, (pat, s, greedy, anchored, start)


def test_replace_all_empty_matches_follow_go():
    # Go skips an empty match right after a match; Python's re.sub does not.
    env = {"V": "abxd"}
    assert process_word("${V//*/-}", env).text == "-"
    assert process_word("${V//x/-}", env).text == "ab-d"
    assert process_word("${V///-}", env).text == "-a-b-x-d-"


# --------------------------------------------------------------------------
# Robustness: only WordError or a result, never hangs or RecursionError.


def test_deep_nesting_no_recursion():
    depth = 10_000
    word = "${a:-" * depth + "x" + "}" * depth
    assert process_word(word, {}).text == "x"
    r, _m, un = process_word_with_matches(word, {})
    assert un == {"a"}
    assert [w.text for w in process_words(word, {})] == ["x"]
    with pytest.raises(WordError):
        process_word("${a:-" * depth + "x", {})
    word = '"${a:-' * depth + "x" + '}"' * depth
    assert process_word(word, {}).text == "x"


def test_unterminated_forms():
    for word in ["${", "${a", "${a:-", "${a:-b", "${a/", "${a//b", "${a/b/c", '"', "'", '"${a}', "${a:", "$'"]:
        with pytest.raises(WordError):
            process_word(word, {"a": "1"})


def test_lone_escape_at_end():
    assert process_word("abc\\", {}).text == "abc"
    assert process_word("\\", {}).text == ""
    with pytest.raises(WordError):
        process_word('"abc\\', {})
    with pytest.raises(WordError):
        process_word("${a:-\\", {})


def test_exponential_replacement_is_refused():
    env = {"A": "a" * 200}
    word = "${A//?/${A//?/${A//?/$A}}}"
    with pytest.raises(WordError) as info:
        process_word(word, env)
    assert "too large" in str(info.value)
    assert MAX_RESULT_CHARS >= 1_000_000


def test_pathological_pattern_is_fast():
    env = {"A": "a" * 3000}
    assert process_word("${A#*a*a*a*a*a*b}", env).text == "a" * 3000
    assert process_word("${A%%*a*a*a*a*a*b}", env).text == "a" * 3000
    assert process_word("${A/a*a*a*a*b/x}", {"A": "a" * 300}).text == "a" * 300


def test_random_words_only_result_or_word_error():
    rng = random.Random(99)
    alphabet = ["$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "*", "\\", "'", '"', "`", "a", "B", "_", "1", "0", "@", " ", "\n", "é", "\ufeff", "\x00"]
    env = {"a": "x y", "B": "", "_": SourcedStr.literal("zz", 5), "1": "*/"}
    for i in range(6000):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        esc = "`" if i % 5 == 0 else "\\"
        for fn in (process_word, process_words, process_word_with_matches):
            try:
                out = fn(word, env, esc, case_insensitive=bool(i % 2))
            except WordError:
                continue
            if fn is process_word:
                assert isinstance(out, SourcedStr)
                assert len(out.offsets) == len(out.text)
            elif fn is process_words:
                assert all(isinstance(w, SourcedStr) and w.text for w in out)


def test_every_located_character_is_the_character_at_its_offset():
    # Lay a word and its variables out in one "file"; whatever the lexer does,
    # a result character with a known offset must be the file's character there.
    rng = random.Random(7)
    atoms = ["$", "{", "}", ":-", ":+", "-", "+", "#", "##", "%", "%%", "/", "//", "*", "?", "\\", "'", '"',
             "a", "b", " ", "${a", "${b", "$a", "$b", "$0", "$$", "x", "\\*", "\\}"]
    values = ["x y", "a*b", "/p/q", "aab", "$0", "$$", "", "*", "b a"]
    for _ in range(4000):
        word = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        va, vb = rng.choice(values), rng.choice(values)
        file = word + "\nARG a=" + va + "\nARG b=" + vb + "\n"
        env = {
            "a": SourcedStr.literal(va, len(word) + 7),
            "b": SourcedStr.literal(vb, len(word) + 7 + len(va) + 7),
        }
        src = SourcedStr.literal(word, 0)
        try:
            outs = [process_word(src, env)] + process_words(src, env)
        except WordError:
            continue
        for out in outs:
            for ch, off in zip(out.text, out.offsets):
                assert off == -1 or file[off] == ch, (word, va, vb, out)


def test_api_types():
    with pytest.raises(TypeError):
        process_word(3, {})
    with pytest.raises(TypeError):
        process_word("$A", {"A": 3})
    with pytest.raises(ValueError):
        process_word("$A", {}, escape="ab")
    # an offsets array of another type code is accepted
    r = process_word("$A", {"A": SourcedStr("xy", array("l", [1, 2]))})
    assert offs(r) == [1, 2]
