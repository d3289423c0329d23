"""The language server, driven over stdio by a real LSP client (pytest-lsp's,
built on pygls): the diagnostics equal the command line's JSON findings for the
same files, the code actions give what --fix writes, hover shows the rule's
page, a config change re-lints, and hostile input never takes it down."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import make_test_lsp_client

from conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


class Session:
    def __init__(self, client) -> None:
        self.client = client
        self.versions = {}

    async def wait(self, uri: str, timeout: float = 30.0):
        """The next diagnostics published for ``uri``."""
        for _ in range(int(timeout / 0.02)):
            if uri in self.client.diagnostics:
                return self.client.diagnostics.pop(uri)
            await asyncio.sleep(0.02)
        raise AssertionError(f"no diagnostics for {uri}")

    async def open(self, path: Path, text: str, language: str = "plaintext"):
        uri = _uri(path)
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return await self.wait(uri)

    async def change(self, path: Path, text: str):
        uri = _uri(path)
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
        return await self.wait(uri)

    async def actions(self, path: Path, line: int = 0, end_line: int = 10 ** 6, only=None):
        return await self.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=_uri(path)),
            range=lsp.Range(start=lsp.Position(line=line, character=0), end=lsp.Position(line=end_line, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=only)))


def session(root: Path, scenario, options=None):
    """Run ``scenario(Session)`` against a freshly started ``nexus-lint server``."""

    async def go():
        client = make_test_lsp_client()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        await client.start_io(sys.executable, "-m", "nexus_lint", "server", env=env, cwd=str(root))
        caps = lsp.ClientCapabilities(workspace=lsp.WorkspaceClientCapabilities(
            did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)))
        await client.initialize_session(lsp.InitializeParams(
            capabilities=caps, root_uri=root.resolve().as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.resolve().as_uri(), name="w")],
            initialization_options=dict({"debounce": 20}, **(options or {}))))
        try:
            return await scenario(Session(client))
        finally:
            await client.shutdown_session()
            await client.stop()

    return asyncio.run(go())


def _pos(d):
    return (d.code, d.range.start.line + 1, d.range.start.character + 1)


def _cli_json(cli, root: Path, *args):
    out = json.loads(cli(["check", "--format", "json", "--no-cache", *args], cwd=root).out)
    return sorted((f["filename"], f["code"], f["location"]["row"], f["location"]["column"]) for f in out)


def _apply(text: str, edits) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(p):
        before = "".join(lines[:p.line])
        line = lines[p.line] if p.line < len(lines) else ""
        units, i = 0, 0
        while units < p.character and i < len(line):
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return len(before) + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
        lines = text.splitlines(keepends=True) or [""]
    return text


CI = """\
stages: [build]
build:
  image: docker:24
  variables:
    NEXUS_PASSWORD: "hunter2-super-secret"
  script:
    - docker pull nginx:1.25
    - ./ci/publish.sh
