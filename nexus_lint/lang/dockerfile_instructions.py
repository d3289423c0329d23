"""One logical Dockerfile line to an :class:`Instruction`: the keyword, the
``--flags``, and the arguments as each instruction's parser in BuildKit's
``line_parsers.go`` reads them (JSON or shell form, ``name=value`` pairs,
HEALTHCHECK, ONBUILD)."""

from __future__ import annotations

from array import array
from typing import List, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.lang.dockerfile_lexer import (
    ERR_NOT_STRING_ARRAY, GO_SPACE, GS, RE_TOKEN_WS, NotStringArrayError, go_quote, json_strings, mk, words_spans,
)
from nexus_lint.lang.dockerfile_model import Dockerfile, Flag, Instruction, NameValue, ParseIssue, Word

#: ONBUILD ONBUILD ... deeper than this is not descended into (BuildKit has no cap).
MAX_ONBUILD_DEPTH = 32

_RE_NON_TOKEN_WS = lazy_re(r"[^\t\x0b\x0c\r ]+")
_RE_GO_SPACES = lazy_re("[" + GS + "]*")
_RE_GO_SPACE1 = lazy_re("[" + GS + "]")

# extractBuilderFlags: one flag word (escape is always a backslash there)
_RE_FLAG_WORD = lazy_re(
    r"""(?:[^""" + GS + r"""'"\\]|\\[\s\S]|\\\Z"""
    r"""|"(?:[^"\\]|\\[\s\S]|\\\Z)*(?:"|\Z)"""
    r"""|'(?:[^'\\]|\\[\s\S]|\\\Z)*(?:'|\Z))+"""
)

_RE_JSON_STRING = lazy_re(r'"((?:[^"\\]|\\[\s\S])*)"')


