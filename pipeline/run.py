"""The nightly run: discover → fetch → clean → analyse → translate, each stored as it completes.

Only this module knows every stage. Each article moves through the stages one committed
step at a time (db.Archive), so a run killed at any point is resumed by the next one:
nothing lost, nothing done twice. An exception on one article is that article's failure
(stored with its reason, tried again on the next runs, three attempts in all), never the
stage's; only the archive itself failing (a full disk) stops the run.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager

import httpx

from db.archive import MAX_STAGE_ATTEMPTS, Archive, ArchiveError
from db.records import Failure
from nlp.analyse import Analyser
from scrapers.clean import CLEANER_VERSION, clean_page
from scrapers.fetch import FetchSettings
from scrapers.types import Source
from translate.backends import Backend, BackendUnavailable
from translate.translator import TRANSLATION_VERSION, CircuitOpen, Translator

from . import aio
from .crawl import CrawlStage
from .overlap import clean_while_kiwi_loads
from .progress import Reporter
from .types import RunOptions, RunSummary, interruption, killed_line

__all__ = ["Pipeline", "Reporter", "RunOptions", "RunSummary"]
log = logging.getLogger("newspipe")
STAGE_NAMES = {"clean": "clean", "nlp": "analyse", "translate": "translate"}   # archive stage → what we call it


class Pipeline(CrawlStage):
    """A run over one archive: the crawl (``CrawlStage``), then clean, analyse, stories and translate, each
    article committed stage by stage."""

    def __init__(self, archive: Archive, sources: list[Source], fetch_settings: FetchSettings | None = None,
                 transport: httpx.AsyncBaseTransport | None = None, analyser: Analyser | None = None,
                 backend_factory=None, reporter: Reporter | None = None):
        self.archive = archive
        self.sources = {s.id: s for s in sources}
        self.fetch_settings = fetch_settings or FetchSettings()
        self.transport = transport
        self.analyser = analyser or Analyser()
        self.backend_factory = backend_factory
        self.reporter = reporter or Reporter(live=False)

    # ------------------------------------------------------------------ run
    def run(self, options: RunOptions) -> RunSummary:
        started = time.monotonic()
        killed = self.archive.mark_interrupted_runs()
        self.archive.sync_sources(self.sources.values())
        summary = RunSummary(run_id=(run_id := self.archive.start_run(options.record())))
        summary.counts.update({f"retried_{stage}": n for stage, n in options.retried.items() if n})
        log.info("run %d started: %s", run_id, options.describe(len(self._selected(options)), self.archive.path))
        for run in killed:                      # said once: the next run marks it interrupted
            log.warning(killed_line(run))
        try:
            if options.retranslate:
                ids = self.archive.select_for_retranslation(options.source_ids, options.since, options.until,
                                                            options.limit)
                summary.counts["retranslate_selected"] = len(ids)
                self.translate(options, summary, ids=ids)
            else:
                if options.crawl:
                    aio.run(self.crawl(options, summary))
                if not clean_while_kiwi_loads(self, options, summary):     # pipeline/overlap.py
                    self.clean(options, summary)
                self.analyse(options, summary)
                self.stories(options, summary)
                if options.translate:
                    self.translate(options, summary)
                else:
                    summary.notes.append("translation skipped (--no-translate): articles stay pending")
        except BaseException as exc:
            self.reporter.close()
            try:        # the archive may be what failed (a full disk): the error that stopped the run comes first
                summary.pending = self.pending_counts()
                status, code, outcome = interruption(exc) or ("failed", 1, f"{type(exc).__name__}: {exc}"[:500])
                self.archive.finish_run(run_id, status, dict(summary.counts), summary.errors, code, outcome)
            except (ArchiveError, sqlite3.Error) as again:
                log.debug("could not record the failed run: %s", again)
            raise
        self.reporter.close()
        self.tidy(options, summary)
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
            summary.outcome = summary.unreached(len(selected))
        elif c["fetch_failed"] and not (c["fetched"] or c["not_modified"]):
            summary.exit_code = 3
            summary.outcome = f"every fetch failed ({c['fetch_failed']} pages)"

    def pending_counts(self) -> dict:
        """Articles each stage still has to do: pending, or failed before and due for another try."""
        return self.archive.work_left()

    def _selected(self, options: RunOptions) -> list[Source]:
        """The enabled sources, or those --source names (the CLI refuses a disabled one before the run)."""
        if options.source_ids:
            return [s for s in self.sources.values() if s.id in options.source_ids]
        return [s for s in self.sources.values() if s.enabled]

    def _error(self, summary: RunSummary, stage: str, what: str, reason, kind: str | None = None,
               source: str | None = None):
        summary.errors.append(Failure(stage, what, str(reason), kind or None, source))

    def _urls(self, ids: list[int]) -> dict[int, str]:
        """Article URLs for the -v lines (read only when they are logged)."""
        return self.archive.urls(ids) if log.isEnabledFor(logging.DEBUG) else {}

    @staticmethod
    def _article_line(stage: str, article_id, url: str | None, outcome: str, t0: float) -> None:
        """The -v line of one article in one stage: id, URL, outcome, milliseconds."""
        log.debug("%s #%s %s %s %.0f ms", stage, article_id if article_id is not None else "-", url or "",
                  outcome, (time.perf_counter() - t0) * 1000)

    def _article_failed(self, summary: RunSummary, stage: str, article_id: int, url: str | None,
                        exc: BaseException, t0: float) -> None:
        """An exception on one article: stored with its reason on that article (tried again on the next runs,
        MAX_STAGE_ATTEMPTS attempts in all), counted, logged, and the stage goes on with the others."""
        reason = f"{type(exc).__name__}: {exc}"[:300]
        status = self.archive.fail_stage(article_id, stage, reason)
        url = url or self.archive.urls([article_id]).get(article_id)
        summary.counts[f"{STAGE_NAMES[stage]}_failed"] += 1
        then = ("tried again next run" if status == "retry"
                else f"given up after {MAX_STAGE_ATTEMPTS} attempts; run --retry-failed tries again")
        self._error(summary, STAGE_NAMES[stage], url or str(article_id), f"{reason} ({then})")
        log.warning("%s #%s %s failed: %s (%s)", STAGE_NAMES[stage], article_id, url or "", reason, then)
        self._article_line(STAGE_NAMES[stage], article_id, url, status, t0)
        self.reporter.advance(failed=1)

    # ---------------------------------------------------------------- clean
    def clean(self, options: RunOptions, summary: RunSummary) -> None:
        ids = self.archive.pending("clean", options.limit)
        self.reporter.stage("clean", len(ids))
        with self._batched(summary) as done:        # a transaction a batch of articles, each whole (db/connection)
            for article_id in ids:
                self._clean_one(article_id, summary)
                done()

    @contextmanager
    def _batched(self, summary: RunSummary):
        """archive.batched(), the summary's counts and failures following its commits: what a batch rolled back
        (an interrupt, a full disk) counted is taken back with its writes, so a stopped run's record counts only
        what it stored. Yields the batch's done()."""
        mark = (Counter(summary.counts), len(summary.errors))
        with self.archive.batched() as batch:
            def done() -> None:
                nonlocal mark
                if batch.done():
                    mark = (Counter(summary.counts), len(summary.errors))
            try:
                yield done
            except BaseException:
                summary.counts = mark[0]
                del summary.errors[mark[1]:]
                raise

    def _clean_one(self, article_id: int, summary: RunSummary) -> None:
        """Clean one article and store what the cleaner made of it (a failure is that article's)."""
        t0 = time.perf_counter()
        url = None
        try:
            page = self.archive.page_for_article(article_id)
            url = page.url
            source = self.sources.get(page.source_id or "")
            art = clean_page(page.body, url, page.content_type, profile=source.profile if source else
                             self.archive.source_profile(page.source_id), outlet=source.outlet if source else "")
            status = self.archive.store_clean(article_id, art, CLEANER_VERSION)
        except ArchiveError:
            raise
        except Exception as exc:  # a bug on one page must not stop the run
            self._article_failed(summary, "clean", article_id, url, exc, t0)
            return
        outcome = status
        if status in ("done", "corrected"):
            summary.counts["cleaned"] += 1
            if status == "corrected":
                summary.counts["corrected"] += 1
        elif status == "unchanged":
            summary.counts["unchanged"] += 1
        elif status == "duplicate":
            summary.counts["duplicates"] += 1
        else:
            summary.counts["clean_failed"] += 1
            outcome = f"failed: {art.error or 'no article text found'}"
            self._error(summary, "clean", art.url or url, art.error or "no article text found")
        self._article_line("clean", article_id, url, outcome, t0)
        self.reporter.advance(failed=int(status == "failed"))

    # -------------------------------------------------------------- analyse
    def analyse(self, options: RunOptions, summary: RunSummary) -> None:
        """Kiwi over the pending articles as one stream. An exception on one article breaks the stream:
        the first article not yet stored is then analysed alone -- stored if it passes, failed if it
        raises again -- and the stream restarts behind it, so only the article at fault fails."""
        ids = self.archive.pending("nlp", options.limit)
        self.reporter.stage("analyse", len(ids))
        if not ids:
            return
        urls = self._urls(ids)
        t0 = time.perf_counter()
        self.analyser.kiwi                          # load it now: its 2-3 s are not the first article's
        log.debug("analyse: Kiwi ready in %.1f s", time.perf_counter() - t0)
        with self._batched(summary) as done:        # a transaction a batch of articles, each whole (db/connection)
            self._analyse_stream(ids, urls, summary, done)

    def _analyse_stream(self, ids: list[int], urls: dict[int, str], summary: RunSummary, done) -> None:
        todo = ids
        while todo:
            handled: set[int] = set()
            t0 = time.perf_counter()
            try:
                for article_id, analysis in self.analyser.analyse_many(self._nlp_items(todo), morphs=False):
                    handled.add(article_id)
                    self._store_analysis(summary, article_id, urls.get(article_id), analysis, t0)
                    done()
                    t0 = time.perf_counter()
                todo = []
            except ArchiveError:
                raise
            except Exception as exc:
                rest = [aid for aid in todo if aid not in handled]
                if not rest:            # raised after the last article: nothing left to blame or redo
                    log.warning("analyse: %s: %s after the last article", type(exc).__name__, exc)
                    break
                suspect, todo = rest[0], rest[1:]
                t0 = time.perf_counter()
                try:
                    [(_, analysis)] = list(self.analyser.analyse_many(self._nlp_items([suspect]), morphs=False))
                except ArchiveError:
                    raise
                except Exception as exc:
                    self._article_failed(summary, "nlp", suspect, urls.get(suspect), exc, t0)
                    continue
                self._store_analysis(summary, suspect, urls.get(suspect), analysis, t0)

    def tidy(self, options: RunOptions, summary: RunSummary) -> None:
        """After the run wrote: the search indexes kept healthy (a bounded FTS5 merge and PRAGMA optimize,
        db/forms.py; never a full rebuild), and the story signatures of articles a week older than the stories
        window forgotten (db/stories.py: made again from the text when needed). A failure is a note; the run's
        work is stored."""
        from db.stories import expire_signatures
        t0 = time.perf_counter()
        try:
            self.archive.tidy_indexes()
            expire_signatures(self.archive, options.stories_days + 7)
        except ArchiveError as exc:
            summary.notes.append(f"search indexes not tidied ({exc}); the next run does it")
            return
        log.info("search indexes tidied in %.1f s", time.perf_counter() - t0)

    def stories(self, options: RunOptions, summary: RunSummary) -> None:
        """Every analysed article without a story gets one (pipeline/stories.py): incremental, from the
        signatures of the last ``stories_days`` days. A failure here leaves them for the next run."""
        from .stories import assign_pending
        t0 = time.perf_counter()
        try:
            out = assign_pending(self.archive, options.stories_threshold, options.stories_days)
        except ArchiveError:
            raise
        except Exception as exc:          # never lose a run's other work to it; the next run assigns them
            log.warning("stories: %s: %s", type(exc).__name__, exc)
            summary.notes.append(f"stories not assigned ({type(exc).__name__}: {exc}); the next run does it")
            return
        if out["assigned"]:
            summary.counts["stories_assigned"] += out["assigned"]
            summary.counts["stories_joined"] += out["joined"]
        log.info("stories: %d articles assigned, %d joined a story (%.2f s; %d signatures of the window loaded "
                 "in %.2f s)", out["assigned"], out["joined"], time.perf_counter() - t0, out["loaded"], out["load_s"])

    def _nlp_items(self, ids: list[int]):
        return ((a.id, a.body, a.title) for a in self.archive.bodies(ids))

    def _store_analysis(self, summary: RunSummary, article_id: int, url: str | None, analysis, t0: float) -> None:
        try:
            self.archive.store_analysis(article_id, analysis)
        except ArchiveError:
            raise
        except Exception as exc:
            self._article_failed(summary, "nlp", article_id, url, exc, t0)
            return
        summary.counts["analysed"] += 1
        self._article_line("analyse", article_id, url, f"done, {len(analysis.sentences)} sentences", t0)
        self.reporter.advance()

    # ------------------------------------------------------------ translate
    def translate(self, options: RunOptions, summary: RunSummary, ids: list[int] | None = None) -> None:
        if ids is None:
            ids = self.archive.pending("translate", options.limit)
        self.reporter.stage("translate", len(ids))
        if not ids:
            return
        left = ("keep their earlier English" if options.retranslate else "stay pending for the next run")
        try:
            backend: Backend = self.backend_factory()
        except BackendUnavailable as exc:      # could not be reached while setting up (Microsoft, DeepL)
            summary.notes.append(f"translator {getattr(exc, 'backend', '')} unreachable ({exc}); {len(ids)} "
                                 f"articles {left}".replace("translator  ", "translator "))
            return
        except Exception as exc:
            summary.notes.append(f"translation not attempted: {exc}; {len(ids)} articles {left}")
            return
        translator = Translator(backend, memory=self.archive.memory(backend.name, replace=options.retranslate), concurrency=options.translate_concurrency,
                                backend_factory=self.backend_factory, use_memory=not options.retranslate)
        urls = self._urls(ids)
        done = 0
        size = max(1, options.translate_batch)
        for start in range(0, len(ids), size):
            batch = ids[start:start + size]
            t0 = time.perf_counter()
            try:
                results = self._translate_batch(translator, batch, summary, urls)
            except (CircuitOpen, BackendUnavailable) as exc:
                how = "refused the work" if getattr(exc, "final", False) else "unreachable"   # a 4xx to every text
                summary.notes.append(f"translator {backend.name} {how} ({exc}); {len(ids) - done} articles "
                                     f"{left}" + (f"; {backend.hint}" if backend.hint else ""))
                break
            for article_id, tr in results:
                done += 1
                url = urls.get(article_id)
                if isinstance(tr, BaseException):
                    self._article_failed(summary, "translate", article_id, url, tr, t0)
                    continue
                try:
                    status = self.archive.store_translation(article_id, tr, TRANSLATION_VERSION,
                                                            keep_previous=options.retranslate)
                except ArchiveError:
                    raise
                except Exception as exc:
                    self._article_failed(summary, "translate", article_id, url, exc, t0)
                    continue
                if status == "done":
                    summary.counts["translated"] += 1
                    outcome = f"done (batch of {len(batch)})"
                else:
                    summary.counts["translate_failed"] += 1
                    reason = "; ".join(sorted({u.error for u in [tr.title, tr.subtitle, *tr.sentences]
                                               if u.error}))[:200]
                    then = {"retry": "tried again next run", "kept": "the earlier English kept",
                            "failed": f"given up after {MAX_STAGE_ATTEMPTS} attempts; run --retry-failed tries again"}[status]
                    self._error(summary, "translate", url or str(article_id),
                                f"some sentences failed QA ({reason}; {then})")
                    outcome = f"{status}: {reason}"
                self._article_line("translate", article_id, url, outcome, t0)
                self.reporter.advance(failed=int(status != "done"))
        summary.counts["translation_requests"] += translator.stats.requests
        summary.counts["translation_memory_hits"] += translator.stats.memory_hits

    def _translate_batch(self, translator: Translator, batch: list[int], summary: RunSummary,
                         urls: dict[int, str]) -> list[tuple[int, object]]:
        """(article id, its ArticleTranslation or the exception it raised) for each article of the batch.
        The articles share packs; when that raises, each is translated alone, so only the one at fault
        fails. The backend being unreachable (BackendUnavailable, CircuitOpen) is not an article's fault:
        it propagates, and the rest stays as it is."""
        inputs: list[tuple[int, tuple]] = []
        out: list[tuple[int, object]] = []
        for article_id in batch:
            try:
                inp = self.archive.translation_input(article_id)
                inputs.append((article_id, (inp.title, inp.subtitle, inp.texts)))
            except ArchiveError:
                raise
            except Exception as exc:
                out.append((article_id, exc))
        now = self.archive.now()
        try:
            results = translator.translate_articles([inp for _, inp in inputs], now)
            return out + [(aid, tr) for (aid, _), tr in zip(inputs, results)]
        except (ArchiveError, CircuitOpen, BackendUnavailable):
            raise
        except Exception as exc:
            if len(inputs) == 1:
                return out + [(inputs[0][0], exc)]
        for article_id, inp in inputs:
            try:
                out.append((article_id, translator.translate_articles([inp], now)[0]))
            except (ArchiveError, CircuitOpen, BackendUnavailable):
                raise
            except Exception as exc:
                out.append((article_id, exc))
        return out
