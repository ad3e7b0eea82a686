"""bench/crawl: fetching speed with politeness off, and the per-host spacing with it on.

    .venv/bin/python bench/crawl.py [--pages 600] [--polite-pages 8]

A local HTTP server on 127.0.0.1 (pipeline.demo.DemoSite's threaded server) serves the demo's pages
(pipeline/demo-pages, written for the demo) under ndsoft-style URLs, with a listing page and
robots.txt. Three measurements:

  fetcher   Fetcher.fetch of every page, politeness off (no delay, no robots, 8 in flight);
  pipeline  the run's whole crawl stage (discovery from the listing, fetch, store in the archive),
            politeness off;
  polite    the crawl stage with the shipped defaults (1 s per host, robots.txt read): the spacing
            between consecutive requests as the server saw them.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.archive import Archive  # noqa: E402
from pipeline.demo import PAGES_DIR, DemoSite  # noqa: E402
from pipeline.run import Pipeline, RunOptions, RunSummary  # noqa: E402
from scrapers.fetch import Fetcher, FetchSettings  # noqa: E402
from scrapers.types import Source  # noqa: E402


class Site(DemoSite):
    """The demo's server, with ``pages`` article URLs cycling through the demo's pages."""

    def __init__(self, pages: int):
        self.bodies = [f.read_bytes() for f in sorted(PAGES_DIR.glob("*.html"))]
        self.pages = pages
        super().__init__()

    def respond(self, path: str, headers: dict):
        url = urlsplit(path)
        if url.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /admin/\n"
        if url.path == "/news/articleList.html":
            links = "".join(f'<a href="/news/articleView.html?idxno={i}">기사 {i}</a>' for i in range(self.pages))
            return 200, {"Content-Type": "text/html; charset=utf-8"}, links.encode()
        i = int(parse_qs(url.query).get("idxno", ["0"])[0])
        return 200, {"Content-Type": "text/html"}, self.bodies[i % len(self.bodies)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--polite-pages", type=int, default=8)
    args = ap.parse_args()
    fast = FetchSettings(delay=0, obey_robots=False, concurrency=8, per_host=8, retries=0)
    print(f"machine: {os.cpu_count()} cores; local server on 127.0.0.1, {args.pages} pages cycling through the demo's")
    with Site(args.pages) as site:
        urls = [f"{site.base}/news/articleView.html?idxno={i}" for i in range(args.pages)]

        async def fetch_all():
            async with Fetcher(fast) as f:
                return await asyncio.gather(*(f.fetch(u) for u in urls))
        t0 = time.perf_counter()
        pages = asyncio.run(fetch_all())
        secs = time.perf_counter() - t0
        mb = sum(len(p.body) for p in pages) / 1e6
        assert all(p.ok for p in pages)
        print(f"fetcher   {len(pages)} pages in {secs:.2f} s: {len(pages) / secs:,.0f} pages/s ({mb / secs:.0f} MB/s)")

        src = Source(id="bench", name="bench", outlet="bench", list_urls=(f"{site.base}/news/articleList.html",),
                     article_pattern=r"articleView\.html\?idxno=\d+", max_articles=0)
        with tempfile.TemporaryDirectory() as tmp:
            pipe = Pipeline(Archive(Path(tmp) / "c.db"), [src], fast)
            summary = RunSummary(run_id=0)
            t0 = time.perf_counter()
            asyncio.run(pipe.crawl(RunOptions(), summary))
            secs = time.perf_counter() - t0
            n = summary.counts["fetched"]
            print(f"pipeline  {n} pages discovered, fetched and stored in {secs:.2f} s: {n / secs:,.0f} pages/s")

        polite = FetchSettings()                     # the shipped defaults: 1 s per host, robots.txt obeyed
        src = Source(id="bench", name="bench", outlet="bench", list_urls=(f"{site.base}/news/articleList.html",),
                     article_pattern=r"articleView\.html\?idxno=\d+", max_articles=args.polite_pages)
        with tempfile.TemporaryDirectory() as tmp:
            site.times.clear()
            pipe = Pipeline(Archive(Path(tmp) / "p.db"), [src], polite)
            summary = RunSummary(run_id=0)
            t0 = time.perf_counter()
            asyncio.run(pipe.crawl(RunOptions(), summary))
            secs = time.perf_counter() - t0
            arrivals = [t for t, _ in site.times]
            gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
            print(f"polite    {len(arrivals)} requests (robots.txt, listing, {summary.counts['fetched']} articles) "
                  f"in {secs:.1f} s; spacing between requests: min {min(gaps):.3f} s, median "
                  f"{statistics.median(gaps):.3f} s, max {max(gaps):.3f} s (configured delay {polite.delay:g} s)")


if __name__ == "__main__":
    main()
