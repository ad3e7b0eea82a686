"""One run per database: an flock on '<db>.lock', released by the kernel even on SIGKILL."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from scrapers.errors import UserError


class LockHeld(UserError):
    pass


class RunLock:
    def __init__(self, db_path: str | os.PathLike):
        self.path = Path(str(db_path) + ".lock")
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
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
