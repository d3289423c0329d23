"""pip requirement and constraint files as pip reads them
(``pip._internal.req.req_file``), with offsets: line joining, comment
stripping, ``${VAR}`` from the environment, a requirement versus options
(``break_args_options``), ``shlex`` words and optparse's option rules
(``=``/space/attached forms, unique prefixes).
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

from nexus_lint.core.lazyre import lazy_re
from nexus_lint.core.sourced import SourcedStr
from nexus_lint.lang.textpos import Comment

# pip's COMMENT_RE, ``(^|\s+)#.*$``, matched the same way but only from the start
# of a run of blanks: pip's own pattern is quadratic on a long run of spaces.
_REQ_COMMENT = lazy_re(r"(^|(?<!\s)\s+)#.*$")
ENV_VAR = lazy_re(r"\$\{[A-Z0-9_]+\}")
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


def shlex_split(s: SourcedStr) -> Optional[List[SourcedStr]]:
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


def url_options(words: List[SourcedStr]) -> Iterator[Tuple[str, SourcedStr]]:
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


def logical_lines(text: str) -> Tuple[List[Tuple[int, int, SourcedStr]], List[Comment]]:
    """(first line, last line, joined text) of each logical line, and the comments."""
    physical: List[Tuple[int, SourcedStr]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        physical.append((pos, SourcedStr.literal(body, pos)))
        pos += len(raw)
    comments: List[Comment] = []
    logical: List[Tuple[int, int, SourcedStr]] = []  # (first line, last line, joined text)
    joined: List[SourcedStr] = []
    first = 0
    for idx, (start, line) in enumerate(physical, start=1):
        m = _REQ_COMMENT.search(line.text)
        if m:
            hash_at = line.text.index("#", m.start())
            comments.append(Comment(start + hash_at, line.text[hash_at:], not line.text[:hash_at].strip()))
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
    return logical, comments


def strip_comment(line: SourcedStr) -> SourcedStr:
    """A logical line without its comment."""
    m = _REQ_COMMENT.search(line.text)
    return line[: m.start()] if m else line


def break_args_options(line: SourcedStr) -> Tuple[SourcedStr, SourcedStr]:
    """pip's ``break_args_options``: the words before the first ``-word`` are the
    requirement, the rest are options."""
    text = line.text
    pos = 0
    for tok in text.split(" "):
        if tok.startswith("-"):
            return line[: max(pos - 1, 0)], line[pos:]
        pos += len(tok) + 1
    return line, SourcedStr("")
