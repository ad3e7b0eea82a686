"""Queries as newcomers type or paste them: a headline whose words are joined by marks (…, ·, a comma, a
slash) finds its own article, in the engine of `newspipe search` and of the web page alike; lower-case or/and;
an operator alone; a `*`. The archive is the demo's pages (written for the demo), cleaned and analysed."""
from __future__ import annotations

import asyncio
import json

import pytest

from conftest import newspipe, store_demo_pages
from db.archive import Archive
from db.search import QueryError, ko_match, en_match, parse, search
from nlp import query
from pipeline.demo import PAGES
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Source


@pytest.fixture(scope="module")
def demo(tmp_path_factory, analyser):
    db = tmp_path_factory.mktemp("marks") / "d.db"
    arch = Archive(db)
    srcs = [Source(id=s, name=s, outlet=s, region="전북") for s in sorted({p.source for p in PAGES})]
    arch.sync_sources(srcs)
    for s in srcs:
        store_demo_pages(arch, s.id, [p.file for p in PAGES if p.source == s.id])
    Pipeline(arch, srcs, analyser=analyser).run(RunOptions(crawl=False, translate=False))
    arch.close()
    return Archive(db, readonly=True), db


def ids(hits):
    return [h.id for h in hits]


@pytest.mark.parametrize("token,words", [
    ("주차난…임시", ["주차난", "임시"]), ("주차난...임시", ["주차난", "임시"]), ("3곳·셔틀버스", ["3곳", "셔틀버스"]),
    ("한옥마을,주차난", ["한옥마을", "주차난"]), ("Wanju,hydrogen", ["Wanju", "hydrogen"]), ("a/b|c;d", list("abcd")),
    ("전주ㆍ군산", ["전주", "군산"]), ("전주・군산", ["전주", "군산"]), ("전주‧군산", ["전주", "군산"]),
    ("“전주”군산", ["전주", "군산"]), ("시장'주차난'", ["시장", "주차난"]), ("[속보]전주", ["속보", "전주"]),
    # one word each: kept whole as before
    ("Korea's", ["Korea's"]), ("COVID-19", ["COVID-19"]), ("3.5", ["3.5"]), ("1만2천여", ["1만2천여"]),
    ("2024.10.17", ["2024.10.17"]), ("AT&T", ["AT&T"]),
    # Latin letters and Hangul without a space: two words, as Kiwi reads them (a new user's trial)
    ("SNS대상", ["SNS", "대상"]), ("KTX역에서", ["KTX", "역에서"]), ("가나SNS", ["가나", "SNS"]),
    ("K-팝", ["K-팝"]), ("COVID-19로", ["COVID-19로"]),
])
def test_marks_between_words_cut_a_token_into_words(token, words):
    assert query.token_words(token) == words


def test_every_demo_headline_pasted_finds_its_own_article(demo):
    """The titles as the archive holds them (주차난…임시 주차장 3곳·셔틀버스, 전주시, 탄소소재 …): each one, pasted whole
    as a query, finds its article (all of them found none when two words were joined by a mark)."""
    arch = demo[0]
    titles = {a.id: a.title_ko for a in arch.cleaned_articles()}
    assert len(titles) == len(PAGES) and any("…" in t for t in titles.values())
    for aid, title in titles.items():
        assert aid in ids(search(arch, title, lang="ko")), title


@pytest.mark.parametrize("query,title_has", [
    ("주차난…임시", "주차난…임시"), ("3곳·셔틀버스", "3곳·셔틀버스"), ("한옥마을,주차난", "주차난"),
    ("전주/주차난", "주차난"), ("익산…토요일", "미륵사지"), ('"3곳·셔틀버스 투입"', "셔틀버스 투입"),
])
def test_joined_words_search_as_separate_words(demo, query, title_has):
    arch = demo[0]
    hits = search(arch, query, lang="ko")
    assert hits and all(title_has in h.title_ko for h in hits), query


def test_joined_words_never_leak_fts_syntax(demo):
    """Operators, NEAR, * and ^ joined to words by marks are words, quoted: every such query runs."""
    for q in ("전주…OR", "전주,NOT", "a/NEAR", "x,*,y", "주차난·^임시", "Wanju/OR/hydrogen", "전주…AND…"):
        for lang in ("ko", "en"):
            search(demo[0], q, lang=lang)
    assert en_match("Wanju,hydrogen")[0] == '("Wanju" AND "hydrogen")'
    assert en_match("Wanju/OR/hydrogen")[0] == '("Wanju" AND "OR" AND "hydrogen")'


def test_english_words_joined_by_a_comma(demo):
    """The publisher's English (newswave pages): Wanju,hydrogen finds the Wanju hydrogen-bus article."""
    arch = demo[0]
    hits = search(arch, "Wanju,hydrogen", lang="en")
    assert hits and all("완주" in h.title_ko for h in hits)


