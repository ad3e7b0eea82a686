"""Faults a new user found in what a run stores: a redirect onto a stored article (a duplicate that stayed
"pending"), a translation that failed QA listed in the history, an article deleted at the source.

Every site here is a local HTTP server on 127.0.0.1 (``Site`` of test_faults_fetch: pages written for these
tests); the translator is the LibreStub of conftest. Nothing touches the network.
"""
from __future__ import annotations

import json
from datetime import datetime

from conftest import newspipe
from db.archive import Archive
from pipeline.run import Pipeline
from scrapers.fetch import FetchSettings
from scrapers.types import Source
from scrapers.util.kst import KST
from test_faults_fetch import UTF8, Site, _rows, _rss, _run, article_page
from translate.backends import LibreBackend


class RedirectSite(Site):
    """Site whose ``moved`` paths answer 302 to another path (``moved[path] = target``), or ``gone`` status."""

    def __init__(self):
        super().__init__()
        self.moved: dict[str, str] = {}
        self.gone: dict[str, int] = {}

    def respond(self, path, headers):
        if path in self.moved:
            return 302, {"Location": self.moved[path]}, b""
        if path in self.gone:
            return self.gone[path], {"Content-Type": UTF8}, b"<html><body>no such article</body></html>"
        return super().respond(path, headers)


def _site_and_pipe(site, tmp_path, analyser, paths, backend_factory=None):
    for n, p in enumerate(paths):
        site.put(p, article_page(n, f"2025-06-0{n % 4 + 1}T09:00:00+09:00"))
    site.put("/rss.xml", _rss(site.base, paths), "application/rss+xml")
    src = Source(id="t", name="테스트일보", outlet="테스트일보", feeds=(f"{site.base}/rss.xml",),
                 article_pattern=r"/article/\d+$")
    archive = Archive(tmp_path / "a.db", clock=lambda: datetime(2025, 6, 5, tzinfo=KST))
    return Pipeline(archive, [src], FetchSettings(delay=0), analyser=analyser, backend_factory=backend_factory)


def _libre(libre):
    return lambda: LibreBackend(libre.url, timeout=5)


def test_a_redirect_onto_a_stored_article_is_a_duplicate_never_pending(tmp_path, analyser, libre):
    with RedirectSite() as site:
        paths = [f"/article/{i}" for i in range(4)]
        pipe = _site_and_pipe(site, tmp_path, analyser, paths, _libre(libre))
        _run(pipe, translate=True)
        site.moved["/article/12"] = "/article/3"
        site.put("/rss.xml", _rss(site.base, paths + ["/article/12"]), "application/rss+xml")
        second = _run(pipe, refresh_days=7, translate=True)
        db = tmp_path / "a.db"
        [(dup, orig)] = _rows(db, "SELECT id, duplicate_of FROM articles WHERE url LIKE '%/article/12'")
        assert orig == _rows(db, "SELECT id FROM articles WHERE url LIKE '%/article/3'")[0][0]
        assert second.pending == {"clean": 0, "nlp": 0, "translate": 0}

        stats = json.loads(newspipe("--db", db, "stats", "--json").stdout)
        assert stats["stages"]["nlp"] == {"done": 4, "duplicate": 1}
        assert stats["stages"]["translate"] == {"done": 4, "duplicate": 1}
        res = newspipe("--db", db, "stats")
        assert "nlp        done 4  duplicate 1" in res.stdout, res.stdout

        res = newspipe("--db", db, "show", dup, env={"COLUMNS": "200"})
        assert res.returncode == 0, res.stderr
        out = res.stdout
        assert f"the same text as article {orig}" in out, out
        assert "(pending)" not in out, out
        lines = out.splitlines()
        at = next(i for i, ln in enumerate(lines) if ln.startswith(f"  #{orig} "))
        assert "similarity 1.00" in lines[at] and lines[at + 1] == "    the same sentences", out
        # the original's sentences are shown (as the web page does), its Korean exact
        assert article_page(3).decode().split("<p>")[1].split("</p>")[0] in out.replace("\n", "")
        shown = json.loads(newspipe("--db", db, "show", dup, "--json").stdout)
        assert shown["duplicate_of"] == orig and shown["sentences"] == []


