"""nlp, translate, db search and export, and the CLI's error contract."""
from __future__ import annotations

import json
import sqlite3

import pytest
import responses

from conftest import DEMO, newspipe, store_demo_pages
from db.archive import Archive
from db.search import search
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Source
from translate.backends import GoogleBackend, LibreBackend
from translate.translator import Translator, qa_problem


def test_sentences_have_offsets_into_the_stored_body_and_userdict_names_stay_whole(analyser):
    body = "전북자치도는 26일 “새만금 예산”을 논의했다. 전주시는 수상했다고 밝혔다.\n둘째 문단이다."
    a = analyser.analyse(body, "전북자치도 새만금")
    assert [s.text for s in a.sentences] == [body[s.start:s.end] for s in a.sentences]
    assert a.sentences[-1].para == 1 and all(s.start >= 0 for s in a.sentences)
    forms = {(f, t) for s in a.sentences for f, t, _ in s.morphs}
    assert ("전북자치도", "NNP") in forms and ("새만금", "NNP") in forms
    assert "수상 하다" in a.search_text
    assert dict(a.keywords)["전북자치도"] >= 2


def _archive_with_articles(tmp_path, analyser, files=("ndsoft-1001.html", "ndsoft-1002.html")):
    arch = Archive(tmp_path / "t.db")
    src = Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")
    arch.sync_sources([src])
    store_demo_pages(arch, src.id, files)
    return arch, src


def test_translation_through_libre_server_and_memory_means_zero_requests_on_rerun(tmp_path, analyser, libre):
    arch, src = _archive_with_articles(tmp_path, analyser)
    pipe = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5))
    s1 = pipe.run(RunOptions(crawl=False))
    assert s1.counts["translated"] == 2 and s1.pending["translate"] == 0
    first_requests = len(libre.requests)
    assert first_requests >= 1
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*) FROM sentences WHERE en IS NULL").fetchone()[0] == 0
    # Force a retranslation of everything: the memory answers, the server is not asked again.
    con.execute("UPDATE articles SET translate_status='pending'")
    con.commit()
    s2 = pipe.run(RunOptions(crawl=False))
    assert s2.counts["translated"] == 2 and len(libre.requests) == first_requests
    assert con.execute("SELECT count(*) FROM translations").fetchone()[0] == 4   # history kept


def test_dead_translator_leaves_articles_pending_then_next_run_completes(tmp_path, analyser, libre):
    arch, src = _archive_with_articles(tmp_path, analyser)
    dead = Pipeline(arch, [src], analyser=analyser,
                    backend_factory=lambda: LibreBackend("http://127.0.0.1:9/", timeout=2))
    s1 = dead.run(RunOptions(crawl=False))
    assert s1.pending["translate"] == 2 and any("stay pending" in n for n in s1.notes)
    alive = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5))
    assert alive.run(RunOptions(crawl=False)).counts["translated"] == 2


@responses.activate
def test_google_backend_packs_sentences_and_splits_the_answer():
    base = "https://translate.google.com/m"
    answers = {"가나다 라마바입니다.\n사아자 차카타입니다.": "This is the first sentence.\nThis is the second one."}

    def reply(request):
        from urllib.parse import parse_qs, urlsplit
        q = parse_qs(urlsplit(request.url).query)["q"][0]
        return 200, {}, f'<html><body><div class="result-container">{answers[q]}</div></body></html>'

    responses.add_callback(responses.GET, base, callback=reply)
    tr = Translator(GoogleBackend(timeout=5))
    out = tr.translate_texts(["가나다 라마바입니다.", "사아자 차카타입니다."])
    assert [u.en for u in out] == ["This is the first sentence.", "This is the second one."]
    assert tr.stats.requests == 1


def test_qa_rejects_garbage():
    assert qa_problem("전주시는 회의를 열었다.", "전주시는 회의를 열었다.") == "Hangul left in the English"
    assert qa_problem("전주시는 오늘 아침 새만금 관련 회의를 열었다고 밝혔다.", "Hi.").startswith("length ratio")
    assert qa_problem("전주시는 회의를 열었다.", "") == "empty translation"
    assert qa_problem("전주시는 회의를 열었다.", "Jeonju City held a meeting.") is None


def test_korean_search_finds_prefix(tmp_path, analyser, libre):
    arch, src = _archive_with_articles(tmp_path, analyser)
    Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
        RunOptions(crawl=False))
    hits = search(arch, "수변도시", lang="ko")
    assert hits and "수변도시" in hits[0].title_ko
    assert search(arch, "석탑이", lang="ko")           # a particle on the query word still matches


@pytest.mark.parametrize("args,needle", [
    (["--sources", "/nonexistent.toml", "run"], "cannot read sources file"),
    (["--db", "/nonexistent/dir/x.db", "show", "1"], "no archive at"),
    (["run", "--translator", "babelfish"], "unknown translator"),
    (["clean", "/nonexistent.html"], "No such file"),
    (["search", "전주", "--since", "yesterday"], "wants a date"),
])
def test_user_errors_end_in_one_line_and_nonzero_exit(tmp_path, args, needle):
    res = newspipe(*args, cwd=tmp_path)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode != 0 and len(lines) == 1 and needle in lines[0], res.stderr
    assert "Traceback" not in res.stderr


def test_clean_command_json_output_has_the_contract_fields():
    res = newspipe("clean", DEMO / "ndsoft-1003.html", "--url",
                   "https://demo.example/news/articleView.html?idxno=1003", "--json")
    obj = json.loads(res.stdout)
    for key in ("url", "title", "subtitle", "authors", "published_at", "updated_at", "outlet", "section", "body",
                "captions", "publisher_translation", "removed"):
        assert key in obj
    assert obj["authors"] == ["박준호"] and obj["body"][0].startswith("주말마다 되풀이되는 전주 한옥마을 일대 주차난을")


def test_every_command_has_help():
    for cmd in ("run", "ingest", "clean", "search", "show", "export", "stats", "serve", "demo", "sources"):
        res = newspipe(cmd, "--help")
        assert res.returncode == 0 and "Usage:" in res.stdout
