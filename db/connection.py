"""The archive's file and its one connection: what a path holds (refused unless it is an archive or
nothing), opening it (read-only, or read-write with the migrations applied), one transaction per write, or a
batch of whole writes in one transaction (``batched``).
The other db modules (pages, stages, forms, memory, runs, views) all work on the connection opened here."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from scrapers.util.kst import iso, now_kst
from scrapers.errors import UserError

from .schema import migrations


log = logging.getLogger(__name__)


class ArchiveError(UserError):
    """A problem with the archive a user can fix (path, permissions, schema, a full disk)."""


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _ro_uri(path: Path, snapshot: bool = False) -> str:
    """A read-only SQLite URI for ``path`` (percent-encoded: a '?' or '#' in a file name is a name); ``snapshot``:
    immutable (no locks, no -shm: see ro_connect)."""
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if snapshot else "?mode=ro")


def ro_connect(path: Path, **kw) -> sqlite3.Connection:
    """A read-only connection to ``path``. A reader that cannot write in the archive's folder (another user's
    archive, a read-only mount) cannot make the -shm file SQLite reads a WAL-mode database through: when no run
    is writing (no -shm, and no -wal or an empty one), it reads an immutable snapshot instead -- the archive as
    it stands, its queries stopped (see snapshot_changed) if a run starts writing it meanwhile."""
    return _ro_open(path, **kw)[0]


def is_snapshot_only(path: Path) -> bool:
    """Whether this process reads ``path`` as an immutable snapshot (ro_connect's fallback)."""
    conn, snapshot = _ro_open(path)
    conn.close()
    return snapshot


def _ro_open(path: Path, **kw) -> tuple[sqlite3.Connection, bool]:
    conn = None
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, **kw)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        return conn, False
    except sqlite3.OperationalError as exc:
        if conn is not None:
            conn.close()
        if not ("readonly" in str(exc) or "unable to open" in str(exc)):
            raise
        wal = Path(str(path) + "-wal")
        if wal.exists() and wal.stat().st_size:       # a snapshot would be missing what it holds
            raise ArchiveError(f"cannot read {path} as this user: a run left its last writes in {wal.name}, which "
                               "SQLite reads only through a file it must make in that folder, not writable here; "
                               "read it after its owner's next run, or copy both files to a folder you can write"
                               ) from None
    conn = sqlite3.connect(_ro_uri(path, snapshot=True), uri=True, **kw)
    guard_snapshot(conn, path)
    return conn, True


_SNAPSHOTS: dict[str, tuple[int, int, int]] = {}      # a snapshot's file → its (inode, size, mtime) when opened


def signature(path: str) -> tuple[int, int, int]:
    """(inode, size, mtime) of the file ``path``: what changes when a run writes into it."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1, -1)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def guard_snapshot(conn: sqlite3.Connection, path: str | os.PathLike) -> None:
    """Stop ``conn``'s queries (OperationalError 'interrupted') once the file it reads as an immutable snapshot
    changes: SQLite reads such a file without locks and keeps what it read, so once a run folds its writes into
    it a query answers wrong or 'database disk image is malformed'. The file is looked at as each statement
    starts and every 20,000 steps of a long one."""
    name = str(Path(path).resolve())
    sig = _SNAPSHOTS[name] = signature(name)

    def changed() -> bool:
        return signature(name) != sig
    conn.set_progress_handler(changed, 20_000)
    conn.set_trace_callback(lambda _sql: changed() and conn.interrupt())


def snapshot_changed() -> ArchiveError | None:
    """The error to give when an archive this process reads as a snapshot changed (a run began writing it)."""
    for name, sig in _SNAPSHOTS.items():
        if signature(name) != sig:
            return ArchiveError(f"{name} changed while it was read (a run is writing it; it is read here as it "
                                "stood, without the right to write in its folder): run the command again")
    return None


def _file_head(p: Path, keep: str) -> bytes | None:
    """The first bytes of the regular file ``p``; None when nothing is there."""
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ArchiveError(f"{p} is a directory, not a newspipe archive (give --db a file path)")
        if not stat.S_ISREG(st.st_mode):
            raise ArchiveError(f"{p} is not a regular file, so not a newspipe archive{keep}")
        if st.st_size == 0:
            return b""
        with open(p, "rb") as fh:
            return fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ArchiveError(f"cannot use {p} as the archive: {exc.strerror}") from None


def archive_kind(path: str | os.PathLike) -> str:
    """What ``path`` holds, without writing a byte to it: ``new`` (nothing there), ``empty`` (an empty file, or
    an SQLite database without tables) or ``archive`` (a newspipe archive, of any version). Anything else -- a
    directory, a text file, an SQLite database of another program -- raises ArchiveError and stays untouched."""
    p = Path(path)
    keep = "; it was left as it is: give --db a new file or a newspipe archive"
    head = _file_head(p, keep)
    if head is None:
        return "new"
    if head == b"":
        return "empty"
    if head != _SQLITE_MAGIC:
        raise ArchiveError(f"{p} is not a newspipe archive (not an SQLite database){keep}")
    try:
        con = ro_connect(p)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")]
            ours = migrations.migrations_table in tables and con.execute(
                f"SELECT 1 FROM {migrations.migrations_table} WHERE migration_set=? LIMIT 1",
                [migrations.name]).fetchone() is not None
            if tables == [migrations.migrations_table] and con.execute(
                    f"SELECT count(*) FROM {migrations.migrations_table}").fetchone()[0] == 0:
                tables = []      # a first creation stopped between the log table and the first migration
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise snapshot_changed() or ArchiveError(f"cannot read {p}: {exc}{keep}") from None
    if ours:
        return "archive"
    if not tables:
        return "empty"
    shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
    raise ArchiveError(f"{p} is an SQLite database of another program, not a newspipe archive (tables: {shown}){keep}")


def require_archive(path: str | os.PathLike) -> None:
    """Raise ArchiveError unless ``path`` holds a newspipe archive (for commands that only read one)."""
    kind = archive_kind(path)
    if kind != "archive":       # the absolute path: the folder a command runs in is the likelier mistake
        where = Path(os.path.abspath(path))
        what = ("there is no folder " + str(where.parent) if not where.parent.is_dir() else
                f"{'an empty file' if kind == 'empty' else 'nothing'} there; run 'newspipe run' or 'newspipe demo' first")
        raise ArchiveError(f"no archive at {where} ({what})")


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def dumps(value) -> str:
    """JSON as the archive stores it: compact, Korean as itself."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def marks(n: int) -> str:
    """``?,?,…`` for an IN list of ``n`` values."""
    return ",".join("?" * n)


