"""Stories (near duplicates across outlets), search collapsed by story, show, export --dedupe story, trends
and related words. The archives are real corpus text re-published by code (bench/eval_stories.py) and
articles generated here from sentences written for these tests."""
from __future__ import annotations

import json
import random
import re
import sqlite3
import sys

import pytest

from conftest import ROOT, newspipe
from db.archive import Archive
from db.packing import unpack
from db.search import search, search_page
from pipeline.corpus import CORPUS
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Article, FetchedPage, Source

sys.path.append(str(ROOT / "bench"))
needs_corpus = pytest.mark.skipif(not (CORPUS / "korean-news" / "text-dev").is_dir(),
                                  reason=f"no shared corpus at {CORPUS}")
SOURCES = [Source(id=f"s{i}", name=f"테스트{i}", outlet=f"테스트{i}일보", region="전북") for i in range(4)]


def _store(arch: Archive, n: int, source: str, title: str, body: str, published: str) -> int:
    url = f"https://{source}.example/news/{n}"
    aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id=source,
                                      fetched_at="2026-11-26T00:00:00+09:00"))
    arch.store_clean(aid, Article(url=url, title=title, body=body.split("\n"), published_at=published), "t")
    return aid


def _run(arch, analyser):
    Pipeline(arch, SOURCES, analyser=analyser).run(RunOptions(crawl=False, translate=False))


@pytest.fixture(scope="module")
def copies(tmp_path_factory, analyser):
    """Ten real text-dev articles, each with two copies by other outlets (edited as outlets edit), a day apart."""
    from eval_stories import edit, originals
    origs = [o for o in originals() if o[0].startswith("text-dev/")][:10]
    rng = random.Random(7)
    pool = [s for _, _, b in origs for s in b.split("\n")]
    path = tmp_path_factory.mktemp("stories") / "a.db"
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    label, n = {}, 0
    for k, (key, title, body) in enumerate(origs):
        day = f"2026-03-{1 + k:02d}"
        for c in range(3):
            t, b = (title, body) if c == 0 else edit(title, body, rng, pool)[:2]
            n += 1
            label[_store(arch, n, f"s{c}", t, b, f"{day}T{9 + c:02d}:00:00+09:00")] = key
    _run(arch, analyser)
    return arch, path, label


def _partition(arch):
    return dict(arch.query("SELECT article_id, story_id FROM article_stories", tuples=True).fetchall())


@needs_corpus
def test_every_copy_joins_its_original_and_nothing_else(copies):
    arch, _, label = copies
    story = _partition(arch)
    assert set(story) == set(label)                    # every article has one story
    pairs = [(a, b) for a in label for b in label if a < b]
    same = [(a, b) for a, b in pairs if label[a] == label[b]]
    assert not [(a, b) for a, b in pairs if story[a] == story[b] and label[a] != label[b]]     # precision 1
    found = sum(story[a] == story[b] for a, b in same)
    assert found / len(same) >= 0.9, (found, len(same))                                      # recall
    sizes = arch.query("SELECT count(*), sum(size) FROM stories", tuples=True).fetchone()
    assert sizes[1] == 30 and 10 <= sizes[0] <= 12
    assert arch.query("SELECT count(*) FROM article_stories WHERE length(signature) = 256",   # 128 values of 16 bits
                      tuples=True).fetchone()[0] == 30


@needs_corpus
def test_a_new_copy_joins_incrementally_and_restory_agrees(copies, analyser, tmp_path):
    arch, path, label = copies
    before = _partition(arch)
    first = min(label)
    row = arch.query("SELECT title_ko, body_ko, published_at FROM articles WHERE id=?", [first], tuples=True).fetchone()
    aid = _store(arch, 999, "s3", "[종합] " + row[0], "(전주=뉴스1) 홍길동 기자 = " + row[1], row[2])
    from pipeline.stories import assign_pending
    out = assign_pending(arch, 0.2, 3)
    assert out["assigned"] == 0                        # not analysed yet: it waits for the nlp stage
    _run(arch, analyser)
    after = _partition(arch)
    assert after[aid] == before[first] and {k: after[k] for k in before} == before
    r = newspipe("--db", str(path), "restory")
    assert r.returncode == 0, r.stderr
    stories = len(set(after.values()))
    assert f"31 articles in {stories} stories" in r.stdout
    again = _partition(Archive(path, readonly=True))
    assert len({(again[a], after[a]) for a in after}) == stories          # the same partition