class InstructionParser:
    """Builds instructions from logical lines (a mixin of the parser, which
    sets ``df`` and ``esc``)."""

    df: Dockerfile
    esc: str

    def _issue(self, message: str, start: int, end: int, line: int, detail: str = "") -> None:
        self.df.errors.append(ParseIssue(message, start, end, line, detail))

    # -- one instruction ----------------------------------------------------
    def _build(self, line: str, offs: array, a: int, b: int, depth: int, lineno: int) -> Instruction:
        ta, tb = _trimmed(line, a, b)
        m = RE_TOKEN_WS.search(line, ta, tb)
        flags: List[Flag] = []
        if m is None:
            kw_end = tb
            ra = rb = tb
        else:
            kw_end = m.start()
            rest_start, flags = self._flags(line, offs, m.end(), tb)
            ra, rb = _trimmed(line, rest_start, tb)
        keyword_src = mk(line[ta:kw_end], offs[ta:kw_end])
        kw = keyword_src.text.lower()
        rest = mk(line[ra:rb], offs[ra:rb])
        inst = Instruction(
            keyword=kw, keyword_src=keyword_src, flags=flags, args=[], pairs=[], json_form=False,
            rest=rest, heredocs=[], start=offs[ta] if ta < len(offs) else -1, end=-1,
            start_line=lineno, end_line=lineno, sub=None,
        )
        handler = _DISPATCH.get(kw)
        if handler is None:
            # parseIgnore: an unknown instruction keeps one empty argument
            inst.args.append(Word("", mk("", array("q"))))
        else:
            handler(self, inst, line, offs, ra, rb, lineno, depth)
        return inst

    def _d_maybe_json(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb and not self._json(inst, line, offs, ra, rb, lineno):
            inst.args.append(Word(inst.rest.text, inst.rest))

    def _d_maybe_json_list(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if not self._json(inst, line, offs, ra, rb, lineno):
            self._split_ws(inst, line, offs, ra, rb)

    def _d_split_ws(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._split_ws(inst, line, offs, ra, rb)

    def _d_name_val(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._name_val(inst, line, offs, ra, rb, lineno)

    def _d_arg(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        for s, e in words_spans(line[ra:rb], self.esc):
            s += ra
            e += ra
            text = line[s:e]
            w = mk(text, offs[s:e])
            inst.args.append(Word(text, w))
            eq = text.find("=")
            if eq < 0:
                inst.pairs.append(NameValue(w, None))
            else:
                q = s + eq
                inst.pairs.append(NameValue(mk(text[:eq], offs[s:q]), mk(text[eq + 1 :], offs[q + 1 : e])))

    def _d_string(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb:
            inst.args.append(Word(inst.rest.text, inst.rest))

    def _d_health(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        self._health(inst, line, offs, ra, rb, lineno)

    def _d_onbuild(self, inst, line, offs, ra, rb, lineno, depth) -> None:
        if ra < rb:
            if depth >= MAX_ONBUILD_DEPTH:
                self._issue("ONBUILD nested too deeply", inst.start, offs[rb - 1] + 1, lineno)
            else:
                inst.sub = self._build(line, offs, ra, rb, depth + 1, lineno)

    def _flags(self, line: str, offs: array, p: int, end: int) -> Tuple[int, List[Flag]]:
        flags: List[Flag] = []
        while True:
            p = _RE_GO_SPACES.match(line, p, end).end()
            if p >= end:
                return end, flags
            if not line.startswith("--", p, end):
                return p, flags
            m = _RE_FLAG_WORD.match(line, p, end)
            q = m.end() if m else end
            raw = line[p:q]
            if "'" in raw or '"' in raw or "\\" in raw:
                text, idx = _unquote_flag(raw)
            else:
                text, idx = raw, None
            if text == "--":
                return q, flags
            src = mk(raw, offs[p:q])
            eq = text.find("=")
            if eq < 0:
                flags.append(Flag(text[2:], None, Word(text, src), None))
            else:
                r = (idx[eq] if idx is not None else eq) + 1
                value = mk(raw[r:], offs[p + r : q])
                flags.append(Flag(text[2:eq], value, Word(text, src), text[eq + 1 :]))
            if q >= end:
                return end, flags
            p = q

    def _json(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> bool:
        resttext = line[ra:rb]
        if not resttext.startswith("["):
            return False
        try:
            vals = json_strings(resttext)
        except NotStringArrayError:
            inst.json_form = True
            self._issue(ERR_NOT_STRING_ARRAY, offs[ra], offs[rb - 1] + 1, lineno)
            return True
        if vals is None:
            return False
        inst.json_form = True
        spans = [m.span(1) for m in _RE_JSON_STRING.finditer(resttext)]
        if len(spans) != len(vals):  # pragma: no cover - defensive
            spans = [(0, 0)] * len(vals)
        for v, (s, e) in zip(vals, spans):
            inst.args.append(Word(v, mk(line[ra + s : ra + e], offs[ra + s : ra + e])))
        return True

    def _split_ws(self, inst: Instruction, line: str, offs: array, ra: int, rb: int) -> None:
        for m in _RE_NON_TOKEN_WS.finditer(line, ra, rb):
            s, e = m.span()
            inst.args.append(Word(m.group(), mk(m.group(), offs[s:e])))

    def _name_val(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> None:
        resttext = line[ra:rb]
        words = words_spans(resttext, self.esc)
        if not words:
            return
        s0, e0 = words[0]
        args = inst.args
        if "=" not in resttext[s0:e0]:
            m = RE_TOKEN_WS.search(line, ra, rb)
            if m is None:
                key = mk(resttext, offs[ra:rb])
                inst.pairs.append(NameValue(key, None))
                self._issue(inst.keyword.upper() + " must have two arguments", offs[ra], offs[rb - 1] + 1, lineno)
                return
            ks, ke = m.span()
            key = mk(line[ra:ks], offs[ra:ks])
            val = mk(line[ke:rb], offs[ke:rb])
            inst.pairs.append(NameValue(key, val))
            args.append(Word(key.text, key))
            args.append(Word(val.text, val))
            args.append(Word("", mk("", array("q"))))
            return
        for s, e in words:
            s += ra
            e += ra
            text = line[s:e]
            eq = text.find("=")
            if eq < 0:
                self._issue(
                    "Syntax error - can't find = in %s. Must be of the form: name=value" % go_quote(text),
                    offs[s], offs[e - 1] + 1, lineno,
                )
                continue
            q = s + eq
            k = mk(text[:eq], offs[s:q])
            v = mk(text[eq + 1 :], offs[q + 1 : e])
            sep = mk("=", offs[q : q + 1])
            inst.pairs.append(NameValue(k, v))
            args.append(Word(k.text, k))
            args.append(Word(v.text, v))
            args.append(Word("=", sep))

    def _health(self, inst: Instruction, line: str, offs: array, ra: int, rb: int, lineno: int) -> None:
        if ra >= rb:
            return
        m = _RE_GO_SPACE1.search(line, ra, rb)
        sep = m.start() if m else rb
        nxt = _RE_GO_SPACES.match(line, sep, rb).end()
        typ = mk(line[ra:sep], offs[ra:sep])
        inst.args.append(Word(typ.text, typ))
        if nxt < rb:
            if not self._json(inst, line, offs, nxt, rb, lineno):
                cmd = mk(line[nxt:rb], offs[nxt:rb])
                inst.args.append(Word(cmd.text, cmd))


_DISPATCH = {
    "add": InstructionParser._d_maybe_json_list,
    "arg": InstructionParser._d_arg,
    "cmd": InstructionParser._d_maybe_json,
    "copy": InstructionParser._d_maybe_json_list,
    "entrypoint": InstructionParser._d_maybe_json,
    "env": InstructionParser._d_name_val,
    "expose": InstructionParser._d_split_ws,
    "from": InstructionParser._d_split_ws,
    "healthcheck": InstructionParser._d_health,
    "label": InstructionParser._d_name_val,
    "maintainer": InstructionParser._d_string,
    "onbuild": InstructionParser._d_onbuild,
    "run": InstructionParser._d_maybe_json,
    "shell": InstructionParser._d_maybe_json,
    "stopsignal": InstructionParser._d_string,
    "user": InstructionParser._d_string,
    "volume": InstructionParser._d_maybe_json_list,
    "workdir": InstructionParser._d_string,
}


def _trimmed(line: str, a: int, b: int) -> Tuple[int, int]:
    """``line[a:b]`` without Go white space around it, as a range (``(b, b)`` when blank)."""
    seg = line[a:b]
    stripped = seg.strip(GO_SPACE)
    if not stripped:
        return b, b
    start = a + (len(seg) - len(seg.lstrip(GO_SPACE)))
    return start, start + len(stripped)


def _unquote_flag(raw: str) -> Tuple[str, List[int]]:
    """Quote/escape processing of extractBuilderFlags: text and raw index per char."""
    out: List[str] = []
    idx: List[int] = []
    quote = None
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if quote is None and (ch == "'" or ch == '"'):
            quote = ch
            i += 1
            continue
        if quote is not None and ch == quote:
            quote = None
            i += 1
            continue
        if ch == "\\":
            if i + 1 == n:
                quote = None
                i += 1
                continue
            i += 1
            ch = raw[i]
        out.append(ch)
        idx.append(i)
        i += 1
    return "".join(out), idx
