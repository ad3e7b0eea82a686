"""Loading and validating sources.toml."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .errors import UserError
from .profiles import profile_names
from .types import Source

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")


class ConfigError(UserError):
    """A bad configuration file: the message names the file, line and field."""


_FIELDS = {
    "id": str, "name": str, "outlet": str, "region": str, "feeds": list, "list_urls": list,
    "article_pattern": str, "profile": str, "max_articles": int, "enabled": bool, "crawl_delay": (int, float),
    "homepage": str, "note": str, "cms": str, "confirmed_from": str, "sitemaps": list,
}
_REQUIRED = ("id", "name", "outlet")


def _line_of(text: str, index: int, key: str | None) -> int:
    """1-based line of the ``index``-th [[sources]] table, or of ``key`` inside it."""
    headers = [m.start() for m in re.finditer(r"^\s*\[\[\s*sources\s*\]\]", text, re.M)]
    if index >= len(headers):
        return 1
    start = headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else len(text)
    line = text.count("\n", 0, start) + 1
    if key:
        m = re.search(rf"^\s*{re.escape(key)}\s*=", text[start:end], re.M)
        if m:
            line = text.count("\n", 0, start + m.start()) + 1
    return line


def load_sources(path: str | Path | None = None) -> list[Source]:
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        text = path.read_text(encoding="utf-8-sig")     # a byte-order mark (Notepad's) is no text
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    items = data.get("sources")
    if not isinstance(items, list):
        raise ConfigError(f"{path}:1: no [[sources]] tables")
    out: list[Source] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        def bad(key, msg):
            return ConfigError(f"{path}:{_line_of(text, i, key)}: source #{i + 1} field '{key}': {msg}")
        _check_fields(item, bad)
        sid = item["id"]
        if sid in seen:
            raise bad("id", f"duplicate id {sid!r} (first at source #{seen[sid] + 1})")
        seen[sid] = i
        _check_values(item, bad)
        delay = item.get("crawl_delay")
        out.append(Source(
            id=sid, name=item["name"], outlet=item["outlet"], region=item.get("region", ""),
            feeds=tuple(item.get("feeds", [])), list_urls=tuple(item.get("list_urls", [])),
            article_pattern=item.get("article_pattern", ""), profile=item.get("profile", "auto"),
            max_articles=item.get("max_articles", 50),
            enabled=item.get("enabled", True), crawl_delay=float(delay) if delay is not None else None,
            homepage=item.get("homepage", ""), note=item.get("note", ""),
            sitemaps=tuple(item.get("sitemaps", [])), cms=item.get("cms", ""),
            confirmed_from=item.get("confirmed_from", "")))
    return out


def _check_fields(item: dict, bad) -> None:
    """Known fields of the right types, the required ones present, an id of the allowed characters."""
    for key, value in item.items():
        if key not in _FIELDS:
            raise bad(key, "unknown field (known: " + ", ".join(sorted(_FIELDS)) + ")")
        want = _FIELDS[key]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise bad(key, f"expected {getattr(want, '__name__', 'a number')}, got {type(value).__name__}")
    for key in _REQUIRED:
        if not str(item.get(key, "")).strip():
            raise bad(key, "missing")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", item["id"]):
        raise bad("id", f"{item['id']!r} must be lower-case letters, digits, '.', '_' or '-'")


def _check_values(item: dict, bad) -> None:
    """http(s) URLs, a pattern that compiles, a known profile, no negative count, a delay of at most a day."""
    urls = [(key, url) for key in ("feeds", "list_urls", "sitemaps") for url in item.get(key, [])]
    for key, url in urls + ([("homepage", item["homepage"])] if item.get("homepage") else []):
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
            raise bad(key, f"{url!r} is not an http(s) URL")
    try:
        re.compile(item.get("article_pattern", ""))
    except re.error as exc:
        raise bad("article_pattern", f"bad regular expression: {exc}") from None
    profile = item.get("profile", "auto")
    if profile not in profile_names():
        raise bad("profile", f"unknown profile {profile!r} (known: {', '.join(profile_names())})")
    if item.get("max_articles", 50) < 0:
        raise bad("max_articles", "must be 0 or more")
    delay = item.get("crawl_delay")
    if delay is not None and not 0 <= delay <= 86_400:
        raise bad("crawl_delay", "must be between 0 and 86,400 seconds (a day)")
