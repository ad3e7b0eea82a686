"""Raw page bodies as ``page_bodies`` stores them: zstd, and where it pays, zstd against a reference page
of the same source.

Pages of one outlet share their template (navigation, scripts, footer: most of a page's bytes), which no
compressor sees within one page. Compressed with another page of its source as a raw-content dictionary, a
page keeps little more than its article: on the corpus's outlets with several pages, 16.7× instead of 5.4×
for zstd alone, and compressing is faster (bench/compression.py). A dictionary trained on pages of many
outlets gains only 6 % over zstd 9 and would have to live outside the archive, so there is none.

The ``compression`` column says how a body reads back:

- ``zlib``          zlib (every body written before zstd);
- ``zstd``          one zstd frame, level :data:`LEVEL`;
- ``zstd:<sha256>`` one zstd frame made with the body ``<sha256>`` (itself stored ``zstd``) as a raw-content
  dictionary: a reference is an ordinary, content-addressed body of the same table, never a delta itself,
  so a body reads back with at most one other row. Nothing deletes page bodies; whatever ever does must
  keep every body another one names.

A page is stored against its source's reference when that makes it at most :data:`KEEP` of zstd alone;
otherwise it is stored as plain zstd. The first page of a source becomes its reference, and so does a page
the reference no longer helps (saves less than 1 - :data:`RENEW` of zstd alone: a new layout). A page the
reference helps but does not halve (its article is most of it) leaves the reference as it is: a new
reference for every such page would cost a dictionary each (0.35 ms a page) and, on the bench's demo layouts,
compress the next pages worse (ratio 2.21 instead of 2.68: bench/compression.py --demo).
"""
from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import zstandard

LEVEL = 9            # bench/compression.py: zstd 3 → 9 is 11 % smaller at 3 ms a page; 19 gains 6 % more at 75 ms
KEEP = 0.5           # against the reference only when that halves the page at least
RENEW = 0.9          # a page stored plain becomes its source's reference when the old one saved it under 10 %
ZSTD = "zstd"
_REF = "zstd:"
_D = zstandard.ZstdDecompressor()


@dataclass
class Reference:
    """A body other bodies of its source are compressed with: its digest and its bytes."""
    sha256: str
    body: bytes
    _dict: zstandard.ZstdCompressionDict | None = field(default=None, repr=False)

    def zdict(self) -> zstandard.ZstdCompressionDict:
        if self._dict is None:
            self._dict = zstandard.ZstdCompressionDict(self.body, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
            self._dict.precompute_compress(level=LEVEL)
        return self._dict


def compress(body: bytes, ref: Reference | None) -> tuple[str, bytes, bool]:
    """(compression, stored bytes, whether the body should become its source's reference) of a new body,
    against ``ref`` when that pays (see :data:`KEEP` and :data:`RENEW`).

    With a reference, the plain frame is made in a helper thread while this one builds the reference's
    dictionary and the frame against it (zstd releases the GIL): the same bytes, in about half the time
    when a core is free (ingest, the crawl's storing)."""
    if ref is None:
        return ZSTD, _plain(body), True
    pending = _helper().submit(_plain, body)
    try:
        delta = zstandard.ZstdCompressor(level=LEVEL, dict_data=ref.zdict()).compress(body)
    finally:
        plain = pending.result()
    if len(delta) <= KEEP * len(plain):
        return _REF + ref.sha256, delta, False
    return ZSTD, plain, len(delta) > RENEW * len(plain)


_local = threading.local()
_pool: list[ThreadPoolExecutor] = []


def _plain(body: bytes) -> bytes:
    """A plain zstd frame, by this thread's compressor (a ZstdCompressor is not to be shared by threads)."""
    c = getattr(_local, "plain", None)
    if c is None:
        c = _local.plain = zstandard.ZstdCompressor(level=LEVEL)
    return c.compress(body)


def _helper() -> ThreadPoolExecutor:
    if not _pool:
        _pool.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="newspipe-zstd"))
    return _pool[0]


os.register_at_fork(after_in_child=_pool.clear)     # a forked child has no helper thread: it starts its own


def reference_of(compression: str) -> str | None:
    """The digest of the reference body a stored body needs, if any."""
    return compression[len(_REF):] if compression.startswith(_REF) else None


def decompress(compression: str, data: bytes, reference: Callable[[str], Reference]) -> bytes:
    """A stored body's bytes; ``reference(sha256)`` gives the reference body a ``zstd:<sha256>`` body needs."""
    if compression == "zlib":
        return zlib.decompress(data)
    if compression == ZSTD:
        return _D.decompress(data)
    sha = reference_of(compression)
    if sha is None:
        raise ValueError(f"page body stored with unknown compression {compression!r} (by a newer newspipe?)")
    return zstandard.ZstdDecompressor(dict_data=reference(sha).zdict()).decompress(data)
