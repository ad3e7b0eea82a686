"""Newest-first pages of a search without sorting every match (db/search.py and db/stories.py ask it first).

Sorting the matches of a common word by date reads each of them (a word in most of 300,000 articles: ~1-2 s).
Articles enter the archive about in the order they are published, so the newest matches lie among the
highest row ids: the ``PROBE`` newest matches by row id (the FTS index gives them in that order, cheaply)
name a date ``since`` that at least ``offset + limit`` matches reach. Every match published at or after it
is then read -- all of them, wherever their row id (from the smallest id the archive has published at or
after that date; usually they are all among those newest matches already, and the index is not read again)
-- and only those are sorted. The page is exactly the one a sort of every match gives.

One hit per story: a story's hit is its earliest matching article and its date that article's; a story with
a match before ``since`` would be placed by that older one, so such stories are found (their members older
than ``since``, checked against the index) and left to the full sort's place, below every story all of whose
matches are newer. When the bounded way cannot answer (few matches, a deep page, too few stories left),
the caller sorts every match, as before.
"""
from __future__ import annotations

from .connection import marks

PROBE = 400              # the newest matches by row id that name the date
MAX_DEPTH = 200          # offset + limit beyond this: the full sort


def _probe(rows, plan) -> list[tuple[int, str, int | None]]:
    """(id, published_at, story id) of the PROBE newest matches by row id (filters applied; with a date)."""
    return list(rows(
        f"SELECT a.id, a.published_at, x.story_id FROM {plan.fts} f JOIN articles a INDEXED BY articles_by_id ON "
        f"a.id = f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id WHERE {plan.fts} MATCH ?"
        f"{plan.where} AND a.published_at IS NOT NULL ORDER BY f.rowid DESC LIMIT ?", [plan.expr, *plan.params, PROBE]))


def _since(rows, probe: list[tuple], need: int) -> tuple[str, int] | None:
    """(the date at least ``need`` matches reach, the smallest row id published at or after it), or None."""
    if len(probe) < PROBE or need > len(probe):
        return None          # few matches (sorting them all is as cheap), or a page deeper than the probe
    since = sorted((r[1] for r in probe), reverse=True)[need - 1]
    low = next(iter(rows("SELECT min(id) FROM articles INDEXED BY articles_published WHERE published_at >= ?",
                         [since])))[0]
    return since, low


def from_probe(probe: list[tuple], since: str, stories: bool) -> list[tuple[int, int | None]]:
    """(id, story id) newest first of the probe's matches published since ``since`` -- when every match
    since then is among them, the page without reading the index again; ``stories``: only each story's
    earliest of them."""
    rows = [r for r in probe if r[1] >= since]
    if stories:
        first: dict[int, tuple] = {}
        for r in rows:
            key = r[2] if r[2] is not None else -r[0]
            if key not in first or (r[1], r[0]) < (first[key][1], first[key][0]):
                first[key] = r
        rows = list(first.values())
    return [(r[0], r[2]) for r in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]


def newest_ids(rows, plan, limit: int, offset: int) -> list[tuple[int, None]] | None:
    """(id, None) of one newest-first page of every matching article, or None: sort them all."""
    need = offset + limit
    if need > MAX_DEPTH:
        return None
    probe = _probe(rows, plan)
    bound = _since(rows, probe, need)
    if bound is None:
        return None
    if bound[1] >= min(r[0] for r in probe):
        return [(aid, None) for aid, _ in from_probe(probe, bound[0], False)[offset:need]]
    return [(r[0], None) for r in rows(
        f"SELECT a.id FROM {plan.fts} f JOIN articles a INDEXED BY articles_by_id ON a.id = f.rowid{plan.joins} "
        f"WHERE {plan.fts} MATCH ?{plan.where} AND f.rowid >= ? AND a.published_at >= ? "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?", [plan.expr, *plan.params, *bound[::-1],
                                                                     limit, offset])]


def newest_stories(rows, plan, inner: str, limit: int, offset: int) -> list[tuple[int, None]] | None:
    """(id, None) of one newest-first page, one hit per story, or None: sort them all. ``inner(cut)``: the
    per-story query of db/stories.py with that condition added (columns id, pub, sid, rn)."""
    need = offset + limit
    if need > MAX_DEPTH:
        return None
    probe = _probe(rows, plan)
    bound = _since(rows, probe, min(2 * need, PROBE))
    if bound is None:
        return None
    since, low = bound
    if low >= min(r[0] for r in probe):
        firsts = from_probe(probe, since, True)
    else:
        firsts = list(rows(f"SELECT id, sid FROM ({inner(' AND f.rowid >= ? AND a.published_at >= ?')}) "
                           "WHERE rn = 1 ORDER BY pub DESC, id DESC", [plan.expr, *plan.params, low, since]))
    older = _with_older_matches(rows, plan, {sid for _, sid in firsts if sid is not None}, since)
    kept = [aid for aid, sid in firsts if sid is None or sid not in older]
    if len(kept) < need:
        return None
    return [(aid, None) for aid in kept[offset:need]]


def _with_older_matches(rows, plan, sids: set[int], since: str) -> set[int]:
    """The stories among ``sids`` with a matching article (filters applied) published before ``since``."""
    if not sids:
        return set()
    members: dict[int, int] = {}
    sids_list = sorted(sids)
    for i in range(0, len(sids_list), 500):
        chunk = sids_list[i:i + 500]
        members.update({r[0]: r[1] for r in rows(
            f"SELECT y.article_id, y.story_id FROM article_stories y JOIN articles a ON a.id = y.article_id"
            f"{plan.joins} WHERE y.story_id IN ({marks(len(chunk))}) AND (a.published_at < ? OR a.published_at "
            f"IS NULL){plan.where}", [*chunk, since, *plan.params])})
    if not members:
        return set()
    ids = sorted(members)
    hit: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        hit.update(members[r[0]] for r in rows(
            f"SELECT rowid FROM {plan.fts} WHERE {plan.fts} MATCH ? AND rowid IN ({marks(len(chunk))})",
            [plan.expr, *chunk]))
    return hit
