"""What the commands and pages read: the stats, one article with its sentences, translations and versions,
the demo's listing, and the Datasette article page's and search form's rows. A mixin of Archive (the
commands' reads) and functions on any sqlite3 connection (the Datasette plugin's)."""
from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

from .connection import Connection
from .packing import unpack
from .pages import GONE_SQL
from .schema import STAGES


class ArticleLine(NamedTuple):
    """One line of the demo's listing."""
    id: int
    source_id: str | None
    title_ko: str
    title_en: str | None
    published_at: str | None
    sentences: int
    publisher_title_en: str | None


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[sqlite3.Row]:
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params).fetchall()


def _stage_status(stage: str) -> str:
    """The article's status in ``stage`` as stats counts it: a later stage of an article that stopped before
    it is not pending -- 'duplicate' (the same text as an earlier article, analysed and translated there) or
    'stopped' (an earlier stage failed, or the cleaner found no article text); as work_left counts. A clean that
    found no article text is 'no article'; 'failed' is a stage given up on after its attempts."""
    earlier = STAGES[:STAGES.index(stage)]
    if not earlier:         # a page the cleaner found no article in is no failure --retry-failed could help
        return f"CASE WHEN {stage}_status = 'failed' AND {stage}_attempts = 0 THEN 'no article' ELSE {stage}_status END"
    stopped = " OR ".join(f"{e}_status NOT IN ('pending', 'retry', 'done')" for e in earlier)
    return (f"CASE WHEN clean_status = 'duplicate' THEN 'duplicate' WHEN {stopped} THEN 'stopped' "
            f"ELSE {stage}_status END")


def gone_of(conn: sqlite3.Connection, url: str) -> dict | None:
    """{"status", "since", "last_asked"} when the article's page answered 404 or 410 at its source since its
    last success (the article is kept; a later 200 or 304 clears this), else None. On any connection to an
    archive (the Datasette plugin's too)."""
    rows = conn.execute(GONE_SQL.format(url="?") + " ORDER BY g.id", [url, url]).fetchall()
    return {"status": rows[-1][0], "since": rows[0][1], "last_asked": rows[-1][1]} if rows else None


def gone_text(gone: dict | None) -> str | None:
    """The line `show` and the web article page print for :func:`gone_of`'s answer."""
    return None if not gone else (f"gone from the source: HTTP {gone['status']} since {gone['since'][:10]} (last "
                                  f"asked {gone['last_asked'][:10]}); the archive keeps the article")


# A source's feed, sitemap and listing pages asked in its latest discovery (within a day of its last answer: a
# page no longer asked -- a listing's page 2 a later night did not need, a feed taken out of sources.toml --
# keeps its old failure in discovery_pages, not counted), with those that failed then.
_UNREAD_SQL = """
    WITH last AS (SELECT source_id, max(checked_at) AS at FROM discovery_pages GROUP BY 1),
         recent AS (SELECT d.* FROM discovery_pages d JOIN last USING (source_id)
                    WHERE julianday(d.checked_at) >= julianday(last.at) - 1)
    SELECT source_id, count(*), sum(error IS NOT NULL), max(iif(error IS NOT NULL, checked_at, NULL)),
           max(iif(error IS NOT NULL, error, NULL)), max(fetched_at)
    FROM recent GROUP BY 1 HAVING sum(error IS NOT NULL) > 0"""


