"""The SQLite archive. The only module in newspipe that writes SQL.

Every stage writes through one method here, in one transaction per article that holds
everything a later stage or a search reads (the word forms of ``ko_forms`` included), so a
run killed at any instant leaves each article either before or after a stage, never
half-way: the next run picks up exactly what is still pending.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

from nlp.types import Analysis
from scrapers.errors import UserError
from scrapers.types import FETCH_POLICY, Article, FetchedPage, Source
from translate.types import ArticleTranslation

from .schema import STAGES, migrations

KST = timezone(timedelta(hours=9), "KST")
MAX_STAGE_ATTEMPTS = 3      # a stage that fails on an article is tried this many times in all
# FETCH_POLICY as a table SQL can join: how many fetches of a URL each kind of failure allows in all.
_POLICY = ("WITH policy(kind, attempts) AS (VALUES "
           + ", ".join(f"('{kind.value}', {int(p.attempts)})" for kind, p in FETCH_POLICY.items()) + ") ")


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


class ArchiveError(UserError):
    """A problem with the archive a user can fix (path, permissions, schema, a full disk)."""


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _ro_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path`` (percent-encoded: a '?' or '#' in a file name is a name)."""
    return path.resolve().as_uri() + "?mode=ro"


def archive_kind(path: str | os.PathLike) -> str:
    """What ``path`` holds, without writing a byte to it: ``new`` (nothing there), ``empty`` (an empty file, or
    an SQLite database without tables) or ``archive`` (a newspipe archive, of any version). Anything else -- a
    directory, a text file, an SQLite database of another program -- raises ArchiveError and stays untouched."""
    p = Path(path)
    keep = "; it was left as it is: give --db a new file or a newspipe archive"
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ArchiveError(f"{p} is a directory, not a newspipe archive (give --db a file path)")
        if not stat.S_ISREG(st.st_mode):
            raise ArchiveError(f"{p} is not a regular file, so not a newspipe archive{keep}")
        if st.st_size == 0:
            return "empty"
        with open(p, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise ArchiveError(f"cannot use {p} as the archive: {exc.strerror}") from None
    if head != _SQLITE_MAGIC:
        raise ArchiveError(f"{p} is not a newspipe archive (not an SQLite database){keep}")
    try:
        con = sqlite3.connect(_ro_uri(p), uri=True)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")]
            ours = migrations.migrations_table in tables and con.execute(
                f"SELECT 1 FROM {migrations.migrations_table} WHERE migration_set=? LIMIT 1",
                [migrations.name]).fetchone() is not None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read {p}: {exc}{keep}") from None
    if ours:
        return "archive"
    if not tables:
        return "empty"
    shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
    raise ArchiveError(f"{p} is an SQLite database of another program, not a newspipe archive (tables: {shown}){keep}")


def require_archive(path: str | os.PathLike) -> None:
    """Raise ArchiveError unless ``path`` holds a newspipe archive (for commands that only read one)."""
    kind = archive_kind(path)
    if kind != "archive":
        what = "an empty file" if kind == "empty" else "nothing"
        raise ArchiveError(f"no archive at {path} ({what} there; run 'newspipe run' or 'newspipe demo' first)")


def failure_counts(errors: Iterable[dict]) -> dict[str, int]:
    """Failures counted by stage and reason (``{"fetch: HTTP 500": 3, …}``), the most frequent first."""
    counts: dict[str, int] = {}
    for e in errors:
        key = f"{e['stage']}: {e['reason']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def reader(db) -> Callable[..., Iterable[tuple]]:
    """Read-only SQL, rows as tuples, on an Archive or on any sqlite3 connection to an archive (the Datasette
    plugin's): ``reader(db)(sql, params)``."""
    if isinstance(db, Archive):
        return lambda sql, params=(): db.query(sql, params, tuples=True)
    return lambda sql, params=(): db.execute(sql, params)


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
    """The archive at ``path``; ``clock`` returns an aware datetime (injectable for tests). ``readonly`` opens
    an existing archive of this version (``any_version``: of any version, for reading what all versions have)."""

    def __init__(self, path: str | os.PathLike, clock: Callable[[], datetime] = now_kst,
                 *, readonly: bool = False, any_version: bool = False):
        self.path = Path(path)
        self.clock = clock
        self._forms_seen: set[str] = set()       # words this process already wrote (committed) to ko_forms
        self.readonly = readonly
        if readonly:
            require_archive(self.path)
            conn = sqlite3.connect(_ro_uri(self.path), uri=True, check_same_thread=False)
        else:
            archive_kind(self.path)          # refuses (and leaves alone) anything but an archive or nothing
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
            elif not any_version and migrations.pending(self.db):
                raise ArchiveError(f"{self.path} is a newspipe archive of an earlier version: 'newspipe run' "
                                   "(or 'newspipe reindex') upgrades it")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot use archive {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.conn.close()

    def now(self) -> str:
        return iso(self.clock())

    @contextmanager
    def _tx(self):
        """One transaction. SQLite failing to write (disk full, I/O error, locked, read-only) is the
        archive's problem, not the article's: it comes out as ArchiveError, and the caller stops."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.OperationalError as exc:
            full = getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_FULL", "SQLITE_IOERR"))
            raise ArchiveError(f"cannot write the archive {self.path}: {exc}"
                               + (" (is the disk full?)" if full else "")) from exc

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

    def source_ids(self) -> list[str]:
        """Every source id the archive knows (its sources and those its articles name), sorted."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM sources UNION SELECT source_id FROM articles WHERE source_id IS NOT NULL ORDER BY 1")]

    # -------------------------------------------------------------------- pages
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The URLs among ``urls`` not to fetch as new: they have an article, or their fetches failed for
        good (as many times as FETCH_POLICY allows the least patient kind among their failures: once for a
        404 or a robots.txt refusal, three times for a timeout or a 5xx)."""
        urls = list(dict.fromkeys(urls))
        known: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            marks = ",".join("?" * len(chunk))
            known.update(r[0] for r in self.db.execute(
                f"{_POLICY}SELECT url FROM articles WHERE url IN ({marks}) AND page_id IS NOT NULL "
                f"UNION SELECT p.url FROM pages p LEFT JOIN policy ON policy.kind = p.error_kind "
                f"WHERE p.url IN ({marks}) GROUP BY p.url "
                "HAVING sum(p.error IS NULL) = 0 AND count(*) >= min(coalesce(policy.attempts, 1))",
                [*chunk, *chunk]))
        return known

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the last successful fetch of ``url``, for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url=? AND status BETWEEN 200 AND 299 "
            "ORDER BY id DESC LIMIT 1", [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def queue_urls(self, source_id: str, urls: Iterable[str]) -> None:
        """Remember discovered URLs until a fetch outcome is stored for them (store_page forgets them)."""
        now = self.now()
        with self._tx():
            self.db.conn.executemany("INSERT OR IGNORE INTO frontier(url, source_id, found_at) VALUES (?,?,?)",
                                     [(u, source_id, now) for u in urls])

    def queued_urls(self, source_id: str) -> list[str]:
        """The source's discovered URLs not fetched yet, in the order they were found."""
        return [r[0] for r in self.db.execute("SELECT url FROM frontier WHERE source_id=? ORDER BY rowid",
                                              [source_id])]

    def retryable_urls(self) -> dict[str, list[str]]:
        """Per source id, the URLs whose every fetch so far failed, fewer times than FETCH_POLICY allows
        for their kinds of failure (timeouts, connection errors, 5xx, 429, 408: three attempts in all)."""
        out: dict[str, list[str]] = {}
        for url, source_id in self.db.execute(
                f"{_POLICY}SELECT p.url, max(p.source_id) FROM pages p "
                "LEFT JOIN policy ON policy.kind = p.error_kind "
                "WHERE p.url IN (SELECT url FROM pages WHERE error_kind IS NOT NULL) GROUP BY p.url "
                "HAVING sum(p.error IS NULL) = 0 AND count(*) < min(coalesce(policy.attempts, 1)) "
                "ORDER BY min(p.id)"):
            out.setdefault(source_id or "", []).append(url)
        return out

    def refresh_urls(self, since: str, source_ids: Iterable[str] = ()) -> list[tuple[str, str | None]]:
        """(url, source id) of the crawled articles published (else first stored) at or after ``since``,
        newest first: to fetch again, conditionally, for corrections."""
        sources = list(source_ids)
        cond = f" AND a.source_id IN ({','.join('?' * len(sources))})" if sources else ""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT a.url, a.source_id FROM articles a WHERE a.clean_status = 'done' AND "
            "coalesce(a.published_at, a.created_at) >= ? AND "
            "EXISTS (SELECT 1 FROM pages c WHERE c.url = a.url AND c.origin = 'crawl')" + cond +
            " ORDER BY coalesce(a.published_at, a.created_at) DESC, a.id", [since, *sources])]

    def store_page(self, page: FetchedPage, run_id: int | None = None) -> int | None:
        """Record one fetch outcome. A successful HTML page becomes (or refreshes) an article.

        Returns the article id when the page holds new content to clean, else None. New bytes for a
        known article only send it back to the clean stage: whether its text changed is decided there.
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
            err = page.error
            cur = self.db.execute(
                """INSERT INTO pages(url, final_url, source_id, status, content_type, etag, last_modified,
                                     body_sha256, fetched_at, origin, error, error_kind, run_id)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [page.url, page.final_url, page.source_id, page.status, page.content_type, page.etag,
                 page.last_modified, digest, page.fetched_at, page.origin, None if err is None else str(err),
                 None if err is None else err.kind.value, run_id])
            page_id = cur.lastrowid
            self.db.execute("DELETE FROM frontier WHERE url=?", [page.url])
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
            self.db.execute("UPDATE articles SET page_id=?, clean_status='pending', clean_attempts=0 WHERE id=?",
                            [page_id, article_id])
            return article_id

    # ------------------------------------------------------------ discovery pages
    def discovery_copy(self, url: str) -> FetchedPage | None:
        """The stored copy of a feed, sitemap or listing page (its last 200), validators included."""
        row = self.db.execute("SELECT final_url, content_type, etag, last_modified, body, fetched_at, source_id "
                              "FROM discovery_pages WHERE url=? AND body IS NOT NULL", [url]).fetchone()
        if row is None:
            return None
        return FetchedPage(url=url, final_url=row[0] or url, status=200, fetched_at=row[5],
                           body=zlib.decompress(row[4]), content_type=row[1] or "", etag=row[2],
                           last_modified=row[3], source_id=row[6])

    def store_discovery(self, page: FetchedPage, role: str, run_id: int | None = None) -> None:
        """Record the answer for a feed, sitemap or listing page: a 200 replaces the stored copy; a 304 or a
        failure leaves it (and its validators) as they are."""
        err = page.error
        fresh = page.ok
        with self._tx():
            self.db.execute(
                """INSERT INTO discovery_pages(url, source_id, role, final_url, content_type, etag, last_modified,
                     body, fetched_at, checked_at, status, error, error_kind, run_id)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(url) DO UPDATE SET source_id=excluded.source_id, role=excluded.role,
                     checked_at=excluded.checked_at, status=excluded.status, error=excluded.error,
                     error_kind=excluded.error_kind, run_id=excluded.run_id""" + (
                    """, final_url=excluded.final_url, content_type=excluded.content_type, etag=excluded.etag,
                     last_modified=excluded.last_modified, body=excluded.body, fetched_at=excluded.fetched_at"""
                    if fresh else ""),
                [page.url, page.source_id, role, page.final_url, page.content_type,
                 page.etag if fresh else None, page.last_modified if fresh else None,
                 zlib.compress(page.body, 6) if fresh else None, page.fetched_at if fresh else None,
                 page.fetched_at, page.status, None if err is None else str(err),
                 None if err is None else err.kind.value, run_id])

    # ----------------------------------------------------------------- stage queues
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

    def urls(self, ids: Iterable[int]) -> dict[int, str]:
        """The URL of each article id (for log lines)."""
        ids = list(ids)
        out: dict[int, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(self.db.execute(f"SELECT id, url FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                       chunk).fetchall())
        return out

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

    def store_clean(self, article_id: int, art: Article, cleaner_version: str) -> str:
        """Store the cleaner's output; returns the new clean status (done, failed or duplicate).

        An article cleaned before (its page fetched again with new bytes) keeps everything when the text
        (title, subtitle, body) is the same ('unchanged'), and when the new page gives no text ('failed':
        the earlier text stays). A new text is a correction: the earlier one is kept in article_versions,
        the new one analysed and translated again ('corrected', else 'duplicate')."""
        now = self.now()
        body = art.body_text
        content_hash = sha256(body) if body else None
        prev = self.db.execute("SELECT title_ko, subtitle_ko, body_ko, duplicate_of FROM articles "
                               "WHERE id=? AND content_hash IS NOT NULL", [article_id]).fetchone()
        if prev is not None and ((art.title, art.subtitle, body) == tuple(prev[:3]) or art.error or not body):
            with self._tx():
                self.db.execute("UPDATE articles SET clean_status=? WHERE id=?",
                                ["done" if prev[3] is None else "duplicate", article_id])
            return "unchanged" if body and not art.error else "failed"
        pt = art.publisher_translation
        with self._tx():
            if prev is not None:
                self._keep_version(article_id, now)
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
                """UPDATE articles SET canonical_url=?, outlet=?, section=?, authors=?, dateline=?, published_at=?,
                     updated_at=?, title_ko=?, subtitle_ko=?, body_ko=?, captions=?, removed=?,
                     content_hash=?, duplicate_of=?, clean_status=?, clean_error=?, cleaner_version=?,
                     cleaned_at=?, nlp_status='pending', nlp_error=NULL, nlp_attempts=0,
                     translate_status='pending', translate_error=NULL, translate_attempts=0, search_ko=NULL,
                     keywords='[]', entities='[]', publisher_en=?, changed_at=?
                   WHERE id=?""",
                [art.canonical_url or None, art.outlet, art.section, _dumps(art.authors), art.dateline,
                 art.published_at,
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
        return "corrected" if prev is not None and status == "done" else status

    def _keep_version(self, article_id: int, now: str) -> None:
        """Copy the article's current text into article_versions (inside the caller's transaction)."""
        self.db.execute(
            """INSERT INTO article_versions(article_id, version, title_ko, subtitle_ko, body_ko, published_at,
                 updated_at, content_hash, cleaner_version, cleaned_at, replaced_at)
               SELECT id, (SELECT count(*) + 1 FROM article_versions WHERE article_id = ?), title_ko, subtitle_ko,
                 body_ko, published_at, updated_at, content_hash, cleaner_version, cleaned_at, ?
               FROM articles WHERE id = ?""", [article_id, now, article_id])

    # --------------------------------------------------------------------- nlp
    def bodies(self, ids: list[int]) -> Iterator[tuple[int, str, str]]:
        """(id, title, body) of each article, in the order given."""
        for article_id in ids:
            row = self.db.execute("SELECT title_ko, body_ko FROM articles WHERE id=?", [article_id]).fetchone()
            if row is not None:
                yield article_id, row[0] or "", row[1] or ""

    def store_analysis(self, article_id: int, analysis: Analysis) -> None:
        """Sentences, search text, keywords and the article's word forms (``ko_forms``, which the query
        analyser reads), in one transaction."""
        now = self.now()
        # Words this process already committed need no second write; the rest go in sorted (fewer page splits).
        forms = sorted((w, t) for w, t in analysis.forms.items() if w not in self._forms_seen)
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
            self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)", forms)
        if len(self._forms_seen) > 300_000:          # bounded memory: most words recur
            self._forms_seen.clear()
        self._forms_seen.update(w for w, _ in forms)

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

    def select_for_retranslation(self, source_ids: Iterable[str] = (), since: str | None = None,
                                 until: str | None = None, limit: int | None = None) -> list[int]:
        """Ids of the analysed articles selected for a retranslation. Nothing about them changes here: their
        status and English stay as they are until a new translation is stored, so a retranslation that
        fails or is killed leaves them as they were."""
        conds, params = article_filters(since, until)
        conds += ["a.clean_status='done'", "a.nlp_status='done'"]
        sources = list(source_ids)
        if sources:
            conds.append(f"a.source_id IN ({','.join('?' * len(sources))})")
            params += sources
        sql = f"SELECT a.id FROM articles a WHERE {' AND '.join(conds)} ORDER BY a.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.db.execute(sql, params)]

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

        Returns the translate status: done; retry or failed (some unit failed QA or the backend: tried again
        on the next runs, MAX_STAGE_ATTEMPTS attempts in all); kept (a failed retranslation, the earlier
        complete English kept).
        """
        now = self.now()
        sents = self.db.execute("SELECT idx, para FROM sentences WHERE article_id=? ORDER BY idx",
                                [article_id]).fetchall()
        if len(sents) != len(tr.sentences):
            raise ValueError(f"article {article_id}: {len(tr.sentences)} translations for {len(sents)} sentences")
        errors = [u.error for u in [tr.title, tr.subtitle, *tr.sentences] if u.error]
        if errors and keep_previous:
            prev = self.db.execute("SELECT body_en IS NOT NULL AND translate_error IS NULL FROM articles "
                                   "WHERE id=?", [article_id]).fetchone()
            if prev and prev[0]:
                with self._tx():
                    self._add_translation(article_id, tr.provenance, tr.backend, version, now, tr.title.en,
                                          tr.subtitle.en, None, [u.en for u in tr.sentences])
                return "kept"
        with self._tx():
            if errors:
                status, attempts = self._failed_status(article_id, "translate")
            else:
                status, attempts = "done", None
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
                   translate_attempts=coalesce(?, translate_attempts), translation_provenance=?,
                   translation_backend=?, translation_version=?, translated_at=?, changed_at=? WHERE id=?""",
                [tr.title.en, tr.subtitle.en, body_en, status, "; ".join(errors)[:1000] or None, attempts,
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

    def finish_run(self, run_id: int, status: str, counts: dict, errors: list[dict], exit_code: int | None = None,
                   outcome: str | None = None) -> None:
        """Record how a run ended: its exit code and outcome in words, every failure counted by reason, and the
        first 500 failures themselves."""
        with self._tx():
            self.db.execute("UPDATE runs SET ended_at=?, status=?, counts=?, errors=?, exit_code=?, outcome=?, "
                            "failures=? WHERE id=?",
                            [self.now(), status, _dumps(counts), _dumps(errors[:500]), exit_code, outcome,
                             _dumps(failure_counts(errors)), run_id])

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
        last = self.db.execute("SELECT id, started_at, ended_at, status, counts, exit_code, outcome, failures "
                               "FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        out["last_run"] = (None if last is None else
                           {"id": last[0], "started_at": last[1], "ended_at": last[2], "status": last[3],
                            "counts": json.loads(last[4]), "exit_code": last[5], "outcome": last[6],
                            "failures": json.loads(last[7])})
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
        d["versions"] = [dict(zip(("version", "title_ko", "subtitle_ko", "body_ko", "published_at", "updated_at",
                                   "cleaned_at", "replaced_at"), r)) for r in self.db.execute(
            "SELECT version, title_ko, subtitle_ko, body_ko, published_at, updated_at, cleaned_at, replaced_at "
            "FROM article_versions WHERE article_id=? ORDER BY version", [article_id])]
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
