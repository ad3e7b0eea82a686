"""bench/stories: what assigning stories costs a run (issue 18).

    .venv/bin/python bench/stories.py [--articles N] [--large N] [--new N] [--json]

(a) Share of a run's processing: an archive of N articles (default 2,000) of 20 real Korean news sentences
    each (bench/synth.py from ../shared/corpus/parallel), stored and cleaned but not analysed, goes through a
    run without crawl or translation (network and translation excluded): the nlp stage (Kiwi analysis and
    storing it) and the stories stage, each timed. The clean stage has nothing to do on synth's pages, so the
    share is taken of analyse + stories: a little higher than of clean + analyse + stories + store.
(b) At LARGE articles (default 100,000; built once and cached in bench/out/, which takes minutes, with every
    story assigned once by `restory`'s code): the last NEW articles (default 300) lose their story and are
    assigned again as a run assigns new ones (pipeline.stories.assign_pending): the start-up cost (finding
    the pending articles and loading the window's signatures into the LSH index) and each article's time
    (signature, LSH query, store), median and p95.
Targets: (a) ≤ 10 %; (b) ≤ 20 ms an article.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/

import synth  # noqa: E402

from db.archive import Archive  # noqa: E402
from pipeline.run import Pipeline, RunOptions  # noqa: E402
from pipeline.stories import DAYS, THRESHOLD, assign_pending  # noqa: E402


def share(articles: int) -> dict:
    """(a): seconds of the nlp stage and of the stories stage on a run over ``articles`` new articles."""
    from nlp.analyse import Analyser
    with tempfile.TemporaryDirectory() as tmp:
        arch = synth.build(Path(tmp) / "a.db", articles, until="clean", progress=False)
        timed: dict[str, float] = {}

        class Timed(Pipeline):
            def analyse(self, *a, **k):
                t = time.perf_counter()
                super().analyse(*a, **k)
                timed["analyse_s"] = time.perf_counter() - t

            def stories(self, *a, **k):
                t = time.perf_counter()
                super().stories(*a, **k)
                timed["stories_s"] = time.perf_counter() - t
        analyser = Analyser(num_workers=-1)
        analyser.analyse("전주시는 1일 계획을 밝혔다.", "")          # the model loads before the clock starts
        t = time.perf_counter()
        Timed(arch, synth.SOURCES, analyser=analyser).run(RunOptions(crawl=False, translate=False))
        timed["run_s"] = time.perf_counter() - t
        n = arch.query("SELECT count(*) FROM article_stories", tuples=True).fetchone()[0]
        arch.close()
    timed["articles"] = articles
    timed["assigned"] = n
    timed["share"] = timed["stories_s"] / (timed["analyse_s"] + timed["stories_s"])
    return timed


def large(articles: int, new: int) -> dict:
    """(b): start-up and per-article assignment at ``articles`` articles."""
    from nlp.analyse import Analyser
    path = synth.OUT / f"stories-{articles}.db"
    if not path.exists():
        db = synth.cached(f"stories-{articles}-base", articles, analyser=Analyser())
        arch = Archive(db)
        t = time.perf_counter()
        out = assign_pending(arch, THRESHOLD, DAYS)
        print(f"assigned {out['assigned']:,} articles to stories in {time.perf_counter() - t:.0f} s",
              file=sys.stderr)
        arch.close()
        db.rename(path)
    arch = Archive(path)
    last = [r[0] for r in arch.query("SELECT article_id FROM article_stories ORDER BY published_at DESC, "
                                     "article_id DESC LIMIT ?", [new], tuples=True)]
    with arch._tx():
        for aid in last:
            arch.db.execute("UPDATE article_stories SET analysed_at = 'bench' WHERE article_id = ?", [aid])
    out = assign_pending(arch, THRESHOLD, DAYS)           # the `pending` of a run: re-analysed = new
    total = arch.query("SELECT count(*) FROM articles", tuples=True).fetchone()[0]
    arch.close()
    per = sorted(out["per_article_s"])
    return {"articles": total, "new": out["assigned"], "loaded": out["loaded"], "pending_s": out["pending_s"],
            "load_s": out["load_s"], "median_ms": statistics.median(per) * 1000,
            "p95_ms": per[int(0.95 * (len(per) - 1))] * 1000, "max_ms": per[-1] * 1000}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    a = share(args.articles)
    if args.json:
        print(json.dumps({"share": a}), flush=True)
    else:
        print(f"(a) {a['articles']:,} articles: nlp stage {a['analyse_s']:.1f} s, stories {a['stories_s']:.2f} s "
              f"({a['assigned']:,} assigned): stories add {100 * a['share']:.1f} % of analyse + stories "
              f"(target ≤ 10 %); whole run {a['run_s']:.1f} s", flush=True)
    b = large(args.large, args.new)
    if args.json:
        print(json.dumps({"large": b}))
        return 0
    print(f"(b) {b['articles']:,} articles, {b['new']} new: start-up {b['load_s'] * 1000:.0f} ms "
          f"(finding them {b['pending_s'] * 1000:.0f} ms, {b['loaded']:,} signatures of the window loaded); "
          f"an article {b['median_ms']:.2f} ms median, {b['p95_ms']:.2f} ms p95, {b['max_ms']:.1f} ms max "
          f"(target ≤ 20 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
