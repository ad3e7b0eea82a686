"""Photo credits: who took or gave a photo ('사진=홍길동 기자', '<경기도 제공>', '/뉴스1'), and a caption split from
its credit. A leaf of the cleaner (classify.py uses it; it uses nothing of the cleaner)."""
from __future__ import annotations

import re

from ..types import Caption

CREDIT = re.compile(
    r"\s*(?:[<\[(〈/]\s*)?(?:사진\s*(?:출처|제공|자료)?|자료\s*사진|그래픽|제공|출처|자료|영상\s*캡처)\s*[=:：]\s*([^>\])〉]*?)\s*[>\])〉]?"
    r"(?:\s*[©ⓒ]\s*[^©ⓒ]{0,30})?\s*$")
CREDIT_WORDS = ("사진", "자료", "그래픽", "제공", "출처", "영상")   # CREDIT or AGENCY_CREDIT finds none without one
# '<경기도 제공>', '(전주시 제공)': who gave the photo, at the end of its text
# without brackets, right after a sentence: '… 있다. 농협중앙회 대전지역본부 제공', '… 있다./경북도 제공'
BARE_AGENCY_CREDIT = re.compile(r"(?<=[.다])\s*/?\s*(?P<who>[가-힣A-Za-z0-9][가-힣A-Za-z0-9·()\s]{1,28}?)\s*제공\s*$")
AGENCY_CREDIT = re.compile(r"\s*[<(\[〈]\s*(?P<who>[^<>()\[\]〈〉=]{2,20}?)\s*제공\s*[>)\]〉]\s*$")
_PHOTO_SOURCE = re.compile(r"\s*/\s*(?:뉴스1|연합뉴스|뉴시스|[가-힣]{2,10}\s*제공)\s*$")


def split_caption(text: str) -> Caption:
    t = re.sub(r"^\s*(?:[▲△]|\|)\s*", "", text).strip()
    m = CREDIT.search(t)
    if m:
        credit = m.group(1).strip()
        return Caption(text=t[:m.start()].strip(), credit=credit)
    m = _PHOTO_SOURCE.search(t) or AGENCY_CREDIT.search(t)
    if m and m.re is AGENCY_CREDIT:
        return Caption(text=t[:m.start()].strip(), credit=m.group("who").strip())
    if m:
        return Caption(text=t[:m.start()].strip(), credit=m.group().strip(" /"))
    return Caption(text=t)


# A photo's credit or source standing alone on its line between paragraphs (round 18): who gave it ('(가나시 제공)',
# '/가나시 제공', '가나시청 전경 <가나시 제공>'), an outlet's file photo ('/가나일보 DB', '[가나일보 자료사진]', '(자료사진)'),
# a stock-photo agency ('게티이미지뱅크', '클립아트코리아'). Not a label ('[그래픽] …', '[포토] …'): that heads graphic and
# photo news too, as their headline.
# Bounded classes and literals: linear on any line.
_GIVEN = re.compile(r"^\s*[/(<\[〈]?\s*[가-힣A-Za-z0-9·]{1,20}(?:\s[가-힣A-Za-z0-9·]{1,20}){0,2}\s*제공\s*[)>\]〉]?\s*$"
                    r"|^[^.!?]{2,60}?\s[(<\[〈]\s*[가-힣A-Za-z0-9·]{1,20}(?:\s[가-힣A-Za-z0-9·]{1,20}){0,2}\s*제공\s*[)>\]〉]\s*$")
_FILE_PHOTO = re.compile(r"^\s*[/(<\[〈]?\s*(?:[가-힣A-Za-z0-9]{1,12}\s?)?(?:DB|자료\s?사진|사진\s?DB|포토\s?DB|자료\s?이미지)\s*[)>\]〉]?\s*$")
_STOCK = re.compile(r"^\s*[/(<\[〈]?\s*(?:사진\s*[=:]\s*)?[©ⓒ]?\s*(?:게티이미지(?:뱅크|코리아)?|gettyimages(?:bank|korea)?|클립아트코리아"
                    r"|이미지투데이|픽사베이|pixabay|셔터스톡|shutterstock|아이클릭아트|언스플래시|unsplash)\s*[)>\]〉]?\s*$", re.I)


_PARTICLE_END = re.compile(r"[가이을를은는에게의와로]$")      # not 과, 도: 복지정책과, 경북도


def lone_credit(t: str) -> bool:
    """A line that is only a photo's credit, source or label (see above): a caption, not text. A giver is a name,
    not words of a sentence ('정부가 예산을 제공': its words end in particles)."""
    if len(t) > 90:
        return False
    given = _GIVEN.match(t)
    if given and not any(_PARTICLE_END.search(w) for w in t[:t.rfind("제공")].split()[-3:]):
        return True
    return bool(_FILE_PHOTO.match(t) or _STOCK.match(t))
