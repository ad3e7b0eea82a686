"""Furniture inside the article's text: the text goes on after it (a leaf module: it works on body.py's blocks
by their fields and imports nothing of the cleaner).

A related box, a most-read heading or an ad label is where an article ends when it comes after the text; a
page also prints one between two paragraphs ('… 밝혔다. / [관련기사] / 가나시, 노인 버스 요금 지원 확대 / 이어
…'), and a scorer that takes every such heading for the end of the article loses the paragraphs after it. A
heading is an insert when a paragraph comes before it and, after it and at most two headlines of
its list, two paragraphs of running text follow in a row: a box at the end of an article is followed by its
headlines, by other articles' ledes one at a time between headlines ('headline / lede / headline / lede'), or by
nothing. An ad label ('광고', 'AD') between two paragraphs is an insert too. Inserts leave the text, as every
furniture line does, but they cost the region little and close nothing.

The other way round, text right after a box heading that outscores the article is other articles' text: readers'
comments, ledes of a related box, the next article's preview paragraph under its headline. On a page whose text
before the box (a short item, a photo's text) can be the article, body.py takes that instead.
"""
from __future__ import annotations

import re

INSERT = "insert"
LIST_HEADLINES = 2        # headlines of the box's list between its heading and the text that resumes
HEADLINE_MAX = 60         # a headline of the list is at most this long and ends in no sentence
LABEL_MAX = 10            # an ad label ('광고', 'AD', '[광고]') is at most this long
PARAGRAPH_MIN = 40        # a line of the text this long is a paragraph even without a sentence ending
_ARTICLE_END = ("byline", "copyright", "date")     # what closes an article's text
LEDE_ITEMS_MAX = 4        # items of headline and lede a related box between two paragraphs holds
AD_LINE_MAX = 100         # an ad's own line under its label is at most this long
COMMENT_MAX = 200         # a comment is at most this long; a longer line is text, and the section has ended
COMMENTS_MAX = 20         # a count above this is a total the page does not print in full: nothing is claimed
_AD_LABEL = re.compile(r"^\s*[\[(<]?\s*(?:광고|AD|Ad|ad|애드)\s*[\])>]?\s*$")
_OFFERS = re.compile(r"(?:드립니다|드려요|하세요|보세요|누리세요|받으세요|만나세요|신청하세요|문의하세요)\s*[.!]*\s*$")
_COUNT = re.compile(r"댓글\s*(" + "|".join(str(n) for n in range(COMMENTS_MAX, 0, -1)) + r")\s*개?\s*$")


def _running(b) -> bool:
    return b.kind == "body" and (b.end == 1.0 or b.cont)


def _paragraph(b) -> bool:
    """Running text, or a paragraph long enough to be one whatever its end ('…준비했으나 … 전한다')."""
    return _running(b) or (b.kind == "body" and len(b.text) >= PARAGRAPH_MIN)


def _headline(b) -> bool:
    return b.kind == "body" and not b.end and len(b.text) <= HEADLINE_MAX


def inserts_inside_text(out: list) -> None:
    """Mark the related boxes and ad labels printed between two paragraphs (kind ``insert``)."""
    for i in range(1, len(out) - 1):
        if not _paragraph(out[i - 1]):
            continue
        if out[i].kind == "box" and out[i].reason != "comment section":
            _box_insert(out, i)
        elif _label(out[i]):
            _label_insert(out, i)


def _label(b) -> bool:
    return b.kind in ("notice", "boilerplate") and len(b.text.strip()) <= LABEL_MAX


def _box_insert(out: list, i: int) -> None:
    """A box heading, at most two headlines of its list (or two to four items of headline and lede), then two
    paragraphs of running text in a row."""
    j = i + 1
    while j < len(out) and j - i - 1 < LIST_HEADLINES and _headline(out[j]):
        j += 1
    resumes = j + 1 < len(out) and _running(out[j]) and _running(out[j + 1])
    if not resumes:          # after items with ledes, the text's last paragraph and its byline are enough
        j = _items_with_ledes(out, i + 1)
        resumes = j is not None and j < len(out) and _running(out[j]) \
            and (j + 1 == len(out) or _running(out[j + 1]) or out[j + 1].kind in _ARTICLE_END)
    if resumes:
        for x in out[i:j]:
            x.kind, x.reason = INSERT, "related box inside the text"


