"""The newspipe command line. Every user error ends in one line on stderr and a non-zero exit.

The group and its global options are here; the commands live beside it, one room each: ``run`` (run,
reindex), ``pages`` (ingest, clean), ``read`` (search, show, stats, export), ``serve`` (serve, demo),
``sources`` (list, check), ``stories`` (restory, stories, trends, related). ``errors.Group`` is the one place where a ``UserError`` becomes
``newspipe: error: …`` (exit 1) and a command-line mistake the same line with exit code 2; ``params`` holds
the click types (DATE), ``render`` what the reading commands print, ``context`` the archive, sources,
settings and run lock every command takes from the global options.
"""
from __future__ import annotations

import logging
import os
import signal
import sys

import click

from pipeline import __version__
from pipeline.types import stop_signal

from . import pages, read, run, serve, sources, stories
from .context import DEFAULT_DB
from .errors import Group, quiet_stdout, stopped, terminate

_QUIET_LOGGERS = ("httpx", "httpcore", "urllib3", "asyncio", "trafilatura", "htmldate", "courlan",
                  "charset_normalizer")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db", metavar="PATH",
              help=f"Archive database: a newspipe archive, or a new or empty file (default: $NEWSPIPE_DB, else "
                   f"{DEFAULT_DB}). Anything else is refused and left as it is.")
@click.option("--sources", "sources", metavar="PATH", envvar="NEWSPIPE_SOURCES",
              help="Sources file (default: $NEWSPIPE_SOURCES, else the shipped sources.toml).")
@click.option("--config", "config", metavar="PATH",
              help="Settings file (default: $NEWSPIPE_CONFIG, else ./newspipe.toml if present).")
@click.option("-v", "--verbose", is_flag=True,
              help="Log every step: a line per article per stage (id, URL, outcome, ms).")
@click.version_option(__version__, prog_name="newspipe")
@click.pass_context
def cli(ctx, db, sources, config, verbose):
    """newspipe: Korean regional news → clean text, Kiwi analysis, English, side by side in SQLite."""
    ctx.ensure_object(dict)
    ctx.obj.update(db=db, sources=sources, config=config)
    for path, missing in ((config, "config file not found"), (sources, "cannot read sources file: not found")):
        if path and not os.path.exists(path):     # a command that never reads it still says it is missing
            from scrapers.sources import ConfigError
            raise ConfigError(f"{path}: {missing}")
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, force=True,   # this call's stderr
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S%z",
                        stream=sys.stderr)     # the zone: a cron log read beside stats' KST times
    for noisy in _QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


for _command in (run.run, pages.ingest, pages.clean, read.search, run.reindex, read.show, read.export, read.stats,
                 serve.serve, serve.demo, sources.sources, stories.restory, stories.stories, stories.trends, stories.related):
    cli.add_command(_command)


def main():
    code = 0
    signal.signal(signal.SIGTERM, terminate)
    try:
        cli(prog_name="newspipe")
    except SystemExit as done:
        code = done.code
    except (KeyboardInterrupt, BaseExceptionGroup) as exc:     # one before or after the command's own handler
        if (signal_exc := stop_signal(exc)) is None:
            raise
        line = stopped(signal_exc)
        line.show()
        code = line.exit_code
    try:
        sys.stdout.flush()                  # the output still buffered, where a closed pipe can be caught
    except BrokenPipeError:
        quiet_stdout()
    sys.exit(code)
