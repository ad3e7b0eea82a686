"""Translation through deep-translator's real code paths: a LibreTranslate-compatible server on
127.0.0.1 (tests/conftest.py LibreStub) and Google with ``requests`` intercepted by ``responses``."""
from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from conftest import LibreStub, demo_archive, newspipe
from pipeline.run import Pipeline, RunOptions
from translate.backends import BackendUnavailable, GoogleBackend, LibreBackend
from translate.translator import CircuitOpen, Translator, qa_problem

SENTS = ["전주시는 26일 새만금 예산을 논의했다고 밝혔다.", "회의는 오후 2시 시청에서 열렸다.",
         "시민 단체는 환영한다는 입장을 냈다.", "다음 회의는 다음 달에 열린다."]


def translator(stub, sleeps=None, **kw):
    return Translator(LibreBackend(stub.url, timeout=1), sleep=(sleeps.append if sleeps is not None else
                                                                 lambda s: None), **kw)


def test_429_with_retry_after_is_waited_for_then_retried(libre):
    libre.fail_next = [(429, {"Retry-After": "3"})]
    sleeps: list[float] = []
    tr = translator(libre, sleeps)
    out = tr.translate_texts(SENTS)
    assert all(u.en and u.error is None for u in out)
    assert sleeps == [3.0] and len(libre.requests) == 2 and tr.stats.requests == 2


def test_500_then_ok_is_retried_with_backoff(libre):
    libre.fail_next = [500, 502]
    sleeps: list[float] = []
    out = translator(libre, sleeps, backoff=0.5).translate_texts(SENTS)
    assert all(u.en for u in out) and sleeps == [0.5, 1.0]


def test_a_hanging_server_times_out_and_the_retry_succeeds(libre):
    libre.fail_next = ["hang"]
    tr = translator(libre)
    out = tr.translate_texts(SENTS)
    assert all(u.en for u in out) and tr.stats.failures == 1


def test_wrong_number_of_lines_splits_the_pack_down_to_aligned_sentences(libre):
    libre.fail_next = ["merge", "merge"]
    tr = translator(libre)
    out = tr.translate_texts(SENTS)
    assert [u.en for u in out] == [libre.english(s) for s in SENTS]      # each sentence its own English
    assert tr.stats.split_packs == 2 and len(libre.requests) == 1 + 2 + 2


def test_a_dead_backend_opens_the_circuit_quickly():
    tr = Translator(LibreBackend("http://127.0.0.1:9/", timeout=1), sleep=lambda s: None, retries=1,
                    breaker_threshold=2)
    with pytest.raises(BackendUnavailable):
        tr.translate_texts(SENTS[:1])
    with pytest.raises(CircuitOpen):
        tr.translate_texts(SENTS[1:2])
    with pytest.raises(CircuitOpen):                  # open: no more calls at all
        tr.translate_texts(SENTS[2:3])
    assert tr.stats.requests == 4


def test_concurrent_packs_each_on_its_own_backend_give_the_same_answers(libre):
    made = []

    def factory():
        made.append(_small(libre))
        return made[-1]
    many = [f"{i}번째 문장은 전주시 소식을 전한다." for i in range(40)]
    sequential = Translator(_small(libre)).translate_texts(many)
    libre.requests.clear()
    tr = Translator(_small(libre), concurrency=3, backend_factory=factory)
    parallel = tr.translate_texts(many)
    assert [u.en for u in parallel] == [u.en for u in sequential]
    assert len(made) == 2 and tr.stats.requests == len(libre.requests) > 3


def _small(stub):
    b = LibreBackend(stub.url, timeout=5)
    b.max_chars = 100                  # many small packs
    return b


