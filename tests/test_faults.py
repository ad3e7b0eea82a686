"""The fault suite (issue 15): nothing is lost, nothing silently wrong.

- ``kill -9`` of a real ``newspipe run`` at 20 seeded moments across fetch, clean, analyse and translate,
  each followed by a rerun: the archive, a search for every word of it and every export format equal an
  uninterrupted run's;
- the disk filling up during a run (RLIMIT_FSIZE in the child);
- a translator that returns garbage, hangs, or dies mid-pack; a retranslation that fails;
- an exception on one article in clean, analyse, translate and store: that article fails with its reason,
  is tried again on the next runs (three attempts in all), and never holds up the others;
- the log: a line per article per stage with -v, progress lines while a stage is stuck, a line per
  translator wait.

Everything is offline and real: the DemoSite (real pages from tests/fixtures/corpus) and the LibreStub
translator of conftest on 127.0.0.1, real Kiwi, the real CLI in a subprocess where a process is killed. To
keep the kills cheap, a killed run starts from a copy of the archive as it stands before the stage to be
interrupted (prepared once, in-process), and the rerun runs in-process with the Kiwi this process already
loaded; the reference is one uninterrupted ``newspipe run`` of the CLI.
"""
from __future__ import annotations

import asyncio
import json
import os
import logging
import queue
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import NEWSPIPE, ROOT, LibreStub, sources_toml
from db.archive import Archive
from db.export import export
from db.search import QueryError, search
from pipeline import run as run_module
from pipeline.demo import PAGES, DemoSite
from pipeline.run import Pipeline, Reporter, RunOptions, RunSummary
from scrapers.fetch import FetchSettings
from scrapers.sources import load_sources
from scrapers.types import Source
from translate.backends import make_backend

SEED = 15
ARTICLES = len(PAGES)                       # the demo site's 10 real pages
KILLS = {"fetch": 5, "clean": 5, "analyse": 5, "translate": 5}
# The longest random wait after the k-th line of a stage before the kill: about one article's time there.
KILL_JITTER = {"fetch": 0.045, "clean": 0.012, "analyse": 0.045, "translate": 0.045}
CONFIG = "[translate]\nbatch = 2\nconcurrency = 2\ntimeout = 5\n"
BATCH, CONCURRENCY = 2, 2
STUB_LATENCY = 0.03                         # each translation request takes this long (spreads the stage)
EXPORTS = [(fmt, level) for fmt in ("jsonl", "tsv", "tmx", "moses") for level in ("sentence", "paragraph", "article")]


# ------------------------------------------------------------------------------------ observing an archive
def _rows(con, sql, params=()):
    return sorted((tuple(r) for r in con.execute(sql, params)),
                  key=lambda r: tuple((x is None, "" if x is None else x) for x in r))


def contents(db: Path) -> dict[str, list]:
    """Everything a run stores that a later stage, a search or an export reads, by URL, without row ids and
    timestamps (which legitimately differ between runs)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    url_of = dict(con.execute("SELECT id, url FROM articles"))
    out = {
        "articles": _rows(con, """
            SELECT a.url, a.canonical_url, a.source_id, a.outlet, a.section, a.authors, a.published_at, a.updated_at,
                   a.title_ko, a.subtitle_ko, a.body_ko, a.title_en, a.subtitle_en, a.body_en, a.captions, a.removed,
                   a.content_hash, d.url, a.keywords, a.entities, a.search_ko_z, a.clean_status, a.clean_error,
                   a.cleaner_version, a.nlp_status, a.nlp_error, a.nlp_version, a.translate_status, a.translate_error,
                   a.translation_provenance, a.translation_backend, a.translation_version
            FROM articles a LEFT JOIN articles d ON d.id = a.duplicate_of"""),
        "sentences": _rows(con, 'SELECT a.url, s.idx, s.para, s.start, s."end", s.ko, s.en, s.en_error '
                                "FROM sentences s JOIN articles a ON a.id = s.article_id"),
        "translations": _rows(con, "SELECT a.url, t.provenance, t.backend, t.version, t.title_en, t.subtitle_en, "
                                   "t.body_en, t.sentences_en, t.in_article FROM translations t "
                                   "JOIN articles a ON a.id = t.article_id"),
        "ko_forms": _rows(con, "SELECT surface, terms FROM ko_forms"),
        "translation_memory": _rows(con, "SELECT backend, src, tgt FROM translation_memory"),
        "page_bodies": _rows(con, "SELECT sha256, size FROM page_bodies"),
        # each article page fetched (and stored) once, however often the run was killed
        "article_fetches": _rows(con, "SELECT url, count(*) FROM pages WHERE error IS NULL AND url IN "
                                      "(SELECT url FROM articles) GROUP BY url"),
    }
    con.close()
    # The full-text indexes themselves (what a search reads): every (term, article, column, offset).
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for fts in ("articles_fts_ko", "articles_fts_en"):
        con.execute(f"CREATE VIRTUAL TABLE temp.v_{fts} USING fts5vocab(main, {fts}, instance)")
        out[fts] = sorted((term, url_of.get(doc), col, off) for term, doc, col, off
                          in con.execute(f"SELECT term, doc, col, offset FROM temp.v_{fts}"))
    con.close()
    return out


def words_of(db: Path) -> tuple[list[str], list[str]]:
    """Every word of the archive: the Korean words Kiwi met (ko_forms) and the English words."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ko = [r[0] for r in con.execute("SELECT surface FROM ko_forms ORDER BY surface")]
    en = set()
    for title, body in con.execute("SELECT title_en, body_en FROM articles"):
        en.update(re.findall(r"[A-Za-z]\w+", f"{title or ''} {body or ''}"))
    con.close()
    return ko, sorted(en)


