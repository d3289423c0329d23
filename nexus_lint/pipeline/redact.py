"""Secrets are never printed: the one redaction every output goes through.

:func:`mask` is the redacted form of a secret (``hun*****``): at most the first
three characters, fewer for shorter secrets (none below four characters), then
always five ``*`` so the length is not told either.  :class:`~nexus_lint.core.model.Secret`
uses it for ``str()``/``repr()``, so a message built from a credential fact
shows it redacted without anyone having to remember.

The engine adds two safety nets that hold whatever a check writes (a plugin's
check, a message built from URL text): :func:`secret_spans` finds, from a
file's facts, where its secrets stand, independent of which rules are enabled;
:func:`scrub` then replaces any raw secret value in a finding's message, fix
description and related notes with its redacted form, and drops a fix whose
replacement text would contain a secret.  :func:`masked_text` and
:func:`masked_line` give the file's text with its secrets redacted, for what
shows or hashes file content (``--diff``, report fingerprints, the baseline).
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.secret import mask

Span = Tuple[int, int]

# ---------------------------------------------------------------------------
# Where a file's secrets stand
# ---------------------------------------------------------------------------


def _runs(offsets) -> List[Span]:
    """Contiguous runs of located offsets."""
    out: List[Span] = []
    start = end = -1
    for o in offsets:
        if o < 0:
            continue
        if start >= 0 and o == end:
            end += 1
            continue
        if start >= 0:
            out.append((start, end))
        start, end = o, o + 1
    if start >= 0:
        out.append((start, end))
    return out


def secret_spans(facts) -> Tuple[Span, ...]:
    """Spans of the literal secrets among ``facts`` (credential facts, and the
    password or token in the userinfo of URL facts), merged and sorted."""
    spans: List[Span] = []
    for fact in getattr(facts, "credentials", ()):
        if fact.literal:
            spans.extend(_runs(fact.value.reveal().offsets))
    urls = [f for f in getattr(facts, "urls", ()) if "@" in f.value.text]
    if urls:
        from nexus_lint.values.secrets import url_secret_part

        for fact in urls:
            part = url_secret_part(fact.value.text)
            if part is not None:
                spans.extend(_runs(fact.value.offsets[part[0]:part[1]]))
    return merge(spans) if spans else ()


def merge(spans: Iterable[Span]) -> Tuple[Span, ...]:
    out: List[List[int]] = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def secret_values(text: str, spans: Sequence[Span], facts=None) -> List[str]:
    """The raw secret strings of a file, longest first (for replacing by value)."""
    values = {text[s:e] for s, e in spans}
    if facts is not None:
        for fact in getattr(facts, "credentials", ()):
            if fact.literal:
                values.add(fact.value.reveal().text)
    return sorted((v for v in values if v.strip()), key=len, reverse=True)


# ---------------------------------------------------------------------------
# Redacting text
# ---------------------------------------------------------------------------


def masked_text(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every secret span replaced by its redacted form (a secret
    that spans lines keeps its line breaks, so line numbers stay right)."""
    if not spans:
        return text
    out: List[str] = []
    pos = 0
    for s, e in spans:
        if s < pos or e > len(text):
            continue
        out.append(text[pos:s])
        raw = text[s:e]
        breaks = "".join(ch for ch in raw if ch == "\n")
        out.append(mask(raw) + breaks)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def replace_values(text: str, values: Sequence[str]) -> str:
    """``text`` with each occurrence of a raw secret value replaced by its
    redacted form.  A value shorter than eight characters is replaced only
    where it stands as a whole token, so a short secret does not garble
    unrelated words."""
    return _Replacer(values).sub(text)


_BOUNDARY = lazy_re(r"[A-Za-z0-9]")


_MESSAGE_WORDS = frozenset({"password", "passwd", "pass", "passphrase", "secret", "token", "credential",
                            "credentials", "auth", "key", "user", "username", "value", "default", "login"})


class _Replacer:
    """Replaces many secret values in many short texts without trying every
    value on every text: values of four or more characters are found through
    their first four characters (one dictionary look-up per position)."""

    SMALL = 24  # up to this many values, `value in text` for each is faster

    def __init__(self, values: Sequence[str]) -> None:
        # A secret that is a word of the messages' own vocabulary ("password") is
        # shown masked by the message itself; replacing the word would garble it.
        self.values = sorted((v for v in values if v and v.lower() not in _MESSAGE_WORDS), key=len, reverse=True)
        self.index: Optional[dict] = None
        self.short: List[str] = []
        if len(self.values) > self.SMALL:
            self.index = {}
            for v in self.values:
                if len(v) >= 4:
                    self.index.setdefault(v[:4], []).append(v)
                else:
                    self.short.append(v)

    @staticmethod
    def _token_at(text: str, i: int, v: str) -> bool:
        j = i + len(v)
        return (i == 0 or not _BOUNDARY.match(text[i - 1])) and (j >= len(text) or not _BOUNDARY.match(text[j]))

    def sub(self, text: str) -> str:
        if self.index is None:
            for v in self.values:
                if v in text:
                    text = self._sub_one(text, v)
            return text
        out: List[str] = []
        index = self.index
        i = last = 0
        n = len(text)
        while i <= n - 4:
            cands = index.get(text[i:i + 4])
            if cands:
                for v in cands:
                    if text.startswith(v, i) and (len(v) >= 8 or self._token_at(text, i, v)):
                        out.append(text[last:i])
                        out.append(mask(v))
                        i = last = i + len(v)
                        break
                else:
                    i += 1
                continue
            i += 1
        out.append(text[last:])
        text = "".join(out)
        for v in self.short:
            if v in text:
                text = self._sub_one(text, v)
        return text

    @staticmethod
    def _sub_one(text: str, v: str) -> str:
        if len(v) >= 8:
            return text.replace(v, mask(v))
        return re.sub(r"(?<![A-Za-z0-9])" + re.escape(v) + r"(?![A-Za-z0-9])", mask(v), text)


