"""The biggest stories (`newspipe stories`, /-/stories: db.story_list.biggest) and a story's copies (the article
page: db.story_list.copies) on an archive with stories: median and slowest of N calls, warm, in-process, read
only. `--db PATH` names the archive (e.g. one `scale.py` built, in bench/out/); nothing is written to it.

    .venv/bin/python bench/story_list.py --db bench/out/scale-10k.db [--repeat 7]
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.story_list import biggest, copies  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, object]:
    out, ms = None, []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms), max(ms), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="an archive with stories (read only)")
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    if not Path(a.db).exists():
        sys.exit(f"story_list.py: no archive at {a.db}")
    conn = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    n, stories, newest = conn.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories), "
                                      "(SELECT max(published_at) FROM articles)").fetchone()
    region = conn.execute("SELECT region FROM sources WHERE region IS NOT NULL LIMIT 1").fetchone()
    end = date.fromisoformat(newest[:10])
    week = ((end - timedelta(days=6)).isoformat(), end.isoformat())
    print(f"{a.db}: {n:,} articles, {stories:,} stories, newest {newest[:10]}; {a.repeat} calls each, warm")
    cases = [("whole archive, top 20", dict()), (f"week {week[0]}..{week[1]}, top 20", dict(since=week[0], until=week[1])),
             (f"week, region {region[0] if region else '-'}", dict(since=week[0], until=week[1],
                                                                    region=region[0] if region else None)),
             ("whole archive, top 200", dict(limit=200))]
    for name, kw in cases:
        timed(lambda: biggest(conn, **kw), 1)                     # warm the pages
        med, worst, found = timed(lambda: biggest(conn, **kw), a.repeat)
        top = found[0] if found else None
        print(f"stories {name:<40} median {med:8.1f} ms  max {worst:8.1f} ms  "
              + (f"top: {top.articles} articles, {top.outlets} outlets" if top else "none"))
    ids = [r[0] for r in conn.execute("SELECT first_article_id FROM stories ORDER BY size DESC LIMIT 20")]
    med, worst, _ = timed(lambda: [copies(conn, i) for i in ids], a.repeat)
    print(f"copies of the 20 biggest stories' first articles: median {med / len(ids):.2f} ms an article, "
          f"max {worst / len(ids):.2f}")


if __name__ == "__main__":
    main()
