"""bench/processing: a run's processing beside raw Kiwi over the same bodies, model load counted on both sides.

    .venv/bin/python bench/processing.py [--articles 2000] [--repeat 5] [--layouts demo|corpus] [--workers N]

Issue 19's measure: processing (ingest → clean → analyse → store) at ≥ 0.85× the speed of a bare
``kiwi.tokenize`` over the same bodies. Builds once (cached in bench/out/processing-<layouts>-<N>/) N pages
of real shape: each is a news page of a real layout whose title and body paragraphs are replaced by an
article of 20 real Korean news sentences (bench/synth.py's draw from ../shared/corpus/parallel, ~1,400
characters). ``demo``: the layouts of the demo site (pipeline/demo-pages, 3-6 KB pages, four outlets and
three extraction paths: the ndsoft and newswave profiles, trafilatura); ``corpus``: the real Maeil Business
and Entermedia pages of ../shared/corpus/korean-news (30-125 KB pages with all their site furniture). The
cleaner's text of every page is checked to hold the article put in (a page that loses it stops the bench).

Then, ``--repeat`` times, in alternating order, each side in a fresh process (so each pays its own model load):

  raw       ``from kiwipiepy import Kiwi; Kiwi(num_workers=W).tokenize(texts)``, every result consumed, where
            texts are the cleaner's title + body of each page (read before the clock starts);
  pipeline  what ``newspipe ingest DIR --source S`` then ``newspipe run --no-crawl --no-translate`` do, in one
            process: the pipeline's modules imported, the files read and stored as fetched pages
            (pipeline.ingest), then pipeline.run.Pipeline.run (clean, analyse with its Kiwi load, stories),
            into a new archive in a temporary directory; the archive's bodies are checked afterwards to
            be exactly the texts raw was given.

and prints each pass (its CPU seconds split: the main thread, the other threads -- Kiwi's workers, the zstd
helper --, the forked clean child; bench/cpusplit.py), the medians, and ``speed = raw_time / pipeline_time``
(target ≥ 0.85), also without the stories stage (the issue names processing as ingest → clean → analyse → store). ``--per-call``
also times ``raw1``, Kiwi called once an article (``for t in texts: kiwi.tokenize(t)``, as FACTS.md's first
Kiwi figure: no batching across articles), and prints the pipeline's speed against that too. ``--cprofile
FILE`` runs one pipeline pass under cProfile instead and writes its stats to FILE.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(os.environ.get("BENCH_PROCESSING_CODE") or ROOT)   # the newspipe a pass runs (--against: another)
sys.path.insert(0, str(CODE))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/
from cpusplit import cpu_split  # noqa: E402

OUT = ROOT / "bench" / "out"
SENTS = 20                                     # sentences an article, as bench/synth.py
BASE = "https://bench.example"


# ------------------------------------------------------------------------------------------ the pages
def demo_templates() -> list[dict]:
    """The demo site's UTF-8 pages: (bytes, url shape, content type, source), ids substituted later."""
    from pipeline.demo import PAGES, PAGES_DIR, demo_sources
    sources = {s.id: s for s in demo_sources(BASE)}
    out = []
    for p in PAGES:
        if p.source == "demo-gunsan":          # CP949 bytes: the one template kept out (text would need cp949)
            continue
        s = sources[p.source]
        out.append({"data": (PAGES_DIR / p.file).read_bytes(), "url": BASE + re.sub(r"\d+", "{n}", p.path, count=1),
                    "ctype": p.content_type, "source": {"id": s.id, "name": s.name, "outlet": s.outlet,
                                                       "region": s.region, "profile": s.profile}})
    return out


