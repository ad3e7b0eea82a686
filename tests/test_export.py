"""Export: each format read back with a real parser gives the archive's Korean byte for byte."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import lxml.etree
import pytest

from conftest import FIXTURES, LibreStub, newspipe, store_demo_pages
from db import export as export_mod
from db.archive import Archive
from db.export import ExportError, csv_unescape, export, moses_line, tsv_unescape
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Article, FetchedPage, PublisherTranslation, Source
from translate.backends import LibreBackend

DTD = lxml.etree.DTD(str(FIXTURES / "tmx" / "tmx14b-subset.dtd"))
# Demo pages of three layouts (ndsoft, newswave, unknown), none with a subtitle: articles 1-3.
PAGES = ["ndsoft-1003.html", "newswave-5003.html", "jipyeong-202506120001.html"]
# Written for these tests: text a real article may carry that each format must escape, and a
# sentence shared by two articles (the same press release) for --dedupe.
TRICKY = ["전주시는\t탭과 <태그> & \"따옴표\"를\r썼다.", "제어문자\x01와 \x0b수직탭, 줄바꿈\u2028구분자가 있다.",
          "기자회견은 오후 2시에 전주시청에서 열린다.",
          "- 전주시는 새 공약을 발표했다.", "=1+1 이라는 수식이 문서에 있었다.", "@전주시 계정은 새 소식을 올렸다.",
          "'=따옴표 뒤에 등호로 시작하는 문장도 있다."]          # cells a spreadsheet would take for formulas
SHARED = "기자회견은 오후 2시에 전주시청에서 열린다."


@pytest.fixture(scope="module")
def archive(tmp_path_factory, analyser):
    tmp = tmp_path_factory.mktemp("export")
    arch = Archive(tmp / "a.db")
    srcs = [Source(id="demo", name="데모", outlet="데모"),
            Source(id="jb", name="전북 테스트", outlet="전북 테스트")]
    arch.sync_sources(srcs)
    store_demo_pages(arch, "demo", PAGES)
    # Two hand-made articles (as the cleaner would hand them over), one with a publisher translation.
    for i, (body, pt) in enumerate([(TRICKY, PublisherTranslation("en", "Tabs & tags", "", ["A tab.", "Two."])),
                                    ([SHARED, "둘째 문단은 다르다."], None)]):
        url = f"https://jb.example/news/articleView.html?idxno={i}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"<html></html>",
                                          fetched_at="2026-11-26T00:00:00+09:00", source_id="jb"))
        arch.store_clean(aid, Article(url=url, title=f"전북 {i}번째 기사", body=body,
                                      published_at=f"2026-11-2{i}T09:00:00+09:00", publisher_translation=pt), "t")
    with LibreStub() as libre:
        Pipeline(arch, srcs, analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
            RunOptions(crawl=False))
    con = sqlite3.connect(tmp / "a.db")
    assert con.execute("SELECT count(*) FROM articles WHERE translate_status='done'").fetchone()[0] == 5
    yield arch, con, tmp


def expected(con, level):
    """The archive's (ko, en) pairs at ``level``, straight from SQL."""
    if level == "article":
        return [("\n".join(x for x in (t, s, b) if x), "\n".join(x for x in (te, se, be) if x))
                for t, s, b, te, se, be in con.execute(
                    "SELECT title_ko, subtitle_ko, body_ko, title_en, subtitle_en, body_en FROM articles "
                    "ORDER BY id")]
    out = []
    for aid, title, title_en, sub, sub_en, body in con.execute(
            "SELECT id, title_ko, title_en, subtitle_ko, subtitle_en, body_ko FROM articles ORDER BY id").fetchall():
        out.append((title, title_en))
        if sub:
            out.append((sub, sub_en))
        if level == "sentence":
            out += con.execute("SELECT ko, en FROM sentences WHERE article_id=? ORDER BY idx", [aid]).fetchall()
            continue
        paras = body.split("\n")
        for para, en in con.execute("SELECT para, group_concat(en, ' ') FROM (SELECT para, en FROM sentences "
                                    "WHERE article_id=? ORDER BY idx) GROUP BY para ORDER BY para", [aid]):
            out.append((paras[para], en))
    return out


