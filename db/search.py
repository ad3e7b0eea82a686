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
QueryError with a one-line reason.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from nlp.types import SUFFIX_MARK
from scrapers.errors import UserError

from .archive import article_filters, reader

_JOSA = ("에서는", "에게서", "으로는", "으로서", "으로써", "에서", "에게", "한테", "으로", "까지", "부터", "처럼", "보다",
         "마다", "조차", "은", "는", "이", "가", "을", "를", "에", "의", "로", "와", "과", "도", "만")
_LEX = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_WORD = re.compile(r"[\w\-.+#&']+", re.UNICODE)
_HANGUL = re.compile(r"[가-힣]")
_OPS = {"AND", "OR", "NOT"}
_EDGE = "\"'“”‘’()[]{}<>《》〈〉「」『』.,!?:;·…~-=+*/|"
MAX_QUERY = 500
LANGS = ("ko", "en", "any")
SORTS = ("relevance", "newest")
RANK_WINDOW = 2000
# A search reads of each matching article only what this covering index holds (db/schema.py, m004): the
# table's rows carry the bodies, and going through them costs 3-4 times more.
_ARTICLES = "articles a INDEXED BY articles_by_id"


class QueryError(UserError):
    """A query that cannot be run; the message says why in one line."""


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
    other_outlets: list[str] = field(default_factory=list)   # the outlets of the story's other articles


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


@dataclass(frozen=True)
class Period:
    label: str                       # 2024-10-17, 2024-W42 or 2024-10
    start: str                       # its first and last day (YYYY-MM-DD)
    end: str
    count: int


# ------------------------------------------------------------------------------- parsing
@dataclass
class _Node:
    kind: str                  # word | phrase | op | open | close
    text: str = ""
    words: tuple[str, ...] = ()


def parse(query: str) -> list[_Node]:
    """Tokens of a query, validated: balanced quotes and parentheses, operators between terms."""
    if not query or not query.strip():
        raise QueryError("empty query: give at least one word")
    if len(query) > MAX_QUERY:
        raise QueryError(f"query longer than {MAX_QUERY} characters")
    query = unicodedata.normalize("NFC", query)
    nodes: list[_Node] = []
    for tok in _LEX.findall(query):
        if tok.startswith('"'):
            if len(tok) < 2 or not tok.endswith('"'):
                raise QueryError('unclosed quote in the query (a phrase goes between two ")')
            words = tuple(w for w in (_clean(x) for x in tok[1:-1].split()) if w)
            if words:
                nodes.append(_Node("phrase", tok, words))
        elif tok == "(":
            nodes.append(_Node("open", tok))
        elif tok == ")":
            nodes.append(_Node("close", tok))
        elif tok in _OPS:
            nodes.append(_Node("op", tok))
        else:
            word = _clean(tok)
            if word:
                nodes.append(_Node("word", word))
    depth, prev = 0, None
    for n in nodes:
        if n.kind == "open":
            depth += 1
        elif n.kind == "close":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses: ')' without '('")
            if prev is None or prev.kind in ("op", "open"):
                raise QueryError("empty parentheses or an operator before ')'")
        elif n.kind == "op":
            if prev is None or prev.kind in ("op", "open"):
                raise QueryError(f"{n.text} needs a term before it (NOT is binary: 전주 NOT 군산)")
        prev = n
    if depth:
        raise QueryError("unbalanced parentheses: '(' without ')'")
    if prev is not None and prev.kind == "op":
        raise QueryError(f"{prev.text} needs a term after it")
    if not any(n.kind in ("word", "phrase") for n in nodes):
        raise QueryError("no searchable word in the query")
    return nodes


def _clean(token: str) -> str:
    return " ".join(_WORD.findall(token.strip(_EDGE)))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _stems(word: str) -> list[str]:
    """A word the archive never saw: itself and itself without a trailing particle, if two syllables or
    more are left (마을 is not 마 + 을, 도로 not 도 + 로, 시가 not 시 + 가)."""
    alts = [word]
    if _HANGUL.search(word):
        for j in _JOSA:
            if word.endswith(j) and len(word) - len(j) >= 2:
                alts.append(word[: -len(j)])
    return list(dict.fromkeys(alts))


