"""Streaming export of the aligned ko/en pairs: JSONL, TSV, CSV, TMX 1.4b, Moses.

Rows are read with a cursor and written as they come (constant memory; ``--dedupe`` alone keeps
one 64-bit hash per distinct pair). Output to a regular file goes to a temporary file beside it and
is renamed into place only when complete, so an interrupted export (or a full disk) never leaves a
truncated file under the final name; stdout, FIFOs and devices are written directly.

The Korean side is the archive's text unchanged: sentence pairs are the stored Kiwi sentences,
paragraph pairs the stored body's paragraphs, article pairs title, subtitle and body joined by
newlines. Each format escapes only what it must (see the README's "Export formats").
"""
from __future__ import annotations

import csv
import io
from json.encoder import encode_basestring
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from xml.sax.saxutils import quoteattr

from scrapers.util.urls import web_address

from .archive import Archive, article_filters, reader
from .export_io import ExportError, ExportOptionsError, output, refuse_archive_file
from .filters import region_filter
from .publisher_en import publisher_english

FORMATS = ("jsonl", "tsv", "csv", "tmx", "moses")
LEVELS = ("sentence", "paragraph", "article")
PROVENANCES = ("publisher", "machine")
SEGTYPE = {"sentence": "sentence", "paragraph": "paragraph", "article": "block"}
TSV_HEADER = ("id", "ko", "en", "url", "source", "published_at", "provenance", "backend")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Everything a line-based reader (Python's splitlines, Moses' scripts, wc -l) may take as a line break.
_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_ESCAPE = re.compile(r"[\\\t\n\r]")
_TSV_UNESCAPE = re.compile(r"\\([\\tnr])")
# Line separators JSON allows raw but line-based readers split on (str.splitlines, JavaScript).
_JSON_RAW_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(slots=True)
class Pair:
    id: str
    ko: str
    en: str
    url: str                    # an http(s) address, else "" (an ingested file's path stays home)
    source: str
    published_at: str
    provenance: str | None      # machine or publisher; None: no English (an untranslated article of --all)
    backend: str | None = None  # what translated it: the translator (google, libre, ...), or publisher


