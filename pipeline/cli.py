"""The newspipe command line. Every user error ends in one line on stderr and a non-zero exit."""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from db.archive import Archive, ArchiveError, iso, now_kst
from scrapers.sources import ConfigError, load_sources

DEFAULT_DB = "data/newspipe.db"


class Fail(click.ClickException):
    """One clear line: 'newspipe: error: …'."""

    def show(self, file=None):
        click.echo(f"newspipe: error: {self.format_message()}", err=True)


def _db_path(ctx) -> str:
    return ctx.obj["db"] or os.environ.get("NEWSPIPE_DB") or DEFAULT_DB


def _open(ctx, readonly: bool = False) -> Archive:
    try:
        return Archive(_db_path(ctx), readonly=readonly)
    except ArchiveError as exc:
        raise Fail(str(exc)) from None


def _sources(ctx):
    try:
        return load_sources(ctx.obj["sources"])
    except ConfigError as exc:
        raise Fail(str(exc)) from None


def _config(ctx):
    from .config import load_config
    try:
        return load_config(ctx.obj["config"])
    except ConfigError as exc:
        raise Fail(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db", metavar="PATH", help=f"Archive database (default: $NEWSPIPE_DB, else {DEFAULT_DB}).")
@click.option("--sources", "sources", metavar="PATH", help="Sources file (default: the shipped sources.toml).")
@click.option("--config", "config", metavar="PATH",
              help="Settings file (default: $NEWSPIPE_CONFIG, else ./newspipe.toml if present).")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
@click.version_option("0.1.0", prog_name="newspipe")
@click.pass_context
def cli(ctx, db, sources, config, verbose):
    """newspipe: Korean regional news → clean text, Kiwi analysis, English, side by side in SQLite."""
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, sources=sources, config=config)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpcore", "urllib3", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# ------------------------------------------------------------------------------------- run
def _translator_help():
    from translate.backends import BACKENDS, TRANSLATOR_ENV
    keys = ", ".join(f"{k}: ${v}" for k, v in TRANSLATOR_ENV.items())
    return f"Translation backend: {', '.join(BACKENDS)} (default google). Keys from the environment ({keys})."


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), help="At most N articles per stage in this run.")
@click.option("--no-crawl", is_flag=True, help="Do not fetch: process pages already stored (e.g. by ingest).")
@click.option("--translator", metavar="NAME", help=_translator_help())
@click.option("--translator-url", metavar="URL", help="Server URL for the libre backend (LibreTranslate).")
@click.option("--no-translate", is_flag=True, help="Skip translation; articles stay pending for a later run.")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only these sources (repeatable).")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to one host (default 1).")
@click.option("--user-agent", metavar="UA", help="User-Agent header for every request.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Requests in flight across all hosts.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Read timeout per request, seconds.")
@click.option("--retranslate", is_flag=True,
              help="Only translate again the selected articles (--source, --since, --until, --limit) with "
                   "--translator, asking the backend afresh; earlier versions stay in the history.")
