"""The plugin's pages (db/web.py) in this process, through Datasette's own client: the search page in every
format, its refusals, the article page. (tests/test_serve.py drives the same pages through a real server and
a browser; this file reaches them where coverage can see them.) The articles are written for these tests."""
from __future__ import annotations

import asyncio
import csv
import html
import io
import json

import pytest

from conftest import LibreStub
from db.archive import Archive
from pipeline.run import Pipeline, RunOptions
from pipeline.serve import SETTINGS
from scrapers.types import Article, Caption, FetchedPage, PublisherTranslation, Removed, Source
from translate.backends import LibreBackend

ARTICLES = [
    ("전주시, 한옥마을 야간 개장 확대", ["전주시는 26일 한옥마을 야간 개장을 평일까지 넓힌다고 밝혔다.",
                                 "시는 셔틀버스를 밤 10시까지 운행한다."], "2026-11-26T09:00:00+09:00"),
    ("군산시, 근대거리 음식 축제", ["군산시는 근대역사거리에서 세계 음식 축제를 연다고 밝혔다."], "2026-11-20T10:00:00+09:00"),
    ("전주 비빔밥 축제 개막", ["전주 비빔밥 축제가 27일 전주시 한옥마을 일원에서 개막했다."], "2026-10-27T11:00:00+09:00"),
]

REMOVED = [Removed("저작권자 © 전북시험일보 무단전재 및 재배포 금지", "copyright"),
           Removed("홍길동 기자 hong@jb.example", "byline"), Removed("▶ 관련기사: 전주 비빔밥 축제 개막", "related")]


@pytest.fixture(scope="module")
def site(tmp_path_factory, analyser):
    db = tmp_path_factory.mktemp("web") / "w.db"
    arch = Archive(db)
    src = Source(id="jb", name="전북 시험", outlet="전북시험일보", region="전북")
    arch.sync_sources([src])
    for i, (title, body, published) in enumerate(ARTICLES, 1):
        url = f"https://jb.example/news/articleView.html?idxno={i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id="jb",
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        arch.store_clean(aid, Article(
            url=url, title=title, body=body, published_at=published, authors=["홍길동"],
            captions=[Caption("한옥마을 야경", "전주시 제공")] if i == 1 else [],
            removed=REMOVED if i == 1 else [],
            publisher_translation=PublisherTranslation("en", "Gunsan holds a food festival", "",
                                                       ["Gunsan City holds a world food festival."]) if i == 2 else None),
            "t")
    with LibreStub() as libre:
        Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
            RunOptions(crawl=False))
    arch.close()
    from datasette.app import Datasette
    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds, path: str, **params):
    return asyncio.run(ds.client.get(path, params=params))


def test_the_search_page_lists_hits_marks_the_word_and_draws_the_trend(site):
    r = get(site, "/-/search", q="전주")
    assert r.status_code == 200
    assert "전주시, 한옥마을 야간 개장 확대" in r.text and "전주 비빔밥 축제 개막" in r.text
    assert "<mark>전주" in r.text and "<svg" in r.text and "/-/article/1" in r.text
    assert "군산시, 근대거리" not in r.text


