"""Archive search over the FTS5 indexes (Korean morphemes, English with porter stemming)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .archive import Archive, article_filters

_JOSA = ("에서는", "에게서", "으로는", "에서", "에게", "으로", "까지", "부터", "처럼", "보다", "은", "는", "이", "가", "을",
         "를", "에", "의", "로", "와", "과", "도", "만")
_TOKEN = re.compile(r"[\w\-]+", re.UNICODE)
_HANGUL = re.compile(r"[가-힣]")


class QueryError(Exception):
    pass


@dataclass
class Hit:
    id: int
    title_ko: str
    title_en: str | None
    published_at: str | None
    source_id: str | None
    snippet: str
    score: float


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def ko_match(query: str, terms: list[str] | None = None) -> str:
    """An FTS5 expression for the Korean index: every word must match, as a prefix of a morpheme."""
    words = terms if terms is not None else _TOKEN.findall(query)
    if not words:
        raise QueryError("empty query: give at least one word")
    parts = []
    for w in words:
        alts = {w}
        for j in _JOSA:
            if _HANGUL.search(w) and w.endswith(j) and len(w) - len(j) >= 1:
                alts.add(w[: -len(j)])
        parts.append("(" + " OR ".join(_quote(a) + "*" for a in sorted(alts)) + ")")
    return " AND ".join(parts)


def en_match(query: str) -> str:
    words = _TOKEN.findall(query)
    if not words:
        raise QueryError("empty query: give at least one word")
    return " AND ".join(_quote(w) for w in words)


def _snippet(text: str, words: list[str], width: int = 60) -> str:
    if not text:
        return ""
    pos = -1
    for w in words:
        pos = text.find(w)
        if pos < 0 and len(w) > 2:
            pos = text.find(w[:2])
        if pos >= 0:
            break
    start = max(0, pos - width // 2) if pos >= 0 else 0
    snip = text[start:start + width].replace("\n", " ")
    for w in sorted(set(words), key=len, reverse=True):
        snip = snip.replace(w, f"[{w}]")
    return ("…" if start > 0 else "") + snip + ("…" if start + width < len(text) else "")


def search(archive: Archive, query: str, lang: str = "any", since: str | None = None, until: str | None = None,
           source: str | None = None, limit: int = 20) -> list[Hit]:
    if lang not in ("ko", "en", "any"):
        raise QueryError(f"--lang must be ko, en or any, not {lang!r}")
    if not query or not query.strip():
        raise QueryError("empty query: give at least one word")
    if len(query) > 500:
        raise QueryError("query longer than 500 characters")
    filters, params = article_filters(since, until, source)
    where = (" AND " + " AND ".join(filters)) if filters else ""
    words = _TOKEN.findall(query)
    use_ko = lang == "ko" or (lang == "any" and _HANGUL.search(query))
    use_en = lang == "en" or (lang == "any" and not _HANGUL.search(query))
    hits: dict[int, Hit] = {}
    if use_ko:
        sql = (f"SELECT a.id, a.title_ko, a.title_en, a.published_at, a.source_id, a.body_ko, "
               f"bm25(articles_fts_ko) FROM articles_fts_ko JOIN articles a ON a.id = articles_fts_ko.rowid "
               f"WHERE articles_fts_ko MATCH ?{where} ORDER BY bm25(articles_fts_ko) LIMIT ?")
        for r in archive.query(sql, [ko_match(query), *params, limit]):
            hits[r[0]] = Hit(r[0], r[1] or "", r[2], r[3], r[4], _snippet(r[5] or "", words), r[6])
    if use_en:
        sql = (f"SELECT a.id, a.title_ko, a.title_en, a.published_at, a.source_id, "
               f"snippet(articles_fts_en, 1, '[', ']', '…', 12), bm25(articles_fts_en) FROM articles_fts_en "
               f"JOIN articles a ON a.id = articles_fts_en.rowid WHERE articles_fts_en MATCH ?{where} "
               f"ORDER BY bm25(articles_fts_en) LIMIT ?")
        for r in archive.query(sql, [en_match(query), *params, limit]):
            hits.setdefault(r[0], Hit(r[0], r[1] or "", r[2], r[3], r[4], r[5] or "", r[6]))
    return sorted(hits.values(), key=lambda h: h.score)[:limit]
