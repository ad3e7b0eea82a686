"""bench/eval_extraction (`make eval`): body extraction scored as the Scrapinghub article-extraction
benchmark scores it, ours beside trafilatura, page by page, in one run.

    .venv/bin/python bench/eval_extraction.py [--pages korean|benchmark|all] [--quiet] [--cpu]
    .venv/bin/python bench/eval_extraction.py --html-dir DIR    (an outside folder: its pages and labels.json)

Score: precision, recall and F1 over the bags (multisets) of \\w+ tokens of the extracted body and the
ground truth (lower-cased). Korean pages: every page of ../shared/corpus/korean-news with a ground-truth
body (fundus and Scrapinghub JSON); the pages whose ground truth is only a list of substrings (Bakery)
are reported as substrings found. Then the 181 pages of ../shared/corpus/extraction-benchmark.
Also checked on the Korean pages: title, authors and published date against the ground truth.
trafilatura runs with include_comments=False.

Time per page is measured in a pass of its own after the scoring, ours and trafilatura's alike, each page
the best of --repeat runs (as timeit does: the minimum is the run least disturbed by the rest of the
machine), from the page's bytes to the extracted article; the median over pages is reported. --cpu times this
process's CPU time instead of the wall clock: on a machine busy with other work the wall clock of a page varies
several-fold between runs.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapers.clean import REPORTER_TITLES, clean_html  # noqa: E402
from scrapers.decode import decode_html  # noqa: E402

from pipeline.corpus import CORPUS  # noqa: E402  ($NEWSPIPE_CORPUS, default ../shared/corpus)
KOREAN = CORPUS / "korean-news"
BENCH = CORPUS / "extraction-benchmark"
_TOKEN = re.compile(r"\w+")
# The crawl URL of each Korean page (from korean-news/SOURCES.md), so the profile a run would use applies.
URLS = {
    "hankookilbo__A2025051516330004328": "https://www.hankookilbo.com/News/Read/A2025051516330004328",
    "hankookilbo__A2026012914320005196": "https://www.hankookilbo.com/news/article/A2026012914320005196",
    "hankookilbo__A2026071220290000630": "https://www.hankookilbo.com/news/article/A2026071220290000630",
    "breaknews__uid223140": "http://breaknews.com/sub_read.html?uid=223140&section=sc4",
    "goal.com-kr__3278894": "http://www.goal.com/kr/news/1794/3278894",
    "wsj-korea-realtime__20120801": "http://realtime.wsj.com/korea/2012/08/01/",
    "entermedia__idx8723": "http://entermedia.co.kr/news/news_view.html?idx=8723",
    "entermedia__idx8576": "http://entermedia.co.kr/news/news_view.html?idx=8576",
}


def prf(pred: str, true: str) -> tuple[float, float, float]:
    p, t = Counter(_TOKEN.findall(pred.lower())), Counter(_TOKEN.findall(true.lower()))
    tp = sum((p & t).values())
    if not p and not t:
        return 1.0, 1.0, 1.0
    prec = tp / sum(p.values()) if p else 0.0
    rec = tp / sum(t.values()) if t else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def ours(html: bytes, url: str):
    art = clean_html(html, url, "text/html")          # profile "auto": the URL decides, as in a run
    return art.body_text, art


def trafilatura_body(html: bytes) -> str:
    import trafilatura
    text, _ = decode_html(html, "text/html")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.extract(text, include_comments=False) or ""


def cold() -> None:
    """Forget the cleaner's per-line caches, so that a page's later runs are timed as cold as its first (a night's
    pages are each new to it)."""
    from scrapers.clean.classify import classify, strip_trailing_byline
    for f in (classify, strip_trailing_byline):
        getattr(f, "cache_clear", lambda: None)()


CLOCK = [time.perf_counter]      # --cpu: time.process_time (this process's CPU time: other work on the machine aside)


def best_ms(run, repeat: int, setup=lambda: None) -> float:
    best = float("inf")
    clock = CLOCK[0]
    for _ in range(repeat):
        setup()
        t0 = clock()
        run()
        best = min(best, (clock() - t0) * 1000)
    return best


def timing(pages: list[tuple[bytes, str]], repeat: int) -> tuple[list[float], list[float]]:
    """Per-page time of ours and of trafilatura, in a pass of their own (no scoring in between)."""
    return ([best_ms(lambda: ours(h, u), repeat, cold) for h, u in pages],
            [best_ms(lambda: trafilatura_body(h), repeat) for h, _ in pages])


def fix_fundus(gt: dict, html: bytes) -> tuple[dict, list[str]]:
    """The fundus ground truth with two known omissions of its mk.co.kr parser repaired, by rule, on any page.

    1. The deck (`div.midtitle_text`, shown under the headline) is the parser's own `summary` selector, and
       it is in the ground truth of five of the seven mk pages that have one; the two older files have no
       summary at all. Where the summary is empty and the page has the deck, its lines are added.
    2. Inline subheads (`div.border_org`) split an article into visible sections, but the parser's
       subheadline selector does not know them, so its one section has no headline. They are added.
    Returns the repaired ground truth and what was added (nothing for the other pages)."""
    import lxml.html
    doc = lxml.html.fromstring(decode_html(html, "text/html")[0])
    gt = copy.deepcopy(gt)
    body = gt.setdefault("body", {})
    fixes = []
    if not body.get("summary"):
        lines = []
        for box in doc.xpath("//div[@class='midtitle_text']"):
            parts = [box.text or ""] + [br.tail or "" for br in box.iter("br")]
            lines += [" ".join(x.split()) for x in parts if x.strip()]
        if lines:
            body["summary"] = lines
            fixes.append(f"deck of {len(lines)} line(s) added as summary")
    present = fundus_body(gt)
    heads = [" ".join(e.text_content().split()) for e in doc.xpath("//div[@class='border_org']")]
    heads = [h for h in heads if h and h not in present]
    if heads:
        body.setdefault("sections", []).insert(0, {"headline": heads, "paragraphs": []})
        fixes.append(f"{len(heads)} subhead(s) added")
    return gt, fixes


_AND_MORE = re.compile(r"\s*외\s*(\d+)\s*명$")
_TITLE_WORDS = re.compile(r"\s*" + REPORTER_TITLES + "$")


def authors_match(ours_: list[str], truth: list[str]) -> bool:
    """Names only, as the issue asks: '박준석 기자 외 1명' in the ground truth is 박준석 and one more name."""
    named, more = [], 0
    for entry in truth:
        m = _AND_MORE.search(entry)
        if m:
            more += int(m.group(1))
            entry = entry[:m.start()]
        named.append(_TITLE_WORDS.sub("", entry.strip()))
    return ours_[:len(named)] == named and len(ours_) == len(named) + more


def fundus_body(gt: dict) -> str:
    body = gt.get("body") or {}
    parts = list(body.get("summary") or [])
    for sec in body.get("sections") or []:
        parts += list(sec.get("headline") or []) + list(sec.get("paragraphs") or [])
    return "\n".join(parts)


def korean(quiet: bool) -> tuple[list[float], list[float], list[tuple[bytes, str]]]:
    rows, pages, meta_ok, meta_all = [], [], 0, 0
    fixed_rows: list[tuple[float, float]] = []
    print(f"{'Korean page':<36} {'ours F1':>8} {'P':>6} {'R':>6} {'trafil.':>8}  metadata")
    for gt_path in sorted((KOREAN / "ground-truth").glob("*.json")):
        stem, kind, _ = gt_path.name.rsplit(".", 2)
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        html = (KOREAN / f"{stem}.html").read_bytes()
        url = gt.get("url") or URLS.get(stem) or f"https://www.mk.co.kr/news/x/{stem.split('__')[1]}"
        text, art = ours(html, url)
        pages.append((html, url))
        traf = trafilatura_body(html)
        if kind == "bakery-expect":
            need = gt["must_include"]
            squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
            got = sum(squash(n) in squash(text) for n in need)
            caps = " ".join(c.text for c in art.captions)
            in_caps = sum(squash(n) in squash(caps) and squash(n) not in squash(text) for n in need)
            got_t = sum(squash(n) in squash(traf) for n in need)
            print(f"{stem:<36} {got}/{len(need)} substrings in the body"
                  + (f", {in_caps} more in the captions (a photo caption: moved out of the body by rule)"
                     if in_caps else "") + f" (trafilatura {got_t}/{len(need)})")
            continue
        true = fundus_body(gt) if kind == "fundus" else gt["articleBody"]
        p, r, f = prf(text, true)
        ft = prf(traf, true)[2]
        fixed, fixes = fix_fundus(gt, html) if kind == "fundus" else (gt, [])
        fixed_true = fundus_body(fixed) if fixes else true
        fixed_f = (prf(text, fixed_true)[2], prf(traf, fixed_true)[2])
        fixed_rows.append(fixed_f)
        checks = []
        if gt.get("title"):
            meta_all += 1
            ok = " ".join(art.title.split()) == " ".join(gt["title"].split())     # NBSP vs space aside
            meta_ok += ok
            checks.append("title " + ("ok" if ok else f"MISS {art.title!r}"))
        if gt.get("authors"):
            meta_all += 1
            ok = authors_match(art.authors, gt["authors"])
            meta_ok += ok
            checks.append("authors " + (("ok" if art.authors == gt["authors"] else f"ok ({art.authors} for {gt['authors']})")
                                        if ok else f"MISS {art.authors} != {gt['authors']}"))
        if gt.get("publishing_date"):
            meta_all += 1
            want = gt["publishing_date"][:16].replace(" ", "T")
            ok = (art.published_at or "")[:16] == want
            meta_ok += ok
            checks.append("date " + ("ok" if ok else f"MISS {art.published_at} != {want}"))
        rows.append((f, ft))
        flag = " <" if f < ft or f < 0.95 else ""
        print(f"{stem:<36} {f:>8.3f} {p:>6.3f} {r:>6.3f} {ft:>8.3f}{flag}  {'; '.join(checks)}")
        if fixes:
            print(f"{'':<4}repaired ground truth ({'; '.join(fixes)}): ours {fixed_f[0]:.3f}, "
                  f"trafilatura {fixed_f[1]:.3f}{' <' if fixed_f[0] < fixed_f[1] else ''}")
    ours_f = [a for a, _ in rows]
    traf_f = [b for _, b in rows]
    print(f"Korean, {len(rows)} pages with a ground-truth body: ours mean F1 {statistics.mean(ours_f):.3f} "
          f"(min {min(ours_f):.3f}), trafilatura {statistics.mean(traf_f):.3f}; pages below trafilatura: "
          f"{sum(a < b for a, b in rows)}; metadata exact {meta_ok}/{meta_all}")
    fo, ft_ = [a for a, _ in fixed_rows], [b for _, b in fixed_rows]
    print(f"  with the fundus ground truth repaired (fix_fundus): ours mean F1 {statistics.mean(fo):.3f} "
          f"(min {min(fo):.3f}), trafilatura {statistics.mean(ft_):.3f}; pages below trafilatura: "
          f"{sum(a < b for a, b in fixed_rows)}")
    return ours_f, traf_f, pages


def benchmark(quiet: bool) -> tuple[list[float], list[float], list[tuple[bytes, str]]]:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ours_f, traf_f, pages = [], [], []
    for key, gt in sorted(truth.items()):
        html = gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes())
        text, _ = ours(html, gt.get("url") or "")
        pages.append((html, gt.get("url") or ""))
        f = prf(text, gt["articleBody"])[2]
        ft = prf(trafilatura_body(html), gt["articleBody"])[2]
        ours_f.append(f)
        traf_f.append(ft)
        if not quiet:
            print(f"{key[:16]}  {f:.3f}  {ft:.3f}{'  <' if f < ft - 0.05 else ''}  {(gt.get('url') or '')[:70]}")
    print(f"extraction benchmark, {len(ours_f)} pages: ours mean F1 {statistics.mean(ours_f):.3f}, "
          f"trafilatura {statistics.mean(traf_f):.3f}")
    return ours_f, traf_f, pages


EXTRA = CORPUS / "korean-news-extra"
EXTRA_URLS = {
    "daejonilbo__mnews-1412361": "http://m.daejonilbo.com/mnews.asp?pk_no=1412361",
    "newstown__articleView-243722": "http://www.newstown.co.kr/news/articleView.html?idxno=243722",
    "donga__20131023-58406128": "http://news.donga.com/3/all/20131023/58406128/1",
    "daum-dailian__20240513125214547": "https://v.daum.net/v/20240513125214547",
    "daum-newsis__20240522083744972": "https://v.daum.net/v/20240522083744972",
    "sportschosun__2020082704301": "https://news.chosun.com/site/data/html_dir/2020/08/27/2020082704301.html",
    "naver-newstapa__607-0000001728": "https://n.news.naver.com/article/607/0000001728",
}


def extra() -> None:
    """korean-news-extra: HTML pages outside the main set, each checked against what its partial ground
    truth gives (a full body, a goose body, a title and summary substring, or a date)."""
    if not EXTRA.is_dir():
        print(f"korean-news-extra: skipped, no {EXTRA}")
        return
    print("HTML pages outside the main set (korean-news-extra, partial ground truth):")
    for stem, url in EXTRA_URLS.items():
        page = EXTRA / f"{stem}.html"
        if not page.exists():
            continue
        art = clean_html(page.read_bytes(), url, "text/html")
        checks = []
        gt_file = EXTRA / f"{stem}.gt.json"
        gt = json.loads(gt_file.read_text(encoding="utf-8")) if gt_file.exists() else {}
        goose = EXTRA / f"{stem}.goose3-expected.json"
        if goose.exists():
            truth = json.loads(goose.read_text(encoding="utf-8"))["expected"]["cleaned_text"]
            checks.append(f"body F1 {prf(art.body_text, truth)[2]:.3f} (goose3 body)")
        verbatim = gt.get("ground_truth_verbatim") or {}
        if isinstance(verbatim.get("content"), str):
            checks.append(f"body F1 {prf(art.body_text, verbatim['content'])[2]:.3f} (magic-html body, captions and "
                          f"deck included)")
        for item in verbatim.values():
            if isinstance(item, dict) and "date" in item:
                checks.append(f"date {'ok' if (art.published_at or '').startswith(item['date']) else 'MISSED'} "
                              f"({art.published_at} for {item['date']})")
        partial = gt.get("ground_truth") or {}
        if "title_contains" in partial:
            checks.append(f"title {'ok' if partial['title_contains'] in art.title else 'MISSED'}")
        if "summary_contains" in partial:
            checks.append(f"summary {'ok' if partial['summary_contains'] in art.body_text else 'MISSED'}")
        print(f"  {stem:34} {'; '.join(checks)}; authors {art.authors}; outlet {art.outlet!r}"
              + (f"; dateline {art.dateline}" if art.dateline else ""))


def labelled_dir(folder: Path) -> None:
    """An outside folder of saved HTML pages with hand labels (`labels.json`: a list of {file, url, title,
    published, authors, body: [paragraphs as the reader sees them]}), scored as the Korean pages are: body F1
    (ours beside trafilatura), title, date (to the minute) and author names."""
    labels_path = folder / "labels.json"
    if not labels_path.is_file():
        raise SystemExit(f"eval_extraction: error: no labels.json in {folder}")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    rows, titles, dates, authors = [], [], [], []
    print(f"{'page':<28} {'ours F1':>8} {'P':>6} {'R':>6} {'trafil.':>8}  metadata")
    for lab in labels:
        html = (folder / lab["file"]).read_bytes()
        text, art = ours(html, lab.get("url") or "")
        true = "\n".join(lab["body"])
        p, r, f = prf(text, true)
        ft = prf(trafilatura_body(html), true)[2]
        rows.append((f, ft))
        checks = []
        if lab.get("title") is not None:
            titles.append(" ".join(art.title.split()) == " ".join(lab["title"].split()))
            checks.append("title " + ("ok" if titles[-1] else f"MISS {art.title!r}"))
        if lab.get("published"):
            dates.append((art.published_at or "")[:16] == lab["published"][:16])
            checks.append("date " + ("ok" if dates[-1] else f"MISS {art.published_at}"))
        if lab.get("authors") is not None:
            authors.append(authors_match(art.authors, lab["authors"]))
            checks.append("authors " + ("ok" if authors[-1] else f"MISS {art.authors} != {lab['authors']}"))
        print(f"{lab['file']:<28} {f:>8.3f} {p:>6.3f} {r:>6.3f} {ft:>8.3f}{' <' if f < 0.90 else ''}  "
              + "; ".join(checks))
    if not rows:
        print(f"{folder.name}: no labelled pages")
        return
    o, t = [a for a, _ in rows], [b for _, b in rows]
    print(f"{folder.name}, {len(rows)} pages: ours body F1 mean {statistics.mean(o):.3f} (min {min(o):.3f}, "
          f"{sum(x < 0.90 for x in o)} below 0.90), trafilatura {statistics.mean(t):.3f} (min {min(t):.3f}); "
          f"titles {sum(titles)}/{len(titles)}, dates {sum(dates)}/{len(dates)}, authors {sum(authors)}/{len(authors)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", choices=["korean", "benchmark", "all"], default="all")
    ap.add_argument("--quiet", action="store_true", help="no per-page lines for the 181 benchmark pages")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per page; the best counts (default 3)")
    ap.add_argument("--cpu", action="store_true",
                    help="time with this process's CPU time instead of the wall clock (a machine busy with other work)")
    ap.add_argument("--html-dir", type=Path, metavar="DIR",
                    help="score only this outside folder of saved pages with a labels.json, and stop")
    args = ap.parse_args()
    if args.cpu:
        CLOCK[0] = time.process_time
    if args.html_dir:
        labelled_dir(args.html_dir)
        return
    groups = []
    if args.pages in ("korean", "all"):
        groups.append(("Korean pages", korean(args.quiet)[2]))
    if args.pages in ("korean", "all"):
        extra()
    if args.pages in ("benchmark", "all"):
        groups.append(("benchmark pages", benchmark(args.quiet)[2]))
    print(f"time per page (best of {args.repeat} runs each, median over pages{', CPU time' if args.cpu else ''}):")
    all_ours: list[float] = []
    all_traf: list[float] = []
    for name, pages in groups:
        o, t = timing(pages, max(1, args.repeat))
        all_ours += o
        all_traf += t
        print(f"  {name + ':':<17} ours {statistics.median(o):5.1f} ms (max {max(o):.0f}), "
              f"trafilatura {statistics.median(t):5.1f} ms")
    print(f"  {'all:':<17} ours {statistics.median(all_ours):5.1f} ms (target <= 15 ms), "
          f"trafilatura {statistics.median(all_traf):5.1f} ms")


if __name__ == "__main__":
    main()
