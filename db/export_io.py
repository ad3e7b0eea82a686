"""Where an export goes: the file it replaces only once complete (db.export's writing half), and the archive's own
files, which no export may write over."""
from __future__ import annotations

import io
import os
import re
import stat
import sys
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from scrapers.errors import UserError

_FD_PATH = re.compile(r"/(dev/fd|proc/self/fd)/(\d+)")
# The files of an archive at PATH: SQLite's (PATH-wal, PATH-shm, PATH-journal) and the run lock (PATH.lock).
ARCHIVE_FILES = {"": "", "-wal": "write-ahead log", "-shm": "shared-memory index", "-journal": "rollback journal",
                 ".lock": "run lock"}


class ExportError(UserError):
    """A bad export request (a user can fix it)."""


class ExportOptionsError(ExportError):
    """Options that contradict each other: a command-line mistake, so the command exits 2."""
    exit_code = 2


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)           # a hard link, or the same file through a bind mount
    except OSError:
        return False


def archive_file(target: str, db_path: str | os.PathLike) -> str | None:
    """Which of the archive's files ``target`` is (after symlinks; a hard link too), e.g. 'the archive
    data/k9.db' or "the archive data/k9.db's write-ahead log"; None for any other file. ``-`` is stdout."""
    if target == "-":           # stdout: `export -o - >> k9.db` would append the export to the archive
        target = "/dev/stdout"
        if not os.path.exists(target):
            return None
    db = os.fspath(db_path)
    for base in dict.fromkeys((db, os.path.realpath(db))):
        for suffix, what in ARCHIVE_FILES.items():
            if _same_file(target, base + suffix):
                return f"the archive {db}" + (f"'s {what} ({base + suffix})" if what else "")
    return None


def refuse_archive_file(given: str, targets, db_path: str | os.PathLike | None, flag: str = "-o") -> None:
    """ExportError, before anything is written, when one of ``targets`` (the files ``flag given`` names) is one
    of the archive's files: writing there would destroy the archive (`export --db k9.db -o k9.db` replaced it
    with the export, exit 0)."""
    if db_path is None:
        return
    for target in targets:
        if (which := archive_file(target, db_path)) is not None:
            named = "- (stdout)" if target == "-" else given if target == given else f"{given} (its {target})"
            raise ExportError(f"{flag} {named} is {which}: writing there would destroy it; choose another file")


@contextmanager
def output(path: str, suffix: str = ""):
    """A UTF-8 text file to write the export to. ``-`` is stdout. A regular file (new, existing, or behind a
    symlink) is written to a temporary file beside it, fsynced and renamed over it only once complete, with the
    mode a new file gets from the umask (or the existing file's mode); anything else -- a FIFO, a device such
    as /dev/full -- is opened and written directly, never replaced, and /dev/stdout (any /dev/fd/N or
    /proc/self/fd/N) is this process's own descriptor, written as it is (``>> file`` appends). A missing
    directory is an error, not created."""
    if path == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            yield out
            out.flush()
        finally:
            out.detach()
        return
    target = Path(path + suffix)
    own = own_descriptor(target)
    if own is not None:
        if own == 1:
            sys.stdout.flush()          # whatever Python holds for fd 1 comes first
        with os.fdopen(os.dup(own), "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        return
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise ExportError(f"{target} is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        return
    final = Path(os.path.realpath(target))      # a symlink to a regular file stays a symlink
    if not final.parent.is_dir():
        raise ExportError(f"cannot write {target}: the directory {final.parent} does not exist")
    if st is not None and not os.access(final, os.W_OK):
        raise ExportError(f"cannot write {target}: Permission denied")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    except PermissionError:         # the file may be writable, but the temporary one goes beside it
        raise ExportError(f"cannot write {target}: its folder {final.parent} is not writable (the export is "
                          f"written beside {final.name} first, then renamed over it); write to another folder, "
                          "or to - (stdout)") from None
    try:
        if st is None:
            os.fchmod(fd, 0o666 & ~_umask())
        else:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
            with suppress(OSError):         # keep the owner when allowed to (root replacing another's file)
                os.fchown(fd, st.st_uid, st.st_gid)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)                    # the rename itself survives a crash
    finally:
        os.close(dir_fd)


def own_descriptor(path: Path) -> int | None:
    """N when ``path`` leads, through symlinks, to /dev/fd/N or /proc/self/fd/N (/dev/stdout does): a
    descriptor of this process, to be written to as it is -- never reopened (that would truncate the file
    of ``>> file``), never replaced."""
    current = str(path)
    for _ in range(40):
        m = _FD_PATH.fullmatch(os.path.normpath(current))
        if m:
            return int(m.group(2))
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.join(os.path.dirname(current), link)
    return None


def _umask() -> int:
    mask = os.umask(0o022)      # the only way to read it is to set it: put it back at once
    os.umask(mask)
    return mask


