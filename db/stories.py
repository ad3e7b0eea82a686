"""Stories in the archive: which articles tell one story across outlets (tables ``stories`` and
``article_stories``, db/schema.py m012). What a story is, and how an article is matched to one, is decided in
pipeline/stories.py (MinHash and LSH, nlp/shingles.py); this module only reads and writes the tables, and
answers the questions asked of stories: the members of one, the matches of a query per period and story.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .archive import Archive, reader
from .korean_index import search_text
from . import search as _search
from .search import _ARTICLES, Hit, _Plan, _window_cut

# An article's place in time for stories: its publication, else when it was stored.
_WHEN = "coalesce(a.published_at, a.created_at)"


@dataclass
class Pending:
    id: int
    search_text: str
    published_at: str
    analysed_at: str | None
    duplicate_of: int | None         # a byte-identical copy joins its original's story


def pending(archive: Archive, limit: int | None = None) -> list[Pending]:
    """Articles without a story, or whose analysis changed since they got one (a correction), oldest first;
    byte-identical copies (``duplicate_of``) once their original has its story."""
    sql = (f"SELECT a.id, a.search_ko_z, {_WHEN}, a.analysed_at, NULL FROM articles a "
           "LEFT JOIN article_stories x ON x.article_id = a.id "
           "WHERE a.nlp_status = 'done' AND (x.article_id IS NULL OR x.analysed_at IS NOT a.analysed_at) "
           f"UNION ALL SELECT a.id, '', {_WHEN}, NULL, a.duplicate_of FROM articles a "
           "JOIN article_stories o ON o.article_id = a.duplicate_of "
           "WHERE a.clean_status = 'duplicate' AND NOT EXISTS "
           "(SELECT 1 FROM article_stories x WHERE x.article_id = a.id) ORDER BY 3, 1"
           + (f" LIMIT {int(limit)}" if limit else ""))
    return [Pending(r[0], search_text(r[1]), *r[2:]) for r in archive.query(sql, tuples=True)]


def recent(archive: Archive, since: str) -> Iterator[tuple[int, int, bytes | None, str, int, str | None]]:
    """(article id, story id, signature, published_at, shingles, search text) of the articles since ``since``
    that have text: the search text where the signature has expired (see :func:`expire_signatures`), to make it
    again from."""
    for aid, sid, sig, when, n, z in archive.query(
            "SELECT x.article_id, x.story_id, x.signature, x.published_at, x.shingles, "
            "CASE WHEN x.signature IS NULL THEN a.search_ko_z END FROM article_stories x "
            "JOIN articles a ON a.id = x.article_id WHERE x.published_at >= ? AND "
            "(x.signature IS NOT NULL OR x.shingles > 0) ORDER BY x.published_at, x.article_id", [since], tuples=True):
        yield aid, sid, sig, when, n, None if sig is not None else search_text(z)


def expire_signatures(archive: Archive, days: int) -> int:
    """Forget the signatures of articles published more than ``days`` before the newest one: a run matches
    new articles against the last few days only, and an older signature is made again from the article's search
    text on the rare occasion it is needed (an old article arriving late, ``show``). 256 bytes an article.
    Returns the signatures forgotten."""
    newest = archive.db.execute("SELECT max(published_at) FROM article_stories").fetchone()[0]
    if not newest or len(newest) < 10:
        return 0
    try:
        before = (date.fromisoformat(newest[:10]) - timedelta(days=days)).isoformat()
    except ValueError:
        return 0
    with archive._tx():
        return archive.db.execute("UPDATE article_stories SET signature = NULL WHERE published_at < ? "
                                  "AND signature IS NOT NULL", [before]).rowcount


def story_counts(archive: Archive) -> tuple[int, int, int]:
    """(stories, stories of more than one article, the articles of those)."""
    stories = archive.query("SELECT count(*) FROM stories", tuples=True).fetchone()[0]
    multi = archive.query("SELECT count(*), coalesce(sum(size), 0) FROM stories WHERE size > 1",
                          tuples=True).fetchone()
    return stories, multi[0], multi[1]


def story_id(archive: Archive, article_id: int) -> int | None:
    row = archive.query("SELECT story_id FROM article_stories WHERE article_id = ?", [article_id],
                        tuples=True).fetchone()
    return row[0] if row else None


def _refresh(archive: Archive, sid: int) -> None:
    """A story's size and earliest article from its members; a story left with none is deleted."""
    first = archive.db.execute(
        "SELECT x.article_id, x.published_at, (SELECT count(*) FROM article_stories WHERE story_id = ?) "
        "FROM article_stories x WHERE x.story_id = ? ORDER BY x.published_at, x.article_id LIMIT 1",
        [sid, sid]).fetchone()
    if first is None:
        archive.db.execute("DELETE FROM stories WHERE id = ?", [sid])
    else:
        archive.db.execute("UPDATE stories SET first_article_id = ?, first_published_at = ?, size = ? WHERE id = ?",
                           [first[0], first[1], first[2], sid])


