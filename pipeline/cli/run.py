"""'newspipe run' (the nightly job, or a retranslation) and 'newspipe reindex': the commands that write."""
from __future__ import annotations

import dataclasses
import json
import logging
import os

import click

from db.archive import MAX_STAGE_ATTEMPTS, ArchiveError, archive_kind, failure_counts, require_archive
from scrapers.errors import UserError

from ..config import EXAMPLE_UA, flag_type
from . import context
from .params import DATE, SERVER_URL, TRANSLATOR
from .render import print_failures, print_unread_sources


def _translator_help():
    from translate.backends import BACKENDS, TRANSLATOR_ENV
    keys = ", ".join(f"{k}: ${v}" for k, v in TRANSLATOR_ENV.items())
    return (f"Translation backend: {', '.join(BACKENDS)} (default google; none is --no-translate). "
            f"Keys from the environment ({keys}).")


def _check_options(source_ids, known, since, until, retranslate, no_translate, no_crawl, refresh_days) -> None:
    """Refuse options that name unknown or disabled sources (exit 1) or contradict each other (a usage mistake:
    exit 2). ``known``: id → Source."""
    for sid in source_ids:
        if sid not in known:
            raise context.unknown_source(sid, known.values())
        if not known[sid].enabled and not (retranslate or no_crawl):   # its stored pages may still be processed
            note = f": {known[sid].note}" if known[sid].note else ""
            raise UserError(f"source {sid!r} is disabled in the sources file{note}; set enabled = true to collect it")
    from db.filters import check_range
    check_range(since, until)                # before the run starts (the selection comes later)
    if (since or until) and not retranslate:
        raise click.UsageError("--since and --until select articles for --retranslate")
    if retranslate and no_translate:
        raise click.UsageError("--retranslate and --no-translate contradict each other")
    if refresh_days and (no_crawl or retranslate):
        raise click.UsageError(f"--refresh fetches pages again: it cannot go with {'--no-crawl' if no_crawl else '--retranslate'}")


def _check_crawlable(sources, source_ids, no_crawl: bool, retranslate: bool) -> list:
    """The sources the run crawls. A source with no feed, sitemap or listing page has nothing to find articles
    with: named with --source, or every enabled source so, it is refused (exit 1: the run said 'no source could be
    reached (1 tried)', exit 3); one among others that have some is left out of this run with a warning (one
    half-configured source stopped the whole night: review)."""
    if no_crawl or retranslate:
        return sources
    chosen = [s for s in sources if (s.id in source_ids if source_ids else s.enabled)]
    empty = [s.id for s in chosen if not (s.feeds or s.sitemaps or s.list_urls)]
    if not empty:
        return sources
    what = (f"source{'s' * (len(empty) > 1)} {', '.join(map(repr, empty))} in the sources file "
            f"{'have' if len(empty) > 1 else 'has'} no feeds, sitemaps or list_urls: nothing to find articles with")
    if source_ids or len(empty) == len(chosen):
        from scrapers.sources import ConfigError
        raise ConfigError(what + " (add one, or set enabled = false)")
    logging.getLogger("newspipe").warning("%s: left out of this run (add one, or set enabled = false)", what)
    return [dataclasses.replace(s, enabled=False) if s.id in empty else s for s in sources]


def _left_out_note(sources, crawled) -> list[str]:
    """The summary's note of the sources _check_crawlable left out (its warning comes before the run's first line,
    where a cron job reading the summary never sees it: review)."""
    ids = [s.id for s, c in zip(sources, crawled) if s.enabled and not c.enabled]
    return [f"left out of this run: {', '.join(ids)} (no feeds, sitemaps or list_urls in the sources file)"] if ids \
        else []


def _warn_of_example_user_agent(user_agent: str, no_fetch: bool) -> None:
    if user_agent == EXAMPLE_UA and not no_fetch:
        logging.getLogger("newspipe").warning(
            "the user agent is newspipe.toml.example's (contact: desk@example.org, which reaches no one): put your "
            "newsroom and a contact in fetch.user_agent (or --user-agent)")


def _given_up_note(given_up: dict[str, int], names: dict[str, str]) -> list[str]:
    """The summary's note of the articles a stage gave up on, in this run or before: a fault fixed since (a
    translator's wrong URL) leaves them given up, and a plain run said nothing of them."""
    if not given_up:
        return []
    n = sum(given_up.values())
    return [f"{n} article{'s' * (n != 1)} given up after {MAX_STAGE_ATTEMPTS} attempts (" + ", ".join(
        f"{names[stage]} {k}" for stage, k in given_up.items()) + "): 'newspipe run --retry-failed' tries them again"]


