"""Whether a string can be asked for over HTTP: the one check of a server's or a page's address that the
command line, the settings file and the translator share. Standard library only (scrapers.util)."""
from __future__ import annotations

from urllib.parse import urlsplit


def web_address(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: what leaves the machine (an export, the web archive) names
    no other kind -- an ingested file's file:// address is a path of the newsroom's own disk, a dead link elsewhere."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be asked for as a web address (said after the URL), or None. A URL that cannot be
    requested at all was a 'translator unreachable' note every night, exit 0, all English pending."""
    try:
        parts = urlsplit(url)
        parts.port                              # raises on a port that is no number or out of range
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return "is not an http(s) address such as http://127.0.0.1:5000"
    return None
