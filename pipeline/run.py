"""The nightly run: discover → fetch → clean → analyse → translate, each stored as it completes.

Only this module knows every stage. Each article moves through the stages one committed
step at a time (db.Archive), so a run killed at any point is resumed by the next one:
nothing lost, nothing done twice.
"""
from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from db.archive import Archive, iso
from nlp.analyze import Analyzer
from scrapers import discover
from scrapers.clean import CLEANER_VERSION, clean_page
from scrapers.fetch import Fetcher, FetchSettings
from scrapers.types import FetchedPage, Source
from translate.backends import Backend, BackendUnavailable
from translate.translator import TRANSLATION_VERSION, CircuitOpen, Translator

log = logging.getLogger("newspipe")


@dataclass
class RunOptions:
    limit: int | None = None            # at most this many articles per stage in this run
    crawl: bool = True
    translate: bool = True
    source_ids: tuple[str, ...] = ()
    retranslate: bool = False           # translate the selection again (only that), keeping earlier versions
    since: str | None = None            # selection of --retranslate by publication date
    until: str | None = None
    translate_concurrency: int = 2      # requests in flight to the translation backend
    translate_batch: int = 8            # articles whose sentences share packs
    refresh_days: int | None = None     # fetch again, conditionally, the articles published in the last N days


@dataclass
class RunSummary:
    run_id: int
    counts: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)
    pending: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reached: set = field(default_factory=set)   # sources that answered at least one fetch (a page or a 304)
    exit_code: int = 0                          # 0 completed; 3 completed, but nothing could be fetched
    outcome: str = "completed"

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "counts": dict(self.counts), "pending": self.pending,
                "failed": len(self.errors), "notes": self.notes, "seconds": round(self.seconds, 1),
                "exit_code": self.exit_code, "outcome": self.outcome}


class Reporter:
    """A live progress display on a terminal; plain log lines otherwise (cron)."""

    def __init__(self, live: bool | None = None):
        self.live = sys.stderr.isatty() if live is None else live
        self._progress = None
        self._task = None

    def stage(self, name: str, total: int):
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            if self._progress is None:
                self._progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                          TimeElapsedColumn(), transient=False)
                self._progress.start()
            self._task = self._progress.add_task(name, total=total or 0)
        else:
            log.info("%s: %d to do", name, total)

    def advance(self, n: int = 1):
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def note(self, message: str):
        if self._progress is not None:
            self._progress.console.print(message)
        else:
            log.info(message)

    def close(self):
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class _Reach:
    """The fetcher, noting which sources answered (a page, or 304 Not Modified) for the run's outcome."""

    def __init__(self, fetcher: Fetcher, reached: set):
        self._fetcher = fetcher
        self._reached = reached

    def __getattr__(self, name):
        return getattr(self._fetcher, name)

    async def fetch(self, url: str, source_id: str | None = None, **kw) -> FetchedPage:
        page = await self._fetcher.fetch(url, source_id=source_id, **kw)
        if page.ok or page.not_modified:
            self._reached.add(source_id)
        return page