def test_with_many_matches_the_counts_come_behind_the_hits(site, monkeypatch):
    """An archive of fewer than SUMMARY_INLINE articles: counts, related words, chart and pages are on the page.
    Larger: the page has the hits and a script fetches that part (format=summary): the same markup, exact,
    behind them."""
    import re

    import db.web_summary as summary
    def parts(page):
        """(top, pager): the summary's two places on a page, or its two parts in a summary answer."""
        found = (re.search(r'<div id="np-top"[^>]*>(.*?)</div>\n<ol.*<div id="np-pager">(.*?)</div>\n<p', page, re.S)
                 or re.fullmatch(r'<div data-np-part="top">(.*)</div><div data-np-part="pager">(.*)</div>', page, re.S))
        return found.groups()
    whole = get(site, "/-/search", q="전주", limit="1").text
    monkeypatch.setattr(summary, "SUMMARY_INLINE", 2)       # three articles: now a "large" archive
    page = get(site, "/-/search", q="전주", limit="1").text
    assert page.count('class="np-hit"') == 1 and "<mark>전주" in page
    assert 'class="np-total"' not in page and 'class="np-trend"' not in page
    assert "1–1 shown, most relevant first. Counting every match" in page and 'rel="next"' in page
    src = html.unescape(re.search(r'data-src="([^"]+)"', page).group(1))
    assert "format=summary" in src and "fetch(top.getAttribute(\"data-src\"))" in page
    later = asyncio.run(site.client.get(src)).text
    assert parts(later) == parts(whole)
    assert "<strong>2</strong> stories (2 matching articles), 1–1 shown" in parts(later)[0]
    assert 'class="np-trend"' in parts(later)[0] and "format=summary" not in later        # links to pages
    assert '<strong>1</strong><a href="/-/search?q=%EC%A0%84%EC%A3%BC&amp;page=2&amp;limit=1">2</a>' in later


def test_the_search_page_answers_json_csv_and_jsonl(site):
    data = get(site, "/-/search", q="전주", format="json").json()
    assert data["total"] == 2 and {h["id"] for h in data["hits"]} == {1, 3}
    r = get(site, "/-/search", q="전주", format="csv")
    assert r.content.startswith("\ufeff".encode())          # Korean Excel reads UTF-8 with a byte-order mark
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "id" and {row[0] for row in rows[1:]} == {"1", "3"}
    lines = [json.loads(x) for x in get(site, "/-/search", q="전주", format="jsonl").text.splitlines()]
    assert lines and all(x["translation"]["ko"] and x["source"] == "jb" for x in lines)


def test_english_search_finds_the_publishers_own_english(site):
    data = get(site, "/-/search", q="festival", lang="en", format="json").json()
    assert [h["id"] for h in data["hits"]] == [2]


@pytest.mark.parametrize("query", ["전*", "Jeon*", "전주 한*"])
def test_a_star_that_is_no_prefix_gets_the_commands_note(site, query):
    from nlp.query import notes
    r = get(site, "/-/search", q=query)
    word = query.split()[-1][:-1]
    assert r.status_code == 200 and notes(query)          # the note `newspipe search` prints on stderr
    assert html.unescape(r.text).count(f"there is no '*' prefix search: {word}* searches the word {word} itself") == 1


@pytest.mark.parametrize("query", ["전주*", "전주", '"전*"'])
def test_a_star_after_a_prefix_or_in_quotes_gets_no_note(site, query):
    r = get(site, "/-/search", q=query)
    assert r.status_code == 200 and "prefix search" not in r.text


@pytest.mark.parametrize("params", [{"q": '"전주'}, {"q": "전주", "since": "2026-13-01"},
                                    {"q": "전주", "page": "0"}, {"q": "전주", "lang": "fr"}])
def test_a_bad_query_or_field_is_one_line_with_http_400(site, params):
    r = get(site, "/-/search", **params)
    assert r.status_code == 400 and "<form" in r.text
    r = get(site, "/-/search", **params, format="json")
    assert r.status_code == 400 and set(r.json()) >= {"error"}


def test_an_empty_query_shows_the_form(site):
    r = get(site, "/-/search")
    assert r.status_code == 200 and "<form" in r.text and "matches" not in r.text


def test_the_article_page_shows_both_languages_and_its_captions(site):
    r = get(site, "/-/article/1")
    assert r.status_code == 200
    assert "전주시는 26일 한옥마을 야간 개장을 평일까지 넓힌다고 밝혔다." in r.text
    assert "한옥마을 야경" in r.text and "전주시 제공" in r.text
    assert 'name="viewport"' in r.text
    assert get(site, "/-/article/2").status_code == 200
    for missing in ("999", "9223372036854775808", "abc"):
        assert get(site, f"/-/article/{missing}").status_code == 404


