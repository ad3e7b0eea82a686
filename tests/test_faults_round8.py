"""Faults of export and of operations found in a new user's trial (round 8), each tried as the user did.

The archive is built by the real pipeline from the demo's real pages (tests/fixtures/corpus) with a stub
translator; 군산데모타임즈 is put in another region (전남) for --region, and one article written for these tests
has no date (as an outlet that prints none gives).
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from conftest import LibreStub
from db.archive import Archive
from pipeline.demo import DemoSite, demo_sources
from pipeline.run import Pipeline, RunOptions
from scrapers.fetch import FetchSettings
from scrapers.types import Article, FetchedPage
from test_faults_cli import invoke, one_error_line
from translate.backends import LibreBackend

UNDATED = "https://gunsan.example/news/read.php?no=1"
QUOTED = "https://newswave.example/sub_read.html?uid=9"
QUOTE_LEAD = '"전주에 새 길을 낸다"고 군수가 말했다.'          # a Korean cell that starts with '"'


@pytest.fixture(scope="module")
def db(tmp_path_factory, analyser) -> Path:
    path = tmp_path_factory.mktemp("round8") / "a.db"
    with DemoSite() as site, LibreStub() as libre:
        sources = demo_sources(site.base)
        sources[3] = dataclasses.replace(sources[3], region="전남")          # demo-gunsan
        arch = Archive(path)
        pipe = Pipeline(arch, sources, FetchSettings(delay=0), analyser=analyser,
                        backend_factory=lambda: LibreBackend(libre.url, timeout=5))
        assert pipe.run(RunOptions()).exit_code == 0
        aid = arch.store_page(FetchedPage(url=UNDATED, final_url=UNDATED, status=200, body=b"<html></html>",
                                          fetched_at="2026-11-26T00:00:00+09:00", source_id="demo-gunsan"))
        arch.store_clean(aid, Article(url=UNDATED, title="군산시 날짜 없는 기사",
                                      body=["군산시는 새 시장을 열었다.", "시장은 주말마다 열린다."]), "t")
        aid = arch.store_page(FetchedPage(url=QUOTED, final_url=QUOTED, status=200, body=b"<html></html>",
                                          fetched_at="2026-11-26T00:00:00+09:00", source_id="demo-newswave"))
        arch.store_clean(aid, Article(url=QUOTED, title="인용으로 여는 기사", published_at="2025-06-01T09:00:00+09:00",
                                      body=[QUOTE_LEAD + " 두 번째 문장은 \"따옴표\"로 끝난다\""]), "t")
        pipe.run(RunOptions(crawl=False))
        arch.close()
    return path


def exported(db, *options) -> list[dict]:
    res = invoke("--db", db, "export", "--format", "jsonl", "--level", "article", "-o", "-", *options)
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


# ------------------------------------------------------------------------ (1) --source more than once
def test_export_takes_source_more_than_once_as_search_does(db):
    """`export --source A --source B` kept only B, silently."""
    one, other = exported(db, "--source", "demo-jbdemo"), exported(db, "--source", "demo-newswave")
    both = exported(db, "--source", "demo-jbdemo", "--source", "demo-newswave")
    assert one and other
    assert sorted(p["id"] for p in both) == sorted(p["id"] for p in one + other)
    assert {p["source"] for p in both} == {"demo-jbdemo", "demo-newswave"}
    res = invoke("--db", db, "export", "--format", "jsonl", "-o", "-", "--source", "demo-jbdemo", "--source", "nope")
    assert res.exit_code == 1 and not res.stdout
    one_error_line(res.stderr, "unknown source 'nope'")


def test_export_takes_region_as_search_does(db):
    south = exported(db, "--region", "전남")
    assert south and {p["source"] for p in south} == {"demo-gunsan"}
    north = exported(db, "--region", "전북")
    assert len(north) + len(south) == len(exported(db)) and "demo-gunsan" not in {p["source"] for p in north}
    assert not exported(db, "--region", "전북", "--source", "demo-gunsan")        # both filters hold
    res = invoke("--db", db, "export", "--format", "jsonl", "-o", "-", "--region", "경남")
    assert res.exit_code == 1 and not res.stdout
    one_error_line(res.stderr, "unknown region '경남'")


def matching(output: str) -> int:
    """The matching articles the last line of `related` counts."""
    found = re.search(r"([\d,]+) matching articles?\b", output.splitlines()[-1])
    assert found, output
    return int(found.group(1).replace(",", ""))


def test_related_takes_source_more_than_once_and_region(db):
    counts = {}
    for options in (("--source", "demo-jbdemo"), ("--source", "demo-newswave"),
                    ("--source", "demo-jbdemo", "--source", "demo-newswave"), ()):
        res = invoke("--db", db, "related", "시", *options)
        assert res.exit_code == 0, res.stderr
        counts[options] = matching(res.stdout)
    assert counts[("--source", "demo-jbdemo")] and counts[("--source", "demo-newswave")]
    assert counts[("--source", "demo-jbdemo", "--source", "demo-newswave")] == (
        counts[("--source", "demo-jbdemo")] + counts[("--source", "demo-newswave")]) < counts[()]
    res = invoke("--db", db, "related", "시장", "--region", "전남")
    assert res.exit_code == 0 and matching(res.stdout) == 1, res.stdout      # the undated 군산 article only
    # one match can have no related word (two matching articles must hold it): said so, where it read
    # '(1 matching articles)' (a new user's trial)
    assert res.stdout.strip() == ("no related words (1 matching article: a word is related when at least two "
                                  "matching articles hold it)"), res.stdout
    res = invoke("--db", db, "related", "시장", "--region", "전북")
    assert res.exit_code == 0 and "(0 articles" in res.stdout, res.stdout


def test_ingest_refuses_a_second_source_instead_of_keeping_the_last(tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>전주시는 오늘 발표했다.</p></body></html>", encoding="utf-8")
    res = invoke("--db", tmp_path / "x.db", "ingest", page, "--source", "jjan", "--source", "kjdaily")
    assert res.exit_code == 2
    one_error_line(res.stderr, "--source is given 2 times (jjan, kjdaily): the pages belong to one source")
    assert not (tmp_path / "x.db").exists()


# ------------------------------------------------------------------------ (2) the wrong folder
NO_ENV = {"NEWSPIPE_DB": None, "NEWSPIPE_CONFIG": None}


def first_run_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if " INFO " in ln]
    assert lines, stderr
    return lines[0].split(" INFO ", 1)[1]


def test_a_run_names_its_archive_and_settings_and_says_when_the_archive_is_new(tmp_path, monkeypatch):
    """`newspipe run --no-crawl` in another folder made ./data/newspipe.db and logged only 'run 1 started: no
    crawl'."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "data" / "newspipe.db"
    res = invoke("run", "--no-crawl", "--no-translate", env=NO_ENV)
    assert res.exit_code == 0, res.stderr
    assert first_run_line(res.stderr) == (f"run 1 started: no crawl, no translation; new archive at {db}; "
                                          "no settings file")
    (tmp_path / "newspipe.toml").write_text("[fetch]\ndelay = 2\n", encoding="utf-8")
    res = invoke("run", "--no-crawl", "--no-translate", env=NO_ENV)
    assert res.exit_code == 0, res.stderr
    assert first_run_line(res.stderr) == (f"run 2 started: no crawl, no translation; archive {db}; "
                                          f"settings {tmp_path / 'newspipe.toml'}")


