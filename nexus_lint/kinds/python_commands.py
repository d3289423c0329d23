"""Commands Python scripts run: subprocess, os.system, asyncio, invoke/fabric.

The part of the Python reader (:mod:`nexus_lint.kinds.python_facts`) that knows
how Python runs programs: ``subprocess.*``, ``os.system``/``os.popen``,
``os.exec*``/``os.spawn*``, ``asyncio.create_subprocess_*`` and invoke/fabric
``c.run("...")``.  A string goes to the shell analyser as shell; a list
(literal, a variable bound to one, ``+``, ``append``/``extend``,
``shlex.split``) is quoted word by word into a shell line whose characters keep
their offsets, so the one shell analyser and the command knowledge (docker,
curl, pip, twine, ...) read it.  ``env=`` dicts become the command's
environment; ``curl -f`` counts as failing the script only where Python checks
the exit status (``check=True``, ``check_call``, invoke).
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional

from nexus_lint.core.model import ApiCallFact
from nexus_lint.core.record import replace
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.python import is_const
from nexus_lint.lang.python_strings import PyStr
from nexus_lint.lang.python_values import Evaluator, Split


# subprocess-like calls: qualified name -> how the command is given
_SHELL_STRING = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                           "asyncio.create_subprocess_shell", "commands.getoutput"})
_SUBPROCESS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                         "subprocess.Popen"})
_CHECKING = frozenset({"subprocess.check_call", "subprocess.check_output"})
_EXEC_ARGV = frozenset({"asyncio.create_subprocess_exec"})
_EXEC_LIST = frozenset({"os.execv", "os.execvp", "os.execve", "os.execvpe", "os.spawnv", "os.spawnvp"})
_TASK_RUNNERS = frozenset({"c", "ctx", "context", "conn", "connection", "cnx"})
_COMMAND_CALLS = _SHELL_STRING | _SUBPROCESS | _EXEC_ARGV | _EXEC_LIST


def _is_true(node) -> bool:
    return is_const(node, True)


class CommandCalls:
    """Pass 2 of the Python reader, commands part: mixed into
    :class:`nexus_lint.kinds.python_facts.FactReader`, whose ``an``, ``scope``
    and ``out`` it uses."""

    an: Evaluator

    def _command_call(self, node: ast.Call, pos: int, qual: Optional[str]) -> bool:
        """``subprocess.run(...)``, ``os.system(...)`` and friends."""
        if qual in _COMMAND_CALLS:
            self._subprocess(node, pos, qual)
            return True
        return False

    def _subprocess(self, node: ast.Call, pos: int, qual: str) -> None:
        an = self.an
        scope = self.scope
        args = an.args(node)
        positional = [a for a in args if a.keyword is None]
        kw = {a.keyword: a.value for a in args if a.keyword is not None}
        checking = qual in _CHECKING or (qual == "subprocess.run" and _is_true(kw.get("check")))
        env = self._env(kw.get("env"), pos)
        if qual in _EXEC_ARGV:
            items = []
            for a in positional:
                if a.star:
                    seq = an.sequence(a.value, scope, pos)
                    items.extend(seq if seq is not None else [(None, scope, pos)])
                else:
                    items.append((a.value, scope, pos))
            self._argv(items, node, pos, env, checking)
            return
        if qual in _EXEC_LIST:
            target = positional[1].value if len(positional) > 1 else None
        else:
            target = positional[0].value if positional else kw.get("args")
        if target is None:
            return
        shell = qual in _SHELL_STRING or _is_true(kw.get("shell"))
        if isinstance(target, ast.Call) and an.qualname(target.func) == "shlex.split" and an.args(target):
            v = an.string(an.args(target)[0].value, scope, pos)
            if v is not None:
                self._shell(v, node, pos, env, checking)
            return
        seq = an.sequence(target, scope, pos)
        if seq is not None:
            if shell and seq and seq[0][0] is not None:
                v = an.string(seq[0][0], seq[0][1], seq[0][2]) if not isinstance(seq[0][0], Split) else None
                if v is not None:
                    self._shell(v, node, pos, env, checking)
                return
            self._argv(seq, node, pos, env, checking)
            return
        v = an.string(target, scope, pos)
        if v is not None:
            self._shell(v, node, pos, env, checking)

    def _env(self, node, pos: int) -> Optional[Dict[str, SourcedStr]]:
        if node is None:
            return None
        found = self.an.dict_node(node, self.scope, pos)
        if found is None:
            return None
        d, dscope, _, dpos = found
        env: Dict[str, SourcedStr] = {}
        for key, value in zip(d.keys, d.values):
            if key is not None:
                k = self.an.string(key, dscope, dpos)
                v = self.an.string(value, dscope, dpos)
                if k is not None and k.known and v is not None and v.known:
                    env[k.text] = v.value
        return env or None

    def _argv(self, items, node: ast.Call, pos: int, env, checking: bool) -> None:
        an = self.an
        words: List[PyStr] = []
        for item, iscope, ipos in items:
            if item is None:
                words.append(PyStr.hole("{*}", "_nx"))
            elif isinstance(item, Split):
                words.append(item.value)
            else:
                words.append(an.string_or_hole(item, iscope, ipos))
        if not words:
            return
        script = SourcedStr.join(
            [w.shell_word() if k == 0 else SourcedStr.unknown(" ") + w.shell_word() for k, w in enumerate(words)])
        self._analyse_shell(script, env, checking)

    def _shell(self, value: PyStr, node: ast.Call, pos: int, env=None, checking: bool = False) -> None:
        self._analyse_shell(value.for_shell(), env, checking)

    def _analyse_shell(self, script: SourcedStr, env, checking: bool) -> None:
        from nexus_lint.kinds.embedded import analyse, command_facts

        analysis = analyse(script, env)
        for fact in command_facts(analysis):
            if isinstance(fact, ApiCallFact) and fact.raises and not checking:
                # curl -f fails the command, which the Python code does not check
                fact = replace(fact, raises=None, raises_at=None)
            self.out.facts.append(fact)

    def _task_runner_call(self, node: ast.Call, pos: int, recv, attr: str) -> None:
        """invoke / fabric: ``c.run("...")``, ``conn.sudo("...")``."""
        if attr in ("run", "sudo", "local") and isinstance(recv, ast.Name) and recv.id in _TASK_RUNNERS:
            args = self.an.args(node)
            if args and args[0].keyword is None:
                v = self.an.string(args[0].value, self.scope, pos)
                if v is not None:
                    self._shell(v, node, pos, checking=True)
