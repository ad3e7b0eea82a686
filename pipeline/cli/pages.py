"""The commands on saved pages: 'newspipe ingest' stores them for the next run, 'newspipe clean' prints them
cleaned."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from db.archive import archive_kind
from scrapers.util.kst import iso, now_kst
from scrapers.errors import UserError

from ..ingest import FORMATS
from . import context
from .params import once
from .render import print_clean


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="FILE|DIR...")
@click.option("--source", "source_id", metavar="ID", multiple=True,
              callback=lambda ctx, param, value: once(value, "--source", "the pages belong to one source"),
              help="Source the pages belong to (one).")
@click.option("--url", metavar="URL", help="The page's URL (only with one file).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="What the files hold: saved pages (html), or a page's text as a browser copies it (text); auto: "
                   "each by its name and start (.txt text unless it starts with an HTML tag, .html/.htm html "
                   "unless it has none, another name html if it has HTML tags).")
@click.pass_context
def ingest(ctx, paths, source_id, url, fmt):
    """Store saved pages (HTML, or page text) as fetched pages; 'newspipe run --no-crawl' then processes them.

    A directory stands for the .html and .htm files directly in it (its .txt files with --format text), not
    in its subdirectories. The same file ingested again the other way (text, html) is cleaned again. A file
    not in UTF-8, CP949 or UTF-16 is stored with a warning naming the encoding to convert it from."""
    from ..ingest import SUFFIXES, page_files
    files = page_files(paths, SUFFIXES[fmt])
    if url and len(files) > 1:
        raise UserError("--url works with one file only")
    if url and not _web_address(url):
        raise click.UsageError(f"--url wants a page's address like https://outlet.example/news/1, not {url!r}")
    context.configured_source(ctx, source_id)
    archive_kind(context.db_path(ctx))      # a file that is not an archive is refused before the lock is made
    with context.run_lock(ctx):             # one writer an archive: a run, reindex, restory or ingest
        archive = context.open_archive(ctx)
        if source_id:
            archive.sync_sources([s for s in context.sources(ctx) if s.id == source_id])
        new, skipped, unreadable, lossy = _store_files(archive, files, url, fmt, source_id)
    if unreadable is not None:
        raise unreadable
    if skipped and len(skipped) == len(files):
        raise UserError(skipped[0] if len(files) == 1 else f"nothing to ingest: {len(files)} files empty or "
                                                           "binary (see above)")
    click.echo(f"ingested {len(files) - len(skipped)} files, {new} new or changed pages"
               + (f"; {len(skipped)} empty or binary, not stored" if skipped else "")
               + (f"; {lossy} not read as UTF-8 or CP949 (see above)" if lossy else ""))


def _store_files(archive, files: list[str], url: str | None, fmt: str, source_id: str | None):
    """Store each file as a fetched page, a batch of them a transaction: (new or changed pages, the files
    skipped with their reason, the UserError of a file that could not be read -- it ends the loop, after the
    batch of the pages before it is committed --, how many were stored with characters that could not be read)."""
    from scrapers.clean import TEXT_TYPE
    from scrapers.types import FetchedPage

    from ..ingest import page_format, page_url, web_url
    url = web_url(url) if url else None
    new, skipped, unreadable, stored, lossy = 0, [], None, [], 0
    with archive.batched() as batch:      # a transaction a batch of pages, each whole (db/connection.py)
        for f in files:
            try:
                data = context.read_file(f)
            except UserError as exc:      # the pages listed above stay stored: the batch commits, then the error
                unreadable = exc
                break
            kind = page_format(f, data, fmt)
            why = _not_a_page(data, kind)
            if why:
                skipped.append(f"{f}: {why}, not stored")
                if len(files) > 1:
                    click.echo(skipped[-1], err=True)
                continue
            target = url or (page_url(data, Path(f)) if kind == "html" else Path(f).resolve().as_uri())
            ctype = "text/html" if kind == "html" else f"{TEXT_TYPE}; charset=utf-8"
            page = FetchedPage(url=target, final_url=target, status=200, fetched_at=iso(now_kst()), body=data,
                               content_type=ctype, source_id=source_id, origin="ingest")
            lossy += bool(_lossy_note(f, data, ctype))
            if archive.store_page(page) is not None:
                new += 1
            stored.append(f"{f} → {target}")
            if batch.done():              # a file is listed once its page is committed, not before
                _list(stored)
    _list(stored)
    return new, skipped, unreadable, lossy


def _lossy_note(name: str, data: bytes, content_type: str | None) -> str:
    """Say in one line (stderr) when ``data`` is not UTF-8 or CP949 text, so characters became U+FFFD (a
    CP1252 file was stored so without a word); the note, or ''."""
    from scrapers.decode import lossy_decoding
    note = lossy_decoding(data, content_type)
    if note:
        click.echo(f"newspipe: warning: {name}: {note}", err=True)
    return note


def _list(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)
    lines.clear()


def _web_address(url: str) -> bool:
    from scrapers.util.urls import url_problem
    return url_problem(url) is None


def _not_a_page(data: bytes, fmt: str) -> str:
    """Why ``data`` is no page to store (empty, binary), or ''."""
    from scrapers.decode import decode_html, looks_binary
    head = decode_html(data[:80_000])[0]                # (looks_binary reads the first 20,000 characters)
    if not data.strip() or len(data) <= 80_000 and not head.replace("\ufeff", "").strip():
        return "empty"                                  # nothing, or a byte-order mark and spaces
    if looks_binary(head):
        return f"binary data, not {'text' if fmt == 'text' else 'an HTML page'}"
    return ""


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="What the files hold: a saved page (html), or the page's text as a browser copies it (text); "
                   "auto: each by its name and start (.txt text unless it starts with an HTML tag, .html/.htm "
                   "html unless it has none, another file or - html if it has HTML tags).")
@click.option("--url", metavar="URL", help="The page's URL (picks the extraction profile).")
@click.option("--profile", default="auto", show_default=True, help="Extraction profile (ndsoft, newswave, mk, …).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
def clean(files, fmt, url, profile, as_json):
    """Clean saved pages offline and print the article (title, body, metadata, removals).

    A file that is empty or binary (a program, an image, a compressed file) is named and not cleaned; the
    others are (exit 1 when any was not). A file not in UTF-8, CP949 or UTF-16 is cleaned with a warning
    naming the encoding to convert it from (--json: a "warning" key)."""
    from scrapers.clean import TEXT_TYPE, clean_page
    from scrapers.profiles import profile_names

    from ..ingest import page_format
    if profile not in profile_names():
        raise UserError(f"unknown profile {profile!r} (known: {', '.join(profile_names())})")
    refused = []
    for f in files:
        data = sys.stdin.buffer.read() if f == "-" else context.read_file(f)
        kind = page_format(f, data, fmt)
        why = _not_a_page(data, kind)
        if why:                       # named, and the other files cleaned all the same (as ingest does)
            refused.append(f"{f}: {why}, not cleaned")
            if len(files) > 1:
                click.echo(refused[-1], err=True)
            continue
        art = clean_page(data, url or "", TEXT_TYPE if kind == "text" else None, profile=profile)  # as a run does
        note = _lossy_note(f, data, TEXT_TYPE if kind == "text" else None)
        if as_json:
            click.echo(json.dumps(art.to_json() | ({"warning": note} if note else {}), ensure_ascii=False))
        else:
            print_clean(f, art)
    if refused:
        raise UserError(refused[0] if len(files) == 1 else f"{len(refused)} of {len(files)} files not cleaned "
                                                           "(see above)")
