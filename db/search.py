"""Archive search over the FTS5 indexes: Korean by Kiwi morphemes, English with porter stemming. One engine
for `newspipe search` and the web page `/-/search` (db/datasette_plugin.py): same hits, same order, same
error text.

A Korean query word is analysed the way the same word was analysed in the archive's own text: the
nlp stage records each word it met with its search terms (table ``ko_forms``: 전주시는 → 전주시,
수상했다 → 수상 하다), so a search never loads Kiwi (2-3 s). A word the archive has never seen is taken
as the stem its longer forms in the archive share (관리들 → 관리, from 관리들은, 관리들이), else as itself
and itself without a trailing particle (군산시가 → 군산시) -- but never cut to one syllable (시가 stays 시가,
not 시). Terms of two syllables or more are matched as a prefix, so 전주 finds 전주시; a one-syllable term
is matched whole (물이 → 물 finds 물, not 물가).

English is searched over all the English an article has: the machine translation and the publisher's own
(``articles.publisher_en``).

Query syntax, supported on purpose: words (all must match), "a phrase", OR, NOT (between two terms),
AND, and parentheses. Anything else FTS5 would read as syntax is quoted; a malformed query raises
QueryError with a one-line reason. Parsing and the Korean word analysis live in nlp/query.py; this module
reads ``ko_forms`` for it (db/forms.py) and turns the result into FTS5 expressions.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from scrapers.util.text import HANGUL
from scrapers.util.urls import web_address
from nlp.query import MAX_QUERY, QueryError, parse, word_terms
from nlp.types import SUFFIX_MARK

from .connection import reader
from .periods import BY, Period, _period_of, periods, pick_period  # noqa: F401  (re-exported: trends, tests)
from .filters import SORTS, article_filters, check_paging, known_filters  # noqa: F401 (SORTS: re-exported)
from .forms import known_forms, longer_forms, longer_terms
from .match import en_match, ko_match
from .publisher_en import english_of_korean_at, korean_of_english_matching, publisher_english

__all__ = ["MAX_QUERY", "QueryError", "QueryForms", "parse", "search", "search_page", "ko_match", "en_match"]
LANGS = ("ko", "en", "any")
RANK_WINDOW = 2000
_WHOLE_HANGUL = re.compile(SUFFIX_MARK + "?[\uac00-\ud7a3]{3,}$")     # a term the index holds as written
# A search reads of each matching article only what this covering index holds (db/schema.py, m004): the
# table's rows carry the bodies, and going through them costs 3-4 times more.
_ARTICLES = "articles a INDEXED BY articles_by_id"


@dataclass
class Hit:
    id: int
    title_ko: str
    title_en: str | None
    published_at: str | None
    date: str | None                 # the KST date of publication
    source_id: str | None
    outlet: str | None
    region: str | None
    url: str | None
    translated: bool
    snippet_ko: str                  # around the first hit; for an English hit the Korean of its sentence
    snippet_en: str                  # around the first hit; for a Korean hit the English of its sentence
    score: float | None              # BM25 (lower is better); None when sorted by date
    lang: str                        # the index that matched: ko or en
    story_id: int | None = None      # its story (db/stories.py); None before the run assigned one
    story_size: int = 1              # the articles of that story
    other_outlets: list[str] = field(default_factory=list)   # the outlets of the story's articles of another text
    identical_copies: int = 0        # the story's articles with this very text (byte-identical), in story_size
    identical_outlets: list[str] = field(default_factory=list)   # their outlets
    en_provenance: str | None = None     # whose English title_en and snippet_en are: machine, publisher (its own)
    publisher_english: bool = False      # the publisher's own English is in the archive (db/publisher_en.py)
    authors: list[str] = field(default_factory=list)     # the byline's names (empty when the page named none)


@dataclass
class Results:
    """One page of hits, with the number of all matches and the matches per KST day."""
    query: str
    lang: str
    sort: str
    offset: int
    limit: int
    hits: list[Hit]
    total: int
    days: dict[str, int] = field(default_factory=dict)
    stories: int | None = None       # the stories the matches belong to (None: copies not collapsed)


class QueryForms:
    """Query words → Korean search terms, read from the archive's ``ko_forms`` (no Kiwi; the analysis is
    nlp.query's). ``source``: an Archive, or any sqlite3 connection to an archive (the Datasette plugin's)."""

    def __init__(self, source, vocabulary: bool = True):
        self._rows = reader(source)
        self._vocabulary = vocabulary
        self._alone: dict[str, bool] = {}

    def terms(self, words: list[str]) -> dict[str, list[list[str]]]:
        """For each word: alternatives, each a list of terms that must all match."""
        known = known_forms(self._rows, sorted({w for w in words if HANGUL.search(w)}))
        return word_terms(words, known, lambda w: longer_forms(self._rows, w))

    def alone(self, prefix: str) -> bool:
        """Whether the Korean index holds no longer term that starts with ``prefix`` (a Hangul term of three
        syllables or more, reversed or not): then the prefix query and the term itself are one query -- the
        same rows, the same BM25 -- and the term is read lazily, where a prefix without a prefix index
        gathers every matching row of its terms first, once for the match and once more for BM25 (대통령, whose
        reversed arm is alone: 14.5 -> 11.2 ms of index work at 100,000 articles). ``vocabulary=False``: never
        asked (a prefix)."""
        if not self._vocabulary or not _WHOLE_HANGUL.match(prefix):
            return False
        if prefix not in self._alone:
            self._alone[prefix] = longer_terms(self._rows, prefix) is False
        return self._alone[prefix]


def _pattern(marks: Iterable[str]) -> re.Pattern | None:
    """The marks as they occur in the text; one that starts with a digit only at the start of a number (the query 1
    marked the 1 of 21일, which it does not match: the index holds 21 whole, and matches a number by its start)."""
    marks = sorted({m for m in marks if m}, key=len, reverse=True)
    return re.compile("|".join((r"(?<!\d)" if m[0].isdigit() else "") + re.escape(m) for m in marks)) if marks \
        else None


def _word_start(words: Iterable[str]) -> re.Pattern | None:
    """Latin words by their first letters, at a word start, to the end of the word (recovering marks
    recovered; a one-letter word marks nothing)."""
    stems = sorted({w[: max(4, len(w) - 3)] for w in words if len(w) > 1}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I) if stems else None


def highlight(text: str, marks: list[str], width: int = 80, open_: str = "[", close: str = "]") -> str:
    """A window of ``text`` around the first of ``marks``, each occurrence wrapped in open_/close."""
    return _window(text, _pattern(marks), width, open_, close)


def _window(text: str, pattern: re.Pattern | None, width: int, open_: str, close: str) -> str:
    if not text:
        return ""
    m = pattern.search(text) if pattern else None
    start = max(0, m.start() - width // 3) if m else 0
    window = text[start:start + width].replace("\n", " ")
    if pattern:
        window = pattern.sub(lambda x: f"{open_}{x.group()}{close}", window)
    return ("…" if start > 0 else "") + window + ("…" if start + width < len(text) else "")


# ------------------------------------------------------------------------------- running
@dataclass
class _Plan:
    lang: str
    fts: str
    expr: str
    marks: list[str]
    joins: str                 # the sources join, when a filter needs it
    where: str
    params: list


def filter_sql(db, since: str | None, until: str | None, source, region: str | None,
               translated: bool | None, author=None) -> tuple[str, list[str], list]:
    """(joins, conditions, parameters) on ``articles a`` of the filters every search, trend and share takes;
    an unknown source or region is refused (QueryError)."""
    known_filters(db, source, region)
    conds, params = article_filters(since, until, source, author)
    joins = ""
    if region:
        joins = " JOIN sources s ON s.id = a.source_id"
        conds.append("s.region = ?")
        params.append(region)
    if translated is not None:
        conds.append("a.translate_status = 'done'" if translated else "a.translate_status <> 'done'")
    return joins, conds, params


def _plan(db, query: str, lang: str, since: str | None, until: str | None, source, region: str | None,
          translated: bool | None, author=None) -> _Plan:
    if lang not in LANGS:
        raise QueryError(f"--lang must be ko, en or any, not {lang!r}")
    parse(query)
    joins, conds, params = filter_sql(db, since, until, source, region, translated, author)
    where = "".join(" AND " + c for c in conds)
    lang = _lang(db, query, lang, joins, where, params)
    if lang == "ko":
        expr, marks = ko_match(query, QueryForms(db))
    else:
        expr, marks = en_match(query)
    return _Plan(lang, f"articles_fts_{lang}", expr, marks, joins, where, params)


def _window_cut(rows, plan: _Plan, n: int | None = None):
    """(rowid,) of the n-th (RANK_WINDOW-th) newest match in the index (filters not applied), or None when
    there are fewer."""
    return next(iter(rows(f"SELECT rowid FROM {plan.fts} WHERE {plan.fts} MATCH ? ORDER BY rowid DESC LIMIT 1 "
                          f"OFFSET {int(n or RANK_WINDOW) - 1}", [plan.expr])), None)


def _ranked_ids(rows, plan: _Plan, limit: int, offset: int, sort: str) -> list[tuple[int, float | None]]:
    """(id, score) of one page. By relevance: BM25 among the RANK_WINDOW newest matching articles (rowid
    order is archive order), then the older matches by BM25: ranking every match of a word found in most of
    100,000 articles costs ~120 ms, the window ~10 ms; pages stay consistent with each other."""
    fts = plan.fts
    base = (f"FROM {fts} f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} WHERE {fts} MATCH ?{plan.where}")
    args = [plan.expr, *plan.params]
    if sort == "newest":
        from .newest import newest_ids
        page = newest_ids(rows, plan, limit, offset)
        return page if page is not None else [(r[0], None) for r in rows(
            f"SELECT a.id {base} ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?", [*args, limit, offset])]
    if offset < RANK_WINDOW:             # the window, the index read once (a prefix query reads it all)
        window = (f"FROM (SELECT rowid, rank FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT "
                  f"{int(RANK_WINDOW)}) f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} WHERE 1{plan.where}")
        page = [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {window} ORDER BY f.rank, a.id DESC "
                                           "LIMIT ? OFFSET ?", [*args, limit, offset])]
        if len(page) == limit:
            return page
    cut = _window_cut(rows, plan)
    if cut is None:
        return [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {base} ORDER BY f.rank, a.id DESC "
                                           "LIMIT ? OFFSET ?", [*args, limit, offset])]
    return [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {base} ORDER BY f.rowid >= ? DESC, f.rank, "
                                       "a.id DESC LIMIT ? OFFSET ?", [*args, cut[0], limit, offset])]


def _hits(rows, plan: _Plan, ranked: list[tuple[int, float | None]], marks: tuple[str, str]) -> list[Hit]:
    if not ranked:
        return []
    ids = [i for i, _ in ranked]
    qs = ",".join("?" * len(ids))
    details = {r[0]: r for r in rows(
        "SELECT a.id, a.title_ko, a.title_en, a.published_at, a.published_date, a.source_id, "
        "coalesce(nullif(a.outlet, ''), s.outlet, s.name), s.region, coalesce(a.canonical_url, a.url), "
        "a.translate_status = 'done', a.body_ko, a.body_en, a.publisher_en IS NOT NULL, a.authors FROM articles a LEFT JOIN "
        f"sources s ON s.id = a.source_id WHERE a.id IN ({qs})", ids)}
    publisher = publisher_english(rows, [i for i, d in details.items() if d[12] and d[2] is None and d[11] is None])
    en_snippets: dict[int, str] = {}
    if plan.lang == "en":
        en_snippets = {r[0]: r[1] for r in rows(
            f"SELECT rowid, snippet(articles_fts_en, -1, ?, ?, '…', 14) FROM articles_fts_en WHERE "
            f"articles_fts_en MATCH ? AND rowid IN ({qs})", [*marks, plan.expr, *ids])}
    ko_pattern = _pattern(plan.marks) if plan.lang == "ko" else None
    en_pattern = _word_start(w for m in plan.marks for w in re.findall(r"[A-Za-z0-9]+", m))
    out = []
    for aid, score in ranked:
        d = details.get(aid)
        if d is None:
            continue
        pub = publisher.get(aid)
        if plan.lang == "ko":
            snippet_ko, snippet_en = _ko_snippets(rows, aid, d, ko_pattern, en_pattern, marks, pub)
        else:
            snippet_ko, snippet_en = _en_snippets(rows, aid, d, en_snippets.get(aid), en_pattern, marks, pub)
        title_en, provenance = _english(d, pub)
        out.append(Hit(aid, d[1] or "", title_en, d[3], d[4], d[5], d[6], d[7], web_address(d[8]), bool(d[9]),
                       snippet_ko, snippet_en, score, plan.lang, en_provenance=provenance,
                       publisher_english=bool(d[12]), authors=_names(d[13])))
    return out


def _names(authors: str | None) -> list[str]:
    try:
        names = json.loads(authors or "[]")
    except ValueError:
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _english(d, pub) -> tuple[str | None, str | None]:
    """A hit's English title and whose English it shows: the machine's, else the publisher's own, else none."""
    if d[2] is not None or d[11] is not None:
        return d[2], "machine"
    return (pub.title_en, "publisher") if pub is not None else (None, None)


