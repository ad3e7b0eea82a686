"""The article page, ``/-/article/<id>`` (db/datasette_plugin.py routes it): Korean and English side by side,
captions, the story's other copies; a duplicate shows the article it repeats. The English column holds the
machine English sentence by sentence, or -- where there is none, or with ``?en=publisher`` -- the publisher's
own English, paragraph beside paragraph when their numbers of paragraphs are equal (db/publisher_en.py); with
both, a switch offers each. An id that is not an article's (999, abc, -1, 1.0) is this page's own 404."""
from __future__ import annotations

import json
from datetime import datetime

from markupsafe import Markup, escape

from scrapers.util.kst import KST

from .publisher_en import publisher_paragraphs, publisher_row
from .story_list import copies
from .views import article_row, gone_of, gone_text, original_row, sentence_rows
from .web import _link, _render

MAX_ID = 2 ** 63 - 1


def _article_rows(conn, article_id: int):
    """(the article, the article whose sentences are shown -- a duplicate's original --, that original or
    None, the sentences, the publisher's English, the gone line, the copies); None when there is no such
    article."""
    row = article_row(conn, article_id) if article_id <= MAX_ID else None
    if row is None:
        return None
    orig = original_row(conn, row["duplicate_of"]) if row["duplicate_of"] else None
    shown = orig if orig is not None else row
    pub = publisher_row(conn, row["id"]) or (publisher_row(conn, orig["id"]) if orig is not None else None)
    return (row, shown, orig, sentence_rows(conn, shown["id"]), pub, gone_text(gone_of(conn, row["url"])),
            copies(conn, row["id"]))


def _translation_line(shown) -> str:
    line = f"translation: {shown['translate_status']}"
    if shown["translation_provenance"]:
        line += " (" + ", ".join(x for x in (shown["translation_provenance"], shown["translation_backend"],
                                             shown["translated_at"]) if x) + ")"
    return line


def _sentence_items(sents) -> list[dict]:
    out, para = [], None
    for s in sents:
        out.append({"ko": s["ko"], "en": s["en"], "en_error": s["en_error"],
                    "new_para": para is not None and s["para"] != para})
        para = s["para"]
    return out


def published(value: str | None) -> Markup | None:
    """A publication time as a reader reads it, in KST (2024-10-17 13:42 KST), kept on one line: the raw ISO
    time broke mid-date on a phone. A value that is no time is shown as it is."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        text = value
    else:
        when = when.astimezone(KST) if when.tzinfo else when
        text = when.strftime("%Y-%m-%d %H:%M") + (" KST" if when.tzinfo else "")
    return Markup('<span class="np-time">published ') + escape(text) + Markup("</span>")


def _not_found(article: str) -> dict:
    return {"a": {"id": article, "title_ko": f"No article {article}"}, "sentences": [],
            "meta": ["not in the archive" if article.isdigit() else
                     "an article's number is a whole number, like /-/article/12"]}


def _english(request, datasette, row, shown, sents, pub) -> dict:
    """What the English column shows: the machine English (sentences) or the publisher's (paragraphs), with a
    switch between them when there are both."""
    machine = any(s["en"] for s in sents) or bool(shown["title_en"])
    wanted = request.args.get("en") or ""
    use_publisher = pub is not None and (not machine or wanted == "publisher")
    here = datasette.urls.path(f"/-/article/{row['id']}")
    switch = []
    if pub is not None and machine:
        switch = [{"label": "machine English", "href": None if not use_publisher else here},
                  {"label": "the publisher's own English", "href": here + "?en=publisher" if not use_publisher
                   else None}]
    if not use_publisher:
        return {"switch": switch, "publisher": vars(pub) if pub is not None else None}
    return {"switch": switch, "publisher": None, "paragraphs": publisher_paragraphs(row["body_ko"], pub),
            "title_en": pub.title_en,
            "subtitle_en": pub.subtitle_en, "english_is": "English (the publisher's own)"}


def _meta(row, shown, english: dict) -> list:
    authors = ", ".join(json.loads(row["authors"] or "[]"))
    return [x for x in (row["outlet"], authors, published(row["published_at"]), _link(row["url"]),
                        "English: the publisher's own" if english.get("paragraphs") else _translation_line(shown))
            if x]


async def article_page(datasette, request):
    raw = request.url_vars["id"]
    search_url = datasette.urls.path("/-/search")
    if not (raw.isascii() and raw.isdigit()):
        return await _render(datasette, request, "article.html", {**_not_found(raw), "search_url": search_url},
                             status=404)
    article_id = int(raw)
    found = await datasette.get_database().execute_fn(lambda conn: _article_rows(conn, article_id))
    if found is None:
        return await _render(datasette, request, "article.html", {**_not_found(str(article_id)),
                                                                  "search_url": search_url}, status=404)
    row, shown, orig, sents, pub, gone, others = found
    original = None if orig is None else {
        "id": orig["id"], "href": datasette.urls.path(f"/-/article/{orig['id']}"),
        "parts": [x for x in (orig["outlet"], (orig["published_at"] or "")[:10]) if x]}
    english = _english(request, datasette, row, shown, sents, pub)
    meta = _meta(row, shown, english)
    captions = [c for c in json.loads(row["captions"] or "[]") if isinstance(c, dict) and c.get("text")]
    return await _render(datasette, request, "article.html", {
        "a": dict(row), "title_en": row["title_en"] or (shown["title_en"] if original else None),
        "subtitle_ko": row["subtitle_ko"], "subtitle_en": row["subtitle_en"] or (
            shown["subtitle_en"] if original else None),
        "body_ko": row["body_ko"], "meta": meta, "sentences": _sentence_items(sents), "captions": captions,
        "original": original, "gone": gone, "search_url": search_url, "english_is": "English",
        "copies": [{**c.__dict__, "href": datasette.urls.path(f"/-/article/{c.id}"), "link": _link(c.url)}
                   for c in others], **english})
