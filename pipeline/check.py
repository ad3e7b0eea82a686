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
        for s in sources:
            target = s.homepage or (s.list_urls[0] if s.list_urls else (s.feeds[0] if s.feeds else ""))
            if not target:
                echo(f"{s.id}: no homepage, list or feed URL to check")
                all_ok = False
                continue
            page = await fetcher.fetch(target, any_content_type=True)
            if page.error is not None and page.error.kind in _NO_ANSWER:
                offline_seen += 1
                echo(f"{s.id}: unreachable ({str(page.error)[:100]})")
                all_ok = False
                if offline_seen >= 3 and offline_seen == sources.index(s) + 1:
                    echo("offline: no source could be reached; this machine seems to have no internet")
                    return False
                continue
            allowed = await fetcher.allowed(target)
            line = f"{s.id}: HTTP {page.status} robots {'allows' if allowed else 'DISALLOWS'} {target}"
            parts = []
            for feed in s.feeds:
                fp = await fetcher.fetch(feed, any_content_type=True)
                links = [u for u in discover.links_from_feed(fp.body, fp.final_url) if discover.matches(s, u)] \
                    if fp.ok else []
                parts.append(f"feed {'ok' if fp.ok else fp.error}, {len(links)} article links")
            for sitemap in s.sitemaps:
                sp = await fetcher.fetch(sitemap, any_content_type=True)
                entries, children = discover.links_from_sitemap(sp.body, sp.final_url) if sp.ok else ([], [])
                n = len([e for e in entries if discover.matches(s, e.url)])
                parts.append(f"sitemap {'ok' if sp.ok else sp.error}, {n} article links, {len(children)} children")
            for list_url in s.list_urls[:1]:
                lp = await fetcher.fetch(list_url)
                links = [u for u in discover.links_from_html(lp.body, lp.final_url, lp.content_type)[0]
                         if discover.matches(s, u)] if lp.ok else []
                parts.append(f"listing {'ok' if lp.ok else lp.error}, {len(set(links))} article links")
                all_ok = all_ok and bool(links)
            if parts:
                line += "  " + "; ".join(parts)
            echo(line)
            all_ok = all_ok and page.ok and allowed
    return all_ok
