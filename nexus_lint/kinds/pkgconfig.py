"""Package-manager configs: every place a Python, npm, RPM or Maven client is
pointed at a repository, each file read the way its own tool reads it.

========================  ================================================  =========
file                      what is read                                      role
========================  ================================================  =========
``pip.conf``/``pip.ini``  ``index-url``, ``extra-index-url``, ``find-links``  install
                          in any section (configparser: continuation
                          lines, ``#``/``;`` full-line comments, keys
                          case-insensitive, ``_`` = ``-``)
``requirements*.txt``     ``-i``/``--index-url``, ``--extra-index-url``,     install
``constraints*.txt``      ``-f``/``--find-links`` (pip's line joining,
                          comment stripping, ``shlex`` and optparse rules:
                          ``=``/space/attached forms, unique prefixes);
                          a direct URL requirement is read too              browse
``pyproject.toml``,       ``[[tool.uv.index]] url``, ``[tool.uv]``           install
``uv.toml``               ``index-url``/``extra-index-url``/``find-links``
                          (and ``[tool.uv.pip]``), ``[[tool.poetry.source]]
                          url``, ``[[tool.pdm.source]] url``;
                          ``publish-url``                                   publish
``.pypirc``               ``repository`` of every server section            publish
``.npmrc``                ``registry``, ``@scope:registry`` (npm's ``ini``:  install
                          ``;``/``#`` comments anywhere unescaped, quoted
                          values, ``${ENV}`` unknown)
``.yarnrc.yml``           ``npmRegistryServer`` (also under ``npmScopes``)   install
                          ``npmPublishRegistry``                            publish
``package.json``          ``publishConfig.registry``                        publish
                          ``scripts``: through the shell analyser
``*.repo``, ``yum.conf``  ``baseurl`` (a list: whitespace or commas),       install
                          ``mirrorlist``, ``metalink``; ``gpgkey``          browse
``settings.xml``          ``mirrors/mirror/url``, profile repositories      install
``pom.xml``               ``distributionManagement`` (snapshot)             publish
                          ``repository/url``; ``repositories`` and
                          ``pluginRepositories``                            install
========================  ================================================  =========

Every value keeps the offset of each of its characters in the file, so a
finding lands on the literal and a fix edits only the characters it changes;
characters that did not stand verbatim in the file (an escape, a ``${VAR}``
the tool expands from the environment, a line joined by a backslash) are
unknown and never edited.

A file is a parse problem (NX000) only when its own tool would refuse it: pip
and twine fail on configparser errors (a key before any section, a duplicate
key in strict mode), npm and pip do not fail on odd requirement or ``.npmrc``
lines, TOML/JSON/YAML/XML that does not parse is broken for everyone.  XML
entity declarations are never expanded: a file that declares entities is not
read (NX000) rather than risk an expansion bomb.

Suppressions (``nexus-lint: ignore[NX201]``): formats whose tool strips
end-of-line comments (requirements files, ``.npmrc``, TOML, YAML, XML) accept
the marker at the end of the line; configparser formats (``pip.conf``,
``.pypirc``, ``.repo``) have only full-line comments, so the marker goes on
the line above.  A marker on a line of its own covers the next line and every
line of the entry that starts there.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
from array import array
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.model import BROWSE, INSTALL, PUBLISH, ParseProblem, Suppression, UrlFact
from nexus_lint.core.sourced import UNKNOWN, SourcedStr
from nexus_lint.core.suppress import parse_marker

__all__ = [
    "pip_conf",
    "requirements",
    "pyproject",
    "pypirc",
    "npmrc",
    "yarnrc",
    "package_json",
    "yum_repo",
    "maven",
    "docker_config",
]

_MODULE = __name__

#: The file kinds this module reads: name -> FileKind keyword arguments.
Span = Tuple[int, int]

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

_NEWLINE = lazy_re(r"\r\n|\r|\n")
_HTTP = lazy_re(r"^https?://", re.I)


def _lines(text: str) -> List[Span]:
    """(start, end) of each line's content; line endings \\n, \\r\\n, \\r."""
    out: List[Span] = []
    pos = 0
    for m in _NEWLINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _tokens(value: SourcedStr, sep: str = r"\s+") -> List[SourcedStr]:
    out = []
    pos = 0
    for m in re.finditer(sep, value.text):
        if m.start() > pos:
            out.append(value[pos:m.start()])
        pos = m.end()
    if pos < len(value.text):
        out.append(value[pos:])
    return out


def _mask(value: SourcedStr, pattern: "re.Pattern[str]") -> SourcedStr:
    """Characters of ``pattern`` matches (``${VAR}`` the tool expands) become unknown."""
    matches = list(pattern.finditer(value.text))
    if not matches:
        return value
    offs = array("q", value.offsets)
    for m in matches:
        for k in range(m.start(), m.end()):
            offs[k] = UNKNOWN
    return SourcedStr(value.text, offs)


def _url_facts(value: SourcedStr, role: str, origin: str, *, sep: str = r"\s+",
               use: Optional[Span] = None) -> Iterator[UrlFact]:
    """One fact per whitespace- (or ``sep``-) separated ``http(s)://`` token; its
    use is the token itself, or ``use`` when the token has no place in the file."""
    for tok in _tokens(value, sep):
        if _HTTP.match(tok.text):
            yield UrlFact(tok, role, origin, tok.extent() or use or value.extent() or (0, 0))


def _line_span(text: str, lineno: int) -> Span:
    lines = _lines(text)
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return (0, 0)


@dataclass
class _Comment:
    start: int  # offset of the comment text (its marker character included)
    text: str
    own_line: bool


def _suppressions(source, comments: Iterable[_Comment], entries: Sequence[Tuple[int, int]]) -> Iterator[Suppression]:
    """Markers in ``comments``; ``entries`` are (first line, last line) of the
    file's multi-line entries (a continued value, an array, an element)."""
    for c in comments:
        if "nexus-lint" not in c.text:
            continue
        parsed = parse_marker(c.text)
        if parsed is None:
            continue
        ids, s, e = parsed
        line = source.line_of(c.start)
        covered = set()
        if c.own_line:
            covered.add(line + 1)
            for first, last in entries:
                if first == line + 1:
                    covered.update(range(first, last + 1))
        else:
            covered.add(line)
            for first, last in entries:
                if first <= line <= last:
                    covered.update(range(first, last + 1))
        yield Suppression(ids, tuple(sorted(covered)), c.start + s, c.start + e)


