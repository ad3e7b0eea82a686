"""The mistakes in a request's parameters that Datasette (0.65) answers with a 500, as a server fault, though they
are the client's: found before Datasette trips on them, or their error given its right status, 400, so that a user
who mistypes a URL reads one line saying what is wrong (and monitoring sees no server fault). Used by
db/datasette_plugin.py (its ``asgi_wrapper`` and ``handle_exception`` hooks).
"""
from __future__ import annotations

import json
import re
from urllib.parse import unquote, unquote_to_bytes

from datasette.utils import tilde_decode
from datasette.views.base import DatasetteError

# The DatasetteErrors Datasette raises with its default status, 500, for a parameter the request got wrong.
CLIENT_MISTAKES = ("Cannot sort table by ", "Cannot use _sort and _sort_desc at the same time", "Invalid _through")
THROUGH = '_through must be JSON like {"table": ..., "column": ..., "value": ...}'


def as_client_mistake(exception: BaseException) -> None:
    """Give one of CLIENT_MISTAKES its status, 400 (Datasette's own error page then says so)."""
    if (isinstance(exception, DatasetteError) and exception.status == 500 and isinstance(exception.message, str)
            and exception.message.startswith(CLIENT_MISTAKES)):
        exception.status = 400


def _whole(value: str, low: int = -(1 << 63), high: int = (1 << 63) - 1) -> bool:
    """Whether Datasette's int() reads ``value`` into a number SQLite can bind (64-bit)."""
    try:
        return low <= int(value) <= high
    except ValueError:
        return False


def _json_object(value: str, strings: tuple[str, ...] = (), keys: tuple[str, ...] = ()) -> bool:
    """A JSON object whose ``strings`` are strings and which has every one of ``keys``."""
    try:
        data = json.loads(value)
    except ValueError:
        return False
    return (isinstance(data, dict) and all(isinstance(data.get(k), str) for k in strings)
            and all(k in data for k in keys))


def _read_values(args: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The values Datasette reads: every facet (request.args.getlist), else the first of each parameter; a blank
    one not at all (request.args.get)."""
    seen: set[str] = set()
    out = []
    for key, value in args:
        if key.startswith("_facet") or key not in seen:
            seen.add(key)
            out.append((key, value))
    return [(k, v) for k, v in out if v != ""]


async def parameter_mistake(datasette, path: str, args: list[tuple[str, str]]) -> str | None:
    """What is wrong, in one line, with a parameter Datasette would read with int() or json.loads() and fail on
    (a 500 with a traceback in serve's log); None when there is nothing of that kind."""
    for key, value in _read_values(args):
        if key == "_timelimit" and not _whole(value):
            return f"_timelimit must be a whole number of milliseconds, not {value!r}"
        if key == "_through" and not _json_object(value, ("table", "column"), ("value",)):
            return THROUGH
        if key.startswith("_facet") and value.startswith("{") and not _json_object(value, ("column",)):
            return f'{key} must be a column name or a JSON object like {{"column": ...}}'
        if key == "_next" and not _whole(value, 0) and await _is_view(datasette, path):
            return f"_next must be a whole number (the rows to skip) on a view, not {value!r}"
    return None


async def _is_view(datasette, path: str) -> bool:
    """Whether ``path`` is a view's page (/<database>/<view>, .json or .csv): its _next is an offset."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return False
    name = parts[1]
    for suffix in (".json", ".csv"):
        name = name.removesuffix(suffix)
    db = datasette.databases.get(tilde_decode(parts[0]))
    return db is not None and tilde_decode(name) in await db.view_names()


# ------------------------------------------------------------------------------------ the plugin's own pages
# Control characters: never in an article's text, and echoed raw into a page's HTML (a NUL in the search box's
# value) where autoescaping leaves them. Tab, newline and carriage return are whitespace to a query.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def not_utf8(query_string: str) -> str | None:
    """What is wrong, in one line, when a field's percent-decoded bytes are not UTF-8 (an EUC-KR or CP949 query,
    as an older page or tool sends it): decoded with replacement characters it said only 'no searchable word'.
    ``query_string``: the raw one, as Datasette's request gives it (latin-1)."""
    for part in query_string.split("&"):
        name, _, value = part.partition("=")
        raw = unquote_to_bytes(value.replace("+", " "))
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                seen = f": as EUC-KR they read {raw.decode('cp949')!r}"
            except UnicodeDecodeError:
                seen = ""
            return (f"{unquote(name) or 'a field'} is not UTF-8{visible(seen)}: send it UTF-8-encoded, as a browser "
                    "and the search form do")
    return None


def control_character(name: str, text: str) -> str | None:
    """One line when ``text`` holds a control character (a NUL, an escape), which no article's text holds."""
    m = _CONTROL.search(text)
    return None if m is None else f"{name} holds a control character (U+{ord(m.group()):04X}): leave it out"


def visible(text: str) -> str:
    """``text`` with its control characters as U+FFFD, to be echoed into a page."""
    return _CONTROL.sub("\ufffd", text)
