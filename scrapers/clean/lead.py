"""What leads a line of text: a lead byline or dateline (``(전주=뉴스1) 홍길동 기자 =``, ``[브레이크뉴스=홍길동
기자]``, ``[충북일보]``, ``【원주】``) and share-button labels run into it, taken off with what they name.
Split from classify.py, whose patterns they use (classify.py keeps what its families call)."""
from __future__ import annotations

import re

from .classify import _LEAD_TAG, _PIPE_LEAD, _SHARE_RX, BYLINE_PATTERNS
from .common import NAMES, REPORTER_TITLES, split_names

# '[outlet/writer]' before the text: an outlet's name, a slash, who wrote it (a reporter or a contributor)
_SLASH_LEAD = re.compile(r"^\s*\[(?P<outlet>[^\]/=]{1,14}(?:뉴스|일보|신문|방송|타임스|타임즈|투데이|미디어|저널|News))\s*/"
                         r"(?P<who>[^\]/=]{2,40})\]\s*(?=\S)")


# '[울진]울진군 조성희 부군수는 …': a place in square brackets that the lede names in its first words (a label
# such as '[단독]' or '[기고]' is no place the sentence then names)
_PLACE_TAG = re.compile(r"^\s*\[(?P<where>[가-힣]{2,4})\]\s*(?=\S)")
_PLACE_SEEN = 12
# '(진주/홍길동 기자) = 진주시는 …', '[제주/홍길동 기자] …', '【진주/홍길동 기자】', '진주/홍길동 기자 = …': a place,
# a slash and the reporter, in brackets or before '='
_PLACE_SLASH_LEAD = re.compile(r"^\s*[\[(【]?(?P<where>[가-힣]{2,6})\s*/\s*(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES
                               + r"\s*(?:[\])】]\s*=?|=)\s*")


def strip_byline_prefix(line: str) -> tuple[str, list[str], str, str]:
    """A lead byline or dateline off the start of a line.

    '(전주=뉴스1) 홍길동 기자 = 전주시가 …' → ('전주시가 …', ['홍길동'], '(전주=뉴스1) 홍길동 기자 =', '전주')."""
    for pat in BYLINE_PATTERNS:
        m = pat.match(line)
        if m and m.end() < len(line):
            names = split_names(m.group("name")) + ([m.group("name2")] if m.groupdict().get("name2") else [])
            where = (m.groupdict().get("where") or "").strip()
            rest = line[m.end():].strip()
            if rest:
                names, where = _place_before_slash(m.group("name"), names, rest, where)
                return rest, names, m.group(0).strip(), _place(where)
    m = _PIPE_LEAD.match(line)
    if m and len(line) - m.end() >= 8:
        return line[m.end():].strip(), split_names(m.group("name") or ""), m.group(0).strip(), ""
    m = _SLASH_LEAD.match(line)
    if m and len(line) - m.end() >= 8:         # '[여성종합뉴스/인천중부소방서 소방홍보팀장 이원호]올해도 …'
        who = re.match(r"(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES + r"$", m.group("who").strip())
        return line[m.end():].strip(), split_names(who.group("name")) if who else [], m.group(0).strip(), ""
    if placed := _place_slash_lead(line) or _place_tag(line):
        return placed
    m = _LEAD_TAG.match(line)
    if m and len(line) - m.end() >= 8:
        where = (m.group("where") or m.group("where2") or "").strip()
        return line[m.end():].strip(), [], m.group(0).strip(), _place(where)
    return line, [], "", ""


def _place_slash_lead(line: str) -> tuple[str, list[str], str, str] | None:
    """'(진주/홍길동 기자) = 진주지역 …': the place (two syllables, or one the lede names) and the reporter; of
    '(홍길동/김철수 기자) …' both are reporters."""
    m = _PLACE_SLASH_LEAD.match(line)
    if not m or len(line) - m.end() < 8:
        return None
    rest, where = line[m.end():].strip(), m.group("where")
    if len(where) == 2 or where in rest[:_PLACE_SEEN]:
        return rest, split_names(m.group("name")), m.group(0).strip(), _place(where)
    return rest, split_names(where + "/" + m.group("name")), m.group(0).strip(), ""


def _place_tag(line: str) -> tuple[str, list[str], str, str] | None:
    m = _PLACE_TAG.match(line)
    if m and m.group("where") in line[m.end():m.end() + _PLACE_SEEN] and len(line) - m.end() >= 8:
        return line[m.end():].strip(), [], m.group(0).strip(), m.group("where")
    return None


def _place_before_slash(raw: str, names: list[str], rest: str, where: str) -> tuple[list[str], str]:
    """'[가나투데이 금산/홍길동기자] 금산군농업기술센터는 …': a place of two syllables before the slash, which the
    lede names in its first words, is the dateline, not a second reporter (co-reporters are '홍길동/김철수')."""
    first = names[0] if len(names) >= 2 else ""
    if len(first) == 2 and raw.lstrip().startswith(first + "/") and first in rest[:_PLACE_SEEN] \
            and all(len(n) >= 3 for n in names[1:]):
        return names[1:], where or first
    return names, where


def _place(where: str) -> str:
    """'전주' of '(전주=뉴스1)'; nothing for an outlet's name ('[브레이크뉴스=…]')."""
    if not where or re.search(r"뉴스|일보|신문|경제|방송|매일|타임|투데이|미디어|저널|닷컴|포커스|TV|News", where):
        return ""
    return where if re.fullmatch(r"[가-힣·\s]{1,10}", where) else ""


_SHARE_WORD_AT = re.compile(r"\s*(?:" + _SHARE_RX.pattern + r")(?=\s)", re.I)


def strip_share_prefix(line: str) -> tuple[str, str]:
    """Share-button labels run into the text of a line ('카카오톡 페이스북 트위터 … 11일 오후 …')."""
    pos, count = 0, 0
    while True:
        m = _SHARE_WORD_AT.match(line, pos)
        if not m:
            break
        pos, count = m.end(), count + 1
    if count >= 2 and len(line) - pos >= 20:
        return line[pos:].strip(), line[:pos].strip()
    return line, ""