def _joined(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def check_options(level: str, provenance: str | None = None, include_all: bool = False,
                  backend: str | None = None) -> None:
    """ExportError for options no export can honour, ExportOptionsError (exit 2) for ones that contradict each
    other; checked before the archive is read."""
    if level not in LEVELS:
        raise ExportError(f"--level must be one of {', '.join(LEVELS)}")
    if provenance is not None and provenance not in PROVENANCES:
        raise ExportError(f"--provenance must be one of {', '.join(PROVENANCES)}")
    if include_all and level != "article":
        raise ExportOptionsError("--all works with --level article only (untranslated sentences have no pair)")
    if include_all and backend is not None:     # an article without English has no backend: it left silently
        raise ExportOptionsError(f"--all adds the articles without English, and --backend {backend} keeps only "
                                 "English of one translator: choose one")
    if "publisher" in (provenance, backend) and level != "article":
        raise ExportOptionsError("publisher translations are whole articles, not sentence-aligned: use --level "
                                 "article")


def pairs(archive: Archive, level: str = "sentence", since: str | None = None, until: str | None = None,
          source: str | None = None, include_all: bool = False, provenance: str | None = None,
          min_chars: int = 0, dedupe: bool = False, ids: list[int] | None = None,
          one_per_story: bool = False, region: str | None = None, undated_only: bool = False,
          backend: str | None = None, author: str | Iterable[str] | None = None) -> Iterator[Pair]:
    """The pairs at ``level``, in archive order, filtered (``source``: an id or several; ``region``: its sources';
    ``ids``: only these articles, e.g. a search's hits; ``author``: only articles one of these names wrote
    (db.filters.author_name); ``backend``: only English of this translator (or
    publisher); ``one_per_story``: only the article kept of each story, db.stories.representative_sql); a generator
    (nothing is held in memory). ``archive``: an Archive or a sqlite3 connection to one."""
    check_options(level, provenance, include_all, backend)
    conds, params = article_filters(since, until, source, author)
    region_filter(conds, params, region)
    conds.insert(0, "a.clean_status='done'")
    if undated_only:           # what --since/--until leave out (undated_left_out)
        conds.append("(a.published_at IS NULL OR a.published_at = '')")
    if ids is not None:
        conds.append(f"a.id IN ({','.join(str(int(i)) for i in ids) or 'NULL'})")
    if one_per_story:
        from .stories import representative_sql
        conds.append(representative_sql("a"))
    where = " AND ".join(conds)
    cols = ("a.id, coalesce(a.canonical_url, a.url), coalesce(a.source_id,''), coalesce(a.published_at,'')")
    if level == "article":
        items = _articles(archive, cols, where, params, include_all, provenance, backend)
    else:
        if backend is not None:
            where += " AND a.translation_backend = ?"
            params.append(backend)
        items = _segments(archive, cols, where, params, level)
    seen: set[int] = set()
    for p in items:
        if min_chars and len(p.ko) < min_chars:
            continue
        if dedupe:
            key = hash((p.ko, p.en))
            if key in seen:
                continue
            seen.add(key)
        yield p


def _segments(archive: Archive, cols: str, where: str, params: list, level: str) -> Iterator[Pair]:
    """Title and subtitle pairs, then each sentence (or each paragraph whose sentences all have English)."""
    rows = reader(archive)
    arts = rows(
        f"SELECT {cols}, coalesce(a.translation_provenance, 'machine'), a.translation_backend, a.title_ko, "
        "a.title_en, a.subtitle_ko, "
        f"a.subtitle_en, {'a.body_ko' if level == 'paragraph' else 'NULL'} FROM articles a WHERE {where} "
        "AND a.nlp_status='done' ORDER BY a.id", params)
    sents = "SELECT idx, para, ko, en FROM sentences WHERE article_id=? ORDER BY idx"
    for aid, url, src, pub, prov, engine, title, title_en, sub, sub_en, body in arts:
        url = web_address(url) or ""
        if title and title_en:
            yield Pair(f"{aid}-title", title, title_en, url, src, pub, prov, engine)
        if sub and sub_en:
            yield Pair(f"{aid}-subtitle", sub, sub_en, url, src, pub, prov, engine)
        if level == "sentence":
            for idx, _, ko, en in rows(sents, [aid]):
                if en is not None:
                    yield Pair(f"{aid}-s{idx}", ko, en, url, src, pub, prov, engine)
            continue
        paras = body.split("\n") if body else []
        groups: dict[int, list[str | None]] = {}
        for _, para, _, en in rows(sents, [aid]):
            groups.setdefault(para, []).append(en)
        for para, ens in groups.items():
            if 0 <= para < len(paras) and None not in ens:    # a pair only when every sentence has its English
                yield Pair(f"{aid}-p{para}", paras[para], " ".join(e for e in ens if e), url, src, pub, prov,
                           engine)


def _articles(archive: Archive, cols: str, where: str, params: list, include_all: bool,
              provenance: str | None, backend: str | None) -> Iterator[Pair]:
    parts = []
    args: list = []
    ko = "a.title_ko, a.subtitle_ko, a.body_ko"
    if provenance != "publisher":
        machine = "" if include_all else " AND a.title_en IS NOT NULL"
        if provenance == "machine" and not include_all:
            machine += " AND coalesce(a.translation_provenance, 'machine')='machine'"
        if backend is not None:
            machine += " AND a.translation_backend = ?"
        parts.append(f"SELECT {cols}, 0, a.translation_backend, {ko}, a.title_en, a.subtitle_en, a.body_en "
                     f"FROM articles a WHERE {where}{machine}")
        args += [*params, *([backend] if backend is not None else [])]
    if provenance != "machine":
        engine = "" if backend is None else " AND t.backend = ?"
        parts.append(f"SELECT {cols}, 1, t.backend, {ko}, t.title_en, t.subtitle_en, t.body_en FROM translations "
                     f"t JOIN articles a ON a.id=t.article_id WHERE {where}{engine} AND t.id=(SELECT max(id) FROM "
                     "translations WHERE article_id=a.id AND provenance='publisher')")
        args += [*params, *([backend] if backend is not None else [])]
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 5"
    for aid, url, src, pub, is_pub, engine, t, st, b, te, ste, be in reader(archive)(sql, args):
        english = is_pub or te is not None          # (--all: an untranslated article has neither)
        yield Pair(f"{aid}-publisher" if is_pub else str(aid), _joined(t, st, b), _joined(te, ste, be),
                   web_address(url) or "", src, pub, ("publisher" if is_pub else "machine") if english else None,
                   engine if english else None)


def jsonl_line(p: Pair) -> str:
    """A pair as a line of ``export --format jsonl`` (Hugging Face translation layout), newline included."""
    q = encode_basestring          # JSON string literal, non-ASCII kept as is (C speed)
    line = (f'{{"id": {q(p.id)}, "translation": {{"ko": {q(p.ko)}, "en": {q(p.en)}}}, '
            f'"url": {q(p.url) if p.url else "null"}, "source": {q(p.source)}, "published_at": {q(p.published_at)}, '
            f'"provenance": {q(p.provenance) if p.provenance else "null"}, '
            f'"backend": {q(p.backend) if p.backend else "null"}}}\n')
    for raw, esc in _JSON_RAW_BREAKS.items():
        if raw in line:
            line = line.replace(raw, esc)
    return line


ARTICLE_CSV = ("id", "published_at", "date", "outlet", "source_id", "region", "url", "title_ko", "title_en",
               "subtitle_ko", "subtitle_en", "body_ko", "body_en", "translate_status", "translation_provenance")


def articles_csv(db, ids: list[int]) -> str:
    """The articles ``ids`` (in that order) as CSV for a spreadsheet, CRLF line ends; an article without machine
    English has the publisher's own in its English columns, if it has one (translation_provenance: publisher)."""
    import csv
    out = io.StringIO()            # the byte-order mark: the plugin adds it to every CSV it sends
    w = csv.writer(out)
    w.writerow(ARTICLE_CSV)
    by_id = {}
    for i in range(0, len(ids), 500):
        chunk = [int(x) for x in ids[i:i + 500]]
        for r in reader(db)(
                "SELECT a.id, a.published_at, a.published_date, coalesce(nullif(a.outlet, ''), s.outlet, s.name), "
                "a.source_id, s.region, coalesce(a.canonical_url, a.url), a.title_ko, a.title_en, a.subtitle_ko, "
                "a.subtitle_en, a.body_ko, a.body_en, a.translate_status, a.translation_provenance FROM articles a "
                f"LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ({','.join('?' * len(chunk))})", chunk):
            by_id[r[0]] = (*r[:6], web_address(r[6]), *r[7:])
    # no machine English: the publisher's own, if it published one (translation_provenance says whose)
    for aid, pub in publisher_english(db, [i for i, r in by_id.items() if r[8] is None and r[12] is None]).items():
        r = by_id[aid]
        by_id[aid] = (*r[:8], pub.title_en, r[9], pub.subtitle_en, r[11], pub.body_en, r[13], "publisher")
    for i in ids:
        if i in by_id:        # a cell that starts like a formula gets the text mark, as `export --format csv`
            w.writerow(["" if v is None else csv_cell(v) if isinstance(v, str) else v for v in by_id[i]])
    return out.getvalue()


def tsv_field(s: str) -> str:
    """Backslash, tab, newline and carriage return as ``\\\\ \\t \\n \\r`` (the escaping of tsv export)."""
    if s.isprintable() and "\\" not in s:        # the common case, at C speed
        return s
    return _TSV_ESCAPE.sub(lambda m: _TSV_ESCAPES[m.group()], s)


def tsv_unescape(s: str) -> str:
    """The inverse of :func:`tsv_field`: read a field of an exported TSV back to the archive's text."""
    return _TSV_UNESCAPE.sub(lambda m: {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}[m.group(1)], s)


# A cell a spreadsheet reads as a formula when it starts so (OWASP's CSV injection list): "- 전주시는 …" shows as
# #NAME?, "=HYPERLINK(…)" from a page runs when the file is opened.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(s: str | None) -> str | None:
    """A cell a spreadsheet shows as the text it is: one that starts like a formula gets Excel's text mark, an
    apostrophe, in front (Excel hides it; undo with csv_unescape); so does one that starts with apostrophes
    before such a character, so that every cell reads back exactly."""
    return "'" + s if s and s.lstrip("'").startswith(_FORMULA_START) else s


def csv_unescape(s: str) -> str:
    """The inverse of :func:`csv_cell`: a cell of an exported CSV back to the archive's text."""
    return s[1:] if s.startswith("'") and s.lstrip("'").startswith(_FORMULA_START) else s


def moses_line(s: str) -> str:
    """A segment on one line: line breaks (of any kind a reader may split on) become spaces, nothing else changes."""
    return _LINE_BREAKS.sub(" ", s)


def xml_text(s: str) -> str:
    """Text for a TMX element: characters XML forbids removed, markup escaped, CR kept as a reference."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not s.isprintable():                       # only then can it hold a control character
        s = _XML_ILLEGAL.sub("", s).replace("\r", "&#13;")
    return s


def _archive_path(archive) -> str | None:
    """The file of ``archive`` (an Archive or a sqlite3 connection to one)."""
    if hasattr(archive, "path"):
        return str(archive.path)
    return next((r[2] for r in archive.execute("PRAGMA database_list") if r[1] == "main" and r[2]), None)


def _moses(out: str, items) -> int:
    if out == "-":
        raise ExportError("moses writes two files (PREFIX.ko and PREFIX.en): give -o PREFIX")
    if out.endswith(os.sep) or os.path.isdir(out):
        raise ExportError(f"moses writes PREFIX.ko and PREFIX.en: -o {out} is a directory, give a prefix "
                          f"such as {os.path.join(out, 'pairs')}")
    n = 0
    with output(out, ".ko") as ko_fh, output(out, ".en") as en_fh:
        for p in items:
            ko_fh.write(moses_line(p.ko) + "\n")
            en_fh.write(moses_line(p.en) + "\n")
            n += 1
    return n


def _tmx(write, items, level: str) -> int:
    write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
          f'<header creationtool="newspipe" creationtoolversion="0.1" segtype="{SEGTYPE[level]}" '
          'o-tmf="newspipe" adminlang="en" srclang="ko" datatype="plaintext"/>\n<body>\n')
    n = 0
    for p in items:
        props = "".join(f'<prop type="{k}">{xml_text(v)}</prop>' for k, v in
                        (("x-source", p.source), ("x-url", p.url), ("x-date", p.published_at),
                         ("x-provenance", p.provenance), ("x-backend", p.backend)) if v)
        write(f'<tu tuid={quoteattr(p.id)}>{props}<tuv xml:lang="ko"><seg>{xml_text(p.ko)}</seg></tuv>'
              f'<tuv xml:lang="en"><seg>{xml_text(p.en)}</seg></tuv></tu>\n')
        n += 1
    write("</body>\n</tmx>\n")
    return n


def export(archive: Archive, fmt: str, out: str, level: str = "sentence", **filters) -> int:
    """Write the pairs in ``fmt`` to ``out`` (a path, ``-`` for stdout, a prefix for moses); returns the count."""
    if fmt not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}")
    if filters.get("include_all") and fmt in ("tmx", "moses"):
        raise ExportOptionsError(f"--all adds articles without English, and {fmt} holds pairs only (each would get "
                                 "an empty English side): leave --all out, or export jsonl, tsv or csv")
    refuse_archive_file(out, [out + ".ko", out + ".en"] if fmt == "moses" else [out], _archive_path(archive))
    items = pairs(archive, level, **filters)
    first = next(items, None)                     # a bad option fails here, before a byte is written
    items = chain([first], items) if first is not None else iter(())
    if fmt == "moses":
        return _moses(out, items)
    n = 0
    with output(out) as fh:
        write = fh.write
        if fmt == "jsonl":
            for p in items:
                write(jsonl_line(p))
                n += 1
        elif fmt == "csv":              # for a spreadsheet: RFC 4180 quoting, a BOM so Korean Excel reads UTF-8
            write("\ufeff")
            rows = csv.writer(fh, lineterminator="\r\n")
            rows.writerow(TSV_HEADER)
            for p in items:
                rows.writerow(map(csv_cell, (p.id, p.ko, p.en, p.url, p.source, p.published_at, p.provenance or "",
                                             p.backend or "")))
                n += 1
        elif fmt == "tsv":
            write("\t".join(TSV_HEADER) + "\n")
            for p in items:
                write("\t".join((p.id, tsv_field(p.ko), tsv_field(p.en), tsv_field(p.url), tsv_field(p.source),
                                 p.published_at, p.provenance or "", tsv_field(p.backend or ""))) + "\n")
                n += 1
        else:
            n = _tmx(write, items, level)
    return n
