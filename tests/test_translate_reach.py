"""A translator that cannot be reached is an outage (the run completes, articles stay pending); only a
configuration fault is a user error. Found in a new user's trial: `--translator microsoft` offline exited 1 at
setup ('cannot set up microsoft: cannot connect: NameResolutionError') and nothing was crawled. No network:
``responses`` answers every requests call (an unregistered one is refused), an httpx.MockTransport DeepL's."""
from __future__ import annotations

import re

import httpx
import pytest
import requests
import responses
from click.testing import CliRunner

from conftest import demo_archive
from pipeline.cli import cli
from pipeline.run import Pipeline, RunOptions
from translate import deepl
from translate.backends import BACKENDS, BackendUnavailable, TranslatorSetupError, make_backend
from translate.translator import CircuitOpen, Translator

MS_LANGUAGES = "https://api.cognitive.microsofttranslator.com/languages"
MS_TRANSLATE = "https://api.cognitive.microsofttranslator.com/translate"
KEYS = {"DEEPL_API_KEY": "k:fx", "MICROSOFT_TRANSLATOR_KEY": "k", "MYMEMORY_EMAIL": "desk@example.org"}


def _no_dns(request):
    raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)


@pytest.fixture
def offline(monkeypatch):
    """Every translator host unreachable: requests' calls refused by ``responses``, DeepL's by a transport."""
    for k, v in KEYS.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(deepl, "TRANSPORT", httpx.MockTransport(_no_dns))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, MS_LANGUAGES, body=requests.ConnectionError(
            "HTTPSConnectionPool(host='api.cognitive.microsofttranslator.com', port=443): Max retries exceeded "
            "(Caused by NameResolutionError(\"Failed to resolve 'api.cognitive.microsofttranslator.com'\"))"))
        yield mock


@pytest.mark.parametrize("name", BACKENDS)
def test_no_backend_setup_takes_an_unreachable_service_for_a_user_error(offline, name):
    try:
        backend = make_backend(name, "http://127.0.0.1:9/" if name == "libre" else None, timeout=1)
    except BackendUnavailable as exc:
        assert name in ("microsoft", "deepl") and exc.backend == name
        assert "cannot" in str(exc)
    else:       # set up without asking anything: the first translation finds the outage
        assert backend.name == name and name not in ("microsoft", "deepl")


@pytest.mark.parametrize("name", ["microsoft", "deepl"])
def test_a_run_with_the_translator_unreachable_at_setup_completes(offline, tmp_path, name):
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "run", "--no-crawl", "--no-progress",
                                   "--translator", name], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert "error" not in res.stderr


@pytest.mark.parametrize("name", ["microsoft", "deepl"])
def test_the_translate_stage_says_the_translator_is_unreachable_and_leaves_articles_pending(offline, tmp_path,
                                                                                            analyser, name):
    arch, src = demo_archive(tmp_path)
    summary = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: make_backend(name, timeout=1)).run(
        RunOptions(crawl=False))
    assert summary.exit_code == 0 and summary.pending["translate"] == 2
    [note] = [n for n in summary.notes if "translator" in n]
    assert note.startswith(f"translator {name} unreachable (cannot ") and note.endswith(
        "; 2 articles stay pending for the next run"), note
    if name == "microsoft":
        assert "NameResolutionError (api.cognitive.microsofttranslator.com)" in note


@pytest.mark.parametrize("name, env", [("microsoft", "MICROSOFT_TRANSLATOR_KEY"), ("deepl", "DEEPL_API_KEY")])
def test_a_missing_key_is_still_a_user_error(offline, monkeypatch, name, env):
    monkeypatch.delenv(env)
    with pytest.raises(TranslatorSetupError, match=f"the {name} translator needs the environment variable {env}"):
        make_backend(name)


def _microsoft(offline):
    offline.replace(responses.GET, MS_LANGUAGES, json={"translation": {"ko": {"name": "Korean"},
                                                                       "en": {"name": "English"}}})
    return Translator(make_backend("microsoft", timeout=1), sleep=lambda s: None, retries=1, breaker_threshold=2)


def test_microsoft_unreachable_while_translating_is_an_outage_not_a_failed_article(offline):
    tr = _microsoft(offline)       # deep-translator logs the connection error, then fails on the missing answer
    offline.add(responses.POST, MS_TRANSLATE, body=requests.ConnectionError("Connection refused"))
    with pytest.raises(BackendUnavailable, match="cannot connect: Connection refused"):
        tr.translate_texts(["회의는 오후 2시 시청에서 열렸다."])


def test_microsoft_refusing_the_key_stops_the_calls_and_translates_otherwise(offline):
    tr = _microsoft(offline)
    offline.add(responses.POST, MS_TRANSLATE, status=401, json={"error": {"code": 401000, "message": "bad key"}})
    with pytest.raises(CircuitOpen, match=r"Microsoft refused the key \(HTTP 401\)"):
        tr.translate_texts(["회의는 오후 2시 시청에서 열렸다."])
    tr = _microsoft(offline)
    offline.replace(responses.POST, MS_TRANSLATE, json=[{"translations": [{"text": "The meeting was held.\n"
                                                                                   "It rained.", "to": "en"}]}])
    assert [u.en for u in tr.translate_texts(["회의는 열렸다.", "비가 왔다."])] == ["The meeting was held.",
                                                                               "It rained."]


def _run(tmp_path, *args, config: str | None = None):
    pre = ["--db", str(tmp_path / "a.db")]
    if config is not None:
        (tmp_path / "newspipe.toml").write_text(config, encoding="utf-8")
        pre += ["--config", str(tmp_path / "newspipe.toml")]
    return CliRunner().invoke(cli, [*pre, *args], catch_exceptions=False)


