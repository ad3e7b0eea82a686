"""Periods of a count per KST day: day, ISO week (2024-W42) or month (2024-10), every period of a range listed
(the trend chart of /-/search, `newspipe trends`). Re-exported by db.search."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nlp.query import QueryError


@dataclass(frozen=True)
class Period:
    label: str                       # 2024-10-17, 2024-W42 or 2024-10
    start: str                       # its first and last day (YYYY-MM-DD)
    end: str
    count: int


BY = ("day", "week", "month")


def _period_of(day: date, by: str) -> tuple[str, date, date]:
    if by == "day":
        return day.isoformat(), day, day
    if by == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"{day.year}-{day.month:02d}", start, end


def pick_period(first: date, last: date) -> str:
    """day for a range of up to two months, week up to two years, else month."""
    span = (last - first).days + 1
    return "day" if span <= 62 else "week" if span <= 731 else "month"


def periods(days: dict[str, int], by: str | None = None, since: str | None = None,
            until: str | None = None) -> tuple[str, list[Period]]:
    """Counts per KST day → counts per day, ISO week (2024-W42) or month (2024-10), every period of the
    range [since or the first day, until or the last day] listed, empty ones with 0. ``by`` None picks by
    the length of the range (pick_period). Returns (by, periods)."""
    if by is not None and by not in BY:
        raise QueryError(f"--by must be day, week or month, not {by!r}")
    parsed = {}
    for d, n in days.items():
        try:
            parsed[date.fromisoformat(d[:10])] = parsed.get(date.fromisoformat(d[:10]), 0) + n
        except (TypeError, ValueError):
            continue
    if not parsed and not (since and until):
        return by or "day", []
    first = date.fromisoformat(since[:10]) if since else min(parsed)
    last = date.fromisoformat(until[:10]) if until else max(parsed)
    if last < first:
        return by or "day", []
    by = by or pick_period(first, last)
    out: dict[str, list] = {}
    day = first
    while day <= last:
        label, start, end = _period_of(day, by)
        out.setdefault(label, [start, end, 0])
        day = end + timedelta(days=1)
    for d, n in parsed.items():
        if first <= d <= last:
            out[_period_of(d, by)[0]][2] += n
    return by, [Period(label, s.isoformat(), e.isoformat(), n) for label, (s, e, n) in out.items()]
