"""`plandesk backup` and `plandesk restore [--list] [BACKUP]` (issue 17 item 2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.services import backups, people
from desktop.store.database import open_database
from tests.cli.helpers import REPORT, run

KPI = ["--kpi", "1.II.2.k2"]


def _figure(path: Path) -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT m.value FROM measurements m JOIN kpis k ON k.id = m.kpi_id "
            "JOIN reports r ON r.id = m.report_id JOIN plans p ON p.id = r.plan_id "
            "WHERE k.key = '1.II.2.k2' AND p.fiscal_year = 2024 AND r.period = 'midyear'"
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def test_backup_prints_the_path_and_size(cli, people_db):
    result = cli("backup", "--db", people_db, "--lang", "en")
    assert result.code == 0, result.err
    [made] = backups.list_backups(people_db)
    assert f"Backup written: {made.path} (" in result.out
    assert f"{made.size:,} bytes" in result.out and "MB" in result.out


def test_list_then_restore_by_number_brings_the_figure_back(cli, people_db):
    assert cli("set", "--db", people_db, *REPORT, *KPI, "11.5").code == 0
    assert cli("backup", "--db", people_db).code == 0
    assert cli("set", "--db", people_db, *REPORT, *KPI, "22.5").code == 0
    listed = cli("restore", "--list", "--db", people_db, "--lang", "en")
    assert listed.code == 0
    assert "1    " in listed.out and ".manual.sqlite3" in listed.out and "manual" in listed.out
    result = cli("restore", "1", "--db", people_db, "--lang", "en")
    assert result.code == 0, result.err
    assert _figure(people_db) == "11.5"
    assert "Restored from the backup:" in result.out
    assert "Plan: 13 Tokyo branch FY2024" in result.out and "audit entries" in result.out
    assert "The state before the restore is kept in:" in result.out
    kinds = [b.kind.value for b in backups.list_backups(people_db)]
    assert kinds == ["before-restore", "manual"]
    # The state the restore replaced can be restored in turn.
    assert cli("restore", "1", "--db", people_db).code == 0
    assert _figure(people_db) == "22.5"
    assert cli("check", "--db", people_db).code == 0


def test_a_damaged_backup_is_refused_in_japanese_and_nothing_changes(cli, people_db, tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    before = people_db.read_bytes()
    result = cli("restore", damaged, "--db", people_db)
    assert result.code == 1
    assert "復元できません" in result.err and "何も変更していません" in result.err
    assert "Traceback" not in result.err
    assert people_db.read_bytes() == before
    assert backups.list_backups(people_db) == []


def test_restore_needs_a_backup_and_finds_only_real_ones(cli, people_db):
    result = cli("restore", "--db", people_db, "--lang", "en")
    assert result.code == 2 and "--list" in result.err
    result = cli("restore", "7", "--db", people_db, "--lang", "en")
    assert result.code == 2 and "No backup '7'" in result.err


def test_restore_is_refused_while_the_app_has_the_database_open(cli, people_db):
    from PySide6.QtCore import QLockFile

    from desktop.paths import window_lock_path

    assert cli("backup", "--db", people_db).code == 0
    lock = QLockFile(str(window_lock_path(people_db)))
    assert lock.tryLock(0)
    try:
        result = cli("restore", "1", "--db", people_db, "--lang", "en")
    finally:
        lock.unlock()
    assert result.code == 1 and "open in a PlanDesk window" in result.err
    assert [b.kind.value for b in backups.list_backups(people_db)] == ["manual"]


def test_restore_onto_a_new_pc(cli, people_db, tmp_path):
    assert cli("backup", "--db", people_db).code == 0
    [made] = backups.list_backups(people_db)
    fresh = tmp_path / "new" / "plandesk.sqlite3"
    result = cli("restore", made.path, "--db", fresh, "--lang", "en")
    assert result.code == 0, result.err
    assert "kept in" not in result.out  # there was nothing to keep
    with open_database(fresh) as db:
        assert "tanaka" in [u.login for u in people.list_users(db)]


def test_backup_of_a_missing_database_says_so(tmp_path):
    done = run("backup", "--db", str(tmp_path / "none.sqlite3"), lang="en")
    assert done.returncode == 1 and "Database file not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_database_too_damaged_to_open_is_restored_from_the_list(cli, people_db):
    assert cli("backup", "--db", people_db).code == 0
    data = bytearray(people_db.read_bytes())
    data[:4096] = b"\xa5" * 4096
    people_db.write_bytes(bytes(data))
    assert cli("list", "--db", people_db).code == 1
    result = cli("restore", "1", "--db", people_db, "--lang", "en")
    assert result.code == 0, result.err
    assert "The damaged database was kept as:" in result.out
    assert cli("check", "--db", people_db).code == 0
