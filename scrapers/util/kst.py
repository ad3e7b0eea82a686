"""Korea Standard Time: every timestamp newspipe writes is ISO-8601 in KST (+09:00), to the second."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")


def now_kst() -> datetime:
    return datetime.now(KST)


def iso(dt: datetime) -> str:
    """``dt`` (aware) as ISO-8601 in KST, to the second: 2025-05-27T09:12:00+09:00."""
    return dt.astimezone(KST).isoformat(timespec="seconds")


def date_bound(value: str) -> str:
    """A --since/--until (or the web's since/until) as the archive compares it: YYYY-MM-DD for a whole day
    (20250527 is read as the same), an ISO time in KST unless it says otherwise; ValueError for anything else."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return iso(moment)
