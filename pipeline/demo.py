"""The offline demo: a local news site built from real pages, crawled by the real pipeline.

``DemoSite`` serves copies of real Korean news pages (tests/fixtures/corpus, bytes unchanged)
on 127.0.0.1 under URL paths shaped like the outlets' own, with robots.txt, an RSS feed and
paginated listing pages. The tests use the same site.
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

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus"


@dataclass(frozen=True)
class DemoPage:
    path: str            # URL path (with query) on the demo site
    file: str            # fixture file name
    content_type: str    # what the server declares
    title: str = ""


PAGES = [
    DemoPage("/news/society/11328184", "mk.co.kr__11328184.html", "text/html; charset=utf-8"),
    DemoPage("/news/sports/11328187", "mk.co.kr__11328187.html", "text/html; charset=utf-8"),
    DemoPage("/news/realestate/11329112", "mk.co.kr__11329112.html", "text/html; charset=utf-8"),
    DemoPage("/news/stock/11330362", "mk.co.kr__11330362.html", "text/html; charset=utf-8"),
    DemoPage("/news/world/11331368", "mk.co.kr__11331368.html", "text/html; charset=utf-8"),
    DemoPage("/news/world/11331384", "mk.co.kr__11331384.html", "text/html; charset=utf-8"),
    # Break News declares euc-kr only in <meta>: the header says nothing about the charset.
    DemoPage("/sub_read.html?uid=223140", "breaknews__uid223140.html", "text/html"),
    # Entermedia declares no charset anywhere.
    DemoPage("/news/news_view.html?idx=8723", "entermedia__idx8723.html", "text/html"),
    DemoPage("/news/news_view.html?idx=8576", "entermedia__idx8576.html", "text/html"),
    DemoPage("/News/Read/A2025051516330004328", "hankookilbo__A2025051516330004328.html",
             "text/html; charset=utf-8"),
]

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def demo_sources(base: str) -> list[Source]:
    return [
        Source(id="demo-mk", name="매일경제 (demo copy)", outlet="매일경제", region="national",
               feeds=(f"{base}/rss.xml",), article_pattern=r"/news/[a-z]+/\d+$", profile="mk", max_articles=20),
        Source(id="demo-breaknews", name="브레이크뉴스 (demo copy)", outlet="브레이크뉴스", region="national",
               list_urls=(f"{base}/list.html",), article_pattern=r"/sub_read\.html\?uid=\d+", profile="newswave"),
        Source(id="demo-entermedia", name="엔터미디어 (demo copy)", outlet="엔터미디어", region="national",
               list_urls=(f"{base}/list.html",), article_pattern=r"/news/news_view\.html\?idx=\d+",
               profile="entermedia"),
        Source(id="demo-hankook", name="한국일보 (demo copy)", outlet="한국일보", region="national",
               list_urls=(f"{base}/list.html",), article_pattern=r"/News/Read/A\d+", profile="hankookilbo"),
    ]


def _in_feed(page: DemoPage) -> bool:
    """The Maeil Business copies are announced by the RSS feed; the rest by the listing pages."""
    return page.path.startswith("/news/") and "view" not in page.path


def _rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>article {p.path}</title><link>{base}{p.path}?utm_source=rss</link>"
        f"<pubDate>{formatdate(0)}</pubDate></item>" for p in PAGES if _in_feed(p))
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

    def __init__(self, fixtures: Path = FIXTURES, extra: dict | None = None):
        self.fixtures = fixtures
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
        clean_path = route.path + (f"?{route.query}" if route.query and not route.query.startswith("utm_") else "")
        if route.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS.encode()
        if route.path == "/rss.xml":
            return 200, {"Content-Type": "application/rss+xml"}, _rss(self.base)
        if route.path == "/list.html":
            page = 2 if "page=2" in (route.query or "") else 1
            return 200, {"Content-Type": "text/html; charset=utf-8"}, _listing(page)
        base_path = clean_path.split("?utm_")[0]
        for p in PAGES:
            if p.path == base_path:
                body = (self.fixtures / p.file).read_bytes()
                etag = f'"{len(body)}-{p.file}"'
                if headers.get("If-None-Match") == etag:
                    return 304, {"ETag": etag}, b""
                return 200, {"Content-Type": p.content_type, "ETag": etag}, body
        return 404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>"


def run_demo(db_path: str, translator: str = "google", translator_url: str | None = None, echo=print) -> dict:
    from db.archive import Archive, ArchiveError
    from scrapers.fetch import FetchSettings
    from translate.backends import make_backend

    from .lock import RunLock
    from .run import Pipeline, Reporter, RunOptions

    path = Path(db_path)
    if path.exists():
        # The demo database is the demo's own: recreate it, but never a database holding anything else.
        probe = Archive(path, readonly=True)
        foreign = [r[0] for r in probe.query("SELECT id FROM sources WHERE id NOT LIKE 'demo-%'")]
        probe.close()
        if foreign:
            raise ArchiveError(f"{path} holds non-demo sources ({', '.join(foreign[:3])}); "
                               "give the demo another --db")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    with DemoSite() as site, RunLock(path):
        echo(f"demo site: {site.base} ({len(PAGES)} real news pages, robots.txt, RSS feed, listing pages)")
        archive = Archive(path)
        pipe = Pipeline(archive, demo_sources(site.base), FetchSettings(delay=0.05),
                        backend_factory=lambda: make_backend(translator, translator_url, timeout=10),
                        reporter=Reporter())
        summary = pipe.run(RunOptions())
    c = summary.counts
    echo(f"run {summary.run_id}: new {c.get('new', 0)}, cleaned {c.get('cleaned', 0)}, "
         f"analysed {c.get('analysed', 0)}, translated {c.get('translated', 0)}, "
         f"failed {len(summary.errors)}")
    echo(f"pending: clean {summary.pending['clean']}, analyse {summary.pending['nlp']}, "
         f"translate {summary.pending['translate']}")
    for note in summary.notes:
        echo(f"note: {note}")
    for e in summary.errors:
        echo(f"failed: {e['stage']} {e['item']}: {e['reason']}")
    echo("")
    for row in archive.query("SELECT id, source_id, title_ko, title_en, published_at, "
                             "(SELECT count(*) FROM sentences s WHERE s.article_id=a.id) FROM articles a "
                             "WHERE clean_status='done' ORDER BY id"):
        echo(f"{row[0]:>3} {row[1]:<16} {(row[4] or '')[:10]} {row[2][:50]}  [{row[5]} sentences]"
             + (f"\n    {row[3]}" if row[3] else ""))
    echo("")
    echo(f"stored in {path}; try: newspipe --db {path} show 1   |   newspipe --db {path} stats --json")
    stats = archive.stats()
    archive.close()
    return {"summary": summary.as_dict(), "stats": stats}
