"""The Korean full-text index (``articles_fts_ko``): contentless FTS5 over each article's search text, which
the article keeps compressed (``articles.search_ko_z``, db/packing.py). A contentless index is told what to
forget: an article's entry is deleted with the very text it was indexed with, so this module (not a
trigger, which cannot decompress) is the one way in and out, inside the caller's transaction. The index holds more than is stored: the reversed nouns (nlp.types.with_suffixes)
are derived from the stored terms each time, the same way in and out."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from nlp.types import with_suffixes

from .packing import pack, unpack


def unindex(db, article_id: int) -> None:
    """Take the article out of the Korean index and forget its search text."""
    row = db.execute("SELECT search_ko_z FROM articles WHERE id=?", [article_id]).fetchone()
    if row and row[0] is not None:
        db.execute("INSERT INTO articles_fts_ko(articles_fts_ko, rowid, search_ko) VALUES ('delete', ?, ?)",
                   [article_id, with_suffixes(unpack(row[0]))])
        db.execute("UPDATE articles SET search_ko_z=NULL WHERE id=?", [article_id])


def index(db, article_id: int, text: str | None, now: bool = True) -> None:
    """Store the article's search text and index it (an entry it had before is replaced); ``now`` False: the
    caller indexes it later (:func:`add`), in the same transaction."""
    unindex(db, article_id)
    if text:
        db.execute("UPDATE articles SET search_ko_z=? WHERE id=?", [pack(text), article_id])
        if now:
            add(db, [(article_id, text)])


def add(db, entries: list[tuple[int, str]]) -> None:
    """Index the search texts of (article id, text) entries whose text ``index`` stored without indexing it.
    Many at once write the index once: FTS5 writes what it holds at every commit and every savepoint
    release, so one article at a time costs a segment each (a third of the analysis's storing)."""
    db.conn.executemany("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)",
                        [(aid, with_suffixes(text)) for aid, text in entries])


def _texts(rows: list[tuple[int, bytes]]) -> list[tuple[int, str]]:
    return [(aid, with_suffixes(unpack(z))) for aid, z in rows]


def rebuild(db, chunk: int = 2000) -> int:
    """The Korean index again from every article's stored search text; returns the articles indexed. The
    texts of the next chunk are made in a second thread while SQLite indexes this one (it lets the GIL go
    while it works): on 2 cores a third less time (bench: reindex)."""
    db.execute("INSERT INTO articles_fts_ko(articles_fts_ko) VALUES ('delete-all')")
    cur = db.execute("SELECT id, search_ko_z FROM articles WHERE search_ko_z IS NOT NULL")
    n = 0
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(_texts, cur.fetchmany(chunk))
        while True:
            batch = pending.result()
            if not batch:
                return n
            pending = pool.submit(_texts, cur.fetchmany(chunk))
            db.conn.executemany("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)", batch)
            n += len(batch)


def search_text(value) -> str:
    """An article's search text as stored (``search_ko_z``) → the text."""
    return unpack(value) or ""