@pytest.mark.parametrize("command", [["stats"], ["search", "전주"], ["show", "1"], ["stories"], ["related", "전주"],
                                     ["trends", "전주"], ["export", "--format", "tsv", "-o", "-"], ["reindex"],
                                     ["restory"]])
def test_commands_that_need_an_archive_name_its_absolute_path_and_give_no_advice_to_create_a_folder(
        tmp_path, monkeypatch, command):
    """'no archive at data/newspipe.db' did not say where; `export --db data/x.db` in a folder without data/
    said 'there is no folder data; create it first', wrong advice for a command that only reads."""
    monkeypatch.chdir(tmp_path)
    res = invoke(*command, env=NO_ENV)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"no archive at {tmp_path / 'data' / 'newspipe.db'} (there is no folder "
                               f"{tmp_path / 'data'})")
    res = invoke("--db", "data/x.db", *command, env=NO_ENV)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"no archive at {tmp_path / 'data' / 'x.db'} (there is no folder {tmp_path / 'data'})")
    (tmp_path / "data").mkdir()
    res = invoke("--db", "data/x.db", *command, env=NO_ENV)
    assert res.exit_code == 1
    one_error_line(res.stderr, f"no archive at {tmp_path / 'data' / 'x.db'} (nothing there; run 'newspipe run'")
    assert list(tmp_path.rglob("*")) == [tmp_path / "data"]           # nothing made


