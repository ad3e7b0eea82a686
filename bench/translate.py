"""bench/translate: requests and characters the translate stage sends, beside deep-translator's
own translate_batch on the same sentences.

    .venv/bin/python bench/translate.py [--batch 8] [--concurrency 2]

The corpus articles (the Korean pages of ../shared/corpus/korean-news, or of $NEWSPIPE_CORPUS) are
cleaned and analysed into a
temporary archive by the real pipeline; then translated through deep-translator's LibreTranslate
code path against a LibreTranslate-compatible server on 127.0.0.1 (tests/conftest.py LibreStub).
Targets (issue 6): requests <= 1.2 x the sum over articles of ceil(characters / backend limit);
characters sent <= the unique source characters; zero requests on a rerun.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import LibreStub  # noqa: E402
from pipeline.corpus import require  # noqa: E402
from db.archive import Archive  # noqa: E402
from pipeline.run import Pipeline, RunOptions, RunSummary  # noqa: E402
from scrapers.clean import CLEANER_VERSION, clean_html  # noqa: E402
from scrapers.types import FetchedPage, Source  # noqa: E402
from translate.backends import LibreBackend  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=8, help="articles whose sentences share packs")
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()
    files = sorted(p for p in require("korean-news").glob("*.html") if not p.name.startswith("kbs-world-en"))
    src = Source(id="corpus", name="corpus", outlet="corpus")
    with tempfile.TemporaryDirectory() as tmp, LibreStub() as stub:
        arch = Archive(Path(tmp) / "t.db")
        arch.sync_sources([src])
        for f in files:
            url = f"https://corpus.example/{f.stem}"
            arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=f.read_bytes(),
                                        fetched_at="2026-11-26T00:00:00+09:00", source_id="corpus"))
        backend = LibreBackend(stub.url, timeout=10)
        pipe = Pipeline(arch, [src], backend_factory=lambda: LibreBackend(stub.url, timeout=10))
        pipe.run(RunOptions(crawl=False, translate=False))
        ids = arch.pending("translate")
        inputs = [arch.translation_input(i) for i in ids]
        texts_per_article = [[t for t in (title, sub, *[x[2] for x in sents]) if t.strip()]
                             for title, sub, sents in inputs]
        # The backend limit: the longest text one request may carry (characters, and the URL-encoded size).
        limit = backend.max_chars
        floor = sum(math.ceil(len("\n".join(ts)) / limit) for ts in texts_per_article)
        unique = {t.strip() for ts in texts_per_article for t in ts}
        unique_chars = sum(len(t) for t in unique)
        all_chars = sum(len(t) for ts in texts_per_article for t in ts)

        opts = RunOptions(crawl=False, translate_batch=args.batch, translate_concurrency=args.concurrency)
        t0 = time.perf_counter()
        summary = RunSummary(run_id=0)
        pipe.translate(opts, summary)
        secs = time.perf_counter() - t0
        requests = len(stub.requests)
        sent = sum(len(q) for q in stub.requests)
        sent_text = sum(len(line) for q in stub.requests for line in q.split("\n"))

        # A rerun: the same articles cleaned again (as after a cleaner update) go back through analysis
        # and translation; the translation memory answers.
        for aid in ids:
            body, ctype, url, _ = arch.page_for_article(aid)
            arch.store_clean(aid, clean_html(body, url, ctype), CLEANER_VERSION)
        before = len(stub.requests)
        rerun = RunSummary(run_id=0)
        pipe.analyse(opts, rerun)
        pipe.translate(opts, rerun)
        rerun_requests = len(stub.requests) - before

        # deep-translator's own batch call on the same texts: one request per text.
        from deep_translator import LibreTranslator
        before = len(stub.requests)
        t0 = time.perf_counter()
        LibreTranslator(source="ko", target="en", custom_url=stub.url, api_key="x").translate_batch(
            [t for ts in texts_per_article for t in ts])
        dt_secs = time.perf_counter() - t0
        dt_requests = len(stub.requests) - before

    n = len(ids)
    print(f"{n} corpus articles, {sum(map(len, texts_per_article))} texts (title, subtitle, Kiwi sentences), "
          f"{all_chars:,} characters, {unique_chars:,} unique; backend limit {limit} characters per request "
          f"(and {backend.max_url_bytes:,} URL bytes)")
    print(f"{'':<28} {'requests':>9} {'per article':>12} {'chars sent':>11} {'seconds':>8}")
    print(f"{'newspipe (batch ' + str(args.batch) + ', conc ' + str(args.concurrency) + ')':<28} {requests:>9} "
          f"{requests / n:>12.2f} {sent_text:>11,} {secs:>8.2f}")
    print(f"{'deep-translator batch':<28} {dt_requests:>9} {dt_requests / n:>12.2f} {all_chars:>11,} {dt_secs:>8.2f}")
    print(f"target: requests <= 1.2 x sum(ceil(chars/limit)) = 1.2 x {floor} = {1.2 * floor:.1f}: "
          f"{'met' if requests <= 1.2 * floor else 'NOT met'} ({requests})")
    print(f"target: characters sent (text, separators excluded) <= unique source characters: "
          f"{sent_text:,} <= {unique_chars:,}: {'met' if sent_text <= unique_chars else 'NOT met'} "
          f"(with newlines between packed sentences: {sent:,})")
    print(f"target: zero requests on a rerun: {rerun_requests} ({rerun.counts['translation_memory_hits']} "
          f"memory hits): {'met' if rerun_requests == 0 else 'NOT met'}")
    print(f"translated {summary.counts['translated']}, failed {summary.counts['translate_failed']}")


if __name__ == "__main__":
    main()
