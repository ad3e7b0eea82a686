"""bench/trend_share: what `newspipe trends --share` adds to `newspipe trends` (db.trends.trends with
share=True: one more pass, over every article the filters keep, db.trends.coverage), and what the search page's
chart would pay for the same (db.web_summary.counts with and without the share), on an archive, read only.

    .venv/bin/python bench/trend_share.py --db bench/out/scale-10k.db [--repeat 5]

Prints the median milliseconds of each over --repeat passes, warm.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))     # the package, not bench/nlp.py

from db.trends import coverage, trends  # noqa: E402

QUERIES = ["정부", "지역", "새만금"]          # common, common, rare in the synthetic archives


def timed(fn, repeat: int) -> float:
    fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"{args.db}: {total:,} articles; median ms of {args.repeat} warm passes")
    print(f"  coverage (every article, stories per day)   {timed(lambda: coverage(conn), args.repeat):8.1f}")
    print(f"  coverage, articles per day only (web chart) "
          f"{timed(lambda: coverage(conn, stories=False), args.repeat):8.1f}")
    for q in QUERIES:
        _, (rows,) = trends(conn, [q])
        n = sum(r["articles"] for r in rows)
        plain = timed(lambda: trends(conn, [q]), args.repeat)
        share = timed(lambda: trends(conn, [q], share=True), args.repeat)
        print(f"  trends {q!r:<8} {n:>7,} matches: counts {plain:8.1f}   --share {share:8.1f}")


if __name__ == "__main__":
    main()