@responses.activate
def test_google_packs_by_encoded_url_size_and_answers_split_back():
    base = "https://translate.google.com/m"
    urls: list[str] = []

    def reply(request):
        urls.append(request.url)
        q = parse_qs(urlsplit(request.url).query)["q"][0]
        lines = [f"English sentence number {i} of this pack, long enough." for i, _ in enumerate(q.split("\n"))]
        body = "\n".join(lines)
        # the shape of translate.google.com/m: the answer in div.result-container
        return 200, {}, f'<html><body><div class="result-container">{body}</div></body></html>'

    responses.add_callback(responses.GET, base, callback=reply)
    sents = [f"{i}번째 문장: 전북특별자치도는 새만금 국제공항과 신항만 사업의 예산을 논의했다고 밝혔다." for i in range(120)]
    tr = Translator(GoogleBackend(timeout=5))
    out = tr.translate_texts(sents)
    assert all(u.en and u.error is None for u in out), [u.error for u in out if u.error][:3]
    korean_chars = sum(len(s) for s in sents)
    assert max(len(u.split("?", 1)[1]) for u in urls) <= 12_000 + 40      # q plus sl/tl/hl parameters
    assert len(urls) <= 1.2 * -(-korean_chars // 1330) + 1                # packs are filled


def _archive(tmp_path, files=("ndsoft-1001.html", "ndsoft-1002.html", "ndsoft-1004.html")):
    return demo_archive(tmp_path, files)


def test_server_dying_mid_run_leaves_the_rest_pending_and_the_next_run_completes(tmp_path, analyser, libre):
    arch, src = _archive(tmp_path)
    libre.dead_after = 2
    opts = RunOptions(crawl=False, translate_batch=1, translate_concurrency=1)
    pipe = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=2))
    first = pipe.run(opts)
    assert first.counts["translated"] >= 1 and first.pending["translate"] >= 1
    assert any("stay pending" in n for n in first.notes)
    libre.dead_after = None
    sent_before = len(libre.requests)
    second = pipe.run(opts)
    assert second.pending["translate"] == 0 and first.counts["translated"] + second.counts["translated"] == 3
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*) FROM translations").fetchone()[0] == 3          # none twice
    assert con.execute("SELECT count(*) FROM sentences WHERE en IS NULL").fetchone()[0] == 0
    # what the first run translated was not asked again (the memory)
    asked_again = set(libre.requests[sent_before:]) & set(libre.requests[:2])
    assert not asked_again


def test_retranslate_with_another_backend_keeps_the_earlier_version(tmp_path, analyser):
    arch, src = _archive(tmp_path, files=("ndsoft-1001.html",))
    with LibreStub(prefix="First") as a, LibreStub(prefix="Second") as b:
        Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(a.url, timeout=5)).run(
            RunOptions(crawl=False))
        con = sqlite3.connect(tmp_path / "t.db")
        assert con.execute("SELECT title_en FROM articles").fetchone()[0].startswith("First")
        again = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(b.url, timeout=5))
        s = again.run(RunOptions(retranslate=True))
        assert s.counts["retranslate_selected"] == 1 and s.counts["translated"] == 1
        assert con.execute("SELECT title_en FROM articles").fetchone()[0].startswith("Second")
        assert con.execute("SELECT count(*) FROM sentences WHERE en NOT LIKE 'Second%'").fetchone()[0] == 0
        aid = con.execute("SELECT id FROM articles").fetchone()[0]
        history = arch.article(aid)["translations"]           # the current one's text is the article's own
        assert [h["title_en"].split()[0] for h in history] == ["First", "Second"]
        assert con.execute("SELECT in_article, title_en IS NULL FROM translations ORDER BY id").fetchall() == \
            [(0, 0), (1, 1)]                                  # the English of each stored once
        # Same backend again: asked afresh (not answered from memory), and a failure keeps the good English.
        n = len(b.requests)
        b.fail_next = ["garbage"] * 50      # every line refused by QA (a 4xx to all is the server's fault)
        s = again.run(RunOptions(retranslate=True))
        assert len(b.requests) > n and s.counts["translate_failed"] == 1
        row = con.execute("SELECT title_en, translate_status FROM articles").fetchone()
        assert row[0].startswith("Second") and row[1] == "done"
        # the failed attempt is no translation: the history is as it was (not a third row without English)
        assert con.execute("SELECT count(*) FROM translations").fetchone()[0] == 2
        assert [h["title_en"].split()[0] for h in arch.article(aid)["translations"]] == ["First", "Second"]


def test_cli_retranslate_selection_errors_are_one_line(tmp_path):
    res = newspipe("--db", tmp_path / "x.db", "run", "--since", "2026-01-01", cwd=tmp_path)
    assert res.returncode != 0 and "select articles for --retranslate" in res.stderr
    res = newspipe("--db", tmp_path / "x.db", "run", "--retranslate", "--no-translate", cwd=tmp_path)
    assert res.returncode != 0 and res.stderr.count("\n") == 1


# ------------------------------------------------------------ (from the former tests/test_stages.py)
def test_translation_through_libre_server_and_memory_means_zero_requests_on_rerun(tmp_path, analyser, libre):
    arch, src = demo_archive(tmp_path)
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
    arch, src = demo_archive(tmp_path)
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


# ------------------------------------------------------------ statuses from the response, not the message
@pytest.mark.parametrize("status,unavailable", [(502, True), (504, True), (503, True), (408, True),
                                                (400, False), (413, False)])
