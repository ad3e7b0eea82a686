"""The clean stage in a forked child while the run's process loads Kiwi (pipeline/overlap.py): it stores what
the clean stage in the run's own process stores, its counts and failures reach the run's summary, what it
raises is raised in the run, and it stands aside where it would gain nothing."""
from __future__ import annotations

import os
import signal
import sqlite3

import pytest

import pipeline.overlap as overlap
import pipeline.run as run_module
from conftest import demo_archive
from db.archive import ArchiveError
from pipeline.run import Pipeline, RunOptions, RunSummary
from pipeline.demo import PAGES
from scrapers.types import FetchedPage

FILES = tuple(p.file for p in PAGES)


class LoadingAnalyser:
    """Stands for an Analyser whose Kiwi is not loaded: ``kiwi`` is the load (it records which process ran it)."""

    def __init__(self, is_loaded: bool = False):
        self.is_loaded = is_loaded
        self.loaded_in: list[int] = []

    def loaded(self) -> bool:
        return self.is_loaded

    @property
    def kiwi(self):
        self.loaded_in.append(os.getpid())
        return None


def cleaned(db) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT url, title_ko, subtitle_ko, body_ko, authors, published_at, captions, removed, "
                       "content_hash, clean_status, clean_error, nlp_status FROM articles ORDER BY url").fetchall()
    con.close()
    return rows


def two_archives(tmp_path):
    """The same demo pages (one of them empty: a page the cleaner finds no article in) in two new archives."""
    out = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        arch, src = demo_archive(tmp_path / name, FILES)
        url = "https://demo.example/news/articleView.html?idxno=9999"
        arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"<html><body></body></html>",
                                    content_type="text/html", source_id=src.id, fetched_at="2026-11-26T00:00:00+09:00"))
        out.append((arch, src))
    return out


def test_the_child_cleans_what_the_run_cleans_while_the_parent_loads(tmp_path, monkeypatch):
    (ours, src), (theirs, _) = two_archives(tmp_path)
    inline = RunSummary(run_id=0)
    Pipeline(theirs, [src], analyser=LoadingAnalyser()).clean(RunOptions(crawl=False), inline)

    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    pids = tmp_path / "pids"
    real = run_module.clean_page

    def clean_page(*a, **kw):                   # which process cleans (the child writes where the test reads)
        with open(pids, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*a, **kw)
    monkeypatch.setattr(run_module, "clean_page", clean_page)
    analyser = LoadingAnalyser()
    summary = RunSummary(run_id=0)
    assert overlap.clean_while_kiwi_loads(Pipeline(ours, [src], analyser=analyser), RunOptions(crawl=False), summary)
    assert analyser.loaded_in == [os.getpid()]                  # the parent loaded Kiwi
    assert {int(p) for p in pids.read_text().split()} - {os.getpid()} and str(os.getpid()) not in pids.read_text()
    assert cleaned(ours.path) == cleaned(theirs.path)
    assert summary.counts == inline.counts and summary.counts["cleaned"] == len(FILES)
    assert [(e.stage, e.item, e.reason) for e in summary.errors] == [(e.stage, e.item, e.reason) for e in inline.errors]
    assert summary.errors and summary.errors[0].item.endswith("idxno=9999")
    ours.store_page(FetchedPage(url="https://demo.example/x", final_url="https://demo.example/x", status=200,
                                body=b"<p>x</p>", source_id=src.id, fetched_at="2026-11-26T00:00:00+09:00"))
    ours.close()                                # the parent's connection works after the child's writes


def test_what_the_child_raises_is_raised_in_the_run(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)

    def full(*a, **kw):
        raise ArchiveError("cannot write the archive: database or disk is full (is the disk full?)")
    monkeypatch.setattr(type(arch), "store_clean", full)
    with pytest.raises(ArchiveError, match="is the disk full"):
        overlap.clean_while_kiwi_loads(Pipeline(arch, [src], analyser=LoadingAnalyser()), RunOptions(crawl=False),
                                       RunSummary(run_id=0))


