"""The language server (pygls): diagnostics for the open documents, from the
unsaved text, debounced; code actions (each fix, fix all safe, suppress);
hover with the rule's page; configs and CI files watched on disk.

Every handler is guarded: whatever goes wrong with one document is logged
(``window/logMessage``, never its text) and the server carries on."""

from __future__ import annotations

import asyncio
import os
import traceback
from typing import Dict, List, Optional

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from nexus_lint import __version__
from nexus_lint.core.model import SAFE
from nexus_lint.server import convert
from nexus_lint.server.project import WATCHED_GLOBS, Projects, Settings, relevant_change


class NexusServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("nexus-lint", __version__)
        self.projects = Projects(Settings())
        self.results: Dict[str, object] = {}  # uri -> the FileResult of its last lint
        self.pending: Dict[str, asyncio.TimerHandle] = {}
        self.lint_count = 0

    # -- linting --------------------------------------------------------------------------
    def lint_now(self, uri: str) -> None:
        self.pending.pop(uri, None)
        doc = self.workspace.get_text_document(uri)
        path = to_fs_path(uri)
        if path is None or not uri.startswith("file:"):
            return
        self.lint_count += 1
        try:
            result, _ = self.projects.lint(os.path.abspath(path), doc.source)
        except Exception as exc:  # a broken config (ConfigError), a plugin, anything: one message
            self._failed(exc)
            result = None
        if result is None:
            self.results.pop(uri, None)
        else:
            self.results[uri] = result
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=doc.version, diagnostics=convert.diagnostics(result, uri)))

    def _failed(self, exc: Exception) -> None:
        from nexus_lint.config import ConfigError
        from nexus_lint.plugins import PluginError

        if isinstance(exc, (ConfigError, PluginError)):
            message = f"nexus-lint: {exc}"
            if message not in self.projects.errors:
                self.projects.errors[message] = message
                self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=message))
            return
        self.window_log_message(lsp.LogMessageParams(
            type=lsp.MessageType.Error,
            message=f"nexus-lint: internal error: {type(exc).__name__}\n{''.join(traceback.format_tb(exc.__traceback__))}"))

    def schedule(self, uri: str) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        delay = self.projects.settings.debounce
        if delay <= 0:
            self.lint_now(uri)
            return
        self.pending[uri] = asyncio.get_running_loop().call_later(delay, self.lint_now, uri)

    def relint_all(self) -> None:
        self.projects.forget()
        for uri in list(self.workspace.text_documents):
            self.lint_now(uri)

    def warm_up(self) -> None:
        """Before the first file opens: build the workspace's linter and bring
        in the readers of the commonest kinds, so the first diagnostics come fast."""
        for root in self.projects.roots[:1]:
            try:
                for name, text in (("Dockerfile", "FROM scratch\n"), (".gitlab-ci.yml", "x:\n  script: [true]\n")):
                    self.projects.lint(os.path.join(root, name), text)
            except Exception:  # (a broken config is reported when a file is linted)
                pass
        # What is built by now (modules, the linter, the readers) lives as long as
        # the server: out of the cyclic collector's reach, so a full collection
        # during an edit walks only what edits made (it took ~20 ms, the re-lint's
        # p95, while the median was 8 ms).
        import gc

        gc.collect()
        gc.freeze()

    # -- code actions ---------------------------------------------------------------------
    def code_actions(self, params: lsp.CodeActionParams) -> List[lsp.CodeAction]:
        uri = params.text_document.uri
        if uri in self.pending:  # the text changed since: lint it first
            self.lint_now(uri)
        result = self.results.get(uri)
        if result is None or result.source is None:
            return []
        src = result.source
        only = params.context.only
        want_fix_all = not only or any(FIX_ALL.startswith(k) for k in only)
        want_quick = not only or lsp.CodeActionKind.QuickFix in only
        actions: List[lsp.CodeAction] = []
        trials = SUPPRESS_TRIALS  # each suppress action is checked by one lint of the text
        if want_quick:
            first = params.range.start.line + 1
            last = params.range.end.line + 1
            for f in convert.findings(result):
                if not (f.line <= last and max(f.end_line, f.line) >= first):
                    continue
                diag = convert.diagnostic(f, src, uri)
                if f.fix is not None and f.fix.edits:
                    actions.append(convert.fix_action(f, src, uri, diag))
                if trials > 0:
                    trials -= 1
                    action = self.suppress_action(uri, result, f, diag)
                    if action is not None:
                        actions.append(action)
        if want_fix_all and any(f.fix is not None and f.fix.safety == SAFE for f in convert.findings(result)):
            edit = self.fix_all_edit(uri)
            if edit is not None:
                actions.append(lsp.CodeAction(title="nexus-lint: fix all safe fixes in this file", kind=FIX_ALL,
                                              edit=edit))
        return actions

    def fix_all_edit(self, uri: str) -> Optional[lsp.WorkspaceEdit]:
        doc = self.workspace.get_text_document(uri)
        _, run = self.projects.lint(os.path.abspath(to_fs_path(uri)), doc.source, fix=True)
        if run is None or run.output is None:
            return None
        new = run.output.decode("utf-8", "surrogatepass")
        if new == doc.source:
            return None
        return convert.whole_edit(doc.source, new, uri)

    def suppress_action(self, uri: str, result, f, diag) -> Optional[lsp.CodeAction]:
        """"Suppress NXnnn on this line", offered only where the comment works:
        the text with it is linted and the finding must be gone."""
        made = convert.suppress_text(result.kind, result.source, f)
        if made is None:
            return None
        offset, comment = made
        text = self.workspace.get_text_document(uri).source
        if text != result.source.text:  # (a BOM, an encoding): offsets would not fit
            return None
        trial = text[:offset] + comment + text[offset:]
        again, _ = self.projects.lint(os.path.abspath(to_fs_path(uri)), trial)
        line = f.line + 1
        if again is None or any(g.rule.id == f.rule.id and g.line == line and not g.suppressed
                                for g in again.findings):
            return None
        pos = convert.position(result.source, offset)
        edit = lsp.TextEdit(range=lsp.Range(start=pos, end=pos), new_text=comment)
        return lsp.CodeAction(title=f"Suppress {f.rule.id} on this line", kind=lsp.CodeActionKind.QuickFix,
                              diagnostics=[diag], edit=lsp.WorkspaceEdit(changes={uri: [edit]}))

    def hover(self, params: lsp.HoverParams) -> Optional[lsp.Hover]:
        result = self.results.get(params.text_document.uri)
        if result is None or result.source is None:
            return None
        p = params.position
        here = []
        for f in convert.findings(result):
            r = convert.span(result.source, f.start, f.end)
            if (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character):
                here.append(f)
        text = convert.hover_markdown(here)
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