def _ko_snippets(rows, aid: int, d, ko_pattern, en_pattern, marks: tuple[str, str], pub) -> tuple[str, str]:
    """A Korean hit: the Korean around the first hit; the English of the sentence that holds it (without machine
    English, the publisher's English of its paragraph)."""
    body_ko, body_en = d[10] or "", d[11] or ""
    m = ko_pattern.search(body_ko) if ko_pattern else None
    snippet_ko = _window(body_ko or d[1] or "", ko_pattern, 80, *marks)
    aligned = next(iter(rows('SELECT en_start, en_end, en FROM sentence_spans WHERE article_id = ? AND start <= ? '
                             "ORDER BY idx DESC LIMIT 1", [aid, m.start()])), None) if m else None
    en = _cut(d[11], aligned[0], aligned[1], aligned[2]) if aligned else None
    en_text = (en or body_en) or d[2] or ""
    if pub is not None:
        en_text = english_of_korean_at(body_ko, pub, m.start() if m else None)
    return snippet_ko, _window(en_text, en_pattern, 120, *marks)


def _en_snippets(rows, aid: int, d, fts_snippet: str | None, en_pattern, marks: tuple[str, str],
                 pub) -> tuple[str, str]:
    """An English hit: the English around the first hit (machine or publisher); the Korean of the sentence
    whose English holds it (of the paragraph whose publisher's English holds it)."""
    body_ko, body_en = d[10] or "", d[11] or ""
    snippet_en = fts_snippet or _window(body_en, en_pattern, 80, *marks)
    aligned = next((ko for ko, en in _sentence_texts(rows, aid, body_ko, d[11]) if en and en_pattern
                    and en_pattern.search(en)), None) if en_pattern else None
    if aligned is None and pub is not None:
        aligned = korean_of_english_matching(body_ko, pub, en_pattern)
    return _window(aligned if aligned is not None else body_ko, None, 80, *marks), snippet_en