def search_hits(db: Path, words: tuple[list[str], list[str]]) -> dict:
    """The hits (URL, BM25 score) of a search for each word, as `newspipe search` ranks them."""
    archive = Archive(db, readonly=True)
    url_of = dict(archive.query("SELECT id, url FROM articles", tuples=True))
    out = {}
    for lang, ws in zip(("ko", "en"), words):
        for w in ws:
            try:
                out[lang, w] = [(url_of[h.id], round(h.score, 9)) for h in search(archive, w, lang=lang, limit=2000)]
            except QueryError as exc:          # a word such as 전주(全州 is no valid query: the same answer
                out[lang, w] = str(exc)
    archive.close()
    return out


def exports(db: Path, tmp: Path) -> dict:
    """Every export format at every level, byte for byte."""
    archive = Archive(db, readonly=True)
    out = {}
    for fmt, level in EXPORTS:
        target = tmp / f"export-{fmt}-{level}"
        export(archive, fmt, str(target), level)
        files = [Path(f"{target}.ko"), Path(f"{target}.en")] if fmt == "moses" else [target]
        out[fmt, level] = [f.read_bytes() for f in files]
    archive.close()
    return out


def differences(got: dict, want: dict, limit: int = 3) -> list[str]:
    """What differs, briefly (pytest's own diff of these structures would take minutes)."""
    diffs = []
    for key in want:
        a, b = got.get(key), want[key]
        if a == b:
            continue
        if isinstance(b, list) and isinstance(a, list):
            missing, extra = [x for x in b if x not in a][:limit], [x for x in a if x not in b][:limit]
            diffs.append(f"{key}: {len(a)} rows, want {len(b)}; missing {missing!r:.600}; extra {extra!r:.600}")
        else:
            bad = [k for k in b if a.get(k) != b[k]][:limit] if isinstance(b, dict) else []
            diffs.append(f"{key}: differs at {bad!r:.600}")
    return diffs


# ----------------------------------------------------------------------------------------------- the world
@dataclass
class World:
    root: Path
    site: DemoSite
    stub: LibreStub
    sources: Path
    config: Path
    analyser: object
    states: dict[str, Path] = field(default_factory=dict)   # archive copies before fetch, clean, analyse, translate
    reference: Path | None = None
    expected: dict = field(default_factory=dict, repr=False)
    words: tuple = field(default=(), repr=False)
    expected_hits: dict = field(default_factory=dict, repr=False)
    expected_exports: dict = field(default_factory=dict, repr=False)
    reference_log: str = field(default="", repr=False)
    urls: dict[int, str] = field(default_factory=dict)           # article id → URL, in the reference

    def cli_args(self, db: Path, *extra: str) -> list[str]:
        return [*NEWSPIPE, "-v", "--db", str(db), "--sources", str(self.sources), "--config", str(self.config),
                "run", "--no-progress", "--translator", "libre", "--translator-url", self.stub.url, *extra]

    def pipeline(self, archive: Archive, reporter: Reporter | None = None, backend_timeout: float = 5,
                 translator: LibreStub | None = None) -> Pipeline:
        """The run the CLI makes of the same settings, in this process (Kiwi loaded once). A test that makes
        the translator misbehave brings its own (the same English: LibreStub's answers are deterministic)."""
        url = (translator or self.stub).url
        return Pipeline(archive, load_sources(self.sources), FetchSettings(),
                        analyser=self.analyser, reporter=reporter,
                        backend_factory=lambda: make_backend("libre", url, timeout=backend_timeout))

    def options(self, **kw) -> RunOptions:
        return RunOptions(translate_batch=BATCH, translate_concurrency=CONCURRENCY, **kw)

    def rerun(self, db: Path, translator: LibreStub | None = None, **kw) -> RunSummary:
        archive = Archive(db)
        try:
            return self.pipeline(archive, translator=translator).run(self.options(**kw))
        finally:
            archive.close()

    def copy(self, state: str, dest: Path) -> Path:
        shutil.copy(self.states[state], dest)
        return dest


