"""newspipe.toml: translator, politeness and limits. Every value can be overridden by a flag."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from scrapers.fetch import DEFAULT_UA
from scrapers.sources import ConfigError

DEFAULT_CONFIG = Path("newspipe.toml")


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
    retries: int = 3
    max_bytes: int = 5_000_000
    obey_robots: bool = True
    nlp_workers: int = -1
    nlp_model: str | None = None
    userdict: str | None = None
    limit: int | None = None
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
    ("fetch", "retries"): ("retries", int),
    ("fetch", "max_bytes"): ("max_bytes", int),
    ("fetch", "obey_robots"): ("obey_robots", bool),
    ("nlp", "workers"): ("nlp_workers", int),
    ("nlp", "model_type"): ("nlp_model", str),
    ("nlp", "userdict"): ("userdict", str),
    ("run", "limit"): ("limit", int),
}


_AT_LEAST_ONE = {"translator_concurrency", "translator_batch", "concurrency", "per_host"}


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
        data = tomllib.loads(p.read_text(encoding="utf-8"))
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
            if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
                raise ConfigError(f"{p}: {section}.{key} has the wrong type ({type(value).__name__})")
            if attr in _AT_LEAST_ONE and value < 1:
                raise ConfigError(f"{p}: {section}.{key} must be 1 or more")
            setattr(cfg, attr, value)
    if cfg.userdict:      # a relative path is relative to the config file, wherever the run starts
        cfg.userdict = str((p.parent / Path(cfg.userdict).expanduser()).resolve())
    else:
        cfg.userdict = None
    return cfg
