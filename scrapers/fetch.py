"""Polite fetching with httpx.AsyncClient.

Politeness (Scrapy-style settings, all in ``FetchSettings``): robots.txt through protego,
its Crawl-delay honoured, a delay per host, global and per-host concurrency limits, a
descriptive User-Agent. Robustness: connect/read/total timeouts, retries with exponential
backoff and jitter on connection errors, 429 and 5xx (Retry-After honoured), a cap on body
size and redirects, conditional GET, non-HTML refused. Every outcome is a FetchedPage;
this module never raises for a network problem.

The transport is injectable (``httpx.MockTransport`` in tests), and so is the clock.
"""
from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from .types import FetchedPage

DEFAULT_UA = "newspipe/0.1 (+https://github.com/newspipe; Korean regional news archive; contact: set user_agent)"


# Error strings of _request for failures that may pass (the rest are permanent: robots, size, type).
_TRANSIENT = ("timed out", "timeout", "connection error")


@dataclass
class FetchSettings:
    user_agent: str = DEFAULT_UA
    delay: float = 1.0                 # seconds between requests to one host
    concurrency: int = 8               # requests in flight, all hosts
    per_host: int = 1                  # requests in flight per host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0        # one request, all retries excluded
    retries: int = 3
    backoff: float = 1.0               # first retry wait; doubles, with jitter
    max_retry_after: float = 120.0     # never sleep longer than this on Retry-After
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    obey_robots: bool = True
    accept_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")