def test_the_status_decides_retry_or_failure(libre, status, unavailable):
    """502 and 504 have no name in deep-translator (its message is "API server error" for both): the status
    comes from the response received, so they are passing outages like 503; a 4xx is this text's failure."""
    from translate.backends import BackendError
    libre.fail_next = [status]
    backend = LibreBackend(libre.url, timeout=5)
    with pytest.raises(BackendUnavailable if unavailable else BackendError) as caught:
        backend.translate(SENTS[0])
    if unavailable:
        assert str(caught.value) == f"server error: HTTP {status}"
    assert backend.translate(SENTS[0])           # the next request goes through


def test_translator_none_is_no_translate_without_back_off(tmp_path, analyser):
    """--translator none translates nothing and waits for nothing: the articles stay pending, as with
    --no-translate (it was once taken for an outage: 6 s of back-off per run)."""
    import json

    from click.testing import CliRunner

    from pipeline.cli import cli
    arch, _ = demo_archive(tmp_path, files=("ndsoft-1001.html",))
    arch.close()
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "run", "--no-crawl", "--translator", "none",
                                   "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["pending"]["translate"] == 1 and summary["counts"].get("translated", 0) == 0
    assert summary["notes"] == ["translation skipped (--no-translate): articles stay pending"]
    said = res.stderr.replace(str(tmp_path), "")        # (the first line names the archive: this test's folder)
    assert "translator" not in said and "waiting" not in said      # no backend, no back-off
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "run", "--retranslate", "--translator", "none"])
    assert res.exit_code == 2 and "--retranslate needs a translator" in res.stderr     # a usage mistake


def test_the_translate_stage_log_counts_what_the_summary_counts(tmp_path, analyser, libre, caplog):
    """The log said 'translate: 40 done, 37 failed' beside the summary's 'translated 3' (a new user's trial):
    'done' counted the articles taken, the summary those translated."""
    import logging
    from pipeline.progress import Reporter
    arch, src = demo_archive(tmp_path)
    libre.fail_next = ["garbage"]                # the first article's first pack: Korean back, QA refuses it
    pipe = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5),
                    reporter=Reporter(live=False, every=0))
    with caplog.at_level(logging.INFO, logger="newspipe"):
        summary = pipe.run(RunOptions(crawl=False, translate_batch=1, translate_concurrency=1))
    assert summary.counts["translated"] == 1 and summary.counts["translate_failed"] == 1
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("translate: 2 of 2 processed:")]
    assert line.startswith("translate: 2 of 2 processed: 1 ok, 1 failed, in "), line


def test_a_refused_libre_key_is_never_repeated_and_leaves_the_articles_pending(tmp_path, analyser, libre, caplog):
    """deep-translator's AuthorizationException quotes the key ('Unauthorized access with the api key …'): it
    reached the log, the summary and the archive's error columns, and each article lost an attempt (review)."""
    import logging
    arch, src = demo_archive(tmp_path)
    secret = "SECRETKEY123"
    libre.fail_next = [403] * 20
    run = Pipeline(arch, [src], analyser=analyser,
                   backend_factory=lambda: LibreBackend(libre.url, timeout=5, api_key=secret))
    with caplog.at_level(logging.DEBUG, logger="newspipe"):     # urllib3's own DEBUG lines hold every URL (-v
        summary = run.run(RunOptions(crawl=False))             # leaves them at WARNING)
    assert summary.pending["translate"] == 2 and summary.counts.get("translated", 0) == 0
    assert any("refused the key (HTTP 403): check LIBRE_API_KEY" in n for n in summary.notes), summary.notes
    con = arch.db.conn
    stored = " ".join(str(v) for row in con.execute("SELECT * FROM articles").fetchall() for v in row)
    stored += " ".join(str(v) for row in con.execute("SELECT * FROM runs").fetchall() for v in row)
    assert secret not in stored and secret not in caplog.text and secret not in " ".join(summary.notes)
    attempts = con.execute("SELECT max(translate_attempts) FROM articles").fetchone()[0]
    assert not attempts                       # no attempt spent: the key is the user's to fix, not the texts'
    libre.fail_next = []
    alive = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5))
    assert alive.run(RunOptions(crawl=False)).counts["translated"] == 2


@pytest.mark.parametrize("key", ["sec ret", "line\nbreak", "키값"])
def test_a_libre_key_with_characters_no_key_has_is_refused_before_it_is_sent(key, libre):
    from translate.backends import TranslatorSetupError
    with pytest.raises(TranslatorSetupError, match="LIBRE_API_KEY holds characters") as caught:
        LibreBackend(libre.url, timeout=5, api_key=key)
    assert key not in str(caught.value) and not libre.requests