def masked_line(source, line: int, spans: Optional[Sequence[Span]] = None) -> str:
    """Line ``line`` of ``source`` (a :class:`~nexus_lint.core.source.SourceFile`)
    with the secrets at ``spans`` (default: the source's own) redacted,
    without the line ending."""
    starts = source.line_starts
    if line < 1 or line > len(starts):
        return ""
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(source.text)
    if spans is None:
        spans = getattr(source, "secrets", ())
    spans = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    return masked_text(source.text[start:end], spans).rstrip("\r\n")


def scrub(findings, values: Sequence[str]) -> None:
    """No raw secret in what a finding says: messages, related notes and fix
    descriptions are redacted; a fix whose inserted text holds a secret is
    dropped (it could not be shown in SARIF, JSON or ``--diff``)."""
    if not values:
        return
    replacer = _Replacer(values)
    for f in findings:
        msg = replacer.sub(f.message)
        if msg != f.message:
            f.message = msg
        if f.related:
            from nexus_lint.core.record import replace

            f.related = tuple(replace(r, message=replacer.sub(r.message)) for r in f.related)
        fix = f.fix
        if fix is not None:
            if any(replacer.sub(e.replacement) != e.replacement for e in fix.edits):
                f.fix = None
            else:
                desc = replacer.sub(fix.description)
                if desc != fix.description:
                    from nexus_lint.core.record import replace

                    f.fix = replace(fix, description=desc)


def safe_diff(path: str, before: str, after: str, before_spans: Sequence[Span] = (),
              after_spans: Sequence[Span] = ()) -> str:
    """The unified diff of a fix with every secret redacted, on removed, added
    and context lines alike (the diff is for reading; it cannot be applied to a
    file that holds a secret).  Both sides are redacted at their own spans and,
    as a safety net, wherever a secret value of the original still stands."""
    from nexus_lint.core.fix import unified_diff

    if not before_spans and not after_spans:
        return unified_diff(path, before, after)
    values = secret_values(before, before_spans)
    b = replace_values(masked_text(before, before_spans), values)
    a = replace_values(masked_text(after, after_spans), values)
    return unified_diff(path, b, a)


# -- text that reaches a terminal, a log or an annotation ------------------------------

def _unsafe_re():
    import re

    # C0 and C1 controls, DEL, line and paragraph separators, bidirectional
    # overrides and isolates (trojan-source), lone surrogates (undecodable names)
    return re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_UNSAFE: list = []
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _escape_char(c: str) -> str:
    named = _NAMED.get(c)
    if named is not None:
        return named
    o = ord(c)
    if 0xDC80 <= o <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return "\\x%02x" % (o - 0xDC00)
    return "\\x%02x" % o if o <= 0xFF else "\\u%04x" % o


def printable(text: str) -> str:
    """``text`` with every character a terminal, a CI log or a runner could
    interpret escaped (``\\n``, ``\\x1b``, ``\\u202e`` ...): paths, keys and
    values from a repository never move the cursor, set a title, start a line
    of their own or break the encoding of the output.  Tabs are escaped too."""
    if text.isprintable() and text.isascii():
        return text
    if not _UNSAFE:
        _UNSAFE.append(_unsafe_re())
    return _UNSAFE[0].sub(lambda m: _escape_char(m.group()), text)


def surrogates_escaped(text: str) -> str:
    """A JSON text (``ensure_ascii=False``) with the lone surrogates of
    undecodable file names written as ``\\\\xNN`` (a backslash in the JSON
    string): valid UTF-8 and valid JSON for any file name."""
    import re

    return re.sub("[\ud800-\udfff]", lambda m: "\\" + _escape_char(m.group()), text)


# -- messages that quote the file (NX000: what the format's parser rejected) -----------

def _assignment_re():
    import re

    return re.compile(r"""([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*|\s+)("[^"\n]*"|'[^'\n]*'|[^\s'"`,;)]+)""")


_ASSIGN: list = []


def redact_message(text: str) -> str:
    """A message that quotes text of the file, with what looks like a secret in
    it redacted: the value of a secret-named key (``NEXUS_PASSWORD=...``,
    ``password: ...``, ``--password ...``), a URL's password, a token of a
    well-known shape.  (NX000 messages quote the line a parser rejected; that
    line was never read as facts, so nothing else knows its secrets.)"""
    if not text:
        return text
    from nexus_lint.values.secrets import is_reference, is_secret_key, url_secret_part
    from nexus_lint.values.tokens import find_tokens

    spans: List[Span] = []
    if not _ASSIGN:
        _ASSIGN.append(_assignment_re())
    for m in _ASSIGN[0].finditer(text):
        key, value = m.group(1), m.group(3)
        if is_secret_key(key.lstrip("-")) and not is_reference(value.strip("'\"")) and len(value.strip("'\"")) >= 3:
            spans.append(m.span(3))
    for s, e, _ in find_tokens(text):
        spans.append((s, e))
    import re

    for m in re.finditer(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"`]+", text):
        part = url_secret_part(m.group())
        if part is not None:
            spans.append((m.start() + part[0], m.start() + part[1]))
    return masked_text(text, merge(spans)) if spans else text
