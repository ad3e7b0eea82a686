"""SIGTERM during an event loop where SIGINT is ignored (pipeline.aio): the run's tasks are cancelled and awaited,
Terminated comes out, and asyncio has nothing left to log (CI saw 'Task exception was never retrieved' with a
traceback after the run's one line, one run in three)."""
import asyncio
import gc
import logging
import signal

import pytest

import pipeline.types
from pipeline import aio
from pipeline.cli.errors import terminate
from pipeline.types import Terminated


@pytest.fixture
def sigint_ignored(monkeypatch):
    monkeypatch.setattr(pipeline.types, "_terminated", False)
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    old_term = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


async def _crawl(ended: list[str]):
    async def fetch(name: str, kill: bool):
        try:
            await asyncio.sleep(0.01)
            if kill:                                   # the signal lands inside this task's step
                signal.raise_signal(signal.SIGTERM)
                sum(range(1000))                       # bytecode after it: the handler runs here
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            ended.append(f"{name} cancelled")
            raise
    await asyncio.gather(fetch("a", False), fetch("b", True), fetch("c", False))


def test_sigterm_cancels_every_task_and_leaves_nothing_to_log(sigint_ignored, caplog):
    ended: list[str] = []
    with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(Terminated):
        aio.run(_crawl(ended))
    gc.collect()                                       # where asyncio logs a task's exception nobody retrieved
    assert sorted(ended) == ["a cancelled", "b cancelled", "c cancelled"]
    assert not [r.getMessage() for r in caplog.records if r.name == "asyncio"]


def test_a_task_that_swallows_its_cancellation_still_stops(sigint_ignored):
    async def stubborn():
        try:
            await asyncio.sleep(0.01)
            signal.raise_signal(signal.SIGTERM)
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            return "went on"                           # a library that eats CancelledError
    with pytest.raises(Terminated):
        aio.run(stubborn())


def test_without_a_signal_run_is_asyncio_run(monkeypatch):
    monkeypatch.setattr(pipeline.types, "_terminated", False)

    async def answer():
        await asyncio.sleep(0)
        return 42
    assert aio.run(answer()) == 42
    assert aio.cancel_running() is False               # no loop: SIGTERM's handler raises instead