class Pipeline:
    def __init__(self, archive: Archive, sources: list[Source], fetch_settings: FetchSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None, analyzer: Analyzer | None = None,
                 backend_factory=None, reporter: Reporter | None = None):
        self.archive = archive
        self.sources = {s.id: s for s in sources}
        self.fetch_settings = fetch_settings or FetchSettings()
        self.transport = transport
        self.analyzer = analyzer or Analyzer()
        self.backend_factory = backend_factory
        self.reporter = reporter or Reporter(live=False)

    # ------------------------------------------------------------------ run
    def run(self, options: RunOptions) -> RunSummary:
        started = time.monotonic()
        self.archive.mark_interrupted_runs()
        self.archive.sync_sources(self.sources.values())
        run_id = self.archive.start_run({"limit": options.limit, "crawl": options.crawl,
                                         "translate": options.translate, "sources": list(options.source_ids)})
        summary = RunSummary(run_id=run_id)
        try:
            if options.retranslate:
                ids = self.archive.request_retranslation(options.source_ids, options.since, options.until,
                                                         options.limit)
                summary.counts["retranslate_selected"] = len(ids)
                self.translate(options, summary, ids=ids)
            else:
                if options.crawl:
                    asyncio.run(self.crawl(options, summary))
                self.clean(options, summary)
                self.analyse(options, summary)
                if options.translate:
                    self.translate(options, summary)
                else:
                    summary.notes.append("translation skipped (--no-translate): articles stay pending")
        except BaseException as exc:
            summary.pending = self.pending_counts()
            self.archive.finish_run(run_id, "failed", dict(summary.counts), summary.errors,
                                    130 if isinstance(exc, KeyboardInterrupt) else 1,
                                    f"{type(exc).__name__}: {exc}"[:500])
            raise
        finally:
            self.reporter.close()
        summary.pending = self.pending_counts()
        summary.seconds = time.monotonic() - started
        self._outcome(options, summary)
        self.archive.finish_run(run_id, "completed", {**summary.counts, "pending": summary.pending},
                                summary.errors, summary.exit_code, summary.outcome)
        return summary

    def _outcome(self, options: RunOptions, summary: RunSummary) -> None:
        """Exit code 3 when the crawl got nothing at all: no source answered, or every article fetch failed."""
        selected = self._selected(options)
        if not options.crawl or options.retranslate or not selected:
            return
        c = summary.counts
        if not summary.reached:
            summary.exit_code = 3
            summary.outcome = f"no source could be reached ({len(selected)} tried)"
        elif c["fetch_failed"] and not (c["fetched"] or c["not_modified"]):
            summary.exit_code = 3
            summary.outcome = f"every fetch failed ({c['fetch_failed']} pages)"

    def pending_counts(self) -> dict:
        stats = self.archive.stats()["stages"]
        return {stage: by.get("pending", 0) for stage, by in stats.items()}

    def _selected(self, options: RunOptions) -> list[Source]:
        chosen = [s for s in self.sources.values() if s.enabled]
        if options.source_ids:
            chosen = [s for s in self.sources.values() if s.id in options.source_ids]
        return chosen

    def _error(self, summary: RunSummary, stage: str, what: str, reason, kind: str | None = None):
        summary.errors.append({"stage": stage, "item": what, "reason": str(reason),
                               **({"kind": kind} if kind else {})})

    # ---------------------------------------------------------------- crawl
    async def crawl(self, options: RunOptions, summary: RunSummary) -> None:
        async with Fetcher(self.fetch_settings, transport=self.transport, clock=self.archive.clock) as real:
            fetcher = _Reach(real, summary.reached)
            jobs: list[tuple[str, Source]] = []
            selected = self._selected(options)
            listings: dict[str, asyncio.Task] = {}     # one fetch per feed/listing URL per run, shared by sources

            async def safe_discover(source: Source) -> list[str]:
                def fetch(url: str, role: str) -> asyncio.Task:
                    if url not in listings:
                        listings[url] = asyncio.ensure_future(
                            self._fetch_listing(fetcher, url, source, role, summary))
                    return listings[url]
                try:
                    return await discover.discover_urls(source, fetch, self.archive.known_urls)
                except Exception as exc:  # one broken source never stops the others
                    self._error(summary, "discover", source.id, f"{type(exc).__name__}: {exc}")
                    return []

            found = await asyncio.gather(*(safe_discover(s) for s in selected))
            queued: set[str] = set()     # one fetch per URL per run, even when two sources list it
            retryable = self.archive.retryable_urls()
            for source, urls in zip(selected, found):
                known = self.archive.known_urls(urls)
                new = [u for u in urls if u not in known and u not in queued]
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
                etag, modified = self.archive.validators(url)
                page = await fetcher.fetch(url, source_id=source.id, etag=etag, last_modified=modified,
                                           crawl_delay=source.crawl_delay)
                article_id = self.archive.store_page(page, run_id=summary.run_id)
                if url in refresh:
                    summary.counts["refreshed"] += 1
                if page.ok:
                    summary.counts["fetched"] += 1
                    if article_id is not None and url not in refresh:
                        summary.counts["new"] += 1
                elif page.error is not None:
                    summary.counts["fetch_failed"] += 1
                    self._error(summary, "fetch", url, page.error, page.error.kind.value)
                self.reporter.advance()

            await asyncio.gather(*(one(u, s) for u, s in jobs))
        for key in ("requests", "conditional", "not_modified"):
            summary.counts[key] += fetcher.stats[key]

    async def _fetch_listing(self, fetcher: Fetcher, url: str, source: Source, role: str,
                             summary: RunSummary) -> FetchedPage:
        """A feed, sitemap or listing page, asked for conditionally when a copy is stored; a 304 is answered
        with the stored copy, so what a page listed is never lost to a run that stopped half-way."""
        stored = self.archive.discovery_copy(url)
        page = await fetcher.fetch(url, source_id=source.id, etag=stored.etag if stored else None,
                                   last_modified=stored.last_modified if stored else None,
                                   crawl_delay=source.crawl_delay, accept_any=role != "listing")
        self.archive.store_discovery(page, role, summary.run_id)
        if page.error is not None:
            self._error(summary, "discover", url, page.error, page.error.kind.value)
        elif page.not_modified and stored is not None:
            page.body, page.content_type, page.final_url = stored.body, stored.content_type, stored.final_url
        return page

    # ---------------------------------------------------------------- clean
    def clean(self, options: RunOptions, summary: RunSummary) -> None:
        ids = self.archive.pending("clean", options.limit)
        self.reporter.stage("clean", len(ids))
        for article_id in ids:
            try:
                body, ctype, final_url, source_id = self.archive.page_for_article(article_id)
                source = self.sources.get(source_id or "")
                art = clean_page(body, final_url, ctype, profile=source.profile if source else
                                 self.archive.source_profile(source_id), outlet=source.outlet if source else "")
                status = self.archive.store_clean(article_id, art, CLEANER_VERSION)
            except Exception as exc:  # a bug on one page must not stop the run
                status = "failed"
                art = None
                self.archive.fail_stage(article_id, "clean", f"{type(exc).__name__}: {exc}")
                self._error(summary, "clean", str(article_id), f"{type(exc).__name__}: {exc}")
            if status in ("done", "corrected"):
                summary.counts["cleaned"] += 1
                if status == "corrected":
                    summary.counts["corrected"] += 1
            elif status == "unchanged":
                summary.counts["unchanged"] += 1
            elif status == "duplicate":
                summary.counts["duplicates"] += 1
            elif art is not None:
                summary.counts["clean_failed"] += 1
                self._error(summary, "clean", art.url, art.error or "no article text found")
            self.reporter.advance()

    # -------------------------------------------------------------- analyse
    def analyse(self, options: RunOptions, summary: RunSummary) -> None:
        ids = self.archive.pending("nlp", options.limit)
        self.reporter.stage("analyse", len(ids))
        if not ids:
            return
        items = ((aid, body, title) for aid, title, body in self.archive.bodies(ids))
        try:
            for article_id, analysis in self.analyzer.analyze_many(items):
                self.archive.store_analysis(article_id, analysis)
                summary.counts["analysed"] += 1
                self.reporter.advance()
        finally:
            self.archive.flush_forms()

    # ------------------------------------------------------------ translate
    def translate(self, options: RunOptions, summary: RunSummary, ids: list[int] | None = None) -> None:
        if ids is None:
            ids = self.archive.pending("translate", options.limit)
        self.reporter.stage("translate", len(ids))
        if not ids:
            return
        try:
            backend: Backend = self.backend_factory()
        except Exception as exc:
            summary.notes.append(f"translation not attempted: {exc}; {len(ids)} articles stay pending")
            return
        archive = self.archive
        replace = options.retranslate

        class _Memory:
            def get(self, texts):
                return archive.tm_get(backend.name, texts)

            def put(self, pairs):
                archive.tm_put(backend.name, pairs, replace=replace)

        translator = Translator(backend, memory=_Memory(), concurrency=options.translate_concurrency,
                                backend_factory=self.backend_factory, use_memory=not options.retranslate)
        done = 0
        for start in range(0, len(ids), max(1, options.translate_batch)):
            batch = ids[start:start + max(1, options.translate_batch)]
            inputs = [self.archive.translation_input(aid) for aid in batch]
            try:
                results = translator.translate_articles([(t, st, [x[2] for x in sents]) for t, st, sents in inputs],
                                                        self.archive.now())
            except (CircuitOpen, BackendUnavailable) as exc:
                summary.notes.append(f"translator {backend.name} unreachable ({exc}); {len(ids) - done} articles "
                                     "stay pending for the next run")
                break
            for article_id, tr in zip(batch, results):
                status = self.archive.store_translation(article_id, tr, TRANSLATION_VERSION,
                                                        keep_previous=options.retranslate)
                done += 1
                if status == "done":
                    summary.counts["translated"] += 1
                else:
                    summary.counts["translate_failed"] += 1
                    reason = "; ".join(sorted({u.error for u in [tr.title, tr.subtitle, *tr.sentences]
                                               if u.error}))[:200]
                    self._error(summary, "translate", str(article_id), f"some sentences failed QA ({reason})")
                self.reporter.advance()
        summary.counts["translation_requests"] += translator.stats.requests
        summary.counts["translation_memory_hits"] += translator.stats.memory_hits
