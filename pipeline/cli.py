"""The newspipe command line. Every user error ends in one line on stderr and a non-zero exit.

A ``UserError`` raised anywhere below a command (a bad path, setting, query, a lock held) is caught in one
place, ``_Group.invoke``, and printed as ``newspipe: error: …`` with exit code 1; a mistake on the command
line itself (an unknown option, a value out of range) is printed the same way, with click's exit code 2.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from common.kst import KST, iso, now_kst
from db.archive import Archive, ArchiveError, archive_kind, failure_counts, require_archive
from scrapers.errors import UserError
from scrapers.sources import load_sources

from .config import flag_type

DEFAULT_DB = "data/newspipe.db"
MAX_ID = 2 ** 63 - 1            # SQLite's largest integer


class _OneLine(click.ClickException):
    """Printed as one line, 'newspipe: error: …'."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"newspipe: error: {self.format_message()}", err=True)


def _one_line_usage(exc: click.UsageError) -> _OneLine:
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    return _OneLine(exc.format_message().replace("\n", " ") + where, exc.exit_code)


# `newspipe` alone prints the help (click raises this UsageError for it): left to click.
_HELP_ERRORS = tuple(filter(None, [getattr(click.exceptions, "NoArgsIsHelpError", None)]))


class _Group(click.Group):
    """The one place where errors a user can fix become one line: UserError (exit 1), usage errors (exit 2)."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise _OneLine(str(exc)) from None
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None


class _Date(click.ParamType):
    """YYYY-MM-DD (a whole day), or an ISO time (KST unless it says otherwise); nothing else."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                self.fail(f"wants a date like 2025-05-27 (or 2025-05-27T09:00), not {value!r}", param, ctx)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=KST)
            return iso(moment)
        return value


DATE = _Date()


def _db_path(ctx) -> str:
    return ctx.obj["db"] or os.environ.get("NEWSPIPE_DB") or DEFAULT_DB


def _open(ctx, readonly: bool = False) -> Archive:
    return Archive(_db_path(ctx), readonly=readonly)


def _sources(ctx):
    return load_sources(ctx.obj["sources"])


def _config(ctx):
    from .config import load_config
    return load_config(ctx.obj["config"])


def _known_source(archive: Archive, source: str | None) -> None:
    """Refuse a --source the archive has never heard of (instead of finding nothing, silently)."""
    if source is None:
        return
    known = archive.source_ids()
    if source not in known:
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "") if known else "none yet"
        raise UserError(f"unknown source {source!r}: this archive has {listed} "
                        "('newspipe sources list' shows the configured ones)")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db", metavar="PATH",
              help=f"Archive database: a newspipe archive, or a new or empty file (default: $NEWSPIPE_DB, else "
                   f"{DEFAULT_DB}). Anything else is refused and left as it is.")
@click.option("--sources", "sources", metavar="PATH", envvar="NEWSPIPE_SOURCES",
              help="Sources file (default: $NEWSPIPE_SOURCES, else the shipped sources.toml).")
@click.option("--config", "config", metavar="PATH",
              help="Settings file (default: $NEWSPIPE_CONFIG, else ./newspipe.toml if present).")
@click.option("-v", "--verbose", is_flag=True,
              help="Log every step: a line per article per stage (id, URL, outcome, ms).")
@click.version_option("0.1.0", prog_name="newspipe")
@click.pass_context
def cli(ctx, db, sources, config, verbose):
    """newspipe: Korean regional news → clean text, Kiwi analysis, English, side by side in SQLite."""
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, sources=sources, config=config)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, force=True,   # this call's stderr
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpcore", "urllib3", "asyncio", "trafilatura", "htmldate", "courlan",
                  "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# ------------------------------------------------------------------------------------- run
def _translator_help():
    from translate.backends import BACKENDS, TRANSLATOR_ENV
    keys = ", ".join(f"{k}: ${v}" for k, v in TRANSLATOR_ENV.items())
    return f"Translation backend: {', '.join(BACKENDS)} (default google). Keys from the environment ({keys})."


