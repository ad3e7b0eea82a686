"""Finding article URLs: RSS/Atom feeds (feedparser), section listing pages, XML sitemaps.

URLs are canonicalised (tracking parameters and fragments out, ndsoft's idxno kept as
the only parameter) so one article has one URL, whatever link pointed at it. Percent-encoded
bytes stay the bytes they are: an EUC-KR query value (``?kw=%C0%FC%C1%D6``) is never decoded
as UTF-8, and a raw Korean query in an EUC-KR page is encoded as a browser would, in EUC-KR.

``discover_urls`` is the whole algorithm for one source; it fetches through a callback (the
pipeline's, which asks conditionally and answers a 304 with the stored copy) and asks which URLs
are already known through another, so this module knows nothing of the archive.
"""
from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.etree
import lxml.html
from w3lib.url import canonicalize_url, safe_url_string

from .decode import decode_html
from .types import FetchedPage, Source

MAX_SITEMAP_CHILDREN = 3        # of a sitemap index, the newest (by lastmod) are read
MAX_LISTING_PAGES = 5

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|referer|from|nclick|n_media|n_query|n_rank|n_ad_group|"
                       r"n_ad|n_keyword_id|n_keyword|n_campaign_type|sc_\w+|mc_\w+|igshid|_ga)$", re.I)
# Parameters that identify an article in known CMSes; when present, only they are kept.
_ID_PARAMS = {"idxno", "uid", "idx", "no", "seq", "aid", "oid", "newsid", "article_id", "news_id", "seq_code",
              "arcid", "sid", "code"}