def test_the_removals_stored_compressed_show_as_text_in_the_table_and_in_sql(site):
    import sqlite3
    con = sqlite3.connect(site.databases["w"].path)
    assert con.execute("SELECT typeof(removed) FROM articles WHERE id = 1").fetchone() == ("blob",)
    con.close()
    html = get(site, "/w/articles", _col="removed").text
    assert "저작권자 © 전북시험일보 무단전재 및 재배포 금지" in html and "Binary" not in html
    assert "저작권자" in get(site, "/w/articles/1").text
    rows = get(site, "/w.json", sql="select unpacked(removed) as r from articles order by id", _shape="array").json()
    assert [json.loads(r["r"]) for r in rows] == [[{"text": x.text, "reason": x.reason} for x in REMOVED], [], []]


@pytest.mark.parametrize("params", [{"until": "9999-12-31"}, {"since": "1100-01-01"},
                                    {"since": "0001-01-01", "until": "9999-12-31"}])
def test_a_range_wider_than_a_chart_lists_still_gives_the_hits(site, params):
    """until=9999-12-31 was a 400 ('95,678 months: more than 10,000 periods to list') in HTML and JSON while
    `newspipe search` answered it (found in a new user's trial): the hits stand, the chart spans the matches."""
    plain = get(site, "/-/search", q="전주", format="json").json()
    data = get(site, "/-/search", q="전주", format="json", **params).json()
    assert data["total"] == plain["total"] == 2 and {h["id"] for h in data["hits"]} == {1, 3}
    r = get(site, "/-/search", q="전주", **params)
    assert r.status_code == 200 and "<mark>전주" in r.text and "<svg" in r.text
    page = get(site, "/-/search", q="전주", format="summary", **params)
    assert page.status_code == 200 and 'class="np-trend"' in page.text


@pytest.mark.parametrize("path,status", [("/-/article/abc", 404), ("/-/article/-1", 404), ("/-/article/1.0", 404),
                                         ("/nonexistent", 404),
                                         ("/w/articles/99999", 404), ("/w/articles.json?_size=x", 400),
                                         ("/w/nosuch.json", 404)])
def test_a_clients_mistake_is_its_error_page_without_a_traceback(site, capfd, path, status):
    """Every 404 or 400 printed a rich traceback with local variables (~90 lines, ~1 s of CPU) to serve's
    log (found in a new user's trial); the answer is Datasette's error page, as before, and nothing more."""
    capfd.readouterr()
    r = asyncio.run(site.client.get(path))
    out, err = capfd.readouterr()
    assert r.status_code == status
    if path.split("?")[0].endswith(".json"):
        assert r.json()["ok"] is False and r.json()["status"] == status
    elif path.startswith("/-/article/"):       # the archive's own page, not Datasette's "Database not found"
        assert "No article" in r.text and "Database not found" not in r.text
    else:
        assert "<html" in r.text.lower() and f"{status}" in r.text
    assert "Traceback" not in out + err and "locals" not in out + err, (out + err)[:500]


def test_matches_spanning_more_than_a_chart_lists_still_give_the_hits(site, tmp_path):
    """An article stored with a CMS's empty date (0001-01-01: the cleaner now refuses such years, an older
    archive may hold one) made every search matching it a 400, since even the matches spanned 24,000 months
    (found in review): the hits stand, without a chart."""
    import shutil
    import sqlite3

    from datasette.app import Datasette
    db = tmp_path / "w.db"
    shutil.copy(site.databases["w"].path, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE articles SET published_at='0001-01-01T00:00:00+09:00' WHERE id=1")   # its date follows
    con.commit()
    con.close()
    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    data = asyncio.run(ds.client.get("/-/search", params={"q": "전주", "format": "json"})).json()
    assert {h["id"] for h in data["hits"]} == {1, 3}
    page = asyncio.run(ds.client.get("/-/search", params={"q": "전주"}))
    assert page.status_code == 200 and "<mark>전주" in page.text and 'class="np-trend"' not in page.text
