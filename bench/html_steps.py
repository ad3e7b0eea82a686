"""bench/html_steps: where the HTML cleaner's time goes, step by step, cold (as eval_extraction times it).

    .venv/bin/python bench/html_steps.py [--repeat N] [--pages korean|benchmark|all]

Each step of clean_html (decoding, parsing, metadata, the container's lines or trafilatura's, the line classifier,
...) is wrapped with a CPU-time counter (time.process_time: other processes on the machine do not count). Every
page is cleaned --repeat times with the line caches emptied first (eval_extraction's cold()); the run with the least
CPU time counts. Printed per group of pages (the Korean pages of korean-news and korean-news-extra at their URLs,
the 181 benchmark pages): the median total per page and each step's mean ms per page (indented: steps inside the
step above, already counted in it) with its share of the total.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scrapers.clean as clean  # noqa: E402
from eval_extraction import cold  # noqa: E402
from html_outputs import pages  # noqa: E402

# (name in scrapers.clean, depth): depth 1 inside the depth-0 step listed before it; a name this checkout lacks is
# left out (an older checkout's steps, to compare)
STEPS = [("decode_page", 0), ("decode_html", 0), ("_prepared", 0), ("looks_binary", 1), ("without_controls", 1),
         ("parse", 0), ("profile_for_url", 0), ("_profile_container", 0), ("script_payload", 0), ("metas", 0),
         ("jsonld", 0), ("_read_metadata", 0), ("_authors", 0), ("_container_lines", 0), ("_unknown_layout_tree", 0),
         ("unbox_headings", 1), ("_head_lines", 0), ("_unknown_layout_lines", 0), ("text_size", 1),
         ("trafilatura_lines", 1), ("generic_container", 1), ("lines_of", 1), ("classify_lines", 0),
         ("_head_date", 0)]


_spent: dict[str, float] = defaultdict(float)


def _timed(name, fn):
    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _spent[name] += time.process_time() - t0
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", choices=["korean", "benchmark", "all"], default="all")
    args = ap.parse_args()
    wrapped = [(name, depth) for name, depth in STEPS if callable(getattr(clean, name, None))]
    for name, _ in wrapped:
        setattr(clean, name, _timed(name, getattr(clean, name)))
    groups: dict[str, list] = {"Korean pages": [], "benchmark pages": []}
    for name, html, url in pages():
        groups["benchmark pages" if name.startswith("benchmark/") else "Korean pages"].append((html, url))
    if args.pages != "all":
        groups = {k: v for k, v in groups.items() if k.lower().startswith(args.pages)}
    for group, items in groups.items():
        totals, spent = [], defaultdict(float)
        for html, url in items:
            best = None
            for _ in range(max(1, args.repeat)):
                cold()
                _spent.clear()
                t0 = time.process_time()
                clean.clean_html(html, url, "text/html")
                total = time.process_time() - t0
                if best is None or total < best[0]:
                    best = (total, dict(_spent))
            totals.append(best[0] * 1000)
            for k, v in best[1].items():
                spent[k] += v * 1000
        n = len(items)
        mean = sum(totals) / n
        print(f"{group} ({n}): median {statistics.median(totals):.2f} ms CPU per page, mean {mean:.2f}")
        counted = 0.0
        for name, depth in wrapped:
            ms = spent.get(name, 0.0) / n
            counted += ms if depth == 0 else 0
            if ms >= 0.005:
                print(f"  {'  ' * depth}{name:<{24 - 2 * depth}} {ms:6.2f} ms  {100 * ms / mean:4.1f}%")
        print(f"  {'(the rest of clean_html)':<24} {mean - counted:6.2f} ms  {100 * (mean - counted) / mean:4.1f}%")


if __name__ == "__main__":
    main()
