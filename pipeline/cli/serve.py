"""'newspipe serve' (Datasette over the archive) and 'newspipe demo' (a news site of its own, served offline)."""
from __future__ import annotations

import click

from . import context
from .context import DEMO_DB
from .params import SERVER_URL, TRANSLATOR


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--max-memory", type=click.IntRange(256, 1 << 20), default=2048, show_default=True, metavar="MB",
              help="The memory the server may take: a request whose answer would need more (an SQL query of "
                   "huge values) is refused with 413, and the server and the machine go on.")
@click.pass_context
def serve(ctx, port, host, max_memory):
    """Browse the archive with Datasette: read-only, on 127.0.0.1 unless --host says otherwise.

    The search page /-/search answers as 'newspipe search' does (filters, pages, a trend chart, JSON, CSV and
    JSONL downloads); an article page /-/article/ID with Korean and English side by side; canned queries
    (latest, per source, by keyword, per day); the biggest stories /-/stories. Whole-table downloads are off.
    An archive replaced at its path (a new demo, a restored backup) is served from the next request on."""
    from ..serve import serve as do_serve
    context.open_archive(ctx, readonly=True).close()   # an archive of this version, or one line saying why not
    do_serve(context.db_path(ctx), host, port, max_memory=max_memory << 20)


@click.command()
@click.option("--db", "demo_db", metavar="PATH",
              help=f"The demo's own database (default: newspipe's --db when given before 'demo', else {DEMO_DB}). "
                   "Made afresh each time; a database holding pages of any other source is refused, untouched.")
@click.option("--translator", type=TRANSLATOR, default="google", show_default=True, metavar="NAME")
@click.option("--translator-url", type=SERVER_URL, metavar="URL")
@click.pass_context
def demo(ctx, demo_db, translator, translator_url):
    """Offline demo: serve a news site written for the demo on 127.0.0.1, run the whole pipeline, show the result."""
    from ..demo import run_demo
    from .context import check_backend, translator_url as url_for
    url_for(translator, translator_url)                      # a URL for a translator that takes none: exit 2
    check_backend(translator, translator_url, 10)            # a bad name or key: exit 1, as 'run' does
    # `newspipe --db X demo` means X (it was silently data/demo.db); $NEWSPIPE_DB is left out on purpose:
    # it names the user's archive, which the demo would only refuse.
    given = demo_db or ctx.obj["db"]
    path = context.in_a_folder(given, "--db") if given else DEMO_DB
    try:
        run_demo(path, translator, translator_url)
    except KeyboardInterrupt as exc:     # the demo never resumes: a run again makes its archive afresh
        from .errors import stopped
        raise stopped(exc, f"the demo stopped part-way; 'newspipe demo' (make demo) starts it again from the "
                           f"beginning, making {path} afresh") from None
