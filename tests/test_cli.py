"""The command line in this process (click's CliRunner): the one-line error contract, help, clean, ingest
then run, sources list and check. Tests where the process itself is the point (signals, a killed run, the
server's lifetime, a fresh interpreter) run newspipe as a subprocess in test_faults_cli.py and others."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import DEMO, sources_toml
from pipeline.cli import cli
from pipeline.demo import DemoSite


def invoke(*args, env=None):
    return CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("args,needle,code", [
    (["--sources", "/nonexistent.toml", "run"], "cannot read sources file", 1),
    (["--db", "/nonexistent/dir/x.db", "show", "1"], "there is no folder /nonexistent/dir", 1),
    (["run", "--translator", "babelfish"], "unknown translator", 2),               # a wrong flag value: 2
    (["clean", "/nonexistent.html"], "No such file", 1),
    (["search", "전주", "--since", "yesterday"], "wants a date", 2),
    (["show", "x"], "'x' is not a valid integer", 2),
    (["run", "--limit", "99999999999999999999"], "1<=x<=1000000000", 2),              # an OverflowError before
    (["related", "전주", "--sample", "99999999999999999999"], "1<=x<=10000000", 2),
])
def test_user_errors_end_in_one_line_and_nonzero_exit(tmp_path, monkeypatch, args, needle, code):
    monkeypatch.chdir(tmp_path)
    res = invoke(*args)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.exit_code == code and len(lines) == 1 and lines[0].startswith("newspipe: error: "), res.stderr
    assert needle in lines[0] and "Traceback" not in res.stderr


def test_clean_command_json_output_has_the_contract_fields():
    res = invoke("clean", DEMO / "ndsoft-1003.html", "--url",
                 "https://demo.example/news/articleView.html?idxno=1003", "--json")
    obj = json.loads(res.stdout)
    for key in ("url", "title", "subtitle", "authors", "published_at", "updated_at", "outlet", "section", "body",
                "captions", "publisher_translation", "removed"):
        assert key in obj
    assert obj["authors"] == ["박준호"] and obj["body"][0].startswith("주말마다 되풀이되는 전주 한옥마을 일대 주차난을")
    text = invoke("clean", DEMO / "ndsoft-1003.html", "--url", "https://demo.example/news/articleView.html?idxno=1003")
    assert text.stdout.startswith(f"# {obj['title']}\n") and "authors: 박준호" in text.stdout
    assert obj["body"][0] in text.stdout


@pytest.mark.parametrize("page,profile", [("newswave-5001.html", "newswave"), ("ndsoft-1003.html", "ndsoft")])
def test_a_page_saved_without_its_url_is_read_by_its_cms(page, profile):
    """Found in a new user's trial: a Break News page cleaned without --url went the generic way (no author,
    the publisher's English run into the Korean body). 'auto' now knows a CMS by its body container, as a
    profile given by name reads it; the text output shows the publisher's English and the removals."""
    auto = json.loads(invoke("clean", DEMO / page, "--json").stdout)
    named = json.loads(invoke("clean", DEMO / page, "--json", "--profile", profile).stdout)
    assert auto == named and auto["authors"] and auto["body"]
    text = invoke("clean", DEMO / page).stdout
    assert "[removed] " in text and ("[publisher's English] " in text) == bool(auto["publisher_translation"])


def test_every_command_has_help_and_the_version_is_the_package_one():
    from importlib.metadata import version

    import pipeline
    for cmd in ("run", "ingest", "clean", "search", "reindex", "show", "export", "stats", "serve", "demo",
                "sources"):
        res = invoke(cmd, "--help")
        assert res.exit_code == 0 and "Usage:" in res.stdout and "--help" in res.stdout
    assert "none is --no-translate" in " ".join(invoke("run", "--help").stdout.split())
    assert invoke("--version").stdout == f"newspipe, version {pipeline.__version__}\n"
    assert version("newspipe") == pipeline.__version__


