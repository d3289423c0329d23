"""Property-based tests (issue 8, item 1): for every file kind and for the
shell, URL, image-reference, word and YAML analysers,

* arbitrary bytes, arbitrary text and arbitrary mutations of valid files never
  raise (an extractor is called directly, so an internal error is not hidden
  by the engine's safety net);
* every span lies inside the file, and every character a fact says stands at
  offset ``o`` is the character at ``o`` (so a finding and a fix land on the
  text they talk about);
* every finding's line and column agree with its offset, and for generated
  files the finding's text is part of the value its message reports, on a line
  that holds that value;
* fixes applied to a parseable file give a parseable file, in the file's own
  encoding, and fixing again changes nothing.

Example counts are small so the default run stays fast; set
``NEXUS_LINT_HYPOTHESIS_EXAMPLES`` for a longer run (``fuzz/run.py`` is the
100,000-input one).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import corpus
import invariants
from conftest import make_linter
from nexus_lint.values import imageref; from nexus_lint.lang import shellwords; from nexus_lint.values import urls; from nexus_lint.lang import yamldoc
from nexus_lint.lang.shell import analyse
from nexus_lint.core.sourced import SourcedStr

LINTER = make_linter()
KINDS = [(k.name, corpus.sample_path(k)) for k in LINTER.classifier.kinds]
KIND_IDS = [name for name, _ in KINDS]
EXAMPLES = int(os.environ.get("NEXUS_LINT_HYPOTHESIS_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)



@st.composite
def mutated(draw, seeds):
    """A seed with up to eight random edits."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 8))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        op = draw(st.sampled_from(("insert", "insert", "delete", "duplicate", "replace", "swap-lines", "truncate")))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(corpus.TOKENS) | st.text(CHARS, max_size=3)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] * draw(st.integers(1, 3)) + text[j:]
        elif op == "replace" and i < n:
            text = text[:i] + draw(st.sampled_from(corpus.SYNTAX_CHARS)) + text[i + 1:]
        elif op == "swap-lines":
            lines = text.split("\n")
            a = draw(st.integers(0, len(lines) - 1))
            b = draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op == "truncate":
            text = text[:i]
    return text


# Any character a decoded file can hold (never a lone surrogate: decoding is strict).
CHARS = st.characters(blacklist_categories=("Cs",))
shellish = st.lists(st.sampled_from(corpus.SYNTAX_CHARS) | st.sampled_from(corpus.TOKENS) | CHARS, max_size=150).map("".join)


def run_kind(kind_name: str, path: str, text: str):
    return invariants.run_kind(LINTER, kind_name, path, text)


def run_bytes(kind_name: str, path: str, data: bytes) -> None:
    invariants.run_bytes(LINTER, kind_name, path, data)


# -- 1. nothing raises; spans and positions are right --------------------------------------

@pytest.mark.parametrize("kind_name,path", KINDS, ids=KIND_IDS)
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(kind_name, path, data):
    run_bytes(kind_name, path, data)


@pytest.mark.parametrize("kind_name,path", KINDS, ids=KIND_IDS)
@SETTINGS
@given(text=shellish)
def test_arbitrary_text(kind_name, path, text):
    run_kind(kind_name, path, text)


