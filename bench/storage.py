"""bench/storage: where an archive's bytes go, per translated article (issue 19's measure).

    .venv/bin/python bench/storage.py [--articles N] [--db PATH]

Builds (once, cached in bench/out/) an archive of N articles of 20 real Korean–English news sentences each
(bench/synth.py: page, clean, Kiwi analysis, translation, written through the Archive API as a run writes
them), or reads the archive given with --db, and prints SQLite's own account of its pages (the ``dbstat``
virtual table): bytes per table, its indexes and FTS shadow tables counted with it, per article, beside the
UTF-8 size of the Korean text. The target of issue 19 is what an article costs beyond its compressed raw
page (``page_bodies``): ≤ 15 KB.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/

RAW_PAGES = {"page_bodies"}                    # the compressed raw pages: the target counts what lies beyond


def owner_of(con: sqlite3.Connection) -> dict[str, str]:
    """Each b-tree (table, index, FTS shadow table) → the table a reader would name it by."""
    owner = {}
    for name, kind, table in con.execute("SELECT name, type, tbl_name FROM sqlite_master"):
        owner[name] = table
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE '%VIRTUAL TABLE%'"):
        for (shadow,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE ? ESCAPE '\\'",
                                     [name + "\\_%"]):
            owner[shadow] = name                   # articles_fts_ko_data → articles_fts_ko
    owner["sqlite_schema"] = owner["sqlite_master"] = "(schema)"
    return owner


def breakdown(path: Path) -> tuple[int, dict[str, int], int]:
    """(articles, bytes per table, UTF-8 bytes of the Korean bodies)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        owner = owner_of(con)
        per: dict[str, int] = defaultdict(int)
        for name, size in con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            per[owner.get(name, name)] += size
        articles = con.execute("SELECT count(*) FROM articles WHERE translate_status='done'").fetchone()[0]
        korean = con.execute("SELECT coalesce(sum(length(CAST(body_ko AS BLOB))), 0) FROM articles").fetchone()[0]
    finally:
        con.close()
    return articles, dict(per), korean


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--db", type=Path, help="measure this archive instead of building one")
    args = ap.parse_args(argv)
    if args.db:
        path = args.db
    else:
        from nlp.analyse import Analyser
        from synth import cached
        path = cached(f"storage-{args.articles}", args.articles, analyser=Analyser())
    n, per, korean = breakdown(path)
    if not n:
        print(f"newspipe: error: {path} holds no translated article")
        return 1
    total = sum(per.values())
    beyond = sum(v for k, v in per.items() if k not in RAW_PAGES)
    print(f"{path}: {n:,} translated articles, {total / 1e6:,.1f} MB; Korean body {korean / n / 1024:.1f} KB "
          "an article (UTF-8)")
    print(f"{'table (with its indexes and FTS shadows)':<44} {'KB/article':>10} {'share':>7}")
    for name, size in sorted(per.items(), key=lambda kv: -kv[1]):
        if size / n >= 10:
            print(f"  {name:<42} {size / n / 1024:>10.2f} {size / total:>7.1%}")
    print(f"beyond the compressed raw page: {beyond / n / 1024:.1f} KB an article (issue 19's target: <= 15 KB), "
          f"{beyond / max(korean, 1):.1f}x the Korean text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
