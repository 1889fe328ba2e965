"""A database killed inside a rollback-journal transaction opens again.

An old database (and a backup put in a database's place) is in rollback-journal
mode until its first open switches it to WAL; a process killed inside such a
transaction leaves a hot journal. PlanDesk inspects a file read-only before it
opens it, and a read-only connection cannot roll a hot journal back: SQLite says
"attempt to write a readonly database", and the file was called read-only at every
start — found by tests/reliability/test_upgrade_kills.py (one kill in a few
hundred lands in the switch to WAL). Made here deterministically: a child process
spills an uncommitted change into the file and is killed with SIGKILL.
"""

from __future__ import annotations

import gzip
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services.check import check_database
from desktop.store.database import open_database
from desktop.store.errors import NotAPlanDeskDatabase

OLD = Path(__file__).resolve().parents[1] / "data" / "plandesk-rev0013.sqlite3.gz"

# Changes every page of the audit log with a one-page cache (so the change spills into
# the file and the journal holds the pages as they were), then dies before COMMIT.
KILLED_MID_TRANSACTION = r"""
import os, signal, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 1")
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE audit_log SET actor = 'killed'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _hot_journal(path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_MID_TRANSACTION, str(path)])
    assert done.returncode == -9
    assert Path(f"{path}-journal").stat().st_size > 0


def _actors(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT actor FROM audit_log")}
    finally:
        con.close()


def test_a_hot_journal_is_rolled_back_and_the_upgrade_runs(tmp_path):
    path = tmp_path / "branch.sqlite3"
    path.write_bytes(gzip.decompress(OLD.read_bytes()))
    before = _actors(path)
    _hot_journal(path)
    with open_database(path) as db:  # was: DatabaseNotWritable ("read-only")
        assert check_database(db).ok
    assert "killed" not in _actors(path) and _actors(path) >= before
    assert not Path(f"{path}-journal").exists()


def test_a_foreign_file_with_a_hot_journal_is_refused_untouched(tmp_path):
    path = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE audit_log (actor TEXT)")
    con.executemany("INSERT INTO audit_log VALUES (?)", [("x" * 3000,)] * 50)
    con.commit()
    con.close()
    _hot_journal(path)
    journal = Path(f"{path}-journal").read_bytes()
    with pytest.raises(NotAPlanDeskDatabase):
        open_database(path)
    assert Path(f"{path}-journal").read_bytes() == journal  # nothing rolled back by us
