"""The storage diet (issue 19): sentences kept as offsets into the bodies, no morphemes, the current English
stored once, the Korean index text compressed -- and nothing a reader saw before lost: an archive of the
earlier layout upgrades with every text intact, and a retranslation or correction still keeps each English
ever stored. The Korean sentences and their English below were written for these tests."""
from __future__ import annotations

import json
import logging
import sqlite3
import subprocess

import pytest
import sqlite_utils

from conftest import NEWSPIPE
from db.archive import Archive
from db.connection import ArchiveError
from db.schema import migrations
from db.search import search
from scrapers.types import Article, FetchedPage
from translate.types import ArticleTranslation, TranslatedText

BODIES = [
    ["전주시는 한옥마을 골목을 새로 단장했다. 주민들은 밤에도 걷기 편해졌다고 말했다.",
     "시는 내년까지 관광 안내소를 두 곳 더 열 계획이다."],
    ["군산항의 물동량이 석 달째 줄었다.", "항만공사는 새 항로를 찾겠다고 밝혔다. 화주들은 운임 부담을 걱정했다."],
]
ENGLISH = [["Jeonju City has refurbished the alleys of its hanok village.",
            "Residents said walking at night had become easier.",
            "The city plans to open two more tourist information centres by next year."],
           ["Cargo volumes at Gunsan Port fell for a third month.",
            "The port authority said it would look for new routes.",
            "Shippers worried about freight costs."]]
OLDER = ["Jeonju refurbished hanok alleys.", "People say night walks are easier.", "Two more centres next year."]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))      # as db.connection.dumps writes


def _analyse(analyser, title, body):
    return next(a for _, a in analyser.analyse_many([(0, "\n".join(body), title)]))


