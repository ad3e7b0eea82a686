"""The commands of stories, trends and related words: ``newspipe restory``, ``newspipe trends``,
``newspipe related``."""
from __future__ import annotations

import csv
import json
import sqlite3
import sys

import click

from db.archive import require_archive
from scrapers.errors import UserError
from scrapers.util.text import HANGUL

from . import context
from .params import DATE
from .read import unknown_authors_note
from .render import undated_note

BAR = 28          # the widest terminal bar, in characters


def _run_query(fn, query: str):
    from db.search import QueryError
    try:
        return fn()
    except QueryError:
        raise                            # a UserError: one line, its own exit code
    except sqlite3.OperationalError as exc:
        from db.connection import snapshot_changed
        raise snapshot_changed() or UserError(f"cannot run the query {query!r}: {exc}") from None


@click.command()
@click.pass_context
def restory(ctx):
    """Assign every article to its story again, from scratch (the run assigns new articles by itself).

    A story is the articles that tell one story across outlets: an article joins the story of the most
    similar article published within [stories] days days of it (estimated Jaccard similarity of their Kiwi
    morpheme shingles at least [stories] threshold, in newspipe.toml, and at least 10 shingles shared, or
    0.6 of a brief's). Run it after changing [stories]."""
    from db.stories import story_counts
    from pipeline.stories import restory as do_restory
    cfg = context.config(ctx)
    require_archive(context.db_path(ctx, reading=True))
    with context.run_lock(ctx):
        archive = context.open_archive(ctx)
        out = do_restory(archive, cfg.stories_threshold, cfg.stories_days)
        stories, multi, in_multi = story_counts(archive)
    click.echo(f"{out['assigned']:,} articles in {stories:,} stories; {multi:,} stories of more than one "
               f"article hold {in_multi:,} articles ({out['assign_s']:.1f} s)")


@click.command("stories")
@click.option("--since", type=DATE, metavar="DATE", help="Count articles published on or after DATE: YYYY-MM-DD (KST) or an ISO time.")
@click.option("--until", type=DATE, metavar="DATE", help="Count articles published on or before DATE: a whole day, or up to and including an ISO time (to the minute: 2025-05-27T09:00 takes in 09:00:59).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source's articles (repeatable).")
@click.option("--region", metavar="NAME", help="Only articles of this region's sources (e.g. 전북).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Stories listed.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per story: {"story_id", "articles", "outlets", "first_article_id", "title_ko", '
                   '"title_en", "outlet", "first_published_at", "last_published_at", "outlet_names"}.')
@click.pass_context
def stories(ctx, since, until, sources, region, limit, as_json):
    """The biggest stories: the stories with the most articles (then outlets) among the articles chosen.

    newspipe stories --since 2025-06-02 --until 2025-06-08: the week's biggest stories, each counted in that
    week, with its first article's id, Korean and English title, and its first and last date. `newspipe show
    ID` lists a story's copies; the web page /-/stories of `newspipe serve` answers the same."""
    from db.story_list import biggest
    archive = context.reading_archive(ctx, machine=as_json)
    for source in sources:
        context.known_source(archive, source)
    found = _run_query(lambda: biggest(archive, since, until, sources, region, limit), "stories")
    if since or until:
        from db.filters import undated
        undated_note(undated(archive, sources, region, done="nlp"))
    if as_json:
        for s in found:
            click.echo(json.dumps(s.__dict__, ensure_ascii=False))
        return
    if not found:
        click.echo("no stories" + (" in that range" if since or until or sources or region else
                                   " yet (newspipe run assigns them)"))
        return
    click.echo("articles  outlets  first       last        article  title")
    for s in found:
        first, last = (s.first_published_at or "?")[:10], (s.last_published_at or "?")[:10]
        click.echo(f"{s.articles:>8}  {s.outlets:>7}  {first:<10}  {last:<10}  {'#' + str(s.first_article_id):>7}  "
                   f"{s.title_ko or '(no title)'}")
        if s.title_en:
            click.echo(f"{'':>50}{s.title_en}")
        click.echo(f"{'':>50}{', '.join(s.outlet_names[:8])}" + (", …" if len(s.outlet_names) > 8 else ""))