def _own_line(text: str, offset: int) -> bool:
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return not text[start:offset].strip()


# ---------------------------------------------------------------------------
# configparser formats: pip.conf, .pypirc, yum/dnf .repo
# ---------------------------------------------------------------------------


@dataclass
class _IniEntry:
    section: str
    key: str  # lower-cased, as configparser's optionxform does
    parts: List[SourcedStr] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0
    line_span: Span = (0, 0)  # the key's line, for values whose offsets are unknown

    def value(self) -> SourcedStr:
        """The value as configparser joins it: lines joined by newlines, right-stripped."""
        pieces: List[SourcedStr] = []
        for k, part in enumerate(self.parts):
            if k:
                pieces.append(SourcedStr.unknown("\n"))
            pieces.append(part)
        joined = SourcedStr.join(pieces) if pieces else SourcedStr("")
        return joined[: len(joined.text.rstrip())]


_SECTCRE = configparser.RawConfigParser.SECTCRE
_OPTCRE = configparser.RawConfigParser.OPTCRE


def _ini_scan(text: str) -> Tuple[List[_IniEntry], List[_Comment]]:
    """configparser's reading (``RawConfigParser`` defaults) with offsets."""
    entries: List[_IniEntry] = []
    comments: List[_Comment] = []
    section: Optional[str] = None
    current: Optional[_IniEntry] = None
    indent_level = 0
    for lineno, (s, e) in enumerate(_lines(text), start=1):
        line = text[s:e]
        stripped = line.strip()
        if stripped.startswith(("#", ";")):
            lead = len(line) - len(line.lstrip())
            comments.append(_Comment(s + lead, stripped, True))
            continue
        if not stripped:
            if current is not None and section is not None:
                current.parts.append(SourcedStr(""))
            continue
        lead = len(line) - len(line.lstrip())
        cur_indent = re.search(r"\S", line).start()
        if section is not None and current is not None and cur_indent > indent_level:
            current.parts.append(SourcedStr.literal(stripped, s + lead))
            current.last_line = lineno
            continue
        indent_level = cur_indent
        mo = _SECTCRE.match(stripped)
        if mo:
            section = mo.group("header")
            current = None
            continue
        if section is None:
            break  # configparser stops here (MissingSectionHeaderError)
        mo = _OPTCRE.match(stripped)
        if not mo:
            continue  # a ParsingError line: configparser goes on
        name = mo.group("option").rstrip().lower()
        raw = mo.group("value") or ""
        vstart = s + lead + mo.start("value")
        value = SourcedStr.literal(raw, vstart)
        current = _IniEntry(section, name, [value.strip()], lineno, lineno, (s + lead, e))
        entries.append(current)
    for entry in entries:  # trailing empty lines do not belong to the value
        while len(entry.parts) > 1 and not entry.parts[-1].text:
            entry.parts.pop()
    return entries, comments


def _ini_check(text: str, strict: bool) -> Tuple[Optional[configparser.RawConfigParser], Optional[ParseProblem]]:
    """Read ``text`` with the real configparser, as the tool does."""
    parser = configparser.RawConfigParser(strict=strict)
    normalized = _NEWLINE.sub("\n", text)
    try:
        parser.read_string(normalized)
    except configparser.ParsingError as exc:
        lineno = exc.errors[0][0] if getattr(exc, "errors", None) else 1
        s, e = _line_span(text, lineno)
        return None, ParseProblem(f"not a valid config file: line {lineno} is neither a section, a key nor a value", s, e)
    except configparser.MissingSectionHeaderError as exc:
        s, e = _line_span(text, exc.lineno)
        return None, ParseProblem("not a valid config file: a key before any [section]", s, e)
    except (configparser.DuplicateOptionError, configparser.DuplicateSectionError) as exc:
        s, e = _line_span(text, exc.lineno or 1)
        return None, ParseProblem(f"not a valid config file: {exc.message.split(':', 1)[-1].strip()}", s, e)
    except configparser.Error as exc:
        return None, ParseProblem(f"not a valid config file: {exc}")
    return parser, None


def _ini_entries(text: str, strict: bool) -> Tuple[List[_IniEntry], List[_Comment], Optional[ParseProblem]]:
    parser, problem = _ini_check(text, strict)
    entries, comments = _ini_scan(text)
    if parser is not None:
        # The real parser decides the value; offsets are kept only where the scan agrees.
        last = {(e.section, e.key): k for k, e in enumerate(entries)}
        kept = []
        for k, entry in enumerate(entries):
            if last[(entry.section, entry.key)] != k:
                continue  # shadowed by a later duplicate (non-strict readers keep the last one)
            kept.append(entry)
            try:
                if entry.section == parser.default_section:
                    real = parser.defaults().get(entry.key)
                else:
                    real = parser.get(entry.section, entry.key, raw=True)
            except (configparser.Error, KeyError):
                real = None
            if real is not None and real != entry.value().text:
                entry.parts = [SourcedStr.unknown(real)]
        entries = kept
    return entries, comments, problem


def _ini_suppressions(source, entries: List[_IniEntry], comments: List[_Comment]) -> Iterator[Suppression]:
    if "nexus-lint" in source.text:
        yield from _suppressions(source, comments, [(e.first_line, e.last_line) for e in entries])


def _pip_key(key: str) -> str:
    key = key.lower().replace("_", "-")
    return key[2:] if key.startswith("--") else key


_PIP_CONF_KEYS = ("index-url", "extra-index-url", "find-links")


