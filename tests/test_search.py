"""Search: Korean by Kiwi morphemes without loading Kiwi, English with stemming, the query language,
filters, snippets, reindex, show."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT, LibreStub, demo_archive, newspipe, store_articles, store_demo_pages
from db.archive import Archive
from db.match import _term
from db.search import (QueryForms, Period, QueryError, counts_by_period, ko_match, parse, periods, search,
                       search_page)
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Article, FetchedPage, PublisherTranslation, Source
from translate.backends import LibreBackend

# Written for these tests: short articles in real news Korean, with the word forms the issue names.
ARTICLES = [
    ("jb", "전주시는 26일 한옥마을 관광객이 늘었다고 밝혔다.",
     ["전주시는 26일 한옥마을을 찾은 관광객이 지난해보다 늘었다고 밝혔다.", "김영수 시민은 전주국제영화제에서 작품상을 수상했다."],
     "2026-11-20T09:00:00+09:00"),
    ("jb", "군산항 물동량 감소", ["군산시는 항만 물동량이 줄었다고 발표했다.", "전주와 군산을 잇는 도로 공사는 계속된다."],
     "2026-11-21T09:00:00+09:00"),
    ("gn", "창원 기계산업 회복세", ["경남 창원의 기계산업 수출이 회복세를 보였다.", "관계자는 \"[사진=창원시] 회의\"를 열었다고 말했다."],
     "2026-11-22T09:00:00+09:00"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, analyser):
    tmp = tmp_path_factory.mktemp("search")
    arch = Archive(tmp / "s.db")
    srcs = [Source(id="jb", name="전북 테스트", outlet="전북 테스트", region="전북"),
            Source(id="gn", name="경남 테스트", outlet="경남 테스트", region="경남"),
            Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")]
    arch.sync_sources(srcs)
    store_articles(arch, ARTICLES, "2026-11-26T00:00:00+09:00",
                   url=lambda i, sid: f"https://{sid}.example/news/articleView.html?idxno={i}")
    store_demo_pages(arch, "jbdemo", ["ndsoft-1001.html"])      # a whole page, cleaned by the run: article 4
    english = {"군산시는 항만 물동량이 줄었다고 발표했다.": "Gunsan City announced that port cargo volumes fell.",
               "경남 창원의 기계산업 수출이 회복세를 보였다.": "Machinery exports from Changwon recovered."}
    with LibreStub(pairs=english) as libre:
        pipe = Pipeline(arch, srcs, analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5))
        pipe.run(RunOptions(crawl=False, limit=None))
    con = sqlite3.connect(tmp / "s.db")
    con.execute("UPDATE articles SET translate_status='pending', title_en=NULL, body_en=NULL WHERE id=1")
    con.commit()
    yield Archive(tmp / "s.db", readonly=True), tmp / "s.db", con


def ids(hits):
    return [h.id for h in hits]


def test_a_word_finds_its_inflected_and_compound_forms(archive):
    arch = archive[0]
    assert set(ids(search(arch, "전주", lang="ko"))) == {1, 2}
    assert ids(search(arch, "전주시는", lang="ko")) == [1]           # analysed as 전주시, as in the body
    assert ids(search(arch, "수상했다", lang="ko")) == [1]           # 수상 + 하다, as Kiwi analysed it
    assert ids(search(arch, "군산시가", lang="ko")) == [2]           # never seen: the particle is stripped
    assert ids(search(arch, "수변도시", lang="ko")) == [4]           # the demo page the run cleaned
    assert search(arch, "평양", lang="ko") == []


def test_the_query_language(archive):
    arch = archive[0]
    assert ids(search(arch, "전주 NOT 군산", lang="ko")) == [1]
    assert set(ids(search(arch, "창원 OR 군산", lang="ko"))) == {2, 3}
    assert ids(search(arch, '"한옥마을 관광객"', lang="ko")) == [1]
    assert ids(search(arch, "(창원 OR 군산) AND 수출", lang="ko")) == [3]
    assert ids(search(arch, "(" * 20 + "창원 OR 군산" + ")" * 20 + " AND 수출", lang="ko")) == [3]
    assert ids(search(arch, "port", lang="en")) == [2] and ids(search(arch, "recovering", lang="en")) == [3]


@pytest.mark.parametrize("query,reason", [
    ('"전주 시청', "unclosed quote"),
    ("NOT 전주", "needs a term before it"),
    ("전주 OR", "needs a term after it"),
    ("(전주 군산", "unbalanced parentheses"),
    ("전주 )", "unbalanced parentheses"),
    ("   ", "empty query"),
    ("*** ^^^", "no searchable word"),
    ("전" * 501, "longer than 500"),
    ("(" * 21 + "전주" + ")" * 21, "parentheses nested deeper than 20"),     # FTS5's parser overflows near 100
])
def test_bad_queries_say_why(query, reason):
    with pytest.raises(QueryError, match=reason):
        parse(query)


@pytest.mark.parametrize("query,same_as", [("전주*", "전주"), ("^전주", "전주"), ("{전주}", "전주"),
                                            ("NEAR(전주 군산)", "NEAR 전주 군산"), ("전주 - 군산", "전주 군산"),
                                            ("title_en:port", "title_en port"), ("a'b", "a b")])
def test_fts_syntax_in_a_query_is_escaped_not_executed(archive, query, same_as):
    """FTS5 syntax a user types (columns, prefixes, NEAR, ^, {}) is taken as words: the same hits as the words
    without it, in both languages, and never an error."""
    for lang in ("ko", "en"):
        assert ids(search(archive[0], query, lang=lang)) == ids(search(archive[0], same_as, lang=lang)), lang
    assert ids(search(archive[0], "전주*", lang="ko")) == [1, 2]


def test_filters_and_snippets(archive):
    arch = archive[0]
    assert ids(search(arch, "전주", lang="ko", region="전북")) and not search(arch, "전주", lang="ko", region="경남")
    assert ids(search(arch, "전주", lang="ko", since="2026-11-21")) == [2]
    assert ids(search(arch, "전주", lang="ko", until="2026-11-20")) == [1]
    assert ids(search(arch, "전주", lang="ko", translated=False)) == [1]
    assert ids(search(arch, "전주", lang="ko", source="gn")) == []
    hit = search(arch, "전주", lang="ko", since="2026-11-20", until="2026-11-20")[0]
    assert "[전주]시는" in hit.snippet_ko or "[전주시]는" in hit.snippet_ko
    assert "[" in search(arch, "port", lang="en")[0].snippet_en


def test_cli_search_json_and_errors(archive):
    db = archive[1]
    res = newspipe("--db", db, "search", "전주시는", "--json")
    assert res.returncode == 0 and [json.loads(x)["id"] for x in res.stdout.splitlines()] == [1]
    bad = newspipe("--db", db, "search", '"전주')
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "unclosed quote" in bad.stderr


def test_a_search_never_loads_kiwi(archive):
    code = ("import sys; from pipeline.cli import cli; "
            f"cli.main(['--db', {str(archive[1])!r}, 'search', '전주시는', '--lang', 'ko'], standalone_mode=False); "
            "print('KIWI' if 'kiwipiepy' in sys.modules else 'NO-KIWI')")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("NO-KIWI") and "전주시는" in res.stdout


def test_reindex_rebuilds_the_same_answers(archive):
    arch, db, con = archive
    before = {q: ids(search(arch, q, lang="ko")) for q in ("전주", "수상했다", "전주시는", "수변도시")}
    en_before = ids(search(arch, "Gunsan", lang="en"))
    forms = con.execute("SELECT count(*) FROM ko_forms").fetchone()[0]
    con.execute("INSERT INTO articles_fts_ko(articles_fts_ko) VALUES('delete-all')")
    con.execute("INSERT INTO articles_fts_en(articles_fts_en) VALUES('delete-all')")
    con.commit()
    assert search(arch, "전주", lang="ko") == [] and search(arch, "Gunsan", lang="en") == []
    res = newspipe("--db", db, "reindex")
    assert res.returncode == 0 and "reindexed 4 articles" in res.stdout, res.stderr
    assert {q: ids(search(arch, q, lang="ko")) for q in before} == before
    assert ids(search(arch, "Gunsan", lang="en")) == en_before and en_before
    # the word forms are the nlp stage's record (the morphemes are not stored): a reindex keeps them
    assert con.execute("SELECT count(*) FROM ko_forms").fetchone()[0] == forms > 0


def test_show_puts_korean_and_english_side_by_side(archive):
    res = newspipe("--db", archive[1], "show", "3")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "경남 창원의 기계산업" in out and "Machinery exports" in out
    assert "[사진=창원시]" in out                 # text with brackets printed as text, not taken for markup
    data = json.loads(newspipe("--db", archive[1], "show", "3", "--json").stdout)
    assert [s["en"] for s in data["sentences"]][0] == "Machinery exports from Changwon recovered."
    assert newspipe("--db", archive[1], "show", "999").returncode != 0


# ------------------------------------------------------------------ issue 17: precision, English, pages, periods
@pytest.mark.parametrize("word", ["마을", "도로", "시가", "한옥마을", "관광객", "물동량이", "수출"])
def test_a_word_never_widens_to_a_one_syllable_prefix(archive, word):
    arch = archive[0]
    expr, _ = ko_match(word, QueryForms(arch))
    assert not re.search(r'"[가-힣]"\*', expr), expr          # no one-syllable prefix such as "마"*
    hits = set(ids(search(arch, word, lang="ko", limit=100)))
    stem = word[:-1] if word.endswith("이") else word
    scan = {r[0] for r in arch.query("SELECT id FROM articles WHERE nlp_status='done' AND "
                                     "(body_ko LIKE ? OR title_ko LIKE ?)", [f"%{stem}%"] * 2, tuples=True)}
    assert hits <= scan                                         # precision 1 on the whole-word scan


def test_a_one_syllable_term_is_matched_whole():
    assert _term("시") == '"시"' and _term("전주").startswith('("전주"*')
    # a phrase's last word too: "북한 핵" is not "북한 핵심" (and 핵* costs a read of every term it starts)
    assert ko_match('"북한 핵"')[0] == '"북한 핵"' and ko_match('"대통령 선거"')[0] == '"대통령 선거"*'


def test_english_search_covers_the_publishers_english(tmp_path, analyser):
    arch = Archive(tmp_path / "p.db")
    arch.sync_sources([Source(id="jb", name="jb", outlet="jb", region="전북")])
    url = "https://jb.example/1"
    aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"x", source_id="jb",
                                      fetched_at="2026-11-26T00:00:00+09:00"))
    # Written for this test.
    arch.store_clean(aid, Article(url=url, title="전주시, 미국 대표단 맞아", body=["전주시는 미국 대표단을 맞았다."],
                                  published_at="2026-11-20T09:00:00+09:00",
                                  publisher_translation=PublisherTranslation(
                                      "en", "Jeonju-si welcomes a U.S. delegation", "",
                                      ["Korea's exchanges after COVID-19 were discussed."])), "t")
    for q in ("Korea's", "U.S.", "COVID-19", "Jeonju-si", "delegations", '"U.S. delegation"'):
        hits = search(arch, q, lang="en")
        assert ids(hits) == [aid], q
        assert "[" in hits[0].snippet_en and hits[0].snippet_ko.startswith("전주시는")
    assert search(arch, "Seoul", lang="en") == []
    arch.close()


def test_pages_follow_one_order_and_newest_sorts_by_date(archive):
    arch = archive[0]
    whole = ids(search(arch, "전주 OR 군산 OR 창원 OR 수변도시", lang="ko", limit=10))
    paged = [i for p in range(4) for i in ids(search(arch, "전주 OR 군산 OR 창원 OR 수변도시", lang="ko", limit=1,
                                                       offset=p))]
    assert len(whole) == 4 and paged == whole
    newest = search(arch, "전주 OR 군산 OR 창원", lang="ko", sort="newest")
    assert [h.date for h in newest] == ["2026-11-22", "2026-11-21", "2026-11-20"] and newest[0].score is None
    assert set(ids(search(arch, "전주 OR 창원", lang="ko", source=["jb", "gn"]))) == {1, 2, 3}
    res = search_page(arch, "전주 OR 창원", lang="ko", limit=1)
    assert res.total == 3 and len(res.hits) == 1 and res.days == {"2026-11-20": 1, "2026-11-21": 1, "2026-11-22": 1}


def test_counts_per_period_equal_a_sql_count(archive):
    arch = archive[0]
    by, ps = counts_by_period(arch, "전주 OR 창원 OR 수변도시", lang="ko")
    dated = {r[0]: r[1] for r in arch.query("SELECT published_date, count(*) FROM articles WHERE id IN "
                                            "(1, 2, 3, 4) GROUP BY 1", tuples=True)}
    assert sum(p.count for p in ps) == sum(n for d, n in dated.items() if d)
    by_month = {p.label: p.count for p in counts_by_period(arch, "전주 OR 창원 OR 수변도시", "month", lang="ko")[1]}
    for label, n in by_month.items():
        assert n == sum(c for d, c in dated.items() if d and d.startswith(label)), label
    assert periods({"2024-10-14": 2, "2024-10-20": 1, "2024-10-21": 5}, "week") == (
        "week", [Period("2024-W42", "2024-10-14", "2024-10-20", 3), Period("2024-W43", "2024-10-21", "2024-10-27", 5)])
    assert [p.label for p in periods({"2024-12-31": 1}, "day", "2024-12-30", "2025-01-01")[1]] == [
        "2024-12-30", "2024-12-31", "2025-01-01"]
    assert periods({"2020-01-05": 1, "2024-02-01": 1})[0] == "month" and periods({"2024-01-01": 1})[0] == "day"
    with pytest.raises(QueryError, match="--by must be"):
        periods({}, "year")


def test_the_kst_date_column_takes_the_day_in_korea(tmp_path):
    arch = Archive(tmp_path / "d.db")
    for i, ts in enumerate(["2025-05-28T00:13:00+09:00", "2025-05-27T15:13:00Z", "2025-05-28", None]):
        url = f"https://x.example/{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(),
                                          fetched_at="2026-11-26T00:00:00+09:00"))
        arch.store_clean(aid, Article(url=url, title="t", body=[f"본문 {i}"], published_at=ts), "t")
    assert [r[0] for r in arch.query("SELECT published_date FROM articles ORDER BY id", tuples=True)] == [
        "2025-05-28", "2025-05-28", "2025-05-28", None]
    arch.close()


def test_cli_search_pages_sorts_and_counts(archive):
    db = archive[1]
    res = newspipe("--db", db, "search", "전주 OR 창원", "--limit", "1", "--page", "2", "--sort", "newest")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0].split()[:2] == ["2", "2026-11-21"] and \
        "2–2 of 3 stories (3 matching articles)" in res.stdout
    both = newspipe("--db", db, "search", "전주 OR 창원", "--source", "jb", "--source", "gn", "--json")
    assert sorted(json.loads(x)["id"] for x in both.stdout.splitlines()) == [1, 2, 3]


def test_korean_search_finds_prefix(tmp_path, analyser, libre):
    arch, src = demo_archive(tmp_path)
    Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
        RunOptions(crawl=False))
    hits = search(arch, "수변도시", lang="ko")
    assert hits and "수변도시" in hits[0].title_ko
    assert search(arch, "석탑이", lang="ko")           # a particle on the query word still matches


def test_relevance_ranks_the_newest_window_first_then_the_older_matches(tmp_path, monkeypatch):
    """BM25 among the RANK_WINDOW newest matches, then the older matches by BM25; pages follow that one
    order. The window is 2,000 articles; here 3, on eight articles written for this test."""
    import db.search as search_module
    assert search_module.RANK_WINDOW == 2000
    arch = Archive(tmp_path / "w.db")
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트", region="전북")])
    # how often each article says "harbour" in a body of the same length: more often ranks higher
    repeats = [5, 1, 4, 2, 6, 3, 1, 2]
    for i, r in enumerate(repeats):
        url = f"https://jb.example/a/{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id="jb",
                                          fetched_at="2026-11-26T00:00:00+09:00"))
        arch.store_clean(aid, Article(url=url, title=f"기사 {i}", body=[f"항만 기사 {i}입니다."],
                                      published_at=f"2026-11-{10 + i}T09:00:00+09:00"), "t")
    con = sqlite3.connect(tmp_path / "w.db")
    for aid, r in enumerate(repeats, 1):
        con.execute("UPDATE articles SET title_en = ?, body_en = ? WHERE id = ?",
                    [f"Story {aid}", " ".join(["harbour"] * r + ["quay"] * (8 - r)), aid])
    con.commit()
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    by_relevance = ids(search(arch, "harbour", lang="en", limit=100))
    newest = sorted(range(1, 9), reverse=True)[:3]                      # ids 8, 7, 6: the window
    rank = lambda aid: (-repeats[aid - 1], -aid)                         # noqa: E731  more mentions first
    assert by_relevance == sorted(newest, key=rank) + sorted(set(range(1, 9)) - set(newest), key=rank)
    assert by_relevance[:3] == [6, 8, 7] and by_relevance[3:5] == [5, 1]
    pages = [ids(search(arch, "harbour", lang="en", limit=3, offset=o)) for o in (0, 3, 6)]
    assert sum(pages, []) == by_relevance                               # pages follow the one order
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2000)              # all eight in the window: plain BM25
    assert ids(search(arch, "harbour", lang="en", limit=100)) == sorted(range(1, 9), key=rank)


def test_newest_pages_read_from_the_newest_matches_equal_the_full_sort(tmp_path, analyser, monkeypatch):
    """Newest first sorts only the matches published since the date the newest matches by row id reach
    (db/newest.py). With row ids out of date order, an article without a date, stories whose older copies
    match, and filters, every page equals the sort of every match, one hit per story or every copy. The
    product reads the 400 newest matches; here 4, of 30 articles written for this test. By relevance, the
    window's stories (grouped in db/stories.py) against the same grouping done here."""
    import random

    import db.newest as newest
    from db.stories import assign
    rng = random.Random(5)
    days = list(range(30))
    for i, j in ((2, 14), (25, 28), (9, 20)):                 # the archive's order is not quite the publication order
        days[i], days[j] = days[j], days[i]
    rows = [("jb" if i % 3 else "gn", f"항만 소식 {i}",
             [f"군산항 항만 물동량이 {i + 2}개월 연속 늘었다고 밝혔다."] + (["창원 기계산업도 회복세다."] if i % 4 else []),
             None if i == 7 else f"2026-10-{1 + d:02d}T{8 + i % 9:02d}:00:00+09:00") for i, d in enumerate(days)]
    arch = Archive(tmp_path / "n.db")
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트", region="전북"),
                       Source(id="gn", name="경남 테스트", outlet="경남 테스트", region="경남")])
    store_articles(arch, rows, "2026-11-26T00:00:00+09:00")
    Pipeline(arch, [], analyser=analyser).run(RunOptions(crawl=False, translate=False))
    newest_two = [30, 26]                                     # days 29 and 28: a story of the newest copies
    order = [i for i in range(1, 31) if i not in newest_two]
    rng.shuffle(order)
    for group in [order[k:k + 3] for k in range(0, 28, 3)] + [newest_two]:    # else old and new copies together
        first, *others = group
        sid = assign(arch, [(first, None, None, None, None, 0, rows[first - 1][3], None)])[0]
        assign(arch, [(o, sid, first, 0.5, None, 0, rows[o - 1][3], None) for o in others])
    answered, dropped = [], []
    for name in ("newest_ids", "newest_stories"):
        real = getattr(newest, name)
        monkeypatch.setattr(newest, name, lambda *a, _real=real: answered.append(_real(*a)) or answered[-1])
    real_older, real_probe, probed = newest._with_older_matches, newest.from_probe, []
    monkeypatch.setattr(newest, "_with_older_matches", lambda *a: dropped.append(real_older(*a)) or dropped[-1])
    monkeypatch.setattr(newest, "from_probe", lambda *a: probed.append(a[2]) or real_probe(*a))
    for query, filters, collapse, limit, offset in [
            (q, f, c, n, o) for q in ("항만", "창원") for f in ({}, {"region": "전북"}, {"since": "2026-10-12"})
            for c in (True, False) for n in (1, 2, 3) for o in (0, 1, 4)]:
        args = dict(lang="ko", sort="newest", collapse=collapse, limit=limit, offset=offset, **filters)
        monkeypatch.setattr(newest, "PROBE", 4)
        bounded = ids(search(arch, query, **args))
        monkeypatch.setattr(newest, "MAX_DEPTH", -1)          # the full sort
        assert bounded == ids(search(arch, query, **args)), (query, args)
        monkeypatch.setattr(newest, "MAX_DEPTH", 200)
    # the bounded way answered many of them, from the probe alone or reading the index again, and met stories
    # with older matches
    assert sum(a is not None for a in answered) > 20 and any(dropped) and set(probed) == {True, False}
    assert len(probed) < len(answered)
    # by relevance, one hit per story is the story's earliest match, placed by the story's best score
    story = dict(arch.query("SELECT article_id, story_id FROM article_stories", tuples=True).fetchall())
    for query, filters in [(q, f) for q in ("항만", "창원") for f in ({}, {"region": "전북"}, {"since": "2026-10-12"})]:
        every = search(arch, query, lang="ko", collapse=False, limit=100, **filters)
        best: dict[int, tuple] = {}
        for h in every:
            when = (h.published_at is not None, h.published_at or "", h.id)
            score, first = best.get(story[h.id], (h.score, when))
            best[story[h.id]] = (min(score, h.score), min(first, when))
        expected = [first[2] for _, first in sorted(best.values(), key=lambda v: (v[0], -v[1][2]))]
        assert ids(search(arch, query, lang="ko", limit=100, **filters)) == expected, (query, filters)
        assert sum((ids(search(arch, query, lang="ko", limit=3, offset=o, **filters)) for o in range(0, 30, 3)),
                   []) == expected