def assign(archive: Archive, items: Iterable[tuple]) -> list[int]:
    """Store assignments, in one transaction: each item is (article id, story id or None for a new story,
    matched article id, similarity, signature bytes or None, shingles, published_at, analysed_at). An article
    that had a story leaves it first. Returns the story id of each item."""
    out = []
    with archive._tx():
        touched: set[int] = set()
        for aid, sid, matched, sim, sig, nsh, published, analysed in items:
            old = archive.db.execute("SELECT story_id FROM article_stories WHERE article_id = ?", [aid]).fetchone()
            if old is not None:
                archive.db.execute("DELETE FROM article_stories WHERE article_id = ?", [aid])
                touched.add(old[0])
            if sid is None or archive.db.execute("SELECT 1 FROM stories WHERE id = ?", [sid]).fetchone() is None:
                sid = archive.db.execute(
                    "INSERT INTO stories(first_article_id, first_published_at, size) VALUES (?, ?, 1)",
                    [aid, published]).lastrowid
            archive.db.execute(
                "INSERT INTO article_stories(article_id, story_id, matched_id, similarity, signature, shingles, "
                "published_at, analysed_at) VALUES (?,?,?,?,?,?,?,?)",
                [aid, sid, matched, sim, sig, nsh, published, analysed])
            touched.add(sid)
            out.append(sid)
        for sid in touched:
            _refresh(archive, sid)
    return out


def clear(archive: Archive) -> None:
    """Forget every story (``newspipe restory`` then assigns the whole archive again)."""
    with archive._tx():
        archive.db.execute("DELETE FROM article_stories")
        archive.db.execute("DELETE FROM stories")


def counts(db) -> tuple[int, int]:
    """(articles with a story, stories)."""
    return tuple(next(iter(reader(db)(
        "SELECT (SELECT count(*) FROM article_stories), (SELECT count(*) FROM stories)"))))


@dataclass
class Member:
    id: int
    outlet: str | None
    source_id: str | None
    published_at: str | None
    title_ko: str | None
    signature: bytes | None        # None: a byte-identical copy (shingles 0), no text, or expired (search_text)
    similarity: float | None       # to the article it was matched with (None: it began the story)
    matched_id: int | None
    shingles: int = 0
    search_text: str | None = None  # where the signature has expired: to make it again from


def members(db, sid: int) -> list[Member]:
    """The articles of story ``sid``, earliest first."""
    return [Member(*r[:9], search_text(r[9]) if r[9] is not None else None) for r in reader(db)(
        "SELECT a.id, coalesce(nullif(a.outlet, ''), s.outlet, s.name), a.source_id, a.published_at, a.title_ko, "
        "x.signature, x.similarity, x.matched_id, x.shingles, "
        "CASE WHEN x.signature IS NULL AND x.shingles > 0 THEN a.search_ko_z END "
        "FROM article_stories x JOIN articles a ON a.id = x.article_id "
        "LEFT JOIN sources s ON s.id = a.source_id WHERE x.story_id = ? ORDER BY x.published_at, x.article_id",
        [sid])]