COLUMNS = ("query", "period", "start", "end", "articles", "stories")
SHARE_COLUMNS = ("all_articles", "all_stories", "articles_pct", "stories_pct")


@click.command()
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...")
@click.option("--by", type=click.Choice(["day", "week", "month"]),
              help="Period (default: day up to two months, week up to two years, else month).")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE: YYYY-MM-DD (KST) or an ISO time (2025-05-27T09:00).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE: a whole day, or up to and including an ISO time (to the minute: 2025-05-27T09:00 takes in 09:00:59).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--region", metavar="NAME", help="Only sources of this region (e.g. 전북).")
@click.option("--share", is_flag=True,
              help="Each period's matching articles and stories in per cent of all the period's dated articles "
                   "(copies and not yet analysed ones included; for an English query, those with English) and "
                   "their stories under the same --source, --region, --since and --until, with those totals; a "
                   "period without articles is 'no articles', not 0 %.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Only articles this reporter wrote (repeatable: any of them), as search --author.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per query and period: {"query", "period", "articles", "stories"}; with --share '
                   'also "all_articles", "all_stories", "articles_pct", "stories_pct" (null: no articles).')
@click.option("--csv", "as_csv", is_flag=True, help="CSV: query, period, start, end, articles, stories; with "
                                                     "--share also all_articles, all_stories, articles_pct, "
                                                     "stories_pct (empty: no articles).")
@click.option("--png", metavar="FILE", help="Also draw the chart into FILE (needs matplotlib installed: "
                                            "pip install 'newspipe[png]').")
@click.pass_context
def trends(ctx, queries, by, since, until, sources, region, share, authors, as_json, as_csv, png):
    """Matching articles and stories per day, week or month, as bars; several queries side by side.

    newspipe trends 새만금 잼버리 --by month. A period is 2024-10-17, 2024-W42 (ISO week) or 2024-10;
    every period of the range is listed, empty ones with 0. Each QUERY is a search query (quote several words to
    make them one query: "새만금 잼버리"). An article without a story yet counts as a story of its own.

    --share: the counts as a share of coverage, so that a busier month or more outlets do not read as the
    topic's growth: per cent of the period's articles (and of its stories) that match, each with the total it
    divides by (a small month's 50 % is a few articles)."""
    from db.trends import trends
    if as_json and as_csv:
        raise click.UsageError("--json and --csv: choose one")
    _png_target(ctx, png)
    archive = context.reading_archive(ctx, machine=any((as_json, as_csv)))
    for source in sources:
        context.known_source(archive, source)
    filters = dict(since=since, until=until, source=sources, region=region, share=share, author=authors)
    _, series = _run_query(lambda: trends(archive, list(queries), by, **filters), " ".join(queries))
    if since or until:
        _undated_matches(archive, queries, sources, region, authors)
    if not any(r["articles"] for rows in series for r in rows):
        unknown_authors_note(archive, authors)
    if png:
        (_png_share if share else _png)(png, queries, series)
    _print_series(queries, series, share, as_json, as_csv)


def _print_series(queries, series, share: bool, as_json: bool, as_csv: bool) -> None:
    """trends' rows as JSON lines, CSV, or bars."""
    columns = COLUMNS + (SHARE_COLUMNS if share else ())
    if as_json:
        for rows in series:
            for r in rows:
                click.echo(json.dumps({k: r[k] for k in columns if k not in ("start", "end")}, ensure_ascii=False))
    elif as_csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        for rows in series:
            for r in rows:
                w.writerow(["" if r[k] is None else r[k] for k in columns])
    elif share:
        _share_bars(queries, series)
    else:
        _bars(queries, series)


