"""The word-form table ``ko_forms``: each Korean word the nlp stage met → its search terms as Kiwi analysed
it there, which the query path reads instead of loading Kiwi; and the rebuild of the search indexes. The
morphemes are stored opaque (nlp packs and unpacks them). A mixin of Archive, plus the two reads the
search makes on any connection."""
from __future__ import annotations

from collections.abc import Callable, Iterable

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


def _paragraph_starts(body: str) -> tuple[list[str], list[int]]:
    paras = body.split("\n")
    starts, pos = [], 0
    for p in paras:
        starts.append(pos)
        pos += len(p) + 1
    return paras, starts


class Forms(Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._forms_seen: set[str] = set()      # words this process already wrote (committed) to ko_forms

    def _add_forms(self, forms: dict[str, str]) -> list[tuple[str, str]]:
        """Write the words not written before (inside the caller's transaction); returns them."""
        seen = self._forms_seen
        # Words this process already committed need no second write; the rest go in sorted (fewer page splits).
        new = sorted((w, t) for w, t in forms.items() if w not in seen)
        self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)", new)
        return new

    def _forms_written(self, written: list[tuple[str, str]]) -> None:
        """Remember words once their transaction committed."""
        seen = self._forms_seen
        if len(seen) > 300_000:          # bounded memory: most words recur
            seen.clear()
        seen.update(w for w, _ in written)

    def rebuild_indexes(self, forms_of: Callable[[str, list[str], int], dict[str, str]]) -> int:
        """Rebuild both full-text indexes from the articles, and ``ko_forms`` from the stored morphemes
        (``forms_of(paragraph text, [packed morphemes of its sentences], paragraph offset)`` gives a
        paragraph's words); returns the number of analysed articles. One transaction: a failure changes
        nothing."""
        n = 0
        with self._tx():
            for fts in ("articles_fts_ko", "articles_fts_en"):
                self.db.execute(f"INSERT INTO {fts}({fts}) VALUES('rebuild')")
            self.db.execute("DELETE FROM ko_forms")
            arts = self.db.execute("SELECT id, body_ko FROM articles WHERE nlp_status='done'").fetchall()
            for aid, body in arts:
                n += 1
                forms = self._article_forms(aid, body or "", forms_of)
                if forms:
                    self.db.conn.executemany("INSERT OR IGNORE INTO ko_forms(surface, terms) VALUES (?, ?)",
                                             forms.items())
            for fts in ("articles_fts_ko", "articles_fts_en"):
                self.db.execute(f"INSERT INTO {fts}({fts}) VALUES('optimize')")
        self._forms_seen.clear()
        return n

    def _article_forms(self, article_id: int, body: str, forms_of) -> dict[str, str]:
        paras, starts = _paragraph_starts(body)
        packed: dict[int, list[str]] = {}
        for para, morphs in self.db.execute("SELECT para, morphs FROM sentences WHERE article_id=? ORDER BY idx",
                                            [article_id]):
            packed.setdefault(para, []).append(morphs)
        forms: dict[str, str] = {}
        for para, sents in packed.items():
            if 0 <= para < len(paras):
                for word, terms in forms_of(paras[para], sents, starts[para]).items():
                    forms.setdefault(word, terms)
        return forms
