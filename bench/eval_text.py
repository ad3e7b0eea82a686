"""bench/eval_text (part of `make eval`): the cleaner on page *text*, as a browser copies it.

    .venv/bin/python bench/eval_text.py [--split tune|test|all] [--extra DIR] [--pages] [--json]

Pages: ../shared/corpus/korean-news/text-dev (about 60 real pages of about 40 outlets, labelled by hand in
each folder's labels.json; split.json fixes which outlets are for tuning and which for testing, by outlet)
and the project's own example page, ../shared/corpus/korean-news/text (expected output written by hand).

The expected body of a page is the non-blank lines of its `body_lines` with each `mixed_lines` strip
removed, joined by newlines; it is scored as the extraction benchmark scores bodies (F1 over bags of \\w+
tokens). Also checked: no `must_not` string left in the body, the title (exact, or empty where the page
has none: a body sentence taken for a title counts), the authors (as sets) and the date.

The keep-every-line baseline (the whole text as the body) is reported beside each half: a cleaner that
scores below it does worse than doing nothing. The test half is never used to tune.

`--extra DIR` (repeatable) also scores a folder of more pages labelled the same way (a `labels.json` in the
format of text-dev's, beside the page files), reported as its own "extra-tune" line: more tuning pages of
other outlets, kept outside the repository like the development set.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/

from eval_extraction import prf  # noqa: E402  (one scoring for HTML and page text)
from scrapers.clean import clean_text  # noqa: E402

from pipeline.corpus import CORPUS  # noqa: E402  ($NEWSPIPE_CORPUS, default ../shared/corpus)

TEXT_DEV = CORPUS / "korean-news" / "text-dev"
EXAMPLE = CORPUS / "korean-news" / "text" / "breaknews-jb__seed-20241017"
EXTRA = "extra-tune"
HALVES = ("tune", "test", EXTRA)


@dataclass
class Page:
    key: str                      # "a/01-ytn.txt"
    text: str
    label: dict
    half: str                     # tune | test | extra-tune

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def expected_body(self) -> str:
        lines = self.lines
        strips: dict[int, list[str]] = {}
        for m in self.label.get("mixed_lines") or []:
            strips.setdefault(m["line"], []).append(m["strip"])
        out = []
        for a, b in self.label["body_lines"]:
            for n in range(a, b + 1):
                line = lines[n - 1]
                for s in strips.get(n, []):
                    line = line.replace(s, "", 1)
                if line.strip():
                    out.append(line.strip())
        return "\n".join(out)


def load_pages() -> list[Page]:
    split = json.loads((TEXT_DEV / "split.json").read_text(encoding="utf-8"))
    half_of = {f: h for h in ("tune", "test") for f in split[h]["files"]}
    pages = []
    for folder in sorted(p for p in TEXT_DEV.iterdir() if p.is_dir()):
        for label in json.loads((folder / "labels.json").read_text(encoding="utf-8")):
            key = f"{folder.name}/{label['file']}"
            text = (folder / label["file"]).read_text(encoding="utf-8")
            pages.append(Page(key, text, label, half_of.get(key, "?")))
    return pages


def load_extra(folder: Path) -> list[Page]:
    """The pages of an extra folder of tuning pages (its labels.json lists them), as the half "extra-tune"."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [Page(f"{folder.name}/{label['file']}", (folder / label["file"]).read_text(encoding="utf-8"), label,
                 EXTRA) for label in labels]


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", s or "")).strip()


@dataclass
class Score:
    key: str
    half: str
    f1: float
    precision: float
    recall: float
    baseline: float
    title_ok: bool
    title_is_body: bool
    authors_ok: bool
    date_ok: bool | None
    left: list[str] = field(default_factory=list)     # must_not strings left in the body
    got_title: str = ""


def _date_ok(label: str | None, got: str | None) -> bool | None:
    if not label:
        return None
    digits = re.findall(r"\d+", label)
    if not got:
        return False
    want = "-".join(f"{int(d):02d}" for d in digits[:3])
    if not got.startswith(want):
        return False
    if len(digits) >= 5:
        return got[11:16] == f"{int(digits[3]):02d}:{int(digits[4]):02d}"
    return True


def score_page(page: Page) -> Score:
    art = clean_text(page.text)
    body = art.body_text
    true = page.expected_body()
    p, r, f = prf(body, true)
    _, _, base = prf(page.text, true)
    want_title = page.label.get("title")
    got_title = _norm(art.title)
    body_lines = {_norm(x) for x in true.splitlines()}
    title_is_body = bool(got_title) and any(got_title and (got_title == b or (len(got_title) > 15 and got_title in b))
                                            for b in body_lines)
    title_ok = got_title == _norm(want_title) if want_title else not got_title
    authors_ok = set(art.authors) == set(page.label.get("authors") or [])
    left = [s for s in page.label.get("must_not") or [] if s and s in body]
    return Score(page.key, page.half, f, p, r, base, title_ok, title_is_body, authors_ok,
                 _date_ok(page.label.get("published"), art.published_at), left, got_title)


