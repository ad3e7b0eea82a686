"""The offline demo: a local news site of pages written for newspipe, crawled by the real pipeline.

``DemoSite`` serves the pages of ``pipeline/demo-pages`` (package data: Korean regional articles written
for the demo, in the layouts the cleaner meets in the wild) on 127.0.0.1 under URL paths shaped like the
outlets' own, with robots.txt, an RSS feed and paginated listing pages. The tests use the same site.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from scrapers.types import Source

from .corpus import corpus_dir

PAGES_DIR = Path(__file__).resolve().parent / "demo-pages"


@dataclass(frozen=True)
class DemoPage:
    path: str            # URL path (with query) on the demo site
    file: str            # file name in PAGES_DIR
    content_type: str    # what the server declares
    source: str          # the demo source that finds it


UTF8 = "text/html; charset=utf-8"
# Four invented outlets, one per layout the cleaner knows how to meet. Names, quotes and events are invented.
PAGES = [
    # 전북데모일보: the ndsoft CMS of most regional papers, announced by the RSS feed
    DemoPage("/news/articleView.html?idxno=1001", "ndsoft-1001.html", UTF8, "demo-jbdemo"),
    DemoPage("/news/articleView.html?idxno=1002", "ndsoft-1002.html", UTF8, "demo-jbdemo"),
    DemoPage("/news/articleView.html?idxno=1003", "ndsoft-1003.html", UTF8, "demo-jbdemo"),
    DemoPage("/news/articleView.html?idxno=1004", "ndsoft-1004.html", UTF8, "demo-jbdemo"),
    # 데모뉴스 전북판: the newswave CMS; 5001 and 5002 carry the publisher's own English after a notice
    DemoPage("/sub_read.html?uid=5001", "newswave-5001.html", UTF8, "demo-newswave"),
    DemoPage("/sub_read.html?uid=5002", "newswave-5002.html", UTF8, "demo-newswave"),
    DemoPage("/sub_read.html?uid=5003", "newswave-5003.html", UTF8, "demo-newswave"),
    # 지평선데모저널: a layout no profile knows (the generic path); no charset declared anywhere
    DemoPage("/article/202506120001", "jipyeong-202506120001.html", "text/html", "demo-jipyeong"),
    DemoPage("/article/202508200003", "jipyeong-202508200003.html", "text/html", "demo-jipyeong"),
    # 군산데모타임즈: CP949 bytes (똠), euc-kr declared only in <meta>: the header says nothing
    DemoPage("/news/read.php?no=3107", "gunsan-3107.html", "text/html", "demo-gunsan"),
]

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def demo_sources(base: str) -> list[Source]:
    return [
        Source(id="demo-jbdemo", name="전북데모일보 (demo)", outlet="전북데모일보", region="전북",
               feeds=(f"{base}/rss.xml",), article_pattern=r"/news/articleView\.html\?idxno=\d+$", profile="ndsoft",
               max_articles=20),
        Source(id="demo-newswave", name="데모뉴스 전북판 (demo)", outlet="데모뉴스 전북판", region="전북",
               list_urls=(f"{base}/list.html",), article_pattern=r"/sub_read\.html\?uid=\d+", profile="newswave"),
        Source(id="demo-jipyeong", name="지평선데모저널 (demo)", outlet="지평선데모저널", region="전북",
               list_urls=(f"{base}/list.html",), article_pattern=r"/article/\d+$", profile="auto"),
        Source(id="demo-gunsan", name="군산데모타임즈 (demo)", outlet="군산데모타임즈", region="전북",
               list_urls=(f"{base}/list.html",), article_pattern=r"/news/read\.php\?no=\d+", profile="auto"),
    ]


def _in_feed(page: DemoPage) -> bool:
    """The 전북데모일보 articles are announced by the RSS feed; the rest by the listing pages."""
    return page.source == "demo-jbdemo"


def _without_tracking(path: str) -> str:
    """``path`` without its utm_* parameters, as the pages are filed."""
    route = urlsplit(path)
    query = "&".join(kv for kv in route.query.split("&") if kv and not kv.startswith("utm_"))
    return route.path + (f"?{query}" if query else "")


def _rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>article {p.path}</title><link>{base}{p.path.replace('&', '&amp;')}"
        f"{'&amp;' if '?' in p.path else '?'}utm_source=rss</link><pubDate>{formatdate(0)}</pubDate></item>"
        for p in PAGES if _in_feed(p))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>demo</title>'
            f"<link>{base}/</link><description>newspipe demo feed</description>{items}</channel></rss>").encode()


def _listing(page: int) -> bytes:
    others = [p for p in PAGES if not _in_feed(p)]
    half = (len(others) + 1) // 2
    chunk = others[:half] if page == 1 else others[half:]
    links = "".join(f'<li><a href="{p.path.replace("&", "&amp;")}">기사 {p.path}</a></li>' for p in chunk)
    links += '<li><a href="/private/secret.html">비공개</a></li>'
    nxt = '<a href="/list.html?page=2">다음</a>' if page == 1 else ""
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>목록</title></head>'
            f"<body><ul>{links}</ul>{nxt}</body></html>").encode()


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port), run in a daemon thread while the context is open."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class DemoSite(LoopbackServer):
    """The demo pages on 127.0.0.1; ``extra`` maps paths to handlers (tests)."""

    def __init__(self, pages_dir: Path = PAGES_DIR, extra: dict | None = None):
        self.pages_dir = pages_dir
        self.extra = extra or {}
        self.hits: dict[str, int] = {}
        self.log: list[tuple[str, dict]] = []
        self.times: list[tuple[float, str]] = []       # (monotonic arrival time, path) of every request
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                site.log.append((self.path, dict(self.headers)))
                site.times.append((time.monotonic(), self.path))
                status, headers, body = site.answer(self.path, dict(self.headers))
                if status is None:      # a handler that took over the socket
                    return
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                streamed = not isinstance(body, bytes)      # an iterable of chunks: no length, then close
                if streamed:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for chunk in (body if streamed else [body]):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        super().__init__(Handler)
        self.base = f"http://127.0.0.1:{self.port}"

    LISTING_MODIFIED = "Tue, 27 May 2025 00:00:00 GMT"

    def answer(self, path: str, headers: dict):
        """``respond``, with validators as real sites give them: the feed an ETag, the listing pages a
        Last-Modified; a conditional request for an unchanged one is answered 304."""
        status, out, body = self.respond(path, headers)
        route = urlsplit(path).path
        if status != 200 or route not in ("/rss.xml", "/list.html") or "ETag" in out or "Last-Modified" in out:
            return status, out, body
        if route == "/rss.xml":
            etag = f'"rss-{hashlib.sha1(body).hexdigest()[:16]}"'
            if headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return status, {**out, "ETag": etag}, body
        if headers.get("If-Modified-Since") == self.LISTING_MODIFIED:
            return 304, {"Last-Modified": self.LISTING_MODIFIED}, b""
        return status, {**out, "Last-Modified": self.LISTING_MODIFIED}, body

    def respond(self, path: str, headers: dict):
        if path in self.extra:
            return self.extra[path](self, path, headers)
        route = urlsplit(path)
        if route.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS.encode()
        if route.path == "/rss.xml":
            return 200, {"Content-Type": "application/rss+xml"}, _rss(self.base)
        if route.path == "/list.html":
            page = 2 if "page=2" in (route.query or "") else 1
            return 200, {"Content-Type": "text/html; charset=utf-8"}, _listing(page)
        wanted = _without_tracking(path)
        for p in PAGES:
            if p.path == wanted:
                body = (self.pages_dir / p.file).read_bytes()
                etag = f'"{len(body)}-{p.file}"'
                if headers.get("If-None-Match") == etag:
                    return 304, {"ETag": etag}, b""
                return 200, {"Content-Type": p.content_type, "ETag": etag}, body
        return 404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>"


EXAMPLE_SOURCE = "demo-example"
EXAMPLE_PAGE = corpus_dir() / "korean-news" / "text" / "breaknews-jb__seed-20241017.txt"


def store_example(archive) -> bool:
    """The project's own example page (a Break News 전북판 article with its Google-translated English, as page
    text) from the shared corpus, stored as ``newspipe ingest --format text`` would; False where it is missing.
    The page belongs to its outlet: it is read where it is, never shipped."""
    if not EXAMPLE_PAGE.is_file():
        return False
    from scrapers.clean import TEXT_TYPE
    from scrapers.types import FetchedPage

    archive.sync_sources([Source(id=EXAMPLE_SOURCE, name="브레이크뉴스 전북판 (the project's example page)",
                                 outlet="브레이크뉴스 전북판", region="전북", enabled=False,
                                 note="page text from ../shared/corpus, stored by the demo")])
    url = EXAMPLE_PAGE.resolve().as_uri()
    archive.store_page(FetchedPage(url=url, final_url=url, status=200, fetched_at=archive.now(),
                                   body=EXAMPLE_PAGE.read_bytes(), content_type=f"{TEXT_TYPE}; charset=utf-8",
                                   source_id=EXAMPLE_SOURCE, origin="ingest"))
    return True


def command_line() -> tuple[str, str]:
    """How to type this newspipe in a new shell, and a line saying why when it is not plain ``newspipe``: the
    script beside this interpreter (.venv/bin/newspipe, as make installs it) unless ``newspipe`` on PATH is that
    script without an activated venv (which a new shell would not have)."""
    import os
    import shutil
    import sys
    script = Path(sys.executable).parent / "newspipe"
    found = shutil.which("newspipe")
    if not script.is_file():
        return "newspipe", ""
    if found and not os.environ.get("VIRTUAL_ENV") and os.path.samefile(found, script):
        return "newspipe", ""
    rel = os.path.relpath(script)
    shown = rel if not rel.startswith("..") else str(script)
    return shown, (f"(newspipe is not on a new shell's PATH: type {shown} as above, or run "
                   f"'. {Path(shown).parent}/activate' once in the shell, then 'newspipe …' works there)")


def run_demo(db_path: str, translator: str = "google", translator_url: str | None = None, echo=print) -> dict:
    from db.archive import Archive, ArchiveError, archive_kind
    from scrapers.fetch import FetchSettings
    from translate.backends import make_backend, translation_off

    from .lock import RunLock
    from .run import Pipeline, Reporter, RunOptions

    path = Path(db_path)
    kind = archive_kind(path)          # anything but an archive, an empty file or nothing is refused, untouched
    if kind == "archive":
        # The demo database is the demo's own: recreate it, but never a database holding anything else.
        probe = Archive(path, readonly=True, any_version=True)
        foreign = probe.sources_without_prefix("demo-")
        probe.close()
        if foreign:
            raise ArchiveError(f"{path} holds pages of sources other than the demo's: {', '.join(foreign[:3])}; "
                               "give the demo another --db (the demo recreates its database)")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    with DemoSite() as site, RunLock(path):
        echo(f"demo site: {site.base} ({len(PAGES)} articles written for the demo by four invented outlets: "
             "ndsoft, newswave with the publisher's English, an unknown layout, EUC-KR; robots.txt, RSS, listings)")
        archive = Archive(path)
        if store_example(archive):
            echo(f"plus the project's example page, stored as page text from {EXAMPLE_PAGE} "
                 "(its outlet's own English beside the Korean)")
        pipe = Pipeline(archive, demo_sources(site.base), FetchSettings(delay=0.05),
                        backend_factory=lambda: make_backend(translator, translator_url, timeout=10),
                        reporter=Reporter())
        summary = pipe.run(RunOptions(translate=not translation_off(translator)))   # none: --no-translate
    c = summary.counts
    echo(f"run {summary.run_id}: new {c.get('new', 0)}, cleaned {c.get('cleaned', 0)}, "
         f"analysed {c.get('analysed', 0)}, translated {c.get('translated', 0)}, "
         f"failed {len(summary.errors)}")
    echo(f"pending: clean {summary.pending['clean']}, analyse {summary.pending['nlp']}, "
         f"translate {summary.pending['translate']}")
    for note in summary.notes:
        echo(f"note: {note}")
    for e in summary.errors:
        echo(f"failed: {e.stage} {e.item}: {e.reason}")
    echo("")
    for a in archive.cleaned_articles():
        echo(f"{a.id:>3} {a.source_id:<16} {(a.published_at or '')[:10]} {a.title_ko[:50]}  [{a.sentences} sentences]"
             + (f"\n    {a.title_en}" if a.title_en else "")
             + (f"\n    publisher's English: {a.publisher_title_en}" if a.publisher_title_en else ""))
    echo("")
    cmd, hint = command_line()
    echo(f"stored in {path}; try: {cmd} --db {path} show 1   |   {cmd} --db {path} stats --json")
    if hint:
        echo(hint)
    echo(f"(the demo site {site.base} has stopped: the articles' original links lead nowhere now)")
    stats = archive.stats()
    archive.close()
    return {"summary": summary.as_dict(), "stats": stats}
