"""What the archive stores compressed reads back exactly: raw pages (db/bodies.py: zstd, against a reference
page of the same source) and the cleaner's removals (db/packing.py), on the real pages of the shared corpus;
rows an earlier newspipe wrote (zlib bodies, removals as JSON text) still read."""
from __future__ import annotations

import sqlite3
import zlib
from dataclasses import asdict

import pytest
import zstandard

from conftest import CORPUS, KOREAN
from db.archive import Archive
from db.connection import dumps, sha256
from scrapers.clean import clean_page
from scrapers.types import FetchedPage

FETCHED = "2026-11-27T00:00:00+09:00"


def corpus_pages() -> list[tuple[str, str, bytes]]:
    """(source id, URL, bytes) of the Korean HTML pages of the corpus, by file name (the site names the source)."""
    files = sorted(KOREAN.glob("*.html")) + sorted((CORPUS / "korean-news-extra").glob("*.html"))
    return [(f.stem.split("__")[0], f"https://{f.stem.split('__')[0]}.example/{f.stem.split('__')[1]}",
             f.read_bytes()) for f in files]


def fetched(url: str, body: bytes, source_id: str | None) -> FetchedPage:
    return FetchedPage(url=url, final_url=url, status=200, body=body, source_id=source_id, fetched_at=FETCHED,
                       content_type="text/html")


def stored(db, digest: str) -> tuple[str, bytes]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT compression, body FROM page_bodies WHERE sha256=?", [digest]).fetchone()
    finally:
        con.close()


@pytest.mark.corpus
def test_real_pages_read_back_exactly_and_a_sources_later_pages_are_stored_against_its_first(tmp_path):
    pages = corpus_pages()
    db = tmp_path / "a.db"
    arch = Archive(db)
    ids = [arch.store_page(fetched(url, body, src)) for src, url, body in pages]
    assert all(arch.page_for_article(aid).body == body for aid, (_, _, body) in zip(ids, pages))
    arch.close()
    arch = Archive(db)                                     # nothing in memory: references read from the archive
    assert all(arch.page_for_article(aid).body == body for aid, (_, _, body) in zip(ids, pages))
    arch.close()
    mk = [body for src, _, body in pages if src == "mk.co.kr"]
    assert len(mk) == 8
    assert stored(db, sha256(mk[0]))[0] == "zstd"
    plain = zstandard.ZstdCompressor(level=9)
    for body in mk[1:]:
        compression, data = stored(db, sha256(body))
        assert compression == "zstd:" + sha256(mk[0])
        assert len(data) <= len(plain.compress(body)) / 2          # the template is not stored again
    # a source's first page is plain zstd
    assert stored(db, sha256(pages[0][2]))[0] == "zstd"


def test_a_page_its_reference_helps_without_halving_it_leaves_the_reference_a_new_layout_replaces_it(tmp_path):
    import random
    rnd = random.Random(19)

    def text(n: int) -> bytes:              # Korean-like text zstd cannot squeeze much: syllables at random
        return "".join(chr(0xAC00 + rnd.randrange(11172)) + (" " if rnd.random() < .3 else "")
                       for _ in range(n)).encode("utf-8")
    layout, other = text(6000), text(6000)
    pages = [layout + text(300), layout + text(9000), layout + text(300), other + text(300), other + text(300)]
    arch = Archive(tmp_path / "a.db")
    ids = [arch.store_page(fetched(f"https://jb.example/{i}", body, "jb")) for i, body in enumerate(pages)]
    assert all(arch.page_for_article(aid).body == body for aid, body in zip(ids, pages))
    arch.close()
    got = [stored(tmp_path / "a.db", sha256(body))[0] for body in pages]
    assert got == ["zstd",
                   "zstd",                          # most of it its own article: plain, and not the reference
                   "zstd:" + sha256(pages[0]),      # so the next page is stored against the first one still
                   "zstd",                          # a new layout: plain, and the reference from now on
                   "zstd:" + sha256(pages[3])]