@pytest.mark.parametrize("kind_name,path", KINDS, ids=KIND_IDS)
@SETTINGS
@given(data=st.data())
def test_mutated_valid_files(kind_name, path, data):
    text = data.draw(mutated(corpus.seeds_for(kind_name)))
    run_kind(kind_name, path, text)
    run_bytes(kind_name, path, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("kind_name,path", KINDS, ids=KIND_IDS)
def test_every_seed_is_clean_of_internal_errors(kind_name, path):
    for seed in corpus.seeds_for(kind_name):
        run_kind(kind_name, path, seed)
        for encoding in ("utf-8-sig", "utf-16", "latin-1"):
            try:
                data = seed.encode(encoding)
            except UnicodeEncodeError:
                continue
            run_bytes(kind_name, path, data)


# -- 2. findings point at the value they report ------------------------------------------

_REG = st.sampled_from([
    "", "docker.io/", "index.docker.io/", "registry-1.docker.io/", "nexus.shared.cwiq.io/",
    "nexus.shared.cwiq.io:8443/", "nexus.shared.cwiq.io:8444/", "nexus.shared.cwiq.io:443/",
    "nexus.shared.cwiq.io:5000/", "nexus.dev.cwiq.io:8444/", "ghcr.io/", "nexus.shard.cwiq.io:8444/",
])
_PATH = st.sampled_from(["python", "library/python", "orchestrator/app", "cwiq-app", "orchestrator/cwiq-tool",
                         "team/tool", "bitnami/redis"])
_TAG = st.sampled_from(["", ":1", ":3.11-slim", ":latest", "@sha256:" + "a" * 64])
IMAGES = st.builds(lambda r, p, t: r + p + t, _REG, _PATH, _TAG)
_SCHEME = st.sampled_from(["http://", "https://"])
_HOST = st.sampled_from(["nexus.shared.cwiq.io", "nexus.dev.cwiq.io", "nexus.shared.cwiq.io:8443",
                         "nexus.shared.cwiq.io:8444", "nexus.shared.cwiq.io:8081", "nexus.shard.cwiq.io",
                         "pypi.org"])
_REPO = st.sampled_from(["pypi-group/simple", "pypi-hosted", "pypi-proxy/simple/", "raw-hosted-prod/x.tgz",
                         "npm-hosted-dev/", "npm-group/", "maven-group/", "yum-hosted/", "pypi-group"])
URLS = st.builds(lambda s, h, r: f"{s}{h}/repository/{r}", _SCHEME, _HOST, _REPO)

TEMPLATES = {
    "dockerfile": ("Dockerfile", "FROM {img}\nRUN docker pull {img2} && pip install -i {url} x\n"),
    "gitlab-ci": (".gitlab-ci.yml", "job:\n  image: {img}\n  script:\n    - docker push {img2}\n    - curl --upload-file f {url}\n"),
    "github-actions": (".github/workflows/ci.yml",
                       "jobs:\n  b:\n    runs-on: x\n    container: {img}\n    steps:\n      - run: docker pull {img2}\n"),
    "compose": ("compose.yml", "services:\n  a:\n    image: {img}\n  b:\n    image: \"{img2}\"\n"),
    "kubernetes": ("pod.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: {img}\n    - image: '{img2}'\n"),
    "shell": ("build.sh", "docker pull {img}\ndocker push {img2}\npip install -i {url} x\ncurl -X PUT -T f {url}\n"),
    "requirements": ("requirements.txt", "--index-url {url}\nrequests\n"),
    "pip-conf": ("pip.conf", "[global]\nindex-url = {url}\n"),
    "pypirc": (".pypirc", "[distutils]\nindex-servers = a\n[a]\nrepository = {url}\n"),
    "pyproject": ("pyproject.toml", '[[tool.uv.index]]\nname = "a"\nurl = "{url}"\n'),
    "npmrc": (".npmrc", "registry={url}\n"),
    "yarnrc": (".yarnrc.yml", 'npmRegistryServer: "{url}"\n'),
    "package-json": ("package.json", '{{"publishConfig": {{"registry": "{url}"}}, "scripts": {{"a": "docker pull {img}"}}}}\n'),
    "yum-repo": ("nexus.repo", "[a]\nbaseurl={url}\n"),
    "maven": ("settings.xml", "<settings><mirrors><mirror><url>{url}</url></mirror></mirrors></settings>\n"),
    "python": ("x.py", 'import subprocess, requests\nsubprocess.run(["docker", "pull", "{img}"])\nrequests.get("{url}")\n'),
    "makefile": ("Makefile", "IMG ?= {img}\nURL := {url}\nall:\n\t@docker pull $(IMG)\n\tdocker push {img2}\n\t-curl -X PUT -T f $(URL)\n"),
}
_VALUE = re.compile(r"`([^`]+)`")


@pytest.mark.parametrize("kind_name", sorted(TEMPLATES))
@SETTINGS
@given(img=IMAGES, img2=IMAGES, url=URLS)
def test_findings_point_at_their_value(kind_name, img, img2, url):
    path, template = TEMPLATES[kind_name]
    assume(kind_name in LINTER.classifier.by_name)
    text = template.format(img=img, img2=img2, url=url)
    findings, failed = run_kind(kind_name, path, text)
    assert not failed, [f.message for f in findings]
    lines = text.split("\n")
    for f in findings:
        m = _VALUE.search(f.message)
        if m is None or f.start == f.end or f.rule.id.startswith("NX4"):
            continue
        value = m.group(1)
        here = text[f.start:f.end]
        assert here in value or value in here, (f.rule.id, f.message, here)
        # the line the finding names holds the value (every value here is written on one line)
        assert value in "\n".join(lines[f.line - 1:f.end_line]), (f.rule.id, f.line, value)


# -- 3. fixes keep a parseable file parseable ----------------------------------------------

def _check_fix(kind_name: str, path: str, text: str, encoding: str = "utf-8") -> None:
    kind = LINTER.classifier.by_name[kind_name]
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    result = LINTER.lint_bytes(path, data, kind, path)
    if result.parse_failed or result.source is None:
        assert LINTER.fix(result, kind, path, True) is result  # never fixed
        return
    fixed = LINTER.fix(result, kind, path, True)
    if fixed.fixed_text is None:
        return
    out = fixed.source.encode()  # the file's own encoding (never raises)
    again = LINTER.lint_bytes(path, out, kind, path)
    assert not again.parse_failed, (text, fixed.fixed_text, [f.message for f in again.findings])
    assert again.source.text == fixed.fixed_text
    # every fix is harmless on its own: none had to be dropped
    assert not fixed.dropped_fixes, (text, fixed.dropped_fixes)
    # converged: fixing the fixed file changes nothing
    assert LINTER.fix(again, kind, path, True).fixed_text is None, (text, fixed.fixed_text)


@pytest.mark.parametrize("kind_name", sorted(TEMPLATES))
@SETTINGS
@given(img=IMAGES, img2=IMAGES, url=URLS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_fixes_of_generated_files_parse(kind_name, img, img2, url, encoding):
    path, template = TEMPLATES[kind_name]
    assume(kind_name in LINTER.classifier.by_name)
    _check_fix(kind_name, path, template.format(img=img, img2=img2, url=url), encoding)


@pytest.mark.parametrize("kind_name,path", KINDS, ids=KIND_IDS)
@SETTINGS
@given(data=st.data())
def test_fixes_of_mutated_files_parse(kind_name, path, data):
    _check_fix(kind_name, path, data.draw(mutated(corpus.seeds_for(kind_name))))


# -- 4. the analysers on their own -------------------------------------------------------------

@SETTINGS
@given(text=shellish, shift=st.integers(0, 5))
def test_shell_analyser_never_raises_and_keeps_offsets(text, shift):
    host = "#" * shift + text
    invariants.check_shell_analysis(host, shift, analyse(SourcedStr.literal(text, shift)))


@SETTINGS
@given(text=st.lists(st.sampled_from(list("htps:/()[]{}.,;!?'\"<> x\\|^@") + ["http://", "https://"]),
                    max_size=100).map("".join))
def test_url_finder_spans(text):
    for s, e in urls.find_urls(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].lower().startswith(("http://", "https://"))
        urls.parse_url(text[s:e])


@SETTINGS
@given(text=st.text(CHARS, max_size=120) | URLS | st.builds(lambda a, b: a + b, URLS, st.text(CHARS, max_size=20)))
def test_url_parser_spans(text):
    url = urls.parse_url(text)
    if url is None:
        return
    for span in (url.scheme_span, url.host_span, url.port_span, url.path_span, url.userinfo_span,
                 getattr(url, "repository_span", None)):
        if span is not None:
            assert 0 <= span[0] <= span[1] <= len(text), (text, span)
    if not url.host.startswith("["):
        assert url.host in text


@SETTINGS
@given(text=st.text(CHARS, max_size=120) | IMAGES | st.builds(lambda a, b: a + b, IMAGES, st.text(CHARS, max_size=10)))
def test_image_reference_parser(text):
    for parse in (imageref.parse_normalized, imageref.parse_any, imageref.parse):
        try:
            ref = parse(text)
        except imageref.ImageRefError:
            continue
        for name in ("host_span", "port_span", "path_span", "tag_span", "digest_span", "domain_span"):
            span = getattr(ref, name, None)
            if span is not None:
                assert 0 <= span[0] <= span[1] <= len(text), (text, name, span)


@SETTINGS
@given(word=shellish, escape=st.sampled_from(["\\", "`"]))
def test_word_expansion_raises_only_word_errors(word, escape):
    env = {"A": SourcedStr.literal("alpha", 0), "EMPTY": SourcedStr("")}
    try:
        value = shellwords.process_word(SourcedStr.literal(word, 0), env, escape)
    except shellwords.WordError:
        return
    assert len(value.offsets) == len(value.text)


@SETTINGS
@given(text=shellish)
def test_yaml_reader_raises_only_yaml_errors(text):
    try:
        docs = yamldoc.load(text)
    except yamldoc.YamlError as exc:
        assert 0 <= exc.start <= exc.end <= len(text)
        return
    import yaml

    for doc in docs:
        for node in yamldoc.walk(doc):
            if isinstance(node, yaml.ScalarNode):
                value = yamldoc.scalar(node, text)
                assert value.text == node.value
                invariants.check_sourced(text, value)
