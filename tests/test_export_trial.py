"""What a translator's trial of the exports found (an MT engineer exporting pairs from a real archive)."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import lxml.etree
import pytest

from conftest import NEWSPIPE, ROOT, newspipe
from db.archive import Archive
from scrapers.types import Article, FetchedPage, Source
from test_export import archive  # noqa: F401  (its archive: Libre English for all five, a publisher's for one)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error(res, needle: str) -> str:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode == 1 and len(lines) == 1 and needle in lines[0], (res.returncode, res.stderr)
    return lines[0]


@pytest.fixture()
def own_copy(archive, tmp_path):  # noqa: F811
    """A copy of the archive in this test's folder, to be written over if a check fails."""
    db = tmp_path / "self.db"
    with sqlite3.connect(archive[2] / "a.db") as src, sqlite3.connect(db) as dst:
        src.backup(dst)             # (the archive's last writes may still be in its -wal)
    dst.close()
    return db


def test_an_export_never_writes_over_the_archive_or_its_files(own_copy):
    """`cp k9.db self.db; newspipe --db self.db export --format jsonl -o self.db` wrote the export over the
    archive, exit 0: the archive was gone. The same through a symlink, a hard link, onto its -wal or its lock,
    a moses PREFIX whose .ko is the archive, and stdout appending to it: each refused in one line, exit 1,
    nothing written."""
    db, folder = own_copy, own_copy.parent
    (folder / "lnk.jsonl").symlink_to("self.db")
    os.link(db, folder / "hard.jsonl")
    before = sha(db)
    for fmt, out, needle in (("jsonl", "self.db", "is the archive self.db"),
                             ("tsv", "lnk.jsonl", "is the archive self.db"),
                             ("csv", "hard.jsonl", "is the archive self.db"),
                             ("tmx", "self.db-wal", "is the archive self.db's write-ahead log"),
                             ("jsonl", "self.db.lock", "is the archive self.db's run lock")):
        res = newspipe("--db", "self.db", "export", "--format", fmt, "-o", out, cwd=folder)
        assert "would destroy it" in one_error(res, f"-o {out} {needle}")
    assert sha(db) == before and sorted(p.name for p in folder.iterdir() if p.name.startswith("self")) <= [
        "self.db", "self.db-shm", "self.db-wal", "self.db.lock"]
    assert not (folder / "self.db-wal").exists() or (folder / "self.db-wal").stat().st_size == 0
    shutil.copyfile(db, folder / "x.ko")
    res = newspipe("--db", "x.ko", "export", "--format", "moses", "-o", "x", cwd=folder)
    one_error(res, "-o x (its x.ko) is the archive x.ko")
    assert sha(folder / "x.ko") == before and not (folder / "x.en").exists()
    res = newspipe("--db", "self.db", "trends", "전북", "--png", "lnk.jsonl", cwd=folder)
    one_error(res, "--png lnk.jsonl is the archive self.db")
    assert sha(db) == before
    for out in ("-", "/dev/stdout"):           # `export -o - >> self.db`: stdout is the archive
        with open(db, "ab") as appended:
            res = subprocess.run([*NEWSPIPE, "--db", str(db), "export", "--format", "jsonl", "-o", out],
                                 stdout=appended, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
        one_error(res, f"-o {'- (stdout)' if out == '-' else out} is the archive {db}")
    assert sha(db) == before
    ok = newspipe("--db", "self.db", "export", "--format", "jsonl", "-o", "pairs.jsonl", cwd=folder)
    assert ok.returncode == 0 and (folder / "pairs.jsonl").stat().st_size > 0, ok.stderr


def test_a_writable_file_in_a_folder_the_user_cannot_write_names_the_folder(own_copy, tmp_path):
    """`export -o ro/w.jsonl` (w.jsonl writable, ro/ not) said only 'Permission denied': the export is written
    to a temporary file beside the target, so the folder is the problem, and the line says so."""
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "w.jsonl"
    target.write_text("an earlier export\n", encoding="utf-8")
    target.chmod(0o666)
    prefix = []
    if os.geteuid() == 0:           # root writes anywhere: run as a user without the capabilities that allow it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        caps = "-dac_override,-dac_read_search"
        prefix = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]
    folder.chmod(0o555)
    try:
        res = subprocess.run([*prefix, *NEWSPIPE, "--db", str(own_copy), "export", "--format", "jsonl", "-o",
                              str(target)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    finally:
        folder.chmod(0o755)
    line = one_error(res, f"its folder {folder} is not writable")
    assert "Traceback" not in res.stderr and line.startswith("newspipe: error: cannot write")
    assert target.read_text(encoding="utf-8") == "an earlier export\n" and os.listdir(folder) == ["w.jsonl"]


def _rows(res) -> list[dict]:
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_each_pair_names_the_engine_that_made_its_english_and_can_be_chosen_by_it(archive):  # noqa: F811
    """The exports said machine or publisher, never which engine translated (the archive keeps it). Each pair
    now carries its backend -- a jsonl field, the last csv/tsv column (the others keep their places), a TMX
    prop -- and --backend chooses by it, an unknown one named in one line as --source's."""
    arch, con, tmp = archive
    db = str(tmp / "a.db")
    engine = dict(con.execute("SELECT id, translation_backend FROM articles"))
    assert set(engine.values()) == {"libre"}
    rows = _rows(newspipe("--db", db, "export", "--format", "jsonl", "--level", "article", "-o", "-"))
    assert {r["id"]: (r["provenance"], r["backend"]) for r in rows} == {
        **{str(a): ("machine", b) for a, b in engine.items()}, "4-publisher": ("publisher", "publisher")}
    sentences = _rows(newspipe("--db", db, "export", "--format", "jsonl", "-o", "-"))
    assert sentences and all(r["backend"] == engine[int(r["id"].split("-")[0])] for r in sentences)
    for fmt in ("tsv", "csv"):
        out = tmp / f"engine.{fmt}"
        assert newspipe("--db", db, "export", "--format", fmt, "--level", "article", "-o", out).returncode == 0
        with open(out, encoding="utf-8-sig", newline="") as fh:
            table = list(csv.reader(fh, **({"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {})))
        assert table[0] == ["id", "ko", "en", "url", "source", "published_at", "provenance", "backend"]
        assert [(r[0], r[6], r[7]) for r in table[1:]] == [(r["id"], r["provenance"], r["backend"]) for r in rows]
    tmx = tmp / "engine.tmx"
    assert newspipe("--db", db, "export", "--format", "tmx", "--level", "article", "-o", tmx).returncode == 0
    props = {tu.get("tuid"): tu.findtext("prop[@type='x-backend']") for tu in lxml.etree.parse(str(tmx)).iter("tu")}
    assert props == {r["id"]: r["backend"] for r in rows}
    chosen = _rows(newspipe("--db", db, "export", "--format", "jsonl", "--level", "article", "--backend", "LIBRE",
                            "-o", "-"))
    assert [r["id"] for r in chosen] == [str(a) for a in sorted(engine)]
    chosen = _rows(newspipe("--db", db, "export", "--format", "jsonl", "--level", "article", "--backend",
                            "publisher", "-o", "-"))
    assert [r["id"] for r in chosen] == ["4-publisher"]
    bad = newspipe("--db", db, "export", "--format", "jsonl", "--backend", "deepel", "-o", "-")
    assert one_error(bad, "unknown backend 'deepel': this archive's English is from libre, publisher")
    assert bad.stdout == ""
    sentence = newspipe("--db", db, "export", "--format", "jsonl", "--backend", "publisher", "-o", "-")
    assert sentence.returncode == 2 and "--level article" in sentence.stderr


def test_a_translator_without_english_in_the_archive_yet_is_an_empty_export(archive):  # noqa: F811
    """`export --backend deepl` on the night after a switch to DeepL (its English still pending, the archive's
    from libre) said 'unknown backend', exit 1: a cron job's export failed though deepl is newspipe's own
    translator. A translator the archive has no English of yet gives the empty export and its note, exit 0; a
    name that is no translator is still refused, naming the backends."""
    db = str(archive[2] / "a.db")
    for level in ("sentence", "article"):
        res = newspipe("--db", db, "export", "--format", "jsonl", "--level", level, "--backend", "DeepL", "-o", "-")
        assert res.returncode == 0 and res.stdout == "", res.stderr
        assert f"no {level} pair matched the options given" in res.stderr and "--backend" in res.stderr
    bad = newspipe("--db", db, "export", "--format", "jsonl", "--backend", "googel", "-o", "-")
    assert "google, libre, deepl, microsoft, mymemory, publisher" in one_error(bad, "unknown backend 'googel'")
    assert bad.stdout == ""


def test_until_a_time_includes_an_article_published_at_that_time(own_copy):
    """`--until 2024-10-17T13:42` left out an article published at 13:42:00 while the help says 'on or
    before': a time to the minute now takes in that whole minute; one with seconds, that second."""
    db = own_copy
    with sqlite3.connect(db) as con:       # article 4 (and its publisher's English) at 09:00:00, 5 a day later
        published = dict(con.execute("SELECT id, published_at FROM articles WHERE id IN (4, 5)"))
    con.close()
    assert published == {4: "2026-11-20T09:00:00+09:00", 5: "2026-11-21T09:00:00+09:00"}

    def ids(*dates):
        return [r["id"] for r in _rows(newspipe("--db", db, "export", "--format", "jsonl", "--level", "article",
                                                *dates, "-o", "-"))]
    day = ("--since", "2026-11-20")
    assert ids(*day, "--until", "2026-11-20T09:00") == ["4", "4-publisher"]
    assert ids(*day, "--until", "2026-11-20T09:00:00") == ["4", "4-publisher"]
    assert ids(*day, "--until", "2026-11-20T08:59") == []
    assert ids(*day, "--until", "2026-11-20T08:59:59") == []
    assert ids(*day, "--until", "2026-11-21T00:00:00Z") == ["4", "4-publisher", "5"]        # 09:00 KST
    assert ids("--since", "2026-11-20T09:00", "--until", "2026-11-20T09:00") == ["4", "4-publisher"]
    help_text = newspipe("export", "--help").stdout
    assert "on or before DATE" in help_text and "09:00:59" in help_text


def _notes(res) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.startswith("note:")]


def test_the_note_of_an_export_of_nothing_fits_the_archive(tmp_path):
    """On a real (not the demo's) archive the '0 pairs' note still said '(the demo offline cannot)'; on an empty
    archive both the empty-archive note and that note printed. One note each, true of the archive."""
    empty = tmp_path / "empty.db"
    Archive(empty).close()
    res = newspipe("--db", empty, "export", "--format", "jsonl", "-o", "-")
    assert res.returncode == 0 and res.stdout == ""
    assert len(_notes(res)) == 1 and "is empty (no articles yet)" in _notes(res)[0]
    real = tmp_path / "real.db"
    arch = Archive(real)
    arch.sync_sources([Source(id="jb", name="전북 테스트", outlet="전북 테스트")])
    url = "https://jb.example/news/articleView.html?idxno=1"
    aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"<html></html>",
                                      fetched_at="2026-11-26T00:00:00+09:00", source_id="jb"))
    arch.store_clean(aid, Article(url=url, title="전북 기사", body=["전주시는 새 공약을 발표했다."],
                                  published_at="2026-11-20T09:00:00+09:00"), "t")
    arch.close()
    res = newspipe("--db", real, "export", "--format", "jsonl", "-o", "-")
    assert res.returncode == 0 and res.stdout == ""
    assert len(_notes(res)) == 1 and "no sentence with English matched" in _notes(res)[0]
    assert "demo" not in res.stderr


def test_all_gives_untranslated_articles_no_provenance_and_is_refused_where_pairs_are_all(own_copy):
    """--all gave an untranslated article "provenance": "" and, in TMX and Moses, an empty English segment
    (a pair of a text with nothing). It has no English, so no provenance and no backend (null, empty cells);
    TMX and Moses hold pairs only: --all with them is refused in one line, nothing written."""
    db, folder = own_copy, own_copy.parent
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET title_en=NULL, subtitle_en=NULL, body_en=NULL, translate_status='pending'"
                    " WHERE id=1")
    con.close()
    rows = _rows(newspipe("--db", db, "export", "--format", "jsonl", "--level", "article", "--all", "-o", "-"))
    first = next(r for r in rows if r["id"] == "1")
    assert first["translation"]["en"] == "" and first["provenance"] is None and first["backend"] is None
    assert all(r["provenance"] and r["backend"] for r in rows if r["id"] != "1")
    tsv = newspipe("--db", db, "export", "--format", "tsv", "--level", "article", "--all", "-o", "-")
    assert next(ln for ln in tsv.stdout.splitlines() if ln.startswith("1\t")).endswith("\t\t")
    for fmt, out in (("tmx", "all.tmx"), ("moses", "all")):
        res = newspipe("--db", db, "export", "--format", fmt, "--level", "article", "--all", "-o", out, cwd=folder)
        assert res.returncode == 2 and len(res.stderr.splitlines()) == 1, res.stderr
        assert f"--all adds articles without English, and {fmt} holds pairs only" in res.stderr
        assert not list(folder.glob("all*"))


def test_all_with_backend_is_refused_not_half_done(tmp_path):
    """The review: `export --all --backend google` left out every untranslated article (it has no backend) while
    --all promised them. The two contradict each other: one line, exit 2, nothing written."""
    from click.testing import CliRunner

    from db.archive import Archive
    from pipeline.cli import cli
    Archive(tmp_path / "a.db").close()
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "export", "--format", "jsonl", "--level",
                                   "article", "--all", "--backend", "google", "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert res.stderr.strip().splitlines() == ["newspipe: error: --all adds the articles without English, and "
                                               "--backend google keeps only English of one translator: choose one"]
    assert not out.exists()