def example_checks() -> list[tuple[str, bool, str]]:
    """The project's own example page against its hand-written expected output: (check, ok, detail)."""
    text = EXAMPLE.with_suffix(".txt").read_text(encoding="utf-8")
    exp = json.loads(EXAMPLE.with_suffix(".expected.json").read_text(encoding="utf-8"))
    art = clean_text(text)
    pt = art.publisher_translation
    caption = next((c for c in art.captions if exp["caption_contains"] in c.text), None)
    checks = [
        ("title", art.title == exp["title"], art.title),
        ("subtitle", art.subtitle == exp["subtitle"], art.subtitle),
        ("authors", art.authors == exp["authors"], str(art.authors)),
        ("published_at", art.published_at == exp["published_at"], str(art.published_at)),
        ("outlet", art.outlet == exp["outlet"], art.outlet),
        ("body (11 paragraphs exactly)", art.body == exp["body"], f"{len(art.body)} paragraphs"),
        ("caption with credit", caption is not None and exp["caption_credit_contains"] in caption.credit,
         f"{caption.credit if caption else 'no caption'}"),
        ("publisher title", pt is not None and pt.title == exp["publisher_translation"]["title"],
         pt.title if pt else "none"),
        ("publisher subtitle", pt is not None and pt.subtitle == exp["publisher_translation"]["subtitle"],
         pt.subtitle if pt else "none"),
        ("publisher body (11 paragraphs exactly)", pt is not None and pt.body == exp["publisher_translation"]["body"],
         f"{len(pt.body) if pt else 0} paragraphs"),
    ]
    left = [s for s in exp["must_not_appear_in_body"] if s in art.body_text]
    checks.append(("nothing of must_not in the body", not left, "; ".join(left)))
    return checks


def summarise(scores: list[Score]) -> dict:
    if not scores:
        return {}
    return {
        "pages": len(scores),
        "mean_f1": statistics.mean(s.f1 for s in scores),
        "min_f1": min(s.f1 for s in scores),
        "pages_below_0.90": sum(s.f1 < 0.90 for s in scores),
        "baseline_mean_f1": statistics.mean(s.baseline for s in scores),
        "boilerplate_left": sum(len(s.left) for s in scores),
        "titles_ok": sum(s.title_ok for s in scores),
        "body_taken_for_title": sum(s.title_is_body for s in scores),
        "authors_ok": sum(s.authors_ok for s in scores),
        "dates_ok": sum(bool(s.date_ok) for s in scores if s.date_ok is not None),
        "dates_labelled": sum(s.date_ok is not None for s in scores),
    }


def _load(args) -> list[Page] | str:
    """The pages to score, or the one-line reason they cannot be read."""
    pages = [p for p in load_pages() if args.split in ("all", p.half)] if TEXT_DEV.is_dir() else []
    for folder in args.extra:
        try:
            pages += load_extra(folder)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return f"--extra {folder}: cannot read its pages and labels.json ({exc.__class__.__name__}: {exc})"
    return pages


def _print_page(s: Score) -> None:
    flags = []
    if not s.title_ok:
        flags.append(f"title={s.got_title[:30]!r}")
    if s.title_is_body:
        flags.append("BODY AS TITLE")
    if not s.authors_ok:
        flags.append("authors")
    if s.date_ok is False:
        flags.append("date")
    if s.left:
        flags.append(f"left {s.left}")
    print(f"  {s.half:10} {s.key:26} F1 {s.f1:.3f} (P {s.precision:.3f} R {s.recall:.3f}) "
          f"baseline {s.baseline:.3f}  {' '.join(flags)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "test", "all"), default="all")
    ap.add_argument("--extra", type=Path, action="append", default=[], metavar="DIR",
                    help="also score this folder of pages labelled like text-dev (its labels.json), as 'extra-tune'")
    ap.add_argument("--pages", action="store_true", help="print every page, not only the summary")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not TEXT_DEV.is_dir() and not args.extra:
        print(f"skipped: no development set at {TEXT_DEV} (set NEWSPIPE_CORPUS)")
        return 0
    pages = _load(args)
    if isinstance(pages, str):
        print(f"error: {pages}", file=sys.stderr)
        return 2
    scores = [score_page(p) for p in pages]
    halves = {h: summarise([s for s in scores if s.half == h]) for h in HALVES}
    example = example_checks() if EXAMPLE.with_suffix(".txt").exists() else []
    if args.json:
        print(json.dumps({"halves": halves, "example": example,
                          "pages": [s.__dict__ for s in scores]}, ensure_ascii=False, indent=1))
        return 0
    print("== page text: korean-news/text-dev (body F1 over \\w+ tokens; baseline = keep every line)")
    if args.pages:
        for s in scores:
            _print_page(s)
    for half, m in halves.items():
        if not m:
            continue
        print(f"  {half:10}: {m['pages']} pages, mean F1 {m['mean_f1']:.3f} (min {m['min_f1']:.3f}, "
              f"{m['pages_below_0.90']} below 0.90), baseline {m['baseline_mean_f1']:.3f}; boilerplate strings left "
              f"{m['boilerplate_left']}; titles {m['titles_ok']}/{m['pages']} (body taken for title "
              f"{m['body_taken_for_title']}); authors {m['authors_ok']}/{m['pages']}; dates "
              f"{m['dates_ok']}/{m['dates_labelled']}")
    if example:
        ok = sum(c[1] for c in example)
        print(f"== the project's example page (korean-news/text): {ok}/{len(example)} checks")
        for name, good, detail in example:
            if not good or args.pages:
                print(f"  {'ok  ' if good else 'FAIL'} {name}: {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
