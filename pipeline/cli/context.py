"""What every command takes from the global options: the archive, the sources, the settings, the run lock."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from db.archive import Archive
from scrapers.errors import UserError
from scrapers.sources import load_sources

DEFAULT_DB = "data/newspipe.db"
DEMO_DB = "data/demo.db"


def db_path(ctx, reading: bool = False) -> str:
    """The archive's path. A folder is made only for the default one: a --db or $NEWSPIPE_DB in a folder that
    does not exist is a typing mistake far more often than a wish (a cron job would start a new, empty archive
    there every night and exit 0). ``reading``: for a command that needs an archive there (never makes one),
    whose open says 'no archive at' the absolute path instead."""
    given = ctx.obj["db"] or os.environ.get("NEWSPIPE_DB")
    if given and not reading:
        in_a_folder(given, "--db" if ctx.obj["db"] else "$NEWSPIPE_DB")
    return given or DEFAULT_DB


def in_a_folder(path: str, flag: str) -> str:
    """``path``, refused in one line when its folder does not exist (one that cannot be looked at is left to
    the command, whose open then says why)."""
    parent = Path(path).parent
    try:
        is_dir = stat.S_ISDIR(os.stat(parent).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        is_dir = False
    except OSError:
        return path
    if not is_dir:
        raise UserError(f"{flag} {path}: there is no folder {parent.absolute()}; create it first (or correct the path)")
    return path


def open_archive(ctx, readonly: bool = False) -> Archive:
    return Archive(db_path(ctx, reading=readonly), readonly=readonly)


def reading_archive(ctx, machine: bool = False) -> Archive:
    """The archive a read command (search, show, export, stories, trends, related) reads; one that holds no
    article is refused in one line that names it and says where articles come from (an empty archive answered
    'no matches' and 'no article with id 1', as if the words or the id were wrong). ``machine``: the output is
    for a program (export, --json, --csv: a cron job's export after a first night that reached no source): the
    line is a note on stderr and the command goes on to its empty answer, exit 0 (review)."""
    archive = open_archive(ctx, readonly=True)
    if not archive.has_articles():
        line = (f"the archive {Path(db_path(ctx, reading=True)).absolute()} is empty (no articles yet): "
                f"'make demo' (or 'newspipe demo') makes {DEMO_DB} to try, then 'newspipe --db {DEMO_DB} "
                f"{ctx.info_name} …'; 'newspipe run' crawls the outlets into this one")
        if machine:
            click.echo(f"note: {line}", err=True)
            return archive
        archive.close()
        raise UserError(line)
    return archive


def sources(ctx):
    return load_sources(ctx.obj["sources"])


def config(ctx):
    from pipeline.config import load_config
    return load_config(ctx.obj["config"])


def did_you_mean(given: str, names: dict[str, tuple[str, ...]]) -> str:
    """' (did you mean 'jjan', 전북일보?)' when ``given`` is a source's id in another case or its name or outlet
    (``names``: id → its names); else ''."""
    key = given.strip().casefold()
    found = [sid for sid, also in sorted(names.items())
             if key == sid.casefold() or key in {n.strip().casefold() for n in also if n}]
    if not found:
        return ""
    return " (did you mean " + " or ".join(f"{sid!r}, the id of {names[sid][0]}" if names[sid][0] else repr(sid)
                                           for sid in found[:4]) + "?)"


def unknown_source(source_id: str, configured) -> UserError:
    """The one line for a source id not in the sources file (``configured``: its Sources), naming that file: an
    outlet of one's own, run once with --sources, was 'unknown' the next time the flag was left out, and nothing
    said which file had been read (a new user's trial)."""
    hint = did_you_mean(source_id, {s.id: (s.name, s.outlet) for s in configured})
    ctx = click.get_current_context(silent=True)
    given = (ctx.obj or {}).get("sources") if ctx is not None else None
    which = (f"not in the sources file {given}" if given else
             "not in the shipped scrapers/sources.toml (--sources PATH or $NEWSPIPE_SOURCES names one of your own)")
    return UserError(f"unknown source {source_id!r}{hint or ''} (see 'newspipe sources list'): {which}")


def configured_source(ctx, source_id: str | None) -> None:
    """Refuse a source id that is not in the sources file."""
    configured = sources(ctx) if source_id else []
    if source_id and source_id not in {s.id for s in configured}:
        raise unknown_source(source_id, configured)


def known_source(archive: Archive, source: str | None) -> None:
    """Refuse a --source the archive has never heard of (instead of finding nothing, silently). On an archive with
    no article yet (a program's read: reading_archive's note said so) the answer is empty whatever the source."""
    if source is None or not archive.has_articles():
        return
    known = archive.source_ids()
    if source not in known:
        hint = did_you_mean(source, {**{k: ("",) for k in known}, **archive.source_names()})
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "") if known else "none yet"
        raise UserError(f"unknown source {source!r}{hint}: this archive has {listed} "
                        "('newspipe sources list' shows the configured ones)")


@contextmanager
def run_lock(ctx) -> Iterator[None]:
    """The run lock of the archive, held for the block (one run or reindex per archive at a time)."""
    from pipeline.lock import RunLock
    lock = RunLock(db_path(ctx))
    try:
        lock.acquire()
    except OSError as exc:
        raise UserError(f"cannot create the lock file {lock.path}: {exc.strerror}") from None
    try:
        yield
    finally:
        lock.release()


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from None


def check_backend(name: str, url: str | None, timeout: float) -> None:
    """Set the translator up once before anything runs: a configuration fault (no key, a refused key, no server
    for libre) ends the command in one line; a service that cannot be reached now is no such fault: the run
    goes on and its translate stage says so, leaving the articles pending."""
    from translate.backends import BackendError, BackendUnavailable, make_backend
    try:
        make_backend(name, url, timeout=timeout)
    except BackendUnavailable:
        pass
    except BackendError as exc:      # an answer its setup cannot read: one line, as a configuration fault
        raise UserError(f"cannot set up {name}: {exc}") from None


def translator_url(name: str, flag_url: str | None, cfg=None) -> str | None:
    """The server URL for the translator ``name``: ``--translator-url``, else the settings file's
    ``translate.url``. A URL for a translator that takes none was silently ignored (a run went to Google):
    the flag is refused as a usage mistake (exit 2), the file's key as a bad setting (exit 1), unless it
    belongs to the file's own ``backend = "libre"`` and the command line chose another translator."""
    import click

    from scrapers.sources import ConfigError
    from translate.backends import URL_BACKENDS
    name = (name or "google").lower()
    if name in URL_BACKENDS:
        return flag_url or (cfg.translator_url if cfg else None)
    takes = f"--translator-url is for the {' and '.join(URL_BACKENDS)} translator"
    if flag_url:
        raise click.UsageError(f"{takes}: the {name} translator takes no URL (drop --translator-url, or add "
                               f"--translator {URL_BACKENDS[0]})")
    if cfg is not None and cfg.translator_url and cfg.translator.lower() not in URL_BACKENDS:
        raise ConfigError(f"{cfg.path}: translate.url = {cfg.translator_url!r} is for backend = "
                          f"\"{URL_BACKENDS[0]}\": the {name} translator takes no URL (remove url, or set "
                          f"backend = \"{URL_BACKENDS[0]}\")")
    return None
