"""Sentence-aligned translation with packing, translation memory, QA, retries and a circuit breaker."""
from __future__ import annotations

import html
import logging
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from scrapers.util.retry import backoff_wait
from scrapers.util.text import HANGUL_OR_JAMO

from .backends import Backend, BackendError, BackendUnavailable
from .types import ArticleTranslation, TranslatedText

log = logging.getLogger("newspipe.translate")
TRANSLATION_VERSION = "1"
SEP = "\n"


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape(text: str, source: str = "") -> str:
    """The English with the HTML character references a backend left in it (Google's `It&#39;s`) resolved, once:
    only complete ones (with their ';'), so `AT&T` or `R&D` stay as they are; one that stands for a line break,
    a control character or a no-break space is a space (a line break would cut the answer's lines apart). A
    reference the Korean ``source`` itself holds (a text about HTML: '&amp;') is the text's: kept (review)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: m.group(0) if m.group(0) in source else _resolve(m), text)


def _resolve(match: re.Match) -> str:
    char = html.unescape(match.group(0))
    return " " if char.isspace() or not char.isprintable() else char


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
    """The backend failed too often in a row, or refused the work (``final``): stop calling it for this run."""

    def __init__(self, reason: str, final: bool = False):
        super().__init__(reason)
        self.final = final


def qa_problem(src: str, en: str | None) -> str | None:
    """Why ``en`` is not an acceptable translation of ``src`` (None when it is)."""
    if en is None or not en.strip():
        return "empty translation"
    s, e = src.strip(), en.strip()
    if HANGUL_OR_JAMO.search(s):
        letters = [c for c in e if c.isalpha()]
        hangul = sum(1 for c in letters if HANGUL_OR_JAMO.match(c))
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
    split_packs: int = 0          # answers with the wrong number of lines (each pack then halved)
    errors: list[str] = field(default_factory=list)


class Translator:
    """Sentence-aligned translation through one backend (or a pool of instances of it).

    Texts are de-duplicated, looked up in the translation memory, packed into requests up to the
    backend's limit (joined by newlines) and split back; a pack whose answer has the wrong number of
    lines is halved, down to single sentences. Packs go out ``concurrency`` at a time, each on its own
    backend instance (deep-translator's are not thread-safe). A call that fails for a passing reason is
    retried with backoff (the server's Retry-After first); ``breaker_threshold`` such failures in a row
    open the circuit: no more calls this run, the work stays pending.
    """

    def __init__(self, backend: Backend, memory: Memory | None = None, retries: int = 2, backoff: float = 1.0,
                 breaker_threshold: int = 3, sleep: Callable[[float], None] = time.sleep,
                 concurrency: int = 1, backend_factory: Callable[[], Backend] | None = None,
                 use_memory: bool = True, max_wait: float = 60.0):
        self.backend = backend
        self.memory = memory or DictMemory()
        self.retries = retries
        self.backoff = backoff
        self.breaker_threshold = breaker_threshold
        self.sleep = sleep
        self.use_memory = use_memory           # False: ask the backend again (retranslation), still store
        self.max_wait = max_wait
        self.concurrency = max(1, concurrency)
        self._factory = backend_factory
        self._pool: queue.SimpleQueue[Backend] = queue.SimpleQueue()
        self._pool.put(backend)
        self._pool_size = 1
        self._lock = threading.Lock()
        self.consecutive_failures = 0
        self.open_reason: str | None = None
        self.open_final = False                  # opened by a refusal no retry can help (a key, a wrong path)
        self.stats = Stats()
        self._waiting: dict[str, int] = {}     # retry lines being waited on now → workers waiting

    @property
    def is_open(self) -> bool:
        return self.open_reason is not None

    def _borrow(self) -> Backend:
        with self._lock:
            if self._pool.empty() and self._factory is not None and self._pool_size < self.concurrency:
                self._pool_size += 1
                return self._factory()
        return self._pool.get()

    def _call(self, text: str) -> str:
        attempt = 0
        while True:
            with self._lock:
                if self.open_reason:
                    raise CircuitOpen(self.open_reason, self.open_final)
                self.stats.requests += 1
                self.stats.chars_sent += len(text)
            backend = self._borrow()
            try:
                out = unescape(backend.translate(text), text)    # every backend's answer: the archive's English
                with self._lock:
                    self.consecutive_failures = 0
                return out
            except BackendUnavailable as exc:
                with self._lock:
                    self.stats.failures += 1
                    if exc.final and not self.open_reason:      # asking again this run cannot help
                        self.open_reason, self.open_final = str(exc), True
                        log.warning("translator %s: %s: no more calls this run", self.backend.name, exc)
                    if self.open_reason:
                        raise CircuitOpen(self.open_reason, self.open_final) from None
                    if attempt >= self.retries:
                        self.consecutive_failures += 1
                        log.warning("translator %s: %s; request given up after %d tries (%d in a row)",
                                    self.backend.name, exc, attempt + 1, self.consecutive_failures)
                        if self.consecutive_failures >= self.breaker_threshold and not self.open_reason:
                            self.open_reason = f"{self.backend.name} unavailable: {exc}"
                            log.warning("translator %s: %d requests given up in a row: no more calls this run",
                                        self.backend.name, self.consecutive_failures)
                        if self.open_reason:
                            raise CircuitOpen(self.open_reason, self.open_final) from None
                        raise
                wait = backoff_wait(attempt, self.backoff, self.max_wait, exc.retry_after)
                self._wait(f"translator {self.backend.name}: {exc}; waiting {wait:.1f} s"
                           f"{' (Retry-After)' if exc.retry_after is not None else ''}, then retry {attempt + 1} of "
                           f"{self.retries}", wait)
                attempt += 1
            finally:
                self._pool.put(backend)

    def _wait(self, line: str, wait: float) -> None:
        """Sleep ``wait`` before a retry, logging ``line`` unless another worker is waiting on that very line
        now (both workers met the same unreachable server: the line was logged once per worker)."""
        with self._lock:
            said = self._waiting.get(line, 0) > 0
            self._waiting[line] = self._waiting.get(line, 0) + 1
        if not said:
            log.info("%s", line)
        try:
            self.sleep(wait)
        finally:
            with self._lock:
                self._waiting[line] -= 1

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
        if answer is not None:
            lines = [ln.strip() for ln in answer.split(SEP)]
            if len(lines) != len(pack):
                lines = [ln for ln in lines if ln]     # blank lines a backend added are not sentences
            if len(lines) == len(pack):
                return dict(zip(pack, lines))
            with self._lock:
                self.stats.split_packs += 1
            log.info("translator %s: %d lines back for %d sent; asking again in two halves", self.backend.name,
                     len(lines), len(pack))
        mid = len(pack) // 2
        out = self._translate_pack(pack[:mid])
        out.update(self._translate_pack(pack[mid:]))
        return out

    def translate_texts(self, texts: list[str]) -> list[TranslatedText]:
        """English for each text, in order. Raises CircuitOpen / BackendUnavailable when the backend is down."""
        wanted = [t for t in dict.fromkeys(t.strip() for t in texts) if t]
        known = self.memory.get(wanted) if self.use_memory else {}
        known = {src: unescape(en, src) for src, en in known.items()}    # kept before references were resolved
        self.stats.memory_hits += len(known)
        todo = [t for t in wanted if t not in known]
        packs = self._packs(todo)
        fresh: dict[str, str] = {}
        failed: dict[str, str] = {}

        def keep(answer: dict[str, str | BaseException]) -> None:
            """QA one pack's answer; what passes goes to the memory at once, so a run that stops later
            (the circuit opens, the process is killed) never asks for it again."""
            good = {}
            for src, out in answer.items():
                problem = str(out) if isinstance(out, BaseException) else qa_problem(src, out)
                if problem:
                    failed[src] = problem
                else:
                    good[src] = out
            if good:
                self.memory.put(good)
                fresh.update(good)

        if self.concurrency > 1 and len(packs) > 1:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                for answer in pool.map(self._translate_pack, packs):
                    keep(answer)
        else:
            for pack in packs:
                keep(self._translate_pack(pack))
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
        return self.translate_articles([(title, subtitle, sentences)], now)[0]

    def translate_articles(self, articles: list[tuple[str, str, list[str]]], now: str = "") -> list[ArticleTranslation]:
        """Several articles at once: their texts share packs (fewer requests) and the concurrency."""
        texts: list[str] = []
        for title, subtitle, sentences in articles:
            texts += [title, subtitle, *sentences]
        units = self.translate_texts(texts)
        out, i = [], 0
        for title, subtitle, sentences in articles:
            n = 2 + len(sentences)
            part = units[i:i + n]
            i += n
            out.append(ArticleTranslation(backend=self.backend.name, title=part[0], subtitle=part[1],
                                          sentences=part[2:], translated_at=now))
        return out
