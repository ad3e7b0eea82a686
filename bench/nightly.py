"""bench/nightly: the time of a nightly run that adds new articles to an archive, network excluded.

    .venv/bin/python bench/nightly.py --db PATH [--articles 2000]

The run is the real one (pipeline.run's Pipeline: discovery, fetch, clean, analyse with a Kiwi loaded in the
run, stories, translate, and whatever upkeep the run does), in this process, on a COPY of the archive (the
archive given is left as it was). What is not real is only what lies beyond the machine:

  pages       an ``httpx.MockTransport`` answers for the five outlets of bench/synth.py: robots.txt, one
              listing page per outlet with its new article URLs, and the articles in the ndsoft layout of
              the demo's pipeline/demo-pages/ndsoft-1001.html (the layout most regional papers use); each
              article is 20 real Korean news sentences (bench/synth.py's corpus) in paragraphs of four, each
              sentence made unique by a reference number, so the translation memory cannot answer for it;
  politeness  off (no delay between requests to a host): with the shipped 1 s a host, 2,000 articles from
              20 outlets cost at least 100 s of waiting more, spread over the outlets;
  translator  an in-process backend that answers each line with its English from the corpus.

Prints the whole run's wall time, each stage's, and the disk it added per article.
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]
import synth  # noqa: E402

from db.archive import Archive  # noqa: E402
from nlp.analyse import Analyser  # noqa: E402
from pipeline.demo import PAGES_DIR  # noqa: E402
from pipeline.run import Pipeline, RunOptions, RunSummary  # noqa: E402
from scrapers.fetch import FetchSettings  # noqa: E402
from scrapers.types import Source  # noqa: E402
from translate.backends import Backend  # noqa: E402

HOSTS = {"전북": "jeonbuk", "전남": "jeonnam", "경남": "gyeongnam", "강원": "gangwon", "제주": "jeju"}
TEMPLATE = (PAGES_DIR / "ndsoft-1001.html").read_text(encoding="utf-8")
TITLE = "새만금 수변도시 기반시설 공정률 40% 넘어…2026년 하반기 분양"
REF = re.compile(r" \(\d+-\d+\)$")          # the reference number that makes a sentence unique


def sources() -> list[Source]:
    """bench/synth.py's outlets (same ids, so the archive's filters know them), as a run crawls them."""
    return [Source(id=s.id, name=s.name, outlet=s.outlet, region=s.region, profile="ndsoft", max_articles=0,
                   list_urls=(f"https://{HOSTS[s.region]}.example/news/articleList.html",),
                   article_pattern=r"/news/articleView\.html\?idxno=\d+$") for s in synth.SOURCES]


def article(pairs: list[tuple[str, str]], number: int, day: date) -> tuple[str, list[str], str]:
    """(title, paragraphs, page HTML) of new article ``number`` published on ``day``."""
    import random
    chosen = random.Random(number).sample(range(len(pairs)), 21)
    title = pairs[chosen[0]][0]
    sents = [f"{pairs[j][0]} ({number}-{k})" for k, j in enumerate(chosen[1:])]
    paras = [" ".join(sents[k:k + 4]) for k in range(0, len(sents), 4)]
    start, end = TEMPLATE.index("<p>[전북데모일보"), TEMPLATE.index("</p>", TEMPLATE.index("sky@jbdemo")) + 4
    esc = html.escape                 # the text as text: a corpus sentence's '&#44419;' is no character reference
    body = "".join(f"<p>{esc(p)}</p>\n      " for p in paras) + "<p>김하늘 기자 sky@jbdemo.example</p>"
    page = (TEMPLATE[:start] + body + TEMPLATE[end:]).replace(TITLE, esc(title))
    page = re.sub(r'<h4 class="subheading">.*?</h4>', "", page)
    minute = number % 2000 * 1440 // 2000                 # 2,000 a day, through the day
    hhmm = f"{minute // 60:02d}:{minute % 60:02d}"
    page = page.replace("09:12", hhmm).replace("10:05", hhmm)
    page = page.replace("2025-05-27", day.isoformat()).replace("2025.05.27", day.strftime("%Y.%m.%d"))
    return title, paras, page


@dataclass
class Site:
    """The outlets' pages for one night: ``articles`` new articles numbered from ``first``, round robin over
    the outlets, published on ``day``."""
    first: int
    articles: int
    day: date
    pairs: list[tuple[str, str]] = field(default_factory=synth.parallel_pairs)

    def handler(self, request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        if path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /member/\n")
        hosts = list(HOSTS.values())
        if path == "/news/articleList.html":
            k = hosts.index(host.split(".")[0])
            links = "".join(f'<li><a href="/news/articleView.html?idxno={n}">기사 {n}</a></li>'
                            for n in range(self.first + k, self.first + self.articles, len(hosts)))
            return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"},
                                  content=f"<html><body><ul>{links}</ul></body></html>".encode())
        number = int(request.url.params.get("idxno", "-1"))
        if path != "/news/articleView.html" or not self.first <= number < self.first + self.articles:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"},
                              content=article(self.pairs, number, self.day)[2].encode())


@dataclass
class FakeBackend(Backend):
    """In-process translation: each line's English from the corpus, its reference number carried over."""
    english: dict[str, str] = field(default_factory=dict)

    def translate(self, text: str) -> str:
        out = []
        for line in text.split("\n"):
            ref = REF.search(line)
            ko = line[:ref.start()] if ref else line
            en = self.english.get(ko) or f"Placeholder {'x' * max(8, len(ko))}."
            out.append(en + (ref.group() if ref else ""))
        return "\n".join(out)