@pytest.mark.corpus
def test_new_pages_of_a_source_keep_working_beside_an_earlier_archives_zlib_rows(tmp_path):
    mk = [(url, body) for src, url, body in corpus_pages() if src == "mk.co.kr"]
    db = tmp_path / "a.db"
    arch = Archive(db)
    old = arch.store_page(fetched(*mk[0], "mk"))
    arch.close()
    con = sqlite3.connect(db)                              # the row as newspipe wrote it before zstd
    con.execute("UPDATE page_bodies SET compression='zlib', body=? WHERE sha256=?",
                [zlib.compress(mk[0][1], 6), sha256(mk[0][1])])
    con.commit()
    con.close()
    arch = Archive(db)
    assert arch.page_for_article(old).body == mk[0][1]
    new = [arch.store_page(fetched(url, body, "mk")) for url, body in mk[1:4]]
    assert [arch.page_for_article(a).body for a in new] == [body for _, body in mk[1:4]]
    arch.close()
    assert stored(db, sha256(mk[1][1]))[0] == "zstd"               # a zlib body is no reference
    assert stored(db, sha256(mk[2][1]))[0] == "zstd:" + sha256(mk[1][1])


@pytest.mark.corpus
def test_a_reference_rolled_back_with_its_transaction_is_not_used(tmp_path):
    mk = [(url, body) for src, url, body in corpus_pages() if src == "mk.co.kr"]
    db = tmp_path / "a.db"
    arch = Archive(db)
    with pytest.raises(RuntimeError):
        with arch.db.atomic():
            arch.store_page(fetched(*mk[0], "mk"))
            raise RuntimeError("killed before the commit")
    aid = arch.store_page(fetched(*mk[1], "mk"))
    assert stored(db, sha256(mk[1][1]))[0] == "zstd" and stored(db, sha256(mk[0][1])) is None
    assert arch.page_for_article(aid).body == mk[1][1]
    arch.close()


@pytest.mark.corpus
def test_a_body_whose_reference_is_gone_or_whose_compression_is_unknown_fails_with_a_reason(tmp_path):
    mk = [(url, body) for src, url, body in corpus_pages() if src == "mk.co.kr"]
    db = tmp_path / "a.db"
    arch = Archive(db)
    ids = [arch.store_page(fetched(url, body, "mk")) for url, body in mk[:2]]
    arch.close()
    con = sqlite3.connect(db)
    con.execute("UPDATE page_bodies SET compression=? WHERE sha256=?", ["zstd:" + "0" * 64, sha256(mk[1][1])])
    con.execute("UPDATE page_bodies SET compression='brotli' WHERE sha256=?", [sha256(mk[0][1])])
    con.commit()
    con.close()
    arch = Archive(db)
    with pytest.raises(ValueError, match="0{64} that other page bodies are compressed with is missing"):
        arch.page_for_article(ids[1])
    with pytest.raises(ValueError, match="unknown compression 'brotli'"):
        arch.page_for_article(ids[0])
    arch.close()


@pytest.mark.corpus
def test_the_cleaners_removals_are_stored_compressed_and_read_back_as_before(tmp_path):
    name = "hankookilbo__A2025051516330004328"
    url = "https://www.hankookilbo.com/News/Read/A2025051516330004328"
    body = (KOREAN / f"{name}.html").read_bytes()
    art = clean_page(body, url, "text/html")
    assert len(art.removed) >= 5
    db = tmp_path / "a.db"
    arch = Archive(db)
    aid = arch.store_page(fetched(url, body, "hankookilbo"))
    assert arch.store_clean(aid, art, "t") == "done"
    other = arch.store_page(fetched(url + "?x", body.replace("</html>".encode(), b"<!-- 2 --></html>"), None))
    empty = clean_page(body, url, "text/html")
    empty.removed = []
    arch.store_clean(other, empty, "t")
    assert arch.article(aid)["removed"] == [asdict(r) for r in art.removed]
    assert arch.article(other)["removed"] == []
    arch.close()
    con = sqlite3.connect(db)
    (kind, size), = con.execute("SELECT typeof(removed), length(removed) FROM articles WHERE id=?", [aid])
    assert kind == "blob" and size < len(dumps([asdict(r) for r in art.removed]).encode())
    assert con.execute("SELECT removed FROM articles WHERE id=?", [other]).fetchone() == ("[]",)
    # an article cleaned by an earlier newspipe: the removals as JSON text
    con.execute("UPDATE articles SET removed=? WHERE id=?", [dumps([asdict(r) for r in art.removed]), aid])
    con.commit()
    con.close()
    arch = Archive(db)
    assert arch.article(aid)["removed"] == [asdict(r) for r in art.removed]
    arch.close()