# ------------------------------------------------------------------------ (3) a run killed without a word
def test_a_killed_run_is_named_once_by_the_next_run_and_kept_in_stats(tmp_path, monkeypatch):
    """After a kill -9 the next run completed and nothing but the runs table said a run had been interrupted.
    Here the killed run is its row left 'running' by a process that is gone, and what it had stored: two pages
    fetched, nothing cleaned yet (its counts from the articles' stage times: 0, and no time of a last work)."""
    from conftest import store_demo_pages
    from scrapers.types import Source
    db = tmp_path / "a.db"
    arch = Archive(db)
    arch.sync_sources([Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")])
    killed = arch.start_run({"limit": None})
    store_demo_pages(arch, "jbdemo", ["ndsoft-1001.html", "ndsoft-1002.html"])
    arch.close()
    res = invoke("--db", db, "run", "--no-crawl", "--no-translate", env=NO_ENV)
    assert res.exit_code == 0, res.stderr
    said = [ln.split(" WARNING ", 1)[1] for ln in res.stderr.splitlines() if " WARNING " in ln]
    assert said == [f"run {killed} was interrupted (killed?) at an unknown time after it started ("
                    f"{stats_of(db)['earlier_runs'][0]['started_at']}); its work is kept and resumed: it had cleaned "
                    "0, analysed 0 and translated 0 articles (its fetches are not counted)"], res.stderr
    assert first_run_line(res.stderr).startswith(f"run {killed + 1} started: ")       # still the first line
    out = invoke("--db", db, "stats").stdout
    assert re.search(rf"^earlier run {killed}: interrupted: ended without a word \(killed\?\); kept, and resumed by "
                     r"the next run \(.+ → \?\); cleaned 0, analysed 0, translated 0$", out, re.M), out
    res = invoke("--db", db, "run", "--no-crawl", "--no-translate", env=NO_ENV)
    assert res.exit_code == 0 and "interrupted" not in res.stderr                     # said once
    assert [r["status"] for r in stats_of(db)["earlier_runs"]] == ["completed", "interrupted"]


def test_a_killed_runs_counts_are_what_its_summary_would_have_said(tmp_path):
    """Found in review: the recovered counts took every article with a clean time in the run's span, pages with
    no article text among them (a completed run counts those as failed, not cleaned), and called work done in the
    run's first second 'no trace of when'."""
    from conftest import store_demo_pages
    from scrapers.types import Article, Source
    arch = Archive(tmp_path / "a.db")
    arch.sync_sources([Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")])
    killed = arch.start_run({"limit": None})
    store_demo_pages(arch, "jbdemo", ["ndsoft-1001.html", "ndsoft-1002.html", "newswave-5001.html"])
    ids = arch.pending("clean")
    for article_id in ids[:2]:                  # no article text found: failed, not cleaned
        assert arch.store_clean(article_id, Article(url="", error="no article text found"), "t") == "failed"
    good = Article(url="", title="가나시 새해 예산", body=["가나시는 27일 설명회를 열었다."])
    assert arch.store_clean(ids[2], good, "t") == "done"
    (marked,) = arch.mark_interrupted_runs()
    assert marked["id"] == killed and marked["counts"]["cleaned"] == 1, marked
    assert marked["last_work_at"] is not None            # within the run's first second too
    arch.close()


def test_a_run_interrupted_before_counts_were_recovered_says_counts_unknown(tmp_path):
    """A run an earlier newspipe marked interrupted kept no counts ({}): stats says so rather than 0s."""
    import sqlite3
    db = tmp_path / "a.db"
    arch = Archive(db)
    old = arch.start_run({"limit": None})
    arch.close()
    con = sqlite3.connect(db)
    con.execute("UPDATE runs SET status='interrupted' WHERE id=?", [old])      # as mark_interrupted_runs did
    con.commit()
    con.close()
    assert invoke("--db", db, "run", "--no-crawl", "--no-translate", env=NO_ENV).exit_code == 0
    out = invoke("--db", db, "stats").stdout
    assert re.search(rf"^earlier run {old}: interrupted \(.+ → \?\); counts unknown$", out, re.M), out


def stats_of(db) -> dict:
    res = invoke("--db", db, "stats", "--json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


# ------------------------------------------------------------------------ (4) dates leave out the undated
def test_a_date_range_says_how_many_undated_articles_it_left_out(db, tmp_path):
    """--since/--until dropped the articles without a date, silently; the note is on stderr, not in the data."""
    out, dated = tmp_path / "x.tsv", len(exported(db)) - 1          # one pair of the undated article
    res = invoke("--db", db, "export", "--format", "tsv", "--level", "article", "--since", "2024-01-01", "-o", out)
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [f"exported {dated} article pairs to {out}",
                                       "note: 1 article without a date left out by --since/--until"]
    assert "날짜 없는" not in out.read_text(encoding="utf-8")
    res = invoke("--db", db, "export", "--format", "jsonl", "--level", "article", "--until", "2030-01-01", "-o", "-")
    assert res.stderr == "note: 1 article without a date left out by --since/--until\n"
    assert len(res.stdout.splitlines()) == dated and "note" not in res.stdout
    # found in review: the note counted every undated article, pairs or none under the options given
    for options in ((), ("--source", "demo-jbdemo", "--since", "2024-01-01"), ("--region", "전북", "--since", "2024-01-01"),
                    ("--provenance", "publisher", "--since", "2024-01-01"), ("--min-chars", "5000", "--since", "2024-01-01")):
        res = invoke("--db", db, "export", "--format", "jsonl", "--level", "article", "-o", "-", *options)
        assert res.exit_code == 0 and "without a date" not in res.stderr, (options, res.stderr)
    res = invoke("--db", db, "export", "--format", "jsonl", "--level", "sentence", "-o", "-", "--since", "2024-01-01")
    assert res.stderr == "note: 1 article without a date left out by --since/--until\n"    # its sentences
    res = invoke("--db", db, "search", "시장", "--since", "2024-01-01")
    assert res.exit_code == 0 and res.stdout.startswith("no matches")
    assert res.stderr == "note: 1 matching article without a date left out by --since/--until\n"
    res = invoke("--db", db, "search", "시장", "--since", "2024-01-01", "--json")
    assert res.stdout == "" and "1 matching article without a date" in res.stderr
    assert "without a date" not in invoke("--db", db, "search", "전주", "--since", "2024-01-01").stderr
    res = invoke("--db", db, "stories", "--since", "2024-01-01", "--region", "전남")
    assert res.stderr == "note: 1 article without a date left out by --since/--until\n"
    res = invoke("--db", db, "trends", "시장", "전주", "--until", "2030-01-01", "--csv")
    assert res.stderr == "note: 1 article matching 시장 without a date left out by --since/--until\n"
    assert "without a date" not in res.stdout


# ------------------------------------------------------------------------ (5) reading TSV back
def test_export_help_says_how_to_read_tsv_back_and_that_way_keeps_a_cell_that_starts_with_a_quote(db, tmp_path):
    """A Korean cell starting with '"' was mangled by csv's default quoting; --help now gives the reader."""
    import csv

    from db.export import tsv_unescape
    help_text = " ".join(invoke("export", "--help").stdout.split())
    assert 'csv.reader(f, delimiter="\\t", quoting=csv.QUOTE_NONE)' in help_text
    assert "db.export.tsv_unescape" in help_text
    out = tmp_path / "x.tsv"
    assert invoke("--db", db, "export", "--format", "tsv", "--source", "demo-newswave", "-o", out).exit_code == 0
    with open(out, encoding="utf-8", newline="") as f:
        rows = [[tsv_unescape(c) for c in r] for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    with open(out, encoding="utf-8", newline="") as f:
        default = list(csv.reader(f, delimiter="\t"))
    assert rows[0] == ["id", "ko", "en", "url", "source", "published_at", "provenance", "backend"]
    assert all(len(r) == 8 for r in rows)
    assert QUOTE_LEAD in [r[1] for r in rows]                                  # read back exactly
    assert QUOTE_LEAD not in [r[1] for r in default if len(r) > 1]            # what the default reader made of it


# ------------------------------------------------------------------------ (6) the small ones
def test_moses_names_both_files_and_an_empty_output_is_refused(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = invoke("--db", db, "export", "--format", "moses", "-o", tmp_path / "mo")
    assert res.exit_code == 0
    assert re.fullmatch(rf"exported \d+ sentence pairs to {tmp_path}/mo\.ko and {tmp_path}/mo\.en\n", res.stderr)
    for fmt in ("jsonl", "moses"):           # '' was ". is a directory"; for moses it wrote ./.ko and ./.en
        res = invoke("--db", db, "export", "--format", fmt, "-o", "")
        assert res.exit_code == 2
        one_error_line(res.stderr, "-o wants a file path (a prefix for moses), or - for stdout")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mo.en", "mo.ko"]


def test_an_unknown_source_suggests_the_id_of_that_name_or_case(db, tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nid = "jjan"\nname = "전북일보"\noutlet = "전북일보"\nregion = "전북"\n'
                       'homepage = "https://www.jjan.kr/"\nlist_urls = ["https://www.jjan.kr/list5/110"]\n'
                       'article_pattern = "/article/\\\\d+"\n', encoding="utf-8")
    hint = "(did you mean 'jjan', the id of 전북일보?)"
    for given in ("JJAN", "전북일보", " Jjan"):
        res = invoke("--sources", sources, "sources", "check", given)
        assert res.exit_code == 1
        one_error_line(res.stderr, f"unknown source {given!r} {hint}")
        res = invoke("--sources", sources, "--db", tmp_path / "x.db", "run", "--no-crawl", "--source", given)
        one_error_line(res.stderr, f"unknown source {given!r} {hint}")
    res = invoke("--db", db, "search", "전주", "--source", "전북데모일보")
    one_error_line(res.stderr, "unknown source '전북데모일보' (did you mean 'demo-jbdemo', the id of 전북데모일보 (demo)?)")
    res = invoke("--db", db, "export", "--format", "jsonl", "-o", "-", "--source", "DEMO-GUNSAN")
    one_error_line(res.stderr, "unknown source 'DEMO-GUNSAN' (did you mean 'demo-gunsan', the id of 군산데모타임즈 (demo)?)")
    res = invoke("--sources", sources, "sources", "check", "nothing-like-it")
    one_error_line(res.stderr, "unknown source 'nothing-like-it' (see 'newspipe sources list')")


def test_stats_of_an_empty_archive_prints_no_bare_stage_lines(tmp_path):
    Archive(tmp_path / "a.db").close()
    res = invoke("--db", tmp_path / "a.db", "stats")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[:2] == ["0 articles, 0 sentences (0 translated), 0 fetches",
                         "  no articles yet: 'newspipe run' collects them, 'newspipe ingest' stores saved pages"]
    assert not [ln for ln in lines if re.fullmatch(r"\s+(clean|nlp|translate)\s*", ln)]
