"""A whole crawl of a local site that misbehaves in every way issue #3 lists.

The site (pipeline.demo.DemoSite plus the routes below) runs on 127.0.0.1 and serves the demo's pages
(written for newspipe, bytes as shipped). Its robots.txt disallows a path and asks for a Crawl-delay; a listing page
with pagination, an RSS feed and a news sitemap (behind a sitemap index) announce the articles; and
these routes fail: 503 then 200, 429 with Retry-After then 200, a response that hangs, a 10 MB body
with and without Content-Length, a redirect loop, a PDF, a 404.
"""
from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

import pytest

from conftest import DEMO, FIXTURES
from db.archive import Archive
from pipeline.demo import PAGES, DemoSite
from pipeline.run import Pipeline, RunOptions
from scrapers.fetch import FetchSettings
from scrapers.types import Source
from conftest import SendLog          # records when the client sends each request

CRAWL_DELAY = 0.2
UTF8 = "text/html; charset=utf-8"


def page(file: Path, ctype="text/html"):
    return lambda site, path, headers: (200, {"Content-Type": ctype}, file.read_bytes())


def fail_first(status, extra_headers, file):
    state = {"n": 0}

    def handler(site, path, headers):
        state["n"] += 1
        if state["n"] == 1:
            return status, {"Content-Type": "text/html", **extra_headers}, b"<html>busy</html>"
        return 200, {"Content-Type": UTF8}, (DEMO / file).read_bytes()
    return handler


def hang(site, path, headers):
    time.sleep(20)                 # far beyond the client's read timeout
    return 200, {"Content-Type": "text/html"}, b"<html>too late</html>"


def huge_streamed(site, path, headers):
    return 200, {"Content-Type": "text/html"}, (b"<p>" + b"x" * 65536 for _ in range(160))   # 10 MB, no length


