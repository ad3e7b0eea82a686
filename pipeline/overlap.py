"""The clean stage in a forked child while the run's own process loads Kiwi (issue 19).

Loading Kiwi takes 2-4 s of one core, and its C++ construction holds the GIL the whole time: a clean stage
in a thread of the same process would stand still meanwhile. A child process made by fork() has its own
interpreter and lock: it cleans the pending pages and stores them through its own connection to the archive
(``Pipeline.clean``, unchanged), while the parent, which writes nothing meanwhile, loads Kiwi and imports
what the stories stage needs. Then the parent takes the child's counts and failures into the run's summary
and goes on with the analysis.

It applies only where it gains something and is safe: on a system with fork(), an archive in a file, Kiwi
not loaded yet (the analyser says so) and at least FORK_MIN_PAGES pages to clean; otherwise the caller cleans
in its own process, as before. The child commits the articles it cleans a batch at a time (Archive.batched),
each article whole, so a child that dies, or a parent interrupted, leaves every page either cleaned or pending
for the next run.
"""
from __future__ import annotations

import copy
import logging
import os
import pickle
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


def clean_while_kiwi_loads(pipeline, options: RunOptions, summary: RunSummary) -> bool:
    """The clean stage in a child beside the parent's Kiwi load; False when it does not apply (nothing done)."""
    if not _applies(pipeline, options):
        return False
    pipeline.reporter.close()                         # the crawl's progress ends here; the child shows its own
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                      # the child: clean, report, leave without cleanup
        os.close(read_end)
        _child(pipeline, options, summary.run_id, write_end)
    os.close(write_end)
    try:
        pipeline.analyser.kiwi                        # the parent's work meanwhile
        _import_later_stages()
    except BaseException:
        os.kill(pid, signal.SIGINT)                   # the child stops as a Ctrl-C stops it: between articles
        raise
    finally:
        data, status = _collect(pid, read_end)
    _merge(data, status, summary)
    return True


def _collect(pid: int, read_end: int) -> tuple[bytes, int]:
    """The child's report and exit status. A signal that arrives while waiting (SIGTERM to the parent alone)
    stops the child too and waits for it before going on: else the parent would release the run lock the child
    shares while the child still wrote, and a second run could start beside it."""
    try:
        with os.fdopen(read_end, "rb") as f:
            data = f.read()
        return data, os.waitpid(pid, 0)[1]
    except BaseException:
        try:
            os.kill(pid, signal.SIGINT)               # between articles, as a Ctrl-C stops it
        except ProcessLookupError:
            pass
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except ChildProcessError:                 # reaped already
                break
            except BaseException:                     # noqa: BLE001 - a second signal: still wait for it
                continue
        raise


def _import_later_stages() -> None:
    """The modules the stories stage imports (datasketch, which imports scipy: ~0.9 s of one core), imported
    while the child still cleans -- it runs 3-5 s past Kiwi's load, with the parent's core idle -- rather than
    between the analysis and the stories stage, where the run waits for them."""
    try:
        import pipeline.stories  # noqa: F401
    except ImportError:                               # the stories stage reports it where it happens
        pass


def _child(pipeline, options: RunOptions, run_id: int, write_end: int) -> None:
    code = 1
    # the parent's SIGINT is its word to stop between articles: heard even where the run was started with SIGINT
    # ignored (a job a script starts with '&'; found when CI was so started: a SIGTERM to the run then waited for
    # the child to clean every page)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        archive = Archive(pipeline.archive.path, clock=pipeline.archive.clock)
        child = copy.copy(pipeline)
        child.archive = archive
        child.reporter = Reporter(live=pipeline.reporter.live, every=pipeline.reporter.every)
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
