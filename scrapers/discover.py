"""Finding article URLs: RSS/Atom feeds (feedparser), section listing pages, XML sitemaps.

URLs are canonicalised (tracking parameters and fragments out, ndsoft's idxno kept as
the only parameter) so one article has one URL, whatever link pointed at it.
"""
from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.etree
import lxml.html

from .decode import decode_html
from .types import Source

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|referer|from|nclick|n_media|n_query|n_rank|n_ad_group|"
                       r"n_ad|n_keyword_id|n_keyword|n_campaign_type|sc_\w+|mc_\w+|igshid|_ga)$", re.I)
# Parameters that identify an article in known CMSes; when present, only they are kept.
_ID_PARAMS = {"idxno", "uid", "idx", "no", "seq", "aid", "oid", "newsid", "article_id", "news_id", "seq_code",
              "arcid", "sid", "code"}


def canonical_url(url: str, base: str = "") -> str:
    url = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not ((scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    ids = [(k, v) for k, v in query if k.lower() in _ID_PARAMS]
    if ids and re.search(r"articleView\.html|sub_read\.html|news_view\.html", parts.path):
        query = ids
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


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
    """(article-ish links, 'next page' links) of a listing page, absolute, in page order."""
    text, _ = decode_html(data, content_type)
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return [], []
    links, nexts = [], []
    for a in doc.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        absolute = urljoin(base, href)
        links.append(absolute)
        label = " ".join(a.text_content().split())
        if a.get("rel") == "next" or label in ("다음", "다음 페이지", "다음페이지", "next", "Next", ">", "›", "»"):
            nexts.append(absolute)
    for link in doc.xpath("//link[@rel='next']/@href"):
        nexts.append(urljoin(base, link))
    return links, nexts


def matches(source: Source, url: str) -> bool:
    if not source.article_pattern:
        return True
    return re.search(source.article_pattern, url) is not None


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
