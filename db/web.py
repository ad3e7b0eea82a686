"""The plugin's own pages (db/datasette_plugin.py routes them): ``/-/search`` on db.search -- the engine of
`newspipe search`, so the same hits in the same order and the same error text -- with its trend chart and
downloads (json, csv with a byte-order mark, jsonl pairs; the article page is db/web_article.py). Hits are one per story with the other outlets named (``all_copies=1``: every article); the chart
counts matching articles and stories per period as `newspipe trends` does; a Korean query lists its top
related words -- that counting part (db/web_summary.py) on the page itself, or, with many matches, fetched by
the page behind its hits (``format=summary``). Rendered from db/templates, autoescaped: a page in Datasette's
Jinja environment (it extends Datasette's base.html), the search page's body and counting part in a synchronous
one (Datasette's is asynchronous, and slow over twenty hits)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from jinja2 import Environment
from markupsafe import Markup, escape

from nlp.query import notes
from scrapers.util.kst import date_bound
from scrapers.util.text import HANGUL

from .export import articles_csv, jsonl_line
from .filters import author_name, author_names
from .publisher_en import hit_pairs
from .search import LANGS, SORTS, QueryError, search
from .stories import copies_note
from .views import outlet_choices
from .web_params import control_character, not_utf8, visible
from .web_summary import counted_inline, counts, summary_context

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100                  # hits on one HTML or JSON page
MAX_DOWNLOAD = 1000                  # articles in one CSV or JSONL download
MAX_PAGE = 1_000_000                 # pages of hits: (page - 1) × limit stays an SQLite integer
_OPEN, _CLOSE = "\x02", "\x03"       # hit marks in snippets, made <mark> after escaping


_templates: dict = {}
_parts_env = Environment(autoescape=True)    # the pages' bodies: rendered synchronously (see _part)


def _template(datasette, name: str):
    """Our templates (db/templates, package data) in Datasette's Jinja environment: autoescaped, and able to
    extend Datasette's base.html."""
    key = (id(datasette.jinja_env), name)
    if key not in _templates:
        _templates[key] = datasette.jinja_env.from_string((TEMPLATES / name).read_text(encoding="utf-8"))
    return _templates[key]


def _part(name: str, context: dict) -> Markup:
    """A template of ours that extends nothing (the search page's body, its counting part), rendered in a
    synchronous autoescaped environment: Datasette's is asynchronous, and rendering the twenty hits there cost
    ~2 ms of a page (bench/scale.py), here a fraction of one."""
    if name not in _templates:
        _templates[name] = _parts_env.from_string((TEMPLATES / name).read_text(encoding="utf-8"))
    return Markup(_templates[name].render(context))