def read_back(fmt, path):
    if fmt == "jsonl":
        return [(r["translation"]["ko"], r["translation"]["en"])
                for r in map(json.loads, Path(path).read_text(encoding="utf-8").splitlines())]
    if fmt == "tsv":
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows[0][:3] == ["id", "ko", "en"] and all(len(r) == 8 for r in rows)
        return [(tsv_unescape(r[1]), tsv_unescape(r[2])) for r in rows[1:]]
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0][:3] == ["id", "ko", "en"] and all(len(r) == 8 for r in rows)
        return [(csv_unescape(r[1]), csv_unescape(r[2])) for r in rows[1:]]
    if fmt == "tmx":
        tree = lxml.etree.parse(path)
        assert DTD.validate(tree), DTD.error_log.filter_from_errors()
        return [(tu.findtext("tuv[1]/seg") or "", tu.findtext("tuv[2]/seg") or "") for tu in tree.iter("tu")]
    ko = Path(path + ".ko").read_bytes().decode("utf-8").split("\n")
    en = Path(path + ".en").read_bytes().decode("utf-8").split("\n")
    assert ko[-1] == en[-1] == ""
    return list(zip(ko[:-1], en[:-1]))


@pytest.mark.parametrize("level", ["sentence", "paragraph", "article"])
@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "csv", "tmx", "moses"])
def test_each_format_reads_back_to_the_archive_text(archive, fmt, level):
    arch, con, tmp = archive
    want = expected(con, level)
    if level == "article":         # the publisher translation is a pair of its own, after the machine one
        want.insert(3 + 1, next((k, "Tabs & tags\nA tab.\nTwo.") for k, _ in want if "탭과" in k))
    out = str(tmp / f"out-{level}.{fmt}")
    assert export(arch, fmt, out, level) == len(want)
    got = read_back(fmt, out)
    if fmt == "moses":
        want = [(moses_line(k), moses_line(e)) for k, e in want]
        assert not any("\u2028" in k or "\x0b" in k for k, _ in got)
    if fmt == "tmx":               # XML cannot carry C0 controls: those alone are removed
        want = [(k.replace("\x01", "").replace("\x0b", ""), e) for k, e in want]
    assert got == want
    assert any("\t" in k for k, _ in got)       # a tab inside a segment survives every format


@pytest.mark.parametrize("level", ["sentence", "paragraph", "article"])
def test_a_csv_cell_a_spreadsheet_would_take_for_a_formula_starts_with_its_text_mark(archive, level):
    """Found in review: a sentence starting '- ', '=', '+' or '@' went into the CSV as it is, and a spreadsheet
    -- what the format is for -- shows '- 전주시는 …' as #NAME? and runs '=HYPERLINK(…)' from a page on
    opening. Such a cell starts with an apostrophe, Excel's 'this is text' (hidden); csv_unescape undoes it."""
    arch, con, tmp = archive
    out = tmp / f"formula-{level}.csv"
    export(arch, "csv", str(out), level)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if level != "article":                           # (an article's cell starts with its title)
        assert "'- 전주시는 새 공약을 발표했다." in cells and "'@전주시 계정은 새 소식을 올렸다." in cells
        assert "''=따옴표 뒤에 등호로 시작하는 문장도 있다." in cells
    assert csv_unescape("'abc") == "'abc" and csv_unescape("''=x") == "'=x" and csv_unescape("'-") == "-"


def test_untouched_korean_is_byte_identical_in_every_format(archive):
    arch, con, tmp = archive
    ko = [r[0] for r in con.execute("SELECT ko FROM sentences ORDER BY article_id, idx")]
    plain = [k for k in ko if not any(c in k for c in "\t\x01\x0b\u2028<&\"")]
    for fmt in ("jsonl", "tsv", "csv", "tmx", "moses"):
        out = str(tmp / f"plain.{fmt}")
        export(arch, fmt, out)
        got = [k for k, _ in read_back(fmt, out)]
        assert [g.encode() for g in got if g in plain] == [p.encode() for p in plain]


