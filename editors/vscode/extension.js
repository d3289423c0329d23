// A minimal VS Code client for `nexus-lint server` (LSP over stdio).
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

// The file kinds nexus-lint reads: by language where VS Code has one, else by file name.
const LANGUAGES = ["dockerfile", "yaml", "shellscript", "python", "makefile", "toml", "json", "jsonc",
  "xml", "ini", "properties", "terraform", "hcl", "dotenv"];
const PATTERNS = ["**/Dockerfile*", "**/*.Dockerfile", "**/Containerfile", "**/.npmrc", "**/.yarnrc",
  "**/pip.conf", "**/pip.ini", "**/.pypirc", "**/*.repo", "**/.condarc", "**/Pipfile", "**/bunfig.toml",
  "**/pyproject.toml",
  "**/.env", "**/.env.*", "**/*.hcl", "**/*.tf", "**/pom.xml", "**/settings.xml", "**/*.sh"];

let client;

function activate(context) {
  const cfg = vscode.workspace.getConfiguration("nexusLint");
  const command = cfg.get("path") || "nexus-lint";
  const serverOptions = { command, args: ["server"], transport: TransportKind.stdio };
  const selector = LANGUAGES.map((language) => ({ scheme: "file", language }))
    .concat(PATTERNS.map((pattern) => ({ scheme: "file", pattern })));
  const clientOptions = {
    documentSelector: selector,
    initializationOptions: {
      select: cfg.get("select"),
      ignore: cfg.get("ignore"),
      config: cfg.get("config") || undefined,
      isolated: cfg.get("isolated"),
    },
    synchronize: {
      // configs, CI files and their includes, .env files: a change re-lints the open files
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{.nexus-lint.toml,pyproject.toml,*.yml,*.yaml,.env*}"),
    },
  };
  client = new LanguageClient("nexus-lint", "nexus-lint", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
