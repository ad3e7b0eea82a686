"""The commands that read the archive: search, show, stats, export."""
from __future__ import annotations

import json

import click

from scrapers.errors import UserError

from . import context
from .errors import quiet_stdout
from .params import DATE, MAX_ID
from .render import print_article, print_hits, print_stats, publisher_of, settle_running, undated_note


@click.command()
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@click.option("--lang", type=click.Choice(["ko", "en", "any"]), default="any", show_default=True,
              help="Index to search; any: Korean when the query has Hangul, else English (machine and "
                   "publisher English), or Korean when no English holds it (KTX, 119 in untranslated articles).")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE: YYYY-MM-DD (KST) or an ISO time (2025-05-27T09:00).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE: a whole day, or up to and including an ISO time (to the minute: 2025-05-27T09:00 takes in 09:00:59).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--region", metavar="NAME", help="Only sources of this region (e.g. 전북).")
@click.option("--translated/--untranslated", default=None, help="Only articles with (or without) English.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Only articles this reporter wrote (repeatable, or names separated by commas: any of them): "
                   "the name as the byline prints it, whole (홍길동; '홍길동 기자' and '홍 길 동' are the same, 홍길 "
                   "is not).")
@click.option("--sort", type=click.Choice(["relevance", "newest"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1, 1_000_000), default=1, show_default=True)
@click.option("--all-copies", is_flag=True, help="Every matching article; by default one hit per story (its "
                                                 "earliest article) names the other outlets that ran it.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit, one per line (the fields of "
                                                       "/-/search?format=json, with story_id and story_size).")
@click.pass_context
def search(ctx, words, lang, since, until, sources, region, translated, authors, sort, limit, page, all_copies,
           as_json):
    """Search the archive in Korean or English (전주 finds 전주시, 수상했다 finds 수상).

    QUERY: words (all must match), "a phrase", OR, NOT (전주 NOT 군산), AND, parentheses (or, and in lower
    case between two words are OR, AND: quote one to search it, '"or"'); given as one argument in quotes or
    as several ('search 전주 NOT 군산' is the same query). Words joined by …, ·, a comma or a slash are
    separate words (a pasted headline finds its article). No * prefix search: a word of two syllables or more
    already matches as a prefix.
    Korean words are matched by their Kiwi morphemes (two syllables or more as a prefix); English with
    stemming. The web page /-/search of 'newspipe serve' answers the same."""
    import sqlite3

    from db.search import QueryError, search_page
    from db.search import search as do_search
    query = " ".join(words)
    archive = context.reading_archive(ctx, machine=as_json)
    for source in sources:
        context.known_source(archive, source)
    args = dict(since=since, until=until, source=sources, limit=limit, region=region, translated=translated,
                offset=(page - 1) * limit, sort=sort, collapse=not all_copies, author=authors)
    try:
        if since or until:              # on stderr, before the hits (a --json reader sees none of it)
            from db.search import matches_per_day
            undated_note(matches_per_day(archive, query, lang, source=sources, region=region,
                                         translated=translated, author=authors).get(None, 0), "matching articles")
        if as_json:
            for h in do_search(archive, query, lang, **args):
                click.echo(json.dumps(h.__dict__, ensure_ascii=False))
            return
        res = search_page(archive, query, lang, **args)
    except QueryError:
        raise                            # a UserError: one line, its own exit code
    except sqlite3.OperationalError as exc:
        from db.connection import snapshot_changed
        raise snapshot_changed() or UserError(f"cannot run the query {query!r}: {exc}") from None
    from nlp.query import notes
    for line in notes(query):           # on stderr, as the other notes
        click.echo(line, err=True)
    if not res.total:
        unknown_authors_note(archive, authors)
    print_hits(res, page)


def unknown_authors_note(archive, authors) -> None:
    """A note on stderr for each --author no article of the archive names (a typo finds nothing, silently)."""
    from db.filters import author_names, known_author
    for name in author_names(authors):
        if not known_author(archive, name):
            click.echo(f"note: no article of this archive names {name!r} among its authors (names match whole, "
                       "as a byline prints them)", err=True)


@click.command()
@click.argument("article_id", type=int)
@click.option("--publisher", is_flag=True, help="The publisher's own English beside the Korean, paragraph by "
                                                "paragraph, where there is machine English too (without machine "
                                                "English it is shown so anyway), as the web page's ?en=publisher.")
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object: every column, its "
                                                       "sentences, translations, earlier versions, story, and "
                                                       "publisher_paragraphs (the publisher's English paired with "
                                                       "the Korean paragraphs; null without it).")