@dataclass
class _Host:
    lock: asyncio.Semaphore
    next_at: float = 0.0
    robots: Protego | None = None
    robots_loaded: bool = False
    delay: float = 1.0
    request_times: list[float] = field(default_factory=list)
    unreachable: str | None = None     # set when even robots.txt could not be reached: fail fast
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] | None = None, sleep=asyncio.sleep):
        self.s = settings or FetchSettings()
        self.clock = clock or _now_kst
        self.sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(max(1, self.s.concurrency))
        timeout = httpx.Timeout(self.s.read_timeout, connect=self.s.connect_timeout)
        self.client = httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False,
            headers={"User-Agent": self.s.user_agent, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    def host_log(self) -> dict[str, list[float]]:
        """Monotonic start time of every request, per host (for measuring spacing)."""
        return {h: list(v.request_times) for h, v in self._hosts.items()}

    def _host(self, url: str, crawl_delay: float | None = None) -> _Host:
        key = urlsplit(url).netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(lock=asyncio.Semaphore(max(1, self.s.per_host)),
                                            delay=self.s.delay if crawl_delay is None else crawl_delay)
        return host

    def _iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    async def _robots(self, url: str, host: _Host) -> Protego | None:
        if not self.s.obey_robots or host.robots_loaded:
            return host.robots
        async with host.robots_lock:     # concurrent first requests wait for the one robots.txt fetch
            if not host.robots_loaded:
                await self._load_robots(url, host)
                host.robots_loaded = True
        return host.robots

    async def _load_robots(self, url: str, host: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        resp = await self._request(robots_url, host, {}, accept_any=True)
        if isinstance(resp, httpx.Response) and resp.status_code == 200:
            text = resp.content.decode("utf-8", "replace")
            host.robots = Protego.parse(text)
            cd = host.robots.crawl_delay(self.s.user_agent)
            if cd is not None:
                host.delay = max(host.delay, float(cd))
                if host.request_times:       # the robots.txt request itself counts: space the next one from it
                    host.next_at = max(host.next_at, host.request_times[-1] + host.delay)
        elif isinstance(resp, httpx.Response) and resp.status_code in (401, 403):
            host.robots = Protego.parse("User-agent: *\nDisallow: /")
        elif isinstance(resp, httpx.Response) and resp.status_code >= 500:
            # RFC 9309: an unreachable robots.txt means "crawl nothing" -- for now: try again next run.
            host.unreachable = f"robots.txt answered HTTP {resp.status_code}"
        elif isinstance(resp, str) and resp.startswith(("connection error", "timeout", "timed out")):
            host.unreachable = resp

    async def allowed(self, url: str, crawl_delay: float | None = None) -> bool:
        host = self._host(url, crawl_delay)
        robots = await self._robots(url, host)
        return robots is None or robots.can_fetch(url, self.s.user_agent)

    async def _wait_turn(self, host: _Host) -> None:
        now = time.monotonic()
        if host.next_at > now:
            await self.sleep(host.next_at - now)
        host.next_at = time.monotonic() + host.delay
        host.request_times.append(time.monotonic())

    async def _request(self, url: str, host: _Host, headers: dict, accept_any: bool = False):
        """One GET with retries; returns an httpx.Response (body read, capped) or an error string."""
        attempt = 0
        while True:
            async with self._global, host.lock:
                await self._wait_turn(host)
                try:
                    resp = await asyncio.wait_for(self._get_capped(url, headers, accept_any),
                                                  timeout=self.s.total_timeout)
                except asyncio.TimeoutError:
                    resp = f"timed out after {self.s.total_timeout:g} s"
                except httpx.TimeoutException as exc:
                    limit = self.s.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else self.s.read_timeout
                    resp = f"timeout: {type(exc).__name__} after {limit:g} s"
                except httpx.TransportError as exc:
                    resp = f"connection error: {type(exc).__name__}: {exc}"[:300]
                except _TooLarge as exc:
                    return str(exc)
                except _NotHTML as exc:
                    return str(exc)
            retry_wait = None
            if isinstance(resp, str):
                retry_wait = self.s.backoff * (2 ** attempt)
            elif resp.status_code == 429 or resp.status_code >= 500:
                retry_wait = _retry_after(resp.headers.get("Retry-After"))
                if retry_wait is None:
                    retry_wait = self.s.backoff * (2 ** attempt)
                retry_wait = min(retry_wait, self.s.max_retry_after)
            if retry_wait is None or attempt >= self.s.retries:
                return resp
            attempt += 1
            await self.sleep(retry_wait * (1 + random.random() * 0.25))

    async def _get_capped(self, url: str, headers: dict, accept_any: bool) -> httpx.Response:
        async with self.client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in (200, 203) and not accept_any:
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and ctype not in self.s.accept_types:
                    raise _NotHTML(f"not HTML: content type {ctype}")
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.s.max_bytes:
                raise _TooLarge(f"body larger than {self.s.max_bytes} bytes (Content-Length {declared})")
            if resp.is_stream_consumed:      # an in-memory response (e.g. httpx.MockTransport): already read
                if len(resp.content) > self.s.max_bytes:
                    raise _TooLarge(f"body larger than {self.s.max_bytes} bytes")
                return resp
            chunks, size = [], 0
            async for chunk in resp.aiter_raw():
                size += len(chunk)
                if size > self.s.max_bytes:
                    raise _TooLarge(f"body larger than {self.s.max_bytes} bytes")
                chunks.append(chunk)
            resp._content = _decompress(resp, b"".join(chunks), self.s.max_bytes)
            return resp

    async def fetch(self, url: str, source_id: str | None = None, etag: str | None = None,
                    last_modified: str | None = None, crawl_delay: float | None = None,
                    accept_any: bool = False) -> FetchedPage:
        """Fetch ``url`` following redirects by hand (each hop checked against robots.txt)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = set()
        for _hop in range(self.s.max_redirects + 1):
            if not current.startswith(("http://", "https://")):
                return self._fail(url, current, source_id, f"unsupported URL scheme: {current[:80]}")
            host = self._host(current, crawl_delay)
            if self.s.obey_robots:
                robots = await self._robots(current, host)
                if host.unreachable:
                    return self._fail(url, current, source_id, f"host unreachable: {host.unreachable}",
                                      retryable=True)
                if robots is not None and not robots.can_fetch(current, self.s.user_agent):
                    return self._fail(url, current, source_id, "disallowed by robots.txt")
            resp = await self._request(current, host, headers, accept_any)
            if isinstance(resp, str):
                return self._fail(url, current, source_id, resp, retryable=resp.startswith(_TRANSIENT))
            if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                seen.add(current)
                nxt = urljoin(current, resp.headers["location"])
                if nxt in seen:
                    return self._fail(url, current, source_id, "redirect loop", resp.status_code)
                current = nxt
                continue
            ctype = resp.headers.get("content-type", "")
            page = FetchedPage(url=url, final_url=current, status=resp.status_code, fetched_at=self._iso(),
                               content_type=ctype, etag=resp.headers.get("etag"),
                               last_modified=resp.headers.get("last-modified"), source_id=source_id)
            if resp.status_code == 304:
                page.not_modified = True
                page.error = "not modified (304)"
            elif resp.status_code >= 400:
                page.error = f"HTTP {resp.status_code}"
                page.retryable = resp.status_code >= 500 or resp.status_code in (408, 429)
            elif resp.status_code >= 300:
                page.error = f"HTTP {resp.status_code} without a Location"
            else:
                page.body = resp.content
            return page
        return self._fail(url, current, source_id, f"more than {self.s.max_redirects} redirects")

    def _fail(self, url, final, source_id, error, status=None, retryable=False) -> FetchedPage:
        return FetchedPage(url=url, final_url=final, status=status, fetched_at=self._iso(), error=error,
                           source_id=source_id, retryable=retryable)


def _now_kst() -> datetime:
    return datetime.now(timezone(timedelta(hours=9)))


class _TooLarge(Exception):
    pass


class _NotHTML(Exception):
    pass


def _decompress(resp: httpx.Response, raw: bytes, limit: int) -> bytes:
    """Undo Content-Encoding ourselves, refusing a body that inflates past ``limit``."""
    enc = resp.headers.get("content-encoding", "").lower().strip()
    if not enc or enc == "identity":
        return raw
    import zlib
    if enc in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(raw, limit + 1)
        except zlib.error:
            try:
                out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, limit + 1)
            except zlib.error as exc:
                raise _TooLarge(f"undecodable {enc} body: {exc}") from None
        if len(out) > limit:
            raise _TooLarge(f"body larger than {limit} bytes once decompressed")
        return out
    decoder = resp._get_content_decoder() if hasattr(resp, "_get_content_decoder") else None
    if decoder is None:
        return raw
    out = decoder.decode(raw) + decoder.flush()
    if len(out) > limit:
        raise _TooLarge(f"body larger than {limit} bytes once decompressed")
    return out


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
