"""What a page's text shows above its article that is no headline, and a headline's own glued tail (page text;
round 14 of issue 13, from the titles missed or wrong on the tuning folders).

- A photo text signed with its credit after a slash ('… 정상에 올랐다. /가나필름 제공', '… 모습. /사진=가나시'): a
  caption, whatever its length; never the headline.
- A line that only names a person: the name and an affiliation in brackets ('홍길동 (가나제철소)'), or the name,
  an organisation and a post with the post's details in brackets ('홍길동 가나대학교 입학처장협의회장(나다대
  입학처장)'), or the name, an office and a public post ('홍길동 가나시의회 부의장'): who is interviewed, speaks
  or wrote, never the headline.
- A deck with no headline over it: the page's text opens with a line that opens with a figure ('10일 경영실장 및
  … 교체', '160개 오지마을 돌며 …', '2024년 가나축제 개최 앞서 …'), or with photo captions and then a line of
  headline length, and runs straight into the text, no date, byline or share row anywhere between: the stored
  text starts under a headline it does not show. A headline that opens with a figure sits over the page's
  furniture (its date line, its byline) or under a site's name; a headline sits over its photo, and what is
  under the photo's caption is the deck.
- A headline printed as a bullet item right over its date line ('• 가나시, 2023년 …' / '• 입력날짜 2023-…'):
  the headline without its bullet.
- A headline with the byline and a posting label glued after it ('… 스케치 2 홍길동 기자 승인'): the headline
  without them, the name to ``authors``.
- A byline with the copyright notice glued after it on a line of its own ('홍길동 객원기자 hong@… <저작권자 ⓒ …>'):
  the name to ``authors``.
- The rest of a posting line glued before the first paragraph of a page flattened to one line ('| 최종 수정
  2022.10.22 09:09 의견 0 경남 …'): it leaves the text.
- A speech's salutation above its first paragraph ('존경하는 가나시민 여러분!', '… 동료의원 여러분,'): the
  text's opening, not what is above it.
- A name that is a CMS account, not a person ('운영자 기자', '관리자'): no author.

Every pattern is anchored at a line's start or end, with bounded repeats and no nested quantifier: linear on any
line (tests/test_clean_round14.py times them on hostile lines).
"""
from __future__ import annotations

import re

from .classify import REPORTER_LINE, reporter_names
from .common import NAME
from .dates import weather_reading
from .genres import is_writer_line
from .stamps import wire_photo_caption

_CREDIT_TAIL = re.compile(r"(?:/\s*(?:사진\s*[=:]\s*)?[^/\s][^/]{0,24}\s*제공|/\s*사진\s*[=:]\s*[^/]{1,25})\s*$")
_CREDIT_TEXT = re.compile(r"[가-힣]{2}")
# '홍길동 (가나제철소)': three syllables (most names), an affiliation in brackets (not '(종합)', '(속보)', '(1보)')
_NAME_AFFILIATION = re.compile(r"^\s*[가-힣]{3}\s*\((?!\s*(?:종합|속보|단독|상보|사진|포토|영상|\d))[^()]{2,20}\)\s*$")
_BRACKETED_TAIL = re.compile(r"\s*\([^()]{1,30}\)\s*$")
# '홍길동 가나시의회 부의장': a name, an office and a public post (the speaker or writer under a headline)
_NAME_OFFICE_POST = re.compile(r"^\s*[가-힣]{3}\s+[가-힣A-Za-z0-9·]{2,20}(?:\s+[가-힣A-Za-z0-9·]{2,20})?\s+(?:부?의장|시장|군수|"
                               r"구청장|도지사|교육감|장관|차관|의원|위원장|총장|청장|이사장)\s*$")
_FIGURE_OPENING = re.compile(r"^\s*[\"'“‘]?\d")
_BULLET = re.compile(r"^\s*[•·]\s+(?=\S)")
_GLUED_BYLINE = re.compile(r"^(?P<title>.{6,200}?)\s+(?P<name>" + NAME + r")\s*(?:기자|특파원)\s*"
                           r"(?:승인|입력|등록|기사\s*입력|게재)\s*(?:[:：]\s*)?$")
ACCOUNTS = frozenset({"운영자", "관리자", "편집자", "편집부", "편집국", "웹마스터", "뉴스팀", "홈페이지", "사무국", "취재팀"})


def credit_caption(line: str) -> bool:
    """A photo text ending in its slash credit ('… 올랐다. /가나필름 제공'): a caption, not a headline."""
    t = line.strip()
    m = _CREDIT_TAIL.search(t) if len(t) <= 400 else None
    return bool(m) and bool(_CREDIT_TEXT.search(t[:m.start()]))


def person_line(line: str) -> bool:
    """A line naming a person only ('홍길동 (가나제철소)', '홍길동 가나대학교 …회장(나다대 입학처장)')."""
    t = line.strip()
    if len(t) > 80:
        return False
    if _NAME_AFFILIATION.match(t) or (_NAME_OFFICE_POST.match(t) and _office_post(t.split())):
        return True
    bare = _BRACKETED_TAIL.sub("", t)
    return bare != t and is_writer_line(bare)


