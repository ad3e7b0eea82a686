"""Photo news (사진 기사) in page text: a page whose only text is one photo text has that text for its article.

A photo news item prints its story as the photo's text ('▲ 가나시의회가 5일 … 신년 인사회를 열었다. 이 자리에서 …
말했다. /사진제공=가나시의회'): the line a caption's marker or its credit makes a caption is the whole article. The
scored classifier takes it for a caption (or cuts it into sentences and keeps one); when what it kept of the
article is nothing, or only pieces of that one photo text, the photo text is the article, without its marker and
credit. A page with running text of its own keeps its photo texts as captions.
"""
from __future__ import annotations

import re

from ..types import Article, Removed
from .classify import classify, sentence_end, strip_photo_credit
from .tails import fold

_MARK = re.compile(r"^\s*[▲△]\s*")
PHOTO_NEWS_MIN = 60        # a photo text that tells a story is a sentence or two, not a label ('▲ 가나시청 전경')


def _story(line: str, alone: bool) -> str:
    """The photo text without its marker and credit when it tells a story (it ends a sentence), else ''. On a page
    with no other text, a long '▲' item that ends in no sentence is the article too (an obituary: '▲홍길동씨 별세,
    … 발인 14일 오전 8시. ☎ 063-…')."""
    text, _ = strip_photo_credit(_MARK.sub("", line, count=1))
    if len(text) < PHOTO_NEWS_MIN:
        return ""
    return text if sentence_end(text) >= 0.7 or (alone and _MARK.match(line)) else ""


def photo_news(art: Article, lines: list[str]) -> int | None:
    """The article of a page whose only text is one photo text (see the module's doc), in place: the index of its
    line when it became the article (the headline is above it), else None. The line is read folded (full-width
    letters and signs as ASCII: tails.fold, one character for one) and its text kept in the page's characters."""
    alone = not art.body
    photos = {line for line in lines if classify(fold(line))[0] == "caption" and _story(fold(line), alone)}
    if len(photos) != 1:
        return None
    line = photos.pop()
    if not all(p in line for p in art.body):
        return None
    folded = fold(line)
    story = _story(folded, alone)
    start = folded.find(story)
    text = line[start:start + len(story)]
    if art.body == [text]:          # the classifier's photo-text rule took it whole already (body.py)
        return None
    credit = line[start + len(story):].strip()
    art.body = [text]
    art.captions = [c for c in art.captions if c.text not in line]
    art.removed = [r for r in art.removed if r.text not in line]
    if credit:
        art.removed.append(Removed(text=credit, reason="photo credit"))
    return lines.index(line)