class TimedPipeline(Pipeline):
    """The run's Pipeline, noting each stage's seconds."""
    seconds: dict[str, float]

    def _timed(self, name, fn, *args):
        t0 = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    async def crawl(self, options, summary):
        t0 = time.perf_counter()
        try:
            return await super().crawl(options, summary)
        finally:
            self.seconds["crawl"] = time.perf_counter() - t0

    def clean(self, options, summary):
        return self._timed("clean", super().clean, options, summary)

    def analyse(self, options, summary):
        return self._timed("analyse", super().analyse, options, summary)

    def stories(self, options, summary):
        return self._timed("stories", super().stories, options, summary)

    def translate(self, options, summary, ids=None):
        return self._timed("translate", super().translate, options, summary, ids)


def check_page(site: Site) -> None:
    """The generated page cleans to exactly the article written into it (else the bench measures nothing)."""
    from scrapers.clean import clean_page
    from scrapers.clean.common import norm
    title, paras, page = article(site.pairs, site.first, site.day)
    art = clean_page(page.encode(), "https://jeonbuk.example/news/articleView.html?idxno=1", "text/html",
                     profile="ndsoft", outlet="벤치 전북")
    # as the cleaner reads text: a corpus sentence's run of no-break spaces is one space (it crashed here)
    assert art.title == norm(title) and art.body == [norm(p) for p in paras], (art.title, art.body[:2], art.error)


def nightly(db: Path, articles: int = 2000, first: int | None = None, day: date | None = None,
            keep: bool = False) -> dict:
    """Run a night that adds ``articles`` articles (numbered from ``first``, published on ``day``; by default
    after the archive's own) to a copy of ``db``. Returns seconds (whole run and per stage), the run's counts
    and the bytes the copy grew by, per added article."""
    Archive(db).close()                          # checkpointed: the copy is the whole archive
    existing = Archive(db, readonly=True)
    n = existing.stats()["articles"]
    existing.close()
    first = n if first is None else first
    day = day or date(2026, 1, 1) + timedelta(days=(n + articles - 1) // 2000)
    work = db.with_name(db.stem + "-nightly.db")
    for stale in db.parent.glob(work.name + "*"):
        stale.unlink()
    shutil.copyfile(db, work)
    size0 = work.stat().st_size
    site = Site(first, articles, day)
    check_page(site)
    english = dict(site.pairs)
    fast = FetchSettings(delay=0, concurrency=8, per_host=4, retries=0)
    t0 = time.perf_counter()
    arch = Archive(work)
    pipe = TimedPipeline(arch, sources(), fast, transport=httpx.MockTransport(site.handler), analyser=Analyser(),
                         backend_factory=lambda: FakeBackend(name="bench-fake", max_chars=2000, english=english))
    pipe.seconds = {}
    summary: RunSummary = pipe.run(RunOptions(translate_concurrency=2))
    arch.close()
    total = time.perf_counter() - t0
    grown = sum(f.stat().st_size for f in db.parent.glob(work.name + "*")) - size0
    if not keep:
        for f in db.parent.glob(work.name + "*"):
            f.unlink()
    return {"seconds": total, "stages": pipe.seconds, "counts": dict(summary.counts), "errors": len(summary.errors),
            "bytes_per_article": grown / max(1, articles), "archive": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--articles", type=int, default=2000)
    args = ap.parse_args()
    out = nightly(args.db, args.articles)
    c = out["counts"]
    print(f"nightly +{args.articles:,} into {out['archive']:,}: {out['seconds']:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in out['stages'].items())}); fetched {c.get('fetched', 0):,}, "
          f"cleaned {c.get('cleaned', 0):,}, analysed {c.get('analysed', 0):,}, translated {c.get('translated', 0):,}, "
          f"{out['errors']} errors; disk +{out['bytes_per_article'] / 1024:.1f} KB an article")


if __name__ == "__main__":
    main()