def test_ingest_then_run_stores_analyses_and_shows_the_page(tmp_path):
    db = tmp_path / "a.db"
    url = "https://demo.example/news/articleView.html?idxno=1001"
    sources = tmp_path / "s.toml"
    sources.write_text(sources_toml("https://demo.example"), encoding="utf-8")
    base = ["--db", db, "--sources", sources]
    res = invoke(*base, "ingest", DEMO / "ndsoft-1001.html", "--source", "demo-jbdemo", "--url", url)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.endswith("ingested 1 files, 1 new or changed pages\n") and f"→ {url}" in res.stdout
    again = invoke(*base, "ingest", DEMO / "ndsoft-1001.html", "--source", "demo-jbdemo", "--url", url)
    assert again.stdout.endswith("ingested 1 files, 0 new or changed pages\n")        # the same bytes
    run = invoke(*base, "run", "--no-crawl", "--no-translate", "--json")
    assert run.exit_code == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["counts"]["cleaned"] == 1 and summary["counts"]["analysed"] == 1
    assert summary["pending"] == {"clean": 0, "nlp": 0, "translate": 1}
    shown = json.loads(invoke(*base, "show", "1", "--json").stdout)
    assert shown["url"] == url and shown["source_id"] == "demo-jbdemo" and shown["sentences"]
    assert shown["title_ko"] == json.loads(invoke("clean", DEMO / "ndsoft-1001.html", "--url", url,
                                                  "--json").stdout)["title"]
    stats = invoke(*base, "stats")
    assert "1 articles" in stats.stdout and "last run 1: completed, exit code 0" in stats.stdout
    for args, needle in ((["ingest", DEMO / "ndsoft-1001.html", DEMO / "ndsoft-1002.html", "--url", url],
                          "--url works with one file only"),
                         (["ingest", DEMO / "ndsoft-1001.html", "--source", "nowhere"], "unknown source 'nowhere'"),
                         (["ingest", tmp_path / "missing.html"], "missing.html: No such file")):
        res = invoke(*base, *args)
        assert res.exit_code == 1 and needle in res.stderr and res.stderr.count("\n") == 1, res.stderr


def test_sources_list_and_check_in_process(tmp_path):
    with DemoSite() as site:
        sources = tmp_path / "s.toml"
        sources.write_text(sources_toml(site.base), encoding="utf-8")
        listed = invoke("--sources", sources, "sources", "list", "--json")
        ids = [json.loads(ln)["id"] for ln in listed.stdout.splitlines()]
        assert ids == ["demo-jbdemo", "demo-newswave", "demo-jipyeong", "demo-gunsan"]
        assert "demo-jbdemo" in invoke("--sources", sources, "sources", "list").stdout
        res = invoke("--sources", sources, "sources", "check", "demo-jbdemo")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert res.stdout.startswith("demo-jbdemo: HTTP 200 robots allows") and "feed ok" in res.stdout
    res = invoke("--sources", sources, "sources", "check", "nowhere")
    assert res.exit_code == 1 and "unknown source 'nowhere'" in res.stderr


def test_sources_check_names_a_web_page_given_as_a_feed(tmp_path):
    """A new user's trial: a section page put under feeds was 'no link matching article_pattern (the URL scheme no
    longer fits?)', which sent them to the pattern; it is a web page, and list_urls is where it goes."""
    from pipeline.demo import demo_sources
    with DemoSite() as site:
        src = next(s for s in demo_sources(site.base) if s.id == "demo-newswave")
        sources = tmp_path / "s.toml"
        sources.write_text(f'[[sources]]\nid = "mine"\nname = "가나일보"\noutlet = "가나일보"\nregion = "전북"\nfeeds = ["{src.list_urls[0]}"]\n'
                           f"article_pattern = '{src.article_pattern}'\n", encoding="utf-8")
        res = invoke("--sources", sources, "sources", "check", "mine")
    assert res.exit_code == 1
    assert "FAILED: feed is a web page, not an RSS or Atom feed: a section page goes under list_urls" in res.stdout, \
        res.stdout + res.stderr