def corpus_templates() -> list[dict]:
    """Real pages of ../shared/corpus/korean-news whose every body line stands verbatim in the HTML."""
    from pipeline.corpus import require
    pages = require("korean-news")
    out = []
    for f in sorted(pages.glob("mk.co.kr__*.html")) + [pages / "entermedia__idx8576.html"]:
        site = f.name.split("__")[0]
        url = ("https://www.mk.co.kr/news/society/{n}" if site == "mk.co.kr"
               else "http://entermedia.co.kr/news/news_view.html?idx={n}")
        out.append({"data": f.read_bytes(), "url": url, "ctype": "text/html; charset=utf-8",
                    "source": {"id": f"bench-{site.split('.')[0]}", "name": site, "outlet": site, "region": "",
                               "profile": "auto"}})
    return out


def _clean(data: bytes, url: str, ctype: str, source: dict):
    from scrapers.clean import clean_page
    return clean_page(data, url, ctype, profile=source["profile"], outlet=source["outlet"])


def _fill(template: dict, n: int, title: str, paras: list[str]) -> bytes:
    """The template page with its title and body lines replaced (every occurrence, escaped), a canonical link
    of its own first in <head> (ingest files a page under it)."""
    text = template["data"].decode("utf-8")
    art = template.setdefault("article", _clean(template["data"], template["url"].format(n=0), template["ctype"],
                                                template["source"]))
    lines = sorted(art.body, key=len, reverse=True)      # longest first: a line inside another is replaced last
    new = {line: (paras[i] if i < len(paras) else "") for i, line in enumerate(art.body)}
    for line in lines:
        text = text.replace(line, html.escape(new[line]))
    text = text.replace(art.title, html.escape(title))
    url = template["url"].format(n=n)
    text = re.sub(r"<head([^>]*)>", lambda m: f'<head{m.group(1)}>\n<link rel="canonical" href="{url}">', text,
                  count=1)
    return text.encode("utf-8")


