"""What a newcomer meets first: an archive with no articles (a `make run` that reached no source), the demo's
closing hint, Ctrl-C during the demo, the translator's retry lines."""
from __future__ import annotations

import logging

import pytest

from conftest import newspipe
from db.archive import Archive


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    db = tmp_path_factory.mktemp("empty") / "newspipe.db"
    Archive(db).close()                  # an archive, as a run that reached no source leaves it: no article
    return db


@pytest.mark.parametrize("command", [["search", "전주"], ["show", "1"], ["stories"], ["trends", "전주"],
                                     ["related", "전주"], ["export", "--format", "jsonl", "-o", "-"],
                                     ["search", "전주", "--json"], ["trends", "전주", "--csv"]])
def test_a_read_command_on_an_empty_archive_says_so(empty, command):
    """It said 'no matches' or 'no article with id 1', as if the words or the id were wrong. A program's output
    (export, --json, --csv: a cron job after a first night that reached no source) is its empty answer, exit 0,
    with the line as a note (review)."""
    res = newspipe("--db", empty, *command)
    machine = command[0] == "export" or "--json" in command or "--csv" in command
    if machine:
        assert res.returncode == 0 and res.stderr.startswith("note: the archive "), res.stderr
        assert "error" not in res.stderr and "empty" not in res.stdout
    else:
        assert res.returncode == 1 and res.stdout == ""
        assert res.stderr.count("\n") == 1 and res.stderr.startswith("newspipe: error: ")
    line = res.stderr.splitlines()[0]
    assert f"the archive {empty} is empty (no articles yet)" in line
    assert "'make demo'" in line and "data/demo.db" in line and "'newspipe run'" in line
    assert f"newspipe --db data/demo.db {command[0]} …" in line


@pytest.mark.parametrize("command", [["export", "--format", "jsonl", "-o", "-", "--source", "jjan"],
                                     ["export", "--format", "csv", "-o", "-", "--region", "전북", "--backend", "libre"],
                                     ["search", "전주", "--json", "--source", "jjan"],
                                     ["trends", "전주", "--csv", "--source", "jjan"]])
def test_a_programs_read_of_an_empty_archive_with_filters_is_its_empty_answer(empty, command):
    """Found in review: the empty-archive note, then 'unknown source 'jjan': this archive has none yet', exit 1:
    the cron export the note was for still failed where it filtered."""
    res = newspipe("--db", empty, *command)
    assert res.returncode == 0 and res.stderr.startswith("note: the archive "), res.stderr
    assert "error" not in res.stderr and "unknown" not in res.stderr


def test_stats_on_an_empty_archive_still_counts(empty):
    res = newspipe("--db", empty, "stats")
    assert res.returncode == 0 and "0 articles" in res.stdout


