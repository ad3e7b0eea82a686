"""The errors of the translation backends: ``BackendUnavailable`` (the service cannot be reached or refuses us:
retry later, or, ``final``, not this run), ``BackendError`` (this text failed) and a refused request's reading."""
from __future__ import annotations

import json
import re
import urllib.parse

from scrapers.errors import UserError


class BackendUnavailable(Exception):
    """The backend cannot be reached, timed out, or rate-limits us (try again later)."""

    def __init__(self, message: str, retry_after: float | None = None, final: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.final = final        # no use asking again this run (a quota used up, a key revoked)


class BackendError(Exception):
    """The backend answered, but gave no usable translation for this request."""


class TranslatorSetupError(UserError):
    """A backend that cannot be set up as configured (unknown name, missing key)."""


class Refused(BackendError):
    """A 4xx answer (not 408/429): the server refused the request. The text's fault only if another text goes
    through (a text too long); else the backend's (a wrong path: 404; a server without Korean: 400 'ko is not
    supported'), which _DeepTranslatorBackend.translate decides."""

    def __init__(self, status: int | None, where: str, reason: str):
        self.status, self.where, self.reason = status, where, reason
        super().__init__(f"the server refused the text (HTTP {status}{f': {reason}' if reason else ''})")

    def backend_fault(self) -> BackendUnavailable:
        return BackendUnavailable(f"HTTP {self.status} from {self.where}{f': {self.reason}' if self.reason else ''}",
                                  final=True)


def refusal(response, key_env: str = "") -> BackendError | BackendUnavailable:
    """The exception for a 4xx ``response``: a refused key (401, 403) stops the run's calls (never quoting the
    key); any other is a Refused naming the URL asked (without its query, which holds the text and maybe a key,
    nor a user:password), the status and the server's own reason."""
    code = getattr(response, "status_code", None)
    if code in (401, 403):
        return BackendUnavailable(f"the service refused the key (HTTP {code})"
                                  f"{f': check {key_env}' if key_env else ''}", final=True)
    parts = urllib.parse.urlsplit(str(getattr(response, "url", "") or ""))
    host = parts.hostname or ""
    if ":" in host:                                   # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port is not None:
        host += f":{parts.port}"
    where = urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", "")) or "the server"
    # a server that quotes the key it refused (review): cut out before the reason is shortened, which could cut
    # through the key and leave its first part, no longer the whole key, in the log and the run's note
    return Refused(code, where, server_reason(response, _secrets(response)))


_KEY_NAMES = ("api_key", "apikey", "key", "auth_key", "token", "access_token", "subscription-key")
_KEY_HEADERS = ("authorization", "ocp-apim-subscription-key", "x-api-key")


def _secrets(response) -> list[str]:
    """The key values the request carried (its query, form or JSON body, its auth headers), longest first."""
    request = getattr(response, "request", None)
    if request is None:
        return []
    found: list[str] = []
    fields = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(str(getattr(request, "url", "") or "")).query))
    body = getattr(request, "body", None) or getattr(request, "content", b"")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body) if isinstance(body, str) and body[:1] == "{" else dict(urllib.parse.parse_qsl(body or ""))
    except (ValueError, TypeError):
        data = {}
    fields.update(data if isinstance(data, dict) else {})
    found += [str(v) for k, v in fields.items() if str(k).lower() in _KEY_NAMES and v]
    headers = getattr(request, "headers", {}) or {}
    for name in _KEY_HEADERS:
        value = headers.get(name) or headers.get(name.title())
        if value:
            found += [str(value), str(value).split()[-1]]
    return sorted({f for f in found if len(f) >= 6}, key=len, reverse=True)


def server_reason(response, secrets=()) -> str:
    """What the server said, in one short line: a JSON answer's error or message, an HTML page's title, else the
    text; control characters out, each of ``secrets`` (longest first) cut out as '…', at most 160 characters; the
    status's own phrase when it said nothing."""
    text = ""
    try:
        body = response.json()
        if isinstance(body, dict):
            text = next((str(body[k]) for k in ("error", "message", "detail") if body.get(k)), "")
            if isinstance(body.get("error"), dict):
                text = str(body["error"].get("message") or text)
    except (ValueError, AttributeError):
        raw = str(getattr(response, "text", "") or "")[:20_000]
        title = re.search(r"<title[^>]*>(.*?)</title>", raw, re.I | re.S)
        text = title.group(1) if title else re.sub(r"<[^>]+>", " ", raw)
    text = "".join(c if c.isprintable() else " " for c in text)
    for secret in secrets:
        text = text.replace(secret, "…")
    return short_reason(text, 160) or str(getattr(response, "reason", "") or "")


def short_reason(text: str, limit: int = 120) -> str:
    """``text`` cut to at most ``limit`` characters at a word's end (with '…'), never mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 3 else cut).rstrip(" ,;:(") + "…"
