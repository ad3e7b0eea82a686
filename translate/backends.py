"""Translation backends through deep-translator, made fit for a nightly batch (DeepL, whose deep-translator
table has no Korean, has its own client over httpx: translate/deepl.py).

deep-translator calls ``requests.get``/``requests.post`` with no timeout. Each of its
modules holds its own reference to ``requests``; we replace that reference (in those
modules only) with a proxy that always passes our timeout. ``responses`` and any other
requests-level interception keep working, since the real requests code still runs.

Every failure comes out as one of two exceptions: ``BackendUnavailable`` (the service
cannot be reached or refuses us: retry later) or ``BackendError`` (this text failed).
"""
from __future__ import annotations

import os
import re
import threading
import urllib.parse
from dataclasses import dataclass

import requests

from scrapers.util.retry import retry_after_seconds
from scrapers.util.urls import url_problem
from .errors import (BackendError, BackendUnavailable, Refused, TranslatorSetupError, refusal,  # noqa: F401
                     server_reason, short_reason)

TRANSLATOR_ENV = {
    "deepl": "DEEPL_API_KEY",
    "microsoft": "MICROSOFT_TRANSLATOR_KEY",
    "libre": "LIBRE_API_KEY",
    "mymemory": "MYMEMORY_EMAIL",
}