class Analyzer:
    """Query words → Korean search terms, read from the archive's ``ko_forms`` (no Kiwi).

    ``source``: an Archive, or any sqlite3 connection to an archive (the Datasette plugin's)."""

    def __init__(self, source):
        self._rows = reader(source)

    def terms(self, words: list[str]) -> dict[str, list[list[str]]]:
        """For each word: alternatives, each a list of terms that must all match."""
        hangul = sorted({w for w in words if _HANGUL.search(w)})
        known: dict[str, str] = {}
        if hangul:
            marks = ",".join("?" * len(hangul))
            known = {r[0]: r[1] for r in self._rows(
                f"SELECT surface, terms FROM ko_forms WHERE surface IN ({marks})", hangul)}
        out = {}
        for w in words:
            if w in known:
                out[w] = [known[w].split()]
            elif _HANGUL.search(w):
                out[w] = self._unseen(w)
            else:
                out[w] = [[w.lower()]]
        return out

    def _unseen(self, word: str) -> list[list[str]]:
        """A word not in the archive as such: the stem of two syllables or more that the archive's longer
        forms of it share (관리들 → 관리, from 관리들은, 관리들이), else the word and the word without a
        trailing particle (see _stems)."""
        rows = self._rows("SELECT terms FROM ko_forms WHERE surface > ? AND surface < ? LIMIT 50",
                          [word, word + "\uffff"])
        firsts = [r[0].split()[0] for r in rows if r[0]]
        stems = [t for t in firsts if word.startswith(t) and len(t) >= 2]
        alts = [[t] for t in _stems(word)]
        if stems:
            best = max(set(stems), key=stems.count)
            alts = [[best]] + [a for a in alts if a != [best]]
        return alts


def _term(t: str) -> str:
    """A term as a prefix, and for a Hangul noun also as the end of a longer noun (학생 → 대학생); a
    one-syllable Hangul term is matched whole (시* would be every word that starts with 시)."""
    if len(t) == 1 and _HANGUL.match(t):
        return _quote(t)
    expr = _quote(t) + "*"
    if len(t) >= 2 and _HANGUL.match(t):
        expr = f"({expr} OR {_quote(SUFFIX_MARK + t[::-1])}*)"
    return expr


def _expression(nodes: list[_Node], term_of) -> str:
    parts, prev = [], None
    for n in nodes:
        operand = n.kind in ("word", "phrase", "open")
        if operand and prev is not None and prev.kind in ("word", "phrase", "close"):
            parts.append("AND")
        parts.append(term_of(n) if n.kind in ("word", "phrase") else n.text)     # operators, parentheses
        prev = n
    return " ".join(parts)


def ko_match(query: str, analyzer: Analyzer | None = None) -> tuple[str, list[str]]:
    """The FTS5 expression for the Korean index, and the terms to highlight."""
    nodes = parse(query)
    words = [w for n in nodes for w in ((n.text,) if n.kind == "word" else n.words)]
    analysed = analyzer.terms(words) if analyzer else {w: [[a] for a in _stems(w)] for w in words}
    marks: list[str] = []

    def term_of(n: _Node) -> str:
        if n.kind == "phrase":
            seq = [t for w in n.words for t in analysed[w][0]]
            marks.extend(n.words)
            return _quote(" ".join(seq)) + "*"
        alts = analysed[n.text]
        marks.append(n.text)
        marks.extend(t for alt in alts for t in alt if len(t) > 1)
        exprs = [" AND ".join(_term(t) for t in alt) for alt in alts]
        exprs = [f"({e})" if " AND " in e and len(exprs) > 1 else e for e in exprs]
        return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"
    return _expression(nodes, term_of), marks


def en_match(query: str) -> tuple[str, list[str]]:
    """The FTS5 expression for the English index (each word a quoted string: Korea's, U.S., COVID-19 and
    Jeonju-si are phrases of their tokens, never syntax), and the words to highlight."""
    nodes = parse(query)

    def term_of(n: _Node) -> str:
        return _quote(n.text) if n.kind == "word" else _quote(" ".join(n.words))
    return _expression(nodes, term_of), [w for n in nodes for w in ((n.text,) if n.kind == "word" else n.words)]


def _pattern(marks: Iterable[str]) -> re.Pattern | None:
    marks = sorted({m for m in marks if m}, key=len, reverse=True)
    return re.compile("|".join(re.escape(m) for m in marks)) if marks else None


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


