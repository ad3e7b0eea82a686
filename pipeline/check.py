"""'newspipe sources check': reachability, robots.txt verdict and feeds per source."""
from __future__ import annotations

import asyncio

import feedparser

from scrapers.fetch import Fetcher, FetchSettings


def check_sources(sources, user_agent: str, echo) -> bool:
    return asyncio.run(_check(sources, user_agent, echo))


async def _check(sources, user_agent, echo) -> bool:
    settings = FetchSettings(user_agent=user_agent, delay=0.2, retries=0, connect_timeout=5, read_timeout=10,
                             total_timeout=15)
    all_ok = True
    offline_seen = 0
    async with Fetcher(settings) as fetcher:
        for s in sources:
            target = s.homepage or (s.list_urls[0] if s.list_urls else (s.feeds[0] if s.feeds else ""))
            if not target:
                echo(f"{s.id}: no homepage, list or feed URL to check")
                all_ok = False
                continue
            page = await fetcher.fetch(target, accept_any=True)
            if page.error and ("connection error" in page.error or "timeout" in page.error):
                offline_seen += 1
                echo(f"{s.id}: unreachable ({page.error[:100]})")
                all_ok = False
                if offline_seen >= 3 and offline_seen == sources.index(s) + 1:
                    echo("offline: no source could be reached; this machine seems to have no internet")
                    return False
                continue
            allowed = await fetcher.allowed(target)
            line = f"{s.id}: HTTP {page.status} robots {'allows' if allowed else 'DISALLOWS'} {target}"
            feeds = []
            for feed in s.feeds:
                fp = await fetcher.fetch(feed, accept_any=True)
                n = len(feedparser.parse(fp.body).entries) if fp.ok else 0
                feeds.append(f"{'ok' if fp.ok else fp.error} ({n} entries)")
            if feeds:
                line += "  feeds: " + "; ".join(feeds)
            echo(line)
            all_ok = all_ok and page.ok and allowed
    return all_ok