ROUTES = {
    "/": lambda s, p, h: (200, {"Content-Type": "text/html; charset=utf-8"}, "<html><body>첫 화면</body></html>".encode()),
    "/robots.txt": lambda s, p, h: (200, {"Content-Type": "text/plain"},
                                    f"User-agent: *\nDisallow: /f/private/\nCrawl-delay: {CRAWL_DELAY}\n".encode()),
    "/f/503": fail_first(503, {}, "newswave-5003.html"),
    "/f/429": fail_first(429, {"Retry-After": "1"}, "jipyeong-202508200003.html"),
    "/f/hang": hang,
    "/f/huge": lambda s, p, h: (200, {"Content-Type": "text/html"}, b"x" * 10_000_000),
    "/f/huge-streamed": huge_streamed,
    "/f/loop": lambda s, p, h: (302, {"Location": "/f/loop2"}, b""),
    "/f/loop2": lambda s, p, h: (302, {"Location": "/f/loop"}, b""),
    "/f/euckr-meta-only": page(FIXTURES / "cp949_meta_only.html"),
    "/f/gunsan-euckr": page(DEMO / "gunsan-3107.html"),
    "/f/no-charset": page(DEMO / "jipyeong-202506120001.html"),
    "/f/report.pdf": lambda s, p, h: (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ..."),
    "/f/gone": lambda s, p, h: (404, {"Content-Type": "text/html"}, b"<html>not here</html>"),
    "/f/private/secret": page(DEMO / "newswave-5001.html", UTF8),
    "/faults.html": lambda s, p, h: (200, {"Content-Type": "text/html; charset=utf-8"}, (
        '<html><body><a href="/f/503">a</a> <a href="/f/429?utm_source=x">b</a> <a href="/f/hang">c</a>'
        '<a href="/f/huge">d</a> <a href="/f/huge-streamed">d2</a> <a href="/f/loop">e</a>'
        '<a href="/f/private/secret">비공개</a> <a href="/faults.html?page=2">다음</a></body></html>').encode()),
    "/faults.html?page=2": lambda s, p, h: (200, {"Content-Type": "text/html; charset=utf-8"}, (
        '<html><body><a href="/f/euckr-meta-only">f</a> <a href="/f/gunsan-euckr">g</a>'
        '<a href="/f/no-charset#top">h</a> <a href="/f/report.pdf">i</a> <a href="/f/gone">j</a>'
        '<a href="/f/503">again</a></body></html>').encode()),
}
FEED_ARTICLES = [p.path for p in PAGES if p.source == "demo-jbdemo"]      # the demo's RSS feed lists these
SITEMAP_ARTICLES = FEED_ARTICLES[:3]
ARTICLE_PATTERN = r"/news/articleView\.html\?idxno=\d+$"

ALLOWED_OK = {"/f/503", "/f/429", "/f/euckr-meta-only", "/f/gunsan-euckr", "/f/no-charset", *FEED_ARTICLES}
FAILS = {"/f/hang": "timeout: ReadTimeout after 1 s", "/f/huge": "larger than", "/f/huge-streamed": "larger than",
         "/f/loop": "redirect loop", "/f/report.pdf": "not HTML", "/f/gone": "HTTP 404"}


def sitemap_routes(base):
    index = (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f'<sitemap><loc>{base}/news-sitemap.xml</loc><lastmod>2026-11-26</lastmod></sitemap></sitemapindex>')
    urls = "".join(f'<url><loc>{base}{p}</loc><news:news><news:publication><news:name>전북데모일보</news:name>'
                   f'<news:language>ko</news:language></news:publication><news:publication_date>2026-11-2{i}T09:00:00+09:00'
                   f'</news:publication_date><news:title>기사 {i}</news:title></news:news></url>'
                   for i, p in enumerate(SITEMAP_ARTICLES))
    news = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
    return {"/sitemap-index.xml": lambda s, p, h: (200, {"Content-Type": "application/xml"}, index.encode()),
            "/news-sitemap.xml": lambda s, p, h: (200, {"Content-Type": "application/xml"}, news.encode())}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, analyser):
    site = DemoSite(extra=dict(ROUTES))
    site.extra.update(sitemap_routes(site.base))
    with site:
        b = site.base
        sources = [
            Source(id="faults", name="고장 난 사이트", outlet="테스트", list_urls=(f"{b}/faults.html",),
                   article_pattern=r"/f/"),
            Source(id="sitemap", name="사이트맵", outlet="전북데모일보", sitemaps=(f"{b}/sitemap-index.xml",),
                   article_pattern=ARTICLE_PATTERN, profile="ndsoft"),
            # The RSS feed lists the sitemap's articles too: each must still be fetched once.
            Source(id="rss", name="피드", outlet="전북데모일보", feeds=(f"{b}/rss.xml",),
                   article_pattern=ARTICLE_PATTERN, profile="ndsoft"),
        ]
        path = tmp_path_factory.mktemp("crawl") / "c.db"
        settings = FetchSettings(delay=0, read_timeout=1, total_timeout=3, retries=2, backoff=0.1)
        sends = SendLog()
        pipe = Pipeline(Archive(path), sources, settings, transport=sends, analyser=analyser)
        crawl_seconds = []
        crawl_stage = pipe.crawl

        async def timed_crawl(options, summary):     # the fetching alone: clean and Kiwi are CPU-bound
            t0 = time.monotonic()
            await crawl_stage(options, summary)
            crawl_seconds.append(time.monotonic() - t0)
        pipe.crawl = timed_crawl
        first = pipe.run(RunOptions(translate=False))
        seconds = crawl_seconds[0]
        hits_after_first = dict(site.hits)
        times = [t for t, _url, _headers in sends.sent]      # when the client sent each request
        second = pipe.run(RunOptions(translate=False))
        yield {"site": site, "db": sqlite3.connect(path), "first": first, "second": second, "seconds": seconds,
               "hits1": hits_after_first, "times": times}


def _path(url):
    return url.split("127.0.0.1", 1)[1].split(":", 1)[1].split("/", 1)[1].join(["/", ""])


def test_every_allowed_article_is_fetched_once_and_none_disallowed(crawl):
    rows = crawl["db"].execute("SELECT url, status, error FROM pages WHERE run_id=? AND (url LIKE '%/f/%' OR "
                               "url LIKE '%/news/%')", [crawl["first"].run_id]).fetchall()
    by_path: dict[str, list] = {}
    for url, status, error in rows:
        by_path.setdefault("/" + url.split("/", 3)[3], []).append((status, error))
    expected = ALLOWED_OK | set(FAILS) | {"/f/private/secret"}
    assert set(by_path) == expected
    assert all(len(v) == 1 for v in by_path.values()), {k: v for k, v in by_path.items() if len(v) > 1}
    assert all(by_path[p][0][0] == 200 and by_path[p][0][1] is None for p in ALLOWED_OK)
    assert by_path["/f/private/secret"] == [(None, "disallowed by robots.txt")]
    assert crawl["hits1"].get("/f/private/secret", 0) == 0
    for p in ALLOWED_OK - {"/f/503", "/f/429"}:
        assert crawl["hits1"][p] == 1, p          # not a single duplicate request
    assert crawl["hits1"]["/f/503"] == 2 and crawl["hits1"]["/f/429"] == 2


def test_every_failure_is_recorded_with_its_reason(crawl):
    for p, reason in FAILS.items():
        error = crawl["db"].execute("SELECT error FROM pages WHERE url LIKE ?", [f"%{p}"]).fetchone()[0]
        assert reason in error, (p, error)
    errors = {e.item.split("/", 3)[3]: e.reason for e in crawl["first"].errors if e.stage == "fetch"}
    assert {"f/hang", "f/huge", "f/loop", "f/report.pdf", "f/gone"} <= set(errors)


