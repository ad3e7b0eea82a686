"""'newspipe serve': Datasette over the archive, read-only, on 127.0.0.1 by default.

The plugin db/datasette_plugin.py (an entry point of this package) adds the ko_query() SQL function
for Korean search and the /-/article/<id> page with Korean and English side by side.
"""
from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys
from pathlib import Path

from scrapers.errors import UserError

ARTICLE_COLUMNS = {
    "id": "Article number (its page: /-/article/<id>)",
    "url": "The article's URL as discovered", "canonical_url": "One URL per article (tracking parameters out)",
    "source_id": "Source in sources.toml", "outlet": "Newspaper or broadcaster", "section": "Section",
    "authors": "Reporters (names only), JSON list", "published_at": "Published (KST)", "updated_at": "Updated (KST)",
    "title_ko": "Korean title", "subtitle_ko": "Korean subtitle", "body_ko": "Korean body, one paragraph a line",
    "title_en": "English title", "subtitle_en": "English subtitle", "body_en": "English body",
    "keywords": "Top nouns with counts (Kiwi), JSON", "entities": "Proper nouns (Kiwi), JSON",
    "captions": "Photo captions with credits, JSON", "removed": "Boilerplate the cleaner removed, with reasons",
    "translate_status": "pending, done, retry (failed, tried again next run) or failed",
    "translation_provenance": "machine or publisher",
    "translation_backend": "Translation service",
}


def metadata(db_name: str) -> dict:
    pick = "a.id as article, a.published_at, a.source_id, a.title_ko, a.title_en"
    return {
        "title": "newspipe archive",
        "description": "Korean regional news with English translations, side by side. Open an article number "
                       "for its Korean and English sentence by sentence.",
        "databases": {db_name: {
            "description": "The newspipe archive (read-only).",
            "tables": {
                "articles": {"description": "One row per article: Korean and English side by side, with the "
                                            "status of each stage.", "columns": ARTICLE_COLUMNS,
                             "sortable_columns": ["published_at", "id"], "label_column": "title_ko"},
                "sentences": {"description": "Kiwi sentences of each article, with offsets into the Korean body, "
                                             "morphemes and English.",
                              "columns": {"ko": "Korean sentence", "en": "English", "para": "Paragraph number",
                                          "morphs": "Kiwi morphemes as form/TAG@offset"}},
                "translations": {"description": "Every translation ever stored (machine and publisher)."},
                "pages": {"description": "Every fetch of an article page: status, error and its kind, validators; "
                                         "bodies in page_bodies."},
                "discovery_pages": {"description": "The last copy of each feed, sitemap and listing page, with its "
                                                   "validators for the next conditional request."},
                "article_versions": {"description": "Earlier Korean texts of corrected articles."},
                "sources": {"description": "The outlets in sources.toml."},
                "runs": {"description": "Nightly runs and their summaries."},
                "ko_forms": {"description": "Korean words as Kiwi analysed them in the archive (the search "
                                            "query analyser reads this)."},
            },
            "queries": {
                "korean_search": {
                    "title": "Korean search (전주 finds 전주시)",
                    "description": "Words are matched by their Kiwi morphemes as a prefix; \"phrases\", OR and "
                                   "NOT work. Ranked by BM25.",
                    "sql": f"select {pick} from articles_fts_ko f join articles a on a.id = f.rowid "
                           "where articles_fts_ko match ko_query(:q) order by f.rank limit 100",
                },
                "english_search": {
                    "title": "English search",
                    "sql": f"select {pick}, snippet(articles_fts_en, 1, '[', ']', '…', 12) as snippet "
                           "from articles_fts_en f join articles a on a.id = f.rowid "
                           "where articles_fts_en match :q order by f.rank limit 100",
                },
                "latest": {
                    "title": "Latest articles",
                    "sql": f"select {pick}, a.translate_status from articles a where a.clean_status = 'done' "
                           "order by a.published_at desc limit 100",
                },
                "by_source": {
                    "title": "Articles per source",
                    "sql": "select source_id, count(*) as articles, sum(translate_status = 'done') as translated, "
                           "max(published_at) as newest from articles group by source_id order by articles desc",
                },
                "by_keyword": {
                    "title": "Articles by keyword (a Kiwi noun, e.g. 새만금)",
                    "sql": f"select {pick} from articles a where exists (select 1 from json_each(a.keywords) k "
                           "where json_extract(k.value, '$[0]') = :keyword) order by a.published_at desc limit 100",
                },
            },
        }},
    }


SETTINGS = {"allow_download": False, "allow_csv_stream": False, "default_page_size": 50,
            "max_returned_rows": 1000, "sql_time_limit_ms": 3000}


class ServeError(UserError):
    """The server cannot start (the port is taken, the host unknown)."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or one line saying why not (a port in use, most often)."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use (another server?): pick another with "
                             "--port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the archive with Datasette inside this process (uvicorn): when the process stops, however it is
    stopped (Ctrl-C, SIGTERM, SIGHUP, SIGKILL), the server stops with it -- no orphan keeps the port."""
    import uvicorn
    from datasette.app import Datasette

    sock = listen(host, port)
    ds = Datasette([db_path], metadata=metadata(Path(db_path).stem), settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="info", lifespan="on",
                                           timeout_graceful_shutdown=3))
    signal.signal(signal.SIGHUP, server.handle_exit)     # a closed terminal stops it as SIGTERM does
    print(f"newspipe: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:          # uvicorn re-raises the SIGINT it shut down for: a normal end here
        pass
    finally:
        sock.close()
