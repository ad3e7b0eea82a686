"""Saved files → page URLs for 'newspipe ingest' (a directory stands for the pages in it)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from scrapers.errors import UserError

_CANON = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']([^"']+)["']""", re.I)
_OG = re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]+content=["']([^"']+)["']""", re.I)


FORMATS = ("auto", "html", "text")
SUFFIXES = {"html": (".html", ".htm"), "text": (".txt",), "auto": (".html", ".htm")}   # what a directory stands for
_TAG = re.compile(rb"<(?:!doctype|html|head|body|p|div|article|meta|title|span|table)\b", re.I)


def page_format(path: str, data: bytes, fmt: str = "auto") -> str:
    """How to read a file: ``fmt`` when it says (html or text); for auto, a .txt file is page text and a .html
    or .htm file a saved page, and a file named otherwise (or stdin) is a saved page when its start has HTML
    tags, else page text (a page text taken for HTML came out as one paragraph of everything)."""
    if fmt != "auto":
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix == ".txt":
        return "text"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    return "html" if _TAG.search(data[:20_000]) else "text"


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
