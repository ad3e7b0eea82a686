"""Trends and related words of a query, on the search engine of db/search.py.

- :func:`trend`: matching articles and stories per day, ISO week or month (periods of db.search.periods).
- :func:`related`: the words that occur with a query in its matching articles, ranked by Dunning's
  log-likelihood ratio (G²) of their document frequency there against the rest of the archive. Document
  frequencies of the archive come from the Korean index itself (an fts5vocab table), so nothing is counted
  twice and no table is added.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from nlp.types import SUFFIX_MARK

from .archive import reader
from .korean_index import search_text
from .periods import _period_of, periods
from .search import _ARTICLES, _plan


def trend(db, query: str, by: str | None = None, lang: str = "any", since: str | None = None,
          until: str | None = None, **filters) -> tuple[str, list[dict]]:
    """(by, [{"query", "period", "start", "end", "articles", "stories"}]): every period of the range, empty
    ones with 0. An article without a story yet counts as a story of its own."""
    plan = _plan(db, query, lang, since, until, filters.get("source"), filters.get("region"),
                 filters.get("translated"))
    days: dict[str, int] = {}
    stories_of_day: dict[str, set[int]] = {}
    for day, sid in reader(db)(
            f"SELECT a.published_date, coalesce(x.story_id, -a.id) FROM {plan.fts} f JOIN {_ARTICLES} ON "
            f"a.id = f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id "
            f"WHERE {plan.fts} MATCH ?{plan.where}", [plan.expr, *plan.params]):
        if day:
            days[day] = days.get(day, 0) + 1
            stories_of_day.setdefault(day, set()).add(sid)
    by, pers = periods(days, by, since, until)
    per_label: dict[str, set[int]] = {}
    for day, sids in stories_of_day.items():
        per_label.setdefault(_period_of(date.fromisoformat(day), by)[0], set()).update(sids)
    return by, [{"query": query, "period": p.label, "start": p.start, "end": p.end, "articles": p.count,
                 "stories": len(per_label.get(p.label, ()))} for p in pers]


@dataclass
class Related:
    word: str
    score: float          # G², higher is more strongly associated
    together: int         # matching articles that hold the word
    archive: int          # articles of the whole archive that hold it


_WORD = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z0-9\-]+$")


def _g2(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 contingency table."""
    def h(*ks):
        n = sum(ks)
        return sum(k * math.log(k / n) for k in ks if k)
    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


def related(db, query: str, since: str | None = None, until: str | None = None, source=None,
            limit: int = 30, min_count: int = 2, lang: str = "ko", region: str | None = None,
            translated: bool | None = None) -> tuple[int, list[Related]]:
    """(matching articles, the words most associated with the query in them): content words and proper nouns
    of the Korean search text (nouns of two syllables or more, stems as lemmas) found in at least
    ``min_count`` matching articles and more often there than in the archive, by G²; the query's own terms
    left out."""
    rows = reader(db)
    plan = _plan(db, query, lang, since, until, source, region, translated)
    together: dict[str, int] = {}
    matched = 0
    for (packed,) in rows(f"SELECT a2.search_ko_z FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} "
                        f"JOIN articles a2 ON a2.id = a.id WHERE {plan.fts} MATCH ?{plan.where}",
                        [plan.expr, *plan.params]):
        matched += 1
        for w in set(search_text(packed).split()):
            if not w.startswith(SUFFIX_MARK) and _WORD.match(w):
                together[w] = together.get(w, 0) + 1
    own = {m.rstrip("*") for m in plan.marks} | {t.strip('"*') for t in re.findall(r'"[^"]+"\*?', plan.expr)}
    words = [w for w, n in together.items() if n >= min_count and w not in own
             and not any(w.startswith(o) for o in own if len(o) >= 2)]
    if not words:
        return matched, []
    total = next(iter(rows("SELECT count(*) FROM articles WHERE search_ko_z IS NOT NULL")))[0]
    df = _doc_freq(db, words)
    out = []
    for w in words:
        k11 = together[w]
        k21 = max(0, df.get(w, k11) - k11)
        k12 = matched - k11
        k22 = max(0, total - matched - k21)
        if k11 / max(1, matched) <= (k11 + k21) / max(1, total):
            continue                         # no more frequent with the query than without it
        out.append(Related(w, round(_g2(k11, k12, k21, k22), 2), k11, k11 + k21))
    out.sort(key=lambda r: (-r.score, -r.together, r.word))
    return matched, out[:limit]


def _doc_freq(db, words: list[str]) -> dict[str, int]:
    """Articles of the archive whose Korean index holds each word (the fts5vocab of articles_fts_ko)."""
    rows = reader(db)
    list(rows("CREATE VIRTUAL TABLE IF NOT EXISTS temp.newspipe_ko_vocab USING fts5vocab(main, articles_fts_ko, row)"))
    out: dict[str, int] = {}
    for i in range(0, len(words), 500):
        chunk = words[i:i + 500]
        out.update({r[0]: r[1] for r in rows(
            f"SELECT term, doc FROM temp.newspipe_ko_vocab WHERE term IN ({','.join('?' * len(chunk))})", chunk)})
    return out