def test_the_crawl_survives_every_fault_in_bounded_time(crawl):
    # hang: 3 attempts x 1 s read timeout + backoff; 429: 1 s Retry-After; ~30 requests 0.2 s apart: ~8 s
    # of waiting. Only the crawl stage is timed (the whole run, Kiwi included, took 32 s on a loaded machine).
    assert crawl["seconds"] < 30, crawl["seconds"]
    assert crawl["first"].counts["fetched"] == len(ALLOWED_OK)


def test_crawl_delay_from_robots_spaces_the_requests(crawl):
    # Measured where the requests leave the client (the server's arrival times also hold its thread
    # scheduling, which on a loaded machine squeezed a gap to 0.166 s); all go to one host.
    # A send the machine delays after its turn (this process descheduled between the fetcher's hook and the
    # transport, under load: one gap of 0.019 s after one of ~0.38 s was seen) lengthens the gap before it by
    # what it shortens the one after: two gaps in a row always add up to two delays. Two requests sent at
    # once (a politeness bug) leave a gap near 0 between two ordinary ones, which no such sum hides.
    times = crawl["times"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) > 20 and statistics.median(gaps) >= CRAWL_DELAY * 0.9, sorted(gaps)[:3]
    pairs = [a + b for a, b in zip(gaps, gaps[1:])]
    assert min(pairs) >= 2 * CRAWL_DELAY * 0.9, (sorted(gaps)[:3], sorted(pairs)[:3])
    assert sum(g < CRAWL_DELAY * 0.9 for g in gaps) <= 1, sorted(gaps)[:3]


def test_euc_kr_pages_come_out_without_a_replacement_character(crawl):
    rows = crawl["db"].execute(
        "SELECT url, title_ko, body_ko FROM articles WHERE url LIKE '%euckr%' OR url LIKE '%no-charset%'").fetchall()
    assert len(rows) == 3
    for url, title, body in rows:
        assert body and "\ufffd" not in (title or "") + body, url
    meta_only = next(b for u, _, b in rows if "meta-only" in u)
    assert all(ch in meta_only for ch in "똠햏뷁")
    gunsan = next(b for u, _, b in rows if "gunsan" in u)
    assert "똠얌꿍 부스였다" in gunsan                     # 똠 is CP949-only


def test_second_run_fetches_no_article_again_and_retries_only_passing_failures(crawl):
    hits2 = crawl["site"].hits
    for p in ALLOWED_OK | set(FAILS) - {"/f/hang"}:
        assert hits2.get(p, 0) == crawl["hits1"].get(p, 0), p
    assert crawl["second"].counts["new"] == 0 and crawl["second"].counts["fetched"] == 0
    # A timeout may pass: the hanging page is tried again (up to 3 runs); a 404 or a PDF is not.
    assert hits2["/f/hang"] > crawl["hits1"]["/f/hang"]
    retried = crawl["db"].execute("SELECT url FROM pages WHERE run_id=?", [crawl["second"].run_id]).fetchall()
    assert [u.rsplit("/", 2)[-2:] for (u,) in retried if "/f/" in u] == [["f", "hang"]]


def _sources_check(tmp_path, toml, *ids: str) -> list:
    """`newspipe sources check [ID]` (once with no id, then once per id in ``ids``) against the fault site and its
    sitemaps, with the sources file ``toml(base)`` for the site's base URL."""
    from click.testing import CliRunner

    from pipeline.cli import cli
    site = DemoSite(extra=dict(ROUTES))
    site.extra.update(sitemap_routes(site.base))
    with site:
        (tmp_path / "s.toml").write_text(toml(site.base), encoding="utf-8")
        return [CliRunner().invoke(cli, ["--sources", str(tmp_path / "s.toml"), "sources", "check", *named])
                for named in ([], *([i] for i in ids))]


def test_sources_check_reports_links_matching_each_pattern(tmp_path):
    [res] = _sources_check(tmp_path, lambda b: (
        f'[[sources]]\nid = "sm"\nname = "n"\noutlet = "o"\nhomepage = "{b}/"\nsitemaps = ["{b}/news-sitemap.xml"]\n'
        f'feeds = ["{b}/rss.xml"]\nlist_urls = ["{b}/faults.html"]\narticle_pattern = "/(f|news)/"\n'))
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "sitemap ok, 3 article links" in res.stdout and "listing ok, 7 article links" in res.stdout
    assert f"feed ok, {len(FEED_ARTICLES)} article links" in res.stdout and "robots allows" in res.stdout
    assert res.stdout.rstrip().endswith("→ ok")


