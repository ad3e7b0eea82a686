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
                                     ["search", "전주", "--json"]])
def test_a_read_command_on_an_empty_archive_says_so(empty, command):
    """It said 'no matches' or 'no article with id 1', as if the words or the id were wrong."""
    res = newspipe("--db", empty, *command)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("newspipe: error: ")
    line = res.stderr
    assert f"the archive {empty} is empty (no articles yet)" in line
    assert "'make demo'" in line and "data/demo.db" in line and "'newspipe run'" in line
    assert f"newspipe --db data/demo.db {command[0]} …" in line


def test_stats_on_an_empty_archive_still_counts(empty):
    res = newspipe("--db", empty, "stats")
    assert res.returncode == 0 and "0 articles" in res.stdout

