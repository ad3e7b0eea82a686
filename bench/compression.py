"""bench/compression: how the archive should compress raw pages, the cleaner's removals and captions.

    .venv/bin/python bench/compression.py [--repeat N]

Reads every real HTML page of the shared corpus (korean-news/*.html, the 181 pages of extraction-benchmark,
korean-news-extra/*.html), cleans each with the cleaner a run uses (its URL picks the profile, as in a run)
and takes three kinds of value exactly as the archive stores them: the raw page bytes (``page_bodies``),
the ``removed`` list and the ``captions`` list (compact JSON of the records, ``db.connection.dumps``).

For each kind: zlib 6 (what db/pages.py wrote until now) and 9, zstd 3, 9 and 19, and zstd 9 with a
dictionary trained (``zstandard.train_dictionary``) on one half of the values (every other value, sorted by
file name) and measured on the other half. Every method is measured on that held-out half, so the rows
compare; the ratio on all values is printed beside it for the methods that need no training. Ratio = raw
bytes / compressed bytes summed over the values; times are per value, the best of --repeat passes.

Pages of one outlet share a template, which a dictionary trained on mixed outlets cannot know: the last
part measures what the archive ships (db/bodies.py): each page compressed with an earlier page of its source
as a raw-content dictionary where that halves it at least, on all pages and on the sites with several pages,
beside the rule before (a new reference for every page stored plain). ``--demo``: that part alone, on the
2,000 pages bench/processing.py builds of the demo layouts.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/

import zstandard  # noqa: E402

from db import bodies  # noqa: E402
from db.connection import dumps, sha256  # noqa: E402
from pipeline.corpus import require  # noqa: E402
from scrapers.clean import clean_page  # noqa: E402

DICT_SIZES = {"pages": 112_640, "removed": 16_384, "captions": 4_096}   # 110 KB is zstd's own default


def corpus_pages() -> list[tuple[str, bytes, str]]:
    """(name, raw bytes, URL) of every HTML page of the corpus, by name."""
    from eval_extraction import EXTRA_URLS, URLS          # the crawl URLs the extraction benchmark uses
    corpus = require()
    out = []
    for path in sorted((corpus / "korean-news").glob("*.html")):
        stem = path.stem
        gt = next((corpus / "korean-news" / "ground-truth").glob(f"{stem}.*.json"), None)
        url = (json.loads(gt.read_text(encoding="utf-8")).get("url") if gt else None) or URLS.get(stem) or (
            f"https://www.mk.co.kr/news/x/{stem.split('__')[1]}" if stem.startswith("mk.co.kr") else "")
        out.append((path.name, path.read_bytes(), url))
    bench = corpus / "extraction-benchmark"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    for key, gt in sorted(truth.items()):
        out.append((key, gzip.decompress((bench / "html" / f"{key}.html.gz").read_bytes()), gt.get("url") or ""))
    for path in sorted((corpus / "korean-news-extra").glob("*.html")):
        out.append((path.name, path.read_bytes(), EXTRA_URLS.get(path.stem, "")))
    return out


def stored_values(pages) -> dict[str, list[bytes]]:
    """The three kinds of value, as UTF-8 bytes, as the archive stores them (db/stages.py store_clean)."""
    removed, captions = [], []
    for _, body, url in pages:
        art = clean_page(body, url, "text/html")
        removed.append(dumps([asdict(r) for r in art.removed]).encode("utf-8"))
        captions.append(dumps([asdict(c) for c in art.captions]).encode("utf-8"))
    return {"pages": [body for _, body, _ in pages], "removed": removed, "captions": captions}


def best_per_value(fn: Callable[[bytes], bytes], values: list[bytes], repeat: int) -> float:
    """ms per value, the best of ``repeat`` passes over all values."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for v in values:
            fn(v)
        best = min(best, time.perf_counter() - t0)
    return best * 1000 / max(len(values), 1)


def methods(train: list[bytes], dict_size: int) -> tuple[list[tuple[str, Callable, Callable, bool]], str]:
    """(name, compress, decompress, needs training) of each method; a line on the dictionary trained."""
    out = [(f"zlib {lv}", (lambda v, lv=lv: zlib.compress(v, lv)), zlib.decompress, False) for lv in (6, 9)]
    for lv in (3, 9, 19):
        c, d = zstandard.ZstdCompressor(level=lv), zstandard.ZstdDecompressor()
        out.append((f"zstd {lv}", c.compress, d.decompress, False))
    samples = [v for v in train if v]
    try:
        t0 = time.perf_counter()
        zdict = zstandard.train_dictionary(dict_size, samples, level=9)
        took = time.perf_counter() - t0
    except zstandard.ZstdError as exc:
        return out, f"no dictionary: {exc} ({len(samples)} samples, {sum(map(len, samples))} bytes)"
    c = zstandard.ZstdCompressor(level=9, dict_data=zdict)
    d = zstandard.ZstdDecompressor(dict_data=zdict)
    out.append(("zstd 9 + dict", c.compress, d.decompress, True))
    return out, (f"dictionary: {len(zdict.as_bytes()):,} bytes (asked {dict_size:,}), trained on "
                 f"{len(samples)} values ({sum(map(len, samples)):,} bytes) in {took:.1f} s, id {zdict.dict_id()}")


