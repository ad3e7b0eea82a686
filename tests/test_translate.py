"""Translation through deep-translator's real code paths: a LibreTranslate-compatible server on
127.0.0.1 (tests/conftest.py LibreStub) and Google with ``requests`` intercepted by ``responses``."""
from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from conftest import LibreStub, newspipe, store_demo_pages
from db.archive import Archive
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Source
from translate.backends import BackendUnavailable, GoogleBackend, LibreBackend
from translate.translator import CircuitOpen, Translator

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
    arch = Archive(tmp_path / "t.db")
    src = Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")
    arch.sync_sources([src])
    store_demo_pages(arch, src.id, files)
    return arch, src


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
        history = con.execute("SELECT title_en FROM translations ORDER BY id").fetchall()
        assert [h[0].split()[0] for h in history] == ["First", "Second"]
        # Same backend again: asked afresh (not answered from memory), and a failure keeps the good English.
        n = len(b.requests)
        b.fail_next = [400] * 50
        s = again.run(RunOptions(retranslate=True))
        assert len(b.requests) > n and s.counts["translate_failed"] == 1
        row = con.execute("SELECT title_en, translate_status FROM articles").fetchone()
        assert row[0].startswith("Second") and row[1] == "done"
        assert con.execute("SELECT count(*) FROM translations").fetchone()[0] == 3


def test_cli_retranslate_selection_errors_are_one_line(tmp_path):
    res = newspipe("--db", tmp_path / "x.db", "run", "--since", "2026-01-01", cwd=tmp_path)
    assert res.returncode != 0 and "select articles for --retranslate" in res.stderr
    res = newspipe("--db", tmp_path / "x.db", "run", "--retranslate", "--no-translate", cwd=tmp_path)
    assert res.returncode != 0 and res.stderr.count("\n") == 1
