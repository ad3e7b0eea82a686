"""Shared test fixtures. Nothing here touches the network: servers listen on 127.0.0.1 only."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipeline.corpus import ENV as CORPUS_ENV
from pipeline.corpus import corpus_dir
from pipeline.demo import PAGES_DIR, LoopbackServer

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"          # written for the tests
DEMO = PAGES_DIR                                 # the demo's pages, written for it (package data)
# Real third-party pages are never copied into the repository: tests marked ``corpus`` read them from the
# shared corpus beside the checkout, and skip (one line naming the folder) where it is missing.
CORPUS = corpus_dir()
KOREAN = CORPUS / "korean-news"
NEWSPIPE = [sys.executable, "-m", "pipeline.cli"]


def pytest_configure(config):
    config.addinivalue_line("markers", f"corpus: reads real pages from the shared corpus (${CORPUS_ENV}, default "
                                       "../shared/corpus); skipped where it is missing")


def pytest_runtest_setup(item):
    if item.get_closest_marker("corpus") and not CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {CORPUS} (set {CORPUS_ENV} to its folder)")


def newspipe(*args, env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess."""
    e = {**os.environ, **(env or {})}
    e.pop("NEWSPIPE_DB", None)
    return subprocess.run([*NEWSPIPE, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=kw.pop("cwd", ROOT), env=e, **kw)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sources_toml(base: str, delay: float | None = None) -> str:
    """A sources file for the demo site at ``base`` (the demo's own four sources)."""
    from pipeline.demo import demo_sources
    out = []
    for s in demo_sources(base):
        out.append("[[sources]]")
        out.append(f'id = "{s.id}"\nname = "{s.name}"\noutlet = "{s.outlet}"\nregion = "{s.region}"')
        out.append(f"feeds = {json.dumps(list(s.feeds))}\nlist_urls = {json.dumps(list(s.list_urls))}")
        out.append(f"article_pattern = '{s.article_pattern}'\nprofile = \"{s.profile}\"")
        if delay is not None:
            out.append(f"crawl_delay = {delay}")
        out.append("")
    return "\n".join(out)


def store_articles(archive, articles, fetched_at: str, url=lambda i, sid: f"https://{sid}.example/news/{i}"):
    """Store (source id, title, body lines, published_at) rows as fetched pages cleaned into articles."""
    from scrapers.types import Article, FetchedPage
    for i, (sid, title, body, published) in enumerate(articles):
        u = url(i, sid)
        aid = archive.store_page(FetchedPage(url=u, final_url=u, status=200, body=u.encode(), source_id=sid,
                                             fetched_at=fetched_at))
        archive.store_clean(aid, Article(url=u, title=title, body=body, published_at=published), "t")


def store_demo_pages(archive, source_id: str, names) -> list[str]:
    """Store demo pages (files of pipeline/demo-pages) as fetched pages of ``source_id``, ready for the clean
    stage, under the demo site's URL paths (so a source with profile "auto" picks the layout's profile)."""
    from pipeline.demo import PAGES
    from scrapers.types import FetchedPage
    urls = []
    for name in names:
        page = next(p for p in PAGES if p.file == name)
        url = f"https://demo.example{page.path}"
        archive.store_page(FetchedPage(url=url, final_url=url, status=200, body=(DEMO / name).read_bytes(),
                                       content_type=page.content_type, source_id=source_id,
                                       fetched_at="2026-11-26T00:00:00+09:00"))
        urls.append(url)
    return urls


def demo_archive(tmp_path, files=("ndsoft-1001.html", "ndsoft-1002.html")):
    """A new archive at tmp_path/t.db holding ``files`` (demo pages) as fetched pages of the source jbdemo."""
    from db.archive import Archive
    from scrapers.types import Source
    arch = Archive(tmp_path / "t.db")
    src = Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")
    arch.sync_sources([src])
    store_demo_pages(arch, src.id, files)
    return arch, src


@pytest.fixture()
def demo_site():
    from pipeline.demo import DemoSite
    with DemoSite() as site:
        yield site


class LibreStub(LoopbackServer):
    """A LibreTranslate-compatible HTTP server on 127.0.0.1 (POST /translate, JSON answer).

    Written for these tests. It answers each line with the English of the Korean–English
    news corpus when the line is in it, else with a deterministic English placeholder
    sentence (clearly not a translation) long enough to pass the length check.
    """

    def __init__(self, pairs: dict[str, str] | None = None, prefix: str = "Placeholder"):
        self.pairs = pairs or {}
        self.prefix = prefix
        self.requests: list[str] = []
        # Faults for the next requests, in order: an HTTP status (int), (status, headers[, body]), "hang" (answer
        # after 10 s), "merge" (answer with the lines run together: the wrong number of lines), or "garbage"
        # (every line answered with the Korean it was sent: what QA must refuse).
        self.fail_next: list = []
        self.dead_after: int | None = None  # after this many requests, every connection is closed unanswered
        self.latency = 0.0                  # seconds every answer takes
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                q = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    body = parse_qs(self.rfile.read(length).decode())
                    q = q or body.get("q", [""])[0]
                stub.requests.append(q)
                if stub.dead_after is not None and len(stub.requests) > stub.dead_after:
                    self.close_connection = True       # the server "died": no answer at all
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                fault = stub.fail_next.pop(0) if stub.fail_next else None
                time.sleep(stub.latency)
                if fault == "hang":
                    time.sleep(10)
                elif isinstance(fault, (int, tuple)):
                    code, headers, *body = fault if isinstance(fault, tuple) else (fault, {})
                    body = body[0] if body else b'{"error": "stub failure"}'
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                out = "\n".join(line if fault == "garbage" else stub.english(line) for line in q.split("\n"))
                if fault == "merge":
                    out = out.replace("\n", " ")
                data = json.dumps({"translatedText": out}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)
        self.url = f"http://127.0.0.1:{self.port}/"

    def english(self, line: str) -> str:
        if not line.strip():
            return ""
        if line in self.pairs:
            return self.pairs[line]
        words, h = [], hashlib.sha1(line.encode()).hexdigest()
        while len(" ".join(words)) < max(8, len(line)):
            words.append(f"word{h[len(words) % 40]}")
        return f"{self.prefix} " + " ".join(words) + "."



@pytest.fixture()
def libre():
    with LibreStub() as stub:
        yield stub


@pytest.fixture(scope="session")
def analyser():
    from nlp.analyse import Analyser
    return Analyser()


class SendLog(httpx.AsyncBaseTransport):
    """A transport that records every request as the client hands it over -- the client's own send time
    (monotonic), URL and headers -- then passes it to a real transport. Reusable after the client closes."""

    def __init__(self):
        self.sent: list[tuple[float, str, dict]] = []
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((time.monotonic(), str(request.url), dict(request.headers)))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
        self._inner = httpx.AsyncHTTPTransport()


def linear_enough(run, line: str, bound: float = 5.0) -> None:
    """``run(line)`` on a hostile line ends within ``bound`` seconds; on a machine too busy for that (CI under
    coverage, other jobs), within 8 times what the line's first quarter takes: linear work takes 4 times,
    quadratic 16. The cleaner's line caches are emptied before each timing, as a night's pages find them."""
    import time

    from scrapers.clean.classify import classify, strip_trailing_byline

    def timed(text: str) -> float:
        classify.cache_clear()
        strip_trailing_byline.cache_clear()
        start = time.perf_counter()
        run(text)
        return time.perf_counter() - start

    full = timed(line)
    if full >= bound:
        quarter = timed(line[:len(line) // 4])
        assert full < 8 * max(quarter, 0.05), f"{full:.1f} s for the line, {quarter:.2f} s for its first quarter"