def test_the_demos_closing_hint_works_as_typed_in_a_new_shell(tmp_path):
    """The hint said `newspipe --db data/demo.db show 1`; in a new shell, newspipe is not on PATH (make installs
    it into .venv/bin): the command not found. It names the script itself, and how to activate the venv."""
    import re
    import subprocess
    import sys
    from pathlib import Path
    res = newspipe("demo", "--db", "d.db", "--translator", "none", cwd=tmp_path,
                   env={"PATH": "/usr/bin:/bin", "VIRTUAL_ENV": ""})
    assert res.returncode == 0, res.stderr
    tried = re.search(r"try: (.+?) show 1   \|", res.stdout)
    assert tried and tried.group(1).startswith(str(Path(sys.executable).parent / "newspipe") + " --db d.db")
    assert "activate' once in the shell" in res.stdout
    clean_shell = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    shown = subprocess.run(["sh", "-c", tried.group(1) + " show 1"], cwd=tmp_path, env=clean_shell,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert re.search("[가-힣]", shown.stdout)          # the article, in Korean
    plain = subprocess.run(["sh", "-c", "command -v newspipe"], env=clean_shell, capture_output=True, text=True)
    assert plain.returncode != 0            # what the old hint would have met


def test_a_retry_line_is_logged_once_not_once_per_worker(caplog):
    """Two workers meeting the same unreachable translator each logged 'waiting 1.0 s, then retry 1 of 2'."""
    import threading
    import time

    from translate.backends import Backend, BackendUnavailable
    from translate.translator import Translator

    both = threading.Barrier(2)

    class Down(Backend):

        def translate(self, text):
            try:
                both.wait(timeout=2)          # both workers fail together, as against a server that is down
            except threading.BrokenBarrierError:
                pass
            raise BackendUnavailable("cannot connect")

    def down():
        return Down("stub", max_chars=20)    # one text a request: two packs, one a worker

    tr = Translator(down(), retries=1, backoff=0.3, breaker_threshold=5, concurrency=2, backend_factory=down,
                    sleep=time.sleep)
    with caplog.at_level(logging.INFO, logger="newspipe.translate"):
        try:
            tr.translate_texts(["전주시는 26일 밝혔다.", "군산시는 27일 밝혔다."])
        except BackendUnavailable:
            pass
    retries = [r.getMessage() for r in caplog.records if "then retry" in r.getMessage()]
    assert retries == ["translator stub: cannot connect; waiting 0.3 s, then retry 1 of 1"]
    assert tr.stats.requests >= 4                  # two workers, each tried twice


FAKE_PYTHONS = {   # written for this test: interpreters as a newcomer's machine may have them
    # Debian's python3 without the python3-venv package: the venv's folder made, then ensurepip missing
    "no_venv": '#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; touch "$3/pyvenv.cfg"; '
               'ln -sf /bin/false "$3/bin/python"; echo "ensurepip is not available" >&2; exit 1; fi\nexec python3 "$@"\n',
    "old": '#!/bin/sh\n[ "$1" = "--version" ] && { echo "Python 3.10.12"; exit 0; }\nexit 1\n',
}


@pytest.mark.parametrize("python,says", [
    ("no_venv", "on Debian/Ubuntu install python3-venv"),
    ("old", "newspipe needs Python 3.11 or newer; {python} is Python 3.10.12: name another, e.g. make PYTHON="),
    ("missing", "there is no {python} here"),
])
def test_make_install_takes_python_and_leaves_no_half_made_venv(tmp_path, python, says):
    """The Makefile always ran python3 (no way to name another), and a venv it could not finish stayed, broken,
    until `make clean-venv`. PYTHON= names the interpreter; a venv left half-made before is made again; one that
    cannot be made is removed, with what to install."""
    import subprocess

    from conftest import ROOT
    exe = tmp_path / f"python-{python}"
    if python in FAKE_PYTHONS:
        exe.write_text(FAKE_PYTHONS[python])
        exe.chmod(0o755)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to("/bin/false")        # what an earlier failed make left
    (venv / "pyvenv.cfg").touch()
    res = subprocess.run(["make", "-C", str(ROOT), "install", f"VENV={venv}", f"PYTHON={exe}"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert says.format(python=exe) in res.stderr, res.stderr
    if python == "no_venv":
        assert not venv.exists()                                # not left half-made


def test_make_uses_a_working_venv_as_it_is_and_never_removes_a_folder_that_is_no_venv(tmp_path):
    """Found in review: after a pull (pyproject.toml newer than the stamp) make asked PYTHON again before looking
    at the venv, so a working .venv made with python3.11 was refused where python3 is 3.10; and a VENV naming a
    folder that is no venv was removed."""
    import subprocess

    from conftest import ROOT
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").touch()
    pip_ok = venv / "bin" / "python"              # written for this test: a venv whose pip answers and installs
    pip_ok.write_text('#!/bin/sh\n[ "$1" = "-m" ] && [ "$2" = "pip" ] && exit 0\nexit 1\n')
    pip_ok.chmod(0o755)
    res = subprocess.run(["make", "-C", str(ROOT), "install", f"VENV={venv}", "PYTHON=/no/such/python3.10"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "no such" not in res.stderr, res.stderr
    assert (venv / ".installed-stamp").exists()
    folder = tmp_path / "mine"
    (folder / "bin").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    res = subprocess.run(["make", "-C", str(ROOT), "install", f"VENV={folder}"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode != 0 and "is no virtual environment" in res.stderr, res.stderr
    assert (folder / "notes.txt").read_text() == "mine"


def test_make_clean_venv_never_removes_a_folder_that_is_no_venv_and_an_empty_python_is_named(tmp_path):
    """Found in review: `make clean-venv VENV=notavenv` removed the folder (install refused it already), and
    `make install PYTHON=` printed '/bin/sh: -c: not found … is /bin/sh: --version: not found'."""
    import subprocess

    from conftest import ROOT
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    res = subprocess.run(["make", "-C", str(ROOT), "clean-venv", f"VENV={folder}"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode != 0 and "is no virtual environment" in res.stderr, res.stderr
    assert (folder / "notes.txt").read_text() == "mine"
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").touch()
    assert subprocess.run(["make", "-C", str(ROOT), "clean-venv", f"VENV={venv}"], capture_output=True,
                          timeout=60).returncode == 0 and not venv.exists()
    res = subprocess.run(["make", "-C", str(ROOT), "install", f"VENV={tmp_path / 'new'}", "PYTHON="],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode != 0 and "PYTHON is empty" in res.stderr and "not found" not in res.stderr, res.stderr


def test_make_refuses_a_venv_name_with_a_space_and_removes_nothing(tmp_path):
    """Found in review: the recipes' shell split VENV at its space, so `make clean-venv VENV="My venv"` (and
    `make install`, through its half-made-venv clean-up) ran 'rm -rf My venv': the folder My and ./venv went.
    Such a name is refused in one line before any recipe runs. (make runs in tmp_path, so a './venv' the old
    recipes would remove is this test's own.)"""
    import subprocess

    from conftest import ROOT
    for name in ("My", "venv"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text("mine")
    for target in ("clean-venv", "install"):
        res = subprocess.run(["make", "-f", str(ROOT / "Makefile"), target, f"VENV={tmp_path / 'My'} venv",
                              "PYTHON=python3"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert res.returncode != 0 and "must name one folder, without spaces" in res.stderr, res.stderr
        assert all((tmp_path / name / "notes.txt").read_text() == "mine" for name in ("My", "venv"))