@click.option("--since", metavar="DATE", help="With --retranslate: articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="With --retranslate: articles published on or before DATE.")
@click.option("--progress/--no-progress", default=None, help="Live progress display (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def run(ctx, limit, no_crawl, translator, translator_url, no_translate, source_ids, delay, user_agent,
        concurrency, timeout, retranslate, since, until, progress, as_json):
    """Run the nightly job: discover → fetch → clean → analyse → translate → store.

    Resumable: a killed run loses nothing; the next run does only what is pending.
    Exits 0 when the run completed (even with per-article failures), 1 when it could not run.
    """
    from scrapers.fetch import FetchSettings
    from translate.backends import ConfigurationError, make_backend

    from .lock import LockHeld, RunLock
    from .run import Pipeline, Reporter, RunOptions

    cfg = _config(ctx)
    sources = _sources(ctx)
    known = {s.id for s in sources}
    for sid in source_ids:
        if sid not in known:
            raise Fail(f"unknown source {sid!r} (see 'newspipe sources list')")
    settings = FetchSettings(user_agent=user_agent or cfg.user_agent,
                             delay=cfg.delay if delay is None else delay,
                             concurrency=concurrency or cfg.concurrency, per_host=cfg.per_host,
                             read_timeout=timeout or cfg.timeout, retries=cfg.retries, max_bytes=cfg.max_bytes,
                             obey_robots=cfg.obey_robots)
    for label, value in (("--since", since), ("--until", until)):
        if value and not _is_date(value):
            raise Fail(f"{label} wants a date like 2025-05-27, not {value!r}")
    if (since or until) and not retranslate:
        raise Fail("--since and --until select articles for --retranslate")
    if retranslate and no_translate:
        raise Fail("--retranslate and --no-translate contradict each other")
    name = translator or cfg.translator
    url = translator_url or cfg.translator_url
    if not no_translate:
        try:
            make_backend(name, url, timeout=cfg.translator_timeout)   # fail early on a bad name or key
        except ConfigurationError as exc:
            raise Fail(str(exc)) from None
    from nlp.analyze import UserDictError, check_settings
    try:
        check_settings(cfg.nlp_model, cfg.userdict, cfg.nlp_workers)
    except UserDictError as exc:
        raise Fail(str(exc)) from None
    lock = RunLock(_db_path(ctx))
    try:
        lock.acquire()
    except LockHeld as exc:
        raise Fail(str(exc)) from None
    except OSError as exc:
        raise Fail(f"cannot create the lock file {lock.path}: {exc.strerror}") from None
    try:
        archive = _open(ctx)
        from nlp.analyze import Analyzer
        pipe = Pipeline(archive, sources, settings,
                        analyzer=Analyzer(cfg.nlp_workers, cfg.nlp_model, cfg.userdict),
                        backend_factory=lambda: make_backend(name, url, timeout=cfg.translator_timeout),
                        reporter=Reporter(live=progress))
        summary = pipe.run(RunOptions(limit=limit or cfg.limit, crawl=not no_crawl, translate=not no_translate,
                                      source_ids=tuple(source_ids), retranslate=retranslate, since=since,
                                      until=until, translate_concurrency=cfg.translator_concurrency,
                                      translate_batch=cfg.translator_batch))
    finally:
        lock.release()
    _print_summary(summary, as_json)


def _print_summary(summary, as_json: bool):
    if as_json:
        click.echo(json.dumps({**summary.as_dict(), "errors": summary.errors}, ensure_ascii=False, indent=1))
        return
    c = summary.counts
    click.echo(f"run {summary.run_id} completed in {summary.seconds:.1f} s")
    click.echo(f"  new {c.get('new', 0)}  fetched {c.get('fetched', 0)}  cleaned {c.get('cleaned', 0)}  "
               f"analysed {c.get('analysed', 0)}  translated {c.get('translated', 0)}  "
               f"duplicates {c.get('duplicates', 0)}")
    p = summary.pending
    click.echo(f"  pending: clean {p.get('clean', 0)}, analyse {p.get('nlp', 0)}, "
               f"translate {p.get('translate', 0)}")
    click.echo(f"  failed {len(summary.errors)}")
    reasons: dict[str, int] = {}
    for e in summary.errors:
        key = f"{e['stage']}: {e['reason']}"
        reasons[key] = reasons.get(key, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:15]:
        click.echo(f"    {n} × {reason}")
    for note in summary.notes:
        click.echo(f"  note: {note}")


# ---------------------------------------------------------------------------------- ingest
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--source", "source_id", metavar="ID", help="Source the pages belong to.")
@click.option("--url", metavar="URL", help="The page's URL (only with one file).")
@click.option("--format", "fmt", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="What the files hold: saved pages, or a page's text as a browser copies it.")
@click.pass_context
def ingest(ctx, files, source_id, url, fmt):
    """Store saved pages (HTML, or page text with --format text) as fetched pages; 'newspipe run --no-crawl'
    then processes them."""
    from scrapers.clean import TEXT_TYPE
    from scrapers.types import FetchedPage

    from .ingest import page_url
    if url and len(files) > 1:
        raise Fail("--url works with one file only")
    if source_id and source_id not in {s.id for s in _sources(ctx)}:
        raise Fail(f"unknown source {source_id!r} (see 'newspipe sources list')")
    archive = _open(ctx)
    if source_id:
        archive.sync_sources([s for s in _sources(ctx) if s.id == source_id])
    new = 0
    for f in files:
        try:
            data = Path(f).read_bytes()
        except OSError as exc:
            raise Fail(f"{f}: {exc.strerror}") from None
        target = url or (page_url(data, Path(f)) if fmt == "html" else Path(f).resolve().as_uri())
        ctype = "text/html" if fmt == "html" else f"{TEXT_TYPE}; charset=utf-8"
        page = FetchedPage(url=target, final_url=target, status=200, fetched_at=iso(now_kst()), body=data,
                           content_type=ctype, source_id=source_id, origin="ingest")
        if archive.store_page(page) is not None:
            new += 1
        click.echo(f"{f} → {target}")
    click.echo(f"ingested {len(files)} files, {new} new or changed pages")


# ----------------------------------------------------------------------------------- clean
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["html", "text"]), default="html", show_default=True,
              help="What the files hold: a saved page, or the page's text as a browser copies it.")