"""
FILES = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "Dockerfile": "# é ünïcode 😀 comment\nFROM python:3.12  # 😀\nRUN pip install --index-url http://nexus.shared.cwiq.io/repository/pypi/simple flask\n",
    ".gitlab-ci.yml": CI,
    "ci/publish.sh": "#!/bin/sh\ndocker pull redis:7\ncurl -u admin:s3cr3t-passw0rd https://nexus.shared.cwiq.io/service/rest/v1/status\n",
    ".npmrc": "//nexus.shared.cwiq.io/repository/npm/:_authToken=npm_abcdefghijklmnop1234\n"
              "registry=http://nexus.shared.cwiq.io/repository/npm/\n",
    "requirements.txt": "--index-url http://nexus.shared.cwiq.io/repository/pypi/simple\nflask\n",
}


def test_diagnostics_equal_the_cli_findings_for_every_file(tmp_path, cli):
    root = write_tree(tmp_path / "repo", FILES)
    expected = _cli_json(cli, root, ".")

    async def scenario(s):
        got = []
        for name in sorted(n for n in FILES if not n.startswith(".git/")):
            diags = await s.open(root / name, (root / name).read_text())
            got += [(name, *_pos(d)) for d in diags]
            for d in diags:
                assert d.source == "nexus-lint" and d.code_description.href.endswith(f"{d.code}.md")
                assert d.severity in (lsp.DiagnosticSeverity.Error, lsp.DiagnosticSeverity.Warning)
                blob = json.dumps(s.client.protocol._converter.unstructure(d))
                assert not any(x in blob for x in ("hunter2-super", "s3cr3t-passw0rd", "abcdefghijklmnop1234"))
        return got

    got = sorted(session(root, scenario))
    assert got == expected
    assert {g[0] for g in got} >= {"Dockerfile", ".gitlab-ci.yml", "ci/publish.sh", ".npmrc", "requirements.txt"}
    # ci/publish.sh is run by the pipeline: CI context, as in the CLI
    assert [g for g in got if g[0] == "ci/publish.sh"], got


def test_utf16_range_and_change_from_the_unsaved_buffer(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "x.sh": "#!/bin/sh\n"})

    async def scenario(s):
        first = await s.open(root / "x.sh", "#!/bin/sh\ndocker pull redis:7\n")
        assert [_pos(d) for d in first] == [("NX101", 2, 13)]
        # an edit that is never saved: the buffer is linted, in UTF-16 units (😀 is two)
        diags = await s.change(root / "x.sh", '#!/bin/sh\necho "😀" && docker pull redis:7\r\n')
        assert [(x.range.start.line, x.range.start.character, x.range.end.character) for x in diags] == [(1, 25, 30)]
        return True

    assert session(root, scenario)


def test_quick_fix_and_fix_all_give_the_cli_fix(tmp_path, cli):
    text = "FROM python:3.12\nRUN pip install --index-url http://nexus.shared.cwiq.io/repository/pypi/simple flask\n"
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "Dockerfile": text})
    cli(["check", "--fix", "--no-cache", "Dockerfile"], cwd=root)
    fixed = (root / "Dockerfile").read_text()
    assert fixed != text
    (root / "Dockerfile").write_text(text)

    async def scenario(s):
        diags = await s.open(root / "Dockerfile", text)
        actions = await s.actions(root / "Dockerfile")
        fix_all = [a for a in actions if a.kind == "source.fixAll.nexus-lint"]
        assert len(fix_all) == 1
        quick = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix and "Suppress" not in a.title]
        assert quick and all(a.is_preferred != a.title.endswith("(unsafe)") for a in quick)
        suppress = [a for a in actions if a.title.startswith("Suppress ")]
        assert {a.title for a in suppress} >= {f"Suppress {d.code} on this line" for d in diags if d.code == "NX101"}
        uri = _uri(root / "Dockerfile")
        safe_one = [a for a in quick if a.is_preferred]
        assert {a.title.split(":")[0] for a in safe_one} == {"NX101", "NX202"}
        one = _apply(text, [e for a in safe_one for e in a.edit.changes[uri]])
        suppressed = _apply(text, [e for a in suppress if a.title == "Suppress NX101 on this line"
                                   for e in a.edit.changes[uri]])
        after = await s.change(root / "Dockerfile", suppressed)
        return _apply(text, fix_all[0].edit.changes[uri]), one, suppressed, after

    all_fixed, one, suppressed, after = session(root, scenario)
    assert all_fixed == fixed
    assert one == fixed  # the two quick fixes together: what --fix writes
    assert suppressed.startswith("# nexus-lint: ignore[NX101]\nFROM python:3.12\n")
    assert "NX101" not in {d.code for d in after}


def test_suppress_in_the_kinds_own_comment_syntax(tmp_path):
    devc = '{\n  // dev container\n  "image": "python:3.12"\n}\n'
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", ".devcontainer/devcontainer.json": devc,
                                          "ci/x.sh": "#!/bin/sh\ndocker pull redis:7\n"})

    async def scenario(s):
        out = {}
        for name in (".devcontainer/devcontainer.json", "ci/x.sh"):
            diags = await s.open(root / name, (root / name).read_text())
            assert diags, name
            acts = await s.actions(root / name)
            out[name] = [e.new_text for a in acts if a.title.startswith("Suppress") for e in a.edit.changes[_uri(root / name)]]
        return out

    out = session(root, scenario)
    assert out["ci/x.sh"] and all(t.startswith("# nexus-lint: ignore[NX") for t in out["ci/x.sh"])
    assert out[".devcontainer/devcontainer.json"]
    assert all(t.lstrip().startswith("// nexus-lint: ignore[NX") for t in out[".devcontainer/devcontainer.json"])


def test_hover_shows_the_rule_page(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n"})

    async def scenario(s):
        await s.open(root / "Dockerfile", "FROM alpine:3.19\n")
        uri = _uri(root / "Dockerfile")
        on = await s.client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=8)))
        off = await s.client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=1)))
        return on, off

    on, off = session(root, scenario)
    page = (ROOT / "rules" / "NX101.md").read_text(encoding="utf-8").strip()
    assert on.contents.kind == lsp.MarkupKind.Markdown and on.contents.value == page
    assert off is None


def test_config_change_relints_and_broken_config_is_one_message(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "Dockerfile": "FROM alpine:3.19\n"})

    async def scenario(s):
        first = await s.open(root / "Dockerfile", "FROM alpine:3.19\n")
        uri = _uri(root / "Dockerfile")
        events = []
        for config in ('ignore = ["NX101"]\n', "select = [\n", 'ignore = []\n'):
            (root / ".nexus-lint.toml").write_text(config)
            s.client.diagnostics.pop(uri, None)
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
                uri=_uri(root / ".nexus-lint.toml"), type=lsp.FileChangeType.Changed)]))
            events.append([d.code for d in await s.wait(uri)])
        # the same broken config again: no second message
        return first, events, list(s.client.messages)

    first, events, messages = session(root, scenario)
    assert [d.code for d in first] == ["NX101"]
    assert events == [[], [], ["NX101"]]
    assert len(messages) == 1 and messages[0].type == lsp.MessageType.Error and ".nexus-lint.toml" in messages[0].message


def test_settings_from_initialization_options(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", ".nexus-lint.toml": 'ignore = ["NX101"]\n'})

    async def scenario(s):
        return [d.code for d in await s.open(root / "Dockerfile", "FROM alpine:3.19\nRUN curl -k https://x.io\n")]

    assert "NX101" not in session(root, scenario)
    assert "NX101" in session(root, scenario, {"isolated": True})
    assert session(root, scenario, {"isolated": True, "select": ["NX101"]}) == ["NX101"]
    assert "NX101" not in session(root, scenario, {"isolated": True, "ignore": "NX101"})


def test_hostile_inputs_never_take_it_down(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n"})
    big = "FROM alpine:3.19\n" + "RUN echo " + "x" * 80 + "\n" * 1
    big = big * (11 * 1024 * 1024 // len(big))

    async def scenario(s):
        out = {}
        out["big"] = [(d.code, d.message) for d in await s.open(root / "Dockerfile", big)]
        out["binary"] = [d.code for d in await s.open(root / "ci/x.sh", "#!/bin/sh\n\x00\x01\x02\udcff\x7f")]
        heredoc = "FROM alpine:3.19\nRUN <<EOF\n  echo hi\n"
        out["heredoc"] = [d.code for d in await s.open(root / "sub/Dockerfile", heredoc)]
        for i in range(3):
            out["heredoc"] = [d.code for d in await s.change(root / "sub/Dockerfile", heredoc[:len(heredoc) - i * 3])]
        # still alive and answering
        out["after"] = [d.code for d in await s.open(root / "other/Dockerfile", "FROM alpine:3.19\n")]
        return out

    out = session(root, scenario)
    assert out["big"] and out["big"][0][0] == "NX000" and "max-file-size" in out["big"][0][1]
    assert out["after"] == ["NX101"]




# -- the editor setups in the README --------------------------------------------------------


def _editor_blocks():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### 4. In the editor: the language server")
    section = readme[start:readme.index("\n## ", start)]
    return re.findall(r"^```(\w+)\n(.*?)^```", section, re.M | re.S)


def _balanced_lisp(text: str) -> bool:
    depth, i, in_str = 0, 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0 and not in_str


def test_editor_snippets_are_valid_and_name_the_server_command():
    import subprocess
    import tomllib

    import lupa

    from nexus_lint.cli import build_parser

    blocks = _editor_blocks()
    langs = [lang for lang, _ in blocks]
    assert {"lua", "toml", "elisp", "json", "sh"} <= set(langs)
    lua_error = lupa.LuaRuntime().eval("function(s) local f, e = load(s); return e end")
    for lang, code in blocks:
        if lang == "lua":
            assert lua_error(code) is None
            assert '{ "nexus-lint", "server" }' in code
        elif lang == "toml":
            table = tomllib.loads(code)
            server = table["language-server"]["nexus-lint"]
            assert [server["command"], *server["args"]] == ["nexus-lint", "server"]
            assert all("nexus-lint" in lang_["language-servers"] for lang_ in table["language"])
        elif lang == "elisp":
            assert _balanced_lisp(code) and '("nexus-lint" "server"' in code
        elif lang == "json":
            assert set(json.loads(code)) == {"select", "ignore", "isolated"}
    # the command they start exists, and so does the VS Code extension's
    assert build_parser().parse_args(["server"]).command == "server"
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert package["main"] == "./extension.js" and "vscode-languageclient" in package["dependencies"]
    extension = (ROOT / "editors" / "vscode" / "extension.js").read_text(encoding="utf-8")
    assert 'args: ["server"]' in extension and '"nexus-lint"' in extension
    import shutil

    if shutil.which("node"):  # (where Node.js is installed: the extension's syntax too)
        assert subprocess.run(["node", "--check", str(ROOT / "editors" / "vscode" / "extension.js")]).returncode == 0


def test_the_server_command_answers_initialize_as_a_console_script(tmp_path):
    """`nexus-lint server` itself (the command the editors start), not `python -m`."""
    import subprocess

    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
    exit_ = json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()
    data = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(b), b) for b in (body, exit_))
    from conftest import run_process

    proc = run_process(["server"], cwd=tmp_path, stdin=data)
    head, _, rest = proc.stdout.partition(b"\r\n\r\n")
    length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
    reply = json.loads(rest[:length])
    caps = reply["result"]["capabilities"]
    assert reply["result"]["serverInfo"]["name"] == "nexus-lint"
    assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix", "source.fixAll.nexus-lint"]
    assert caps["hoverProvider"] is True


def test_related_information_points_at_the_use_of_a_variable(tmp_path):
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n"})

    async def scenario(s):
        return await s.open(root / "Dockerfile", "ARG BASE=alpine:3.19\nFROM ${BASE}\n")

    (d,) = session(root, scenario)
    assert _pos(d) == ("NX101", 1, 10)
    (rel,) = d.related_information
    assert rel.location.uri == _uri(root / "Dockerfile") and rel.message == "used here by FROM through $BASE"
    assert (rel.location.range.start.line, rel.location.range.start.character,
            rel.location.range.end.character) == (1, 5, 12)


def test_a_new_ci_file_that_runs_an_open_script_relints_it(tmp_path, cli):
    script = "#!/bin/sh\ncurl -fsS https://nexus.dev.cwiq.io/service/rest/v1/status\n"
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "scripts/deploy.sh": script})

    async def scenario(s):
        before = await s.open(root / "scripts/deploy.sh", script)
        (root / ".gitlab-ci.yml").write_text("deploy:\n  script:\n    - bash scripts/deploy.sh\n")
        s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
            uri=_uri(root / ".gitlab-ci.yml"), type=lsp.FileChangeType.Created)]))
        return before, await s.wait(_uri(root / "scripts/deploy.sh"))

    before, after = session(root, scenario)
    assert "NX301" not in {d.code for d in before}  # a developer's script: the dev host is fine
    assert [_pos(d) for d in after if d.code == "NX301"] == [
        (c, r, col) for (_, c, r, col) in _cli_json(cli, root, "scripts/deploy.sh") if c == "NX301"]
    assert "NX301" in {d.code for d in after}


def test_fix_all_sends_back_only_what_changes_never_a_secret(tmp_path, cli):
    text = ("#!/bin/sh\ncurl -u admin:s3cr3t-passw0rd http://nexus.shared.cwiq.io/service/rest/v1/status\n"
            "docker pull redis:7\n")
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "ci/a.sh": text})
    cli(["check", "--fix", "--no-cache", "ci/a.sh"], cwd=root)
    fixed = (root / "ci/a.sh").read_text()

    async def scenario(s):
        await s.open(root / "ci/a.sh", text)
        return await s.actions(root / "ci/a.sh", only=["source.fixAll"])

    (action,) = session(root, scenario)
    edits = action.edit.changes[_uri(root / "ci/a.sh")]
    assert fixed != text and _apply(text, edits) == fixed
    assert not any("s3cr3t" in e.new_text for e in edits)
    assert action.kind == "source.fixAll.nexus-lint"


def test_a_file_that_times_out_is_nx000_and_the_server_goes_on(tmp_path):
    # a config limit far below what the analysis of a long script needs
    script = "#!/bin/sh\n" + "".join(f"docker pull redis:{i} && echo {i} | tr a b\n" for i in range(3000))
    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "slow/.nexus-lint.toml": "timeout = 0.0001\n"})

    async def scenario(s):
        slow = await s.open(root / "slow/x.sh", script)
        fast = await s.open(root / "ci/x.sh", "#!/bin/sh\ndocker pull redis:7\n")
        return slow, fast

    slow, fast = session(root, scenario)
    assert [(d.code, "timeout" in d.message) for d in slow] == [("NX000", True)]
    assert [d.code for d in fast] == ["NX101"]


def test_ci_script_findings_follow_every_edit_never_a_stale_one(tmp_path, cli, monkeypatch):
    """The analyses of CI script lines are kept across edits (kinds/script_memo.py):
    a finding appears and goes with the line's text, moves with its line, and
    follows a variable's value; each step equals the command line's findings
    (run here in this process, with the memo off: each version analysed afresh)."""
    from nexus_lint.kinds import script_memo

    root = write_tree(tmp_path / "repo", {".git/HEAD": "x\n", "ci/publish.sh": "#!/bin/sh\necho\n"})
    base = ("variables:\n  REG: nexus.shared.cwiq.io:8443\n"
            "build:\n  script:\n    - echo hi\n    - docker push $REG/app:1\n    - ./ci/publish.sh\n"
            "test:\n  script:\n    - docker login nexus.shared.cwiq.io:8443 -u ci --password-stdin < /run/s\n"
            "    - docker pull $REG/app:1\n")
    pulled = base.replace("- echo hi", "- docker pull redis:7")
    versions = [
        base,
        pulled,  # NX101 appears on the edited line
        pulled.replace("build:", "# a comment\nbuild:"),  # every line below moves
        pulled.replace("build:", "# a comment\nbuild:").replace("variables:", "# top\nvariables:"),  # all move
        base,  # NX101 gone again
        base.replace(":8443\n", ":8444\n", 1),  # the variable's value changes: the push goes via the pull port
        base.replace("- echo hi", '- "docker pull redis:7  # nexus-lint: ignore[NX101]"'),  # a shell comment
        base.replace("- echo hi", '- "docker pull redis:7  # no marker"'),
    ]
    expected = []
    monkeypatch.setattr(script_memo, "enabled", False)
    for text in versions:
        (root / ".gitlab-ci.yml").write_text(text)
        expected.append([(c, r, col) for (_, c, r, col) in _cli_json(cli, root, ".gitlab-ci.yml")])

    async def scenario(s):
        got = [[_pos(d) for d in await s.open(root / ".gitlab-ci.yml", versions[0])]]
        for text in versions[1:]:
            got.append([_pos(d) for d in await s.change(root / ".gitlab-ci.yml", text)])
        return got

    got = session(root, scenario)
    assert [sorted(g) for g in got] == [sorted(e) for e in expected]
    assert [c for c, _, _ in expected[1]].count("NX101") == 1 + [c for c, _, _ in expected[0]].count("NX101")
    assert expected[2] != expected[1] and expected[5] != expected[4]
    assert "NX101" not in {c for c, _, _ in expected[6]} and "NX101" in {c for c, _, _ in expected[7]}
