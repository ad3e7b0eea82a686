"""Compressed text in the archive: derived or rarely read text (the Korean index terms, the cleaner's
removals, raw pages) is stored as a zstd frame, read back with :func:`unpack`.

zstd rather than zlib: on this archive's text it is smaller at the same speed and decompresses several
times faster (bench/storage.py). A value stored before compression (``str``) reads back as it is, so old
archives need no rewrite to be read.
"""
from __future__ import annotations

import zstandard

LEVEL = 9                        # measured in bench/storage.py: level 3 → 9 saves ~6 %, beyond 9 little more
_C = zstandard.ZstdCompressor(level=LEVEL)
_D = zstandard.ZstdDecompressor()
MAGIC = b"\x28\xb5\x2f\xfd"      # a zstd frame starts with these bytes


def pack(text: str | None) -> bytes | None:
    """UTF-8 text as one zstd frame (None stays None)."""
    if text is None:
        return None
    return _C.compress(text.encode("utf-8"))


def unpack(value: bytes | str | None) -> str | None:
    """The text :func:`pack` stored; a plain ``str`` (stored before compression) is returned as it is."""
    if value is None or isinstance(value, str):
        return value
    return _D.decompress(bytes(value)).decode("utf-8")
