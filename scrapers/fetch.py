"""Polite fetching with httpx.AsyncClient.

Politeness (Scrapy-style settings, all in ``FetchSettings``): robots.txt through protego,
its Crawl-delay honoured, a delay per host, global and per-host concurrency limits, a
descriptive User-Agent. Robustness: connect/read/total timeouts, a cap on body size and
redirects, conditional GET, non-HTML refused. Every failure is a ``FetchError`` whose kind
decides, through ``FETCH_POLICY``, whether it is tried again at once (with exponential backoff
and jitter, Retry-After honoured) and on later runs. Every outcome is a FetchedPage; this
module never raises for a network problem.

Spacing is measured when a request is really handed to the transport (an httpx request hook),
not when its turn was granted: a busy machine can delay the send, never shorten the gap.

The transport is injectable (``httpx.MockTransport`` in tests), and so is the clock.
"""
from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from scrapers.inflate import decompress
from scrapers.util.kst import now_kst
from scrapers.util.retry import backoff_wait, retry_after_seconds

from .types import FETCH_POLICY, FetchedPage, FetchError, FetchKind, status_kind

DEFAULT_UA = "newspipe/0.1 (+https://github.com/newspipe; Korean regional news archive; contact: set user_agent)"


@dataclass
class FetchSettings:
    user_agent: str = DEFAULT_UA
    delay: float = 1.0                 # seconds between requests to one host
    concurrency: int = 8               # requests in flight, all hosts
    per_host: int = 1                  # requests in flight per host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0        # one request's whole answer, retries excluded
    retries: int = 3
    backoff: float = 1.0               # first retry wait; doubles, with jitter
    max_retry_after: float = 120.0     # never sleep longer than this on Retry-After
    max_crawl_delay: float = 60.0      # a robots.txt asking more between requests: that host waits for a run
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
    request_times: list[float] = field(default_factory=list)   # monotonic send time of every request
    unreachable: FetchError | None = None   # set when even robots.txt could not be had: fail fast
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class _Asked:
    """One URL's answer in a run (asked with ``once``): the whole response until the asker that stores it under this
    URL has had it, then only its status and headers (the body is in the archive by then, not held here)."""
    answer: asyncio.Future
    body_taken: bool = False
    held: int = 0                    # bytes of a hop's body kept for the URL's own asker (Fetcher.max_held)
    counted: bool = False            # the server's answer counted once in the stats, however many share it