def test_a_prefix_no_longer_term_starts_with_is_read_as_the_term(archive, monkeypatch):
    """A Hangul prefix of three syllables or more (reversed or not) that no longer term of the Korean index
    starts with is queried as the term itself: the same rows and the same BM25, read lazily instead of
    gathered first (db/search.py QueryForms.alone). Checked against every term of this archive's index."""
    arch, _, con = archive
    con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.t_vocab USING fts5vocab(main, articles_fts_ko, row)")
    terms = [r[0] for r in con.execute("SELECT term FROM temp.t_vocab")]
    hangul = [t for t in terms if re.fullmatch("\u115f?[가-힣]{3,}", t)]
    prefixes = set(hangul) | {t[:3] for t in hangul if len(t) > 3 and t[0] != "\u115f"}
    forms = QueryForms(arch)
    alone = {p: forms.alone(p) for p in sorted(prefixes)}
    assert alone == {p: not any(t.startswith(p) and t != p for t in terms) for p in alone}
    assert True in alone.values() and False in alone.values()
    assert QueryForms(arch, vocabulary=False).alone(next(p for p, a in alone.items() if a)) is False
    queries = ["관광객", "한옥마을", "물동량이", "전주시는", "기계산업", '"한옥마을 관광객"', "전주 OR 관광객"]
    found = {q: [(h.id, h.score) for h in search(arch, q, lang="ko", limit=100)] for q in queries}
    monkeypatch.setattr(QueryForms, "alone", lambda self, prefix: False)          # every term a prefix
    assert found == {q: [(h.id, h.score) for h in search(arch, q, lang="ko", limit=100)] for q in queries}
    assert all(found.values())


