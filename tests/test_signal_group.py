"""A signal that reaches the run inside a task group. Found in an operations engineer's trial: SIGTERM to a run
started with SIGINT ignored (`newspipe run &` from a script), arriving while httpx's anyio connect_tcp ran its
task group, ended (1 in ~45) in a 130-line `BaseExceptionGroup: unhandled errors in a TaskGroup` traceback
around pipeline.types.Terminated, exit 1, the run recorded as failed with that text. A real anyio task group
here: the Terminated comes out of it wrapped, as it did then."""
from __future__ import annotations

import json
import sqlite3

import anyio
import pytest
from click.testing import CliRunner

from conftest import demo_archive
from pipeline.cli import cli
from pipeline.run import Pipeline
from pipeline.types import Terminated, interruption, stop_signal


def _group_raising(exc: BaseException) -> BaseException:
    """What anyio's TaskGroup raises when ``exc`` is raised in its body while a task of it still waits (a signal
    handler raising in connect_tcp's happy-eyeballs loop)."""
    async def main():
        async with anyio.create_task_group() as tg:
            tg.start_soon(anyio.sleep, 5)
            await anyio.sleep(0.01)
            raise exc
    try:
        anyio.run(main)
    except BaseException as caught:        # noqa: BLE001 - the test looks at what came out
        return caught
    raise AssertionError("the task group raised nothing")


def test_a_signal_inside_a_task_group_is_that_signal():
    group = _group_raising(Terminated())
    assert isinstance(group, BaseExceptionGroup)                     # what the trial's traceback showed
    assert isinstance(stop_signal(group), Terminated)
    assert interruption(group)[:2] == ("interrupted", 143)
    ctrl_c = _group_raising(KeyboardInterrupt())
    assert isinstance(ctrl_c, BaseExceptionGroup) and interruption(ctrl_c)[:2] == ("interrupted", 130)
    other = _group_raising(ValueError("a bug"))
    assert stop_signal(other) is None and interruption(other) is None   # a bug stays a failure


def test_a_run_stopped_by_sigterm_inside_a_task_group_exits_143_and_is_recorded_so(tmp_path, monkeypatch):
    arch, _ = demo_archive(tmp_path, files=("ndsoft-1001.html",))
    arch.close()

    def stopped_while_connecting(self, options, summary):
        raise _group_raising(Terminated())

    monkeypatch.setattr(Pipeline, "analyse", stopped_while_connecting)
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "run", "--no-crawl", "--no-translate"])
    assert res.exit_code == 143, res.output
    assert res.stderr.splitlines()[-1].startswith("newspipe: error: stopped (SIGTERM): ")
    assert "Traceback" not in res.stderr and "ExceptionGroup" not in res.stderr
    con = sqlite3.connect(tmp_path / "t.db")
    row = con.execute("SELECT status, exit_code, outcome FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert row[:2] == ("interrupted", 143) and row[2].startswith("stopped by SIGTERM"), row
