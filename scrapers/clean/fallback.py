"""Unknown layouts: trafilatura's main content (comments off, no fallback extractors), as lines."""
from __future__ import annotations

from .common import norm

MAX_TRAFILATURA_CHARS = 1_500_000
# trafilatura deletes these anyway (its tree cleaning), but only after running its pruning XPaths over
# them on two copies of the tree; gone first, the same extraction takes ~10% less time
NEVER_TEXT = ("head", "script", "style", "svg", "link", "meta")


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

