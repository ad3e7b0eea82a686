"""Migrations from issue 19 on (the storage diet): registered on db/schema.py's ``migrations``, after its own.

What an archive stores once, and how (m013):
- ``sentence_spans``: each Kiwi sentence as offsets -- into ``articles.body_ko`` for its Korean and into
  ``articles.body_en`` for its English -- with a literal only where a text is not a slice of the body
  (never, for what this version writes). The ``sentences`` view gives the texts back, so every reader and
  Datasette see the same sentences as before.
- The morphemes are no longer stored: search reads ``ko_forms`` and the index, show and export the texts;
  ``ko_forms`` is written by the nlp stage (filled here from the old morphemes where it never was).
- ``translations``: the article's current machine English is in the article and its sentences; its row in
  the history is marked ``in_article`` and holds no text until a newer translation replaces it (then the
  texts are copied into the row, db/stages.py).
- The Korean index: its text (``search_ko_z``, zstd, db/packing.py) and a contentless FTS5 table with a
  prefix index for two characters only (a longer prefix is read from the term index: measured in
  bench/storage.py and bench/scale.py). db/korean_index.py keeps it; SQL triggers keep the English one.
"""
from __future__ import annotations

import json

from .packing import pack, unpack
from .schema import _run_script, migrations

SENTENCES_VIEW = """
    CREATE VIEW sentences AS
    SELECT s.article_id, s.idx, s.para, s.start, s."end",
           coalesce(s.ko, substr(a.body_ko, s.start + 1, s."end" - s.start)) AS ko,
           CASE WHEN s.en_start IS NULL THEN s.en
                ELSE substr(a.body_en, s.en_start + 1, s.en_end - s.en_start) END AS en,
           s.en_error
    FROM sentence_spans s JOIN articles a ON a.id = s.article_id;
"""

KO_INDEX = ("CREATE VIRTUAL TABLE articles_fts_ko USING fts5(search_ko, content='', tokenize='unicode61', "
            "prefix='2');")


def english_layout(ens: list[tuple[int, str | None]]) -> tuple[str, list[tuple[int, int] | None]]:
    """The English body of sentences given as (paragraph, English) in order -- each paragraph's sentences
    joined by a space, paragraphs by a newline, a sentence without English left out -- and each sentence's
    (start, end) in it (None: no English)."""
    paras: dict[int, list[int]] = {}
    for i, (para, _) in enumerate(ens):
        paras.setdefault(para, []).append(i)
    spans: list[tuple[int, int] | None] = [None] * len(ens)
    out: list[str] = []
    pos = 0
    for n, (_, members) in enumerate(sorted(paras.items())):
        if n:
            out.append("\n")
            pos += 1
        first = True
        for i in members:
            en = ens[i][1]
            if not en:
                continue
            if not first:
                out.append(" ")
                pos += 1
            out.append(en)
            spans[i] = (pos, pos + len(en))
            pos += len(en)
            first = False
    return "".join(out), spans


def _fill_forms(db) -> None:
    """ko_forms from the stored morphemes, for an archive whose ko_forms was never filled."""
    if db.execute("SELECT 1 FROM ko_forms LIMIT 1").fetchone() or not db.execute(
            "SELECT 1 FROM sentences WHERE morphs != '' LIMIT 1").fetchone():
        return
    from nlp.analyse import forms_of_packed      # pure Python (no Kiwi); only archives older than m003 come here
    for aid, body in db.execute("SELECT id, body_ko FROM articles WHERE nlp_status='done'").fetchall():
        paras = (body or "").split("\n")
        starts = [sum(len(p) + 1 for p in paras[:i]) for i in range(len(paras))]
        packed: dict[int, list[str]] = {}
        for para, morphs in db.execute("SELECT para, morphs FROM sentences WHERE article_id=? ORDER BY idx", [aid]):
            packed.setdefault(para, []).append(morphs)
        for para, sents in packed.items():
            if 0 <= para < len(paras):
                db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)",
                                    forms_of_packed(paras[para], sents, starts[para]).items())


