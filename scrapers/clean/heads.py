"""Heads, links and the page's own interface among a page's lines (page text; a leaf module: it works on body.py's
blocks by their fields and imports nothing of the cleaner but common.py).

Text that reads like furniture:

- A subhead: a short line opened by a heading bullet ('■ 포항·경주 관공서, 수능일 오전 11시 출근', '◇ 홍준표 …',
  '○ …') or a label head ('△중도일보= 지역대학 4차산업혁명을 이끌다'), with no sentence ending, that running text
  follows. It heads the paragraph under it: text, not a menu item, a photo caption or a headline before the
  article. A run of such lines with no text between them is a list or a deck, not subheads (genres.py).

Furniture written as text, or in the middle of it:

- The page's interface in full sentences: a confirmation dialog ('해당 댓글을 삭제하시겠습니까?', '이 기사를 스크랩
  하시겠습니까?'), a font-size preview ('이 글자크기로 변경됩니다.' and the sample paragraph under it, '(예시) …'), a
  print page's footer ('이 기사는 … 홈페이지에서 프린트 되었습니다.'). They end as sentences and name the page's
  parts: notices.
- A link line between two paragraphs: a label and an address only ('전문보기: http://yna.kr/…'), or a related
  heading glued to the related article's headline ('관련기사“1면 바뀐 거 아냐?” 중도일보 지면 …'): it leaves the
  text and costs the region little (an insert), the text goes on after it.

Bylines that read like neither: the name, one word of affiliation and the title ('윤소영 목포MBC 기자', '글 김윤경
본지 편집위원'), and a contributor's signature under the text, name and date ('허종진 / 2018.07.04 10:34:56').

A summary box above the text ('요약', a portal's three lines) repeats sentences of the article: a line that a
paragraph a few lines on holds inside it, or that comes again as it is two lines on or more, quote marks aside
('청춘, 안부' in the summary, ‘청춘, 안부’ in the text), its neighbour repeated too (a box is lines in a row; one
sentence printed twice is no box). A copy after a copyright line or a box is the page printing its article
twice: the first copy is then no summary.

Every pattern here is anchored at a line's start or end and has no nested quantifier: linear on any line.
"""
from __future__ import annotations

import re

from .common import NAME, REPORTER_TITLES

SUBHEAD = "subhead"
SUBHEAD_MAX = 80          # a subhead is a line of headline length
_HEAD_BULLET = re.compile(r"^\s*[■◆◇○●□▣◈]\s*(?=[^\s■◆◇○●□▣◈])")
_LABEL_HEAD = re.compile(r"^\s*△\s*[^\s=△]{1,12}\s*=\s*\S")      # '△중도일보= 제목': a paper, a source, a place
_TEXT_MIN = 40            # a line of the text this long is a paragraph even without its sentence ending

_CONFIRM = re.compile(r"(?:하|되|드리|주)?시겠습니까\s*\?\s*$")
_UI_WORDS = re.compile(r"댓글|기사|게시물|스크랩|삭제|신고|로그아웃|구독|공유|저장|인쇄|프린트")
CONFIRM_MAX = 40
_FONT_NOTICE = re.compile(r"^\s*(?:이\s*)?(?:글자|글씨|폰트)\s*(?:크기|사이즈)로\s*(?:변경|적용|설정)(?:됩니다|되었습니다|합니다)\.?\s*$")
_FONT_SAMPLE = re.compile(r"^\s*[(\[]\s*예시\s*[)\]]")
_PRINTED = re.compile(r"^\s*(?:이|본)\s*(?:기사|글|문서|게시물)[는은]\s.{0,100}?에서\s*(?:프린트|인쇄|출력)\s*(?:되었|됐|하였|했)습니다\.?\s*$")
UI_MAX = 200

_ADDRESS_LINE = re.compile(r"^\s*(?:[가-힣A-Za-z]{1,8}(?:\s[가-힣A-Za-z]{1,8})?\s*[:：]\s*)?https?://\S{1,300}\s*$")
# an image as markdown ('![alt](http://…/a.jpg)', the alt often the file's name): no text, and no caption of its own
_MARKDOWN_IMAGE = re.compile(r"^\s*!\[[^\n]{0,300}?\]\(\s*[^\s()]{1,500}\s*\)\s*$")
_GLUED_RELATED = re.compile(r"^\s*[\[(<]?\s*관련\s*(?:기사|뉴스)\s*[\])>]?\s*[“\"‘'「『<\[]")
RELATED_MAX = 80


def interface_sentence(line: str) -> bool:
    """A confirmation dialog, a font-size notice or a print footer: the page speaking of itself."""
    t = line.strip()
    if len(t) > UI_MAX:
        return False
    if len(t) <= CONFIRM_MAX and _CONFIRM.search(t):
        return bool(_UI_WORDS.search(t))
    return bool(_FONT_NOTICE.match(t) or _PRINTED.match(t))


def is_link_line(line: str) -> bool:
    """'전문보기: http://yna.kr/…', 'http://…': an address and at most a short label, no text."""
    return len(line) <= 320 and bool(_ADDRESS_LINE.match(line))


def _running(b) -> bool:
    return b.kind == "body" and (b.end == 1.0 or b.cont or len(b.text) >= _TEXT_MIN)