def test_a_child_that_dies_is_an_error_and_its_pages_stay_pending(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    monkeypatch.setattr(run_module, "clean_page", lambda *a, **kw: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(RuntimeError, match="killed by signal 9"):
        overlap.clean_while_kiwi_loads(Pipeline(arch, [src], analyser=LoadingAnalyser()), RunOptions(crawl=False),
                                       RunSummary(run_id=0))
    assert len(arch.pending("clean")) == len(FILES) + 1


def test_it_stands_aside_with_kiwi_loaded_or_few_pages(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    loaded = LoadingAnalyser(is_loaded=True)
    assert not overlap.clean_while_kiwi_loads(Pipeline(arch, [src], analyser=loaded), RunOptions(crawl=False),
                                              RunSummary(run_id=0))
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", len(FILES) + 2)
    fresh = LoadingAnalyser()
    assert not overlap.clean_while_kiwi_loads(Pipeline(arch, [src], analyser=fresh), RunOptions(crawl=False),
                                              RunSummary(run_id=0))
    assert not loaded.loaded_in and not fresh.loaded_in and len(arch.pending("clean")) == len(FILES) + 1


def test_the_parent_imports_the_stories_stage_while_the_child_cleans(tmp_path, monkeypatch):
    """datasketch and scipy take ~0.9 s to import: the parent does it beside the child's clean, where its core
    would wait, not after the analysis, where the run would wait for it."""
    import sys

    import pipeline
    monkeypatch.delitem(sys.modules, "pipeline.stories")     # as in a new run's process (put back afterwards)
    monkeypatch.delattr(pipeline, "stories")
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    (ours, src), _ = two_archives(tmp_path)
    assert overlap.clean_while_kiwi_loads(Pipeline(ours, [src], analyser=LoadingAnalyser()), RunOptions(crawl=False),
                                          RunSummary(run_id=0))
    assert "pipeline.stories" in sys.modules


def test_a_stopped_run_records_only_what_its_batches_committed(tmp_path, analyser):
    """Ctrl-C during the analysis rolls back its open batch (the articles analysed in it stay pending): the
    run's record counted them as analysed all the same (found in review). Its counts now follow the commits."""
    arch, src = demo_archive(tmp_path, FILES)
    real, calls = arch.store_analysis, []

    def store_analysis(*a, **kw):
        calls.append(1)
        if len(calls) == 3:                          # the third article: the first two are in the open batch
            raise KeyboardInterrupt
        return real(*a, **kw)
    arch.store_analysis = store_analysis
    with pytest.raises(KeyboardInterrupt):
        Pipeline(arch, [src], analyser=analyser).run(RunOptions(crawl=False, translate=False))
    last = arch.stats()["last_run"]
    assert last["status"] == "interrupted" and last["exit_code"] == 130
    assert last["counts"]["cleaned"] == len(FILES) and last["counts"].get("analysed", 0) == 0
    assert len(arch.pending("nlp")) == len(FILES)


@pytest.mark.parametrize("sigint", [signal.default_int_handler, signal.SIG_IGN])
def test_a_signal_while_the_parent_waits_stops_the_child_before_the_run_ends(tmp_path, monkeypatch, sigint):
    """SIGTERM to the run's process alone, arriving while it waits for the child's report: the run ended (and
    released the lock the child shares) while the child went on writing (found in review). Now the child is
    stopped and waited for before the signal ends the run. With SIGINT ignored (a run a script starts with '&',
    as CI was once started) the child still hears the parent's SIGINT."""
    import time

    from pipeline.types import Terminated
    previous = signal.signal(signal.SIGINT, sigint)            # restored below
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    pids = tmp_path / "child.pid"
    real = run_module.clean_page

    def slow_clean(*a, **kw):                   # the child: a second an article, its pid written down
        pids.write_text(str(os.getpid()))
        time.sleep(1)
        return real(*a, **kw)
    monkeypatch.setattr(run_module, "clean_page", slow_clean)

    def terminate(signum, frame):
        raise Terminated()
    old = signal.signal(signal.SIGALRM, terminate)
    signal.setitimer(signal.ITIMER_REAL, 1.5)    # lands while the parent reads the child's report
    try:
        with pytest.raises(Terminated):
            overlap.clean_while_kiwi_loads(Pipeline(arch, [src], analyser=LoadingAnalyser()),
                                           RunOptions(crawl=False), RunSummary(run_id=0))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        signal.signal(signal.SIGINT, previous)
    child = int(pids.read_text())
    with pytest.raises(ProcessLookupError):      # gone, and reaped: no process of that pid is left
        os.kill(child, 0)
    assert len(arch.pending("clean")) >= 1       # what it had not cleaned stays for the next run