@click.command()
@click.argument("query")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE: YYYY-MM-DD (KST) or an ISO time (2025-05-27T09:00).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE: a whole day, or up to and including an ISO time (to the minute: 2025-05-27T09:00 takes in 09:00:59).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--region", metavar="NAME", help="Only sources of this region (e.g. 전북).")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="Only articles this reporter wrote (repeatable: any of them), as search --author.")
@click.option("--limit", type=click.IntRange(1, 500), default=30, show_default=True)
@click.option("--sample", type=click.IntRange(1, 10_000_000), metavar="N",
              help="Read only the N newest matching articles, against the 2,000 newest of the archive (as the web "
                   "page does): seconds become milliseconds on a common word of a large archive.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per word: {"word", "score", "together", "archive"}.')
@click.pass_context
def related(ctx, query, since, until, sources, region, authors, limit, sample, as_json):
    """Words that occur with QUERY: the nouns and names of the matching articles (no verbs), ranked by
    log-likelihood (G²) against the whole archive, with the matching articles that hold each word
    (together) and the archive's (archive). Every matching article is read (about 0.2 ms each)."""
    from db.trends import related as do_related
    archive = context.reading_archive(ctx, machine=as_json)
    for source in sources:
        context.known_source(archive, source)
    matched, words = _run_query(lambda: do_related(archive, query, since, until, sources, limit, region=region,
                                                   sample=sample, author=authors), query)
    if not matched:
        unknown_authors_note(archive, authors)
    if as_json:
        for r in words:
            click.echo(json.dumps(r.__dict__, ensure_ascii=False))
        return
    if not words:
        click.echo(f"no related words ({matched:,} articles whose Korean text matches: related reads the Korean "
                   "side only)" if not matched else f"no related words ({_related_none(matched)})")
        return
    width = max(_width(r.word) for r in words)
    for r in words:
        click.echo(f"{r.word}{' ' * (width - _width(r.word))}  G² {r.score:>9.1f}  "
                   f"{r.together:>6,} together  {r.archive:>7,} in the archive")
    click.echo(f"{len(words)} words from the {matched:,} newest matching articles, against the archive's 2,000 "
               "newest" if sample else f"{len(words)} words from {matched:,} matching articles")


def _undated_matches(archive, queries, sources, region, authors=()) -> None:
    """A note for each query whose matches without a date --since or --until left out."""
    from db.search import matches_per_day
    for q in queries:
        undated_note(matches_per_day(archive, q, source=sources, region=region, author=authors).get(None, 0),
                     f"articles matching {q}" if len(queries) > 1 else "matching articles")


def _related_none(matched: int) -> str:
    """Why a query that matches found no related word: it read '(1 matching articles)', and a word is related only
    when two matching articles hold it (a new user's trial)."""
    if matched == 1:
        return "1 matching article: a word is related when at least two matching articles hold it"
    return f"{matched:,} matching articles"


def _width(s: str) -> int:
    """Terminal columns of ``s`` (Hangul is two wide)."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _bars(queries, series) -> None:
    top = max((r["articles"] for rows in series for r in rows), default=0)
    if not top:
        click.echo("no matches" + (f" for {', '.join(queries)}" if queries else ""))
        return
    cell = BAR + 16
    by_label = [{r["period"]: r for r in rows} for rows in series]
    labels = sorted(set().union(*by_label))
    first = max(map(len, labels), default=6) + 2          # a day (2024-10-17) as wide as its column
    head = "period".ljust(first) + "".join(q + " " * max(1, cell - _width(q)) for q in queries)
    click.echo(head.rstrip())
    for label in labels:
        line = label.ljust(first)
        for rows in by_label:
            r = rows.get(label, {"articles": 0, "stories": 0})
            n = r["articles"]
            bar = "█" * round(BAR * n / top) if n else ""
            text = f"{bar} {n} ({r['stories']})" if n else "·"
            line += text + " " * max(1, cell - _width(text))
        click.echo(line.rstrip())
    click.echo("articles (stories) per period")


def _pct(p: float) -> str:
    """A share in per cent: one decimal, or two significant digits below 0.1 % (never 0.0 for a match)."""
    return f"{p:.1f}%" if p >= 0.1 or not p else f"{p:.2g}%"


def _share_bars(queries, series) -> None:
    """The bars of --share: each period's share of the articles, the bar as long as its share against the
    largest, with matching/all articles and (matching/all stories)."""
    if not any(series):
        click.echo("no matches" + (f" for {', '.join(queries)}" if queries else ""))
        return
    top = max((r["articles_pct"] or 0 for rows in series for r in rows), default=0)
    cell = BAR + 28
    labels = [r["period"] for r in series[0]]
    first = max(map(len, labels), default=6) + 2
    click.echo(("period".ljust(first) + "".join(q + " " * max(1, cell - _width(q)) for q in queries)).rstrip())
    for i, label in enumerate(labels):
        line = label.ljust(first)
        for rows in series:
            r = rows[i]
            if r["articles_pct"] is None:
                text = "no articles"
            else:
                bar = "█" * round(BAR * r["articles_pct"] / top) if top and r["articles"] else ""
                text = (f"{bar} {_pct(r['articles_pct'])} {r['articles']:,}/{r['all_articles']:,} "
                        f"({r['stories']:,}/{r['all_stories']:,})").lstrip()
            line += text + " " * max(1, cell - _width(text))
        click.echo(line.rstrip())
    click.echo("per cent of the period's articles that match: matching/all articles (matching/all stories), "
               "all under the same filters")


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UserError("--png needs matplotlib, the [png] extra: in the checkout, "
                        ".venv/bin/pip install -e '.[png]'") from None
    return plt


def _fonted(queries):
    """matplotlib's pyplot with a Hangul font if one is installed (else a note on stderr)."""
    plt = _pyplot()
    font = _hangul_font()
    if font:
        plt.rcParams["font.family"] = [font, "sans-serif"]
    elif any(HANGUL.search(q) for q in queries):
        click.echo("note: no font with Hangul found (e.g. Debian's fonts-noto-cjk): Korean in the chart shows as "
                   "boxes", err=True)
    return plt


def _png_target(ctx, png: str | None) -> None:
    """One line, before anything is written, for a --png that is the archive or one of its files (matplotlib
    writes the file directly: over the archive, the archive is gone)."""
    if png:
        from db.export_io import refuse_archive_file
        refuse_archive_file(png, [png], context.db_path(ctx, reading=True), "--png")


def _png(path: str, queries, series) -> None:
    plt = _fonted(queries)
    from matplotlib.ticker import MaxNLocator
    labels = [r["period"] for r in series[0]] if series else []
    fig, ax = plt.subplots(figsize=(max(6, len(labels) * 0.4), 4))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))        # counts: no 1.25 articles
    width = 0.8 / max(1, len(series))
    for k, (q, rows) in enumerate(zip(queries, series)):
        xs = [i + k * width for i in range(len(rows))]
        bars = ax.bar(xs, [r["articles"] for r in rows], width, label=f"{q}: articles", alpha=0.45)
        ax.bar(xs, [r["stories"] for r in rows], width * 0.6, color=bars.patches[0].get_facecolor()[:3] if
               bars.patches else None, label=f"{q}: stories")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))], labels, rotation=60, fontsize=7)
    ax.set_ylabel("articles, stories")
    _save(fig, ax, path)