def outlets_of(db, ids: list[int]) -> dict[int, tuple[int | None, int, list[str], int, list[str]]]:
    """For each article id: (story id, story size, the outlets of the story's other articles whose text is not
    its own, distinct, in order of publication, the story's articles with its very text (byte-identical copies,
    ``duplicate_of``: never in the search index, so no search lists them -- its copies, or its original and
    that original's other copies), their outlets). A copy of another article of the story is one of the
    others: its text is that article's, not this one's."""
    if not ids:
        return {}
    qs = ",".join("?" * len(ids))
    rows = reader(db)(
        "SELECT x.article_id, x.story_id, st.size, coalesce(nullif(b.outlet, ''), s.outlet, s.name, b.source_id), "
        "y.article_id, coalesce(b.duplicate_of, b.id) = coalesce(a.duplicate_of, a.id) FROM article_stories x "
        "JOIN articles a ON a.id = x.article_id JOIN stories st ON st.id = x.story_id "
        "JOIN article_stories y ON y.story_id = x.story_id JOIN articles b ON b.id = y.article_id "
        f"LEFT JOIN sources s ON s.id = b.source_id WHERE x.article_id IN ({qs}) "
        "ORDER BY x.article_id, y.published_at, y.article_id", ids)
    out: dict[int, tuple] = {i: (None, 1, [], 0, []) for i in ids}
    for aid, sid, size, outlet, other, identical in rows:
        _, _, names, n_same, same = out[aid] if out[aid][0] is not None else (sid, size, [], 0, [])
        if other != aid:
            n_same += bool(identical)
            listed = same if identical else names
            if outlet and outlet not in listed:
                listed.append(outlet)
        out[aid] = (sid, size, names, n_same, same)
    return out


def representative_sql(alias: str = "a", prefer_publisher: bool = True) -> str:
    """An SQL condition on the articles table aliased ``alias``: the article is the one kept of its story --
    the one with the publisher's English, else the earliest (an article without a story is kept)."""
    order = "(b.publisher_en IS NULL), " if prefer_publisher else ""
    return (f"{alias}.id = coalesce((SELECT y.article_id FROM article_stories x JOIN article_stories y "
            f"ON y.story_id = x.story_id JOIN articles b ON b.id = y.article_id WHERE x.article_id = {alias}.id "
            f"ORDER BY {order}y.published_at, y.article_id LIMIT 1), {alias}.id)")


def sentences_of(db, ids: list[int]) -> dict[int, list[str]]:
    """The Korean sentences of each article, in order; a byte-identical copy (``duplicate_of``), which holds
    none of its own, has its original's."""
    out: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for aid, ko in reader(db)(f"SELECT a.id, s.ko FROM articles a JOIN sentences s ON s.article_id = "
                                  f"coalesce(a.duplicate_of, a.id) WHERE a.id IN ({','.join('?' * len(ids))}) "
                                  "ORDER BY a.id, s.idx", ids):
            out[aid].append(ko)
    return out


# ------------------------------------------------------------------ search, one hit per story
def _per_story(plan: _Plan, cut: str = "", window: bool = False) -> str:
    """Each match (filters applied) with its story's rank (rn 1: the story's earliest match), best score and
    newest row id; ``window``: only the RANK_WINDOW newest matches in the index, read from it once."""
    fts = plan.fts
    source, match = (fts, f"{fts} MATCH ?") if not window else (
        f"(SELECT rowid, rank FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT {int(_search.RANK_WINDOW)})",
        "1")
    return (f"SELECT a.id AS id, a.published_at AS pub, f.rowid AS rid, x.story_id AS sid, row_number() OVER w "
            f"AS rn, min(f.rank) OVER w AS srank, max(f.rowid) OVER w AS srid FROM {source} f JOIN {_ARTICLES} "
            f"ON a.id = f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id "
            f"WHERE {match}{plan.where}{cut} WINDOW w AS (PARTITION BY coalesce(x.story_id, -a.id) "
            "ORDER BY a.published_at, a.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")


def _window_page(rows, plan: _Plan, limit: int, offset: int) -> list[tuple[int, float]]:
    """The relevance page of :func:`ranked_stories` among the RANK_WINDOW newest matches: the window's rows
    (filters applied) grouped by story here, which costs a third of SQLite's window functions over them.
    Without a filter the window is not joined to the articles at all (every row of the index is an article):
    only a story with two matches or more in it needs its members' dates, read for those alone (at 100,000
    articles the join cost ~2.5 ms of a query's 8)."""
    fts = plan.fts
    window = (f"(SELECT rowid, rank FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT "
              f"{int(_search.RANK_WINDOW)}) f")
    if plan.joins or plan.where:
        found = rows(f"SELECT a.id, f.rank, x.story_id FROM {window} JOIN {_ARTICLES} ON a.id = f.rowid"
                     f"{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id WHERE 1{plan.where}",
                     [plan.expr, *plan.params])
    else:
        found = rows(f"SELECT f.rowid, f.rank, x.story_id FROM {window} LEFT JOIN article_stories x "
                     "ON x.article_id = f.rowid", [plan.expr])
    best: dict[int, list] = {}               # story → [best score, its matching ids...]
    for aid, score, sid in found:
        key = sid if sid is not None else -aid
        got = best.get(key)
        if got is None:
            best[key] = [score, aid]
        else:
            got[0] = min(got[0], score)
            got.append(aid)
    first = _earliest([aid for got in best.values() if len(got) > 2 for aid in got[1:]], rows)
    ranked = sorted((got[0], -(min(got[1:], key=first.get) if len(got) > 2 else got[1]))
                    for got in best.values())
    return [(-neg, score) for score, neg in ranked[offset:offset + limit]]


