"""Issue 15, part A: the faults at the edges of the command line, each tried as a new user would.

export -o targets (point 4), --db that is not an archive (5), exit codes and 'stats' (6), the side-by-side
table of 'show' (7), bad inputs (8), 'serve' stopped however it is stopped (14), one UserError base. The
sources, configs, HTML snippets and servers below are written for these tests; the archive is built by the
real pipeline from the demo's real pages (tests/fixtures/corpus) with a stub translator.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from conftest import DEMO, NEWSPIPE, ROOT, LibreStub, free_port, sources_toml
from db.archive import Archive
from pipeline.cli import cli
from pipeline.demo import PAGES, DemoSite, LoopbackServer, demo_sources
from pipeline.lock import LockHeld, RunLock
from pipeline.run import Pipeline, RunOptions
from scrapers.fetch import FetchSettings
from translate.backends import LibreBackend

COMMANDS = [["run", "--no-crawl", "--no-translate"], ["stats"], ["search", "전주"], ["show", "1"],
            ["export", "--format", "jsonl", "-o", "-"], ["serve", "--port", "1"], ["reindex"], ["ingest", "x.html"]]


def invoke(*args, env=None):
    """The CLI in this process; stdout and stderr apart."""
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_error_line(stderr: str, needle: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newspipe: error: ") and needle in lines[0], stderr
    return lines[0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, analyser):
    """The 10 demo articles crawled, cleaned, analysed and translated (placeholder English) by the pipeline."""
    db = tmp_path_factory.mktemp("faults") / "demo.db"
    with DemoSite() as site, LibreStub() as libre:
        arch = Archive(db)
        summary = Pipeline(arch, demo_sources(site.base), FetchSettings(delay=0), analyser=analyser,
                           backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(RunOptions())
        arch.close()
    assert summary.counts["translated"] == len(PAGES) and summary.exit_code == 0
    return db


def stored(db: Path, sql: str) -> list[tuple]:
    arch = Archive(db, readonly=True)
    try:
        return list(arch.query(sql, tuples=True))
    finally:
        arch.close()


# ------------------------------------------------------------------------------- (4) export -o
def exported(demo_db, out, *extra):
    return invoke("--db", demo_db, "export", "--format", "jsonl", "-o", out, *extra)


@pytest.fixture(scope="module")
def reference(demo_db, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "ref.jsonl"
    res = exported(demo_db, out)
    assert res.exit_code == 0, res.stderr
    data = out.read_bytes()
    assert data.count(b"\n") > 20 and re.search("[가-힣]", data.decode("utf-8"))
    return data


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_of_the_umask(demo_db, reference, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        res = exported(demo_db, tmp_path / "new.jsonl")
    finally:
        os.umask(old)
    assert res.exit_code == 0, res.stderr
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == mode
    assert (tmp_path / "new.jsonl").read_bytes() == reference
    assert os.listdir(tmp_path) == ["new.jsonl"]


def test_an_existing_file_is_replaced_atomically_keeping_its_mode(demo_db, reference, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("an earlier export\n", encoding="utf-8")
    target.chmod(0o640)
    with open(target, "rb") as before:          # a reader of the old file keeps reading the old file
        res = exported(demo_db, target)
        assert res.exit_code == 0, res.stderr
        assert before.read() == b"an earlier export\n"
    assert target.read_bytes() == reference and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_to_a_file_stays_a_symlink(demo_db, reference, tmp_path):
    (tmp_path / "real.jsonl").write_text("old\n")
    (tmp_path / "latest.jsonl").symlink_to("real.jsonl")
    res = exported(demo_db, tmp_path / "latest.jsonl")
    assert res.exit_code == 0, res.stderr
    assert os.readlink(tmp_path / "latest.jsonl") == "real.jsonl"
    assert (tmp_path / "real.jsonl").read_bytes() == reference
    assert sorted(os.listdir(tmp_path)) == ["latest.jsonl", "real.jsonl"]


@pytest.mark.parametrize("via_symlink", [False, True])
def test_a_fifo_is_written_to_not_replaced(demo_db, reference, tmp_path, via_symlink):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if via_symlink:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    got: dict = {}

    def reader():
        with open(fifo, "rb") as fh:
            got["data"] = fh.read()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    res = exported(demo_db, target)
    t.join(30)
    if t.is_alive():                     # the export replaced the FIFO: release the reader, then fail
        with open(fifo, "wb"):
            pass
    assert res.exit_code == 0, res.stderr
    assert got.get("data") == reference
    assert stat.S_ISFIFO(fifo.stat().st_mode) and (not via_symlink or target.is_symlink())


# /dev/stdout and /dev/full are reached through a symlink in tmp_path: the same path to the descriptor or the
# device, but an export that wrongly renames over its target replaces that symlink, never the machine's /dev
# (the code before issue 15 did replace /dev/full and /dev/stdout with regular files when run as root).
def test_dev_stdout_is_written_to_whether_a_pipe_or_a_file(demo_db, reference, tmp_path):
    out = tmp_path / "stdout"
    out.symlink_to("/dev/stdout")
    args = [*NEWSPIPE, "--db", demo_db, "export", "--format", "jsonl", "-o", out]
    piped = subprocess.run(args, capture_output=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == reference
    log = tmp_path / "appended.jsonl"
    log.write_bytes(b"kept line\n")
    with open(log, "ab") as fh:          # `>> file`: the export is appended, the file never replaced
        res = subprocess.run(args, stdout=fh, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert log.read_bytes() == b"kept line\n" + reference
    assert os.readlink(out) == "/dev/stdout"


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path):
    """`newspipe clean page.txt | head -1`: the reader closes the pipe after one line, long before the
    ~300 KB article is written (a pipe holds 64 KB), so the write fails with EPIPE. The command ends with exit
    code 0 and nothing on stderr (click alone exits 1; Python's last flush adds a BrokenPipeError message)."""
    lines = [f"가나시 {n}번 마을에 새 도서관이 문을 열었다고 시가 {n}일 밝혔다." for n in range(1, 6_001)]
    page = tmp_path / "page.txt"                   # page text written for this test
    page.write_text("가나시 도서관 개관\n" + "\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen([*NEWSPIPE, "clean", str(page), "--format", "text"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert first and err == b""


def test_show_into_a_reader_that_has_gone_ends_quietly_with_0(demo_db):
    """`newspipe show 1 | head -1` exited 1 where the reader left before the article was written: rich's own
    broken-pipe handler exits 1 before newspipe's sees it (found in a new user's trial). The pipe here is
    closed before the command writes anything, so every write fails."""
    proc = subprocess.Popen([*NEWSPIPE, "--db", str(demo_db), "show", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert err == b""


def test_dev_full_is_one_line_and_stays_a_device(demo_db, tmp_path):
    full = tmp_path / "full"
    full.symlink_to("/dev/full")
    res = exported(demo_db, full)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"cannot write {full}: No space left on device")
    assert os.readlink(full) == "/dev/full" and stat.S_ISCHR(full.stat().st_mode)


def test_file_size_limit_in_a_child_leaves_the_target_and_no_temp_file(demo_db, reference, tmp_path):
    import sqlite3
    limit = len(reference) // 2
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"an earlier export\n")
    reader = sqlite3.connect(demo_db)      # holds the archive's -shm at full size: the child only writes the export
    reader.execute("SELECT count(*) FROM articles").fetchone()
    # not measured by coverage: under a file size limit its own data file could not be written either
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE")}
    try:
        res = subprocess.run([*NEWSPIPE, "--db", demo_db, "export", "--format", "jsonl", "-o", target],
                             capture_output=True, text=True, cwd=ROOT, timeout=120, env=env,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    finally:
        reader.close()
    assert res.returncode == 1
    one_error_line(res.stderr, f"cannot write {target}: File too large")
    assert target.read_bytes() == b"an earlier export\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_an_export_of_no_pairs_says_where_english_comes_from(demo_db, tmp_path):
    """On an archive with English, no pair within the dates is the options' doing, and the note says so; on
    one without machine English, it says where English comes from."""
    res = invoke("--db", demo_db, "export", "--format", "jsonl", "--until", "2000-01-01", "-o", tmp_path / "x.jsonl")
    assert res.exit_code == 0 and (tmp_path / "x.jsonl").read_bytes() == b""
    assert res.stderr.splitlines() == [
        f"exported 0 sentence pairs to {tmp_path / 'x.jsonl'}",
        "note: no sentence pair matched the options given (dates, source, region, --min-chars, --author, --provenance, --backend)"]
    page = tmp_path / "mine.html"                    # written for this test: Korean only, never translated
    page.write_text("<html><head><title>가나시 도서관 개관</title></head><body><article><h1>가나시 도서관 개관</h1>"
                    + "".join(f"<p>가나시는 {n}일 새 도서관이 문을 열었다고 밝혔다.</p>" for n in range(1, 9))
                    + "</article></body></html>", encoding="utf-8")
    assert invoke("--db", tmp_path / "k.db", "ingest", page).exit_code == 0
    res = invoke("--db", tmp_path / "k.db", "export", "--format", "jsonl", "-o", tmp_path / "y.jsonl")
    assert res.exit_code == 0 and res.stderr.splitlines()[1] == (
        "note: no sentence with English matched: 'newspipe run' translates when a translator answers; "
        "--level article exports the publishers' own English")      # (not the demo's archive: no word of it)


def test_a_missing_directory_is_an_error_not_created(demo_db, tmp_path):
    res = exported(demo_db, tmp_path / "nodir" / "out.jsonl")
    assert res.exit_code == 1
    one_error_line(res.stderr, "does not exist")
    assert not (tmp_path / "nodir").exists()
    res = invoke("--db", demo_db, "export", "--format", "moses", "-o", tmp_path / "nodir" / "corpus")
    assert res.exit_code == 1 and not (tmp_path / "nodir").exists()
    one_error_line(res.stderr, "does not exist")


# ------------------------------------------------------------------------ (5) --db not an archive
@pytest.fixture()
def foreign(tmp_path):
    """Three things that are not newspipe archives: another program's SQLite file, a text file, a directory."""
    import sqlite3
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes(body) VALUES ('전주 회의록')")
    con.commit()
    con.close()
    text = tmp_path / "notes.txt"
    text.write_text("회의록\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    return {"sqlite": other, "text": text, "directory": folder}


def _state(tmp_path: Path) -> dict:
    """Every file under tmp_path with its sha256: what a refused command must leave exactly as it was."""
    return {str(p.relative_to(tmp_path)): (sha(p) if p.is_file() else "dir") for p in sorted(tmp_path.rglob("*"))}


@pytest.mark.parametrize("kind,needle", [("sqlite", "SQLite database of another program"),
                                         ("text", "not an SQLite database"), ("directory", "is a directory")])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_db_that_is_not_an_archive_is_refused_and_untouched(foreign, tmp_path, monkeypatch, kind, needle, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.html").write_text("<html><body><p>직접 쓴 시험용 문서</p></body></html>", encoding="utf-8")
    before = _state(tmp_path)
    res = invoke("--db", foreign[kind], *command)
    assert res.exit_code == 1, res.stdout
    line = one_error_line(res.stderr, needle)
    assert "migrate" not in line
    assert _state(tmp_path) == before            # byte for byte, and no -wal, -shm or .lock beside it


def test_a_new_or_empty_file_becomes_an_archive(tmp_path):
    import sqlite3
    empty = tmp_path / "empty.db"
    empty.touch()
    res = invoke("--db", empty, "stats")
    assert res.exit_code == 1
    one_error_line(res.stderr, "no archive at")
    # a first creation stopped (Ctrl-C, kill -9) after the migration log's table was committed and before the
    # first migration: nothing of anyone's in it, so it is completed, not refused as another program's file
    stopped = tmp_path / "stopped.db"
    con = sqlite3.connect(stopped)
    con.execute('CREATE TABLE "_sqlite_migrations" ("id" INTEGER PRIMARY KEY, "migration_set" TEXT, "name" TEXT, '
                '"applied_at" TEXT)')
    con.commit()
    con.close()
    (tmp_path / "page.html").write_text("<html><body><p>직접 쓴 시험용 문서</p></body></html>", encoding="utf-8")
    for db in (empty, tmp_path / "new.db", stopped):
        res = invoke("--db", db, "ingest", tmp_path / "page.html")
        assert res.exit_code == 0, res.stderr
        assert json.loads(invoke("--db", db, "stats", "--json").stdout)["pages"] == 1


# --------------------------------------------------------------------------- (6) exit codes
def _sources_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[sources]]\nid = "dead"\nname = "시험 출처"\noutlet = "시험"\nregion = "전북"\n'
                    f'feeds = ["{base}/rss.xml"]\narticle_pattern = "/a/\\\\d+$"\n', encoding="utf-8")
    return path


def _config_file(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "newspipe.toml"
    path.write_text(f'[fetch]\ndelay = 0\nretries = 0\ntimeout = 5\n{extra}[translate]\nbackend = "none"\n',
                    encoding="utf-8")
    return path


class _Site(LoopbackServer):
    """Written for these tests: a local site whose answer to each path is ``answer(path) -> (body, status)``."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler
        answer = self.answer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                body, code = answer(self.path)
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)
        self.base = f"http://127.0.0.1:{self.port}"

    def answer(self, path: str) -> tuple[bytes, int]:
        raise NotImplementedError


class FeedOnly(_Site):
    """A feed of three articles that all answer 500."""

    def answer(self, path):
        if path == "/rss.xml":
            items = "".join(f"<item><title>기사 {i}</title><link>{self.base}/a/{i}</link></item>" for i in range(1, 4))
            return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
                    "</channel></rss>").encode(), 200
        return b"server error", (404 if path == "/robots.txt" else 500)


class RobotsNo(_Site):
    """A site whose robots.txt disallows everything (the feed is there)."""

    def answer(self, path):
        return (b"User-agent: *\nDisallow: /\n" if path == "/robots.txt" else b"<rss/>"), 200


def test_a_site_whose_robots_txt_refuses_is_not_called_unreachable(tmp_path):
    """A new user's trial: a robots.txt disallowing all ended the run 'no source could be reached', which sent
    them looking at the network; the site answered, and said no."""
    db = tmp_path / "a.db"
    with RobotsNo() as site:
        glob = ["--db", db, "--sources", _sources_file(tmp_path, site.base), "--config", _config_file(tmp_path)]
        res = invoke(*glob, "run", "--no-progress")
    assert res.exit_code == 3, res.stderr
    want = "no source could be read (1 tried: robots.txt refused 1; see 'newspipe sources check')"
    assert want in res.stderr and "reached" not in res.stderr.split("INFO run 1 started")[-1].split("\n", 1)[1]
    assert json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]["outcome"] == want


def test_no_source_reachable_exits_3_and_stats_says_so(tmp_path):
    db = tmp_path / "a.db"
    base = f"http://127.0.0.1:{free_port()}"          # nothing listens there: connection refused
    glob = ["--db", db, "--sources", _sources_file(tmp_path, base), "--config", _config_file(tmp_path)]
    res = invoke(*glob, "run", "--no-progress")
    assert res.exit_code == 3, res.stderr
    assert "no source could be reached (1 tried)" in res.stderr and "Traceback" not in res.stderr
    # a cron log opens each run with a line of its own, its time with the zone, and names the source that
    # failed and the page it could not read, not only a count
    assert re.search(rf"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{{4}} INFO run 1 started: 1 sources, no translation; new archive at {re.escape(str(db))}; settings \S+$", res.stderr, re.M), \
        res.stderr
    assert f"    source dead: {base}/rss.xml: host unreachable" in res.stdout, res.stdout
    assert json.loads(invoke(*glob, "run", "--no-progress", "--json").stdout)["errors"][0]["source"] == "dead"
    st = json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]
    assert (st["status"], st["exit_code"], st["outcome"]) == ("completed", 3, "no source could be reached (1 tried)")
    assert sum(st["failures"].values()) == 1 and all(k.startswith("discover: ") for k in st["failures"])
    text = invoke("--db", db, "stats").stdout
    assert "exit code 3: no source could be reached" in text and "failures 1" in text
    assert "1 × discover: host unreachable" in text
    # a source never read is listed (it has no articles: it was nowhere), with the page that fails
    assert re.search(r"^  dead +articles +0 .*\n +1 of its 1 feed/sitemap/listing pages failed when last asked "
                     r"\(\d{4}-\d\d-\d\dT\d\d:\d\d: host unreachable: .*\); last read never$", text, re.M), text
    unread = json.loads(invoke("--db", db, "stats", "--json").stdout)["sources"]["dead"]["unread"]
    assert (unread["pages"], unread["failing"], unread["last_read"]) == (1, 1, None)


def test_every_article_fetch_failing_exits_3(tmp_path):
    db = tmp_path / "a.db"
    with FeedOnly() as site:
        res = invoke("--db", db, "--sources", _sources_file(tmp_path, site.base), "--config", _config_file(tmp_path),
                     "run", "--no-progress", "--json")
    assert res.exit_code == 3, res.stderr
    summary = json.loads(res.stdout)
    assert summary["exit_code"] == 3 and summary["outcome"] == "every fetch failed (3 pages)"
    st = json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]
    assert st["failures"] == {"fetch: HTTP 500": 3}


def test_a_run_that_fetched_exits_0(tmp_path):
    db = tmp_path / "a.db"
    with DemoSite() as site:
        src = tmp_path / "demo.toml"
        src.write_text(sources_toml(site.base), encoding="utf-8")
        res = invoke("--db", db, "--sources", src, "--config", _config_file(tmp_path), "run", "--no-progress",
                     "--no-translate", "--limit", "1")
    assert res.exit_code == 0, res.stderr
    st = json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]
    assert (st["exit_code"], st["outcome"]) == (0, "completed")


def test_make_run_passes_the_failure_on(tmp_path):
    """The Makefile's run target, with a stand-in venv whose newspipe is this checkout's."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    exe = venv / "bin" / "newspipe"
    exe.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m pipeline.cli "$@"\n')
    exe.chmod(0o755)
    stamp = venv / ".installed-stamp"
    stamp.touch()
    later = (ROOT / "pyproject.toml").stat().st_mtime + 3600
    os.utime(stamp, (later, later))                    # installed: make goes straight to the run
    env = {**os.environ, "NEWSPIPE_DB": str(tmp_path / "a.db"),
           "NEWSPIPE_SOURCES": str(_sources_file(tmp_path, f"http://127.0.0.1:{free_port()}")),
           "NEWSPIPE_CONFIG": str(_config_file(tmp_path))}
    res = subprocess.run(["make", "-C", str(ROOT), "run", f"VENV={venv}"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert res.returncode != 0, res.stdout + res.stderr
    assert "no source could be reached" in res.stderr and "Error 3" in res.stderr


# -------------------------------------------------------------------------------- (7) show
def table_rows(out: str) -> list[tuple[str, str, str]]:
    """The rows of show's table as (#, Korean, English), each cell's wrapped lines put back together."""
    rows: list[list] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        assert len(cells) == 3, line
        if cells[0] or not rows:
            rows.append([cells[0], [], []])
        rows[-1][1].append(cells[1])
        rows[-1][2].append(cells[2])
    return [(n, "".join(ko), "".join(en)) for n, ko, en in rows]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("width", [80, 200])
def test_show_wraps_and_never_cuts_korean(demo_db, width):
    inserted = 0
    ids = [r[0] for r in stored(demo_db, "SELECT id FROM articles WHERE clean_status='done' ORDER BY id")]
    assert len(ids) == len(PAGES)
    for aid in ids:
        art = json.loads(invoke("--db", demo_db, "show", aid, "--json").stdout)
        res = invoke("--db", demo_db, "show", aid, env={"COLUMNS": str(width)})
        assert res.exit_code == 0, res.stderr
        assert max(cell_len(ln) for ln in res.stdout.splitlines()) <= width
        want = [("title", art["title_ko"], art["title_en"])]
        if art["subtitle_ko"]:
            want.append(("sub", art["subtitle_ko"], art["subtitle_en"]))
        want += [(str(s["idx"]), s["ko"], s["en"]) for s in art["sentences"]]
        got = table_rows(res.stdout)
        assert [(n, squash(ko), squash(en)) for n, ko, en in got] == \
               [(n, squash(ko), squash(en)) for n, ko, en in want], aid
        inserted += sum(ko.count("…") + en.count("…") for _, ko, en in got) - \
            sum(ko.count("…") + en.count("…") for _, ko, en in want)
    assert inserted == 0


# -------------------------------------------------------------------------- (8) bad inputs
def test_clean_refuses_binary_input():
    for fmt in ("text", "html"):
        res = invoke("clean", "--format", fmt, "/bin/ls")
        assert res.exit_code == 1 and res.stdout == ""
        one_error_line(res.stderr, "/bin/ls: binary data")


def test_clean_names_empty_and_binary_files_and_cleans_the_others(tmp_path):
    """Found in a new user's trial: an empty file printed an empty article and exit 0, a file of only a
    byte-order mark was stored by ingest, and clean stopped at a binary file before the files after it."""
    empty, bom, page = tmp_path / "empty.html", tmp_path / "bom.txt", tmp_path / "a.html"
    empty.write_bytes(b"")
    bom.write_bytes(b"\xef\xbb\xbf \r\n")
    page.write_bytes((DEMO / "ndsoft-1001.html").read_bytes())
    res = invoke("clean", empty)
    assert res.exit_code == 1 and res.stdout == ""
    one_error_line(res.stderr, f"{empty}: empty, not cleaned")
    res = invoke("clean", empty, "/bin/ls", page)
    assert res.exit_code == 1 and res.stdout.startswith("# ")         # the page after them is cleaned
    assert res.stderr.splitlines() == [f"{empty}: empty, not cleaned", "/bin/ls: binary data, not text, "
                                       "not cleaned", "newspipe: error: 2 of 3 files not cleaned (see above)"]
    res = invoke("--db", tmp_path / "a.db", "ingest", "--format", "text", bom)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"{bom}: empty, not stored")


def test_show_an_id_beyond_sqlite_integers(demo_db):
    res = invoke("--db", demo_db, "show", "99999999999999999999999")
    assert res.exit_code == 1
    one_error_line(res.stderr, "no article with id 99999999999999999999999")


def test_reindex_on_bad_paths(tmp_path, foreign):
    missing = tmp_path / "nowhere" / "x.db"
    res = invoke("--db", missing, "reindex")
    assert res.exit_code == 1
    one_error_line(res.stderr, "there is no folder")
    assert not (tmp_path / "nowhere").exists()
    res = invoke("--db", tmp_path / "x.db", "reindex")
    assert res.exit_code == 1
    one_error_line(res.stderr, "no archive at")
    assert not (tmp_path / "x.db").exists()
    for path in foreign.values():
        res = invoke("--db", path, "reindex")
        assert res.exit_code == 1 and "Traceback" not in res.stderr
        one_error_line(res.stderr, str(path))


@pytest.mark.parametrize("command", [["run", "--retranslate", "--translator", "none"], ["search", "전주"],
                                     ["export", "--format", "jsonl", "-o", "-"]], ids=["run", "search", "export"])
def test_a_bad_date_is_refused(demo_db, command):
    for bad in ("2025-05-27xyz", "yesterday", "2025-13-01"):
        res = invoke("--db", demo_db, *command, "--since", bad)
        assert res.exit_code == 2
        one_error_line(res.stderr, "Invalid value for '--since': wants a date like 2025-05-27")


@pytest.mark.parametrize("command", [["run", "--retranslate", "--translator", "libre", "--translator-url",
                                      "http://127.0.0.1:9/"], ["search", "전주"],
                                     ["export", "--format", "jsonl", "-o", "-"], ["trends", "전주"],
                                     ["related", "전주"]], ids=["run", "search", "export", "trends", "related"])
def test_a_range_that_ends_before_it_starts_is_a_usage_mistake(demo_db, command):
    res = invoke("--db", demo_db, *command, "--since", "2026-01-01", "--until", "2025-01-01")
    assert res.exit_code == 2
    one_error_line(res.stderr, "since 2026-01-01 is not before until 2025-01-01: no article can be in that range")
    # times of one day, the later first (found in review: 'no matches', exit 0); --until's time takes in its
    # whole minute (on or before 09:00), so a --since one minute later is refused and the same time is a minute
    for since, until in (("2025-01-02T10:00", "2025-01-02T09:00"), ("2025-01-02T09:01", "2025-01-02T09:00")):
        res = invoke("--db", demo_db, *command, "--since", since, "--until", until)
        assert res.exit_code == 2
        one_error_line(res.stderr, f"since {since}:00+09:00 is not before until {until}:00+09:00")
    if command[0] != "run":                      # (a run would retranslate: one day is a range)
        assert invoke("--db", demo_db, *command, "--since", "2025-01-01", "--until", "2025-01-01").exit_code == 0
        assert invoke("--db", demo_db, *command, "--since", "2025-01-01T10:00", "--until", "2025-01-01").exit_code == 0
        assert invoke("--db", demo_db, *command, "--since", "2025-01-01", "--until", "2025-01-01T09:00").exit_code == 0
        assert invoke("--db", demo_db, *command, "--since", "2025-01-01T09:00", "--until",
                      "2025-01-01T09:00").exit_code == 0


@pytest.mark.parametrize("command", [["search", "전주"], ["trends", "전주"]])
def test_an_unknown_region_is_named(demo_db, command):
    """Like an unknown source: finding nothing would not say the region is misspelt."""
    res = invoke("--db", demo_db, *command, "--region", "화성")
    assert res.exit_code == 1
    one_error_line(res.stderr, "unknown region '화성': this archive's are 전북")
    assert invoke("--db", demo_db, *command, "--region", "전북").exit_code == 0


def test_a_trend_of_more_periods_than_can_be_listed_is_refused(demo_db):
    """Every period of the range is listed: from year 1 to 9999 by day is 3.6 million rows (it took 17 s and
    870 MB, then failed on the day after 9999-12-31): refused in one line; the last periods of the calendar
    are listed."""
    res = invoke("--db", demo_db, "trends", "전주", "--since", "0001-01-01", "--until", "9999-12-31", "--by", "day")
    assert res.exit_code == 1
    one_error_line(res.stderr, "0001-01-01 to 9999-12-31 is 3,652,059 days: more than 10,000 periods to list")
    for by, last in (("day", "9999-12-31"), ("week", "9999-W52"), ("month", "9999-12")):
        res = invoke("--db", demo_db, "trends", "전주", "--since", "9999-11-01", "--until", "9999-12-31", "--by", by,
                     "--json")
        assert res.exit_code == 0, res.stderr
        assert json.loads(res.stdout.splitlines()[-1])["period"] == last


def test_dates_and_times_select_by_publication(demo_db):
    from datetime import datetime, timedelta
    published = {str(i): datetime.fromisoformat(p) for i, p in
                 stored(demo_db, "SELECT id, published_at FROM articles WHERE published_at IS NOT NULL")}
    days = sorted({p.date() for p in published.values()})
    assert len(days) >= 2

    def ids(*args):
        res = invoke("--db", demo_db, "export", "--format", "jsonl", "--level", "article", "-o", "-", *args)
        assert res.exit_code == 0, res.stderr
        return sorted({json.loads(ln)["id"].split("-")[0] for ln in res.stdout.splitlines()})   # "5-publisher" is 5

    def expect(keep):
        return sorted(i for i, p in published.items() if keep(p))
    day = days[1]
    assert ids("--since", day.isoformat()) == expect(lambda p: p.date() >= day)
    assert ids("--since", day.strftime("%Y%m%d")) == expect(lambda p: p.date() >= day)   # basic ISO form
    assert ids("--until", days[0].isoformat()) == expect(lambda p: p.date() <= days[0])
    first = min(published.values())
    moment = (first + timedelta(seconds=1)).replace(tzinfo=None)        # naive: read as KST
    assert ids("--since", moment.isoformat(), "--until", first.date().isoformat()) == \
        expect(lambda p: p > first and p.date() == first.date())


@pytest.mark.parametrize("command", [["search", "전주"], ["export", "--format", "jsonl", "-o", "-"]])
def test_an_unknown_source_is_named(demo_db, command):
    res = invoke("--db", demo_db, *command, "--source", "nosuch")
    assert res.exit_code == 1
    line = one_error_line(res.stderr, "unknown source 'nosuch'")
    known = demo_sources("http://127.0.0.1")[0].id
    assert known in line and "newspipe sources list" in line
    assert invoke("--db", demo_db, *command, "--source", known).exit_code == 0


def test_run_with_an_unknown_source(tmp_path):
    res = invoke("--db", tmp_path / "a.db", "run", "--source", "nosuch")
    assert res.exit_code == 1
    one_error_line(res.stderr, "unknown source 'nosuch' (see 'newspipe sources list')")


def test_demo_with_an_unknown_translator_exits_2_like_run(tmp_path):
    res = invoke("demo", "--db", tmp_path / "demo.db", "--translator", "nosuch")
    assert res.exit_code == 2                     # a wrong value on the command line, as every flag's
    one_error_line(res.stderr, "Invalid value for '--translator': unknown translator 'nosuch' (choose from: google,")
    assert not (tmp_path / "demo.db").exists()
    res = invoke("--db", tmp_path / "a.db", "run", "--translator", "nosuch")
    assert res.exit_code == 2
    one_error_line(res.stderr, "unknown translator 'nosuch'")


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1:8766", "http://", "127.0.0.1:5000",
                                 "http://127.0.0.1:99999", "http://127.0.0.1:5000/ x"])
def test_a_translator_url_that_cannot_be_asked_is_refused_before_the_run(tmp_path, url):
    """`--translator-url "not a url"` ran, said 'translator libre unreachable' and exited 0: under cron every
    night left all English pending without an error (found in a new user's trial)."""
    res = invoke("--db", tmp_path / "a.db", "run", "--no-crawl", "--translator", "libre", "--translator-url", url)
    assert res.exit_code == 2
    one_error_line(res.stderr, f"Invalid value for '--translator-url': {url!r} is not ")
    cfg = tmp_path / "newspipe.toml"
    cfg.write_text(f'[translate]\nbackend = "libre"\nurl = "{url}"\n', encoding="utf-8")
    res = invoke("--db", tmp_path / "a.db", "--config", cfg, "run", "--no-crawl")
    assert res.exit_code == 1
    one_error_line(res.stderr, f"{cfg}: translate.url = {url!r} is not ")
    assert not (tmp_path / "a.db").exists()


def test_the_libre_translator_without_a_server_names_both_places_to_give_one(tmp_path):
    cfg = tmp_path / "newspipe.toml"
    cfg.write_text('[translate]\nbackend = "libre"\nurl = ""\n', encoding="utf-8")
    res = invoke("--db", tmp_path / "a.db", "--config", cfg, "run", "--no-crawl")
    assert res.exit_code == 1
    one_error_line(res.stderr, "the libre translator needs a LibreTranslate server: --translator-url URL, or url in "
                               "the [translate] table of the settings file")


def test_the_demo_database_is_recreated_unless_it_holds_pages_of_other_sources(tmp_path):
    """A run on the demo's database lists every configured source without fetching anything (offline): the
    demo may still recreate it. A page of another source in it is the user's, and the demo refuses, untouched."""
    from scrapers.types import FetchedPage, Source
    path = tmp_path / "demo.db"
    arch = Archive(path)
    arch.sync_sources([Source(id="demo-jeonbuk", name="데모", outlet="데모"), Source(id="jb-daily", name="전북일보",
                                                                                      outlet="전북일보")])
    assert arch.sources_without_prefix("demo-") == []
    arch.store_page(FetchedPage(url="https://jb.example/a/1", final_url="https://jb.example/a/1", status=200,
                                fetched_at="2026-11-27T09:00:00+09:00", body="<p>직접 쓴 시험용 문서</p>".encode(),
                                content_type="text/html; charset=utf-8", source_id="jb-daily", origin="ingest"))
    assert arch.sources_without_prefix("demo-") == ["jb-daily"]
    arch.close()
    _demo_refuses(path, "jb-daily")


def _demo_refuses(path: Path, sources: str) -> None:
    """The demo on ``path``, named after 'demo' or before it, ends in one line naming ``sources`` and leaves the
    archive as it was."""
    before = sha(path)
    for args in (("demo", "--db", path), ("--db", path, "demo")):
        res = invoke(*args, "--translator", "none")
        assert res.exit_code == 1
        one_error_line(res.stderr, f"holds pages of sources other than the demo's: {sources};")
        assert sha(path) == before               # (SQLite's -wal and -shm of a reader may appear beside it)


def test_newspipe_db_before_demo_is_the_demo_database(tmp_path):
    """`newspipe --db X demo` stored the demo in data/demo.db, not in X, and said so only in its last line."""
    path = tmp_path / "mine" / "demo.db"
    path.parent.mkdir()
    res = invoke("--db", path, "demo", "--translator", "none")
    assert res.exit_code == 0, res.stderr
    assert f"stored in {path};" in res.stdout
    arch = Archive(path)
    assert arch.sources_without_prefix("demo-") == [] and arch.db.execute("select count(*) from articles").fetchone()[0] >= 10
    arch.close()


def test_the_demo_refuses_a_database_with_pages_ingested_without_a_source(tmp_path):
    """`newspipe ingest page.html` stores the page under no source, and `run` then lists every configured
    source: the demo recreated (deleted) such an archive, the user's article with it (found in review)."""
    page = tmp_path / "mine.html"                 # a page written for this test
    page.write_text("<html><head><title>가나시 도서관 개관</title></head><body><article><h1>가나시 도서관 개관</h1>"
                    + "".join(f"<p>가나시는 {n}일 새 도서관이 문을 열었다고 밝혔다.</p>" for n in range(1, 9))
                    + "</article></body></html>", encoding="utf-8")
    path = tmp_path / "mine.db"
    assert invoke("--db", path, "ingest", page).exit_code == 0
    arch = Archive(path)
    assert arch.sources_without_prefix("demo-") == ["(no source)"]
    arch.close()
    _demo_refuses(path, "(no source)")


@pytest.mark.parametrize("setting", ["[fetch]\ndelay = -1", "[fetch]\ntimeout = 0", "[fetch]\nconcurrency = 0",
                                     "[fetch]\nretries = -1", "[fetch]\nmax_bytes = 0", "[translate]\ntimeout = 0",
                                     "[translate]\nbatch = 0", "[run]\nlimit = 0",
                                     # past what SQLite's LIMIT or a socket's timeout can hold: tracebacks before
                                     "[run]\nlimit = 99999999999999999999", "[fetch]\ntimeout = 1e300",
                                     "[fetch]\ndelay = 1e300", "[translate]\ntimeout = 1e300",
                                     "[fetch]\ntotal_timeout = 0", "[fetch]\nmax_crawl_delay = -1"])
def test_out_of_range_settings_are_refused_like_the_flags(tmp_path, setting):
    cfg = tmp_path / "newspipe.toml"
    cfg.write_text(setting + "\n", encoding="utf-8")
    res = invoke("--db", tmp_path / "a.db", "--config", cfg, "run")
    assert res.exit_code == 1
    key = setting.replace("[", "").replace("]\n", ".").split(" = ")[0]
    line = one_error_line(res.stderr, f"{key} = ")
    assert " is out of range: it must be " in line
    assert not (tmp_path / "a.db").exists()


def test_out_of_range_flag_is_one_line():
    res = invoke("run", "--delay", "-1")
    assert res.exit_code == 2
    one_error_line(res.stderr, "Invalid value for '--delay': -1.0 is not in the range 0.0<=x<=86400")


def test_ingest_a_directory_takes_its_pages(tmp_path):
    pages = tmp_path / "saved"
    pages.mkdir()
    for i in (1, 2):        # written for this test
        (pages / f"{i}.html").write_text(f'<html><head><link rel="canonical" href="https://jb.example/a/{i}">'
                                         f"</head><body><p>시험 기사 {i}</p></body></html>", encoding="utf-8")
    (pages / "notes.txt").write_text("not a page")
    res = invoke("--db", tmp_path / "a.db", "ingest", pages)
    assert res.exit_code == 0, res.stderr
    assert "ingested 2 files, 2 new or changed pages" in res.stdout
    assert "https://jb.example/a/1" in res.stdout and "notes.txt" not in res.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    res = invoke("--db", tmp_path / "a.db", "ingest", empty)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"{empty}/*.html")


def test_ingest_names_what_is_no_page_and_stores_the_rest(tmp_path):
    """An empty file and a binary one (bytes written here) are not stored, each named with its reason; a
    lone one is the error; --url must be a web address."""
    pages = tmp_path / "saved"
    pages.mkdir()
    (pages / "1.html").write_text("<html><body><p>시험 기사</p></body></html>", encoding="utf-8")   # written here
    (pages / "2.html").write_bytes(b"")
    (pages / "3.html").write_bytes(bytes(range(256)) * 40)
    res = invoke("--db", tmp_path / "a.db", "ingest", pages)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[-1] == "ingested 1 files, 1 new or changed pages; 2 empty or binary, not stored"
    assert res.stderr.splitlines() == [f"{pages / '2.html'}: empty, not stored",
                                       f"{pages / '3.html'}: binary data, not an HTML page, not stored"]
    res = invoke("--db", tmp_path / "a.db", "ingest", pages / "2.html")
    assert res.exit_code == 1
    one_error_line(res.stderr, "2.html: empty, not stored")
    for bad in ("notaurl", "ftp://jb.example/a/1", "https://"):
        res = invoke("--db", tmp_path / "a.db", "ingest", pages / "1.html", "--url", bad)
        assert res.exit_code == 2
        one_error_line(res.stderr, f"--url wants a page's address like https://outlet.example/news/1, not {bad!r}")
    assert json.loads(invoke("--db", tmp_path / "a.db", "stats", "--json").stdout)["pages"] == 1
    # a file that cannot be read ends the command in one line; the pages listed before it stay stored (ingest
    # commits a batch at a time: the batch is committed, not rolled back, before the error)
    (pages / "4.html").write_text("<html><body><p>시험 기사 넷</p></body></html>", encoding="utf-8")
    res = invoke("--db", tmp_path / "b.db", "ingest", pages / "1.html", pages / "4.html", pages / "5.html")
    assert res.exit_code == 1 and "4.html →" in res.stdout
    one_error_line(res.stderr, "5.html: No such file or directory")
    assert json.loads(invoke("--db", tmp_path / "b.db", "stats", "--json").stdout)["pages"] == 2


@pytest.mark.parametrize("command", [["stats"], ["search", "전주"], ["run", "--no-crawl", "--no-translate"]])
def test_a_named_config_or_sources_file_that_is_missing_is_an_error_for_every_command(demo_db, tmp_path, command):
    for flag, why in (("--config", "config file not found"), ("--sources", "cannot read sources file: not found")):
        res = invoke("--db", demo_db, flag, tmp_path / "missing.toml", *command)
        assert res.exit_code == 1
        one_error_line(res.stderr, f"{tmp_path / 'missing.toml'}: {why}")


def test_every_user_error_class_is_a_user_error():
    from db.archive import ArchiveError
    from db.export import ExportError
    from db.search import QueryError
    from nlp.analyse import UserDictError
    from pipeline.lock import LockHeld
    from pipeline.serve import ServeError
    from scrapers.errors import UserError
    from scrapers.sources import ConfigError
    from translate.backends import TranslatorSetupError
    for cls in (ArchiveError, ExportError, QueryError, UserDictError, LockHeld, ServeError, ConfigError,
                TranslatorSetupError):
        assert issubclass(cls, UserError), cls


@pytest.mark.parametrize("command", [["run", "--no-crawl", "--no-translate"], ["ingest", "PAGE"]])
def test_the_lock_held_is_one_line(tmp_path, command):
    """One writer an archive: a run, or an ingest (which wrote beside a run's batches, and one of the two
    failed with 'database is locked'), is told another holds it, and writes nothing."""
    from pipeline.lock import RunLock
    db = tmp_path / "a.db"
    page = tmp_path / "p.html"                     # a page written for this test
    page.write_text("<html><body><p>가나시는 새 도서관이 문을 열었다고 밝혔다.</p></body></html>", encoding="utf-8")
    with RunLock(db):
        res = invoke("--db", db, *[str(page) if a == "PAGE" else a for a in command])
    assert res.exit_code == 75                     # sysexits' EX_TEMPFAIL: cron tells it from a broken config (1)
    one_error_line(res.stderr, "another newspipe run")
    assert not db.exists()                         # not even created


DEMO_AGAIN = ("the demo stopped part-way; 'newspipe demo' (make demo) starts it again from the beginning, making "
              "{db} afresh")      # it said 'what was committed stays; run it again to go on': the demo starts over


@pytest.mark.parametrize("sig,code,line,outcome", [
    (signal.SIGINT, 130, "interrupted: " + DEMO_AGAIN, "interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped (SIGTERM): " + DEMO_AGAIN, "stopped by SIGTERM")])
def test_ctrl_c_or_sigterm_is_one_line_and_the_next_run_goes_on(tmp_path, sig, code, line, outcome):
    """SIGINT in the middle of a run (the demo's, offline): one line and 128 + 2, as a shell reports a
    Ctrl-C (click alone printed 'Aborted!' and exit 1, the code of a run that could not start); the run is
    recorded as interrupted and the next one completes. SIGTERM (systemd, `timeout`) the same, with 128 + 15:
    it ended the process with no word and left the run 'running' (found in a new user's trial)."""
    db = tmp_path / "demo.db"
    # as from a terminal, where Ctrl-C is heard (a runner started with '&' passes SIGINT on ignored)
    proc = subprocess.Popen([*NEWSPIPE, "demo", "--db", str(db), "--translator", "none"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout.readline().startswith("demo site:")        # inside the command, past the imports
        seen = [proc.stderr.readline()]                                # the run has begun: its first stage
        while seen[-1] and "to do" not in seen[-1]:
            seen.append(proc.stderr.readline())
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        err = "".join(seen) + err
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert err.splitlines()[-1] == f"newspipe: error: {line.format(db=db)}", err
    assert "Traceback" not in err and "Aborted!" not in err
    assert "never awaited" not in err and "RuntimeWarning" not in err     # asyncio's tasks stopped cleanly
    last = json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]
    assert last["exit_code"] == code and last["status"] == "interrupted" and last["outcome"].startswith(outcome)
    assert f"last run {last['id']}: interrupted, exit code {code}: {outcome}" in invoke("--db", db, "stats").stdout
    res = invoke("demo", "--db", db, "--translator", "none")
    assert res.exit_code == 0, res.stderr
    base = re.search(r"^demo site: (\S+)", res.stdout, re.M).group(1)    # its articles' links: told they are dead
    assert f"(the demo site {base} has stopped: the articles' original links lead nowhere now)" in res.stdout


# ------------------------------------------------------------------------------ (14) serve
def _serving(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([*NEWSPIPE, "--db", str(db), "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("serve did not start: " + proc.communicate()[1])


def _children(pid: int) -> list[str]:
    out: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += (task / "children").read_text().split()
    return out


def _serving_the(db: Path) -> list[int]:
    """Processes whose command line names ``db``: a server left behind would be one."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(db).encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL],
                         ids=lambda s: s.name)
def test_serve_stops_with_its_process(demo_db, sig):
    port = free_port()
    proc = _serving(demo_db, port)
    try:
        assert _children(proc.pid) == []            # Datasette runs inside newspipe, not as a child
        proc.send_signal(sig)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
    assert _serving_the(demo_db) == []
    assert "Traceback" not in proc.stderr.read()


def test_serve_on_a_port_in_use_is_one_line(demo_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = invoke("--db", demo_db, "serve", "--port", port)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"port {port} on 127.0.0.1 is already in use")


# ------------------------------------------------------------------------ another user's archive
def _as_another_user() -> list[str]:
    """The command prefix that runs a reader without the right to write in the archive's folder: as root,
    setpriv without the capabilities that override file modes; otherwise the folder's mode is enough."""
    if os.geteuid() != 0:
        return []
    import shutil
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot read as another user")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]


def test_an_archive_in_a_folder_the_reader_cannot_write_is_read_as_it_stands(demo_db, tmp_path):
    """A reporter searching the archive the nightly job writes (another user's, folder 755): every read
    command stopped with 'attempt to write a readonly database', since SQLite could not make the -shm file a
    WAL-mode read goes through (found in a new user's trial). With no run writing, they read a snapshot."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    db = folder / "demo.db"
    db.write_bytes(Path(demo_db).read_bytes())
    before = sha(db)
    folder.chmod(0o555)
    try:
        prefix = _as_another_user()
        for command, needle in ((["search", "전주"], "전주"), (["show", "1"], "1"), (["stats"], "articles"),
                                (["export", "--format", "jsonl", "--level", "article", "-o", "-"], '"ko"')):
            res = subprocess.run([*prefix, *NEWSPIPE, "--db", str(db), *command], capture_output=True, text=True,
                                 cwd=ROOT, timeout=120)
            assert res.returncode == 0 and needle in res.stdout, (command, res.stderr)
        port, page = free_port(), None
        proc = subprocess.Popen([*prefix, *NEWSPIPE, "--db", str(db), "serve", "--port", str(port)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(150):
                try:
                    page = httpx.get(f"http://127.0.0.1:{port}/-/search", params={"q": "전주"}, timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            assert page is not None and page.status_code == 200 and "전주" in page.text
        finally:
            proc.terminate()
            err = proc.communicate(timeout=30)[1]
        assert "serving the archive as it stands now" in err
        assert sorted(os.listdir(folder)) == ["demo.db"] and sha(db) == before
    finally:
        folder.chmod(0o755)


def _crashed_writer(db: Path) -> None:
    """A writer that commits a row in WAL mode and dies before closing: its -wal and -shm stay."""
    code = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL'); "
            "c.execute('CREATE TABLE IF NOT EXISTS later(x)'); c.execute('INSERT INTO later VALUES (1)'); "
            "c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=60)


def test_another_users_archive_with_a_log_left_beside_it(demo_db, tmp_path):
    """Found in review: with a -wal beside the archive and no -shm (a run killed, its -shm cleaned away), a
    reader who cannot write in the folder was told 'unable to open database file; give --db a new file or a
    newspipe archive' -- even when the -wal was empty, so that the archive as it stands is all there is. An
    empty one is read as a snapshot; one that holds writes is named, with what to do."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    db = folder / "demo.db"
    db.write_bytes(Path(demo_db).read_bytes())
    (folder / "demo.db-wal").write_bytes(b"")
    prefix = _as_another_user()
    folder.chmod(0o555)
    try:
        res = subprocess.run([*prefix, *NEWSPIPE, "--db", str(db), "stats"], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
        assert res.returncode == 0 and "articles" in res.stdout, res.stderr
        folder.chmod(0o755)
        _crashed_writer(db)
        (folder / "demo.db-shm").unlink()
        folder.chmod(0o555)
        for command in (["stats"], ["search", "전주"], ["serve", "--port", str(free_port())]):
            res = subprocess.run([*prefix, *NEWSPIPE, "--db", str(db), *command], capture_output=True, text=True,
                                 cwd=ROOT, timeout=120)
            assert res.returncode == 1 and res.stdout == ""
            line = one_error_line(res.stderr, "a run left its last writes in demo.db-wal")
            assert "copy both files to a folder you can write" in line and "give --db" not in line
    finally:
        folder.chmod(0o755)


def test_a_snapshot_stops_its_queries_once_a_run_writes_the_file(tmp_path):
    """Found in review: SQLite reads an immutable snapshot without locks and keeps what it read, so once a
    run wrote into the file a held snapshot counted 7,141 rows where there were 8,334, then said 'database disk
    image is malformed'. The snapshot's queries now stop once its file changed, with one line to say why."""
    import sqlite3
    from db.connection import _ro_uri, guard_snapshot, snapshot_changed
    db = tmp_path / "a.db"
    w = sqlite3.connect(db)
    w.execute("PRAGMA journal_mode=WAL")
    w.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, x TEXT)")
    w.executemany("INSERT INTO t(x) VALUES (?)", [("가" * 200,)] * 5000)
    w.commit()
    w.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # all in the file, as a run leaves it
    bare, guarded = (sqlite3.connect(_ro_uri(db, snapshot=True), uri=True) for _ in range(2))
    guard_snapshot(guarded, db)
    for conn in (bare, guarded):
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (5000,)
    assert snapshot_changed() is None
    w.execute("DELETE FROM t WHERE id % 3 = 0")
    w.executemany("INSERT INTO t(x) VALUES (?)", [("나" * 300,)] * 5000)
    w.commit()
    w.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    w.execute("VACUUM")
    truth = w.execute("SELECT count(*) FROM t").fetchone()
    try:
        wrong = bare.execute("SELECT count(*) FROM t").fetchone()
    except sqlite3.DatabaseError:
        wrong = None
    assert wrong != truth                          # what an unguarded snapshot answers
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        guarded.execute("SELECT count(*) FROM t").fetchone()
    assert "changed while it was read" in str(snapshot_changed())
    for conn in (w, bare, guarded):
        conn.close()


@pytest.mark.parametrize("command", [["search", "전주"], ["show", "1"], ["stats"], ["trends", "전주", "새만금"],
                                     ["export", "--format", "jsonl", "--level", "article", "-o", "-"]])
def test_a_command_reading_a_snapshot_that_changes_says_so_in_one_line(demo_db, monkeypatch, command):
    """A snapshot (this user cannot write in the archive's folder: its open that needs to write fails here)
    whose file a run writes while a command reads it: one line saying to run it again, not a traceback, nor
    'cannot run the query' for search and trends."""
    import db.connection as connection
    real_uri, real_signature = connection._ro_uri, connection.signature
    monkeypatch.setattr(connection, "_ro_uri", lambda path, snapshot=False: real_uri(path, snapshot) if snapshot
                        else "file:/nonexistent-folder/x.db?mode=ro")
    real_init = connection.Connection.__init__
    for when in ("opening", "reading"):
        opened = []

        def init(self, *a, **kw):
            real_init(self, *a, **kw)
            opened.append(self)

        def signature(path):             # the file as it was when opened, then as a run left it
            return (0, 0, 0) if opened or when == "opening" and path in connection._SNAPSHOTS else \
                real_signature(path)
        monkeypatch.setattr(connection.Connection, "__init__", init)
        monkeypatch.setattr(connection, "signature", signature)
        monkeypatch.setattr(connection, "_SNAPSHOTS", {})
        res = invoke("--db", demo_db, *command)
        assert res.exit_code == 1 and bool(opened) == (when == "reading"), res.stdout + res.stderr
        one_error_line(res.stderr, "changed while it was read (a run is writing it")


def _page_answers(port: int, tries: int = 300) -> bool:
    for _ in range(tries):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/-/search", params={"q": "전주"}, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def _wait_for(path: Path, needle: str, count: int = 1, tries: int = 300) -> str:
    for _ in range(tries):
        text = path.read_text()
        if text.count(needle) >= count:
            return text
        time.sleep(0.1)
    raise AssertionError(f"no {needle!r} in: {path.read_text()}")


def test_serve_reads_another_users_archive_anew_when_a_run_writes_it(demo_db, tmp_path):
    """Found in review: serve, reading another user's archive through a running run's -shm, failed every page
    with 'attempt to write a readonly database' once the run ended before a page was read (its -shm went with
    it; a connection serve holds keeps it there); and a snapshot it
    served said a restart would show a run's writes, while its pages went wrong meanwhile (SQLite reads a
    snapshot without locks). serve now starts again, reading the archive as it then stands, when either
    happens: the run's end, or a run writing the snapshot's file."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    db = folder / "demo.db"
    db.write_bytes(Path(demo_db).read_bytes())
    hold = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL'); "
            "c.execute('CREATE TABLE running(x)'); c.commit(); sys.stdin.read(); c.close()")
    run = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdin=subprocess.PIPE)   # a run, writing
    for _ in range(100):
        if (folder / "demo.db-shm").exists():
            break
        time.sleep(0.1)
    folder.chmod(0o555)
    port, log = free_port(), tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([*_as_another_user(), *NEWSPIPE, "--db", str(db), "serve", "--port", str(port)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait_for(log, "(Ctrl-C stops it)")              # (a page read now would hold the -shm: it would stay)
        run.communicate(b"", timeout=30)                 # the run ends: its -shm goes with it
        _wait_for(log, "(a run writing it ended): serving it again as it stands")
        _wait_for(log, "serving the archive as it stands now")
        assert _page_answers(port), log.read_text()
        _crashed_writer(db)                              # (as root: the folder's owner may write)
        fold = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT * FROM later'); c.close()"
        subprocess.run([sys.executable, "-c", fold, str(db)], check=True, timeout=60)   # folds the log into the file
        _wait_for(log, "(a run began writing it): serving it again as it stands")
        _wait_for(log, "serving the archive as it stands now", 2)
        assert _page_answers(port) and proc.poll() is None, log.read_text()
        assert "Traceback" not in log.read_text() and "readonly database" not in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        run.kill()
        folder.chmod(0o755)


def test_export_options_fail_before_a_byte_is_written_and_moses_wants_a_prefix(demo_db, tmp_path):
    """Found in a new user's trial: a refused option combination wrote 246 bytes of TMX to stdout before its
    error line, and moses given a directory wrote the hidden files DIR/.ko and DIR/.en."""
    res = invoke("--db", demo_db, "export", "--format", "tmx", "--level", "paragraph", "--provenance",
                 "publisher", "-o", "-")
    assert res.exit_code == 2 and res.stdout == ""             # options that contradict: 2
    one_error_line(res.stderr, "")
    for target in (tmp_path, f"{tmp_path}{os.sep}"):
        res = invoke("--db", demo_db, "export", "--format", "moses", "-o", target)
        assert res.exit_code == 1
        one_error_line(res.stderr, "is a directory, give a prefix such as")
        assert os.listdir(tmp_path) == []
    res = invoke("--db", demo_db, "export", "--format", "moses", "--level", "article", "-o", tmp_path / "pairs")
    assert res.exit_code == 0 and sorted(os.listdir(tmp_path)) == ["pairs.en", "pairs.ko"]


def test_a_file_is_read_as_what_it_is_and_ingesting_it_the_other_way_is_a_change(tmp_path):
    """Found in a new user's trial: page text given without --format text was read as HTML (one paragraph of
    breadcrumb, headline, byline and all) and stored so; ingesting it again with --format text then said
    '0 new or changed pages' and the junk stayed. Now a .txt is page text, a .html a saved page, another name
    is read by its tags; and the same bytes read the other way are cleaned again."""
    text = ("홈 > 사회 > 지역\n가나시, 새 도서관 문 열어\n홍길동 기자 | 입력 2026.11.27 09:00\n"
            "가나시는 27일 시청 옆에 새 도서관이 문을 열었다고 밝혔다. 도서관에는 책 10만 권이 있다.\n"
            "시는 주말에도 도서관을 열 계획이라고 덧붙였다.\n저작권자 © 가나일보 무단전재 및 재배포 금지\n")   # ours
    for name in ("page.txt", "page.dat"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        as_text = json.loads(invoke("clean", "--format", "text", "--json", tmp_path / name).stdout)
        auto = json.loads(invoke("clean", "--json", tmp_path / name).stdout)
        assert auto == as_text and auto["title"] == "가나시, 새 도서관 문 열어" and len(auto["body"]) == 2
    (tmp_path / "page.dat").write_bytes((DEMO / "ndsoft-1001.html").read_bytes())
    assert json.loads(invoke("clean", "--json", tmp_path / "page.dat").stdout) == \
        json.loads(invoke("clean", "--json", "--format", "html", tmp_path / "page.dat").stdout)
    db, page = tmp_path / "a.db", tmp_path / "page.txt"
    res = invoke("--db", db, "ingest", "--format", "html", page, "--url", "https://ga.example/1")
    assert res.exit_code == 0 and "1 new or changed pages" in res.stdout
    res = invoke("--db", db, "ingest", page, "--url", "https://ga.example/1")
    assert res.exit_code == 0 and "1 new or changed pages" in res.stdout
    res = invoke("--db", db, "ingest", page, "--url", "https://ga.example/1")
    assert res.exit_code == 0 and "0 new or changed pages" in res.stdout


def test_the_csv_export_reads_back_exactly_in_a_spreadsheet_reader(demo_db, tmp_path):
    """Found in a new user's trial: a TSV cell starting with a quote ('"청년이 … 만들겠습니다.') made a
    spreadsheet's reader (and Python's csv with a tab) swallow the rows after it. The csv format quotes
    cells as RFC 4180 says and starts with a BOM: read back, every pair is the JSONL export's, byte for byte."""
    import csv
    from db.export import csv_unescape
    tricky = 0
    for level in ("sentence", "article"):
        jl, cs = tmp_path / f"{level}.jsonl", tmp_path / f"{level}.csv"
        assert invoke("--db", demo_db, "export", "--format", "jsonl", "--level", level, "-o", jl).exit_code == 0
        assert invoke("--db", demo_db, "export", "--format", "csv", "--level", level, "-o", cs).exit_code == 0
        want = [(d["id"], d["translation"]["ko"], d["translation"]["en"], d["url"], d["source"],
                 d["published_at"], d["provenance"] or "", d["backend"] or "")
                for d in map(json.loads, jl.read_text("utf-8").splitlines())]
        assert cs.read_bytes().startswith("\ufeffid,ko,en".encode())
        with open(cs, encoding="utf-8-sig", newline="") as fh:
            got = [tuple(map(csv_unescape, r)) for r in csv.reader(fh)]   # (a formula-like cell's mark)
        assert got[0] == ("id", "ko", "en", "url", "source", "published_at", "provenance", "backend")
        assert got[1:] == want
        tricky += sum(ko.startswith('"') or "\n" in ko or "," in ko for _, ko, *_ in want)
    assert tricky                                  # cells a spreadsheet reads wrong unless they are quoted


def test_ingest_lists_a_file_only_once_its_page_is_committed(tmp_path, monkeypatch):
    """Found in review: ingest printed 'file → url' before its batch committed, so Ctrl-C after 60 listed
    files left none of them stored. Interrupted at its third file, it lists none (their batch is rolled back)."""
    from db.pages import Pages
    saved = tmp_path / "saved"
    saved.mkdir()
    for n in range(1, 6):                        # pages written for this test
        (saved / f"{n}.html").write_text(f"<html><body><p>가나시 {n}번 소식이다. 새 도서관이 문을 열었다.</p></body></html>",
                                         encoding="utf-8")
    real, calls = Pages.store_page, []

    def store_page(self, page, *a, **kw):
        calls.append(page.url)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, page, *a, **kw)
    monkeypatch.setattr(Pages, "store_page", store_page)
    res = invoke("--db", tmp_path / "a.db", "ingest", saved)
    assert res.exit_code == 130 and "→" not in res.stdout
    monkeypatch.setattr(Pages, "store_page", real)
    assert json.loads(invoke("--db", tmp_path / "a.db", "stats", "--json").stdout)["pages"] == 0


def test_a_missing_choice_is_one_line_without_click_layout(demo_db):
    """click 8.2 lays the choices of a missing option out as '\\n\\tjsonl,\\n\\ttsv': they came out as tabs."""
    res = invoke("--db", demo_db, "export", "-o", "-")
    assert res.exit_code == 2
    line = one_error_line(res.stderr, "Missing option '--format'. Choose from: jsonl, tsv, csv, tmx, moses (see")
    assert "\t" not in line and "  " not in line


def test_a_query_typed_without_quotes_is_the_same_query(demo_db):
    """README's `전주 NOT 군산`, typed as written, was 'Got unexpected extra arguments (NOT 군산)', exit 2."""
    quoted = invoke("--db", demo_db, "search", "전주 NOT 군산", "--json")
    assert quoted.exit_code == 0 and quoted.stdout
    assert invoke("--db", demo_db, "search", "전주", "NOT", "군산", "--json").stdout == quoted.stdout
    assert invoke("--db", demo_db, "search", "전주", "--json").stdout != quoted.stdout or "군산" not in quoted.stdout
    res = invoke("--db", demo_db, "search")
    assert res.exit_code == 2
    one_error_line(res.stderr, "Missing argument 'QUERY...'")


@pytest.mark.parametrize("a,b", [("전주", "한옥마을"), ("전주", "군산"), ("전북", "주차장"), ("시장", "전주시청")])
def test_not_takes_away_exactly_the_hits_of_its_right_side(demo_db, a, b):
    """한옥마을 is two terms (한옥, 마을): '전주 NOT 한옥마을' became FTS5's 전주 NOT 한옥 AND 마을, and NOT binds
    tighter than AND, so every hit had to hold 마을: no matches at all (found by a new user's query)."""
    def ids(query):
        res = invoke("--db", demo_db, "search", query, "--all-copies", "--limit", "1000", "--json")
        assert res.exit_code == 0, res.stderr
        return {json.loads(line)["id"] for line in res.stdout.splitlines()}
    assert ids(f"{a} NOT {b}") == ids(a) - ids(b)
    assert ids(f"{a} OR {b}") == ids(a) | ids(b)
    assert ids(f"{a} {b}") == ids(a) & ids(b)


def test_stats_of_a_run_killed_without_a_word_says_it_has_ended(tmp_path):
    """kill -9 leaves the run's row 'running' until the next run: stats said 'running (… → ?)' while nothing
    ran (found in a new user's trial). A process that is gone is named as such."""
    db = tmp_path / "a.db"
    arch = Archive(db)
    dead = subprocess.Popen(["true"])
    dead.wait()                                   # a pid that has ended (and been reaped)
    run_id = arch.start_run({"limit": None})
    arch.db.execute("UPDATE runs SET pid=? WHERE id=?", [dead.pid, run_id])
    arch.db.commit()
    arch.close()
    out = invoke("--db", db, "stats").stdout
    assert (f"last run {run_id}: interrupted: its process {dead.pid} has ended without a word (killed?); the next "
            "run goes on") in out
    arch = Archive(db)
    arch.db.execute("UPDATE runs SET pid=? WHERE id=?", [os.getpid(), run_id])      # a live one: as recorded
    arch.db.commit()
    arch.close()
    assert f"last run {run_id}: running (" in invoke("--db", db, "stats").stdout


def test_stats_asks_the_archives_lock_whether_a_run_is_live_not_a_pid_of_this_machine(tmp_path, monkeypatch):
    """A 'running' row's pid only means something on the host that ran it, and only until the pid is reused:
    an archive shared between hosts (or after a reboot) was called running or interrupted by a stranger's
    pid. The lock file says it for any host: held, the run is live whatever its pid; free, it has ended."""
    db = tmp_path / "a.db"
    arch = Archive(db)
    run_id = arch.start_run({"limit": None})            # its pid is ours: alive here, but no run holds the lock
    arch.close()
    RunLock(db).acquire().release()                     # a run held the lock once: the file is there, free now
    out = invoke("--db", db, "stats").stdout
    assert (f"last run {run_id}: interrupted: its process {os.getpid()} no longer holds the archive's lock "
            "(killed?); the next run goes on") in out
    assert json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]["status"] == "interrupted"

    dead = subprocess.Popen(["true"])
    dead.wait()                                         # a pid that means nothing here, as another host's does
    hold = ("import os, sys, time; from pipeline.lock import RunLock; lock = RunLock(sys.argv[1]).acquire(); "
            "os.ftruncate(lock.fd, 0); os.pwrite(lock.fd, sys.argv[2].encode(), 0); print('held', flush=True); "
            "time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db), str(dead.pid)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        # Held by another command (a reindex): the run recorded 'running' has ended all the same.
        assert f"last run {run_id}: interrupted: its process {os.getpid()} no longer" in invoke("--db", db, "stats").stdout
        # Held by the run's own pid, on another host: live, though no process has that pid here. (This machine
        # lists the holder of this test; another host's is in no list here: /proc/locks as it would read.)
        (tmp_path / "locks").write_text("")
        monkeypatch.setattr("pipeline.lock.PROC_LOCKS", str(tmp_path / "locks"))
        arch = Archive(db)
        arch.db.execute("UPDATE runs SET pid=? WHERE id=?", [dead.pid, run_id])
        arch.db.commit()
        arch.close()
        assert f"last run {run_id}: running (" in invoke("--db", db, "stats").stdout
        assert json.loads(invoke("--db", db, "stats", "--json").stdout)["last_run"]["status"] == "running"
        with pytest.raises(LockHeld, match=f"pid {dead.pid}"):  # and a run is refused: stats' look took nothing
            RunLock(db).acquire()
    finally:
        holder.kill()
        holder.wait()
    RunLock(db).acquire().release()                     # stats' look never keeps the lock


def test_a_file_not_in_utf8_or_cp949_is_named_and_utf16_without_its_mark_is_read(tmp_path):
    """Found in review: page text in CP1252 was cleaned and ingested with U+FFFD for é, “ and — without a
    word; Korean page text in UTF-16LE without a byte-order mark was refused as 'binary data'. The first is
    named in one warning line (and in clean --json), with what to convert from; the second is read."""
    text = ("가나시, 새 도서관 문 열어\n홍길동 기자\n가나시는 27일 시청 옆에 새 도서관이 문을 열었다고 밝혔다. "
            "도서관에는 책 10만 권이 있다.\n시는 주말에도 도서관을 열 계획이라고 덧붙였다.\n")   # ours
    (tmp_path / "wide.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Café “Noël” in Gana — the library opens on Monday, the mayor said.\n"
                                         "It holds 100,000 books.\n".encode("cp1252"))
    wide = invoke("clean", "--json", tmp_path / "wide.txt")
    assert wide.exit_code == 0 and wide.stderr == ""
    assert json.loads(wide.stdout) == json.loads(invoke("clean", "--json", tmp_path / "page.txt").stdout)
    for args in (["clean", "--json"], ["clean"]):
        res = invoke(*args, tmp_path / "latin.txt")
        assert res.exit_code == 0
        line = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert len(line) == 1 and line[0].startswith(f"newspipe: warning: {tmp_path / 'latin.txt'}: not UTF-8 or CP949")
        assert "iconv -f cp125" in line[0]
    assert json.loads(invoke("clean", "--json", tmp_path / "latin.txt").stdout)["warning"].startswith("not UTF-8")
    res = invoke("--db", tmp_path / "a.db", "ingest", tmp_path / "wide.txt", tmp_path / "latin.txt")
    assert res.exit_code == 0 and "ingested 2 files, 2 new or changed pages; 1 not read as UTF-8 or CP949" in res.stdout
    assert res.stderr.count("not UTF-8 or CP949 text") == 1 and "latin.txt" in res.stderr


def test_auto_reads_a_file_by_its_start_as_well_as_its_name(tmp_path):
    """Found in review: --format auto went by the name alone for .txt and .html, so a page's source saved as
    .txt was cleaned as page text (its headline '<title>… - 전북데모일보</title>') and page text saved as .html
    came out as one paragraph of everything. A broadcast script's '<앵커>' at the start of page text is no HTML
    tag; a page saved as UTF-16 has its tags all the same; a symlink is read as what it points to."""
    page = (DEMO / "ndsoft-1001.html").read_bytes()
    text = ("가나시, 새 도서관 문 열어\n홍길동 기자\n가나시는 27일 시청 옆에 새 도서관이 문을 열었다고 밝혔다. "
            "도서관에는 책 10만 권이 있다.\n시는 주말에도 도서관을 열 계획이라고 덧붙였다.\n")          # ours
    saved = tmp_path / "saved"
    saved.mkdir()
    cases = {"source.TXT": (page, "html"), "source.txt": (page, "html"), "text.Html": (text.encode(), "text"),
             "anchor.txt": (("<앵커>\n" + text).encode(), "text"), "wide.html": (page.decode().encode("utf-16"), "html"),
             "plain.txt": (text.encode(), "text")}
    for name, (data, kind) in cases.items():
        (saved / name).write_bytes(data)
        auto = invoke("clean", "--json", saved / name)
        assert auto.exit_code == 0, (name, auto.stderr)
        assert json.loads(auto.stdout) == json.loads(invoke("clean", "--json", "--format", kind, saved / name).stdout), name
    assert json.loads(invoke("clean", "--json", saved / "source.txt").stdout)["title"].startswith("새만금 수변도시")
    (tmp_path / "link.html").symlink_to(saved / "source.txt")
    (saved / "broken.html").symlink_to(tmp_path / "nothing.html")
    res = invoke("--db", tmp_path / "a.db", "ingest", saved)   # its .html files (broken.html points nowhere)
    assert res.exit_code == 0 and "ingested 2 files, 2 new or changed pages" in res.stdout, res.stdout + res.stderr
    assert invoke("clean", "--json", tmp_path / "link.html").stdout == invoke("clean", "--json", saved / "source.txt").stdout
    canon = tmp_path / "canon.htm"                  # a page saved as UTF-16 keeps its own address
    canon.write_bytes(('<html><head><link rel="canonical" href="https://ga.example/news/7"></head><body><p>'
                       + text + "</p></body></html>").encode("utf-16"))
    res = invoke("--db", tmp_path / "c.db", "ingest", canon)
    assert res.exit_code == 0 and f"{canon} → https://ga.example/news/7" in res.stdout, res.stdout + res.stderr


def test_run_source_refuses_a_disabled_source_with_its_note(tmp_path):
    """`run --source off` collected a source the file marks enabled = false ('asked not to be collected'),
    without a word (found in a new user's trial)."""
    srcs = tmp_path / "sources.toml"
    srcs.write_text('[[sources]]\nid = "off"\nname = "Off"\noutlet = "Off"\nlist_urls = ["http://127.0.0.1:9/l"]\n'
                    'enabled = false\nnote = "asked not to be collected"\n', encoding="utf-8")
    res = invoke("--db", tmp_path / "a.db", "--sources", srcs, "run", "--source", "off", "--no-translate")
    assert res.exit_code == 1
    one_error_line(res.stderr, "source 'off' is disabled in the sources file: asked not to be collected; set "
                               "enabled = true to collect it")
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("args,needle", [
    (["run", "--retranslate", "--translator", "none"], "--retranslate needs a translator"),
    (["export", "--format", "jsonl", "--provenance", "publisher", "-o", "-"], "not sentence-aligned"),
    (["export", "--format", "jsonl", "--all", "-o", "-"], "--all works with --level article only")])
def test_options_that_contradict_each_other_exit_2(demo_db, args, needle):
    """README: a mistake on the command line exits 2; these three exited 1 (found in a new user's trial)."""
    res = invoke("--db", demo_db, *args)
    assert res.exit_code == 2
    one_error_line(res.stderr, needle)


def test_an_export_the_options_empty_says_so_not_translate_first(demo_db):
    """On an archive with English, `export --min-chars 100000` said 'newspipe run translates when a translator
    answers' (found in a new user's trial): the options kept nothing, and the note says that."""
    res = invoke("--db", demo_db, "export", "--format", "jsonl", "--level", "article", "--min-chars", "100000",
                 "-o", "-")
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr.strip() == ("note: no article pair matched the options given (dates, source, region, --min-chars, --author, "
                                  "--provenance, --backend)")


@pytest.mark.parametrize("number", ["1만2천여", "2만5천여", "3곳", "320억", "120개"])
def test_a_number_finds_the_articles_that_print_it(demo_db, number):
    """1만2천여 was the terms 1, 만, 2, 천 anywhere in an article (each a prefix: 1 matched 10 and 100): a
    corrected article still matched its old figure (found in a new user's trial). A number's terms are now
    matched in their order; the hits are exactly the articles whose text prints it."""
    res = invoke("--db", demo_db, "search", number, "--all-copies", "--limit", "1000", "--json")
    assert res.exit_code == 0, res.stderr
    hits = {json.loads(line)["id"] for line in res.stdout.splitlines()}
    arch = Archive(demo_db)
    printed = {i for i, t, b in arch.db.execute("SELECT id, title_ko, body_ko FROM articles WHERE clean_status='done'")
               if number.rstrip("여") in f"{t}\n{b}"}
    arch.close()
    assert printed and hits == printed


def test_ingest_url_is_stored_as_a_crawl_stores_it(tmp_path):
    """`ingest --url '…?idxno=77&utm_source=x'` made a second article of the page a run stores as '…?idxno=77'
    (found in a new user's trial): the address is canonical, as a crawled one is."""
    page = tmp_path / "p.html"                         # written for this test
    page.write_text("<html><head><title>가나시 도서관 개관</title></head><body><article><h1>가나시 도서관 개관</h1>"
                    + "".join(f"<p>가나시는 {n}일 새 도서관이 문을 열었다고 밝혔다.</p>" for n in range(1, 9))
                    + "</article></body></html>", encoding="utf-8")
    base = "https://ga.example/news/articleView.html?idxno=77"
    for url in (base + "&utm_source=x", base, "https://GA.example:443/news/articleView.html?idxno=77#top"):
        res = invoke("--db", tmp_path / "a.db", "ingest", page, "--url", url)
        assert res.exit_code == 0, res.stderr
    assert stored(tmp_path / "a.db", "SELECT DISTINCT url FROM pages") == [(base,)]
    assert stored(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(1,)]


def test_sigterm_stops_a_run_whose_sigint_is_ignored(tmp_path):
    """A job a script starts with '&' has SIGINT ignored: SIGTERM, passed on as SIGINT so that asyncio stops
    cleanly, would then do nothing and the run would go on to its end (found reading back). It stops all the
    same, exit 143."""
    db = tmp_path / "demo.db"
    proc = subprocess.Popen([*NEWSPIPE, "demo", "--db", str(db), "--translator", "none"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert proc.stdout.readline().startswith("demo site:")
        seen = [proc.stderr.readline()]
        while seen[-1] and "to do" not in seen[-1]:
            seen.append(proc.stderr.readline())
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert err.splitlines()[-1] == "newspipe: error: stopped (SIGTERM): " + DEMO_AGAIN.format(db=db)


def test_a_db_in_a_folder_that_does_not_exist_is_a_mistake_not_a_new_archive(tmp_path, monkeypatch):
    """Found in a new user's trial: `newspipe --db /srv/nwes/a.db run` (a typo) made the folders and a new,
    empty archive, and exited 0 -- every night. Only the default archive's folder is made."""
    typo = tmp_path / "nwes" / "a.db"
    for glob, env in (((f"--db={typo}",), {}), ((), {"NEWSPIPE_DB": str(typo)})):
        for command in [["run", "--no-crawl", "--no-translate"], ["stats"], ["ingest", "x.html"]] + (
                [["demo"]] if glob else []):          # the demo reads no $NEWSPIPE_DB (README)
            res = invoke(*glob, *command, env=env)
            assert res.exit_code == 1, (command, res.stdout)
            flag = "--db" if glob else "$NEWSPIPE_DB"
            if command == ["stats"]:              # a command that only reads: no advice to create a folder
                one_error_line(res.stderr, f"no archive at {typo} (there is no folder {typo.parent})")
                continue
            one_error_line(res.stderr, f"{flag} {typo}: there is no folder {typo.parent}; create it first")
    res = invoke("demo", f"--db={typo}")
    assert res.exit_code == 1
    one_error_line(res.stderr, f"--db {typo}: there is no folder {typo.parent}; create it first")
    assert not typo.parent.exists()
    monkeypatch.chdir(tmp_path)                       # the default, data/newspipe.db, has its folder made
    res = invoke("run", "--no-crawl", "--no-translate", env={"NEWSPIPE_DB": ""})
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "data" / "newspipe.db").is_file()


@pytest.mark.parametrize("option", ["-v", "--db=x.db", "--config=x.toml"])
@pytest.mark.parametrize("command", [["stats"], ["sources", "list"]])
def test_a_global_option_after_the_command_says_where_it_goes(option, command):
    res = invoke(*command, option)
    assert res.exit_code == 2
    name = option.split("=")[0]
    value = "" if name == "-v" else " …"                  # -v takes none
    one_error_line(res.stderr, f"No such option '{name}'. ({name} is newspipe's own option: it goes before the "
                               f"command, 'newspipe {name}{value} {' '.join(command)} …')")


def test_version_after_a_command_says_it_stands_alone():
    """The review: `newspipe search --version` was offered --json, --region or --since."""
    res = invoke("search", "--version")
    assert res.exit_code == 2
    one_error_line(res.stderr, "No such option '--version'. (--version is newspipe's own option: 'newspipe --version')")


def test_a_global_option_like_a_commands_own_gets_both_hints():
    """`run --sources x.toml` got click's suggestion alone ('--since', '--source'): an operations engineer's trial
    found it misleading (the file is the top level's --sources). Both are said now, the top level's first."""
    res = invoke("run", "--sources", "x.toml")
    assert res.exit_code == 2
    one_error_line(res.stderr, "No such option '--sources'. (--sources is newspipe's own option: it goes before the "
                               "command, 'newspipe --sources … run …'; or this command's --source)")


def test_stats_unread_counts_only_the_pages_a_sources_latest_discovery_asked(tmp_path):
    """A listing's page 2 that timed out once and was never needed again (runs stop at the first page with
    nothing new), or a feed taken out of sources.toml, kept its old failure: stats flagged the source forever
    (found in review). Only the pages asked in the source's latest discovery count."""
    db = tmp_path / "a.db"
    Archive(db).close()
    con = sqlite3.connect(db)
    rows = [("https://jb.example/list?page=1", "jb", "2026-11-20T03:00:00+09:00", None, "2026-11-20T03:00:00+09:00"),
            ("https://jb.example/list?page=2", "jb", "2026-11-01T03:00:00+09:00", "timed out", None),
            ("https://gn.example/rss", "gn", "2026-11-20T03:00:00+09:00", "host unreachable", "2026-11-02T03:00:00+09:00"),
            ("https://gn.example/list", "gn", "2026-11-20T02:59:00+09:00", None, "2026-11-20T02:59:00+09:00")]
    con.executemany("INSERT INTO discovery_pages(url, source_id, role, checked_at, error, fetched_at) "
                    "VALUES (?, ?, 'listing', ?, ?, ?)", rows)
    con.executemany("INSERT INTO sources(id, name) VALUES (?, ?)", [("jb", "전북"), ("gn", "경남")])
    con.commit()
    con.close()
    sources = json.loads(invoke("--db", db, "stats", "--json").stdout)["sources"]
    assert sources["jb"]["unread"] is None
    assert sources["gn"]["unread"] == {"pages": 2, "failing": 1, "checked_at": "2026-11-20T03:00:00+09:00",
                                       "error": "host unreachable", "last_read": "2026-11-20T02:59:00+09:00"}


def test_stats_reads_the_run_again_when_it_ends_between_the_row_and_the_lock(tmp_path, monkeypatch):
    """Found in review: a run finishing between stats' read of its row and its look at the lock was called
    interrupted ('killed?'). A free lock makes stats read the row again."""
    import pipeline.cli.render as render
    db = tmp_path / "a.db"
    arch = Archive(db)
    run_id = arch.start_run({"limit": None})
    arch.close()
    RunLock(db).acquire().release()

    def the_run_ends_now(path):
        done = Archive(db)
        done.finish_run(run_id, "completed", {}, [], exit_code=0, outcome="completed")
        done.close()
        monkeypatch.setattr(render, "holder", lambda path: 0)
        return 0
    monkeypatch.setattr(render, "holder", the_run_ends_now)
    out = invoke("--db", db, "stats").stdout
    assert f"last run {run_id}: completed, exit code 0 (" in out, out


def test_a_symlink_to_the_archive_shares_its_lock(tmp_path):
    """Found in review: the lock was '<the --db string>.lock', so a run through a symlink and one through the
    real path each had a lock of their own, and wrote the archive at once."""
    real = tmp_path / "a.db"
    Archive(real).close()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with RunLock(real):
        with pytest.raises(LockHeld):
            RunLock(link).acquire()
        res = invoke("--db", link, "run", "--no-crawl", "--no-translate")
        assert res.exit_code == 75, res.stderr


def test_a_failed_feed_two_sources_share_names_both(tmp_path):
    """A feed two sources list is asked once a run; its failure was named under the first source only, so the
    second's dead feed went unnamed in the summary (found in review)."""
    base = f"http://127.0.0.1:{free_port()}"          # nothing listens there: connection refused
    src = tmp_path / "sources.toml"
    src.write_text("".join(f'[[sources]]\nid = "{sid}"\nname = "시험 {sid}"\noutlet = "시험"\nregion = "전북"\n'
                           f'feeds = ["{base}/rss.xml"]\narticle_pattern = "/a/\\\\d+$"\n\n' for sid in ("one", "two")),
                   encoding="utf-8")
    res = invoke("--db", tmp_path / "a.db", "--sources", src, "--config", _config_file(tmp_path), "run",
                 "--no-progress")
    assert res.exit_code == 3, res.stderr
    assert f"    source one, two: {base}/rss.xml: host unreachable" in res.stdout, res.stdout
    assert "failed 1" in res.stdout                     # still one failure: one page asked once


def test_an_unknown_source_names_the_sources_file_read(tmp_path):
    """An outlet of one's own, run once with --sources, was 'unknown source' the next time the flag was left out,
    and nothing said which sources file had been read (a new user's trial)."""
    res = invoke("--db", tmp_path / "a.db", "run", "--source", "ganailbo")
    line = one_error_line(res.stderr, "unknown source 'ganailbo' (see 'newspipe sources list'): not in the shipped "
                                      "scrapers/sources.toml (--sources PATH or $NEWSPIPE_SOURCES names")
    assert res.exit_code == 1, line
    mine = tmp_path / "mine.toml"
    mine.write_text('[[sources]]\nid = "gana"\nname = "가나일보"\noutlet = "가나일보"\n'
                    'feeds = ["http://127.0.0.1:9/rss.xml"]\n', encoding="utf-8")
    for command in (["run", "--source", "ganailbo"], ["sources", "check", "ganailbo"]):
        res = invoke("--sources", mine, "--db", tmp_path / "a.db", *command)
        assert res.exit_code == 1
        one_error_line(res.stderr, f"unknown source 'ganailbo' (see 'newspipe sources list'): not in the sources "
                                   f"file {mine}")
