"""Korea Standard Time: every timestamp newspipe writes is ISO-8601 in KST (+09:00), to the second."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")


def now_kst() -> datetime:
    return datetime.now(KST)


def iso(dt: datetime) -> str:
    """``dt`` (aware) as ISO-8601 in KST, to the second: 2025-05-27T09:12:00+09:00."""
    return dt.astimezone(KST).isoformat(timespec="seconds")


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")
# a day as Korean pages print it and an editor types it (2024.10.17, 2024.10.17., 2024/10/17): year first, so never
# ambiguous; two digits each, as YYYY-MM-DD wants them
_DAY_KO = re.compile(r"(\d{4})(?:\.(\d{2})\.(\d{2})\.?|/(\d{2})/(\d{2}))")


def date_bound(value: str) -> str:
    """A --since/--until (or the web's since/until) as the archive compares it: YYYY-MM-DD for a whole day
    (20250527, 2025.05.27 and 2025/05/27 are read as the same), an ISO time in KST unless it says otherwise;
    ValueError for anything else. A week ('2024-W31', which Python reads as its Monday) is refused: the search
    would cover one day of it."""
    if m := _DAY_KO.fullmatch(value):
        value = f"{m[1]}-{m[2] or m[4]}-{m[3] or m[5]}"
    if _DAY.fullmatch(value):
        return date.fromisoformat(value).isoformat()
    if not re.match(r"\d{4}-?\d{2}-?\d{2}[Tt ]", value):
        raise ValueError(f"not a date (YYYY-MM-DD) or an ISO time: {value!r}")
    moment = datetime.fromisoformat(value[:-1] + "Z" if value.endswith("z") else value)     # UTC's z as its Z
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    try:
        return iso(moment)
    except OverflowError:       # '9999-12-31T23:00-14:00' is past the last day Python counts in KST
        raise ValueError(f"out of range in KST: {value!r}") from None
