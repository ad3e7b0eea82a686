"""bench/stress_text: the cleaner on variations of the TUNING pages of page text (never the test half).

    .venv/bin/python bench/stress_text.py [--extra DIR ...] [--pages] [--only NAME]

Each tuning page of text-dev (and of every --extra folder) is scored as it is and as a variation a copied page
could come in: all its line breaks removed, every line break doubled, Windows line endings, no-break spaces,
full-width letters and digits, the headline removed, the furniture after the article moved above it, a
byline line put at the top, a photo caption without a marker before the text. The expected body is the
page's labelled body (the variation does not change it); tokens are compared after NFKC, so full-width
characters count as what they are. A variation that loses more than 0.05 of F1 on a page is a weakness.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

import eval_text  # noqa: E402
from eval_extraction import prf  # noqa: E402
from scrapers.clean import clean_text  # noqa: E402

_FULL = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


def _body_range(page) -> tuple[int, int]:
    rng = page.label["body_lines"]
    return (rng[0][0] - 1, rng[-1][1] - 1) if rng else (0, -1)


def no_breaks(page) -> str:
    return " ".join(x.strip() for x in page.lines if x.strip())


def doubled(page) -> str:
    return "\n\n".join(page.lines)


def crlf(page) -> str:
    return "\r\n".join(page.lines)


def nbsp(page) -> str:
    return page.text.replace(" ", "\u00a0")


def fullwidth(page) -> str:
    return "".join(_FULL.get(c, c) for c in page.text)


def no_title(page) -> str:
    title = page.label.get("title")
    return "\n".join(x for x in page.lines if not title or x.strip() != title.strip())


def tail_on_top(page) -> str:
    a, b = _body_range(page)
    lines = page.lines
    return "\n".join(lines[:a] + lines[b + 1:] + lines[a:b + 1])


def byline_on_top(page) -> str:
    a, _ = _body_range(page)
    lines = page.lines
    return "\n".join(lines[:a] + ["홍길동 기자 hong@example.com"] + lines[a:])


def bare_caption(page) -> str:
    a, _ = _body_range(page)
    lines = page.lines
    return "\n".join(lines[:a] + ["주민들이 새로 문을 연 도서관을 둘러보고 있다.", "홍길동 기자"] + lines[a:])


VARIATIONS = {f.__name__: f for f in (no_breaks, doubled, crlf, nbsp, fullwidth, no_title, tail_on_top,
                                      byline_on_top, bare_caption)}


def f1(text: str, page) -> float:
    art = clean_text(text)
    return prf(unicodedata.normalize("NFKC", art.body_text), unicodedata.normalize("NFKC", page.expected_body()))[2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", type=Path, action="append", default=[])
    ap.add_argument("--pages", action="store_true", help="list the pages a variation breaks")
    ap.add_argument("--only", help="one variation")
    args = ap.parse_args(argv)
    pages = [p for p in eval_text.load_pages() if p.half == "tune"] if eval_text.TEXT_DEV.is_dir() else []
    for folder in args.extra:
        pages += eval_text.load_extra(folder)
    base = {p.key: f1(p.text, p) for p in pages}
    print(f"{len(pages)} tuning pages; as they are: mean F1 {statistics.mean(base.values()):.3f}")
    for name, vary in VARIATIONS.items():
        if args.only and name != args.only:
            continue
        scores = {p.key: f1(vary(p), p) for p in pages}
        broken = sorted((k for k in scores if scores[k] < base[k] - 0.05), key=lambda k: scores[k])
        print(f"  {name:14s} mean F1 {statistics.mean(scores.values()):.3f}; pages losing > 0.05: {len(broken)}")
        if args.pages:
            for k in broken:
                print(f"      {k:40s} {base[k]:.3f} -> {scores[k]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
