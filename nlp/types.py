"""Typed records produced by the nlp stage."""
from __future__ import annotations

import re

from dataclasses import dataclass, field


# Nouns too common in news to say anything: never keywords (nlp/gather.py), never related words (db/trends.py).
STOPWORDS = frozenset("""것 수 등 때 중 이 그 저 곳 바 데 측 뒤 앞 안 밖 위 아래 내 외 간 년 월 일 시 분 초 명 개 건 원 점 번 차 회 및
이번 지난 올해 작년 내년 최근 당시 관련 기자 오늘 어제 내일 이날 전날 경우 가운데 대해 통해 위해 이후 이전 현재 지금 모두 여러
사진 제공 뉴스 기사 무단 전재 배포 금지 저작권자""".split())


@dataclass
class Sentence:
    index: int
    para: int          # paragraph number in the stored body
    start: int         # character offsets into the stored Korean body
    end: int
    text: str
    morphs: list[tuple[str, str, int]] = field(default_factory=list)  # (form, tag, offset into body)


# In the Korean index, a noun of three or more syllables is also indexed reversed, behind this mark
# (a Hangul filler letter, which the FTS tokenizer keeps inside a token): a prefix query on the reversed
# form finds the nouns that END with a word, so 학생 finds 대학생 and 위원회 finds 선거관리위원회.
SUFFIX_MARK = "\u115f"
_HANGUL_WORD = re.compile(r"(?<!\S)[\uac00-\ud7a3]{3,}(?!\S)")     # a whole term of 3+ syllables


def with_suffixes(search_text: str) -> str:
    """The text the Korean index holds for an article's search text: its terms, then each distinct Hangul
    term of three or more syllables reversed behind SUFFIX_MARK -- the nouns and noun-like roots, not the
    verb and adjective lemmas (…다). Derived, so it is not stored (issue 19); a text that already carries
    reversed terms (stored before) is returned as it is, so an entry is always deleted with what it was
    indexed with."""
    if not search_text or SUFFIX_MARK in search_text:
        return search_text
    rev = [SUFFIX_MARK + t[::-1] for t in dict.fromkeys(_HANGUL_WORD.findall(search_text)) if t[-1] != "다"]
    return search_text + "".join(" " + r for r in rev)


@dataclass
class Analysis:
    sentences: list[Sentence]
    search_text: str                      # the content morphemes in order (the index adds: with_suffixes)
    keywords: list[tuple[str, int]]       # (noun, count), most frequent first
    entities: list[tuple[str, str]]       # (form, tag) of proper nouns
    version: str = ""
    # Each word (eojeol) of the article → its search terms as Kiwi analysed it there ("전주시는" → "전주시"),
    # so a search can analyse a query word the same way without loading Kiwi.
    forms: dict[str, str] = field(default_factory=dict)


# The morphemes of a sentence as the archive stores them (db/ keeps the text opaque): ``form/TAG@offset``
# joined by spaces, the offset into the stored body (전주/NNP@0 에서/JKB@2).
def unpack_morphs(packed: str) -> list[tuple[str, str, int]]:
    """(form, tag, offset) of each morpheme as archives before issue 19 stored them (form/TAG@offset); a malformed token is skipped."""
    out = []
    for tok in packed.split():
        form, _, rest = tok.rpartition("/")
        tag, _, off = rest.partition("@")
        if form and off.isdigit():
            out.append((form, tag, int(off)))
    return out
