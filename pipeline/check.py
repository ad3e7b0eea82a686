"""'newspipe sources check': reachability, robots.txt verdict, feeds, sitemaps and listings per source.

For feeds, sitemaps and the first listing page it reports how many links match the source's
article_pattern: zero means the URL scheme in sources.toml no longer fits the site."""
from __future__ import annotations

import asyncio

from scrapers import discover
from scrapers.fetch import Fetcher, FetchSettings
from scrapers.types import FetchKind

_NO_ANSWER = (FetchKind.CONNECT, FetchKind.TIMEOUT)      # the host gave no answer at all


def check_sources(sources, user_agent: str, echo) -> bool:
    return asyncio.run(_check(sources, user_agent, echo))


async def _check(sources, user_agent, echo) -> bool:
    settings = FetchSettings(user_agent=user_agent, delay=0.2, retries=0, connect_timeout=5, read_timeout=10,
                             total_timeout=15)
    all_ok = True
    offline_seen = 0
    async with Fetcher(settings) as fetcher:
        for n, s in enumerate(sources, 1):
            ok, answered = await _check_source(fetcher, s, echo)
            all_ok = all_ok and ok
            offline_seen += not answered
            if offline_seen >= 3 and offline_seen == n:
                echo("offline: no source could be reached; this machine seems to have no internet")
                return False
    return all_ok


async def _check_source(fetcher: Fetcher, s, echo) -> tuple[bool, bool]:
    """One source's line: (whether it passed, whether its host answered at all)."""
    target = s.homepage or (s.list_urls[0] if s.list_urls else (s.feeds[0] if s.feeds else ""))
    if not target:
        echo(f"{s.id}: no homepage, list or feed URL to check")
        return False, True
    page = await fetcher.fetch(target, any_content_type=True)
    if page.error is not None and page.error.kind in _NO_ANSWER:
        echo(f"{s.id}: unreachable ({str(page.error)[:100]})")
        return False, False
    allowed = await fetcher.allowed(target)
    line = f"{s.id}: HTTP {page.status} robots {'allows' if allowed else 'DISALLOWS'} {target}"
    parts = [await _feed(fetcher, s, feed) for feed in s.feeds]
    parts += [await _sitemap(fetcher, s, sitemap) for sitemap in s.sitemaps]
    listing_ok = True
    for list_url in s.list_urls[:1]:
        part, listing_ok = await _listing(fetcher, s, list_url)
        parts.append(part)
    if parts:
        line += "  " + "; ".join(parts)
    echo(line)
    return listing_ok and page.ok and allowed, True


async def _feed(fetcher: Fetcher, s, url: str) -> str:
    fp = await fetcher.fetch(url, any_content_type=True)
    links = [u for u in discover.links_from_feed(fp.body, fp.final_url) if discover.matches(s, u)] if fp.ok else []
    return f"feed {'ok' if fp.ok else fp.error}, {len(links)} article links"


async def _sitemap(fetcher: Fetcher, s, url: str) -> str:
    sp = await fetcher.fetch(url, any_content_type=True)
    entries, children = discover.links_from_sitemap(sp.body, sp.final_url) if sp.ok else ([], [])
    n = len([e for e in entries if discover.matches(s, e.url)])
    return f"sitemap {'ok' if sp.ok else sp.error}, {n} article links, {len(children)} children"


async def _listing(fetcher: Fetcher, s, url: str) -> tuple[str, bool]:
    lp = await fetcher.fetch(url)
    links = [u for u in discover.links_from_html(lp.body, lp.final_url, lp.content_type)[0]
             if discover.matches(s, u)] if lp.ok else []
    return f"listing {'ok' if lp.ok else lp.error}, {len(set(links))} article links", bool(links)