def test_filters(archive):
    arch, con, tmp = archive
    ids = lambda **kw: [p.id for p in export_mod.pairs(arch, **kw)]
    n_sent = con.execute("SELECT count(*) FROM sentences").fetchone()[0] + 5     # + 5 titles
    assert len(ids()) == n_sent
    jb = con.execute("SELECT count(*) FROM sentences s JOIN articles a ON a.id=s.article_id "
                     "WHERE a.source_id='jb'").fetchone()[0] + 2
    assert len(ids(source="jb")) == jb and all(i.startswith(("4-", "5-")) for i in ids(source="jb"))
    assert ids(level="article", since="2026-11-21", until="2026-11-21") == ["5"]
    assert ids(level="article", provenance="publisher") == ["4-publisher"]
    assert "4-publisher" not in ids(level="article", provenance="machine")
    with pytest.raises(ExportError, match="not sentence-aligned"):
        ids(provenance="publisher")
    assert all(len(p.ko) >= 40 for p in export_mod.pairs(arch, min_chars=40))
    assert len(ids(min_chars=40)) < n_sent
    shared = [p for p in export_mod.pairs(arch) if p.ko == SHARED]
    assert len(shared) == 2 and len([p for p in export_mod.pairs(arch, dedupe=True) if p.ko == SHARED]) == 1
    with pytest.raises(ExportError, match="--level article only"):
        ids(include_all=True)


def test_all_includes_untranslated_articles_with_empty_english(archive):
    arch, con, tmp = archive
    english = con.execute("SELECT title_en, subtitle_en, body_en FROM articles WHERE id=1").fetchone()
    con.execute("UPDATE articles SET title_en=NULL, subtitle_en=NULL, body_en=NULL, translate_status='pending' "
                "WHERE id=1")
    con.commit()
    try:
        assert "1" not in [p.id for p in export_mod.pairs(arch, level="article")]
        untranslated = [p for p in export_mod.pairs(arch, level="article", include_all=True) if p.id == "1"]
        assert len(untranslated) == 1 and untranslated[0].en == "" and untranslated[0].ko
    finally:
        con.execute("UPDATE articles SET translate_status='done', title_en=?, subtitle_en=?, body_en=? WHERE id=1",
                    english)
        con.commit()


def test_interrupted_export_leaves_no_file_under_the_final_name(archive, monkeypatch):
    arch, con, tmp = archive
    target = tmp / "keep.jsonl"
    target.write_text("an earlier export\n", encoding="utf-8")
    real = export_mod.pairs

    def dying(*a, **kw):
        for i, p in enumerate(real(*a, **kw)):
            if i == 5:
                raise KeyboardInterrupt
            yield p
    monkeypatch.setattr(export_mod, "pairs", dying)
    with pytest.raises(KeyboardInterrupt):
        export(arch, "jsonl", str(target))
    assert target.read_text(encoding="utf-8") == "an earlier export\n"
    assert [p.name for p in tmp.iterdir() if p.name.endswith(".part")] == []


def test_cli_writes_to_stdout_and_errors_in_one_line(archive):
    arch, con, tmp = archive
    db = str(tmp / "a.db")
    res = newspipe("--db", db, "export", "--format", "jsonl", "-o", "-", "--source", "jb")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["source"] for r in rows} == {"jb"} and rows[0]["translation"]["ko"] == "전북 0번째 기사"
    assert set(rows[0]) == {"id", "translation", "url", "source", "published_at", "provenance", "backend"}
    bad = newspipe("--db", db, "export", "--format", "moses", "-o", "-")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "PREFIX" in bad.stderr