# 시장 is a market and 의원 a clinic too: a post only after the body it serves ('가나시 시장', '가나시의회 의원')
# '국토부 신임 차관', '서울대 신임 총장', '가나도 제3대 교육감': an appointment's headline (review), no person
_APPOINTED = re.compile(r"^(?:신임|새|첫|차기|초대|현|전|前|제\d{1,3}대|\d{1,3}대)$")
_POST_OF = {"시장": ("시",), "의원": ("의회", "당", "힘", "국회")}


def _office_post(words: list[str]) -> bool:
    """Whether '_NAME_OFFICE_POST' words name a person: not when the first is a place ('전주시 남부 시장',
    '완주군 봉동 전통 시장': a market; found in review), nor a market's or clinic's name before 시장 or 의원."""
    if words[0][-1] in "시군읍면부청처회" or _APPOINTED.match(words[1]):   # (not 구 or 동: 홍길동, 이철구)
        return False
    after = _POST_OF.get(words[-1])
    return after is None or words[-2].endswith(after)


# a series' or section's tag alone on its line ('[청년이 미래다]', '【기획】'): the label over a headline, not one (round 18)
_TAG_ALONE = re.compile(r"^\s*(?:\[[^\[\]]{1,24}\]|【[^【】]{1,24}】|〈[^〈〉]{1,24}〉|<[^<>]{1,24}>)\s*$")


def not_a_headline(line: str) -> bool:
    """A photo text signed with its credit, a person's line, a wire photo's caption ('[가나=뉴스통신] 홍길동 기자 =
    … 있다. 2024.05.03. hong@…': on a photo-news page it was made the subtitle; review), a tag alone, a weather
    widget's reading."""
    return credit_caption(line) or person_line(line) or wire_photo_caption(line) or bool(_TAG_ALONE.match(line)) \
        or weather_reading(line)


def opens_with_figure(line: str) -> bool:
    """'10일 …', '160개 …', '2024년 …', '“3대 …': a deck's opening more than a headline's."""
    return bool(_FIGURE_OPENING.match(line))


def deck_without_headline(before: list[str], title: int, furniture, caption) -> bool:
    """The chosen headline is the page's first line and opens with a figure, or only photo captions
    (``caption(line)``) are above it, and nothing between it and the text is the page's furniture
    (``furniture(line)``: a date, a byline, a share row …): a deck over text whose headline the stored page does
    not show (a headline sits over its photo, not under the photo's caption; over the page's furniture).

    Two deck lines at the top ('가나시, 4일자로 … 공고' / '나다 시의원, 조례 제정 후 …') are left alone: that is
    also a headline and its deck over text with no furniture (stress_text.py's 'deck_under', 110 → 93 right)."""
    if any(furniture(x) for x in before[title + 1:]):
        return False
    if title:
        return all(caption(x) or credit_caption(x) for x in before[:title])
    return opens_with_figure(before[0])


def unbulleted(before: list[str], dated) -> list[str]:
    """A bullet item right over a date line ('• 제목' / '• 입력날짜 …') read without its bullet."""
    out = list(before)
    for i, line in enumerate(before[:-1]):
        m = _BULLET.match(line)
        if m and dated(before[i + 1].lstrip(" •·")):
            out[i] = line[m.end():]
    return out


def split_glued_byline(title: str) -> tuple[str, str]:
    """('… 스케치 2', '홍길동') of '… 스케치 2 홍길동 기자 승인'; (title, '') when nothing is glued."""
    m = _GLUED_BYLINE.match(title) if len(title) <= 260 else None
    if not m or m.group("name") in ACCOUNTS:
        return title, ""
    return m.group("title").strip(), m.group("name")


def people_only(names: list[str]) -> list[str]:
    """The names that are people's: a CMS account ('운영자', '관리자') is no author."""
    return [n for n in names if n not in ACCOUNTS]


_NOTICE = re.compile(r"[<(\[]?\s*(?:저작권자|Copyright|COPYRIGHT|ⓒ|©)")


def byline_before_notice(line: str) -> list[str]:
    """['홍길동'] of '홍길동 객원기자 hong@… <저작권자 ⓒ …>': a byline line with the notice glued after it."""
    m = _NOTICE.search(line) if len(line) <= 300 else None
    head = line[:m.start()].strip() if m else ""
    return reporter_names(head) if head and REPORTER_LINE.match(head) else []


_VOCATIVE = re.compile(r"여러분\s*[!！,]\s*$")
VOCATIVE_MAX = 160


def vocative(line: str) -> bool:
    """'존경하는 가나시민 여러분!', '… 공직자 여러분, … 동료의원 여러분!': a speech's salutation."""
    t = line.strip()
    return len(t) <= VOCATIVE_MAX and bool(_VOCATIVE.search(t))


_POSTING_RUN = re.compile(r"^\s*\|?\s*(?:최종\s*)?수정\s*(?:[:：]\s*)?\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                          r"\s*\|?\s*(?:(?:의견|댓글)\s*\d{1,5}\s*\|?\s*)?(?=\S)")


def strip_posting_run(line: str) -> tuple[str, str]:
    """('경남 …', '| 최종 수정 2022.10.22 09:09 의견 0') of a first paragraph that opens with the rest of a posting
    line; (line, '') when it does not."""
    m = _POSTING_RUN.match(line)
    if not m or len(line) - m.end() < 20:
        return line, ""
    return line[m.end():], line[:m.end()].strip()
