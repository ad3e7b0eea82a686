"""Stories as an editor reads them: the biggest stories of a period (`newspipe stories`, the web page
/-/stories), and the copies of one article's story (the article page). Read-only; the tables are db/stories.py's.

A story's size here is what the filters leave of it: ``since``/``until``, ``source`` and ``region`` choose its
articles (a week's biggest stories are counted in that week), and a story is ranked by those articles, then by
its distinct outlets, then newest first. Its first article (the earliest of them) gives its titles.
"""
from __future__ import annotations

from dataclasses import dataclass

from .connection import reader
from .filters import article_filters, known_filters

_OUTLET = "coalesce(nullif(a.outlet, ''), s.outlet, s.name, a.source_id)"


@dataclass
class Story:
    story_id: int
    articles: int                    # its articles within the filters (byte-identical copies included)
    outlets: int                     # their distinct outlets
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
    region the archive does not have, or a range that ends before it starts, raises QueryError (one line)."""
    known_filters(db, source, region)
    conds, params = article_filters(since, until, source)
    if region:
        conds.append("s.region = ?")
        params.append(region)
    where = " AND ".join(conds) or "1"
    rows = reader(db)
    ranked = list(rows(
        f"SELECT x.story_id, count(*) AS n, count(DISTINCT {_OUTLET}) AS o, min(a.published_at), max(a.published_at) "
        "AS newest FROM article_stories x JOIN articles a ON a.id = x.article_id LEFT JOIN sources s "
        f"ON s.id = a.source_id WHERE {where} GROUP BY x.story_id ORDER BY n DESC, o DESC, newest DESC, "
        "x.story_id DESC LIMIT ?", [*params, int(limit)]))
    if not ranked:
        return []
    sids = [r[0] for r in ranked]
    members: dict[int, list[tuple]] = {sid: [] for sid in sids}
    for sid, aid, ko, en, outlet in rows(
            f"SELECT x.story_id, a.id, a.title_ko, coalesce(a.title_en, o.title_en), {_OUTLET} FROM article_stories x "
            "JOIN articles a ON a.id = x.article_id LEFT JOIN articles o ON o.id = a.duplicate_of "
            f"LEFT JOIN sources s ON s.id = a.source_id WHERE x.story_id IN ({','.join('?' * len(sids))}) "
            f"AND {where} ORDER BY x.story_id, a.published_at IS NULL, a.published_at, a.id", [*sids, *params]):
        members[sid].append((aid, ko, en, outlet))
    out = []
    for sid, n, o, first, last in ranked:
        aid, ko, en, outlet = members[sid][0]
        names = list(dict.fromkeys(m[3] for m in members[sid] if m[3]))
        out.append(Story(sid, n, o, aid, ko, en, outlet, first, last, names))
    return out


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
