"""The FTS5 expressions of a query: Korean over the morpheme index (ko_match), English over the stemmed one
(en_match). A Korean word is one operand of its terms (each a prefix, and for a noun also the end of a longer
noun: 학생 → 대학생); a number's terms are a phrase in their order (1만2천여 → "1 만 2 천"). ``forms``
(db.search.QueryForms) gives a word's terms as the archive's own text had them."""
from __future__ import annotations

from scrapers.util.text import HANGUL
from nlp.query import QueryNode, is_joined, lookup_words, parse, particle_stems, query_words
from nlp.types import SUFFIX_MARK


def _never(prefix: str) -> bool:
    return False


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _prefix(t: str, alone=_never) -> str:
    """``t`` as a prefix query, or as the term itself where that is the same query (QueryForms.alone)."""
    return _quote(t) + ("" if alone(t) else "*")


def _term(t: str, alone=_never) -> str:
    """A term as a prefix, and for a Hangul noun also as the end of a longer noun (학생 → 대학생); a
    one-syllable Hangul term is matched whole (시* would be every word that starts with 시)."""
    if len(t) == 1 and HANGUL.match(t):
        return _quote(t)
    expr = _prefix(t, alone)
    if len(t) >= 2 and HANGUL.match(t):
        expr = f"({expr} OR {_prefix(SUFFIX_MARK + t[::-1], alone)})"
    return expr


def _expression(nodes: list[QueryNode], term_of) -> str:
    parts, prev = [], None
    for n in nodes:
        operand = n.kind in ("word", "phrase", "open")
        if operand and prev is not None and prev.kind in ("word", "phrase", "close"):
            parts.append("AND")
        parts.append(term_of(n) if n.kind in ("word", "phrase") else n.text)     # operators, parentheses
        prev = n
    return " ".join(parts)


def ko_match(query: str, forms=None) -> tuple[str, list[str]]:
    """The FTS5 expression for the Korean index, and the terms to highlight. ``forms``: a db.search.QueryForms,
    else each word is taken as itself and itself without a trailing particle."""
    nodes = parse(query)
    words = lookup_words(nodes)
    analysed = forms.terms(words) if forms else {w: [] if is_joined(w) else [[a] for a in particle_stems(w)]
                                                 for w in words}
    alone = forms.alone if forms else _never
    marks: list[str] = []

    def phrase(seq: list[str]) -> str:
        whole = bool(seq) and (len(seq[-1]) == 1 and HANGUL.match(seq[-1])    # one syllable: whole, as a word
                               or alone(seq[-1]))                             # or no longer term: the same
        return _quote(" ".join(seq)) + ("" if whole else "*")

    def word(alt: list[str]) -> str:
        """A word's terms, all of them; a number's (1만2천여 → 1 만 2 천) in their order (as separate terms, 1만2천
        matched any article with a 1 and a 2 somewhere)."""
        if len(alt) > 1 and any(c.isdigit() for t in alt for c in t):
            return phrase(alt)
        expr = " AND ".join(_term(t, alone) for t in alt)
        # a word of several terms is one operand: NOT binds tighter than AND (전주 NOT 한옥 AND 마을 needs 마을)
        return f"({expr})" if len(alt) > 1 else expr

    def one(text: str) -> str:
        alts = analysed[text]
        marks.append(text)
        marks.extend(t for alt in alts for t in alt if len(t) > 1)
        exprs = [word(alt) for alt in alts]
        return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"

    def term_of(n: QueryNode) -> str:
        if n.kind == "phrase":
            marks.extend(n.words)
            return phrase([t for w in n.words for t in analysed[w][0]])
        if n.words and not analysed[n.text]:    # joined words (주차난…임시) the archive never met so: each a word
            return "(" + " AND ".join(one(w) for w in n.words) + ")"
        return one(n.text)
    return _expression(nodes, term_of), marks


def en_match(query: str) -> tuple[str, list[str]]:
    """The FTS5 expression for the English index (each word a quoted string: Korea's, U.S., COVID-19 and
    Jeonju-si are phrases of their tokens, never syntax), and the words to highlight."""
    nodes = parse(query)

    def term_of(n: QueryNode) -> str:
        if n.kind == "phrase":
            return _quote(" ".join(n.words))
        return "(" + " AND ".join(map(_quote, n.words)) + ")" if n.words else _quote(n.text)
    return _expression(nodes, term_of), query_words(nodes)
