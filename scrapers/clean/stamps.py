"""A wire photo's caption printed as a paragraph (page text; round 14 of issue 13): the wire's lead byline, the
sentence of the photo, then the photo's date stamp and the photographer's e-mail ('[가나=뉴스통신] 홍길동 기자 =
시민들이 … 걷고 있다. 2016.07.22. hong@…'). Running text never ends in a date stamp and an address: a caption,
whatever its length, and the lead byline in it names the photographer, not the reporter of the text under it.
(A leaf module beside genres.py, which calls it: it imports nothing of the cleaner but common.py.)

Anchored at the line's start and end, bounded repeats, no nested quantifier: linear on any line."""
from __future__ import annotations

import re

from .common import EMAIL, NAMES

WIRE_CAPTION = "wire photo caption (date stamp and photographer's e-mail)"
_WIRE_LEAD = re.compile(r"^\s*[\[(【][^\])】=]{1,20}=[^\])】]{1,20}[\])】]\s*" + NAMES + r"\s*(?:사진)?\s*기자\s*=\s*\S")
_STAMP = re.compile(r"(?<=[.다])\s{0,3}(?:19|20)\d{2}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s{0,3}(?:/\s{0,3}[가-힣A-Za-z0-9]{1,10}\s{0,3})?"
                    r"(?P<mail>" + EMAIL.pattern + r")?\s*$")
MAX = 600


def wire_photo_caption(text: str) -> bool:
    """'[가나=뉴스통신] 홍길동 기자 = … 걷고 있다. 2016.07.22. hong@…': a photo's caption (see the module's doc)."""
    if len(text) > MAX:
        return False
    m = _STAMP.search(text)
    return bool(m) and (bool(m.group("mail")) or bool(_WIRE_LEAD.match(text)))


def wire_photo_captions(blocks) -> None:
    for b in blocks:
        if b.kind in ("body", "byline") and wire_photo_caption(b.text):     # its e-mail can make it read as a byline
            b.kind, b.reason = "caption", WIRE_CAPTION
