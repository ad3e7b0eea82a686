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
