"""Korean query analysis without Kiwi: a search query parsed into words, phrases and operators, and each
Korean word taken to the search terms Kiwi gave the same word in the archive's own text (``ko_forms``,
read by db/forms.py and handed in here), else to the stem its longer forms in the archive share (관리들 →
관리, from 관리들은, 관리들이), else to itself and itself without a trailing particle (군산시가 → 군산시) --
never cut to one syllable (시가 stays 시가, not 시).

Query syntax, supported on purpose: words (all must match), "a phrase", OR, NOT (between two terms),
AND, and parentheses; ``or`` and ``and`` in lower case between two terms are OR and AND. Words joined by a mark
without a space (주차난…임시, 3곳·셔틀버스, 한옥마을,주차난, Wanju/hydrogen: a pasted headline) are separate words.
A malformed query raises QueryError with a one-line reason.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from scrapers.util.text import EDGE_PUNCT, HANGUL
from scrapers.errors import UserError

PARTICLES = ("에서는", "에게서", "으로는", "으로서", "으로써", "에서", "에게", "한테", "으로", "까지", "부터", "처럼", "보다",
             "마다", "조차", "은", "는", "이", "가", "을", "를", "에", "의", "로", "와", "과", "도", "만")
_LEX = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_WORD = re.compile(r"[\w\-.+#&']+", re.UNICODE)
# Marks that stand between two words without a space in headlines and pasted text (주차난…임시, 3곳·셔틀버스,
# 한옥마을,주차난, Wanju/hydrogen, [속보]전주, 시장'주차난'): a query token is cut there into separate words. A dot
# or an apostrophe only where it cannot belong to the word (U.S., 3.5, Korea's stay whole; 주차난...임시 and
# 전주.군산 are cut). Latin letters and Hangul meet without a space too (SNS대상, KTX역에서: Kiwi always reads them as two
# words, SNS/SL 대상/NNG, and the index holds them so): cut there as well, where the archive never met the token.
_SEPARATOR = re.compile(r"\.{2,}|[…‥⋯·ㆍ・‧•∙,，、;；/／\\|｜\"“”‘’„«»「」『』《》〈〉<>\[\]{}【】〔〕]+"
                        r"|(?<![A-Za-z0-9])'|'(?![A-Za-z])|(?<=[가-힣])\.|\.(?=[가-힣])"
                        r"|(?<=[A-Za-z])(?=[가-힣])|(?<=[가-힣])(?=[A-Za-z])")
_OPS = {"AND", "OR", "NOT"}
MAX_QUERY = 500
MAX_DEPTH = 20                   # parentheses inside parentheses


class QueryError(UserError):
    """A query that cannot be run; the message says why in one line."""


@dataclass
class QueryNode:
    kind: str                  # word | phrase | op | open | close
    text: str = ""
    words: tuple[str, ...] = ()


def clean_word(token: str) -> str:
    """A query token without its edge punctuation, its inner words joined by spaces."""
    return " ".join(_WORD.findall(token.strip(EDGE_PUNCT)))


def token_words(token: str) -> list[str]:
    """The words of a query token: cut at the marks that join words without a space (_SEPARATOR), each part
    cleaned (clean_word)."""
    return [w for w in map(clean_word, _SEPARATOR.split(token)) if w]


def _word(tok: str) -> list[QueryNode]:
    """A bare token as a word node, none when it holds no word. Words joined by marks (주차난…임시) are one node
    whose ``text`` is the token as written, the way the archive's ``ko_forms`` keeps such a token, and whose
    ``words`` are its words: matched as that stored token when the archive met it, else word by word."""
    words = token_words(tok)
    if len(words) > 1:
        return [QueryNode("word", tok.strip(EDGE_PUNCT), tuple(words))]
    return [QueryNode("word", w) for w in words]


def _tokens(query: str) -> list[QueryNode]:
    nodes: list[QueryNode] = []
    for tok in _LEX.findall(query):
        if tok.startswith('"'):
            if len(tok) < 2 or not tok.endswith('"'):
                raise QueryError('unclosed quote in the query (a phrase goes between two ")')
            words = tuple(w for x in tok[1:-1].split() for w in token_words(x))
            if words:
                nodes.append(QueryNode("phrase", tok, words))
        elif tok in ("(", ")"):
            nodes.append(QueryNode("open" if tok == "(" else "close", tok))
        elif tok in _OPS:
            nodes.append(QueryNode("op", tok))
        else:
            nodes.extend(_word(tok))
    return _lowercase_ops(nodes)


def _lowercase_ops(nodes: list[QueryNode]) -> list[QueryNode]:
    """``or`` and ``and`` typed in lower case between two terms are the operators (전주 or 군산 is 전주 OR 군산);
    elsewhere, or in quotes ("or"), they are words."""
    out = list(nodes)
    for i in range(1, len(out) - 1):
        n = out[i]
        if (n.kind == "word" and not n.words and n.text.lower() in ("or", "and")
                and out[i - 1].kind in ("word", "phrase", "close") and out[i + 1].kind in ("word", "phrase", "open")):
            out[i] = QueryNode("op", n.text.upper())
    return out


_HOW = {"NOT": "NOT is binary: 전주 NOT 군산", "OR": "OR joins two terms: 전주 OR 군산",
        "AND": "AND joins two terms: 전주 AND 군산; words alone must all match anyway"}


def _check_order(nodes: list[QueryNode]) -> None:
    """Balanced parentheses, operators between terms, at least one term."""
    depth, prev = 0, None
    for n in nodes:
        if n.kind == "open":
            depth += 1
            if depth > MAX_DEPTH:                # SQLite's FTS5 parser overflows near 100
                raise QueryError(f"parentheses nested deeper than {MAX_DEPTH}")
        elif n.kind == "close":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses: ')' without '('")
            if prev is None or prev.kind in ("op", "open"):
                raise QueryError("empty parentheses or an operator before ')'")
        elif n.kind == "op" and (prev is None or prev.kind in ("op", "open")):
            raise QueryError(f"{n.text} needs a term before it ({_HOW[n.text]}; to search the word itself, "
                             f'put it in quotes: "{n.text.lower()}")')
        prev = n
    if depth:
        raise QueryError("unbalanced parentheses: '(' without ')'")
    if prev is not None and prev.kind == "op":
        raise QueryError(f"{prev.text} needs a term after it ({_HOW[prev.text]})")
    if not any(n.kind in ("word", "phrase") for n in nodes):
        raise QueryError("no searchable word in the query")


def parse(query: str) -> list[QueryNode]:
    """Tokens of a query, validated: balanced quotes and parentheses, operators between terms."""
    if not query or not query.strip():
        raise QueryError("empty query: give at least one word")
    if len(query) > MAX_QUERY:
        raise QueryError(f"query longer than {MAX_QUERY} characters")
    nodes = _tokens(unicodedata.normalize("NFC", query))
    _check_order(nodes)
    return nodes


def query_words(nodes: list[QueryNode]) -> list[str]:
    """The words of the query's terms, phrases' words and the words of joined tokens included, in order."""
    return [w for n in nodes for w in (n.words or (n.text,) if n.kind == "word" else n.words)]


def lookup_words(nodes: list[QueryNode]) -> list[str]:
    """query_words, and each joined token as written (주차난…임시: the archive may hold it so, Kiwi's analysis of
    it with it)."""
    return [w for n in nodes for w in ((n.text, *n.words) if n.kind == "word" else n.words)]


def is_joined(word: str) -> bool:
    """Whether ``word`` is several words joined by marks (a token of a query word node with ``words``)."""
    return bool(_SEPARATOR.search(word))


def notes(query: str) -> list[str]:
    """Lines about a query that runs, but perhaps not as meant: a ``*`` after a word that is no prefix here (one
    Hangul syllable, or a Latin word: 전* and Jeon* search 전 and Jeon; 전주* is 전주, a prefix anyway)."""
    for word in re.findall(r"(\w+)\*", re.sub(r'"[^"]*"', " ", query)):
        if not (HANGUL.match(word) and len(word) >= 2):
            return [f"note: there is no '*' prefix search: {word}* searches the word {word} itself; Korean words of "
                    "two syllables or more already match as a prefix (전주 finds 전주시)"]
    return []


def particle_stems(word: str) -> list[str]:
    """A word the archive never saw: itself and itself without a trailing particle, if two syllables or
    more are left (마을 is not 마 + 을, 도로 not 도 + 로, 시가 not 시 + 가)."""
    alts = [word]
    if HANGUL.search(word):
        for j in PARTICLES:
            if word.endswith(j) and len(word) - len(j) >= 2:
                alts.append(word[: -len(j)])
    return list(dict.fromkeys(alts))


def unseen_word_terms(word: str, longer: list[str]) -> list[list[str]]:
    """A word not in the archive as such: the stem of two syllables or more that the archive's longer
    forms of it share (``longer``: their stored terms), else particle_stems."""
    firsts = [t.split()[0] for t in longer if t]
    stems = [t for t in firsts if word.startswith(t) and len(t) >= 2]
    alts = [[t] for t in particle_stems(word)]
    if stems:
        best = max(set(stems), key=stems.count)
        alts = [[best]] + [a for a in alts if a != [best]]
    return alts


def word_terms(words: list[str], known: dict[str, str],
               longer: Callable[[str], list[str]]) -> dict[str, list[list[str]]]:
    """For each query word, alternatives, each a list of search terms that must all match: a word the
    archive met (``known``: word → its stored terms) as Kiwi analysed it there; another Korean word by
    unseen_word_terms (``longer(word)``: the terms of the stored words that start with it); anything else
    lowercased. A joined token (주차난…임시) the archive never met has none: its words are matched one by one."""
    out: dict[str, list[list[str]]] = {}
    for w in words:
        if is_joined(w) and w not in known:
            out[w] = []                  # a joined token the archive never met as written: matched word by word
        elif w in known:
            out[w] = [known[w].split()]
        elif HANGUL.search(w):
            out[w] = unseen_word_terms(w, longer(w))
        else:
            out[w] = [[w.lower()]]
    return out
