"""bench/export: sentence pairs/s and peak memory of `newspipe export` over 1,000,000 pairs.

    .venv/bin/python bench/export.py [--pairs 1000000] [--formats jsonl,tsv,tmx,moses]

Builds (once, cached in bench/out/) an archive of real Korean–English news sentence pairs
(bench/synth.py), then runs the real CLI in a child process per format and reports wall time
(process start included), pairs/s and the child's own peak RSS (wait4). Targets (issue 8): >= 50,000 pairs/s and
<= 100 MB peak for 1,000,000 pairs.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

SENTS = 20          # per article, + 1 title pair


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1_000_000)
    ap.add_argument("--formats", default="jsonl,tsv,tmx,moses,jsonl+dedupe",
                    help="comma-separated; FORMAT+dedupe adds --dedupe (one 64-bit hash kept per distinct pair)")
    args = ap.parse_args()
    articles = -(-args.pairs // (SENTS + 1))
    db = synth.cached(f"export-{articles}", articles, sents=SENTS)
    out = db.parent
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'format':<13} {'pairs':>10} {'seconds':>8} {'pairs/s':>10} {'peak RSS MB':>12} {'output MB':>10}")
    for name in args.formats.split(","):
        fmt, _, extra = name.partition("+")
        target = out / f"export.{fmt}"
        cmd = [sys.executable, "-m", "pipeline.cli", "--db", str(db), "export", "--format", fmt, "-o", str(target)]
        cmd += ["--dedupe"] if extra == "dedupe" else []
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=HERE.parent, stderr=subprocess.PIPE, text=True)
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)       # this child's own peak RSS
        secs = time.perf_counter() - t0
        if status != 0:
            sys.exit(f"{fmt}: {err.strip()}")
        n = int(err.split()[1])
        files = [target] if fmt != "moses" else [Path(f"{target}.ko"), Path(f"{target}.en")]
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"{name:<13} {n:>10,} {secs:>8.2f} {n / secs:>10,.0f} {usage.ru_maxrss / 1024:>12.0f} {size:>10.0f}")
        for f in files:
            f.unlink()


if __name__ == "__main__":
    main()