def _sentence_texts(rows, aid: int, body_ko: str, body_en: str | None):
    """(ko, en) of each sentence of the article in order, as the ``sentences`` view gives them
    (db/schema_compact.py) -- cut here from the bodies the hit already has: the view cuts them out of the
    article row again for every sentence (~0.1 ms an article)."""
    for start, end, en_start, en_end, ko, en in rows(
            'SELECT start, "end", en_start, en_end, ko, en FROM sentence_spans WHERE article_id = ? ORDER BY idx',
            [aid]):
        yield ko if ko is not None else body_ko[start:end], _cut(body_en, en_start, en_end, en)


def _cut(body_en: str | None, start: int | None, end: int | None, literal: str | None) -> str | None:
    """A sentence's English as the ``sentences`` view gives it: its slice of the body, or its literal."""
    return literal if start is None else (body_en[start:end] if body_en is not None else None)


def _lang(db, query: str, lang: str, joins: str, where: str, params: list) -> str:
    """The index ``lang`` names; any: Korean when the query has Hangul, else English -- unless no English of
    the articles the filters keep holds it (untranslated ones; KTX, LH or 119 in Korean text), then Korean."""
    if lang != "any" or HANGUL.search(query):
        return "ko" if lang == "any" else lang
    found = reader(db)(f"SELECT 1 FROM articles_fts_en f JOIN {_ARTICLES} ON a.id = f.rowid{joins} WHERE "
                       f"articles_fts_en MATCH ?{where} LIMIT 1", [en_match(query)[0], *params])
    return "en" if next(iter(found), None) else "ko"


