"""The counting half of the search page /-/search (db/web.py): how many articles and stories match, per
period (the trend chart, counted as `newspipe trends` counts, each bar's tooltip with the share of the period's
articles, as `newspipe trends --share` gives it), the related words of a Korean query, and the
numbered pages.

The counts are exact, so they cost what the matches are many: one pass over them (db.trends.summary), ~2 µs a
match, half a second for a word found in most of 300,000 articles, while the page of hits costs the same
whatever the count (db/search.py ranks a bounded window). The page therefore counts inline only in an
archive of fewer than :data:`SUMMARY_INLINE` articles; otherwise it answers with the hits at once and the
browser fetches this part (``format=summary``) behind them. Related words are read from the
:data:`RELATED_SAMPLE` newest matching articles (db.trends.related with a sample).
"""
from __future__ import annotations

import re

from .connection import reader
from .search import QueryError, _plan
from .periods import periods
from .trends import coverage, related, summary, trend_rows

SUMMARY_INLINE = 2000                # an archive of fewer articles: its matches counted on the page itself
RELATED = 12                         # related words listed under a Korean query
RELATED_SAMPLE = 50                  # the newest matching articles they are read from
_OPERATOR = re.compile(r'\b(OR|NOT|AND)\b|[()"]')


def _filters(f: dict) -> dict:
    """The form's filters as db.search._plan and db.trends take them."""
    return dict(since=f["since"] or None, until=f["until"] or None, source=f["sources"] or None,
                region=f["region"] or None, translated={"yes": True, "no": False}.get(f["translated"]),
                author=f.get("authors") or None)


def _plan_of(conn, f: dict):
    g = _filters(f)
    return _plan(conn, f["q"], f["lang"], g["since"], g["until"], g["source"], g["region"], g["translated"],
                 g["author"])


def counted_inline(conn) -> bool:
    """Whether the archive is small enough (fewer than SUMMARY_INLINE articles) for the page to count its
    matches itself. Asking the index how many match would cost as much as the page's own search again (a
    prefix query reads its whole doclist each time)."""
    return (next(iter(reader(conn)("SELECT max(id) FROM articles")))[0] or 0) < SUMMARY_INLINE


def counts(conn, f: dict) -> dict:
    """total (matching articles), stories (None with all copies), by, and periods: [{"label", "start", "end",
    "count", "stories"}], every period of the range."""
    counted = summary(conn, _plan_of(conn, f))
    since, until = f["since"] or None, f["until"] or None
    try:
        by, rows = trend_rows(f["q"], counted, None, since, until)
    except QueryError:       # a range of more periods than a chart lists (until=9999-12-31): the hits stand, as
        # `newspipe search` gives them; the chart spans the matches within the range instead, or, where even they
        # span more (an archive holding a CMS's empty date, 0001-01-01), there is no chart
        days = sorted(d for d in counted.days if (since or "")[:10] <= d[:10] <= (until or "9999-12-31")[:10])
        try:
            by, rows = trend_rows(f["q"], counted, None, days[0][:10] if days else None,
                                  days[-1][:10] if days else None)
        except QueryError:
            by, rows = "month", []
    every = _every(conn, f, by, rows)
    return {"total": counted.total, "stories": None if f["all_copies"] else counted.stories, "by": by,
            "periods": [{"label": r["period"], "start": r["start"], "end": r["end"], "count": r["articles"],
                         "stories": r["stories"], "all": every.get(r["period"], 0),
                         "share": _pct(r["articles"], every.get(r["period"], 0))} for r in rows]}


def _pct(part: int, whole: int) -> float | None:
    """Per cent to one decimal, or two significant digits below 0.1 (one match of 5,000 is not 0.0 %)."""
    if not whole:
        return None
    p = 100 * part / whole
    return round(p, 1) if p >= 0.1 or not p else float(f"{p:.2g}")


def _every(conn, f: dict, by: str, rows: list[dict]) -> dict[str, int]:
    """period → all its articles under the form's filters (db.trends.coverage without stories: ~3 ms a 10,000
    articles, from indexes), what the chart's tooltips divide the matches by (as `newspipe trends --share`)."""
    if not rows:
        return {}
    g = _filters(f)
    of = coverage(conn, g["since"] or rows[0]["start"], g["until"] or rows[-1]["end"], g["source"], g["region"],
                  g["translated"], lang=_plan_of(conn, f).lang, stories=False, author=g["author"])
    return {p.label: p.count for p in periods(of.days, by, rows[0]["start"], rows[-1]["end"])[1]}