@click.option("--url", metavar="URL", help="The page's URL (picks the extraction profile).")
@click.option("--profile", default="auto", show_default=True, help="Extraction profile (ndsoft, newswave, mk, …).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
def clean(files, fmt, url, profile, as_json):
    """Clean saved pages offline and print the article (title, body, metadata, removals)."""
    from scrapers.clean import clean_html, clean_text
    from scrapers.profiles import profile_names
    if profile not in profile_names():
        raise Fail(f"unknown profile {profile!r} (known: {', '.join(profile_names())})")
    for f in files:
        try:
            data = sys.stdin.buffer.read() if f == "-" else Path(f).read_bytes()
        except OSError as exc:
            raise Fail(f"{f}: {exc.strerror}") from None
        if fmt == "text":
            from scrapers.decode import decode_html
            art = clean_text(decode_html(data)[0], url or "")
        else:
            art = clean_html(data, url or "", profile=profile)
        if as_json:
            click.echo(json.dumps(art.to_json(), ensure_ascii=False))
            continue
        click.echo(f"# {art.title}")
        if art.subtitle:
            click.echo(f"## {art.subtitle}")
        click.echo(f"authors: {', '.join(art.authors)}  published: {art.published_at}  updated: {art.updated_at}")
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
@click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD, KST).")
@click.option("--until", metavar="DATE", help="Published before the end of (YYYY-MM-DD, KST).")
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
    for label, value in (("--since", since), ("--until", until)):
        if value and not _is_date(value):
            raise Fail(f"{label} wants a date like 2025-05-27, not {value!r}")
    archive = _open(ctx, readonly=True)
    args = dict(since=since, until=until, source=sources, limit=limit, region=region, translated=translated,
                offset=(page - 1) * limit, sort=sort)
    try:
        if as_json:
            for h in do_search(archive, query, lang, **args):
                click.echo(json.dumps(h.__dict__, ensure_ascii=False))
            return
        res = search_page(archive, query, lang, **args)
    except QueryError as exc:
        raise Fail(str(exc)) from None
    except sqlite3.OperationalError as exc:
        raise Fail(f"cannot run the query {query!r}: {exc}") from None
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
    from nlp.analyze import surface_forms
    from .lock import LockHeld, RunLock
    lock = RunLock(_db_path(ctx))
    try:
        lock.acquire()
    except LockHeld as exc:
        raise Fail(str(exc)) from None
    try:
        archive = _open(ctx)
        n = archive.rebuild_indexes(surface_forms)
    finally:
        lock.release()
    click.echo(f"reindexed {n} articles")


