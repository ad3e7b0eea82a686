"""Trends and related words of a query, on the search engine of db/search.py.

- :func:`trend`: matching articles and stories per day, ISO week or month (periods of db.search.periods).
- :func:`summary`: every match counted once, in all and per day (the search page's counts and chart).
- :func:`coverage`: every article the filters keep, counted the same way: what ``share=True`` divides by.
- :func:`related`: the words that occur with a query in its matching articles, ranked by Dunning's
  log-likelihood ratio (G²) of their document frequency there against the rest of the archive. Document
  frequencies of the archive come from the Korean index itself (an fts5vocab table), so nothing is counted
  twice and no table is added; the web page reads a sample instead (the newest matches against the newest
  articles), since the vocabulary of a large index takes seconds to read.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import chain

from nlp.types import STOPWORDS, SUFFIX_MARK

from .archive import reader
from .korean_index import search_text
from .periods import _period_of, periods
from .search import _ARTICLES, _plan, filter_sql


@dataclass
class Summary:
    """Every match of a query, counted in one pass: articles and stories in all, and per KST day (an article
    without a story yet counts as a story of its own; one without a date counts in all only)."""
    total: int
    stories: int
    days: dict[str, int]
    day_stories: dict[str, set[int]]


def summary(db, plan) -> Summary:
    """The :class:`Summary` of a search plan (db.search._plan)."""
    days: dict[str, int] = {}
    day_stories: dict[str, set[int]] = {}
    every: set[int] = set()
    total = 0
    for day, sid in reader(db)(
            f"SELECT a.published_date, coalesce(x.story_id, -a.id) FROM {plan.fts} f JOIN {_ARTICLES} ON "
            f"a.id = f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id "
            f"WHERE {plan.fts} MATCH ?{plan.where}", [plan.expr, *plan.params]):
        total += 1
        every.add(sid)
        if day:
            days[day] = days.get(day, 0) + 1
            day_stories.setdefault(day, set()).add(sid)
    return Summary(total, len(every), days, day_stories)


def coverage(db, since: str | None = None, until: str | None = None, source=None, region: str | None = None,
             translated: bool | None = None, lang: str = "ko", stories: bool = True, author=None) -> Summary:
    """Every article the filters keep (matching or not), as a :class:`Summary`: what a share divides by. For an
    English query (``lang`` en) only those with English (translated, or with the publisher's own English: the
    English index holds both; read from the rows, not from indexes alone). A Korean query's is read from indexes alone
    (articles_published_date, articles_by_id: ~3 ms a 10,000 articles; ~30 ms with their stories, not read
    with ``stories`` False, bench/trend_share.py): so a byte-identical copy of another article (which carries
    no search text of its own, its original matching for it) and an article not yet analysed count in the whole
    though never among the matches; the stories do not count a copy apart (it is in its original's story)."""
    joins, conds, params = filter_sql(db, since, until, source, region, translated, author)
    if lang == "en":        # what the English index holds: the machine's English (a partly translated article's
        # passed sentences too) and the publisher's own
        conds.append("(a.title_en IS NOT NULL OR a.body_en IS NOT NULL OR a.publisher_en IS NOT NULL)")
    days: dict[str, int] = {}
    day_stories: dict[str, set[int]] = {}
    total, every = 0, set()
    where = "".join(" AND " + c for c in conds)
    story = ", coalesce(x.story_id, -a.id)" if stories else ", NULL"
    for day, sid, n in reader(db)(
            f"SELECT a.published_date{story}, count(*) FROM articles a{joins}"
            f"{' LEFT JOIN article_stories x ON x.article_id = a.id' if stories else ''} WHERE a.published_date "
            f"IS NOT NULL{where} GROUP BY 1, 2", params):
        total += n
        days[day] = days.get(day, 0) + n
        if stories:
            every.add(sid)
            day_stories.setdefault(day, set()).add(sid)
    return Summary(total, len(every), days, day_stories)


def _per_label(counted: Summary, by: str) -> dict[str, set[int]]:
    per_label: dict[str, set[int]] = {}
    for day, sids in counted.day_stories.items():
        per_label.setdefault(_period_of(date.fromisoformat(day[:10]), by)[0], set()).update(sids)
    return per_label


def _pct(part: int, whole: int) -> float | None:
    """``part`` in per cent of ``whole`` (3 decimals), None when there is no whole (no articles)."""
    return round(100 * part / whole, 3) if whole else None


def trend_rows(query: str, counted: Summary, by: str | None = None, since: str | None = None,
               until: str | None = None, of: Summary | None = None) -> tuple[str, list[dict]]:
    """(by, rows) of :func:`trend` from a :class:`Summary`; with ``of`` (a :func:`coverage`), each row also
    has all_articles and all_stories, the period's articles and stories under the same filters, and
    articles_pct and stories_pct, the matching ones in per cent of those (None for a period without articles)."""
    by, pers = periods(counted.days, by, since, until)
    per_label = _per_label(counted, by)
    rows = [{"query": query, "period": p.label, "start": p.start, "end": p.end, "articles": p.count,
             "stories": len(per_label.get(p.label, ()))} for p in pers]
    if of is not None:
        _, all_pers = periods(of.days, by, pers[0].start, pers[-1].end) if pers else (by, [])
        all_articles = {p.label: p.count for p in all_pers}
        all_stories = _per_label(of, by)
        for r in rows:
            r["all_articles"] = all_articles.get(r["period"], 0)
            r["all_stories"] = len(all_stories.get(r["period"], ()))
            r["articles_pct"] = _pct(r["articles"], r["all_articles"])
            r["stories_pct"] = _pct(r["stories"], r["all_stories"])
    return by, rows


def trend(db, query: str, by: str | None = None, lang: str = "any", since: str | None = None,
          until: str | None = None, share: bool = False, **filters) -> tuple[str, list[dict]]:
    """(by, [{"query", "period", "start", "end", "articles", "stories"}]): every period of the range, empty
    ones with 0. An article without a story yet counts as a story of its own. ``share``: each row also has
    all_articles, all_stories, articles_pct and stories_pct (see :func:`trend_rows`)."""
    by, out = trends(db, [query], by, lang, since, until, share, **filters)
    return by, out[0]


def trends(db, queries: list[str], by: str | None = None, lang: str = "any", since: str | None = None,
           until: str | None = None, share: bool = False, **filters) -> tuple[str, list[list[dict]]]:
    """:func:`trend` of several queries on one calendar: every query over the same periods, those of the range
    [since or the first day any of them matches, until or the last], so that their rows line up (each query's
    own range put one query's bars under another's periods in a chart). ``share``: as in :func:`trend`, every
    query divided by the articles the same filters keep (:func:`coverage`: the same for every Korean query;
    those with English, translated or the publisher's own, for an English query)."""
    f = (filters.get("source"), filters.get("region"), filters.get("translated"), filters.get("author"))
    plans = [_plan(db, q, lang, since, until, *f) for q in queries]
    counted = [summary(db, plan) for plan in plans]
    days = [d[:10] for c in counted for d in c.days if d]
    first, last = since or (min(days) if days else None), until or (max(days) if days else None)
    of: dict[str, Summary | None] = {p.lang: None for p in plans}
    if share:
        by, of = _wholes(db, {p.lang for p in plans}, days, by, (first, last), (since, until), f)
    out = [trend_rows(q, c, by, first, last, of[p.lang]) for q, c, p in zip(queries, counted, plans)]
    return (out[0][0] if out else by or "day"), [rows for _, rows in out]


def _wholes(db, langs: set[str], days: list[str], by: str | None, span: tuple, asked: tuple,
            f: tuple) -> tuple[str, dict[str, Summary | None]]:
    """(by, the :func:`coverage` of each index in ``langs``) over the periods listed for ``span``: the whole
    periods (the first and last in full) unless ``asked`` (since, until) cuts them, as it cuts the matches."""
    by, listed = periods(dict.fromkeys(days, 1), by, *span)
    if not listed:
        return by, {index: Summary(0, 0, {}, {}) for index in langs}
    since, until = asked[0] or listed[0].start, asked[1] or listed[-1].end
    return by, {index: coverage(db, since, until, *f[:3], lang=index, author=f[3]) for index in langs}


@dataclass
class Related:
    word: str
    score: float          # G², higher is more strongly associated
    together: int         # matching articles that hold the word
    archive: int          # articles of the whole archive that hold it


_WORD = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z0-9\-]+$")


