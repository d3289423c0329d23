"""Reading a file into text that can be linted, fixed and written back unchanged.

The decoded ``text`` excludes a byte-order mark; ``encoding``, ``bom`` and the
raw line endings are kept so that a fixed file is written back exactly as it
was except for the edited characters.
"""

from __future__ import annotations

import bisect
import codecs
from nexus_lint.core.record import field, record
from typing import List, Optional, Tuple

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in text files (everything below 0x20
# except tab, LF, VT, FF, CR and ESC).
_BINARY_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))


class DecodeError(Exception):
    """The bytes are not text this linter can read (binary or undecodable)."""


def decode(data: bytes) -> Tuple[str, str, bytes]:
    """Return ``(text, encoding, bom)``; raise :class:`DecodeError` for binary data."""
    bom = b""
    encoding = "utf-8"
    for mark, enc in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, enc
            break
    body = data[len(bom):]
    if bom and encoding != "utf-8":
        try:
            return body.decode(encoding), encoding, bom
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding} text ({exc.reason} at byte {exc.start + len(bom)})")
    if b"\x00" in body[:8192] or b"\x00" in body[-8192:]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    sample = body[:8192]
    if sum(sample.count(c) for c in _BINARY_CONTROLS) > len(sample) // 100:
        raise DecodeError("binary file (not UTF-8 and full of control bytes)")
    # Not UTF-8 but text: latin-1 maps every byte, so a fix can be written back
    # in the same encoding without touching any other byte.
    return body.decode("latin-1"), "latin-1", bom


# -- reading a file from disk ------------------------------------------------------

class Unreadable(Exception):
    """A file that cannot be read; the message says why (it becomes NX000)."""


def _file_type(mode: int) -> str:
    import stat

    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _inside(path: str, root: str) -> bool:
    import os

    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def outside_target(path: str, root: Optional[str]) -> Optional[str]:
    """Where ``path`` leads when a symbolic link (the file's, or a folder's on
    the way to it) takes it outside ``root``; else None."""
    import os

    if root is None:
        return None
    link = os.path.abspath(path)
    if not os.path.islink(path) and os.path.realpath(os.path.dirname(link)) == os.path.dirname(link):
        return None  # (the common case: no link on the way, one realpath of the folder)
    if not (_inside(link, os.path.abspath(root)) or _inside(link, os.path.realpath(root))):
        root = os.path.dirname(link)  # a link outside the repository: judged by its own folder
    target = os.path.realpath(path)
    return None if _inside(target, os.path.realpath(root)) else target


def _open_error(path: str, exc: OSError) -> Unreadable:
    import errno
    import os

    if isinstance(exc, FileNotFoundError):
        if os.path.lexists(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return Unreadable(f"symbolic link to a missing file ({target}); not checked")
        return Unreadable("file disappeared before it could be read; not checked")
    if exc.errno == errno.ELOOP:
        return Unreadable("symbolic link loop (too many levels of links); not checked")
    if exc.errno == errno.ENXIO:  # a socket or a device without a driver
        return Unreadable("not a regular file (a socket or a device); not checked")
    return Unreadable(f"cannot read file: {exc.strerror or exc}")


def read_file(path: str, max_size: int, root: Optional[str] = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_size`` of them.

    Raises :class:`Unreadable` with a reason for anything else: a symbolic link
    out of ``root`` (not followed), a link loop or a dangling link, a folder, a
    FIFO, a socket or a device (never opened in a way that could block), a file
    over the size limit, a file that vanished or cannot be opened.  The checks
    are made on the opened descriptor, so a file swapped for a FIFO between the
    check and the read is still not read.
    """
    import os
    import stat

    from nexus_lint.core.limits import format_size

    too_big = f"file is larger than the {format_size(max_size)} limit (max-file-size); not checked"
    target = outside_target(path, root)
    if target is not None:
        raise Unreadable(f"symbolic link to {target}, outside the repository; not followed")
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(f"not a regular file ({_file_type(st.st_mode)}); not checked")
        if st.st_size > max_size:
            raise Unreadable(too_big)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise Unreadable(f"not a regular file ({_file_type(st.st_mode)}); not checked")
            # read(n) allocates n bytes first: ask for the size the file has (one
            # more byte tells whether it grew), not the limit (~40 µs a file)
            data = fh.read(min(st.st_size, max_size) + 1)
            if len(data) > st.st_size:
                data += fh.read(max_size + 1 - len(data))
    except OSError as exc:
        raise _open_error(path, exc) from None
    if len(data) > max_size:  # it grew after the size check
        raise Unreadable(too_big)
    return data


def read_in_repository(path: str, max_size: int) -> Optional[bytes]:
    """The bytes of a file the pipeline reads besides the one it lints (a
    ``.gitignore``, a compose ``.env``, a CI include): None unless it is a
    regular file of at most ``max_size`` bytes that no symbolic link takes out
    of its repository (never a device, a FIFO, a file elsewhere on the runner)."""
    import os

    from nexus_lint.core.repo import git_root

    folder = os.path.dirname(os.path.abspath(path))
    try:
        return read_file(path, max_size, git_root(folder) or folder)
    except Unreadable:
        return None


def read_head(path: str, size: int) -> Optional[bytes]:
    """The first ``size`` bytes of a regular file (for its shebang); None for
    anything else, never blocking on a FIFO."""
    try:
        return read_file_head(path, size)
    except (OSError, Unreadable):
        return None


def read_file_head(path: str, size: int) -> bytes:
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("not a regular file")
        return fh.read(size)


@record
class SourceFile:
    """A decoded file plus the index needed to turn offsets into positions."""

    path: str  # display path
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    fs_path: Optional[str] = None  # where it lives on disk (None for stdin)
    _line_starts: Optional[List[int]] = field(default=None, repr=False)
    # Where the text's secrets stand (set by the engine from the facts): what
    # shows or hashes file content redacts them (``nexus_lint.pipeline.redact``).
    secrets: Tuple[Tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def line_starts(self) -> List[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            find = text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_of(self, offset: int) -> int:
        """1-based line of ``offset``."""
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (line, column); the column counts code points."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def utf16_column(self, offset: int) -> int:
        """1-based column of ``offset`` in UTF-16 code units (SARIF, editors)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset)
        start = self.line_starts[line - 1]
        prefix = self.text[start:offset]
        return 1 + len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)

    def line_text(self, line: int) -> str:
        """Text of 1-based ``line`` without its line ending."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end].rstrip("\r\n")

    def encode(self, text: Optional[str] = None) -> bytes:
        """The bytes of ``text`` (default: this file's text) in the file's own encoding."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)
