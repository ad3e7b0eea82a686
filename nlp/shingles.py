"""Near-duplicate fingerprints of articles: MinHash over shingles of Kiwi content morphemes, and the LSH
index that finds an article's copies among the others (datasketch).

An article is the sequence of its content morphemes as the Korean search text stores them (nouns as
they are, verb and adjective stems as lemmas, numbers; the title's first): particles and endings are not
there, so 전주시는/전주시가 and 밝혔다/밝혔습니다 shingle alike. A shingle is K consecutive morphemes.
A copy that adds a lead byline, drops or reorders a paragraph, rewrites its title or changes a number
shares most shingles; another article on the same topic shares few (the same nouns, in other orders).

The signature is NUM_PERM minimum hashes cut to their low BITS bits (b-bit minwise hashing, Li and König
2010): two different minima agree by chance once in 65,536, which moves a similarity estimate by ~0.00002,
and each takes 2 bytes instead of 4 (``to_bytes``/``from_bytes``): 256 bytes an article (issue 19).
Signatures stored with 32 bits read back cut the same way, so old and new compare alike.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from nlp.types import SUFFIX_MARK

K = 3                 # morphemes per shingle
NUM_PERM = 128        # minimum hashes per signature
SEED = 1              # every signature of an archive must come from the same permutations
SCHEME = "affine32"   # datasketch 2's hashing scheme: 32-bit values, so 4 bytes each
# Short articles: two briefs that share one stock sentence ("시는 내년까지 사업을 마무리할 계획이다") and
# differ in the rest reach a Jaccard similarity of 0.2-0.27 on 15 shingles each. A match must also share
# MIN_SHARED shingles, or (for a brief shorter than that) CONTAINED of the smaller article's.
MIN_SHARED = 10
CONTAINED = 0.6


def terms_of(search_text: str) -> list[str]:
    """The content morphemes of a Korean search text, in order (its reversed nouns left out: a text stored
    before issue 19 may carry them)."""
    terms = (search_text or "").split()
    if SUFFIX_MARK not in (search_text or ""):
        return terms
    return [t for t in terms if not t.startswith(SUFFIX_MARK)]


def shingles(terms: list[str], k: int = K) -> set[str]:
    """The distinct runs of ``k`` consecutive terms (the whole sequence when it is shorter)."""
    if not terms:
        return set()
    if len(terms) <= k:
        return {" ".join(terms)}
    return set(map(" ".join, zip(*[terms[i:] for i in range(k)])))     # the runs, without a slice each


# the permutations, computed once; the values come hashed (_hashes32), so the template's hash function is int
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)


def _hashes32(shingles: Iterable[str]) -> list[int]:
    """datasketch's sha1_hash32 of each shingle's UTF-8 (the first four bytes of its SHA-1, little-endian),
    without its call through struct a shingle (678,000 of them in a run of 2,000 articles): the digests
    joined and read as little-endian words by numpy."""
    sha1 = hashlib.sha1
    digests = b"".join([sha1(s).digest() for s in map(str.encode, shingles)])
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()        # a SHA-1 digest is five words


BITS = 16
_MASK = (1 << BITS) - 1


def _cut(values) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.asarray(values, dtype=np.uint64) & _MASK, scheme=SCHEME)


def signature(search_text: str) -> tuple[LeanMinHash | None, int]:
    """(MinHash of the article's shingles, number of shingles); (None, 0) for an article with no text."""
    sh = shingles(terms_of(search_text))
    if not sh:
        return None, 0
    mh = _TEMPLATE.copy()
    mh.update_batch(_hashes32(sh))
    return _cut(mh.hashvalues), len(sh)


def to_bytes(mh: LeanMinHash) -> bytes:
    return np.asarray(mh.hashvalues & _MASK, dtype=np.uint16).tobytes()


def from_bytes(blob: bytes) -> LeanMinHash:
    """A stored signature: 2 bytes a value, or 4 (stored before BITS), cut to BITS either way."""
    dtype = np.uint16 if len(blob) == 2 * NUM_PERM else np.uint32
    return _cut(np.frombuffer(blob, dtype=dtype))


def similarity(a: LeanMinHash, b: LeanMinHash) -> float:
    """Estimated Jaccard similarity of two articles' shingle sets."""
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / NUM_PERM


def shares_enough(sim: float, n_a: int, n_b: int) -> bool:
    """Whether two articles of ``n_a`` and ``n_b`` shingles at Jaccard similarity ``sim`` share enough
    shingles to be one story: the estimated intersection sim·(a+b)/(1+sim) at least MIN_SHARED, or at least
    CONTAINED of the smaller article. Counts of 0 (unknown) pass."""
    if not n_a or not n_b:
        return True
    shared = sim * (n_a + n_b) / (1 + sim)
    return shared >= min(MIN_SHARED, CONTAINED * min(n_a, n_b))


class StoryIndex:
    """The signatures of recent articles, in an LSH index (datasketch MinHashLSH), each with its number of
    shingles: ``candidates`` gives the articles at or above the threshold that share enough shingles."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        # Candidates come from an LSH tuned a little below the threshold (so that pairs just above it are
        # rarely missed); each is then checked by its estimated similarity.
        self.lsh = MinHashLSH(threshold=max(0.05, threshold * 0.8), num_perm=NUM_PERM)
        self.signatures: dict[int, LeanMinHash] = {}
        self.sizes: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key: int, mh: LeanMinHash, n: int = 0) -> None:
        if key in self.signatures:
            self.lsh.remove(key)
        self.signatures[key] = mh
        self.sizes[key] = n
        self.lsh.insert(key, mh)

    def remove(self, key: int) -> None:
        if self.signatures.pop(key, None) is not None:
            self.sizes.pop(key, None)
            self.lsh.remove(key)

    def candidates(self, mh: LeanMinHash, n: int = 0) -> list[tuple[int, float]]:
        """(key, similarity) of the indexed articles at or above the threshold that share enough shingles
        with an article of ``n`` shingles, most similar first."""
        out = [(k, similarity(mh, self.signatures[k])) for k in self.lsh.query(mh)]
        return sorted(((k, s) for k, s in out if s >= self.threshold and shares_enough(s, n, self.sizes[k])),
                      key=lambda ks: (-ks[1], ks[0]))
