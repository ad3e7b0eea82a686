"""Stories as an editor reads them: the biggest stories of a period (`newspipe stories`, the web page
/-/stories), and the copies of one article's story (the article page). Read-only; the tables are db/stories.py's.

A story's size here is what the filters leave of it: ``since``/``until``, ``source`` and ``region`` choose its
articles (a week's biggest stories are counted in that week), and a story is ranked by those articles, then by
its distinct outlets, then newest first. Its first article (the earliest of them) gives its titles.
"""
from __future__ import annotations

from dataclasses import dataclass

from .connection import reader
from .search import filter_sql

_OUTLET = "coalesce(nullif(a.outlet, ''), s.outlet, s.name, a.source_id)"


@dataclass
class Story:
    story_id: int
    articles: int                    # its articles within the filters (byte-identical copies included)
    outlets: int                     # their distinct outlets (len(outlet_names))
    first_article_id: int            # the earliest of them
    title_ko: str | None
    title_en: str | None
    outlet: str | None               # the first article's
    first_published_at: str | None
    last_published_at: str | None
    outlet_names: list[str]          # every outlet, in order of first publication


def biggest(db, since: str | None = None, until: str | None = None, source=None, region: str | None = None,
            limit: int = 20) -> list[Story]:
    """The ``limit`` biggest stories among the articles the filters choose (see the module's text). A source or
    region the archive does not have, or a range that ends before it starts, raises QueryError (one line).

    Counted in two steps: which stories can make the list (the stories' own sizes for the whole archive; with
    filters, their chosen articles counted from the articles' indexes, no row of the wide articles table read),
    then the articles, outlets and titles of those alone. A story ties with another of as many articles by its
    outlets, then its newest article (a story of one article has one outlet: among those the newest first).
    bench/story_list.py measures it.
    """
    _, conds, params = filter_sql(db, since, until, source, region, None)    # (sources s is joined below)
    where = " AND ".join(conds) or "1"
    rows = reader(db)
    if conds:
        chosen = _ranked(rows, where, params, limit, bool(since or until), bool(region))
    else:                        # the whole archive: the stories' own sizes (~10 ms at 100,000 against ~450)
        chosen = list(rows("SELECT size, NULL, id, NULL FROM stories ORDER BY size DESC, first_published_at DESC, "
                           "id DESC LIMIT ?", [int(limit)]))
        if chosen and chosen[-1][0] > 1:
            chosen = list(rows("SELECT size, NULL, id, NULL FROM stories WHERE size >= ?", [chosen[-1][0]]))
    members = _members(rows, [r[2] for r in chosen], where, params)
    out = []
    for _, _, sid, _ in chosen:
        got = members[sid]
        if not got:              # a story emptied since it was counted (a run beside this read)
            continue
        aid, ko, en, outlet, _ = got[0]
        names = list(dict.fromkeys(m[3] for m in got if m[3]))
        dates = [m[4] for m in got if m[4]]
        out.append(Story(sid, len(got), len(names), aid, ko, en, outlet, min(dates, default=None),
                         max(dates, default=None), names))
    out.sort(key=lambda s: (s.articles, s.outlets, s.last_published_at or "", s.story_id), reverse=True)
    return out[:limit]


def _ranked(rows, where: str, params: list, limit: int, dated: bool, region: bool) -> list[tuple]:
    """(articles, newest, story id, earliest) of the stories that can make the list among the articles
    ``where`` chooses: the ``limit`` biggest, and every story as big as the last of them (its outlets may put it
    before it)."""
    grouped = ("SELECT count(*) AS n, max(a.published_at) AS newest, x.story_id AS sid, min(a.published_at) "
               "FROM article_stories x JOIN articles a "
               # no range: every article's date and source from the narrow covering index; a range: the
               # planner's choice, the range's articles through the index by date
               + ("" if dated else "INDEXED BY articles_by_id ") + "ON a.id = x.article_id "
               + ("LEFT JOIN sources s ON s.id = a.source_id " if region else "")
               + f"WHERE {where} GROUP BY x.story_id")
    chosen = list(rows(f"{grouped} ORDER BY n DESC, newest DESC, sid DESC LIMIT ?", [*params, int(limit)]))
    if chosen and chosen[-1][0] > 1:
        chosen = list(rows(f"{grouped} HAVING n >= ?", [*params, chosen[-1][0]]))
    return chosen


def _members(rows, sids: list[int], where: str, params: list) -> dict[int, list[tuple]]:
    """(id, Korean title, English title -- a byte-identical copy's from its original --, outlet, published_at)
    of the stories' articles that the filters choose, earliest first."""
    members: dict[int, list[tuple]] = {sid: [] for sid in sids}
    for k in range(0, len(sids), 500):
        part = sids[k:k + 500]
        for sid, *member in rows(
                f"SELECT x.story_id, a.id, a.title_ko, coalesce(a.title_en, o.title_en), {_OUTLET}, a.published_at "
                "FROM article_stories x JOIN articles a ON a.id = x.article_id LEFT JOIN articles o "
                f"ON o.id = a.duplicate_of LEFT JOIN sources s ON s.id = a.source_id WHERE x.story_id IN "
                f"({','.join('?' * len(part))}) AND {where} ORDER BY x.story_id, a.published_at IS NULL, "
                "a.published_at, a.id", [*part, *params]):
            members[sid].append(tuple(member))
    return members


@dataclass
class Copy:
    id: int
    outlet: str | None
    published_at: str | None
    title_ko: str | None
    url: str | None
    identical: bool                  # the same text word for word (a byte-identical copy, or its original)


def copies(db, article_id: int) -> list[Copy]:
    """The other articles of the article's story, earliest first (none before the run gave it a story)."""
    return [Copy(*r[:5], bool(r[5])) for r in reader(db)(
        f"SELECT a.id, {_OUTLET}, a.published_at, a.title_ko, a.url, "
        "coalesce(a.duplicate_of, a.id) = coalesce(me.duplicate_of, me.id) "
        "FROM article_stories mx JOIN articles me ON me.id = mx.article_id "
        "JOIN article_stories x ON x.story_id = mx.story_id JOIN articles a ON a.id = x.article_id "
        "LEFT JOIN sources s ON s.id = a.source_id WHERE mx.article_id = ? AND a.id != ? "
        "ORDER BY x.published_at, a.id", [article_id, article_id])]
