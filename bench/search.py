"""bench/search: index build time, database size, latency and recall on a 100,000-article archive.

    .venv/bin/python bench/search.py [--articles 100000]

The archive is built once (cached in bench/out/) by bench/synth.py from the 3,000 real Korean-English
news sentence pairs of ../shared/corpus/parallel, with Kiwi's analysis of each sentence (search text,
morphemes, the word table). Reported:

  index build   `newspipe reindex` (both FTS5 indexes and the word table, from the stored text)
  size          the database file
  cold          `newspipe search` from process start to exit (what a reporter waits for)
  warm          db.search.search() in one process: p50 / p95 per query
  recall        for each query word, the articles the index finds among those a scan finds
                (Korean: body or title LIKE '%word%'; English: the word or its -s/-ed/-ing forms, any case)
  Korean words  also recall against a word-start scan (the word after a non-Hangul character or at the start:
                정도로 and 도시가 hold 도로 and 시가 inside other words and do not count), and precision: the
                share of the index's hits whose text holds the whole query word (a hit for 시 when 시가 was
                asked is a false one)
  web           the search page /-/search of `newspipe serve` (Datasette in-process, the settings of
                pipeline/serve.py): p50 / p95 per page (20 hits, total, trend chart); the articles table

Targets: cold <= 1 s, warm <= 30 ms, recall >= 0.95 (issue 7); web page p95 <= 150 ms, articles table
<= 300 ms, Korean precision >= 0.95 and recall against the word-start scan >= 0.99 (issue 17).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]
import synth  # noqa: E402

from db.archive import Archive  # noqa: E402
from db.search import search  # noqa: E402

KO = ["정부", "경제", "미국", "북한", "회사", "시장", "학생", "병원", "선거", "경찰", "전쟁", "기업", "대학", "석유", "환경",
      "국회", "중국", "일본", "한국", "대통령", "위원회", "지도자", "대변인", "연구소", "컴퓨터", "올림픽", "테러", "관리들",
      "시가", "마을", "도로"]             # the last three: words that once widened to 시*, 마*, 도* (issue 17)
EN = ["government", "president", "economy", "market", "police", "election", "students", "war", "oil", "company",
      "officials", "nuclear", "hospital", "computer"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--skip-reindex", action="store_true")
    args = ap.parse_args()
    from nlp.analyse import Analyser
    db = synth.cached(f"search-{args.articles}", args.articles, analyser=Analyser())
    print(f"machine: {os.cpu_count()} cores; archive {db.name}: {args.articles:,} articles, "
          f"{db.stat().st_size / 1e6:,.0f} MB")
    newspipe = [sys.executable, "-m", "pipeline.cli", "--db", str(db)]
    if not args.skip_reindex:
        t0 = time.perf_counter()
        res = subprocess.run([*newspipe, "reindex"], capture_output=True, text=True, cwd=ROOT)
        assert res.returncode == 0, res.stderr
        print(f"index build (newspipe reindex): {time.perf_counter() - t0:.1f} s; size after "
              f"{db.stat().st_size / 1e6:,.0f} MB")

    cold = []
    for q in ["전주", "대통령", "government", "경제 OR 시장"]:
        t0 = time.perf_counter()
        res = subprocess.run([*newspipe, "search", q, "--limit", "20"], capture_output=True, text=True, cwd=ROOT)
        cold.append(time.perf_counter() - t0)
        assert res.returncode == 0, res.stderr
    print(f"cold (process start to exit), 4 queries: {', '.join(f'{c:.2f}' for c in cold)} s; "
          f"max {max(cold):.2f} s (target <= 1 s)")

    arch = Archive(db, readonly=True)
    for q in KO[:3] + EN[:3]:          # warm the page cache, as a running server would be
        search(arch, q)
    lat = []
    for _ in range(3):
        for q in KO + EN:
            t0 = time.perf_counter()
            search(arch, q, limit=20)
            lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    p95 = lat[int(len(lat) * 0.95) - 1]
    print(f"warm, {len(lat)} queries (limit 20): p50 {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, "
          f"max {lat[-1]:.1f} ms (target <= 30 ms)")

    web(db, lat_targets=(150, 300))

    found = expected = 0
    ko = {"hits": 0, "precise": 0, "words": 0, "words_found": 0}
    print(f"{'word':<12} {'scan':>7} {'index':>7} {'recall':>7} {'word':>7} {'recall':>7} {'precision':>9}")
    for q in KO + EN:
        words = None
        if q in KO:
            # scan: the word anywhere (LIKE); words: where it starts a word (정도로 and 도시가 hold 도로 and
            # 시가 inside other words, and are not occurrences of them)
            start = re.compile(r"(?<![가-힣])" + re.escape(q))
            scan, words = set(), set()
            for i, title, body in arch.query("SELECT id, title_ko, body_ko FROM articles WHERE nlp_status='done' "
                                             "AND (body_ko LIKE ? OR title_ko LIKE ?)", [f"%{q}%"] * 2, tuples=True):
                scan.add(i)
                if start.search(title or "") or start.search(body or ""):
                    words.add(i)
            lang = "ko"
        else:
            word = re.compile(rf"\b{re.escape(q)}(?:s|es|ed|d|ing)?\b", re.I)     # the word and its inflections
            scan = {r[0] for r in arch.query("SELECT id, title_en, body_en FROM articles WHERE body_en LIKE ? OR "
                                             "title_en LIKE ?", [f"%{q}%"] * 2, tuples=True)
                    if word.search(f"{r[1]} {r[2]}")}
            lang = "en"
        hits = {h.id for h in search(arch, q, lang=lang, limit=10_000_000)}
        got = len(scan & hits)
        found += got
        expected += len(scan)
        extra = ""
        if words is not None:
            ko["hits"] += len(hits)
            ko["precise"] += got                      # a hit whose text holds the whole query word
            ko["words"] += len(words)
            ko["words_found"] += len(words & hits)
            extra = (f"{len(words):>7} {len(words & hits) / len(words) if words else 1:>7.3f} "
                     f"{got / len(hits) if hits else 1:>9.3f}")
        print(f"{q:<12} {len(scan):>7} {len(hits):>7} {got / len(scan) if scan else 1:>7.3f} {extra}")
    print(f"recall over the list (scan): {found / expected:.3f} (target >= 0.95)")
    print(f"Korean: recall against the word-start scan {ko['words_found'] / ko['words']:.3f} (target >= 0.99); "
          f"precision (hits whose text holds the whole word) {ko['precise'] / ko['hits']:.3f} (target >= 0.95)")


def web(db: Path, lat_targets: tuple[int, int]) -> None:
    """The search page and the articles table, through Datasette in-process (no sockets), warm."""
    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    settings = {k: v != "off" if v in ("on", "off") else int(v) for k, v in SETTINGS.items()}
    ds = Datasette([str(db)], settings=settings)

    async def run() -> tuple[list[float], list[float]]:
        await ds.invoke_startup()
        for q in KO[:3] + EN[:3]:
            assert (await ds.client.get("/-/search", params={"q": q})).status_code == 200
        page = []
        for _ in range(3):
            for q in KO + EN:
                t0 = time.perf_counter()
                r = await ds.client.get("/-/search", params={"q": q})
                page.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200 and "np-total" in r.text, q
        table = []
        for path in [f"/{db.stem}/articles"] * 5 + [f"/{db.stem}/articles?published_date=2026-05-05"] * 3:
            t0 = time.perf_counter()
            r = await ds.client.get(path)
            table.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, path
        return page, table
    page, table = asyncio.run(run())
    page.sort()
    p95 = page[int(len(page) * 0.95) - 1]
    print(f"web /-/search, {len(page)} pages (20 hits, total, trend chart): p50 {statistics.median(page):.1f} ms, "
          f"p95 {p95:.1f} ms, max {page[-1]:.1f} ms (target <= {lat_targets[0]} ms)")
    print(f"web articles table, {len(table)} loads: median {statistics.median(table):.1f} ms, max {max(table):.1f} ms "
          f"(target <= {lat_targets[1]} ms)")


if __name__ == "__main__":
    main()
