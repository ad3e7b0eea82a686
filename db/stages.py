"""The stage queues and what each stage stores: the articles pending each stage, a failed attempt, the
cleaner's text (earlier texts kept as versions), Kiwi's sentences, the English. Every store is one
transaction per article (a savepoint of a batch's transaction, for the analysis: Connection.batched). A mixin
of Archive: it works on the Connection's ``db`` and ``_tx``."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict

from nlp.types import Analysis
from scrapers.types import Article
from translate.types import ArticleTranslation

from . import korean_index
from .connection import Connection, dumps, sha256
from .filters import article_filters, source_filter
from .packing import pack
from .records import ArticleText, SentenceText, TranslationInput
from .schema import STAGES
from .schema_compact import english_layout

MAX_STAGE_ATTEMPTS = 3      # a stage that fails on an article is tried this many times in all


def _publisher_en(art: Article) -> str | None:
    """The publisher's English as one text, searched with the machine English (articles_fts_en)."""
    pt = art.publisher_translation
    return "\n".join(p for p in (pt.title, pt.subtitle, *pt.body) if p) or None if pt is not None else None


def _removed(art: Article) -> str | bytes:
    """The cleaner's removals as stored: their JSON as a zstd frame (db/packing.py; readers unpack), or as
    text where that is no longer (an empty list, one short removal). bench/compression.py: 1.3× on the
    corpus; a dictionary would gain ~15 bytes an article, not worth keeping one."""
    text = dumps([asdict(r) for r in art.removed])
    packed = pack(text)
    return packed if len(packed) < len(text.encode("utf-8")) else text


