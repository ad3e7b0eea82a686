"""Synthetic archives for the benchmarks, built from real Korean–English news sentences.

Articles are drawn from ../shared/corpus/parallel (3,000 aligned ko/en sentence pairs of real
news): article i takes ``sents`` pairs chosen by a generator seeded with i, in paragraphs of
four. Everything is written through the Archive API, the way a run writes it, in the stages a
run goes through (page, clean, analysis, translation), so the data has the real shape.

``analyser``: when given, each distinct sentence is analysed by Kiwi once and an article's
search text is the concatenation of its sentences' search terms, so 100,000 articles do not
cost 100,000 Kiwi calls; without it sentences carry no morphemes (enough for export).
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.archive import Archive  # noqa: E402
from nlp.types import Analysis, Sentence  # noqa: E402
from pipeline.corpus import require  # noqa: E402
from scrapers.types import Article, FetchedPage, Source  # noqa: E402
from translate.types import ArticleTranslation, TranslatedText  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SOURCES = [Source(id=f"bench-{r}", name=f"벤치 {r}", outlet=f"벤치 {r}", region=r)
           for r in ("전북", "전남", "경남", "강원", "제주")]


def parallel_pairs() -> list[tuple[str, str]]:
    out = []
    parallel = require("parallel")            # ../shared/corpus/parallel, or under $NEWSPIPE_CORPUS
    for split in ("dev", "test"):
        ko = (parallel / f"korean-english-park.{split}.ko").read_text(encoding="utf-8").splitlines()
        en = (parallel / f"korean-english-park.{split}.en").read_text(encoding="utf-8").splitlines()
        out += [(k.strip(), e.strip()) for k, e in zip(ko, en) if k.strip() and e.strip()]
    return out


def build(path: Path, articles: int, sents: int = 20, analyser=None, progress: bool = True,
          until: str = "translate", start: int = 0, per_day: int | None = None) -> Archive:
    """An archive of ``articles`` articles of ``sents`` sentences, taken through the stages up to ``until``.

    ``start``: the number of the first article (an archive built with ``start=0`` for N articles grows by
    ``build(same path, M, start=N)`` into the archive ``build(path, N + M)`` would make). ``per_day``:
    articles published in archive order, that many a day from 2026-01-01 through the day (a region's daily
    output), instead of at 09:00 on dates spread over the months of 2026 by the article's number."""
    pairs = parallel_pairs()
    terms: list[list[str]] = [[] for _ in pairs]
    morphs: list[list[tuple[str, str, int]]] = [[] for _ in pairs]
    forms: list[dict[str, str]] = [{} for _ in pairs]
    if analyser is not None:
        from nlp.analyse import _morphs, search_terms, surface_forms
        kiwi = analyser.kiwi
        for i, toks in enumerate(kiwi.tokenize([k for k, _ in pairs])):
            morphs[i] = _morphs(toks)
            terms[i] = search_terms(morphs[i])
            forms[i] = surface_forms(pairs[i][0], morphs[i])
    arch = Archive(path)
    arch.sync_sources(SOURCES)
    t0 = time.perf_counter()
    for i in range(start, start + articles):
        rnd = random.Random(i)
        chosen = rnd.sample(range(len(pairs)), sents + 1)
        title_i, body_i = chosen[0], chosen[1:]
        src = SOURCES[i % len(SOURCES)]
        url = f"https://{src.id}.example/news/articleView.html?idxno={i}"
        day, at, fetched = f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}", "09:00:00", "03:00:00"
        if per_day:             # in archive order through the day, as a region's outlets publish
            day = (date(2026, 1, 1) + timedelta(days=i // per_day)).isoformat()
            secs = (i % per_day) * 86400 // per_day
            at = fetched = f"{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
        aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=url.encode(),
                                          content_type="text/html; charset=utf-8",
                                          fetched_at=f"{day}T{fetched}+09:00", source_id=src.id))
        paras = [[pairs[j][0] for j in body_i[k:k + 4]] for k in range(0, len(body_i), 4)]
        body_lines = [" ".join(p) for p in paras]
        arch.store_clean(aid, Article(url=url, title=pairs[title_i][0], body=body_lines,
                                      published_at=f"{day}T{at}+09:00", outlet=src.outlet), "bench")
        if until == "clean":
            continue
        out, offset, n = [], 0, 0
        for p_idx in range(len(paras)):
            pos = offset
            for j in body_i[p_idx * 4:p_idx * 4 + 4]:
                s = pairs[j][0]
                out.append(Sentence(index=n, para=p_idx, start=pos, end=pos + len(s), text=s,
                                    morphs=[(f, t, pos + o) for f, t, o in morphs[j]]))
                pos += len(s) + 1
                n += 1
            offset += len(body_lines[p_idx]) + 1
        words = [t for j in chosen for t in terms[j]]
        article_forms: dict[str, str] = {}
        for j in chosen:
            article_forms.update(forms[j])
        arch.store_analysis(aid, Analysis(sentences=out, search_text=" ".join(words),
                                          keywords=[], entities=[],
                                          version="bench", forms=article_forms))
        arch.store_translation(aid, ArticleTranslation(
            backend="bench", title=TranslatedText(pairs[title_i][1]), subtitle=TranslatedText(None),
            sentences=[TranslatedText(pairs[j][1]) for j in body_i]), "bench")
        if progress and (i + 1 - start) % 5000 == 0:
            print(f"  built {i + 1 - start:,} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return arch


def cached(name: str, articles: int, **kwargs) -> Path:
    """bench/out/<name>.db, built by :func:`build` the first time (into a temporary name, renamed when
    complete, so an interrupted build is never taken for a finished one), migrated when it is older."""
    OUT.mkdir(exist_ok=True)
    db = OUT / f"{name}.db"
    if db.exists():
        Archive(db).close()          # brings an archive cached by an older newspipe to this schema
        return db
    print(f"building {db.name} (once): {articles:,} articles ...", file=sys.stderr)
    tmp = db.with_suffix(".building")
    for f in OUT.glob(tmp.name + "*"):
        f.unlink()
    t0 = time.perf_counter()
    build(tmp, articles, **kwargs).close()
    tmp.rename(db)
    print(f"built in {time.perf_counter() - t0:.0f} s, {db.stat().st_size / 1e6:,.0f} MB", file=sys.stderr)
    return db