@click.command()
@click.option("--limit", type=flag_type("limit"), help="At most N articles per stage in this run.")
@click.option("--no-crawl", is_flag=True, help="Do not fetch: process pages already stored (e.g. by ingest).")
@click.option("--translator", type=TRANSLATOR, metavar="NAME", help=_translator_help())
@click.option("--translator-url", type=SERVER_URL, metavar="URL", help="Server URL for the libre backend (LibreTranslate); refused with any other.")
@click.option("--no-translate", is_flag=True, help="Skip translation; articles stay pending for a later run.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only these sources (repeatable).")
@click.option("--delay", type=flag_type("delay"), help="Seconds between requests to one host (default 1).")
@click.option("--user-agent", metavar="UA", help="User-Agent header for every request.")
@click.option("--concurrency", type=flag_type("concurrency"), help="Requests in flight across all hosts.")
@click.option("--timeout", type=flag_type("timeout"), help="Read timeout per request, seconds.")
@click.option("--retranslate", is_flag=True,
              help="Only translate again the selected articles (--source, --since, --until; --limit N: the "
                   "first N stored) with --translator (else the settings file's, else google), asking the "
                   "backend afresh; earlier versions stay in the history.")
@click.option("--since", type=DATE, metavar="DATE", help="With --retranslate: articles published on or after DATE.")
@click.option("--until", type=DATE, metavar="DATE", help="With --retranslate: articles published on or before DATE.")
@click.option("--refresh", "refresh_days", type=click.IntRange(min=1), metavar="DAYS",
              help="Also fetch again, conditionally, the articles published in the last DAYS days; a changed "
                   "text is stored as a correction (the earlier one kept, see 'show'), analysed and translated; "
                   "a page answering 404/410 marks its article gone (kept; asked again once a week).")
@click.option("--retry-failed", is_flag=True,
              help="Articles a stage gave up on after three failed attempts ('given up after 3 attempts': an "
                   "error, a translation failing QA) get three more, from this run on (--source: only theirs).")
