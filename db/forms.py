"""The word-form table ``ko_forms``: each Korean word the nlp stage met → its search terms as Kiwi analysed
it there, which the query path reads instead of loading Kiwi; and the upkeep of the search indexes (their
rebuild, the nightly merge). A mixin of Archive, plus the two reads the search makes on any connection."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from . import korean_index

REBUILD_HASH_BYTES = 64 << 20     # FTS5's in-memory term buffer while rebuilding (default 1 MB)
KO_VOCAB = "temp.np_ko_vocab"     # the Korean index's terms (fts5vocab), one per connection
from .connection import Connection, marks


def known_forms(rows: Callable[..., Iterable[tuple]], words: list[str]) -> dict[str, str]:
    """The stored search terms of each of ``words`` the archive has met (``rows``: see connection.reader)."""
    if not words:
        return {}
    return {r[0]: r[1] for r in rows(f"SELECT surface, terms FROM ko_forms WHERE surface IN ({marks(len(words))})",
                                     words)}


def longer_forms(rows: Callable[..., Iterable[tuple]], word: str, limit: int = 50) -> list[str]:
    """The search terms of up to ``limit`` stored words that start with ``word`` (and are longer)."""
    return [r[0] for r in rows("SELECT terms FROM ko_forms WHERE surface > ? AND surface < ? LIMIT ?",
                               [word, word + "\uffff", limit])]


def longer_terms(rows: Callable[..., Iterable[tuple]], prefix: str) -> bool | None:
    """Whether the Korean index holds a term that starts with ``prefix`` and is longer (None: cannot tell).
    Read through an fts5vocab table of the connection's own (temp, made the first time): from the first
    term after ``prefix`` itself, never reading that term's rows (~0.1 ms)."""
    sql = f"SELECT 1 FROM {KO_VOCAB} WHERE term >= ? AND term < ? LIMIT 1"
    bounds = [prefix + "\x01", prefix + "\U0010ffff"]     # from the first term after the prefix itself
    try:
        try:
            return bool(list(rows(sql, bounds)))
        except sqlite3.OperationalError:          # not made yet on this connection
            rows(f"CREATE VIRTUAL TABLE IF NOT EXISTS {KO_VOCAB} USING fts5vocab(main, articles_fts_ko, row)")
            return bool(list(rows(sql, bounds)))
    except sqlite3.Error:
        return None


class Forms(Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._forms_seen: set[str] = set()      # words this process already wrote (committed) to ko_forms
        self._forms_batch: set[str] = set()     # words written in the open batch (Connection.batched)

    def _add_forms(self, forms: dict[str, str]) -> list[str]:
        """Write the words not written before (inside the caller's transaction); returns them."""
        # Words this process already wrote need no second write; the rest go in sorted (fewer page splits).
        new = sorted(forms.keys() - self._forms_seen - self._forms_batch)
        self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)",
                                 [(w, forms[w]) for w in new])
        return new

    def _forms_written(self, written: list[str]) -> None:
        """Remember words once their transaction committed (or, inside a batch, once the batch does; inside a
        transaction of the caller's, not at all: it may yet be rolled back)."""
        if self.db.conn.in_transaction:
            if self._batch_open:
                self._forms_batch.update(written)
            return
        seen = self._forms_seen
        if len(seen) > 300_000:          # bounded memory: most words recur
            seen.clear()
        seen.update(written)

    def _batch_ended(self, committed: bool) -> None:
        super()._batch_ended(committed)
        written, self._forms_batch = self._forms_batch, set()
        if committed:
            self._forms_written(list(written))

    def rebuild_indexes(self) -> int:
        """Rebuild both full-text indexes: the English from the articles' English, the Korean from each
        article's stored search text (db/korean_index.py); returns the number of articles in the Korean
        index. ``ko_forms`` is kept as the nlp stage wrote it. One transaction: a failure changes nothing."""
        both = ("articles_fts_ko", "articles_fts_en")
        with self._tx():
            for fts in both:      # few large flushes, merged once at the end instead of level by level
                self.db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('hashsize', ?)", [REBUILD_HASH_BYTES])
                self.db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('automerge', 0)")
            self.db.execute("INSERT INTO articles_fts_en(articles_fts_en) VALUES('rebuild')")
            n = korean_index.rebuild(self.db)
            for fts in both:
                self.db.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
                self.db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('automerge', 4)")     # FTS5's defaults
                self.db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('hashsize', ?)", [1 << 20])
        return n

    def tidy_indexes(self, pages: int = 2000) -> None:
        """What the nightly run does after it wrote: FTS5 merges segments for up to ``pages`` pages of work
        per index (bounded, unlike a full optimize: the index of a large archive stays healthy without a
        rebuild), then SQLite's own ``PRAGMA optimize`` refreshes the planner's statistics where needed."""
        with self._tx():
            for fts in ("articles_fts_ko", "articles_fts_en"):
                self.db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES('merge', ?)", [pages])
            self.db.execute("PRAGMA optimize")

    def reclaim_space(self, share: float = 0.1) -> int:
        """VACUUM when more than ``share`` of the file's pages are free (after an upgrade that rewrote tables);
        returns the bytes given back."""
        free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
        total = self.db.execute("PRAGMA page_count").fetchone()[0]
        if not total or free / total <= share:
            return 0
        size = self.db.execute("PRAGMA page_size").fetchone()[0]
        self.db.execute("VACUUM")
        return (total - self.db.execute("PRAGMA page_count").fetchone()[0]) * size