def canonical_url(url: str, base: str = "") -> str:
    """One URL per article: w3lib's canonical form (query sorted, percent-escapes upper-case, bytes kept
    as they are, fragment out), host lower-case without its default port, tracking parameters out, and
    on known CMS article paths only the parameters that identify the article.

    Raises ValueError for what is not a URL at all (e.g. a broken ``[IPv6]`` host)."""
    url = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not ((scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    # Names of the canonical query are plain ASCII when they are ours to match; values are left untouched.
    query = [kv for kv in parts.query.split("&") if kv and not _TRACKING.match(kv.partition("=")[0])]
    ids = [kv for kv in query if kv.partition("=")[0].lower() in _ID_PARAMS]
    if ids and re.search(r"articleView\.html|sub_read\.html|news_view\.html", parts.path):
        query = ids
    return urlunsplit((scheme, host, parts.path or "/", "&".join(query), ""))


def links_from_feed(data: bytes, base: str) -> list[str]:
    parsed = feedparser.parse(data)
    out = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            for candidate in entry.get("links", []):
                if candidate.get("href"):
                    link = candidate["href"]
                    break
        if link:
            out.append(urljoin(base, link))
    return out


def links_from_html(data: bytes, base: str, content_type: str | None = None) -> tuple[list[str], list[str]]:
    """(article-ish links, 'next page' links) of a listing page, absolute, in page order. A query written
    in raw Korean is percent-encoded in the page's own encoding, as a browser sends it."""
    text, encoding = decode_html(data, content_type)
    if encoding.startswith("utf-16"):
        encoding = "utf-8"           # browsers send UTF-8 queries for UTF-16 documents
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return [], []
    links, nexts, numbered = [], [], {}
    for a in doc.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        try:
            absolute = safe_url_string(urljoin(base, href.strip()), encoding=encoding)
        except ValueError:           # not a URL (e.g. a broken [IPv6] host)
            continue
        links.append(absolute)
        label = " ".join(a.text_content().split())
        if a.get("rel") == "next" or label in ("다음", "다음 페이지", "다음페이지", "next", "Next", ">", "›", "»"):
            nexts.append(absolute)
        elif re.fullmatch(r"[0-9]{1,4}", label):     # ASCII digits: '②' is a digit to isdigit(), not to int()
            numbered.setdefault(int(label), []).append(absolute)
    for link in doc.xpath("//link[@rel='next']/@href"):
        try:
            nexts.append(safe_url_string(urljoin(base, link.strip()), encoding=encoding))
        except ValueError:
            continue
    if not nexts:                    # a numbered pager only ('1 2 3 … 10'): the link to the next number
        nexts += _numbered_next(base, numbered)
    return links, nexts


_PAGE_PARAM = re.compile(r"(?:page|pg|p|cpage|page_?no|pageindex|curpage|pagenum)", re.I)


def _page_of(url: str) -> int | None:
    """The page number a listing URL's query names (page=3, pg=3, …), or None."""
    for key, value in parse_qsl(urlsplit(url).query):
        if _PAGE_PARAM.fullmatch(key) and value.isdigit():
            return int(value)
    return None


def _numbered_next(base: str, numbered: dict[int, list[str]]) -> list[str]:
    """Of a numbered pager's links, the one to the page after ``base`` (page 1 when its URL names none): on
    the same path, its page parameter that number -- never an article link that happens to read '2'."""
    want = (_page_of(base) or 1) + 1
    path = urlsplit(base).path
    return [link for link in numbered.get(want, []) if urlsplit(link).path == path and _page_of(link) == want][:1]


def matches(source: Source, url: str) -> bool:
    """Whether ``url`` (canonical: Korean in it percent-encoded) is an article by the source's pattern, read in the
    URL as it is or as a browser's address bar shows it: a pattern written with the Korean of a path
    ('/뉴스/\\d+') matched no link, every one being '/%EB%89%B4%EC%8A%A4/…' (a new user's trial)."""
    if not source.article_pattern:
        return True
    if re.search(source.article_pattern, url) is not None:
        return True
    if "%" not in url:
        return False
    try:
        shown = unquote(url, errors="strict")       # UTF-8 only: an EUC-KR query value stays as it is
    except UnicodeDecodeError:
        return False
    return re.search(source.article_pattern, shown) is not None


MAX_SITEMAP_BYTES = 50_000_000      # the sitemaps.org limit for an uncompressed sitemap
_SITEMAP_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True,
                                       remove_comments=True, remove_pis=True)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    date: str = ""          # news:publication_date, else lastmod (ISO 8601 as given), else ""


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def links_from_sitemap(data: bytes, base: str = "") -> tuple[list[SitemapEntry], list[SitemapEntry]]:
    """(article entries, child sitemaps) of an XML sitemap, a sitemap index or a Google News sitemap.

    Gzipped sitemaps are accepted (bounded to 50 MB unpacked); entities are never resolved and nothing is
    fetched by the parser. Entries come newest first when they carry dates (publication date, else lastmod).
    """
    if data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = d.decompress(data, MAX_SITEMAP_BYTES)
        except (zlib.error, gzip.BadGzipFile):
            return [], []
    try:
        root = lxml.etree.fromstring(data.strip(), _SITEMAP_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return [], []
    if root is None:
        return [], []
    urls, children = [], []
    for node in root:
        kind = _local(node.tag)
        if kind not in ("url", "sitemap"):
            continue
        loc, lastmod, published = "", "", ""
        for el in node.iter():
            name = _local(el.tag)
            text = (el.text or "").strip()
            if name == "loc" and not loc:
                loc = text
            elif name == "lastmod":
                lastmod = text
            elif name == "publication_date":
                published = text
        if not loc:
            continue
        entry = SitemapEntry(urljoin(base, loc) if base else loc, published or lastmod)
        (urls if kind == "url" else children).append(entry)
    newest_first = lambda entries: sorted(entries, key=lambda e: e.date, reverse=True)  # noqa: E731
    # sorted() is stable: undated entries keep document order after the dated ones
    return newest_first(urls), newest_first(children)


# ----------------------------------------------------------------------------- discovery of one source
Fetch = Callable[[str, str], Awaitable[FetchedPage]]
"""(url, role) -> the page, role being 'feed', 'sitemap' or 'listing'. A page without an error is usable:
its body is the current content (for a 304, the stored copy's). The callback records failures."""
IsKnown = Callable[[list[str]], set[str]]
"""urls -> those among them not to fetch as new (stored already, or given up)."""


def canonical_matches(source: Source, urls: Iterable[str]) -> list[str]:
    """Canonical forms of ``urls`` that match the source's article pattern, ordered and de-duplicated."""
    out: dict[str, None] = {}
    for u in urls:
        try:
            c = canonical_url(u)
        except ValueError:
            continue
        if matches(source, c):
            out.setdefault(c)
    return list(out)


async def discover_urls(source: Source, fetch: Fetch, is_known: IsKnown) -> list[str]:
    """Article URLs of ``source``, canonical, de-duplicated, in the order found: its feeds, its sitemaps
    (an index followed to its MAX_SITEMAP_CHILDREN newest children), then its listing pages, each paged
    until a page holds nothing new (at most MAX_LISTING_PAGES)."""
    found: list[str] = []
    for feed in source.feeds:
        page = await fetch(feed, "feed")
        if page.error is None:
            found.extend(links_from_feed(page.body, page.final_url))
    for sitemap in source.sitemaps:
        found.extend(await _sitemap_links(sitemap, fetch))
    for list_url in source.list_urls:
        url: str | None = list_url
        seen_pages: set[str] = set()
        while url and len(seen_pages) < MAX_LISTING_PAGES and url not in seen_pages:
            seen_pages.add(url)
            page = await fetch(url, "listing")
            if page.error is not None:
                break
            links, nexts = links_from_html(page.body, page.final_url, page.content_type)
            articles = canonical_matches(source, links)
            found.extend(articles)
            if articles and not set(articles) - is_known(articles):
                break          # incremental: this page holds nothing new, older ones will not either
            url = nexts[0] if nexts else None
    return canonical_matches(source, found)


async def _sitemap_links(url: str, fetch: Fetch, depth: int = 0) -> list[str]:
    """Article URLs of a sitemap, newest first; a sitemap index is followed to its newest children."""
    page = await fetch(url, "sitemap")
    if page.error is not None:
        return []
    entries, children = links_from_sitemap(page.body, page.final_url)
    out = [e.url for e in entries]
    if depth == 0:
        for child in children[:MAX_SITEMAP_CHILDREN]:
            out.extend(await _sitemap_links(child.url, fetch, depth + 1))
    return out