@click.pass_context
def show(ctx, article_id, publisher, as_json):
    """Show one article: Korean and English side by side, sentence by sentence (long lines wrap, never cut);
    the publisher's own English paragraph by paragraph where there is no machine English."""
    from db.publisher_en import publisher_paragraphs
    archive = context.reading_archive(ctx)
    art = archive.article(article_id) if 1 <= article_id <= MAX_ID else None
    if art is None:
        raise UserError(f"no article with id {article_id}")
    from pipeline.stories import story_lines, story_of
    story = story_of(archive, article_id)
    art["story"] = None if story is None else {"id": story["id"], "articles": [
        {k: a[k] for k in ("id", "outlet", "published_at", "similarity")} for a in story["articles"]]}
    original = archive.article(art["duplicate_of"]) if art["duplicate_of"] else None
    pub = publisher_of(art) or publisher_of(original)      # a duplicate: its original's, as the web page
    art["publisher_paragraphs"] = publisher_paragraphs(art["body_ko"], pub)
    if as_json:
        click.echo(json.dumps(art, ensure_ascii=False, indent=1))
        return
    if publisher and pub is None:
        click.echo(f"note: article {article_id} has no publisher's own English", err=True)
    print_article(art, story_lines(archive, article_id, story), original, publisher)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv", "csv", "tmx", "moses"]), required=True,
              help="jsonl (datasets), tsv (for scripts: never quoted, backslash, tab, newline and CR escaped), csv "
                   "(quoted, with a BOM: for a spreadsheet), tmx (CAT tools), moses (two line-aligned files, "
                   "PREFIX.ko and PREFIX.en).")
@click.option("--level", type=click.Choice(["sentence", "paragraph", "article"]), default="sentence",
              show_default=True)
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE: YYYY-MM-DD (KST) or an ISO time (2025-05-27T09:00).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE: a whole day, or up to and including an ISO time (to the minute: 2025-05-27T09:00 takes in 09:00:59).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--region", metavar="NAME", help="Only sources of this region (e.g. 전북).")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Only articles this reporter wrote (repeatable, or names separated by commas: any of them): "
                   "the name as the byline prints it, whole (홍길동; '홍길동 기자' and '홍 길 동' are the same, 홍길 "
                   "is not).")
@click.option("--provenance", type=click.Choice(["publisher", "machine"]),
              help="Only the publisher's English (article level: the outlet's own English edition, which the "
                   "outlet may itself have machine-translated; not a human reference) or only newspipe's machine "
                   "translations.")
@click.option("--backend", metavar="NAME",
              help="Only English made by this translator (google, libre, deepl, ...; publisher: the outlet's own). "
                   "Each pair carries its backend: a jsonl field, the last csv/tsv column, a TMX x-backend prop.")
@click.option("--min-chars", type=click.IntRange(min=0), default=0, metavar="N",
              help="Skip pairs whose Korean is shorter than N characters.")
@click.option("--dedupe", type=click.Choice(["pairs", "story"]), is_flag=False, flag_value="pairs", default=None,
              help="--dedupe (or --dedupe pairs): drop repeated identical pairs; --dedupe story: one article per "
                   "story (the one with the publisher's English, else the earliest).")
