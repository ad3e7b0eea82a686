"""bench/stress_text: the cleaner on variations of the TUNING pages of page text (never the test half).

    .venv/bin/python bench/stress_text.py [--extra DIR ...] [--pages] [--only NAME] [--titles]

Each tuning page of text-dev (and of every --extra folder) is scored as it is and as a variation a copied page
could come in: all its line breaks removed, every line break doubled, Windows line endings, no-break spaces,
full-width letters and digits, the headline removed, the furniture after the article moved above it, a
byline line put at the top, a photo caption without a marker before the text; and for article genres: a
writer's affiliation line above the text or a columnist's bio line under it, a bulleted menu and weather widget
above it, other articles' headlines as '▲' items right after it, a comment section whose comments end as
sentences after it, a related box whose items carry their lede sentences after it, an ad label or a '[관련기사]'
box with one headline between two of its paragraphs, a best-comments widget above it, a related box with its
ledes, an ad written as a sentence or a link line between two of its paragraphs, the page's interface in full
sentences after it (a dialog, a print footer) (none of them body), the text as an interview ('Q1. …' before
every paragraph), a list of appointments after it, a '■' subhead before every other paragraph, the stored text
cut off inside its last paragraph (those four change the expected body with them); and (round 9) a byline or
dateline glued to the start of the first paragraph ('(가나=다라뉴스) 홍길동 기자 = ', '[가나일보=홍길동 기자] ',
'가나일보 홍길동 기자 | ', '【가나=다라일보】 ') or a byline, an e-mail, a copyright line or a photo credit glued to the
end of the last ('/홍길동 기자', '홍길동 기자 hong@…', '저작권자 © …', '(제공: 가나군)', and (round 13) 'ⓒ가나포커스 홍길동기자'), where the labels allow it. The expected body is otherwise the page's labelled
body; tokens are compared after NFKC, so full-width characters count as what they are. A variation that loses
more than 0.05 of F1 on a page is a weakness.

Title variations (pages whose labelled headline is a line of their text): a section label and a breadcrumb
above the headline, the headline cut short with '..' in a breadcrumb above it, a page label above it, a deck
under it, the headline printed twice, (round 10) the headline set between dashes ('- 제목 -') and a deck that
opens with a dash ('- 부제') under it; each must still give the labelled headline. With the headline removed,
the title must not be a sentence of the body (empty, or a deck).
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
from scrapers.clean.classify import sentence_end  # noqa: E402

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


def _around_body(page, above: list[str], below: list[str]) -> str:
    a, b = _body_range(page)
    lines = page.lines
    return "\n".join(lines[:a] + above + lines[a:b + 1] + below + lines[b + 1:])


def writer_on_top(page) -> str:           # a contribution's writer line above the text (not body)
    return _around_body(page, ["가나소방서 다라119안전센터 소방장 홍길동"], [])


def writer_at_end(page) -> str:           # a columnist's bio line under the text (not body)
    return _around_body(page, [], ["홍길동 가나대학교 교수"])


def bullet_menu_on_top(page) -> str:      # a browser's copy of a menu and a weather widget (not body)
    return _around_body(page, ["• 홈", "• 정치", "• 사회", "  • 흐림서울 20.3℃", "  • 맑음부산 22.1℃", "  • 구름많음대구 21.0℃"], [])


def related_after(page) -> str:           # other articles' headlines as '▲' items right after the text (not body)
    return _around_body(page, [], ["▲ 가나시, 노인 버스 요금 지원 확대", "▲ 다라군 새 청사 준공식 열려",
                                   "▲ 마바구 주민자치회 공식 출범"])


_COMMENTS = ["전체댓글 2", "정말 좋은 소식이네요. 우리 동네에도 꼭 생겼으면 좋겠어요.", "2024-05-12 10:31",
             "행정이 이렇게 빨리 움직인 건 처음 봅니다. 앞으로도 응원하겠습니다."]
_RELATED_LEDES = ["관련기사", "가나시, 노인 버스 요금 지원 확대", "가나시가 노인 버스 요금 지원을 다음 달부터 확대한다고 밝혔다.",
                  "다라군 새 청사 준공식 열려", "다라군은 새 청사 준공식을 열고 본격적인 업무에 들어갔다고 전했다."]


_PREVIEW = ["다음 기사", "다라군, 새 청사 준공식 열고 본격 업무 시작",
            "다라군은 12일 새 청사 준공식을 열고 본격적인 업무에 들어갔다. 새 청사는 지하 1층 지상 6층 규모로, 민원실과 "
            "주민 쉼터, 도서관 등을 갖췄으며 군은 이날부터 모든 부서가 새 청사에서 업무를 본다고 밝혔다."]


def preview_after(page) -> str:           # the next article's headline and lede paragraph after the text (not body)
    return _around_body(page, [], _PREVIEW)


def comments_after(page) -> str:          # a comment section whose comments end as sentences, after the text (not body)
    return _around_body(page, [], _COMMENTS)


def related_ledes_after(page) -> str:     # a related box whose items carry their lede sentences (not body)
    return _around_body(page, [], _RELATED_LEDES)


def _inside_body(page, lines: list[str]) -> str:
    """Lines put between the body's paragraphs, halfway through it (after the first, on a one-line body)."""
    rng = [n for a, b in page.label["body_lines"] for n in range(a - 1, b) if page.lines[n].strip()]
    if len(rng) < 2:
        return page.text
    at = rng[len(rng) // 2]
    return "\n".join(page.lines[:at] + lines + page.lines[at:])


def ad_in_body(page) -> str:              # an ad label and its line between two paragraphs (not body)
    return _inside_body(page, ["광고", "AD"])


def related_in_body(page) -> str:         # a '관련기사' box with one headline between two paragraphs (not body)
    return _inside_body(page, ["[관련기사]", "가나시, 노인 버스 요금 지원 확대"])


def comments_before(page) -> str:         # a best-comments widget above the text, its comments full sentences (not body)
    return _around_body(page, _COMMENTS, [])


def related_ledes_in_body(page) -> str:   # a related box with its items' ledes between two paragraphs (not body)
    return _inside_body(page, _RELATED_LEDES)


def ad_sentence_in_body(page) -> str:     # an ad label and an ad written as a sentence between two paragraphs (not body)
    return _inside_body(page, ["광고", "가나은행 새 적금, 지금 가입하면 연 5% 금리 혜택을 드립니다."])


def link_in_body(page) -> str:            # a link line and a related heading glued to its headline inside the text (not body)
    return _inside_body(page, ["전문보기: http://example.kr/a1b2", "관련기사“다라군 새 청사 준공식 열려” 가나일보"])


def interface_after(page) -> str:         # the page's interface in full sentences after the text (not body)
    return _around_body(page, [], ["해당 댓글을 삭제하시겠습니까?", "이 기사를 스크랩 하시겠습니까?",
                                   "이 기사는 가나일보 홈페이지(ganailbo.kr)에서 프린트 되었습니다."])


# Round 9: boilerplate glued to the first or last paragraph (never body): the expected body stays the labelled one.
# Only where the labels allow it: no labelled strip already at that end of the line, and for an end glue a line
# that ends as a sentence (a glue after a cut-off line could be read as the text going on).
def _body_line(page, last: bool) -> int | None:
    rng = [n for a, b in page.label["body_lines"] for n in range(a - 1, b) if n < len(page.lines) and page.lines[n].strip()]
    if not rng:
        return None
    n = rng[-1] if last else rng[0]
    taken = {m["position"] for m in page.label.get("mixed_lines", []) if m["line"] == n + 1}
    if ("end" if last else "start") in taken or (last and sentence_end(page.lines[n]) < 0.7):
        return None
    return n


def _glued(page, text: str, last: bool) -> str:
    n = _body_line(page, last)
    if n is None:
        return page.text
    lines = list(page.lines)
    lines[n] = lines[n].rstrip() + " " + text if last else text + lines[n].lstrip()
    return "\n".join(lines)


def glued_wire_byline(page) -> str:       # '(가나=다라뉴스) 홍길동 기자 = ' before the first paragraph
    return _glued(page, "(가나=다라뉴스) 홍길동 기자 = ", last=False)


def glued_bracket_byline(page) -> str:    # '[가나일보=홍길동 기자] '
    return _glued(page, "[가나일보=홍길동 기자] ", last=False)


def glued_bar_byline(page) -> str:        # '가나일보 홍길동 기자 | ' (an online outlet's lead)
    return _glued(page, "가나일보 홍길동 기자 | ", last=False)


def glued_dateline(page) -> str:          # '【가나=다라일보】 ' (a place and outlet in lenticular brackets)
    return _glued(page, "【가나=다라일보】 ", last=False)


def glued_slash_byline(page) -> str:      # ' /홍길동 기자' after the last paragraph
    return _glued(page, "/홍길동 기자", last=True)


def glued_email(page) -> str:             # ' 홍길동 기자 hong@example.com'
    return _glued(page, "홍길동 기자 hong@example.com", last=True)


def glued_copyright(page) -> str:         # ' 저작권자 © 가나일보 무단전재 및 재배포 금지'
    return _glued(page, "저작권자 © 가나일보 무단전재 및 재배포 금지", last=True)


def glued_credit(page) -> str:            # ' (제공: 가나군)' (a photo's credit after a colon)
    return _glued(page, "(제공: 가나군)", last=True)


def glued_mark_credit(page) -> str:       # (round 13) ' ⓒ가나포커스 홍길동기자' (a photo text's © credit and photographer)
    return _glued(page, "ⓒ가나포커스 홍길동기자", last=True)


# Genre variations that change the body: (text, expected body)
_LIST = ["다음은 이날 인사 명단.", "◇총무과", "▲행정과장 홍길동 任 총무국장", "▲예산팀장 김철수 任 행정과장",
         "▲주무관 이영희 任 예산팀장"]


def as_interview(page) -> tuple[str, str]:
    """The text as an interview: a 'Q.' line before every paragraph."""
    a, b = _body_range(page)
    body = page.expected_body().splitlines()
    qa = [x for k, line in enumerate(body) for x in (f"Q{k + 1}. {k + 1}번째로 묻고 싶은 것은", line)]
    return "\n".join(page.lines[:a] + qa + page.lines[b + 1:]), "\n".join(qa)


def list_after(page) -> tuple[str, str]:
    """A list of appointments after the text, introduced by a line, as people news prints it."""
    return _around_body(page, [], _LIST), "\n".join(page.expected_body().splitlines() + _LIST)


def with_subheads(page) -> tuple[str, str]:
    """A bulleted subhead ('■ …') before every other paragraph of the text from its second on (subheads are body)."""
    a, b = _body_range(page)
    body = page.expected_body().splitlines()
    out = [x for k, line in enumerate(body) for x in ((f"■ {k // 2 + 1}번째 소제목, 주민 의견 모아", line) if k % 2 else (line,))]
    return "\n".join(page.lines[:a] + out + page.lines[b + 1:]), "\n".join(out)


def cut_off(page) -> tuple[str, str]:
    """The stored text ends inside the article's last paragraph (cut at two thirds of it), nothing after."""
    a, b = _body_range(page)
    body = page.expected_body().splitlines()
    last = body[-1][:len(body[-1]) * 2 // 3].rstrip() if body else ""
    if len(last) < 30:
        return page.text, page.expected_body()
    lines = page.lines[:b + 1]
    k = max(i for i, x in enumerate(lines) if x.strip())
    lines[k] = lines[k][:len(lines[k]) * 2 // 3].rstrip()
    return "\n".join(lines), "\n".join(body[:-1] + [last])


VARIATIONS = {f.__name__: f for f in (no_breaks, doubled, crlf, nbsp, fullwidth, no_title, tail_on_top,
                                      byline_on_top, bare_caption, writer_on_top, writer_at_end, bullet_menu_on_top,
                                      related_after, preview_after, comments_after, related_ledes_after,
                                      ad_in_body, related_in_body, comments_before, related_ledes_in_body,
                                      ad_sentence_in_body, link_in_body, interface_after, as_interview, list_after,
                                      with_subheads, cut_off, glued_wire_byline, glued_bracket_byline,
                                      glued_bar_byline, glued_dateline, glued_slash_byline, glued_email,
                                      glued_copyright, glued_credit, glued_mark_credit)}


def _title_at(page) -> int | None:
    title = (page.label.get("title") or "").strip()
    a, _ = _body_range(page)
    return next((i for i, x in enumerate(page.lines[:max(a, 0)]) if title and x.strip() == title), None)


def _around_title(page, above: list[str], below: list[str]) -> str:
    i, lines = _title_at(page), page.lines
    return "\n".join(lines[:i] + above + [lines[i]] + below + lines[i + 1:])


def section_above(page) -> str:
    return _around_title(page, ["홈 > 뉴스 > 사회", "사회"], [])


def cut_copy_above(page) -> str:
    t = page.lines[_title_at(page)].strip()
    return _around_title(page, ["홈 > 지역", t[:max(6, len(t) * 2 // 3)] + ".."], [])


def page_label_above(page) -> str:
    return _around_title(page, ["기사상세페이지"], [])


def deck_under(page) -> str:
    return _around_title(page, [], ["주민 의견 수렴 거쳐 내년 상반기 본격 추진"])


def title_twice(page) -> str:
    return _around_title(page, [page.lines[_title_at(page)]], [])


def title_in_dashes(page) -> str:           # (round 10) the headline set between dashes: '- 제목 -'
    i, lines = _title_at(page), page.lines
    return "\n".join(lines[:i] + [f"- {lines[i].strip()} -"] + lines[i + 1:])


def dashed_deck_under(page) -> str:         # (round 10) a deck that opens with a dash: '- 부제'
    return _around_title(page, [], ["- 주민 의견 수렴 거쳐 내년 상반기 본격 추진"])


TITLE_VARIATIONS = {f.__name__: f for f in (section_above, cut_copy_above, page_label_above, deck_under, title_twice,
                                            title_in_dashes, dashed_deck_under)}


def title_report(pages, only: str | None, show: bool) -> None:
    titled = [p for p in pages if _title_at(p) is not None]
    print(f"{len(titled)} pages whose headline is a line of their text; titles right as they are: "
          f"{sum(clean_text(p.text).title == p.lines[_title_at(p)].strip() for p in titled)}")
    for name, vary in TITLE_VARIATIONS.items():
        if only and name != only:
            continue
        wrong = [(p.key, clean_text(vary(p)).title) for p in titled]
        wrong = [(k, t) for (k, t), p in zip(wrong, titled) if t != p.lines[_title_at(p)].strip()]
        print(f"  {name:16s} titles right {len(titled) - len(wrong)}/{len(titled)}")
        for k, t in wrong if show else ():
            print(f"      {k:40s} got {t[:60]!r}")
    if not only or only == "no_title":
        body_titles = [p.key for p in titled if _body_title(clean_text(no_title(p)).title, p)]
        print(f"  {'no_title':16s} body sentence taken for the title: {len(body_titles)}/{len(titled)}")
        for k in body_titles if show else ():
            print(f"      {k}")


def _body_title(title: str, page) -> bool:
    return bool(title) and any(title in x or x in title for x in page.expected_body().splitlines() if len(x) >= 6)


def f1(text, page) -> float:
    text, expected = text if isinstance(text, tuple) else (text, page.expected_body())
    art = clean_text(text)
    return prf(unicodedata.normalize("NFKC", art.body_text), unicodedata.normalize("NFKC", expected))[2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", type=Path, action="append", default=[])
    ap.add_argument("--pages", action="store_true", help="list the pages a variation breaks")
    ap.add_argument("--only", help="one variation")
    ap.add_argument("--titles", action="store_true", help="the title variations instead of the body ones")
    args = ap.parse_args(argv)
    pages = [p for p in eval_text.load_pages() if p.half == "tune"] if eval_text.TEXT_DEV.is_dir() else []
    for folder in args.extra:
        pages += eval_text.load_extra(folder)
    if args.titles:
        title_report(pages, args.only, args.pages)
        return 0
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
