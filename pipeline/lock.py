"""One run per database: an flock on '<db>.lock', released by the kernel even on SIGKILL."""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from scrapers.errors import UserError


class LockHeld(UserError):
    exit_code = 75     # sysexits' EX_TEMPFAIL: try again later (cron and systemd tell it from a broken config, 1)


class RunLock:
    def __init__(self, db_path: str | os.PathLike):
        self.path = lock_path(db_path)
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _flock_soon(fd)
        except BlockingIOError:
            try:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            finally:
                os.close(fd)
            raise LockHeld(f"another newspipe run (pid {holder}) is using {str(self.path)[:-5]}; "
                           "wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _flock_soon(fd: int, tries: int = 10) -> None:
    """LOCK_EX, waiting a moment first: `holder` (stats) takes a shared lock for an instant to look."""
    for _ in range(tries - 1):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(0.05)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def holder(db_path: str | os.PathLike) -> int | None:
    """Who holds the archive's lock now, on any host that shares the file system: the pid its holder wrote
    (-1 when not written yet), 0 when nobody does, None when that cannot be told (no lock file, not readable)."""
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        text = os.read(fd, 64).decode(errors="replace").strip()
        return int(text) if text.isascii() and text.isdigit() else -1
    except OSError:
        return None
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return 0
    finally:
        os.close(fd)


def lock_path(db_path: str | os.PathLike) -> Path:
    """'<db>.lock' beside the archive's real file: a symlink to it and its own path share one lock."""
    return Path(os.path.realpath(db_path) + ".lock")
