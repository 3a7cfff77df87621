"""Files from outside, handled safely: their names as text, reading only regular files, bounded hashing,
names that fit the file system.

**Names.** A file name on Linux is bytes, and it need not be UTF-8. Inside a run a file's path is
:func:`path_text`: UTF-8 text in which every byte that is not part of valid UTF-8 is written ``\\xNN`` and a
backslash is written ``\\\\``. The escape is lossless: :func:`path_bytes` gives back the exact bytes and
:func:`fs_path` the path to open. That text is what the warehouse stores as ``source_path`` and what
``--json`` prints (DuckDB and JSON take no lone surrogates, so the name as Python sees it could not be
stored); ordinary names (valid UTF-8, no backslash) are unchanged by it. Control characters stay as they
are here: the report, reason files and the terminal spell them out when they show a name.

**Reading.** Only regular files are read (:func:`open_regular`): a FIFO would block the reader forever, a
device (``/dev/zero``, ``/dev/urandom``) never ends. The type is checked before opening (opening some
devices has effects) and again on the open descriptor (the name may have been swapped meanwhile), and the
open never blocks. Hashing (:func:`hash_file`) reads at most the size limit and stops at its deadline.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
import time
from pathlib import Path

from budget_etl.parsers.errors import ReadError

_CHUNK = 1 << 20
#: Longest file name most Linux file systems take, in bytes (ext4, xfs, btrfs, tmpfs: NAME_MAX).
NAME_MAX = 255


def path_text(path: str | os.PathLike) -> str:
    """The path as lossless UTF-8 text (see the module's doc); :func:`path_bytes` reverses it."""
    raw = os.fsencode(path).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", "backslashreplace")  # undecodable bytes become \xNN


def path_bytes(text: str) -> bytes:
    """The original bytes of a path written by :func:`path_text`."""
    return codecs.escape_decode(text.encode("utf-8"))[0]


def fs_path(text: str) -> Path:
    """The path to open for a :func:`path_text` string."""
    return Path(os.fsdecode(path_bytes(text)))


def absolute_path_text(text: str) -> str:
    """The absolute form of a :func:`path_text` string (``..`` and ``.`` resolved, symbolic links kept), as
    :func:`path_text`: one file named ``../inbox/a.xlsx`` from one folder and ``/data/inbox/a.xlsx`` from
    another is one name."""
    return path_text(os.path.abspath(fs_path(text)))


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def not_regular(path: str | os.PathLike, mode: int) -> ReadError:
    via = " (through a symbolic link)" if os.path.islink(path) else ""
    return ReadError("not_regular_file", f"{kind_of(mode)}{via}, not a regular file: it was not read")


def open_regular(path: str | os.PathLike) -> tuple[int, os.stat_result]:
    """An open, read-only descriptor of a regular file (symbolic links followed) and its fstat.

    Raises ReadError ``not_regular_file`` for anything else without ever blocking, OSError when it cannot
    be opened. The caller closes the descriptor.
    """
    before = os.stat(path)  # before opening: opening a device or a FIFO may block or have effects
    if not stat.S_ISREG(before.st_mode):
        raise not_regular(path, before.st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped for something else since the stat
            raise not_regular(path, st.st_mode)
        os.set_blocking(fd, True)
        return fd, st
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` + 1 (so the caller can say it is too large)."""
    fd, _ = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(max_bytes + 1)


class StillChanging(Exception):
    """The file changed within the settle time (or while it was hashed): it is probably still being written."""


def hash_file(path: str | os.PathLike, max_bytes: int, timeout_s: float, settle_s: float = 0.0) -> tuple[str, int]:
    """sha256 and size of a regular file, read in chunks; never more than ``max_bytes``, never longer than
    ``timeout_s``. Raises ReadError (``not_regular_file``, ``too_large``, ``timeout``) or OSError.

    With ``settle_s`` > 0, raises StillChanging unless the file has not changed for ``settle_s`` seconds
    (neither its data, whose writes move its mtime, nor its entry: a rename or a copy that sets an old mtime
    moves its ctime) and did not change while it was hashed.
    """
    deadline = time.monotonic() + timeout_s
    fd, st = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        if settle_s > 0 and time.time() - max(st.st_mtime, st.st_ctime) < settle_s:
            raise StillChanging(f"changed less than {settle_s:g} s ago")
        if st.st_size > max_bytes:
            raise ReadError("too_large", f"the file is {st.st_size:,} bytes; the limit is {max_bytes:,}")
        digest, size = hashlib.sha256(), 0
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size > max_bytes:  # it grew while being read
                raise ReadError("too_large", f"the file is over the limit of {max_bytes:,} bytes")
            if time.monotonic() > deadline:
                raise ReadError("timeout", f"hashing the file took longer than {timeout_s:g} s; it was not read",
                                transient=True)
        after = os.fstat(fh.fileno())
        if settle_s > 0 and (after.st_size, after.st_mtime_ns, after.st_ctime_ns) != \
                (st.st_size, st.st_mtime_ns, st.st_ctime_ns):
            raise StillChanging("changed while it was hashed")
    return digest.hexdigest(), size


def fit_name(name: str, reserve: int = 0) -> str:
    """``name``, or a shorter one that fits the file system with ``reserve`` bytes to spare (for a suffix
    such as ``.reason.txt`` or `` (2)``): the start of the stem, ``~`` and 10 hex digits of the full name's
    sha256 (distinct names stay distinct), then the extension. ``name`` is a real (os) name."""
    raw = os.fsencode(name)
    if len(raw) + reserve <= NAME_MAX:
        return name
    stem, ext = os.path.splitext(name)
    if len(os.fsencode(ext)) > 32:  # not an extension worth keeping
        stem, ext = name, ""
    tag = "~" + hashlib.sha256(raw).hexdigest()[:10]
    budget = NAME_MAX - reserve - len(os.fsencode(ext)) - len(tag)
    while len(os.fsencode(stem)) > budget:  # by characters, so a UTF-8 sequence is never cut in half
        stem = stem[:-1]
    return stem + tag + ext
