"""The table of command-line tools: the one list of the commands the tools layer reads.

Each row names a tool module (``nexus_lint.tools.<module>``), the command names
it reads and the words whose presence makes a piece of shell worth analysing
for it.  :mod:`.commands` hands every analysed command to the module of its
name; :func:`~.commands.worth_analysing` and the prefilter's words
(:mod:`.triggers`) are derived from the same rows.  Adding a tool is one module
plus one row here.

A tool module defines what it knows, each optional:

* ``images(out: ImageOut, index, cmd)``: the images the command uses;
* ``urls(out: UrlOut, cmd, tool, args)``: the URLs it calls;
* ``api_calls(analysis, cmd, args, memo)``: the REST API requests it makes
  (``memo``: a dict the module may keep per-script results in);
* ``credentials(out: CredentialOut, analysis, cmd, tool, args)``: the secrets it
  is given;
* ``logins(out: LoginOut, cmd, tool, args)``: the registries it logs in to.

``tool`` is the command name as listed here and ``args`` its arguments
(``python -m pip install`` is ``pip`` with ``install``); ``images`` reads the
command's own name and ``cmd.argv``.

Standard library only: the prefilter imports this at start-up, before any
shell is analysed; the tool modules load when a command needs them.
"""

from __future__ import annotations

from typing import Optional, Tuple

__all__ = ["Tool", "TOOLS", "stem"]


class Tool:
    """One row: a tool module, the command names it reads, its trigger words."""

    __slots__ = ("module", "names", "triggers", "exact", "prefilter")

    def __init__(self, module: str, names: Tuple[str, ...], triggers: Optional[Tuple[str, ...]] = None, *,
                 exact: bool = False, prefilter: Tuple[str, ...] = ()) -> None:
        self.module = module
        self.names = names
        # Regular-expression alternatives that make shell worth analysing for
        # this tool (``None``: its names); ``()``: only the credential words do.
        self.triggers = triggers
        # Triggers matched as written and anywhere (the image tools); else in
        # any case, as whole words.
        self.exact = exact
        # More words for the prefilter, which may let through more than the triggers.
        self.prefilter = prefilter

    def trigger_words(self) -> Tuple[str, ...]:
        return self.names if self.triggers is None else self.triggers

    def __repr__(self) -> str:
        return f"Tool({self.module!r}, {self.names!r})"


TOOLS: Tuple[Tool, ...] = (
    # images (and registry logins); helm reads OCI charts too
    Tool("docker", ("docker", "podman", "nerdctl", "buildah"), exact=True),
    Tool("kaniko", ("executor",), ("kaniko", "executor"), exact=True),  # /kaniko/executor
    Tool("crane", ("crane", "gcrane"), ("g?crane",), exact=True),
    Tool("skopeo", ("skopeo",), exact=True),
    Tool("oras", ("oras",), exact=True),
    Tool("cosign", ("cosign",), exact=True),
    # URLs and API calls (and the credentials they send)
    Tool("curl", ("curl",)),
    Tool("wget", ("wget",)),
    Tool("twine", ("twine",)),
    Tool("pip", ("pip", "uv"), (r"pip[0-9.]*", "uv")),  # pip3, python -m pip
    Tool("poetry", ("poetry",)),
    Tool("npm", ("npm", "yarn", "pnpm")),
    Tool("helm", ("helm",)),
    Tool("dnf", ("yum-config-manager", "dnf", "dnf5", "yum", "microdnf"), ("config-manager",),
         prefilter=("dnf", "yum")),
    Tool("maven", ("mvn",), ("mvnw?",)),  # ./mvnw
    # credentials only: found through the credential words
    Tool("sshpass", ("sshpass",), ()),
    Tool("mysql", ("mysql", "mariadb", "mysqladmin", "mysqldump"), ()),
)


def stem(trigger: str) -> str:
    """The plain word a trigger expression always contains, its optional parts
    (``x?``, ``[...]*``, ``[...]?``) left out: ``pip[0-9.]*`` -> ``pip``,
    ``mvnw?`` -> ``mvn``.  (No regular expression: this runs at start-up.)"""
    out = []
    i = 0
    while i < len(trigger):
        if trigger[i] == "[":
            i = trigger.index("]", i) + 2  # the class and its quantifier
        elif trigger[i + 1:i + 2] == "?":
            i += 2
        else:
            out.append(trigger[i])
            i += 1
    return "".join(out)