def _old_archive(path, analyser) -> list:
    """An archive as newspipe wrote it before m013: sentences with their texts and morphemes, search_ko in the
    article, the current English in the article and in its translations row; ko_forms never filled."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m013_compact_storage")
    db.execute("INSERT INTO sources(id, name) VALUES ('jb', '전북 테스트')")
    analyses = []
    for i, body in enumerate(BODIES, 1):
        a = _analyse(analyser, f"기사 {i}", body)
        analyses.append(a)
        body_ko = "\n".join(body)
        en = ENGLISH[i - 1]
        paras: dict[int, list[str]] = {}
        for s, e in zip(a.sentences, en):
            paras.setdefault(s.para, []).append(e)
        body_en = "\n".join(" ".join(p) for _, p in sorted(paras.items()))
        if i == 2:
            body_en += " (edited by hand)"          # no longer the join of its sentences: kept as literals
        db.execute("INSERT INTO articles(id, url, source_id, title_ko, body_ko, title_en, body_en, search_ko, "
                   "clean_status, nlp_status, translate_status, created_at, changed_at) VALUES "
                   "(?, ?, 'jb', ?, ?, ?, ?, ?, 'done', 'done', 'done', 'x', 'x')",
                   [i, f"https://jb.example/{i}", f"기사 {i}", body_ko, f"Article {i}", body_en, a.search_text])
        for s, e in zip(a.sentences, en):
            db.execute('INSERT INTO sentences(article_id, idx, para, start, "end", ko, en, morphs) '
                       "VALUES (?,?,?,?,?,?,?,?)", [i, s.index, s.para, s.start, s.end, s.text, e,
                                                    " ".join(f"{f}/{t}@{o}" for f, t, o in s.morphs)])
        if i == 1:                                  # an earlier translation, replaced by the current one
            db.execute("INSERT INTO translations(article_id, provenance, backend, created_at, title_en, body_en, "
                       "sentences_en) VALUES (1, 'machine', 'old', 'x', 'Old title', ?, ?)",
                       [" ".join(OLDER[:2]) + "\n" + OLDER[2], _dumps(OLDER)])
        db.execute("INSERT INTO translations(article_id, provenance, backend, created_at, title_en, body_en, "
                   "sentences_en) VALUES (?, 'machine', 'libre', 'y', ?, ?, ?)",
                   [i, f"Article {i}", body_en, _dumps(en)])
    db.conn.commit()
    db.conn.close()
    return analyses


def test_an_archive_of_the_earlier_layout_upgrades_with_every_text_intact(tmp_path, analyser, caplog):
    path = tmp_path / "old.db"
    analyses = _old_archive(path, analyser)
    with caplog.at_level(logging.INFO, logger="db.connection"):
        arch = Archive(path)                                # applies m013, and says so in one line
    said = [r.getMessage() for r in caplog.records if r.name == "db.connection"]
    assert len(said) == 1 and said[0].startswith(f"upgrading {path} to this version's schema (m013_compact_storage")
    caplog.clear()
    Archive(tmp_path / "new.db").close()                    # a new archive is created, not upgraded: no word
    Archive(path).close()                                   # nor one already of this version
    assert not [r for r in caplog.records if r.name == "db.connection"]
    for i, a in enumerate(analyses, 1):
        art = arch.article(i)
        assert [s["ko"] for s in art["sentences"]] == [s.text for s in a.sentences]
        assert [s["en"] for s in art["sentences"]] == ENGLISH[i - 1]
        assert art["translations"][-1]["body_en"] == art["body_en"] and art["translations"][-1]["title_en"]
        assert "search_ko_z" not in art and "search_ko" not in art
    assert [t["body_en"] for t in arch.article(1)["translations"]][0] == " ".join(OLDER[:2]) + "\n" + OLDER[2]
    con = sqlite3.connect(path)
    # article 1's texts are slices of its bodies; article 2's English was edited, so its sentences keep theirs
    assert con.execute("SELECT count(*) FROM sentence_spans WHERE article_id=1 AND (ko IS NOT NULL OR "
                       "en IS NOT NULL OR en_start IS NULL)").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM sentence_spans WHERE article_id=2 AND en IS NOT NULL").fetchone() == (3,)
    assert con.execute("SELECT in_article, body_en IS NULL FROM translations ORDER BY id").fetchall() == \
        [(0, 0), (1, 1), (1, 1)]                            # each article's current English: once, in the article
    # the Korean index answers as before, and ko_forms was filled from the morphemes it never had
    assert [h.id for h in search(arch, "한옥마을", lang="ko")] == [1]
    assert [h.id for h in search(arch, "항만공사는", lang="ko")] == [2]
    forms = dict(con.execute("SELECT surface, terms FROM ko_forms"))
    expected = {w: t for a in analyses for w, t in a.forms.items() if w != "기사"}   # the title's: not in morphs
    assert {w: forms.get(w) for w in expected} == expected
    assert arch.stats()["sentences"] == 6 and arch.stats()["sentences_translated"] == 6


def _article(arch, analyser, body):
    url = "https://jb.example/x"
    aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"x", source_id="jb",
                                      fetched_at="2026-11-27T00:00:00+09:00"))
    arch.store_clean(aid, Article(url=url, title="한옥마을 새 단장", body=body), "t")
    arch.store_analysis(aid, _analyse(analyser, "한옥마을 새 단장", body))
    return aid


def _tr(lines, title="Hanok village"):
    return ArticleTranslation(backend="libre", title=TranslatedText(title), subtitle=TranslatedText(None),
                              sentences=[TranslatedText(x) for x in lines])


def test_every_english_ever_stored_is_kept_once(tmp_path, analyser):
    from scrapers.types import Source
    arch = Archive(tmp_path / "t.db")
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트")])
    aid = _article(arch, analyser, BODIES[0])
    arch.store_translation(aid, _tr(OLDER, "Old title"), "1")
    arch.store_translation(aid, _tr(ENGLISH[0]), "2")                 # a retranslation
    art = arch.article(aid)
    assert [s["en"] for s in art["sentences"]] == ENGLISH[0]
    assert [(t["title_en"], t["body_en"]) for t in art["translations"]] == [
        ("Old title", " ".join(OLDER[:2]) + "\n" + OLDER[2]), ("Hanok village", art["body_en"])]
    con = sqlite3.connect(tmp_path / "t.db")
    rows = con.execute("SELECT in_article, title_en IS NULL, sentences_en FROM translations ORDER BY id").fetchall()
    assert [(r[0], r[1], json.loads(r[2])) for r in rows] == [(0, 0, OLDER), (1, 1, [])]   # current: in the article
    # a failed retranslation keeps the English, adds no row (it is no translation), the current one stays
    failed = _tr(ENGLISH[0][:2] + [None])
    failed.sentences[2] = TranslatedText(None, "backend down")
    assert arch.store_translation(aid, failed, "3", keep_previous=True) == "kept"
    assert [s["en"] for s in arch.article(aid)["sentences"]] == ENGLISH[0]
    assert len(arch.article(aid)["translations"]) == 2
    # a correction re-analyses the article: the sentences go, their English stays in the history
    arch.store_clean(aid, Article(url="https://jb.example/x", title="한옥마을 새 단장", body=BODIES[0][:1]), "t")
    rows = con.execute("SELECT in_article, sentences_en FROM translations WHERE provenance='machine' "
                       "ORDER BY id").fetchall()
    assert json.loads(rows[1][1]) == ENGLISH[0] and not any(r[0] for r in rows)
    assert arch.article(aid)["sentences"] == [] and search(arch, "한옥마을", lang="ko") == []


def test_the_nightly_tidy_merges_the_index_segments(tmp_path, analyser):
    from scrapers.types import Source
    arch = Archive(tmp_path / "t.db")
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트")])
    for i in range(40):                         # one transaction each, as a run stores them: a segment each
        url = f"https://jb.example/{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id="jb",
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        body = [BODIES[i % 2][0] + f" {i}번째 기사다."]
        arch.store_clean(aid, Article(url=url, title="기사", body=body), "t")
        arch.store_analysis(aid, _analyse(analyser, "기사", body))
    con = sqlite3.connect(tmp_path / "t.db")
    segments = con.execute("SELECT count(DISTINCT segid) FROM articles_fts_ko_idx").fetchone()[0]
    before = [h.id for h in search(arch, "한옥마을", lang="ko", limit=100, collapse=False)]
    arch.tidy_indexes()
    assert con.execute("SELECT count(DISTINCT segid) FROM articles_fts_ko_idx").fetchone()[0] < segments
    assert sorted(h.id for h in search(arch, "한옥마을", lang="ko", limit=100, collapse=False)) == sorted(before) and len(before) == 20
    con.execute("INSERT INTO articles_fts_ko(articles_fts_ko, rank) VALUES ('integrity-check', 0)")


def _cleaned(arch, n: int) -> list[tuple[int, list[str]]]:
    from scrapers.types import Source
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트")])
    out = []
    for i in range(n):
        url = f"https://jb.example/b{i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(), source_id="jb",
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        body = [BODIES[i % 2][0] + f" {i}번째 기사다.", BODIES[i % 2][1]]
        arch.store_clean(aid, Article(url=url, title=f"기사 {i}", body=body), "t")
        out.append((aid, body))
    return out


def _stored(path) -> dict:
    """What the analysis stored, read through a connection of its own (what another process sees)."""
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, articles_fts_ko, instance)")
    out = {"articles": con.execute("SELECT id, nlp_status, keywords, entities, search_ko_z FROM articles "
                                   "ORDER BY id").fetchall(),
           "sentences": con.execute("SELECT * FROM sentence_spans ORDER BY article_id, idx").fetchall(),
           "forms": con.execute("SELECT * FROM ko_forms ORDER BY surface").fetchall(),
           "index": con.execute("SELECT term, doc, offset FROM temp.v ORDER BY 1, 2, 3").fetchall()}
    con.close()
    return out


def test_a_batch_stores_each_article_whole_or_not_at_all(tmp_path, analyser):
    """Archive.batched (the analysis stage's transactions): what it commits is what storing each article on
    its own stores; before it commits, another reader sees none of it; an article that fails inside it leaves
    nothing and the others go in; an exception rolls back what is not committed, every article still pending."""
    one, many = Archive(tmp_path / "one.db"), Archive(tmp_path / "many.db")
    arts = _cleaned(one, 6)
    assert _cleaned(many, 6) == arts
    analyses = {aid: _analyse(analyser, f"기사 {i}", body) for i, (aid, body) in enumerate(arts)}
    for aid, a in analyses.items():
        one.store_analysis(aid, a)
    pending = _stored(tmp_path / "many.db")
    broken = _analyse(analyser, "기사", BODIES[0])
    broken.sentences.append(None)                     # fails after the article's first writes
    with pytest.raises(KeyboardInterrupt):
        with many.batched(every=100) as batch:
            for aid, a in list(analyses.items())[:3]:
                many.store_analysis(aid, a)
                batch.done()
            assert _stored(tmp_path / "many.db") == pending        # nothing committed yet
            raise KeyboardInterrupt
    assert _stored(tmp_path / "many.db") == pending
    with many.batched(every=4) as batch:              # a commit after the fourth, the rest at the end
        for n, (aid, a) in enumerate(analyses.items()):
            if n == 2:
                with pytest.raises(AttributeError):
                    many.store_analysis(aid, broken)
                many.store_analysis(arts[0][0], analyses[arts[0][0]])      # again, in the same batch
            many.store_analysis(aid, a)
            batch.done()
    assert _stored(tmp_path / "many.db") == _stored(tmp_path / "one.db")
    assert all(r[1] == "done" for r in _stored(tmp_path / "one.db")["articles"])
    con = sqlite3.connect(tmp_path / "many.db")
    con.execute("INSERT INTO articles_fts_ko(articles_fts_ko, rank) VALUES ('integrity-check', 0)")
    con.close()
    assert sorted(h.id for h in search(many, "한옥마을", lang="ko", limit=100, collapse=False)) == [
        aid for aid, _ in arts[::2]]


@pytest.mark.parametrize("batched", [True, False], ids=["a batch", "one write"])
def test_a_write_waits_for_another_writer_instead_of_failing_on_a_stale_read(tmp_path, batched):
    """A transaction that reads and then writes, while another connection (another process: an ingest beside
    a run) commits in between: with a plain BEGIN, SQLite refused the write at once ("database is locked":
    the read was stale, so waiting could not help). BEGIN IMMEDIATE takes the write lock first, and the other
    writer waits for the commit (found in review)."""
    import threading
    from contextlib import nullcontext
    ours, theirs = Archive(tmp_path / "a.db"), None
    [(aid, _)] = _cleaned(ours, 1)
    theirs = Archive(tmp_path / "a.db")
    errors = []

    def other_writer():
        try:
            url = "https://jb.example/other"
            theirs.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"other", source_id="jb",
                                          fetched_at="2026-11-27T00:00:00+09:00"))
        except Exception as exc:                   # noqa: BLE001 - the test reports it
            errors.append(exc)
    with (ours.batched() if batched else nullcontext()) as batch:
        with ours._tx():
            assert ours.pending("nlp") == [aid]    # the read ...
            other = threading.Thread(target=other_writer)
            other.start()
            other.join(1.0)                        # ... the other writer commits here, or waits for us
            ours.fail_stage(aid, "nlp", "a failure written for this test")     # ... and the write
        if batch is not None:
            batch.done()
    other.join(10)
    assert errors == []
    assert len(ours.pending("clean")) == 1         # the other writer's page, stored after ours
    ours.close()
    theirs.close()


def test_an_article_cleaned_again_in_the_batch_that_analysed_it_leaves_the_index_whole(tmp_path, analyser):
    """The analysis batch indexes its search texts when it commits. An article cleaned again before that (its
    entry taken out: store_clean unindexes) was told to the contentless index as a delete of an entry it never
    had, which corrupts it (found in review). The held text goes in first, then comes out."""
    arch = Archive(tmp_path / "a.db")
    [(aid, body), (other, body2)] = _cleaned(arch, 2)
    with arch.batched(every=100, seconds=3600) as batch:       # one batch, however slow Kiwi's first call
        arch.store_analysis(aid, _analyse(analyser, "기사 0", body))
        batch.done()
        arch.store_analysis(other, _analyse(analyser, "기사 1", body2))
        batch.done()
        arch.store_clean(aid, Article(url="https://jb.example/b0", title="기사 0", body=["새 본문이다."]), "t2")
        batch.done()
    con = sqlite3.connect(tmp_path / "a.db")
    con.execute("INSERT INTO articles_fts_ko(articles_fts_ko) VALUES ('integrity-check')")   # raises if corrupt
    found = {w: con.execute("SELECT rowid FROM articles_fts_ko WHERE articles_fts_ko MATCH ?", [w]).fetchall()
             for w in ("전주시", "군산항")}
    con.close()
    assert found == {"전주시": [], "군산항": [(other,)]}   # the re-cleaned article is out; the other one is in


def test_a_batch_inside_the_callers_transaction_leaves_the_commit_to_the_caller(tmp_path, analyser):
    """Archive.batched opened while a transaction is already open (a caller's own, or an outer batch) begins
    and commits nothing of its own: its done() is a no-op and the outer transaction decides."""
    arch = Archive(tmp_path / "a.db")
    arts = _cleaned(arch, 3)
    before = _stored(tmp_path / "a.db")
    with arch.batched() as outer:
        with arch.batched(every=100, seconds=0) as inner:     # due at every write, if it were its own
            for i, (aid, body) in enumerate(arts):
                arch.store_analysis(aid, _analyse(analyser, f"기사 {i}", body))
                inner.done()
            assert _stored(tmp_path / "a.db") == before    # nothing committed by the inner batch
        outer.done()
    assert all(r[1] == "done" for r in _stored(tmp_path / "a.db")["articles"])


def test_an_archive_of_a_newer_version_is_refused_and_left_as_it_is(tmp_path):
    """Found in a new user's trial: an archive a later newspipe had upgraded was read and written by the older
    code (which then failed on a column it did not know, or blamed the disk). It is refused in one line."""
    path = tmp_path / "future.db"
    Archive(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                "VALUES ('newspipe', 'm099_from_the_future', '2027-01-01')")
    con.commit()
    con.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(ArchiveError, match=r"was written by a newer newspipe \(its schema has "
                                               r"m099_from_the_future, which this version does not know\)"):
            Archive(path, readonly=readonly)
    res = subprocess.run([*NEWSPIPE, "--db", str(path), "stats"], capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr.count("\n") == 1 and "newer newspipe" in res.stderr, res.stderr
    res = subprocess.run([*NEWSPIPE, "--db", str(path), "run", "--no-crawl", "--no-translate"], capture_output=True,
                         text=True)                 # no "the next run resumes": the next is refused the same way
    assert res.returncode == 1 and res.stderr.strip().endswith("it was left as it is"), res.stderr
    assert path.read_bytes() == before


def test_an_archive_needing_an_upgrade_is_read_by_no_command_that_only_reads(tmp_path):
    """A full disk can cut an archive's creation short between two migrations: the message names that case
    beside the earlier version (it named only the latter), and the command that completes either."""
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m013_compact_storage")
    db.conn.close()
    with pytest.raises(ArchiveError, match=r"of an earlier version \(or one whose creation was cut short, by a full "
                                           r"disk\): 'newspipe run' \(or 'newspipe reindex'\) completes it"):
        Archive(path, readonly=True)
    Archive(path).close()                                  # a command that writes completes it
    Archive(path, readonly=True).close()
