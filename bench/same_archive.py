"""bench/same_archive: whether two archives hold the same data and their indexes give the same answers.

    .venv/bin/python bench/same_archive.py A.db B.db
    .venv/bin/python bench/same_archive.py --build DIR OLD NEW [--articles 500]

A speed change to the run must not change what it writes. This compares two archives built from the same pages
(by two checkouts: ``--build`` makes them, see below): every row of every table, in order of its key, except
what says when or by which process (the ``*_at`` times of a run, the runs' pids and timings) and the full-text
indexes' own storage (FTS5 shadow tables, ``sqlite_stat1``), whose bytes follow commit boundaries; the indexes
are compared by their answers instead: every term of every article's search text (and, for terms of two
syllables up, its prefix and its reversed-suffix form) matched in the Korean index, the ids and the bm25 order of
what it finds, and every English word likewise. A local port in a URL (the demo site's 127.0.0.1:PORT) is
replaced by PORT in both. Prints what differs, at most a few rows a table, and exits 1 if anything does.

``--build DIR OLD NEW`` builds both archives first, in DIR, each in a fresh process with that checkout first on
the path: bench/processing.py's pipeline pass (ingest, clean, analyse, stories) over its ``--articles`` pages
(demo layouts, bench/out), and ``newspipe demo --translator none`` (the demo site crawled, the example page;
a checkout outside /work, e.g. ``git archive`` of the commit before, needs NEWSPIPE_CORPUS=/work/shared/corpus
or its demo has no example page).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))                  # before bench/: bench/nlp.py must not shadow nlp/
WHEN = {"applied_at", "analysed_at", "cleaned_at", "created_at", "changed_at", "fetched_at", "checked_at",
        "found_at", "replaced_at", "translated_at", "started_at", "ended_at"}
SKIP = {"runs": {"pid", "counts", "options"}, "sources": {"updated_at"},   # a run's own (counts: seconds)
        "discovery_pages": {"etag"}}                # the demo's feed: a hash of a text that holds the site's port
PORT = re.compile(rb"127\.0\.0\.1:\d+")
FTS_SHADOW = re.compile(r"_fts_\w+_(data|idx|docsize|config|content)$")


def _norm(value):
    if isinstance(value, str):
        return PORT.sub(b"127.0.0.1:PORT", value.encode("utf-8")).decode("utf-8")
    if isinstance(value, bytes):
        if value[:2] == b"x\x9c":                  # a zlib body (a discovery page): its text compared
            value = zlib.decompress(value)
        return PORT.sub(b"127.0.0.1:PORT", value)
    return value


def tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type='table' ORDER BY name").fetchall()
    return [n for n, sql in rows if not FTS_SHADOW.search(n) and n != "sqlite_stat1"
            and "VIRTUAL TABLE" not in (sql or "").upper()]


def rows_of(db: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple]]:
    cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    keep = [c for c in cols if c not in WHEN and c not in SKIP.get(table, ())]
    got = db.execute(f"SELECT {', '.join(map(_quote, keep))} FROM {table}").fetchall()
    return keep, sorted((tuple(_norm(v) for v in r) for r in got), key=repr)


def _quote(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def compare_tables(a: sqlite3.Connection, b: sqlite3.Connection, out: list[str]) -> int:
    ta, tb = tables(a), tables(b)
    if ta != tb:
        out.append(f"tables differ: {sorted(set(ta) ^ set(tb))}")
    n = 0
    for t in sorted(set(ta) & set(tb)):
        ca, ra = rows_of(a, t)
        cb, rb = rows_of(b, t)
        n += len(ra)
        if ca != cb:
            out.append(f"{t}: columns differ {ca} / {cb}")
            continue
        if ra != rb:
            extra_a, extra_b = set(ra) - set(rb), set(rb) - set(ra)
            out.append(f"{t}: {len(ra)} / {len(rb)} rows, {len(extra_a)} only in A, {len(extra_b)} only in B")
            for r in sorted(extra_a, key=repr)[:3]:
                out.append(f"   A: {_short(ca, r)}")
            for r in sorted(extra_b, key=repr)[:3]:
                out.append(f"   B: {_short(cb, r)}")
    return n


def _short(cols, row) -> str:
    return ", ".join(f"{c}={str(v)[:80]!r}" for c, v in zip(cols, row))


def _search_texts(db: sqlite3.Connection) -> list[str]:
    from db.korean_index import search_text
    return [search_text(z) for (z,) in db.execute("SELECT search_ko_z FROM articles WHERE search_ko_z IS NOT NULL")]


def queries(db: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The Korean and English FTS queries to ask: every term of the stored search texts (its prefix and its
    reversed-suffix form too, for two syllables up), every word of the English."""
    from nlp.types import SUFFIX_MARK
    terms: set[str] = set()
    for text in _search_texts(db):
        terms.update(text.split())
    ko = set()
    for t in terms:
        ko.add(f'"{t}"')
        if len(t) >= 2:
            ko.add(f'"{t[:2]}"*')
            ko.add(f'"{SUFFIX_MARK}{t[::-1]}"*')
    en = set()
    for (text,) in db.execute("SELECT coalesce(title_en,'') || ' ' || coalesce(body_en,'') || ' ' || "
                              "coalesce(publisher_en,'') FROM articles"):
        en.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", text or ""))
    return sorted(ko), sorted(f'"{w}"' for w in en)


