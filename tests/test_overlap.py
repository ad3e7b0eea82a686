"""The clean stage in a forked child while the run's process loads Kiwi and analyses (pipeline/overlap.py): it
stores what the clean stage in the run's own process stores, its counts and failures reach the run's summary,
what it raises is raised in the run, the run analyses every article it cleans, and it stands aside where it
would gain nothing."""
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


def clean_in_child(pipeline, options, summary) -> bool:
    """clean_while_kiwi_loads, then the child waited for (what the run does after its analysis)."""
    cleaning = overlap.clean_while_kiwi_loads(pipeline, options, summary)
    if cleaning is None:
        return False
    cleaning.finish(summary)
    return True


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
    assert clean_in_child(Pipeline(ours, [src], analyser=analyser), RunOptions(crawl=False), summary)
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
        clean_in_child(Pipeline(arch, [src], analyser=LoadingAnalyser()), RunOptions(crawl=False),
                                       RunSummary(run_id=0))


def test_a_child_that_dies_is_an_error_and_its_pages_stay_pending(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    monkeypatch.setattr(run_module, "clean_page", lambda *a, **kw: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(RuntimeError, match="killed by signal 9"):
        clean_in_child(Pipeline(arch, [src], analyser=LoadingAnalyser()), RunOptions(crawl=False),
                                       RunSummary(run_id=0))
    assert len(arch.pending("clean")) == len(FILES) + 1


def test_it_stands_aside_with_kiwi_loaded_or_few_pages(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    loaded = LoadingAnalyser(is_loaded=True)
    assert not clean_in_child(Pipeline(arch, [src], analyser=loaded), RunOptions(crawl=False),
                                              RunSummary(run_id=0))
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", len(FILES) + 2)
    fresh = LoadingAnalyser()
    assert not clean_in_child(Pipeline(arch, [src], analyser=fresh), RunOptions(crawl=False),
                                              RunSummary(run_id=0))
    assert not loaded.loaded_in and not fresh.loaded_in and len(arch.pending("clean")) == len(FILES) + 1


class StreamAnalyser(LoadingAnalyser):
    """An analyser whose analysis is a stub: it records the ids it is given, in the order given (``fail``: raise
    this on the first article instead)."""

    def __init__(self, fail: BaseException | None = None):
        super().__init__()
        self.seen: list[int] = []
        self.fail = fail

    def analyse_many(self, items):
        from nlp.types import Analysis
        for key, body, title in items:
            if self.fail is not None:
                raise self.fail
            self.seen.append(key)
            yield key, Analysis(sentences=[], search_text="", keywords=[], entities=[], version="2")


def test_the_run_analyses_each_article_the_child_cleans_as_it_is_stored(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    real = run_module.clean_page

    def slow_clean_page(*a, **kw):              # the child still cleaning while the parent polls
        import time
        time.sleep(0.05)
        return real(*a, **kw)
    monkeypatch.setattr(run_module, "clean_page", slow_clean_page)
    analyser = StreamAnalyser()
    summary = Pipeline(arch, [src], analyser=analyser).run(RunOptions(crawl=False, translate=False))
    done = [r[0] for r in sqlite3.connect(arch.path).execute(
        "SELECT id FROM articles WHERE clean_status='done' ORDER BY id")]
    assert summary.counts["cleaned"] == len(FILES) and summary.counts["analysed"] == len(FILES)
    assert sorted(analyser.seen) == done and len(set(analyser.seen)) == len(done)     # each once
    assert not arch.pending("clean") and not arch.pending("nlp")


def test_a_run_that_fails_in_its_analysis_stops_the_child_and_loses_nothing(tmp_path, monkeypatch):
    (arch, src), _ = two_archives(tmp_path)
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    analyser = StreamAnalyser(fail=ArchiveError("cannot write the archive: disk I/O error"))
    with pytest.raises(ArchiveError, match="disk I/O error"):
        Pipeline(arch, [src], analyser=analyser).run(RunOptions(crawl=False, translate=False))
    rows = sqlite3.connect(arch.path).execute("SELECT clean_status, nlp_status FROM articles").fetchall()
    assert len(rows) == len(FILES) + 1
    # every page cleaned (done, or failed: the empty one) or still pending; nothing cleaned is analysed
    assert all(c in ("done", "failed", "pending") and n == "pending" for c, n in rows)
    assert len(arch.pending("clean")) + sum(c != "pending" for c, _ in rows) == len(FILES) + 1
