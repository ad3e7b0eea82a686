"""Sources and pages: the sources table, the page log (every fetch outcome) with its retry policy, the
validators for conditional GETs, the discovery cache (feeds, sitemaps, listings) and the frontier (URLs
found and not fetched yet). A mixin of Archive: it works on the Connection's ``db`` and ``_tx``."""
from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict

from scrapers.types import FETCH_POLICY, FetchedPage, Source, is_page_text

from . import bodies
from .bodies import Reference
from .connection import Connection, dumps, marks, sha256
from .records import PageToClean, RefreshTarget, Validators

# FETCH_POLICY as a table SQL can join: how many fetches of a URL each kind of failure allows in all.
_POLICY = ("WITH policy(kind, attempts) AS (VALUES "
           + ", ".join(f"('{kind.value}', {int(p.attempts)})" for kind, p in FETCH_POLICY.items()) + ") ")
GONE_STATUSES = (404, 410)      # an article's page answering one of these is gone from its source
GONE_RECHECK_DAYS = 7           # a gone article is asked again by --refresh at most once in this many days
# The answers for URL ``{url}`` since its last success (2xx or 304) that say it is gone: none once it is back.
GONE_SQL = ("SELECT g.status, g.fetched_at FROM pages g WHERE g.url = {url} AND g.status IN (404, 410) AND g.id > "
            "(SELECT coalesce(max(o.id), 0) FROM pages o WHERE o.url = {url} AND "
            "(o.status BETWEEN 200 AND 299 OR o.status = 304))")
REFERENCE_LOOKBACK = 50_000     # page log rows searched for a source's reference body (a bounded scan)
REFERENCES_KEPT = 32            # reference bodies held in memory, most recently used


def _error_columns(page: FetchedPage) -> tuple[str | None, str | None]:
    """(error, error_kind) of a fetch outcome as stored."""
    err = page.error
    return (None, None) if err is None else (str(err), err.kind.value)


