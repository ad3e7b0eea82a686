"""A publisher's own English, appended to the Korean article after a notice (Break News runs Google's
translation under "아래는 위 기사를 구글 번역이 번역한 영문 기사의 '전문' 입니다."): title, subtitle, paragraphs."""
from __future__ import annotations

import re

from ..types import Article, PublisherTranslation, Removed
from .classify import COPYRIGHT, has_translation_notice
from .common import hangul_ratio

_ENGLISH_BYLINE_PREFIX = re.compile(r"^\s*[\[(][^\])]{0,80}=\s*(?:Reporter|Correspondent|Staff)\b[^\])]{0,60}[\])]\s*")
_ENGLISH_BYLINE_LINE = re.compile(r"(?:Reporter|Correspondent|By)\s+[A-Z][\w\s.-]+|\s*[A-Z][\w\s.]*=\s*(?:Reporter|Correspondent)\b.*")


def publisher_translation(lines: list[str], art: Article) -> PublisherTranslation | None:
    """The English of ``lines`` (the notice and what follows it); what is not part of it goes to removed.

    The English ends at the copyright line: what follows is the page's furniture."""
    english: list[str] = []
    ended = False
    for line in lines:
        if ended:
            art.removed.append(Removed(text=line, reason="after the publisher's translation"))
            continue
        if has_translation_notice(line):
            art.removed.append(Removed(text=line, reason="publisher translation notice"))
            continue
        if COPYRIGHT.search(line) and len(line) < 160:
            art.removed.append(Removed(text=line, reason="copyright line"))
            ended = bool(english)
            continue
        if hangul_ratio(line) > 0.3:
            art.removed.append(Removed(text=line, reason="not part of the English translation"))
            continue
        prefix = _ENGLISH_BYLINE_PREFIX.match(line)
        if prefix:                     # "[Break News Jeonbuk = Reporter Hong Gil-dong] Jeonju City …": keep the text
            art.removed.append(Removed(text=prefix.group().strip(), reason="English byline"))
            line = line[prefix.end():]
            if not line.strip():
                continue
        elif _ENGLISH_BYLINE_LINE.fullmatch(line):
            art.removed.append(Removed(text=line, reason="English byline"))
            continue
        english.append(line)
    if not english:
        return None
    title, rest = english[0], english[1:]
    subtitle = ""
    if rest and len(rest[0]) < 120 and not rest[0].endswith("."):
        subtitle, rest = rest[0], rest[1:]
    return PublisherTranslation(lang="en", title=title, subtitle=subtitle, body=rest)