def _png_share(path: str, queries, series) -> None:
    """The chart of --share: per period and query the share of the articles (light) and of the stories (dark)
    in per cent, each period's label with the articles it divides by (or 'no articles')."""
    plt = _fonted(queries)
    rows0 = series[0] if series else []
    labels = [f"{r['period']}\n" + (f"of {r['all_articles']:,} articles" if r["all_articles"] else "no articles")
              for r in rows0]
    fig, ax = plt.subplots(figsize=(max(6, len(labels) * 0.5), 4.4))
    width = 0.8 / max(1, len(series))
    for k, (q, rows) in enumerate(zip(queries, series)):
        xs = [i + k * width for i in range(len(rows))]
        bars = ax.bar(xs, [r["articles_pct"] or 0 for r in rows], width, label=f"{q}: % of articles", alpha=0.45)
        ax.bar(xs, [r["stories_pct"] or 0 for r in rows], width * 0.6, color=bars.patches[0].get_facecolor()[:3] if
               bars.patches else None, label=f"{q}: % of stories")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))], labels, rotation=60, fontsize=7)
    ax.set_ylabel("per cent of the period's articles, stories")
    _save(fig, ax, path)


def _save(fig, ax, path: str) -> None:
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path, format="png")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None


HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "NanumBarunGothic", "Malgun Gothic",
                "Apple SD Gothic Neo", "AppleGothic", "UnDotum", "Baekmuk Gulim", "Noto Serif CJK KR",
                "Noto Sans Mono CJK KR")


def _hangul_font() -> str | None:
    """The first installed font of HANGUL_FONTS (matplotlib's default, DejaVu Sans, has no Hangul)."""
    from matplotlib import font_manager
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in HANGUL_FONTS if name in names), None)
