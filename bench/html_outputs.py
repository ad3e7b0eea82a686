"""bench/html_outputs: every field of the HTML cleaner's article for every HTML page of the corpus, saved or compared,
so that a change meant to be faster only can be shown to change no output.

    .venv/bin/python bench/html_outputs.py --save FILE        (write the outputs of this checkout)
    .venv/bin/python bench/html_outputs.py --compare FILE     (this checkout's against a saved file)

Pages: korean-news/*.html, korean-news-extra/*.html and the 181 pages of extraction-benchmark, each cleaned twice,
at its URL (the profile a run would use; eval_extraction's URLs) and with no URL (the profile guessed from the page,
and the unknown-layout path for every page). The comparison prints each page and field that differs and the
count of identical pages; exit 1 when any differs.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_extraction import BENCH, EXTRA, EXTRA_URLS, KOREAN, URLS  # noqa: E402
from scrapers.clean import clean_html  # noqa: E402


def pages() -> list[tuple[str, bytes, str]]:
    """(name, bytes, url) of every HTML page."""
    out = []
    for path in sorted(KOREAN.glob("*.html")):
        gt = next(iter(sorted((KOREAN / "ground-truth").glob(path.stem + ".*.json"))), None)
        url = (json.loads(gt.read_text(encoding="utf-8")).get("url") if gt else "") or URLS.get(path.stem) or (
            f"https://www.mk.co.kr/news/x/{path.stem.split('__')[1]}" if path.stem.startswith("mk.co.kr") else "")
        out.append((f"korean-news/{path.stem}", path.read_bytes(), url))
    for path in sorted(EXTRA.glob("*.html")):
        out.append((f"korean-news-extra/{path.stem}", path.read_bytes(), EXTRA_URLS.get(path.stem, "")))
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    for key, gt in sorted(truth.items()):
        out.append((f"benchmark/{key}", gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes()),
                    gt.get("url") or ""))
    return out


def outputs() -> dict[str, dict]:
    result = {}
    for name, html, url in pages():
        for key, u in ((name, url), (name + " (no URL)", "")):
            result[key] = dataclasses.asdict(clean_html(html, u, "text/html"))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, metavar="FILE")
    group.add_argument("--compare", type=Path, metavar="FILE")
    args = ap.parse_args()
    now = outputs()
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(now)} outputs saved to {args.save}")
        return
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = 0
    for key in sorted(set(before) | set(now)):
        a, b = before.get(key), now.get(key)
        if a == b:
            continue
        differ += 1
        fields = sorted(f for f in set(a or {}) | set(b or {}) if (a or {}).get(f) != (b or {}).get(f))
        print(f"DIFFERS {key}: {', '.join(fields) if a and b else 'missing on one side'}")
    print(f"{len(now) - differ} of {len(set(before) | set(now))} outputs identical (every field), {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
