"""Korean text helpers shared by the cleaner, the nlp stage, the translator's QA and the search."""
from __future__ import annotations

import re

HANGUL = re.compile(r"[가-힣]")                       # one precomposed Hangul syllable
HANGUL_OR_JAMO = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")      # a syllable or a compatibility jamo (ㅋㅋ, ㅠㅠ)
# Punctuation taken off the edges of a word (eojeol) before it is looked up or indexed: quotes, brackets,
# Korean corner brackets, sentence marks.
EDGE_PUNCT = "\"'“”‘’()[]{}<>《》〈〉「」『』.,!?:;·…~-=+*/|"


def has_hangul(text: str) -> bool:
    return HANGUL.search(text) is not None