def _earliest(ids: list[int], rows) -> dict[int, tuple]:
    """For each article id its place in a story's order, as SQL orders a.published_at, a.id: no date first."""
    if not ids:
        return {}
    return {aid: (pub is not None, pub or "", aid) for aid, pub in rows(
        f"SELECT a.id, a.published_at FROM {_ARTICLES} WHERE a.id IN ({','.join('?' * len(ids))})", ids)}


def ranked_stories(rows, plan: _Plan, limit: int, offset: int, sort: str) -> list[tuple[int, float | None]]:
    """(id, score) of one page, one hit per story: its earliest matching article, ranked by the story's best
    match (relevance) or by that article's date (newest). Relevance first ranks the stories of the
    RANK_WINDOW newest matches, as db.search's ranking does."""
    args = [plan.expr, *plan.params]
    if sort == "newest":
        from .newest import newest_stories
        page = newest_stories(rows, plan, lambda cut: _per_story(plan, cut), limit, offset)
        return page if page is not None else [(r[0], None) for r in rows(
            f"SELECT id FROM ({_per_story(plan)}) WHERE rn = 1 ORDER BY pub DESC, id DESC LIMIT ? OFFSET ?",
            [*args, limit, offset])]
    if offset < _search.RANK_WINDOW:     # the window, the index read once (a prefix query reads it all)
        page = _window_page(rows, plan, limit, offset)
        if len(page) == limit:
            return page
    cut = _window_cut(rows, plan)
    order = "srid >= ? DESC, " if cut is not None else ""
    return [(r[0], r[1]) for r in rows(f"SELECT id, srank FROM ({_per_story(plan)}) WHERE rn = 1 "
                                       f"ORDER BY {order}srank, id DESC LIMIT ? OFFSET ?",
                                       [*args, *([cut[0]] if cut is not None else []), limit, offset])]


def with_stories(db, hits: list[Hit]) -> list[Hit]:
    """Each hit with its story: id, size and the outlets of its other articles."""
    info = outlets_of(db, [h.id for h in hits])
    for h in hits:
        h.story_id, h.story_size, h.other_outlets, h.identical_copies, h.identical_outlets = info[h.id]
    return hits


def copies_note(h: Hit, name: str = "this story", most: int = 0, listed: bool = False) -> str:
    """What a hit says of its story's other articles: "+2 more in this story: A, B" for those whose text is not
    its own, and apart "1 identical copy: C" for the byte-identical copies of its very text, which no search
    lists (``most``: name that many outlets, then …; 0 names all). ``listed``: the search lists every copy
    (no collapsing), so only the identical copies are named."""
    def names(xs: list[str]) -> str:
        return ", ".join(xs[:most] if most else xs) + (", …" if most and len(xs) > most else "")
    more = 0 if listed else h.story_size - 1 - h.identical_copies
    parts = [f"+{more} more in {name}" + (f": {names(h.other_outlets)}" if h.other_outlets else "")] if more else []
    if h.identical_copies:
        parts.append(f"{h.identical_copies} identical {'copy' if h.identical_copies == 1 else 'copies'}"
                     + (f": {names(h.identical_outlets)}" if h.identical_outlets else ""))
    return "; ".join(parts)


def count_stories(db, plan) -> int:
    """The stories of the articles a search plan (db.search._plan) matches; an article without a story yet
    counts as one."""
    return next(iter(reader(db)(
        f"SELECT count(DISTINCT coalesce(x.story_id, -a.id)) FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = "
        f"f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id WHERE {plan.fts} MATCH ?"
        f"{plan.where}", [plan.expr, *plan.params])))[0]
