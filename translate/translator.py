"""Sentence-aligned translation with packing, translation memory, QA, retries and a circuit breaker."""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .backends import Backend, BackendError, BackendUnavailable
from .types import ArticleTranslation, TranslatedText

TRANSLATION_VERSION = "1"
SEP = "\n"
_HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")


class Memory(Protocol):
    def get(self, texts: Iterable[str]) -> dict[str, str]: ...
    def put(self, pairs: dict[str, str]) -> None: ...


class DictMemory:
    def __init__(self):
        self.data: dict[str, str] = {}

    def get(self, texts):
        return {t: self.data[t] for t in texts if t in self.data}

    def put(self, pairs):
        self.data.update(pairs)


class CircuitOpen(Exception):
    """The backend failed too often in a row: stop calling it for this run."""


def qa_problem(src: str, en: str | None) -> str | None:
    """Why ``en`` is not an acceptable translation of ``src`` (None when it is)."""
    if en is None or not en.strip():
        return "empty translation"
    s, e = src.strip(), en.strip()
    if _HANGUL.search(s):
        letters = [c for c in e if c.isalpha()]
        hangul = sum(1 for c in letters if _HANGUL.match(c))
        if letters and hangul / len(letters) > 0.3:
            return "Hangul left in the English"
        if s == e:
            return "source echoed back"
    ratio = len(e) / max(len(s), 1)
    if len(s) >= 10 and not (0.4 <= ratio <= 8.0):
        return f"length ratio {ratio:.2f} out of range"
    return None


@dataclass
class Stats:
    requests: int = 0
    chars_sent: int = 0
    memory_hits: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=list)


class Translator:
    def __init__(self, backend: Backend, memory: Memory | None = None, retries: int = 2, backoff: float = 1.0,
                 breaker_threshold: int = 3, sleep: Callable[[float], None] = time.sleep):
        self.backend = backend
        self.memory = memory or DictMemory()
        self.retries = retries
        self.backoff = backoff
        self.breaker_threshold = breaker_threshold
        self.sleep = sleep
        self.consecutive_failures = 0
        self.open_reason: str | None = None
        self.stats = Stats()

    @property
    def is_open(self) -> bool:
        return self.open_reason is not None

    def _call(self, text: str) -> str:
        if self.open_reason:
            raise CircuitOpen(self.open_reason)
        attempt = 0
        while True:
            self.stats.requests += 1
            self.stats.chars_sent += len(text)
            try:
                out = self.backend.translate(text)
                self.consecutive_failures = 0
                return out
            except BackendUnavailable as exc:
                self.stats.failures += 1
                if attempt >= self.retries:
                    self.consecutive_failures += 1
                    if self.consecutive_failures >= self.breaker_threshold:
                        self.open_reason = f"{self.backend.name} unavailable: {exc}"
                        raise CircuitOpen(self.open_reason) from None
                    raise
                wait = exc.retry_after if exc.retry_after is not None else self.backoff * (2 ** attempt)
                self.sleep(min(wait, 60.0))
                attempt += 1

    def _packs(self, texts: list[str]) -> list[list[str]]:
        packs: list[list[str]] = []
        cur: list[str] = []
        for t in texts:
            if cur and not self.backend.fits(SEP.join(cur + [t])):
                packs.append(cur)
                cur = []
            cur.append(t)
        if cur:
            packs.append(cur)
        return packs

    def _translate_pack(self, pack: list[str]) -> dict[str, str | BaseException]:
        """Translate a pack; on a line-count mismatch split it, down to single sentences."""
        if len(pack) == 1:
            try:
                return {pack[0]: self._call(pack[0]).strip()}
            except BackendError as exc:
                return {pack[0]: exc}
        try:
            answer = self._call(SEP.join(pack))
        except BackendError:
            answer = None
        lines = [ln.strip() for ln in answer.split(SEP)] if answer is not None else []
        lines = [ln for ln in lines if ln] if answer is not None and len(lines) != len(pack) else lines
        if answer is not None and len(lines) == len(pack):
            return dict(zip(pack, lines))
        mid = len(pack) // 2
        out = self._translate_pack(pack[:mid])
        out.update(self._translate_pack(pack[mid:]))
        return out

    def translate_texts(self, texts: list[str]) -> list[TranslatedText]:
        """English for each text, in order. Raises CircuitOpen / BackendUnavailable when the backend is down."""
        wanted = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
        known = self.memory.get(wanted)
        self.stats.memory_hits += len(known)
        todo = [t for t in wanted if t not in known]
        fresh: dict[str, str] = {}
        failed: dict[str, str] = {}
        for pack in self._packs(todo):
            for src, out in self._translate_pack(pack).items():
                if isinstance(out, BaseException):
                    failed[src] = str(out)
                    continue
                problem = qa_problem(src, out)
                if problem:
                    failed[src] = problem
                else:
                    fresh[src] = out
        if fresh:
            self.memory.put(fresh)
        result = {**known, **fresh}
        out = []
        for t in texts:
            key = t.strip()
            if not key:
                out.append(TranslatedText(en=""))
            elif key in result:
                out.append(TranslatedText(en=result[key]))
            else:
                out.append(TranslatedText(en=None, error=failed.get(key, "not translated")))
        return out

    def translate_article(self, title: str, subtitle: str, sentences: list[str], now: str = "") -> ArticleTranslation:
        units = self.translate_texts([title, subtitle, *sentences])
        return ArticleTranslation(backend=self.backend.name, title=units[0], subtitle=units[1],
                                  sentences=units[2:], translated_at=now)
