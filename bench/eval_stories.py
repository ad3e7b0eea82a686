"""bench/eval_stories: stories (near-duplicate detection) on a labelled set of real text.

    .venv/bin/python bench/eval_stories.py [--threshold T] [--copies N] [--seed S] [--json]

Originals, all real text read where it is (never copied into the repository):
- the bodies and titles of the hand-labelled pages of ../shared/corpus/korean-news/text-dev (about 60
  articles of about 40 outlets);
- the demo's pages (pipeline/demo-pages, ten invented Jeonbuk articles), cleaned as a run cleans them;
- articles of 12 consecutive sentences (paragraphs of three) of the Korean–English news sentence pairs of
  ../shared/corpus/parallel: consecutive lines are wire news, so neighbouring articles are often on one topic.

Each original is re-published COPIES times (default 3) by code below, the way outlets edit a press release:
each copy applies two to four of these edits, chosen by a seeded generator -- a lead byline added
("(전주=뉴스1) 홍길동 기자 = "), a closing reporter line and e-mail, a paragraph dropped, two paragraphs
swapped, sentences of a paragraph reordered, the title rewritten (its words shuffled behind a tag such as
[단독], or replaced by its lede's first words), numbers changed, a quoted sentence replaced by another
article's sentence, a sentence of the outlet's own appended.

Every text is analysed by Kiwi (nlp.analyse) as the nlp stage analyses an article, and assigned to stories
in publication order by the code a run uses (pipeline/stories.Assigner). Pairwise precision and recall: over
all pairs of texts, a pair is positive when both come from one original, predicted positive when both are
in one story. Pairs of different originals whose top keywords overlap (3 of 5) are also counted apart: the
"same topic, different article" pairs.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))          # after the packages: bench/nlp.py must not shadow nlp/

from pipeline.corpus import require  # noqa: E402
from pipeline.stories import THRESHOLD, Assigner  # noqa: E402

BYLINES = ["(전주=뉴스1) 홍길동 기자 = ", "[전북일보=김민수 기자] ", "(군산=연합뉴스) 박지영 기자 = ",
           "【익산=뉴시스】이정훈 기자 = ", "[브레이크뉴스 전북=최영수 기자] "]
CLOSERS = ["홍길동 기자 hong@news1.kr", "김민수 기자 kms@jjan.kr", "<저작권자 © 전라일보 무단전재 및 재배포 금지>",
           "박지영 기자 jypark@yna.co.kr"]
TAGS = ["[단독]", "[속보]", "[종합]", "[포토]", "[전북]"]
OWN = ["이에 대해 지역 주민들은 대체로 환영하는 분위기다.", "관계자는 추가 일정은 추후 공지할 예정이라고 덧붙였다.",
       "한편 이번 행사에는 도민 수백 명이 참석했다."]


def originals() -> list[tuple[str, str, str]]:
    """(key, title, body) of every original: text-dev pages, demo pages, parallel articles."""
    from eval_text import load_pages
    out = []
    for page in load_pages():
        body = page.expected_body()
        if len(body) >= 200:
            out.append((f"text-dev/{page.key}", page.label.get("title") or "", body))
    from scrapers.clean import clean_page
    for f in sorted((ROOT / "pipeline" / "demo-pages").glob("*.html")):
        art = clean_page(f.read_bytes(), url=f"http://127.0.0.1/{f.name}")
        if art.body_text:
            out.append((f"demo/{f.name}", art.title or "", art.body_text))
    parallel = require("parallel")
    for split in ("dev", "test"):
        lines = [s.strip() for s in (parallel / f"korean-english-park.{split}.ko").read_text(
            encoding="utf-8").splitlines() if s.strip()]
        for i in range(0, len(lines) - 11, 12):
            sents = lines[i:i + 12]
            paras = [" ".join(sents[j:j + 3]) for j in range(0, 12, 3)]
            out.append((f"parallel/{split}/{i}", sents[0][:40], "\n".join(paras)))
    return out


_SENT = re.compile(r"(?<=[.!?다])\s+")


def _sentences(para: str) -> list[str]:
    return [s for s in _SENT.split(para) if s]


def edit(title: str, body: str, rng: random.Random, other_sentences: list[str]) -> tuple[str, str, list[str]]:
    """One outlet's re-publication of (title, body): two to four edits. Returns (title, body, edit names)."""
    paras = [p for p in body.split("\n") if p.strip()]
    names = rng.sample(["byline", "closer", "drop", "swap", "reorder", "title", "numbers", "quote", "own"],
                       rng.randint(2, 4))
    for name in names:
        if name == "byline":
            paras[0] = rng.choice(BYLINES) + paras[0]
        elif name == "closer":
            paras.append(rng.choice(CLOSERS))
        elif name == "drop" and len(paras) >= 4:
            paras.pop(rng.randrange(1, len(paras)))
        elif name == "swap" and len(paras) >= 3:
            i, j = rng.sample(range(len(paras)), 2)
            paras[i], paras[j] = paras[j], paras[i]
        elif name == "reorder":
            i = max(range(len(paras)), key=lambda k: len(_sentences(paras[k])))
            sents = _sentences(paras[i])
            if len(sents) >= 2:
                rng.shuffle(sents)
                paras[i] = " ".join(sents)
        elif name == "title":
            words = title.split()
            if len(words) >= 3 and rng.random() < 0.5:
                rng.shuffle(words)
                title = rng.choice(TAGS) + " " + " ".join(words)
            else:
                title = " ".join(paras[0].split()[:8])
        elif name == "numbers":
            paras = [re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), p) for p in paras]
        elif name == "quote":
            i = rng.randrange(len(paras))
            sents = _sentences(paras[i])
            quoted = [k for k, s in enumerate(sents) if "\"" in s or "“" in s] or list(range(len(sents)))
            if sents:
                sents[rng.choice(quoted)] = rng.choice(other_sentences)
                paras[i] = " ".join(sents)
        elif name == "own":
            paras.insert(rng.randrange(1, len(paras) + 1), rng.choice(OWN))
    return title, "\n".join(paras), names


