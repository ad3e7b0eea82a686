"""Unknown layouts: trafilatura's main content (comments off, no fallback extractors), as lines."""
from __future__ import annotations

from .common import norm

MAX_TRAFILATURA_CHARS = 1_500_000
# trafilatura deletes these anyway (its tree cleaning), but only after running its pruning XPaths over
# them on two copies of the tree; gone first, the same extraction takes ~10% less time
NEVER_TEXT = ("head", "script", "style", "svg", "link", "meta")


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BOX = ".//*[self::div or self::p or self::table or self::ul or self::ol or self::section or self::article" \
       " or self::figure or self::blockquote or self::br[following-sibling::br]]"


def unbox_headings(doc) -> int:
    """A heading that holds blocks and more text than any headline is a layout box, not a heading: a mobile
    layout wraps the byline, photo and text in one <h4> (m.daejonilbo.com), and trafilatura prints a heading
    as one line, so the whole article became one paragraph with the byline and date at its head. Such a
    heading becomes a div; how many did."""
    boxes = [el for el in doc.iter(*_HEADINGS) if len(el.text_content()) > 120 and el.xpath(_BOX)]
    for el in boxes:
        el.tag = "div"
    return len(boxes)


def text_size(doc) -> int:
    """Characters of text in the document, counted in C."""
    return int(doc.xpath("string-length(.)"))


def trafilatura_lines(doc) -> list[tuple[str, bool]]:
    """Main content of an unknown layout by trafilatura (comments off, no fallback extractors), as lines.

    trafilatura prunes the tree it is given: call it last."""
    try:
        import trafilatura
    except ImportError:          # an installation without it falls back to our own container guess
        return []
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            text = trafilatura.extract(doc, include_comments=False, fast=True, favor_recall=True) or ""
        except Exception:        # trafilatura on hostile input: our own guess takes over
            return []
    return [(line, False) for line in (norm(x) for x in text.splitlines()) if line]