@click.option("--all", "include_all", is_flag=True,
              help="Include untranslated articles with an empty English side (article level; jsonl, tsv and csv: "
                   "tmx and moses hold pairs only).")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="Output file ('-' for stdout; a prefix for moses). A regular file is replaced only once complete; "
                   "a FIFO, a device or /dev/stdout is written directly; its directory must exist. Never the "
                   "archive or its -wal, -shm, -journal or .lock file.")
@click.pass_context
def export(ctx, fmt, level, since, until, sources, region, authors, provenance, backend, min_chars, dedupe,
           include_all, output):
    r"""Export the aligned ko/en pairs for translators and MT training.

    Each pair says whose English it is: provenance 'machine' (newspipe's translator, named in 'backend') or
    'publisher' (the outlet's own English edition, backend 'publisher' -- which the outlet may itself have
    machine-translated: not a human reference). Moses files carry the text only.

    Reading TSV back in Python: csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), then
    db.export.tsv_unescape on each field (csv's default quoting takes a cell that starts with " for a quoted one
    and mangles it); or line.rstrip("\n").split("\t"). The README's 'Export formats' says what each escapes."""
    from db.export import check_options, export as do_export
    from db.filters import known_backend, known_filters
    from translate.backends import BACKENDS
    if not output.strip():                  # '' was the current folder (". is a directory"), or moses' .ko, .en
        raise click.UsageError("-o wants a file path (a prefix for moses), or - for stdout")
    check_options(level, provenance, include_all, backend)     # before the archive is read (its notes)
    archive = context.reading_archive(ctx, machine=True)
    for source in sources:
        context.known_source(archive, source)
    known_filters(archive, None, region)
    options = dict(source=sources, region=region, author=authors, include_all=include_all, provenance=provenance,
                   backend=known_backend(archive, backend, [b for b in BACKENDS if b != "none"]),
                   min_chars=min_chars, dedupe=dedupe == "pairs", one_per_story=dedupe == "story")
    try:
        n = do_export(archive, fmt, output, level, since=since, until=until, **options)
    except BrokenPipeError:           # `newspipe export -o - | head`: the reader has all it wanted
        quiet_stdout()
        return
    except OSError as exc:            # a full disk, a file size limit, a device that refuses: nothing replaced
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    if output != "-":
        click.echo(f"exported {n} {level} pairs to " + (f"{output}.ko and {output}.en" if fmt == "moses" else output),
                   err=True)
    if since or until:                # (not in the data: stdout may be the export)
        from db.filters import undated_left_out
        undated_note(undated_left_out(archive, level=level, **options))
    if n == 0:
        unknown_authors_note(archive, authors)
        _nothing_exported(archive, level)


def _nothing_exported(archive, level: str) -> None:
    """The note for an export of no pair (an empty archive has had its own)."""
    if not archive.has_articles():
        return
    if archive.any_translated(level):   # the options kept nothing: say so, not "translate first"
        click.echo(f"note: no {level} pair matched the options given (dates, source, region, --min-chars, "
                   "--author, --provenance, --backend)", err=True)
    elif level != "article":
        demo = " (the demo offline cannot)" if not archive.sources_without_prefix("demo-") else ""
        click.echo(f"note: no {level} with English matched: 'newspipe run' translates when a translator answers"
                   f"{demo}; --level article exports the publishers' own English", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The counts and the last run as one JSON object.")
@click.pass_context
def stats(ctx, as_json):
    """Counts per source and per stage status, and how the last run ended (exit code, failures by reason)."""
    archive = context.open_archive(ctx, readonly=True)
    st = archive.stats()
    st["last_run"] = settle_running(st["last_run"], context.db_path(ctx))
    if st["last_run"] and st["last_run"]["status"] == "interrupted" and st["last_run"]["ended_at"] is None:
        # the lock was free: the run may have finished between the row read and the look at the lock
        st["last_run"] = settle_running(archive.last_run(), context.db_path(ctx))
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=1))
        return
    print_stats(st)
