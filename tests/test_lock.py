"""Who holds an archive's lock (pipeline/lock.py), as exit 75 and `stats` tell it. The pid in '<db>.lock' is
only what the last newspipe run there wrote: a process that is not newspipe (flock(1), a backup) holding the
file leaves it as it was, and that pid may have died and been reused since. Exit 75 named it all the same."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT
from db.archive import Archive
from pipeline.cli import cli
from pipeline.lock import LockHeld, RunLock, holder, lock_path

# A process that is not newspipe: it locks the file as flock(1) does and writes nothing in it.
FOREIGN = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
           "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)")


@pytest.fixture
def dead_pid():
    dead = subprocess.Popen(["true"])
    dead.wait()                                   # a pid that has ended (and been reaped)
    return dead.pid


@pytest.fixture
def foreign(tmp_path):
    """An archive whose lock file another program holds; yields (db, lock file, that program's pid)."""
    db = tmp_path / "a.db"
    Archive(db).close()
    lock = lock_path(db)
    lock.touch()
    proc = subprocess.Popen([sys.executable, "-c", FOREIGN, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield db, lock, proc.pid
    finally:
        proc.kill()
        proc.wait()


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("written", ["dead", "alive", "none"])
def test_a_lock_held_by_a_process_not_newspipe_names_no_pid_it_did_not_write(foreign, dead_pid, written):
    """The file holds a finished run's pid, now dead ('dead') or reused by a process that holds nothing
    ('alive': this test's own), or nothing: the line names the lock file and that it is held, no pid."""
    db, lock, holder_pid = foreign
    stale = {"dead": dead_pid, "alive": os.getpid(), "none": None}[written]
    os.truncate(lock, 0)
    if stale:
        lock.write_text(str(stale))
    res = invoke("--db", db, "run", "--no-crawl", "--no-translate")
    assert res.exit_code == 75
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newspipe: error: "), res.stderr
    assert str(lock) in lines[0] and "held" in lines[0] and "pid" not in lines[0], lines[0]
    assert "another newspipe run" not in lines[0]
    with pytest.raises(LockHeld) as err:
        RunLock(db).acquire()
    assert str(err.value) == lines[0].removeprefix("newspipe: error: ")


def test_stats_calls_a_run_whose_pid_the_file_still_holds_interrupted_when_another_process_holds_it(
        foreign, dead_pid):
    """kill -9 left the run 'running' and its pid in the lock file; a process that is not newspipe took the lock
    since: stats said the run was still running."""
    db, lock, _ = foreign
    arch = Archive(db)
    run_id = arch.start_run({"limit": None})
    arch.db.execute("UPDATE runs SET pid=? WHERE id=?", [dead_pid, run_id])
    arch.db.commit()
    arch.close()
    lock.write_text(str(dead_pid))
    assert holder(db) not in (0, None, dead_pid)
    out = invoke("--db", db, "stats").stdout
    assert f"last run {run_id}: interrupted: its process {dead_pid} no longer holds the archive's lock" in out


def test_a_run_holding_the_lock_is_named_by_its_pid(tmp_path):
    db = tmp_path / "a.db"
    Archive(db).close()
    code = "import sys, time; from pipeline.lock import RunLock; RunLock(sys.argv[1]).acquire(); print('held', " \
           "flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "held"
        assert holder(db) == proc.pid
        with pytest.raises(LockHeld, match=rf"another newspipe run \(pid {proc.pid}\) is using {db}; wait"):
            RunLock(db).acquire()
    finally:
        proc.kill()
        proc.wait()


def test_the_lock_file_is_found_in_proc_locks_by_its_inode_where_its_device_differs(tmp_path, monkeypatch):
    """On btrfs (a subvolume) and some overlays a stat's device is not the one /proc/locks lists: the file's
    inode alone then names its holders (else every run there would be "a process this machine cannot see")."""
    db = tmp_path / "a.db"
    with RunLock(db) as lock:
        ino = os.stat(lock.path).st_ino
        fake = tmp_path / "locks"
        monkeypatch.setattr("pipeline.lock.PROC_LOCKS", str(fake))
        for listed, told in ((os.getpid(), f"another newspipe run (pid {os.getpid()})"),
                             (os.getpid() + 1, "is held by another process")):
            fake.write_text(f"1: FLOCK  ADVISORY  WRITE {listed} 00:2a:{ino} 0 EOF\n"
                            f"2: FLOCK  ADVISORY  WRITE 1 00:2b:{ino + 1} 0 EOF\n")
            with pytest.raises(LockHeld, match=re.escape(told)):
                RunLock(db).acquire()


def test_a_run_in_another_pid_namespace_is_named_as_running(foreign, monkeypatch):
    """Found in review: a run in a container writes its own namespace's pid (1, say) and /proc/locks lists the
    host's: the live run was called interrupted and exit 75 said 'not newspipe'. The holder's NSpid line
    (/proc/PID/status: its pid in each namespace) now names it; one this machine cannot read leaves it
    unchecked, never 'interrupted'. The namespace is a stand-in here (creating one needs privileges)."""
    import pipeline.lock as lock_module
    db, lock, holder_pid = foreign
    os.truncate(lock, 0)
    lock.write_text("1")                                   # what the run wrote, inside its namespace
    assert holder(db) == -1                                # the holder's NSpid shows only its host pid
    real = lock_module._pids_inside
    monkeypatch.setattr(lock_module, "_pids_inside", lambda pid: [pid, 1] if pid == holder_pid else real(pid))
    assert holder(db) == 1
    monkeypatch.setattr(lock_module, "_pids_inside", lambda pid: None)
    assert holder(db) == 1                                 # cannot be checked: the written pid, unchecked
    with pytest.raises(LockHeld, match="cannot see"):
        RunLock(db).acquire()