def test_a_query_without_hangul_that_no_english_holds_searches_the_korean(archive):
    """`--lang any` read a query without Hangul as English only, so a number or a Latin acronym that only the
    Korean text holds (article 1 is untranslated: 26일) found nothing. Where no English holds it, the Korean
    index answers; an English word still searches the English."""
    arch = archive[0]
    assert search(arch, "26", lang="en") == []
    hits = search(arch, "26")
    assert 1 in ids(hits) and {h.lang for h in hits} == {"ko"}
    assert ids(search(arch, "port")) == [2] and search(arch, "port")[0].lang == "en"


def test_the_fallback_to_korean_looks_at_the_english_the_filters_keep(tmp_path, analyser):
    """Found in review: `--lang any` went to the Korean index only when no English in the whole archive held a
    query without Hangul, so with --source (or a date) keeping only untranslated articles, KTX in another
    source's English sent the search to the English side and it found nothing."""
    arch = Archive(tmp_path / "k.db")
    srcs = [Source(id="jb", name="전북 테스트", outlet="전북 테스트", region="전북"),
            Source(id="gn", name="경남 테스트", outlet="경남 테스트", region="경남")]
    arch.sync_sources(srcs)
    store_articles(arch, [("jb", "KTX 전주역 정차 늘어", ["KTX가 전주역에 더 자주 선다고 코레일이 밝혔다."],
                           "2026-11-20T09:00:00+09:00"),
                          ("gn", "KTX 창원중앙역 증편", ["KTX 창원중앙역 열차가 하루 네 편 늘어난다고 밝혔다."],
                           "2026-11-22T09:00:00+09:00")], "2026-11-26T00:00:00+09:00")   # written for this test
    english = {"KTX 전주역 정차 늘어": "More KTX stops at Jeonju Station",
               "KTX가 전주역에 더 자주 선다고 코레일이 밝혔다.": "Korail said KTX trains will stop at Jeonju more often."}
    with LibreStub(pairs=english) as libre:
        Pipeline(arch, srcs, analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
            RunOptions(crawl=False, limit=None))
    con = sqlite3.connect(tmp_path / "k.db")
    con.execute("UPDATE articles SET translate_status='pending', title_en=NULL, body_en=NULL WHERE source_id='gn'")
    con.commit()
    arch = Archive(tmp_path / "k.db", readonly=True)
    assert [(h.id, h.lang) for h in search(arch, "KTX")] == [(1, "en")]
    for filters in ({"source": "gn"}, {"since": "2026-11-21"}, {"region": "경남"}):
        assert [(h.id, h.lang) for h in search(arch, "KTX", **filters)] == [(2, "ko")], filters
        assert search_page(arch, "KTX", **filters).lang == "ko"
