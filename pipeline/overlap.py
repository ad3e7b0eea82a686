"""The clean stage in a forked child while the run's own process loads Kiwi, then analyses (issue 19).

Loading Kiwi takes 2-4 s of one core, and its C++ construction holds the GIL the whole time: a clean stage
in a thread of the same process would stand still meanwhile. A child process made by fork() has its own
interpreter and lock: it cleans the pending pages and stores them through its own connection to the archive
(``Pipeline.clean``, unchanged), while the parent loads Kiwi and then analyses each article the child has
committed (``Cleaning.ids`` polls the archive's queue), so Kiwi's threads have work while the cleaning goes
on. Once the child is done and every article it stored is analysed, the parent takes its counts and failures
into the run's summary (``Cleaning.finish``). Both write (WAL; every transaction takes the write lock at its
start, db/connection.py, so neither fails for the other's writes).

It applies only where it gains something and is safe: on a system with fork(), an archive in a file, Kiwi
not loaded yet (the analyser says so) and at least FORK_MIN_PAGES pages to clean; otherwise the caller cleans
in its own process, as before. Each article is committed by the child as it is cleaned, and by the parent as
it is analysed, so a child that dies, or a parent interrupted (which stops the child between articles),
leaves every page either cleaned or pending, and every cleaned article analysed or pending analysis.
"""
from __future__ import annotations

import copy
import logging
import os
import pickle
import select
import signal
import sys

from db.archive import Archive

from .progress import Reporter
from .types import RunOptions, RunSummary

log = logging.getLogger("newspipe")
FORK_MIN_PAGES = 40         # below this, a fork costs more than the overlap gains (and tests stay in-process)


def _applies(pipeline, options: RunOptions) -> bool:
    loaded = getattr(pipeline.analyser, "loaded", None)
    if not hasattr(os, "fork") or loaded is None or loaded() or not pipeline.archive.path.is_file():
        return False
    return len(pipeline.archive.pending("clean", options.limit)) >= FORK_MIN_PAGES


def clean_while_kiwi_loads(pipeline, options: RunOptions, summary: RunSummary) -> Cleaning | None:
    """The clean stage started in a child beside the parent's Kiwi load; None when it does not apply (nothing
    done). The child cleans on while the parent analyses what it has stored (``Cleaning.ids``); the caller
    ends it with ``Cleaning.finish``."""
    if not _applies(pipeline, options):
        return None
    pages = len(pipeline.archive.pending("clean", options.limit))
    pipeline.reporter.close()                         # the crawl's progress ends here; the child shows its own
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                      # the child: clean, report, leave without cleanup
        os.close(read_end)
        _child(pipeline, options, summary.run_id, write_end)
    os.close(write_end)
    cleaning = Cleaning(pid, read_end, pages)
    try:
        pipeline.analyser.kiwi                        # the parent's work meanwhile
    except BaseException:
        cleaning.finish(summary, stop=True)
        raise
    return cleaning


class Cleaning:
    """The clean stage's child, running: whether it is done, the articles it has stored so far, its end."""

    def __init__(self, pid: int, read_end: int, pages: int):
        self.pid, self.read_end, self.pages = pid, read_end, pages
        self.ended = False

    def done(self) -> bool:
        """Whether the child has handed over its result (or died): its pipe has data or is closed. The child
        writes it once its last article is committed."""
        return self.ended or bool(select.select([self.read_end], [], [], 0)[0])

    def wait(self, seconds: float) -> None:
        """Until the child is done or ``seconds`` have passed."""
        select.select([self.read_end], [], [], seconds)

    def ids(self, archive, first: list[int], limit: int | None = None):
        """The ids to analyse: ``first`` (pending before), then each article the child cleans, as it is committed,
        until the child is done and every article it stored has been given (at most ``limit`` in all)."""
        seen = set(first)
        given = 0
        batch = list(first)
        while True:
            for article_id in batch:
                if limit and given >= limit:
                    return
                given += 1
                yield article_id
            batch = self._cleaned_since(archive, seen)
            if not batch:
                return

    def _cleaned_since(self, archive, seen: set[int]) -> list[int]:
        """The articles pending analysis not in ``seen`` (added to it), waiting for the child to store some;
        empty once it is done and there are none."""
        while True:
            done = self.done()                        # before the query: what it stored by then, the query sees
            batch = [i for i in archive.pending("nlp") if i not in seen]
            if batch or done:
                seen.update(batch)
                return batch
            self.wait(0.05)

    def finish(self, summary: RunSummary, stop: bool = False) -> None:
        """Wait for the child (``stop``: interrupt it first, as a Ctrl-C does, between articles) and take its
        counts and failures into the run's summary; what it raised is raised here (not when stopping)."""
        if self.ended:
            return
        self.ended = True
        if stop:
            try:
                os.kill(self.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
        with os.fdopen(self.read_end, "rb") as f:
            data = f.read()
        _, status = os.waitpid(self.pid, 0)
        if not stop:
            _merge(data, status, summary)


def _child(pipeline, options: RunOptions, run_id: int, write_end: int) -> None:
    code = 1
    try:
        archive = Archive(pipeline.archive.path, clock=pipeline.archive.clock)
        child = copy.copy(pipeline)
        child.archive = archive
        child.reporter = Reporter(live=False, every=pipeline.reporter.every)   # log lines: the parent's analyse
        #                                                                  stage has the terminal's display
        out = RunSummary(run_id=run_id)
        try:
            child.clean(options, out)
        finally:
            child.reporter.close()
            archive.close()
        result, code = ("ok", out.counts, out.errors), 0
    except BaseException as exc:                      # noqa: BLE001 - handed to the parent, which raises it
        result = ("raised", exc)
    try:
        try:
            data = pickle.dumps(result)
        except Exception:                             # noqa: BLE001 - an exception that does not pickle
            data = pickle.dumps(("raised", RuntimeError(f"{type(result[-1]).__name__}: {result[-1]}")))
        with os.fdopen(write_end, "wb") as f:
            f.write(data)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:                         # noqa: BLE001 - a closed stream: nothing to flush
                pass
        os._exit(code)                                # never the parent's cleanup (its archive, its lock)


def _merge(data: bytes, status: int, summary: RunSummary) -> None:
    """The child's counts and failures into the run's summary; what it raised, raised here."""
    if not data:
        raise RuntimeError(f"the clean stage's process ended without a result ({_how(status)}); the pages it "
                           "did not clean stay pending for the next run")
    result = pickle.loads(data)
    if result[0] == "raised":
        raise result[1]
    _, counts, errors = result
    summary.counts.update(counts)
    summary.errors.extend(errors)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"
