"""What the reading commands print: an article side by side ('newspipe show'), failures by reason."""
from __future__ import annotations

import difflib
import os
from collections import Counter

import click

from pipeline.lock import holder

DIM = "dim"


def print_failures(counts: dict[str, int], most: int = 15):
    for reason, n in list(counts.items())[:most]:
        click.echo(f"    {n} × {reason}")
    if len(counts) > most:
        click.echo(f"    … and {len(counts) - most} other reasons")


def print_unread_sources(errors, most: int = 15) -> None:
    """Which source's feed, sitemap or listing page failed, by name (a dead outlet is otherwise only a count
    in a cron log, night after night)."""
    failed = [e for e in errors if e.stage == "discover"]
    for e in failed[:most]:
        where = "" if e.item == e.source else f" {e.item}"
        click.echo(f"    source {e.source or '?'}:{where}: {e.reason}")
    if len(failed) > most:
        click.echo(f"    … and {len(failed) - most} more sources' pages")


def article_header(art: dict) -> str:
    """The lines above the table: id and URL, outlet, byline, dateline, times, stage statuses, provenance."""
    provenance = (f" ({art['translation_provenance']}, {art['translation_backend']}, {art['translated_at']})"
                  if art["translation_provenance"] else "")
    return (f"#{art['id']}  {art['url']}\n{art['outlet'] or ''} {art['section'] or ''} · "
            f"{', '.join(art['authors']) or 'no byline'}" + (f" · {art['dateline']}" if art.get("dateline") else "")
            + f" · published {art['published_at'] or '?'}"
            + (f" · updated {art['updated_at']}" if art["updated_at"] else "")
            + (f"\nclean {art['clean_status']} · analyse {art['nlp_status']} · translate {art['translate_status']}"
               + provenance if not art.get("duplicate_of") else
               f"\nthe same text as article {art['duplicate_of']}: its sentences and their English are shown "
               f"below ('newspipe show {art['duplicate_of']}' for the rest)"))


def gone_line(art: dict) -> str | None:
    """The line saying the article's page is gone from its source (404/410), kept here."""
    from db.views import gone_text
    return gone_text(art.get("gone"))


def _en_cell(en, error):
    from rich.text import Text
    return Text(en) if en else Text(f"({error})" if error else "(pending)", style=DIM)


def article_table(art: dict):
    """Korean and English side by side, sentence by sentence, a rule between paragraphs."""
    from rich.table import Table
    from rich.text import Text
    table = Table(show_header=True, header_style="bold", expand=True)
    # fold, never ellipsis: a word wider than its column (Korean words are, at 80 columns) wraps whole
    table.add_column("#", justify="right", width=5, overflow="fold")
    table.add_column("한국어", ratio=1, overflow="fold", no_wrap=False)
    table.add_column("English", ratio=1, overflow="fold", no_wrap=False)
    table.add_row("title", Text(art["title_ko"] or "", style="bold"), Text(art["title_en"] or "", style="bold")
                  if art["title_en"] else _en_cell(None, None))
    if art["subtitle_ko"]:
        table.add_row("sub", Text(art["subtitle_ko"]), _en_cell(art["subtitle_en"], None))
    para = None
    for s in art["sentences"]:
        if para is not None and s["para"] != para:
            table.add_section()
        para = s["para"]
        table.add_row(str(s["idx"]), Text(s["ko"]), _en_cell(s["en"], s["en_error"]))
    if not art["sentences"] and art["body_ko"]:
        table.add_row("", Text(art["body_ko"]), _en_cell(art["body_en"], None))
    return table


def publisher_of(art: dict | None):
    """The latest publisher's own English of an article as `show` reads it (its ``translations``), or None."""
    from db.publisher_en import PublisherEnglish
    rows = [t for t in (art or {}).get("translations", ()) if t["provenance"] == "publisher"]
    return PublisherEnglish(rows[-1]["title_en"], rows[-1]["subtitle_en"], rows[-1]["body_en"]) if rows else None


