"""A translator that refuses every request (a 4xx of its own or of its configuration) is the backend's fault,
not each article's. Found in an operations engineer's trial: a LibreTranslate URL with a wrong path (404)
failed every article as 'server error: ERR_DAILY_CHAR_LIMIT_EXCEEDED' (deep-translator's Yandex table) and
spent an attempt on each, three nights and all were given up; a server without Korean (400 'ko is not
supported') said ERR_BAD_REQUEST and dropped the reason. A local stub server (tests/conftest.py LibreStub)."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import demo_archive
from pipeline.run import Pipeline, RunOptions
from translate.backends import BackendError, BackendUnavailable, LibreBackend

SENT = "전주시는 26일 새만금 예산을 논의했다고 밝혔다."
NOT_FOUND = (404, {}, b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>")
NO_KOREAN = (400, {}, b'{"error": "ko is not supported"}')


@pytest.mark.parametrize("fault,reason", [(NOT_FOUND, "404 Not Found"), (NO_KOREAN, "ko is not supported")])
def test_a_refusal_of_every_text_is_the_backends_with_url_status_and_reason(libre, fault, reason):
    libre.fail_next = [fault] * 5
    backend = LibreBackend(libre.url + "wrong/path", timeout=5)
    with pytest.raises(BackendUnavailable) as caught:
        backend.translate(SENT)
    assert caught.value.final                                   # no use asking again this run
    status = fault[0]
    assert str(caught.value) == f"HTTP {status} from {libre.url}wrong/path/translate: {reason}"
    assert "ERR_" not in str(caught.value) and SENT not in str(caught.value)    # nor the text (in the query)
    assert len(libre.requests) == 2                     # the text, then a short greeting that was refused too


def test_a_refusal_of_one_text_only_stays_that_texts(libre):
    """LibreTranslate refuses a text over its limit with a 400: a greeting goes through, so the text failed."""
    libre.fail_next = [(400, {}, b'{"error": "Invalid request: request (5000) exceeds text limit (2000)"}')]
    backend = LibreBackend(libre.url, timeout=5)
    with pytest.raises(BackendError) as caught:
        backend.translate(SENT)
    assert not isinstance(caught.value, BackendUnavailable)
    assert "HTTP 400: Invalid request: request (5000) exceeds text limit (2000)" in str(caught.value)
    libre.fail_next = [NO_KOREAN]                      # it worked before: a later refusal is the text's, no probe
    with pytest.raises(BackendError):
        backend.translate(SENT)
    assert len(libre.requests) == 3


def test_the_servers_reason_is_bounded_and_loses_its_control_characters(libre):
    libre.fail_next = [(400, {}, b'{"error": "no \\u001b[31mred\\u001b[0m\\r\\nlines ' + b"x" * 400 + b'"}')] * 2
    with pytest.raises(BackendUnavailable) as caught:
        LibreBackend(libre.url, timeout=5).translate(SENT)
    said = str(caught.value)
    assert "\x1b" not in said and "\r" not in said and "\n" not in said
    assert said.startswith(f"HTTP 400 from {libre.url}translate: no [31mred [0m lines") and len(said) < 260


def test_a_run_against_a_wrong_path_spends_no_attempt_and_says_why(tmp_path, analyser, libre):
    arch, src = demo_archive(tmp_path)
    libre.fail_next = [NOT_FOUND] * 50
    secret = "SECRETKEY123"
    run = Pipeline(arch, [src], analyser=analyser,
                   backend_factory=lambda: LibreBackend(libre.url + "wrong/path", timeout=5, api_key=secret))
    summary = run.run(RunOptions(crawl=False))
    assert summary.pending["translate"] == 2 and summary.counts.get("translate_failed", 0) == 0
    note = " ".join(summary.notes)
    assert f"HTTP 404 from {libre.url}wrong/path/translate: 404 Not Found" in note, summary.notes
    assert note.startswith("translator libre refused the work (") and "unreachable" not in note, note
    assert secret not in note and not summary.errors
    con = sqlite3.connect(tmp_path / "t.db")
    assert not con.execute("SELECT max(translate_attempts) FROM articles").fetchone()[0]
    assert len(libre.requests) == 2                     # one text and the greeting: then no more calls
    libre.fail_next = []
    fixed = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(libre.url, timeout=5))
    assert fixed.run(RunOptions(crawl=False)).counts["translated"] == 2


def test_microsoft_refusing_every_text_stops_the_calls_with_its_reason(monkeypatch):
    import responses
    from translate.backends import MicrosoftBackend
    from translate.translator import CircuitOpen, Translator
    base = "https://api.cognitive.microsofttranslator.com"
    monkeypatch.setenv("MICROSOFT_TRANSLATOR_KEY", "k")
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, f"{base}/languages", json={"translation": {"ko": {"name": "Korean"}, "en": {"name": "English"}}})
        mock.add(responses.POST, f"{base}/translate", status=400,
                 json={"error": {"code": 400036, "message": "The target language is not valid."}})
        tr = Translator(MicrosoftBackend(timeout=5), sleep=lambda s: None)
        with pytest.raises(CircuitOpen, match=f"HTTP 400 from {base}/translate: The target language is not valid"):
            tr.translate_texts([SENT])
        assert len(mock.calls) == 3            # the languages, the text, the greeting: then no more calls


def test_html_character_references_in_a_backends_english_are_resolved_once(tmp_path, analyser):
    """Google's answers held `It&#39;s`: it went into the archive and every export (in TMX as `&amp;#39;`)."""
    from translate.backends import Backend
    from translate.translator import Translator

    class Escaping(Backend):
        def translate(self, text: str) -> str:
            return "\n".join(f"It&#39;s &quot;line&quot; {i}:&#10;AT&T &amp;lt;R&D&gt; &bogus; done."
                             for i, _ in enumerate(text.split("\n")))

    tr = Translator(Escaping(name="stub"))
    out = tr.translate_texts(["전주시는 회의를 열었다고 밝혔다.", "회의는 오후 2시 시청에서 열렸다."])
    assert [u.en for u in out] == [f'It\'s "line" {i}: AT&T &lt;R&D> &bogus; done.' for i in (0, 1)]
    arch, src = demo_archive(tmp_path, files=("ndsoft-1001.html",))
    Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: Escaping(name="stub")).run(
        RunOptions(crawl=False))
    con = sqlite3.connect(tmp_path / "t.db")
    english = " ".join(r[0] or "" for r in con.execute("SELECT title_en FROM articles UNION ALL "
                                                        "SELECT en FROM sentences"))
    assert "It's" in english and "&#39;" not in english and "&quot;" not in english