def build_set(copies: int, seed: int) -> list[dict]:
    """The labelled texts: each original and its copies, with the original's key as label."""
    rng = random.Random(seed)
    origs = originals()
    pool = [s for _, _, b in origs for p in b.split("\n") for s in _sentences(p) if len(s) > 20]
    texts = []
    for key, title, body in origs:
        texts.append({"label": key, "title": title, "body": body, "edits": []})
        for _ in range(copies):
            t, b, names = edit(title, body, rng, pool)
            texts.append({"label": key, "title": t, "body": b, "edits": names})
    return texts


def analyse(texts: list[dict]) -> None:
    from nlp.analyse import Analyser
    analyser = Analyser(num_workers=-1)
    for i, a in analyser.analyse_many((i, t["body"], t["title"]) for i, t in enumerate(texts)):
        texts[i]["search_text"] = a.search_text
        texts[i]["keywords"] = [k for k, _ in a.keywords[:5]]


def evaluate(texts: list[dict], threshold: float, seed: int = 0) -> dict:
    """Assign the texts to stories in a shuffled publication order; pairwise precision and recall."""
    from nlp.shingles import signature
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    assigner = Assigner(threshold, days=3)
    story: dict[int, int] = {}
    t0 = time.perf_counter()
    for i in order:
        mh, n = signature(texts[i]["search_text"])
        matched, _ = assigner.match(mh, "2025-01-01", n)
        story[i] = story[matched] if matched is not None else i
        assigner.add(i, story[i], mh, "2025-01-01", n)
    ms = (time.perf_counter() - t0) * 1000 / len(texts)
    tp = fp = fn = 0
    topic_pairs = topic_fp = 0
    for i, j in itertools.combinations(range(len(texts)), 2):
        same = texts[i]["label"] == texts[j]["label"]
        pred = story[i] == story[j]
        tp += same and pred
        fp += pred and not same
        fn += same and not pred
        if not same and len(set(texts[i]["keywords"]) & set(texts[j]["keywords"])) >= 3:
            topic_pairs += 1
            topic_fp += pred
    return {"threshold": threshold, "texts": len(texts), "originals": len({t["label"] for t in texts}),
            "positive_pairs": tp + fn, "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0, "same_topic_pairs": topic_pairs,
            "same_topic_false_positives": topic_fp, "stories": len(set(story.values())), "ms_per_text": ms}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold", type=float, action="append", help="(repeatable) default: the shipped one")
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    texts = build_set(args.copies, args.seed)
    t0 = time.perf_counter()
    analyse(texts)
    print(f"analysed {len(texts)} texts in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for th in args.threshold or [THRESHOLD]:
        r = evaluate(texts, th, args.seed)
        if args.json:
            print(json.dumps(r))
        else:
            print(f"threshold {th:.2f}: {r['texts']} texts of {r['originals']} originals, {r['stories']} stories; "
                  f"pairwise precision {r['precision']:.3f}, recall {r['recall']:.3f} "
                  f"({r['positive_pairs']} positive pairs); same-topic pairs {r['same_topic_pairs']}, "
                  f"{r['same_topic_false_positives']} grouped; {r['ms_per_text']:.2f} ms a text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