def test_stats_counts_the_later_stages_of_a_page_without_article_text_as_stopped(tmp_path):
    from scrapers.types import Article, FetchedPage
    archive = Archive(tmp_path / "a.db")
    for i, body in enumerate([["전주시는 3일 한옥마을 야간 개장을 발표했다."], []]):
        url = f"https://t.example/news/{i}"
        aid = archive.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id="t",
                                             fetched_at="2025-06-05T00:00:00+09:00"))
        archive.store_clean(aid, Article(url=url, title="제목", body=body), "t")
    st = archive.stats()["stages"]
    assert st == {"clean": {"done": 1, "no article": 1}, "nlp": {"pending": 1, "stopped": 1},
                  "translate": {"pending": 1, "stopped": 1}}
    assert archive.work_left() == {"clean": 0, "nlp": 1, "translate": 1}


def _history(db, aid):
    return _rows(db, "SELECT provenance, title_en IS NOT NULL OR in_article, sentences_en FROM translations "
                     "WHERE article_id=? ORDER BY id", aid)


def test_a_translation_that_failed_qa_is_never_listed_as_a_translation(tmp_path, analyser, libre):
    with RedirectSite() as site:
        pipe = _site_and_pipe(site, tmp_path, analyser, ["/article/0", "/article/1"], _libre(libre))
        libre.fail_next = ["garbage"] * 20              # every line comes back as the Korean it was sent
        first = _run(pipe, translate=True)
        db = tmp_path / "a.db"
        assert first.counts["translate_failed"] == 2 and first.pending["translate"] == 2
        assert _rows(db, "SELECT DISTINCT translate_status FROM articles") == [("retry",)]
        assert _rows(db, "SELECT count(*) FROM translations") == [(0,)]
        shown = json.loads(newspipe("--db", db, "show", 1, "--json").stdout)
        assert shown["translations"] == [] and "Hangul left" in shown["translate_error"]

        libre.fail_next = []
        second = _run(pipe, translate=True)             # the translator answers properly again
        assert second.counts["translated"] == 2
        assert [h[:2] for h in _history(db, 1)] == [("machine", 1)]
        res = newspipe("--db", db, "show", 1, env={"COLUMNS": "200"})
        assert "translation history" not in res.stdout, res.stdout
        english = _rows(db, "SELECT title_en, body_en FROM articles WHERE id=1")

        # A retranslation that fails QA keeps the English and adds nothing to the history.
        libre.fail_next = ["garbage"] * 20
        third = _run(pipe, translate=True, retranslate=True)
        assert third.counts["translate_failed"] == 2
        assert [h[:2] for h in _history(db, 1)] == [("machine", 1)]
        assert _rows(db, "SELECT title_en, body_en FROM articles WHERE id=1") == english
        assert _rows(db, "SELECT DISTINCT translate_status FROM articles") == [("done",)]


