"""Text helpers every part of the cleaner shares (a leaf module: it imports nothing of the cleaner)."""
from __future__ import annotations

import re
import unicodedata

from scrapers.util.text import HANGUL  # noqa: F401  (re-exported to the cleaner)

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000\ufeff]+")

NAME = r"(?:[가-힣]{2,4}|[\u4e00-\u9fff]{2,4})"          # 홍길동, and in old articles the Hanja name (金敎盛)
# several reporters: 정윤희‧신혜원, 홍길동·김철수, 홍길동, 김철수
NAMES = NAME + r"(?:\s*[,·‧ㆍ/]\s*" + NAME + r"){0,7}"   # at most eight: bounded, a chain of 10,000 was quadratic
# A reporter's rank or beat before the title: '인턴기자', and written apart ('인턴 기자', 뉴시스) only before 기자; a senior
# writer's and a magazine's titles of their own ('홍길동 대기자', '홍길동 에디터'; round 18)
TITLE_PREFIXES = r"(?:선임|수석|객원|인턴|수습|전문|편집|취재|사진|영상|총괄|대기|명예|시민)"
REPORTER_TITLES = (r"(?:" + TITLE_PREFIXES + r"?(?:기자|특파원|논설위원|위원|통신원|PD|앵커|편집국장|편집장|주필|논설실장)|대기자|에디터"
                   r"|(?:선임|수석|객원|인턴|수습|전문|취재|사진|영상) 기자)")
# grouped: patterns embed EMAIL.pattern, and a bare alternation would split theirs ('기자 (hong@…)' failed).
# The local part is at most 64 characters (RFC 5321's limit): unbounded, a search tried every start of a long
# run of letters to its end (12,000 letters without '@' took 1 s, quadratic); now each start looks ahead 64.
EMAIL = re.compile(r"(?:[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+|\[email\s*protected\])", re.I)


def norm(text: str) -> str:
    """NFC, every run of white space (no-break and ideographic spaces too) one space, trimmed."""
    return unicodedata.normalize("NFC", _WS.sub(" ", text)).strip()


_SYLLABLE = re.compile("[가-힣]")


def hangul_ratio(text: str) -> float:
    """The share of Hangul syllables among the letters (every syllable is a letter)."""
    letters = sum(map(str.isalpha, text))
    return len(_SYLLABLE.findall(text)) / letters if letters else 0.0


def split_names(text: str) -> list[str]:
    """'정윤희‧신혜원' → ['정윤희', '신혜원']."""
    return [n for n in re.split(r"\s*[,·‧ㆍ/]\s*", text.strip()) if n]


def dedupe(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
