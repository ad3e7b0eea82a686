"""The archive's schema, as named forward migrations (sqlite-utils' Migrations).

Each migration is applied once and recorded in ``_sqlite_migrations``; a new
release adds a new function below and never edits an applied one.
"""
from __future__ import annotations

import sqlite3

from sqlite_utils.migrations import Migrations

migrations = Migrations("newspipe")

STAGES = ("clean", "nlp", "translate")


def _run_script(db, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's transaction."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError("incomplete SQL statement in migration: " + buf[:60])


@migrations()
def m001_initial(db):
    _run_script(
        db,
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            outlet TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            profile TEXT NOT NULL DEFAULT 'auto',
            homepage TEXT NOT NULL DEFAULT '',
            config TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT
        );

        -- Raw page bytes, content-addressed: a page fetched twice unchanged is stored once.
        CREATE TABLE page_bodies (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            compression TEXT NOT NULL DEFAULT 'zlib',
            body BLOB NOT NULL
        );

        -- Every fetch outcome (and every ingested file), success or failure.
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            final_url TEXT,
            source_id TEXT REFERENCES sources(id),
            status INTEGER,
            content_type TEXT,
            etag TEXT,
            last_modified TEXT,
            body_sha256 TEXT REFERENCES page_bodies(sha256),
            fetched_at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'crawl',
            error TEXT,
            run_id INTEGER
        );
        CREATE INDEX pages_url ON pages(url);

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            source_id TEXT REFERENCES sources(id),
            page_id INTEGER REFERENCES pages(id),
            canonical_url TEXT,
            outlet TEXT,
            section TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            published_at TEXT,
            updated_at TEXT,
            title_ko TEXT,
            subtitle_ko TEXT,
            body_ko TEXT,
            title_en TEXT,
            subtitle_en TEXT,
            body_en TEXT,
            captions TEXT NOT NULL DEFAULT '[]',
            removed TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT,
            duplicate_of INTEGER REFERENCES articles(id),
            keywords TEXT NOT NULL DEFAULT '[]',
            entities TEXT NOT NULL DEFAULT '[]',
            search_ko TEXT,
            clean_status TEXT NOT NULL DEFAULT 'pending',
            clean_error TEXT,
            cleaner_version TEXT,
            cleaned_at TEXT,
            nlp_status TEXT NOT NULL DEFAULT 'pending',
            nlp_error TEXT,
            nlp_version TEXT,
            analysed_at TEXT,
            translate_status TEXT NOT NULL DEFAULT 'pending',
            translate_error TEXT,
            translation_provenance TEXT,
            translation_backend TEXT,
            translation_version TEXT,
            translated_at TEXT,
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX articles_source ON articles(source_id);
        CREATE INDEX articles_published ON articles(published_at);
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_stages ON articles(clean_status, nlp_status, translate_status);

        -- Kiwi sentences with their English: the aligned pairs.
        CREATE TABLE sentences (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            para INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            ko TEXT NOT NULL,
            en TEXT,
            en_error TEXT,
            morphs TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;

        -- Every translation ever stored, so a retranslation never loses the earlier one.
        CREATE TABLE translations (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            provenance TEXT NOT NULL,
            backend TEXT NOT NULL,
            version TEXT,
            created_at TEXT NOT NULL,
            title_en TEXT,
            subtitle_en TEXT,
            body_en TEXT,
            sentences_en TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX translations_article ON translations(article_id);

        -- Translation memory: one request per distinct source text and backend.
        CREATE TABLE translation_memory (
            backend TEXT NOT NULL,
            src_hash TEXT NOT NULL,
            src TEXT NOT NULL,
            tgt TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (backend, src_hash)
        ) WITHOUT ROWID;

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            pid INTEGER,
            options TEXT NOT NULL DEFAULT '{}',
            counts TEXT NOT NULL DEFAULT '{}',
            errors TEXT NOT NULL DEFAULT '[]'
        );

        -- Full-text indexes over the articles table (external content, kept by triggers).
        CREATE VIRTUAL TABLE articles_fts_ko USING fts5(
            search_ko, content='articles', content_rowid='id',
            tokenize='unicode61', prefix='1 2 3'
        );
        CREATE VIRTUAL TABLE articles_fts_en USING fts5(
            title_en, body_en, content='articles', content_rowid='id',
            tokenize='porter unicode61'
        );
        CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (new.id, new.search_ko);
            INSERT INTO articles_fts_en(rowid, title_en, body_en) VALUES (new.id, new.title_en, new.body_en);
        END;
        CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts_ko(articles_fts_ko, rowid, search_ko) VALUES ('delete', old.id, old.search_ko);
            INSERT INTO articles_fts_en(articles_fts_en, rowid, title_en, body_en) VALUES ('delete', old.id, old.title_en, old.body_en);
        END;
        CREATE TRIGGER articles_fts_ko_au AFTER UPDATE OF search_ko ON articles BEGIN
            INSERT INTO articles_fts_ko(articles_fts_ko, rowid, search_ko) VALUES ('delete', old.id, old.search_ko);
            INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (new.id, new.search_ko);
        END;
        CREATE TRIGGER articles_fts_en_au AFTER UPDATE OF title_en, body_en ON articles BEGIN
            INSERT INTO articles_fts_en(articles_fts_en, rowid, title_en, body_en) VALUES ('delete', old.id, old.title_en, old.body_en);
            INSERT INTO articles_fts_en(rowid, title_en, body_en) VALUES (new.id, new.title_en, new.body_en);
        END;
        """
    )


@migrations()
def m002_pages_retryable(db):
    """Whether a failed fetch is worth another try next run (superseded by m004's error_kind). It once
    also classified older failures by the wording of their messages; archives that still need this step
    predate every failure that wording could have told apart, so it adds the column only."""
    _run_script(db, """
        ALTER TABLE pages ADD COLUMN retryable INTEGER NOT NULL DEFAULT 0;
    """)


@migrations()
def m003_ko_forms(db):
    """Korean words as Kiwi analysed them in the archive: the query path reads them instead of loading Kiwi."""
    _run_script(db, """
        CREATE TABLE ko_forms (
            surface TEXT PRIMARY KEY,
            terms TEXT NOT NULL
        ) WITHOUT ROWID;
    """)


@migrations()
def m004_fetch_error_kinds(db):
    """Every failed fetch gets its kind (scrapers.types.FetchKind), which decides any retry through
    FETCH_POLICY: HTTP failures by their status; failures recorded before kinds existed keep the decision
    then made (``retryable``) as legacy_transient / legacy_permanent. A 304 is no longer a failure."""
    _run_script(db, """
        ALTER TABLE pages ADD COLUMN error_kind TEXT;
        UPDATE pages SET error_kind = CASE
                WHEN status IN (408, 429) THEN 'http_' || status
                WHEN status >= 500 THEN 'http_5xx'
                WHEN status >= 400 THEN 'http_4xx'
                WHEN retryable = 1 THEN 'legacy_transient'
                ELSE 'legacy_permanent' END
            WHERE error IS NOT NULL AND status IS NOT 304;
        UPDATE pages SET error = NULL WHERE status = 304;
        ALTER TABLE pages DROP COLUMN retryable;
        CREATE INDEX pages_failed ON pages(url) WHERE error_kind IS NOT NULL;
    """)


@migrations()
def m005_discovery_cache(db):
    """The last copy of every feed, sitemap and listing page with its validators: the next run asks for
    it conditionally and reads the stored copy on a 304, so a 304 never hides a link not yet fetched."""
    _run_script(db, """
        CREATE TABLE discovery_pages (
            url TEXT PRIMARY KEY,
            source_id TEXT,
            role TEXT NOT NULL,               -- feed | sitemap | listing
            final_url TEXT,
            content_type TEXT,
            etag TEXT,
            last_modified TEXT,
            body BLOB,                        -- zlib
            fetched_at TEXT,                  -- when body was last received (200)
            checked_at TEXT NOT NULL,         -- last answer of any kind
            status INTEGER,
            error TEXT,
            error_kind TEXT,
            run_id INTEGER
        ) WITHOUT ROWID;
    """)


@migrations()
def m006_article_versions(db):
    """Earlier texts of an article whose page changed (a correction): kept when the new text replaces them."""
    _run_script(db, """
        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,          -- 1 for the first text, 2 for the first correction's, ...
            title_ko TEXT,
            subtitle_ko TEXT,
            body_ko TEXT,
            published_at TEXT,
            updated_at TEXT,
            content_hash TEXT,
            cleaner_version TEXT,
            cleaned_at TEXT,
            replaced_at TEXT NOT NULL,
            UNIQUE (article_id, version)
        );
    """)


@migrations()
def m007_runs_outcome(db):
    """How each run ended, for cron and 'newspipe stats': the exit code, the outcome in words, and every failure
    counted by reason (``errors`` keeps only the first 500)."""
    _run_script(db, """
        ALTER TABLE runs ADD COLUMN exit_code INTEGER;
        ALTER TABLE runs ADD COLUMN outcome TEXT;
        ALTER TABLE runs ADD COLUMN failures TEXT NOT NULL DEFAULT '{}';
    """)


@migrations()
def m008_stage_attempts(db):
    """Failed attempts of each stage per article: a failure is tried again on the next runs (status 'retry')
    until MAX_STAGE_ATTEMPTS attempts in all, then it stays 'failed'."""
    _run_script(db, """
        ALTER TABLE articles ADD COLUMN clean_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE articles ADD COLUMN nlp_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE articles ADD COLUMN translate_attempts INTEGER NOT NULL DEFAULT 0;
    """)


@migrations()
def m009_frontier(db):
    """URLs discovered and not yet fetched, in the order found: a run killed mid-crawl, or cut short by --limit,
    leaves them to the next run, even when no listing page leads to them any more."""
    _run_script(db, """
        CREATE TABLE frontier (
            url TEXT PRIMARY KEY,
            source_id TEXT,
            found_at TEXT NOT NULL
        );
        CREATE INDEX frontier_source ON frontier(source_id);
    """)


@migrations()
def m010_article_dateline(db):
    """The place of an article's lead dateline (전주 of '(전주=뉴스1) 홍길동 기자 ='), which the cleaner takes off
    the first paragraph."""
    _run_script(db, """
        ALTER TABLE articles ADD COLUMN dateline TEXT NOT NULL DEFAULT '';
    """)


# The KST calendar date of an ISO timestamp: with an offset (+09:00, Z, any) taken to KST, without one taken
# as it is (the cleaner writes KST). SQLite's date() alone gives the UTC date: 00:13 KST falls on the day before.
KST_DATE = ("CASE WHEN published_at GLOB '*T*[+-][0-9][0-9]:[0-9][0-9]' OR published_at GLOB '*T*Z' "
            "THEN date(published_at, '+9 hours') "
            "WHEN published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(published_at, 1, 10) END")


@migrations()
def m011_search_web(db):
    """For the web search and Datasette: the publisher's own English in the English index (``publisher_en``,
    title, subtitle and body of the latest publisher translation); ``published_date``, the KST date of
    publication as a generated column to facet, filter and count by; the index a search joins through."""
    _run_script(db, f"""
        ALTER TABLE articles ADD COLUMN publisher_en TEXT;
        UPDATE articles SET publisher_en = (
            SELECT nullif(trim(coalesce(t.title_en, '') || char(10) || coalesce(t.subtitle_en, '') || char(10)
                               || coalesce(t.body_en, ''), char(10)), '')
            FROM translations t WHERE t.article_id = articles.id AND t.provenance = 'publisher'
            ORDER BY t.id DESC LIMIT 1);
        ALTER TABLE articles ADD COLUMN published_date TEXT GENERATED ALWAYS AS ({KST_DATE}) VIRTUAL;
        CREATE INDEX articles_published_date ON articles(published_date);
        -- What a search needs of each matching article, by id: a covering index that is ~50 bytes an entry
        -- where the table's rows carry the bodies (the per-day counts of a word in 75,000 of 100,000
        -- articles: ~180 ms through the table, ~50 ms through this).
        CREATE INDEX articles_by_id ON articles(id, published_date, published_at, source_id, translate_status);
        DROP TRIGGER articles_fts_ai;
        DROP TRIGGER articles_fts_ad;
        DROP TRIGGER articles_fts_en_au;
        DROP TABLE articles_fts_en;
        CREATE VIRTUAL TABLE articles_fts_en USING fts5(
            title_en, body_en, publisher_en, content='articles', content_rowid='id',
            tokenize='porter unicode61'
        );
        INSERT INTO articles_fts_en(articles_fts_en) VALUES('rebuild');
        CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (new.id, new.search_ko);
            INSERT INTO articles_fts_en(rowid, title_en, body_en, publisher_en)
                VALUES (new.id, new.title_en, new.body_en, new.publisher_en);
        END;
        CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts_ko(articles_fts_ko, rowid, search_ko) VALUES ('delete', old.id, old.search_ko);
            INSERT INTO articles_fts_en(articles_fts_en, rowid, title_en, body_en, publisher_en)
                VALUES ('delete', old.id, old.title_en, old.body_en, old.publisher_en);
        END;
        CREATE TRIGGER articles_fts_en_au AFTER UPDATE OF title_en, body_en, publisher_en ON articles BEGIN
            INSERT INTO articles_fts_en(articles_fts_en, rowid, title_en, body_en, publisher_en)
                VALUES ('delete', old.id, old.title_en, old.body_en, old.publisher_en);
            INSERT INTO articles_fts_en(rowid, title_en, body_en, publisher_en)
                VALUES (new.id, new.title_en, new.body_en, new.publisher_en);
        END;
    """)


@migrations()
def m012_stories(db):
    """Stories (db/stories.py): each article's MinHash signature and story; each story's first article, size."""
    _run_script(db, """
        CREATE TABLE stories (id INTEGER PRIMARY KEY, first_article_id INTEGER NOT NULL,  -- earliest: published_at, id
                              first_published_at TEXT, size INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE article_stories (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            matched_id INTEGER,                    -- the article it was found similar to (NULL: it began the story)
            similarity REAL,                       -- estimated Jaccard similarity to matched_id
            signature BLOB, shingles INTEGER NOT NULL DEFAULT 0,  -- nlp.shingles: NUM_PERM uint32 (NULL: no text)
            published_at TEXT,                     -- the article's, or when it was stored: the window of recent articles
            analysed_at TEXT);                     -- the analysis the signature is of (re-analysed: assigned again)
        CREATE INDEX article_stories_story ON article_stories(story_id);
        CREATE INDEX article_stories_published ON article_stories(published_at);
    """)


from . import schema_compact  # noqa: E402,F401  (registers m013 on: the storage diet)
