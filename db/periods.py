"""Periods of a count per KST day: day, ISO week (2024-W42) or month (2024-10), every period of a range listed
(the trend chart of /-/search, `newspipe trends`). Re-exported by db.search."""
from __future__ import annotations

from calendar import monthrange
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
        return f"{year}-W{week:02d}", start, start + min(timedelta(days=6), date.max - start)
    start = day.replace(day=1)
    return f"{day.year}-{day.month:02d}", start, day.replace(day=monthrange(day.year, day.month)[1])


MAX_PERIODS = 10_000                 # 27 years of days, 190 of weeks, every month of 800 years


def _count(first: date, last: date, by: str) -> int:
    """How many periods of ``by`` the range [first, last] touches."""
    if by == "day":
        return (last - first).days + 1
    if by == "week":
        return ((last - timedelta(days=last.weekday())) - (first - timedelta(days=first.weekday()))).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _listed(first: date, last: date, by: str) -> dict[str, list]:
    """label → [first day, last day, 0] of every period of ``by`` the range [first, last] touches, in order;
    QueryError past MAX_PERIODS."""
    count = _count(first, last, by)
    if count > MAX_PERIODS:
        raise QueryError(f"{first} to {last} is {count:,} {by}s: more than {MAX_PERIODS:,} periods to list; "
                         f"give a shorter range{'' if by == 'month' else ' or a longer period (--by month)'}")
    out: dict[str, list] = {}
    day = first
    while day <= last:
        label, start, end = _period_of(day, by)
        out.setdefault(label, [start, end, 0])
        if end >= last:
            break                                # (the day after 9999-12-31 is no date)
        day = end + timedelta(days=1)
    return out


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
    out = _listed(first, last, by)
    for d, n in parsed.items():
        if first <= d <= last:
            out[_period_of(d, by)[0]][2] += n
    return by, [Period(label, s.isoformat(), e.isoformat(), n) for label, (s, e, n) in out.items()]