def pip_conf(source, context) -> Iterator[object]:
    """``pip.conf`` / ``pip.ini``: pip reads it with ``RawConfigParser`` (strict)."""
    entries, comments, problem = _ini_entries(source.text, strict=True)
    if problem is not None:
        yield problem
    for entry in entries:
        key = _pip_key(entry.key)
        if key in _PIP_CONF_KEYS:
            yield from _url_facts(entry.value(), INSTALL, f"pip.conf [{entry.section}] {key}", use=entry.line_span)
    yield from _ini_credentials(entries, "pip.conf", "pypi")
    yield from _ini_suppressions(source, entries, comments)


def _ini_credentials(entries: List[_IniEntry], label: str, hint: str) -> Iterator[object]:
    """Literal secrets of an ini file (``password = ...``, ``proxy_password``) and
    URL passwords or tokens in any value; configparser formats expand nothing,
    so only a literal that is no ``$VAR``/``%(x)s`` look-alike counts."""
    from nexus_lint.values.secrets import by_key

    for entry in entries:
        if entry.section == "distutils":
            continue
        yield from by_key(entry.key, entry.value(), f"{label} [{entry.section}] {entry.key}", hint=hint)


def pypirc(source, context) -> Iterator[object]:
    """``.pypirc``: twine reads it with ``RawConfigParser``; every server's ``repository``."""
    entries, comments, problem = _ini_entries(source.text, strict=True)
    if problem is not None:
        yield problem
    for entry in entries:
        if entry.key == "repository" and entry.section != "distutils":
            yield from _url_facts(entry.value(), PUBLISH, f".pypirc [{entry.section}] repository", use=entry.line_span)
    yield from _ini_credentials(entries, ".pypirc", "pypi")
    yield from _ini_suppressions(source, entries, comments)


_REPO_KEYS = {"baseurl": INSTALL, "mirrorlist": INSTALL, "metalink": INSTALL, "gpgkey": BROWSE}


def yum_repo(source, context) -> Iterator[object]:
    """yum/dnf ``.repo`` files: ``baseurl`` is a list (whitespace or commas);
    ``$releasever``/``$basearch`` stay as written (they only ever sit in paths)."""
    entries, comments, problem = _ini_entries(source.text, strict=False)
    if problem is not None:
        yield problem
    for entry in entries:
        role = _REPO_KEYS.get(entry.key)
        if role is not None:
            yield from _url_facts(entry.value(), role, f".repo [{entry.section}] {entry.key}", sep=r"[\s,]+",
                                  use=entry.line_span)
    yield from _ini_credentials(entries, ".repo", "yum")
    yield from _ini_suppressions(source, entries, comments)


# ---------------------------------------------------------------------------
# requirements files
# ---------------------------------------------------------------------------

# pip's COMMENT_RE, ``(^|\s+)#.*$``, matched the same way but only from the start
# of a run of blanks: pip's own pattern is quadratic on a long run of spaces.
_REQ_COMMENT = lazy_re(r"(^|(?<!\s)\s+)#.*$")
_REQ_ENV = lazy_re(r"\$\{[A-Z0-9_]+\}")
# pip's requirement-file options (SUPPORTED_OPTIONS and per-requirement ones)
_REQ_LONG = (
    "--index-url", "--extra-index-url", "--no-index", "--constraint", "--requirement", "--editable",
    "--find-links", "--no-binary", "--only-binary", "--prefer-binary", "--require-hashes", "--pre",
    "--trusted-host", "--use-feature", "--global-option", "--hash", "--config-settings",
)
_REQ_VALUED_LONG = frozenset({
    "--index-url", "--extra-index-url", "--constraint", "--requirement", "--editable", "--find-links",
    "--no-binary", "--only-binary", "--trusted-host", "--use-feature", "--global-option", "--hash",
    "--config-settings",
})
_REQ_SHORT = {"-i": "--index-url", "-c": "--constraint", "-r": "--requirement", "-e": "--editable",
              "-f": "--find-links", "-C": "--config-settings"}
_REQ_URL_OPTS = {"--index-url": "--index-url", "--extra-index-url": "--extra-index-url", "--find-links": "--find-links"}


def _shlex(s: SourcedStr) -> Optional[List[SourcedStr]]:
    """``shlex.split(s)`` (POSIX mode) keeping offsets; ``None`` on an open quote."""
    text = s.text
    words: List[SourcedStr] = []
    cur: List[SourcedStr] = []
    in_word = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            if in_word:
                words.append(SourcedStr.join(cur))
                cur, in_word = [], False
            i += 1
        elif c == "'":
            j = text.find("'", i + 1)
            if j < 0:
                return None
            cur.append(s[i + 1:j])
            in_word = True
            i = j + 1
        elif c == '"':
            j = i + 1
            while True:
                if j >= n:
                    return None
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\':
                    cur.append(s[j + 1:j + 2])
                    j += 2
                    continue
                if text[j] == '"':
                    break
                cur.append(s[j:j + 1])
                j += 1
            in_word = True
            i = j + 1
        elif c == "\\":
            if i + 1 < n:
                cur.append(s[i + 1:i + 2])
                i += 2
            else:
                return None  # shlex: "No escaped character"
            in_word = True
        else:
            j = i
            while j < n and text[j] not in " \t\r\n'\"\\":
                j += 1
            cur.append(s[i:j])
            in_word = True
            i = j
    if in_word:
        words.append(SourcedStr.join(cur))
    return words


def _req_long(name: str) -> Optional[str]:
    """optparse's long-option matching: exact, else a unique prefix."""
    if name in _REQ_LONG:
        return name
    hits = [o for o in _REQ_LONG if o.startswith(name)]
    return hits[0] if len(hits) == 1 else None


def _req_options(words: List[SourcedStr]) -> Iterator[Tuple[str, SourcedStr]]:
    """(long option, value) of the URL options among ``words`` (optparse rules)."""
    k, n = 0, len(words)
    while k < n:
        w = words[k]
        t = w.text
        k += 1
        if t == "--":
            break
        if t.startswith("--"):
            name, eq, _ = t.partition("=")
            full = _req_long(name)
            if full is None:
                continue
            if full in _REQ_VALUED_LONG:
                if eq:
                    value = w[len(name) + 1:]
                elif k < n:
                    value = words[k]
                    k += 1
                else:
                    continue
                if full in _REQ_URL_OPTS:
                    yield full, value
            continue
        if t.startswith("-") and len(t) > 1:
            for j in range(1, len(t)):
                short = "-" + t[j]
                full = _REQ_SHORT.get(short)
                if full is None:
                    continue  # a flag (or unknown): optparse would go on with the cluster
                if j + 1 < len(t):
                    value = w[j + 1:]
                elif k < n:
                    value = words[k]
                    k += 1
                else:
                    break
                if full in _REQ_URL_OPTS:
                    yield full, value
                break