def _plan(db, query: str, lang: str, since: str | None, until: str | None, source, region: str | None,
          translated: bool | None) -> _Plan:
    if lang not in LANGS:
        raise QueryError(f"--lang must be ko, en or any, not {lang!r}")
    parse(query)
    conds, params = article_filters(since, until, source)
    joins = ""
    if region:
        joins = " JOIN sources s ON s.id = a.source_id"
        conds.append("s.region = ?")
        params.append(region)
    if translated is not None:
        conds.append("a.translate_status = 'done'" if translated else "a.translate_status <> 'done'")
    if lang == "any":
        lang = "ko" if _HANGUL.search(query) else "en"
    if lang == "ko":
        expr, marks = ko_match(query, Analyzer(db))
    else:
        expr, marks = en_match(query)
    return _Plan(lang, f"articles_fts_{lang}", expr, marks, joins, "".join(" AND " + c for c in conds), params)


def _window_cut(rows, plan: _Plan):
    """(rowid,) of the RANK_WINDOW-th newest match, or None when there are fewer."""
    return next(iter(rows(f"SELECT rowid FROM {plan.fts} WHERE {plan.fts} MATCH ? ORDER BY rowid DESC LIMIT 1 "
                          f"OFFSET {RANK_WINDOW - 1}", [plan.expr])), None)


def _ranked_ids(rows, plan: _Plan, limit: int, offset: int, sort: str) -> list[tuple[int, float | None]]:
    """(id, score) of one page. By relevance: BM25 among the RANK_WINDOW newest matching articles (rowid
    order is archive order), then the older matches by BM25: ranking every match of a word found in most of
    100,000 articles costs ~120 ms, the window ~10 ms; pages stay consistent with each other."""
    fts = plan.fts
    base = (f"FROM {fts} f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} WHERE {fts} MATCH ?{plan.where}")
    args = [plan.expr, *plan.params]
    if sort == "newest":
        return [(r[0], None) for r in rows(f"SELECT a.id {base} ORDER BY a.published_at DESC, a.id DESC "
                                           "LIMIT ? OFFSET ?", [*args, limit, offset])]
    cut = _window_cut(rows, plan)
    if cut is None:
        return [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {base} ORDER BY f.rank, a.id DESC "
                                           "LIMIT ? OFFSET ?", [*args, limit, offset])]
    if offset < RANK_WINDOW:
        page = [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {base} AND f.rowid >= ? ORDER BY f.rank, "
                                           "a.id DESC LIMIT ? OFFSET ?", [*args, cut[0], limit, offset])]
        if len(page) == limit:
            return page
    return [(r[0], r[1]) for r in rows(f"SELECT a.id, f.rank {base} ORDER BY f.rowid >= ? DESC, f.rank, "
                                       "a.id DESC LIMIT ? OFFSET ?", [*args, cut[0], limit, offset])]


