"""Each kind of SQLite failure, produced for real, becomes its StoreError: what happened
and what to do in both languages, with the technical details in the error log only."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.error_log import log_path
from desktop.store import errors


def _table(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, timeout=0)
    con.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER UNIQUE)")
    return con


def _read_only(path: Path) -> None:
    _table(path).close()
    sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("INSERT INTO t VALUES (1)")


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    sqlite3.connect(path).execute("SELECT * FROM sqlite_master")


def _constraint(path: Path) -> None:
    con = _table(path)
    con.execute("INSERT INTO t VALUES (1)")
    con.execute("INSERT INTO t VALUES (1)")


def _missing_table(path: Path) -> None:
    sqlite3.connect(path).execute("SELECT * FROM measurements")


def _full(path: Path) -> None:
    con = _table(path)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count = {pages}")
    con.execute("CREATE TABLE big (x TEXT)")
    con.execute("INSERT INTO big VALUES (?)", ("x" * 100_000,))


def _busy(path: Path) -> None:
    holder = _table(path)
    holder.execute("BEGIN IMMEDIATE")
    _table(path).execute("BEGIN IMMEDIATE")


def _cannot_open(path: Path) -> None:
    sqlite3.connect(path.parent / "no-such-folder" / "x.sqlite3").execute("SELECT 1")


CASES: dict[str, tuple[Callable[[Path], None], type[errors.StoreError], str]] = {
    "read-only": (_read_only, errors.DatabaseNotWritable, "読み取り専用"),
    "not a database": (_not_a_database, errors.DatabaseCorrupt, "破損しています"),
    "constraint": (_constraint, errors.DataRefused, "受け付けませんでした"),
    "missing table": (_missing_table, errors.SchemaDamaged, "構造が壊れています"),
    "disk full": (_full, errors.DiskFull, "空き容量が足りない"),
    "busy": (_busy, errors.DatabaseBusy, "使い続けている"),
    "cannot open": (_cannot_open, errors.DatabaseNotWritable, "開けないか"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_sqlite_failure_becomes_a_message_with_what_to_do(tmp_path, case):
    make, kind, words = CASES[case]
    path = tmp_path / "x.sqlite3"
    with pytest.raises(sqlite3.Error) as raised:
        make(path)
    error = errors.translate(raised.value, path, context="test")
    assert type(error) is kind
    ja, en = error.message("ja"), error.message("en")
    assert words in ja and str(path) in ja and str(path) in en
    for text in (ja, en):
        for word in ("sqlalchemy", "Error", "SELECT", "INSERT", "CREATE", "Traceback"):
            assert word not in text, (word, text)
    if kind is not errors.DatabaseBusy:  # a lock is no fault: nothing to log
        assert str(raised.value) in log_path().read_text(encoding="utf-8")


def test_not_a_failure_of_the_store_is_left_alone(tmp_path):
    assert errors.translate(KeyError("x"), tmp_path / "x.sqlite3", context="test") is None