def test_a_server_that_turns_to_refusing_mid_run_costs_one_article_an_attempt_not_every_one():
    """(review) once one text had gone through, every later refusal was taken for its text's own: a proxy that
    began answering 404 mid-run spent an attempt of every article and never stopped the calls. Two refusals in a
    row ask the greeting again; refused too, it is the backend's fault."""
    from translate.errors import Refused

    class Turning(LibreBackend):
        calls = 0

        def _ask(self, text):
            self.calls += 1
            if self.calls == 1:
                return "It is fine."
            raise Refused(404, "http://127.0.0.1:1/translate", "Not Found")

    backend = Turning("http://127.0.0.1:1", timeout=1)
    assert backend.translate("첫 문장입니다.") == "It is fine."
    with pytest.raises(BackendError):
        backend.translate("두 번째 문장입니다.")                      # one refusal after a success: the text's
    with pytest.raises(BackendUnavailable) as stop:
        backend.translate("세 번째 문장입니다.")                      # two in a row: the greeting refused too
    assert stop.value.final and "HTTP 404" in str(stop.value)


def test_texts_too_long_for_a_working_server_stay_their_own_failures():
    from translate.errors import Refused

    class Picky(LibreBackend):
        def _ask(self, text):
            if len(text) > 20:
                raise Refused(400, "http://127.0.0.1:1/translate", "text too long")
            return "ok"

    backend = Picky("http://127.0.0.1:1", timeout=1)
    assert backend.translate("짧은 문장.") == "ok"
    for _ in range(5):                                                    # each asks the greeting again at most
        with pytest.raises(BackendError):
            backend.translate("아주 긴 문장입니다. " * 10)


def test_a_refusal_that_quotes_the_key_does_not_print_it_and_an_ipv6_url_keeps_its_brackets():
    """(review) the server's own reason was printed as it came: one that echoes the key it refused showed it."""
    import json

    import requests

    from translate.errors import refusal
    response = requests.Response()
    response.status_code = 400
    response._content = json.dumps({"error": "Invalid API key: SECRETKEY123"}).encode()
    response.url = "http://[::1]:5000/translate"
    response.request = requests.Request("POST", response.url, json={"q": "안녕", "api_key": "SECRETKEY123"}).prepare()
    refused = refusal(response)
    assert "SECRETKEY123" not in str(refused.backend_fault()) and "Invalid API key" in refused.reason
    assert refused.where == "http://[::1]:5000/translate"


def test_a_reference_the_korean_holds_is_kept_and_the_memorys_english_is_resolved_too():
    """(review) a backend that does not escape gave back '&amp;' for a Korean text about HTML that holds '&amp;':
    it was resolved to '&'; and English kept in the translation memory before references were resolved came out
    as it was stored ('It&#39;s')."""
    from translate.backends import Backend
    from translate.translator import DictMemory, Translator

    class Plain(Backend):
        def translate(self, text: str) -> str:
            return "\n".join("Write &amp; in HTML for an ampersand." for _ in text.split("\n"))

    src = "HTML에서는 앰퍼샌드를 &amp;로 쓴다."
    assert Translator(Plain(name="stub")).translate_texts([src])[0].en == "Write &amp; in HTML for an ampersand."
    memory = DictMemory()
    memory.put({"전주시는 회의를 열었다.": "It&#39;s a meeting."})
    out = Translator(Plain(name="stub"), memory=memory).translate_texts(["전주시는 회의를 열었다."])
    assert out[0].en == "It's a meeting."


def test_a_key_where_the_reason_is_shortened_is_not_shown_in_part():
    """(review) the key was cut out of the reason after it was shortened to 160 characters: a reason that
    quotes the key where the cut falls (a long run without spaces before it) kept the key's first part."""
    import json

    import requests

    from translate.errors import refusal
    key = "SECRETKEY" + "0123456789" * 4
    response = requests.Response()
    response.status_code = 400
    response._content = json.dumps({"error": "Refused: " + "parameter-" * 13 + "api_key=" + key + " bad"}).encode()
    response.url = "http://127.0.0.1:5000/translate"
    response.request = requests.Request("POST", response.url, params={"q": "안녕", "api_key": key}).prepare()
    said = str(refusal(response).backend_fault())
    assert "SECRETKEY" not in said and "api_key=…" in said and "Refused: parameter-" in said
