"""'newspipe sources list' and 'newspipe sources check'."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click


from . import context
from .errors import Group


@click.group(cls=Group)
def sources():
    """List and check the configured sources."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, with every field.")
@click.pass_context
def sources_list(ctx, as_json):
    """List the configured sources."""
    for s in context.sources(ctx):
        if as_json:
            click.echo(json.dumps(asdict(s), ensure_ascii=False))
            continue
        flag = "" if s.enabled else " (disabled)"
        why = f"  note: {s.note}" if s.note and not s.enabled else ""      # why it is off, not only --json
        click.echo(f"{s.id:<22} {s.region:<6} {s.name}{flag}  profile={s.profile}  feeds={len(s.feeds)} "
                   f"lists={len(s.list_urls)} sitemaps={len(s.sitemaps)}{why}")


@sources.command("check")
@click.argument("source_id", required=False)
@click.pass_context
def sources_check(ctx, source_id):
    """Check reachability, robots.txt, feeds, sitemaps and listings of one source or all.

    For each feed, sitemap (of an index, its first child) and first listing page it counts the links that
    match the source's article_pattern. A source fails when its page, a feed, a sitemap or the listing does
    not answer, robots.txt disallows it, or one of them has no matching link (the URL scheme no longer fits);
    each line ends with '→ ok' or '→ FAILED: why', and the last names the sources that failed. Disabled
    sources are skipped unless named. Exits 1 when a source fails; offline it says so."""
    from ..check import check_sources
    items = context.sources(ctx)
    if source_id:
        if not any(s.id == source_id for s in items):
            raise context.unknown_source(source_id, items)
        items = [s for s in items if s.id == source_id]
    cfg = context.config(ctx)
    ok = check_sources(items, cfg.user_agent, click.echo, skip_disabled=not source_id,
                       max_crawl_delay=cfg.max_crawl_delay, obey_robots=cfg.obey_robots)
    sys.exit(0 if ok else 1)