def requirements(source, context) -> Iterator[object]:
    """pip requirement and constraint files (``pip._internal.req.req_file``)."""
    text = source.text
    physical: List[Tuple[int, SourcedStr]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        physical.append((pos, SourcedStr.literal(body, pos)))
        pos += len(raw)
    comments: List[_Comment] = []
    logical: List[Tuple[int, int, SourcedStr]] = []  # (first line, last line, joined text)
    joined: List[SourcedStr] = []
    first = 0
    for idx, (start, line) in enumerate(physical, start=1):
        m = _REQ_COMMENT.search(line.text)
        if m:
            hash_at = line.text.index("#", m.start())
            comments.append(_Comment(start + hash_at, line.text[hash_at:], not line.text[:hash_at].strip()))
        is_comment = _REQ_COMMENT.match(line.text) is not None
        if not line.text.endswith("\\") or is_comment:
            if is_comment:
                line = SourcedStr.unknown(" ") + line
            if joined:
                joined.append(line)
                logical.append((first, idx, SourcedStr.join(joined)))
                joined = []
            else:
                logical.append((idx, idx, line))
        else:
            if not joined:
                first = idx
            joined.append(line.strip("\\"))
    if joined:
        logical.append((first, len(physical), SourcedStr.join(joined)))
    entries = []
    for first_line, last_line, line in logical:
        entries.append((first_line, last_line))
        m = _REQ_COMMENT.search(line.text)
        if m:
            line = line[: m.start()]
        line = _mask(line.strip(), _REQ_ENV)
        if not line.text:
            continue
        args, options = _break_args_options(line)
        if args.text:
            # a requirement: a direct URL (``pkg @ https://...`` or a bare URL) is read, not indexed
            for tok in _tokens(args):
                if _HTTP.match(tok.text):
                    yield UrlFact(tok, BROWSE, "requirement URL", tok.extent() or (0, 0))
            continue
        words = _shlex(options)
        if words is None:
            continue  # pip stops with "No closing quotation"; nothing to read on this line
        for name, value in _req_options(words):
            if _HTTP.match(value.text):
                yield UrlFact(value, INSTALL, f"requirements {name}", value.extent() or line.extent() or (0, 0))
    if "nexus-lint" in text:
        yield from _suppressions(source, comments, entries)


def _break_args_options(line: SourcedStr) -> Tuple[SourcedStr, SourcedStr]:
    """pip's ``break_args_options``: the words before the first ``-word`` are the
    requirement, the rest are options."""
    text = line.text
    pos = 0
    for tok in text.split(" "):
        if tok.startswith("-"):
            return line[: max(pos - 1, 0)], line[pos:]
        pos += len(tok) + 1
    return line, SourcedStr("")


# ---------------------------------------------------------------------------
# TOML: pyproject.toml / uv.toml
# ---------------------------------------------------------------------------


class _TomlError(Exception):
    pass


_BARE_KEY = lazy_re(r"[A-Za-z0-9_-]+")
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


class _TomlScan:
    """Just enough of TOML to say where each string value stands.

    Yields ``(path, value)`` for every string, where ``path`` holds the keys
    from the root and ``"[]"`` for each array (of tables) level, so
    ``[[tool.uv.index]] url`` and ``[tool.uv] index = [{url = ...}]`` are both
    ``("tool", "uv", "index", "[]", "url")``.  Validity is tomllib's business:
    this runs only on text tomllib accepted.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.strings: List[Tuple[Tuple[str, ...], SourcedStr, int]] = []  # (path, value, start)
        self.comments: List[_Comment] = []
        self.entries: List[Tuple[int, int]] = []  # offsets (start, end) of multi-line values

    # -- low level --
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.text[j] if j < len(self.text) else ""

    def ws(self, newlines: bool) -> None:
        t = self.text
        while self.i < len(t):
            c = t[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                end = self.i
                while end < len(t) and t[end] not in "\r\n":
                    end += 1
                self.comments.append(_Comment(self.i, t[self.i:end], _own_line(t, self.i)))
                self.i = end
            else:
                break

    def parse(self) -> None:
        t = self.text
        table: Tuple[str, ...] = ()
        while True:
            self.ws(True)
            if self.i >= len(t):
                return
            if t[self.i] == "[":
                array = t.startswith("[[", self.i)
                self.i += 2 if array else 1
                self.ws(False)
                keys = self.key()
                self.ws(False)
                self.i += 2 if array else 1
                table = tuple(keys) + (("[]",) if array else ())
                continue
            keys = self.key()
            self.ws(False)
            if self.peek() != "=":
                raise _TomlError("expected =")
            self.i += 1
            self.ws(False)
            self.value(table + tuple(keys))

    def key(self) -> List[str]:
        keys = []
        while True:
            self.ws(False)
            c = self.peek()
            if c == '"' or c == "'":
                value, _ = self.string()
                keys.append(value.text)
            else:
                m = _BARE_KEY.match(self.text, self.i)
                if not m:
                    raise _TomlError("bad key")
                keys.append(m.group(0))
                self.i = m.end()
            self.ws(False)
            if self.peek() == ".":
                self.i += 1
                continue
            return keys

    def value(self, path: Tuple[str, ...]) -> None:
        c = self.peek()
        start = self.i
        if c in "\"'":
            value, start = self.string()
            self.strings.append((path, value, start))
            if "\n" in self.text[start:self.i]:
                self.entries.append((start, self.i))
        elif c == "[":
            self.i += 1
            while True:
                self.ws(True)
                if self.peek() == "]":
                    self.i += 1
                    break
                self.value(path + ("[]",))
                self.ws(True)
                if self.peek() == ",":
                    self.i += 1
            if "\n" in self.text[start:self.i]:
                self.entries.append((start, self.i))
        elif c == "{":
            self.i += 1
            while True:
                self.ws(True)
                if self.peek() == "}":
                    self.i += 1
                    break
                keys = self.key()
                self.ws(False)
                self.i += 1  # "="
                self.ws(False)
                self.value(path + tuple(keys))
                self.ws(True)
                if self.peek() == ",":
                    self.i += 1
        else:  # number, bool, date: up to a delimiter
            t = self.text
            while self.i < len(t) and t[self.i] not in ",]}\r\n#":
                self.i += 1
            if self.i == start:
                raise _TomlError("empty value")

    def string(self) -> Tuple[SourcedStr, int]:
        t = self.text
        q = t[self.i]
        multi = t.startswith(q * 3, self.i)
        start = self.i
        self.i += 3 if multi else 1
        chars: List[SourcedStr] = []
        if multi and t.startswith("\r\n", self.i):
            self.i += 2
        elif multi and t.startswith("\n", self.i):
            self.i += 1
        while True:
            if self.i >= len(t):
                raise _TomlError("unterminated string")
            c = t[self.i]
            if multi and t.startswith(q * 3, self.i):
                # up to two more quotes may belong to the content
                extra = 0
                while extra < 2 and t.startswith(q * 3, self.i + 1):
                    chars.append(SourcedStr.literal(q, self.i))
                    self.i += 1
                    extra += 1
                self.i += 3
                break
            if not multi and c == q:
                self.i += 1
                break
            if q == '"' and c == "\\":
                nxt = t[self.i + 1] if self.i + 1 < len(t) else ""
                if multi and nxt in " \t\r\n":
                    j = self.i + 1
                    while j < len(t) and t[j] in " \t":
                        j += 1
                    if j < len(t) and t[j] in "\r\n":  # line-ending backslash: trim
                        while j < len(t) and t[j] in " \t\r\n":
                            j += 1
                        self.i = j
                        continue
                if nxt in _TOML_ESCAPES:
                    chars.append(SourcedStr.unknown(_TOML_ESCAPES[nxt]))
                    self.i += 2
                    continue
                if nxt in "uU":
                    width = 4 if nxt == "u" else 8
                    digits = t[self.i + 2:self.i + 2 + width]
                    chars.append(SourcedStr.unknown(chr(int(digits, 16))))
                    self.i += 2 + width
                    continue
                raise _TomlError("bad escape")
            if c == "\r" and t.startswith("\r\n", self.i):
                chars.append(SourcedStr.unknown("\n"))
                self.i += 2
                continue
            chars.append(SourcedStr.literal(c, self.i))
            self.i += 1
        return (SourcedStr.join(chars) if chars else SourcedStr("")), start


# (path, role, origin) for pyproject.toml; uv.toml has the [tool.uv] keys at the top.
_UV_KEYS = (
    (("index", "[]", "url"), INSTALL, "[[tool.uv.index]] url"),
    (("index", "[]", "publish-url"), PUBLISH, "[[tool.uv.index]] publish-url"),
    (("index-url",), INSTALL, "[tool.uv] index-url"),
    (("extra-index-url", "[]"), INSTALL, "[tool.uv] extra-index-url"),
    (("find-links", "[]"), INSTALL, "[tool.uv] find-links"),
    (("publish-url",), PUBLISH, "[tool.uv] publish-url"),
    (("pip", "index-url"), INSTALL, "[tool.uv.pip] index-url"),
    (("pip", "extra-index-url", "[]"), INSTALL, "[tool.uv.pip] extra-index-url"),
    (("pip", "find-links", "[]"), INSTALL, "[tool.uv.pip] find-links"),
)
_PYPROJECT_KEYS = {("tool", "uv") + p: (r, o) for p, r, o in _UV_KEYS}
_PYPROJECT_KEYS.update({
    ("tool", "poetry", "source", "[]", "url"): (INSTALL, "[[tool.poetry.source]] url"),
    ("tool", "pdm", "source", "[]", "url"): (INSTALL, "[[tool.pdm.source]] url"),
})
_UV_TOML_KEYS = {p: (r, o.replace("tool.uv.", "").replace("[tool.uv] ", "")) for p, r, o in _UV_KEYS}


def pyproject(source, context) -> Iterator[object]:
    """Index settings of ``pyproject.toml`` (uv, Poetry, PDM) and ``uv.toml``.

    (``pyproject.toml`` is also nexus-lint's own config file; here it is just a
    file whose index settings are facts.)"""
    if sys.version_info >= (3, 11):  # imported here: the other package configs do not pay for it
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    text = source.text
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if line is None and m:
            line = int(m.group(1))
        s, e = _line_span(text, line or 1)
        yield ParseProblem(f"invalid TOML: {str(exc).split(' (at line')[0]}", s, e)
        return
    scan = _TomlScan(text)
    try:
        scan.parse()
    except (_TomlError, ValueError, IndexError):
        return  # tomllib accepted it; our scanner could not follow: no facts rather than wrong ones
    keys = _UV_TOML_KEYS if source.path.replace("\\", "/").rsplit("/", 1)[-1].lower() == "uv.toml" else _PYPROJECT_KEYS
    for path, value, _ in scan.strings:
        hit = keys.get(path)
        if hit is not None and _HTTP.match(value.text):
            role, origin = hit
            yield UrlFact(value, role, origin, value.extent() or (0, 0))
    from nexus_lint.values.secrets import by_key

    for path, value, _ in scan.strings:
        key = next((p for p in reversed(path) if p != "[]"), "")
        yield from by_key(key, value, ".".join(p for p in path if p != "[]"), hint="pypi")
    if "nexus-lint" in text:
        entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for s, e in scan.entries]
        yield from _suppressions(source, scan.comments, entries)


# ---------------------------------------------------------------------------
# .npmrc (npm's "ini" package)
# ---------------------------------------------------------------------------

_NPM_LINE = lazy_re(r"^\[([^\]]*)\]\s*$|^([^=]+)(=(.*))?$", re.S)
_NPM_ENV = lazy_re(r"(?<!\\)\$\{[^${}?]+\??\}")
_NPM_REGISTRY_KEY = lazy_re(r"^(?:@[^:]+:)?registry$")


def _npm_unsafe(val: SourcedStr) -> Tuple[SourcedStr, Optional[int]]:
    """ini's ``unsafe()``: the value and the index (in ``val``) where an inline comment starts."""
    val = val.strip()
    t = val.text
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        inner = val[1:-1]
        if t[0] == "'":
            try:
                parsed = json.loads(inner.text)
            except ValueError:
                return inner, None
            return (inner if parsed == inner.text else SourcedStr.unknown(str(parsed))), None
        try:
            parsed = json.loads(t)
        except ValueError:
            return val, None
        if not isinstance(parsed, str):
            return SourcedStr.unknown(json.dumps(parsed)), None
        return (inner if parsed == inner.text else SourcedStr.unknown(parsed)), None
    out: List[SourcedStr] = []
    esc = False
    comment = None
    for i, c in enumerate(t):
        if esc:
            if c in "\\;#":
                out.append(SourcedStr.unknown(c))
            else:
                out.append(SourcedStr.unknown("\\") + val[i:i + 1])
            esc = False
        elif c in ";#":
            comment = i
            break
        elif c == "\\":
            esc = True
        else:
            out.append(val[i:i + 1])
    if esc:
        out.append(SourcedStr.unknown("\\"))
    result = SourcedStr.join(out) if out else SourcedStr("")
    return result.strip(), comment


def npmrc(source, context) -> Iterator[object]:
    """``.npmrc`` as npm's ``ini`` decodes it; top-level ``registry`` and
    ``@scope:registry`` keys (keys in a ``[section]`` are not npm config)."""
    text = source.text
    section = None
    comments: List[_Comment] = []
    pos = 0
    for raw_line in re.split(r"(\r\n|\r|\n)", text):
        start = pos
        pos += len(raw_line)
        if not raw_line or raw_line in ("\r\n", "\r", "\n"):
            continue
        line = SourcedStr.literal(raw_line, start)
        m = re.match(r"^\s*[;#]", raw_line)
        if m:
            comments.append(_Comment(start + m.end() - 1, raw_line[m.end() - 1:], True))
            continue
        mo = _NPM_LINE.match(raw_line)
        if not mo:
            continue
        if mo.group(1) is not None:
            section = mo.group(1)
            continue
        key, key_comment = _npm_unsafe(line[: mo.end(2)])
        if key_comment is not None:
            at = line[: mo.end(2)].strip().offsets[key_comment]
            comments.append(_Comment(at, text[at:start + len(raw_line)], False))
            continue
        if mo.group(3) is None:
            continue
        value, value_comment = _npm_unsafe(line[mo.start(4):])
        if value_comment is not None:
            stripped = line[mo.start(4):].strip()
            at = stripped.offsets[value_comment]
            comments.append(_Comment(at, text[at:start + len(raw_line)], False))
        if section is not None:
            continue
        yield from _npm_credentials(key.text, value)
        if _NPM_REGISTRY_KEY.match(key.text):
            value = _mask(value, _NPM_ENV)
            if _HTTP.match(value.text):
                yield UrlFact(value, INSTALL, f".npmrc {key.text}", value.extent() or line.extent() or (0, 0))
    if "nexus-lint" in text:
        yield from _suppressions(source, comments, [])


def _npm_credentials(key: str, value: SourcedStr) -> Iterator[object]:
    """``_authToken``, ``_auth``, ``_password`` (scoped ``//host/:_authToken`` too):
    anything but a ``${VAR}`` npm expands is a secret; a literal token can be
    replaced by ``${NPM_TOKEN}`` (an unsafe fix: the environment must set it)."""
    from nexus_lint.values.secrets import by_key

    token = key == "_authToken" or key.endswith(":_authToken")
    replacement = "${NPM_TOKEN}" if token and value.span() is not None else None
    yield from by_key(key, value, f".npmrc {key}", hint="npm", replacement=replacement)


# ---------------------------------------------------------------------------
# .yarnrc.yml
# ---------------------------------------------------------------------------

_YARN_ENV = lazy_re(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}")
_YAML_COMMENT = lazy_re(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.M)


def yarnrc(source, context) -> Iterator[object]:
    """Yarn Berry's ``.yarnrc.yml``: ``npmRegistryServer``, ``npmPublishRegistry``
    at the top and under ``npmScopes.<scope>``; ``${VAR}`` is the environment's."""
    from nexus_lint.lang import yamldoc

    text = source.text
    try:
        docs = yamldoc.load(text)
    except yamldoc.YamlError as exc:
        yield ParseProblem(exc.message, exc.start, exc.end)
        return
    keys = {"npmRegistryServer": INSTALL, "npmPublishRegistry": PUBLISH}
    for doc in docs[:1]:
        for name, role in keys.items():
            yield from _yaml_url(yamldoc, doc, name, role, name, text)
        scopes = yamldoc.get(doc, "npmScopes")
        for scope, _k, node in yamldoc.items(scopes):
            for name, role in keys.items():
                yield from _yaml_url(yamldoc, node, name, role, f"npmScopes.{scope}.{name}", text)
    from nexus_lint.kinds.yamlcommon import yaml_credentials

    yield from yaml_credentials(docs[:1], text, "npm")  # npmAuthToken, npmAuthIdent (top, npmScopes, npmRegistries)
    if "nexus-lint" in text:
        comments = [_Comment(m.start(), m.group(0), _own_line(text, m.start())) for m in _YAML_COMMENT.finditer(text)]
        yield from _suppressions(source, comments, [])


def _yaml_url(yamldoc, mapping, key: str, role: str, origin: str, text: str) -> Iterator[UrlFact]:
    import yaml

    node = yamldoc.get(mapping, key)
    if isinstance(node, yaml.ScalarNode):
        value = _mask(yamldoc.scalar(node, text).strip(), _YARN_ENV)
        if _HTTP.match(value.text):
            yield UrlFact(value, role, f".yarnrc.yml {origin}", value.extent() or (node.start_mark.index, node.end_mark.index))


# ---------------------------------------------------------------------------
# package.json
# ---------------------------------------------------------------------------


class _JsonError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


@dataclass
class _JNode:
    kind: str  # "object", "array", "string", "other"
    start: int
    end: int
    value: object = None  # dict key -> _JNode (last wins), list of _JNode, SourcedStr


_JSON_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_JSON_OTHER = lazy_re(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class _Json:
    """A JSON reader that keeps positions (``json`` has none); strict RFC 8259."""

    MAX_DEPTH = 500

    def __init__(self, text: str) -> None:
        self.t = text
        self.i = 0

    def ws(self) -> None:
        t = self.t
        while self.i < len(t) and t[self.i] in " \t\r\n":
            self.i += 1

    def doc(self) -> _JNode:
        self.ws()
        node = self.value(0)
        self.ws()
        if self.i != len(self.t):
            raise _JsonError("extra data after the JSON value", self.i)
        return node

    def value(self, depth: int) -> _JNode:
        if depth > self.MAX_DEPTH:
            raise _JsonError("nested too deeply", self.i)
        t = self.t
        if self.i >= len(t):
            raise _JsonError("unexpected end of file", self.i)
        c = t[self.i]
        start = self.i
        if c == "{":
            self.i += 1
            members: Dict[str, _JNode] = {}
            self.ws()
            if self.peek() == "}":
                self.i += 1
                return _JNode("object", start, self.i, members)
            while True:
                self.ws()
                if self.peek() != '"':
                    raise _JsonError("expected a string key", self.i)
                key = self.string()
                self.ws()
                if self.peek() != ":":
                    raise _JsonError("expected ':'", self.i)
                self.i += 1
                self.ws()
                members[key.value.text] = self.value(depth + 1)
                self.ws()
                c = self.peek()
                self.i += 1
                if c == "}":
                    return _JNode("object", start, self.i, members)
                if c != ",":
                    raise _JsonError("expected ',' or '}'", self.i - 1)
        if c == "[":
            self.i += 1
            items: List[_JNode] = []
            self.ws()
            if self.peek() == "]":
                self.i += 1
                return _JNode("array", start, self.i, items)
            while True:
                self.ws()
                items.append(self.value(depth + 1))
                self.ws()
                c = self.peek()
                self.i += 1
                if c == "]":
                    return _JNode("array", start, self.i, items)
                if c != ",":
                    raise _JsonError("expected ',' or ']'", self.i - 1)
        if c == '"':
            return self.string()
        m = _JSON_OTHER.match(t, self.i)
        if not m:
            raise _JsonError("expected a JSON value", self.i)
        self.i = m.end()
        return _JNode("other", start, self.i, m.group(0))

    def peek(self) -> str:
        return self.t[self.i] if self.i < len(self.t) else ""

    def string(self) -> _JNode:
        t = self.t
        start = self.i
        self.i += 1
        parts: List[SourcedStr] = []
        run = self.i
        while True:
            if self.i >= len(t):
                raise _JsonError("unterminated string", start)
            c = t[self.i]
            if c == '"':
                parts.append(SourcedStr.literal(t[run:self.i], run))
                self.i += 1
                break
            if c == "\\":
                parts.append(SourcedStr.literal(t[run:self.i], run))
                e = t[self.i + 1:self.i + 2]
                if e in _JSON_ESC:
                    parts.append(SourcedStr.unknown(_JSON_ESC[e]))
                    self.i += 2
                elif e == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", t[self.i + 2:self.i + 6] or ""):
                    parts.append(SourcedStr.unknown(chr(int(t[self.i + 2:self.i + 6], 16))))
                    self.i += 6
                else:
                    raise _JsonError("invalid escape", self.i)
                run = self.i
                continue
            if ord(c) < 0x20:
                raise _JsonError("control character in string", self.i)
            self.i += 1
        return _JNode("string", start, self.i, SourcedStr.join(parts))


def package_json(source, context) -> Iterator[object]:
    """``package.json``: ``publishConfig.registry`` (and ``@scope:registry``)
    publish; each of ``scripts`` is shell and goes through the shell analyser."""
    text = source.text
    try:
        root = _Json(text).doc()
    except _JsonError as exc:
        pos = min(max(exc.pos, 0), len(text))
        yield ParseProblem(f"invalid JSON: {exc}", pos, min(len(text), pos + 1))
        return
    except RecursionError:
        yield ParseProblem("invalid JSON: nested too deeply")
        return
    if root.kind != "object":
        return
    publish = root.value.get("publishConfig")
    if publish is not None and publish.kind == "object":
        for key, node in publish.value.items():
            if node.kind == "string" and _NPM_REGISTRY_KEY.match(key) and _HTTP.match(node.value.text):
                yield UrlFact(node.value, PUBLISH, f"package.json publishConfig.{key}", (node.start, node.end))
    scripts = root.value.get("scripts")
    if scripts is not None and scripts.kind == "object":
        yield from _scripts([n.value for n in scripts.value.values() if n.kind == "string"])


def docker_config(source, context) -> Iterator[object]:
    """docker's ``config.json`` (a ``.docker/config.json`` in a repository):
    ``auths.*.auth`` (base64 ``user:password``), ``password``, ``identitytoken``,
    ``registrytoken`` are secrets; ``credsStore``/``credHelpers`` are the way out."""
    from nexus_lint.values.secrets import docker_auths

    text = source.text
    try:
        _Json(text).doc()
    except _JsonError as exc:
        pos = min(max(exc.pos, 0), len(text))
        yield ParseProblem(f"invalid JSON: {exc}", pos, min(len(text), pos + 1))
        return
    except RecursionError:
        yield ParseProblem("invalid JSON: nested too deeply")
        return
    yield from docker_auths(SourcedStr.literal(text, 0), "config.json auths")


def _scripts(values: List[SourcedStr]) -> Iterator[object]:
    from nexus_lint.tools import commands; from nexus_lint.tools import commands as url_commands

    for value in values:
        if not (commands.worth_analysing(value.text) or url_commands.worth_analysing(value.text)):
            continue
        from nexus_lint.lang.shell import analyse

        yield from commands.command_facts(analyse(value))


# ---------------------------------------------------------------------------
# Maven settings.xml and pom.xml
# ---------------------------------------------------------------------------

_MAVEN_PATHS = {
    ("settings", "mirrors", "mirror", "url"): (INSTALL, "settings.xml mirror url"),
    ("settings", "profiles", "profile", "repositories", "repository", "url"): (INSTALL, "settings.xml profile repository url"),
    ("settings", "profiles", "profile", "pluginRepositories", "pluginRepository", "url"): (INSTALL, "settings.xml profile pluginRepository url"),
    ("project", "distributionManagement", "repository", "url"): (PUBLISH, "pom.xml distributionManagement repository url"),
    ("project", "distributionManagement", "snapshotRepository", "url"): (PUBLISH, "pom.xml distributionManagement snapshotRepository url"),
    ("project", "repositories", "repository", "url"): (INSTALL, "pom.xml repository url"),
    ("project", "pluginRepositories", "pluginRepository", "url"): (INSTALL, "pom.xml pluginRepository url"),
    ("project", "profiles", "profile", "repositories", "repository", "url"): (INSTALL, "pom.xml profile repository url"),
    ("project", "profiles", "profile", "pluginRepositories", "pluginRepository", "url"): (INSTALL, "pom.xml profile pluginRepository url"),
    ("project", "profiles", "profile", "distributionManagement", "repository", "url"): (PUBLISH, "pom.xml profile distributionManagement repository url"),
    ("project", "profiles", "profile", "distributionManagement", "snapshotRepository", "url"): (PUBLISH, "pom.xml profile distributionManagement snapshotRepository url"),
}
_MAVEN_VAR = lazy_re(r"\$\{[^}]*\}")


class _XmlStop(Exception):
    pass


def _xml_read(text: str):
    """Elements (path, value, (start, end)) and comments of ``text`` with offsets.

    expat with DTDs read but never acted on: any entity declaration stops the
    read (no expansion, internal or external, ever happens)."""
    from xml.parsers import expat

    data = text.encode("utf-8")
    if text.isascii():
        char_at = None
    else:
        starts = array("q")
        for k, ch in enumerate(text):
            starts.extend([k] * len(ch.encode("utf-8")))
        char_at = starts

    def to_char(b: int) -> int:
        if char_at is None:
            return b
        return char_at[b] if 0 <= b < len(char_at) else len(text)

    parser = expat.ParserCreate(encoding="UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: List[Tuple[str, int, List[SourcedStr]]] = []
    elements: List[Tuple[Tuple[str, ...], SourcedStr, Span]] = []
    comments: List[_Comment] = []

    def start(name, attrs):
        local = name.rsplit(":", 1)[-1]
        stack.append((local, to_char(parser.CurrentByteIndex), []))

    def end(name):
        local, s, chunks = stack.pop()
        path = tuple(x[0] for x in stack) + (local,)
        value = SourcedStr.join(chunks) if chunks else SourcedStr("")
        elements.append((path, value, (s, to_char(parser.CurrentByteIndex))))

    def chars(data_):
        if not stack:
            return
        c = to_char(parser.CurrentByteIndex)
        if text.startswith(data_, c) and not text.startswith(("&", "<![CDATA["), c):
            stack[-1][2].append(SourcedStr.literal(data_, c))
        else:
            stack[-1][2].append(SourcedStr.unknown(data_))

    def comment(data_):
        c = to_char(parser.CurrentByteIndex)
        comments.append(_Comment(c, "<!--" + data_ + "-->", _own_line(text, c)))

    def entity_decl(*_args):
        raise _XmlStop("the file declares XML entities; nexus-lint does not expand them")

    def external(*_args):
        raise _XmlStop("the file refers to an external entity; nexus-lint does not fetch it")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.CommentHandler = comment
    parser.EntityDeclHandler = entity_decl
    parser.ExternalEntityRefHandler = external
    parser.buffer_text = False
    parser.Parse(data, True)
    return elements, comments


def _maven_credentials(elements) -> Iterator[object]:
    """``<password>``/``<passphrase>`` of ``servers/server`` and any element with a
    secret-like name (``<nexus.password>`` properties); ``${env.X}`` and Maven's
    encrypted ``{...}`` are references, not literals."""
    from nexus_lint.values.secrets import by_key, is_secret_key

    for path, value, span in elements:
        name = path[-1]
        if is_secret_key(name) and value.text.strip():
            yield from by_key(name, value, f"{'/'.join(path[-3:])}", span, hint="maven", secret=True)


def maven(source, context) -> Iterator[object]:
    """Maven ``settings.xml`` mirrors and profile repositories; ``pom.xml``
    repositories (install) and ``distributionManagement`` (publish).
    ``${...}`` is Maven interpolation: unknown here."""
    from xml.parsers import expat

    text = source.text
    try:
        elements, comments = _xml_read(text)
    except _XmlStop as exc:
        yield ParseProblem(f"not read: {exc}")
        return
    except expat.ExpatError as exc:
        line = getattr(exc, "lineno", 1) or 1
        s, e = _line_span(text, line)
        col = getattr(exc, "offset", 0) or 0
        # expat columns count bytes; close enough for a location inside the line
        pos = min(s + col, e) if e > s else s
        yield ParseProblem(f"invalid XML: {expat.ErrorString(exc.code)}", pos, min(e, pos + 1) if e > pos else pos)
        return
    for path, value, span in elements:
        hit = _MAVEN_PATHS.get(path)
        if hit is None:
            continue
        value = _mask(value.strip(), _MAVEN_VAR)
        if _HTTP.match(value.text):
            role, origin = hit
            yield UrlFact(value, role, origin, value.extent() or span)
    yield from _maven_credentials(elements)
    if "nexus-lint" in text:
        entries = [(source.line_of(s), source.line_of(max(s, e - 1))) for p, _v, (s, e) in elements if len(p) > 1]
        yield from _suppressions(source, comments, entries)