def _spans_of(db, aid: int, body_ko: str, body_en: str | None) -> list[tuple]:
    rows = db.execute('SELECT idx, para, start, "end", ko, en, en_error FROM sentences WHERE article_id=? '
                      "ORDER BY idx", [aid]).fetchall()
    built, where = english_layout([(r[1], r[5]) for r in rows])
    exact = body_en is not None and built == body_en
    out = []
    for r, span in zip(rows, where):
        idx, para, start, end, ko, en, err = r
        ko_lit = None if body_ko[start:end] == ko else ko
        if exact and span is not None:
            out.append((aid, idx, para, start, end, span[0], span[1], ko_lit, None, err))
        else:
            out.append((aid, idx, para, start, end, None, None, ko_lit, en, err))
    return out


def _mark_current(db, aid: int, body_en: str | None, ens: list) -> None:
    """The history row holding exactly the article's current English gives its texts to the article."""
    if body_en is None:
        return
    rows = db.execute("SELECT t.id, t.sentences_en FROM translations t JOIN articles a ON a.id = t.article_id "
                      "WHERE t.article_id=? AND t.provenance != 'publisher' AND t.body_en = ? AND "
                      "t.title_en IS a.title_en AND t.subtitle_en IS a.subtitle_en ORDER BY t.id DESC",
                      [aid, body_en]).fetchall()
    for tid, sents in rows:
        if json.loads(sents or "[]") == ens:
            db.execute("UPDATE translations SET title_en=NULL, subtitle_en=NULL, body_en=NULL, sentences_en='[]', "
                       "in_article=1 WHERE id=?", [tid])
            return


@migrations()
def m013_compact_storage(db):
    """Sentences as offsets, no morphemes, the current English once, the Korean index text compressed."""
    _fill_forms(db)
    _run_script(db, """
        CREATE TABLE sentence_spans (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            para INTEGER NOT NULL,
            start INTEGER NOT NULL,                 -- the Korean: body_ko[start:end] (Python offsets)
            "end" INTEGER NOT NULL,
            en_start INTEGER,                       -- the English: body_en[en_start:en_end]
            en_end INTEGER,
            ko TEXT,                                -- literal texts, only where they are no slice of the body
            en TEXT,
            en_error TEXT,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;
        ALTER TABLE translations ADD COLUMN in_article INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX translations_in_article ON translations(article_id) WHERE in_article = 1;
        ALTER TABLE articles ADD COLUMN search_ko_z BLOB;
    """)
    arts = db.execute("SELECT id, body_ko, body_en FROM articles WHERE id IN "
                      "(SELECT DISTINCT article_id FROM sentences)").fetchall()
    for aid, body_ko, body_en in arts:
        spans = _spans_of(db, aid, body_ko or "", body_en)
        db.conn.executemany("INSERT INTO sentence_spans VALUES (?,?,?,?,?,?,?,?,?,?)", spans)
        _mark_current(db, aid, body_en, [r[0] for r in db.execute(
            "SELECT en FROM sentences WHERE article_id=? ORDER BY idx", [aid])])
    for aid, text in db.execute("SELECT id, search_ko FROM articles WHERE search_ko IS NOT NULL").fetchall():
        db.execute("UPDATE articles SET search_ko_z=? WHERE id=?", [pack(text), aid])
    _run_script(db, f"""
        DROP TRIGGER articles_fts_ai;
        DROP TRIGGER articles_fts_ad;
        DROP TRIGGER articles_fts_ko_au;
        DROP TABLE articles_fts_ko;
        ALTER TABLE articles DROP COLUMN search_ko;
        DROP TABLE sentences;
        {SENTENCES_VIEW}
        {KO_INDEX}
        CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts_en(rowid, title_en, body_en, publisher_en)
                VALUES (new.id, new.title_en, new.body_en, new.publisher_en);
        END;
        CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts_en(articles_fts_en, rowid, title_en, body_en, publisher_en)
                VALUES ('delete', old.id, old.title_en, old.body_en, old.publisher_en);
        END;
    """)
    for aid, z in db.execute("SELECT id, search_ko_z FROM articles WHERE search_ko_z IS NOT NULL").fetchall():
        db.execute("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)", [aid, unpack(z)])
