"""Kiwi analysis: sentences, morphemes, search text, keywords and proper nouns.

One Kiwi per process, created lazily (construction and the first call cost ~2-3 s and
~530 MB). Articles are analysed as a stream of paragraphs through Kiwi's own worker
threads (``tokenize`` on an iterable, results in order), so a batch never holds more
than Kiwi's look-ahead in memory and never pays one call per article.
"""
from __future__ import annotations

import threading
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from scrapers.util.text import EDGE_PUNCT, HANGUL
from scrapers.errors import UserError

from .gather import CONTENT_TAGS, NLP_VERSION, STEM_TAGS, STOPWORDS, _Article, _morphs
from .types import Analysis, unpack_morphs

__all__ = ["CONTENT_TAGS", "NLP_VERSION", "STEM_TAGS", "STOPWORDS", "Analyser", "analyse_query", "forms_of_terms",
           "get_kiwi", "normalise", "search_terms", "surface_forms"]

DEFAULT_USERDICT = Path(__file__).with_name("userdict.tsv")

_kiwi = None
_kiwi_key = None
_lock = threading.Lock()

# Length-preserving normalisation: offsets into the normalised text are offsets into the stored body.
_NORMALISE = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\uff02": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\uff07": "'",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": " ", "\ufeff": " ",
})

# Kiwi's part-of-speech tags a user word may carry (Sejong tag set as Kiwi uses it).
USER_TAGS = frozenset("""NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC EP EF
EC ETN ETM XPN XSN XSV XSA XSM XR SF SP SS SSO SSC SE SO SW SL SH SN SB W_URL W_EMAIL W_HASHTAG W_MENTION""".split())


class NlpSettingsError(ValueError, UserError):
    """An nlp setting a user can fix (model type, worker count, user dictionary)."""


class UserDictError(NlpSettingsError):
    """A user dictionary a user can fix: the message names the file and line."""


def parse_userdict(path: str | Path) -> list[tuple[str, str, float]]:
    """(word, tag, score) of each entry of a user dictionary file: ``word<TAB>tag[<TAB>score]``, # comments."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserDictError(f"cannot read user dictionary {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserDictError(f"user dictionary {path} is not UTF-8 text") from None
    out = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        word = unicodedata.normalize("NFC", parts[0])
        tag = parts[1] if len(parts) > 1 and parts[1] else "NNP"
        if " " in word:
            raise UserDictError(f"{path}:{lineno}: {word!r} has a space (one word per line, then a tab and its tag)")
        if tag not in USER_TAGS:
            raise UserDictError(f"{path}:{lineno}: unknown tag {tag!r} for {word!r} (e.g. NNP, NNG, VV)")
        try:
            score = float(parts[2]) if len(parts) > 2 and parts[2] else 0.0
        except ValueError:
            raise UserDictError(f"{path}:{lineno}: the score {parts[2]!r} is not a number") from None
        out.append((word, tag, score))
    return out


MODEL_TYPES = ("none", "largest", "sbg", "cong", "cong-global")   # 'knlm' is no longer shipped in the model


def check_settings(model_type: str | None = None, userdict: str | Path | None = None,
                   num_workers: int = -1) -> None:
    """Validate the nlp settings without loading Kiwi (a run fails on them before it starts)."""
    if model_type and model_type not in MODEL_TYPES:
        raise NlpSettingsError(f"unknown Kiwi model type {model_type!r} (one of {', '.join(MODEL_TYPES)})")
    if num_workers == 0 or num_workers < -1:
        raise NlpSettingsError("nlp workers must be -1 (all cores) or at least 1: Kiwi streams batches through "
                            "its worker threads")
    if userdict:
        parse_userdict(userdict)


def load_userdict(kiwi, path: str | Path) -> int:
    entries = parse_userdict(path)
    for word, tag, score in entries:
        kiwi.add_user_word(word, tag, score)
    return len(entries)


def get_kiwi(num_workers: int = -1, model_type: str | None = None, userdict: str | Path | None = None):
    """The process's Kiwi, built and warmed once: the shipped user dictionary, then ``userdict`` (extra
    words from the user's config) on top. The model weights ship in kiwipiepy-model; no network."""
    global _kiwi, _kiwi_key
    key = (num_workers, model_type, str(userdict))
    with _lock:
        if _kiwi is None or _kiwi_key != key:
            from kiwipiepy import Kiwi
            kwargs = {"num_workers": num_workers}
            if model_type:
                kwargs["model_type"] = model_type
            kiwi = Kiwi(**kwargs)
            load_userdict(kiwi, DEFAULT_USERDICT)
            if userdict:
                load_userdict(kiwi, userdict)
            kiwi.tokenize("전북자치도는 새만금 예산을 논의했다.")    # the model loads lazily: pay it here, once
            _kiwi, _kiwi_key = kiwi, key
        return _kiwi


_NORMALISE_PAIRS = tuple((chr(k), v) for k, v in _NORMALISE.items())


def normalise(text: str) -> str:
    """``text.translate(_NORMALISE)``, an order of magnitude faster on Korean text: a substring test and a
    replace a character (every target is ASCII and no source, so the order does not matter)."""
    for old, new in _NORMALISE_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def _paragraphs(body: str) -> list[tuple[int, int, str]]:
    """(paragraph index, offset, text) of each paragraph of a stored body."""
    out, offset = [], 0
    for i, para in enumerate(body.split("\n")):
        out.append((i, offset, para))
        offset += len(para) + 1
    return out


