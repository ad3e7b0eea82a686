"""--author: search, export and the web search page keep the articles a reporter wrote -- whole names as bylines
print them ('홍길동 기자' and '홍 길 동' are 홍길동; 홍길 is nobody), any of several; a name no article carries gets
a note, a title alone one error line. The articles are written for these tests (invented names and outlets)."""
from __future__ import annotations

import asyncio
import json

import pytest

from conftest import newspipe
from db.archive import Archive
from db.export import pairs
from db.search import search
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Article, FetchedPage, Source

ARTICLES = [   # (source, title, body, authors)
    ("jb", "전주 한옥마을 관광객 늘어", ["전주시는 한옥마을 관광객이 지난해보다 늘었다고 밝혔다."], ["홍길동"]),
    ("jb", "전주 도로 공사 시작", ["전주시는 다음 달부터 도로 공사를 시작한다고 밝혔다."], ["김가나", "홍길동"]),
    ("gn", "전주와 창원 교류 행사", ["전주시와 창원시가 교류 행사를 열었다고 밝혔다."], ["홍길순"]),
    ("gn", "전주 소식 모음", ["전주시 소식을 모았다고 밝혔다."], []),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, analyser):
    db = tmp_path_factory.mktemp("author") / "a.db"
    arch = Archive(db)
    srcs = [Source(id="jb", name="가나일보", outlet="가나일보", region="전북"),
            Source(id="gn", name="다라신문", outlet="다라신문", region="경남")]
    arch.sync_sources(srcs)
    for i, (sid, title, body, authors) in enumerate(ARTICLES, 1):
        url = f"https://{sid}.example/news/{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id=sid,
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        arch.store_clean(aid, Article(url=url, title=title, body=body, authors=authors,
                                      published_at=f"2026-11-2{i}T09:00:00+09:00"), "t")
    Pipeline(arch, srcs, analyser=analyser).run(RunOptions(crawl=False, translate=False))
    arch.close()
    return db


def ids(hits):
    return sorted(h.id for h in hits)


@pytest.mark.parametrize("author, expected", [
    ("홍길동", [1, 2]), ("홍길동 기자", [1, 2]), ("홍 길 동", [1, 2]), ("홍길동기자", [1, 2]),
    (["홍길순", "김가나"], [2, 3]), ("홍길순, 김가나", [2, 3]), ("홍길", []), ("김철수", []), (None, [1, 2, 3, 4])])
def test_search_keeps_the_articles_a_name_wrote(archive, author, expected):
    arch = Archive(archive, readonly=True)
    assert ids(search(arch, "전주", lang="ko", author=author, collapse=False)) == expected


@pytest.mark.parametrize("given", ["홍길동 대기자", "홍길동 인턴기자", "홍길동 수습 기자", "홍길동 에디터", "홍길동 편집장",
                                   "홍길동 논설위원", "홍길동 PD"])
def test_a_title_after_the_name_is_left_off(given):
    """The read-back: 대기자, 인턴기자 and 수습 기자 left 홍길동대, 홍길동인턴, 홍길동수습; 에디터 and 편집장 stayed on."""
    from db.filters import author_name
    assert author_name(given) == "홍길동"
    assert author_name("홍길대 기자") == "홍길대"           # 대 of 대기자 only after a space: here it ends the name


def test_hits_carry_their_bylines(archive):
    hits = {h.id: h for h in search(Archive(archive, readonly=True), "전주", lang="ko", collapse=False)}
    assert hits[2].authors == ["김가나", "홍길동"] and hits[4].authors == []


def test_export_keeps_the_articles_a_name_wrote(archive):
    got = sorted({p.id.split("-")[0] for p in pairs(Archive(archive, readonly=True), "article", include_all=True,
                                                      author=["홍길동 기자"])})
    assert got == ["1", "2"]


def test_the_command_line(archive):
    res = newspipe("--db", archive, "search", "전주", "--author", "홍길동", "--all-copies", "--json")
    assert res.returncode == 0, res.stderr
    assert sorted(json.loads(x)["id"] for x in res.stdout.splitlines()) == [1, 2]
    res = newspipe("--db", archive, "search", "전주", "--author", "홍길")
    assert res.returncode == 0
    assert "no article of this archive names '홍길' among its authors" in res.stderr
    res = newspipe("--db", archive, "search", "전주", "--author", "기자")
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == ["newspipe: error: --author wants a name (as a byline prints it: "
                                               "홍길동), not '기자'"]
    res = newspipe("--db", archive, "export", "--format", "jsonl", "--level", "article", "--all", "--author",
                   "홍길순", "-o", "-")
    assert res.returncode == 0, res.stderr
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["3"]


def test_the_web_search_page(archive):
    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    ds = Datasette([str(archive)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())

    def get(**params):
        return asyncio.run(ds.client.get("/-/search", params=params))
    page = get(q="전주", author="홍길동", all_copies="1")
    assert page.status_code == 200
    assert "전주 한옥마을 관광객 늘어" in page.text and "전주 도로 공사 시작" in page.text
    assert "전주와 창원 교류 행사" not in page.text and "김가나, 홍길동" in page.text
    assert 'name="author" value="홍길동"' in page.text
    rows = get(q="전주", author="홍길순, 김가나", format="json", all_copies="1").json()
    assert sorted(h["id"] for h in rows["hits"]) == [2, 3]
    bad = get(q="전주", author="기자", format="json")
    assert bad.status_code == 400 and "author wants a name" in bad.text


def test_trends_and_related_take_the_same_filter(archive):
    from db.trends import related, trend
    arch = Archive(archive, readonly=True)
    _, rows = trend(arch, "전주", by="month", author="홍길동")
    assert sum(r["articles"] for r in rows) == 2
    _, rows = trend(arch, "전주", by="month", share=True, author="홍길순")
    assert [(r["articles"], r["all_articles"]) for r in rows] == [(1, 1)]      # the share of 홍길순's articles
    assert related(arch, "전주", author="홍길동")[0] == 2
    res = newspipe("--db", archive, "trends", "전주", "--author", "홍길", "--json")
    assert res.returncode == 0 and "no article of this archive names '홍길'" in res.stderr
    assert all(json.loads(x)["articles"] == 0 for x in res.stdout.splitlines())
    res = newspipe("--db", archive, "related", "전주", "--author", "홍길동", "--json")
    assert res.returncode == 0, res.stderr