def summary_context(conn, f: dict, url) -> dict:
    """What search_summary.html shows: the counts, the chart, the related words, the pages. ``url(**changes)``:
    /-/search with the form's fields, some changed."""
    c = counts(conn, f)
    units = c["total"] if c["stories"] is None else c["stories"]
    offset = (f["page"] - 1) * f["limit"]
    words = []
    if _plan_of(conn, f).lang == "ko":
        _, found = related(conn, f["q"], limit=RELATED, sample=RELATED_SAMPLE, **_filters(f))
        both = f"({f['q']})" if _OPERATOR.search(f["q"]) else f["q"]
        words = [{"word": r.word, "together": r.together, "score": r.score,
                  "href": url(q=f"{both} {r.word}", page=1)} for r in found]
    last_page = max(1, -(-units // f["limit"]))
    return {**c, "first": offset + 1, "last": min(units, offset + f["limit"]), "shown": units > offset,
            "sort": f["sort"], "all_copies": f["all_copies"], "related": words, "sample": RELATED_SAMPLE,
            "copies_href": url(all_copies=not f["all_copies"], page=1), "chart": chart(url, c["by"], c["periods"]),
            "pages": pages(url, f, units), "page": f["page"], "last_page": last_page, "last_href": url(page=last_page),
            "prev": url(page=min(f["page"] - 1, last_page)) if f["page"] > 1 else None,
            "next": url(page=f["page"] + 1) if f["page"] < last_page else None}


def chart(url, by: str, ps: list[dict]) -> dict | None:
    """The SVG chart: per period a bar of the matching articles, and in front of it a darker one of their
    stories; a period with matches links to them (an empty one is no link). The SVG scales to the page's width
    (viewBox); its labels are HTML under it, placed in percent of the width, so they keep the page's type size
    on a phone: the first, middle and last periods' labels, each centred under its bar unless that would run
    past an edge."""
    if not ps:
        return None
    width, height, top = 760, 120, 4
    top_n = max(p["count"] for p in ps) or 1
    step = width / len(ps)
    bar_w = min(40.0, max(1.0, step * 0.85))
    bars = []
    for i, p in enumerate(ps):
        h = round((height - top) * p["count"] / top_n, 1)
        hs = round((height - top) * p["stories"] / top_n, 1)
        bars.append({"x": round(i * step, 1), "y": round(height - h, 1), "w": round(bar_w, 1),
                     "h": h, "ys": round(height - hs, 1), "hs": hs, "label": p["label"],
                     "count": p["count"], "stories": p["stories"], "all": p.get("all"), "share": p.get("share"),
                     "href": url(since=p["start"], until=p["end"], page=1) if p["count"] else None})
    shown = sorted({0, len(ps) // 2 if len(ps) > 2 else 0, len(ps) - 1})
    return {"by": by, "width": width, "height": height, "bars": bars, "max": top_n,
            "ticks": [_tick(i * step + bar_w / 2, width, ps[i]["label"]) for i in shown]}


def _tick(centre: float, width: int, text: str) -> dict:
    """A label under the bar centred at ``centre`` (of ``width``): centred on it where it fits (a label is
    ~12 % of the chart's width on a phone), else flush with the nearer edge."""
    pct = round(100 * centre / width, 2)
    if pct < 6:
        return {"text": text, "style": "left: 0"}
    if pct > 94:
        return {"text": text, "style": "right: 0"}
    return {"text": text, "style": f"left: {pct}%; transform: translateX(-50%)"}


def pages(url, f: dict, total: int) -> list[dict]:
    last = max(1, -(-total // f["limit"]))
    shown = sorted({1, last, *range(max(1, f["page"] - 2), min(last, f["page"] + 2) + 1)})
    out, prev = [], 0
    for n in shown:
        if n - prev > 1:
            out.append({"n": None, "href": None, "current": False})
        out.append({"n": n, "href": url(page=n), "current": n == f["page"]})
        prev = n
    return out
