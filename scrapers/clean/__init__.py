"""HTML (or a page's copied text) → Article: clean body, metadata, captions, removals.

Two layers:
  1. DOM (dom.py, payload.py, fallback.py): the profile's body container for known CMSes; for a JavaScript
     app, the article its <script> ships as data; for an unknown layout, trafilatura's main content, else
     the element that holds the most paragraph text. Metadata from <meta>, JSON-LD and the profile
     (metadata.py).
  2. Blocks (classify.py, body.py): the container is flattened to lines, each line classified and scored;
     the article is the best-scoring run of lines, captions move to ``captions``, bylines and datelines
     leave the text for ``authors`` and ``dateline``, a publisher's own English goes to
     ``publisher_translation`` (publisher.py); every removal keeps its reason.

Page text (``clean_text``, pagetext.py) goes through the second layer alone.
"""
from __future__ import annotations

import re

import lxml.etree

from ..decode import decode_html, decode_page, looks_binary, may_hold_controls, nfc, without_controls
from ..profiles import AUTO, PROFILES, Profile, profile_for_url
from ..types import TEXT_TYPE, Article, Removed, is_page_text  # noqa: F401 (TEXT_TYPE: re-exported)
from .body import classify_lines
from .classify import classify, sentence_end, split_caption
from .lead import strip_byline_prefix
from .common import EMAIL, HANGUL, NAME, REPORTER_TITLES, dedupe, norm
from .dates import labelled_dates, parse_korean_date, pick_dates
from .dom import first, generic_container, lines_of, parse, text_of, xpath
from .fallback import MAX_TRAFILATURA_CHARS, NEVER_TEXT, text_size, trafilatura_lines, unbox_headings
from .metadata import jsonld, ld_authors, meta, metas, strip_site_suffix
from .pagetext import clean_text
from .payload import script_payload, strip_tags

__all__ = ["CLEANER_VERSION", "clean_page", "clean_html", "clean_text", "classify", "parse_korean_date", "split_caption",
           "strip_byline_prefix", "sentence_end", "REPORTER_TITLES"]

CLEANER_VERSION = "22"
MAX_HTML_CHARS = 5_000_000
MAX_BODY_CHARS = 200_000          # an article's text (see _bounded)




def clean_page(data: bytes, url: str = "", content_type: str | None = None, profile: str = "auto",
               outlet: str = "") -> Article:
    """A stored page, whichever form it has: HTML, or the page's text (content type text/plain)."""
    if is_page_text(content_type):
        art = clean_text(decode_html(data, content_type)[0], url)
        art.outlet = outlet or art.outlet
    else:
        art = clean_html(data, url, content_type, profile=profile, outlet=outlet)
    return _bounded(art)


def _bounded(art: Article) -> Article:
    """The article with its text cut at MAX_BODY_CHARS, in the paragraph that crosses it: at the last space
    (any kind) before the bound, or at the bound itself when the paragraph has none there. What is cut is
    noted as a removal (how many paragraphs and characters); the stored page still holds it. A page of
    megabytes of text (a hostile or broken one) would cost minutes of analysis and translation and gigabytes
    of memory; the longest news feature runs to some tens of thousands of characters."""
    total = 0
    for i, para in enumerate(art.body):
        if total + len(para) > MAX_BODY_CHARS:
            room = max(0, MAX_BODY_CHARS - total)
            spaces = [m.start() for m in _SPACE.finditer(para, max(0, room - 1_000), room + 1)]
            cut = spaces[-1] if spaces and spaces[-1] > 0 else room
            kept, rest = para[:cut].rstrip(), [para[cut:].lstrip()] + art.body[i + 1:]
            rest = [r for r in rest if r]
            art.removed.append(Removed(text=f"[{len(rest):,} paragraphs, {sum(map(len, rest)):,} characters]",
                                       reason=f"article text past {MAX_BODY_CHARS:,} characters"))
            art.body[i:] = [kept] if kept else []
            break
        total += len(para) + 1
    return art


