"""The analysis beside the clean stage (pipeline/overlap.py analyse_early, store_early): once Kiwi is loaded the
run's process analyses the articles the clean child has committed while the child cleans the others, holds those
analyses, and the analysis stage stores them first. The archive is the one the run writes without it (compared
table by table and index answer by index answer with bench/same_archive.py), on the demo's pages and real Kiwi."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pipeline.overlap as overlap
import pipeline.run as run_module
from conftest import demo_archive
from pipeline.demo import PAGES
from pipeline.run import Pipeline, RunOptions, RunSummary

sys.path.append(str(Path(__file__).resolve().parents[1] / "bench"))
from same_archive import compare  # noqa: E402

FILES = tuple(p.file for p in PAGES if p.source != "demo-gunsan")


class NotLoaded:
    """The real analyser, standing for one whose Kiwi the run has not loaded yet (so the overlap applies)."""

    def __init__(self, real):
        self.real, self.fed = real, []

    def loaded(self) -> bool:
        return False

    @property
    def kiwi(self):
        return self.real.kiwi

    def analyse_many(self, items, morphs=True):
        def seen():
            for item in items:
                self.fed.append(item[0])
                yield item
        return self.real.analyse_many(seen(), morphs=morphs)


def cleaned_archive(path: Path, analyser):
    path.mkdir()
    arch, src = demo_archive(path, FILES)
    Pipeline(arch, [src], analyser=analyser).clean(RunOptions(crawl=False), RunSummary(run_id=0))
    return arch, src


def child_done_on(arch, write_end: int, call: int):
    """archive.pending, and the stand-in child's report written to its pipe at the ``call``-th look."""
    real, calls = arch.pending, []

    def pending(*a, **kw):
        calls.append(1)
        if len(calls) == call:
            os.write(write_end, b"done")
        return real(*a, **kw)
    arch.pending = pending
    return calls


def test_the_articles_analysed_beside_the_clean_are_stored_as_the_stage_stores_them(tmp_path, analyser):
    (ours, src), (theirs, _) = cleaned_archive(tmp_path / "a", analyser), cleaned_archive(tmp_path / "b", analyser)
    Pipeline(theirs, [src], analyser=analyser).analyse(RunOptions(crawl=False), RunSummary(run_id=0))

    run = Pipeline(ours, [src], analyser=analyser)
    ids = ours.pending("nlp")
    read_end, write_end = os.pipe()
    try:
        calls = child_done_on(ours, write_end, call=2)     # the child finishes after the parent's second look
        early = overlap.analyse_early(run, RunOptions(crawl=False), read_end)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert len(calls) == 2 and sorted(early) == sorted(ids) and len(ids) == len(FILES)
    assert ours.pending("nlp") == ids                        # held, not written: the child may still write

    run.early_analyses = early
    summary = RunSummary(run_id=0)
    stored = []
    real_store = ours.store_analysis
    ours.store_analysis = lambda aid, a: (stored.append(aid), real_store(aid, a))[1]
    real_many = analyser.analyse_many
    streamed = []
    analyser.analyse_many = lambda items, morphs=True: real_many(((streamed.append(i[0]), i)[1] for i in items),
                                                                 morphs=morphs)
    run.analyse(RunOptions(crawl=False), summary)
    assert stored == ids and streamed == [] and summary.counts["analysed"] == len(ids)
    assert not ours.pending("nlp") and "early_analyses" not in vars(run)
    ours.close()
    theirs.close()
    assert compare(ours.path, theirs.path)


def test_at_most_early_max_are_held_and_the_stage_analyses_the_rest(tmp_path, analyser, monkeypatch):
    (ours, src), (theirs, _) = cleaned_archive(tmp_path / "a", analyser), cleaned_archive(tmp_path / "b", analyser)
    Pipeline(theirs, [src], analyser=analyser).analyse(RunOptions(crawl=False), RunSummary(run_id=0))
    monkeypatch.setattr(overlap, "EARLY_MAX", 3)
    run = Pipeline(ours, [src], analyser=analyser)
    read_end, write_end = os.pipe()                         # a child that never finishes: EARLY_MAX ends it
    try:
        early = overlap.analyse_early(run, RunOptions(crawl=False), read_end)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert sorted(early) == ours.pending("nlp")[:3]
    run.early_analyses = early
    run.analyse(RunOptions(crawl=False), RunSummary(run_id=0))
    ours.close()
    theirs.close()
    assert compare(ours.path, theirs.path)


def test_none_with_a_limit_or_an_analyser_without_a_stream(tmp_path, analyser):
    arch, src = cleaned_archive(tmp_path / "a", analyser)
    read_end, write_end = os.pipe()
    try:
        assert overlap.analyse_early(Pipeline(arch, [src], analyser=analyser), RunOptions(crawl=False, limit=2),
                                     read_end) == {}
        assert overlap.analyse_early(Pipeline(arch, [src], analyser=object()), RunOptions(crawl=False),
                                     read_end) == {}
    finally:
        os.close(read_end)
        os.close(write_end)
    assert len(arch.pending("nlp")) == len(FILES)


def test_a_whole_run_with_the_overlap_writes_the_archive_a_run_without_it_writes(tmp_path, analyser, monkeypatch):
    """The forked child cleans, the parent analyses beside it what the child committed (each clean a little slow,
    so that some are), and the stages after that: the same archive as the run in one process."""
    import time
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    (ours, src), (theirs, _) = demo_archive(tmp_path / "a", FILES), demo_archive(tmp_path / "b", FILES)
    opts = RunOptions(crawl=False, translate=False)
    Pipeline(theirs, [src], analyser=analyser).run(opts)     # Kiwi loaded: no overlap
    monkeypatch.setattr(overlap, "FORK_MIN_PAGES", 1)
    real = run_module.clean_page

    def slow_clean(*a, **kw):
        time.sleep(0.3)
        return real(*a, **kw)
    monkeypatch.setattr(run_module, "clean_page", slow_clean)
    batched = type(ours).batched                              # the child commits each article (the child too)
    monkeypatch.setattr(type(ours), "batched", lambda self, every=1, seconds=2.0: batched(self, every, seconds))
    real_early, early = overlap.analyse_early, []
    monkeypatch.setattr(overlap, "analyse_early", lambda *a: early.append(len(got := real_early(*a))) or got)
    stand_in = NotLoaded(analyser)
    summary = Pipeline(ours, [src], analyser=stand_in).run(opts)
    assert summary.counts["cleaned"] == summary.counts["analysed"] == len(FILES)
    assert sorted(stand_in.fed) == sorted(set(stand_in.fed)) and len(stand_in.fed) == len(FILES)   # each once
    assert len(early) == 1 and 1 <= early[0] < len(FILES)   # some beside the clean, the last one after it
    ours.close()
    theirs.close()
    assert compare(ours.path, theirs.path)