def _head_like(b) -> bool:
    return len(b.text) <= SUBHEAD_MAX and not b.end and bool(_HEAD_BULLET.match(b.text) or _LABEL_HEAD.match(b.text))


def head_lines(out: list) -> None:
    """Subheads, interface sentences and link lines (see the module's doc), on body.py's blocks."""
    for i, b in enumerate(out):
        if b.kind == "body":
            _furniture_line(out, i, b)
    for i, b in enumerate(out):
        if b.kind in ("body", "caption") and b.reason not in _KEEP and _head_like(b) and i + 1 < len(out) \
                and _running(out[i + 1]) and not (i and _head_like(out[i - 1])):
            b.kind, b.reason = "body", SUBHEAD


def _furniture_line(out: list, i: int, b) -> None:
    after = out[i + 1] if i + 1 < len(out) else None
    if interface_sentence(b.text):
        b.kind, b.reason = "notice", "the page's interface (dialog, font size, print footer)"
        if after is not None and after.kind == "body" and _FONT_SAMPLE.match(after.text):
            after.kind, after.reason = "notice", "the page's interface (font-size sample)"
    elif is_link_line(b.text):
        b.kind, b.reason = "insert", "link line"
    elif b.text.startswith("![") and _MARKDOWN_IMAGE.match(b.text):
        b.kind, b.reason = "insert", "image (markdown)"
    elif not b.end and len(b.text) <= RELATED_MAX and _GLUED_RELATED.match(b.text):
        b.kind, b.reason = "insert", "related link inside the text"


_KEEP = ("list item", "list item (between paragraphs)", "interview question", "speaker marker")


_QUOTES = str.maketrans("‘’“”", "\'\'\"\"")
SUMMARY_WINDOW = 6        # the text that repeats a summary's line is at most this many lines on
_MARKERS = ("copyright", "box")


def _repeat(out: list, i: int) -> int:
    """2: a paragraph a few lines on holds line i inside it; 1: a line two or more on is line i; 0: neither."""
    text = out[i].text
    t = text.translate(_QUOTES)
    for k, x in enumerate(out[i + 1:i + 1 + SUMMARY_WINDOW]):
        if x.kind in _MARKERS:
            return 0
        if t in x.text.translate(_QUOTES):
            if len(x.text) > len(text) + 20:
                return 2
            if k >= 1:
                return 1
    return 0


def summary_line(out: list, i: int) -> bool:
    """Line i is a summary box's line (see the module's doc)."""
    rep = _repeat(out, i)
    if rep != 1:
        return rep == 2
    return any(0 <= j < len(out) and out[j].kind in ("body", "boilerplate") and len(out[j].text) >= 20 and _repeat(out, j)
               for j in (i - 1, i + 1))


# --- bylines of other forms ------------------------------------------------------------------------------
_AFFILIATION = r"(?:본지|[가-힣]{0,6}[A-Za-z]{2,6}\d{0,2}|[가-힣]{1,8}(?:일보|신문|방송|뉴스|타임즈|투데이|저널))"
AFFILIATED_BYLINE = re.compile(r"^\s*(?:(?:글|사진|글·사진|글/사진)\s*[=:]?\s*)?(?P<name>" + NAME + r")\s+" + _AFFILIATION
                               + r"\s+" + REPORTER_TITLES + r"\s*$")
SIGNATURE = re.compile(r"^\s*(?P<name>" + NAME + r")\s*/\s*(?:19|20)\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


TWICE_MIN = 4              # a line printed twice in a row under running text, at least this long, is a photo's caption
PHOTO_TEXT_MIN = 40       # a photo's text printed over and under the headline is at least this long (a headline less)


def printed_twice_and_summaries(out: list) -> None:
    """Running text printed twice in a row is a photo's caption (over and under the photo); a sentence that a
    paragraph a few lines on repeats inside it is the summary above the article ('요약'), not its lede. Under running
    text, a line printed twice in a row with no sentence ending is a caption too ('가나항 전경' twice, a gallery)."""
    _gallery(out)
    for i, b in enumerate(out):
        if b.kind != "body" or b.end != 1.0 or len(b.text) < 20:
            continue
        if i + 1 < len(out) and out[i + 1].text == b.text:
            _caption_twice(out, i)
        elif i + 2 < len(out) and out[i + 2].text == b.text and len(b.text) >= PHOTO_TEXT_MIN and out[i + 1].kind == "body" \
                and not out[i + 1].end and 10 < len(out[i + 1].text) <= 120:     # not a headline around '상태바'
            b.kind, b.reason = "caption", "photo caption (its text printed again after the headline)"
        elif summary_line(out, i):
            b.kind, b.reason = "boilerplate", "summary (its text is repeated in the article)"


def _caption_twice(out: list, i: int) -> None:
    for x in (out[i], out[i + 1]):
        x.kind, x.reason = "caption", "photo caption (printed twice)"


def _gallery(out: list) -> None:
    """Under running text, a line printed twice in a row with no sentence ending: a photo's caption ('가나항 전경'
    twice, a gallery); above it, a headline printed twice."""
    seen = False
    for i, b in enumerate(out[:-1]):
        if seen and b.kind == "body" and b.end != 1.0 and not b.inner and len(b.text) >= TWICE_MIN \
                and out[i + 1].text == b.text:
            _caption_twice(out, i)
        seen = seen or (b.kind == "body" and b.end == 1.0)
