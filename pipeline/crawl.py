"""The crawl of a run: discover article URLs per source, then fetch them, each page stored as it arrives.

Discovery itself (feeds, sitemaps, listing pages) is ``scrapers.discover``; this module gives it the
fetcher and the archive's ``known_urls`` callback, keeps the frontier, and records every fetch.
"""
from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import timedelta

from db.archive import GONE_RECHECK_DAYS, GONE_STATUSES, ArchiveError
from scrapers.util.kst import iso
from scrapers import discover
from scrapers.fetch import Fetcher
from scrapers.types import FetchedPage, FetchError, FetchKind, Source

from .types import RunOptions, RunSummary


# the site answered, its robots.txt said no (or not now): reached, but nothing may be read
_SITE_REFUSED = (FetchKind.ROBOTS, FetchKind.ROBOTS_UNAVAILABLE, FetchKind.CRAWL_DELAY)


class _Reach:
    """The fetcher, noting which sources answered (a page, or 304 Not Modified) for the run's outcome."""

    def __init__(self, fetcher: Fetcher, reached: set, refused: set):
        self._fetcher = fetcher
        self._reached = reached
        self._refused = refused

    def __getattr__(self, name):
        return getattr(self._fetcher, name)

    async def fetch(self, url: str, source_id: str | None = None, **kw) -> FetchedPage:
        page = await self._fetcher.fetch(url, source_id=source_id, **kw)
        if page.ok or page.not_modified:
            self._reached.add(source_id)
        elif page.error is not None and page.error.kind in _SITE_REFUSED:
            self._refused.add(source_id)
        return page


