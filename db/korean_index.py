"""The Korean full-text index (``articles_fts_ko``): contentless FTS5 over each article's search text, which
the article keeps compressed (``articles.search_ko_z``, db/packing.py). A contentless index is told what to
forget: an article's entry is deleted with the very text it was indexed with, so this module (not a
trigger, which cannot decompress) is the one way in and out, inside the caller's transaction."""
from __future__ import annotations

from .packing import pack, unpack


def unindex(db, article_id: int) -> None:
    """Take the article out of the Korean index and forget its search text."""
    row = db.execute("SELECT search_ko_z FROM articles WHERE id=?", [article_id]).fetchone()
    if row and row[0] is not None:
        db.execute("INSERT INTO articles_fts_ko(articles_fts_ko, rowid, search_ko) VALUES ('delete', ?, ?)",
                   [article_id, unpack(row[0])])
        db.execute("UPDATE articles SET search_ko_z=NULL WHERE id=?", [article_id])


def index(db, article_id: int, text: str | None) -> None:
    """Store the article's search text and index it (an entry it had before is replaced)."""
    unindex(db, article_id)
    if text:
        db.execute("UPDATE articles SET search_ko_z=? WHERE id=?", [pack(text), article_id])
        db.execute("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)", [article_id, text])


def rebuild(db) -> int:
    """The Korean index again from every article's stored search text; returns the articles indexed."""
    db.execute("INSERT INTO articles_fts_ko(articles_fts_ko) VALUES ('delete-all')")
    rows = db.execute("SELECT id, search_ko_z FROM articles WHERE search_ko_z IS NOT NULL")
    n = 0
    batch: list[tuple[int, str]] = []
    for aid, z in rows:
        batch.append((aid, unpack(z)))
        if len(batch) >= 1000:
            db.conn.executemany("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)", batch)
            n += len(batch)
            batch = []
    db.conn.executemany("INSERT INTO articles_fts_ko(rowid, search_ko) VALUES (?, ?)", batch)
    return n + len(batch)


def search_text(value) -> str:
    """An article's search text as stored (``search_ko_z``) → the text."""
    return unpack(value) or ""