def _items_with_ledes(out: list, j: int) -> int | None:
    """The line after two to four (headline, lede) items of a related box, None when there are fewer."""
    items = 0
    while items < LEDE_ITEMS_MAX and j + 1 < len(out) and _headline(out[j]) and _running(out[j + 1]):
        j, items = j + 2, items + 1
    return j if items >= 2 else None


def _label_insert(out: list, i: int) -> None:
    """One or two labels ('광고', 'AD'), then a paragraph. An ad's own line under its label, one short sentence
    that offers or asks ('… 혜택을 드립니다.', '… 만나보세요.'), goes with it when the text resumes after it."""
    k = i + 1
    while k < len(out) and k - i < 2 and _label(out[k]):
        k += 1
    if k + 1 < len(out) and _AD_LABEL.match(out[i].text) and len(out[k].text) <= AD_LINE_MAX and _OFFERS.search(out[k].text) \
            and _paragraph(out[k + 1]):
        k += 1
    if k < len(out) and _paragraph(out[k]):
        for x in out[i:k]:
            x.kind, x.reason = INSERT, "ad or label inside the text"


# --- a comment section's count: that many comments follow ---------------------------------------------------

def comments_by_count(out: list) -> None:
    """'전체댓글 2', '댓글 3개': the section's heading counts its comments, and that many short lines of text after it
    are comments wherever the section sits, above the text too, when their writers' names or times come with
    them (a line of date or byline among them or right after the last)."""
    for i, b in enumerate(out):
        m = _COUNT.search(b.text) if b.kind == "box" else None
        n, j, claimed, meta = (int(m.group(1)) if m else 0), i + 1, [], 0
        while len(claimed) < n and j < len(out) and out[j].kind not in ("box", "copyright"):
            if out[j].kind == "body" and len(out[j].text) > COMMENT_MAX:
                break
            claimed, meta = (claimed + [out[j]], meta) if out[j].kind == "body" else (claimed, meta + 1)
            j += 1
        meta += j < len(out) and out[j].kind in ("date", "byline")
        for x in claimed if meta else ():       # a count in a header row right above the text claims nothing:
            x.kind, x.reason = "boilerplate", "a comment (the section counts it)"    # comments carry a name or time


# --- text after a box heading that is not the article ------------------------------------------------------

AFTER_BOX_MAX = 200       # the short text after a box heading: comments, other articles' ledes,
AFTER_BOX_LINE = 80       # in short lines


def box_before(blocks: list, region: tuple[int, int]) -> int | None:
    """The box heading right before a region of other articles' text: short lines ('전체댓글 2 / 정말 좋은
    소식이네요. …', '관련기사 / headline / lede …'), or the one paragraph of the next article's preview under its
    headline ('다음 기사 / headline / lede'). When the page has text before the box (its best region, or its
    photo's text on a photo page), that is the article."""
    first, last = region
    lines = [len(b.text) for b in blocks[first:last + 1] if b.kind == "body"]
    short = sum(lines) <= AFTER_BOX_MAX and max(lines, default=0) <= AFTER_BOX_LINE
    k, headlines = first - 1, 0      # past a date or a byline, and a headline of the box's list
    while k >= 0 and first - k <= 3 and (blocks[k].kind in ("date", "byline", "boilerplate")
                                         or (blocks[k].kind == "body" and not blocks[k].end and len(blocks[k].text) <= 60)):
        headlines += blocks[k].kind == "body"
        k -= 1
    if not (short or (len(lines) == 1 and headlines)):
        return None
    return k if k >= 0 and blocks[k].kind == "box" else None


PREVIEW_SHARE = 0.35      # the text before a box is the article when it has this share of the preview's length


def outweighs(blocks: list, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether the text before a box can be the article rather than the one paragraph after it: a one-line lede
    above a '[관련기사]' box and the long paragraph under it ('[가나일보] 새해가 밝았다.' …) is the other way round.
    Short lines after a box (comments, ledes) never are the article."""
    size = [sum(len(b.text) for b in blocks[a:z + 1] if b.kind == "body") for a, z in (before, after)]
    lines = [len(b.text) for b in blocks[after[0]:after[1] + 1] if b.kind == "body"]
    return max(lines, default=0) <= AFTER_BOX_LINE or size[0] >= PREVIEW_SHARE * size[1]