def term_offsets(morphs: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    """(search term, offset) of the morphemes that have one: nouns and the like as they are, verb and
    adjective stems as lemmas (수상했다 → 수상 하다)."""
    out = []
    for form, tag, off in morphs:
        if tag in CONTENT_TAGS:
            out.append((form.lower() if tag == "SL" else form, off))
        elif tag in STEM_TAGS:
            out.append((form + "다", off))
    return out


def forms_of_terms(text: str, terms: list[tuple[str, int]], offset: int = 0,
                   normalised: str | None = None) -> dict[str, str]:
    """Each Korean word (eojeol, edge punctuation off) of ``text`` → its search terms, from ``terms``
    (offsets into the body, where ``text`` starts at ``offset``); ``normalised``: normalise(text) with tabs
    as spaces, when the caller has it."""
    if not terms:
        return {}
    return _word_terms(normalise(text).replace("\t", " ") if normalised is None else normalised, terms, offset)


def _word_terms(nt: str, terms: list[tuple[str, int]], offset: int) -> dict[str, str]:
    """forms_of_terms on the normalised text ``nt`` (tabs as spaces). Terms come in text order, so the word
    of the previous term is tried first: one rfind and one find a word, not a term."""
    n = len(nt)
    words: dict[int, list] = {}          # word start → [end, terms]
    start = end = -1
    ts: list[str] = []
    for term, off in terms:
        rel = off - offset
        if rel < 0 or rel >= n:
            continue
        if start <= rel < end:           # the previous term's word (no space between its start and rel)
            ts.append(term)
            continue
        start = nt.rfind(" ", 0, rel + 1) + 1
        entry = words.get(start)
        if entry is None:
            end = nt.find(" ", rel)
            end = n if end < 0 else end
            ts = [term]
            words[start] = [end, ts]
        else:
            end, ts = entry
            ts.append(term)
    out: dict[str, str] = {}
    for start, (end, ts) in words.items():
        word = nt[start:end].strip(EDGE_PUNCT)
        if word and word not in out and HANGUL.search(word):
            out[word] = " ".join(ts)
    return out


def surface_forms(text: str, morphs: list[tuple[str, str, int]], offset: int = 0) -> dict[str, str]:
    """Each Korean word of ``text`` → the search terms of its morphemes (``morphs`` carry offsets into the
    body, where ``text`` starts at ``offset``)."""
    return forms_of_terms(text, term_offsets(morphs), offset)


def forms_of_packed(text: str, packed: list[str], offset: int = 0) -> dict[str, str]:
    """surface_forms of a paragraph from the archive's packed morphemes of its sentences (db's index rebuild)."""
    return surface_forms(text, [m for p in packed for m in unpack_morphs(p)], offset)


def search_terms(morphs) -> list[str]:
    """Normalised content morphemes of (form, tag, offset) triples: nouns as they are, verb/adjective stems
    as lemmas (수상했다 → 수상 하다)."""
    return [t for t, _ in term_offsets(morphs)]


class Analyser:
    def __init__(self, num_workers: int = -1, model_type: str | None = None, userdict: str | Path | None = None):
        self.num_workers = num_workers
        self.model_type = model_type
        self.userdict = userdict

    @property
    def kiwi(self):
        return get_kiwi(self.num_workers, self.model_type, self.userdict)

    def loaded(self) -> bool:
        """Whether the process's Kiwi is this analyser's and loaded already (pipeline/overlap.py)."""
        return _kiwi is not None and _kiwi_key == (self.num_workers, self.model_type, str(self.userdict))

    def analyse(self, body: str, title: str = "") -> Analysis:
        return next(self.analyse_many([(0, body, title)]))[1]

    def analyse_many(self, items: Iterable[tuple[object, str, str]],
                     morphs: bool = True) -> Iterator[tuple[object, Analysis]]:
        """Analyse (key, body, title) items; yields (key, Analysis) in input order, streaming. ``morphs``
        False: the sentences without their morphemes (the archive does not keep them; the rest is the same)."""
        pending: deque = deque()          # what we fed Kiwi, in order: (key, para or None for the title, offset,
                                          # paragraphs of the article, original text, the text Kiwi got)

        def feed():
            for key, body, title in items:
                paras = _paragraphs(body)
                fed = normalise(title)
                pending.append((key, None, 0, len(paras), title, fed))
                yield fed
                for idx, offset, text in paras:
                    fed = normalise(text)
                    pending.append((key, idx, offset, len(paras), text, fed))
                    yield fed

        acc: _Article | None = None
        # tokenize, not split_into_sents: the same analysis (one call into Kiwi either way), without the Python
        # wrapper's second and third passes over every token (grouping, sub-sentences); _Article.add groups.
        for tokens in self.kiwi.tokenize(feed()):
            key, para, offset, nparas, original, fed = pending.popleft()
            if para is None:
                acc = _Article(key, nparas, morphs=morphs)
                acc.add(tokens, original, fed)
                continue
            assert acc is not None and (key is acc.key or key == acc.key)
            acc.add(tokens, original, fed, para, offset)
            acc.remaining -= 1
            if acc.remaining == 0:
                yield key, acc.finish()


def analyse_query(query: str, kiwi=None) -> list[str]:
    """The morphemes a search query is matched by: the same normalisation as a body."""
    kiwi = kiwi or get_kiwi()
    return search_terms(_morphs(kiwi.tokenize(normalise(query))))