class CrawlStage:
    """The crawl half of ``Pipeline`` (a mixin: it uses the pipeline's archive, sources, fetch settings,
    transport, reporter and error bookkeeping)."""

    async def crawl(self, options: RunOptions, summary: RunSummary) -> None:
        async with Fetcher(self.fetch_settings, transport=self.transport, clock=self.archive.clock) as real:
            fetcher = _Reach(real, summary.reached, summary.refused)
            jobs: list[tuple[str, Source]] = []
            selected = self._selected(options)
            self.reporter.stage("discover", len(selected))
            listings: dict[str, asyncio.Task] = {}     # one fetch per feed/listing URL per run, shared by sources
            askers: dict[str, list[str]] = {}          # the sources that asked for each of them

            async def safe_discover(source: Source) -> list[str]:
                asked: list[asyncio.Task] = []

                def fetch(url: str, role: str) -> asyncio.Task:
                    if source.id not in askers.setdefault(url, []):
                        askers[url].append(source.id)
                    if url not in listings:
                        listings[url] = asyncio.ensure_future(
                            self._fetch_listing(fetcher, url, source, role, summary))
                    asked.append(listings[url])
                    return listings[url]
                failed = True
                try:
                    urls = await discover.discover_urls(source, fetch, self.archive.known_urls)
                    failed = _a_listing_failed(asked)
                    if asked and not urls and not failed:
                        summary.notes.append(_no_match_note(source))
                    return urls
                except ArchiveError:
                    raise
                except Exception as exc:  # one broken source never stops the others
                    self._error(summary, "discover", source.id, f"{type(exc).__name__}: {exc}", source=source.id)
                    return []
                finally:      # the progress line counts a source whose listing failed as failed, as the summary
                    self.reporter.advance(failed=int(failed))

            found = await asyncio.gather(*(safe_discover(s) for s in selected))
            _name_sharers(summary, askers)
            queued: set[str] = set()     # one fetch per URL per run, even when two sources list it
            retryable = self.archive.retryable_urls()
            for source, urls in zip(selected, found):
                known = self.archive.known_urls(urls)
                # Kept until fetched: what a killed run or --limit left is fetched next run, though the listing
                # pages, which a run reads only down to the first page with nothing new, no longer lead to it.
                self.archive.queue_urls(source.id, [u for u in urls if u not in known])
                new = [u for u in self.archive.queued_urls(source.id) if u not in queued]
                if source.max_articles:
                    new = new[:source.max_articles]
                summary.counts["discovered"] += len(urls)
                retry = [u for u in retryable.get(source.id, []) if u not in new and u not in queued]
                for url in new + retry:
                    queued.add(url)
                    jobs.append((url, source))
            refresh: set[str] = set()
            if options.refresh_days:
                since = iso(self.archive.clock() - timedelta(days=options.refresh_days))
                for url, sid in self.archive.refresh_urls(since, [s.id for s in selected]):
                    if url not in queued and sid in self.sources:
                        queued.add(url)
                        refresh.add(url)
                        jobs.append((url, self.sources[sid]))
            if options.limit is not None:
                jobs = jobs[:options.limit]
            self.reporter.stage("fetch", len(jobs))

            async def one(url: str, source: Source):
                t0 = time.perf_counter()
                try:
                    etag, modified = self.archive.validators(url)
                    page = await fetcher.fetch(url, source_id=source.id, etag=etag, last_modified=modified,
                                               crawl_delay=source.crawl_delay, validators=self.archive.validators,
                                               once=True)      # each article URL once a run, redirect hops too
                    if page.not_modified and page.final_url != url:
                        self._redirect_copy(page)
                    article_id = self.archive.store_page(page, run_id=summary.run_id)
                except ArchiveError:
                    raise
                except Exception as exc:   # a bug on one page: recorded as a failed fetch, tried again next run
                    page = FetchedPage(url=url, final_url=url, status=None, fetched_at=self.archive.now(),
                                       error=FetchError(FetchKind.INTERNAL, f"{type(exc).__name__}: {exc}"[:300]),
                                       source_id=source.id)
                    article_id = self.archive.store_page(page, run_id=summary.run_id)
                outcome = self._fetched(page, url, article_id, url in refresh, summary)
                self._article_line("fetch", article_id, url, outcome, t0)
                self.reporter.advance(failed=int(outcome.startswith("failed")))

            await asyncio.gather(*(one(u, s) for u, s in jobs))
        self._gone_note(summary)
        for key in ("requests", "conditional", "not_modified"):
            summary.counts[key] += fetcher.stats[key]

    def _redirect_copy(self, page: FetchedPage) -> None:
        """A redirect onto a page whose stored copy is current (its hop answered 304, or the run had it already):
        the page the redirect leads to is that copy, stored under the redirect's URL as any redirect is."""
        copy = self.archive.stored_copy(page.final_url)
        if copy is not None:
            page.body, page.content_type = copy.body, copy.content_type

    @staticmethod
    def _gone_note(summary: RunSummary) -> None:
        n = summary.counts["gone"]
        if n:
            summary.notes.append(f"{n} refreshed article{'s' * (n != 1)} no longer at {'their' if n > 1 else 'its'} "
                                 f"source (HTTP {'/'.join(map(str, GONE_STATUSES))}): kept and marked gone "
                                 f"('newspipe show' says since when); asked again once in {GONE_RECHECK_DAYS} days")

    def _fetched(self, page: FetchedPage, url: str, article_id: int | None, refreshed: bool,
                 summary: RunSummary) -> str:
        """Count one article fetch's outcome; returns it in words for the -v line. A refreshed article whose page
        answers 404 or 410 is gone from its source: kept, marked (db/pages.py), a note of the run, no failure."""
        if refreshed:
            summary.counts["refreshed"] += 1
        if page.ok or (page.not_modified and article_id is not None):    # (a redirect onto a stored copy)
            summary.counts["fetched"] += 1
            if article_id is not None and not refreshed:
                summary.counts["new"] += 1
            outcome = f"{page.status} {'new' if article_id is not None else 'unchanged'}"
        elif refreshed and page.status in GONE_STATUSES:
            summary.counts["gone"] += 1         # kept, marked gone (db/pages.py): a note, no failure
            outcome = f"gone: HTTP {page.status}, the article kept"
        elif page.error is not None:
            summary.counts["fetch_failed"] += 1
            self._error(summary, "fetch", url, page.error, page.error.kind.value)
            outcome = f"failed: {page.error}"
        else:
            outcome = f"{page.status} not modified"
        return outcome

    async def _fetch_listing(self, fetcher: Fetcher, url: str, source: Source, role: str,
                             summary: RunSummary) -> FetchedPage:
        """A feed, sitemap or listing page, asked for conditionally when a copy is stored; a 304 is answered
        with the stored copy, so what a page listed is never lost to a run that stopped half-way."""
        stored = self.archive.discovery_copy(url)
        page = await fetcher.fetch(url, source_id=source.id, etag=stored.etag if stored else None,
                                   last_modified=stored.last_modified if stored else None,
                                   crawl_delay=source.crawl_delay, any_content_type=role != "listing")
        self.archive.store_discovery(page, role, summary.run_id)
        if page.error is not None:
            self._error(summary, "discover", url, page.error, page.error.kind.value, source=source.id)
        elif page.not_modified and stored is not None:
            page.body, page.content_type, page.final_url = stored.body, stored.content_type, stored.final_url
        return page


def _name_sharers(summary: RunSummary, askers: dict[str, list[str]]) -> None:
    """A feed or listing page two sources share is asked once and its failure recorded under the first: name
    every source that asked for it (the summary's 'source a, b: URL: reason')."""
    for i, e in enumerate(summary.errors):
        if e.stage == "discover" and len(askers.get(e.item, ())) > 1:
            summary.errors[i] = dataclasses.replace(e, source=", ".join(askers[e.item]))


def _a_listing_failed(tasks: list[asyncio.Task]) -> bool:
    """Whether a feed, sitemap or listing page a source asked for failed (the source's discovery then counts as
    failed in the progress line, as its failure does in the run's summary)."""
    return any(t.done() and not t.cancelled() and t.exception() is None and t.result().error is not None
               for t in tasks)


def _no_match_note(source: Source) -> str:
    """A source whose feeds, sitemaps and listing pages all answered without one article link: the run said 'new 0,
    failed 0' and nothing more, night after night, for a mistyped article_pattern or an outlet that changed its URL
    scheme (a new user's trial); 'newspipe sources check' counts the links each page holds."""
    which = f" matching its article_pattern '{source.article_pattern}'" if source.article_pattern else ""
    return (f"source {source.id}: its feeds, sitemaps and listing pages answered, but none holds a link{which}: "
            f"does the URL scheme fit? ('newspipe sources check {source.id}' counts their links)")
