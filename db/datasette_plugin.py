"""newspipe's Datasette plugin (registered as an entry point, so `newspipe serve` and any Datasette in this
environment load it). Everything newspipe adds to Datasette lives here, with no metadata file:

- ``/-/search``: the archive's search page, on db.search -- the engine of `newspipe search`, so the same hits in
  the same order and the same error text; a trend chart (matches per day, week or month, server-side SVG);
  ``?format=json`` (the fields of `newspipe search --json`), ``csv`` (with a UTF-8 byte-order mark, for Excel)
  and ``jsonl`` (the ko/en sentence pairs, as `newspipe export --format jsonl` writes them);
- ``/-/article/<id>``: Korean and English side by side, captions, the publisher's English; a duplicate shows
  the article it repeats;
- metadata (titles, descriptions, column help) and the canned queries, through the get_metadata and
  canned_queries hooks;
- the articles table set up for a newsroom: the heavy columns (removed, search_ko, publisher_en; the
  sentences' morphs) left out unless ``_col``/``_nocol`` asks, each title a link to the article page; every
  CSV (Datasette's too) starts with a UTF-8 byte-order mark;
- SQL functions ``ko_query(text)`` and ``en_query(text)``: the FTS5 expression of a query, analysed as
  `newspipe search` does (``articles_fts_ko MATCH ko_query(:q)``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from .export import articles_csv, jsonl_line, pairs
from .search import LANGS, SORTS, QueryError, QueryForms, en_match, ko_match, periods, search, search_page

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100                  # hits on one HTML or JSON page
MAX_DOWNLOAD = 1000                  # articles in one CSV or JSONL download
HIDDEN = {"articles": ("removed", "search_ko", "publisher_en"), "sentences": ("morphs",)}
_OPEN, _CLOSE = "\x02", "\x03"       # hit marks in snippets, made <mark> after escaping
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ID = 2 ** 63 - 1


# ------------------------------------------------------------------------------------ SQL functions
@hookimpl
def prepare_connection(conn):
    def ko_query(text):
        try:
            return ko_match(text or "", QueryForms(conn))[0]
        except QueryError as exc:
            raise ValueError(str(exc)) from None

    def en_query(text):
        try:
            return en_match(text or "")[0]
        except QueryError as exc:
            raise ValueError(str(exc)) from None
    conn.create_function("ko_query", 1, ko_query)
    conn.create_function("en_query", 1, en_query)


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
    "captions": "Photo captions with credits, JSON", "removed": "Boilerplate the cleaner removed, with reasons",
    "duplicate_of": "The article this one repeats word for word",
    "publisher_en": "The publisher's own English (searched with the machine English)",
    "search_ko": "Kiwi morphemes the Korean index holds",
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
                                            "columns (removed, search_ko, publisher_en) show with ?_col=NAME.",
                             "columns": ARTICLE_COLUMNS, "facets": ["source_id", "published_date"],
                             "sortable_columns": ["published_at", "published_date", "id"],
                             "label_column": "title_ko"},
                "sentences": {"description": "Kiwi sentences of each article, with offsets into the Korean body, "
                                             "and English (the morphemes show with ?_col=morphs).",
                              "columns": {"ko": "Korean sentence", "en": "English", "para": "Paragraph number",
                                          "morphs": "Kiwi morphemes as form/TAG@offset"}},
                "translations": {"description": "Every translation ever stored (machine and publisher)."},
                "pages": {"description": "Every fetch of an article page: status, error and its kind, validators; "
                                         "bodies in page_bodies."},
                "discovery_pages": {"description": "The last copy of each feed, sitemap and listing page, with its "
                                                   "validators for the next conditional request."},
                "frontier": {"description": "Article URLs found and not fetched yet (the next run fetches them)."},
                "article_versions": {"description": "Earlier Korean texts of corrected articles."},
                "sources": {"description": "The outlets in sources.toml."},
                "runs": {"description": "Nightly runs and their summaries."},
                "ko_forms": {"description": "Korean words as Kiwi analysed them in the archive (the search "
                                            "query analyser reads this)."},
            },
        } for name in dbs},
    }


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
                scope = _hide_heavy(scope)
                send = _csv_with_bom(send, scope.get("path", ""))
            await app(scope, receive, send)
        return newsroom
    return wrap


# ------------------------------------------------------------------------------------ pages
@hookimpl
def register_routes():
    return [(r"^/-/article/(?P<id>\d+)$", article_page), (r"^/-/search$", search_page_view)]


_templates: dict = {}


def _template(datasette, name: str):
    """Our templates (db/templates, package data) in Datasette's Jinja environment: autoescaped, and able to
    extend Datasette's base.html."""
    key = (id(datasette.jinja_env), name)
    if key not in _templates:
        _templates[key] = datasette.jinja_env.from_string((TEMPLATES / name).read_text(encoding="utf-8"))
    return _templates[key]