_SPACE = re.compile(r"\s")


def clean_html(data: bytes | str, url: str = "", content_type: str | None = None, profile: str = "auto",
               outlet: str = "") -> Article:
    """Clean one page. Never raises on hostile HTML: a page with no article gives ``error``."""
    art = Article(url=url)
    if isinstance(data, bytes):
        text, _, raw = decode_page(data, content_type)
    else:
        text, raw = nfc(data), None
    if not text.strip():
        art.error = "empty page"
        return art
    prepared = _prepared(text, art, raw)
    if prepared is None:
        return art
    text, raw = prepared
    source = text if raw is None else raw
    try:
        doc = parse(source)
    except (lxml.etree.ParserError, ValueError) as exc:
        art.error = f"unparseable HTML: {exc}"
        return art
    try:
        prof = profile_for_url(url, profile)
    except ValueError as exc:
        art.error = str(exc)
        return art
    if prof is None and profile == AUTO:    # a page saved without its URL: its CMS by its body container
        prof = next((p for p in PROFILES.values() if p.may_mark(source) and first(doc, p.body[:1])), None)
    return _extract(doc, art, prof, outlet, source)


def _prepared(text: str, art: Article, raw: bytes | None = None) -> tuple[str, bytes | None] | None:
    """The page's text to parse: without the control characters no text holds, cut at MAX_HTML_CHARS (each noted
    in ``art.removed``), with its UTF-8 bytes, made once: a control character and a profile's mark are looked for
    in them, in C, and libxml2 parses them without converting a str first. The bytes are None when the text holds
    a lone surrogate (a str given by a caller; UTF-8 has no such character): the str itself is parsed then, as it
    always was. None when the text is binary data (``art.error`` says so). ``raw``: the text's UTF-8 bytes if known."""
    raw = _utf8(text) if raw is None else raw
    if may_hold_controls(text.encode("utf-8", "surrogatepass") if raw is None else raw):
        if looks_binary(text):
            art.error = "binary data, not an HTML page"
            return None
        text, controls = without_controls(text)     # as in page text: a NUL was U+FFFD in the body, BEL and DEL kept
        if controls:
            art.removed.append(Removed(text=f"[{controls:,} control characters]",
                                       reason="control characters no text holds (NUL, …)"))
            raw = _utf8(text)
    if len(text) > MAX_HTML_CHARS:
        art.removed.append(Removed(text=f"[{len(text) - MAX_HTML_CHARS} characters past the limit]",
                                   reason="page larger than 5,000,000 characters"))
        text = text[:MAX_HTML_CHARS]
        raw = _utf8(text)
    return text, raw


def _utf8(text: str) -> bytes | None:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _extract(doc, art: Article, prof: Profile | None, outlet: str, source: bytes | str) -> Article:
    """The article of the parsed page; ``source`` is what was parsed, parsed again where trafilatura, which was
    given the tree, has pruned it and it is needed once more (rarely)."""
    container = _profile_container(doc, prof)
    payload = script_payload(doc) if container is None else None
    if payload is not None:           # the page is an app: its article lives in a script, not in the HTML
        container = _payload_container(payload)
    tags, ld = metas(doc), jsonld(doc)
    _read_metadata(doc, art, prof, tags, ld, payload, outlet)
    authors = _authors(doc, prof, tags, ld)
    if not authors and prof is None and _may_hold_hangul(source):
        authors = _byline_authors(doc)
    heads = None        # the head's date lines, read before trafilatura is given the tree where they may be wanted
    if container is not None:
        lines = _container_lines(container, prof)
    else:
        doc = _unknown_layout_tree(doc)
        if prof is None and not art.published_at and _may_hold_hangul(source):
            heads = _head_lines(doc)
        lines, doc = _unknown_layout_lines(doc, source)
    if not lines:
        art.authors = dedupe(authors)
        art.error = "no article text found"
        return art
    # trafilatura's own output has no repeated furniture left to drop: a repeated line there is the text's
    classify_lines(art, lines, authors, drop_repeats=container is not None, mode="html")
    if not art.body:
        art.error = "no article text found"
    if prof is None and _wants_head_date(art):
        if heads is None:     # a Korean body whose source had no Hangul (character references): the tree anew
            heads = _head_lines(doc if doc is not None else _unknown_layout_tree(parse(source)))
        _date_from_head(art, heads)
    return art


