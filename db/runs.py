"""The runs table: when each run started and ended, how (exit code, outcome in words), its counts and its
failures counted by reason. A mixin of Archive."""
from __future__ import annotations

import os
from collections.abc import Iterable

from .connection import Connection, dumps
from .records import Failure


def failure_counts(errors: Iterable[Failure]) -> dict[str, int]:
    """Failures counted by stage and reason (``{"fetch: HTTP 500": 3, …}``), the most frequent first."""
    counts: dict[str, int] = {}
    for e in errors:
        key = f"{e.stage}: {e.reason}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


class Runs(Connection):
    def start_run(self, options: dict) -> int:
        with self._tx():
            cur = self.db.execute("INSERT INTO runs(started_at, status, pid, options) VALUES (?,?,?,?)",
                                  [self.now(), "running", os.getpid(), dumps(options)])
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict, errors: list[Failure],
                   exit_code: int | None = None, outcome: str | None = None) -> None:
        """Record how a run ended: its exit code and outcome in words, every failure counted by reason, and the
        first 500 failures themselves."""
        with self._tx():
            self.db.execute("UPDATE runs SET ended_at=?, status=?, counts=?, errors=?, exit_code=?, outcome=?, "
                            "failures=? WHERE id=?",
                            [self.now(), status, dumps(counts), dumps([e.as_dict() for e in errors[:500]]),
                             exit_code, outcome, dumps(failure_counts(errors)), run_id])

    def mark_interrupted_runs(self) -> None:
        """Runs left 'running' by a killed process (the caller holds the lock, so none is live)."""
        with self._tx():
            self.db.execute("UPDATE runs SET status='interrupted' WHERE status='running'")
