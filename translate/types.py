"""Typed records produced by the translate stage."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TranslatedText:
    """English for one Korean unit (title, subtitle or sentence)."""

    en: str | None
    error: str | None = None   # set when the unit failed QA or the backend


@dataclass
class ArticleTranslation:
    backend: str
    title: TranslatedText
    subtitle: TranslatedText
    sentences: list[TranslatedText] = field(default_factory=list)
    provenance: str = "machine"          # machine | publisher
    translated_at: str = ""

    @property
    def complete(self) -> bool:
        units = [self.title, *self.sentences]
        return all(u.error is None and u.en is not None for u in units)
