"""The SQLite archive: ``Archive`` is the one door of db/ for pipeline/. db/ is the only package that writes SQL.

Every stage writes through one method here, in one transaction per article that holds everything a later
stage or a search reads (the word forms of ``ko_forms`` included) -- or, for the analysis, in a savepoint of a
transaction that commits a batch of whole articles (``batched``) -- so a run killed at any instant leaves each
article either before or after a stage, never half-way: the next run picks up exactly what is still pending.

Archive is a thin facade over small modules sharing one connection (db/connection.py):

- pages.py   sources, the page log and its retry policy, validators, the discovery cache, the frontier
- stages.py  the stage queues and what each stage stores (clean, analysis, translation)
- forms.py   the word-form table ``ko_forms`` and the rebuild of the search indexes
- memory.py  the translation memory (translate's ``Memory`` protocol)
- runs.py    the runs table
- views.py   the reads of the commands and pages (stats, article, listings)
"""
from __future__ import annotations

from scrapers.util.kst import KST, iso, now_kst
from scrapers.types import FETCH_POLICY

from .connection import ArchiveError, archive_kind, reader, require_archive, sha256
from .filters import article_filters
from .forms import Forms
from .memory import TranslationMemory
from .pages import GONE_RECHECK_DAYS, GONE_STATUSES, Pages
from .records import Failure
from .runs import Runs, failure_counts
from .stages import MAX_STAGE_ATTEMPTS, Stages
from .views import Views

__all__ = ["Archive", "ArchiveError", "Failure", "FETCH_POLICY", "GONE_RECHECK_DAYS", "GONE_STATUSES", "KST",
           "MAX_STAGE_ATTEMPTS", "article_filters",
           "archive_kind", "failure_counts", "iso", "now_kst", "reader", "require_archive", "sha256"]


class Archive(Pages, Stages, Forms, Runs, Views):
    """The archive at ``path`` (see Connection for ``clock``, ``readonly`` and ``any_version``)."""

    def memory(self, backend: str, replace: bool = False) -> TranslationMemory:
        """The translation memory of ``backend`` (``replace``: a retranslation's English replaces entries)."""
        return TranslationMemory(self, backend, replace)