def search(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
           source: str | Iterable[str] | None = None, limit: int = 20, region: str | None = None,
           translated: bool | None = None, marks: tuple[str, str] = ("[", "]"), offset: int = 0,
           sort: str = "relevance", collapse: bool = True, author: str | Iterable[str] | None = None) -> list[Hit]:
    """Hits for ``query`` in Korean (ko), English (en), or by the query's script (any: Korean when it has
    Hangul), ranked by BM25 or newest first; ``db`` an Archive or a sqlite3 connection to one. ``collapse``:
    one hit per story (its earliest matching article), else every copy. ``author``: only articles one of these
    names wrote (db.filters.author_name: whole names, as bylines print them)."""
    check_paging(limit, offset, sort)
    plan = _plan(db, query, lang, since, until, source, region, translated, author)
    rows = reader(db)
    from .stories import ranked_stories, with_stories
    ranked = (ranked_stories if collapse else _ranked_ids)(rows, plan, limit, offset, sort)
    return with_stories(db, _hits(rows, plan, ranked, marks))


def matches_per_day(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
                    source: str | Iterable[str] | None = None, region: str | None = None,
                    translated: bool | None = None, author: str | Iterable[str] | None = None) -> dict[str | None, int]:
    """How many articles match ``query`` (with the filters of :func:`search`) on each KST day; the key
    None counts the matches without a date."""
    plan = _plan(db, query, lang, since, until, source, region, translated, author)
    return {r[0]: r[1] for r in reader(db)(
        f"SELECT a.published_date, count(*) FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} "
        f"WHERE {plan.fts} MATCH ?{plan.where} GROUP BY 1", [plan.expr, *plan.params])}