@cli.command()
@click.option("--limit", type=flag_type("limit"), help="At most N articles per stage in this run.")
@click.option("--no-crawl", is_flag=True, help="Do not fetch: process pages already stored (e.g. by ingest).")
@click.option("--translator", metavar="NAME", help=_translator_help())
@click.option("--translator-url", metavar="URL", help="Server URL for the libre backend (LibreTranslate).")
@click.option("--no-translate", is_flag=True, help="Skip translation; articles stay pending for a later run.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only these sources (repeatable).")
@click.option("--delay", type=flag_type("delay"), help="Seconds between requests to one host (default 1).")
@click.option("--user-agent", metavar="UA", help="User-Agent header for every request.")
@click.option("--concurrency", type=flag_type("concurrency"), help="Requests in flight across all hosts.")
@click.option("--timeout", type=flag_type("timeout"), help="Read timeout per request, seconds.")
@click.option("--retranslate", is_flag=True,
              help="Only translate again the selected articles (--source, --since, --until, --limit) with "
                   "--translator, asking the backend afresh; earlier versions stay in the history.")
@click.option("--since", type=DATE, metavar="DATE", help="With --retranslate: articles published on or after DATE.")
@click.option("--until", type=DATE, metavar="DATE", help="With --retranslate: articles published on or before DATE.")
@click.option("--refresh", "refresh_days", type=click.IntRange(min=1), metavar="DAYS",
              help="Also fetch again, conditionally, the articles published in the last DAYS days; a changed "
                   "text is stored as a correction (the earlier one kept, see 'show'), analysed and translated.")
@click.option("--progress/--no-progress", default=None, help="Live progress display (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def run(ctx, limit, no_crawl, translator, translator_url, no_translate, source_ids, delay, user_agent,
        concurrency, timeout, retranslate, since, until, refresh_days, progress, as_json):
    """Run the nightly job: discover → fetch → clean → analyse → translate → store.

    Resumable: a killed run loses nothing; the next run does only what is pending.
    A failure on one article is stored with its reason and tried again on the next runs (3 attempts in all).

    \b
    Exit codes:
      0  the run completed (per-article failures and an unreachable translator included)
      1  it could not run (bad config or --db, lock held, …)
      2  the command line is wrong (unknown option, value out of range)
      3  it completed, but no source could be reached or every article fetch failed
    'newspipe stats' shows the last run's outcome and its failures by reason.
    """
    from scrapers.fetch import FetchSettings
    from translate.backends import make_backend

    from .run import Pipeline, Reporter, RunOptions

    cfg = _config(ctx)
    sources = _sources(ctx)
    known = {s.id for s in sources}
    for sid in source_ids:
        if sid not in known:
            raise UserError(f"unknown source {sid!r} (see 'newspipe sources list')")
    settings = FetchSettings(user_agent=user_agent or cfg.user_agent,
                             delay=cfg.delay if delay is None else delay,
                             concurrency=concurrency or cfg.concurrency, per_host=cfg.per_host,
                             read_timeout=timeout or cfg.timeout, retries=cfg.retries, max_bytes=cfg.max_bytes,
                             obey_robots=cfg.obey_robots)
    if (since or until) and not retranslate:
        raise UserError("--since and --until select articles for --retranslate")
    if retranslate and no_translate:
        raise UserError("--retranslate and --no-translate contradict each other")
    if refresh_days and (no_crawl or retranslate):
        raise UserError(f"--refresh fetches pages again: it cannot go with {'--no-crawl' if no_crawl else '--retranslate'}")
    name = translator or cfg.translator
    url = translator_url or cfg.translator_url
    if not no_translate:
        make_backend(name, url, timeout=cfg.translator_timeout)   # fail early on a bad name or key
    from nlp.analyse import check_settings
    check_settings(cfg.nlp_model, cfg.userdict, cfg.nlp_workers)
    archive_kind(_db_path(ctx))        # a file that is not an archive is refused before the lock is made
    lock = _lock(ctx)
    try:
        archive = _open(ctx)
        from nlp.analyse import Analyser
        pipe = Pipeline(archive, sources, settings,
                        analyser=Analyser(cfg.nlp_workers, cfg.nlp_model, cfg.userdict),
                        backend_factory=lambda: make_backend(name, url, timeout=cfg.translator_timeout),
                        reporter=Reporter(live=progress))
        summary = pipe.run(RunOptions(limit=limit or cfg.limit, crawl=not no_crawl, translate=not no_translate,
                                      source_ids=tuple(source_ids), retranslate=retranslate, since=since,
                                      until=until, translate_concurrency=cfg.translator_concurrency,
                                      translate_batch=cfg.translator_batch, refresh_days=refresh_days))
    except ArchiveError as exc:        # e.g. the disk filled up: what is committed stays, the next run resumes
        raise ArchiveError(f"{exc}; the run stopped, the next run resumes") from None
    finally:
        lock.release()
    _print_summary(summary, as_json)
    if summary.exit_code:
        click.echo(f"newspipe: {summary.outcome} (exit code {summary.exit_code})", err=True)
    ctx.exit(summary.exit_code)


