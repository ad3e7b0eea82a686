"""Click parameter types of the command line: the DATE of --since and --until, the range of article ids."""
from __future__ import annotations

import click

from scrapers.util.kst import date_bound

MAX_ID = 2 ** 63 - 1            # SQLite's largest integer


class DateType(click.ParamType):
    """YYYY-MM-DD (a whole day; 20250527, 2025.05.27 and 2025/05/27 are read as the same), or an ISO time (KST
    unless it says otherwise); nothing else."""

    name = "date"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return date_bound(value)
        except ValueError:
            self.fail(f"wants a date like 2025-05-27 (or 2025-05-27T09:00), not {value!r}", param, ctx)


DATE = DateType()


class TranslatorName(click.ParamType):
    """--translator: a backend's name (case aside); another is a usage mistake (exit 2), as every flag's."""

    name = "name"

    def convert(self, value, param, ctx):
        from translate.backends import BACKENDS
        if str(value).lower() not in BACKENDS:
            self.fail(f"unknown translator {value!r} (choose from: {', '.join(BACKENDS)})", param, ctx)
        return str(value).lower()


class ServerURL(click.ParamType):
    """--translator-url: an http(s) address; anything else is a usage mistake (exit 2)."""

    name = "url"

    def convert(self, value, param, ctx):
        from scrapers.util.urls import url_problem
        if problem := url_problem(str(value)):
            self.fail(f"{value!r} {problem}", param, ctx)
        return str(value)


TRANSLATOR, SERVER_URL = TranslatorName(), ServerURL()


def once(values: tuple[str, ...], flag: str, why: str) -> str | None:
    """The one value of an option that cannot take several (click's ``multiple=True`` lets a repeat be seen
    instead of the last one silently winning): a usage mistake (exit 2) when repeated."""
    if len(values) > 1:
        raise click.UsageError(f"{flag} is given {len(values)} times ({', '.join(values)}): {why}")
    return values[0] if values else None
