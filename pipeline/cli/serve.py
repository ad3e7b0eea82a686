"""'newspipe serve' (Datasette over the archive) and 'newspipe demo' (a news site of its own, served offline)."""
from __future__ import annotations

import click

from . import context


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_context
def serve(ctx, port, host):
    """Browse the archive with Datasette: read-only, on 127.0.0.1 unless --host says otherwise.

    The search page /-/search answers as 'newspipe search' does (filters, pages, a trend chart, JSON, CSV and
    JSONL downloads); an article page /-/article/ID with Korean and English side by side; canned queries
    (latest, per source, by keyword, per day). Whole-table downloads are off."""
    from ..serve import serve as do_serve
    context.open_archive(ctx, readonly=True).close()   # an archive of this version, or one line saying why not
    do_serve(context.db_path(ctx), host, port)


@click.command()
@click.option("--db", "demo_db", default="data/demo.db", show_default=True, metavar="PATH",
              help="The demo's own database (your archive is not touched).")
@click.option("--translator", default="google", show_default=True, metavar="NAME")
@click.option("--translator-url", metavar="URL")
def demo(demo_db, translator, translator_url):
    """Offline demo: serve a news site written for the demo on 127.0.0.1, run the whole pipeline, show the result."""
    from translate.backends import make_backend

    from ..demo import run_demo
    make_backend(translator, translator_url, timeout=10)     # a bad name or key: exit 1, as 'run' does
    run_demo(demo_db, translator, translator_url)
