"""bench/scale: where one machine ends -- disk, search, article page, export and the nightly run at 10,000,
100,000 and 300,000 translated articles, with a growth line to 1 and 10 million (issue 19).

    .venv/bin/python bench/scale.py [--sizes 10k,100k,300k] [--passes 3] [--skip cli,web,export,nightly]

Archives (cached in bench/out/scale-<size>.db) are built by bench/synth.py from the 3,000 real Korean-English
news sentence pairs of ../shared/corpus/parallel, through the Archive API as a run writes them, with Kiwi's
analysis, 2,000 articles a day from 2026-01-01 in five outlets (a region's daily output; a 300,000-article
archive is five months of it), each article given its story as a run does (pipeline.stories). A larger
archive is grown from the largest smaller one (copied, then the next articles added), so 300k costs what
its last 200k cost. For each size:

  disk      the file per article, and beyond the compressed raw pages (bench/storage.breakdown); synth stores
            a URL for the raw page, so the nightly line's disk (real pages, the translation memory) is the
            fuller figure of what an article adds
  search    a fixed set of queries (Korean words of 1-3 syllables, common and rare, an inflected form, no
            match, phrases, OR / NOT / AND, English words and a phrase; filters by date, region, outlet and
            translation; both sorts; a second page), warm, p50/p95 of:
              in-process  db.search.search() (20 hits), and search_page() (hits, total, per day, stories)
              command     `newspipe search` as a user runs it: the process's wall time, start-up included
              web         /-/search through Datasette's in-process client, the settings of `newspipe serve`;
                          a page whose counts come behind its hits (many matches) also fetches them, timed
                          apart ("counts behind")
  article   /-/article/ID for random articles, p50/p95
  export    `newspipe export` per format, the whole archive: articles/s, pairs/s, MB/s of output
  nightly   a run adding 2,000 articles to a copy of the archive, network excluded (bench/nightly.py)

Results are kept in bench/out/scale-results.json (a later run with other sizes adds to them) and printed as a
table, then a line fitted through all sizes measured: disk, search p95 and the nightly time at 1 and 10
million. Targets (issue 19): search p95 <= 50 ms warm at 300,000 (in-process and web page); the nightly
increment of 2,000 into 300,000 <= 5 min on 2 cores.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT)]
sys.path.append(str(HERE))                    # after the packages: bench/nlp.py must not shadow nlp/
import nightly  # noqa: E402
import storage  # noqa: E402
import synth  # noqa: E402

from db.archive import Archive  # noqa: E402
from db.search import search, search_page  # noqa: E402

PER_DAY = 2000
RESULTS = synth.OUT / "scale-results.json"
FORMATS = ("jsonl", "tsv", "tmx", "moses")


def size_of(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


# ------------------------------------------------------------------------------------------------ archives
def cached_sizes() -> list[int]:
    """The sizes of the archives there are in bench/out/."""
    out = []
    for p in synth.OUT.glob("scale-*.db"):
        try:
            out.append(size_of(p.stem[len("scale-"):]))
        except ValueError:                     # scale-300k-nightly.db, ...
            continue
    return sorted(out)


def archive(n: int, analyser_factory) -> Path:
    """bench/out/scale-<n>.db, built the first time (grown from the largest smaller one there is)."""
    synth.OUT.mkdir(exist_ok=True)
    path = synth.OUT / f"scale-{label(n)}.db"
    if path.exists():
        Archive(path).close()                 # brings an archive built by an older newspipe to this schema
        return path
    start = max((m for m in cached_sizes() if m < n), default=0)
    tmp = path.with_suffix(".building")
    for f in synth.OUT.glob(tmp.name + "*"):
        f.unlink()
    if start:
        base = synth.OUT / f"scale-{label(start)}.db"
        Archive(base).close()                 # checkpointed: the file is the whole archive
        shutil.copyfile(base, tmp)
    print(f"building {path.name}: {n - start:,} articles on top of {start:,} ...", file=sys.stderr)
    t0 = time.perf_counter()
    arch = synth.build(tmp, n - start, analyser=analyser_factory(), start=start, per_day=PER_DAY)
    built = time.perf_counter() - t0
    from pipeline.stories import assign_pending
    assigned = assign_pending(arch)["assigned"]
    arch.close()
    total = time.perf_counter() - t0
    tmp.rename(path)
    print(f"built {n - start:,} articles in {built:.0f} s ({(n - start) / built:,.0f} articles/s), stories for "
          f"{assigned:,} in {total - built:.0f} s; {path.stat().st_size / 1e9:.2f} GB", file=sys.stderr)
    return path


def last_day(n: int) -> date:
    return date(2026, 1, 1) + timedelta(days=(n - 1) // PER_DAY)


# ------------------------------------------------------------------------------------------------- queries
def queries(n: int) -> list[dict]:
    """The fixed set, each {q, and the filters: lang, since, until, source, region, translated, sort, page}."""
    end = last_day(n)
    month, week = (end - timedelta(days=29)).isoformat(), (end - timedelta(days=6)).isoformat()
    words = ["물", "법", "땅",                                  # one syllable: matched whole
             "정부", "미국", "경제", "시장", "난징", "암호",        # two: common, rare
             "대통령", "위원회", "올림픽", "도서관", "냉장고", "식중독", "김정일",   # three: common, rare
             "밝혔다", "전주",                                    # an inflected form; a word the archive lacks
             '"대통령 선거"', '"북한 핵"', "경제 OR 시장", "북한 NOT 미국", "정부 경제",
             "government", "president", "nuclear", "Korea", '"prime minister"', "basketball", "kasparov",
             "supercomputer"]
    out = [{"q": w} for w in words]
    out += [{"q": "정부", "since": month}, {"q": "대통령", "region": "전북"}, {"q": "올림픽", "source": "bench-경남"},
            {"q": "government", "since": month, "translated": True}, {"q": "경제", "since": week, "until": end.isoformat()},
            {"q": "정부", "sort": "newest"}, {"q": "도서관", "sort": "newest"}, {"q": "government", "sort": "newest"},
            {"q": "미국", "region": "전남", "sort": "newest"}, {"q": "대통령", "page": 2},
            {"q": "nuclear", "lang": "en", "source": "bench-제주", "since": month}]
    return out


def engine_args(q: dict) -> dict:
    return dict(lang=q.get("lang", "any"), since=q.get("since"), until=q.get("until"), source=q.get("source"),
                region=q.get("region"), translated=q.get("translated"), sort=q.get("sort", "relevance"),
                offset=20 * (q.get("page", 1) - 1), limit=20)


def cli_args(q: dict) -> list[str]:
    args = ["search", q["q"]]
    for key in ("lang", "since", "until", "source", "region", "sort", "page"):
        if key in q:
            args += [f"--{key}", str(q[key])]
    return args + (["--translated"] if q.get("translated") else [])


def web_params(q: dict) -> dict:
    p = {k: str(v) for k, v in q.items() if k in ("q", "lang", "since", "until", "source", "region", "sort", "page")}
    return p | ({"translated": "yes"} if q.get("translated") else {})


def pct(values: list[float]) -> dict:
    s = sorted(values)
    return {"p50": statistics.median(s), "p95": s[max(0, math.ceil(len(s) * 0.95) - 1)], "max": s[-1], "n": len(s)}


def in_process(db: Path, qs: list[dict], passes: int) -> dict:
    arch = Archive(db, readonly=True)
    per_query: dict[str, list[float]] = {}
    hits, pages, hits_cpu = [], [], []
    for q in qs:                              # warm: the pages a server would have in memory
        search_page(arch, q["q"], **engine_args(q))
    for _ in range(passes):
        for q in qs:
            c0, t0 = time.process_time(), time.perf_counter()
            search(arch, q["q"], **engine_args(q))
            c1, t1 = time.process_time(), time.perf_counter()
            search_page(arch, q["q"], **engine_args(q))
            t2 = time.perf_counter()
            hits.append((t1 - t0) * 1000)
            hits_cpu.append((c1 - c0) * 1000)
            pages.append((t2 - t1) * 1000)
            per_query.setdefault(json.dumps(q, ensure_ascii=False), []).append((t1 - t0) * 1000)
    totals = {json.dumps(q, ensure_ascii=False): search_page(arch, q["q"], **engine_args(q)).total for q in qs}
    arch.close()
    slow = sorted(((statistics.median(v), k) for k, v in per_query.items()), reverse=True)[:6]
    return {"search": pct(hits), "search_cpu": pct(hits_cpu), "search_page": pct(pages),
            "slowest": [{"query": k, "ms": round(ms, 1), "total": totals[k]} for ms, k in slow]}


def command_line(db: Path, qs: list[dict]) -> dict:
    cmd = [sys.executable, "-m", "pipeline.cli", "--db", str(db)]
    subprocess.run([*cmd, "search", "정부"], capture_output=True, cwd=ROOT)       # warm the imports' files
    times, cpu = [], []
    for q in qs:
        t0 = time.perf_counter()
        child = subprocess.Popen([*cmd, *cli_args(q)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
        assert status == 0, (q, err)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, cwd=ROOT)
    return {"search": pct(times), "search_cpu": pct(cpu), "startup_ms": (time.perf_counter() - t0) * 1000}


def web(db: Path, qs: list[dict], passes: int, n: int, articles: int = 60) -> dict:
    from datasette.app import Datasette

    from pipeline.serve import SETTINGS
    settings = {k: v != "off" if v in ("on", "off") else int(v) for k, v in SETTINGS.items()}
    ds = Datasette([str(db)], settings=settings)
    ids = random.Random(19).sample(range(1, n + 1), articles)

    async def run() -> tuple[list[float], list[float]]:
        await ds.invoke_startup()
        for q in qs:
            assert (await ds.client.get("/-/search", params=web_params(q))).status_code == 200, q
        page, cpu, later = [], [], []
        for _ in range(passes):
            for q in qs:
                c0, t0 = time.process_time(), time.perf_counter()
                r = await ds.client.get("/-/search", params=web_params(q))
                page.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert r.status_code == 200 and ('class="np-total"' in r.text or "data-src=" in r.text), q
                deferred = re.search(r'<div id="np-top" data-src="([^"]+)"', r.text)
                if deferred:                  # many matches: what the page's script fetches behind the hits
                    t0 = time.perf_counter()
                    r = await ds.client.get(html.unescape(deferred.group(1)))
                    later.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200 and 'class="np-total"' in r.text, q
        for i in ids[:10]:
            await ds.client.get(f"/-/article/{i}")
        art = []
        for i in ids:
            t0 = time.perf_counter()
            r = await ds.client.get(f"/-/article/{i}")
            art.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, i
        return page, cpu, later, art
    page, cpu, later, art = asyncio.run(run())
    return {"search": pct(page), "search_cpu": pct(cpu), "article": pct(art),
            **({"summary": pct(later)} if later else {}), "deferred": len(later) / len(page)}


def export(db: Path, articles: int) -> dict:
    out = {}
    for fmt in FORMATS:
        target = synth.OUT / f"scale-export.{fmt}"
        cmd = [sys.executable, "-m", "pipeline.cli", "--db", str(db), "export", "--format", fmt, "-o", str(target)]
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        err = child.stderr.read()
        _, status, _ = os.wait4(child.pid, 0)
        secs = time.perf_counter() - t0
        assert status == 0, err
        files = [target] if fmt != "moses" else [Path(f"{target}.ko"), Path(f"{target}.en")]
        mb = sum(f.stat().st_size for f in files) / 1e6
        for f in files:
            f.unlink()
        pairs = int(err.split()[1])
        out[fmt] = {"secs": secs, "articles_s": articles / secs, "pairs_s": pairs / secs, "mb_s": mb / secs,
                    "mb": mb}
    return out


def measure(n: int, db: Path, passes: int, skip: set[str]) -> dict:
    arts, per, korean = storage.breakdown(db)
    total = sum(per.values())
    res: dict = {"articles": arts, "file_bytes": db.stat().st_size, "bytes": total,
                 "beyond_bytes": total - sum(v for k, v in per.items() if k in storage.RAW_PAGES),
                 "tables": {k: v / max(arts, 1) for k, v in sorted(per.items(), key=lambda kv: -kv[1])[:8]}}
    print(f"[{label(n)}] disk: {total / arts / 1024:.1f} KB an article, {res['beyond_bytes'] / arts / 1024:.1f} KB "
          "beyond the raw pages", file=sys.stderr)
    qs = queries(n)
    res["queries"] = len(qs)
    res["load"] = os.getloadavg()[0]        # other work on the machine: wall times are shared, CPU times less
    res["in_process"] = in_process(db, qs, passes)
    print(f"[{label(n)}] in-process: {res['in_process']['search']}", file=sys.stderr)
    if "web" not in skip:
        res["web"] = web(db, qs, passes, n)
        print(f"[{label(n)}] web: {res['web']}", file=sys.stderr)
    if "cli" not in skip:
        res["cli"] = command_line(db, qs)
        print(f"[{label(n)}] command: {res['cli']}", file=sys.stderr)
    if "export" not in skip:
        res["export"] = export(db, arts)
        print(f"[{label(n)}] export: {res['export']}", file=sys.stderr)
    if "nightly" not in skip:
        res["nightly"] = nightly.nightly(db, 2000)
        print(f"[{label(n)}] nightly: {res['nightly']}", file=sys.stderr)
    return res


# --------------------------------------------------------------------------------------------------- report
def _get(r: dict, path: str):
    for key in path.split("."):
        if not isinstance(r, dict) or key not in r:
            return None
        r = r[key]
    return r


ROWS = [  # (label, path in a result, scale, format)
    ("load average at the start", "load", None, "{:.1f}"),
    ("disk, KB an article (file)", "bytes", "per_kb", "{:.1f}"),
    ("disk, KB beyond raw pages", "beyond_bytes", "per_kb", "{:.1f}"),
    ("disk, GB", "bytes", "gb", "{:.2f}"),
    ("search() p50 ms", "in_process.search.p50", None, "{:.1f}"),
    ("search() p95 ms (<= 50)", "in_process.search.p95", None, "{:.1f}"),
    ("search() p95 CPU ms", "in_process.search_cpu.p95", None, "{:.1f}"),
    ("search_page() p50 ms", "in_process.search_page.p50", None, "{:.1f}"),
    ("search_page() p95 ms", "in_process.search_page.p95", None, "{:.1f}"),
    ("web /-/search p50 ms", "web.search.p50", None, "{:.1f}"),
    ("web /-/search p95 ms (<= 50)", "web.search.p95", None, "{:.1f}"),
    ("web /-/search p95 CPU ms", "web.search_cpu.p95", None, "{:.1f}"),
    ("web: pages with counts behind, %", "web.deferred", "pct", "{:.0f}"),
    ("web counts behind p50 ms", "web.summary.p50", None, "{:.0f}"),
    ("web counts behind p95 ms", "web.summary.p95", None, "{:.0f}"),
    ("web /-/article p50 ms", "web.article.p50", None, "{:.1f}"),
    ("web /-/article p95 ms", "web.article.p95", None, "{:.1f}"),
    ("newspipe search p50 ms", "cli.search.p50", None, "{:.0f}"),
    ("newspipe search p95 ms", "cli.search.p95", None, "{:.0f}"),
    ("newspipe search p95 CPU ms", "cli.search_cpu.p95", None, "{:.0f}"),
    ("newspipe --help ms (start-up)", "cli.startup_ms", None, "{:.0f}"),
    *[(f"export {f}: articles/s", f"export.{f}.articles_s", None, "{:,.0f}") for f in FORMATS],
    *[(f"export {f}: MB/s", f"export.{f}.mb_s", None, "{:.1f}") for f in FORMATS],
    ("nightly +2,000: s (<= 300)", "nightly.seconds", None, "{:.1f}"),
    *[(f"  of which {s}, s", f"nightly.stages.{s}", None, "{:.1f}")
      for s in ("crawl", "clean", "analyse", "stories", "translate")],
    ("nightly: KB added an article", "nightly.bytes_per_article", "kb", "{:.1f}"),
]


def _value(r: dict, path: str, scale: str | None):
    v = _get(r, path)
    if v is None:
        return None
    return {"per_kb": lambda: v / r["articles"] / 1024, "gb": lambda: v / 1e9, "kb": lambda: v / 1024,
            "pct": lambda: v * 100, None: lambda: v}[scale]()


def table(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    print(f"machine: {os.cpu_count()} cores; synthetic archives of real Korean-English news sentences (bench/synth.py)")
    print(f"{'':<32}" + "".join(f"{label(n):>12}" for n in sizes))
    for name, path, scale, fmt in ROWS:
        vals = [_value(results[n], path, scale) for n in sizes]
        if all(v is None for v in vals):
            continue
        print(f"{name:<32}" + "".join(f"{fmt.format(v) if v is not None else '-':>12}" for v in vals))
    for n in sizes:
        slow = _get(results[n], "in_process.slowest") or []
        print(f"slowest queries at {label(n)} (search(), median ms / matches): "
              + "; ".join(f"{json.loads(s['query'])} {s['ms']} / {s['total']:,}" for s in slow[:4]))


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least squares y = a + b x."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def growth(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    if len(sizes) < 2:
        print("growth line: needs two sizes or more")
        return
    print(f"growth line through {', '.join(label(n) for n in sizes)} (least squares, straight line in the article "
          "count; power law y = c n^k beside it):")
    for name, path, scale, unit in [("disk", "bytes", "gb", "GB"), ("search() p95", "in_process.search.p95", None, "ms"),
                                    ("search() p95 CPU", "in_process.search_cpu.p95", None, "ms"),
                                    ("web /-/search p95", "web.search.p95", None, "ms"),
                                    ("nightly +2,000", "nightly.seconds", None, "s")]:
        pts = [(n, _value(results[n], path, scale)) for n in sizes if _value(results[n], path, scale) is not None]
        if len(pts) < 2:
            continue
        a, b = fit([p[0] for p in pts], [p[1] for p in pts])
        k, c = fit([math.log(p[0]) for p in pts], [math.log(max(p[1], 1e-9)) for p in pts])[::-1]
        line = ", ".join(f"{label(m)}: {a + b * m:,.1f} {unit} (power {math.exp(c) * m ** k:,.1f})"
                         for m in (1_000_000, 10_000_000))
        print(f"  {name:<18} {b * 1e5:+,.2f} {unit} per 100,000 articles, exponent {k:.2f}; at {line}")
    real = [_value(results[n], "nightly.bytes_per_article", None) for n in sizes]
    real = [v for v in real if v is not None]
    if real:                              # what a night adds an article: real pages, translation memory, ...
        per = statistics.fmean(real)
        print(f"  {'disk, as a night':<18} {per / 1024:.1f} KB an article (real pages, the translation memory): "
              f"1m: {per * 1e6 / 1e9:,.1f} GB, 10m: {per * 1e7 / 1e9:,.1f} GB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,300k", help="comma-separated article counts (10k, 1m, 2500)")
    ap.add_argument("--passes", type=int, default=3, help="timed passes over the query set (in-process, web)")
    ap.add_argument("--skip", default="", help="comma-separated: cli, web, export, nightly")
    ap.add_argument("--report", action="store_true", help="print the kept results only, measure nothing")
    args = ap.parse_args()
    results = {int(k): v for k, v in json.loads(RESULTS.read_text()).items()} if RESULTS.exists() else {}
    if not args.report:
        analyser = None

        def analyser_factory():
            nonlocal analyser
            if analyser is None:
                from nlp.analyse import Analyser
                analyser = Analyser()
            return analyser
        for n in sorted(size_of(s) for s in args.sizes.split(",")):
            db = archive(n, analyser_factory)
            results[n] = {**results.get(n, {}), **measure(n, db, args.passes, set(filter(None, args.skip.split(","))))}
            RESULTS.write_text(json.dumps({str(k): v for k, v in sorted(results.items())}, indent=1, ensure_ascii=False))
    table(results)
    growth(results)


if __name__ == "__main__":
    main()