def test_run_retry_failed_gives_an_article_given_up_on_three_more_attempts(tmp_path):
    """Found in a new user's trial: 'given up after 3 attempts' said how it ended but not how to try again
    ('run --retranslate' translates the whole selection again). 'run --retry-failed' gives what a stage gave up
    on three more attempts from that run on, and says how many per stage."""
    import sqlite3
    db = tmp_path / "a.db"
    sources = tmp_path / "s.toml"
    sources.write_text(sources_toml("https://demo.example"), encoding="utf-8")
    base = ["--db", db, "--sources", sources]
    invoke(*base, "ingest", DEMO / "ndsoft-1001.html", "--source", "demo-jbdemo",
           "--url", "https://demo.example/news/articleView.html?idxno=1001")
    assert invoke(*base, "run", "--no-crawl", "--no-translate").exit_code == 0
    with sqlite3.connect(db) as con:        # as three failed translations leave it
        con.execute("UPDATE articles SET translate_status='failed', translate_attempts=3, "
                    "translate_error='some sentences failed QA'")
    res = invoke(*base, "run", "--no-crawl", "--no-translate", "--json")
    assert json.loads(res.stdout)["pending"]["translate"] == 0         # given up on: not pending
    # (an operations engineer's trial) a plain run said nothing of them: its summary says so, and how, once
    said = [n for n in json.loads(res.stdout)["notes"] if "given up" in n]
    assert said == ["1 article given up after 3 attempts (translate 1): 'newspipe run --retry-failed' tries them "
                    "again"]
    out = invoke(*base, "stats").stdout                                # (review) stats says what to do
    assert re.search(r"^  translate +failed 1$", out, re.M) and "'newspipe run --retry-failed' gives them" in out, out
    res = invoke(*base, "run", "--no-crawl", "--no-translate", "--retry-failed", "--json")
    assert res.exit_code == 0, res.stderr
    assert "retry-failed: 0 clean, 0 analyse, 1 translate get three more attempts" in res.stderr
    assert json.loads(res.stdout)["pending"]["translate"] == 1
    assert not [n for n in json.loads(res.stdout)["notes"] if "given up" in n]
    assert json.loads(res.stdout)["counts"]["retried_translate"] == 1        # (review) the summary says it too,
    with sqlite3.connect(db) as con:                                          # and the run's row keeps it
        assert con.execute("SELECT translate_status, translate_attempts FROM articles").fetchall() == [("retry", 0)]
        options = json.loads(con.execute("SELECT options FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert options["retry_failed"] == {"clean": 0, "nlp": 0, "translate": 1}
    assert "--retry-failed" not in invoke(*base, "stats").stdout


def test_a_run_of_a_source_with_nothing_to_find_articles_with_is_a_config_error(tmp_path):
    """(an operations engineer's trial) a source without feeds, sitemaps or list_urls made the run say 'no source
    could be reached (1 tried)', exit 3, though nothing was tried."""
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nid = "a"\nname = "A"\noutlet = "A"\narticle_pattern = \'x\'\n'
                       '[[sources]]\nid = "b"\nname = "B"\noutlet = "B"\narticle_pattern = \'x\'\n'
                       'homepage = "https://b.example/"\nenabled = false\n', encoding="utf-8")
    base = ["--db", tmp_path / "a.db", "--sources", sources]
    res = invoke(*base, "run", "--no-translate")
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 1 and len(lines) == 1, res.stderr
    assert lines[0].startswith("newspipe: error: source 'a' in the sources file has no feeds, sitemaps or list_urls")
    res = invoke(*base, "run", "--no-translate", "--source", "b", "--no-crawl")     # stored pages: nothing to crawl
    assert res.exit_code == 0, res.stderr


def test_one_source_with_nothing_to_find_articles_with_among_others_is_left_out_with_a_warning(tmp_path):
    """(review) one half-configured source in a sources file refused the whole night's run, the others' crawl, clean
    and translation with it. Now it is left out of the run, said once; named with --source it is still refused."""
    import socket
    with socket.socket() as s:                      # a port nothing listens on: the other source is unreachable
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nid = "a"\nname = "A"\noutlet = "A"\narticle_pattern = \'x\'\n'
                       '[[sources]]\nid = "c"\nname = "C"\noutlet = "C"\narticle_pattern = \'x\'\n'
                       f'feeds = ["http://127.0.0.1:{port}/rss.xml"]\n', encoding="utf-8")
    base = ["--db", tmp_path / "a.db", "--sources", sources]
    res = invoke(*base, "run", "--no-translate")
    assert "'a' in the sources file has no feeds, sitemaps or list_urls" in res.stderr, res.stderr
    assert "left out of this run" in res.stderr and "(1 tried)" in res.stderr + res.stdout
    assert res.exit_code == 3                       # c could not be reached: the run itself went on
    # and in the summary, not only in the log before the run's first line (a cron job reads the summary: review)
    assert "left out of this run: a (no feeds, sitemaps or list_urls in the sources file)" in res.stdout
    notes = json.loads(invoke(*base, "run", "--no-translate", "--json").stdout)["notes"]
    assert "left out of this run: a (no feeds, sitemaps or list_urls in the sources file)" in notes
    res = invoke(*base, "run", "--no-translate", "--source", "a")
    assert res.exit_code == 1 and "has no feeds, sitemaps or list_urls" in res.stderr