def table(kind: str, values: list[bytes], repeat: int) -> None:
    train, test = values[0::2], values[1::2]
    raw_test, raw_all = sum(map(len, test)), sum(map(len, values))
    print(f"\n{kind}: {len(values)} values, {raw_all:,} bytes (mean {raw_all / len(values):,.0f}, "
          f"empty lists {sum(v in (b'', b'[]') for v in values)}); held-out half {len(test)} values, "
          f"{raw_test:,} bytes")
    rows, note = methods(train, DICT_SIZES[kind])
    print(f"  {'method':<15} {'ratio held-out':>14} {'ratio all':>10} {'compress ms':>12} {'decompress ms':>14}")
    for name, comp, decomp, trained in rows:
        packed = [comp(v) for v in test]
        assert all(decomp(p) == v for p, v in zip(packed, test)), name
        ratio = raw_test / sum(map(len, packed))
        ratio_all = "" if trained else f"{raw_all / sum(len(comp(v)) for v in values):.2f}"
        c_ms = best_per_value(comp, test, repeat)
        d_ms = best_per_value(decomp, packed, repeat)
        print(f"  {name:<15} {ratio:>14.2f} {ratio_all:>10} {c_ms:>12.3f} {d_ms:>14.3f}")
    print(f"  {note}")


def source_of(name: str, url: str) -> str:
    """The source a run would file the page under: the site named in the file name, else the URL's host."""
    return name.split("__")[0] if "__" in name else urlsplit(url).hostname or name


def _store_all(pages, renew_every_plain: bool) -> tuple[list, float, int]:
    """Each page as db/bodies.py stores it, in order, a reference per source: (source, compression, data, body)
    rows, ms a page, references made. ``renew_every_plain``: the rule before (every page stored plain became
    its source's reference) instead of the shipped one (bodies.RENEW)."""
    refs: dict[str, bodies.Reference] = {}
    stored, made = [], 0
    t0 = time.perf_counter()
    for name, body, url in pages:
        src = source_of(name, url)
        compression, data, renew = bodies.compress(body, refs.get(src))
        if renew or (renew_every_plain and compression == bodies.ZSTD):
            refs[src] = bodies.Reference(sha256(body), body)
            made += 1
        stored.append((src, compression, data, body))
    return stored, (time.perf_counter() - t0) * 1000 / len(pages), made


def shipped(pages, repeat: int) -> None:
    """What db/bodies.py stores, page by page in file-name order as a run would meet them (a reference per
    source): all pages, and the sites with several pages; beside it, the rule before (a new reference for
    every page stored plain)."""
    before, b_ms, b_made = _store_all(pages, renew_every_plain=True)
    stored, c_ms, made = _store_all(pages, renew_every_plain=False)
    by_sha = {sha256(b): bodies.Reference(sha256(b), b) for rows in (before, stored) for _, comp, _, b in rows
              if comp == bodies.ZSTD}
    assert all(bodies.decompress(comp, data, by_sha.__getitem__) == b for rows in (before, stored)
               for _, comp, data, b in rows)
    d_ms = best_per_value(lambda x: bodies.decompress(x[1], x[2], by_sha.__getitem__), stored, repeat)
    seen: set[str] = set()
    later = []                                # the pages after the first of their source: a run's steady state
    for row in stored:
        if row[0] in seen:
            later.append(row)
        seen.add(row[0])
    plain = zstandard.ZstdCompressor(level=bodies.LEVEL)
    print(f"\npages, zstd {bodies.LEVEL} against a reference page of the same source (db/bodies.py, KEEP "
          f"{bodies.KEEP}, RENEW {bodies.RENEW}): compress {c_ms:.3f} ms/page (both tries), {made} references "
          f"made; decompress {d_ms:.3f} ms/page (reference in memory). Before (every page stored plain a new "
          f"reference): {b_ms:.3f} ms/page, {b_made} references made, ratio {_ratio(before):.2f} on all pages")
    for label, rows in (("all pages", stored), ("pages after the first of their source", later)):
        raw = sum(len(r[3]) for r in rows)
        print(f"  {label}: {len(rows)} pages, {raw:,} bytes: zstd {bodies.LEVEL} ratio "
              f"{raw / sum(len(plain.compress(r[3])) for r in rows):.2f}, shipped "
              f"{_ratio(rows):.2f} ({sum(r[1] != bodies.ZSTD for r in rows)} stored against "
              "a reference)")
    for src in sorted({r[0] for r in later}):
        rows = [r for r in stored if r[0] == src]
        if len(rows) > 2:
            print(f"    {src}: {len(rows)} pages ({sum(r[1] != bodies.ZSTD for r in rows)} against a reference), "
                  f"ratio {_ratio(rows):.2f}, before {_ratio([r for r in before if r[0] == src]):.2f}")


def _ratio(rows) -> float:
    return sum(len(r[3]) for r in rows) / sum(len(r[2]) for r in rows)


def demo_pages() -> list[tuple[str, bytes, str]]:
    """The pages bench/processing.py builds of the demo layouts (its default set, if built): each source's
    pages in order, named source__file so that source_of files them by source."""
    folder = ROOT / "bench" / "out" / "processing-demo-2000" / "pages"
    if not folder.is_dir():
        raise SystemExit(f"{folder} is not there: run bench/processing.py once to build it")
    return [(f"{d.name}__{f.name}", f.read_bytes(), "") for d in sorted(folder.iterdir())
            for f in sorted(d.glob("*.html"))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--demo", action="store_true", help="only the page bodies of bench/processing.py's demo "
                    "layouts (2,000 pages, ~4 KB of article each), as db/bodies.py stores them")
    args = ap.parse_args(argv)
    if args.demo:
        shipped(demo_pages(), args.repeat)
        return 0
    t0 = time.perf_counter()
    pages = corpus_pages()
    values = stored_values(pages)
    print(f"{len(pages)} corpus pages read and cleaned in {time.perf_counter() - t0:.1f} s "
          f"(zstandard {zstandard.__version__}, libzstd {zstandard.ZSTD_VERSION})")
    for kind, vals in values.items():
        table(kind, vals, args.repeat)
    shipped(pages, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