def test_the_web_search_csv_marks_cells_that_start_like_a_formula(tmp_path):
    """`/-/search?format=csv` wrote '=HYPERLINK(…)' and '- 전주시는 …' as they are (a new user's trial): they
    get the spreadsheet's text mark, as `export --format csv` gives them, and read back exactly."""
    from conftest import store_articles
    from db.export import articles_csv
    arch = Archive(tmp_path / "f.db")
    arch.sync_sources([Source(id="ga", name="가나일보", outlet="가나일보")])
    title, body = '=HYPERLINK("http://evil.example","클릭")', ["- 전주시는 27일 새 도서관을 열었다.", "@전주시 공지"]
    store_articles(arch, [("ga", title, body, "2026-11-27T09:00:00+09:00")], "2026-11-27T10:00:00+09:00")
    ids = [r[0] for r in arch.db.execute("SELECT id FROM articles")]
    rows = list(csv.reader(io.StringIO(articles_csv(arch.db, ids), newline="")))
    arch.close()
    head, row = rows[0], dict(zip(rows[0], rows[1]))
    assert row["title_ko"] == "'" + title and csv_unescape(row["title_ko"]) == title
    assert csv_unescape(row["body_ko"]) == "\n".join(body) and row["body_ko"].startswith("'- ")
    assert all(not c.startswith(("=", "+", "-", "@")) for c in rows[1]), rows[1]
    assert len(head) == len(rows[1])


# Written for this test: a saved page a newsroom ingests from its own disk, without --url.
SAVED = ("<html><head><title>전주시, 한옥마을 야간 개장 확대</title></head><body><article>"
         "<h1>전주시, 한옥마을 야간 개장 확대</h1><p>전주시는 26일 한옥마을 야간 개장을 평일까지 넓힌다고 밝혔다.</p>"
         "<p>시는 셔틀버스를 밤 10시까지 운행한다.</p></article></body></html>")


def test_an_ingested_files_path_stays_on_the_newsroom_disk(tmp_path, analyser):
    """`newspipe ingest page.html` without --url stores the page under its file:// address; the exports gave that
    path of the newsroom's disk to a translator or an MT vendor, and the web archive printed it. The address is
    kept as stored (and `show`, the local user's, still says it); what leaves the machine has no URL instead."""
    import asyncio
    from datasette.app import Datasette
    from pipeline.serve import SETTINGS
    page = tmp_path / "saved" / "page.html"
    page.parent.mkdir()
    page.write_text(SAVED, encoding="utf-8")
    db = tmp_path / "i.db"
    res = newspipe("--db", db, "ingest", page, "--source", "jjan")
    assert res.returncode == 0, res.stderr
    with LibreStub() as libre:
        Pipeline(Archive(db), [], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
            RunOptions(crawl=False))
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT url, translate_status FROM articles").fetchall() == [(page.as_uri(), "done")]
    where = str(page.parent)
    for fmt in ("jsonl", "csv", "tsv", "tmx"):
        out = tmp_path / f"pairs.{fmt}"
        res = newspipe("--db", db, "export", "--format", fmt, "-o", out)
        assert res.returncode == 0, res.stderr
        text = out.read_text(encoding="utf-8")
        assert "전주시는 26일 한옥마을 야간 개장을" in text and where not in text and "file:" not in text, (fmt, text)
    rows = [json.loads(line) for line in (tmp_path / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["url"] for r in rows} == {None} and {r["source"] for r in rows} == {"jjan"}
    assert {r["url"] for r in csv.DictReader(io.StringIO((tmp_path / "pairs.csv").read_text("utf-8-sig")))} == {""}
    assert page.as_uri() in newspipe("--db", db, "show", 1, env={"COLUMNS": "300"}).stdout   # the local user's
    assert json.loads(newspipe("--db", db, "show", 1, "--json").stdout)["url"] == page.as_uri()

    ds = Datasette([str(db)], settings=SETTINGS)
    asyncio.run(ds.invoke_startup())
    web = {path: asyncio.run(ds.client.get(path)) for path in (
        "/-/article/1", "/-/search?q=전주", "/-/search?q=전주&format=json", "/-/search?q=전주&format=csv",
        "/-/search?q=전주&format=jsonl")}
    for path, r in web.items():
        assert r.status_code == 200 and "전주" in r.text and where not in r.text, (path, r.text[:500])
    assert "ingested from a file" in web["/-/article/1"].text
    assert [h["url"] for h in web["/-/search?q=전주&format=json"].json()["hits"]] == [None]
