"""The nightly run end to end: demo, resumption after SIGKILL, the lock."""
from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import NEWSPIPE, ROOT, newspipe, sources_toml
from pipeline.demo import EXAMPLE_PAGE, PAGES


def archive_snapshot(path) -> dict:
    """What a run stored, minus timestamps and row ids that legitimately differ between runs."""
    con = sqlite3.connect(path)
    arts = con.execute(
        "SELECT url, source_id, title_ko, subtitle_ko, body_ko, authors, published_at, content_hash, "
        "clean_status, nlp_status, translate_status, search_ko_z, keywords FROM articles ORDER BY url").fetchall()
    sents = con.execute(
        'SELECT a.url, s.idx, s.para, s.start, s."end", s.ko FROM sentences s '
        "JOIN articles a ON a.id = s.article_id ORDER BY a.url, s.idx").fetchall()
    bodies = con.execute("SELECT sha256, size FROM page_bodies ORDER BY sha256").fetchall()
    pages_ok = con.execute("SELECT url, count(*) FROM pages WHERE error IS NULL GROUP BY url "
                           "ORDER BY url").fetchall()
    con.close()
    return {"articles": arts, "sentences": sents, "bodies": bodies, "pages_ok": pages_ok}


def run_args(db, sources, *extra):
    return [*NEWSPIPE, "--db", str(db), "--sources", str(sources), "run", "--no-progress", *extra]


def test_demo_summary_matches_stats(tmp_path):
    db = tmp_path / "demo.db"
    res = newspipe("demo", "--db", db, "--translator", "libre", "--translator-url", "http://127.0.0.1:9/")
    assert res.returncode == 0, res.stderr
    m = re.search(r"run \d+: new (\d+), cleaned (\d+), analysed (\d+), translated (\d+)", res.stdout)
    p = re.search(r"pending: clean (\d+), analyse (\d+), translate (\d+)", res.stdout)
    assert m and p, res.stdout
    new, cleaned, analysed, translated = map(int, m.groups())
    stats = json.loads(newspipe("--db", db, "stats", "--json").stdout)
    # the project's example page is stored as page text beside the crawled pages where ../shared has it
    example = 1 if EXAMPLE_PAGE.is_file() else 0
    assert new == len(PAGES) and stats["articles"] == len(PAGES) + example    # every demo page, each once
    assert cleaned == stats["stages"]["clean"].get("done", 0) == len(PAGES) + example
    assert analysed == stats["stages"]["nlp"].get("done", 0) == len(PAGES) + example
    assert translated == stats["stages"]["translate"].get("done", 0) == 0
    assert int(p.group(3)) == stats["stages"]["translate"]["pending"] == len(PAGES) + example
    assert "stay pending" in res.stdout           # the unreachable translator is said, not hidden
    # The Korean text of the EUC-KR page (CP949 bytes, charset only in <meta>) came through intact.
    con = sqlite3.connect(db)
    body = con.execute("SELECT body_ko FROM articles WHERE url LIKE '%/news/read.php?no=3107'").fetchone()[0]
    assert "가장 긴 줄이 늘어선 곳은 태국 출신 결혼이주여성들이 차린 똠얌꿍 부스였다." in body and "\ufffd" not in body
    # The newswave pages' own English is kept as the publisher's translation, and the demo shows it.
    publisher = con.execute("SELECT a.url, t.title_en FROM translations t JOIN articles a ON a.id = t.article_id "
                            "WHERE t.provenance = 'publisher' ORDER BY a.url").fetchall()
    assert [u.rsplit("=", 1)[1] for u, _ in publisher if "=" in u] == ["5001", "5002"]
    if example:
        assert ("Jeonju City won the 'Korea SNS Award' for the 8th time" in {t for _, t in publisher}
                and "plus the project's example page" in res.stdout)
    assert f"publisher's English: {publisher[0][1]}" in res.stdout