@needs_corpus
def test_search_collapses_stories_and_show_lists_the_copies(copies):
    arch, path, label = copies
    word = arch.query("SELECT keywords FROM articles WHERE id=1", tuples=True).fetchone()[0]
    word = json.loads(word)[0][0]
    hits = search(arch, word, lang="ko")
    every = search(arch, word, lang="ko", collapse=False)
    assert len(every) > len(hits) and len({h.story_id for h in hits}) == len(hits)
    top = next(h for h in hits if h.story_id == _partition(arch)[1])
    assert top.id == 1 and top.story_size >= 3 and "테스트1일보" in top.other_outlets
    res = search_page(arch, word, lang="ko")
    assert res.stories == len({_partition(arch)[h.id] for h in every}) and res.total == len(every)
    r = newspipe("--db", str(path), "search", word, "--json")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.returncode == 0 and {"story_id", "story_size"} <= set(rows[0])
    assert len(rows) == len(hits)
    r = newspipe("--db", str(path), "search", word, "--json", "--all-copies")
    assert len(r.stdout.splitlines()) == len(every)
    r = newspipe("--db", str(path), "show", "2", "--json")
    story = json.loads(r.stdout)["story"]
    assert story["id"] == _partition(arch)[2] and {1, 3} <= {a["id"] for a in story["articles"]}
    assert all(0.2 <= a["similarity"] <= 1 for a in story["articles"]) and story["articles"][0]["outlet"]
    r = newspipe("--db", str(path), "show", "2")
    assert "this version adds" in r.stdout and "similarity" in r.stdout


@needs_corpus
def test_export_dedupe_story_keeps_one_article_per_story(copies, tmp_path):
    arch, path, label = copies
    out = tmp_path / "x.jsonl"
    r = newspipe("--db", str(path), "export", "--format", "jsonl", "--level", "article", "--all",
                 "--dedupe", "story", "-o", str(out))
    assert r.returncode == 0, r.stderr
    ids = [int(json.loads(x)["id"]) for x in out.read_text(encoding="utf-8").splitlines()]
    story = _partition(arch)
    assert len(ids) == len(set(story.values())) == len({story[i] for i in ids})
    firsts = dict(arch.query("SELECT id, first_article_id FROM stories", tuples=True).fetchall())
    assert sorted(ids) == sorted(firsts[story[i]] for i in ids)        # the earliest of each
    r = newspipe("--db", str(path), "export", "--format", "jsonl", "--level", "article", "--all", "--dedupe",
                 "-o", str(out))
    assert r.returncode == 0 and len(out.read_text(encoding="utf-8").splitlines()) >= len(story) - 1


@needs_corpus
def test_labelled_set_precision_and_recall_at_the_shipped_threshold():
    from eval_stories import analyse, build_set, evaluate

    from pipeline.stories import THRESHOLD
    texts = build_set(copies=3, seed=18)
    analyse(texts)
    r = evaluate(texts, THRESHOLD, seed=18)
    assert r["texts"] > 1000 and r["precision"] >= 0.95 and r["recall"] >= 0.90, r


def test_briefs_sharing_a_stock_sentence_stay_apart_and_a_copied_brief_joins(analyser, tmp_path):
    """Two-sentence briefs (written for this test) on different projects share "시는 내년까지 사업을 마무리할
    계획이다": a Jaccard similarity of 0.2-0.27, above the threshold, but only 6 of 15 shingles (the floor of
    nlp.shingles.shares_enough). A brief re-run with a lead byline shares all of its own and joins."""
    arch = Archive(tmp_path / "b.db")
    arch.sync_sources(SOURCES)
    topics = ["한옥마을 관광객 증가", "주차장 확충", "도서관 개관", "버스 노선 개편", "청년 일자리 지원", "하천 정비 사업"]
    ids = [_store(arch, i, "s0", f"전주 {t} 추진", f"전주시는 {i + 1}일 {t} 계획을 밝혔다.\n"
                  "시는 내년까지 사업을 마무리할 계획이다.", f"2026-11-0{1 + i % 3}T09:00:00+09:00")
           for i, t in enumerate(topics)]
    copy = _store(arch, 99, "s1", "전주 도서관 개관 추진", "(전주=뉴스1) 홍길동 기자 = 전주시는 3일 도서관 개관 계획을 "
                  "밝혔다.\n시는 내년까지 사업을 마무리할 계획이다.", "2026-11-03T11:00:00+09:00")
    _run(arch, analyser)
    story = _partition(arch)
    assert len({story[i] for i in ids}) == len(ids)
    assert story[copy] == story[ids[2]]


