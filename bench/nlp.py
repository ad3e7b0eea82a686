"""bench/nlp: the nlp stage beside raw Kiwi on the same articles, in the same process.

    .venv/bin/python bench/nlp.py [--articles 10000] [--workers N]

Builds (once, cached in bench/out/) an archive of cleaned, not yet analysed articles made of
real Korean news sentences (bench/synth.py), then times

  raw    kiwi.tokenize(list of title + body), the results consumed and dropped;
  stage  the pipeline's analyse stage: bodies read from the archive, sentences, morphemes,
         search text and keywords computed, everything stored;
  split  the Analyser alone (Analyser.analyse_many), without the archive;

and prints characters/s and articles/s for each, the ratio stage/raw, and the process's peak
RSS. Targets (issue 5): stage <= 1.25 x raw; peak <= 1 GB over 10,000 articles.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

from db.archive import Archive  # noqa: E402
from nlp.analyse import Analyser  # noqa: E402
from pipeline.run import Pipeline, RunOptions, RunSummary  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=-1, help="Kiwi worker threads (-1: all cores)")
    args = ap.parse_args()
    base = synth.cached(f"nlp-{args.articles}", args.articles, until="clean")
    out = base.parent
    work = out / "nlp-work.db"
    for stale in out.glob("nlp-work.db*"):     # a killed run leaves its -wal behind: never mix it in
        stale.unlink()
    shutil.copy(base, work)
    archive = Archive(work)
    ids = archive.pending("nlp")
    docs = [(aid, body, title) for aid, title, body in archive.bodies(ids)]
    chars = sum(len(b) + len(t) for _, b, t in docs)
    print(f"machine: {os.cpu_count()} cores; {len(docs):,} articles, {chars:,} characters; "
          f"Kiwi workers {args.workers}")

    t0 = time.perf_counter()
    analyser = Analyser(num_workers=args.workers)
    kiwi = analyser.kiwi
    print(f"Kiwi load (the analyser's own warm-up call included): {time.perf_counter() - t0:.1f} s, "
          f"RSS {rss_mb():.0f} MB")
    texts = [t + "\n" + b for _, b, t in docs]
    del docs
    # Kiwi's first large batch runs at half speed (its caches fill): warm it on a sample before either
    # timing, so neither side pays that.
    t0 = time.perf_counter()
    for _ in kiwi.tokenize(texts[:300]):
        pass
    print(f"warm-up batch of {min(300, len(texts))} articles: {time.perf_counter() - t0:.1f} s (not counted)")

    def report(name, secs):
        print(f"{name:<7} {secs:7.1f} s {chars / secs:>10,.0f} chars/s {len(texts) / secs:>8,.1f} articles/s")
        return secs

    t0 = time.perf_counter()
    stage_summary = RunSummary(run_id=0)
    Pipeline(archive, [], analyser=analyser).analyse(RunOptions(crawl=False), stage_summary)
    stage = report("stage", time.perf_counter() - t0)
    peak_stage = rss_mb()
    assert stage_summary.counts["analysed"] == len(texts), stage_summary.counts

    t0 = time.perf_counter()
    n = 0
    for _ in kiwi.tokenize(texts):
        n += 1
    raw = report("raw", time.perf_counter() - t0)
    assert n == len(texts)

    t0 = time.perf_counter()
    for _ in analyser.analyse_many((i, t.split("\n", 1)[1], t.split("\n", 1)[0]) for i, t in enumerate(texts)):
        pass
    report("split", time.perf_counter() - t0)
    print(f"stage / raw = {stage / raw:.2f} (target <= 1.25)")
    print(f"peak RSS after the stage: {peak_stage:.0f} MB (target <= 1024); at the end {rss_mb():.0f} MB")
    archive.close()
    work.unlink()


if __name__ == "__main__":
    main()
