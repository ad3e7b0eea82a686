"""newspipe's Datasette plugin (registered as an entry point, so `newspipe serve` and any Datasette in this
environment load it). Everything newspipe adds to Datasette lives here, with no metadata file:

- ``/-/search``: the archive's search page, on db.search -- the engine of `newspipe search`, so the same hits in
  the same order and the same error text; one hit per story naming the other outlets (``all_copies=1``: every
  article); a trend chart (matching articles and stories per day, week or month, server-side SVG); the top
  related words, each a link to a search for both (pages in db/web.py);
  ``?format=json`` (the fields of `newspipe search --json`), ``csv`` (with a UTF-8 byte-order mark, for Excel)
  and ``jsonl`` (the ko/en sentence pairs, as `newspipe export --format jsonl` writes them);
- ``/-/article/<id>`` (db/web_article.py): Korean and English side by side, captions, the publisher's English
  (in the English column where there is no machine English); a duplicate shows the article it repeats;
- every request reads the archive file its path names now (db/web_fresh.py): a replaced archive is served at
  once on every connection, a deleted one is a 503 page;
- metadata (titles, descriptions, column help) and the canned queries, through the get_metadata and
  canned_queries hooks;
- the articles table set up for a newsroom: the heavy columns (removed, search_ko_z, publisher_en)
  left out unless ``_col``/``_nocol`` asks, each title a link to the article page; every
  CSV (Datasette's too) starts with a UTF-8 byte-order mark;
- SQL functions ``ko_query(text)`` and ``en_query(text)``: the FTS5 expression of a query, analysed as
  `newspipe search` does (``articles_fts_ko MATCH ko_query(:q)``); ``unpacked(value)``: the text of a column
  stored compressed (``select unpacked(removed) from articles``), which the tables show as text too.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import traceback
from urllib.parse import parse_qsl, urlencode

import datasette.handle_exception as _datasette_errors
from datasette import hookimpl
from datasette.utils.asgi import Request
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape

from .packing import MAGIC, unpack
from .search import QueryError, QueryForms, en_match, ko_match
from .web import search_page_view
from .web_article import article_page
from .web_fresh import ArchiveGone, follow, forget_old_schema
from .web_params import as_client_mistake, parameter_mistake

# Datasette's default error handler prints a rich traceback with every local variable for each error, a 404
# included, when rich is installed (it is: the CLI's progress display): ~90 lines and ~1 s of CPU for each
# mistyped URL (a new user's trial). Every handler's result is awaited, so a plugin's own cannot stop it; without
# rich it prints nothing for a client's mistake and a plain traceback for a 500 (traceback.print_exc).
_datasette_errors.rich = None


class _Tracebacks:
    """``traceback`` as that handler sees it: an answer too large for serve's memory bound (a MemoryError) is
    the client's, answered 413 by this plugin's handler, and logged in one line (the request's) like every other
    mistake; the handler, awaited all the same, printed its traceback too (~30 lines). A 500 keeps its own."""

    @staticmethod
    def print_exc(*args, **kwargs):
        if not isinstance(sys.exc_info()[1], (MemoryError, ArchiveGone)):    # ArchiveGone: a 503 page of its own
            traceback.print_exc(*args, **kwargs)


_datasette_errors.traceback = _Tracebacks

HIDDEN = {"articles": ("removed", "search_ko_z", "publisher_en")}
PACKED = {"articles": ("removed", "search_ko_z")}   # columns stored as zstd frames (db/packing.py), shown as text


def unpacked(value):
    """The text of a value db/packing.py packed; any other value as it is."""
    return unpack(value) if isinstance(value, bytes) and value.startswith(MAGIC) else value


# ------------------------------------------------------------------------------------ SQL functions
# The largest value an SQL query may make or read: more than any stored (a raw page is at most fetch.max_bytes,
# 5 MB, before compression).
MAX_VALUE = 16 << 20


@hookimpl
def prepare_connection(conn):
    def ko_query(text):
        try:
            return ko_match(text or "", QueryForms(conn, vocabulary=False))[0]    # no table made in a query
        except QueryError as exc:
            raise ValueError(str(exc)) from None

    def en_query(text):
        try:
            return en_match(text or "")[0]
        except QueryError as exc:
            raise ValueError(str(exc)) from None
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)    # select zeroblob(1e9): "string or blob too big"
    conn.create_function("ko_query", 1, ko_query)
    conn.create_function("en_query", 1, en_query)
    conn.create_function("unpacked", 1, unpacked, deterministic=True)


# ------------------------------------------------------------------------------------ metadata
ARTICLE_COLUMNS = {
    "id": "Article number (its page: /-/article/<id>)",
    "url": "The article's URL as discovered", "canonical_url": "One URL per article (tracking parameters out)",
    "source_id": "Source in sources.toml", "outlet": "Newspaper or broadcaster", "section": "Section",
    "authors": "Reporters (names only), JSON list", "published_at": "Published (KST)",
    "published_date": "The KST date of publication: facet or filter by it (published_date=2025-05-28)",
    "updated_at": "Updated (KST)",
    "title_ko": "Korean title (opens the article page)", "subtitle_ko": "Korean subtitle",
    "body_ko": "Korean body, one paragraph a line",
    "title_en": "English title", "subtitle_en": "English subtitle", "body_en": "English body",
    "keywords": "Top nouns with counts (Kiwi), JSON", "entities": "Proper nouns (Kiwi), JSON",
    "captions": "Photo captions with credits, JSON",
    "removed": "Boilerplate the cleaner removed, with reasons, JSON (stored compressed: unpacked(removed) in SQL)",
    "duplicate_of": "The article this one repeats word for word",
    "publisher_en": "The publisher's own English (searched with the machine English)",
    "search_ko_z": "The Korean index's text (Kiwi search terms), zstd-compressed",
    "translate_status": "pending, done, retry (failed, tried again next run) or failed",
    "translation_provenance": "machine or publisher", "dateline": "The place of the lead dateline (전주 of (전주=뉴스1))",
    "translation_backend": "Translation service",
}


@hookimpl
def get_metadata(datasette, key, database, table):
    dbs = [name for name in datasette.databases if name != "_internal"]
    return {
        "title": "newspipe archive",
        "description_html": "Korean regional news with English translations, side by side. "
                            f'<a href="{datasette.urls.path("/-/search")}">Search the archive</a>, or open an '
                            "article number for its Korean and English sentence by sentence.",
        "databases": {name: {
            "description": "The newspipe archive (read-only).",
            "tables": {
                "articles": {"description": "One row per article: Korean and English side by side, with the "
                                            "status of each stage. A title opens the article page; the heavy "
                                            "columns (removed, search_ko_z, publisher_en) show with ?_col=NAME.",
                             "columns": ARTICLE_COLUMNS, "facets": ["source_id", "published_date"],
                             "sortable_columns": ["published_at", "published_date", "id"],
                             "label_column": "title_ko"},
                "sentences": {"description": "Kiwi sentences of each article with their English: a view over "
                                             "sentence_spans, the offsets into the article's Korean and English.",
                              "columns": {"ko": "Korean sentence", "en": "English", "para": "Paragraph number"}},
                "translations": {"description": "Every translation ever stored (machine and publisher); the "
                                                "current one (in_article) has its text in the article."},
                "pages": {"description": "Every fetch of an article page: status, error and its kind, validators; "
                                         "bodies in page_bodies."},
                "discovery_pages": {"description": "The last copy of each feed, sitemap and listing page, with its "
                                                   "validators for the next conditional request."},
                "frontier": {"description": "Article URLs found and not fetched yet (the next run fetches them)."},
                "article_versions": {"description": "Earlier Korean texts of corrected articles."},
                "sources": {"description": "The outlets in sources.toml."},
                "runs": {"description": "Nightly runs and their summaries."},
                "ko_forms": {"description": "Korean words as Kiwi analysed them in the archive (the search "
                                            "query analyser reads this).", "hidden": True},
                **{name: {"hidden": True} for name in INTERNAL},
            },
        } for name in dbs},
    }


# The machinery's own tables, under "hidden tables" (still open by their URL): listed first on the home page,
# they came before the archive's (a new user's trial).
INTERNAL = ("_sqlite_migrations", "translation_memory", "page_bodies", "sentence_spans", "sqlite_stat1")

PICK = "a.id as article, a.published_date as date, a.source_id, a.title_ko, a.title_en"
CANNED = {
    "latest": {
        "title": "Latest articles",
        "sql": f"select {PICK}, a.translate_status from articles a where a.clean_status = 'done' "
               "order by a.published_at desc limit 100",
    },
    "by_source": {
        "title": "Articles per source",
        "sql": "select source_id, count(*) as articles, sum(translate_status = 'done') as translated, "
               "max(published_at) as newest from articles group by source_id order by articles desc",
    },
    "by_keyword": {
        "title": "Articles by keyword (a Kiwi noun, e.g. 새만금)",
        "sql": f"select {PICK} from articles a where exists (select 1 from json_each(a.keywords) k "
               "where json_extract(k.value, '$[0]') = :keyword) order by a.published_at desc limit 100",
    },
    "per_day": {
        "title": "Articles per day (KST)",
        "sql": "select published_date as date, count(*) as articles, sum(translate_status = 'done') as translated "
               "from articles where clean_status = 'done' group by 1 order by 1 desc limit 400",
    },
}


@hookimpl
def canned_queries(datasette, database):
    async def inner():
        db = datasette.get_database(database)
        return CANNED if await db.table_exists("articles") else {}
    return inner


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/search"), "label": "Search the archive"}]


# ------------------------------------------------------------------------------------ tables
@hookimpl
def render_cell(row, value, column, table, datasette):
    if column == "article" and isinstance(value, int):          # canned queries
        return Markup(f'<a href="{datasette.urls.path(f"/-/article/{value}")}">{value}</a>')
    if table == "articles" and column == "title_ko" and "id" in row.keys():
        href = datasette.urls.path(f"/-/article/{int(row['id'])}")
        return Markup(f'<a href="{href}">{escape(value or "(no title)")}</a>')
    if column in PACKED.get(table, ()) and isinstance(value, bytes):
        return escape(unpacked(value))
    return None


def _hide_heavy(scope: dict) -> dict:
    """The articles and sentences tables without their heavy columns, unless the request picks columns."""
    parts = scope.get("path", "").strip("/").split("/")
    if len(parts) != 2 or parts[1] not in HIDDEN:
        return scope
    args = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(k in ("_col", "_nocol") for k, _ in args):
        return scope
    args += [("_nocol", c) for c in HIDDEN[parts[1]]]
    return {**scope, "query_string": urlencode(args).encode("latin-1")}


BOM = "\ufeff".encode()


def _csv_with_bom(send, path: str):
    """``send`` that starts every CSV body (a .csv path, or text/csv) with a UTF-8 byte-order mark: Excel
    (CP949 by default in Korea) otherwise shows Datasette's UTF-8 CSV as mojibake."""
    state = {"csv": False, "first": True}

    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = message.get("headers") or []
            state["csv"] = message.get("status") == 200 and (path.endswith(".csv") or any(
                k.lower() == b"content-type" and v.startswith(b"text/csv") for k, v in headers))
            if state["csv"]:
                message = {**message, "headers": [(k, str(int(v) + len(BOM)).encode())
                                                  if k.lower() == b"content-length" else (k, v) for k, v in headers]}
        elif message["type"] == "http.response.body" and state["csv"] and state["first"]:
            state["first"] = False
            body = message.get("body", b"")
            if not body.startswith(BOM):
                message = {**message, "body": BOM + body}
        await send(message)
    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def newsroom(scope, receive, send):
            if scope.get("type") == "http":
                args = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
                mistake = await parameter_mistake(datasette, scope.get("path", ""), args)
                if mistake is not None:      # Datasette's own error page (JSON or HTML), with the right status
                    error = DatasetteError(mistake, status=400)
                    page = await _datasette_errors.handle_exception(datasette, Request(scope, receive), error)()
                    await page.asgi_send(send)
                    return
                await forget_old_schema(datasette)
                scope = _hide_heavy(scope)
                send = _csv_with_bom(send, scope.get("path", ""))
            await app(scope, receive, send)
        return newsroom
    return wrap


@hookimpl
def handle_exception(datasette, request, exception):
    """A mistake in the request's parameters that Datasette raised as a 500 (an unknown or unsortable _sort
    column, _sort with _sort_desc, a _through that leads nowhere) is answered as the client's: 400. Datasette's
    own handler then renders it. An answer too large to build within serve's memory bound is a 413."""
    if isinstance(exception, MemoryError):
        return _datasette_errors.handle_exception(datasette, request, DatasetteError(
            "the answer is too large for this server's memory (serve --max-memory): ask for fewer rows or "
            "smaller values", status=413))
    if isinstance(exception, FileNotFoundError) and not _archive_present(datasette):   # Datasette's size of it
        exception = ArchiveGone(next(db.path for db in datasette.databases.values() if db.path))
    if isinstance(exception, ArchiveGone):
        return _datasette_errors.handle_exception(datasette, request, DatasetteError(
            str(exception), title="The archive is gone", status=503))
    as_client_mistake(exception)


def _archive_present(datasette) -> bool:
    return all(os.path.exists(db.path) for db in datasette.databases.values() if db.path and not db.is_memory)


@hookimpl
def startup(datasette):
    """Every connection reads the file the archive's path names now (db/web_fresh.py)."""
    follow(datasette)


# ------------------------------------------------------------------------------------ pages
@hookimpl
def register_routes():
    from .web_stories import stories_page
    return [(r"^/-/article/(?P<id>[^/]*)$", article_page), (r"^/-/search$", search_page_view),
            (r"^/-/stories$", stories_page)]

