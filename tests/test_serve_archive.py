"""`newspipe serve` against the archive file as it stands, through a real server on a port of the test's own: an
archive replaced at its path (a new demo, a restored backup) is served on every connection at once, never the old
file and the new one in turn; a deleted archive is a clear page; a request longer than the server reads is a clear
414. The archives are written for these tests."""
from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest

from conftest import ROOT, free_port, store_articles
from db.archive import Archive
from scrapers.types import Source


def _archive(path, title: str) -> None:
    arch = Archive(path)
    arch.sync_sources([Source(id="jb", name="전북 시험", outlet="전북시험일보", region="전북")])
    store_articles(arch, [("jb", title, ["전주시는 1일 새 계획을 밝혔다."], "2026-11-01T09:00:00+09:00")],
                   "2026-11-27T00:00:00+09:00")
    arch.close()


@pytest.fixture
def served(tmp_path):
    db = tmp_path / "archive.db"
    _archive(db, "첫 번째 아카이브")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--db", str(db), "serve", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("serve did not start: " + proc.stdout.read())
    yield db, base, proc
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)


def _titles(base: str, n: int = 24) -> set[str]:
    """The title of article 1 as n requests made 6 at a time see it (every worker thread of the server)."""
    def one(_):
        page = httpx.get(base + "/-/article/1", timeout=10)
        assert page.status_code == 200, page.text
        return next(t for t in ("첫 번째 아카이브", "두 번째 아카이브") if t in page.text)
    with ThreadPoolExecutor(6) as pool:
        return set(pool.map(one, range(n)))


def test_an_archive_replaced_at_its_path_is_served_on_every_connection(served, tmp_path):
    db, base, proc = served
    assert _titles(base) == {"첫 번째 아카이브"}          # every worker thread now holds a connection to it
    new = tmp_path / "new.db"
    _archive(new, "두 번째 아카이브")
    os.replace(new, db)                                  # a new file (inode) at the same path
    assert _titles(base) == {"두 번째 아카이브"}
    rows = httpx.get(base + "/archive/articles.json", params={"_shape": "array", "_col": "title_ko"}).json()
    assert [r["title_ko"] for r in rows] == ["두 번째 아카이브"]         # Datasette's own pages too
    assert proc.poll() is None                           # the same server, not a restart


def test_a_deleted_archive_is_a_clear_page_and_a_restored_one_is_served(served, tmp_path):
    db, base, proc = served
    assert _titles(base) == {"첫 번째 아카이브"}
    backup = tmp_path / "backup.db"
    _archive(backup, "두 번째 아카이브")
    db.unlink()
    for path in ("/-/article/1", "/-/search?q=전주시", "/archive/articles", "/"):
        page = httpx.get(base + path, timeout=10)
        assert page.status_code == 503, (path, page.text[:300])
        assert f"the archive {db} is gone (deleted or moved away)" in page.text
        assert "첫 번째" not in page.text
    os.replace(backup, db)
    assert _titles(base) == {"두 번째 아카이브"}


@pytest.mark.parametrize("length", [600, 1800, 5000, 20000])
def test_an_overlong_query_is_answered_clearly_at_any_length(served, length):
    """A query of ~1,800 Korean characters and more (16 KB percent-encoded) got uvicorn's bare "Invalid HTTP
    request received.": the search page's own answer wherever the server reads the request, a 414 saying why
    where it does not."""
    _, base, _ = served
    status, body = _raw_get(base, "/-/search?" + urlencode({"q": "전" * length}))   # httpx refuses such a URL
    assert "Invalid HTTP request" not in body
    if status == 414:
        assert ("newspipe serve: the request's address (URL) is longer than this server reads (16,384 bytes); a "
                "search query is at most 500 characters\n") in body
        assert length >= 1800               # past 16 KB percent-encoded
    else:
        assert status == 400 and "query longer than 500 characters" in body


def _raw_get(base: str, target: str) -> tuple[int, str]:
    """(status, body) of a GET written on a socket 8 KB at a time, as a client on a network sends it, until the
    server answers (it may answer before the request is over, and close)."""
    host, port = base.removeprefix("http://").split(":")
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    data = b""
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        for i in range(0, len(request), 8192):
            try:
                sock.sendall(request[i:i + 8192])
            except OSError:                  # closed after answering
                break
            if select.select([sock], [], [], 0.05)[0]:
                break
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.fixture(autouse=True)
def _no_connection_of_an_earlier_test():
    """This thread's connections are Datasette's and web_fresh's, kept per database name ('a') across tests: the
    test that makes the next file take the old inode left one whose inode a later test's new a.db could get, and
    that test then read the stale connection instead of connecting (1 full-suite run in several)."""
    import threading

    from datasette.database import connections

    from db import web_fresh
    vars(connections).clear()
    web_fresh._opened = threading.local()
    yield
    for conn in vars(connections).values():
        if conn is not None:
            conn.close()
    vars(connections).clear()
    web_fresh._opened = threading.local()


def _datasette_over(path):
    from datasette.app import Datasette
    ds = Datasette([str(path)])
    return next(d for d in ds.databases.values() if d.path)


def _one_value(path, value):
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (?)", [value])
    con.commit()
    con.close()


def test_a_connect_that_fails_leaves_no_closed_connection_behind(tmp_path, monkeypatch):
    """Found in review: a connect that failed after the old connection was closed left that closed connection as
    the thread's; with the file's inode reused by the next copy (ext4 does) every later request was a 500."""
    import sqlite3

    from db import web_fresh
    path, other = tmp_path / "a.db", tmp_path / "b.db"
    _one_value(path, 1)
    _one_value(other, 2)
    db = _datasette_over(path)
    first = web_fresh.identity(str(path))
    assert web_fresh._connection(db).execute("SELECT x FROM t").fetchone()[0] == 1
    os.replace(other, path)
    real, calls = db.connect, []

    def fails_once(*args, **kwargs):
        if not calls:
            calls.append(1)
            raise sqlite3.OperationalError("unable to open database file")
        return real(*args, **kwargs)
    monkeypatch.setattr(db, "connect", fails_once)
    with pytest.raises(sqlite3.OperationalError):
        web_fresh._connection(db)
    monkeypatch.setattr(web_fresh, "identity", lambda p: first)        # the next file takes the old inode
    assert web_fresh._connection(db).execute("SELECT x FROM t").fetchone()[0] == 2


def test_a_file_gone_between_the_look_and_the_connect_is_archive_gone(tmp_path, monkeypatch):
    import sqlite3

    from db import web_fresh
    path = tmp_path / "a.db"
    _one_value(path, 1)
    db = _datasette_over(path)

    def gone(*args, **kwargs):
        path.unlink()
        raise sqlite3.OperationalError("unable to open database file")
    monkeypatch.setattr(db, "connect", gone)
    with pytest.raises(web_fresh.ArchiveGone):
        web_fresh._connection(db)
