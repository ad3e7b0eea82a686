"""'newspipe serve': Datasette over the archive, read-only, on 127.0.0.1 by default.

The plugin db/datasette_plugin.py (an entry point of this package) adds the search page /-/search, the
article page /-/article/<id>, the metadata and the canned queries (no metadata file).
"""
from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

from scrapers.errors import UserError

# suggest_facets off: at 100,000 articles suggestions cost 3.8-4.0 s per table page (0.04 s without);
# long text cells cut to 300 characters (the article page has all of it). The tables' descriptions and the
# canned queries come from the project's Datasette plugin (db/datasette_plugin.py).
SETTINGS = {"allow_download": False, "allow_csv_stream": False, "default_page_size": 50,
            "max_returned_rows": 1000, "sql_time_limit_ms": 3000, "suggest_facets": False,
            "truncate_cells_html": 300}


class ServeError(UserError):
    """The server cannot start (the port is taken, the host unknown)."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or one line saying why not (a port in use, most often)."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use (another server?): pick another with "
                             "--port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001, max_memory: int | None = 2 << 30) -> None:
    """Serve the archive with Datasette inside this process (uvicorn): when the process stops, however it is
    stopped (Ctrl-C, SIGTERM, SIGHUP, SIGKILL), the server stops with it -- no orphan keeps the port.
    ``max_memory`` (bytes) bounds the process's address space: one SQL query of huge values made the server
    take the machine's memory (the kernel's OOM killer ended it); past the bound a request fails (413) instead."""
    import uvicorn
    from datasette.app import Datasette

    from db.connection import is_snapshot_only

    sock = listen(host, port)
    if max_memory:
        _bound_memory(max_memory)
    snapshot = is_snapshot_only(Path(db_path))
    if snapshot:                       # another user's archive: read as it stands (db/connection.ro_connect)
        print(f"newspipe: {db_path}'s folder is not writable here: serving the archive as it stands now (serve "
              "starts again when a run writes it)", file=sys.stderr, flush=True)
        ds = Datasette(immutables=[db_path], settings=SETTINGS)
    else:
        ds = Datasette([db_path], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="info", lifespan="on", http=_protocol(),
                                           timeout_graceful_shutdown=3))
    signal.signal(signal.SIGHUP, server.handle_exit)     # a closed terminal stops it as SIGTERM does
    changed = threading.Event()
    ended = _what_ends_this_view(db_path, snapshot)
    if ended is not None:
        threading.Thread(target=_watch, args=(ended, server, changed), daemon=True).start()
    print(f"newspipe: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:          # uvicorn re-raises the SIGINT it shut down for: a normal end here
        pass
    finally:
        sock.close()
    if changed.is_set():               # the same command again, in this process: it reads the archive anew
        print(f"newspipe: {db_path} changed (a run {'began writing it' if snapshot else 'writing it ended'}): "
              "serving it again as it stands", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os.execv(sys.executable, sys.orig_argv)


def _protocol():
    """uvicorn's HTTP/1.1 protocol (h11), answering a request longer than it reads -- its address and headers
    past 16 KB, a query of ~1,800 Korean characters percent-encoded -- with a status and a line saying so (414 for
    an address, 431 for headers) in place of a bare 400 "Invalid HTTP request received."; below that a query too
    long for a search gets the search page's own answer (longer than 500 characters)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    from nlp.query import MAX_QUERY

    class Protocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            held = bytes(getattr(self.conn, "_receive_buffer", b""))
            limit = getattr(self.conn, "_max_incomplete_event_size", None)
            if not limit or len(held) <= limit:
                return super().send_400_response(msg)
            end = held.find(b"\r\n")
            address = (end if end >= 0 else len(held)) > limit // 2        # the request line makes most of it
            what = "address (URL)" if address else "headers"
            line = (f"newspipe serve: the request's {what} is longer than this server reads ({limit:,} bytes)"
                    + (f"; a search query is at most {MAX_QUERY} characters" if address else "")).encode()
            status, reason = (414, b"URI Too Long") if address else (431, b"Request Header Fields Too Large")
            head = h11.Response(status_code=status, reason=reason, headers=[
                (b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")])
            for event in (head, h11.Data(data=line + b"\n"), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.logger.warning(line.decode())
            self.transport.close()
    return Protocol


def _bound_memory(limit: int) -> None:
    """RLIMIT_AS of this process at ``limit`` bytes (never raised past a lower limit already set)."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _what_ends_this_view(db_path: str, snapshot: bool):
    """In a folder this user cannot write, what makes the archive served read wrong, as a test (None when
    nothing can): for a snapshot, the file changing (a run folds its writes into it: an immutable snapshot,
    read without locks, then answers wrong or 'database disk image is malformed'); read through a running
    run's -shm, that file going with the run (every page then failed with 'attempt to write a readonly
    database'). Datasette's time limit holds the connections' progress handler, so db.connection's guard
    cannot watch them."""
    from db.connection import signature
    if snapshot:
        first = signature(db_path)
        return lambda: signature(db_path) != first
    shm = Path(db_path + "-shm")
    if not shm.exists():
        return None
    try:                                           # can SQLite make it again? (O_TMPFILE: no name is made)
        with tempfile.TemporaryFile(dir=shm.resolve().parent):
            return None
    except OSError:                                # no: it goes when the run ends
        return lambda: not shm.exists()


def _watch(ended, server, changed: threading.Event, every: float = 0.5) -> None:
    """Stop ``server`` once ``ended()`` (serve then starts again: see serve)."""
    while not server.should_exit:
        time.sleep(every)
        if ended():
            changed.set()
            server.should_exit = True
            return
