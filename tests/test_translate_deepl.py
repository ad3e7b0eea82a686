"""The DeepL backend against DeepL's documented v2 API, answered by an httpx.MockTransport of the test's own
(no network). deep-translator 1.11.4's DeepL could not translate Korean at all ('ko --> No support for the
provided language.') and sent every key to the free endpoint (found in a new user's trial)."""
from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from translate import deepl
from translate.backends import BackendUnavailable, TranslatorSetupError, make_backend
from translate.translator import CircuitOpen, Translator

SENTS = ["전주시는 26일 새만금 예산을 논의했다고 밝혔다.", "회의는 오후 2시 시청에서 열렸다.",
         "시민 단체는 환영한다는 입장을 냈다.", "다음 회의는 다음 달에 열린다."]


class FakeDeepL:
    """DeepL's /v2/usage and /v2/translate as documented; ``faults``: statuses to answer the next translate
    requests with, in order."""

    def __init__(self, faults=()):
        self.requests: list[httpx.Request] = []
        self.faults = list(faults)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/v2/usage":
            return httpx.Response(200, json={"character_count": 10, "character_limit": 500_000})
        if self.faults:
            code = self.faults.pop(0)
            return httpx.Response(code, json={"message": {403: "Wrong endpoint", 456: "Quota Exceeded"}.get(code, "x")})
        body = json.loads(request.content)
        return httpx.Response(200, json={"translations": [
            {"detected_source_language": "KO", "text": f"English sentence number {i} of the answer."}
            for i, _ in enumerate(body["text"])]})

    def translate_requests(self):
        return [r for r in self.requests if r.url.path == "/v2/translate"]


@pytest.fixture
def fake(monkeypatch):
    server = FakeDeepL()
    monkeypatch.setattr(deepl, "TRANSPORT", httpx.MockTransport(server))
    return server


def test_korean_goes_to_the_pro_endpoint_in_one_request_of_several_texts(fake, monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "0a1b2c3d-pro-key")
    backend = make_backend("deepl", timeout=5)
    tr = Translator(backend, sleep=lambda s: None)
    out = tr.translate_texts(SENTS)
    assert [u.en for u in out] == [f"English sentence number {i} of the answer." for i in range(4)]
    [req] = fake.translate_requests()
    assert req.method == "POST" and str(req.url) == "https://api.deepl.com/v2/translate"
    assert req.headers["Authorization"] == "DeepL-Auth-Key 0a1b2c3d-pro-key"
    assert json.loads(req.content) == {"text": SENTS, "source_lang": "KO", "target_lang": "EN-US"}
    assert json.loads(req.content)["text"][0] == SENTS[0]          # the Korean exact, as sent
    assert str(fake.requests[0].url) == "https://api.deepl.com/v2/usage"   # the key checked at setup


def test_a_free_key_goes_to_the_free_endpoint(fake):
    backend = deepl.DeeplBackend(timeout=5, api_key="0a1b2c3d-free:fx")
    assert backend.translate(SENTS[0]) == "English sentence number 0 of the answer."
    assert {str(r.url.copy_with(path="/")) for r in fake.requests} == {"https://api-free.deepl.com/"}


def test_a_pack_holds_at_most_fifty_texts():
    backend = deepl.DeeplBackend.__new__(deepl.DeeplBackend)
    assert backend.fits("\n".join(["가"] * 50)) and not backend.fits("\n".join(["가"] * 51))
    assert not backend.fits("가" * 40_000)                          # 120 KB of UTF-8


def test_quota_exceeded_stops_the_calls_at_once_and_leaves_the_work_pending(fake, monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "k:fx")
    fake.faults = [456]
    sleeps: list[float] = []
    tr = Translator(make_backend("deepl", timeout=5), sleep=sleeps.append)
    with pytest.raises(CircuitOpen, match=r"DeepL quota exceeded \(HTTP 456: Quota Exceeded\)"):
        tr.translate_texts(SENTS)
    assert len(fake.translate_requests()) == 1 and sleeps == []     # no retry: it cannot pass this run


def test_429_and_5xx_are_retried_as_for_the_other_backends(fake):
    fake.faults = [429, 503]
    sleeps: list[float] = []
    tr = Translator(deepl.DeeplBackend(timeout=5, api_key="k"), sleep=sleeps.append, backoff=0.5)
    assert all(u.en for u in tr.translate_texts(SENTS)) and sleeps == [0.5, 1.0]