def _may_hold_hangul(source: bytes | str) -> bool:
    """False when the page's source has no Hangul syllable written as such: no UTF-8 lead byte of U+A000-U+DFFF,
    looked for in C (one written as a character reference, &#44032;, is not seen: the tree is parsed again then)."""
    if isinstance(source, str):
        return True
    return any(lead in source for lead in (b"\xea", b"\xeb", b"\xec", b"\xed"))


def _profile_container(doc, prof: Profile | None):
    if prof is None:
        return None
    found = first(doc, prof.body)
    return found[0] if found else None


def _payload_container(payload: dict):
    # the deck goes first, as the server-rendered layouts of the same sites show it above the text
    deck = "".join(f"<p>{line}</p>" for line in re.split(r"<br\s*/?>", payload["subtitle"]) if line.strip())
    html_text = re.sub(r"\$\$[A-Z_]+\$\$", "", payload["html"])       # ad slot markers ($$ARTICLEAD$$)
    return parse("<html><body><div>" + deck + html_text + "</div></body></html>").find(".//body/div")


def _read_metadata(doc, art: Article, prof: Profile | None, tags: dict, ld: dict, payload: dict | None,
                   outlet: str) -> None:
    art.title = _title(doc, prof, tags, ld, payload)
    if prof is not None and prof.subtitle and payload is None:
        art.subtitle = text_of(next(iter(first(doc, prof.subtitle)), None))
    art.canonical_url = next((el.get("href") for el in xpath(doc, "//link[@rel='canonical']") if el.get("href")), "")
    art.section = meta(tags, "article:section")
    art.outlet = outlet or _outlet(tags)
    _dates(doc, art, prof, tags, ld, payload)


# A portal's copy (v.daum.net, n.news.naver.com) names the portal's own page in og:site_name ('언론사 뷰', Daum's
# "the outlet's view") and the outlet in og:article:author ('데일리안', '뉴스타파 | 네이버').
_PORTAL_SITE_NAMES = {"언론사 뷰", "다음뉴스", "다음 뉴스", "Daum", "네이버", "네이버뉴스", "네이버 뉴스", "NAVER"}
_PORTAL_SUFFIX = re.compile(r"\s*\|\s*(?:네이버|다음|NAVER|Daum)\s*$")


def _outlet(tags: dict) -> str:
    """The outlet the page names: og:site_name after a copyright mark ('s ⓒ 스포츠조선'), a portal's copy's
    og:article:author; '' when neither names one."""
    site = re.split(r"[©ⓒ]", meta(tags, "og:site_name"))[-1].strip()
    author = meta(tags, "og:article:author", "article:author")
    if (site in _PORTAL_SITE_NAMES or not site) and author and (site or _PORTAL_SUFFIX.search(author)) \
            and not re.search(REPORTER_TITLES, author):
        return _PORTAL_SUFFIX.sub("", author)
    return site


# the page's first <h1> that is no logo: outside the header and navigation, not a link home
_HEADLINE_H1 = ("(//body//h1[not(ancestor::header or ancestor::nav)][not(.//a[@href='/' or @href='./' or "
                "@href='index.html' or @href='index.php'])])[1]")