def test_an_article_deleted_at_the_source_is_kept_marked_gone_and_asked_again_only_weekly(tmp_path, analyser):
    with RedirectSite() as site:
        pipe = _site_and_pipe(site, tmp_path, analyser, ["/article/0", "/article/1"])
        now = [datetime(2025, 6, 5, tzinfo=KST)]
        pipe.archive.clock = lambda: now[0]
        _run(pipe)
        db = tmp_path / "a.db"
        [(aid,)] = _rows(db, "SELECT id FROM articles WHERE url LIKE '%/article/1'")
        text = _rows(db, "SELECT title_ko, body_ko, clean_status, nlp_status FROM articles WHERE id=?", aid)
        site.gone["/article/1"] = 404
        second = _run(pipe, refresh_days=7)
        assert second.counts["gone"] == 1 and second.errors == [] and second.exit_code == 0
        assert any("no longer at its source" in n and "HTTP 404" in n for n in second.notes), second.notes
        assert _rows(db, "SELECT title_ko, body_ko, clean_status, nlp_status FROM articles WHERE id=?", aid) == text
        shown = json.loads(newspipe("--db", db, "show", aid, "--json").stdout)
        assert shown["gone"] == {"status": 404, "since": "2025-06-05T00:00:00+09:00",
                                 "last_asked": "2025-06-05T00:00:00+09:00"}
        res = newspipe("--db", db, "show", aid, env={"COLUMNS": "200"})
        assert "gone from the source: HTTP 404 since 2025-06-05" in res.stdout, res.stdout
        page = _web_page(db, f"/-/article/{aid}")                 # the web article page says it too
        assert ('<p class="np-notice" id="gone">gone from the source: HTTP 404 since 2025-06-05 (last asked '
                "2025-06-05); the archive keeps the article</p>") in page
        assert 'id="gone"' not in _web_page(db, "/-/article/1")
        assert json.loads(newspipe("--db", db, "show", 1, "--json").stdout)["gone"] is None
        stats = json.loads(newspipe("--db", db, "stats", "--json").stdout)
        assert stats["last_run"]["failures"] == {} and stats["gone"] == 1

        hits = site.hits.get("/article/1", 0)
        now[0] = datetime(2025, 6, 11, tzinfo=KST)       # within a week of the 404: not asked again
        third = _run(pipe, refresh_days=30)
        assert site.hits.get("/article/1", 0) == hits and third.counts["refreshed"] == 1
        now[0] = datetime(2025, 6, 13, tzinfo=KST)       # a week on: asked again, still gone, still no failure
        fourth = _run(pipe, refresh_days=30)
        assert site.hits["/article/1"] == hits + 1 and fourth.counts["gone"] == 1 and fourth.errors == []
        shown = json.loads(newspipe("--db", db, "show", aid, "--json").stdout)
        assert shown["gone"]["since"] == "2025-06-05T00:00:00+09:00"
        assert shown["gone"]["last_asked"] == "2025-06-13T00:00:00+09:00"

        del site.gone["/article/1"]                      # back at the source: the mark goes
        now[0] = datetime(2025, 6, 21, tzinfo=KST)
        fifth = _run(pipe, refresh_days=30)
        assert fifth.counts.get("gone", 0) == 0 and site.hits["/article/1"] == hits + 2
        assert json.loads(newspipe("--db", db, "show", aid, "--json").stdout)["gone"] is None
        assert "gone from the source" not in newspipe("--db", db, "show", aid, env={"COLUMNS": "200"}).stdout


def _web_page(db, path: str) -> str:
    import asyncio

    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    r = asyncio.run(ds.client.get(path))
    assert r.status_code == 200, r.text[:300]
    return r.text


def _asked(site, path):
    """The headers (lower-cased names) of every request for ``path`` the site has logged."""
    return [{k.lower(): v for k, v in h.items()} for p, h in site.log if p == path]


def test_a_redirects_target_is_asked_once_a_run_and_conditionally(tmp_path, analyser):
    with RedirectSite() as site:
        paths = [f"/article/{i}" for i in range(4)]
        pipe = _site_and_pipe(site, tmp_path, analyser, paths)
        _run(pipe)
        db = tmp_path / "a.db"
        [(etag,)] = _rows(db, "SELECT etag FROM pages WHERE url LIKE '%/article/3'")
        site.moved["/article/12"] = "/article/3"
        site.put("/rss.xml", _rss(site.base, paths + ["/article/12"]), "application/rss+xml")
        for run in ("the hop first", "the refresh first"):   # run 2: 12 is new; run 3: 12 is refreshed after 3
            site.log.clear()
            summary = _run(pipe, refresh_days=7)
            asked = _asked(site, "/article/3")
            assert len(asked) == 1 and asked[0].get("if-none-match") == etag, (run, asked)
            assert summary.errors == [] and summary.counts["not_modified"] >= 1, (run, summary.counts)
        # the redirect still makes its article, a duplicate of the stored one it leads to
        [(dup, orig)] = _rows(db, "SELECT id, duplicate_of FROM articles WHERE url LIKE '%/article/12'")
        assert orig == _rows(db, "SELECT id FROM articles WHERE url LIKE '%/article/3'")[0][0], (dup, orig)


