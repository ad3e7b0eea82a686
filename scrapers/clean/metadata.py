"""Metadata from the DOM: <meta> tags in one pass, JSON-LD, titles without the site's suffix, JSON-LD authors."""
from __future__ import annotations

import json
import re

from .common import NAME, REPORTER_TITLES, norm

def metas(doc) -> dict[str, str]:
    """Each <meta> name (property, name or itemprop) with its first non-empty content, in one pass."""
    found: dict[str, str] = {}
    for el in doc.iter("meta"):
        v = (el.get("content") or "").strip()
        if v:
            for attr in ("property", "name", "itemprop"):
                key = el.get(attr)
                if key and key not in found:
                    found[key] = v
    return found


def meta(metas: dict[str, str], *names: str) -> str:
    for name in names:
        if name in metas:
            return norm(metas[name])
    return ""


def jsonld(doc) -> dict:
    """The first NewsArticle-like JSON-LD object on the page."""
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                if "@graph" in item and isinstance(item["@graph"], list):
                    stack.extend(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting") for k in kinds):
                    return item
    return {}


def strip_site_suffix(title: str) -> str:
    """'기사 제목 - 전북일보', '기사 제목 : 뉴스 : 동아닷컴', '대전일보 모바일 :: 기사 제목' → '기사 제목'."""
    if " :: " in title:                      # 'site :: title': the longest part is the headline
        title = max(title.split(" :: "), key=len).strip()
    title = re.sub(r"(?:\s+:\s+[^:]{1,10}){1,3}$", "", title) if " : " in title else title
    t = re.sub(r"\s*(?:[-|ㅣ｜:·<]\s*)+[^-|ㅣ｜]{1,30}$", "", title) if re.search(r"[-|ㅣ｜]\s*[^-|ㅣ｜]{1,30}$", title) else title
    t = re.sub(r"-[^-]{1,10}ㅣ[^ㅣ]{1,15}$", "", t)
    return t.strip() or title



def ld_authors(ld: dict) -> list[str]:
    raw = ld.get("author")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item if isinstance(item, str) else ""
        name = norm(str(name or ""))
        m = re.match(r"^(" + NAME + r")(?:\s*" + REPORTER_TITLES + r")?$", name)
        if m:
            names.append(m.group(1))
    return names
