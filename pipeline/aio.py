"""``asyncio.run`` that a SIGTERM stops as a Ctrl-C does, also where SIGINT is ignored.

SIGTERM's handler (cli.errors.terminate) stops a command by raising SIGINT, which asyncio.run turns into a
cancellation of its main task: every task is cancelled and awaited, and KeyboardInterrupt comes out of
asyncio.run. A job a script starts with '&' has SIGINT ignored, so asyncio.run installs no handler of its own
and raising SIGINT does nothing; raising the exception in the handler instead lands it inside whichever task
happened to run, which asyncio then keeps as that task's result: a traceback "Task exception was never
retrieved" was logged at the process's end, after its one line (found by CI, 1 run in 3). Here the handler
cancels the main task as asyncio's own would, and Terminated comes out of ``run``.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from .types import Terminated, terminated

T = TypeVar("T")
_cancel: Callable[[], None] | None = None          # the running main task's cancel, for SIGTERM's handler


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``; a SIGTERM meanwhile (see ``cancel_running``) raises Terminated once every task
    has been cancelled and awaited."""
    async def main() -> T:
        global _cancel
        task, loop = asyncio.current_task(), asyncio.get_running_loop()

        def cancel() -> None:
            task.cancel()
            loop.call_soon_threadsafe(lambda: None)  # wakes a loop waiting in select(), as asyncio's own does

        _cancel = cancel
        try:
            return await coro
        finally:
            _cancel = None

    try:
        result = asyncio.run(main())
    except asyncio.CancelledError:
        if terminated():
            raise Terminated() from None
        raise
    if terminated():               # a task that swallowed its cancellation: the command stops all the same
        raise Terminated()
    return result


def cancel_running() -> bool:
    """From SIGTERM's handler: cancel the main task of ``run``'s loop, if one runs; False when none does.
    A second SIGTERM while the tasks are being cancelled raises at once, as a second Ctrl-C does."""
    global _cancel
    cancel, _cancel = _cancel, None
    if cancel is None:
        return False
    cancel()
    return True
