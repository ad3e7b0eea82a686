"""Typed records that the scrapers stage hands downstream."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict


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
    error: str | None = None      # why it failed, None on success
    source_id: str | None = None
    origin: str = "crawl"         # crawl | ingest
    not_modified: bool = False    # a 304 answer to a conditional GET
    retryable: bool = False       # a failure worth trying again next run (timeout, connection, 5xx, 429, 408)

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