FIX_ALL = convert.FIX_ALL_KIND
SUPPRESS_TRIALS = 10


def build() -> NexusServer:
    server = NexusServer()

    def guarded(fn):
        def run(ls, params):
            try:
                return fn(ls, params)
            except Exception as exc:
                ls._failed(exc)
                return None
        run.__name__ = fn.__name__
        return run

    @server.feature(lsp.INITIALIZE)
    @guarded
    def initialize(ls: NexusServer, params: lsp.InitializeParams):
        roots = [to_fs_path(f.uri) for f in params.workspace_folders or ()]
        if not roots and params.root_uri:
            roots = [to_fs_path(params.root_uri)]
        elif not roots and params.root_path:
            roots = [params.root_path]
        ls.projects = Projects(Settings(params.initialization_options), [r for r in roots if r])

    @server.feature(lsp.INITIALIZED)
    @guarded
    def initialized(ls: NexusServer, params):
        asyncio.get_running_loop().call_soon(ls.warm_up)
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps is not None else None
        if watched is not None and watched.dynamic_registration:
            opts = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED_GLOBS])
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="nexus-lint-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=opts)]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded
    def did_open(ls: NexusServer, params: lsp.DidOpenTextDocumentParams):
        ls.lint_now(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    def did_change(ls: NexusServer, params: lsp.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @guarded
    def did_save(ls: NexusServer, params: lsp.DidSaveTextDocumentParams):
        if relevant_change([to_fs_path(params.text_document.uri) or ""]):
            ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded
    def did_close(ls: NexusServer, params: lsp.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.results.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    def watched(ls: NexusServer, params: lsp.DidChangeWatchedFilesParams):
        if relevant_change([to_fs_path(c.uri) or "" for c in params.changes]):
            ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]))
    @guarded
    def code_action(ls: NexusServer, params: lsp.CodeActionParams):
        return ls.code_actions(params)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded
    def hover(ls: NexusServer, params: lsp.HoverParams):
        return ls.hover(params)

    return server
