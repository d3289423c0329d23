"""What every lint result must satisfy, whatever the input (issue 8).

Shared by the property tests (``tests/test_properties.py``) and the fuzz run
(``fuzz/run.py``): an extractor is called directly, so an exception in it is
not hidden by the engine's safety net; every span must lie inside the file;
every character a fact places at offset ``o`` must be the character at ``o``;
every finding's line and column must agree with its offset.
"""

from __future__ import annotations

from nexus_lint.core import record as records

from nexus_lint.core.source import DecodeError, SourceFile, decode
from nexus_lint.core.sourced import SourcedStr


def _walk(obj, depth=0):
    """Every SourcedStr and (name, int-or-span) field inside a fact."""
    if depth > 8:
        return
    if isinstance(obj, SourcedStr):
        yield "sourced", obj
        return
    if records.is_record(obj) and not isinstance(obj, type):
        for f in records.fields(obj):
            value = getattr(obj, f.name)
            if f.name in ("start", "end") and isinstance(value, int):
                yield "offset", value
            elif f.name in ("use", "span") and isinstance(value, tuple) and len(value) == 2 \
                    and all(isinstance(v, int) for v in value):
                yield "span", value
            else:
                yield from _walk(value, depth + 1)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _walk(item, depth + 1)


def check_facts(text: str, facts) -> None:
    n = len(text)
    for fact in list(facts):
        for what, value in _walk(fact):
            if what == "offset":
                assert value == -1 or 0 <= value <= n, (fact, value)
            elif what == "span":
                s, e = value
                assert (s == -1 or 0 <= s <= n) and (e == -1 or 0 <= e <= n), (fact, value)
                assert s == -1 or e == -1 or s <= e, (fact, value)
            else:
                for ch, off in zip(value.text, value.offsets):
                    assert off == -1 or 0 <= off < n, (fact, value, off)
                    # a character that says where it stands is the character there
                    assert off == -1 or same_char(ch, text[off]), (type(fact).__name__, value.text, off, ch, text[off])


def check_findings(text: str, findings) -> None:
    n = len(text)
    for f in findings:
        assert f.message.strip(), f
        assert "internal error" not in f.message, f.message
        assert 0 <= f.start <= f.end <= n, f
        assert f.line == text.count("\n", 0, f.start) + 1, f
        assert f.column == f.start - (text.rfind("\n", 0, f.start) + 1) + 1, f
        assert f.end_line == text.count("\n", 0, f.end) + 1, f
        assert f.end_column == f.end - (text.rfind("\n", 0, f.end) + 1) + 1, f
        for r in f.related:
            assert 0 <= r.start <= r.end <= n, (f, r)
        if f.fix is not None:
            assert f.fix.edits and f.fix.description
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= n, (f, e)


def run_kind(linter, kind_name: str, path: str, text: str):
    """Extract (directly: an extractor must not raise) and lint ``text``; check
    everything; return (findings, failed)."""
    kind = linter.classifier.by_name[kind_name]
    source = SourceFile(path, text)
    ctx = linter.context_for(path, path, kind)
    try:
        facts = list(kind.extract(source, ctx) or ())
    except RecursionError:
        # nesting deeper than the interpreter's stack (a parser library's own
        # recursion): the engine's documented answer is NX000 for the file
        facts = None
    if facts is not None:
        check_facts(text, facts)
    findings, failed = linter._lint(SourceFile(path, text), kind, ctx)
    check_findings(text, findings)
    if facts is None:
        assert failed and any("too deeply nested" in f.message for f in findings), findings
    return findings, failed


def run_bytes(linter, kind_name: str, path: str, data: bytes) -> None:
    """The whole path from bytes: decoding, then :func:`run_kind`."""
    kind = linter.classifier.by_name[kind_name]
    result = linter.lint_bytes(path, data, kind, path)
    try:
        text, _, _ = decode(data)
    except DecodeError:
        assert [f.rule.id for f in result.findings] == ["NX000"], result.findings
        assert result.parse_failed
        return
    check_findings(text, result.findings)
    run_kind(linter, kind_name, path, text)


def same_char(value_char: str, file_char: str) -> bool:
    """The character at a value's offset is the value's character; YAML's line
    break normalisation is the one exception by design (``yamldoc.scalar``: a
    kept line break points at the break in the file, ``\r\n``, ``\r`` or NEL)."""
    return value_char == file_char or (value_char == "\n" and file_char in "\r\x85")


def check_sourced(host: str, value: SourcedStr) -> None:
    """Every placed character of ``value`` stands at its offset in ``host``."""
    for ch, off in zip(value.text, value.offsets):
        assert off == -1 or (0 <= off < len(host) and same_char(ch, host[off])), (value.text, off)


def check_shell_analysis(host: str, shift: int, analysis) -> None:
    """A shell analysis of ``host[shift:]``: every command span, word, comment
    and error node inside the text, every placed character the one there."""
    seen = set()  # the words split from one expansion share its raw text: check it once
    for cmd in analysis.commands:
        assert -1 <= cmd.start <= len(host) and -1 <= cmd.end <= len(host)
        for word in cmd.argv:
            for part in (word.value, word.raw):
                if id(part) not in seen:
                    seen.add(id(part))
                    check_sourced(host, part)
    for c in analysis.comments:
        check_sourced(host, c.text)
        assert shift <= c.start <= c.end <= len(host)
    for s, e in analysis.errors:  # (-1: a zero-width error node with no place of its own)
        assert (s == -1 or shift <= s <= len(host)) and (e == -1 or max(s, 0) <= e <= len(host)), (s, e)
    assert 0.0 <= analysis.error_ratio <= 1.0
