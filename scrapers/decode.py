"""Bytes → text for Korean pages, without losing a character.

Order: BOM, the HTTP header's charset, the page's own <meta> charset, strict UTF-8,
then charset-normalizer's detection. Labels a browser treats as CP949 (euc-kr,
ks_c_5601-1987, …) are decoded as cp949: Python's euc_kr codec turns CP949-only
syllables such as 똠 or 햏 into U+FFFD. A declared charset that does not decode the
bytes strictly (a page that says euc-kr but is UTF-8) is not trusted.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_CP949_LABELS = {"euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601",
                 "korean", "cp949", "windows-949", "x-windows-949", "ms949", "uhc", "iso-ir-149",
                 "csksc56011987", "csEUCKR".lower(), "x-euc-kr"}
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", re.I)
# C0 controls no text holds (tab, line feed, form feed, carriage return excepted): in more than 1% of it, binary data.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
# Of those, the ones that end a line (str.splitlines: a line tabulation is Word's line break, then the file, group
# and record separators): a line break, not nothing (two lines would run together as one word).
_LINE_CONTROLS = re.compile("[\x0b\x1c-\x1e]")
_NO_TEXT = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")   # and DEL, the C1 controls but NEL
# The same characters found in UTF-8 bytes, where C's translate and a literal-led search find them 3-5 times faster
# than a character class walks a page's text (4.7 ms of a 170 KB page's 18, for a control that is almost never there).
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")


def without_controls(text: str) -> tuple[str, int]:
    """``text`` without the control characters no text holds (a NUL cut the stored sentences short: SQLite's
    substr stops at it), and how many it lost; those that end a line (VT, FS, GS, RS) become line breaks."""
    if not may_hold_controls(text.encode("utf-8", "surrogatepass")):
        return text, 0
    return _NO_TEXT.subn("", _LINE_CONTROLS.sub("\n", text))


def may_hold_controls(raw: bytes) -> bool:
    """Whether text whose UTF-8 bytes are ``raw`` may hold a control character that without_controls takes out or
    looks_binary counts: False means neither has anything to do (their own search over the text is then spared)."""
    return len(raw.translate(None, _C0_BYTES)) != len(raw) or _C1_UTF8.search(raw) is not None


def normalise_label(label: str | None) -> str | None:
    """A codec name Python knows, mapping the Korean legacy labels to cp949."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _CP949_LABELS:
        return "cp949"
    if label in ("utf8", "unicode-1-1-utf-8"):
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_RE.search(content_type)
    return normalise_label(m.group(1)) if m else None


