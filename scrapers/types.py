"""Typed records that the scrapers stage hands downstream."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from enum import StrEnum


TEXT_TYPE = "text/plain"      # the content type of a page stored as its text (newspipe ingest --format text)


def is_page_text(content_type: str | None) -> bool:
    """Whether a stored page is page text (cleaned line by line) rather than HTML."""
    return (content_type or "").split(";")[0].strip().lower() == TEXT_TYPE


@dataclass(frozen=True)
class Source:
    """One outlet, as configured in sources.toml."""

    id: str
    name: str
    outlet: str
    region: str = ""
    feeds: tuple[str, ...] = ()
    list_urls: tuple[str, ...] = ()
    article_pattern: str = ""
    profile: str = "auto"
    max_articles: int = 50
    enabled: bool = True
    crawl_delay: float | None = None
    homepage: str = ""
    note: str = ""
    sitemaps: tuple[str, ...] = ()   # XML sitemaps / Google News sitemaps (indexes are followed)
    cms: str = ""
    confirmed_from: str = ""         # the public material the URL scheme was confirmed from


class FetchKind(StrEnum):
    """Why a fetch failed. Stored in ``pages.error_kind``; FETCH_POLICY decides what happens next."""

    TIMEOUT = "timeout"                  # connect or read timeout: no answer for a while
    SLOW = "slow"                        # answering, but the whole page took over fetch.total_timeout
    CONNECT = "connect"                  # refused, reset, DNS, TLS: no answer at all
    HTTP_5XX = "http_5xx"
    HTTP_429 = "http_429"                # too many requests
    HTTP_408 = "http_408"                # request timeout
    HTTP_4XX = "http_4xx"                # every other 4xx (404, 410, 403, ...)
    HTTP_3XX = "http_3xx"                # a redirect without a Location, or another 3xx
    ROBOTS = "robots"                    # disallowed by robots.txt
    ROBOTS_UNAVAILABLE = "robots_unavailable"   # robots.txt answered 5xx: crawl nothing there now (RFC 9309)
    CRAWL_DELAY = "crawl_delay"          # a Crawl-delay over fetch.max_crawl_delay: not asked until it is raised
    NOT_HTML = "not_html"
    TOO_LARGE = "too_large"
    DECODE = "decode"                    # a body its Content-Encoding cannot undo
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_URL = "bad_url"                  # not http(s), or not a URL at all
    INTERNAL = "internal"                # newspipe itself failed on the page (a bug): tried again next run
    # Failures recorded before kinds existed (schema < m004): the decision made then, kept.
    LEGACY_TRANSIENT = "legacy_transient"
    LEGACY_PERMANENT = "legacy_permanent"


@dataclass(frozen=True)
class RetryPolicy:
    now: bool           # tried again within the same fetch, with backoff (Retry-After honoured)
    attempts: int       # fetches of the URL in all, across runs, before it is given up


_PASSING = RetryPolicy(now=True, attempts=3)
_NEXT_RUN = RetryPolicy(now=False, attempts=3)
_UNTIL_CHANGED = RetryPolicy(now=False, attempts=1_000_000)   # asked again every run: it is the settings' doing
_PERMANENT = RetryPolicy(now=False, attempts=1)
FETCH_POLICY: dict[FetchKind, RetryPolicy] = {
    FetchKind.TIMEOUT: _PASSING, FetchKind.CONNECT: _PASSING, FetchKind.HTTP_5XX: _PASSING,
    FetchKind.HTTP_429: _PASSING, FetchKind.HTTP_408: _PASSING,
    FetchKind.ROBOTS_UNAVAILABLE: _NEXT_RUN, FetchKind.CRAWL_DELAY: _UNTIL_CHANGED, FetchKind.SLOW: _NEXT_RUN,
    FetchKind.LEGACY_TRANSIENT: _NEXT_RUN, FetchKind.INTERNAL: _NEXT_RUN,
    FetchKind.HTTP_4XX: _PERMANENT, FetchKind.HTTP_3XX: _PERMANENT, FetchKind.ROBOTS: _PERMANENT,
    FetchKind.NOT_HTML: _PERMANENT, FetchKind.TOO_LARGE: _PERMANENT, FetchKind.DECODE: _PERMANENT,
    FetchKind.REDIRECT_LOOP: _PERMANENT, FetchKind.TOO_MANY_REDIRECTS: _PERMANENT, FetchKind.BAD_URL: _PERMANENT,
    FetchKind.LEGACY_PERMANENT: _PERMANENT,
}


def status_kind(status: int) -> FetchKind:
    """The kind of an HTTP error status (>= 300, not 304)."""
    if status in (408, 429):
        return FetchKind(f"http_{status}")
    return FetchKind.HTTP_5XX if status >= 500 else FetchKind.HTTP_4XX if status >= 400 else FetchKind.HTTP_3XX


@dataclass(eq=False)          # identity, as exceptions compare
class FetchError(Exception):
    """A failed fetch: its kind (which decides any retry), a message for people, the HTTP status if any."""

    kind: FetchKind
    message: str
    status: int | None = None

    def __post_init__(self):
        super().__init__(self.kind, self.message, self.status)

    def __str__(self) -> str:
        return self.message

    @property
    def policy(self) -> RetryPolicy:
        return FETCH_POLICY[self.kind]


@dataclass
class FetchedPage:
    """The outcome of one fetch (or one ingested file), success or failure."""

    url: str                      # canonical URL we asked for
    final_url: str                # after redirects
    status: int | None            # HTTP status, None when no response came
    fetched_at: str               # ISO-8601 with offset
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: FetchError | None = None   # why it failed, None on success (a 304 is no failure)
    source_id: str | None = None
    origin: str = "crawl"         # crawl | ingest
    not_modified: bool = False    # a 304 answer to a conditional GET: the stored copy is current

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass
class Caption:
    text: str
    credit: str = ""


@dataclass
class Removed:
    text: str
    reason: str


@dataclass
class PublisherTranslation:
    lang: str
    title: str
    subtitle: str
    body: list[str]


@dataclass
class Article:
    """A cleaned article: the cleaner's output, the nlp stage's input."""

    url: str
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    updated_at: str | None = None
    outlet: str = ""
    section: str = ""
    dateline: str = ""            # the place of a lead dateline: 전주 of "(전주=뉴스1) 홍길동 기자 ="
    body: list[str] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    publisher_translation: PublisherTranslation | None = None
    removed: list[Removed] = field(default_factory=list)
    canonical_url: str = ""
    error: str | None = None      # why nothing could be extracted

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("error")
        d.pop("canonical_url")
        return d

    @property
    def body_text(self) -> str:
        """The stored Korean body: paragraphs joined by one newline."""
        return "\n".join(self.body)