class _TimeoutRequests:
    """Stands in for the ``requests`` module inside deep-translator: same API, a timeout always.

    It also keeps the last response of each thread, so a 429 or 503 can be retried after the
    server's own Retry-After (deep-translator's exceptions do not carry the response)."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._real = requests
        self._local = threading.local()

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _call(self, method, url, kwargs):
        kwargs.setdefault("timeout", self.timeout)
        self._local.last = self._local.error = None
        try:
            resp = method(url, **kwargs)
        except requests.RequestException as exc:     # kept: deep-translator's Microsoft logs it and goes on
            self._local.error = exc
            raise
        self._local.last = resp
        return resp

    def last_error(self) -> requests.RequestException | None:
        return getattr(self._local, "error", None)

    def get(self, url, **kwargs):
        return self._call(self._real.get, url, kwargs)

    def post(self, url, **kwargs):
        return self._call(self._real.post, url, kwargs)

    def last_response(self):
        return getattr(self._local, "last", None)

    def last_retry_after(self) -> float | None:
        resp = self.last_response()
        if resp is None:
            return None
        return retry_after_seconds(resp.headers.get("Retry-After"))


_patch_lock = threading.Lock()


def _install_timeout(module_name: str, timeout: float) -> _TimeoutRequests:
    import importlib
    with _patch_lock:
        mod = importlib.import_module(module_name)
        current = getattr(mod, "requests", None)
        if isinstance(current, _TimeoutRequests):
            current.timeout = timeout
        else:
            current = mod.requests = _TimeoutRequests(timeout)
        return current


def _wrap_errors(call, *args, http: _TimeoutRequests | None = None, key_env: str = ""):
    """Run a deep-translator call, mapping its many exception types onto ours (``key_env``: where the key
    comes from, named when the service refuses it)."""
    try:
        return _map_errors(call, *args, http=http, key_env=key_env)
    except BackendUnavailable as exc:
        if exc.retry_after is None and http is not None:
            exc.retry_after = http.last_retry_after()
        raise


def _map_errors(call, *args, http: _TimeoutRequests | None = None, key_env: str = ""):
    from deep_translator import exceptions as dx
    try:
        return call(*args)
    except requests.Timeout as exc:
        raise BackendUnavailable(f"timeout: {exc.__class__.__name__}") from None
    except requests.ConnectionError as exc:
        raise BackendUnavailable(f"cannot connect: {_reason(exc)}") from None
    except dx.TooManyRequests:
        raise BackendUnavailable("rate limited (429)") from None
    except dx.ServerException as exc:
        code = _status_of(exc, http)
        if code is not None and (code >= 500 or code in (408, 429)):
            raise BackendUnavailable(f"server error: HTTP {code}") from None
        raise refusal(http.last_response() if http is not None else None, key_env) from None
    except dx.RequestError as exc:
        raise BackendUnavailable(f"request failed: {short_reason(str(exc), 160)}") from None
    except (dx.AuthorizationException, dx.ApiKeyException):
        # deep-translator's message quotes the key itself ('Unauthorized access with the api key SECRET'): never
        # repeated (it would reach the log, the run's summary and the archive's error columns). A refused key is
        # this run's end for every text, not a failure of each: the articles stay pending, no attempt spent.
        code = _status_of(None, http)
        raise BackendUnavailable(f"the service refused the key{f' (HTTP {code})' if code else ''}"
                                 f"{f': check {key_env}' if key_env else ''}", final=True) from None
    except dx.TranslationNotFound:
        raise BackendError("no translation in the answer") from None
    except dx.NotValidLength:
        raise BackendError("text too long for the backend") from None
    except (dx.NotValidPayload, dx.LanguageNotSupportedException, dx.InvalidSourceOrTargetLanguage) as exc:
        raise BackendError(short_reason(str(exc), 160)) from None
    except requests.RequestException as exc:
        raise BackendUnavailable(f"request failed: {short_reason(str(exc), 160)}") from None
    except ValueError as exc:      # a non-JSON answer from a JSON API
        raise BackendError(f"unreadable answer: {short_reason(str(exc), 120)}") from None


def _status_of(exc: BaseException, http: _TimeoutRequests | None = None) -> int | None:
    """The HTTP status behind a deep-translator error: from the exception's own response where it carries
    one (requests' HTTPError does), else from the response this thread last received (deep-translator's
    ServerException keeps only a name made of the status, and never the response). Never read from a
    message."""
    response = getattr(exc, "response", None)
    if response is None and http is not None:
        response = http.last_response()
    return getattr(response, "status_code", None)


def _reason(exc: BaseException) -> str:
    """The innermost cause, without the URL (which holds the whole text for Google), never cut mid-word: a
    known marker, or an SSL error's own name ('SSL: WRONG_VERSION_NUMBER': https:// to a plain-http server),
    with the host; else the message shortened at a word."""
    text = str(exc)
    host = re.search(r"host='([^']+)'", text)
    where = f" ({host.group(1)})" if host else ""
    for marker in ("NameResolutionError", "Connection refused", "timed out", "Connection reset", "RemoteDisconnected"):
        if marker in text:
            return marker + where
    if ssl := re.search(r"\[SSL: ([A-Z0-9_]+)\]|(CERTIFICATE_VERIFY_FAILED|WRONG_VERSION_NUMBER)", text):
        return f"SSL: {ssl.group(1) or ssl.group(2)}{where}"
    text = re.sub(r"url: \S+", "", text)
    text = re.sub(r"\w+ConnectionPool\(host='[^']*', port=\d+\): Max retries exceeded with\s*", "", text)
    return short_reason(text, 120) + ("" if not where or where.strip(" ()") in text else where)


@dataclass
class Backend:
    """One configured backend. ``fits`` says whether a packed text is small enough for one request:
    at most ``max_chars`` characters and, for backends that send the text in the URL (deep-translator's
    Google and LibreTranslate do), at most ``max_url_bytes`` once URL-encoded (a Hangul syllable is 9)."""

    name: str
    max_chars: int = 2000
    timeout: float = 30.0
    max_url_bytes: int | None = None
    hint: str = ""             # what to check when it cannot be reached (the run's note says it)

    def fits(self, text: str) -> bool:
        if len(text) > self.max_chars:
            return False
        return self.max_url_bytes is None or len(urllib.parse.quote_plus(text)) <= self.max_url_bytes

    def translate(self, text: str) -> str:
        raise NotImplementedError


class NoneBackend(Backend):
    """Translation switched off: nothing is sent, articles stay pending."""

    def translate(self, text: str) -> str:
        raise BackendUnavailable("translation is switched off (--translator none)")


class _DeepTranslatorBackend(Backend):
    """A deep-translator client (``self._impl``, set up by the subclass with ``self._http`` and ``self._lock``):
    one request at a time per instance, since deep-translator's translate() mutates instance state."""

    _impl = None
    _http = None
    _lock: threading.Lock

    _works = False            # a text went through: a refusal after it is that text's ...
    _refused = 0              # ... until REPROBE refusals in a row, when the greeting is asked again
    REPROBE = 2
    PROBE = "안녕하세요."

    def translate(self, text: str) -> str:
        try:
            out = self._ask(text)
        except Refused as refused:
            self._refused += 1
            trusted = self._works and self._refused < self.REPROBE   # (a server that turns to refusing mid-run
            if refused.status == 413 or trusted or self._probe():    # costs one article an attempt: review)
                raise BackendError(str(refused)) from None
            raise refused.backend_fault() from None     # every text would be refused: no attempt spent on each
        self._works, self._refused = True, 0
        return out

    def _probe(self) -> bool:
        """Whether a short greeting goes through where a text was refused (the text's fault, then)."""
        try:
            self._ask(self.PROBE)
        except Refused:
            return False
        self._works, self._refused = True, 0
        return True

    def _ask(self, text: str) -> str:
        with self._lock:
            out = _wrap_errors(self._impl.translate, text, http=self._http, key_env=TRANSLATOR_ENV.get(self.name, ""))
        return out if isinstance(out, str) else ""