async def _render(datasette, request, name: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(_template(datasette, name), context, request=request)
    return Response.html(html, status=status)


async def _render_search(datasette, request, context: dict, status: int = 200) -> Response:
    """The search page: its body rendered apart (_part), inside Datasette's page around it."""
    return await _render(datasette, request, "search.html", {**context, "body": _part("search_body.html", context)},
                         status)


def _link(url: str | None, text: str = "original"):
    """An http(s) URL as a link; an ingested file's address as that, without its path (of the newsroom's own
    disk: `newspipe show` gives it to the local user); anything else (javascript:) as text."""
    if url and re.match(r"(?i)^https?://", url.strip()):
        return Markup(f'<a href="{escape(url.strip())}" rel="noreferrer">{escape(text)}</a>')
    if url and url.strip().lower().startswith("file:"):
        return "ingested from a file"
    return f"{text}: {url}" if url else None


def _marked(snippet: str) -> Markup:
    return Markup(str(escape(snippet)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


class _BadRequest(Exception):
    pass


_SWITCH = {"yes": True, "1": True, "true": True, "no": False, "0": False, "false": False}


def _switch(f: dict, name: str) -> bool | None:
    """A yes-or-no field (translated, all_copies), spelt yes/no, 1/0 or true/false, any case; None when blank."""
    value = f[name].strip().lower()
    if value == "":
        return None
    if value not in _SWITCH:
        raise _BadRequest(f"{name} must be yes or no (or 1/0, true/false), not {f[name]!r}")
    return _SWITCH[value]


def _check_choices(f: dict) -> None:
    for name, allowed, words in (("lang", LANGS, "ko, en or any"), ("sort", SORTS, "relevance or newest"),
                                 ("format", ("html", "json", "csv", "jsonl", "summary"), "html, json, csv, jsonl or summary")):
        if f[name] not in allowed:
            raise _BadRequest(f"{name} must be {words}, not {f[name]!r}")
    _dates(f)
    f["translated"] = {True: "yes", False: "no", None: ""}[_switch(f, "translated")]    # the form's own spelling
    f["all_copies"] = bool(_switch(f, "all_copies"))


def _dates(f: dict) -> None:
    """``since`` and ``until`` read as the command line reads them (scrapers.util.kst.date_bound: 2025-05-27,
    20250527, an ISO time), or one line saying what is wrong."""
    for name in ("since", "until"):
        if f[name]:
            try:
                f[name] = date_bound(f[name])
            except ValueError:
                raise _BadRequest(f"{name} wants a date like 2025-05-27 (or 2025-05-27T09:00), not "
                                  f"{f[name]!r}") from None


def _check_numbers(args, f: dict) -> None:
    download = f["format"] in ("csv", "jsonl")
    cap = MAX_DOWNLOAD if download else MAX_PAGE_SIZE
    for name, default, high in (("page", 1, MAX_PAGE), ("limit", MAX_DOWNLOAD if download else PAGE_SIZE, cap)):
        raw = args.get(name)
        try:
            f[name] = default if raw in (None, "") else int(raw)
        except ValueError:
            raise _BadRequest(f"{name} must be a whole number, not {raw!r}") from None
        if f[name] < 1:
            raise _BadRequest(f"{name} must be 1 or more")
        if f[name] > high:
            raise _BadRequest(f"{name} must be {high} or less")


def _form(request) -> dict:
    """The search form's fields from the query string, checked; a wrong one raises _BadRequest (one line)."""
    args = request.args
    wrong = not_utf8(request.query_string) or control_character("the query", args.get("q") or "")
    if wrong:
        raise _BadRequest(wrong)
    f = {"q": (args.get("q") or "").strip(), "lang": args.get("lang") or "any", "sort": args.get("sort") or "relevance",
         "since": args.get("since") or "", "until": args.get("until") or "", "region": args.get("region") or "",
         "translated": args.get("translated") or "", "sources": [s for s in args.getlist("source") if s],
         "format": args.get("format") or "html", "all_copies": args.get("all_copies") or "",
         "authors": author_names(args.getlist("author"))}
    _check_choices(f)
    for name in f["authors"]:
        try:
            author_name(name)
        except QueryError as exc:
            raise _BadRequest(str(exc).replace("--author", "author")) from None
    _check_numbers(args, f)
    return f


def _engine_args(f: dict) -> dict:
    return dict(since=f["since"] or None, until=f["until"] or None, source=f["sources"] or None,
                region=f["region"] or None, translated={"yes": True, "no": False}.get(f["translated"]),
                author=f["authors"] or None, limit=f["limit"], offset=(f["page"] - 1) * f["limit"], sort=f["sort"],
                collapse=not f["all_copies"])


def _url(datasette, f: dict, **changes) -> str:
    """/-/search with the form's fields, some changed; fields at their defaults left out."""
    g = {**f, **changes}
    fmt = g.get("format") or "html"
    args = [(k, g[k]) for k in ("q", "lang", "since", "until", "region", "translated", "sort")
            if g[k] and (k, g[k]) not in (("lang", "any"), ("sort", "relevance"))]
    args += [("source", s) for s in g["sources"]] + [("author", a) for a in g.get("authors") or ()]
    if g.get("page") not in (None, 1):
        args.append(("page", g["page"]))
    if g.get("limit") not in (None, MAX_DOWNLOAD if fmt in ("csv", "jsonl") else PAGE_SIZE):
        args.append(("limit", g["limit"]))
    if g.get("all_copies"):
        args.append(("all_copies", 1))
    if fmt != "html":
        args.append(("format", fmt))
    return datasette.urls.path("/-/search") + ("?" + urlencode(args) if args else "")


def _page_rows(conn, f: dict, url, search_too: bool) -> tuple:
    """What an HTML page reads, in one visit to Datasette's database thread (each visit costs a thread hop):
    the outlets and regions of the form, and with ``search_too`` the hits and -- in an archive small enough --
    the counts (None: fetched behind the hits); a QueryError comes back in place of the hits."""
    rows = outlet_choices(conn)
    choices = [{"id": r[0], "name": r[1]} for r in rows], sorted({r[2] for r in rows if r[2]})
    if not search_too:
        return choices, None, None
    try:
        hits = search(conn, f["q"], f["lang"], marks=(_OPEN, _CLOSE), **_engine_args(f))
        return choices, hits, summary_context(conn, f, url) if counted_inline(conn) else None
    except QueryError as exc:
        return choices, exc, None


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
        f = {"q": visible(request.args.get("q") or ""), "sources": request.args.getlist("source"),
             "authors": [visible(a) for a in request.args.getlist("author")],
             **{k: visible(request.args.get(k) or "") for k in ("lang", "sort", "since", "until", "region",
                                                                 "translated")}}
    context = {"q": f["q"], "form": f, "action": datasette.urls.path("/-/search"),
               "langs": [("any", "any (by the query's script)"), ("ko", "Korean"), ("en", "English")],
               "sorts": SORTS, "translated_choices": [("", "any"), ("yes", "translated"), ("no", "not yet")],
               "searched": False, "error": bad, "max_download": MAX_DOWNLOAD,
               "stories_url": datasette.urls.path("/-/stories")}
    if fmt != "html":
        if not f["q"]:
            return _error(fmt, "empty query: give at least one word")
        try:
            return await _machine_answer(datasette, request, db, f, fmt)
        except QueryError as exc:
            return _error(fmt, str(exc))
    search_too = not bad and bool(f["q"])
    (context["outlets"], context["regions"]), hits, summary = await db.execute_fn(
        lambda conn: _page_rows(conn, f, lambda **c: _url(datasette, f, **c), search_too))
    if bad or not search_too:
        return await _render_search(datasette, request, context, status=400 if bad else 200)
    if isinstance(hits, QueryError):
        context["error"] = str(hits)
        return await _render_search(datasette, request, context, status=400)
    context.update(_hits_context(datasette, f, hits))
    context["notes"] = notes(f["q"])     # a query that runs, perhaps not as meant ('전*'): as `newspipe search` says
    if summary is not None:
        context["summary_top"], context["summary_pager"] = _summary_parts(summary)
    else:                                # a large archive: the browser fetches the counts behind the hits
        context["summary_href"] = _url(datasette, f, format="summary")
    return await _render_search(datasette, request, context)


def _summary_parts(summary: dict) -> tuple[Markup, Markup]:
    """search_summary.html's two parts: above the hits (counts, related words, chart), below them (pages)."""
    return tuple(_part("search_summary.html", {**summary, "part": part}) for part in ("top", "pager"))


async def _machine_answer(datasette, request, db, f: dict, fmt: str) -> Response:
    """The json page of hits, the summary part of an HTML page, or a csv or jsonl download of the matching
    articles."""
    args = _engine_args(f)
    if fmt == "summary":
        summary = await db.execute_fn(lambda conn: summary_context(
            conn, f, lambda **c: _url(datasette, f, **{"format": "html", **c})))     # its links: HTML pages
        top, pager = _summary_parts(summary)
        return Response.html(f'<div data-np-part="top">{top}</div><div data-np-part="pager">{pager}</div>')
    # the hits and what is read of them on one connection at once: an archive replaced in between (serve follows
    # its path, db/web_fresh.py) never pairs one file's hits with another's rows
    if fmt == "json":
        hits, c = await db.execute_fn(lambda conn: (search(conn, f["q"], f["lang"], **args), counts(conn, f)))
        lang = f["lang"] if f["lang"] != "any" else ("ko" if HANGUL.search(f["q"]) else "en")
        return _json({"query": f["q"], "lang": lang, "sort": f["sort"], "total": c["total"],
                      "stories": c["stories"], "all_copies": f["all_copies"], "page": f["page"],
                      "limit": f["limit"], "hits": [h.__dict__ for h in hits], "by": c["by"],
                      "periods": c["periods"]})
    name = re.sub(r"[^\w-]+", "_", f["q"])[:40].strip("_") or "search"

    def ids(conn) -> list[int]:
        return [h.id for h in search(conn, f["q"], f["lang"], **args)]
    if fmt == "csv":
        body = await db.execute_fn(lambda conn: articles_csv(conn, ids(conn)))
        return Response(body, content_type="text/csv; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="newspipe-{_ascii(name)}.csv"'})
    body = await db.execute_fn(lambda conn: "".join(jsonl_line(p) for p in hit_pairs(conn, ids(conn))))
    return Response(body, content_type="application/x-ndjson; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="newspipe-{_ascii(name)}.jsonl"'})


def _hits_context(datasette, f: dict, hits) -> dict:
    """The hits of an HTML results page with their links (and the other outlets of their story), the way back
    and forth without the counts (the summary part, when it comes later, replaces it), and the downloads."""
    out = []
    for h in hits:
        meta = [x for x in (h.outlet or h.source_id, ", ".join(h.authors), h.date, h.region, _english_note(h),
                            _link(h.url)) if x]
        note = copies_note(h, listed=f["all_copies"])
        if note:
            meta.append(note)
        out.append({**h.__dict__, "snippet_ko": _marked(h.snippet_ko), "snippet_en": _marked(h.snippet_en),
                    "href": datasette.urls.path(f"/-/article/{h.id}"), "meta": meta})
    offset = (f["page"] - 1) * f["limit"]
    return dict(
        searched=True, hits=out, first=offset + 1, last=offset + len(out), sort=f["sort"],
        prev=_url(datasette, f, page=f["page"] - 1) if f["page"] > 1 else None,
        next=_url(datasette, f, page=f["page"] + 1) if len(out) == f["limit"] else None,
        downloads={"json": _url(datasette, f, format="json"),        # none when nothing matches
                   **{k: _url(datasette, f, format=k, page=1, limit=None) for k in ("csv", "jsonl")}}
        if out or f["page"] > 1 else None)


def _english_note(h) -> str:
    """Whose English a hit shows (its provenance), or that it has none yet."""
    if h.en_provenance == "publisher":
        return "the publisher's English"
    if h.en_provenance == "machine":
        return "machine English" + (" (the publisher's too)" if h.publisher_english else "")
    return "not translated yet"


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