def test_the_fetcher_shares_one_answer_per_url_between_a_redirect_and_the_page_at_once():
    """The run's two asks in flight together (asyncio.gather), through httpx.MockTransport: the target is asked
    once, conditionally on its own validators, and both fetches end with its answer; without ``once`` (a
    listing's fetch, `sources check`) each fetch asks for itself."""
    import asyncio

    import httpx

    from scrapers.fetch import Fetcher
    asked: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.path, request.headers.get("if-none-match")))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/12.html":
            return httpx.Response(302, headers={"location": "/3.html"})
        if request.headers.get("if-none-match") == '"v3"':
            return httpx.Response(304, headers={"etag": '"v3"'})
        return httpx.Response(200, headers={"content-type": "text/html", "etag": '"v3"'}, content="<p>셋</p>".encode())

    stored = {"http://t.test/3.html": ('"v3"', None)}

    stats = {}

    async def go(once: bool):
        async with Fetcher(FetchSettings(delay=0, retries=0), transport=httpx.MockTransport(handler)) as f:
            pages = await asyncio.gather(*(f.fetch(u, etag=stored.get(u, (None, None))[0], once=once,
                                                   validators=lambda url: stored.get(url, (None, None)))
                                           for u in ("http://t.test/12.html", "http://t.test/3.html")))
            stats.update(f.stats, held=f._held)
            return pages

    hop, page = asyncio.run(go(True))
    assert [a for a in asked if a[0] == "/3.html"] == [("/3.html", '"v3"')], asked
    assert (hop.not_modified, hop.final_url, page.not_modified, page.status) == (True, "http://t.test/3.html", True, 304)
    assert (stats["not_modified"], stats["held"]) == (1, 0)        # the server's one 304, counted once
    asked.clear()

    # The hop on its redirect's validators (3.html has none of its own stored: the copy is 12.html's): its 304
    # is not the page's answer -- the page's own ask gets the page.
    stored = {"http://t.test/12.html": ('"v3"', None)}
    hop, page = asyncio.run(go(True))
    assert {a for a in asked if a[0] == "/3.html"} == {("/3.html", '"v3"'), ("/3.html", None)} and len(asked) == 4, asked
    assert (hop.not_modified, page.status, page.body) == (True, 200, "<p>셋</p>".encode())
    asked.clear()

    async def pairs():      # pages and redirects onto them at once: the page's own ask takes the body first
        async with Fetcher(FetchSettings(delay=0, retries=0), transport=httpx.MockTransport(handler)) as f:
            await asyncio.gather(*(f.fetch("http://t.test/3.html", once=True) for _ in range(1)),
                                 f.fetch("http://t.test/12.html", once=True))
            return f._held
    assert asyncio.run(pairs()) == 0                                # no body is counted as held that is not
    asked.clear()
    stored = {"http://t.test/3.html": ('"v3"', None)}

    async def hop_then_page(max_held: int):     # a hop's 200 body kept for the page's own ask, within max_held
        async with Fetcher(FetchSettings(delay=0, retries=0), transport=httpx.MockTransport(handler)) as f:
            f.max_held = max_held
            hop = await f.fetch("http://t.test/12.html", once=True)
            held = f._held
            page = await f.fetch("http://t.test/3.html", once=True)
            return hop, page, held, f._held

    hop, page, held, after = asyncio.run(hop_then_page(1 << 20))
    assert [a for a in asked if a[0] == "/3.html"] == [("/3.html", None)], asked
    assert (hop.body, page.body, page.status, held, after) == ("<p>셋</p>".encode(),) * 2 + (200, 10, 0)
    asked.clear()
    hop, page, held, after = asyncio.run(hop_then_page(0))      # nothing may be held: asked again, as before
    assert [a for a in asked if a[0] == "/3.html"] == [("/3.html", None)] * 2, asked
    assert (hop.body, page.body, page.status, held, after) == ("<p>셋</p>".encode(),) * 2 + (200, 0, 0)
    asked.clear()
    asyncio.run(go(False))
    assert [a for a in asked if a[0] == "/3.html"] == [("/3.html", '"v3"')] * 2, asked
