"""Korea Standard Time: every timestamp newspipe writes is ISO-8601 in KST (+09:00), to the second."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")


def now_kst() -> datetime:
    return datetime.now(KST)


def iso(dt: datetime) -> str:
    """``dt`` (aware) as ISO-8601 in KST, to the second: 2025-05-27T09:12:00+09:00."""
    return dt.astimezone(KST).isoformat(timespec="seconds")
