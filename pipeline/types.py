"""The records of a run: what it was asked to do (RunOptions) and what it did (RunSummary)."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from db.records import Failure


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd, `timeout`, `kill`): stops a command as Ctrl-C does -- whatever was committed stays --
    and ends it with 143 (128 + 15), as a shell reports it. The handler newspipe's main() installs marks the
    process terminated and raises SIGINT in it, so that asyncio stops its tasks as it does for a Ctrl-C (an
    exception raised inside its loop left coroutines never awaited); the KeyboardInterrupt that follows counts
    as this."""


_terminated = False


def mark_terminated() -> None:
    global _terminated
    _terminated = True


def terminated() -> bool:
    """Whether a SIGTERM has come (cli.errors.terminate)."""
    return _terminated


def is_sigterm(exc: BaseException) -> bool:
    return isinstance(exc, Terminated) or (isinstance(exc, KeyboardInterrupt) and _terminated)


def stop_signal(exc: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt (or Terminated) that stopped ``exc``: itself, or one inside an exception group --
    anyio's task groups (httpx's connect_tcp) wrap what their tasks raised, a SIGTERM's Terminated too when SIGINT
    is ignored (see cli.errors.terminate) -- a Terminated first; None when no signal stopped it."""
    if isinstance(exc, KeyboardInterrupt):
        return exc
    if not isinstance(exc, BaseExceptionGroup):
        return None
    found = [sig for sig in map(stop_signal, exc.exceptions) if sig is not None]
    return next((sig for sig in found if is_sigterm(sig)), found[0] if found else None)


def interruption(exc: BaseException) -> tuple[str, int, str] | None:
    """(run status, exit code, outcome in words) of a run stopped by a signal, or None for any other end."""
    exc = stop_signal(exc) or exc
    if is_sigterm(exc):
        return "interrupted", 143, "stopped by SIGTERM; what was committed stays, the next run goes on"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", 130, "interrupted (Ctrl-C); what was committed stays, the next run goes on"
    return None


def killed_line(run: dict) -> str:
    """The next run's word on a run that ended without one (db.Archive.mark_interrupted_runs's record)."""
    c = run["counts"]
    when = (f"{run['last_work_at']} (its last stored work)" if run["last_work_at"] else
            f"an unknown time after it started ({run['started_at']})")
    return (f"run {run['id']} was interrupted (killed?) at {when}; its work is kept and resumed: it had cleaned "
            f"{c['cleaned']}, analysed {c['analysed']} and translated {c['translated']} articles (its fetches "
            "are not counted)")


@dataclass
class RunOptions:
    limit: int | None = None            # at most this many articles per stage in this run
    crawl: bool = True
    translate: bool = True
    source_ids: tuple[str, ...] = ()
    retranslate: bool = False           # translate the selection again (only that), keeping earlier versions
    since: str | None = None            # selection of --retranslate by publication date
    until: str | None = None
    translate_concurrency: int = 2      # requests in flight to the translation backend
    translate_batch: int = 8            # articles whose sentences share packs
    refresh_days: int | None = None     # fetch again, conditionally, the articles published in the last N days
    stories_threshold: float = 0.2      # [stories]: similarity to join a story, and its window in days
    stories_days: int = 3
    where: str = ""                     # the archive (new or not) and the settings file, for the first log line
    retried: dict = field(default_factory=dict)   # --retry-failed: the articles given three more attempts, by stage

    def record(self) -> dict:
        """The options kept in the run's row (runs.options)."""
        return {"limit": self.limit, "crawl": self.crawl, "translate": self.translate,
                "sources": list(self.source_ids), **({"retry_failed": self.retried} if self.retried else {})}

    def describe(self, n_sources: int, archive_path) -> str:
        """What the run was asked to do, and where (``where``, else the archive's absolute path): a night's first
        log line."""
        return f"{self._what(n_sources)}; {self.where or 'archive ' + os.path.abspath(archive_path)}"

    def _what(self, n_sources: int) -> str:
        if self.retranslate:
            return "retranslating the selection"
        ids = list(self.source_ids)
        what = [f"sources {', '.join(ids)}" if ids else f"{n_sources} sources" if self.crawl else "no crawl"]
        what += [f"refresh {self.refresh_days} days"] if self.refresh_days else []
        what += [] if self.translate else ["no translation"]
        return ", ".join(what + ([f"limit {self.limit}"] if self.limit else []))


@dataclass
class RunSummary:
    run_id: int
    counts: Counter = field(default_factory=Counter)
    errors: list[Failure] = field(default_factory=list)
    pending: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reached: set = field(default_factory=set)   # sources that answered at least one fetch (a page or a 304)
    refused: set = field(default_factory=set)   # sources whose robots.txt refused a fetch (or its Crawl-delay)
    exit_code: int = 0                          # 0 completed; 3 completed, but nothing could be fetched
    outcome: str = "completed"

    def unreached(self, tried: int) -> str:
        """The outcome of a crawl no source answered: unreachable, or refused by its robots.txt (the site was
        there: 'could not be reached' sent a new user looking at the network)."""
        if not self.refused:
            return f"no source could be reached ({tried} tried)"
        return f"no source could be read ({tried} tried: robots.txt refused {len(self.refused)}; see 'newspipe " \
               "sources check')"

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "counts": dict(self.counts), "pending": self.pending,
                "failed": len(self.errors), "notes": self.notes, "seconds": round(self.seconds, 1),
                "exit_code": self.exit_code, "outcome": self.outcome}
