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
