"""`newspipe show` on the project's example page (a real Break News 전북판 article as page text, with the
outlet's own English, read from ../shared/corpus): the publisher's English beside the Korean paragraph by
paragraph, as the web archive's article page shows it (db/web_article.py, db/publisher_en.py)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import LibreStub
from pipeline.cli import cli
from pipeline.corpus import corpus_dir

EXAMPLE = corpus_dir() / "korean-news" / "text" / "breaknews-jb__seed-20241017"
URL = "https://j.breaknews.com/sub_read.html?uid=1001"
WIDE = {"COLUMNS": "3000"}          # every paragraph on one line of the table: its row is one line of output

# the keys `show --json` gave before the publisher's paragraphs were added (a reader's script may use any)
KEYS_BEFORE = {"id", "url", "source_id", "page_id", "canonical_url", "outlet", "section", "authors", "published_at",
               "updated_at", "title_ko", "subtitle_ko", "body_ko", "title_en", "subtitle_en", "body_en", "captions",
               "removed", "content_hash", "duplicate_of", "keywords", "entities", "clean_status", "clean_error",
               "cleaner_version", "cleaned_at", "nlp_status", "nlp_error", "nlp_version", "analysed_at",
               "translate_status", "translate_error", "translation_provenance", "translation_backend",
               "translation_version", "translated_at", "created_at", "changed_at", "clean_attempts", "nlp_attempts",
               "translate_attempts", "dateline", "published_date", "sentences", "translations", "versions", "gone",
               "story"}


def _archive(tmp_path, *run_args) -> tuple[CliRunner, str, dict]:
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", db, "ingest", "--format", "text", "--url", URL, str(EXAMPLE.with_suffix(".txt"))])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["--db", db, "run", "--no-crawl", "--no-progress", *run_args])
    assert res.exit_code == 0, res.output
    return runner, db, json.loads(EXAMPLE.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _rows_pair(out: str, exp: dict) -> bool:
    """Whether each Korean paragraph of the example stands on one line with its own English paragraph."""
    lines = out.splitlines()
    pub = exp["publisher_translation"]
    return all(any(ko in line and en in line for line in lines) for ko, en in zip(exp["body"], pub["body"]))


@pytest.mark.corpus
def test_show_puts_the_publishers_english_beside_the_korean_paragraph_by_paragraph(tmp_path):
    runner, db, exp = _archive(tmp_path, "--no-translate")
    pub = exp["publisher_translation"]
    assert len(exp["body"]) == len(pub["body"]) == 11
    res = runner.invoke(cli, ["--db", db, "show", "1"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "English (the publisher's own)" in res.output and "English: the publisher's own" in res.output
    assert _rows_pair(res.output, exp)
    assert any(exp["title"] in line and pub["title"] in line for line in res.output.splitlines())
    assert "(pending)" not in res.output                   # no machine English: none is awaited beside the Korean
    assert res.output.count(pub["body"][-1]) == 1          # not printed again below the table
    shown = json.loads(runner.invoke(cli, ["--db", db, "show", "1", "--json"]).output)
    assert KEYS_BEFORE <= set(shown)
    assert shown["publisher_paragraphs"] == [{"ko": [k], "en": [e]} for k, e in zip(exp["body"], pub["body"])]


@pytest.mark.corpus
def test_with_machine_english_show_offers_the_publishers_beside_the_korean(tmp_path):
    with LibreStub() as libre:
        runner, db, exp = _archive(tmp_path, "--translator", "libre", "--translator-url", libre.url)
    res = runner.invoke(cli, ["--db", db, "show", "1"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "Placeholder" in res.output and "English (the publisher's own)" not in res.output   # the machine's
    assert "'newspipe show 1 --publisher' puts it beside the Korean" in res.output and not _rows_pair(res.output, exp)
    res = runner.invoke(cli, ["--db", db, "show", "1", "--publisher"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "English (the publisher's own)" in res.output and _rows_pair(res.output, exp)
    assert "Placeholder" not in res.output


def test_publisher_on_an_article_without_it_is_a_note_and_the_machine_english(tmp_path):
    """Written for this test: a page text without the publisher's English."""
    page = tmp_path / "p.txt"
    page.write_text("전주시, 한옥마을 야간 개장 확대\n전주시가 한옥마을 야간 개장을 평일로 확대한다고 26일 밝혔다.\n"
                    "시는 셔틀버스도 밤 10시까지 운행한다.\n", encoding="utf-8")
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "ingest", "--format", "text", str(page)]).exit_code == 0
    assert runner.invoke(cli, ["--db", db, "run", "--no-crawl", "--no-translate", "--no-progress"]).exit_code == 0
    res = runner.invoke(cli, ["--db", db, "show", "1", "--publisher"])
    assert res.exit_code == 0 and "note: article 1 has no publisher's own English" in res.stderr
    assert "전주시가 한옥마을" in res.stdout and "(pending)" in res.stdout
    assert json.loads(runner.invoke(cli, ["--db", db, "show", "1", "--json"]).stdout)["publisher_paragraphs"] is None
