"""A response body's Content-Encoding undone by the fetcher itself, bounded: a body that inflates past the
limit (a zip bomb) is refused, not read."""
from __future__ import annotations

import zlib

import httpx

from .types import FetchError, FetchKind


def decompress(resp: httpx.Response, raw: bytes, limit: int) -> bytes:
    """Undo Content-Encoding ourselves, refusing a body that inflates past ``limit``."""
    enc = resp.headers.get("content-encoding", "").lower().strip()
    if not enc or enc == "identity":
        return raw
    if enc in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(raw, limit + 1)
        except zlib.error:
            try:
                out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, limit + 1)
            except zlib.error as exc:
                raise FetchError(FetchKind.DECODE, f"undecodable {enc} body: {exc}", resp.status_code) from None
        if len(out) > limit:
            raise FetchError(FetchKind.TOO_LARGE, f"body larger than {limit} bytes once decompressed",
                             resp.status_code)
        return out
    decoder = resp._get_content_decoder() if hasattr(resp, "_get_content_decoder") else None
    if decoder is None:
        return raw
    try:
        out = decoder.decode(raw) + decoder.flush()
    except httpx.DecodingError as exc:
        raise FetchError(FetchKind.DECODE, f"undecodable {enc} body: {exc}", resp.status_code) from None
    if len(out) > limit:
        raise FetchError(FetchKind.TOO_LARGE, f"body larger than {limit} bytes once decompressed", resp.status_code)
    return out
