"""Archive search over the FTS5 indexes: Korean by Kiwi morphemes, English with porter stemming.

A Korean query word is analysed the way the same word was analysed in the archive's own text: the
nlp stage records each word it met with its search terms (table ``ko_forms``: 전주시는 → 전주시,
수상했다 → 수상 하다), so a search never loads Kiwi (2-3 s). A word the archive has never seen falls
back to stripping a particle (전주에서 → 전주). Every term is matched as a prefix, so 전주 finds 전주시.

Query syntax, supported on purpose: words (all must match), "a phrase", OR, NOT (between two terms),
AND, and parentheses. Anything else FTS5 would read as syntax is quoted; a malformed query raises
QueryError with a one-line reason.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nlp.types import SUFFIX_MARK
from scrapers.errors import UserError

from .archive import Archive, article_filters

_JOSA = ("에서는", "에게서", "으로는", "으로서", "으로써", "에서", "에게", "한테", "으로", "까지", "부터", "처럼", "보다",
         "마다", "조차", "은", "는", "이", "가", "을", "를", "에", "의", "로", "와", "과", "도", "만")
_LEX = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_WORD = re.compile(r"[\w\-.+#&']+", re.UNICODE)
_HANGUL = re.compile(r"[가-힣]")
_OPS = {"AND", "OR", "NOT"}
_EDGE = "\"'“”‘’()[]{}<>《》〈〉「」『』.,!?:;·…~-=+*/|"
MAX_QUERY = 500


class QueryError(UserError):
    """A query that cannot be run; the message says why in one line."""


@dataclass
class Hit:
    id: int
    title_ko: str
    title_en: str | None
    published_at: str | None
    source_id: str | None
    region: str | None
    translated: bool
    snippet: str
    score: float
    lang: str


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
    """A word the archive never saw: itself and itself without a trailing particle."""
    alts = [word]
    if _HANGUL.search(word):
        for j in _JOSA:
            if word.endswith(j) and len(word) > len(j):
                alts.append(word[: -len(j)])
    return list(dict.fromkeys(alts))


class Analyzer:
    """Query words → Korean search terms, read from the archive's ``ko_forms`` (no Kiwi).

    ``source``: an Archive, or any sqlite3 connection to an archive (the Datasette plugin's)."""

    def __init__(self, source):
        if isinstance(source, Archive):
            self._rows = lambda sql, params: source.query(sql, params, tuples=True)
        else:
            self._rows = lambda sql, params: source.execute(sql, params).fetchall()

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
        """A word not in the archive as such: the stem the archive's longer forms of it share (관리들 →
        관리, from 관리들은, 관리들이), else the word without a trailing particle."""
        rows = self._rows("SELECT terms FROM ko_forms WHERE surface > ? AND surface < ? LIMIT 50",
                          [word, word + "\uffff"])
        firsts = [r[0].split()[0] for r in rows if r[0]]
        stems = [t for t in firsts if word.startswith(t)]
        alts = [[t] for t in _stems(word)]
        if stems:
            best = max(set(stems), key=stems.count)
            alts = [[best]] + [a for a in alts if a != [best]]
        return alts


def _term(t: str) -> str:
    """A term as a prefix, and for a Hangul noun also as the end of a longer noun (학생 → 대학생)."""
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
    nodes = parse(query)

    def term_of(n: _Node) -> str:
        return _quote(n.text) if n.kind == "word" else _quote(" ".join(n.words))
    return _expression(nodes, term_of), [w for n in nodes for w in ((n.text,) if n.kind == "word" else n.words)]


def highlight(text: str, marks: list[str], width: int = 80, open_: str = "[", close: str = "]") -> str:
    """A window of ``text`` around the first of ``marks``, each occurrence wrapped in open_/close."""
    if not text:
        return ""
    marks = sorted({m for m in marks if m}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(m) for m in marks)) if marks else None
    m = pattern.search(text) if pattern else None
    start = max(0, m.start() - width // 3) if m else 0
    window = text[start:start + width].replace("\n", " ")
    if pattern:
        window = pattern.sub(lambda x: f"{open_}{x.group()}{close}", window)
    return ("…" if start > 0 else "") + window + ("…" if start + width < len(text) else "")


RANK_WINDOW = 2000


def _ranked(archive: Archive, sql: str, expr: str, params: list, limit: int, lang: str, marks) -> list:
    """Rows of ``sql`` ranked by BM25 among the RANK_WINDOW newest matching articles (rowid order is
    archive order): ranking every match of a word found in most of 100,000 articles costs ~120 ms, the
    window ~10 ms. Should the window leave fewer than ``limit`` rows (filters), all matches are ranked."""
    fts = "articles_fts_ko" if lang == "ko" else "articles_fts_en"
    cut = None
    if limit < RANK_WINDOW:
        row = next(iter(archive.query(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC "
                                      f"LIMIT 1 OFFSET {RANK_WINDOW - 1}", [expr], tuples=True)), None)
        cut = row[0] if row else None

    def run(with_cut: bool) -> list:
        q = sql.replace(" ORDER BY f.rank", " AND f.rowid >= ? ORDER BY f.rank") if with_cut else sql
        extra = [cut] if with_cut else []
        args = [expr, *params, *extra, limit] if lang == "ko" else [*marks, expr, *params, *extra, limit]
        return list(archive.query(q, args, tuples=True))
    rows = run(cut is not None)
    if cut is not None and len(rows) < limit:
        rows = run(False)
    return rows


def search(archive: Archive, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
           source: str | None = None, limit: int = 20, region: str | None = None,
           translated: bool | None = None, marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
    """Ranked hits (BM25) for ``query`` in Korean (ko), English (en), or by the query's script (any)."""
    if lang not in ("ko", "en", "any"):
        raise QueryError(f"--lang must be ko, en or any, not {lang!r}")
    if limit < 1:
        raise QueryError("--limit must be 1 or more")
    parse(query)
    conds, params = article_filters(since, until, source)
    if region:
        conds.append("s.region = ?")
        params.append(region)
    if translated is not None:
        conds.append("a.translate_status = 'done'" if translated else "a.translate_status <> 'done'")
    where = "".join(" AND " + c for c in conds)
    hangul = bool(_HANGUL.search(query))
    langs = [lang] if lang != "any" else (["ko"] if hangul else ["en"])
    hits: dict[int, Hit] = {}
    cols = "a.id, a.title_ko, a.title_en, a.published_at, a.source_id, s.region, a.translate_status = 'done'"
    for lg in langs:
        if lg == "ko":
            expr, words = ko_match(query, Analyzer(archive))
            sql = (f"SELECT {cols}, f.rank, a.body_ko FROM articles_fts_ko f JOIN articles a ON a.id = f.rowid "
                   f"LEFT JOIN sources s ON s.id = a.source_id WHERE articles_fts_ko MATCH ?{where} "
                   f"ORDER BY f.rank LIMIT ?")
        else:
            expr, words = en_match(query)
            sql = (f"SELECT {cols}, f.rank, snippet(articles_fts_en, 1, ?, ?, '…', 14) FROM articles_fts_en f "
                   f"JOIN articles a ON a.id = f.rowid LEFT JOIN sources s ON s.id = a.source_id "
                   f"WHERE articles_fts_en MATCH ?{where} ORDER BY f.rank LIMIT ?")
        rows = _ranked(archive, sql, expr, params, limit, lg, marks)
        for r in rows:
            snippet = highlight(r[8] or "", words, 80, *marks) if lg == "ko" else (r[8] or "")
            hits.setdefault(r[0], Hit(r[0], r[1] or "", r[2], r[3], r[4], r[5], bool(r[6]), snippet, r[7], lg))
    return sorted(hits.values(), key=lambda h: h.score)[:limit]
