"""Trends as a share of coverage (`newspipe trends --share`, db.trends.trend(share=True), the search page's
chart): a busier month or more outlets must not read as a topic's growth (found in a new user's trial). The
archive is built here from sentences written for these tests: 잼버리 is in 2 of July's 10 articles and 4 of
August's 20 (its count doubles with the archive's), September has no articles, October 5 without it; the
matches are all 전북's (s0, s1), so 경남 (s2) keeps July and August's other articles."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest

from conftest import newspipe
from db.archive import Archive
from db.trends import trend, trends
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Source
from test_stories import _store

SOURCES = [Source(id="s0", name="전북0", outlet="전북영일보", region="전북"),
           Source(id="s1", name="전북1", outlet="전북일일보", region="전북"),
           Source(id="s2", name="경남2", outlet="경남이일보", region="경남")]
JAMBOREE = ["새만금 잼버리 대회 준비 상황을 도지사가 직접 점검했다.",
            "잼버리 야영장 배수 문제가 현장 조사에서 다시 제기됐다.",
            "부안군은 잼버리 부지 정비를 이달 안에 마친다고 밝혔다.",
            "잼버리 참가 청소년 숙소 배정이 지연되고 있다.",
            "잼버리 조직위원회가 폭염 대책 예산을 늘리기로 했다.",
            "잼버리 폐영식 뒤 쓰레기 수거 작업이 이어졌다."]
PLACES = ["전주", "군산", "익산", "정읍", "남원", "김제", "완주", "진안", "무주", "장수", "임실", "순창", "고창",
          "창원", "진주", "통영", "사천", "김해", "밀양", "거제", "양산"]
THINGS = ["도서관 열람실 운영 시간이 늘었다", "전통시장 주차장 공사가 시작됐다", "농산물 직거래 장터가 열렸다",
          "하천 정비 사업 설명회가 열렸다", "버스 노선 개편안이 발표됐다", "어린이 공원 놀이기구를 교체했다"]


def _other(n: int) -> str:
    """An article of its own: a place, a thing and a number no other article shares."""
    place, thing = PLACES[n % len(PLACES)], THINGS[(n // len(PLACES)) % len(THINGS)]
    return f"{place}시 {thing}.\n{place} 시민 {n * 37 + 11}명이 찾았다.\n관리번호 {n * 7919}번이다."


# (source, month, day, body): July 2 of 10 (both 전북), August 4 of 20; one of August's 20 is s1's word-for-word
# copy of a match, which has no search text (db/stages.py: duplicate_of): it counts in the whole, not among the
# matches, and in its original's story
PLAN = ([("s0", 7, 3, JAMBOREE[0]), ("s0", 7, 9, JAMBOREE[1])] + [("s0", 7, 10 + i, None) for i in range(2)]
        + [("s2", 7, 12 + i, None) for i in range(6)]
        + [("s0", 8, 2, JAMBOREE[2]), ("s1", 8, 5, JAMBOREE[3]), ("s0", 8, 6, JAMBOREE[4]),
           ("s1", 8, 7, JAMBOREE[4]), ("s1", 8, 8, JAMBOREE[5])] + [("s1", 8, 10 + i, None) for i in range(3)]
        + [("s2", 8, 1 + i, None) for i in range(12)] + [("s0", 10, 1 + i, None) for i in range(5)])


@pytest.fixture(scope="module")
def archive(tmp_path_factory, analyser):
    path = tmp_path_factory.mktemp("share") / "t.db"
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    for n, (sid, month, day, body) in enumerate(PLAN):
        _store(arch, n, sid, f"기사 {n}호", body or _other(n), f"2024-{month:02d}-{day:02d}T10:00:00+09:00")
    Pipeline(arch, SOURCES, analyser=analyser).run(RunOptions(crawl=False, translate=False))
    return arch, path


def _stories_per_month(path, where: str = "1", params=()) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        return dict(con.execute(
            "SELECT substr(a.published_date, 1, 7), count(DISTINCT x.story_id) FROM articles a JOIN sources s ON "
            f"s.id = a.source_id JOIN article_stories x ON x.article_id = a.id WHERE {where} GROUP BY 1", params))


def test_a_count_that_doubles_with_the_archive_keeps_its_share(archive):
    arch, path = archive
    by, rows = trend(arch, "잼버리", by="month", until="2024-10-31", share=True)
    got = {r["period"]: (r["articles"], r["all_articles"], r["articles_pct"]) for r in rows}
    assert by == "month" and got == {"2024-07": (2, 10, 20.0), "2024-08": (4, 20, 20.0),
                                     "2024-09": (0, 0, None), "2024-10": (0, 5, 0.0)}
    stories = _stories_per_month(path)
    aug = next(r for r in rows if r["period"] == "2024-08")
    assert aug["stories"] == 4 and aug["all_stories"] == stories["2024-08"] == 19     # the copy: no story of its own
    assert aug["stories_pct"] == round(100 * 4 / 19, 3)
    sep = next(r for r in rows if r["period"] == "2024-09")
    assert (sep["all_stories"], sep["stories_pct"]) == (0, None)
    # without share the rows are as before: no totals
    assert set(trend(arch, "잼버리", by="month")[1][0]) == {"query", "period", "start", "end", "articles", "stories"}


def test_the_filters_choose_the_numerator_and_the_denominator_alike(archive):
    arch, path = archive
    north = {r["period"]: (r["articles"], r["all_articles"], r["articles_pct"], r["all_stories"])
             for r in trend(arch, "잼버리", by="month", region="전북", share=True)[1]}
    s = _stories_per_month(path, "s.region = ?", ["전북"])
    assert north == {"2024-07": (2, 4, 50.0, s["2024-07"]), "2024-08": (4, 8, 50.0, s["2024-08"])}
    one = {r["period"]: (r["articles"], r["all_articles"], r["articles_pct"])
           for r in trend(arch, "잼버리", by="month", source=["s1"], share=True)[1]}
    assert one == {"2024-08": (2, 6, round(100 * 2 / 6, 3))}
    # the dates cut both: from August 6, August holds 2 matches of the 13 articles published since then
    _, (rows,) = trends(arch, ["잼버리"], by="month", since="2024-08-06", until="2024-08-31", share=True)
    assert [(r["articles"], r["all_articles"]) for r in rows] == [(2, 13)]
    # a source whose articles never match: its articles are the whole, 0 % where it has some
    _, (rows,) = trends(arch, ["잼버리"], by="month", source=["s2"], since="2024-07-01", until="2024-09-30",
                        share=True)
    assert [(r["period"], r["articles"], r["all_articles"], r["articles_pct"]) for r in rows] == [
        ("2024-07", 0, 6, 0.0), ("2024-08", 0, 12, 0.0), ("2024-09", 0, 0, None)]


def test_share_on_the_command_line_bars_json_csv(archive):
    _, path = archive
    r = newspipe("--db", path, "trends", "잼버리", "부안군", "--by", "month", "--until", "2024-10-31", "--share")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["period", "잼버리", "부안군"]
    assert lines[1].startswith("2024-07") and "█ 20.0% 2/10 (2/" in lines[1] and "0.0% 0/10" in lines[1]
    assert "█ 20.0% 4/20 (4/19)" in lines[2] and "█ 5.0% 1/20 (1/19)" in lines[2]
    assert lines[3].split() == ["2024-09", "no", "articles", "no", "articles"]
    assert lines[4].split()[:3] == ["2024-10", "0.0%", "0/5"] and "█" not in lines[4]
    assert lines[-1].startswith("per cent of the period's articles")
    r = newspipe("--db", path, "trends", "잼버리", "--by", "month", "--until", "2024-10-31", "--share", "--json")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert list(rows[0]) == ["query", "period", "articles", "stories", "all_articles", "all_stories",
                             "articles_pct", "stories_pct"]
    assert [(x["period"], x["articles_pct"]) for x in rows] == [("2024-07", 20.0), ("2024-08", 20.0),
                                                                ("2024-09", None), ("2024-10", 0.0)]
    r = newspipe("--db", path, "trends", "잼버리", "--by", "month", "--region", "전북", "--share", "--csv")
    table = list(csv.reader(io.StringIO(r.stdout)))
    assert table[0] == ["query", "period", "start", "end", "articles", "stories", "all_articles", "all_stories",
                        "articles_pct", "stories_pct"]
    assert table[1][:7] == ["잼버리", "2024-07", "2024-07-01", "2024-07-31", "2", "2", "4"] and table[1][8] == "50.0"
    r = newspipe("--db", path, "trends", "잼버리", "--by", "month", "--until", "2024-09-30", "--share", "--csv")
    sep = list(csv.reader(io.StringIO(r.stdout)))[-1]
    assert sep[1] == "2024-09" and sep[4:] == ["0", "0", "0", "0", "", ""]
    r = newspipe("--db", path, "trends", "잼버리", "--by", "month", "--json")        # as before without --share
    assert list(json.loads(r.stdout.splitlines()[0])) == ["query", "period", "articles", "stories"]


def test_share_png_and_bad_combinations(archive, tmp_path):
    _, path = archive
    # a usage error is exit 2, an unknown region 1 (as every command's), each one line and no output
    for code, args in ((2, ["--share", "--json", "--csv"]), (2, ["--share", "--by", "year"]),
                       (1, ["--share", "--region", "없는곳"]),
                       (2, ["--share", "--since", "2024-09-01", "--until", "2024-08-01"])):
        r = newspipe("--db", path, "trends", "잼버리", *args)
        assert (r.returncode, len(r.stderr.splitlines()), r.stdout) == (code, 1, ""), (args, r.stderr)
        assert r.stderr.startswith("newspipe: error:") or "Error:" in r.stderr
    pytest.importorskip("matplotlib")           # the optional extra newspipe[png]
    png = tmp_path / "share.png"
    r = newspipe("--db", path, "trends", "잼버리", "--by", "month", "--until", "2024-10-31", "--share", "--png", png)
    assert r.returncode == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", r.stderr


def test_the_search_pages_chart_gives_each_bars_share(archive):
    """The trend chart of /-/search: each bar's tooltip says what share of its period's articles match, under
    the form's filters, as `trends --share` does (a month without articles says so)."""
    import asyncio
    import html

    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    _, path = archive
    ds = Datasette([str(path)], settings={k: v != "off" if v in ("on", "off") else int(v) for k, v in SETTINGS.items()})

    def tips(**params):
        page = asyncio.run(ds.client.get("/-/search", params={"q": "잼버리", **params})).text
        return [html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", page.split('class="np-trend"', 1)[1])]
    wide = dict(since="2022-10-01", until="2024-10-31")                   # over two years: months
    found = tips(**wide)
    assert "2024-07: 2 articles, 2 stories; 20.0% of the 10 articles of the month" in found
    assert "2024-08: 4 articles, 4 stories; 20.0% of the 20 articles of the month" in found
    assert "2024-09: 0 articles, 0 stories; no articles that month" in found
    assert "2024-10: 0 articles, 0 stories; 0.0% of the 5 articles of the month" in found
    found = tips(region="전북", **wide)
    assert "2024-07: 2 articles, 2 stories; 50.0% of the 4 articles of the month" in found
    data = asyncio.run(ds.client.get("/-/search", params={"q": "잼버리", "format": "json", **wide})).json()
    per = {p["label"]: (p["count"], p["all"], p["share"]) for p in data["periods"]}
    assert per["2024-07"] == (2, 10, 20.0) and per["2024-09"] == (0, 0, None) and per["2024-10"] == (0, 5, 0.0)


def test_an_english_share_divides_by_the_articles_with_english_the_publishers_own_included(archive, tmp_path):
    """Found in review: the English index holds the publisher's own English as well as the machine's, but an
    English query's whole counted translated articles only: with the translator off, a month printed 'no
    articles' beside its matches (or 200 % with one translated). Written for this test: three untranslated
    articles carry the publisher's English, two of them about the jamboree; a partly translated one (review) the
    English of its passed title."""
    _, path = archive
    copy = tmp_path / "en.db"
    with sqlite3.connect(path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM articles WHERE substr(published_date, 1, 7) = '2024-07' "
                                         "ORDER BY published_date LIMIT 3")]
        for i, text in zip(ids, ["The Saemangeum jamboree opened.", "Jamboree campsite drainage again.",
                                 "A library extends its hours."]):
            con.execute("UPDATE articles SET publisher_en = ? WHERE id = ?", (text, i))
        # and one partly translated (its passed sentences stored, the article to be tried again): indexed too
        late = con.execute("SELECT id FROM articles WHERE substr(published_date, 1, 7) = '2024-08' ORDER BY "
                           "published_date LIMIT 1").fetchone()[0]
        con.execute("UPDATE articles SET title_en = 'Jamboree site works', translate_status = 'retry' WHERE id = ?",
                    (late,))
    by, rows = trend(Archive(copy), "jamboree", by="month", lang="en", share=True)
    assert [(r["period"], r["articles"], r["all_articles"], r["articles_pct"]) for r in rows] == [
        ("2024-07", 2, 3, round(100 * 2 / 3, 3)), ("2024-08", 1, 1, 100.0)]