class Stages(Connection):
    # ----------------------------------------------------------------- queues
    def pending(self, stage: str, limit: int | None = None, source_id: str | None = None) -> list[int]:
        """Ids of articles whose ``stage`` is pending (or failed before and due for another try) and whose
        earlier stages are done; fresh work first, so an article that keeps failing never holds up others."""
        if stage not in STAGES:
            raise ValueError(stage)
        conds = [f"{stage}_status IN ('pending', 'retry')"]
        for earlier in STAGES[:STAGES.index(stage)]:
            conds.append(f"{earlier}_status='done'")
        if stage == "clean":
            conds.append("page_id IS NOT NULL")
        params: list = []
        if source_id:
            conds.append("source_id=?")
            params.append(source_id)
        sql = f"SELECT id FROM articles WHERE {' AND '.join(conds)} ORDER BY {stage}_attempts, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.db.execute(sql, params)]

    def work_left(self) -> dict[str, int]:
        """Per stage, the articles a later run still has to take through it: pending or due for another try,
        and not stopped before it (a page the cleaner found no article in is not pending analysis)."""
        open_ = "IN ('pending', 'retry', 'done')"
        conds, sums = ["page_id IS NOT NULL"], []
        for stage in STAGES:
            sums.append(f"coalesce(sum({stage}_status IN ('pending', 'retry') AND {' AND '.join(conds)}), 0)")
            conds.append(f"{stage}_status {open_}")
        row = self.db.execute(f"SELECT {', '.join(sums)} FROM articles").fetchone()
        return dict(zip(STAGES, row))

    def retry_failed(self, source_ids: Iterable[str] = ()) -> dict[str, int]:
        """Articles a stage gave up on after MAX_STAGE_ATTEMPTS failed attempts get as many more (status 'retry',
        attempts 0), per stage how many; a page the cleaner found no article in (failed without an error's
        attempts) stays as it is. The next run takes them; nothing else of theirs changes."""
        src = list(source_ids)
        where = f" AND source_id IN ({', '.join('?' * len(src))})" if src else ""
        counts: dict[str, int] = {}
        with self._tx():
            for stage in STAGES:
                counts[stage] = self.db.execute(
                    f"UPDATE articles SET {stage}_status='retry', {stage}_attempts=0 WHERE {stage}_status='failed' "
                    f"AND {stage}_attempts >= ?{where}", [MAX_STAGE_ATTEMPTS, *src]).rowcount
        return counts

    def given_up(self) -> dict[str, int]:
        """Per stage, the articles it gave up on after MAX_STAGE_ATTEMPTS attempts (what --retry-failed takes)."""
        row = self.db.execute("SELECT " + ", ".join(f"count(iif({s}_status='failed' AND {s}_attempts >= ?, 1, NULL))"
                                                     for s in STAGES) + " FROM articles",
                              [MAX_STAGE_ATTEMPTS] * len(STAGES)).fetchone()
        return {stage: n for stage, n in zip(STAGES, row) if n}

    def urls(self, ids: Iterable[int]) -> dict[int, str]:
        """The URL of each article id (for log lines)."""
        return dict(self._in_chunks("SELECT id, url FROM articles WHERE id IN ({marks})", ids))

    def _failed_status(self, article_id: int, stage: str) -> tuple[str, int]:
        """(status, attempts) after one more failed attempt of ``stage``: 'retry' (the next run tries
        again) until MAX_STAGE_ATTEMPTS attempts in all, then 'failed'."""
        row = self.db.execute(f"SELECT {stage}_attempts FROM articles WHERE id=?", [article_id]).fetchone()
        attempts = (row[0] if row else 0) + 1
        return ("retry" if attempts < MAX_STAGE_ATTEMPTS else "failed"), attempts

    def fail_stage(self, article_id: int, stage: str, error: str) -> str:
        """Record that ``stage`` failed on the article (an exception): its reason, one more attempt.
        Returns the new status: 'retry' or, after MAX_STAGE_ATTEMPTS attempts, 'failed'."""
        if stage not in STAGES:
            raise ValueError(stage)
        with self._tx():
            status, attempts = self._failed_status(article_id, stage)
            self.db.execute(f"UPDATE articles SET {stage}_status=?, {stage}_error=?, {stage}_attempts=?, "
                            "changed_at=? WHERE id=?", [status, error[:1000], attempts, self.now(), article_id])
        return status

    # ------------------------------------------------------------------ clean
    def store_clean(self, article_id: int, art: Article, cleaner_version: str) -> str:
        """Store the cleaner's output; returns the new clean status (done, failed or duplicate).

        An article cleaned before (its page fetched again with new bytes) keeps everything when the text
        (title, subtitle, body) is the same ('unchanged'), and when the new page gives no text ('failed':
        the earlier text stays). A new text is a correction: the earlier one is kept in article_versions,
        the new one analysed and translated again ('corrected', else 'duplicate')."""
        now = self.now()
        body = art.body_text
        row = self.db.execute("SELECT title_ko, subtitle_ko, body_ko, duplicate_of, content_hash, publisher_en "
                              "FROM articles WHERE id=?", [article_id]).fetchone()
        prev = row if row is not None and row[4] is not None else None
        if prev is not None and ((art.title, art.subtitle, body) == tuple(prev[:3]) or art.error or not body):
            with self._tx():
                self.db.execute("UPDATE articles SET clean_status=? WHERE id=?",
                                ["done" if prev[3] is None else "duplicate", article_id])
            return "unchanged" if body and not art.error else "failed"
        with self._tx():
            if prev is not None:
                self._keep_version(article_id, now)
            status = self._write_clean(article_id, art, cleaner_version, now, row[5] if row else None)
        return "corrected" if prev is not None and status == "done" else status

    def _write_clean(self, article_id: int, art: Article, cleaner_version: str, now: str,
                     publisher_en_before: str | None) -> str:
        """The new text, its status and the stages after it reset (inside store_clean's transaction)."""
        body = art.body_text
        content_hash = sha256(body) if body else None
        dup = None
        if content_hash:
            r = self.db.execute(
                "SELECT id FROM articles WHERE content_hash=? AND id<>? AND duplicate_of IS NULL "
                "ORDER BY id LIMIT 1", [content_hash, article_id]).fetchone()
            dup = r[0] if r else None
        if art.error or not body:
            status, error = "failed", art.error or "no article text found"
        elif dup is not None:
            status, error = "duplicate", f"same text as article {dup}"
        else:
            status, error = "done", None
        pt = art.publisher_translation if status == "done" else None
        self.db.execute(
            """UPDATE articles SET canonical_url=?, outlet=?, section=?, authors=?, dateline=?, published_at=?,
                 updated_at=?, title_ko=?, subtitle_ko=?, body_ko=?, captions=?, removed=?,
                 content_hash=?, duplicate_of=?, clean_status=?, clean_error=?, cleaner_version=?,
                 cleaned_at=?, nlp_status='pending', nlp_error=NULL, nlp_attempts=0,
                 translate_status='pending', translate_error=NULL, translate_attempts=0,
                 keywords='[]', entities='[]', changed_at=?
               WHERE id=?""",
            [art.canonical_url or None, art.outlet, art.section, dumps(art.authors), art.dateline,
             art.published_at, art.updated_at, art.title, art.subtitle, body,
             dumps([asdict(c) for c in art.captions]), _removed(art),
             content_hash, dup, status, error, cleaner_version, now, now, article_id])
        # Only where it changes: setting it fires the English index's trigger (a delete and an insert in
        # articles_fts_en), which for an article without the publisher's English (most) changes nothing.
        publisher_en = _publisher_en(art) if pt is not None else None
        if publisher_en != publisher_en_before:
            self.db.execute("UPDATE articles SET publisher_en=? WHERE id=?", [publisher_en, article_id])
        self._drop_sentences(article_id)
        self._unindex(article_id)
        if pt is not None:
            self._add_translation(article_id, "publisher", "publisher", cleaner_version, now,
                                  pt.title, pt.subtitle, "\n".join(pt.body), [])
        return status

    def _keep_version(self, article_id: int, now: str) -> None:
        """Copy the article's current text into article_versions (inside the caller's transaction)."""
        self.db.execute(
            """INSERT INTO article_versions(article_id, version, title_ko, subtitle_ko, body_ko, published_at,
                 updated_at, content_hash, cleaner_version, cleaned_at, replaced_at)
               SELECT id, (SELECT count(*) + 1 FROM article_versions WHERE article_id = ?), title_ko, subtitle_ko,
                 body_ko, published_at, updated_at, content_hash, cleaner_version, cleaned_at, ?
               FROM articles WHERE id = ?""", [article_id, now, article_id])

    # -------------------------------------------------------------------- nlp
    def bodies(self, ids: list[int]) -> Iterator[ArticleText]:
        """The title and body of each article, in the order given."""
        for article_id in ids:
            row = self.db.execute("SELECT title_ko, body_ko FROM articles WHERE id=?", [article_id]).fetchone()
            if row is not None:
                yield ArticleText(article_id, row[0] or "", row[1] or "")

    def store_analysis(self, article_id: int, analysis: Analysis) -> None:
        """Sentences (as offsets into the body), the search text (indexed), keywords and the article's word
        forms (``ko_forms``, which the query analyser reads), in one transaction, or inside a batch
        (Connection.batched) in a savepoint of its transaction, which indexes the search texts of its articles
        when it commits (korean_index.add). The morphemes themselves are not kept: what search, show and export
        need is derived here (issue 19)."""
        now = self.now()
        held = self._fts_held if self.db.conn.in_transaction else None
        self._flush_held(article_id)
        with self._tx():
            row = self.db.execute("SELECT body_ko FROM articles WHERE id=?", [article_id]).fetchone()
            body = (row[0] if row else None) or ""
            self._drop_sentences(article_id)
            self.db.conn.executemany(
                'INSERT INTO sentence_spans(article_id, idx, para, start, "end", ko) VALUES (?,?,?,?,?,?)',
                [(article_id, s.index, s.para, s.start, s.end, None if body[s.start:s.end] == s.text else s.text)
                 for s in analysis.sentences])
            self.db.execute(
                """UPDATE articles SET keywords=?, entities=?, nlp_status='done', nlp_error=NULL,
                   nlp_version=?, analysed_at=?, changed_at=? WHERE id=?""",
                [dumps(analysis.keywords), dumps(analysis.entities), analysis.version, now, now, article_id])
            korean_index.index(self.db, article_id, analysis.search_text, now=held is None)
            written = self._add_forms(analysis.forms)
        if held is not None and analysis.search_text:
            held[article_id] = analysis.search_text
        self._forms_written(written)

    _fts_held: dict[int, str] | None = None    # in a batch: search texts stored, to index before it commits

    def _flush_held(self, article_id: int) -> None:
        """An article whose search text this batch holds back is indexed now, before anything takes its entry
        out: a contentless index told to delete an entry it never had is corrupted."""
        if self._fts_held and article_id in self._fts_held:
            self._batch_committing()

    def _unindex(self, article_id: int) -> None:
        self._flush_held(article_id)
        korean_index.unindex(self.db, article_id)

    def _batch_begun(self) -> None:
        super()._batch_begun()
        self._fts_held = {}

    def _batch_committing(self) -> None:
        super()._batch_committing()
        if self._fts_held:
            korean_index.add(self.db, list(self._fts_held.items()))
            self._fts_held.clear()

    def _batch_ended(self, committed: bool) -> None:
        super()._batch_ended(committed)
        self._fts_held = None

    def _drop_sentences(self, article_id: int) -> None:
        """Delete the article's sentences (inside the caller's transaction); the English they hold of the
        current translation is first copied into its history row."""
        self._archive_english(article_id)
        self.db.execute("DELETE FROM sentence_spans WHERE article_id=?", [article_id])

    def _archive_english(self, article_id: int) -> None:
        """The history row of the article's current English (``in_article``) gets its texts, before the
        article's English or sentences change: the history never loses a translation."""
        row = self.db.execute("SELECT id FROM translations WHERE article_id=? AND in_article=1",
                              [article_id]).fetchone()
        if row is None:
            return
        ens = [r[0] for r in self.db.execute("SELECT en FROM sentences WHERE article_id=? ORDER BY idx",
                                             [article_id])]
        self.db.execute(
            """UPDATE translations SET (title_en, subtitle_en, body_en) =
                 (SELECT title_en, subtitle_en, body_en FROM articles WHERE id=?), sentences_en=?, in_article=0
               WHERE id=?""", [article_id, dumps(ens), row[0]])

    # --------------------------------------------------------------- translate
    def translation_input(self, article_id: int) -> TranslationInput:
        """The title, subtitle and sentences to translate."""
        row = self.db.execute("SELECT title_ko, subtitle_ko FROM articles WHERE id=?", [article_id]).fetchone()
        sents = [SentenceText(*r) for r in self.db.execute(
            "SELECT idx, para, ko FROM sentences WHERE article_id=? ORDER BY idx", [article_id])]
        return TranslationInput(row[0] or "", row[1] or "", sents)

    def select_for_retranslation(self, source_ids: Iterable[str] = (), since: str | None = None,
                                 until: str | None = None, limit: int | None = None) -> list[int]:
        """Ids of the analysed articles selected for a retranslation. Nothing about them changes here: their
        status and English stay as they are until a new translation is stored, so a retranslation that
        fails or is killed leaves them as they were."""
        conds, params = article_filters(since, until)
        conds += ["a.clean_status='done'", "a.nlp_status='done'"]
        source_filter(conds, params, list(source_ids))
        sql = f"SELECT a.id FROM articles a WHERE {' AND '.join(conds)} ORDER BY a.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.db.execute(sql, params)]

    def _add_translation(self, article_id, provenance, backend, version, now, title, subtitle, body, sents,
                         in_article: bool = False):
        """A row of the history; ``in_article``: the article's current English, whose texts the article and
        its sentences hold (the row gets them when a newer translation replaces it)."""
        if in_article:
            title = subtitle = body = None
            sents = []
        self.db.execute(
            """INSERT INTO translations(article_id, provenance, backend, version, created_at, title_en,
                 subtitle_en, body_en, sentences_en, in_article) VALUES (?,?,?,?,?,?,?,?,?,?)""",
            [article_id, provenance, backend, version, now, title, subtitle, body, dumps(sents), int(in_article)])

    def _has_complete_english(self, article_id: int) -> bool:
        row = self.db.execute("SELECT body_en IS NOT NULL AND translate_error IS NULL FROM articles "
                              "WHERE id=?", [article_id]).fetchone()
        return bool(row and row[0])

    def store_translation(self, article_id: int, tr: ArticleTranslation, version: str,
                          keep_previous: bool = False) -> str:
        """Store a translation in the article (its English fields and each sentence's) unless ``keep_previous``
        and it is incomplete while the article already has a complete one -- a failed retranslation never
        replaces good English. Only a complete one (every unit passed QA) becomes a row of the translations
        history: an attempt that failed is no translation; its reason is the article's translate_error (and
        the run's failures), the English of its units that passed stays in the article until the next attempt,
        and the English the article held before is kept in its history row (_archive_english).

        Returns the translate status: done; retry or failed (some unit failed QA or the backend: tried again
        on the next runs, MAX_STAGE_ATTEMPTS attempts in all); kept (a failed retranslation, the earlier
        complete English kept, nothing stored).
        """
        now = self.now()
        sents = self.db.execute("SELECT idx, para FROM sentence_spans WHERE article_id=? ORDER BY idx",
                                [article_id]).fetchall()
        if len(sents) != len(tr.sentences):
            raise ValueError(f"article {article_id}: {len(tr.sentences)} translations for {len(sents)} sentences")
        errors = [u.error for u in [tr.title, tr.subtitle, *tr.sentences] if u.error]
        english = [u.en for u in tr.sentences]
        if errors and keep_previous and self._has_complete_english(article_id):
            return "kept"
        with self._tx():
            status, attempts = self._failed_status(article_id, "translate") if errors else ("done", None)
            self._archive_english(article_id)
            body_en, spans = english_layout([(para, unit.en) for (_, para), unit in zip(sents, tr.sentences)])
            self.db.conn.executemany(
                "UPDATE sentence_spans SET en_start=?, en_end=?, en=?, en_error=? WHERE article_id=? AND idx=?",
                [(*(span or (None, None)), None if span else unit.en, unit.error, article_id, idx)
                 for (idx, _), unit, span in zip(sents, tr.sentences, spans)])
            if not errors:
                self._add_translation(article_id, tr.provenance, tr.backend, version, now, tr.title.en,
                                      tr.subtitle.en, body_en, english, in_article=True)
            self.db.execute(
                """UPDATE articles SET title_en=?, subtitle_en=?, body_en=?, translate_status=?, translate_error=?,
                   translate_attempts=coalesce(?, translate_attempts), translation_provenance=?,
                   translation_backend=?, translation_version=?, translated_at=?, changed_at=? WHERE id=?""",
                [tr.title.en, tr.subtitle.en, body_en, status, "; ".join(errors)[:1000] or None, attempts,
                 tr.provenance, tr.backend, version, now, now, article_id])
        return status