@click.option("--progress/--no-progress", default=None, help="Live progress display (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def run(ctx, limit, no_crawl, translator, translator_url, no_translate, source_ids, delay, user_agent,
        concurrency, timeout, retranslate, since, until, refresh_days, retry_failed, progress, as_json):
    """Run the nightly job: discover → fetch → clean → analyse → translate → store.

    Resumable: a killed run loses nothing; the next run does only what is pending.
    A failure on one article is stored with its reason and tried again on the next runs (3 attempts in all).

    \b
    Exit codes:
      0  the run completed (per-article failures, a source that could not be read -- named in the
         summary -- and an unreachable translator included)
      1  it could not run (bad config or --db, …)
      2  the command line is wrong (unknown option, value out of range)
      3  it completed, but no source could be reached (or read: robots.txt refused) or every article
         fetch failed
      75  another run (or reindex, ingest, any process locking <db>.lock) holds the archive: nothing was
          done; try again later
      130  it was interrupted (Ctrl-C): what was committed stays; the next run goes on
      143  it was stopped by SIGTERM: the same
    'newspipe stats' shows the last run's outcome and its failures by reason.
    """
    from nlp.analyse import Analyser, check_settings
    from scrapers.fetch import FetchSettings
    from translate.backends import make_backend, translation_off

    from ..progress import Reporter
    from .context import check_backend, translator_url as translator_url_for
    from ..run import STAGE_NAMES, Pipeline, RunOptions

    cfg = context.config(ctx)
    sources = context.sources(ctx)
    _check_options(source_ids, {s.id: s for s in sources}, since, until, retranslate, no_translate, no_crawl,
                   refresh_days)
    crawled = _check_crawlable(sources, source_ids, no_crawl, retranslate)
    left_out, sources = _left_out_note(sources, crawled), crawled
    settings = FetchSettings(user_agent=user_agent or cfg.user_agent,
                             delay=cfg.delay if delay is None else delay,
                             concurrency=concurrency or cfg.concurrency, per_host=cfg.per_host,
                             read_timeout=timeout or cfg.timeout, total_timeout=cfg.total_timeout,
                             retries=cfg.retries, max_bytes=cfg.max_bytes, obey_robots=cfg.obey_robots,
                             max_crawl_delay=cfg.max_crawl_delay)
    _warn_of_example_user_agent(settings.user_agent, no_crawl or retranslate)
    name = translator or cfg.translator
    url = translator_url_for(name, translator_url, cfg)    # a URL given to a translator that takes none: refused
    if translation_off(name):               # --translator none is --no-translate
        if retranslate:
            raise click.UsageError("--retranslate needs a translator: --translator none translates nothing")
        no_translate = True
    if not no_translate:
        check_backend(name, url, cfg.translator_timeout)          # fail early on a bad name or key
    check_settings(cfg.nlp_model, cfg.userdict, cfg.nlp_workers)
    kind = archive_kind(context.db_path(ctx))   # a file that is not an archive is refused before the lock is made
    where = (f"{'new archive at' if kind != 'archive' else 'archive'} {os.path.abspath(context.db_path(ctx))}; "
             + (f"settings {cfg.path.resolve()}" if cfg.path else "no settings file"))
    with context.run_lock(ctx):
        archive = context.open_archive(ctx)   # refused as it is (a newer version's): nothing stopped, nothing resumes
        if retry_failed:                      # said in the run's first log line
            again = archive.retry_failed(source_ids)
            where += "; retry-failed: " + ", ".join(f"{n} {STAGE_NAMES[s]}" for s, n in again.items()) + \
                " get three more attempts"
        try:
            pipe = Pipeline(archive, sources, settings,
                            analyser=Analyser(cfg.nlp_workers, cfg.nlp_model, cfg.userdict),
                            backend_factory=lambda: make_backend(name, url, timeout=cfg.translator_timeout),
                            reporter=Reporter(live=progress))
            summary = pipe.run(RunOptions(limit=limit or cfg.limit, crawl=not no_crawl, translate=not no_translate,
                                          source_ids=tuple(source_ids), retranslate=retranslate, since=since,
                                          until=until, translate_concurrency=cfg.translator_concurrency,
                                          translate_batch=cfg.translator_batch, refresh_days=refresh_days,
                                          stories_threshold=cfg.stories_threshold, stories_days=cfg.stories_days,
                                          where=where, retried=again if retry_failed else {}))
        except ArchiveError as exc:    # e.g. the disk filled up: what is committed stays, the next run resumes
            raise ArchiveError(f"{exc}; the run stopped, the next run resumes") from None
        summary.notes += _given_up_note(archive.given_up(), STAGE_NAMES) + left_out
    print_summary(summary, as_json)
    if summary.exit_code:
        click.echo(f"newspipe: {summary.outcome} (exit code {summary.exit_code})", err=True)
    ctx.exit(summary.exit_code)


def print_summary(summary, as_json: bool):
    if as_json:
        click.echo(json.dumps({**summary.as_dict(), "errors": [e.as_dict() for e in summary.errors]},
                              ensure_ascii=False, indent=1))
        return
    c = summary.counts
    click.echo(f"run {summary.run_id} completed in {summary.seconds:.1f} s")
    click.echo(f"  new {c.get('new', 0)}  fetched {c.get('fetched', 0)}  cleaned {c.get('cleaned', 0)}  "
               f"analysed {c.get('analysed', 0)}  translated {c.get('translated', 0)}  "
               f"duplicates {c.get('duplicates', 0)}")
    if c.get("requests"):
        click.echo(f"  requests {c['requests']}  conditional {c.get('conditional', 0)}  "
                   f"not modified (304) {c.get('not_modified', 0)}"
                   + (f"  refreshed {c.get('refreshed', 0)}  corrected {c.get('corrected', 0)}"
                      + (f"  gone {c['gone']}" if c.get("gone") else "") if c.get("refreshed") else ""))
    p = summary.pending
    click.echo(f"  pending: clean {p.get('clean', 0)}, analyse {p.get('nlp', 0)}, "
               f"translate {p.get('translate', 0)}")
    click.echo(f"  failed {len(summary.errors)}")
    print_failures(failure_counts(summary.errors))
    print_unread_sources(summary.errors)
    for note in summary.notes:
        click.echo(f"  note: {note}")


@click.command()
@click.pass_context
def reindex(ctx):
    """Rebuild the search indexes (Korean and English) from the stored text, then give back the space an
    upgrade or deletions left free (VACUUM, when over a tenth of the file)."""
    require_archive(context.db_path(ctx, reading=True))  # never creates an archive (nor its directory) where there was none
    with context.run_lock(ctx):
        archive = context.open_archive(ctx)
        n = archive.rebuild_indexes()
        freed = archive.reclaim_space()
    click.echo(f"reindexed {n} articles" + (f"; {freed / 1e6:,.1f} MB given back" if freed else ""))
