"""bench/html_pair: the HTML cleaner of this checkout against another checkout's, page by page in alternation, cold.

    .venv/bin/python bench/html_pair.py --against DIR [--repeat N]

A machine shared with other work moves one run's median by a fifth from run to run; two runs one after the other
cannot tell 10% apart. Here two worker processes (this checkout's cleaner and DIR's) clean the same page in turn,
--repeat times each (the order alternating), with the line caches emptied first (eval_extraction's cold()); each
page's best CPU time (time.process_time) on each side counts. Printed for the Korean pages (korean-news and
korean-news-extra, at their URLs), the 181 benchmark pages and all: the medians and means of both sides, the ratio
of their sums, and the median of the pages' own ratios.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the worker imports the cleaner of its checkout first (sys.path[0]), then this checkout's page list
_WORKER = """
import sys, time
sys.path.insert(0, sys.argv[1])
import scrapers.clean
sys.path.insert(1, sys.argv[2])
from html_outputs import pages
from eval_extraction import cold
ps = pages()
print(len(ps), sum(not n.startswith("benchmark/") for n, _, _ in ps), flush=True)
for line in sys.stdin:
    _, html, url = ps[int(line)]
    cold()
    t0 = time.process_time()
    scrapers.clean.clean_html(html, url, "text/html")
    print(time.process_time() - t0, flush=True)
"""


def _worker(root: Path) -> tuple[subprocess.Popen, int, int]:
    proc = subprocess.Popen([sys.executable, "-c", _WORKER, str(root), str(ROOT / "bench")], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    n, korean = map(int, proc.stdout.readline().split())
    return proc, n, korean


def _ask(proc: subprocess.Popen, i: int) -> float:
    proc.stdin.write(f"{i}\n")
    proc.stdin.flush()
    return float(proc.stdout.readline()) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True, metavar="DIR", help="the other checkout")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not (args.against / "scrapers" / "clean").is_dir():
        raise SystemExit(f"html_pair: error: no scrapers/clean in {args.against}")
    (new, n, korean), (old, _, _) = _worker(ROOT), _worker(args.against.resolve())
    ours, theirs = [], []
    for i in range(n):
        best_new = best_old = float("inf")
        for r in range(max(1, args.repeat)):
            if r % 2:
                best_old, best_new = min(best_old, _ask(old, i)), min(best_new, _ask(new, i))
            else:
                best_new, best_old = min(best_new, _ask(new, i)), min(best_old, _ask(old, i))
        ours.append(best_new)
        theirs.append(best_old)
    for proc in (new, old):
        proc.stdin.close()
        proc.wait()
    print(f"CPU ms per page, best of {args.repeat}, this checkout against {args.against}:")
    for name, part in (("Korean pages", slice(0, korean)), ("benchmark pages", slice(korean, n)), ("all", slice(0, n))):
        a, b = theirs[part], ours[part]
        print(f"  {name + ':':<17} {statistics.median(a):6.2f} -> {statistics.median(b):6.2f} median, "
              f"{statistics.mean(a):6.2f} -> {statistics.mean(b):6.2f} mean; sums {sum(b) / sum(a):.3f}, "
              f"per page {statistics.median(y / x for x, y in zip(a, b)):.3f} (median of the ratios)")


if __name__ == "__main__":
    main()
