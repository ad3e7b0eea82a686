"""bench/prefix_index: what a longer prefix index on the Korean index would cost and give (issue 19: search p95
<= 50 ms at 300,000 articles, <= 15 KB an article).

    .venv/bin/python bench/prefix_index.py [--db bench/out/scale-100k.db] [--prefixes "2;2 3;2 4;2 3 4"]

The Korean index (``articles_fts_ko``, db/schema_compact.py) has a prefix index for two characters: a query
word of three syllables or more (대통령*), and every reversed arm (ᅟ령통대*: a noun that ends with the word),
is read from its range of terms, whose rows FTS5 gathers before the first row comes -- once for the match and
once more for BM25. For each ``prefix=`` option this builds the Korean index alone from the archive's stored
search texts (db/korean_index.rebuild, into bench/out/prefix-<option>-<archive>.db, kept), prints its bytes
an article (SQLite's dbstat) and, for each Korean query of bench/scale.py, the relevance window db/search.py
reads (the 2,000 newest matches with their BM25; the expression the query analyser makes today), CPU ms, the
least of 9 runs. The rows and scores must be the same on every index (asserted): a prefix index changes
speed, never an answer.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]
sys.path.append(str(HERE))                    # after the packages: bench/nlp.py must not shadow nlp/
import scale  # noqa: E402
import synth  # noqa: E402

from db import korean_index  # noqa: E402
from db.archive import Archive  # noqa: E402
from db.search import _plan  # noqa: E402

WINDOW = "SELECT rowid, rank FROM articles_fts_ko WHERE articles_fts_ko MATCH ? ORDER BY rowid DESC LIMIT 2000"


def build(archive: Path, prefix: str) -> Path:
    """The Korean index alone with ``prefix=``, from the archive's stored search texts (cached)."""
    path = synth.OUT / f"prefix-{prefix.replace(' ', '_')}-{archive.stem}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("ATTACH DATABASE ? AS src", [f"file:{archive}?mode=ro"])
    con.execute("CREATE VIRTUAL TABLE main.articles_fts_ko USING fts5(search_ko, content='', tokenize='unicode61', "
                f"prefix='{prefix}')")
    import sqlite_utils
    t0 = time.perf_counter()
    n = korean_index.rebuild(sqlite_utils.Database(con))      # reads src.articles, writes main's index
    con.execute("INSERT INTO articles_fts_ko(articles_fts_ko) VALUES('optimize')")
    con.commit()
    con.close()
    tmp.rename(path)
    print(f"built prefix='{prefix}': {n:,} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def size_per_article(path: Path) -> float:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    total = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts_ko%'").fetchone()[0]
    n = con.execute("SELECT count(*) FROM articles_fts_ko_docsize").fetchone()[0]
    return total / max(n, 1)


def expressions(archive: Path) -> list[str]:
    arch = Archive(archive, readonly=True)
    n = arch.query("SELECT count(*) FROM articles", tuples=True).fetchone()[0]
    out = []
    for q in scale.queries(n):
        plan = _plan(arch, q["q"], q.get("lang", "any"), None, None, None, None, None)
        if plan.lang == "ko" and plan.expr not in out:
            out.append(plan.expr)
    return out


def cpu_ms(con: sqlite3.Connection, expr: str) -> tuple[float, list]:
    rows = con.execute(WINDOW, [expr]).fetchall()
    best = float("inf")
    for _ in range(9):
        t0 = time.process_time()
        con.execute(WINDOW, [expr]).fetchall()
        best = min(best, time.process_time() - t0)
    return best * 1000, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(synth.OUT / "scale-100k.db"), help="an archive (bench/scale.py's)")
    ap.add_argument("--prefixes", default="2;2 3;2 4;2 3 4", help="prefix= options, separated by ';'")
    args = ap.parse_args()
    archive = Path(args.db)
    options = [p.strip() for p in args.prefixes.split(";") if p.strip()]
    paths = [build(archive, p) for p in options]
    cons = [sqlite3.connect(f"file:{path}?mode=ro", uri=True) for path in paths]
    print(f"{archive.name}: the Korean index alone, rebuilt and optimized, with each prefix= option")
    print(f"{'bytes an article':<44}" + "".join(f"{size_per_article(path):>10,.0f}" for path in paths))
    print(f"{'relevance window, CPU ms (least of 9)':<44}" + "".join(f"{repr(p):>10}" for p in options))
    totals = [0.0] * len(options)
    for expr in expressions(archive):
        timed = [cpu_ms(c, expr) for c in cons]
        first = timed[0][1]
        for (_, rows), p in zip(timed, options):
            assert rows == first, f"prefix='{p}' answers {expr} otherwise"
        for i, (ms, _) in enumerate(timed):
            totals[i] += ms
        print(f"{expr[:44]:<44}" + "".join(f"{ms:>10.2f}" for ms, _ in timed))
    print(f"{'sum':<44}" + "".join(f"{t:>10.1f}" for t in totals))


if __name__ == "__main__":
    main()
