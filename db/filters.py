"""SQL conditions on the articles table (aliased ``a``) shared by search, export and retranslation."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from nlp.query import QueryError

from .connection import marks, reader


class RangeError(QueryError):
    """A date range that ends before it starts (one line: nothing could ever match it); a command-line mistake,
    so the command exits 2."""
    exit_code = 2


SORTS = ("relevance", "newest")


def check_paging(limit: int, offset: int, sort: str) -> None:
    """QueryError for a page the search engine cannot give."""
    if limit < 1:
        raise QueryError("--limit must be 1 or more")
    if offset < 0:
        raise QueryError("--offset must be 0 or more")
    if sort not in SORTS:
        raise QueryError(f"--sort must be relevance or newest, not {sort!r}")


def source_filter(conds: list[str], params: list, sources: list[str]) -> None:
    """Add ``a.source_id`` is one of ``sources`` (nothing when empty)."""
    if len(sources) == 1:
        conds.append("a.source_id = ?")
    elif sources:
        conds.append(f"a.source_id IN ({marks(len(sources))})")
    params += sources


# a title after the name: 기자 with what may stand before it (수습, 인턴; 대 of 대기자 only after a space: 홍길대 기자 is
# a name), and the other titles a byline prints (scrapers/clean/common.py's REPORTER_TITLES, which db/ does not import)
_TITLE = re.compile(r"(?:\s+대|\s*(?:수습|선임|전문|객원|시민|사진|영상|취재|인턴|수석|기획|전임|명예|특별))?\s*"
                    r"(?:기자|특파원|논설위원|위원|통신원|PD|pd|앵커|에디터|편집장|편집국장|주필)$")


def author_name(name: str) -> str:
    """A name as --author gives it, as the archive holds names: NFC, no spaces (`홍 길 동`), no title after it
    (`홍길동 기자`); QueryError when nothing is left."""
    wanted = unicodedata.normalize("NFC", name).strip()
    wanted = re.sub(r"\s+", "", _TITLE.sub("", wanted) if len(wanted) <= 100 else wanted)
    if not wanted:
        raise QueryError(f"--author wants a name (as a byline prints it: 홍길동), not {name!r}")
    if len(wanted) > 100:
        raise QueryError("--author: a name of more than 100 characters is no byline's")
    return wanted


def author_names(values: Iterable[str] | None) -> list[str]:
    """The names given (--author, repeatable, or the web form's field), each of them possibly several separated by
    commas ('홍길동, 김철수'), as given."""
    return [n.strip() for v in values or () for n in re.split(r"[,，、]", v) if n.strip()]


def author_filter(conds: list[str], params: list, authors: Iterable[str] | None) -> None:
    """Add: an author of the article is one of ``authors`` (author_names, in author_name's form; nothing when
    empty). Names are whole: 홍길동 is not 홍길."""
    names = sorted({author_name(a) for a in author_names(authors)})
    if names:
        conds.append("EXISTS (SELECT 1 FROM json_each(a.authors) j WHERE replace(j.value, ' ', '') "
                     f"IN ({marks(len(names))}))")
        params += names


def known_author(db, name: str) -> bool:
    """Whether an article of the archive names ``name`` (author_name's form) among its authors: author_filter's
    condition, so the note and the filter cannot disagree on what a match is."""
    conds: list[str] = []
    params: list = []
    author_filter(conds, params, [name])
    return bool(conds) and next(iter(reader(db)(f"SELECT 1 FROM articles a WHERE {conds[0]} LIMIT 1", params)),
                                None) is not None


def region_filter(conds: list[str], params: list, region: str | None) -> None:
    """Add: ``a.source_id`` is a source of ``region`` (nothing when None)."""
    if region:
        conds.append("a.source_id IN (SELECT id FROM sources WHERE region = ?)")
        params.append(region)


def undated(db, source=None, region: str | None = None, done: str = "clean") -> int:
    """The articles of ``source`` (an id or several) and ``region`` whose stage ``done`` (clean, nlp) is done
    that have no publication date: what --since or --until leaves out without a word."""
    if done not in ("clean", "nlp"):
        raise ValueError(done)
    conds, params = article_filters(None, None, source)
    region_filter(conds, params, region)
    where = " AND ".join(["(a.published_at IS NULL OR a.published_at = '')", f"a.{done}_status = 'done'", *conds])
    return next(iter(reader(db)(f"SELECT count(*) FROM articles a WHERE {where}", params)))[0]


def undated_left_out(archive, **options) -> int:
    """How many articles without a date would have given export pairs under ``options`` (db.export.pairs' but
    the dates): what --since or --until left out."""
    from .export import pairs
    options.pop("since", None), options.pop("until", None)
    return len({p.id.split("-")[0] for p in pairs(archive, **options, undated_only=True)})


def _end(until: str) -> str:
    """Where a range ending at ``until`` ends (exclusive), as a string to compare with the archive's KST ISO
    times (2024-10-17T13:42:00+09:00): "on or before" ``until``, so a bare date includes that whole day, a time
    that whole minute (13:42, as the command line and the web give it, 13:42:00: up to 13:42:59), a time with
    other seconds that second (13:42:30 up to 13:42:30)."""
    if len(until) == 10:
        return until + "T99"
    return until[:16] + ":99" if until[16:19] in ("", ":00") else until[:19] + "~"


def check_range(since: str | None, until: str | None) -> None:
    """RangeError for a range that ends before it starts, or where it starts (times): dates and KST ISO times
    (as the command line's DATE makes them), compared as article_filters applies them."""
    if since and until and since >= _end(until):
        raise RangeError(f"since {since} is not before until {until}: no article can be in that range")


def article_filters(since: str | None = None, until: str | None = None,
                    source: str | Iterable[str] | None = None,
                    author: str | Iterable[str] | None = None) -> tuple[list[str], list]:
    """SQL conditions on the articles table aliased ``a``: published in [since, end of until], from source
    (an id, or several), by author (a name, or several: any of them)."""
    conds: list[str] = []
    params: list = []
    check_range(since, until)
    if since:
        conds.append("a.published_at >= ?")
        params.append(since)
    if until:
        conds.append("a.published_at < ?")
        params.append(_end(until))
    source_filter(conds, params, [source] if isinstance(source, str) else list(source or ()))
    author_filter(conds, params, [author] if isinstance(author, str) else author)
    return conds, params


def known_filters(db, source, region: str | None) -> None:
    """QueryError for a source or region the archive does not have (finding nothing would say nothing)."""
    if not source and not region:
        return
    rows = reader(db)
    if _no_articles(db):       # an empty archive: its filters find nothing, as they should (a cron export's note
        return                 # says it is empty, exit 0: review)
    known = {r[0]: r[1] for r in rows("SELECT id, region FROM sources")}
    for sid in [source] if isinstance(source, str) else list(source or ()):
        if sid not in known:             # listed as `newspipe search --source` lists them
            have = sorted(known)
            listed = ", ".join(have[:12]) + (", …" if len(have) > 12 else "") if have else "none yet"
            raise QueryError(f"unknown source {sid!r}: this archive has {listed}")
    if region and region not in known.values():
        have = sorted({r for r in known.values() if r})
        raise QueryError(f"unknown region {region!r}: this archive's are {', '.join(have) or 'none yet'}")


def known_backend(db, backend: str | None, translators=()) -> str | None:
    """``backend`` (case aside) when it is one of newspipe's ``translators`` (google, libre, ...), publisher, or
    some English in the archive is of it; else QueryError naming the archive's and the translators (finding nothing
    would say nothing). A translator whose English the archive does not hold yet is no mistake: the export is
    empty, with its note (review: 'export --backend deepl' the night after a switch to DeepL, with DeepL's
    English still pending, was 'unknown backend', exit 1)."""
    if backend is None:
        return None
    if _no_articles(db):                                  # (see known_filters)
        return backend.lower()
    engines = [*translators, "publisher"]
    have = sorted(r[0] for r in reader(db)("SELECT translation_backend FROM articles WHERE translation_backend IS "
                                           "NOT NULL UNION SELECT backend FROM translations"))
    if backend.lower() not in have and backend.lower() not in engines:
        raise QueryError(f"unknown backend {backend!r}: this archive's English is from {', '.join(have) or 'none yet'}"
                         f" (the backends are {', '.join(engines)})")
    return backend.lower()


def _no_articles(db) -> bool:
    """Whether the archive holds no article (on an Archive or on the web plugin's sqlite3 connection)."""
    return next(iter(reader(db)("SELECT 1 FROM articles LIMIT 1")), None) is None
