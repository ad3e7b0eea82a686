"""The web archive after a new user's trial (round 8), in this process through Datasette's own client: the
publisher's own English where there is no machine English (hits, downloads, the article page beside the
Korean), and the page's details -- an id that is no article's, a query that is not UTF-8 or holds a control
character, yes/no switches, an empty result, the home page's tables, the publication time. The articles are
written for these tests."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import re

import pytest

from conftest import LibreStub, newspipe
from db.archive import Archive
from pipeline.run import Pipeline, RunOptions
from pipeline.serve import SETTINGS
from scrapers.types import Article, FetchedPage, PublisherTranslation, Source
from translate.backends import LibreBackend

PUB_KO = ["전주시가 탄소소재 기업 3곳을 유치했다.", "새로 뽑는 150명 가운데 80% 이상은 지역 주민으로 채용한다."]
PUB_EN = ["Jeonju City attracted three carbon material companies.",
          "More than 80% of the 150 new employees will be hired from local residents."]


@pytest.fixture(scope="module")
def site(tmp_path_factory, analyser):
    db = tmp_path_factory.mktemp("trial") / "t.db"
    arch = Archive(db)
    srcs = [Source(id="jb", name="전북 시험", outlet="전북시험일보", region="전북"),
            Source(id="gn", name="경남 시험", outlet="경남시험신문", region="경남")]
    arch.sync_sources(srcs)
    rows = [("gn", "창원시, 탄소중립 기업 지원", ["창원시는 탄소중립 기업을 지원한다.", "시는 예산을 늘린다."], True),  # 1: both
            ("jb", "전주시, 탄소소재 기업 3곳 유치", PUB_KO, True),             # 2: the publisher's English only
            ("jb", "전주 비빔밥 축제 개막", ["전주 비빔밥 축제가 27일 개막했다."], False)]   # 3: no English
    for i, (sid, title, body, pub) in enumerate(rows, 1):
        url = f"https://{sid}.example/news/{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id=sid,
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        en = PUB_EN if sid == "jb" else ["Changwon supports carbon-neutral companies.", "The city raises its budget."]
        arch.store_clean(aid, Article(
            url=url, title=title, body=body, published_at=f"2024-10-1{i}T13:42:00+09:00", authors=["이서연"],
            publisher_translation=PublisherTranslation("en", f"The publisher's title {i}", "", en) if pub else None),
            "t")
        if i == 1:                              # machine English for article 1 only
            with LibreStub() as libre:
                Pipeline(arch, srcs, analyser=analyser,
                         backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(RunOptions(crawl=False))
    Pipeline(arch, srcs, analyser=analyser).run(RunOptions(crawl=False, translate=False))
    arch.close()
    from datasette.app import Datasette
    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    return ds, db


def get(ds, path: str, **params):
    return asyncio.run(ds.client.get(path, params=params))


def _error_line(page) -> str:
    return re.search(r'<p class="message-error np-error">(.*?)</p>', page.text).group(1)


# ----------------------------------------------------------------------------- the publisher's English (#3)
def test_hits_show_the_publishers_english_where_there_is_no_machine_english(site):
    ds, db = site
    web = get(ds, "/-/search", q="탄소", format="json").json()
    hits = {h["id"]: h for h in web["hits"]}
    assert set(hits) == {1, 2}
    assert hits[2]["title_en"] == "The publisher's title 2" and hits[2]["en_provenance"] == "publisher"
    assert hits[2]["snippet_en"] == PUB_EN[0]                   # the English of the paragraph that matched
    assert hits[1]["en_provenance"] == "machine" and hits[1]["publisher_english"] is True
    assert hits[1]["title_en"] != "The publisher's title 1"    # the machine's, beside the Korean
    cli = newspipe("--db", db, "search", "탄소", "--json")
    assert cli.returncode == 0 and [json.loads(x) for x in cli.stdout.splitlines()] == web["hits"]
    text = newspipe("--db", db, "search", "탄소소재").stdout
    assert "The publisher's title 2  (the publisher's English)" in text and PUB_EN[0] in text
    page = get(ds, "/-/search", q="전주")
    metas = re.findall(r'<p class="np-meta">([^<]*)', page.text)
    assert any("the publisher's English" in m.replace("&#39;", "'") for m in metas)
    assert any("not translated yet" in m for m in metas)                       # article 3
    assert "The publisher&#39;s title 2" in page.text
    both = get(ds, "/-/search", q="창원")
    assert "machine English (the publisher&#39;s too)" in both.text


def test_the_downloads_hold_the_publishers_english_with_its_provenance(site):
    ds, db = site
    rows = list(csv.DictReader(io.StringIO(get(ds, "/-/search", q="전주", format="csv").text.lstrip("\ufeff"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id["2"]["title_en"] == "The publisher's title 2" and by_id["2"]["body_en"] == "\n".join(PUB_EN)
    assert by_id["2"]["translation_provenance"] == "publisher"
    assert by_id["3"]["title_en"] == "" and by_id["3"]["translation_provenance"] == ""
    lines = [json.loads(x) for x in get(ds, "/-/search", q="탄소", format="jsonl").text.splitlines()]
    assert [x["id"] for x in lines if x["provenance"] == "publisher"] == ["1-publisher", "2-publisher"]
    assert any(x["provenance"] == "machine" and x["id"].startswith("1-") for x in lines)
    exported = newspipe("--db", db, "export", "--format", "jsonl", "--level", "article", "--provenance", "publisher",
                        "-o", "-")
    assert exported.returncode == 0
    assert [x for x in lines if x["provenance"] == "publisher"] == [json.loads(x) for x in exported.stdout.splitlines()]


def _english_column(page) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td lang="en"[^>]*>(.*?)</td>', page.text, re.S)]


def test_the_article_page_puts_the_publishers_english_beside_the_korean(site):
    ds, _ = site
    page = get(ds, "/-/article/2")
    assert page.status_code == 200
    ko = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td lang="ko"[^>]*>(.*?)</td>', page.text, re.S)]
    assert ko == PUB_KO and _english_column(page) == PUB_EN               # paragraph beside paragraph
    assert "not translated yet" not in page.text and "English (the publisher&#39;s own)" in page.text
    assert '<h2 lang="en">The publisher&#39;s title 2</h2>' in page.text
    both = get(ds, "/-/article/1")                   # machine English by default, the publisher's one click away
    assert "Changwon supports carbon-neutral companies." not in _english_column(both)
    assert 'href="/-/article/1?en=publisher"' in both.text and 'id="publisher"' in both.text
    chosen = get(ds, "/-/article/1", en="publisher")
    assert _english_column(chosen) == ["Changwon supports carbon-neutral companies.", "The city raises its budget."]
    assert 'href="/-/article/1">machine English</a>' in chosen.text


# ----------------------------------------------------------------------------- the page's details (#8)
@pytest.mark.parametrize("path", ["/-/article/abc", "/-/article/-1", "/-/article/1.0", "/-/article/999"])
def test_an_id_that_is_no_articles_is_the_archives_own_404(site, path):
    ds, _ = site
    page = get(ds, path)
    assert page.status_code == 404 and "No article" in page.text and "Database not found" not in page.text
    assert 'href="/-/search"' in page.text


def test_the_published_time_reads_in_kst_on_one_line(site):
    ds, _ = site
    page = get(ds, "/-/article/2")
    assert '<span class="np-time">published 2024-10-12 13:42 KST</span>' in page.text
    assert "2024-10-12T13:42" not in page.text and ".np-time { white-space: nowrap; }" in page.text


def test_a_query_not_in_utf8_says_so(site):
    ds, _ = site
    page = asyncio.run(ds.client.get("/-/search?q=%C0%FC%C1%D6"))          # 전주 in EUC-KR
    assert page.status_code == 400
    assert _error_line(page) == ("q is not UTF-8: as EUC-KR they read &#39;전주&#39;: send it UTF-8-encoded, as a "
                                 "browser and the search form do")
    js = asyncio.run(ds.client.get("/-/search?q=%C0%FC%C1%D6&format=json"))
    assert js.status_code == 400 and js.json()["error"].startswith("q is not UTF-8")


@pytest.mark.parametrize("query", ["전주\x00<b>", "전주\x1b[31m", "\x7f"])
def test_a_control_character_is_refused_and_never_echoed_raw(site, query):
    ds, _ = site
    page = get(ds, "/-/search", q=query)
    assert page.status_code == 400 and "holds a control character (U+00" in _error_line(page)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page.text)
    assert "&lt;b&gt;" in page.text or "<b>" not in query
    since = get(ds, "/-/search", q="전주", since="\x00")
    assert since.status_code == 400 and "\x00" not in since.text


@pytest.mark.parametrize("length", [501, 1800, 5000])
def test_an_overlong_query_gets_the_friendly_answer(site, length):
    ds, _ = site
    page = get(ds, "/-/search", q="전" * length)
    assert page.status_code == 400 and _error_line(page) == "query longer than 500 characters"


def test_switches_take_the_same_spellings(site):
    ds, _ = site
    for yes, no in (("yes", "no"), ("1", "0"), ("true", "false"), ("TRUE", "No")):
        assert get(ds, "/-/search", q="탄소", translated=yes, format="json").json()["total"] == 1
        assert get(ds, "/-/search", q="탄소", translated=no, format="json").json()["total"] == 1
        assert get(ds, "/-/search", q="탄소", all_copies=yes, format="json").json()["all_copies"] is True
        assert get(ds, "/-/search", q="탄소", all_copies=no, format="json").json()["all_copies"] is False
    for name in ("translated", "all_copies"):
        bad = get(ds, "/-/search", q="탄소", **{name: "maybe"})
        assert bad.status_code == 400
        assert _error_line(bad) == f"{name} must be yes or no (or 1/0, true/false), not &#39;maybe&#39;"


def test_an_unknown_source_lists_the_known_ones(site):
    ds, db = site
    page = get(ds, "/-/search", q="전주", source="bogus")
    assert page.status_code == 400 and _error_line(page) == "unknown source &#39;bogus&#39;: this archive has gn, jb"


def test_an_empty_result_offers_no_copies_or_downloads(site):
    ds, _ = site
    empty = get(ds, "/-/search", q="한라산")
    assert empty.status_code == 200 and "<strong>0</strong> stories" in empty.text
    assert "Show every copy" not in empty.text and "format=csv" not in empty.text and "Download" not in empty.text
    full = get(ds, "/-/search", q="전주")
    assert "Show every copy" in full.text and "format=csv" in full.text


def test_the_home_page_lists_the_archives_tables_and_hides_the_internal_ones(site):
    ds, _ = site
    home = get(ds, "/t")
    listed = re.findall(r'<h3><a href="/t/([a-z_0-9]+)">', home.text)
    assert "articles" in listed
    for internal in ("ko_forms", "_sqlite_migrations", "translation_memory", "sentence_spans", "page_bodies"):
        assert internal not in listed
    assert get(ds, "/t/ko_forms").status_code == 200          # hidden, not gone
