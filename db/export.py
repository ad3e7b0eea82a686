"""Streaming export of the aligned ko/en pairs: JSONL, TSV, TMX 1.4b, Moses.

Rows are read with a cursor and written as they come (constant memory). Output goes to a
temporary file beside the target and is renamed into place only when complete, so an
interrupted export never leaves a truncated file under the final name.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .archive import Archive, article_filters

FORMATS = ("jsonl", "tsv", "tmx", "moses")
LEVELS = ("sentence", "paragraph", "article")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(Exception):
    pass


@dataclass
class Pair:
    id: str
    ko: str
    en: str
    url: str
    source: str
    published_at: str
    provenance: str


def pairs(archive: Archive, level: str = "sentence", since=None, until=None, source=None, include_all=False,
          provenance=None, min_chars: int = 0, dedupe: bool = False) -> Iterator[Pair]:
    if level not in LEVELS:
        raise ExportError(f"--level must be one of {', '.join(LEVELS)}")
    if include_all and level != "article":
        raise ExportError("--all works with --level article only")
    conds, params = article_filters(since, until, source)
    conds.insert(0, "a.clean_status='done'")
    if not include_all:
        conds.append("a.title_en IS NOT NULL")
    if provenance:
        conds.append("a.translation_provenance = ?")
        params.append(provenance)
    where = " AND ".join(conds)
    seen: set[int] = set()
    cols = "a.id, coalesce(a.canonical_url, a.url), coalesce(a.source_id,''), coalesce(a.published_at,''), " \
           "coalesce(a.translation_provenance,'')"
    if level == "sentence":
        sql = (f"SELECT {cols}, s.idx, s.ko, s.en FROM articles a JOIN sentences s ON s.article_id=a.id "
               f"WHERE {where} AND s.en IS NOT NULL ORDER BY a.id, s.idx")
        rows = ((f"{r[0]}-s{r[5]}", r[6], r[7], r) for r in archive.query(sql, params))
    elif level == "paragraph":
        sql = (f"SELECT {cols}, s.para, group_concat(s.ko, ' '), group_concat(coalesce(s.en,''), ' '), "
               f"sum(s.en IS NULL) FROM articles a JOIN sentences s ON s.article_id=a.id WHERE {where} "
               f"GROUP BY a.id, s.para ORDER BY a.id, s.para")
        rows = ((f"{r[0]}-p{r[5]}", r[6], r[7], r) for r in archive.query(sql, params) if not r[8])
    else:
        sql = (f"SELECT {cols}, a.title_ko, a.body_ko, a.title_en, a.body_en FROM articles a WHERE {where} "
               f"ORDER BY a.id")
        rows = ((str(r[0]), "\n".join(x for x in (r[5], r[6]) if x), "\n".join(x for x in (r[7], r[8]) if x), r)
                for r in archive.query(sql, params))
    for pid, ko, en, r in rows:
        if min_chars and len(ko) < min_chars:
            continue
        if dedupe:
            h = hash((ko, en))
            if h in seen:
                continue
            seen.add(h)
        yield Pair(pid, ko, en or "", r[1], r[2], r[3], r[4])


@contextmanager
def _atomic(path: str, suffix: str = ""):
    if path == "-":
        yield sys.stdout
        return
    target = Path(path + suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _tsv(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _xml(s: str) -> str:
    return escape(_XML_ILLEGAL.sub("", s))


def export(archive: Archive, fmt: str, out: str, level: str = "sentence", **filters) -> int:
    if fmt not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}")
    items = pairs(archive, level, **filters)
    n = 0
    if fmt == "moses":
        if out == "-":
            raise ExportError("moses writes two files (PREFIX.ko and PREFIX.en): give -o PREFIX")
        with _atomic(out, ".ko") as ko_fh, _atomic(out, ".en") as en_fh:
            for p in items:
                ko_fh.write(" ".join(p.ko.split()) + "\n")
                en_fh.write(" ".join(p.en.split()) + "\n")
                n += 1
        return n
    with _atomic(out) as fh:
        if fmt == "tsv":
            fh.write("id\tko\ten\turl\tsource\tpublished_at\tprovenance\n")
        if fmt == "tmx":
            segtype = {"sentence": "sentence", "paragraph": "paragraph", "article": "block"}[level]
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                     f'<header creationtool="newspipe" creationtoolversion="0.1" segtype="{segtype}" '
                     'o-tmf="newspipe" adminlang="en" srclang="ko" datatype="plaintext"/>\n<body>\n')
        for p in items:
            n += 1
            if fmt == "jsonl":
                fh.write(json.dumps({"id": p.id, "translation": {"ko": p.ko, "en": p.en}, "url": p.url,
                                     "source": p.source, "published_at": p.published_at,
                                     "provenance": p.provenance}, ensure_ascii=False) + "\n")
            elif fmt == "tsv":
                fh.write("\t".join(_tsv(x) for x in (p.id, p.ko, p.en, p.url, p.source, p.published_at,
                                                     p.provenance)) + "\n")
            else:
                props = "".join(f'<prop type={quoteattr(k)}>{_xml(v)}</prop>' for k, v in
                                (("x-source", p.source), ("x-url", p.url), ("x-date", p.published_at),
                                 ("x-provenance", p.provenance)) if v)
                fh.write(f'<tu tuid={quoteattr(p.id)}>{props}<tuv xml:lang="ko"><seg>{_xml(p.ko)}</seg></tuv>'
                         f'<tuv xml:lang="en"><seg>{_xml(p.en)}</seg></tuv></tu>\n')
        if fmt == "tmx":
            fh.write("</body>\n</tmx>\n")
    return n
