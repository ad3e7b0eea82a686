"""The records that cross the door between db/ and pipeline/ (besides the stages' own: scrapers.types,
nlp.types, translate.types): what the archive hands a stage to work on, and what a run reports."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple


class PageToClean(NamedTuple):
    """An article's current page, for the cleaner."""
    body: bytes                 # the raw bytes as fetched
    content_type: str
    url: str                    # the final URL (after redirects)
    source_id: str | None


class ArticleText(NamedTuple):
    """An article's Korean title and body, for the nlp stage."""
    id: int
    title: str
    body: str


class SentenceText(NamedTuple):
    idx: int                    # the sentence's number in the article
    para: int                   # its paragraph
    ko: str


class TranslationInput(NamedTuple):
    """What the translate stage translates of one article."""
    title: str
    subtitle: str
    sentences: list[SentenceText]

    @property
    def texts(self) -> list[str]:
        return [s.ko for s in self.sentences]


class Validators(NamedTuple):
    """ETag and Last-Modified of a URL's last successful fetch, for a conditional GET."""
    etag: str | None
    last_modified: str | None


class RefreshTarget(NamedTuple):
    url: str
    source_id: str | None


@dataclass(frozen=True)
class Failure:
    """One failure of a run, as the summary lists it and ``runs.errors`` stores it."""
    stage: str                  # fetch, clean, analyse, translate, discover, …
    item: str                   # the URL (or article id) it concerns
    reason: str
    kind: str | None = None     # a fetch failure's FetchKind value
    source: str | None = None   # the source a discovery failure is of (its feed, sitemap or listing page)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None or k not in ("kind", "source")}