class Pages(Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._source_refs: dict[str, str | None] = {}          # source id → digest of its reference body
        self._refs: OrderedDict[str, Reference] = OrderedDict()  # reference bodies read, by digest

    # ------------------------------------------------------------------ sources
    def sync_sources(self, sources: Iterable[Source]) -> None:
        with self._tx():
            for s in sources:
                self.db.execute(
                    """INSERT INTO sources(id, name, outlet, region, profile, homepage, config, updated_at)
                       VALUES (?,?,?,?,?,?,?,?)
                       ON CONFLICT(id) DO UPDATE SET name=excluded.name, outlet=excluded.outlet,
                         region=excluded.region, profile=excluded.profile, homepage=excluded.homepage,
                         config=excluded.config, updated_at=excluded.updated_at""",
                    [s.id, s.name, s.outlet, s.region, s.profile, s.homepage, dumps(asdict(s)), self.now()],
                )

    def ensure_source(self, source_id: str) -> None:
        with self._tx():
            self.db.execute("INSERT OR IGNORE INTO sources(id, name) VALUES (?, ?)", [source_id, source_id])

    def source_ids(self) -> list[str]:
        """Every source id the archive knows (its sources and those its articles name), sorted."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM sources UNION SELECT source_id FROM articles WHERE source_id IS NOT NULL ORDER BY 1")]

    def source_names(self) -> dict[str, tuple[str, str]]:
        """Each source's id → (name, outlet), for a user who typed a name where an id goes."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT id, name, outlet FROM sources")}

    def source_profile(self, source_id: str | None) -> str:
        if not source_id:
            return "auto"
        row = self.db.execute("SELECT profile FROM sources WHERE id=?", [source_id]).fetchone()
        return row[0] if row else "auto"

    # -------------------------------------------------------------------- pages
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The URLs among ``urls`` not to fetch as new: they have an article, or their fetches failed for
        good (as many times as FETCH_POLICY allows the least patient kind among their failures: once for a
        404 or a robots.txt refusal, three times for a timeout or a 5xx)."""
        urls = list(dict.fromkeys(urls))
        known: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            qs = marks(len(chunk))
            known.update(r[0] for r in self.db.execute(
                f"{_POLICY}SELECT url FROM articles WHERE url IN ({qs}) AND page_id IS NOT NULL "
                f"UNION SELECT p.url FROM pages p LEFT JOIN policy ON policy.kind = p.error_kind "
                f"WHERE p.url IN ({qs}) GROUP BY p.url "
                "HAVING sum(p.error IS NULL) = 0 AND count(*) >= min(coalesce(policy.attempts, 1))",
                [*chunk, *chunk]))
        return known

    def validators(self, url: str) -> Validators:
        """ETag and Last-Modified of the last successful fetch of ``url``, for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url=? AND status BETWEEN 200 AND 299 "
            "ORDER BY id DESC LIMIT 1", [url]).fetchone()
        return Validators(row[0], row[1]) if row else Validators(None, None)

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

    def refresh_urls(self, since: str, source_ids: Iterable[str] = ()) -> list[RefreshTarget]:
        """The crawled articles published (else first stored) at or after ``since``, newest first: to fetch
        again, conditionally, for corrections. An article gone from its source (its page answered 404 or 410
        since its last success) is asked again only when that answer is GONE_RECHECK_DAYS days old: a page
        deleted is rarely back, and asking every night only repeats the answer; once a week still sees one
        that returns."""
        sources = list(source_ids)
        cond = f" AND a.source_id IN ({marks(len(sources))})" if sources else ""
        gone = GONE_SQL.format(url="a.url") + " AND julianday(g.fetched_at) > julianday(?) - ?"
        return [RefreshTarget(r[0], r[1]) for r in self.db.execute(
            "SELECT a.url, a.source_id FROM articles a WHERE a.clean_status = 'done' AND "
            "coalesce(a.published_at, a.created_at) >= ? AND "
            f"EXISTS (SELECT 1 FROM pages c WHERE c.url = a.url AND c.origin = 'crawl') AND NOT EXISTS ({gone})"
            + cond + " ORDER BY coalesce(a.published_at, a.created_at) DESC, a.id",
            [since, self.now(), GONE_RECHECK_DAYS, *sources])]

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
            if (page.ok or page.not_modified) and page.body:      # a 304 may carry the copy it confirms
                digest = sha256(page.body)
                if self.db.execute("SELECT 1 FROM page_bodies WHERE sha256=?", [digest]).fetchone() is None:
                    self._store_body(digest, page.body, page.source_id)
            cur = self.db.execute(
                """INSERT INTO pages(url, final_url, source_id, status, content_type, etag, last_modified,
                                     body_sha256, fetched_at, origin, error, error_kind, run_id)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [page.url, page.final_url, page.source_id, page.status, page.content_type, page.etag,
                 page.last_modified, digest, page.fetched_at, page.origin, *_error_columns(page), run_id])
            page_id = cur.lastrowid
            self.db.execute("DELETE FROM frontier WHERE url=?", [page.url])
            if digest is None:
                return None
            return self._article_for_page(page, page_id, digest)

    def stored_copy(self, url: str) -> PageToClean | None:
        """The bytes last fetched for ``url`` (a redirect's 304 onto it is answered with them), or None."""
        row = self.db.execute(
            "SELECT b.body, b.compression, p.content_type, coalesce(p.final_url, p.url), p.source_id FROM pages p "
            "JOIN page_bodies b ON b.sha256 = p.body_sha256 WHERE p.url=? ORDER BY p.id DESC LIMIT 1",
            [url]).fetchone()
        if row is None:
            return None
        return PageToClean(bodies.decompress(row[1], row[0], self._reference), row[2] or "", row[3], row[4])

    def _article_for_page(self, page: FetchedPage, page_id: int, digest: str) -> int | None:
        """The article a page with new bytes makes or sends back to cleaning (inside store_page's transaction)."""
        row = self.db.execute(
            "SELECT a.id, p.body_sha256, p.content_type FROM articles a LEFT JOIN pages p ON p.id = a.page_id "
            "WHERE a.url=?", [page.url]).fetchone()
        now = self.now()
        if row is None:
            cur = self.db.execute(
                "INSERT INTO articles(url, source_id, page_id, created_at, changed_at) VALUES (?,?,?,?,?)",
                [page.url, page.source_id, page_id, now, now])
            return cur.lastrowid
        article_id, old_digest, old_type = row
        if old_digest == digest and is_page_text(old_type) == is_page_text(page.content_type):
            return None          # same bytes, read the same way (HTML, or page text) as before: nothing to redo
        self.db.execute("UPDATE articles SET page_id=?, clean_status='pending', clean_attempts=0 WHERE id=?",
                        [page_id, article_id])
        return article_id

    def page_for_article(self, article_id: int) -> PageToClean:
        """The article's current page: raw bytes, content type, final URL, source id."""
        row = self.db.execute(
            """SELECT b.body, b.compression, p.content_type, coalesce(p.final_url, p.url), a.source_id
               FROM articles a JOIN pages p ON p.id=a.page_id JOIN page_bodies b ON b.sha256=p.body_sha256
               WHERE a.id=?""", [article_id]).fetchone()
        if row is None:
            raise KeyError(article_id)
        return PageToClean(bodies.decompress(row[1], row[0], self._reference), row[2] or "", row[3], row[4])

    # ------------------------------------------------------------------ page bodies (db/bodies.py)
    def _store_body(self, digest: str, body: bytes, source_id: str | None) -> None:
        """Write a new body, against its source's reference when that pays (inside store_page's transaction)."""
        compression, data, reference = bodies.compress(body, self._source_reference(source_id))
        self.db.execute("INSERT INTO page_bodies(sha256, size, compression, body) VALUES (?,?,?,?)",
                        [digest, len(body), compression, data])
        if reference and source_id:
            self._source_refs[source_id] = digest
            self._keep_reference(Reference(digest, body))

    def _source_reference(self, source_id: str | None) -> Reference | None:
        """The body the source's new pages are compressed with: the one its latest page in the last
        REFERENCE_LOOKBACK rows of the page log was stored with (or is), if that is in the archive now
        (a reference written in a transaction that was rolled back is not)."""
        if not source_id:
            return None
        if source_id not in self._source_refs:
            row = self.db.execute(
                "SELECT b.sha256, b.compression FROM pages p JOIN page_bodies b ON b.sha256 = p.body_sha256 "
                "WHERE p.source_id = ? AND b.compression LIKE 'zstd%' "
                "AND p.id > (SELECT coalesce(max(id), 0) FROM pages) - ? ORDER BY p.id DESC LIMIT 1",
                [source_id, REFERENCE_LOOKBACK]).fetchone()
            self._source_refs[source_id] = None if row is None else bodies.reference_of(row[1]) or row[0]
        digest = self._source_refs[source_id]
        if digest is None or self.db.execute("SELECT 1 FROM page_bodies WHERE sha256=? AND compression=?",
                                             [digest, bodies.ZSTD]).fetchone() is None:
            self._source_refs[source_id] = None
            return None
        return self._reference(digest)

    def _reference(self, digest: str) -> Reference:
        """The reference body ``digest`` (kept in memory for the next pages that need it)."""
        ref = self._refs.get(digest)
        if ref is None:
            row = self.db.execute("SELECT compression, body FROM page_bodies WHERE sha256=?", [digest]).fetchone()
            if row is None or row[0] != bodies.ZSTD:
                raise ValueError(f"the page body {digest} that other page bodies are compressed with is "
                                 + ("missing from the archive" if row is None else f"stored as {row[0]!r}"))
            ref = self._keep_reference(Reference(digest, bodies.decompress(row[0], row[1], self._reference)))
        self._refs.move_to_end(digest)
        return ref

    def _keep_reference(self, ref: Reference) -> Reference:
        self._refs[ref.sha256] = ref
        while len(self._refs) > REFERENCES_KEPT:
            self._refs.popitem(last=False)
        return ref

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
                 page.fetched_at, page.status, *_error_columns(page), run_id])