class Views(Connection):
    def stats(self) -> dict:
        out: dict = {"articles": 0, "pages": 0, "stages": {}, "sources": {}}
        out["articles"] = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        out["pages"] = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        out["fetch_failures"] = self.db.execute(
            "SELECT count(DISTINCT url) FROM pages WHERE error IS NOT NULL AND url NOT IN "
            "(SELECT url FROM articles WHERE page_id IS NOT NULL)").fetchone()[0]
        out["gone"] = self.db.execute(      # articles whose page answered 404/410 since its last success
            "SELECT count(*) FROM articles a WHERE a.url IN (SELECT url FROM pages WHERE error_kind IS NOT NULL "
            f"AND status IN (404, 410)) AND EXISTS ({GONE_SQL.format(url='a.url')})").fetchone()[0]
        for stage in STAGES:
            out["stages"][stage] = dict(self.db.execute(
                f"SELECT {_stage_status(stage)}, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall())
        for row in self.db.execute(       # every source the archive knows: one never read has 0 articles
                "WITH per AS (SELECT coalesce(source_id, '(none)') AS s, count(*) AS n, sum(clean_status='done') AS c, "
                "sum(nlp_status='done') AS a, sum(translate_status='done') AS t FROM articles GROUP BY 1) "
                "SELECT k.s, coalesce(n, 0), coalesce(c, 0), coalesce(a, 0), coalesce(t, 0) FROM "
                "(SELECT id AS s FROM sources UNION SELECT s FROM per) k LEFT JOIN per USING (s) ORDER BY 1"):
            out["sources"][row[0]] = {"articles": row[1], "cleaned": row[2], "analysed": row[3],
                                      "translated": row[4], "unread": None}
        for sid, n, failing, checked, error, read in self.db.execute(_UNREAD_SQL):
            if sid in out["sources"]:     # its feeds, sitemaps or listings that failed at their last asking
                out["sources"][sid]["unread"] = {"pages": n, "failing": failing, "checked_at": checked,
                                                 "error": error, "last_read": read}
        out["sentences"], out["sentences_translated"] = self.db.execute(
            "SELECT count(*), count(en_start) + count(en) FROM sentence_spans").fetchone()
        out["last_run"] = self.last_run()
        out["earlier_runs"] = self.earlier_runs()
        return out

    def earlier_runs(self, n: int = 4) -> list[dict]:
        """The ``n`` runs before the last, newest first: how each ended and its counts (an interrupted run's are
        those its stages' records gave, or {})."""
        rows = self.db.execute("SELECT id, started_at, ended_at, status, exit_code, outcome, counts FROM runs "
                               "ORDER BY id DESC LIMIT ? OFFSET 1", [n]).fetchall()
        keys = ("id", "started_at", "ended_at", "status", "exit_code", "outcome")
        return [{**dict(zip(keys, r[:6])), "counts": json.loads(r[6])} for r in rows]

    def last_run(self) -> dict | None:
        """The runs table's last row, as stats gives it."""
        last = self.db.execute("SELECT id, started_at, ended_at, status, counts, exit_code, outcome, failures, pid "
                               "FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return (None if last is None else
                {"id": last[0], "started_at": last[1], "ended_at": last[2], "status": last[3],
                 "counts": json.loads(last[4]), "exit_code": last[5], "outcome": last[6],
                 "failures": json.loads(last[7]), "pid": last[8]})

    def article(self, article_id: int) -> dict | None:
        """One article as `newspipe show --json` prints it: its columns, sentences, translations, versions."""
        cur = self.db.execute("SELECT * FROM articles WHERE id=?", [article_id])
        row = cur.fetchone()
        if row is None:
            return None
        d = dict(zip([c[0] for c in cur.description], row))
        d["removed"] = unpack(d["removed"])                # stored as a zstd frame (db/stages.py)
        for key in ("authors", "captions", "removed", "keywords", "entities"):
            d[key] = json.loads(d[key] or "[]")
        d["sentences"] = [
            {"idx": r[0], "para": r[1], "start": r[2], "end": r[3], "ko": r[4], "en": r[5], "en_error": r[6]}
            for r in self.db.execute('SELECT idx, para, start, "end", ko, en, en_error FROM sentences '
                                     "WHERE article_id=? ORDER BY idx", [article_id])]
        d["translations"] = [   # the current English is the article's own (in_article): shown from there
            {"provenance": r[0], "backend": r[1], "version": r[2], "created_at": r[3], "title_en": r[4],
             "subtitle_en": r[5], "body_en": r[6]}
            for r in self.db.execute(
                "SELECT t.provenance, t.backend, t.version, t.created_at, iif(t.in_article, a.title_en, t.title_en), "
                "iif(t.in_article, a.subtitle_en, t.subtitle_en), iif(t.in_article, a.body_en, t.body_en) "
                "FROM translations t JOIN articles a ON a.id = t.article_id WHERE t.article_id=? ORDER BY t.id",
                [article_id])]
        d["versions"] = [dict(zip(("version", "title_ko", "subtitle_ko", "body_ko", "published_at", "updated_at",
                                   "cleaned_at", "replaced_at"), r)) for r in self.db.execute(
            "SELECT version, title_ko, subtitle_ko, body_ko, published_at, updated_at, cleaned_at, replaced_at "
            "FROM article_versions WHERE article_id=? ORDER BY version", [article_id])]
        d["gone"] = self.gone(d["url"])
        d.pop("search_ko_z", None)          # the Korean index text, compressed
        d.pop("publisher_en", None)          # in translations, with its provenance
        return d

    def has_articles(self) -> bool:
        """Whether the archive holds any article at all (an empty one: a run that reached no source)."""
        return self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def any_translated(self, level: str = "article") -> bool:
        """Whether any article has English to export at ``level``: machine English, or at article level also
        the publisher's (whole articles, not sentence-aligned)."""
        publisher = " OR publisher_en IS NOT NULL" if level == "article" else ""
        return self.db.execute(f"SELECT 1 FROM articles WHERE translate_status='done'{publisher} LIMIT 1"
                               ).fetchone() is not None

    def gone(self, url: str) -> dict | None:
        return gone_of(self.db, url)

    def sources_without_prefix(self, prefix: str) -> list[str]:
        """The sources, not starting with ``prefix``, of the pages and articles held, "(no source)" for those
        stored without one (``ingest`` without ``--source``); at most four. The demo refuses to recreate an
        archive with any; a source a run only listed, fetching nothing, holds nothing to lose."""
        where = "source_id IS NULL OR substr(source_id, 1, ?) <> ?"
        args = [len(prefix), prefix]
        return [r[0] for r in self.db.execute(
            f"SELECT coalesce(source_id, '(no source)') FROM (SELECT DISTINCT source_id FROM pages WHERE {where} "
            f"UNION SELECT DISTINCT source_id FROM articles WHERE {where}) ORDER BY 1 LIMIT 4", args + args)]

    def cleaned_articles(self) -> list[ArticleLine]:
        """Every cleaned article, by id, with its number of sentences and the publisher's English title."""
        return [ArticleLine(*r) for r in self.db.execute(
            "SELECT id, source_id, title_ko, title_en, published_at, "
            "(SELECT count(*) FROM sentence_spans s WHERE s.article_id=a.id), "
            "(SELECT t.title_en FROM translations t WHERE t.article_id=a.id "
            "AND t.provenance='publisher' ORDER BY t.id DESC LIMIT 1) FROM articles a "
            "WHERE clean_status='done' ORDER BY id")]


# ------------------------------------------------------------ the Datasette plugin's reads (any connection)
_OUTLET = "coalesce(nullif(a.outlet, ''), s.outlet, s.name) AS outlet"


def outlet_choices(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, outlet name, region) of each source with articles, by name: the search form's choices."""
    return [tuple(r) for r in conn.execute(
        "SELECT s.id, coalesce(nullif(s.outlet, ''), s.name, s.id), s.region FROM sources s WHERE EXISTS "
        "(SELECT 1 FROM articles a WHERE a.source_id = s.id) ORDER BY 2")]


def article_row(conn: sqlite3.Connection, article_id: int) -> sqlite3.Row | None:
    """What the article page shows of the article itself."""
    rows = _rows(conn,
                 f"SELECT a.id, a.url, {_OUTLET}, a.published_at, a.authors, a.title_ko, a.title_en, a.subtitle_ko, "
                 "a.subtitle_en, a.body_ko, a.captions, a.duplicate_of, a.translate_status, a.translation_provenance, "
                 "a.translation_backend, a.translated_at FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
                 "WHERE a.id = ?", [article_id])
    return rows[0] if rows else None


def original_row(conn: sqlite3.Connection, article_id: int) -> sqlite3.Row | None:
    """What the article page of a duplicate shows of the article it repeats."""
    rows = _rows(conn,
                 f"SELECT a.id, {_OUTLET}, a.published_at, a.title_en, a.subtitle_en, a.translate_status, "
                 "a.translation_provenance, a.translation_backend, a.translated_at FROM articles a "
                 "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?", [article_id])
    return rows[0] if rows else None


def sentence_rows(conn: sqlite3.Connection, article_id: int) -> list[sqlite3.Row]:
    return _rows(conn, "SELECT para, ko, en, en_error FROM sentences WHERE article_id = ? ORDER BY idx",
                 [article_id])
