"""The translation memory: one request per distinct Korean text and backend, ever. ``TranslationMemory``
implements translate's ``Memory`` protocol (get, put) on the archive's connection."""
from __future__ import annotations

from collections.abc import Iterable

from .connection import Connection, sha256


class TranslationMemory:
    """The archive's memory for one backend. ``replace``: a deliberate retranslation, whose English replaces
    what the memory held; otherwise an existing entry is kept."""

    def __init__(self, archive: Connection, backend: str, replace: bool = False):
        self.archive = archive
        self.backend = backend
        self.replace = replace

    def get(self, texts: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for text in set(texts):
            row = self.archive.db.execute("SELECT tgt FROM translation_memory WHERE backend=? AND src_hash=?",
                                          [self.backend, sha256(text)]).fetchone()
            if row:
                out[text] = row[0]
        return out

    def put(self, pairs: dict[str, str]) -> None:
        now = self.archive.now()
        verb = "INSERT OR REPLACE" if self.replace else "INSERT OR IGNORE"
        with self.archive._tx():
            self.archive.db.conn.executemany(
                f"{verb} INTO translation_memory(backend, src_hash, src, tgt, created_at) VALUES (?,?,?,?,?)",
                [(self.backend, sha256(s), s, t, now) for s, t in pairs.items()])