async def _render(datasette, request, name: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(_template(datasette, name), context, request=request)
    return Response.html(html, status=status)


def _link(url: str | None, text: str = "original"):
    """An http(s) URL as a link; anything else (javascript:, file:) as text."""
    if url and re.match(r"(?i)^https?://", url.strip()):
        return Markup(f'<a href="{escape(url.strip())}" rel="noreferrer">{escape(text)}</a>')
    return f"{text}: {url}" if url else None


def _marked(snippet: str) -> Markup:
    return Markup(str(escape(snippet)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


class _BadRequest(Exception):
    pass


def _form(request) -> dict:
    """The search form's fields from the query string, checked; a wrong one raises _BadRequest (one line)."""
    args = request.args
    f = {"q": (args.get("q") or "").strip(), "lang": args.get("lang") or "any", "sort": args.get("sort") or "relevance",
         "since": args.get("since") or "", "until": args.get("until") or "", "region": args.get("region") or "",
         "translated": args.get("translated") or "", "sources": [s for s in args.getlist("source") if s],
         "format": args.get("format") or "html"}
    if f["lang"] not in LANGS:
        raise _BadRequest(f"lang must be ko, en or any, not {f['lang']!r}")
    if f["sort"] not in SORTS:
        raise _BadRequest(f"sort must be relevance or newest, not {f['sort']!r}")
    if f["translated"] not in ("", "yes", "no"):
        raise _BadRequest(f"translated must be yes or no, not {f['translated']!r}")
    if f["format"] not in ("html", "json", "csv", "jsonl"):
        raise _BadRequest(f"format must be html, json, csv or jsonl, not {f['format']!r}")
    for name in ("since", "until"):
        if f[name] and not _DATE.match(f[name]):
            raise _BadRequest(f"{name} wants a date like 2025-05-27, not {f[name]!r}")
    download = f["format"] in ("csv", "jsonl")
    cap = MAX_DOWNLOAD if download else MAX_PAGE_SIZE
    for name, default, low in (("page", 1, 1), ("limit", MAX_DOWNLOAD if download else PAGE_SIZE, 1)):
        raw = args.get(name)
        try:
            f[name] = default if raw in (None, "") else int(raw)
        except ValueError:
            raise _BadRequest(f"{name} must be a whole number, not {raw!r}") from None
        if f[name] < low:
            raise _BadRequest(f"{name} must be {low} or more")
    if f["limit"] > cap:
        raise _BadRequest(f"limit must be {cap} or less")
    return f


def _engine_args(f: dict) -> dict:
    return dict(since=f["since"] or None, until=f["until"] or None, source=f["sources"] or None,
                region=f["region"] or None, translated={"yes": True, "no": False}.get(f["translated"]),
                limit=f["limit"], offset=(f["page"] - 1) * f["limit"], sort=f["sort"])


def _url(datasette, f: dict, **changes) -> str:
    """/-/search with the form's fields, some changed; fields at their defaults left out."""
    g = {**f, **changes}
    fmt = g.get("format") or "html"
    args = [(k, g[k]) for k in ("q", "lang", "since", "until", "region", "translated", "sort")
            if g[k] and (k, g[k]) not in (("lang", "any"), ("sort", "relevance"))]
    args += [("source", s) for s in g["sources"]]
    if g.get("page") not in (None, 1):
        args.append(("page", g["page"]))
    if g.get("limit") not in (None, MAX_DOWNLOAD if fmt in ("csv", "jsonl") else PAGE_SIZE):
        args.append(("limit", g["limit"]))
    if fmt != "html":
        args.append(("format", fmt))
    return datasette.urls.path("/-/search") + ("?" + urlencode(args) if args else "")


async def _choices(db) -> tuple[list[dict], list[str]]:
    rows = (await db.execute(
        "SELECT s.id, coalesce(nullif(s.outlet, ''), s.name, s.id), s.region FROM sources s WHERE EXISTS "
        "(SELECT 1 FROM articles a WHERE a.source_id = s.id) ORDER BY 2")).rows
    return [{"id": r[0], "name": r[1]} for r in rows], sorted({r[2] for r in rows if r[2]})


def _chart(datasette, f: dict, days: dict[str, int]) -> dict | None:
    by, ps = periods(days, None, f["since"] or None, f["until"] or None)
    if not ps:
        return None
    width, height, top, bottom = 760, 150, 16, 18
    top_n = max(p.count for p in ps) or 1
    step = width / len(ps)
    bar_w = min(40.0, max(1.0, step * 0.85))
    bars = []
    for i, p in enumerate(ps):
        h = round((height - top - bottom) * p.count / top_n, 1)
        bars.append({"x": round(i * step, 1), "y": round(height - bottom - h, 1), "w": round(bar_w, 1),
                     "h": h, "label": p.label, "count": p.count,
                     "href": _url(datasette, f, since=p.start, until=p.end, page=1)})
    ticks = [{"x": 0, "text": ps[0].label, "anchor": "start"}]
    if len(ps) > 2:
        mid = len(ps) // 2
        ticks.append({"x": round(mid * step + bar_w / 2, 1), "text": ps[mid].label, "anchor": "middle"})
    if len(ps) > 1:
        ticks.append({"x": width, "text": ps[-1].label, "anchor": "end"})
    return {"by": by, "width": width, "height": height, "bars": bars, "ticks": ticks, "max": top_n}


def _pages(datasette, f: dict, total: int) -> list[dict]:
    last = max(1, -(-total // f["limit"]))
    shown = sorted({1, last, *range(max(1, f["page"] - 2), min(last, f["page"] + 2) + 1)})
    out, prev = [], 0
    for n in shown:
        if n - prev > 1:
            out.append({"n": None, "href": None, "current": False})
        out.append({"n": n, "href": _url(datasette, f, page=n), "current": n == f["page"]})
        prev = n
    return out


async def search_page_view(datasette, request):
    db = datasette.get_database()
    fmt = request.args.get("format") or "html"
    bad = None
    try:
        f = _form(request)
    except _BadRequest as exc:
        if fmt != "html":
            return _error(fmt, str(exc))
        bad = str(exc)                   # the form again, as sent, with the reason
        f = {"q": request.args.get("q") or "", "sources": request.args.getlist("source"),
             **{k: request.args.get(k) or "" for k in ("lang", "sort", "since", "until", "region", "translated")}}
    context = {"q": f["q"], "form": f, "action": datasette.urls.path("/-/search"),
               "langs": [("any", "any (by the query's script)"), ("ko", "Korean"), ("en", "English")],
               "sorts": SORTS, "translated_choices": [("", "any"), ("yes", "translated"), ("no", "not yet")],
               "results": None, "error": bad, "max_download": MAX_DOWNLOAD}
    if fmt == "html":
        context["outlets"], context["regions"] = await _choices(db)
    if bad:
        return await _render(datasette, request, "search.html", context, status=400)
    if not f["q"]:
        if fmt != "html":
            return _error(fmt, "empty query: give at least one word")
        return await _render(datasette, request, "search.html", context)
    args = _engine_args(f)
    try:
        if fmt == "json":
            res = await db.execute_fn(lambda conn: search_page(conn, f["q"], f["lang"], **args))
            by, ps = periods(res.days, None, f["since"] or None, f["until"] or None)
            return _json({"query": f["q"], "lang": res.lang, "sort": res.sort, "total": res.total,
                          "page": f["page"], "limit": f["limit"], "hits": [h.__dict__ for h in res.hits],
                          "by": by, "periods": [p.__dict__ for p in ps]})
        if fmt in ("csv", "jsonl"):
            hits = await db.execute_fn(lambda conn: search(conn, f["q"], f["lang"], **args))
            ids = [h.id for h in hits]
            name = re.sub(r"[^\w-]+", "_", f["q"])[:40].strip("_") or "search"
            if fmt == "csv":
                body = await db.execute_fn(lambda conn: articles_csv(conn, ids))
                return Response(body, content_type="text/csv; charset=utf-8", headers={
                    "content-disposition": f'attachment; filename="newspipe-{_ascii(name)}.csv"'})
            body = await db.execute_fn(lambda conn: "".join(jsonl_line(p) for p in pairs(conn, ids=ids)))
            return Response(body, content_type="application/x-ndjson; charset=utf-8", headers={
                "content-disposition": f'attachment; filename="newspipe-{_ascii(name)}.jsonl"'})
        res = await db.execute_fn(lambda conn: search_page(conn, f["q"], f["lang"], marks=(_OPEN, _CLOSE), **args))
    except QueryError as exc:
        if fmt != "html":
            return _error(fmt, str(exc))
        context["error"] = str(exc)
        return await _render(datasette, request, "search.html", context, status=400)
    hits = []
    for h in res.hits:
        meta = [x for x in (h.outlet or h.source_id, h.date, h.region,
                            "English" if h.translated else "not translated yet", _link(h.url)) if x]
        hits.append({**h.__dict__, "snippet_ko": _marked(h.snippet_ko), "snippet_en": _marked(h.snippet_en),
                     "href": datasette.urls.path(f"/-/article/{h.id}"), "meta": meta})
    pages = _pages(datasette, f, res.total)
    last_page = pages[-1]["n"] if pages else 1
    context.update(
        results=res, hits=hits, first=res.offset + 1, last=res.offset + len(res.hits),
        chart=_chart(datasette, f, res.days), pages=pages,
        prev=_url(datasette, f, page=f["page"] - 1) if f["page"] > 1 else None,
        next=_url(datasette, f, page=f["page"] + 1) if f["page"] < last_page else None,
        downloads={"json": _url(datasette, f, format="json"),
                   **{k: _url(datasette, f, format=k, page=1, limit=None) for k in ("csv", "jsonl")}})
    return await _render(datasette, request, "search.html", context)


def _ascii(name: str) -> str:
    return name.encode("ascii", "ignore").decode() or "search"


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def _error(fmt: str, message: str) -> Response:
    """A request the page cannot answer: HTTP 400 with the one-line reason."""
    if fmt == "json":
        return _json({"error": message}, status=400)
    return Response.text(message + "\n", status=400)


async def article_page(datasette, request):
    article_id = int(request.url_vars["id"])
    db = datasette.get_database()
    row = None
    if article_id <= MAX_ID:
        row = (await db.execute(
            "SELECT a.id, a.url, coalesce(nullif(a.outlet, ''), s.outlet, s.name) AS outlet, a.published_at, "
            "a.authors, a.title_ko, a.title_en, a.subtitle_ko, a.subtitle_en, a.body_ko, a.captions, a.duplicate_of, "
            "a.translate_status, a.translation_provenance, a.translation_backend, a.translated_at FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?", [article_id])).first()
    if row is None:
        return await _render(datasette, request, "article.html", {
            "a": {"id": article_id, "title_ko": f"No article {article_id}"}, "meta": ["not in the archive"],
            "sentences": [], "search_url": datasette.urls.path("/-/search")}, status=404)
    shown = row                          # the article whose sentences are shown: a duplicate's original
    original = None
    if row["duplicate_of"]:
        orig = (await db.execute(
            "SELECT a.id, coalesce(nullif(a.outlet, ''), s.outlet, s.name) AS outlet, a.published_at, a.title_en, "
            "a.subtitle_en, a.translate_status, a.translation_provenance, a.translation_backend, a.translated_at "
            "FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            [row["duplicate_of"]])).first()
        if orig is not None:
            shown = orig
            original = {"id": orig["id"], "href": datasette.urls.path(f"/-/article/{orig['id']}"),
                        "parts": [x for x in (orig["outlet"], (orig["published_at"] or "")[:10]) if x]}
    sents = (await db.execute("SELECT para, ko, en, en_error FROM sentences WHERE article_id = ? ORDER BY idx",
                              [shown["id"]])).rows
    sentences, para = [], None
    for s in sents:
        sentences.append({"ko": s["ko"], "en": s["en"], "en_error": s["en_error"],
                          "new_para": para is not None and s["para"] != para})
        para = s["para"]
    authors = ", ".join(json.loads(row["authors"] or "[]"))
    status = shown["translate_status"]
    translation = f"translation: {status}"
    if shown["translation_provenance"]:
        translation += " (" + ", ".join(x for x in (shown["translation_provenance"], shown["translation_backend"],
                                                    shown["translated_at"]) if x) + ")"
    meta = [x for x in (row["outlet"], authors, row["published_at"] and f"published {row['published_at']}",
                        _link(row["url"]), translation) if x]
    pub = (await db.execute("SELECT title_en, subtitle_en, body_en FROM translations WHERE article_id = ? AND "
                            "provenance = 'publisher' ORDER BY id DESC LIMIT 1", [row["id"]])).first()
    captions = [c for c in json.loads(row["captions"] or "[]") if isinstance(c, dict) and c.get("text")]
    return await _render(datasette, request, "article.html", {
        "a": dict(row), "title_en": row["title_en"] or (shown["title_en"] if original else None),
        "subtitle_ko": row["subtitle_ko"], "subtitle_en": row["subtitle_en"] or (
            shown["subtitle_en"] if original else None),
        "body_ko": row["body_ko"], "meta": meta, "sentences": sentences, "captions": captions,
        "publisher": dict(pub) if pub else None, "original": original,
        "search_url": datasette.urls.path("/-/search")})