def test_a_refused_key_is_one_line_before_the_run(tmp_path, monkeypatch):
    def refuse(request):
        return httpx.Response(403, json={"message": "Wrong endpoint"})
    monkeypatch.setattr(deepl, "TRANSPORT", httpx.MockTransport(refuse))
    with pytest.raises(TranslatorSetupError, match="DeepL refused the key"):
        deepl.DeeplBackend(api_key="not-a-key")
    res = CliRunner(env={"DEEPL_API_KEY": "not-a-key"}).invoke(
        cli, ["--db", str(tmp_path / "a.db"), "run", "--no-crawl", "--translator", "deepl"], catch_exceptions=False)
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 1 and len(lines) == 1, res.stderr
    assert lines[0].startswith("newspipe: error: DeepL refused the key (HTTP 403: Wrong endpoint) at "
                               "https://api.deepl.com: check DEEPL_API_KEY")
    assert not (tmp_path / "a.db").exists()


def test_a_key_revoked_mid_run_leaves_the_rest_pending(fake):
    tr = Translator(deepl.DeeplBackend(timeout=5, api_key="k"), sleep=lambda s: None)
    fake.faults = [403]
    with pytest.raises(CircuitOpen, match="DeepL refused the key"):
        tr.translate_texts(SENTS)
    assert len(fake.translate_requests()) == 1


def test_no_key_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "run", "--no-crawl", "--translator", "deepl"],
                             catch_exceptions=False)
    assert res.exit_code == 1
    assert res.stderr.strip() == "newspipe: error: the deepl translator needs the environment variable DEEPL_API_KEY"


def test_an_answer_with_fewer_texts_is_no_translation(monkeypatch):
    def short(request):
        if request.url.path == "/v2/usage":
            return httpx.Response(200, json={})
        return httpx.Response(200, json={"translations": [{"text": "Only one."}]})
    backend = deepl.DeeplBackend(api_key="k", transport=httpx.MockTransport(short))
    from translate.backends import BackendError
    with pytest.raises(BackendError, match="DeepL answered 1 texts for 2"):
        backend.translate("\n".join(SENTS[:2]))
    assert not isinstance(BackendError("x"), BackendUnavailable)


@pytest.mark.parametrize("key", ["secret-키-123", "abc-secret-KEY-999\ndef", "abc def:fx"])
def test_a_key_with_characters_no_key_has_is_refused_in_one_line_and_never_printed(fake, monkeypatch, key):
    """Found in review: a key with a non-ASCII letter gave httpx's UnicodeEncodeError (a traceback), one with a
    line break an 'Illegal header value b'DeepL-Auth-Key …'' note quoting the key into the cron log every night
    (exit 0). Both translators refuse such a key before sending it, without naming it."""
    monkeypatch.setenv("DEEPL_API_KEY", key)
    monkeypatch.setenv("MICROSOFT_TRANSLATOR_KEY", key)
    for name, env in (("deepl", "DEEPL_API_KEY"), ("microsoft", "MICROSOFT_TRANSLATOR_KEY")):
        with pytest.raises(TranslatorSetupError, match=f"{env} holds characters no key has") as info:
            make_backend(name, timeout=5)
        assert "secret" not in str(info.value)
    assert not fake.requests


@pytest.mark.parametrize("answer,line", [
    (httpx.Response(200, text="<html>Please log in to the hotel wifi</html>"), "not JSON: a proxy in between?"),
    (httpx.Response(404, json={"message": "Not found"}), "refused the key check"),
    # found in review: a body that is not what its Content-Encoding says (a broken proxy) was a traceback
    ("broken gzip", "unreadable answer"),
])
def test_a_key_check_answered_oddly_ends_in_one_line(monkeypatch, tmp_path, answer, line):
    """Found in review: a proxy's page (200, HTML) or a 404 at the key check was a traceback ('BackendError')."""
    monkeypatch.setenv("DEEPL_API_KEY", "odd-answer-key")
    if answer == "broken gzip":        # read (and found broken) only when the client reads the body
        def reply(request):
            return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip"))
    else:
        def reply(request):
            return answer
    monkeypatch.setattr(deepl, "TRANSPORT", httpx.MockTransport(reply))
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "run", "--no-crawl", "--translator", "deepl"])
    if "proxy" in line or "unreadable" in line:         # not DeepL answering: an outage, the run goes on (its articles would stay pending)
        assert res.exit_code == 0 and "Traceback" not in res.output, res.output
        with pytest.raises(BackendUnavailable, match=line):
            make_backend("deepl", timeout=5)
    else:
        assert res.exit_code == 1 and line in res.output and "Traceback" not in res.output, res.output


def test_a_second_worker_does_not_check_the_key_again(fake, monkeypatch):
    """Found in review: with concurrency 2 the translator builds a second backend mid-stage, whose own key check
    (a 403 by then, or a 429) ended the run with exit 1 instead of leaving the rest pending. The key is checked
    once a process."""
    monkeypatch.setenv("DEEPL_API_KEY", "one-check-key")
    tr = Translator(make_backend("deepl", timeout=5), sleep=lambda s: None, concurrency=2,
                    backend_factory=lambda: make_backend("deepl", timeout=5))
    tr.translate_texts(SENTS * 40)
    assert sum(r.url.path == "/v2/usage" for r in fake.requests) == 1
