"""DeepL through its own v2 API, with httpx (deep-translator 1.11.4's DeepL table has no Korean, and it always
sent keys to the free endpoint).

A key ending in ':fx' is a DeepL API Free key (https://api-free.deepl.com), any other a Pro key
(https://api.deepl.com). Setting up asks /v2/usage (it costs no characters): a refused key is a user error
there, before the run; an endpoint that cannot be reached is ``BackendUnavailable`` (the run goes on, the
articles stay pending). Each packed text the translator sends is split back into its lines, and the lines go
as one request's ``text`` list (DeepL answers one translation per text: alignment cannot slip).
"""
from __future__ import annotations

import threading

import httpx

from .backends import Backend, BackendError, BackendUnavailable, TranslatorSetupError, read_key, short_reason
from scrapers.util.retry import retry_after_seconds

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
SOURCE_LANG, TARGET_LANG = "KO", "EN-US"
MAX_TEXTS = 50                 # texts a /v2/translate request may hold
MAX_BODY = 100_000             # bytes of text a request (DeepL's limit is 128 KiB of body)

# httpx's transport for every DeeplBackend made without one (tests set an httpx.MockTransport here).
TRANSPORT: httpx.BaseTransport | None = None
_CHECKED: set[tuple] = set()          # (endpoint, hash of the key, transport) whose key check passed


def endpoint_for(key: str) -> str:
    return FREE_URL if key.strip().endswith(":fx") else PRO_URL


class DeeplBackend(Backend):
    def __init__(self, timeout: float = 30.0, api_key: str | None = None,
                 transport: httpx.BaseTransport | None = None):
        super().__init__(name="deepl", max_chars=30_000, timeout=timeout)
        key = read_key("deepl", api_key)
        self.base_url = endpoint_for(key)
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport or TRANSPORT,
                                    headers={"Authorization": f"DeepL-Auth-Key {key}",
                                             "User-Agent": "newspipe (deepl backend)"})
        self._lock = threading.Lock()
        checked = (self.base_url, hash(key), transport or TRANSPORT)      # the transport: a test's own server
        if checked not in _CHECKED:       # once a process: a second worker's backend (concurrency) does not ask again
            self._request("GET", "/v2/usage", setup=True)   # a refused key: one line now, not a failure per article
            _CHECKED.add(checked)

    def fits(self, text: str) -> bool:
        return text.count("\n") < MAX_TEXTS and len(text.encode("utf-8")) <= MAX_BODY

    def translate(self, text: str) -> str:
        lines = text.split("\n")
        answer = self._request("POST", "/v2/translate",
                               json={"text": lines, "source_lang": SOURCE_LANG, "target_lang": TARGET_LANG})
        try:
            out = [t["text"] for t in answer["translations"]]
        except (KeyError, TypeError) as exc:
            raise BackendError(f"unreadable DeepL answer: no {exc}") from None
        if len(out) != len(lines):
            raise BackendError(f"DeepL answered {len(out)} texts for {len(lines)}")
        return "\n".join(" ".join(t.split("\n")) for t in out)

    def _request(self, method: str, path: str, setup: bool = False, **kwargs):
        try:
            with self._lock:
                resp = self._client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"timeout: {exc.__class__.__name__} ({self.base_url})") from None
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"cannot connect to {self.base_url}: {short_reason(str(exc))}") from None
        except httpx.RequestError as exc:      # a body that is not what its headers say (a broken proxy's gzip)
            raise BackendUnavailable(f"unreadable answer from {self.base_url}: {exc.__class__.__name__}") from None
        if resp.status_code == 200:
            try:
                return resp.json()
            except ValueError:      # a proxy's or captive portal's page: not DeepL answering
                raise (BackendUnavailable if setup else BackendError)(
                    f"unreadable answer from {self.base_url} (not JSON: a proxy in between?)") from None
        raise _status_error(resp, self.base_url, setup)


def _status_error(resp: httpx.Response, base_url: str, setup: bool) -> Exception:
    """The exception for a non-200 answer. A refused key is a user error when setting up; later (a key revoked
    mid-run) it stops this run's calls and leaves the rest pending, as an outage does."""
    code = resp.status_code
    detail = _message(resp)
    if code in (401, 403):
        message = (f"DeepL refused the key (HTTP {code}{detail}) at {base_url}: check DEEPL_API_KEY (a DeepL API "
                   f"Free key ends in ':fx' and goes to {FREE_URL}, any other to {PRO_URL})")
        return TranslatorSetupError(message) if setup else BackendUnavailable(message, final=True)
    if code == 456:
        return BackendUnavailable(f"DeepL quota exceeded (HTTP 456{detail}): no more characters this billing "
                                  "period (see your DeepL account's usage and cost control)", final=True)
    if code == 429 or code >= 500 or code == 408:
        return BackendUnavailable(f"server error: HTTP {code}{detail}",
                                  retry_after=retry_after_seconds(resp.headers.get("Retry-After")))
    if setup:               # its key check refused for another reason: a fault of the set-up, one line
        return TranslatorSetupError(f"DeepL refused the key check at {base_url}: HTTP {code}{detail}")
    return BackendError(f"DeepL refused the request: HTTP {code}{detail}")


def _message(resp: httpx.Response) -> str:
    try:
        msg = resp.json().get("message")
    except (ValueError, AttributeError):
        return ""
    return f": {short_reason(str(msg), 100)}" if msg else ""
