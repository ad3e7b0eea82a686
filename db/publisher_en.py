"""The publisher's own English of an article (table ``translations``, provenance 'publisher'), for the readers
that show English: search hits (db/search.py), the web page's downloads (db/export.py's CSV, db/web.py's JSONL)
and the article page. Offline it is the only English an archive has; where there is no machine English the
hits, the CSV and the article page show it, saying whose English it is (``provenance``).

It is not sentence-aligned (`newspipe export` pairs it at article level only), but a publisher's English
usually follows the Korean paragraph by paragraph: when the numbers of paragraphs are equal they are paired one
for one (the article page's English column, the English snippet of a Korean hit).
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .connection import reader


@dataclass
class PublisherEnglish:
    title_en: str | None
    subtitle_en: str | None
    body_en: str | None

    def paragraphs(self) -> list[str]:
        return [p for p in (self.body_en or "").split("\n") if p.strip()]


def publisher_english(db, ids) -> dict[int, PublisherEnglish]:
    """The latest publisher's English of each of the articles ``ids`` that has one. ``db``: an Archive, a sqlite3
    connection, or a reader of either (db.connection.reader)."""
    rows = db if callable(db) and not isinstance(db, sqlite3.Connection) else reader(db)
    ids = [int(i) for i in ids]
    out: dict[int, PublisherEnglish] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for aid, title, sub, body in rows(
                "SELECT article_id, title_en, subtitle_en, body_en FROM translations WHERE provenance = 'publisher' "
                f"AND article_id IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk):
            out[aid] = PublisherEnglish(title, sub, body)          # the latest wins
    return out


def publisher_row(conn: sqlite3.Connection, article_id: int) -> PublisherEnglish | None:
    """The latest publisher's English of one article."""
    return publisher_english(conn, [article_id]).get(article_id)


def paired_paragraphs(body_ko: str | None, pub: PublisherEnglish | None) -> list[tuple[str, str]] | None:
    """(Korean paragraph, the publisher's English paragraph), one for one, when both have as many paragraphs;
    else None."""
    if pub is None:
        return None
    ko = [p for p in (body_ko or "").split("\n") if p.strip()]
    en = pub.paragraphs()
    return list(zip(ko, en)) if ko and len(ko) == len(en) else None


def publisher_paragraphs(body_ko: str | None, pub: PublisherEnglish | None) -> list[dict] | None:
    """The rows of an English column holding the publisher's English (the article page's, `newspipe show`'s):
    ``{"ko": [paragraph], "en": [paragraph]}`` for each Korean paragraph and its English when they pair one for
    one, else one row of all of the Korean beside all of the English; None without the publisher's English."""
    if pub is None:
        return None
    pairs = paired_paragraphs(body_ko, pub)
    if pairs is None:
        return [{"ko": [p for p in (body_ko or "").split("\n") if p.strip()], "en": pub.paragraphs()}]
    return [{"ko": [k], "en": [e]} for k, e in pairs]


def english_of_korean_at(body_ko: str, pub: PublisherEnglish, at: int | None) -> str:
    """The publisher's English of the Korean paragraph holding offset ``at`` when the paragraphs pair one for
    one, else all of its English (title first when there is no body)."""
    pairs = paired_paragraphs(body_ko, pub)
    if pairs is not None and at is not None:
        before = body_ko[:at].split("\n")
        index = sum(1 for p in before[:-1] if p.strip())
        if index < len(pairs):
            return pairs[index][1]
    return " ".join(pub.paragraphs()) or pub.title_en or ""


def korean_of_english_matching(body_ko: str, pub: PublisherEnglish, pattern: re.Pattern | None) -> str | None:
    """The Korean paragraph whose publisher's English matches ``pattern`` (paragraphs paired one for one), or
    None."""
    pairs = paired_paragraphs(body_ko, pub)
    if pairs is None or pattern is None:
        return None
    return next((ko for ko, en in pairs if pattern.search(en)), None)


def hit_pairs(conn, ids: list[int]):
    """The ko/en pairs of the articles ``ids`` for the search page's JSONL download, in archive order: their
    machine sentence pairs and, as `newspipe export --level article` writes them (id ``<id>-publisher``,
    provenance publisher), the publisher's own English of those that have it."""
    from .export import pairs
    both = [*pairs(conn, ids=ids), *pairs(conn, level="article", provenance="publisher", ids=ids)]
    return sorted(both, key=lambda p: int(p.id.split("-")[0]))       # stable: an article's machine pairs first