def _snapshot(archive: Archive, dest: Path) -> Path:
    """A consistent one-file copy of a live archive."""
    target = sqlite3.connect(dest)
    archive.db.conn.backup(target)
    target.close()
    return dest


@pytest.fixture(scope="module")
def world(tmp_path_factory, analyser):
    root = tmp_path_factory.mktemp("faults")
    with DemoSite() as site, LibreStub() as stub:
        stub.latency = STUB_LATENCY
        sources = root / "sources.toml"
        sources.write_text(sources_toml(site.base, delay=0.05), encoding="utf-8")
        config = root / "newspipe.toml"
        config.write_text(CONFIG, encoding="utf-8")
        w = World(root, site, stub, sources, config, analyser)

        # The reference: one uninterrupted run of the CLI.
        w.reference = root / "reference.db"
        done = subprocess.run(w.cli_args(w.reference), capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        w.reference_log = done.stderr
        con = sqlite3.connect(w.reference)
        w.urls = dict(con.execute("SELECT id, url FROM articles"))
        con.close()
        w.expected = contents(w.reference)
        assert len(w.expected["articles"]) == ARTICLES
        assert all(r[21] == r[24] == r[27] == "done" for r in w.expected["articles"])
        w.words = words_of(w.reference)
        w.expected_hits = search_hits(w.reference, w.words)
        w.expected_exports = exports(w.reference, root)

        # The archive before each stage, made by the same stages in this process.
        w.states["fetch"] = root / "empty.db"
        archive = Archive(root / "prepared.db")
        pipe = w.pipeline(archive)
        archive.sync_sources(pipe.sources.values())
        _snapshot(archive, w.states["fetch"])
        summary = RunSummary(run_id=0)
        asyncio.run(pipe.crawl(w.options(), summary))
        w.states["clean"] = _snapshot(archive, root / "fetched.db")
        pipe.clean(w.options(), summary)
        w.states["analyse"] = _snapshot(archive, root / "cleaned.db")
        pipe.analyse(w.options(), summary)
        w.states["translate"] = _snapshot(archive, root / "analysed.db")
        archive.close()
        assert summary.counts["analysed"] == ARTICLES and not summary.errors
        yield w


def assert_equals_reference(world: World, db: Path, tmp: Path, what: str = "", skip: tuple[str, ...] = ()) -> None:
    """The archive at ``db`` holds what the uninterrupted run stored (but the ``skip`` parts), a search for
    every word of it finds the same, and every export is the same, byte for byte ("search" and "exports" can
    be skipped: the full-text indexes and ko_forms, which is all a search reads beyond the articles, are
    compared in any case)."""
    diffs = differences({k: v for k, v in contents(db).items() if k not in skip}, {
        k: v for k, v in world.expected.items() if k not in skip})
    assert not diffs, f"{what}: " + "\n".join(diffs)
    if "search" not in skip:
        hits = search_hits(db, world.words)
        bad = [k for k in world.expected_hits if hits.get(k) != world.expected_hits[k]]
        assert not bad, f"{what}: {len(bad)} of {len(hits)} searches differ, e.g. {bad[:3]}"
    if "exports" in skip:
        return
    got = exports(db, tmp)
    bad = [k for k in world.expected_exports if got[k] != world.expected_exports[k]]
    assert not bad, f"{what}: exports differ: {bad}"


def test_what_a_limited_run_did_not_fetch_is_fetched_by_the_next_though_no_listing_leads_to_it(world, tmp_path):
    """A source whose listing spans two pages. --limit 2 fetches the two articles of the first page; the next
    run finds nothing new there and, as a nightly run should, reads no further: the articles of the second
    page are fetched from the URLs the first run found and kept (they were lost before). A run killed after
    the first page's articles left the same hole."""
    paths = [p.path for p in PAGES[:4]]

    def listing(site, path, headers):
        second = path.endswith("page=2")
        links = "".join(f'<li><a href="{p}">기사</a></li>' for p in (paths[2:] if second else paths[:2]))
        more = "" if second else '<a href="/paged.html?page=2">다음</a>'
        return 200, {"Content-Type": "text/html; charset=utf-8"}, \
            f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul>{more}</body></html>'.encode()

    with DemoSite(extra={"/paged.html": listing, "/paged.html?page=2": listing}) as site:
        source = Source(id="paged", name="paged", outlet="paged", list_urls=(f"{site.base}/paged.html",),
                        article_pattern="|".join(re.escape(p) + "$" for p in paths), crawl_delay=0.0)
        archive = Archive(tmp_path / "paged.db")
        pipe = Pipeline(archive, [source], analyser=world.analyser)
        first = pipe.run(RunOptions(limit=2, translate=False))
        second = pipe.run(RunOptions(translate=False))
        stored = {r[0] for r in archive.query("SELECT url FROM articles WHERE page_id IS NOT NULL", tuples=True)}
        archive.close()
        assert site.hits["/paged.html?page=2"] == 1      # read by the first run only
    assert first.counts["new"] == 2 and second.counts["new"] == 2
    assert stored == {site.base + p for p in paths}


# ---------------------------------------------------------------------------------------------- kill -9
def kill_moments() -> list[tuple[str, int, float]]:
    """(stage, k, delay): kill the run ``delay`` seconds after its k-th article line of ``stage`` (k = 0: the
    line that starts the stage's work), seeded. The k of a stage's kills are spread over its articles (one
    drawn from each of n equal parts), always with work of the stage left after that line (the translate
    lines come a batch at a time)."""
    rng = random.Random(SEED)
    moments = []
    for stage, n in KILLS.items():
        points = ARTICLES - (2 * BATCH - 1 if stage == "translate" else 1)          # k in [0, points)
        for i in range(n):
            k = rng.randrange(i * points // n, max((i + 1) * points // n, i * points // n + 1))
            moments.append((stage, k, round(rng.uniform(0, KILL_JITTER[stage]), 4)))
    return moments


MOMENTS = kill_moments()
_START = {"fetch": "fetch: ", "clean": "clean: ", "analyse": "analyse: Kiwi ready", "translate": "translate: "}


def run_and_kill(args: list[str], stage: str, k: int, delay: float, timeout: float = 120) -> tuple[int, str]:
    """Start the CLI, read its log as it comes, SIGKILL it ``delay`` s after the k-th article line of
    ``stage``. Returns (exit status, log up to the kill)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stderr] + [lines.put(None)], daemon=True)
    reader.start()
    seen, count, deadline = [], -1, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            if (count < 0 and _START[stage] in line) or (count >= 0 and f"DEBUG {stage} #" in line):
                count += 1
                if count == k:
                    time.sleep(delay)
                    proc.kill()
                    break
    finally:
        if proc.poll() is None and count != k:
            proc.kill()
        proc.wait(timeout=30)
        reader.join(timeout=30)
    return proc.returncode, "".join(seen)


@pytest.fixture(scope="module")
def killed_runs(world, tmp_path_factory):
    """The killed runs, one after the other in a background thread, while the tests rerun and compare the
    ones before (a killed run is mostly a child process starting, and Kiwi loading in it: the other core)."""
    root = tmp_path_factory.mktemp("killed")

    def one(i: int):
        stage, k, delay = MOMENTS[i]
        db = world.copy(stage, root / f"killed-{i}.db")
        extra = () if stage == "fetch" else ("--no-crawl",)
        return (db, *run_and_kill(world.cli_args(db, *extra), stage, k, delay))

    pool = ThreadPoolExecutor(max_workers=1)
    futures = [pool.submit(one, i) for i in range(len(MOMENTS))]
    yield futures
    pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("moment", range(len(MOMENTS)), ids=[f"{s}-{k}-{int(d * 1000)}ms" for s, k, d in MOMENTS])
def test_kill9_at_a_seeded_moment_then_rerun_equals_an_uninterrupted_run(world, killed_runs, tmp_path, moment):
    stage, k, delay = MOMENTS[moment]
    db, status, log_text = killed_runs[moment].result(timeout=300)
    assert status == -9, f"the run was not killed in {stage} (exit {status}):\n{log_text[-1500:]}"
    left = contents(db)
    assert left["articles"] != world.expected["articles"], "the kill came after the work"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()

    summary = world.rerun(db, crawl=stage == "fetch")        # the same command again
    assert not summary.errors, summary.errors
    assert_equals_reference(world, db, tmp_path, f"killed in {stage} after article {k} + {delay * 1000:.0f} ms")
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")] == ["interrupted", "completed"]
    con.close()


# ------------------------------------------------------------------------------------------------ disk full
def test_disk_full_during_a_run_is_one_line_and_the_next_run_completes(world, tmp_path):
    db = world.copy("analyse", tmp_path / "full.db")
    # The bytes any one file may reach: half of what the analysis adds to the archive, so the write-ahead log,
    # which receives at least all of that, fills up during the analysis.
    limit = max(64_000, (world.states["translate"].stat().st_size - world.states["analyse"].stat().st_size) // 2)

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # Without coverage's measuring in the child (make test's --cov): its data file, written at exit under the
    # same file-size limit, grew past it with the code and failed with a traceback of coverage's own.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))}
    res = subprocess.run(world.cli_args(db, "--no-crawl"), capture_output=True, text=True, cwd=ROOT, timeout=120,
                         preexec_fn=small_disk, env=env)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    errors = [ln for ln in res.stderr.splitlines() if "error" in ln.lower()]
    assert len(errors) == 1 and errors[0].startswith("newspipe: error: cannot write the archive"), errors
    assert res.stderr.splitlines()[-1] == errors[0]
    assert "analyse #" in res.stderr             # it stopped during the analysis, after some articles
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = con.execute("SELECT count(*) FROM articles WHERE nlp_status='done'").fetchone()[0]
    con.close()
    assert done < ARTICLES

    summary = world.rerun(db, crawl=False)       # the disk has room again
    assert not summary.errors and summary.pending == {"clean": 0, "nlp": 0, "translate": 0}
    assert_equals_reference(world, db, tmp_path, "after a full disk")


# ---------------------------------------------------------------------------------------- the translator
def _status(db: Path, column: str = "translate") -> dict[str, tuple]:
    con = sqlite3.connect(db)
    out = {url: (st, err, n) for url, st, err, n in con.execute(
        f"SELECT url, {column}_status, {column}_error, {column}_attempts FROM articles")}
    con.close()
    return out


def test_translator_garbage_fails_qa_with_its_reason_and_is_tried_again_next_run(world, tmp_path):
    db = world.copy("translate", tmp_path / "garbage.db")
    with LibreStub() as stub:
        stub.fail_next = ["garbage"]                 # the first pack comes back as the Korean it was sent
        first = world.rerun(db, crawl=False, translator=stub)
    st = _status(db)
    retry = {p: v for p, v in st.items() if v[0] == "retry"}
    assert retry and first.counts["translate_failed"] == len(retry)
    assert first.counts["translated"] == ARTICLES - len(retry)
    assert all(v[1] and ("source echoed back" in v[1] or "Hangul left" in v[1]) and v[2] == 1 for v in retry.values())
    assert all("failed QA" in e.reason and "tried again next run" in e.reason for e in first.errors)
    assert first.pending["translate"] == len(retry)

    second = world.rerun(db, crawl=False)            # the translator answers properly again
    assert second.counts["translated"] == len(retry) and not second.errors
    # The English is the uninterrupted run's; the attempt that failed QA is no translation: not in the history.
    assert_equals_reference(world, db, tmp_path, "after garbage", skip=("translations", "search"))
    con = sqlite3.connect(db)
    history = con.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert history == len(world.expected["translations"])
    assert con.execute("SELECT count(*) FROM translations WHERE NOT in_article AND body_en IS NULL").fetchone()[0] == 0


def test_a_hanging_translator_times_out_is_retried_and_every_wait_is_logged(world, tmp_path, caplog):
    db = world.copy("translate", tmp_path / "hang.db")
    archive = Archive(db)
    reporter = Reporter(live=False, every=0.25)      # the nightly log's 30 s, shortened
    with LibreStub() as stub, caplog.at_level(logging.DEBUG):
        stub.fail_next = ["hang"]                    # the first request gets no answer for 10 s
        summary = world.pipeline(archive, reporter, backend_timeout=1, translator=stub).run(
            world.options(crawl=False))
    archive.close()
    assert summary.counts["translated"] == ARTICLES and not summary.errors
    waits = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage()]
    assert waits and re.search(r"translator libre: timeout: \w+; waiting 1\.0 s, then retry 1 of 2", waits[0]), waits
    # While the request hung, the stage kept saying where it was.
    stage = [r for r in caplog.records if r.getMessage().startswith("translate: ")]
    progress = [r for r in stage if re.match(r"translate: \d+ of 10 processed, 0 failed, \d+ s", r.getMessage())]
    assert len(progress) >= 4, [r.getMessage() for r in stage]
    gaps = [b.created - a.created for a, b in zip(stage, stage[1:])]
    assert max(gaps) < 1.0, gaps                     # 0.25 s apart, give or take a busy machine
    assert_equals_reference(world, db, tmp_path, "after a hang", skip=("search",))


def test_a_translator_dying_mid_pack_leaves_the_rest_pending_and_the_next_run_completes(world, tmp_path, caplog):
    db = world.copy("translate", tmp_path / "dead.db")
    with LibreStub() as stub, caplog.at_level(logging.INFO):
        stub.dead_after = 1                          # one answer, then connections are dropped unanswered
        first = world.rerun(db, crawl=False, translator=stub)
    assert 0 < first.pending["translate"] < ARTICLES and not first.errors
    assert any("unreachable" in n and "stay pending for the next run" in n for n in first.notes), first.notes
    messages = [r.getMessage() for r in caplog.records]
    assert any("waiting 1.0 s, then retry 1 of 2" in m for m in messages)
    assert any("waiting 2.0 s, then retry 2 of 2" in m for m in messages)
    assert any("request given up after 3 tries" in m for m in messages)
    second = world.rerun(db, crawl=False)
    assert second.counts["translated"] == first.pending["translate"] and not second.errors
    assert_equals_reference(world, db, tmp_path, "after the translator died", skip=("search",))   # no history twice


def test_a_failed_retranslation_leaves_the_articles_translated_with_their_english(world, tmp_path):
    db = tmp_path / "retranslate.db"
    shutil.copy(world.reference, db)
    base = [*NEWSPIPE, "--db", str(db), "--sources", str(world.sources), "--config", str(world.config)]
    with LibreStub() as failing:
        failing.fail_next = [(503, {"Retry-After": "0"})] * 50       # down, and says so at once
        res = subprocess.run([*base, "run", "--no-progress", "--retranslate", "--translator", "libre",
                              "--translator-url", failing.url], capture_output=True, text=True, cwd=ROOT,
                             timeout=120)
    assert res.returncode == 0, res.stderr
    assert "10 articles keep their earlier English" in res.stdout
    assert differences(contents(db), world.expected) == []
    stats = subprocess.run([*base, "stats", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    st = json.loads(stats.stdout)
    assert st["stages"]["translate"] == {"done": ARTICLES}
    # the Korean word found in most articles, searched among the translated ones
    hits = world.expected_hits
    word = max((w for lang, w in hits if lang == "ko" and isinstance(hits[lang, w], list)),
               key=lambda w: len(hits["ko", w]))
    found = subprocess.run([*base, "search", word, "--translated", "--json", "--limit", "100"], capture_output=True,
                           text=True, cwd=ROOT, timeout=60)
    found = [world.urls[json.loads(line)["id"]] for line in found.stdout.splitlines()]
    assert len(found) >= 2 and found == [url for url, _ in hits["ko", word]]

    # Dying mid-pack: the pack that came back is the new English (and history), the rest keeps its own.
    with LibreStub(prefix="Second") as second:
        second.dead_after = 1
        archive = Archive(db)
        pipe = Pipeline(archive, load_sources(world.sources), analyser=world.analyser,
                        backend_factory=lambda: make_backend("libre", second.url, timeout=5))
        summary = pipe.run(RunOptions(retranslate=True, translate_batch=BATCH, translate_concurrency=1))
        archive.close()
    assert summary.counts["translated"] == BATCH
    con = sqlite3.connect(db)
    titles = [r[0] for r in con.execute("SELECT title_en FROM articles ORDER BY id")]
    assert [t.split()[0] for t in titles] == ["Second"] * BATCH + ["Placeholder"] * (ARTICLES - BATCH)
    assert con.execute("SELECT count(*) FROM articles WHERE translate_status='done'").fetchone()[0] == ARTICLES
    history = con.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert history == len(world.expected["translations"]) + BATCH
    con.close()
    # The next ordinary run has nothing to translate: no history entry twice.
    again = world.rerun(db, crawl=False)
    assert again.counts.get("translated", 0) == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM translations").fetchone()[0] == history
    con.close()


# ------------------------------------------------------------------------ one article fails in each stage
@pytest.fixture()
def faulty(world) -> str:
    """The URL of the article in the middle of the archive: work before and after it in every stage."""
    return world.urls[ARTICLES // 2]


@pytest.fixture()
def flaky(world) -> str:
    """The article before it: fails once, then passes."""
    return world.urls[ARTICLES // 2 - 1]


# The clean stage's entry into the cleaner, as pipeline/run.py imports it (clean_page since the cleaner
# became a package; clean_html before).
CLEAN_ENTRY = next(name for name in ("clean_page", "clean_html") if hasattr(run_module, name))


def test_an_exception_in_clean_fails_that_article_three_times_at_most_and_blocks_nothing(world, tmp_path,
                                                                                        monkeypatch, faulty, flaky):
    db = world.copy("clean", tmp_path / "clean.db")
    real, calls = getattr(run_module, CLEAN_ENTRY), []

    def clean(body, url, *a, **kw):
        calls.append(url)
        if url == faulty or (url == flaky and calls.count(url) == 1):
            raise RuntimeError("injected fault in the cleaner")
        return real(body, url, *a, **kw)

    monkeypatch.setattr(run_module, CLEAN_ENTRY, clean)
    first = world.rerun(db, crawl=False)
    st = _status(db, "clean")
    assert st[faulty] == ("retry", "RuntimeError: injected fault in the cleaner", 1)
    assert st[flaky][0] == "retry"
    assert first.counts["clean_failed"] == 2 and first.counts["cleaned"] == ARTICLES - 2
    assert first.counts["translated"] == ARTICLES - 2       # the others went all the way
    assert {e.stage for e in first.errors} == {"clean"} and len(first.errors) == 2
    assert all("tried again next run" in e.reason for e in first.errors)

    second = world.rerun(db, crawl=False)
    assert second.counts["cleaned"] == 1 and second.counts["translated"] == 1     # the flaky one passed
    assert _status(db, "clean")[faulty][0:3:2] == ("retry", 2)
    third = world.rerun(db, crawl=False)
    assert _status(db, "clean")[faulty] == ("failed", "RuntimeError: injected fault in the cleaner", 3)
    assert "given up after 3 attempts" in third.errors[0].reason
    fourth = world.rerun(db, crawl=False)
    assert calls.count(faulty) == 3 and not fourth.errors     # three attempts in all
    assert fourth.pending == {"clean": 0, "nlp": 0, "translate": 0}
    # Everything but the faulty article is what the uninterrupted run stored.
    got, want = contents(db), world.expected
    for part in ("articles", "sentences", "translations"):
        assert [r for r in got[part] if r[0] != faulty] == [r for r in want[part] if r[0] != faulty], part
    # 'run --retry-failed' (the fault fixed, say by a new version): three more attempts, and it goes all the way
    monkeypatch.setattr(run_module, CLEAN_ENTRY, real)
    assert Archive(db).retry_failed(["nosuchsource"]) == {"clean": 0, "nlp": 0, "translate": 0}
    assert Archive(db).retry_failed() == {"clean": 1, "nlp": 0, "translate": 0}
    assert _status(db, "clean")[faulty][0:3:2] == ("retry", 0)
    fifth = world.rerun(db, crawl=False)
    assert fifth.counts["cleaned"] == 1 and fifth.counts["translated"] == 1 and not fifth.errors
    assert Archive(db).retry_failed() == {"clean": 0, "nlp": 0, "translate": 0}     # nothing left to give again


def test_an_exception_in_analyse_fails_only_that_article_and_the_stream_goes_on(world, tmp_path, monkeypatch,
                                                                                faulty):
    db = world.copy("analyse", tmp_path / "analyse.db")
    con = sqlite3.connect(db)
    marker = con.execute("SELECT body_ko FROM articles WHERE url=?", [faulty]).fetchone()[0].split("\n")[0][:12]
    con.close()
    import nlp.analyse
    real = nlp.analyse._Article.add

    def add(self, tokens, text, *a, **kw):     # a bug our analysis meets on one article's text, mid-stream
        if marker in text:
            raise ValueError("injected fault in the analysis")
        return real(self, tokens, text, *a, **kw)

    monkeypatch.setattr(nlp.analyse._Article, "add", add)
    first = world.rerun(db, crawl=False)
    st = _status(db, "nlp")
    assert st[faulty] == ("retry", "ValueError: injected fault in the analysis", 1)
    assert first.counts["analysed"] == ARTICLES - 1 and first.counts["analyse_failed"] == 1
    assert first.counts["translated"] == ARTICLES - 1
    assert [e.stage for e in first.errors] == ["analyse"] and first.errors[0].item == faulty
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM sentences s JOIN articles a ON a.id=s.article_id "
                       "WHERE a.url=?", [faulty]).fetchone()[0] == 0
    con.close()
    monkeypatch.undo()
    second = world.rerun(db, crawl=False)
    assert second.counts["analysed"] == 1 and second.counts["translated"] == 1 and not second.errors
    assert_equals_reference(world, db, tmp_path, "after an analysis fault", skip=("search",))


def test_an_exception_in_translate_fails_only_that_article_not_its_batch(world, tmp_path, monkeypatch, faulty):
    db = world.copy("translate", tmp_path / "translate.db")
    con = sqlite3.connect(db)
    title = con.execute("SELECT title_ko FROM articles WHERE url=?", [faulty]).fetchone()[0]
    con.close()
    real = run_module.Translator.translate_articles

    def translate_articles(self, articles, now=""):
        if any(t == title for t, _, _ in articles):
            raise KeyError("injected fault in the translation")
        return real(self, articles, now)

    monkeypatch.setattr(run_module.Translator, "translate_articles", translate_articles)
    first = world.rerun(db, crawl=False)
    st = _status(db)
    assert st[faulty] == ("retry", "KeyError: 'injected fault in the translation'", 1)
    assert first.counts["translated"] == ARTICLES - 1 and first.counts["translate_failed"] == 1
    monkeypatch.undo()
    second = world.rerun(db, crawl=False)
    assert second.counts["translated"] == 1 and not second.errors
    assert_equals_reference(world, db, tmp_path, "after a translation fault", skip=("search",))


def test_a_store_that_fails_mid_transaction_leaves_nothing_half_written(world, tmp_path, monkeypatch, faulty):
    """The analysis of one article comes with its first sentence twice (the table's key refuses it): its
    other sentences, already inserted in the same transaction, go with it; it is tried again next run."""
    db = world.copy("analyse", tmp_path / "store.db")
    con = sqlite3.connect(db)
    faulty_id = con.execute("SELECT id FROM articles WHERE url=?", [faulty]).fetchone()[0]
    con.close()
    real = world.analyser.analyse_many

    def analyse_many(items, **options):
        for key, analysis in real(items, **options):
            if key == faulty_id:
                analysis.sentences.append(analysis.sentences[0])
            yield key, analysis

    monkeypatch.setattr(world.analyser, "analyse_many", analyse_many)
    first = world.rerun(db, crawl=False)
    st = _status(db, "nlp")
    assert st[faulty] == ("retry", "IntegrityError: UNIQUE constraint failed: sentence_spans.article_id, "
                                       "sentence_spans.idx", 1)
    assert first.counts["analysed"] == ARTICLES - 1
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*), (SELECT search_ko_z FROM articles WHERE id=?) FROM sentences "
                       "WHERE article_id=?", [faulty_id, faulty_id]).fetchone() == (0, None)
    con.close()
    monkeypatch.undo()
    world.rerun(db, crawl=False)
    assert_equals_reference(world, db, tmp_path, "after a failed store", skip=("search",))


def test_a_page_that_cannot_be_stored_is_a_failed_fetch_tried_again_next_run(world, tmp_path, monkeypatch, faulty):
    db = world.copy("fetch", tmp_path / "page.db")
    real, calls = Archive.store_page, []

    def store_page(self, page, run_id=None):
        calls.append(page.url)
        if page.url == faulty and page.ok:
            raise ValueError("injected fault in storing the page")
        return real(self, page, run_id)

    monkeypatch.setattr(Archive, "store_page", store_page)
    first = world.rerun(db)
    assert first.counts["new"] == ARTICLES - 1 and first.counts["translated"] == ARTICLES - 1
    assert [(e.stage, e.reason) for e in first.errors] == [("fetch", "ValueError: injected fault in storing "
                                                                           "the page")]
    monkeypatch.undo()
    second = world.rerun(db)
    assert second.counts["new"] == 1 and second.counts["translated"] == 1 and not second.errors
    # That page became an article a run later than in the reference: a later id, so it comes later in the
    # exports (which follow archive order); everything else is the same.
    assert_equals_reference(world, db, tmp_path, "after a page failed to store",
                            skip=("article_fetches", "exports", "search"))


# ----------------------------------------------------------------------------------------------- logging
def test_verbose_log_has_one_line_per_article_per_stage_with_id_url_outcome_ms(world):
    lines = re.findall(r"DEBUG (fetch|clean|analyse|translate) #(\d+) (\S+) (.+) (\d+) ms$", world.reference_log,
                       re.M)
    con = sqlite3.connect(world.reference)
    ids = dict(con.execute("SELECT url, id FROM articles"))
    con.close()
    for stage in ("fetch", "clean", "analyse", "translate"):
        mine = [(int(i), url, outcome) for st, i, url, outcome, _ in lines if st == stage]
        assert sorted((i, url) for i, url, _ in mine) == sorted((i, url) for url, i in ids.items()), stage
        assert all(outcome.startswith(("200 new", "done")) for _, _, outcome in mine), mine
    # trafilatura and friends say nothing at -v
    assert not [ln for ln in world.reference_log.splitlines() if "DEBUG" in ln and not re.search(
        r"DEBUG (fetch|clean|analyse|translate)[ :]", ln)]


def test_progress_lines_come_at_least_every_30_s_of_a_stage_on_the_injected_clock(caplog):
    now = [0.0]
    reporter = Reporter(live=False, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="newspipe"):
        reporter.stage("analyse", 100)
        for _ in range(100):
            now[0] += 1.3                     # an article every 1.3 s: 130 s for the stage
            reporter.advance(failed=int(now[0] > 100))
        reporter.close()
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "analyse: 100 to do"
    # the first article past each 30 s since the last line brings the next one
    assert messages[1:5] == ["analyse: 24 of 100 processed, 0 failed, 31 s", "analyse: 48 of 100 processed, 0 failed, 62 s",
                             "analyse: 72 of 100 processed, 0 failed, 94 s",
                             "analyse: 96 of 100 processed, 20 failed, 125 s"]
    assert messages[5] == "analyse: 100 of 100 processed: 76 ok, 24 failed, in 130.0 s" and len(messages) == 6


def test_a_source_whose_listing_fails_counts_as_failed_in_the_progress_line(world, tmp_path, caplog):
    """The summary said 'failed 1 × discover: …' while the log's last discover line said '1 done, 0 failed'
    (found with a robots.txt asking for a day between requests)."""
    with DemoSite(extra={"/down.html": lambda site, path, headers: (404, {}, b"")}) as site:
        sources = [Source(id="down", name="down", outlet="down", list_urls=(f"{site.base}/down.html",),
                          article_pattern=r"/nothing$", crawl_delay=0.0),
                   Source(id="up", name="up", outlet="up", list_urls=(f"{site.base}/list.html",),
                          article_pattern=r"/nothing$", crawl_delay=0.0)]
        archive = Archive(tmp_path / "d.db")
        with caplog.at_level(logging.INFO, logger="newspipe"):
            summary = Pipeline(archive, sources, analyser=world.analyser).run(RunOptions(translate=False))
        archive.close()
    assert [e.stage for e in summary.errors] == ["discover"]
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("discover: 2 of 2 processed")]
    assert lines and lines[-1].startswith("discover: 2 of 2 processed: 1 ok, 1 failed, in "), lines