class GoogleBackend(_DeepTranslatorBackend):
    """Google's web endpoint through deep-translator: the text travels in the URL, so size by encoded bytes."""

    def __init__(self, timeout: float = 30.0):
        # deep-translator refuses 5000 characters and more; Google's endpoint fails on Korean from about
        # 1,800 characters (~16 KB of URL): 12 KB keeps a margin.
        super().__init__(name="google", max_chars=4999, timeout=timeout, max_url_bytes=12_000)
        self._http = _install_timeout("deep_translator.google", timeout)
        from deep_translator import GoogleTranslator
        self._impl = GoogleTranslator(source="ko", target="en")
        self._lock = threading.Lock()


class LibreBackend(_DeepTranslatorBackend):
    def __init__(self, url: str | None, timeout: float = 30.0, api_key: str | None = None):
        # deep-translator POSTs the text as a query parameter: a LibreTranslate server behind waitress reads
        # request lines up to 256 KB, a proxy may allow far less; 32 KB is ~3,500 Hangul syllables.
        super().__init__(name="libre", max_chars=4000, timeout=timeout, max_url_bytes=32_000)
        if not url:
            raise TranslatorSetupError("the libre translator needs a LibreTranslate server: --translator-url URL, "
                                       "or url in the [translate] table of the settings file")
        if problem := url_problem(url):
            raise TranslatorSetupError(f"translator URL {url!r} {problem}")
        self._http = _install_timeout("deep_translator.libre", timeout)
        self.hint = f"check that a LibreTranslate server answers at {url} (translate.url or --translator-url)"
        from deep_translator import LibreTranslator
        if not url.endswith("/"):
            url += "/"       # deep-translator appends 'translate' to the URL as it is
        # a public server needs no key ('newspipe' stands in for one); a key given is checked like any other
        keyed = (api_key or os.environ.get(TRANSLATOR_ENV["libre"]) or "").strip()
        self._impl = LibreTranslator(source="ko", target="en", custom_url=url,
                                     api_key=read_key("libre", api_key) if keyed else "newspipe")
        self._lock = threading.Lock()


def read_key(name: str, given: str | None = None) -> str:
    """The key of translator ``name``: ``given``, else its environment variable (TRANSLATOR_ENV). A missing one,
    or one that is not printable ASCII without spaces (pasted with a line break or a stray letter), is refused in
    one line and never sent (an HTTP library's error would quote it into the log, every night)."""
    env = TRANSLATOR_ENV[name]
    key = (given or os.environ.get(env) or "").strip()
    if not key:
        raise TranslatorSetupError(f"the {name} translator needs the environment variable {env}")
    if not (key.isascii() and key.isprintable()) or any(c.isspace() for c in key):
        raise TranslatorSetupError(f"{env} holds characters no key has (a space, a line break or a non-ASCII "
                                   "letter): set it again from the provider's page")
    return key


class _KeyedBackend(_DeepTranslatorBackend):
    cls_name = ""
    module = ""

    def __init__(self, name: str, timeout: float, **kwargs):
        super().__init__(name=name, max_chars=4000, timeout=timeout)
        key = read_key(name)
        self._http = _install_timeout(self.module, timeout)
        import deep_translator
        cls = getattr(deep_translator, self.cls_name)
        from deep_translator import exceptions as dx
        try:      # Microsoft asks for its language list here: not reaching it is an outage, not a user error
            self._impl = _wrap_errors(lambda: cls(source="ko", target="en", **{self.key_arg: key}, **kwargs),
                                      http=self._http, key_env=TRANSLATOR_ENV[name])
        except BackendUnavailable as exc:
            if exc.final:          # the key refused: the user's to fix, in one line
                raise TranslatorSetupError(f"cannot set up {name}: {exc}") from None
            raise BackendUnavailable(f"cannot set up {name}: {exc}", exc.retry_after) from None
        except BackendError as exc:
            if isinstance(exc.__context__, (dx.LanguageNotSupportedException, dx.InvalidSourceOrTargetLanguage)):
                raise TranslatorSetupError(f"cannot set up {name}: {exc}") from None
            raise BackendUnavailable(f"cannot set up {name}: {exc}") from None      # an unreadable answer
        self._lock = threading.Lock()


