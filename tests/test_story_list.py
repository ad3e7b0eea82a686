"""The biggest stories (`newspipe stories`, /-/stories: db/story_list.py), a story's copies on the article page,
and what a collapsed hit says of its story's byte-identical copies, on the command line and the web (found in a
new user's trial). The articles are test_serve.py's press release run by three outlets, plus a fourth outlet's
word-for-word copy of its first version."""
from __future__ import annotations

import asyncio
import json
import re

import pytest
from click.testing import CliRunner

from conftest import store_articles
from db.archive import Archive
from pipeline.cli import cli
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Source
from test_serve import STORY_ARTICLES

COPY = ("ks", "잼버리 야영장 배수 공사 마무리 (경기신문)", STORY_ARTICLES[0][2], "2026-08-01T15:00:00+09:00")


@pytest.fixture(scope="module")
def site(tmp_path_factory, analyser):
    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    db = tmp_path_factory.mktemp("story_list") / "s.db"
    arch = Archive(db)
    srcs = [Source(id="jb", name="전북 테스트", outlet="전북일보", region="전북"),
            Source(id="gn", name="경남 테스트", outlet="경남신문", region="경남"),
            Source(id="jl", name="전라 테스트", outlet="전라일보", region="전북"),
            Source(id="ks", name="경기 테스트", outlet="경기신문", region="경기")]
    arch.sync_sources(srcs)
    store_articles(arch, [*STORY_ARTICLES, COPY], "2026-08-03T00:00:00+09:00")
    Pipeline(arch, srcs, analyser=analyser).run(RunOptions(crawl=False, translate=False))
    assert arch.query("SELECT duplicate_of FROM articles WHERE id = 7", tuples=True).fetchone()[0] == 1
    # the copy has its original's story in the run that stored both (it waited for the next run)
    assert arch.query("SELECT count(DISTINCT story_id), count(*) FROM article_stories WHERE article_id IN (1, 7)",
                      tuples=True).fetchone() == (1, 2)
    arch.close()
    ds = Datasette([str(db)], settings={k: v != "off" if v in ("on", "off") else int(v) for k, v in SETTINGS.items()})
    return db, ds


def run(db, *args):
    res = CliRunner().invoke(cli, ["--db", str(db), *args])
    return res.exit_code, res.output


def get(ds, path, **params):
    return asyncio.run(ds.client.get(path, params=params))


def test_stories_lists_the_biggest_first_with_titles_ids_and_dates(site):
    db, _ = site
    code, out = run(db, "stories", "--json")
    assert code == 0, out
    found = [json.loads(line) for line in out.splitlines()]
    top = found[0]
    assert (top["articles"], top["outlets"], top["first_article_id"]) == (4, 4, 1)
    assert top["title_ko"] == "새만금 잼버리 야영장 배수 공사 마무리"
    assert top["first_published_at"].startswith("2026-08-01") and top["last_published_at"].startswith("2026-08-02")
    assert top["outlet_names"] == ["전북일보", "경남신문", "경기신문", "전라일보"]
    assert [s["articles"] for s in found] == sorted((s["articles"] for s in found), reverse=True)
    assert sum(s["articles"] for s in found) == 7
    code, text = run(db, "stories", "--limit", "2")
    assert code == 0 and text.splitlines()[0].startswith("articles  outlets")
    assert re.search(r"^\s+4\s+4\s+2026-08-01\s+2026-08-02\s+#1\s+새만금 잼버리 야영장 배수 공사 마무리$", text, re.M)


