"""The DOM layer: parsing, flattening an element into text lines (captions marked), the generic container guess.

lxml.html is used directly (not BeautifulSoup) for speed: ~1 ms per 80 KB page instead of ~10 ms, and it
keeps the page's own text exactly."""
from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .common import HANGUL, norm

MAX_DEPTH = 400

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "table", "tr", "td", "th", "tbody", "section", "article",
               "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "header", "footer",
               "aside", "nav", "dl", "dt", "dd", "pre", "hr", "form", "center", "main"}
_SKIP_TAGS = {"script", "style", "noscript", "iframe", "button", "select", "option", "textarea", "input",
              "svg", "canvas", "video", "audio", "object", "embed", "template", "head", "title", "form",
              "nav", "aside", "footer"}


_XPATHS: dict[str, lxml.etree.XPath | None] = {}


def xpath(el, xp: str) -> list:
    """``el.xpath(xp)`` with the expression compiled once a process (the profiles' few dozen expressions run on
    every page: compiling them again each time cost more than evaluating them); raises XPathError as it does."""
    try:
        compiled = _XPATHS[xp]
    except KeyError:
        try:
            compiled = _XPATHS[xp] = lxml.etree.XPath(xp)
        except lxml.etree.XPathError:
            _XPATHS[xp] = None
            raise
    if compiled is None:
        raise lxml.etree.XPathSyntaxError(f"invalid expression {xp!r}")
    return compiled(el)


def first(doc, xpaths) -> list:
    for xp in xpaths:
        try:
            found = xpath(doc, xp)
        except lxml.etree.XPathError:
            continue
        if found:
            return found
    return []


def text_of(el) -> str:
    return norm(el.text_content()) if el is not None else ""


_CAPTION_CLASS = re.compile(r"(?:^|[\s_-])(?:caption|figcaption|img[-_]?(?:txt|desc|cap)|photo[-_]?(?:txt|desc|cap|caption)"
                            r"|thumb[-_]?(?:txt|cap)|txt[-_]?caption|pic[-_]?(?:txt|cap))(?:$|[\s_-])", re.I)


def _is_caption_el(el) -> bool:
    """A <figcaption>, or an element whose class names it a photo caption (div.caption, p.img-txt …)."""
    return el.tag == "figcaption" or bool(_CAPTION_CLASS.search(el.get("class") or ""))


def lines_of(container, depth_limit: int = MAX_DEPTH) -> list[tuple[str, bool]]:
    """Flatten ``container`` into text lines; each line carries whether it came from a photo caption."""
    lines: list[tuple[str, bool]] = []
    buf: list[str] = []
    in_caption = [0]

    def flush():
        text = norm("".join(buf))
        buf.clear()
        if text:
            lines.append((text, in_caption[0] > 0))

    stack = [(container, 0, False)]
    # iterative walk: (element, depth, closing?)
    while stack:
        el, depth, closing = stack.pop()
        if closing:
            if _is_caption_el(el):
                flush()
                in_caption[0] -= 1
            elif el.tag in _BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # comment or processing instruction
            if el.tail:
                buf.append(el.tail)
            continue
        tag = tag.lower()
        if tag in _SKIP_TAGS or depth > depth_limit or _hidden(el):
            if el.tail:
                buf.append(el.tail)
            continue
        if tag == "br":
            flush()
            if el.tail:
                buf.append(el.tail)
            continue
        if tag in _BLOCK_TAGS:
            flush()
        if _is_caption_el(el):
            in_caption[0] += 1
        if el.text:
            buf.append(el.text)
        stack.append((el, depth, True))
        for child in reversed(el):
            stack.append((child, depth + 1, False))
    flush()
    return lines


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None or el.get("aria-hidden") == "true"


def generic_container(doc):
    """The element whose own paragraphs hold the most non-link text."""
    scores: dict = {}
    for p in doc.iter("p", "br", "div", "td"):
        parent = p.getparent() if p.tag in ("p", "br") else p
        if parent is None:
            continue
        if p.tag in ("div", "td"):
            own = norm((p.text or "") + "".join((c.tail or "") for c in p))
            if len(own) < 20:
                continue
            text = own
        else:
            text = norm(p.text_content() if p.tag == "p" else (p.tail or ""))
        if len(text) < 10:
            continue
        score = len(text) * (1.5 if HANGUL.search(text) else 1.0)
        scores[parent] = scores.get(parent, 0.0) + score
        gp = parent.getparent()
        if gp is not None:
            scores[gp] = scores.get(gp, 0.0) + score / 2
    best, best_score = None, 0.0
    for el, score in scores.items():
        total = len(el.text_content()) or 1
        link = sum(len(a.text_content()) for a in el.iter("a"))
        adjusted = score * (1 - min(link / total, 1.0))
        if adjusted > best_score:
            best, best_score = el, adjusted
    return best


def parse(text: str | bytes):
    """The document of ``text``, or of its UTF-8 bytes: libxml2 reads UTF-8 as it is, a str it converts first
    (~10% of the parse)."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False, recover=True,
                                  encoding="utf-8" if isinstance(text, bytes) else None)
    # every element an HtmlElement, chosen in C: lxml.html's default lookup is a Python call per element
    # proxy (form and input classes we never use) and cost ~10% of a trafilatura extraction
    parser.set_element_class_lookup(_FAST_LOOKUP)
    return lxml.html.document_fromstring(text, parser=parser)


_FAST_LOOKUP = lxml.etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
                                                    pi=lxml.html.HtmlProcessingInstruction,
                                                    entity=lxml.html.HtmlEntity)
