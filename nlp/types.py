"""Typed records produced by the nlp stage."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    index: int
    para: int          # paragraph number in the stored body
    start: int         # character offsets into the stored Korean body
    end: int
    text: str
    morphs: list[tuple[str, str, int]] = field(default_factory=list)  # (form, tag, offset into body)


# In the Korean search text, a noun of three or more syllables is also indexed reversed, behind this mark
# (a Hangul filler letter, which the FTS tokenizer keeps inside a token): a prefix query on the reversed
# form finds the nouns that END with a word, so 학생 finds 대학생 and 위원회 finds 선거관리위원회.
SUFFIX_MARK = "\u115f"


@dataclass
class Analysis:
    sentences: list[Sentence]
    search_text: str                      # normalised content morphemes for the Korean FTS index
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