def _one_line(res, code: int, text: str) -> None:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.exit_code == code and len(lines) == 1 and lines[0].startswith("newspipe: error: "), res.stderr
    assert text in lines[0], lines[0]


@pytest.mark.parametrize("chosen", [[], ["--translator", "google"], ["--translator", "none"]])
def test_a_translator_url_for_a_translator_that_takes_none_is_refused(tmp_path, chosen):
    """`--translator-url` with Google was silently ignored: the run went to Google (a new user's trial)."""
    name = chosen[1] if chosen else "google"
    res = _run(tmp_path, "run", "--no-crawl", *chosen, "--translator-url", "http://127.0.0.1:9/")
    _one_line(res, 2, f"--translator-url is for the libre translator: the {name} translator takes no URL")
    res = _run(tmp_path, "demo", *chosen, "--translator-url", "http://127.0.0.1:9/")
    _one_line(res, 2, f"the {name} translator takes no URL")
    assert not (tmp_path / "a.db").exists()


def test_a_settings_file_url_without_libre_is_refused_and_libres_own_is_left_to_libre(tmp_path):
    res = _run(tmp_path, "run", "--no-crawl", config='[translate]\nurl = "http://127.0.0.1:9/"\n')
    _one_line(res, 1, "newspipe.toml: translate.url = 'http://127.0.0.1:9/' is for backend = \"libre\": the google "
                      "translator takes no URL")
    res = _run(tmp_path, "run", "--no-crawl", config='[translate]\nbackend = "deepl"\nurl = "http://127.0.0.1:9/"\n')
    _one_line(res, 1, "the deepl translator takes no URL")
    assert not (tmp_path / "a.db").exists()
    # the file's libre has its server; this run chose another translator: that URL is not this run's
    res = _run(tmp_path, "run", "--no-crawl", "--no-progress", "--translator", "none",
               config='[translate]\nbackend = "libre"\nurl = "http://127.0.0.1:9/"\n')
    assert res.exit_code == 0, res.stderr


def test_a_wrong_libre_url_says_which_url_it_tried_and_where_it_is_set(tmp_path, analyser):
    """Every night 'translator libre unreachable (cannot connect: Connection refused …)', exit 0, and nothing
    said where the address came from (a new user's trial)."""
    from conftest import free_port
    from translate.backends import LibreBackend
    url = f"http://127.0.0.1:{free_port()}/"
    arch, src = demo_archive(tmp_path)
    summary = Pipeline(arch, [src], analyser=analyser, backend_factory=lambda: LibreBackend(url, timeout=1)).run(
        RunOptions(crawl=False))
    [note] = [n for n in summary.notes if "translator" in n]
    assert note.startswith("translator libre unreachable (") and "Connection refused (127.0.0.1)" in note
    assert note.endswith(f"; 2 articles stay pending for the next run; check that a LibreTranslate server answers "
                         f"at {url} (translate.url or --translator-url)"), note


def test_https_to_a_plain_http_server_names_the_ssl_error_whole(libre):
    from translate.backends import LibreBackend
    tr = Translator(LibreBackend(libre.url.replace("http://", "https://"), timeout=2), sleep=lambda s: None,
                    retries=0)
    with pytest.raises(BackendUnavailable) as caught:
        tr.translate_texts(["회의는 오후 2시 시청에서 열렸다."])
    assert re.fullmatch(r"cannot connect: SSL: [A-Z0-9_]+ \(127\.0\.0\.1\)", str(caught.value)), str(caught.value)


def test_a_long_reason_is_shortened_at_a_word():
    from translate.backends import _reason, short_reason
    text = "The quick brown fox jumps over the lazy dog " * 6
    out = short_reason(text, 60)
    assert len(out) <= 61 and out.endswith("…") and text.startswith(out[:-1]) and text[len(out) - 1] == " "
    assert short_reason("short enough", 60) == "short enough"
    odd = requests.ConnectionError("HTTPSConnectionPool(host='tr.example', port=443): Max retries exceeded with "
                                   "url: /translate?q=%EA%B0%80 (Caused by ProxyError('Unable to connect to proxy', "
                                   "OSError('Tunnel connection failed: 407 Proxy Authentication Required')))")
    reason = _reason(odd)
    assert "%EA" not in reason and "ConnectionPool" not in reason and reason.endswith(" (tr.example)"), reason
    assert all(w in odd.args[0] for w in reason.removesuffix(" (tr.example)").rstrip("…").split()), reason


def test_microsoft_sends_the_region_of_a_regional_key(offline, monkeypatch):
    """Left open by the backends' round: a regional Translator resource refuses a call without its region;
    MICROSOFT_TRANSLATOR_REGION names it (sent as Ocp-Apim-Subscription-Region), and without it none is sent."""
    seen = []

    def answer(request):
        seen.append(request.headers.get("Ocp-Apim-Subscription-Region"))
        return 200, {}, '[{"translations": [{"text": "It rained.", "to": "en"}]}]'

    offline.add_callback(responses.POST, MS_TRANSLATE, callback=answer)
    monkeypatch.setenv("MICROSOFT_TRANSLATOR_REGION", "koreacentral")
    assert _microsoft(offline).translate_texts(["비가 왔다."])[0].en == "It rained."
    monkeypatch.delenv("MICROSOFT_TRANSLATOR_REGION")
    assert _microsoft(offline).translate_texts(["비가 왔다."])[0].en == "It rained."
    assert seen == ["koreacentral", None]
