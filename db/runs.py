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


# a stage's time, the status its work counts under (as a run's summary counts it), the count's name
_STAGE_TIMES = {"cleaned_at": ("clean_status", "cleaned"), "analysed_at": ("nlp_status", "analysed"),
                "translated_at": ("translate_status", "translated")}


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

    def mark_interrupted_runs(self) -> list[dict]:
        """Runs left 'running' by a killed process (the caller holds the lock, so none is live), marked
        interrupted, with the counts the stages' own records give (the articles cleaned, analysed and
        translated between its start and the next run's: one pass over the articles, ~1 s a 100,000 warm, only
        after a kill) and the time of its last stored work (None: nothing stored, or no trace of when); returned
        as [{"id", "started_at", "last_work_at", "counts"}]."""
        out = []
        with self._tx():
            for run_id, started in self.db.execute("SELECT id, started_at FROM runs WHERE status='running' "
                                                   "ORDER BY id").fetchall():
                end = self.db.execute("SELECT min(started_at) FROM runs WHERE id > ?", [run_id]).fetchone()[0]
                span = {"s": started, "e": end or "~"}            # '~' sorts after every ISO time
                inside = {c: f"{c} >= :s AND {c} < :e" for c in _STAGE_TIMES}     # any work of the run's span
                done = [f"count(CASE WHEN {inside[c]} AND {status}='done' THEN 1 END)"     # what its summary
                        for c, (status, _) in _STAGE_TIMES.items()]                     # would have counted
                work = [f"coalesce(CASE WHEN {inside[c]} THEN {c} END, '')" for c in _STAGE_TIMES]
                row = self.db.execute(f"SELECT {', '.join(done)}, max(max({', '.join(work)})) FROM articles",
                                      span).fetchone()
                counts = {**dict(zip((name for _, name in _STAGE_TIMES.values()), row[:3])),
                          "recovered": "from the articles' stage times; fetches unknown"}
                last = row[3] or None
                outcome = ("ended without a word (killed?)" + (f"; its last work stored at {last}" if last else "")
                           + "; kept, and resumed by the next run")
                self.db.execute("UPDATE runs SET status='interrupted', counts=?, outcome=? WHERE id=?",
                                [dumps(counts), outcome, run_id])
                out.append({"id": run_id, "started_at": started, "last_work_at": last, "counts": counts})
        return out
