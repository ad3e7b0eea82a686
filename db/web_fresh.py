"""The archive file as it stands now, for every connection of the server (db/datasette_plugin.py's startup hook).

Datasette opens one connection per worker thread, the first time that thread reads, and keeps it for good: an
archive replaced at its path (a new `make demo`, a restored backup: a new file, a new inode) went on being read
through the old file's connections, and each thread's connection was opened at its own moment, so pages
alternated between the old archive and the new one from request to request. Here every read first looks at the
path (one stat, a few microseconds): a connection opened on another file than the one the path names now is
closed and the new file opened; a path that names no file any more is ArchiveGone, a clear page (the plugin's
error handler) rather than the deleted file's rows.
"""
from __future__ import annotations

import asyncio
import os
import threading

from datasette.database import connections


class ArchiveGone(Exception):
    """The served archive's file is gone from its path (deleted or moved away) since serve started."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"the archive {path} is gone (deleted or moved away) since this server started: put it "
                         "back (or make it again) and reload this page")


def identity(path: str) -> tuple[int, int]:
    """(device, inode) of the file at ``path`` now; ArchiveGone when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ArchiveGone(path) from None
    return st.st_dev, st.st_ino


_opened = threading.local()          # per thread: database name -> the identity its connection was opened on


def _connection(db):
    """This thread's connection to ``db`` (Datasette's own, in ``datasette.database.connections``), opened anew
    when the file at the path is not the one it was opened on."""
    now = identity(db.path)              # before any connect: a file replaced in between is caught next time
    conn = getattr(connections, db.name, None)
    seen = getattr(_opened, "ids", None)
    if seen is None:
        seen = _opened.ids = {}
    if conn is not None and seen.get(db.name) != now:
        _close(db, conn)
        conn = None
        setattr(connections, db.name, None)      # forgotten before connecting: a connect that fails (the file
        seen.pop(db.name, None)                  # gone in between) leaves no closed connection behind (review)
    if conn is None:
        conn = _connect(db)
        setattr(connections, db.name, conn)
        seen[db.name] = now
    return conn


def _connect(db):
    """A new connection to ``db``'s file, prepared as Datasette prepares its own; ArchiveGone when the file went
    away between the look at its path and the connect."""
    import sqlite3
    try:
        conn = db.connect()
    except sqlite3.OperationalError:
        if not os.path.exists(db.path):
            raise ArchiveGone(db.path) from None
        raise
    db.ds._prepare_connection(conn, db.name)
    return conn


def _close(db, conn) -> None:
    try:
        db._all_file_connections.remove(conn)
    except ValueError:
        pass
    conn.close()


def follow(datasette) -> None:
    """Make each file database of ``datasette`` read the file its path names at each read (see the module)."""
    for db in datasette.databases.values():
        if db.path and not db.is_memory and not getattr(db, "_np_follows", False):
            db._np_follows = True
            db.execute_fn = _execute_fn(db)
            db._np_identity = None


def _execute_fn(db):
    async def execute_fn(fn):
        if db.ds.executor is None:                       # Datasette's non-threaded mode: one connection
            now = identity(db.path)
            if db._read_connection is not None and db._np_identity != now:
                _close(db, db._read_connection)
                db._read_connection = db._np_identity = None
            if db._read_connection is None:
                db._read_connection = _connect(db)
                db._np_identity = now
            return fn(db._read_connection)
        return await asyncio.get_event_loop().run_in_executor(db.ds.executor, lambda: fn(_connection(db)))
    return execute_fn


async def forget_old_schema(datasette) -> None:
    """When a database's file was replaced since the last request, drop what Datasette's internal catalog holds
    of it (tables, columns), so that it is read again from the new file: the catalog is refreshed only when the
    schema version differs, and two archives made by the same migrations have the same one."""
    for name, db in datasette.databases.items():
        if not getattr(db, "_np_follows", False):
            continue
        try:
            now = identity(db.path)
        except ArchiveGone:
            continue
        if getattr(db, "_np_catalogued", None) == now:
            continue
        # under Datasette's own lock for its catalog, as its refresh writes it (review: a request reading the
        # catalog meanwhile got 'database table is locked'); marked only once the old entry is gone
        async with datasette._refresh_schemas_lock:
            last, db._np_catalogued = getattr(db, "_np_catalogued", None), now
            if last is not None and datasette.internal_db_created:
                await datasette.get_database("_internal").execute_write(
                    "DELETE FROM databases WHERE database_name = ?", [name])
