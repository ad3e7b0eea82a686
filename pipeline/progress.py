"""The progress display of a run: a live bar on a terminal, plain log lines otherwise (cron)."""
from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger("newspipe")
PROGRESS_EVERY = 30.0           # seconds between progress lines of a stage without a terminal


class Reporter:
    """A live progress display on a terminal; plain log lines otherwise (cron): a line when a stage starts,
    one at least every ``every`` seconds while it runs (from a timer thread, so a stage stuck on one slow
    article is not silent), and one when it ends. 'processed' counts the articles (or sources) the stage
    took, 'ok' those it did (the summary's 'translated 3' is the translate stage's '3 ok'), 'failed' the
    rest: the stage's end line said '40 done, 37 failed' beside the summary's 'translated 3'. ``clock`` gives seconds (injectable for tests)."""

    def __init__(self, live: bool | None = None, every: float = PROGRESS_EVERY,
                 clock: Callable[[], float] = time.monotonic):
        self.live = sys.stderr.isatty() if live is None else live
        self.every = every
        self.clock = clock
        self._progress = None
        self._task = None
        self._lock = threading.Lock()
        self._name: str | None = None
        self._total = self._done = self._failed = 0
        self._started = self._last_line = 0.0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def stage(self, name: str, total: int):
        self._end_stage()
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            if self._progress is None:
                self._progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                          TimeElapsedColumn(), transient=False)
                self._progress.start()
            self._task = self._progress.add_task(name, total=total or 0)
            return
        with self._lock:
            self._name, self._total, self._done, self._failed = name, total, 0, 0
            self._started = self._last_line = self.clock()
        log.info("%s: %d to do", name, total)
        if self._ticker is None and self.every > 0 and total:
            self._ticker = threading.Thread(target=self._tick, name="newspipe-progress", daemon=True)
            self._ticker.start()

    def advance(self, n: int = 1, failed: int = 0):
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)
            return
        with self._lock:
            self._done += n
            self._failed += failed
        self._line_if_due()

    def _line_if_due(self) -> None:
        with self._lock:
            if self._name is None or self.clock() - self._last_line < self.every:
                return
            self._last_line = self.clock()
            line = (self._name, self._done, self._total, self._failed, self._last_line - self._started)
        log.info("%s: %d of %d processed, %d failed, %.0f s", *line)

    def _tick(self) -> None:
        """Progress lines while a stage has work left; the thread ends when it has none (a stage whose last
        article is done, or no stage), so a reporter nobody closes leaves no thread logging behind it."""
        while True:
            with self._lock:
                if self._name is None or self._done >= self._total:
                    self._ticker = None
                    return
                due = self.every - (self.clock() - self._last_line)
            if self._stop.wait(max(0.05, min(due, self.every))):
                return
            self._line_if_due()

    def _end_stage(self) -> None:
        with self._lock:
            name, self._name = self._name, None
            line = (name, self._done, self._total, self._done - self._failed, self._failed,
                    self.clock() - self._started)
        if name is not None:      # ok: what the summary counts (translated, analysed, …); the rest failed
            log.info("%s: %d of %d processed: %d ok, %d failed, in %.1f s", *line)

    def note(self, message: str):
        if self._progress is not None:
            self._progress.console.print(message)
        else:
            log.info(message)

    def close(self):
        self._end_stage()
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        self._stop.clear()
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