def _ranked_stories(rows, plan: _Plan, limit: int, offset: int, sort: str) -> list[tuple[int, float | None]]:
    """(id, score) of one page, one hit per story: its earliest matching article, ranked by the story's best
    match (relevance) or by that article's date (newest). Relevance first ranks the stories of the
    RANK_WINDOW newest matches, as :func:`_ranked_ids` does."""
    fts = plan.fts
    inner = (f"SELECT a.id AS id, a.published_at AS pub, f.rowid AS rid, row_number() OVER w AS rn, "
             f"min(f.rank) OVER w AS srank, max(f.rowid) OVER w AS srid FROM {fts} f JOIN {_ARTICLES} "
             f"ON a.id = f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id "
             f"WHERE {fts} MATCH ?{plan.where}{{cut}} WINDOW w AS (PARTITION BY coalesce(x.story_id, -a.id) "
             "ORDER BY a.published_at, a.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
    args = [plan.expr, *plan.params]
    if sort == "newest":
        return [(r[0], None) for r in rows(f"SELECT id FROM ({inner.format(cut='')}) WHERE rn = 1 "
                                           "ORDER BY pub DESC, id DESC LIMIT ? OFFSET ?", [*args, limit, offset])]
    cut = _window_cut(rows, plan)
    if cut is not None and offset < RANK_WINDOW:
        page = [(r[0], r[1]) for r in rows(f"SELECT id, srank FROM ({inner.format(cut=' AND f.rowid >= ?')}) "
                                           "WHERE rn = 1 ORDER BY srank, id DESC LIMIT ? OFFSET ?",
                                           [*args, cut[0], limit, offset])]
        if len(page) == limit:
            return page
    order = "srid >= ? DESC, " if cut is not None else ""
    return [(r[0], r[1]) for r in rows(f"SELECT id, srank FROM ({inner.format(cut='')}) WHERE rn = 1 "
                                       f"ORDER BY {order}srank, id DESC LIMIT ? OFFSET ?",
                                       [*args, *([cut[0]] if cut is not None else []), limit, offset])]


def _with_stories(db, hits: list[Hit]) -> list[Hit]:
    """Each hit with its story: id, size and the outlets of its other articles."""
    from .stories import outlets_of
    info = outlets_of(db, [h.id for h in hits])
    for h in hits:
        h.story_id, h.story_size, h.other_outlets = info[h.id]
    return hits


def _hits(rows, plan: _Plan, ranked: list[tuple[int, float | None]], marks: tuple[str, str]) -> list[Hit]:
    if not ranked:
        return []
    ids = [i for i, _ in ranked]
    qs = ",".join("?" * len(ids))
    details = {r[0]: r for r in rows(
        "SELECT a.id, a.title_ko, a.title_en, a.published_at, a.published_date, a.source_id, "
        "coalesce(nullif(a.outlet, ''), s.outlet, s.name), s.region, coalesce(a.canonical_url, a.url), "
        "a.translate_status = 'done', a.body_ko, a.body_en FROM articles a LEFT JOIN sources s ON "
        f"s.id = a.source_id WHERE a.id IN ({qs})", ids)}
    en_snippets: dict[int, str] = {}
    if plan.lang == "en":
        en_snippets = {r[0]: r[1] for r in rows(
            f"SELECT rowid, snippet(articles_fts_en, -1, ?, ?, '…', 14) FROM articles_fts_en WHERE "
            f"articles_fts_en MATCH ? AND rowid IN ({qs})", [*marks, plan.expr, *ids])}
    ko_pattern = _pattern(plan.marks) if plan.lang == "ko" else None
    en_pattern = _word_start(w for m in plan.marks for w in re.findall(r"[A-Za-z0-9]+", m))
    sents = "SELECT ko, en FROM sentences WHERE article_id = ? "
    out = []
    for aid, score in ranked:
        d = details.get(aid)
        if d is None:
            continue
        body_ko, body_en = d[10] or "", d[11] or ""
        if plan.lang == "ko":
            # the Korean around the first hit; the English of the sentence that holds it
            m = ko_pattern.search(body_ko) if ko_pattern else None
            snippet_ko = _window(body_ko or d[1] or "", ko_pattern, 80, *marks)
            aligned = next(iter(rows(sents + "AND start <= ? ORDER BY idx DESC LIMIT 1",
                                     [aid, m.start()])), None) if m else None
            en_text = (aligned[1] if aligned and aligned[1] else body_en) or d[2] or ""
            snippet_en = _window(en_text, en_pattern, 120, *marks)
        else:
            # the English around the first hit (machine or publisher); the Korean of the sentence whose
            # English holds it
            snippet_en = en_snippets.get(aid) or _window(body_en, en_pattern, 80, *marks)
            aligned = next((r for r in rows(sents + "ORDER BY idx", [aid])
                            if r[1] and en_pattern and en_pattern.search(r[1])), None)
            snippet_ko = _window(aligned[0] if aligned else body_ko, None, 80, *marks)
        out.append(Hit(aid, d[1] or "", d[2], d[3], d[4], d[5], d[6], d[7], d[8], bool(d[9]), snippet_ko,
                       snippet_en, score, plan.lang))
    return out


def _check(limit: int, offset: int, sort: str) -> None:
    if limit < 1:
        raise QueryError("--limit must be 1 or more")
    if offset < 0:
        raise QueryError("--offset must be 0 or more")
    if sort not in SORTS:
        raise QueryError(f"--sort must be relevance or newest, not {sort!r}")


def search(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
           source: str | Iterable[str] | None = None, limit: int = 20, region: str | None = None,
           translated: bool | None = None, marks: tuple[str, str] = ("[", "]"), offset: int = 0,
           sort: str = "relevance", collapse: bool = True) -> list[Hit]:
    """Hits for ``query`` in Korean (ko), English (en), or by the query's script (any: Korean when it has
    Hangul), ranked by BM25 or newest first; ``db`` an Archive or a sqlite3 connection to one. ``collapse``:
    one hit per story (its earliest matching article), else every copy."""
    _check(limit, offset, sort)
    plan = _plan(db, query, lang, since, until, source, region, translated)
    rows = reader(db)
    ranked = (_ranked_stories if collapse else _ranked_ids)(rows, plan, limit, offset, sort)
    return _with_stories(db, _hits(rows, plan, ranked, marks))


def matches_per_day(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
                    source: str | Iterable[str] | None = None, region: str | None = None,
                    translated: bool | None = None) -> dict[str | None, int]:
    """How many articles match ``query`` (with the filters of :func:`search`) on each KST day; the key
    None counts the matches without a date."""
    plan = _plan(db, query, lang, since, until, source, region, translated)
    return {r[0]: r[1] for r in reader(db)(
        f"SELECT a.published_date, count(*) FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = f.rowid{plan.joins} "
        f"WHERE {plan.fts} MATCH ?{plan.where} GROUP BY 1", [plan.expr, *plan.params])}


def search_page(db, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
                source: str | Iterable[str] | None = None, limit: int = 20, region: str | None = None,
                translated: bool | None = None, marks: tuple[str, str] = ("[", "]"), offset: int = 0,
                sort: str = "relevance", collapse: bool = True) -> Results:
    """One page of :func:`search` with the total number of matches (and of their stories, when collapsed)
    and the matches per KST day."""
    filters = dict(since=since, until=until, source=source, region=region, translated=translated)
    hits = search(db, query, lang, limit=limit, marks=marks, offset=offset, sort=sort, collapse=collapse,
                  **filters)
    days = matches_per_day(db, query, lang, **filters)
    plan_lang = lang if lang != "any" else ("ko" if _HANGUL.search(query) else "en")
    stories = None
    if collapse:
        plan = _plan(db, query, lang, since, until, source, region, translated)
        stories = next(iter(reader(db)(
            f"SELECT count(DISTINCT coalesce(x.story_id, -a.id)) FROM {plan.fts} f JOIN {_ARTICLES} ON a.id = "
            f"f.rowid{plan.joins} LEFT JOIN article_stories x ON x.article_id = a.id WHERE {plan.fts} MATCH ?"
            f"{plan.where}", [plan.expr, *plan.params])))[0]
    return Results(query, plan_lang, sort, offset, limit, hits, sum(days.values()),
                   {d: n for d, n in days.items() if d}, stories)


# ------------------------------------------------------------------------------- periods
BY = ("day", "week", "month")


def _period_of(day: date, by: str) -> tuple[str, date, date]:
    if by == "day":
        return day.isoformat(), day, day
    if by == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"{day.year}-{day.month:02d}", start, end


def pick_period(first: date, last: date) -> str:
    """day for a range of up to two months, week up to two years, else month."""
    span = (last - first).days + 1
    return "day" if span <= 62 else "week" if span <= 731 else "month"


def periods(days: dict[str, int], by: str | None = None, since: str | None = None,
            until: str | None = None) -> tuple[str, list[Period]]:
    """Counts per KST day → counts per day, ISO week (2024-W42) or month (2024-10), every period of the
    range [since or the first day, until or the last day] listed, empty ones with 0. ``by`` None picks by
    the length of the range (pick_period). Returns (by, periods)."""
    if by is not None and by not in BY:
        raise QueryError(f"--by must be day, week or month, not {by!r}")
    parsed = {}
    for d, n in days.items():
        try:
            parsed[date.fromisoformat(d[:10])] = parsed.get(date.fromisoformat(d[:10]), 0) + n
        except (TypeError, ValueError):
            continue
    if not parsed and not (since and until):
        return by or "day", []
    first = date.fromisoformat(since[:10]) if since else min(parsed)
    last = date.fromisoformat(until[:10]) if until else max(parsed)
    if last < first:
        return by or "day", []
    by = by or pick_period(first, last)
    out: dict[str, list] = {}
    day = first
    while day <= last:
        label, start, end = _period_of(day, by)
        out.setdefault(label, [start, end, 0])
        day = end + timedelta(days=1)
    for d, n in parsed.items():
        if first <= d <= last:
            out[_period_of(d, by)[0]][2] += n
    return by, [Period(label, s.isoformat(), e.isoformat(), n) for label, (s, e, n) in out.items()]


def counts_by_period(db, query: str, by: str | None = None, lang: str = "any", since: str | None = None,
                     until: str | None = None, **filters) -> tuple[str, list[Period]]:
    """Matching articles per day, week or month (the per-period counts of the web page's trend chart)."""
    return periods(matches_per_day(db, query, lang, since, until, **filters), by, since, until)
