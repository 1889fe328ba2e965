"""Store failures reach the command line as messages with what to do (A9): never SQL,
SQLAlchemy's links or a traceback. The details go to the error log in the data folder.

Disk full happens for real: on a tiny tmpfs when this machine lets the test mount one
(root), and always through SQLite's own limit on the file's size (PRAGMA
max_page_count, set on every connection by the test), which makes SQLite answer
SQLITE_FULL exactly as a full disk does.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain import limits
from desktop.error_log import log_path
from desktop.store import database

FORBIDDEN = ("sqlalchemy", "SELECT", "INSERT", "UPDATE", "sqlalche.me", "Traceback", "[SQL")
SET = ["--year", "2024", "--branch", "13", "--kpi", "1.II.2.k2"]


def _run(capsys, *args: str, lang: str = "ja") -> tuple[int, str]:
    code = main([*args, "--lang", lang])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _clean(output: str) -> None:
    for word in FORBIDDEN:
        assert word.lower() not in output.lower(), (word, output)


@pytest.fixture
def demo_path(demo_db) -> Path:
    demo_db.close()
    return demo_db.path


def _sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def _value(path: Path) -> str | None:
    con = sqlite3.connect(path)
    row = con.execute(
        "SELECT m.value FROM measurements m JOIN kpis k ON k.id = m.kpi_id "
        "JOIN reports r ON r.id = m.report_id JOIN plans p ON p.id = r.plan_id "
        "WHERE k.key = '1.II.2.k2' AND p.fiscal_year = 2024 AND r.period = 'midyear'"
    ).fetchone()
    con.close()
    return row[0] if row else None


def test_a_dropped_table_is_named_with_what_to_do(demo_path, capsys):
    _sql(demo_path, "DROP TABLE measurements")
    code, out = _run(capsys, "set", "--db", str(demo_path), *SET, "97.5")
    assert code == 1
    assert "データベースの構造が壊れています" in out and "measurements" in out
    assert "バックアップから戻す" in out and "何も保存していません" in out
    _clean(out)
    assert "no such table: measurements" in log_path().read_text(encoding="utf-8")
    code, out = _run(capsys, "show", "--db", str(demo_path), "--year", "2024", "--branch", "13",
                     lang="en")  # fmt: skip
    assert code == 1 and "structure is damaged ('measurements' is missing)" in out
    _clean(out)
    code, out = _run(capsys, "check", "--db", str(demo_path))
    assert code == 1 and "表がありません: measurements" in out
    _clean(out)


def test_a_forged_audit_row_refuses_the_write_and_says_why(demo_path, capsys):
    before = _value(demo_path)
    # An entry added by hand where PlanDesk's next one belongs.
    _sql(
        demo_path,
        "INSERT INTO audit_log SELECT id + 1, at, actor, action, entity, entity_key, field, "
        "old_value, 'forged', hash, hash FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    code, out = _run(capsys, "set", "--db", str(demo_path), *SET, "97.5")
    assert code == 1
    assert "監査ログに PlanDesk が書いていない記録" in out and "plandesk check" in out
    _clean(out)
    assert _value(demo_path) == before  # nothing saved
    code, out = _run(capsys, "check", "--db", str(demo_path), lang="en")
    assert code == 1 and "Audit entry" in out and "has been altered" in out


def _fill_free_space(path: Path) -> None:
    """Use up every free byte of the file's pages, so that the next write needs a new
    page (a short text could otherwise fit where rows were deleted)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("CREATE TABLE test_filler (b BLOB)")
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        for size in (4000, 500, 50, 1):
            while True:
                try:
                    con.execute("INSERT INTO test_filler VALUES (zeroblob(?))", (size,))
                    con.commit()
                except sqlite3.OperationalError:  # database or disk is full
                    con.rollback()
                    break
    finally:
        con.close()


def test_disk_full_by_sqlites_own_limit(demo_path, capsys, monkeypatch):
    configure = database._configure_connection

    def full_at_current_size(con: sqlite3.Connection, foreign_keys: bool) -> None:
        configure(con, foreign_keys)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")

    _fill_free_space(demo_path)
    monkeypatch.setattr(database, "_configure_connection", full_at_current_size)
    before = _value(demo_path)
    longest = "未" * limits.UNAVAILABLE_REASON.limit  # the longest reason the domain takes
    code, out = _run(capsys, "set", "--db", str(demo_path), *SET, "--unavailable", longest)
    assert code == 1
    assert "ディスクの空き容量が足りない" in out and "保存されていません" in out
    assert str(log_path()) in out
    _clean(out)
    assert "database or disk is full" in log_path().read_text(encoding="utf-8")
    assert "未未未" not in log_path().read_text(encoding="utf-8")  # values stay out of the log
    assert _value(demo_path) == before


# --- a real small disk (needs root to mount a tmpfs) -------------------------------------


def test_disk_full_on_a_real_small_disk(demo_path, capsys, small_disk):
    size = demo_path.stat().st_size
    disk = small_disk(size // 1024 + 256)
    db = disk / "full.sqlite3"
    shutil.copy(demo_path, db)
    for suffix in ("-wal", "-shm"):
        if Path(f"{demo_path}{suffix}").exists():
            shutil.copy(f"{demo_path}{suffix}", f"{db}{suffix}")
    code, out = _run(capsys, "list", "--db", str(db))  # opens, creates -shm: room left
    assert code == 0, out
    filler = disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as fh:
        while True:
            fh.write(b"\0" * 4096)
            fh.flush()
    code, out = _run(capsys, "set", "--db", str(db), *SET, "--unavailable", "未" * 15000)
    assert code == 1
    assert (
        "ディスクの空き容量が足りない" in out
        or "入出力エラー" in out  # some kernels answer a full tmpfs with EIO
    ), out
    assert "保存されていません" in out
    _clean(out)
    filler.unlink()
    assert _value(db) == _value(demo_path)  # nothing saved


def test_a_read_only_disk(demo_path, capsys, small_disk):
    disk = small_disk(4096)
    db = disk / "ro.sqlite3"
    src = sqlite3.connect(demo_path)
    dst = sqlite3.connect(db)
    src.backup(dst)
    dst.execute("PRAGMA journal_mode = DELETE")
    dst.close()
    src.close()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    code, out = _run(capsys, "set", "--db", str(db), *SET, "97.5", lang="en")
    assert code == 1
    assert "cannot be opened or written" in out and "read-only" in out
    _clean(out)