# The host a request is being sent to, for the request hook (set around each send, per task).
_sending: ContextVar[_Host | None] = ContextVar("newspipe_sending", default=None)


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None,
                 clock: Callable[[], datetime] | None = None, sleep=asyncio.sleep):
        self.settings = settings or FetchSettings()
        # The answers of the URLs asked with ``once`` (a run's article pages), redirect hops included: a URL asked
        # again so (a redirect onto a page the run also asks for itself) is answered from the first answer.
        self._asked: dict[tuple[str, bool], _Asked] = {}
        # Hops' bodies kept for their URL's own asker, in bytes at most (past it forgotten: asked again if need be)
        self.max_held = 32 << 20
        self._held = 0
        self.clock = clock or now_kst
        self.sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(max(1, self.settings.concurrency))
        self.stats: Counter = Counter()    # requests, conditional (sent with validators), not_modified (304)
        timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
        self.client = httpx.AsyncClient(
            transport=transport, timeout=timeout, follow_redirects=False, event_hooks={"request": [self._sent]},
            headers={"User-Agent": self.settings.user_agent, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    def host_log(self) -> dict[str, list[float]]:
        """Monotonic send time of every request, per host (for measuring spacing)."""
        return {h: list(v.request_times) for h, v in self._hosts.items()}

    async def _sent(self, request: httpx.Request) -> None:
        """httpx calls this right before handing the request to the transport: the request leaves now,
        and the host's next request may leave no sooner than its delay from here."""
        now = time.monotonic()
        self.stats["requests"] += 1
        if "if-none-match" in request.headers or "if-modified-since" in request.headers:
            self.stats["conditional"] += 1
        host = _sending.get()
        if host is not None:
            host.request_times.append(now)
            host.next_at = max(host.next_at, now + host.delay)

    def _host(self, url: str, crawl_delay: float | None = None) -> _Host:
        key = urlsplit(url).netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(lock=asyncio.Semaphore(max(1, self.settings.per_host)),
                                            delay=self.settings.delay if crawl_delay is None else crawl_delay)
            if crawl_delay is not None and crawl_delay > self.settings.max_crawl_delay:   # a source's own
                host.unreachable = self._over_max(f"the source's crawl_delay ({crawl_delay:g} s) is")
        return host

    def _over_max(self, what: str) -> FetchError:
        """A Crawl-delay over fetch.max_crawl_delay: one host must not hold the whole run (and its lock) for
        hours, so nothing is asked there -- which is what the site asked for -- and its URLs wait."""
        return FetchError(FetchKind.CRAWL_DELAY, f"{what} more than fetch.max_crawl_delay "
                          f"({self.settings.max_crawl_delay:g} s): nothing asked there; raise it to collect them")

    def _iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    async def _robots(self, url: str, host: _Host) -> Protego | None:
        if not self.settings.obey_robots or host.robots_loaded:
            return host.robots
        async with host.robots_lock:     # concurrent first requests wait for the one robots.txt fetch
            if not host.robots_loaded:
                await self._load_robots(url, host)
                host.robots_loaded = True
        return host.robots

    async def _load_robots(self, url: str, host: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            resp = await self._request(robots_url, host, {}, any_content_type=True)
        except FetchError as exc:
            if exc.kind in (FetchKind.TIMEOUT, FetchKind.CONNECT, FetchKind.SLOW):   # never 'no robots.txt'
                host.unreachable = FetchError(exc.kind, f"host unreachable: {exc}")
            return                       # any other failure (too large, undecodable): no robots.txt
        if resp.status_code == 200:
            text = resp.content.decode("utf-8", "replace")
            host.robots = Protego.parse(text)
            cd = host.robots.crawl_delay(self.settings.user_agent)
            if cd is not None and float(cd) > self.settings.max_crawl_delay:
                host.unreachable = self._over_max(f"robots.txt asks for {float(cd):g} s between requests,")
            elif cd is not None:
                host.delay = max(host.delay, float(cd))
                if host.request_times:       # the robots.txt request itself counts: space the next one from it
                    host.next_at = max(host.next_at, host.request_times[-1] + host.delay)
        elif resp.status_code in (401, 403):
            host.robots = Protego.parse("User-agent: *\nDisallow: /")
        elif resp.status_code >= 500:
            # RFC 9309: an unreachable robots.txt means "crawl nothing" -- for now: try again next run.
            host.unreachable = FetchError(FetchKind.ROBOTS_UNAVAILABLE,
                                          f"host unreachable: robots.txt answered HTTP {resp.status_code}",
                                          resp.status_code)

    async def allowed(self, url: str, crawl_delay: float | None = None) -> bool:
        host = self._host(url, crawl_delay)
        robots = await self._robots(url, host)
        return robots is None or robots.can_fetch(url, self.settings.user_agent)

    async def _wait_turn(self, host: _Host) -> None:
        now = time.monotonic()
        if host.next_at > now:
            await self.sleep(host.next_at - now)
        host.next_at = max(host.next_at, time.monotonic() + host.delay)   # moved on again when it is sent

    async def _request(self, url: str, host: _Host, headers: dict, any_content_type: bool = False) -> httpx.Response:
        """One GET, tried again as FETCH_POLICY says for its failure's kind. Returns the response (body
        read, capped; any status) or raises FetchError."""
        attempt = 0
        while True:
            failure: FetchError | None = None
            async with self._global, host.lock:
                await self._wait_turn(host)
                token = _sending.set(host)
                try:
                    resp = await asyncio.wait_for(self._get_capped(url, headers, any_content_type),
                                                  timeout=self.settings.total_timeout)
                except asyncio.TimeoutError:     # a page that drips for minutes: asking again now costs as much
                    failure = FetchError(FetchKind.SLOW, f"the page took over {self.settings.total_timeout:g} s "
                                                         "(fetch.total_timeout): tried again next run")
                except httpx.TimeoutException as exc:
                    limit = self.settings.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else self.settings.read_timeout
                    failure = FetchError(FetchKind.TIMEOUT, f"timeout: {type(exc).__name__} after {limit:g} s")
                except httpx.TransportError as exc:
                    failure = FetchError(FetchKind.CONNECT, f"connection error: {type(exc).__name__}: {exc}"[:300])
                except httpx.InvalidURL as exc:
                    failure = FetchError(FetchKind.BAD_URL, f"invalid URL: {exc}"[:300])
                except FetchError as exc:
                    failure = exc
                finally:
                    _sending.reset(token)
            if failure is not None:
                kind = failure.kind
            else:
                kind = status_kind(resp.status_code) if resp.status_code >= 400 else None
            if kind is None or not FETCH_POLICY[kind].now or attempt >= self.settings.retries:
                if failure is not None:
                    raise failure
                return resp
            server_wait = None if failure is not None else retry_after_seconds(resp.headers.get("Retry-After"))
            wait = backoff_wait(attempt, self.settings.backoff, self.settings.max_retry_after, server_wait)
            attempt += 1
            await self.sleep(wait * (1 + random.random() * 0.25))

    async def _get_capped(self, url: str, headers: dict, any_content_type: bool) -> httpx.Response:
        async with self.client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in (200, 203) and not any_content_type:
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and ctype not in self.settings.accept_types:
                    raise FetchError(FetchKind.NOT_HTML, f"not HTML: content type {ctype}", resp.status_code)
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                raise FetchError(FetchKind.TOO_LARGE, f"body larger than {self.settings.max_bytes} bytes "
                                 f"(Content-Length {declared})", resp.status_code)
            if resp.is_stream_consumed:      # an in-memory response (e.g. httpx.MockTransport): already read
                if len(resp.content) > self.settings.max_bytes:
                    raise FetchError(FetchKind.TOO_LARGE, f"body larger than {self.settings.max_bytes} bytes",
                                     resp.status_code)
                return resp
            chunks, size = [], 0
            async for chunk in resp.aiter_raw():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(FetchKind.TOO_LARGE, f"body larger than {self.settings.max_bytes} bytes",
                                     resp.status_code)
                chunks.append(chunk)
            resp._content = decompress(resp, b"".join(chunks), self.settings.max_bytes)
            return resp

    async def fetch(self, url: str, source_id: str | None = None, etag: str | None = None,
                    last_modified: str | None = None, crawl_delay: float | None = None,
                    any_content_type: bool = False, validators: Callable[[str], tuple] | None = None,
                    once: bool = False) -> FetchedPage:
        """Fetch ``url`` following redirects by hand (each hop checked against robots.txt); conditionally
        when ``etag`` or ``last_modified`` (a stored copy's validators) are given: a 304 is no error. A redirect's
        hop is conditional too: on what ``validators(hop_url)`` gives (a stored copy of the hop's own URL), else
        on ``etag``/``last_modified``. ``once``: each URL (hops included) is asked once in this Fetcher's life, among
        the fetches asked with ``once``. A 304 (or a URL answered earlier so) ends as ``not_modified``, its
        ``final_url`` naming whose stored copy is current."""
        hops = [url]                     # the URLs asked for, redirects included; the last one failed
        try:
            page = await self._follow(hops, (etag, last_modified), crawl_delay, any_content_type, validators, once)
        except FetchError as exc:
            page = FetchedPage(url=url, final_url=hops[-1], status=exc.status, fetched_at=self._iso(), error=exc)
        page.source_id = source_id
        return page

    async def _ask(self, url: str, host: _Host, headers: dict, any_content_type: bool, first: bool,
                   once: bool) -> tuple[httpx.Response, bool, bool]:
        """The answer for ``url``, whether it was had earlier in this run (its body is then not held here: the
        page it answered was stored under ``url``) and whether this is the server's answer's first use (for the
        stats). ``first``: ``url`` is what the caller asked for, so its page is stored under it; a redirect's hop
        (not first) is stored under the URL that led there."""
        if not once:
            return await self._request(url, host, headers, any_content_type), False, True
        key = (url, any_content_type)
        asked = self._asked.get(key)
        if asked is None:
            asked = self._asked[key] = _Asked(asyncio.ensure_future(self._request(url, host, headers,
                                                                                  any_content_type)))
        earlier = asked.body_taken
        resp = await asked.answer
        fresh, asked.counted = not asked.counted, True
        if first and not earlier:        # stored under its own URL now: keep only what a later hop needs
            asked.body_taken = True
            self._held -= asked.held
            asked.held = 0
            light = asyncio.get_running_loop().create_future()
            light.set_result(httpx.Response(resp.status_code, headers=resp.headers, request=resp.request))
            asked.answer = light
        elif not first and not asked.body_taken and not asked.held:    # (its own asker may have had it meanwhile)
            self._hold(key, asked, len(resp.content))
        return resp, earlier, fresh

    def _hold(self, key: tuple[str, bool], asked: _Asked, size: int) -> None:
        """Keep a hop's answer, body and all, for the URL's own asker -- within max_held, else forget it."""
        if self._held + size > self.max_held:
            if self._asked.get(key) is asked:
                del self._asked[key]
            return
        asked.held = max(size, 1)
        self._held += asked.held

    @staticmethod
    def _conditional(etag: str | None, last_modified: str | None) -> dict:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    async def _allowed_host(self, url: str, crawl_delay: float | None) -> _Host:
        """The host of ``url``, which may be asked for it (scheme, URL, reachability, robots.txt), else FetchError."""
        if not url.startswith(("http://", "https://")):
            raise FetchError(FetchKind.BAD_URL, f"unsupported URL scheme: {url[:80]}")
        try:
            host = self._host(url, crawl_delay)
        except ValueError as exc:            # urlsplit: e.g. a broken [IPv6] host
            raise FetchError(FetchKind.BAD_URL, f"invalid URL: {exc}") from None
        if host.unreachable:                 # known before robots.txt (a source's own crawl_delay)
            raise dataclasses.replace(host.unreachable)
        if self.settings.obey_robots:
            robots = await self._robots(url, host)
            if host.unreachable:
                raise dataclasses.replace(host.unreachable)
            if robots is not None and not robots.can_fetch(url, self.settings.user_agent):
                raise FetchError(FetchKind.ROBOTS, "disallowed by robots.txt")
        return host

    async def _follow(self, hops: list[str], stored: tuple, crawl_delay: float | None,
                      any_content_type: bool, validators: Callable[[str], tuple] | None, once: bool) -> FetchedPage:
        for _hop in range(self.settings.max_redirects + 1):
            current = hops[-1]
            host = await self._allowed_host(current, crawl_delay)
            own = validators(current) if validators is not None and len(hops) > 1 else (None, None)
            headers = self._conditional(*(own if any(own) else stored))
            # shared only when asked on the URL's own validators (or none): a hop on its redirect's could give the
            # URL's own asker a 304 for a copy stored under another URL
            mine = len(hops) == 1 or any(own) or not any(stored)
            resp, earlier, fresh = await self._ask(current, host, headers, any_content_type, first=len(hops) == 1,
                                                  once=once and mine)
            status = resp.status_code
            if status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                nxt = urljoin(current, resp.headers["location"])
                if nxt in hops:
                    raise FetchError(FetchKind.REDIRECT_LOOP, "redirect loop", status)
                hops.append(nxt)
                continue
            page = FetchedPage(url=hops[0], final_url=current, status=status, fetched_at=self._iso(),
                               content_type=resp.headers.get("content-type", ""), etag=resp.headers.get("etag"),
                               last_modified=resp.headers.get("last-modified"))
            if status == 304 or (earlier and 200 <= status < 300):
                page.not_modified = True
                self.stats["not_modified"] += fresh and status == 304     # the server's 304s, each once
            elif status >= 300:
                page.error = FetchError(status_kind(status), f"HTTP {status}" + (" without a Location"
                                                                                   if status < 400 else ""), status)
            else:
                page.body = resp.content
            return page
        raise FetchError(FetchKind.TOO_MANY_REDIRECTS, f"more than {self.settings.max_redirects} redirects")