def _refuse_newer(db: sqlite_utils.Database, path: Path) -> None:
    """An archive a newer newspipe has written (a migration this code does not know) is refused, read or
    written: this code would misread what the newer one stores, or write it in the old way."""
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise ArchiveError(f"{path} was written by a newer newspipe (its schema has {unknown[0]}"
                           f"{f' and {len(unknown) - 1} more' if len(unknown) > 1 else ''}, which this version "
                           "does not know): upgrade newspipe to use it; it was left as it is")


def _upgrade(db: sqlite_utils.Database, path: Path) -> None:
    """Apply the pending migrations: on an archive of an earlier version, say so in one line first (a large
    archive takes a while; 'serve' running on the old code needs a restart after it)."""
    pending = migrations.pending(db)
    if pending and migrations.applied(db):
        log.info("upgrading %s to this version's schema (%s); nothing stored is lost", path,
                 ", ".join(m.name for m in pending))
    migrations.apply(db)


class Connection:
    """The archive at ``path``; ``clock`` returns an aware datetime (injectable for tests). ``readonly`` opens
    an existing archive of this version (``any_version``: of any version, for reading what all versions have)."""

    def __init__(self, path: str | os.PathLike, clock: Callable[[], datetime] = now_kst,
                 *, readonly: bool = False, any_version: bool = False):
        self.path = Path(path)
        self.clock = clock
        self.readonly = readonly
        if readonly:
            require_archive(self.path)
            conn = ro_connect(self.path, check_same_thread=False)
        else:
            archive_kind(self.path)          # refuses (and leaves alone) anything but an archive or nothing
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
            except (OSError, sqlite3.Error) as exc:
                raise ArchiveError(f"cannot open archive {self.path}: {exc}") from None
        self.db = sqlite_utils.Database(conn)
        try:
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            _refuse_newer(self.db, self.path)
            if not readonly:
                self.db.execute("PRAGMA synchronous=NORMAL")
                _upgrade(self.db, self.path)
            elif not any_version and migrations.pending(self.db):
                raise ArchiveError(f"{self.path} is a newspipe archive of an earlier version (or one whose "
                                   "creation was cut short, by a full disk): 'newspipe run' (or 'newspipe "
                                   "reindex') completes it")
        except sqlite3.DatabaseError as exc:
            raise snapshot_changed() or ArchiveError(f"cannot use archive {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.conn.close()

    def now(self) -> str:
        return iso(self.clock())

    @contextmanager
    def _tx(self):
        """One transaction. SQLite failing to write (disk full, I/O error, locked, read-only) is the
        archive's problem, not the article's: it comes out as ArchiveError, and the caller stops."""
        try:
            if self.db.conn.in_transaction:          # inside a batch (or a caller's): a savepoint of it
                with self.db.atomic():
                    yield
            else:
                with _immediate(self.db.conn):
                    yield
        except sqlite3.OperationalError as exc:
            raise self._cannot_write(exc) from exc

    def _cannot_write(self, exc: sqlite3.OperationalError) -> ArchiveError:
        full = getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_FULL", "SQLITE_IOERR"))
        return ArchiveError(f"cannot write the archive {self.path}: {exc}" + (" (is the disk full?)" if full else ""))

    @contextmanager
    def batched(self, every: int = 200, seconds: float = 2.0):
        """Group the writes inside (each a ``_tx`` of its own, which then nests as a savepoint) into transactions
        of up to ``every`` of them or ``seconds``: the caller says ``batch.done()`` after each. Fewer commits, so
        less work (a commit writes each page it changed again, and the full-text indexes a segment each: for
        the analysis a third of its storing time). Each write stays whole: it is in a committed transaction or
        not at all, so a process killed mid-batch leaves its last writes undone (still pending), never half
        done. An exception (a Ctrl-C too) rolls back what the batch has not committed yet."""
        batch = _Batch(self, every, seconds)
        try:
            yield batch
        except BaseException:
            batch.end(commit=False)
            raise
        batch.end(commit=True)

    _batch_open = False          # a transaction of Connection.batched's own is open

    def _batch_begun(self) -> None:
        """A batch's transaction begins (mixins that hold writes back for a batch hook in here, and below)."""
        self._batch_open = True

    def _batch_committing(self) -> None:
        """A batch's transaction is about to commit: what was held back is written now."""

    def _batch_ended(self, committed: bool) -> None:
        """A batch's transaction committed, or rolled back."""
        self._batch_open = False

    def query(self, sql: str, params: list | tuple = (), *, tuples: bool = False) -> sqlite3.Cursor:
        """Read-only SQL for db's own modules: a cursor over sqlite3.Row objects, or over plain tuples (faster)."""
        cur = self.db.conn.cursor()
        if not tuples:
            cur.row_factory = sqlite3.Row
        return cur.execute(sql, params)

    def _in_chunks(self, sql: str, values: Iterable, size: int = 500) -> Iterable[tuple]:
        """Rows of ``sql`` (with one ``{marks}`` IN list) over ``values``, ``size`` at a time."""
        values = list(values)
        for i in range(0, len(values), size):
            chunk = values[i:i + size]
            yield from self.db.execute(sql.format(marks=marks(len(chunk))), chunk)


@contextmanager
def _immediate(conn: sqlite3.Connection):
    """A transaction that takes the write lock as it begins (BEGIN IMMEDIATE, waiting up to busy_timeout for
    it). A plain BEGIN takes it at the first write: when another process (an ingest beside a run) commits
    between this transaction's first read and that write, SQLite refuses the write at once ("database is
    locked", SQLITE_BUSY_SNAPSHOT), without waiting, since the snapshot read is already stale."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise


class _Batch:
    """Connection.batched's transactions (none of its own when the caller already has one open)."""

    def __init__(self, archive: Connection, every: int, seconds: float):
        self.archive, self.every, self.seconds = archive, max(1, every), seconds
        self.own = not archive.db.conn.in_transaction
        self.count = 0
        self._begin()

    def _begin(self) -> None:
        if self.own:                          # the write lock now, as _immediate: see there
            try:
                self.archive.db.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:     # locked past busy_timeout by another writer
                raise self.archive._cannot_write(exc) from exc
            self.count, self.started = 0, time.monotonic()
            self.archive._batch_begun()

    def done(self) -> bool:
        """One write is done: committed with the others when the batch is due (the caller's own transaction
        is the caller's to commit). True when this call committed the batch's writes so far."""
        if not self.own:
            return False
        self.count += 1
        if self.count >= self.every or time.monotonic() - self.started >= self.seconds:
            self.end(commit=True)
            self._begin()
            return True
        return False

    def end(self, commit: bool) -> None:
        """Commit (or roll back) the open transaction; one that fails to commit is rolled back."""
        conn, archive = self.archive.db.conn, self.archive
        if not self.own:
            return
        if not conn.in_transaction:          # an error took the transaction away: its writes are gone
            archive._batch_ended(False)
            return
        try:
            if commit:
                archive._batch_committing()
                conn.execute("COMMIT")
        except BaseException as exc:
            conn.rollback()
            archive._batch_ended(False)
            if isinstance(exc, sqlite3.OperationalError):
                raise archive._cannot_write(exc) from exc
            raise
        if not commit:
            conn.rollback()
        archive._batch_ended(commit)


def reader(db) -> Callable[..., Iterable[tuple]]:
    """Read-only SQL, rows as tuples, on an Archive or on any sqlite3 connection to an archive (the Datasette
    plugin's): ``reader(db)(sql, params)``."""
    if isinstance(db, Connection):
        return lambda sql, params=(): db.query(sql, params, tuples=True)
    return lambda sql, params=(): db.execute(sql, params)