def test_the_web_page_finds_a_pasted_headline(demo):
    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    arch, db = demo
    title = next(a.title_ko for a in arch.cleaned_articles() if "주차난…임시" in a.title_ko)
    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    res = asyncio.run(ds.client.get("/-/search", params={"q": title, "format": "json"}))
    assert res.status_code == 200
    assert [h["title_ko"] for h in res.json()["hits"]] == [title]


def test_lower_case_or_and_between_words_are_the_operators(demo):
    arch = demo[0]
    assert set(ids(search(arch, "익산 or 무주", lang="ko"))) == set(ids(search(arch, "익산 OR 무주", lang="ko")))
    assert len(ids(search(arch, "익산 or 무주", lang="ko"))) == 2
    assert ids(search(arch, "전주 and 주차난", lang="ko")) == ids(search(arch, "전주 주차난", lang="ko")) != []
    assert [n.kind for n in parse('전주 "or" 군산')] == ["word", "phrase", "word"]      # quoted: a word
    assert [n.kind for n in parse("or 전주")] == ["word", "word"]                    # not between two terms


@pytest.mark.parametrize("query,says", [
    ("OR", 'OR needs a term before it (OR joins two terms: 전주 OR 군산'),
    ("AND 전주", "AND needs a term before it (AND joins two terms"),
    ("NOT 전주", "NOT needs a term before it (NOT is binary"),
    ("전주 OR", "OR needs a term after it (OR joins two terms"),
])
def test_an_operator_alone_is_named_with_its_own_use(query, says):
    with pytest.raises(QueryError) as err:
        parse(query)
    assert says in str(err.value) and "NOT is binary" not in str(err.value).replace(says, "")


def test_a_star_gets_a_note(demo):
    assert "there is no '*' prefix search: 전* searches the word 전 itself" in query.notes("전*")[0]
    assert "Jeon* searches the word Jeon itself" in query.notes("Jeon*")[0]
    assert query.notes("전주 군산") == query.notes("전주*") == query.notes('"전*"') == []   # 전주 is a prefix anyway
    res = newspipe("--db", demo[1], "search", "전*")
    assert res.returncode == 0 and "there is no '*' prefix search" in res.stderr and res.stderr.count("\n") == 1


def test_cli_finds_a_pasted_headline(demo):
    res = newspipe("--db", demo[1], "search", "전주 한옥마을 주말 주차난…임시 주차장 3곳·셔틀버스 투입", "--json")
    assert res.returncode == 0, res.stderr
    assert [json.loads(x)["title_ko"] for x in res.stdout.splitlines()] == [
        "전주 한옥마을 주말 주차난…임시 주차장 3곳·셔틀버스 투입"]


def test_latin_and_hangul_typed_without_a_space_find_the_article(tmp_path, analyser):
    """'SNS대상' found nothing where the text says 'SNS 대상': the query word was looked up whole, while Kiwi always
    reads Latin letters and Hangul as two words (a new user's trial). The page is invented for this test."""
    from scrapers.types import FetchedPage
    arch = Archive(tmp_path / "k.db")
    src = Source(id="gana", name="가나일보", outlet="가나일보", region="가나")
    arch.sync_sources([src])
    body = ("<html><head><meta charset='utf-8'><title>가나시 SNS 대상 수상</title></head><body><article>"
            "<h1>가나시, 대한민국 SNS 대상 수상</h1><p>가나시가 올해 대한민국 SNS 대상에서 기초지자체 부문 대상을 받았다고 "
            "밝혔다.</p><p>홍길동 가나시 홍보과장은 KTX 역 광장에서 열린 시상식에서 상을 받았다.</p>"
            "<p>가나시는 앞으로도 시민과 소통을 늘리겠다고 덧붙였다.</p></article></body></html>")
    url = "https://ganailbo.example/news/1"
    arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=body.encode(), content_type="text/html",
                                source_id="gana", fetched_at="2026-11-26T00:00:00+09:00"))
    Pipeline(arch, [src], analyser=analyser).run(RunOptions(crawl=False, translate=False))
    for q in ("SNS대상", "SNS대상을", "KTX역", '"SNS대상"'):
        assert len(search(arch, q, lang="ko")) == 1, q
    assert search(arch, "SNS대상 NOT 가나시", lang="ko") == []


def test_a_number_is_marked_where_a_number_starts():
    """A new user's trial: the query 1 marked the 1 of 21일 (the index holds 21 whole and matches numbers by their
    start, so 10월 is a match and 21일 is not)."""
    from db.search import highlight
    assert highlight("지난 21일 1명이 10월에 2024년", ["1"]) == "지난 21일 [1]명이 [1]0월에 2024년"
    assert highlight("지난 21일 전주시", ["전주", "21"]) == "지난 [21]일 [전주]시"
