"""Articles that a JavaScript app (Next.js and the like) ships as data in a <script> instead of HTML."""
from __future__ import annotations

import json
import re

from .common import HANGUL

_JSON_STR = r'"((?:[^"\\]|\\.)*)"'
_PAYLOAD_BODY = re.compile(r'"(?:contentHtml|content_html|articleBodyHtml|bodyHtml|articleHtml|contentsHtml)"\s*:\s*'
                           + _JSON_STR)
_PAYLOAD_META = {
    "title": re.compile(r'"(?:title|headline)"\s*:\s*' + _JSON_STR),
    "subtitle": re.compile(r'"(?:subTitle|subtitle|subHeadline)"\s*:\s*' + _JSON_STR),
    "published": re.compile(r'"(?:deployDt|publishDate|publishedAt|datePublished|firstPublishDate|regDt)"\s*:\s*'
                            + _JSON_STR),
    "updated": re.compile(r'"(?:reDeployDt|updateDate|updatedAt|dateModified|modDt)"\s*:\s*' + _JSON_STR),
}


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


def _unjson(raw: str) -> str:
    try:
        return json.loads('"' + raw + '"')
    except ValueError:
        return ""


_FLIGHT = re.compile(r'__next_f\.push\(\[\s*\d+\s*,\s*("(?:[^"\\]|\\.)*")\s*\]\)')


def _flight_text(text: str) -> str:
    """The data of Next.js flight chunks (``self.__next_f.push([1, "…"])``): the JSON strings they push, decoded;
    a script that is one JSON string as a whole, decoded; else the text as it is."""
    chunks = []
    for m in _FLIGHT.finditer(text):
        try:
            chunks.append(json.loads(m.group(1)))
        except ValueError:
            continue
    return "".join(chunks) or _unjson(text.replace("\n", " ")) or text


def script_payload(doc) -> dict | None:
    """The article a JavaScript app (Next.js and the like) ships as data in a <script> instead of HTML:
    its body HTML and the title, subtitle and dates beside it. None when there is none."""
    best = None
    for script in doc.iter("script"):
        text = script.text or ""
        if "Html" not in text and "html" not in text:
            continue
        if '\\"' in text and '"contentHtml"' not in text:     # a Next.js flight chunk: one more escape level
            text = _flight_text(text)
        for m in _PAYLOAD_BODY.finditer(text):
            html_text = _unjson(m.group(1))
            if len(HANGUL.findall(html_text)) < 50:
                continue
            if best is None or len(html_text) > len(best["html"]):
                head = text[max(0, m.start() - 20000):m.start()]
                tail = text[m.end():m.end() + 20000]
                meta = {}
                for key, rx in _PAYLOAD_META.items():
                    found = list(rx.finditer(head))
                    value = _unjson(found[-1].group(1)) if found else ""
                    if not value:
                        later = rx.search(tail)
                        value = _unjson(later.group(1)) if later else ""
                    meta[key] = value
                best = {"html": html_text, **meta}
    return best