def test_stories_counts_within_the_filters(site):
    db, _ = site
    day = [json.loads(line) for line in run(db, "stories", "--since", "2026-08-02", "--json")[1].splitlines()]
    first = next(s for s in day if s["story_id"] == 1 or s["title_ko"].endswith("배수로 12㎞ 설치"))
    assert first["articles"] == 1 and first["first_article_id"] == 3       # the story's one copy of that day
    north = [json.loads(line) for line in run(db, "stories", "--region", "전북", "--json")[1].splitlines()]
    assert north[0]["articles"] == 2 and north[0]["outlet_names"] == ["전북일보", "전라일보"]
    one = [json.loads(line) for line in run(db, "stories", "--source", "gn", "--json")[1].splitlines()]
    assert {s["outlet"] for s in one} == {"경남신문"}
    assert run(db, "stories", "--since", "2030-01-01") == (0, "no stories in that range\n")
    # the whole archive is read from the stories' own sizes, a range by counting its articles: the same list
    assert run(db, "stories", "--json")[1] == run(db, "stories", "--json", "--since", "2000-01-01")[1]
    assert run(db, "stories", "--json", "--limit", "3")[1] == \
        run(db, "stories", "--json", "--limit", "3", "--until", "2030-12-31")[1]
    singles = [json.loads(line) for line in run(db, "stories", "--json")[1].splitlines()][1:]
    assert [s["first_published_at"] for s in singles] == sorted((s["first_published_at"] for s in singles),
                                                                reverse=True)        # newest first among equals


@pytest.mark.parametrize("args, code, line", [
    (["--region", "제주"], 1, "unknown region '제주'"),
    (["--source", "xx"], 1, "unknown source 'xx'"),
    (["--since", "2026-08-03", "--until", "2026-08-01"], 2, "is not before until"),
])
def test_stories_refuses_in_one_line(site, args, code, line):
    db, _ = site
    got, out = run(db, "stories", *args)
    assert got == code and line in out and "Traceback" not in out and len(out.strip().splitlines()) == 1


def test_the_stories_page_answers_as_the_command_line(site):
    db, ds = site
    for params, args in (({}, []), ({"region": "전북"}, ["--region", "전북"]),
                         ({"since": "2026-08-02", "limit": "2"}, ["--since", "2026-08-02", "--limit", "2"])):
        web = get(ds, "/-/stories", format="json", **params)
        assert web.status_code == 200
        assert web.json() == [json.loads(line) for line in run(db, "stories", "--json", *args)[1].splitlines()]
    page = get(ds, "/-/stories").text
    items = re.findall(r'<li class="np-story" data-story="\d+">\s*<h3 lang="ko"><a href="([^"]+)">([^<]+)</a>', page)
    assert items[0] == ("/-/article/1", "새만금 잼버리 야영장 배수 공사 마무리")
    assert "<strong>4</strong> articles in 4 outlets · 2026-08-01 – 2026-08-02 · article 1" in page
    assert 'href="/-/stories"' in get(ds, "/-/search", q="잼버리").text          # linked from the search page
    bad = get(ds, "/-/stories", region="제주")
    assert bad.status_code == 400 and "unknown region" in bad.text and "class=\"np-story\"" not in bad.text
    assert get(ds, "/-/stories", format="json", limit="x").json() == {"error": "limit must be a whole number, not 'x'"}


def test_the_article_page_lists_the_storys_other_copies(site):
    _, ds = site
    page = get(ds, "/-/article/1").text
    copies = re.findall(r'<li><a href="/-/article/(\d+)" lang="ko">[^<]+</a> · ([^·]+) · ([^<·]+)(.*?)</li>', page)
    assert [(int(i), outlet.strip()) for i, outlet, _, _ in copies] == \
        [(2, "경남신문"), (7, "경기신문"), (3, "전라일보")]
    same = {int(i): "the same text" in rest for i, _, _, rest in copies}
    assert same == {2: False, 7: True, 3: False}
    assert '<ul class="np-copies"' not in get(ds, "/-/article/5").text        # a story of one


def test_a_hit_names_the_identical_copy_apart_from_the_copies_a_search_lists(site):
    """'+3 more in this story' named 경기신문, whose word-for-word copy is not in the index: "Show every copy"
    never showed it."""
    db, ds = site
    page = get(ds, "/-/search", q="배수").text
    assert "+2 more in this story: 경남신문, 전라일보; 1 identical copy: 경기신문" in page
    every = get(ds, "/-/search", q="배수", all_copies=1, format="json").json()
    assert sorted(h["id"] for h in every["hits"]) == [1, 2, 3]
    hit = get(ds, "/-/search", q="배수", format="json").json()["hits"][0]
    assert (hit["story_size"], hit["identical_copies"], hit["identical_outlets"]) == (4, 1, ["경기신문"])
    code, out = run(db, "search", "배수")
    assert code == 0 and re.search(r"\+2 more in story \d+: 경남신문, 전라일보; 1 identical copy: 경기신문", out)


