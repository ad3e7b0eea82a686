"""Saved files → page URLs for 'newspipe ingest' (a directory stands for the pages in it)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from scrapers.discover import canonical_url
from scrapers.errors import UserError

_CANON = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']([^"']+)["']""", re.I)
_OG = re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]+content=["']([^"']+)["']""", re.I)


FORMATS = ("auto", "html", "text")
SUFFIXES = {"html": (".html", ".htm"), "text": (".txt",), "auto": (".html", ".htm")}   # what a directory stands for
_TAG = re.compile(rb"<(?:!doctype|html|head|body|p|div|article|section|main|header|meta|link|title|script|style|"
                  rb"span|table|br|a|b|img|ul|ol|li|h[1-6])\b", re.I)
_STARTS_WITH_TAG = re.compile(rb"(?:\xef\xbb\xbf)?\s*<")


def _ascii_head(head: bytes) -> bytes:
    """``head`` for the byte patterns here: a UTF-16 page's (NUL bytes in it) as UTF-8."""
    if b"\x00" not in head:
        return head
    from scrapers.decode import decode_html
    return decode_html(head)[0].encode("utf-8")


def page_format(path: str, data: bytes, fmt: str = "auto") -> str:
    """How to read a file: ``fmt`` when it says (html or text); for auto, by its name and its start: a .html
    or .htm file is a saved page unless no HTML tag starts it (page text saved under that name), a .txt file
    is page text unless it starts with an HTML tag (a page's source saved as text), and a file named otherwise
    (or stdin) is a saved page when its start has HTML tags. Read the wrong way, page text came out as one
    paragraph of everything, a page's source as lines of tags."""
    if fmt != "auto":
        return fmt
    suffix, head = Path(path).suffix.lower(), _ascii_head(data[:20_000])
    if b"\x00" in head:                  # binary (UTF-16 is UTF-8 now): what its name says
        return "html" if suffix in (".html", ".htm") else "text"
    tagged = _TAG.search(head) is not None
    if suffix == ".txt":
        return "html" if tagged and _STARTS_WITH_TAG.match(head) else "text"
    return "html" if tagged else "text"


def web_url(url: str) -> str:
    """A page's address as a run stores a crawled one (scrapers.discover.canonical_url: tracking parameters
    out, the query sorted), so ingesting it with ?utm_source=… is the same article, not a second row."""
    try:
        return canonical_url(url)
    except ValueError:
        return url


def page_url(data: bytes, path: Path) -> str:
    """The page's own canonical URL (link rel=canonical, then og:url), else the file's URL."""
    head = _ascii_head(data[:200_000])
    m = _CANON.search(head)
    if m:
        h = _HREF.search(m.group(0))
        if h and h.group(1).startswith((b"http://", b"https://")):
            return web_url(h.group(1).decode("utf-8", "replace").strip())
    m = _OG.search(head)
    if m and m.group(1).startswith((b"http://", b"https://")):
        return web_url(m.group(1).decode("utf-8", "replace").strip())
    return path.resolve().as_uri()


def page_files(paths: Iterable[str], suffixes: tuple[str, ...] = (".html", ".htm")) -> list[str]:
    """The files to ingest: each file as given, each directory as its files with one of ``suffixes`` (the .html
    and .htm files by default) directly in it."""
    files: list[str] = []
    for p in map(Path, paths):
        if not p.is_dir():
            files.append(str(p))
            continue
        pages = sorted(str(f) for f in p.iterdir() if f.suffix.lower() in suffixes and f.is_file())
        if not pages:
            kinds = " or ".join(suffixes)
            raise UserError(f"{p} is a directory with no {kinds} file in it: give the saved pages "
                            f"themselves (e.g. {p}/*{suffixes[0]}, or a directory that holds them)")
        files.extend(pages)
    return files
