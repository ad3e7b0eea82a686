"""newspipe's Datasette plugin (registered as an entry point, so `newspipe serve` and any Datasette in this
environment load it).

- SQL function ``ko_query(text)``: the FTS5 expression for a Korean query, analysed exactly as
  `newspipe search` does (db.search: the archive's own word table, prefix matching), for use as
  ``articles_fts_ko MATCH ko_query(:q)``;
- a page per article, ``/-/article/<id>``: Korean and English side by side, sentence by sentence;
- article ids in the canned queries (column ``article``) link to that page.
"""
from __future__ import annotations

import html
import json

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from .search import Analyzer, QueryError, ko_match


@hookimpl
def prepare_connection(conn):
    def ko_query(text):
        try:
            return ko_match(text or "", Analyzer(conn))[0]
        except QueryError as exc:
            raise ValueError(str(exc)) from None
    conn.create_function("ko_query", 1, ko_query)


@hookimpl
def render_cell(value, column):
    if column == "article" and isinstance(value, int):
        return Markup(f'<a href="/-/article/{value}">{value}</a>')
    return None


@hookimpl
def register_routes():
    return [(r"^/-/article/(?P<id>\d+)$", article_page)]


PAGE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}} table{{border-collapse:collapse;width:100%}}
td{{vertical-align:top;padding:.35em .6em;border-bottom:1px solid #ddd;width:50%}} th{{text-align:left}}
.meta{{color:#555}} .pending{{color:#999;font-style:italic}} tr.para td{{border-top:2px solid #888}}</style>
</head><body><p><a href="/">archive</a></p>
<h1 lang="ko">{title}</h1><h2 lang="en">{title_en}</h2>
<p class="meta">{meta}</p>
<table id="pairs"><tr><th>한국어</th><th>English</th></tr>{rows}</table>
{extra}</body></html>"""


async def article_page(datasette, request):
    article_id = int(request.url_vars["id"])
    db = datasette.get_database()
    res = await db.execute("SELECT id, url, outlet, source_id, published_at, authors, title_ko, title_en, "
                           "subtitle_ko, subtitle_en, translate_status, translation_provenance, translation_backend, "
                           "translated_at FROM articles WHERE id = ?", [article_id])
    row = res.first()
    if row is None:
        return Response.html(f"<h1>No article {article_id}</h1>", status=404)
    sents = (await db.execute("SELECT para, ko, en, en_error FROM sentences WHERE article_id = ? ORDER BY idx",
                              [article_id])).rows
    esc = html.escape
    rows, para = [], None
    if row["subtitle_ko"]:
        rows.append(f'<tr><td lang="ko"><b>{esc(row["subtitle_ko"])}</b></td>'
                    f'<td lang="en"><b>{esc(row["subtitle_en"] or "")}</b></td></tr>')
    for s in sents:
        cls = ' class="para"' if para is not None and s["para"] != para else ""
        para = s["para"]
        en = (esc(s["en"]) if s["en"] else
              f'<span class="pending">({esc(s["en_error"] or "not translated yet")})</span>')
        rows.append(f'<tr{cls}><td lang="ko">{esc(s["ko"])}</td><td lang="en">{en}</td></tr>')
    authors = ", ".join(json.loads(row["authors"] or "[]"))
    meta = (f'{esc(row["outlet"] or "")} · {esc(authors)} · {esc(row["published_at"] or "")} · '
            f'<a href="{esc(row["url"])}">original</a> · translation: {esc(row["translate_status"])}'
            + (f' ({esc(row["translation_provenance"] or "")}, {esc(row["translation_backend"] or "")}, '
               f'{esc(row["translated_at"] or "")})' if row["translation_provenance"] else ""))
    pub = (await db.execute("SELECT title_en, body_en FROM translations WHERE article_id = ? AND "
                            "provenance = 'publisher' ORDER BY id DESC LIMIT 1", [article_id])).first()
    extra = ""
    if pub:
        extra = (f'<h3>The publisher\'s own English</h3><p lang="en"><b>{esc(pub["title_en"] or "")}</b></p>'
                 + "".join(f'<p lang="en">{esc(p)}</p>' for p in (pub["body_en"] or "").split("\n")))
    return Response.html(PAGE.format(title=esc(row["title_ko"] or ""), title_en=esc(row["title_en"] or ""),
                                     meta=meta, rows="".join(rows), extra=extra))