def has_machine_english(shown: dict) -> bool:
    """Whether the table has machine English to show (the web page's test: a sentence's, or the title's)."""
    return any(s["en"] for s in shown["sentences"]) or bool(shown["title_en"])


def publisher_table(art: dict, pub):
    """Korean and the publisher's own English side by side, paragraph by paragraph when their numbers of
    paragraphs are equal (else all of the Korean beside all of the English), as the web's article page pairs
    them (db/publisher_en.py)."""
    from rich.table import Table
    from rich.text import Text

    from db.publisher_en import publisher_paragraphs
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column("¶", justify="right", width=5, overflow="fold")
    table.add_column("한국어", ratio=1, overflow="fold", no_wrap=False)
    table.add_column("English (the publisher's own)", ratio=1, overflow="fold", no_wrap=False)
    table.add_row("title", Text(art["title_ko"] or "", style="bold"), Text(pub.title_en, style="bold")
                  if pub.title_en else _en_cell(None, "none"))
    if art["subtitle_ko"] or pub.subtitle_en:
        table.add_row("sub", Text(art["subtitle_ko"] or ""), _en_cell(pub.subtitle_en, "none"))
    rows = publisher_paragraphs(art["body_ko"], pub)
    for n, row in enumerate(rows, 1):
        table.add_section()
        table.add_row(str(n) if len(rows) > 1 else "", Text("\n\n".join(row["ko"])), Text("\n\n".join(row["en"])))
    return table


def article_footer(art: dict, publisher_beside: bool = False) -> list[tuple[str, str]]:
    """(text, style) lines below the table: captions, the publisher's English (where the table does not hold
    it), the history, corrections."""
    lines = [(f"photo: {c['text']}" + (f" ({c['credit']})" if c.get("credit") else ""), DIM)
             for c in art["captions"]]
    pub = None if publisher_beside else publisher_of(art)
    if pub is not None:
        lines += [(f"publisher's own English ('newspipe show {art['id']} --publisher' puts it beside the Korean): "
                   f"{pub.title_en or ''}", "italic"), (pub.body_en or "", "")]
    if len(art["translations"]) > 1:
        lines.append(("translation history: " + "; ".join(
            f"{t['provenance']} {t['backend']} {t['created_at']}" for t in art["translations"]), DIM))
    lines += [(line, "bold" if line.startswith("correction") else "") for line in corrections(art)]
    return lines


def _console():
    from rich.console import Console

    class QuietOnEPIPE(Console):
        def on_broken_pipe(self) -> None:      # rich's own exits 1; the CLI's handler ends a closed pipe with 0
            self.quiet = True
            raise BrokenPipeError
    return QuietOnEPIPE()


def as_original(art: dict, original: dict) -> dict:
    """A duplicate as its table shows it: its own title, its original's sentences and English (the title's
    English only where the titles are the same)."""
    same = {k: original[k] if art[f"{k[:-3]}_ko"] == original[f"{k[:-3]}_ko"] else None
            for k in ("title_en", "subtitle_en")}
    return {**art, **same, "sentences": original["sentences"], "body_en": original["body_en"]}


def print_article(art: dict, story_lines: list[str] = (), original: dict | None = None,
                  publisher: bool = False) -> None:
    """The article side by side; a duplicate (``original``: the article it repeats) with its original's
    sentences and English, as the web page shows it. The English column holds the machine English, or the
    publisher's own (paragraph beside paragraph) where there is none or with ``publisher``, as on the web."""
    from rich.text import Text
    console = _console()
    shown = as_original(art, original) if original else art
    pub = publisher_of(art) or publisher_of(original)
    beside = pub is not None and (publisher or not has_machine_english(shown))
    console.print(Text(article_header(art) + (" · English: the publisher's own" if beside else ""),
                       style=DIM))   # Text, never markup: [전주=홍길동 기자] is text
    if gone_line(art):
        console.print(Text(gone_line(art), style="bold"))
    console.print(publisher_table(art, pub) if beside else article_table(shown))
    for text, style in article_footer(art, beside):
        console.print(Text(text, style=style))
    for line in story_lines:
        console.print(Text(line, style="bold" if line.startswith("story") else ""))


