"""The page of the biggest stories, ``/-/stories`` (db/datasette_plugin.py routes it): db.story_list.biggest --
the engine of `newspipe stories`, so the same stories in the same order -- with the same filters (since,
until, source, region, limit), as HTML or ``format=json`` (the objects of `newspipe stories --json`). Each
story links to its first article, whose page lists the story's every copy."""
from __future__ import annotations

from .search import QueryError
from .story_list import biggest
from .views import outlet_choices
from .web import _BadRequest, _dates, _error, _json, _render

DEFAULT_LIMIT = 20
MAX_LIMIT = 200


def _form(args) -> dict:
    """The page's fields from the query string, checked; a wrong one raises _BadRequest (one line)."""
    f = {"since": args.get("since") or "", "until": args.get("until") or "", "region": args.get("region") or "",
         "sources": [s for s in args.getlist("source") if s], "format": args.get("format") or "html"}
    if f["format"] not in ("html", "json"):
        raise _BadRequest(f"format must be html or json, not {f['format']!r}")
    _dates(f)
    raw = args.get("limit")
    try:
        f["limit"] = DEFAULT_LIMIT if raw in (None, "") else int(raw)
    except ValueError:
        raise _BadRequest(f"limit must be a whole number, not {raw!r}") from None
    if not 1 <= f["limit"] <= MAX_LIMIT:
        raise _BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
    return f


def _read(conn, f: dict, search_too: bool):
    """The form's outlets and regions, and the stories (a QueryError in their place: an unknown region)."""
    rows = outlet_choices(conn)
    choices = [{"id": r[0], "name": r[1]} for r in rows], sorted({r[2] for r in rows if r[2]})
    if not search_too:
        return choices, []
    try:
        return choices, biggest(conn, f["since"] or None, f["until"] or None, f["sources"] or None,
                                f["region"] or None, f["limit"])
    except QueryError as exc:
        return choices, exc


def _items(datasette, found) -> list[dict]:
    return [{**s.__dict__, "first": (s.first_published_at or "?")[:10], "last": (s.last_published_at or "?")[:10],
             "href": datasette.urls.path(f"/-/article/{s.first_article_id}")} for s in found]


async def stories_page(datasette, request):
    db = datasette.get_database()
    args = request.args
    fmt = args.get("format") or "html"
    bad = None
    try:
        f = _form(args)
    except _BadRequest as exc:
        if fmt != "html":
            return _error(fmt if fmt == "json" else "text", str(exc))
        bad = str(exc)
        f = {"sources": args.getlist("source"), "limit": args.get("limit") or "",
             **{k: args.get(k) or "" for k in ("since", "until", "region")}}
    (outlets, regions), found = await db.execute_fn(lambda conn: _read(conn, f, not bad))
    if isinstance(found, QueryError):
        bad = str(found)
        if fmt == "json":
            return _error("json", bad)
    if fmt == "json":
        return _json([s.__dict__ for s in found])
    context = {"form": f, "outlets": outlets, "regions": regions, "error": bad,
               "action": datasette.urls.path("/-/stories"), "search_url": datasette.urls.path("/-/search"),
               "stories": [] if bad else _items(datasette, found)}
    return await _render(datasette, request, "stories.html", context, status=400 if bad else 200)