def meta_charset(data: bytes) -> str | None:
    m = _META_RE.search(data[:8192])
    return normalise_label(m.group(1).decode("ascii", "replace")) if m else None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (NFC text, encoding used)."""
    text, enc, _ = decode_page(data, content_type)
    return text, enc


def decode_page(data: bytes, content_type: str | None = None) -> tuple[str, str, bytes | None]:
    """decode_html's NFC text and encoding, and the text's UTF-8 bytes where they are ``data`` itself (UTF-8 read
    strictly, which NFC keeps: nearly every page), else None."""
    if data.startswith(codecs.BOM_UTF8):
        return nfc(data[3:].decode("utf-8", "replace")), "utf-8", None
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return nfc(data.decode("utf-16", "replace")), "utf-16", None
    wide = _utf16_without_bom(data)
    if wide:
        return nfc(data.decode(wide, "replace")), wide, None
    tried: list[str] = []
    for enc in (header_charset(content_type), meta_charset(data), "utf-8"):
        if enc and enc.replace("_", "-").startswith(("utf-16", "utf-32")):
            enc = "utf-8"          # a page readable as ASCII is no UTF-16 (neither BOM nor its shape above):
        if enc and enc not in tried:                # as browsers do (HTML's "utf-16 in a meta is utf-8"; review)
            tried.append(enc)
            text = _strict(data, enc)
            if text is not None:
                normal = nfc(text)         # the same object where NFC keeps the text (normalize's quick check)
                return normal, enc, data if enc == "utf-8" and normal is text else None
    # Nothing declared decodes cleanly: ask charset-normalizer, preferring Korean encodings.
    best = from_bytes(data[:200_000], cp_isolation=["cp949", "utf_8", "iso2022_kr", "johab"]).best()
    enc = normalise_label(best.encoding) if best is not None else None
    if enc is None:
        enc = tried[0] if tried else "utf-8"
    text = data.decode(enc, "replace")
    return nfc(text), enc, None


def nfc(text: str, piece: int = 32_768) -> str:
    """unicodedata.normalize("NFC", text), a long text in pieces of about ``piece`` characters cut before a line
    break: a page with one character that NFC changes (a CJK compatibility ideograph such as 李 U+F9E1, common in
    Korean names) was normalised whole, ~2 ms for 100,000 characters and ~20 ms for 350,000, where only its piece is
    now; a piece NFC keeps costs its quick check, as the whole text did, and a text NFC keeps is given back itself,
    as normalize gives it. The same text: a line break is a starter that composes with nothing, so NFC never carries
    anything across one."""
    if len(text) <= 2 * piece:
        return unicodedata.normalize("NFC", text)
    pieces, start, changed = [], 0, False
    while start < len(text):
        cut = text.find("\n", start + piece)
        cut = len(text) if cut < 0 else cut
        part = text[start:cut]
        pieces.append(unicodedata.normalize("NFC", part))
        changed = changed or pieces[-1] is not part         # normalize gives back the piece NFC keeps
        start = cut
    return "".join(pieces) if changed else text


def _utf16_without_bom(data: bytes) -> str | None:
    """utf_16_le or utf_16_be for UTF-16 text without a byte-order mark (Notepad's 'Unicode' saved by a
    program that drops it), as charset-normalizer detects it; else None. Asked only when NUL bytes (UTF-16 gives
    one to every space, digit and line break) are 1 in 40 of them or more and lie mostly one byte in two (UTF-8
    and CP949 text hold none, binary data as many at either place): a stray NUL in a page never makes it UTF-16."""
    if data.count(0, 0, 200_000) < max(2, min(len(data), 200_000) // 40):    # in C, no copy: too few NUL bytes
        return None
    head = data[:200_000]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < max(2, len(head) // 40) or min(even, odd) * 3 > max(even, odd):
        return None
    best = from_bytes(head, cp_isolation=["utf_16_le", "utf_16_be"]).best()
    enc = normalise_label(best.encoding) if best is not None else None
    return enc if enc in ("utf-16-le", "utf-16-be") and _strict(data[:len(data) // 2 * 2], enc) else None


def lossy_decoding(data: bytes, content_type: str | None = None) -> str:
    """'' when decode_html reads ``data`` without loss; else why not, in words for one line: how many
    characters became U+FFFD, and the encoding the bytes look like to charset-normalizer (to convert from)."""
    text, enc = decode_html(data, content_type)
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if _strict(body, enc) is not None or "\ufffd" not in text:
        return ""
    best = from_bytes(data[:200_000]).best()
    guess = normalise_label(best.encoding) if best is not None else None
    return (f"not UTF-8 or CP949 text: {text.count(chr(0xFFFD)):,} characters could not be read and became \ufffd"
            + (f"; it looks like {guess}: convert it to UTF-8 first (iconv -f {guess} -t utf-8)"
               if guess and guess not in ("utf-8", "cp949") else "; convert it to UTF-8 first"))


def looks_binary(text: str) -> bool:
    """Whether decoded ``text`` is binary data (a program, an image, a compressed file), not a page or text:
    more than 1% of its first 20,000 characters are control characters no text holds."""
    sample = text[:20000]
    return len(_CONTROL_CHARS.findall(sample)) > len(sample) // 100