def _title(doc, prof: Profile | None, tags: dict, ld: dict, payload: dict | None) -> str:
    """The app's own title, else JSON-LD's headline, the profile's, og:title or <title> without the site."""
    if payload is not None and payload["title"]:
        return norm(strip_tags(payload["title"]))
    if isinstance(ld.get("headline"), str) and norm(ld["headline"]):
        return norm(ld["headline"])
    title = text_of(next(iter(first(doc, prof.title)), None)) if prof is not None else ""
    if title:
        return title
    og = meta(tags, "og:title", "twitter:title")
    if og:
        return strip_site_suffix(og)
    t = doc.find(".//title")
    if t is None:
        return ""
    whole = text_of(t)
    h1 = text_of(next(iter(xpath(doc, _HEADLINE_H1)), None))
    if 4 <= len(h1) <= 300 and h1 in whole and h1 != whole and h1 != meta(tags, "og:site_name"):
        return h1           # 'site - headline' or 'headline | section | site': the page's own headline says which
    return strip_site_suffix(whole)


def _dates(doc, art: Article, prof: Profile | None, tags: dict, ld: dict, payload: dict | None) -> None:
    art.published_at = parse_korean_date(str(ld.get("datePublished") or "")) or parse_korean_date(
        meta(tags, "article:published_time", "og:published_time", "pubdate", "datePublished", "og:regDate"))
    art.updated_at = parse_korean_date(str(ld.get("dateModified") or "")) or parse_korean_date(
        meta(tags, "article:modified_time", "article:modified", "og:updated_time", "dateModified"))
    if not art.published_at:          # Naver's article head: <span data-date-time="2023-11-02 20:06:13">
        stamp = next((el.get("data-date-time") for el in xpath(doc, "//*[@data-date-time][1]")), None)
        art.published_at = parse_korean_date(stamp or "")
    if payload is not None:
        art.published_at = art.published_at or parse_korean_date(payload["published"])
        art.updated_at = art.updated_at or parse_korean_date(payload["updated"])
    if not art.published_at and prof is not None and prof.dates:
        art.published_at, upd = pick_dates([text_of(el) for el in first(doc, prof.dates)])
        art.updated_at = art.updated_at or upd


def _head_date(doc, art: Article) -> None:
    """An unseen outlet's Korean article with no date anywhere else: its head's labelled date line (round 12).
    Only for a body with Hangul: the walk over the page's text nodes (~0.8 ms) is not spent on other pages."""
    if _wants_head_date(art):
        _date_from_head(art, _head_lines(doc))


def _head_lines(doc) -> list[list[str]]:
    """The head's date lines (_date_lines) by the block holding them, in page order."""
    blocks: dict[object, list[str]] = {}
    for el in _date_lines(doc):
        blocks.setdefault(el.getparent(), []).append(text_of(el))
    return list(blocks.values())


def _date_from_head(art: Article, blocks: list[list[str]]) -> None:
    days = {p[:10] for p in (labelled_dates(block)[0] for block in blocks) if p}
    if len(days) > 1:     # two blocks label different days as published: a list's, not (only) the page's
        return            # (one block's 승인 and 등록 of two days are the page's own: its first counts)
    art.published_at, upd = labelled_dates([line for block in blocks for line in block])
    art.updated_at = art.updated_at or upd


def _wants_head_date(art: Article) -> bool:
    return not art.published_at and bool(HANGUL.search(art.body_text))


# text nodes with a date label and a four-digit year, outside scripts: the candidates for a head's date line
_DATE_TEXT = ("//body//text()[contains(., '20') or contains(., '19')][contains(., '입력') or contains(., '등록')"
              " or contains(., '작성') or contains(., '송고') or contains(., '게재') or contains(., '발행')"
              " or contains(., '승인')][not(ancestor::script) and not(ancestor::style)]")
_MAX_DATE_LINES = 40          # a head has a handful; a page of thousands of labelled dates is no head


