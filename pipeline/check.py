"""'newspipe sources check': reachability, robots.txt verdict, feeds, sitemaps and listings per source.
Links are counted as a run finds them (scrapers.discover.canonical_matches: tracking parameters gone).

For feeds, sitemaps and the first listing page it reports how many links match the source's
article_pattern: zero means the URL scheme in sources.toml no longer fits the site."""
from __future__ import annotations

import re

from scrapers import discover
from scrapers.fetch import Fetcher, FetchSettings
from scrapers.types import FetchKind

from . import aio

_NO_ANSWER = (FetchKind.CONNECT, FetchKind.TIMEOUT)      # the host gave no answer at all


def check_sources(sources, user_agent: str, echo, skip_disabled: bool = True, max_crawl_delay: float = 60.0,
                  obey_robots: bool = True) -> bool:
    """One line per source, then which failed; False when one did. A disabled source is named and skipped
    unless ``skip_disabled`` is False (the user named it). The settings a run would fetch with (max_crawl_delay,
    obey_robots; each source's crawl_delay) decide as they would in a run."""
    settings = FetchSettings(user_agent=user_agent, delay=0.2, retries=0, connect_timeout=5, read_timeout=10,
                             total_timeout=15, max_crawl_delay=max_crawl_delay, obey_robots=obey_robots)
    return aio.run(_check(sources, settings, echo, skip_disabled))


async def _check(sources, settings: FetchSettings, echo, skip_disabled) -> bool:
    failed: list[str] = []
    offline_seen = checked = 0
    async with Fetcher(settings) as fetcher:
        for s in sources:
            if not s.enabled and skip_disabled:
                echo(f"{s.id}: disabled, not checked{f' ({s.note})' if s.note else ''}")
                continue
            checked += 1
            problems, answered = await _check_source(fetcher, s, echo)
            if problems:
                failed.append(s.id)
            offline_seen += not answered
            if offline_seen >= 3 and offline_seen == checked:
                echo("offline: no source could be reached; this machine seems to have no internet")
                return False
    if failed:
        echo(f"{len(failed)} of {checked} sources failed: {', '.join(failed)}")
    return not failed


async def _check_source(fetcher: Fetcher, s, echo) -> tuple[list[str], bool]:
    """One source's line, ending with what failed: (the problems, whether its host answered at all)."""
    mark = "" if s.enabled else " (disabled)"
    target = s.homepage or (s.list_urls[0] if s.list_urls else (s.feeds[0] if s.feeds else ""))
    if not target:
        echo(f"{s.id}{mark}: FAILED: no homepage, list or feed URL to check")
        return ["no URL"], True
    page = await fetcher.fetch(target, any_content_type=True, crawl_delay=s.crawl_delay)
    if page.error is not None and page.error.kind == FetchKind.CRAWL_DELAY:
        echo(f"{s.id}{mark}: FAILED: {page.error}")
        return ["crawl delay"], True
    if page.error is not None and page.error.kind in _NO_ANSWER:
        echo(f"{s.id}{mark}: FAILED: unreachable ({str(page.error)[:100]})")
        return ["unreachable"], False
    allowed = await fetcher.allowed(target)
    head, problems = _homepage(page, target, allowed)
    parts = []
    for kind, urls, check in (("feed", s.feeds, _feed), ("sitemap", s.sitemaps, _sitemap),
                              ("listing", s.list_urls[:1], _listing)):
        for url in urls:
            part, problem = await check(fetcher, s, url)
            parts.append(part)
            if problem:
                problems.append(f"{kind} {problem}")
    line = f"{s.id}{mark}: {head}"
    if parts:
        line += "  " + "; ".join(parts)
    echo(line + (f"  → FAILED: {'; '.join(problems)}" if problems else "  → ok"))
    return problems, True


def _homepage(page, target: str, allowed: bool) -> tuple[str, list[str]]:
    """The line's head ('HTTP 200 robots allows URL') and the homepage's problems. A page robots.txt refused was
    not fetched, and the refusal is said once (it read 'HTTP None …  → FAILED: URL disallowed by robots.txt;
    robots.txt disallows it')."""
    refused = not allowed and page.error is not None and page.error.kind == FetchKind.ROBOTS
    problems = [] if page.ok or refused else [f"{target} {page.error}"]
    if not allowed:
        problems.append("robots.txt disallows it")
    answer = f"HTTP {page.status}" if page.status is not None else "not fetched"
    return f"{answer} robots {'allows' if allowed else 'DISALLOWS'} {target}", problems


def _verdict(page, n: int, kind: str = "") -> str | None:
    """What is wrong with a feed, sitemap or listing: no answer, a web page given as a feed or sitemap, or no link
    that fits article_pattern."""
    if not page.ok:
        return str(page.error)
    if not n and kind and _HTML.match(page.body[:1024]):
        return (f"is a web page, not {'an RSS or Atom feed' if kind == 'feed' else 'an XML sitemap'}: a section "
                "page goes under list_urls")
    return None if n else "has no link matching article_pattern (the URL scheme no longer fits?)"


_HTML = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


async def _feed(fetcher: Fetcher, s, url: str) -> tuple[str, str | None]:
    fp = await fetcher.fetch(url, any_content_type=True, crawl_delay=s.crawl_delay)
    links = discover.canonical_matches(s, discover.links_from_feed(fp.body, fp.final_url)) if fp.ok else []
    return f"feed {'ok' if fp.ok else fp.error}, {len(links)} article links", _verdict(fp, len(links), "feed")


async def _sitemap(fetcher: Fetcher, s, url: str) -> tuple[str, str | None]:
    """A sitemap's matching links; of a sitemap index, those of its first child (the newest, as sites list
    them), which is what a run reads first."""
    sp = await fetcher.fetch(url, any_content_type=True, crawl_delay=s.crawl_delay)
    entries, children = discover.links_from_sitemap(sp.body, sp.final_url) if sp.ok else ([], [])
    if sp.ok and children and not entries:
        cp = await fetcher.fetch(children[0].url, any_content_type=True, crawl_delay=s.crawl_delay)
        entries = discover.links_from_sitemap(cp.body, cp.final_url)[0] if cp.ok else []
    n = len(discover.canonical_matches(s, [e.url for e in entries]))
    return (f"sitemap {'ok' if sp.ok else sp.error}, {n} article links"
            + (f" (in the first of {len(children)} children)" if children else "")), _verdict(sp, n, "sitemap")


async def _listing(fetcher: Fetcher, s, url: str) -> tuple[str, str | None]:
    lp = await fetcher.fetch(url, crawl_delay=s.crawl_delay)
    links = discover.canonical_matches(s, discover.links_from_html(lp.body, lp.final_url, lp.content_type)[0]
                                       ) if lp.ok else []      # as a run counts them: canonical, once each
    return f"listing {'ok' if lp.ok else lp.error}, {len(links)} article links", _verdict(lp, len(links))
