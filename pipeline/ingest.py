"""Saved files → page URLs for 'newspipe ingest'."""
from __future__ import annotations

import re
from pathlib import Path

_CANON = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']([^"']+)["']""", re.I)
_OG = re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]+content=["']([^"']+)["']""", re.I)


def page_url(data: bytes, path: Path) -> str:
    """The page's own canonical URL (link rel=canonical, then og:url), else the file's URL."""
    head = data[:200_000]
    m = _CANON.search(head)
    if m:
        h = _HREF.search(m.group(0))
        if h and h.group(1).startswith((b"http://", b"https://")):
            return h.group(1).decode("utf-8", "replace").strip()
    m = _OG.search(head)
    if m and m.group(1).startswith((b"http://", b"https://")):
        return m.group(1).decode("utf-8", "replace").strip()
    return path.resolve().as_uri()