def test_sources_check_names_what_failed_and_skips_disabled_sources(tmp_path):
    """A feed answering 404 passed (exit 0), a sitemap index was not followed ('0 article links, 1 children'),
    only a listing without links failed, no line said which source failed, and a disabled source failed the
    check of all (found in a new user's trial)."""
    res, one = _sources_check(tmp_path, lambda b: (
        f'[[sources]]\nid = "idx"\nname = "n"\noutlet = "o"\nhomepage = "{b}/"\n'
        f'sitemaps = ["{b}/sitemap-index.xml"]\narticle_pattern = "/news/"\n\n'
        f'[[sources]]\nid = "gone"\nname = "n"\noutlet = "o"\nhomepage = "{b}/"\nfeeds = ["{b}/no-feed.xml"]\n'
        f'article_pattern = "/news/"\n\n'
        f'[[sources]]\nid = "off"\nname = "n"\noutlet = "o"\nhomepage = "{b}/"\nlist_urls = ["{b}/faults.html"]\n'
        f'article_pattern = "/nothing/"\nenabled = false\nnote = "asked not to be collected"\n'), "off")
    lines = res.stdout.splitlines()
    assert res.exit_code == 1, res.stdout
    assert lines[0].startswith("idx: HTTP 200") and "(in the first of" in lines[0] and lines[0].endswith("→ ok")
    assert " 0 article links" not in lines[0]
    assert lines[1].startswith("gone: ") and "→ FAILED: feed " in lines[1] and "404" in lines[1]
    assert lines[2] == "off: disabled, not checked (asked not to be collected)"
    assert lines[3] == "1 of 2 sources failed: gone"
    assert one.exit_code == 1 and one.stdout.startswith("off (disabled): HTTP 200")
    assert "→ FAILED: listing has no link matching article_pattern" in one.stdout


def test_sources_check_fails_a_source_a_run_would_not_collect_for_its_crawl_delay(tmp_path):
    """A source with crawl_delay = 100 passed the check ('→ ok') while every run refused it (over
    fetch.max_crawl_delay, found in review): the check decides as a run does, and says what to change."""
    [res] = _sources_check(tmp_path, lambda b: (
        f'[[sources]]\nid = "slow"\nname = "n"\noutlet = "o"\nhomepage = "{b}/"\n'
        f'list_urls = ["{b}/faults.html"]\narticle_pattern = "/f/"\ncrawl_delay = 100\n'))
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        "slow: FAILED: the source's crawl_delay (100 s) is more than fetch.max_crawl_delay (60 s): nothing asked "
        "there; raise it to collect them", "1 of 1 sources failed: slow"]


def test_a_run_names_a_source_whose_pages_hold_no_link_its_pattern_matches(tmp_path, analyser):
    """A mistyped article_pattern (or an outlet's new URL scheme) made every run end 'new 0 … failed 0' and nothing
    more, exit 0: the feed answered, none of its links matched, and no line said so (a new user's trial). The note
    names the source and the pattern; a source whose pattern fits the same feed gets none."""
    with DemoSite() as site:
        sources = [Source(id="typo", name="오타", outlet="전북데모일보", feeds=(f"{site.base}/rss.xml",),
                          article_pattern=r"/news/article/\d+$"),
                   Source(id="rss", name="피드", outlet="전북데모일보", feeds=(f"{site.base}/rss.xml",),
                          article_pattern=ARTICLE_PATTERN, profile="ndsoft")]
        pipe = Pipeline(Archive(tmp_path / "t.db"), sources, FetchSettings(delay=0), analyser=analyser)
        summary = pipe.run(RunOptions(translate=False, limit=1))
    notes = [n for n in summary.notes if "article_pattern" in n]
    assert len(notes) == 1, summary.notes
    assert notes[0].startswith("source typo: ") and r"matching its article_pattern '/news/article/\d+$':" in notes[0]
    assert "newspipe sources check typo" in notes[0]
    assert summary.counts["new"] == 1 and summary.exit_code == 0


def test_sources_check_of_a_homepage_robots_txt_refuses_says_it_once_and_no_http_none(tmp_path):
    """The line read 'HTTP None robots DISALLOWS …  → FAILED: … disallowed by robots.txt; robots.txt disallows it'
    for a homepage robots.txt refuses (a new user's trial): nothing was fetched, and the reason came twice."""
    [res] = _sources_check(tmp_path, lambda b: (
        f'[[sources]]\nid = "shy"\nname = "n"\noutlet = "o"\nhomepage = "{b}/f/private/home"\n'
        f'feeds = ["{b}/rss.xml"]\narticle_pattern = "/news/"\n'))
    line = res.stdout.splitlines()[0]
    assert res.exit_code == 1 and line.startswith("shy: not fetched robots DISALLOWS "), line
    assert "HTTP None" not in line and line.count("disallow") == 1, line
    assert line.endswith("→ FAILED: robots.txt disallows it"), line
