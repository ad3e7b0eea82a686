"""The one place where errors a user can fix become one line on stderr.

A ``UserError`` raised anywhere below a command (a bad path, setting, query, a lock held) is printed as
``newspipe: error: …`` with exit code 1 (or its own ``exit_code``: 2 for a range that ends before it starts, 75 for the archive's lock held); a mistake on the command line itself (an unknown option, a value
out of range, a bad date) is printed the same way, with click's exit code 2. Anything else is a bug and
keeps its traceback.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys

import click

from scrapers.errors import UserError


class OneLine(click.ClickException):
    """Printed as one line, 'newspipe: error: …'."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"newspipe: error: {self.format_message()}", err=True)


_GLOBAL = {"-v", "--verbose", "--db", "--sources", "--config", "--version"}
_FLAGS = {"-v", "--verbose", "--version"}          # the top level's options that take no value


def _one_line_usage(exc: click.UsageError) -> OneLine:
    where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
    message = exc.format_message()
    if isinstance(exc, click.NoSuchOption) and exc.option_name in _GLOBAL and exc.ctx is not None:
        command = exc.ctx.command_path.split(" ", 1)[-1]
        name = exc.option_name
        also = f"; or this command's {exc.possibilities[0]}" if exc.possibilities else ""     # run's --source
        message = exc.message          # click's "did you mean --since?" alone misled for `run --sources x.toml`
        where = (f" ({name} is newspipe's own option: it goes before the command, "
                 f"'newspipe {name}{'' if name in _FLAGS else ' …'} {command} …'{also})")
        if name == "--version":                    # answered alone: no command after it
            where = " (--version is newspipe's own option: 'newspipe --version')"
    # click lays some messages out on lines of their own ("Choose from:\n\tjsonl,\n\ttsv"): one line, no tabs
    return OneLine(re.sub(r"[ \t]*\n\s*", " ", message) + where, exc.exit_code)


# `newspipe` alone prints the help (click raises this UsageError for it): left to click.
_HELP_ERRORS = tuple(filter(None, [getattr(click.exceptions, "NoArgsIsHelpError", None)]))


class Group(click.Group):
    """A click group whose commands' user errors become one line: UserError (exit 1), usage errors (exit 2)."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise OneLine(str(exc), getattr(exc, "exit_code", 1)) from None
        except KeyboardInterrupt as exc:     # Ctrl-C, SIGINT: 128 + 2, as a shell reports it (click says 1);
            raise stopped(exc) from None     # SIGTERM: 128 + 15
        except BaseExceptionGroup as group:  # one a task group (anyio's, in httpx) wrapped: the same
            from pipeline.types import stop_signal
            if (signal_exc := stop_signal(group)) is None:
                raise
            raise stopped(signal_exc) from None
        except sqlite3.DatabaseError:        # an archive read as a snapshot changed under it: one line, else a bug
            from db.connection import snapshot_changed
            changed = snapshot_changed()
            if changed is None:
                raise
            raise OneLine(str(changed)) from None
        except BrokenPipeError:              # `newspipe show 1 | head`: the reader had what it wanted (click: 1)
            quiet_stdout()
            raise click.exceptions.Exit(0) from None
        except _HELP_ERRORS:
            raise
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None


GO_ON = "what was committed stays; run it again to go on"


def stopped(exc: KeyboardInterrupt, then: str = GO_ON) -> OneLine:
    """The one line and exit code of a command stopped by Ctrl-C (130) or SIGTERM (143); ``then``: what the
    user may do next (a command that does not resume says so)."""
    from pipeline.types import is_sigterm
    if is_sigterm(exc):
        return OneLine(f"stopped (SIGTERM): {then}", 143)
    return OneLine(f"interrupted: {then}", 130)


def terminate(signum, frame) -> None:
    """SIGTERM's handler: the command stops where Ctrl-C would stop it (its transaction rolled back, its run
    recorded as interrupted), not mid-write with no word (exit 143, a run left 'running'). It goes through
    SIGINT, which asyncio turns into a clean cancellation of its tasks (pipeline.types.Terminated)."""
    from pipeline.aio import cancel_running
    from pipeline.types import Terminated, mark_terminated
    mark_terminated()
    if callable(signal.getsignal(signal.SIGINT)):
        signal.raise_signal(signal.SIGINT)
    elif not cancel_running():      # SIGINT ignored (a job started with '&' by a script): raising it would do
        raise Terminated()          # nothing; an event loop's tasks are cancelled (pipeline.aio), else this


def quiet_stdout() -> None:
    """After the reader of stdout went away: what is still buffered goes to /dev/null, so neither this
    process's exit nor the interpreter's last flush raises again (Python's documented way for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):   # stdout is no file (a test runner's buffer)
        pass