def build(folder: Path, articles: int, layouts: str) -> None:
    """pages/<source>/<n>.html, sources.json and texts.json (the cleaner's title + body of each page)."""
    import synth
    pairs = [k for k, _ in synth.parallel_pairs()]
    templates = demo_templates() if layouts == "demo" else corpus_templates()
    tmp = folder.with_name(folder.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    texts, lost = [], 0
    for i in range(articles):
        chosen = random.Random(i).sample(range(len(pairs)), SENTS + 1)
        t = templates[i % len(templates)]
        k = min(6, len(t.setdefault("article", _clean(t["data"], t["url"].format(n=0), t["ctype"],
                                                             t["source"])).body))
        sents = [pairs[j] for j in chosen[1:]]
        paras = [" ".join(sents[p * SENTS // k:(p + 1) * SENTS // k]) for p in range(k)]
        n = 100_000 + i
        data = _fill(t, n, pairs[chosen[0]], paras)
        page = tmp / "pages" / t["source"]["id"] / f"{n}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(data)
        art = _clean(data, t["url"].format(n=n), t["ctype"], t["source"])
        flat = " ".join(art.body_text.split())             # the cleaner turns no-break spaces into spaces
        lost += sum(" ".join(s.split()) not in flat for s in sents)
        texts.append(art.title + "\n" + art.body_text)
    if lost > articles * SENTS // 1000:
        raise SystemExit(f"the cleaner lost {lost} of {articles * SENTS} sentences put in the pages: not a fair bench")
    sources = {t["source"]["id"]: t["source"] | {"ctype": t["ctype"]} for t in templates}
    (tmp / "sources.json").write_text(json.dumps(list(sources.values()), ensure_ascii=False), encoding="utf-8")
    (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    tmp.rename(folder)


def data_dir(articles: int, layouts: str) -> Path:
    folder = OUT / f"processing-{layouts}-{articles}"
    if not (folder / "texts.json").exists():
        print(f"building {folder.name} (once) ...", file=sys.stderr)
        t0 = time.perf_counter()
        build(folder, articles, layouts)
        print(f"built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return folder


def digest(texts) -> str:
    h = hashlib.sha256()
    for t in sorted(texts):                   # ingest stores by source and file name: order aside
        h.update(t.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


# ------------------------------------------------------------------------------------------ the sides
def side_raw(folder: Path, workers: int, per_call: bool = False) -> dict:
    texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
    t0, c0 = time.perf_counter(), time.process_time()
    from kiwipiepy import Kiwi
    kiwi = Kiwi(num_workers=workers)
    t_load = time.perf_counter()
    n = 0
    for _ in (map(kiwi.tokenize, texts) if per_call else kiwi.tokenize(texts)):
        n += 1
    t1 = time.perf_counter()
    assert n == len(texts)
    return {"secs": t1 - t0, "cpu": time.process_time() - c0, "load": t_load - t0, "articles": n,
            "chars": sum(map(len, texts)), "split": cpu_split(c0)}


def side_pipeline(folder: Path, workers: int, prof_path: str | None = None) -> dict:
    """One pipeline pass into a new archive; timed from before the pipeline's modules are imported."""
    with tempfile.TemporaryDirectory(prefix="bench-processing-") as tmp:
        if prof_path:
            import cProfile
            prof = cProfile.Profile()
            out = prof.runcall(_pipeline_pass, folder, workers, Path(tmp) / "a.db")
            prof.dump_stats(prof_path)
        else:
            out = _pipeline_pass(folder, workers, Path(tmp) / "a.db")
        from db.archive import Archive
        arch = Archive(Path(tmp) / "a.db")
        ids = arch.pending("translate")
        texts = [(a.title + "\n" + a.body) if hasattr(a, "title") else (a[1] + "\n" + a[2])   # before: (id,
                 for a in arch.bodies(ids)]                                                    # title, body)
        arch.close()
    expected = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
    out["same_bodies"] = len(texts) == len(expected) and digest(texts) == digest(expected)
    return out


def _pipeline_pass(folder: Path, workers: int, db_path: Path) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    from db.archive import Archive
    try:
        from nlp.analyse import Analyser
        akw = "analyser"
    except ImportError:                               # --against a checkout from before the rename (3bdd093,
        from nlp.analyze import Analyzer as Analyser  # the code issue 19 was filed on), without a stories stage
        akw = "analyzer"
    from pipeline.ingest import page_files, page_url
    from pipeline.run import Pipeline, RunOptions
    from scrapers.types import FetchedPage, Source
    from scrapers.util.kst import iso, now_kst
    marks = {"import": time.perf_counter() - t0}

    def timed(name, fn):
        """fn, its wall and main-thread CPU seconds added to marks[name] and marks[name + "_cpu"]."""
        def wrapper(*a, **k):
            t, c = time.perf_counter(), time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                marks[name] = marks.get(name, 0) + time.perf_counter() - t
                marks[name + "_cpu"] = marks.get(name + "_cpu", 0) + time.thread_time() - c
        return wrapper

    t, c_ingest = time.perf_counter(), time.thread_time()
    spec = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    sources = [Source(id=s["id"], name=s["name"], outlet=s["outlet"], region=s["region"], profile=s["profile"])
               for s in spec]
    archive = Archive(db_path)
    archive.sync_sources(sources)
    batched = getattr(archive, "batched", None)     # a newspipe that commits ingested pages a batch at a time
    for s in spec:                                  # newspipe ingest pages/<id> --source <id>
        with batched() if batched else contextlib.nullcontext() as batch:
            for f in page_files([str(folder / "pages" / s["id"])]):
                data = Path(f).read_bytes()
                target = page_url(data, Path(f))
                archive.store_page(FetchedPage(url=target, final_url=target, status=200, fetched_at=iso(now_kst()),
                                               body=data, content_type=s["ctype"], source_id=s["id"],
                                               origin="ingest"))
                if batch is not None:
                    batch.done()
    marks["ingest"] = time.perf_counter() - t
    marks["ingest_cpu"] = time.thread_time() - c_ingest
    run = Pipeline(archive, sources, **{akw: Analyser(num_workers=workers)})
    for stage in ("clean", "analyse", "stories"):
        if not hasattr(run, stage):                 # a newspipe without that stage
            continue
        setattr(run, stage, timed(stage, getattr(run, stage)))
    import pipeline.run as module
    if hasattr(module, "clean_while_kiwi_loads"):   # the clean stage in a child while Kiwi loads (its time: the
        module.clean_while_kiwi_loads = timed("clean|load", module.clean_while_kiwi_loads)   # parent's)
    archive.store_analysis = timed("store_analysis", archive.store_analysis)
    summary = run.run(RunOptions(crawl=False, translate=False))
    archive.close()
    marks["secs"] = time.perf_counter() - t0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)       # a clean stage in a forked child counts too
    marks["cpu"] = time.process_time() - c0 + kids.ru_utime + kids.ru_stime
    marks["split"] = cpu_split(c0, kids.ru_utime + kids.ru_stime)
    marks["counts"] = {k: v for k, v in summary.counts.items() if v}
    return marks


def child(args) -> None:
    folder = Path(args.child_dir)
    out = (side_raw(folder, args.workers, per_call=args.child == "raw1") if args.child in ("raw", "raw1")
           else side_pipeline(folder, args.workers, args.cprofile))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_side(side: str, folder: Path, workers: int, code: Path = ROOT) -> dict:
    cmd = [sys.executable, __file__, "--child", side, "--child-dir", str(folder), "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(code), "BENCH_PROCESSING_CODE": str(code)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{side} pass ({code}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def busy_share(seconds: float = 1.0) -> float:
    """The share of the machine's CPU time that went to work (anyone's) over ``seconds`` (/proc/stat)."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]          # total, idle + iowait
    t0, i0 = sample()
    time.sleep(seconds)
    t1, i1 = sample()
    return 1 - (i1 - i0) / max(1, t1 - t0)


def wait_for_quiet(limit: float, patience: float) -> float:
    """Wait (at most ``patience`` seconds) until the other work on the machine takes under ``limit`` of its CPU;
    returns the share last seen."""
    deadline = time.monotonic() + patience
    share = busy_share()
    while share > limit and time.monotonic() < deadline:
        time.sleep(4)
        share = busy_share()
    return share


def one_pass(rep: int, folder: Path, args, n_texts: int) -> dict[str, dict]:
    """raw, the pipeline (and the pipeline of --against), in an order that turns with ``rep``."""
    sides = [("raw", ROOT), ("pipeline", ROOT)] + ([("against", Path(args.against))] if args.against else []) \
        + ([("raw1", ROOT)] if args.per_call else [])
    k = rep % len(sides)
    got = {}
    for name, code in sides[k:] + sides[:k]:
        got[name] = run_side(name if name.startswith("raw") else "pipeline", folder, args.workers, code)
        p = got[name]
        if not name.startswith("raw") and (not p["same_bodies"] or p["counts"].get("analysed") != n_texts):
            raise SystemExit(f"the {name} pass did not analyse the bodies raw was given: {p}")
    return got


def report_pass(rep: int, got: dict, busy: float) -> None:
    r = got["raw"]
    print(f"pass {rep + 1} (others' CPU before it {busy:.0%}; {' '.join(got)}): raw {r['secs']:6.2f} s "
          f"(cpu {r['cpu']:.1f} s{_split(r)}, Kiwi() {r['load']:.2f} s, {r['peak_mb']:.0f} MB)")
    if "raw1" in got:
        print(f"    raw1     {got['raw1']['secs']:6.2f} s (cpu {got['raw1']['cpu']:.1f} s): one tokenize call an article")
    for name, p in got.items():
        if name.startswith("raw"):
            continue
        print(f"    {name:<8} {p['secs']:6.2f} s (cpu {p['cpu']:.1f} s{_split(p)}, {p['peak_mb']:.0f} MB) speed "
              f"{r['secs'] / p['secs']:.3f} ({r['secs'] / (p['secs'] - p.get('stories', 0)):.3f} without the stories "
              "stage); stages wall/main-thread cpu s: " + ", ".join(
                  f"{k} {p[k]:.2f}/{p[k + '_cpu']:.2f}" for k in ("ingest", "clean|load", "clean", "analyse",
                                                                  "store_analysis", "stories") if k in p)
              + f"; imports {p['import']:.2f}")


def _split(side: dict) -> str:
    """': main M + threads T + clean child C' of a side's CPU seconds."""
    sp = side["split"]
    return f": main {sp['main']:.1f} + threads {sp['threads']:.1f}" + (f" + clean child {sp['child']:.1f}"
                                                                        if sp["child"] else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5, help="passes of each side (medians reported)")
    ap.add_argument("--layouts", choices=("demo", "corpus"), default="demo")
    ap.add_argument("--workers", type=int, default=-1, help="Kiwi worker threads on both sides (-1: all cores)")
    ap.add_argument("--against", metavar="DIR", help="also time the pipeline of another checkout (e.g. a "
                    "`git worktree` of the commit before), in the same passes")
    ap.add_argument("--quiet", type=float, default=0.0, metavar="SHARE",
                    help="before each pass, wait (up to 3 minutes) until other work takes under SHARE of the CPU")
    ap.add_argument("--cprofile", metavar="FILE", help="one pipeline pass under cProfile, its stats to FILE")
    ap.add_argument("--per-call", action="store_true",
                    help="also time raw Kiwi called once an article (kiwi.tokenize(text) in a loop: no batching "
                         "across articles), and print the pipeline's speed against it too")
    ap.add_argument("--child", choices=("raw", "raw1", "pipeline"), help=argparse.SUPPRESS)
    ap.add_argument("--child-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    folder = data_dir(args.articles, args.layouts)
    if args.cprofile:
        out = side_pipeline(folder, args.workers, args.cprofile)
        print(f"pipeline pass under cProfile: {out['secs']:.1f} s; stats in {args.cprofile}")
        return
    texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in (folder / "pages").rglob("*.html"))
    print(f"machine: {os.cpu_count()} cores; {len(texts):,} pages of the {args.layouts} layouts "
          f"({size / len(texts) / 1024:.1f} KB each), {sum(map(len, texts)):,} characters of title + body; "
          f"Kiwi workers {args.workers}")
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    bare: dict[str, list[float]] = {}            # the pipeline's wall time less its stories stage
    for rep in range(args.repeat):
        busy = wait_for_quiet(args.quiet, 180) if args.quiet else busy_share()
        got = one_pass(rep, folder, args, len(texts))
        for side, out in got.items():
            walls.setdefault(side, []).append(out["secs"])
            cpus.setdefault(side, []).append(out["cpu"])
            bare.setdefault(side, []).append(out["secs"] - out.get("stories", 0))
        report_pass(rep, got, busy)
    raw = statistics.median(walls["raw"])
    for side in walls:
        if side.startswith("raw"):
            continue
        med = statistics.median(walls[side])
        own = statistics.median(r / p for r, p in zip(walls["raw"], walls[side]))
        print(f"{side}: median raw {raw:.2f} s, pipeline {med:.2f} s: speed = raw_time / pipeline_time = "
              f"{raw / med:.3f} (target >= 0.85); median of the passes' own ratios {own:.3f}; CPU seconds "
              f"(all threads) raw {statistics.median(cpus['raw']):.1f}, pipeline {statistics.median(cpus[side]):.1f}")
        print(f"{side}: without the stories stage (the issue's processing is ingest -> clean -> analyse -> store): "
              f"median {statistics.median(bare[side]):.2f} s, speed {raw / statistics.median(bare[side]):.3f}; median "
              f"of the passes' own ratios {statistics.median(r / p for r, p in zip(walls['raw'], bare[side])):.3f}")
        if "raw1" in walls:
            one = statistics.median(walls["raw1"])
            print(f"{side}: against raw Kiwi called once an article (median {one:.2f} s): speed {one / med:.3f}")


if __name__ == "__main__":
    main()