def _lock(ctx):
    """The run lock of the archive, taken (one run or reindex per archive at a time)."""
    from .lock import RunLock
    lock = RunLock(_db_path(ctx))
    try:
        return lock.acquire()
    except OSError as exc:
        raise UserError(f"cannot create the lock file {lock.path}: {exc.strerror}") from None


def _print_failures(counts: dict[str, int], most: int = 15):
    for reason, n in list(counts.items())[:most]:
        click.echo(f"    {n} × {reason}")
    if len(counts) > most:
        click.echo(f"    … and {len(counts) - most} other reasons")


def _print_summary(summary, as_json: bool):
    if as_json:
        click.echo(json.dumps({**summary.as_dict(), "errors": [e.as_dict() for e in summary.errors]}, ensure_ascii=False, indent=1))
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
                      if c.get("refreshed") else ""))
    p = summary.pending
    click.echo(f"  pending: clean {p.get('clean', 0)}, analyse {p.get('nlp', 0)}, "
               f"translate {p.get('translate', 0)}")
    click.echo(f"  failed {len(summary.errors)}")
    _print_failures(failure_counts(summary.errors))
    for note in summary.notes:
        click.echo(f"  note: {note}")


# ---------------------------------------------------------------------------------- ingest
@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="FILE|DIR...")
@click.option("--source", "source_id", metavar="ID", help="Source the pages belong to.")
@click.option("--url", metavar="URL", help="The page's URL (only with one file).")
@click.option("--format", "fmt", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="What the files hold: saved pages, or a page's text as a browser copies it.")
@click.pass_context
def ingest(ctx, paths, source_id, url, fmt):
    """Store saved pages (HTML, or page text with --format text) as fetched pages; 'newspipe run --no-crawl'
    then processes them.

    A directory stands for the .html and .htm files directly in it (.txt with --format text), not in its
    subdirectories."""
    from scrapers.clean import TEXT_TYPE
    from scrapers.types import FetchedPage

    from .ingest import page_files, page_url
    files = page_files(paths, (".html", ".htm") if fmt == "html" else (".txt",))
    if url and len(files) > 1:
        raise UserError("--url works with one file only")
    if source_id and source_id not in {s.id for s in _sources(ctx)}:
        raise UserError(f"unknown source {source_id!r} (see 'newspipe sources list')")
    archive = _open(ctx)
    if source_id:
        archive.sync_sources([s for s in _sources(ctx) if s.id == source_id])
    new = 0
    for f in files:
        data = _read(f)
        target = url or (page_url(data, Path(f)) if fmt == "html" else Path(f).resolve().as_uri())
        ctype = "text/html" if fmt == "html" else f"{TEXT_TYPE}; charset=utf-8"
        page = FetchedPage(url=target, final_url=target, status=200, fetched_at=iso(now_kst()), body=data,
                           content_type=ctype, source_id=source_id, origin="ingest")
        if archive.store_page(page) is not None:
            new += 1
        click.echo(f"{f} → {target}")
    click.echo(f"ingested {len(files)} files, {new} new or changed pages")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from None


# ----------------------------------------------------------------------------------- clean
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="What the files hold: a saved page, or the page's text as a browser copies it.")
@click.option("--url", metavar="URL", help="The page's URL (picks the extraction profile).")
@click.option("--profile", default="auto", show_default=True, help="Extraction profile (ndsoft, newswave, mk, …).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
def clean(files, fmt, url, profile, as_json):
    """Clean saved pages offline and print the article (title, body, metadata, removals).

    A file that is binary (a program, an image, a compressed file) is refused."""
    from scrapers.clean import clean_html, clean_text
    from scrapers.decode import decode_html, looks_binary
    from scrapers.profiles import profile_names
    if profile not in profile_names():
        raise UserError(f"unknown profile {profile!r} (known: {', '.join(profile_names())})")
    for f in files:
        data = sys.stdin.buffer.read() if f == "-" else _read(f)
        text = decode_html(data)[0]
        if looks_binary(text):
            raise UserError(f"{f}: binary data, not {'text' if fmt == 'text' else 'an HTML page'}")
        if fmt == "text":
            art = clean_text(text, url or "")
        else:
            art = clean_html(data, url or "", profile=profile)
        if as_json:
            click.echo(json.dumps(art.to_json(), ensure_ascii=False))
            continue
        click.echo(f"# {art.title}")
        if art.subtitle:
            click.echo(f"## {art.subtitle}")
        click.echo(f"authors: {', '.join(art.authors)}  published: {art.published_at}  updated: {art.updated_at}"
                   + (f"  dateline: {art.dateline}" if art.dateline else ""))
        click.echo("")
        for para in art.body:
            click.echo(para + "\n")
        for cap in art.captions:
            click.echo(f"[caption] {cap.text}" + (f" ({cap.credit})" if cap.credit else ""))
        if art.error:
            click.echo(f"newspipe: {f}: {art.error}", err=True)


# ---------------------------------------------------------------------------------- search
@cli.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["ko", "en", "any"]), default="any", show_default=True,
              help="Index to search; any: Korean when the query has Hangul, else English (machine and "
                   "publisher English).")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after (YYYY-MM-DD, KST).")