def _xlx(k: int) -> float:
    return k * math.log(k) if k > 0 else 0.0


def _g2(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 contingency table: 2 (Σ cells k ln k - Σ rows - Σ columns
    + N ln N)."""
    return 2 * (_xlx(k11) + _xlx(k12) + _xlx(k21) + _xlx(k22) + _xlx(k11 + k12 + k21 + k22)
                - _xlx(k11 + k12) - _xlx(k21 + k22) - _xlx(k11 + k21) - _xlx(k12 + k22))


def related(db, query: str, since: str | None = None, until: str | None = None, source=None,
            limit: int = 30, min_count: int = 2, lang: str = "ko", region: str | None = None,
            translated: bool | None = None, sample: int | None = None, author=None) -> tuple[int, list[Related]]:
    """(matching articles, the words most associated with the query in them): the nouns and names of the
    Korean search text (two syllables or more; Latin-script words too) found in at least ``min_count``
    matching articles and more often there than in the archive, by G²; the query's own terms and the
    keywords' stopwords (이번, 관련, 가운데 …) left out, and the lemmas of verbs and adjectives
    (하다, 있다, 빠르다, 찾다 …: the search text spells them with 다, as a few nouns end, 캐나다, 바다):
    a term ending in 다 is a word only where a matching article's analysis named it a noun (its proper
    nouns, its keywords).

    ``sample``: read only that many of the newest matching articles, against the :data:`BACKGROUND` newest
    articles of the archive instead of the index's vocabulary (reading an article's terms costs ~0.15 ms, the
    vocabulary of a large index seconds): bounded work for the web page, the same answer on an archive that
    small. The counts (matching articles, ``together``, ``archive``) are then those of the articles read."""
    plan = _plan(db, query, lang, since, until, source, region, translated, author)
    matched, together, terms, nouns = _matches(db, plan, sample)
    own = {m.rstrip("*") for m in plan.marks} | {t.strip('"*') for t in re.findall(r'"[^"]+"\*?', plan.expr)}
    prefixes = tuple(o for o in own if len(o) >= 2) + (SUFFIX_MARK,)       # reversed nouns are index aids
    words = [w for w, n in together.items() if n >= min_count and _WORD.match(w) and w not in own
             and w not in STOPWORDS and not w.startswith(prefixes) and (w[-1] != "다" or w in nouns)]
    if not words:
        return matched, []
    if sample:
        total, rest = _rest(db, words, together, terms)
        out = _scored(words, together, rest, matched, total)
    else:
        out = _best_of_archive(db, words, together, matched, limit)
    out.sort(key=lambda r: (-r.score, -r.together, r.word))
    return matched, out[:limit]


_NOUN_DA = re.compile(r'"([^"\\]+다)"')       # a noun ending in 다 in an article's entities or keywords (JSON)


def _matches(db, plan, sample: int | None) -> tuple[int, Counter, list[tuple[int, set[str]]], set[str]]:
    """Each matching article read once (``sample``: the newest that many): (the articles read, in how many of
    them each term occurs, (id, terms) of each for a sample only, the nouns ending in 다 that their analyses
    named: every proper noun (entities), the keywords (an article's 20 commonest nouns))."""
    together: Counter = Counter()
    terms: list[tuple[int, set[str]]] = []
    nouns: set[str] = set()
    matched = 0
    sql = (f"SELECT a.id, a2.search_ko_z, a2.entities || a2.keywords FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = "
           f"f.rowid{plan.joins} JOIN articles a2 ON a2.id = a.id WHERE {plan.fts} MATCH ?{plan.where}"
           + (" ORDER BY f.rowid DESC LIMIT ?" if sample else ""))
    for aid, packed, named in reader(db)(sql, [plan.expr, *plan.params, *([sample] if sample else [])]):
        seen = set(search_text(packed).split())
        together.update(seen)                # counted as read: 60,000 matches never held at once
        matched += 1
        if sample:
            terms.append((aid, seen))
        if '다"' in named:
            nouns.update(_NOUN_DA.findall(named))
    return matched, together, terms, nouns


def _scored(words: list[str], together: dict[str, int], rest: dict[str, int], matched: int,
            total: int) -> list[Related]:
    """The words more frequent with the query than without it, each with its G²."""
    out = []
    for w in words:
        k11 = together[w]
        k21 = max(0, rest[w])
        k12 = matched - k11
        k22 = max(0, total - matched - k21)
        if k11 / max(1, matched) <= (k11 + k21) / max(1, total):
            continue                         # no more frequent with the query than without it
        out.append(Related(w, round(_g2(k11, k12, k21, k22), 2), k11, k11 + k21))
    return out


LOOKUP = 500                                 # words looked up in the index at a time


def _best_of_archive(db, words: list[str], together: dict[str, int], matched: int, limit: int) -> list[Related]:
    """The ``limit`` best of ``words`` (and any that tie with them) against the index's vocabulary, looked up
    :data:`LOOKUP` words at a time in the order of the best G² each could have (its articles all among the matches:
    G² only falls as the archive's other articles with the word grow), until no word left could reach the
    ``limit``-th score. Reading a common word's count from the index costs ~0.2 ms: most are never read."""
    total = next(iter(reader(db)("SELECT count(*) FROM articles WHERE search_ko_z IS NOT NULL")))[0]
    best = {w: _g2(together[w], matched - together[w], 0, max(0, total - matched)) for w in words}
    order = sorted(words, key=lambda w: -best[w])
    out: list[Related] = []
    for i in range(0, len(order), LOOKUP):
        if len(out) >= limit and best[order[i]] < heapq.nlargest(limit, (r.score for r in out))[-1] - 0.01:
            break                            # (scores are rounded to 0.01)
        chunk = order[i:i + LOOKUP]
        df = _doc_freq(db, chunk)
        out += _scored(chunk, together, {w: df.get(w, together[w]) - together[w] for w in chunk}, matched, total)
    return out


def _rest(db, words: list[str], together: dict[str, int], terms: list[tuple]) -> tuple[int, dict[str, int]]:
    """The rest of the archive for a sample, stood for by its BACKGROUND newest articles: (the articles
    read and the background's others, for each word the background's others that hold it). ``terms``: (id,
    set of terms) of each article read."""
    bg_ids, bg = _background(db)
    both = [t for aid, t in terms if aid in bg_ids]                          # read and in the background
    seen = together if len(both) == len(terms) else _doc_counts(both)
    return len(terms) + len(bg_ids) - len(both), {w: bg.get(w, 0) - seen.get(w, 0) for w in words}


def _doc_counts(term_sets) -> Counter:
    """In how many of the sets each term occurs."""
    return Counter(chain.from_iterable(term_sets))


BACKGROUND = 2000                            # the newest articles that stand for the archive in a sample
_backgrounds: dict[tuple, tuple[set[int], dict[str, int]]] = {}


def _background(db) -> tuple[set[int], dict[str, int]]:
    """(ids, word document counts) of the BACKGROUND newest articles with search text; kept per archive file
    until an article is added (computed in ~0.3 s)."""
    rows = reader(db)
    path = next((r[2] for r in rows("PRAGMA database_list") if r[1] == "main"), "")
    key = (path, next(iter(rows("SELECT max(id) FROM articles")))[0])
    if key not in _backgrounds:
        picked = list(rows("SELECT id, search_ko_z FROM articles WHERE search_ko_z IS NOT NULL ORDER BY id DESC "
                           "LIMIT ?", [BACKGROUND]))
        if len(_backgrounds) > 8:
            _backgrounds.clear()
        _backgrounds[key] = ({aid for aid, _ in picked}, _doc_counts(set(search_text(p).split()) for _, p in picked))
    return _backgrounds[key]


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