def _is_date(value: str) -> bool:
    from datetime import date
    try:
        date.fromisoformat(value[:10])
        return True
    except ValueError:
        return False


# ------------------------------------------------------------------------------------ show
@cli.command()
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, article_id, as_json):
    """Show one article: Korean and English side by side, sentence by sentence."""
    archive = _open(ctx, readonly=True)
    art = archive.article(article_id)
    if art is None:
        raise Fail(f"no article with id {article_id}")
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
            f"{', '.join(art['authors']) or 'no byline'} · published {art['published_at'] or '?'}"
            + (f" · updated {art['updated_at']}" if art["updated_at"] else "")
            + f"\nclean {art['clean_status']} · analyse {art['nlp_status']} · translate {art['translate_status']}"
            + provenance)
    console.print(Text(meta, style=dim))       # Text, never markup: [전주=홍길동 기자] is text, not a style
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column("#", justify="right", width=5)
    table.add_column("한국어", ratio=1)
    table.add_column("English", ratio=1)

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


# ---------------------------------------------------------------------------------- export
@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv", "tmx", "moses"]), required=True)
@click.option("--level", type=click.Choice(["sentence", "paragraph", "article"]), default="sentence",
              show_default=True)
@click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (the whole day).")
@click.option("--source", metavar="ID", help="Only this source.")
@click.option("--provenance", type=click.Choice(["publisher", "machine"]),
              help="Only the publisher's own translations (article level) or only machine ones.")
@click.option("--min-chars", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip pairs whose Korean is shorter than N characters.")
@click.option("--dedupe", is_flag=True, help="Drop repeated identical pairs.")
@click.option("--all", "include_all", is_flag=True,
              help="Include untranslated articles with an empty English side (article level).")
@click.option("-o", "--output", required=True, metavar="PATH", help="Output file ('-' for stdout; a prefix for moses).")
@click.pass_context
def export(ctx, fmt, level, since, until, source, provenance, min_chars, dedupe, include_all, output):
    """Export the aligned ko/en pairs for translators and MT training."""
    from db.export import ExportError
    from db.export import export as do_export
    for label, value in (("--since", since), ("--until", until)):
        if value and not _is_date(value):
            raise Fail(f"{label} wants a date like 2025-05-27, not {value!r}")
    archive = _open(ctx, readonly=True)
    try:
        n = do_export(archive, fmt, output, level, since=since, until=until, source=source,
                      include_all=include_all, provenance=provenance, min_chars=min_chars, dedupe=dedupe)
    except ExportError as exc:
        raise Fail(str(exc)) from None
    except BrokenPipeError:           # `newspipe export -o - | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    except OSError as exc:
        raise Fail(f"cannot write {output}: {exc.strerror}") from None
    if output != "-":
        click.echo(f"exported {n} {level} pairs to {output}", err=True)


# ----------------------------------------------------------------------------------- stats
@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx, as_json):
    """Counts per source and per stage status."""
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
    if not Path(path).exists():
        raise Fail(f"no archive at {path} (run 'newspipe run' or 'newspipe demo' first)")
    do_serve(path, host, port)


# ------------------------------------------------------------------------------------ demo
@cli.command()
@click.option("--db", "demo_db", default="data/demo.db", show_default=True, metavar="PATH",
              help="The demo's own database (your archive is not touched).")
@click.option("--translator", default="google", show_default=True, metavar="NAME")
@click.option("--translator-url", metavar="URL")
@click.pass_context
def demo(ctx, demo_db, translator, translator_url):
    """Offline demo: serve real news pages on 127.0.0.1, run the whole pipeline, show the result."""
    from .demo import run_demo
    try:
        run_demo(demo_db, translator, translator_url)
    except (ArchiveError, ConfigError) as exc:
        raise Fail(str(exc)) from None


# --------------------------------------------------------------------------------- sources
@cli.group()
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
            raise Fail(f"unknown source {source_id!r}")
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
