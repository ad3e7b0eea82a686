"""Assigning articles to stories: an article joins the story of the most similar article of the last N
days (estimated Jaccard similarity of their morpheme shingles at or above the threshold), else begins a
story of its own. Incremental: a run loads the stored signatures of the window (db/stories.py) into an LSH
index (nlp/shingles.py) and assigns only the articles that have no story yet; nothing else is recomputed.
``newspipe restory`` forgets every story and assigns the whole archive again, oldest first.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from datetime import date

from db import stories as store
from db.archive import Archive
from nlp.shingles import StoryIndex, from_bytes, signature, similarity, to_bytes

log = logging.getLogger("newspipe.stories")

THRESHOLD = 0.2       # shipped default of [stories] threshold (bench/eval_stories.py: P 1.000, R 0.995)
DAYS = 3              # shipped default of [stories] days


def _day(when: str | None) -> int:
    try:
        return date.fromisoformat((when or "")[:10]).toordinal()
    except ValueError:
        return 0


class Assigner:
    """The signatures of the window in an LSH index, each with its story; ``match`` finds the story of a new
    article, ``add`` puts the article in the index. Articles older than ``days`` before the newest day added
    leave the index (assignment goes oldest first)."""

    def __init__(self, threshold: float = THRESHOLD, days: int = DAYS):
        self.index = StoryIndex(threshold)
        self.days = days
        self.story: dict[int, int] = {}
        self.day: dict[int, int] = {}
        self._order: deque[tuple[int, int]] = deque()

    def add(self, aid: int, sid: int, mh, when: str | None, n: int = 0) -> None:
        if mh is None:
            return
        day = _day(when)
        self.index.add(aid, mh, n)
        self.story[aid] = sid
        self.day[aid] = day
        self._order.append((day, aid))

    def remove(self, aid: int) -> None:
        self.index.remove(aid)
        self.story.pop(aid, None)

    def evict(self, before_day: int) -> None:
        while self._order and self._order[0][0] < before_day:
            _, aid = self._order.popleft()
            if aid in self.story and self.day.get(aid, 0) < before_day:
                self.remove(aid)

    def match(self, mh, when: str | None, n: int = 0) -> tuple[int | None, float | None]:
        """(article, similarity) of the most similar article of the window within ``days`` of ``when``
        (``n``: the new article's shingles, see nlp.shingles.shares_enough)."""
        if mh is None:
            return None, None
        day = _day(when)
        for aid, sim in self.index.candidates(mh, n):
            if abs(self.day[aid] - day) <= self.days:
                return aid, sim
        return None, None


def assign_pending(archive: Archive, threshold: float = THRESHOLD, days: int = DAYS) -> dict:
    """Give every article without a story its story. Returns counts and timings: assigned, joined (an existing
    story), loaded (signatures of the window), pending_s (finding the articles), load_s (that and loading the
    window's signatures), assign_s, and each article's seconds (per_article_s,
    signature, match and store; bench/stories.py)."""
    t0 = time.perf_counter()
    todo = store.pending(archive)
    out = {"assigned": 0, "joined": 0, "loaded": 0, "pending_s": time.perf_counter() - t0, "load_s": 0.0,
           "assign_s": 0.0, "per_article_s": []}
    if not todo:
        return out
    assigner = Assigner(threshold, days)
    first = min(_day(p.published_at) for p in todo)
    since = date.fromordinal(max(1, first - days)).isoformat() if first else ""
    for aid, sid, blob, when, n, text in store.recent(archive, since):
        assigner.add(aid, sid, from_bytes(blob) if blob else signature(text)[0], when, n)
        out["loaded"] += 1
    out["load_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    while todo:
        with archive.batched() as batch:       # a transaction a batch of assignments (db/connection.py)
            for p in todo:
                t = time.perf_counter()
                _assign_one(archive, assigner, p, days, out)
                batch.done()
                out["per_article_s"].append(time.perf_counter() - t)
        # byte-identical copies whose original got its story just now (stored in the same run): theirs now
        todo = [p for p in store.pending(archive) if p.duplicate_of is not None]
    out["assign_s"] = time.perf_counter() - t1
    return out


def _assign_one(archive: Archive, assigner: Assigner, p, days: int, out: dict) -> None:
    """The story of one pending article ``p``, stored, and the article in the window."""
    assigner.evict(_day(p.published_at) - days)
    if p.duplicate_of is not None:
        sid = store.story_id(archive, p.duplicate_of)
        store.assign(archive, [(p.id, sid, p.duplicate_of, 1.0, None, 0, p.published_at, None)])
        out["assigned"] += 1
        out["joined"] += 1
        return
    assigner.remove(p.id)                  # a re-analysed article is matched afresh, never with itself
    mh, n = signature(p.search_text)
    matched, sim = assigner.match(mh, p.published_at, n)
    sid = assigner.story.get(matched) if matched is not None else None
    [sid] = store.assign(archive, [(p.id, sid, matched, None if sim is None else round(sim, 4),
                                    None if mh is None else to_bytes(mh), n, p.published_at, p.analysed_at)])
    assigner.add(p.id, sid, mh, p.published_at, n)
    out["assigned"] += 1
    out["joined"] += matched is not None


def restory(archive: Archive, threshold: float = THRESHOLD, days: int = DAYS) -> dict:
    """Forget all stories and assign every article again, oldest first."""
    store.clear(archive)
    return assign_pending(archive, threshold, days)


def story_of(archive, article_id: int) -> dict | None:
    """{"id", "articles": [{"id", "outlet", "published_at", "similarity", "title_ko"}]}: the other articles of
    the article's story, with their estimated similarity to it; None when it has no story yet."""
    sid = store.story_id(archive, article_id)
    if sid is None:
        return None
    members = store.members(archive, sid)
    me = next((m for m in members if m.id == article_id), None)
    sigs = {m.id: from_bytes(m.signature) if m.signature else signature(m.search_text)[0]
            for m in members if m.signature or m.search_text}
    copy_of = {m.id: m.matched_id for m in members if m.id not in sigs and m.matched_id}
    mine = sigs.get(article_id)
    out = []
    for m in members:
        if m.id == article_id:
            continue
        other = sigs.get(m.id) or sigs.get(copy_of.get(m.id))
        if me is not None and article_id not in sigs and me.matched_id:
            mine = sigs.get(me.matched_id)
        sim = round(similarity(mine, other), 3) if mine is not None and other is not None else None
        out.append({"id": m.id, "outlet": m.outlet, "published_at": m.published_at, "similarity": sim,
                    "title_ko": m.title_ko})
    return {"id": sid, "size": len(members), "articles": out}



def _key(sentence: str) -> str:
    """A sentence compared across copies: its letters and digits only (spacing and punctuation vary)."""
    return "".join(c for c in sentence if c.isalnum())


def differences(archive, article_id: int, others: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """For each other article of the story: (the sentences this article has and it lacks, the sentences it
    has and this article lacks)."""
    sents = store.sentences_of(archive, [article_id, *others])
    mine = {_key(s) for s in sents[article_id]}
    out = {}
    for o in others:
        theirs = {_key(s) for s in sents[o]}
        out[o] = ([s for s in sents[article_id] if _key(s) not in theirs],
                  [s for s in sents[o] if _key(s) not in mine])
    return out


def story_lines(archive, article_id: int, story: dict | None, most: int = 3) -> list[str]:
    """`newspipe show`: the story's other articles, each with what this version adds and lacks."""
    if not story or not story["articles"]:
        return []
    diffs = differences(archive, article_id, [a["id"] for a in story["articles"]])
    out = [f"story {story['id']}: {len(story['articles']) + 1} articles"]
    for a in story["articles"]:
        adds, lacks = diffs[a["id"]]
        sim = "?" if a["similarity"] is None else f"{a['similarity']:.2f}"
        out.append(f"  #{a['id']}  {a['outlet'] or ''}  {a['published_at'] or '?'}  similarity {sim}  "
                   f"{a['title_ko'] or ''}")
        if not adds and not lacks:
            out.append("    the same sentences")
            continue
        out.append(f"    this version adds {len(adds)} sentence{'s' * (len(adds) != 1)} and lacks {len(lacks)}")
        out += [f"    + {s}" for s in adds[:most]] + [f"    - {s}" for s in lacks[:most]]
        if len(adds) > most or len(lacks) > most:
            out.append(f"    (and {max(0, len(adds) - most) + max(0, len(lacks) - most)} more)")
    return out