MICROSOFT_REGION_ENV = "MICROSOFT_TRANSLATOR_REGION"      # its Azure region (westeurope …), for a regional key


class MicrosoftBackend(_KeyedBackend):
    cls_name, module, key_arg = "MicrosoftTranslator", "deep_translator.microsoft", "api_key"

    def __init__(self, timeout=30.0):
        # a regional (not global) Translator resource is refused without its region's header
        region = os.environ.get(MICROSOFT_REGION_ENV, "").strip()
        super().__init__("microsoft", timeout, **({"region": region} if region else {}))

    def _ask(self, text: str) -> str:
        """deep-translator's Microsoft swallows a connection error (then fails on the missing answer) and raises
        its own MicrosoftAPIerror for every error answer: both are told apart here by what was received."""
        from deep_translator.exceptions import MicrosoftAPIerror
        try:
            return super()._ask(text)
        except AttributeError:
            error = self._http.last_error()
            if error is None:
                raise
            if isinstance(error, requests.Timeout):
                raise BackendUnavailable(f"timeout: {error.__class__.__name__}") from None
            raise BackendUnavailable(f"cannot connect: {_reason(error)}") from None
        except MicrosoftAPIerror as exc:
            code = _status_of(exc, self._http)
            if code in (401, 403):
                raise BackendUnavailable(f"Microsoft refused the key (HTTP {code}): check MICROSOFT_TRANSLATOR_KEY"
                                         f" (and {MICROSOFT_REGION_ENV} for a regional resource)", final=True) from None
            if code is not None and (code >= 500 or code in (408, 429)):
                raise BackendUnavailable(f"server error: HTTP {code}", self._http.last_retry_after()) from None
            if code is None:
                raise BackendError(short_reason(str(exc), 160)) from None
            raise refusal(self._http.last_response()) from None


class MyMemoryBackend(_DeepTranslatorBackend):
    def __init__(self, timeout: float = 30.0):
        super().__init__(name="mymemory", max_chars=480, timeout=timeout)
        self._http = _install_timeout("deep_translator.mymemory", timeout)
        from deep_translator import MyMemoryTranslator
        kwargs = {}
        if os.environ.get("MYMEMORY_EMAIL"):
            kwargs["email"] = os.environ["MYMEMORY_EMAIL"]
        self._impl = MyMemoryTranslator(source="ko-KR", target="en-GB", **kwargs)
        self._lock = threading.Lock()


BACKENDS = ("google", "libre", "deepl", "microsoft", "mymemory", "none")
URL_BACKENDS = ("libre",)       # the backends that take a server URL (--translator-url, translate.url)


def translation_off(name: str | None) -> bool:
    """``none``: no backend at all, which is ``--no-translate`` (never an outage to back off from)."""
    return (name or "").lower() == "none"


def make_backend(name: str, url: str | None = None, timeout: float = 30.0) -> Backend:
    """The backend ``name``, set up. A configuration fault (unknown name, no key, a refused key, no server for
    libre) raises TranslatorSetupError; a service that cannot be reached while setting up (Microsoft's language
    list, DeepL's key check) raises BackendUnavailable, its ``backend`` the name: the run goes on without it."""
    name = (name or "google").lower()
    try:
        return _make(name, url, timeout)
    except BackendUnavailable as exc:
        exc.backend = name
        raise


def _make(name: str, url: str | None, timeout: float) -> Backend:
    if name == "google":
        return GoogleBackend(timeout=timeout)
    if name == "libre":
        return LibreBackend(url, timeout=timeout)
    if name == "deepl":
        from .deepl import DeeplBackend
        return DeeplBackend(timeout=timeout)
    if name == "microsoft":
        return MicrosoftBackend(timeout=timeout)
    if name == "mymemory":
        return MyMemoryBackend(timeout=timeout)
    if name == "none":
        return NoneBackend(name="none")
    raise TranslatorSetupError(f"unknown translator {name!r} (choose from: {', '.join(BACKENDS)})")
