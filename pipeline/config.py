"""newspipe.toml: translator, politeness and limits. Seven values can be overridden by a flag of ``newspipe run``
(--translator, --translator-url, --user-agent, --delay, --concurrency, --timeout, --limit); the rest are
config-only."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click

from scrapers.fetch import DEFAULT_UA
from scrapers.sources import ConfigError

DEFAULT_CONFIG = Path("newspipe.toml")
# newspipe.toml.example's user agent: a contact at example.org, which no site's operator can reach (a run warns)
EXAMPLE_UA = "newspipe/0.1 (+https://example.org/newsroom; contact: desk@example.org)"


@dataclass
class Config:
    path: Path | None = None
    translator: str = "google"
    translator_url: str | None = None
    translator_timeout: float = 30.0
    translator_concurrency: int = 2
    translator_batch: int = 8
    user_agent: str = DEFAULT_UA
    delay: float = 1.0
    concurrency: int = 8
    per_host: int = 1
    timeout: float = 20.0
    total_timeout: float = 60.0
    retries: int = 3
    max_crawl_delay: float = 60.0
    max_bytes: int = 5_000_000
    obey_robots: bool = True
    nlp_workers: int = -1
    nlp_model: str | None = None
    userdict: str | None = None
    limit: int | None = None
    stories_threshold: float = 0.2      # pipeline.stories.THRESHOLD
    stories_days: int = 3               # pipeline.stories.DAYS
    extra: dict = field(default_factory=dict)


_KEYS = {
    ("translate", "backend"): ("translator", str),
    ("translate", "url"): ("translator_url", str),
    ("translate", "timeout"): ("translator_timeout", (int, float)),
    ("translate", "concurrency"): ("translator_concurrency", int),
    ("translate", "batch"): ("translator_batch", int),
    ("fetch", "user_agent"): ("user_agent", str),
    ("fetch", "delay"): ("delay", (int, float)),
    ("fetch", "concurrency"): ("concurrency", int),
    ("fetch", "per_host"): ("per_host", int),
    ("fetch", "timeout"): ("timeout", (int, float)),
    ("fetch", "total_timeout"): ("total_timeout", (int, float)),
    ("fetch", "max_crawl_delay"): ("max_crawl_delay", (int, float)),
    ("fetch", "retries"): ("retries", int),
    ("fetch", "max_bytes"): ("max_bytes", int),
    ("fetch", "obey_robots"): ("obey_robots", bool),
    ("nlp", "workers"): ("nlp_workers", int),
    ("nlp", "model_type"): ("nlp_model", str),
    ("nlp", "userdict"): ("userdict", str),
    ("run", "limit"): ("limit", int),
    ("stories", "threshold"): ("stories_threshold", (int, float)),
    ("stories", "days"): ("stories_days", int),
}


# The range of each number, (lowest, highest or None; an int bound for a whole number): the file is checked
# against it, and so are the flags of 'newspipe run' that set the same value (their click types come from it).
DAY = 86_400     # seconds: the longest wait or timeout a setting may ask for (a socket refuses 1e300)
LIMITS: dict[str, tuple[float, float | None]] = {
    "translator_timeout": (0.1, DAY), "translator_concurrency": (1, None), "translator_batch": (1, None),
    "delay": (0.0, DAY), "concurrency": (1, None), "per_host": (1, None), "timeout": (0.1, DAY),
    "total_timeout": (0.1, DAY), "max_crawl_delay": (0.0, DAY), "retries": (0, 100), "max_bytes": (1, None),
    "limit": (1, 1_000_000_000),     # SQLite's LIMIT: 64 bits
    "stories_threshold": (0.05, 1.0), "stories_days": (0, 365),
}


def flag_type(attr: str) -> click.ParamType:
    """The click type of the flag that sets ``attr``: its range is the one the file is checked against."""
    low, high = LIMITS[attr]
    if isinstance(low, int):
        return click.IntRange(low, high)
    return click.FloatRange(low, high)


_SECONDS = {"translator_timeout", "delay", "timeout", "total_timeout", "max_crawl_delay"}
_TOML_TYPES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false", list: "a list",
               dict: "a table"}


def _wrong_type(p: Path, section: str, key: str, attr: str, typ, value) -> ConfigError:
    """`fetch.delay = "2" is a string: it must be a number of seconds (delay = 2)`."""
    wanted = ("a number of seconds" if attr in _SECONDS else "a number" if typ == (int, float)
              else _TOML_TYPES.get(typ, typ.__name__))
    got = next((name for t, name in _TOML_TYPES.items() if type(value) is t), f"a {type(value).__name__}")
    low = LIMITS.get(attr, (None, None))[0]
    example = {"true or false": "true", "a string": '"…"'}.get(wanted) or _num(low if low is not None and low > 0 else
                                                                             (3 if wanted == "a whole number" else 2))
    return ConfigError(f"{p}: {section}.{key} = {_toml(value)} is {got}: it must be {wanted} ({key} = {example})")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def _toml(value) -> str:
    """A value as the file spells it (review: Python's 'True', '20' in single quotes, datetime.date(…))."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):      # escaped as TOML writes them, so the error stays one line (a """ string)
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else _ESCAPES.get(c) or
                             (f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}") for c in value) + '"'
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


def _num(x: float) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def _check_range(p: Path, section: str, key: str, attr: str, value) -> None:
    low, high = LIMITS.get(attr, (None, None))
    if value != value or low is not None and value < low or high is not None and value > high:   # nan too
        bound = f"at least {_num(low)}" if high is None else f"between {_num(low)} and {_num(high)}"
        raise ConfigError(f"{p}: {section}.{key} = {_toml(value)} is out of range: it must be {bound}")


def _check_translator(p: Path, cfg: Config) -> None:
    from scrapers.util.urls import url_problem
    from translate.backends import BACKENDS
    if cfg.translator.lower() not in BACKENDS:
        raise ConfigError(f"{p}: translate.backend = {cfg.translator!r} is not one of {', '.join(BACKENDS)}")
    cfg.translator_url = cfg.translator_url or None          # url = "" is no server, as the example writes it
    if cfg.translator_url and (problem := url_problem(cfg.translator_url)):
        raise ConfigError(f"{p}: translate.url = {cfg.translator_url!r} {problem}")


def load_config(path: str | Path | None = None) -> Config:
    """Read ``path``, else $NEWSPIPE_CONFIG, else ./newspipe.toml when it exists; else defaults."""
    explicit = path or os.environ.get("NEWSPIPE_CONFIG")
    p = Path(explicit) if explicit else DEFAULT_CONFIG
    cfg = Config()
    if not p.exists():
        if explicit:
            raise ConfigError(f"{p}: config file not found")
        return cfg
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))    # a byte-order mark (Notepad's) is no text
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: {exc}") from None
    cfg.path = p
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{p}: '{section}' must be a table like [{section}]")
        for key, value in table.items():
            target = _KEYS.get((section, key))
            if target is None:
                known = ", ".join(f"{s}.{k}" for s, k in _KEYS)
                raise ConfigError(f"{p}: unknown setting {section}.{key} (known: {known})")
            attr, typ = target
            if not isinstance(value, typ) or (isinstance(value, bool) and typ is not bool):   # True is an int
                raise _wrong_type(p, section, key, attr, typ, value)
            _check_range(p, section, key, attr, value)
            setattr(cfg, attr, value)
    _check_translator(p, cfg)
    if cfg.userdict:      # a relative path is relative to the config file, wherever the run starts
        cfg.userdict = str((p.parent / Path(cfg.userdict).expanduser()).resolve())
    else:
        cfg.userdict = None
    return cfg