@pytest.mark.parametrize("kill_when", ["fetching", "cleaned"])
def test_sigkill_mid_run_then_rerun_equals_uninterrupted(tmp_path, demo_site, kill_when):
    src = tmp_path / "sources.toml"
    src.write_text(sources_toml(demo_site.base, delay=0.15), encoding="utf-8")
    dead = ["--translator", "libre", "--translator-url", "http://127.0.0.1:9/"]

    reference = tmp_path / "reference.db"
    done = subprocess.run(run_args(reference, src, *dead), capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr

    db = tmp_path / "killed.db"
    proc = subprocess.Popen(run_args(db, src, *dead), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.time() + 120
    killed_at = None
    while time.time() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            pages = con.execute("SELECT count(*) FROM articles WHERE page_id IS NOT NULL").fetchone()[0]
            cleaned = con.execute("SELECT count(*) FROM articles WHERE clean_status='done'").fetchone()[0]
            analysed = con.execute("SELECT count(*) FROM articles WHERE nlp_status='done'").fetchone()[0]
            con.close()
        except sqlite3.Error:
            time.sleep(0.02)
            continue
        if (kill_when == "fetching" and 2 <= pages < len(PAGES)) or (
                kill_when == "cleaned" and cleaned and not analysed):
            proc.send_signal(signal.SIGKILL)
            killed_at = (pages, cleaned, analysed)
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    assert killed_at is not None, "the run ended before it could be killed mid-way"
    assert proc.returncode == -signal.SIGKILL
    partial = archive_snapshot(db)
    assert partial != archive_snapshot(reference)          # it really was interrupted

    again = subprocess.run(run_args(db, src, *dead), capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    assert archive_snapshot(db) == archive_snapshot(reference)
    con = sqlite3.connect(db)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "completed"]
    # The next run says so, once, after its own first line; stats lists the killed run with what it had done
    # (the articles' stage times tell: at least what was seen committed before the kill, at most every page).
    said = [ln.split(" WARNING ", 1)[1] for ln in again.stderr.splitlines() if "was interrupted" in ln]
    assert len(said) == 1 and said[0].startswith("run 1 was interrupted (killed?) at "), again.stderr
    assert "its work is kept and resumed" in said[0] and "run 2 started: " in again.stderr.split(said[0])[0]
    killed = json.loads(newspipe("--db", db, "stats", "--json").stdout)["earlier_runs"][0]
    assert (killed["id"], killed["status"]) == (1, "interrupted")
    assert killed_at[1] <= killed["counts"]["cleaned"] <= len(PAGES)
    assert killed_at[2] <= killed["counts"]["analysed"] <= killed["counts"]["cleaned"]
    shown = newspipe("--db", db, "stats").stdout
    assert re.search(r"^earlier run 1: interrupted: ended without a word \(killed\?\).*; cleaned \d+, analysed \d+, "
                     r"translated 0$", shown, re.M), shown
    assert "was interrupted" not in subprocess.run(run_args(db, src, *dead), capture_output=True, text=True,
                                                   cwd=ROOT, timeout=300).stderr        # said once
    # Nothing was fetched twice: each article page has exactly one successful fetch.
    assert all(n == 1 for _, n in archive_snapshot(db)["pages_ok"] if "list.html" not in _)


def test_second_run_on_same_db_is_refused_and_first_is_unharmed(tmp_path, demo_site):
    src = tmp_path / "sources.toml"
    src.write_text(sources_toml(demo_site.base, delay=0.3), encoding="utf-8")
    db = tmp_path / "a.db"
    first = subprocess.Popen(run_args(db, src, "--no-translate"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT)
    lock = db.with_name("a.db.lock")
    deadline = time.time() + 30
    while time.time() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run(run_args(db, src, "--no-translate"), capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    out, err = first.communicate(timeout=300)
    assert second.returncode == 75                      # EX_TEMPFAIL: try again later, not a broken config (1)
    lines = [ln for ln in second.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "another newspipe run" in lines[0] and "Traceback" not in second.stderr
    assert first.returncode == 0, err
    stats = json.loads(newspipe("--db", db, "stats", "--json").stdout)
    assert stats["stages"]["clean"].get("done") == len(PAGES) and stats["stages"]["nlp"].get("done") == len(PAGES)
    assert stats["last_run"]["status"] == "completed"


def test_rerun_fetches_no_article_again(tmp_path, demo_site):
    src = tmp_path / "sources.toml"
    src.write_text(sources_toml(demo_site.base, delay=0), encoding="utf-8")
    db = tmp_path / "r.db"
    assert subprocess.run(run_args(db, src, "--no-translate"), cwd=ROOT, capture_output=True).returncode == 0
    article_hits = {p: n for p, n in demo_site.hits.items() if "list" not in p and "rss" not in p
                    and "robots" not in p}
    assert article_hits and all(n == 1 for n in article_hits.values())
    assert "/private/secret.html" not in demo_site.hits          # disallowed by robots.txt
    demo_site.hits.clear()
    res = subprocess.run(run_args(db, src, "--no-translate", "--json"), cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0
    summary = json.loads(res.stdout)
    assert summary["counts"].get("new", 0) == 0
    assert not [p for p in demo_site.hits if "list" not in p and "rss" not in p and "robots" not in p]
