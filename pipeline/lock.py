"""One run per database: an flock on '<db>.lock', released by the kernel even on SIGKILL."""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from scrapers.errors import UserError


PROC_LOCKS = "/proc/locks"     # Linux: every lock held on this machine, by pid and file (read by _local_holders)


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
                raise LockHeld(_held_line(self.path, *_holder_of(fd))) from None
            finally:
                os.close(fd)
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
    (when this machine lists that pid among the lock's holders, or sees no holder to check it against: a
    process of another host), -1 when held by a process that did not write its pid there (one that is not
    newspipe, or a run that has not written it yet), 0 when nobody holds it, None when that cannot be told (no
    lock file, not readable)."""
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, checked = _holder_of(fd)
        return pid if checked is not False else -1
    except OSError:
        return None
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return 0
    finally:
        os.close(fd)


def _holder_of(fd: int) -> tuple[int, bool | None]:
    """The pid written in the held lock file open at ``fd`` (-1: none) and whether it holds the lock: True when
    this machine's /proc/locks lists it among the file's holders, False when it lists others only (the pid is
    a finished run's, dead or since reused, and the holder is a process that is not newspipe or a run that has
    not written its pid yet), None when it lists none this machine can see (a holder on another host, in
    another pid namespace) or cannot be read (not Linux)."""
    text = os.pread(fd, 64, 0).decode(errors="replace").strip()
    pid = int(text) if text.isascii() and text.isdigit() else -1
    seen = [p for p in _local_holders(fd) if p > 0]
    if not seen or pid in seen:
        return pid, (pid in seen) if seen else None
    # a run in a container wrote its own namespace's pid; /proc/locks lists the host's (review: a live run
    # there was called interrupted). A holder whose namespaces cannot be read leaves it unchecked.
    inside = [_pids_inside(p) for p in seen]
    return pid, (None if any(ids is None for ids in inside) else any(pid in ids[1:] for ids in inside))


def _pids_inside(pid: int) -> list[int] | None:
    """``pid``'s pid in each pid namespace it is in, outermost first ('NSpid:\t4242\t1'), None when unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            line = next((x for x in f if x.startswith("NSpid:")), "")
        return [int(x) for x in line.split()[1:]] or None
    except FileNotFoundError:       # gone since /proc/locks was read: in no namespace of ours
        return [pid]
    except (OSError, ValueError):
        return None


def _local_holders(fd: int) -> list[int]:
    """The pids /proc/locks lists holding an flock on the file open at ``fd`` (0: a holder this machine's pid
    namespace cannot see); none when it cannot be read. A line: '1: FLOCK  ADVISORY  WRITE 26029 fe:00:2146757
    0 EOF' (major and minor device numbers in hex, the inode in decimal); a waiter's line has '->'. The lines
    of the file's inode on its device, else of its inode alone: on btrfs (a subvolume) and some overlays the
    device a stat gives is not the one the kernel lists."""
    st = os.fstat(fd)
    try:
        with open(PROC_LOCKS, encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    found: list[tuple[bool, int]] = []
    for line in lines:
        parts = line.split()
        where = _inode(parts[5]) if len(parts) >= 6 and parts[1] == "FLOCK" and parts[4].isdigit() else None
        if where is not None and where[2] == st.st_ino:
            found.append((where[:2] == (os.major(st.st_dev), os.minor(st.st_dev)), int(parts[4])))
    same = [pid for exact, pid in found if exact]
    return same or [pid for _, pid in found]


def _inode(field: str) -> tuple[int, int, int] | None:
    """(major, minor, inode) of a /proc/locks line's 'fe:00:2146757'."""
    try:
        major, minor, inode = field.split(":")
        return int(major, 16), int(minor, 16), int(inode)
    except ValueError:
        return None


def _held_line(path: Path, pid: int, checked: bool | None) -> str:
    """The one line of exit 75: the run named by its pid only when that pid is known to hold the lock."""
    if checked:
        return f"another newspipe run (pid {pid}) is using {str(path)[:-5]}; wait for it to finish"
    if checked is False or pid < 0:
        return (f"the archive's lock file {path} is held by another process (a newspipe command starting, or a "
                "program that is not newspipe); wait for it to let go")
    return (f"the archive's lock file {path} is held by a process this machine cannot see (another host's?), "
            f"which wrote pid {pid} there; wait for it to finish")


def lock_path(db_path: str | os.PathLike) -> Path:
    """'<db>.lock' beside the archive's real file: a symlink to it and its own path share one lock."""
    return Path(os.path.realpath(db_path) + ".lock")