def search_page(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
                source: str | Iterable[str] | None = None, limit: int = 20, region: str | None = None,
                translated: bool | None = None, marks: tuple[str, str] = ("[", "]"), offset: int = 0,
                sort: str = "relevance", collapse: bool = True, author: str | Iterable[str] | None = None) -> Results:
    """One page of :func:`search` with the total number of matches (and of their stories, when collapsed)
    and the matches per KST day."""
    filters = dict(since=since, until=until, source=source, region=region, translated=translated, author=author)
    hits = search(db, query, lang, limit=limit, marks=marks, offset=offset, sort=sort, collapse=collapse,
                  **filters)
    days = matches_per_day(db, query, lang, **filters)
    plan = _plan(db, query, lang, since, until, source, region, translated, author)
    stories = None
    if collapse:
        from .stories import count_stories
        stories = count_stories(db, plan)
    return Results(query, plan.lang, sort, offset, limit, hits, sum(days.values()),
                   {d: n for d, n in days.items() if d}, stories)


def counts_by_period(db, query: str, by: str | None = None, lang: str = "any", since: str | None = None,
                     until: str | None = None, **filters) -> tuple[str, list[Period]]:
    """Matching articles per day, week or month (the per-period counts of the web page's trend chart)."""
    return periods(matches_per_day(db, query, lang, since, until, **filters), by, since, until)