def corrections(art: dict) -> list[str]:
    """The article's earlier texts, each as the lines the next text removed (-) and added (+)."""
    texts = [*art["versions"], art]
    out = []
    for old, new in zip(texts, texts[1:]):
        out.append(f"correction: version {old['version']} (cleaned {old['cleaned_at']}) replaced "
                   f"{old['replaced_at']}")
        a = [old["title_ko"] or "", old["subtitle_ko"] or "", *(old["body_ko"] or "").split("\n")]
        b = [new["title_ko"] or "", new["subtitle_ko"] or "", *(new["body_ko"] or "").split("\n")]
        out += [ln for ln in difflib.unified_diff(a, b, lineterm="", n=0)
                if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    return out


def _alive(pid: int | None) -> bool:
    if not pid:
        return True                                   # not known: as recorded
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                                   # another user's process: alive
        pass
    return True


def settle_running(last: dict | None, db_path: str) -> dict | None:
    """The last run as it is now: one recorded 'running' whose process has gone (kill -9, a power cut leave no
    word) is interrupted. The archive's lock tells, for a run on any host: held by the run's pid, it is live;
    free, or held by another command or a process that did not write its pid there (-1: the pid left in the
    file is a finished run's), it has ended (a pid alone means nothing on another host, and may since name
    another process). Without a lock file, the pid on this machine tells."""
    if not last or last["status"] != "running":
        return last
    pid, now = last.get("pid"), holder(db_path)
    if (now is None and _alive(pid)) or (now and now > 0 and now == pid):
        return last
    why = (f"its process {pid} has ended without a word (killed?)" if now is None
           else f"its process {pid} no longer holds the archive's lock (killed?)")
    return {**last, "status": "interrupted", "outcome": f"{why}; the next run goes on"}


def undated_note(n: int, what: str = "articles") -> None:
    """The one note on stderr of a --since or --until that left out the articles without a date."""
    if n:
        what = what.replace("articles", "article") if n == 1 else what
        click.echo(f"note: {n:,} {what} without a date left out by --since/--until", err=True)


def print_stats(st: dict) -> None:
    click.echo(f"{st['articles']} articles, {st['sentences']} sentences ({st['sentences_translated']} translated), "
               f"{st['pages']} fetches")
    if not st["articles"]:              # no stage line of nothing but its name
        click.echo("  no articles yet: 'newspipe run' collects them, 'newspipe ingest' stores saved pages")
    for stage, by in st["stages"].items() if st["articles"] else ():
        click.echo(f"  {stage:<10} " + "  ".join(f"{k} {v}" for k, v in by.items()))
    later = [k for stage in list(st["stages"])[1:] for k in st["stages"][stage]]
    if "duplicate" in later or "stopped" in later:
        click.echo("  (not pending: duplicate, the same text as an earlier article, analysed and translated there; "
                   "stopped, an earlier stage failed or found no article text)")
    if any("failed" in by for by in st["stages"].values()):
        click.echo("  (failed: given up after 3 attempts; 'newspipe run --retry-failed' gives them three more)")
    if st.get("gone"):
        click.echo(f"  {st['gone']} articles gone from their sources (their pages answer 404 or 410; kept here)")
    for sid, row in st["sources"].items():
        click.echo(f"  {sid:<24} articles {row['articles']:>5}  cleaned {row['cleaned']:>5}  "
                   f"analysed {row['analysed']:>5}  translated {row['translated']:>5}")
        if row.get("unread"):
            u = row["unread"]
            click.echo(f"  {'':<24} {u['failing']} of its {u['pages']} feed/sitemap/listing pages failed when last "
                       f"asked ({u['checked_at'][:16]}: {u['error']}); last read "
                       f"{u['last_read'][:10] if u['last_read'] else 'never'}")
    last = st["last_run"]
    if last is None:
        click.echo("no run yet")
        return
    code = "" if last["exit_code"] is None else f", exit code {last['exit_code']}"
    click.echo(f"last run {last['id']}: {last['status']}{code}"
               + (f": {last['outcome']}" if last["outcome"] and last["outcome"] != "completed" else "")
               + f" ({last['started_at']} → {last['ended_at'] or '?'})")
    failures = last["failures"]
    click.echo(f"  failures {sum(failures.values())}")
    print_failures(failures)
    print_earlier_runs(st.get("earlier_runs", []))


def print_earlier_runs(runs: list[dict]) -> None:
    """A line for each run before the last: how it ended and what it did (an interrupted run's counts are those
    its stages' records gave; an archive's older ones may have none)."""
    for run in runs:
        c = run["counts"]
        did = (f"cleaned {c.get('cleaned', 0)}, analysed {c.get('analysed', 0)}, translated {c.get('translated', 0)}"
               if c else "counts unknown")
        click.echo(f"earlier run {run['id']}: {run['status']}"
                   + (f": {run['outcome']}" if run["outcome"] and run["outcome"] != "completed" else "")
                   + f" ({run['started_at']} → {run['ended_at'] or '?'}); {did}")


def print_hits(res, page: int) -> None:
    """A page of search hits: id, date, outlet, the other outlets of its story (when collapsed), titles, both
    snippets, then where the page is."""
    if not res.hits:
        units = res.total if res.stories is None else res.stories
        click.echo("no matches" if not res.total else
                   f"no hits on page {page}: past the end of {_n(res.total, 'match', 'matches')}"
                   + (f" in {_n(res.stories, 'story', 'stories')}" if res.stories is not None else "")
                   + f"; the last page is {max(1, -(-units // res.limit)):,} (--page)")
        return
    from db.stories import copies_note
    for h in res.hits:
        click.echo(f"{h.id:>6}  {h.date or ''}  {h.outlet or h.source_id or ''}  {h.title_ko}")
        note = copies_note(h, f"story {h.story_id}", most=6, listed=res.stories is None)
        if note:
            click.echo(f"        {note}")
        if h.title_en:
            click.echo(f"        {h.title_en}" + ("  (the publisher's English)" if h.en_provenance == "publisher" else ""))
        for snippet in ((h.snippet_ko, h.snippet_en) if h.lang == "ko" else (h.snippet_en, h.snippet_ko)):
            if snippet:                      # one line: a snippet across a title and its deck holds a newline
                click.echo(f"        {' '.join(snippet.split())}")
    first = res.offset + 1
    click.echo(f"{first:,}–{first + len(res.hits) - 1:,} of "
               + (f"{_n(res.stories, 'story', 'stories')} ({_n(res.total, 'matching article', 'matching articles')})"
                  if res.stories is not None else _n(res.total, "match", "matches")))


def _n(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def print_clean(name: str, art) -> None:
    """A cleaned page as 'newspipe clean' prints it: title, subtitle, metadata, paragraphs, captions."""
    click.echo(f"# {art.title}")
    if art.subtitle:
        click.echo(f"## {art.subtitle}")
    click.echo(f"authors: {', '.join(art.authors)}  published: {art.published_at}  updated: {art.updated_at}"
               + (f"  dateline: {art.dateline}" if art.dateline else ""))
    click.echo("")
    for para in art.body:
        click.echo(para + "\n")
    for cap in art.captions:
        click.echo(f"[caption] {cap.text}" + (f" ({cap.credit})" if cap.credit else ""))
    pt = art.publisher_translation
    if pt is not None:
        click.echo(f"\n[publisher's English] {pt.title}" + (f"\n{pt.subtitle}" if pt.subtitle else ""))
        for para in pt.body:
            click.echo(para)
    if art.removed:
        reasons = Counter(r.reason for r in art.removed)
        click.echo(f"\n[removed] {len(art.removed)} lines: " + "; ".join(f"{why} {n}" for why, n in
                                                                       reasons.most_common())
                   + " (--json lists each)")
    if art.error:
        click.echo(f"newspipe: {name}: {art.error}", err=True)