# ------------------------------------------------------------------ trends and related, generated archive
# Sentences written for these tests.
TOPIC = ["새만금 잼버리 대회 준비 상황을 점검했다.", "잼버리 야영장 배수 문제가 새만금 현장에서 제기됐다.",
         "새만금 개발청은 잼버리 부지 정비를 마쳤다고 밝혔다."]
OTHER = ["전주 한옥마을 관광객이 크게 늘었다.", "군산 항만 물동량이 감소했다.", "익산 보석 박물관이 새단장을 마쳤다.",
         "정읍 내장산 단풍 축제가 열렸다.", "남원 춘향제 준비가 한창이다.", "김제 지평선 축제 방문객이 늘었다.",
         "새만금 방조제 도로에서 교통 사고가 났다.", "완주 로컬푸드 매장이 문을 열었다."]


@pytest.fixture(scope="module")
def generated(tmp_path_factory, analyser):
    rng = random.Random(3)
    path = tmp_path_factory.mktemp("trends") / "t.db"
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    for n in range(60):
        month = 7 + n % 3
        day = 1 + rng.randrange(28)
        planted = n % 3 != 2
        sents = rng.sample(OTHER, 3) + ([rng.choice(TOPIC)] if planted else [])
        rng.shuffle(sents)
        _store(arch, n, f"s{n % 4}", f"기사 {n}호", "\n".join(sents) + f"\n기사 번호 {n * 7919}번이다.",
               f"2024-{month:02d}-{day:02d}T10:00:00+09:00")
    _run(arch, analyser)
    return arch, path