@click.option("--until", type=DATE, metavar="DATE", help="Published before the end of (YYYY-MM-DD, KST).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--region", metavar="NAME", help="Only sources of this region (e.g. 전북).")
@click.option("--translated/--untranslated", default=None, help="Only articles with (or without) English.")
@click.option("--sort", type=click.Choice(["relevance", "newest"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit, one per line (the fields of "
                                                       "/-/search?format=json).")
@click.pass_context
def search(ctx, query, lang, since, until, sources, region, translated, sort, limit, page, as_json):
    """Search the archive in Korean or English (전주 finds 전주시, 수상했다 finds 수상).

    QUERY: words (all must match), "a phrase", OR, NOT (전주 NOT 군산), AND, parentheses.
    Korean words are matched by their Kiwi morphemes (two syllables or more as a prefix); English with
    stemming. The web page /-/search of 'newspipe serve' answers the same."""
    import sqlite3

    from db.search import QueryError, search_page
    from db.search import search as do_search
    archive = _open(ctx, readonly=True)
    for source in sources:
        _known_source(archive, source)
    args = dict(since=since, until=until, source=sources, limit=limit, region=region, translated=translated,
                offset=(page - 1) * limit, sort=sort)
    try:
        if as_json:
            for h in do_search(archive, query, lang, **args):
                click.echo(json.dumps(h.__dict__, ensure_ascii=False))
            return
        res = search_page(archive, query, lang, **args)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    except sqlite3.OperationalError as exc:
        raise UserError(f"cannot run the query {query!r}: {exc}") from None
    if not res.hits:
        click.echo("no matches" if not res.total else f"no hits on page {page} ({res.total:,} matches)")
        return
    for h in res.hits:
        click.echo(f"{h.id:>6}  {h.date or ''}  {h.outlet or h.source_id or ''}  {h.title_ko}")
        if h.title_en:
            click.echo(f"        {h.title_en}")
        for snippet in ((h.snippet_ko, h.snippet_en) if h.lang == "ko" else (h.snippet_en, h.snippet_ko)):
            if snippet:
                click.echo(f"        {snippet}")
    first = res.offset + 1
    click.echo(f"{first:,}–{first + len(res.hits) - 1:,} of {res.total:,} matches")


# ---------------------------------------------------------------------------------- reindex
@cli.command()
@click.pass_context
def reindex(ctx):
    """Rebuild the search indexes (Korean, English, and the query word table) from the stored text."""
    from nlp.analyse import forms_of_packed
    require_archive(_db_path(ctx))     # never creates an archive (nor its directory) where there was none
    lock = _lock(ctx)
    try:
        archive = _open(ctx)
        n = archive.rebuild_indexes(forms_of_packed)
    finally:
        lock.release()
    click.echo(f"reindexed {n} articles")


# ------------------------------------------------------------------------------------ show
@cli.command()
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, article_id, as_json):
    """Show one article: Korean and English side by side, sentence by sentence (long lines wrap, never cut)."""
    archive = _open(ctx, readonly=True)
    art = archive.article(article_id) if 1 <= article_id <= MAX_ID else None
    if art is None:
        raise UserError(f"no article with id {article_id}")
    if as_json:
        click.echo(json.dumps(art, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    console = Console()
    dim = "dim"
    provenance = (f" ({art['translation_provenance']}, {art['translation_backend']}, {art['translated_at']})"
                  if art["translation_provenance"] else "")
    meta = (f"#{art['id']}  {art['url']}\n{art['outlet'] or ''} {art['section'] or ''} · "
            f"{', '.join(art['authors']) or 'no byline'}" + (f" · {art['dateline']}" if art.get("dateline") else "")
            + f" · published {art['published_at'] or '?'}"
            + (f" · updated {art['updated_at']}" if art["updated_at"] else "")
            + f"\nclean {art['clean_status']} · analyse {art['nlp_status']} · translate {art['translate_status']}"
            + provenance)
    console.print(Text(meta, style=dim))       # Text, never markup: [전주=홍길동 기자] is text, not a style
    table = Table(show_header=True, header_style="bold", expand=True)
    # fold, never ellipsis: a word wider than its column (Korean words are, at 80 columns) wraps whole
    table.add_column("#", justify="right", width=5, overflow="fold")
    table.add_column("한국어", ratio=1, overflow="fold", no_wrap=False)
    table.add_column("English", ratio=1, overflow="fold", no_wrap=False)

    def en_cell(en, error):
        return Text(en) if en else Text(f"({error})" if error else "(pending)", style=dim)
    table.add_row("title", Text(art["title_ko"] or "", style="bold"), Text(art["title_en"] or "", style="bold")
                  if art["title_en"] else en_cell(None, None))
    if art["subtitle_ko"]:
        table.add_row("sub", Text(art["subtitle_ko"]), en_cell(art["subtitle_en"], None))
    para = None
    for s in art["sentences"]:
        if para is not None and s["para"] != para:
            table.add_section()                  # a rule between paragraphs
        para = s["para"]
        table.add_row(str(s["idx"]), Text(s["ko"]), en_cell(s["en"], s["en_error"]))
    if not art["sentences"] and art["body_ko"]:
        table.add_row("", Text(art["body_ko"]), en_cell(art["body_en"], None))
    console.print(table)
    for c in art["captions"]:
        console.print(Text(f"photo: {c['text']}" + (f" ({c['credit']})" if c.get("credit") else ""), style=dim))
    for t in art["translations"]:
        if t["provenance"] == "publisher":
            console.print(Text(f"publisher's own English: {t['title_en'] or ''}", style="italic"))
            console.print(Text(t["body_en"] or ""))
    if len(art["translations"]) > 1:
        console.print(Text("translation history: " + "; ".join(
            f"{t['provenance']} {t['backend']} {t['created_at']}" for t in art["translations"]), style=dim))
    for line in _corrections(art):
        console.print(Text(line, style="bold" if line.startswith("correction") else ""))


def _corrections(art: dict) -> list[str]:
    """The article's earlier texts, each as the lines the next text removed (-) and added (+)."""
    import difflib
    texts = [*art["versions"], art]
    out = []
    for old, new in zip(texts, texts[1:]):
        out.append(f"correction: version {old['version']} (cleaned {old['cleaned_at']}) replaced "
                   f"{old['replaced_at']}")
        a = [old["title_ko"] or "", old["subtitle_ko"] or "", *(old["body_ko"] or "").split("\n")]
        b = [new["title_ko"] or "", new["subtitle_ko"] or "", *(new["body_ko"] or "").split("\n")]
        out += [ln for ln in difflib.unified_diff(a, b, lineterm="", n=0)
                if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    return out


# ---------------------------------------------------------------------------------- export
@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv", "tmx", "moses"]), required=True)
@click.option("--level", type=click.Choice(["sentence", "paragraph", "article"]), default="sentence",
              show_default=True)
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE (the whole day).")
@click.option("--source", metavar="ID", help="Only this source.")
@click.option("--provenance", type=click.Choice(["publisher", "machine"]),
              help="Only the publisher's own translations (article level) or only machine ones.")
@click.option("--min-chars", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip pairs whose Korean is shorter than N characters.")
@click.option("--dedupe", is_flag=True, help="Drop repeated identical pairs.")
@click.option("--all", "include_all", is_flag=True,
              help="Include untranslated articles with an empty English side (article level).")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="Output file ('-' for stdout; a prefix for moses). A regular file is replaced only once complete; "
                   "a FIFO, a device or /dev/stdout is written directly; its directory must exist.")
@click.pass_context
def export(ctx, fmt, level, since, until, source, provenance, min_chars, dedupe, include_all, output):
    """Export the aligned ko/en pairs for translators and MT training."""
    from db.export import export as do_export
    archive = _open(ctx, readonly=True)
    _known_source(archive, source)
    try:
        n = do_export(archive, fmt, output, level, since=since, until=until, source=source,
                      include_all=include_all, provenance=provenance, min_chars=min_chars, dedupe=dedupe)
    except BrokenPipeError:           # `newspipe export -o - | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    except OSError as exc:            # a full disk, a file size limit, a device that refuses: nothing replaced
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    if output != "-":
        click.echo(f"exported {n} {level} pairs to {output}", err=True)


# ----------------------------------------------------------------------------------- stats
@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx, as_json):
    """Counts per source and per stage status, and how the last run ended (exit code, failures by reason)."""
    archive = _open(ctx, readonly=True)
    st = archive.stats()
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=1))
        return
    click.echo(f"{st['articles']} articles, {st['sentences']} sentences ({st['sentences_translated']} translated), "
               f"{st['pages']} fetches")
    for stage, by in st["stages"].items():
        click.echo(f"  {stage:<10} " + "  ".join(f"{k} {v}" for k, v in by.items()))
    for sid, row in st["sources"].items():
        click.echo(f"  {sid:<24} articles {row['articles']:>5}  cleaned {row['cleaned']:>5}  "
                   f"analysed {row['analysed']:>5}  translated {row['translated']:>5}")
    last = st["last_run"]
    if last is None:
        click.echo("no run yet")
        return
    code = "" if last["exit_code"] is None else f", exit code {last['exit_code']}"
    click.echo(f"last run {last['id']}: {last['status']}{code}"
               + (f": {last['outcome']}" if last["outcome"] and last["outcome"] != "completed" else "")
               + f" ({last['started_at']} → {last['ended_at'] or '?'})")
    failures = last["failures"]
    click.echo(f"  failures {sum(failures.values())}")
    _print_failures(failures)


# ----------------------------------------------------------------------------------- serve
@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_context
def serve(ctx, port, host):
    """Browse the archive with Datasette: read-only, on 127.0.0.1 unless --host says otherwise.

    The search page /-/search answers as 'newspipe search' does (filters, pages, a trend chart, JSON, CSV and
    JSONL downloads); an article page /-/article/ID with Korean and English side by side; canned queries
    (latest, per source, by keyword, per day). Whole-table downloads are off."""
    from .serve import serve as do_serve
    path = _db_path(ctx)
    _open(ctx, readonly=True).close()      # an archive of this version, or one line saying why not
    do_serve(path, host, port)


# ------------------------------------------------------------------------------------ demo
@cli.command()
@click.option("--db", "demo_db", default="data/demo.db", show_default=True, metavar="PATH",
              help="The demo's own database (your archive is not touched).")
@click.option("--translator", default="google", show_default=True, metavar="NAME")
@click.option("--translator-url", metavar="URL")
@click.pass_context
def demo(ctx, demo_db, translator, translator_url):
    """Offline demo: serve a news site written for the demo on 127.0.0.1, run the whole pipeline, show the result."""
    from translate.backends import make_backend

    from .demo import run_demo
    make_backend(translator, translator_url, timeout=10)     # a bad name or key: exit 1, as 'run' does
    run_demo(demo_db, translator, translator_url)


# --------------------------------------------------------------------------------- sources
@cli.group(cls=_Group)
def sources():
    """List and check the configured sources."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources_list(ctx, as_json):
    """List the configured sources."""
    items = _sources(ctx)
    if as_json:
        from dataclasses import asdict
        for s in items:
            click.echo(json.dumps(asdict(s), ensure_ascii=False))
        return
    for s in items:
        flag = "" if s.enabled else " (disabled)"
        click.echo(f"{s.id:<22} {s.region:<6} {s.name}{flag}  profile={s.profile}  feeds={len(s.feeds)} "
                   f"lists={len(s.list_urls)} sitemaps={len(s.sitemaps)}")


@sources.command("check")
@click.argument("source_id", required=False)
@click.pass_context
def sources_check(ctx, source_id):
    """Check reachability, robots.txt, feeds, sitemaps and listings of one source or all.

    For each feed, sitemap and first listing page it counts the links that match the source's
    article_pattern (zero: the URL scheme no longer fits). Exits 1 when a source fails;
    offline it says so."""
    from .check import check_sources
    items = _sources(ctx)
    if source_id:
        items = [s for s in items if s.id == source_id]
        if not items:
            raise UserError(f"unknown source {source_id!r} (see 'newspipe sources list')")
    cfg = _config(ctx)
    ok = check_sources(items, cfg.user_agent, click.echo)
    sys.exit(0 if ok else 1)


def main():
    try:
        cli(prog_name="newspipe")
    except KeyboardInterrupt:
        click.echo("newspipe: interrupted; the next run resumes where this one stopped", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
