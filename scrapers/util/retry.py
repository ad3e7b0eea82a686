"""The waits of the two retry loops (the fetcher's, the translator's): a server's Retry-After, else
exponential backoff, never more than a cap."""
from __future__ import annotations

import email.utils
import time
from collections.abc import Callable


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A Retry-After header in seconds from now: delay-seconds (``120``) or an HTTP date; None when absent
    or unreadable. A date in the past is 0."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def backoff_wait(attempt: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """Seconds to wait before retry ``attempt + 1``: the server's Retry-After when it gave one, else
    ``base * 2**attempt``; at most ``cap``."""
    wait = retry_after if retry_after is not None else base * (2 ** attempt)
    return min(wait, cap)