def test_an_identical_copy_is_named_only_on_the_hit_whose_text_it_carries(site):
    """경기신문 carries article 1's text word for word, not 경남신문's rewrite (2, the one article naming 홍길동):
    a hit on 2 said "1 identical copy: 경기신문", and with every copy listed each of 1, 2 and 3 did."""
    db, ds = site
    hit = get(ds, "/-/search", q="홍길동", format="json").json()["hits"][0]
    assert hit["id"] == 2 and (hit["identical_copies"], hit["identical_outlets"]) == (0, [])
    assert hit["story_size"] == 4 and hit["other_outlets"] == ["전북일보", "경기신문", "전라일보"]
    page = get(ds, "/-/search", q="홍길동").text
    assert "+3 more in this story: 전북일보, 경기신문, 전라일보" in page and "identical" not in page
    code, out = run(db, "search", "홍길동")
    assert code == 0 and re.search(r"\+3 more in story \d+: 전북일보, 경기신문, 전라일보\n", out), out
    every = get(ds, "/-/search", q="배수", all_copies=1, format="json").json()
    assert {h["id"]: (h["identical_copies"], h["identical_outlets"]) for h in every["hits"]} == \
        {1: (1, ["경기신문"]), 2: (0, []), 3: (0, [])}
    cli = run(db, "search", "배수", "--all-copies", "--json")[1]
    assert every["hits"] == [json.loads(line) for line in cli.splitlines()]
    # every copy listed: the one the index never lists is still named, once, on the hit whose text it is
    page = get(ds, "/-/search", q="배수", all_copies=1).text
    assert page.count("identical cop") == 1 and "1 identical copy: 경기신문" in page.split('href="/-/article/1"')[1]
    code, out = run(db, "search", "배수", "--all-copies")
    assert code == 0 and out.count("identical cop") == 1 and "more in" not in out
    assert re.search(r"^\s+1 .*\n\s+1 identical copy: 경기신문$", out, re.M), out


def test_a_page_past_the_end_says_so_and_links_the_last(site):
    db, ds = site
    page = get(ds, "/-/search", q="잼버리", page=999).text
    assert re.search(r'Page 999 is past the end: the stories fill 1 page\. <a href="[^"]+">Go to the last page', page)
    assert "past the end" not in get(ds, "/-/search", q="잼버리").text
    code, out = run(db, "search", "잼버리", "--page", "999")
    assert code == 0 and "the last page is 1" in out


def test_the_chart_links_only_periods_with_matches_and_counts_in_words(site):
    _, ds = site
    page = get(ds, "/-/search", q="잼버리 OR 물동량", since="2026-07-30", until="2026-08-03").text
    tips = re.findall(r"<title>([^<]+)</title>", page)
    # the share of the day's articles: the word-for-word copy counts among the day's 4, not among the matches
    assert "2026-08-01: 3 articles, 2 stories; 75.0% of the 4 articles of the day" in tips
    assert "2026-07-30: 0 articles, 0 stories; no articles that day" in tips
    linked = re.findall(r'<a href="[^"]+"><title>([^:]+):', page)
    assert linked == ["2026-08-01", "2026-08-02"]                            # the empty days are no links
    one = get(ds, "/-/search", q="물동량").text
    assert "<title>2026-08-01: 1 article, 1 story; 25.0% of the 4 articles of the day</title>" in one
    ticks = re.findall(r'<span style="([^"]+)">([^<]+)</span>', page.split('class="np-ticks"')[1])
    # each under its bar: the first flush left (its centre is near the edge), the last centred on its bar (the
    # fifth of five, 40 wide, at 4 × 152 of 760), not at the chart's right edge
    assert ticks[0] == ("left: 0", "2026-07-30")
    assert ticks[-1] == ("left: 82.63%; transform: translateX(-50%)", "2026-08-03")
    assert 'viewBox="0 0 760' in page and 'width="100%"' in page