def _date_lines(doc) -> list:
    """The elements holding a head's date candidates, not in a link nor in a list item that holds one (a
    'latest news' list's '입력 2019-01-01' is another article's). Checked in Python over the first few only: as
    XPath predicates on every text node (ancestor::li[.//a]) they took 36 s on a 600 KB page of list items."""
    candidates = xpath(doc, _DATE_TEXT)[:_MAX_DATE_LINES]
    if not candidates:                         # most pages: no walk over their links
        return []
    linked: set = set()                        # list items holding a link, each marked once
    for a in doc.iter("a"):
        for anc in a.iterancestors("li"):
            if anc in linked:
                break
            linked.add(anc)
    out = []
    for node in candidates:
        owner = node.getparent()
        el = owner.getparent() if getattr(node, "is_tail", False) else owner
        if el is None or any(anc.tag == "a" or anc in linked for anc in (el, *el.iterancestors())):
            continue
        out.append(owner)
    return out


def _authors(doc, prof: Profile | None, tags: dict, ld: dict) -> list[str]:
    authors = ld_authors(ld)
    if not authors:
        for value in (meta(tags, "dable:author"), *[el.get("content", "") for el in xpath(doc, "//meta[@name='author']")]):
            m = re.match(r"^\s*(?:[가-힣,·\s]{0,20}?\s)?(" + NAME + r")\s*" + REPORTER_TITLES + r"\s*$",
                         EMAIL.sub("", value).strip())
            if m:
                authors.append(m.group(1))
    if not authors and prof is not None:
        for el in first(doc, prof.byline):
            m = re.search(r"(" + NAME + r")\s*" + REPORTER_TITLES, text_of(el))
            if m:
                authors.append(m.group(1))
    return authors


# an unknown layout's byline box, by the names layouts give it (class or id), outside links and lists of articles
_LOWER_CLASS_ID = "translate(concat(@class, ' ', @id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_BYLINE_BOX = ("//body//*[not(self::a or self::li or self::ul or self::ol or ancestor::a or ancestor::li)]"
               "[not(.//li or .//a[not(starts-with(@href, 'mailto:'))])]"
               "[" + " or ".join(f"contains({_LOWER_CLASS_ID}, '{w}')" for w in ("byline", "author", "writer", "reporter"))
               + "]")
_BYLINE_NAME = re.compile(r"(?<![가-힣])(" + NAME + r")\s*" + REPORTER_TITLES)


def _byline_authors(doc) -> list[str]:
    """The reporter an unknown layout's byline box names (`<div class="byline">홍길동 기자 hong@…</div>`): the
    first such box of at most 120 characters that names one, when nothing else (JSON-LD, meta tags) did."""
    for el in xpath(doc, _BYLINE_BOX)[:20]:
        text = text_of(el)
        if len(text) > 120:
            continue
        names = [m.group(1) for m in _BYLINE_NAME.finditer(text)]
        if names:
            return names[:8]
    return []


def _container_lines(container, prof: Profile | None) -> list[tuple[str, bool]]:
    if prof is not None:
        for xp in prof.drop:
            for el in xpath(container, xp):
                if el.getparent() is not None:
                    el.drop_tree()
    return lines_of(container)


def _unknown_layout_lines(doc, source: bytes | str) -> tuple[list[tuple[str, bool]], object]:
    """trafilatura's main content of the tree _unknown_layout_tree made (the metadata is read by now); a huge page,
    or one it finds nothing in, goes to our own container guess, which is linear (trafilatura takes ~9 s on 5 MB).
    With the lines, the tree they were read from, or None when trafilatura was given it (pruned and cleaned in
    place, no copy made; ``source``, what was parsed, makes it anew where it is needed again)."""
    if text_size(doc) > MAX_TRAFILATURA_CHARS:
        lines = []
    else:
        lines = trafilatura_lines(doc, again=lambda: _unknown_layout_tree(parse(source)))
        if lines:
            return lines, None
        doc = _unknown_layout_tree(parse(source))
    body_el = doc.find("body")
    container = generic_container(body_el if body_el is not None else doc)
    return (lines_of(container) if container is not None else []), doc


def _unknown_layout_tree(doc):
    """The tree of an unknown layout as trafilatura is given it: no element that never holds text, no heading that
    is a layout box."""
    lxml.etree.strip_elements(doc, *NEVER_TEXT, with_tail=False)
    unbox_headings(doc)
    return doc
