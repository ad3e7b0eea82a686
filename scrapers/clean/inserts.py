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
"""
from __future__ import annotations

INSERT = "insert"
LIST_HEADLINES = 2        # headlines of the box's list between its heading and the text that resumes
HEADLINE_MAX = 60         # a headline of the list is at most this long and ends in no sentence
LABEL_MAX = 10            # an ad label ('광고', 'AD', '[광고]') is at most this long
PARAGRAPH_MIN = 40        # a line of the text this long is a paragraph even without a sentence ending


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
    """A box heading, at most two headlines of its list, then two paragraphs of running text in a row."""
    j = i + 1
    while j < len(out) and j - i - 1 < LIST_HEADLINES and _headline(out[j]):
        j += 1
    if j + 1 < len(out) and _running(out[j]) and _running(out[j + 1]):
        for x in out[i:j]:
            x.kind, x.reason = INSERT, "related box inside the text"


def _label_insert(out: list, i: int) -> None:
    """One or two labels ('광고', 'AD'), then a paragraph."""
    k = i + 1
    while k < len(out) and k - i < 2 and _label(out[k]):
        k += 1
    if k < len(out) and _paragraph(out[k]):
        for x in out[i:k]:
            x.kind, x.reason = INSERT, "ad or label inside the text"
