"""What the analysis of one article gathers from Kiwi's tokens, paragraph by paragraph (nlp/analyse.py streams
them): sentences, morphemes, search terms, keyword nouns, proper nouns and word forms. This runs on the main
thread once a token, beside Kiwi's workers on the other cores, so each Python operation a token costs counts
(bench/processing.py); the results are those of analyse's term_offsets and forms_of_terms."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scrapers.util.text import EDGE_PUNCT, HANGUL

from .types import STOPWORDS, Analysis, Sentence

NLP_VERSION = "2"

CONTENT_TAGS = {"NNG", "NNP", "NR", "SL", "SH", "XR", "SN"}
STEM_TAGS = {"VV", "VA", "XSV", "XSA", "VV-R", "VV-I", "VA-R", "VA-I", "XSA-I", "XSA-R", "XSV-I", "XSV-R"}


def _morphs(tokens, offset: int = 0) -> list[tuple[str, str, int]]:
    """(form, tag, offset) of each token. Kiwi's built-in multi-word entries carry a space in their form
    (미국 환경보호국/NNP, 전북현대 모터스/NNP): they come out as one morpheme per word, each at its own
    offset, so every form is one word and 환경보호국 is found as itself."""
    out = []
    for t in tokens:
        form = t.form
        if " " not in form:
            out.append((form, t.tag, offset + t.start))
            continue
        words = form.split()
        gap = 1 if t.len >= len(form) else 0      # the text has the spaces too, or none of them
        pos = offset + t.start
        for w in words:
            out.append((w, t.tag, pos))
            pos += len(w) + gap
    return out


# What a morpheme's tag makes of it (_Article.add): a search term as it is, lower-cased (SL), or as a lemma
# (stems + 다); a noun as well (keyword counts), a proper noun as well (entities). Tags not here: no term.
_TERM, _LOWER, _STEM, _NOUN, _PROPER = range(5)
_KIND = {tag: _TERM for tag in CONTENT_TAGS} | {tag: _STEM for tag in STEM_TAGS} | {
    "SL": _LOWER, "NNG": _NOUN, "NNP": _PROPER}


@dataclass
class _Article:
    """What the analysis of one article gathers while its paragraphs stream out of Kiwi."""
    key: object
    remaining: int                                   # paragraphs still to come
    sentences: list[Sentence] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    nouns: Counter = field(default_factory=Counter)  # keyword counts (title nouns count twice)
    entities: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)
    morphs: bool = True                              # False: sentences without their morphemes (see add_terms)

    def add(self, tokens, text: str, fed: str, para: int | None = None, offset: int = 0) -> None:
        """Kiwi's tokens of one paragraph (``para``; None: the title, whose nouns count twice), stored as ``text``
        at ``offset`` in the body, fed to Kiwi as ``fed``: its sentences (grouped by ``sent_position``, as
        split_into_sents does), morphemes, terms, nouns and word forms, in one pass over the tokens (on the main
        thread, beside Kiwi's workers: every Python operation a token costs counts). Each term goes to its
        word (the run of non-spaces of ``fed`` around it, tabs as spaces) as it comes, as forms_of_terms would
        place it: a paragraph's words are read from all its terms, the title's sentence by sentence (a word
        across two sentences of the title keeps the first one's terms)."""
        if not self.morphs:
            return self.add_terms(tokens, text, fed, para, offset)
        nt = fed.replace("\t", " ")
        words = _Words(nt)
        title = para is None
        kind_of, terms, nouns, proper = _KIND.get, self.terms, [], []
        term_add, noun_add, proper_add = terms.append, nouns.append, proper.append
        first = last = None
        sent = -1
        morphs: list[tuple[str, str, int]] = []
        wstart = wend = -1                   # the word of the previous term, and its terms
        wts: list[str] = []
        for t in tokens:
            if t.sent_position != sent:
                if first is not None:
                    morphs = self._sentence(morphs, para, offset, text, first.start, last.end, words)
                    wstart = wend = -1
                first, sent = t, t.sent_position
            last = t
            form = t.form
            if " " in form:                  # a multi-word entry: one morpheme a word (see _morphs)
                for f, g, o in _morphs((t,), offset):
                    morphs.append((f, g, o))
                    self._term(f, g, o - offset, words, nouns, proper)
                wstart = wend = -1
                continue
            tag, rel = t.tag, t.start
            morphs.append((form, tag, offset + rel))
            kind = kind_of(tag)
            if kind is None:
                continue
            term = form.lower() if kind == _LOWER else form + "다" if kind == _STEM else form
            term_add(term)
            if kind >= _NOUN:
                noun_add(form)
                if kind == _PROPER:
                    proper_add(form)
            if wstart <= rel < wend:         # the previous term's word (no space between its start and rel)
                wts.append(term)
            else:
                wstart, wend, wts = words.place(term, rel)
        if first is not None:
            self._sentence(morphs, para, offset, text, first.start, last.end, words)
        words.into(self.forms)
        self._nouns(nouns, proper, 2 if title else 1)

    def add_terms(self, tokens, text: str, fed: str, para: int | None = None, offset: int = 0) -> None:
        """add, the sentences without their morphemes (Sentence.morphs empty): what the archive stores, for
        about a seventh less of add's time. A token without a term is then not read past its tag and position
        (no form, no morpheme); a term's word is placed as add places it, so everything else is add's."""
        words = _Words(fed.replace("\t", " "))
        kind_of, terms, nouns, proper = _KIND.get, self.terms, [], []
        term_add, noun_add, proper_add = terms.append, nouns.append, proper.append
        first = last = None
        sent = -1
        wstart = wend = -1                   # the word of the previous term, and its terms
        wts: list[str] = []
        for t in tokens:
            if t.sent_position != sent:
                if first is not None:
                    self._sentence([], para, offset, text, first.start, last.end, words)
                    wstart = wend = -1
                first, sent = t, t.sent_position
            last = t
            kind = kind_of(t.tag)
            if kind is None:                 # no term (a multi-word entry's words share its tag)
                continue
            form = t.form
            if " " in form:                  # a multi-word entry: one term a word (see _morphs)
                for f, g, o in _morphs((t,), offset):
                    self._term(f, g, o - offset, words, nouns, proper)
                wstart = wend = -1
                continue
            rel = t.start
            term = form.lower() if kind == _LOWER else form + "다" if kind == _STEM else form
            term_add(term)
            if kind >= _NOUN:
                noun_add(form)
                if kind == _PROPER:
                    proper_add(form)
            if wstart <= rel < wend:         # the previous term's word (no space between its start and rel)
                wts.append(term)
            else:
                wstart, wend, wts = words.place(term, rel)
        if first is not None:
            self._sentence([], para, offset, text, first.start, last.end, words)
        words.into(self.forms)
        self._nouns(nouns, proper, 2 if para is None else 1)

    def _term(self, form: str, tag: str, rel: int, words: "_Words", nouns: list, proper: list) -> None:
        """add's work on a morpheme of a multi-word entry (``rel``: its offset into the paragraph)."""
        kind = _KIND.get(tag)
        if kind is None:
            return
        term = form.lower() if kind == _LOWER else form + "다" if kind == _STEM else form
        self.terms.append(term)
        if kind >= _NOUN:
            nouns.append(form)
            if kind == _PROPER:
                proper.append(form)
        if 0 <= rel < words.n:
            words.place(term, rel)

    def _nouns(self, nouns: list[str], proper: list[str], weight: int) -> None:
        """The paragraph's nouns (NNG, NNP) counted as keywords and its proper nouns kept, two syllables up."""
        counted = [f for f in nouns if len(f) >= 2 and f not in STOPWORDS]
        for _ in range(weight):
            self.nouns.update(counted)
        entities = self.entities
        for f in proper:
            if len(f) >= 2 and f not in entities:
                entities[f] = "NNP"

    def _sentence(self, morphs: list, para: int | None, offset: int, text: str, start: int, end: int,
                  words: "_Words") -> list:
        """A sentence ends (``start``, ``end`` into ``text``): stored, for a paragraph; for the title, its words
        read. Returns the list of morphemes to go on with."""
        if para is None:
            words.into(self.forms)
            return []
        self.sentences.append(Sentence(index=len(self.sentences), para=para, start=offset + start,
                                       end=offset + end, text=text[start:end], morphs=morphs))
        return []

    def finish(self) -> Analysis:
        """The article's analysis. Its keywords: the KEYWORDS nouns counted most (ties in the nouns' own order),
        sorted by that key among the nouns counted at least as often as the KEYWORDS-th only (an article has
        hundreds of nouns, and the key on each was most of finish)."""
        nouns = self.nouns.items()
        if len(nouns) > KEYWORDS:
            floor = sorted(self.nouns.values(), reverse=True)[KEYWORDS - 1]
            nouns = [kv for kv in nouns if kv[1] >= floor]
        keywords = sorted(nouns, key=_by_count)[:KEYWORDS]
        return Analysis(sentences=self.sentences, search_text=" ".join(self.terms),
                        keywords=[(k, v) for k, v in keywords],
                        entities=sorted(self.entities.items()), version=NLP_VERSION, forms=self.forms)


KEYWORDS = 20                  # an article's keywords


def _by_count(kv: tuple[str, int]) -> tuple[int, str]:
    return -kv[1], kv[0]


class _Words:
    """The words of a paragraph (runs of non-spaces of ``nt``) that terms were placed in, each with its terms:
    what _word_terms gathers, a term at a time."""
    __slots__ = ("nt", "n", "words")

    def __init__(self, nt: str):
        self.nt, self.n = nt, len(nt)
        self.words: dict[int, list] = {}          # word start → [end, terms]

    def place(self, term: str, rel: int) -> tuple[int, int, list[str]]:
        """Put ``term`` (at ``rel``) in its word; returns the word's start, end and terms."""
        nt = self.nt
        start = nt.rfind(" ", 0, rel + 1) + 1
        entry = self.words.get(start)
        if entry is None:
            end = nt.find(" ", rel)
            ts = [term]
            self.words[start] = [self.n if end < 0 else end, ts]
            return start, self.n if end < 0 else end, ts
        entry[1].append(term)
        return start, entry[0], entry[1]

    def into(self, forms: dict[str, str]) -> None:
        """Each Korean word placed (edge punctuation off) → its terms, into ``forms`` where it is not yet; then
        start again (the title's next sentence)."""
        nt = self.nt
        for start, (end, ts) in self.words.items():
            word = nt[start:end].strip(EDGE_PUNCT)
            if word and word not in forms and HANGUL.search(word):
                forms[word] = " ".join(ts)
        self.words = {}