def answers(db: sqlite3.Connection, fts: str, qs: list[str]) -> dict[str, tuple]:
    out = {}
    for q in qs:
        ids = db.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid", [q]).fetchall()
        ranked = db.execute(f"SELECT rowid, round(bm25({fts}), 9) FROM {fts} WHERE {fts} MATCH ? "
                            f"ORDER BY bm25({fts}), rowid LIMIT 20", [q]).fetchall()
        out[q] = (tuple(r[0] for r in ids), tuple(ranked))
    return out


def compare_indexes(a: sqlite3.Connection, b: sqlite3.Connection, out: list[str]) -> int:
    ko_a, en_a = queries(a)
    ko_b, en_b = queries(b)
    n = 0
    for fts, qa, qb in (("articles_fts_ko", ko_a, ko_b), ("articles_fts_en", en_a, en_b)):
        qs = sorted(set(qa) | set(qb))
        n += len(qs)
        xa, xb = answers(a, fts, qs), answers(b, fts, qs)
        bad = [q for q in qs if xa[q] != xb[q]]
        if bad:
            out.append(f"{fts}: {len(bad)} of {len(qs)} queries answer differently, e.g. {bad[:3]}")
        for table in (fts + "_docsize",):     # each document's token counts (bm25's lengths)
            if a.execute(f"SELECT id, sz FROM {table} ORDER BY id").fetchall() != \
                    b.execute(f"SELECT id, sz FROM {table} ORDER BY id").fetchall():
                out.append(f"{table}: documents or their lengths differ")
    return n


def compare(path_a: Path, path_b: Path) -> bool:
    a, b = sqlite3.connect(f"file:{path_a}?mode=ro", uri=True), sqlite3.connect(f"file:{path_b}?mode=ro", uri=True)
    out: list[str] = []
    rows = compare_tables(a, b, out)
    qs = compare_indexes(a, b, out)
    print(f"{path_a.name} / {path_b.name}: {rows:,} rows compared, {qs:,} index queries: "
          + ("same" if not out else "DIFFERENT"))
    for line in out:
        print("  " + line)
    return not out


# ------------------------------------------------------------------------------------------ building
def build(folder: Path, code: Path, name: str, articles: int) -> list[Path]:
    env = {**os.environ, "PYTHONPATH": str(code), "BENCH_PROCESSING_CODE": str(code)}
    bench_db, demo_db = folder / f"bench-{name}.db", folder / f"demo-{name}.db"
    for p in (bench_db, demo_db):
        for suffix in ("", "-wal", "-shm"):
            Path(str(p) + suffix).unlink(missing_ok=True)
    script = ("import sys, json; from pathlib import Path; sys.argv = ['processing']; import processing as p; "
              f"print(json.dumps(p._pipeline_pass(p.data_dir({articles}, 'demo'), -1, Path({str(bench_db)!r}))"
              "['counts']))")
    env_bench = {**env, "PYTHONPATH": f"{code}{os.pathsep}{ROOT / 'bench'}"}
    done = subprocess.run([sys.executable, "-c", script], env=env_bench, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"building {bench_db} failed:\n{done.stderr[-2000:]}")
    print(f"{bench_db.name} ({code}): {done.stdout.strip().splitlines()[-1]}")
    newspipe = Path(sys.executable).with_name("newspipe")
    done = subprocess.run([str(newspipe), "--db", str(demo_db), "demo", "--translator", "none"], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"building {demo_db} failed:\n{done.stderr[-2000:]}")
    print(f"{demo_db.name} ({code}): " + next((ln for ln in done.stdout.splitlines() if ln.startswith("run ")), ""))
    return [bench_db, demo_db]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="A.db B.db, or with --build: DIR OLD NEW")
    ap.add_argument("--build", action="store_true", help="build the archives first: DIR OLD-CHECKOUT NEW-CHECKOUT")
    ap.add_argument("--articles", type=int, default=500)
    args = ap.parse_args()
    if args.build:
        folder, old, new = (Path(p).resolve() for p in args.paths)
        folder.mkdir(parents=True, exist_ok=True)
        pairs = zip(build(folder, old, "old", args.articles), build(folder, new, "new", args.articles))
    else:
        pairs = [tuple(Path(p) for p in args.paths)]
    same = [compare(a, b) for a, b in pairs]
    sys.exit(0 if all(same) else 1)


if __name__ == "__main__":
    main()
