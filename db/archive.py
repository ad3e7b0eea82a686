"""The SQLite archive. The only module in newspipe that writes SQL.

Every stage writes through one method here, in one transaction per article, so a
run killed at any instant leaves each article either before or after a stage,
never half-way: the next run picks up exactly what is still pending.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from nlp.types import Analysis
from scrapers.types import Article, FetchedPage, Source
from translate.types import ArticleTranslation

from .schema import STAGES, migrations

KST = timezone(timedelta(hours=9), "KST")
MAX_FETCH_ATTEMPTS = 3
FORMS_BATCH = 20_000        # words gathered before ko_forms is written (one sorted insert)


def article_filters(since: str | None = None, until: str | None = None,
                    source: str | Iterable[str] | None = None) -> tuple[list[str], list]:
    """SQL conditions on the articles table aliased ``a``: published in [since, end of until], from source
    (an id, or several)."""
    conds: list[str] = []
    params: list = []
    if since:
        conds.append("a.published_at >= ?")
        params.append(since)
    if until:
        conds.append("a.published_at < ?")
        params.append(until + "T99" if len(until) == 10 else until)   # a bare date includes that whole day
    sources = [source] if isinstance(source, str) else list(source or ())
    if len(sources) == 1:
        conds.append("a.source_id = ?")
    elif sources:
        conds.append(f"a.source_id IN ({','.join('?' * len(sources))})")
    params += sources
    return conds, params


def reader(db) -> Callable[..., Iterable[tuple]]:
    """Read-only SQL, rows as tuples, on an Archive or on any sqlite3 connection to an archive (the Datasette
    plugin's): ``reader(db)(sql, params)``."""
    if isinstance(db, Archive):
        return lambda sql, params=(): db.query(sql, params, tuples=True)
    return lambda sql, params=(): db.execute(sql, params)


class ArchiveError(Exception):
    """A problem with the archive a user can fix (path, permissions, schema)."""


def now_kst() -> datetime:
    return datetime.now(KST)


def iso(dt: datetime) -> str:
    return dt.astimezone(KST).isoformat(timespec="seconds")


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Archive:
    """The archive at ``path``; ``clock`` returns an aware datetime (injectable for tests)."""

    def __init__(self, path: str | os.PathLike, clock: Callable[[], datetime] = now_kst,
                 *, readonly: bool = False):
        self.path = Path(path)
        self.clock = clock
        self._forms_seen: set[str] = set()       # words this process already put in ko_forms
        self._forms_pending: dict[str, str] = {}  # words of analysed articles, not yet written
        self.readonly = readonly
        if readonly:
            if not self.path.exists():
                raise ArchiveError(f"no archive at {self.path} (run 'newspipe run' or 'newspipe demo' first)")
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
            except (OSError, sqlite3.Error) as exc:
                raise ArchiveError(f"cannot open archive {self.path}: {exc}") from None
        self.db = sqlite_utils.Database(conn)
        try:
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            if not readonly:
                self.db.execute("PRAGMA synchronous=NORMAL")
                migrations.apply(self.db)
            elif migrations.pending(self.db):
                raise ArchiveError(f"{self.path} is not a newspipe archive of this version "
                                   "(open it once with 'newspipe run' to migrate)")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot use archive {self.path}: {exc}") from None

    def close(self) -> None:
        if not self.readonly:
            self.flush_forms()
        self.db.conn.close()

    def now(self) -> str:
        return iso(self.clock())

    def _tx(self):
        return self.db.atomic()

    # ------------------------------------------------------------------ sources
    def sync_sources(self, sources: Iterable[Source]) -> None:
        with self._tx():
            for s in sources:
                cfg = asdict(s)
                self.db.execute(
                    """INSERT INTO sources(id, name, outlet, region, profile, homepage, config, updated_at)
                       VALUES (?,?,?,?,?,?,?,?)
                       ON CONFLICT(id) DO UPDATE SET name=excluded.name, outlet=excluded.outlet,
                         region=excluded.region, profile=excluded.profile, homepage=excluded.homepage,
                         config=excluded.config, updated_at=excluded.updated_at""",
                    [s.id, s.name, s.outlet, s.region, s.profile, s.homepage, _dumps(cfg), self.now()],
                )

    def ensure_source(self, source_id: str) -> None:
        with self._tx():
            self.db.execute("INSERT OR IGNORE INTO sources(id, name) VALUES (?, ?)", [source_id, source_id])

    # -------------------------------------------------------------------- pages
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The URLs among ``urls`` not to fetch as new: they have an article, or their fetches failed for
        good (a permanent failure such as a 404 or a robots.txt refusal, or MAX_FETCH_ATTEMPTS failures)."""
        urls = list(dict.fromkeys(urls))
        known: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            marks = ",".join("?" * len(chunk))
            known.update(r[0] for r in self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({marks}) AND page_id IS NOT NULL "
                f"UNION SELECT url FROM pages WHERE url IN ({marks}) GROUP BY url "
                "HAVING sum(error IS NULL)=0 AND (sum(retryable=0) > 0 OR count(*) >= ?)",
                [*chunk, *chunk, MAX_FETCH_ATTEMPTS]))
        return known

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the last successful fetch of ``url``, for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url=? AND status BETWEEN 200 AND 299 "
            "ORDER BY id DESC LIMIT 1", [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def retryable_urls(self, source_id: str | None = None) -> list[tuple[str, str | None]]:
        """URLs whose every fetch so far failed, for a passing reason, fewer than MAX_FETCH_ATTEMPTS times."""
        sql = ("SELECT url, source_id FROM pages GROUP BY url "
               "HAVING sum(error IS NULL)=0 AND sum(retryable=0)=0 AND count(*) < ?")
        return [(r[0], r[1]) for r in self.db.execute(sql, [MAX_FETCH_ATTEMPTS])
                if source_id is None or r[1] == source_id]

    def store_page(self, page: FetchedPage, run_id: int | None = None) -> int | None:
        """Record one fetch outcome. A successful HTML page becomes (or refreshes) an article.

        Returns the article id when the page holds new content to clean, else None.
        """
        with self._tx():
            if page.source_id:
                self.db.execute("INSERT OR IGNORE INTO sources(id, name) VALUES (?, ?)",
                                [page.source_id, page.source_id])
            digest = None
            if page.ok and page.body:
                digest = sha256(page.body)
                self.db.execute(
                    "INSERT OR IGNORE INTO page_bodies(sha256, size, compression, body) VALUES (?,?,?,?)",
                    [digest, len(page.body), "zlib", zlib.compress(page.body, 6)])
            cur = self.db.execute(
                """INSERT INTO pages(url, final_url, source_id, status, content_type, etag, last_modified,
                                     body_sha256, fetched_at, origin, error, run_id, retryable)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [page.url, page.final_url, page.source_id, page.status, page.content_type, page.etag,
                 page.last_modified, digest, page.fetched_at, page.origin, page.error, run_id,
                 int(page.retryable and page.error is not None)])
            page_id = cur.lastrowid
            if digest is None:
                return None
            row = self.db.execute(
                "SELECT a.id, p.body_sha256 FROM articles a LEFT JOIN pages p ON p.id = a.page_id "
                "WHERE a.url=?", [page.url]).fetchone()
            now = self.now()
            if row is None:
                cur = self.db.execute(
                    "INSERT INTO articles(url, source_id, page_id, created_at, changed_at) VALUES (?,?,?,?,?)",
                    [page.url, page.source_id, page_id, now, now])
                return cur.lastrowid
            article_id, old_digest = row
            if old_digest == digest:
                return None          # same bytes as before: nothing to redo
            # New content for a known URL: re-clean; derived fields get replaced, never user data.
            self.db.execute(
                """UPDATE articles SET page_id=?, clean_status='pending', nlp_status='pending',
                   translate_status='pending', changed_at=? WHERE id=?""", [page_id, now, article_id])
            return article_id

    # ----------------------------------------------------------------- stage queues
    def pending(self, stage: str, limit: int | None = None, source_id: str | None = None) -> list[int]:
        """Ids of articles whose ``stage`` is pending and whose earlier stages are done."""
        if stage not in STAGES:
            raise ValueError(stage)
        conds = [f"{stage}_status='pending'"]
        for earlier in STAGES[:STAGES.index(stage)]:
            conds.append(f"{earlier}_status='done'")
        if stage == "clean":
            conds.append("page_id IS NOT NULL")
        params: list = []
        if source_id:
            conds.append("source_id=?")
            params.append(source_id)
        sql = f"SELECT id FROM articles WHERE {' AND '.join(conds)} ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.db.execute(sql, params)]

    def page_for_article(self, article_id: int) -> tuple[bytes, str, str, str | None]:
        """(raw bytes, content type, final URL, source id) of the article's current page."""
        row = self.db.execute(
            """SELECT b.body, b.compression, p.content_type, coalesce(p.final_url, p.url), a.source_id
               FROM articles a JOIN pages p ON p.id=a.page_id JOIN page_bodies b ON b.sha256=p.body_sha256
               WHERE a.id=?""", [article_id]).fetchone()
        if row is None:
            raise KeyError(article_id)
        body = zlib.decompress(row[0]) if row[1] == "zlib" else row[0]
        return body, row[2] or "", row[3], row[4]

    def source_profile(self, source_id: str | None) -> str:
        if not source_id:
            return "auto"
        row = self.db.execute("SELECT profile FROM sources WHERE id=?", [source_id]).fetchone()
        return row[0] if row else "auto"

    def fail_stage(self, article_id: int, stage: str, error: str) -> None:
        if stage not in STAGES:
            raise ValueError(stage)
        with self._tx():
            self.db.execute(f"UPDATE articles SET {stage}_status='failed', {stage}_error=?, changed_at=? "
                            "WHERE id=?", [error[:1000], self.now(), article_id])

    def store_clean(self, article_id: int, art: Article, cleaner_version: str) -> str:
        """Store the cleaner's output; returns the new clean status (done, failed or duplicate)."""
        now = self.now()
        body = art.body_text
        content_hash = sha256(body) if body else None
        pt = art.publisher_translation
        with self._tx():
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
            self.db.execute(
                """UPDATE articles SET canonical_url=?, outlet=?, section=?, authors=?, published_at=?,
                     updated_at=?, title_ko=?, subtitle_ko=?, body_ko=?, captions=?, removed=?,
                     content_hash=?, duplicate_of=?, clean_status=?, clean_error=?, cleaner_version=?,
                     cleaned_at=?, nlp_status='pending', nlp_error=NULL, translate_status='pending',
                     translate_error=NULL, search_ko=NULL, keywords='[]', entities='[]', publisher_en=?,
                     changed_at=? WHERE id=?""",
                [art.canonical_url or None, art.outlet, art.section, _dumps(art.authors), art.published_at,
                 art.updated_at, art.title, art.subtitle, body,
                 _dumps([asdict(c) for c in art.captions]), _dumps([asdict(r) for r in art.removed]),
                 content_hash, dup, status, error, cleaner_version, now,
                 # the publisher's English, searched with the machine English (articles_fts_en)
                 "\n".join(p for p in (pt.title, pt.subtitle, *pt.body) if p) or None
                 if status == "done" and pt is not None else None,
                 now, article_id])
            self.db.execute("DELETE FROM sentences WHERE article_id=?", [article_id])
            if status == "done" and pt is not None:
                self._add_translation(article_id, "publisher", "publisher", cleaner_version, now,
                                      pt.title, pt.subtitle, "\n".join(pt.body), [])
        return status

    # --------------------------------------------------------------------- nlp
    def bodies(self, ids: list[int]) -> Iterator[tuple[int, str, str]]:
        """(id, title, body) of each article, in the order given."""
        for article_id in ids:
            row = self.db.execute("SELECT title_ko, body_ko FROM articles WHERE id=?", [article_id]).fetchone()
            if row is not None:
                yield article_id, row[0] or "", row[1] or ""

    def store_analysis(self, article_id: int, analysis: Analysis) -> None:
        now = self.now()
        with self._tx():
            self.db.execute("DELETE FROM sentences WHERE article_id=?", [article_id])
            self.db.conn.executemany(
                'INSERT INTO sentences(article_id, idx, para, start, "end", ko, morphs) VALUES (?,?,?,?,?,?,?)',
                [(article_id, s.index, s.para, s.start, s.end, s.text,
                  " ".join(f"{f}/{t}@{o}" for f, t, o in s.morphs)) for s in analysis.sentences])
            self.db.execute(
                """UPDATE articles SET search_ko=?, keywords=?, entities=?, nlp_status='done', nlp_error=NULL,
                   nlp_version=?, analysed_at=?, changed_at=? WHERE id=?""",
                [analysis.search_text, _dumps(analysis.keywords), _dumps(analysis.entities),
                 analysis.version, now, now, article_id])
        for word, terms in analysis.forms.items():
            if word not in self._forms_seen:
                self._forms_pending.setdefault(word, terms)
        if len(self._forms_pending) >= FORMS_BATCH:
            self.flush_forms()

    def flush_forms(self) -> None:
        """Write the words gathered by store_analysis to ko_forms, sorted, in one transaction. A derived
        cache for the query analyser: words lost to a kill only fall back to particle stripping until the
        next article with them, or `newspipe reindex`."""
        if not self._forms_pending:
            return
        rows = sorted(self._forms_pending.items())
        with self._tx():
            self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)", rows)
        if len(self._forms_seen) > 300_000:          # bounded memory: most words recur
            self._forms_seen.clear()
        self._forms_seen.update(self._forms_pending)
        self._forms_pending.clear()

    # ---------------------------------------------------------------- translate
    def translation_input(self, article_id: int) -> tuple[str, str, list[tuple[int, int, str]]]:
        """(title, subtitle, [(sentence idx, paragraph, ko)]) to translate."""
        row = self.db.execute("SELECT title_ko, subtitle_ko FROM articles WHERE id=?", [article_id]).fetchone()
        sents = [(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT idx, para, ko FROM sentences WHERE article_id=? ORDER BY idx", [article_id])]
        return row[0] or "", row[1] or "", sents

    def tm_get(self, backend: str, texts: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for text in set(texts):
            row = self.db.execute("SELECT tgt FROM translation_memory WHERE backend=? AND src_hash=?",
                                  [backend, sha256(text)]).fetchone()
            if row:
                out[text] = row[0]
        return out

    def tm_put(self, backend: str, pairs: dict[str, str], replace: bool = False) -> None:
        """Remember translations; an existing entry is kept unless ``replace`` (a deliberate retranslation)."""
        now = self.now()
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self._tx():
            self.db.conn.executemany(
                f"{verb} INTO translation_memory(backend, src_hash, src, tgt, created_at) VALUES (?,?,?,?,?)",
                [(backend, sha256(s), s, t, now) for s, t in pairs.items()])

    def request_retranslation(self, source_ids: Iterable[str] = (), since: str | None = None,
                              until: str | None = None, limit: int | None = None) -> list[int]:
        """Mark the selected analysed articles pending translation again; returns their ids. Their
        English stays as it is (and in the translations history) until a new translation replaces it."""
        conds, params = article_filters(since, until)
        conds += ["a.clean_status='done'", "a.nlp_status='done'"]
        sources = list(source_ids)
        if sources:
            conds.append(f"a.source_id IN ({','.join('?' * len(sources))})")
            params += sources
        sql = f"SELECT a.id FROM articles a WHERE {' AND '.join(conds)} ORDER BY a.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        ids = [r[0] for r in self.db.execute(sql, params)]
        with self._tx():
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                self.db.execute(f"UPDATE articles SET translate_status='pending' WHERE id IN "
                                f"({','.join('?' * len(chunk))})", chunk)
        return ids

    def _add_translation(self, article_id, provenance, backend, version, now, title, subtitle, body, sents):
        self.db.execute(
            """INSERT INTO translations(article_id, provenance, backend, version, created_at, title_en,
                 subtitle_en, body_en, sentences_en) VALUES (?,?,?,?,?,?,?,?,?)""",
            [article_id, provenance, backend, version, now, title, subtitle, body, _dumps(sents)])

    def store_translation(self, article_id: int, tr: ArticleTranslation, version: str,
                          keep_previous: bool = False) -> str:
        """Store a translation: always as a new row of the translations history; in the article (its English
        fields and each sentence's) unless ``keep_previous`` and it is incomplete while the article already
        has a complete one -- a failed retranslation never replaces good English.

        Returns the translate status: done, or failed (some unit failed QA / the backend).
        """
        now = self.now()
        sents = self.db.execute("SELECT idx, para FROM sentences WHERE article_id=? ORDER BY idx",
                                [article_id]).fetchall()
        if len(sents) != len(tr.sentences):
            raise ValueError(f"article {article_id}: {len(tr.sentences)} translations for {len(sents)} sentences")
        errors = [u.error for u in [tr.title, tr.subtitle, *tr.sentences] if u.error]
        status = "failed" if errors else "done"
        if errors and keep_previous:
            prev = self.db.execute("SELECT body_en IS NOT NULL AND translate_error IS NULL FROM articles "
                                   "WHERE id=?", [article_id]).fetchone()
            if prev and prev[0]:
                with self._tx():
                    self._add_translation(article_id, tr.provenance, tr.backend, version, now, tr.title.en,
                                          tr.subtitle.en, None, [u.en for u in tr.sentences])
                    self.db.execute("UPDATE articles SET translate_status='done', changed_at=? WHERE id=?",
                                    [now, article_id])
                return "failed"
        with self._tx():
            for (idx, _), unit in zip(sents, tr.sentences):
                self.db.execute("UPDATE sentences SET en=?, en_error=? WHERE article_id=? AND idx=?",
                                [unit.en, unit.error, article_id, idx])
            paras: dict[int, list[str]] = {}
            for (idx, para), unit in zip(sents, tr.sentences):
                paras.setdefault(para, []).append(unit.en or "")
            body_en = "\n".join(" ".join(p for p in parts if p) for _, parts in sorted(paras.items()))
            self._add_translation(article_id, tr.provenance, tr.backend, version, now, tr.title.en,
                                  tr.subtitle.en, body_en, [u.en for u in tr.sentences])
            self.db.execute(
                """UPDATE articles SET title_en=?, subtitle_en=?, body_en=?, translate_status=?, translate_error=?,
                   translation_provenance=?, translation_backend=?, translation_version=?, translated_at=?,
                   changed_at=? WHERE id=?""",
                [tr.title.en, tr.subtitle.en, body_en, status, "; ".join(errors)[:1000] or None,
                 tr.provenance, tr.backend, version, now, now, article_id])
        return status

    # ------------------------------------------------------------------- search
    def rebuild_indexes(self, forms_of: Callable[[str, list, int], dict[str, str]]) -> int:
        """Rebuild both full-text indexes from the articles, and ``ko_forms`` from the stored morphemes
        (``forms_of(paragraph text, [(form, tag, body offset)], paragraph offset)`` gives a paragraph's
        words); returns the number of analysed articles. One transaction: a failure changes nothing."""
        n = 0
        with self._tx():
            for fts in ("articles_fts_ko", "articles_fts_en"):
                self.db.execute(f"INSERT INTO {fts}({fts}) VALUES('rebuild')")
            self.db.execute("DELETE FROM ko_forms")
            arts = self.db.execute("SELECT id, body_ko FROM articles WHERE nlp_status='done'").fetchall()
            for aid, body in arts:
                n += 1
                paras = (body or "").split("\n")
                starts, pos = [], 0
                for p in paras:
                    starts.append(pos)
                    pos += len(p) + 1
                morphs: dict[int, list] = {}
                for para, packed in self.db.execute("SELECT para, morphs FROM sentences WHERE article_id=? "
                                                    "ORDER BY idx", [aid]):
                    for tok in packed.split():
                        form, _, rest = tok.rpartition("/")
                        tag, _, off = rest.partition("@")
                        if form and off.isdigit():
                            morphs.setdefault(para, []).append((form, tag, int(off)))
                forms: dict[str, str] = {}
                for para, ms in morphs.items():
                    if 0 <= para < len(paras):
                        for word, terms in forms_of(paras[para], ms, starts[para]).items():
                            forms.setdefault(word, terms)
                if forms:
                    self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)",
                                             forms.items())
            for fts in ("articles_fts_ko", "articles_fts_en"):
                self.db.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
        return n

    # --------------------------------------------------------------------- runs
    def start_run(self, options: dict) -> int:
        with self._tx():
            cur = self.db.execute("INSERT INTO runs(started_at, status, pid, options) VALUES (?,?,?,?)",
                                  [self.now(), "running", os.getpid(), _dumps(options)])
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict, errors: list[dict]) -> None:
        with self._tx():
            self.db.execute("UPDATE runs SET ended_at=?, status=?, counts=?, errors=? WHERE id=?",
                            [self.now(), status, _dumps(counts), _dumps(errors[:500]), run_id])

    def mark_interrupted_runs(self) -> None:
        """Runs left 'running' by a killed process (the caller holds the lock, so none is live)."""
        with self._tx():
            self.db.execute("UPDATE runs SET status='interrupted' WHERE status='running'")

    # -------------------------------------------------------------------- reads
    def stats(self) -> dict:
        out: dict = {"articles": 0, "pages": 0, "stages": {}, "sources": {}}
        out["articles"] = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        out["pages"] = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        out["fetch_failures"] = self.db.execute(
            "SELECT count(DISTINCT url) FROM pages WHERE error IS NOT NULL AND url NOT IN "
            "(SELECT url FROM articles WHERE page_id IS NOT NULL)").fetchone()[0]
        for stage in STAGES:
            out["stages"][stage] = dict(self.db.execute(
                f"SELECT {stage}_status, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall())
        for row in self.db.execute(
                "SELECT coalesce(source_id, '(none)'), count(*), sum(clean_status='done'), "
                "sum(nlp_status='done'), sum(translate_status='done') FROM articles GROUP BY 1 ORDER BY 1"):
            out["sources"][row[0]] = {"articles": row[1], "cleaned": row[2], "analysed": row[3],
                                      "translated": row[4]}
        out["sentences"] = self.db.execute("SELECT count(*) FROM sentences").fetchone()[0]
        out["sentences_translated"] = self.db.execute(
            "SELECT count(*) FROM sentences WHERE en IS NOT NULL").fetchone()[0]
        last = self.db.execute("SELECT id, started_at, ended_at, status, counts FROM runs "
                               "ORDER BY id DESC LIMIT 1").fetchone()
        out["last_run"] = (None if last is None else
                           {"id": last[0], "started_at": last[1], "ended_at": last[2], "status": last[3],
                            "counts": json.loads(last[4])})
        return out

    def article(self, article_id: int) -> dict | None:
        cur = self.db.execute("SELECT * FROM articles WHERE id=?", [article_id])
        row = cur.fetchone()
        if row is None:
            return None
        d = dict(zip([c[0] for c in cur.description], row))
        for key in ("authors", "captions", "removed", "keywords", "entities"):
            d[key] = json.loads(d[key] or "[]")
        d["sentences"] = [
            {"idx": r[0], "para": r[1], "start": r[2], "end": r[3], "ko": r[4], "en": r[5], "en_error": r[6]}
            for r in self.db.execute('SELECT idx, para, start, "end", ko, en, en_error FROM sentences '
                                     "WHERE article_id=? ORDER BY idx", [article_id])]
        d["translations"] = [
            {"provenance": r[0], "backend": r[1], "version": r[2], "created_at": r[3], "title_en": r[4],
             "subtitle_en": r[5], "body_en": r[6]}
            for r in self.db.execute("SELECT provenance, backend, version, created_at, title_en, subtitle_en, "
                                     "body_en FROM translations WHERE article_id=? ORDER BY id", [article_id])]
        d.pop("search_ko", None)
        d.pop("publisher_en", None)          # in translations, with its provenance
        return d

    def query(self, sql: str, params: list | tuple = (), *, tuples: bool = False) -> sqlite3.Cursor:
        """Read-only SQL for db's own search/export modules: a cursor over sqlite3.Row objects, or over
        plain tuples (faster)."""
        cur = self.db.conn.cursor()
        if not tuples:
            cur.row_factory = sqlite3.Row
        return cur.execute(sql, params)
