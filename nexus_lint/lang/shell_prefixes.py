"""The commands in front of a command (``sudo``, ``env X=1``, ``exec``,
``time`` ...) and the commands that run a script string (``sh -c``, ``eval``,
``su -c``, ``ssh host ...``), for the shell analyser."""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.shell_model import Command, Word, join_sourced

# prefix -> options that take a value
_PREFIXES: Dict[str, frozenset] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-R", "-T", "--user", "--group",
                       "--close-from", "--chdir", "--host", "--prompt", "--role", "--type", "--other-user",
                       "--chroot", "--command-timeout"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "exec": frozenset({"-a"}),
    "time": frozenset({"-f", "--format", "-o", "--output"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nohup": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p", "--class", "--classdata", "--pid"}),
    "stdbuf": frozenset({"-i", "-o", "-e", "--input", "--output", "--error"}),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
}
_ENV_WORD = lazy_re(r"[A-Za-z_][A-Za-z0-9_]*=")
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "busybox-sh"})
_SSH_VALUED = frozenset({"-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-I",
                         "-m", "-O", "-Q", "-S", "-W", "-w", "-B"})


def basename(word: Word) -> str:
    """The command a word names: the basename of its value ("" when it is not known)."""
    if not word.known:
        return ""
    return word.value.text.rstrip("/").rsplit("/", 1)[-1]


def skip_prefixes(argv: List[Word]) -> Tuple[List[Word], List[Word]]:
    """Drop ``sudo``/``env X=1``/``exec``/``time``/... to reach the command that runs.

    Returns the remaining argv and the ``NAME=value`` words given to ``env``.
    """
    env_words: List[Word] = []
    i = 0
    n = len(argv)
    for _ in range(16):
        if i >= n:
            break
        name = basename(argv[i])
        valued = _PREFIXES.get(name)
        if valued is None:
            break
        j = i + 1
        while j < n:
            w = argv[j]
            t = w.value.text
            if t == "--":
                j += 1
                break
            if name == "command" and t in ("-v", "-V"):
                return argv[i:], env_words  # `command -v docker` runs nothing
            if (name in ("env", "sudo")) and w.known and _ENV_WORD.match(t):
                env_words.append(w)
                j += 1
                continue
            if not t.startswith("-") or t == "-" or not w.known:
                break
            j += _option_words(t, valued)
        if name == "timeout" and j < n:
            j += 1  # the duration
        if j >= n:
            break  # nothing after the prefix: keep it as the command
        i = j
    return argv[i:], env_words


def _option_words(t: str, valued: frozenset) -> int:
    """Words taken by option word ``t``: 2 when its value is the next word, else 1.

    Short options may be clustered (``-iu root``): a valued one takes the rest
    of the word, or the next word when it ends the cluster.
    """
    if t.startswith("--"):
        return 2 if t in valued else 1
    for k in range(1, len(t)):
        if "-" + t[k] in valued:
            return 2 if k == len(t) - 1 else 1
    return 1


def positionals(args: Sequence[Word], valued: frozenset) -> List[Word]:
    out: List[Word] = []
    skip = False
    for w in args:
        if skip:
            skip = False
            continue
        t = w.value.text
        if t.startswith("-") and len(t) > 1:
            if t in valued:
                skip = True
            continue
        out.append(w)
    return out


def script_words(cmd: Command) -> List[Word]:
    """The words that make the shell text a command runs (joined by spaces):
    ``sh -c TEXT``, ``eval ARGS``, ``su -c TEXT``, ``ssh HOST ARGS``."""
    name, argv = cmd.name, cmd.argv
    if name in _SHELLS:
        c_flag = False
        k = 1
        while k < len(argv):
            t = argv[k].value.text
            if t in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                k += 2
                continue
            if t == "--" or t == "-":
                k += 1
                break
            if t.startswith("--"):
                k += 1
                continue
            if len(t) > 1 and t[0] in "-+" and t[1:].isalpha():
                if "c" in t[1:] and t[0] == "-":
                    c_flag = True
                k += 1
                continue
            break
        if c_flag and k < len(argv):
            return [argv[k]]
        return []
    if name == "eval":
        return argv[1:]
    if name == "su":
        for k in range(1, len(argv) - 1):
            if argv[k].value.text in ("-c", "--command"):
                return [argv[k + 1]]
        return []
    if name == "ssh":
        k = 1
        while k < len(argv):
            t = argv[k].value.text
            if t == "--":
                k += 1
                break
            if not t.startswith("-") or len(t) < 2:
                break
            k += _option_words(t, _SSH_VALUED)
        return argv[k + 1:]  # argv[k] is the destination
    return []


def spaced(words: Sequence[Word]) -> SourcedStr:
    parts: List[SourcedStr] = []
    for k, w in enumerate(words):
        if k:
            parts.append(SourcedStr.unknown(" "))
        parts.append(w.value)
    return join_sourced(parts) if parts else SourcedStr("")