def test_trends_json_equals_sql_counts_per_period(generated):
    arch, path = generated
    r = newspipe("--db", str(path), "trends", "새만금", "잼버리", "--by", "month", "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    con = sqlite3.connect(path)
    con.create_function("unpack", 1, unpack)          # the index text is stored compressed (db/packing.py)
    for q in ("새만금", "잼버리"):
        sql = dict((m, (a, s)) for m, a, s in con.execute(
            "SELECT substr(a.published_date, 1, 7), count(*), count(DISTINCT x.story_id) FROM articles a "
            "JOIN article_stories x ON x.article_id = a.id WHERE (' ' || unpack(a.search_ko_z) || ' ') LIKE ? GROUP BY 1",
            [f"% {q}%"]))
        got = {r["period"]: (r["articles"], r["stories"]) for r in rows if r["query"] == q and r["articles"]}
        assert got == sql and sum(a for a, _ in got.values()) > 20
    assert {r["period"] for r in rows} == {"2024-07", "2024-08", "2024-09"}
    r = newspipe("--db", str(path), "trends", "잼버리", "--by", "week", "--json", "--since", "2024-08-01",
                 "--until", "2024-08-31")
    assert [json.loads(x)["period"] for x in r.stdout.splitlines()][:2] == ["2024-W31", "2024-W32"]
    r = newspipe("--db", str(path), "trends", "새만금", "잼버리", "--by", "month")
    assert r.returncode == 0 and "█" in r.stdout and "2024-08" in r.stdout
    r = newspipe("--db", str(path), "trends", "새만금", "--by", "year")
    assert r.returncode == 2 and r.stderr.startswith("newspipe: error:") and len(r.stderr.splitlines()) == 1


def test_several_trends_share_one_calendar(tmp_path, analyser):
    """Each query counted over its own range put one query's bars under another's periods in the chart (found
    in a new user's trial): 잼버리 is in September only, 새만금 in July and September; both now list July to
    September, and the table gives a day its own column. Articles written for this test."""
    path = tmp_path / "t.db"
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    for n, (body, when) in enumerate([("새만금 방조제 도로가 새로 열렸다. 차량 통행이 시작됐다.", "2024-07-10"),
                                      ("새만금 개발청이 새 계획을 내놓았다. 주민 설명회가 열렸다.", "2024-09-02"),
                                      ("잼버리 대회 뒤처리가 마무리됐다. 시설 정리가 끝났다.", "2024-09-20")]):
        _store(arch, n, "s0", f"기사 {n}호", body, f"{when}T10:00:00+09:00")
    _run(arch, analyser)
    r = newspipe("--db", str(path), "trends", "잼버리", "새만금", "--by", "month", "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    per = {q: [(x["period"], x["articles"]) for x in rows if x["query"] == q] for q in ("잼버리", "새만금")}
    assert per == {"잼버리": [("2024-07", 0), ("2024-08", 0), ("2024-09", 1)],
                   "새만금": [("2024-07", 1), ("2024-08", 0), ("2024-09", 1)]}
    r = newspipe("--db", str(path), "trends", "잼버리", "--by", "day", "--since", "2024-09-19", "--until",
                 "2024-09-21")
    assert r.returncode == 0 and re.search(r"^2024-09-20  +█+ 1 \(1\)$", r.stdout, re.M), r.stdout
    r = newspipe("--db", str(path), "trends", "없는낱말이다")
    assert r.returncode == 0 and r.stdout.strip() == "no matches for 없는낱말이다"


def test_trends_png_with_matplotlib_and_one_line_without(generated, tmp_path):
    pytest.importorskip("matplotlib")           # the optional extra newspipe[png]
    from matplotlib.image import imread
    _, path = generated
    png = tmp_path / "t.png"
    r = newspipe("--db", str(path), "trends", "새만금", "잼버리", "--by", "month", "--png", png)
    assert r.returncode == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and min(imread(png).shape[:2]) >= 300
    from pipeline.cli.stories import _hangul_font
    if _hangul_font():                          # the queries' Hangul drawn, not boxes with a warning a syllable
        assert "missing from font" not in r.stderr, r.stderr
    else:
        assert "note: no font with Hangul found" in r.stderr
    hide = tmp_path / "hide" / "matplotlib"     # a matplotlib that cannot be imported, first on the path
    hide.mkdir(parents=True)
    (hide / "__init__.py").write_text("raise ImportError(\"No module named 'matplotlib'\")\n")
    r = newspipe("--db", str(path), "trends", "잼버리", "--png", tmp_path / "u.png",
                 env={"PYTHONPATH": f"{hide.parent}:{ROOT}"})
    assert r.returncode == 1 and r.stderr == ("newspipe: error: --png needs matplotlib, the [png] extra: in the "
                                              "checkout, .venv/bin/pip install -e '.[png]'\n")
    assert not (tmp_path / "u.png").exists()


def test_related_ranks_the_planted_words_first(generated):
    arch, path = generated
    from db.trends import related
    matched, words = related(arch, "잼버리")
    assert matched == 40
    assert words[0].word == "새만금" and words[0].together == 40
    # the web page's way (the newest matching articles against the newest of the archive, not the index's
    # vocabulary) gives the same answer on an archive this small; a smaller sample reads only the newest
    assert related(arch, "잼버리", sample=100) == (matched, words)
    few, top = related(arch, "잼버리", sample=12)
    assert few == 12 and max(r.together for r in top) == 12 and top != words
    r = newspipe("--db", str(path), "related", "잼버리", "--json", "--limit", "5")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.returncode == 0 and rows[0]["word"] == "새만금" and len(rows) <= 5
    assert {"word", "score", "together", "archive"} <= set(rows[0])
    r = newspipe("--db", str(path), "related", "잼버리", "--sample", "12", "--limit", "3")
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == (
        f"{len(top[:3])} words from the 12 newest matching articles, against the archive's 2,000 newest")
    r = newspipe("--db", str(path), "related", "잼버리", "--sample", "0")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1


def test_related_reads_the_archive_counts_only_of_words_that_can_still_rank(generated, monkeypatch):
    """The archive's count of a word is read from the index only while the best G² it could have (none of
    the archive's other articles holding it) reaches the limit-th score so far: any limit gives the head of
    the full ranking, with fewer words looked up."""
    arch, _ = generated
    from db import trends
    looked: list[str] = []
    real = trends._doc_freq
    monkeypatch.setattr(trends, "_doc_freq", lambda db, words: looked.extend(words) or real(db, words))
    monkeypatch.setattr(trends, "LOOKUP", 1)
    _, every = trends.related(arch, "새만금", limit=500, min_count=1)
    assert len(every) > 10
    assert not {"밝히다", "되다", "하다", "있다"} & {r.word for r in every}     # verbs of every article left out
    read_all = len(looked)
    for limit in (1, 2, 5, 10):
        looked.clear()
        assert trends.related(arch, "새만금", limit=limit, min_count=1)[1] == every[:limit]
        assert limit <= len(looked) < read_all


@pytest.fixture(scope="module")
def parallel(tmp_path_factory, analyser):
    """Real articles: the first 240 sentences of the parallel corpus, 8 an article; (archive, path, bodies)."""
    lines = (CORPUS / "parallel" / "korean-english-park.dev.ko").read_text(encoding="utf-8").splitlines()
    bodies = ["\n".join(lines[n * 8:(n + 1) * 8]) for n in range(30)]
    path = tmp_path_factory.mktemp("related") / "r.db"
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    for n, body in enumerate(bodies):
        _store(arch, n, "s0", f"{n + 1}번", body, f"2026-08-{1 + n % 28:02d}T09:00:00+09:00")
    _run(arch, analyser)
    return arch, path, bodies


@pytest.mark.corpus                      # the parallel corpus's Korean sentences (../shared/corpus)
def test_related_words_are_nouns_and_names_never_verb_stems(parallel, analyser):
    """Found in a trial: on a small archive the related words were the lemmas of verbs and adjectives that a few
    matching articles happened to share (세계: 빠르다 and 찾다 first; 주다, 많다, 보이다 …), where only 14 verbs
    of every article were left out."""
    from db.trends import related
    from nlp.gather import STEM_TAGS
    arch, path, bodies = parallel
    stems, nouns = set(), set()              # what Kiwi made of the articles' words
    for body in bodies:
        for sentence in analyser.analyse(body).sentences:
            for form, tag, _ in sentence.morphs:
                if tag in STEM_TAGS:
                    stems.add(form + "다")
                elif tag in ("NNG", "NNP"):
                    nouns.add(form)
    found = {q: [r.word for r in related(arch, q, limit=200)[1]] for q in ("세계", "미국", "사람", "정부")}
    assert all(len(words) >= 30 for words in found.values()), found
    assert not {w for words in found.values() for w in words if w in stems and w not in nouns}, found
    assert "도쿠다" in nouns and "도쿠다" in found["세계"]           # a name ending in 다 is a word all the same
    assert related(arch, "세계", limit=200, sample=30) == related(arch, "세계", limit=200)      # the web page's way
    r = newspipe("--db", str(path), "related", "세계", "--json", "--limit", "5")
    assert r.returncode == 0 and not {json.loads(x)["word"] for x in r.stdout.splitlines()} & stems


@pytest.mark.corpus
def test_related_lines_up_latin_and_hangul_words(parallel):
    """A Latin word (asci, white) was padded as if each letter took two columns: its G² stood left of the
    Hangul words'."""
    from pipeline.cli.stories import _width
    _, path, _ = parallel
    r = newspipe("--db", str(path), "related", "세계", "--limit", "8")
    lines = r.stdout.splitlines()[:-1]
    assert r.returncode == 0 and any(w.split()[0].isascii() for w in lines) and not all(w.isascii() for w in lines)
    assert len({_width(w[:w.index("G²")]) for w in lines}) == 1, r.stdout


def test_stories_settings_in_the_config_file(tmp_path, generated):
    _, path = generated
    cfg = tmp_path / "n.toml"
    cfg.write_text("[stories]\nthreshold = 1.5\n", encoding="utf-8")
    r = newspipe("--db", str(path), "--config", str(cfg), "restory")
    assert r.returncode == 1 and "stories.threshold" in r.stderr and len(r.stderr.splitlines()) == 1
    cfg.write_text("[stories]\nthreshold = 0.2\ndays = 2\n", encoding="utf-8")
    r = newspipe("--db", str(path), "--config", str(cfg), "restory")
    assert r.returncode == 0 and "60 articles in" in r.stdout


def test_signatures_of_16_bits_read_32_bit_ones_stored_before():
    """b-bit minwise hashing (issue 19): a signature takes 256 bytes; one stored with 32-bit values by an
    earlier newspipe reads back cut the same way, so it matches the new ones. Text written for the test."""
    import numpy as np
    from datasketch import MinHash
    from nlp.shingles import NUM_PERM, SCHEME, SEED, from_bytes, shingles, signature, similarity, terms_of, to_bytes
    text = "전주시 한옥마을 골목 새로 단장 하다 주민 밤 걷다 편하다 말하다 관광 안내소 두 곳 열다 계획"
    mh, n = signature(text)
    full = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    full.update_batch([s.encode("utf-8") for s in shingles(terms_of(text))])
    old = np.asarray(full.hashvalues, dtype=np.uint32).tobytes()                  # as stored before
    assert len(to_bytes(mh)) == 2 * NUM_PERM and len(old) == 4 * NUM_PERM
    assert similarity(from_bytes(old), mh) == 1.0 == similarity(from_bytes(to_bytes(mh)), mh)
    other, _ = signature("군산항 물동량 석 달째 줄다 항만공사 새 항로 찾다 밝히다 화주 운임 부담 걱정 하다")
    assert similarity(other, mh) < 0.1


@needs_corpus
def test_expired_signatures_are_made_again_from_the_text(copies, tmp_path, analyser):
    """The run forgets the signatures of articles a week older than the stories window (issue 19: 256 bytes
    an article); an article's story and its similarities read the same after, and a copy of an old article
    that arrives late still joins its story."""
    from db.stories import expire_signatures
    from eval_stories import edit, originals
    from pipeline.stories import story_of
    _, path, label = copies
    with sqlite3.connect(path) as src, sqlite3.connect(tmp_path / "a.db") as dst:
        src.backup(dst)                                         # the WAL's pages too
    arch = Archive(tmp_path / "a.db")
    first = min(label)                                          # the original of 2026-03-01
    before = {aid: story_of(arch, aid) for aid in label}
    old = arch.query("SELECT count(*) FROM article_stories WHERE published_at < '2026-03-08' AND signature "
                     "IS NOT NULL", tuples=True).fetchone()[0]
    assert expire_signatures(arch, 2) == old >= 21              # 7 days of 3 articles before 2026-03-08
    assert arch.query("SELECT count(*) FROM article_stories WHERE signature IS NOT NULL AND published_at < "
                      "'2026-03-08'", tuples=True).fetchone()[0] == 0
    assert {aid: story_of(arch, aid) for aid in label} == before
    title, body = next(o for o in originals() if o[0].startswith("text-dev/"))[1:]
    t, b = edit(title, body, random.Random(3), body.split("\n"))[:2]
    late = _store(arch, 4242, "s3", t, b, "2026-03-01T18:00:00+09:00")
    _run(arch, analyser)
    assert _partition(arch)[late] == _partition(arch)[first]


def test_a_signature_hashes_its_shingles_as_datasketch_does():
    """signature() hashes the shingles itself (shingles._hashes32): the values of a MinHash fed the shingles
    through datasketch's own sha1_hash32, so signatures stored before compare alike."""
    from datasketch import MinHash
    from datasketch.hashfunc import sha1_hash32
    from nlp import shingles as sh
    text = "전주시 한옥마을 관광객 증가 하다 축제 개최 하다 시장 밝히다 내년 예산 확대 계획 세우다"
    mh = MinHash(num_perm=sh.NUM_PERM, seed=sh.SEED, scheme=sh.SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sh.shingles(sh.terms_of(text))])
    ours, n = sh.signature(text)
    assert n == len(sh.shingles(sh.terms_of(text))) == 13          # 15 terms, 3 a shingle
    assert (ours.hashvalues == (mh.hashvalues & sh._MASK)).all()
    some = sorted(sh.shingles(sh.terms_of(text))) + ["", "a", "전주"]
    assert sh._hashes32(some) == [sha1_hash32(s.encode("utf-8")) for s in some]
    assert sh.terms_of(text + " " + sh.SUFFIX_MARK + "을마옥한") == sh.terms_of(text) == text.split()
    assert sh.shingles(["a", "b", "c", "d"]) == {"a b c", "b c d"} and sh.shingles(["a", "b"]) == {"a b"}
