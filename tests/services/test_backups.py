"""Backups and restore (issue 17 item 2), on real SQLite files.

The restore test the issue names: edits, a backup, more edits, restore — the
database then holds exactly the backed-up state (every table, every plan as a
document, the report as the window loads it) and its audit chain is intact.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.backup_policy import BackupKind, BackupName, Keep
from desktop.domain.errors import BadInput
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import backups, editing, plan_exchange, plans
from desktop.services.check import check_database
from desktop.services.workspace import load_report
from desktop.store.database import head_revision, open_database
from desktop.store.errors import BackupUnsound, DatabaseCorrupt, DatabaseOpenInWindow
from tests.helpers.reports import REF
from tests.helpers.waiting import wait_until

SECTION = "1.II.2.1"
KPI = "1.II.2.k2"
OLD_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "plandesk-rev0005.sqlite3.gz"


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read straight from the file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def documents(db) -> dict[tuple[str, int], str]:
    """Every stored plan as its plandesk.plan/1 document (structure, texts, figures)."""
    return {(b, y): plan_exchange.plan_text(db, b, y) for b, y, _t in plans.list_plans(db)}


def edit(db, text: str, figure: str) -> None:
    editing.set_entry_field(db, REF, SECTION, "status_text", text, actor="sato")
    editing.set_measurement(db, REF, KPI, actor="sato", value=figure)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restore_brings_back_exactly_the_backed_up_state(demo_db):
    edit(demo_db, "六月に案内を送付した", "97.5")
    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    saved_tables, saved_documents = tables(demo_db.path), documents(demo_db)
    saved_report = load_report(demo_db, REF)
    edit(demo_db, "書き換えた", "12.0")
    editing.set_monthly_actual(demo_db, REF, KPI, 3, "55", actor="suzuki")
    assert tables(demo_db.path) != saved_tables

    restored = backups.restore(demo_db, backup.path)

    assert tables(demo_db.path) == saved_tables  # the audit log and its head included
    assert documents(demo_db) == saved_documents
    assert load_report(demo_db, REF) == saved_report  # what the window shows
    assert check_database(demo_db).ok  # the backup's own chain, unbroken
    assert restored.contents.last_edit_by == "sato"
    # The state the restore replaced is itself a backup, and holds the later edits.
    assert restored.before is not None and restored.before.kind is BackupKind.BEFORE_RESTORE
    assert tables(restored.before.path) != saved_tables
    assert backups.contents(restored.before.path).audit_entries == (
        restored.contents.audit_entries + 3
    )
    # Work goes on after a restore, and stays accounted for.
    edit(demo_db, "復元後の入力", "99.0")
    assert check_database(demo_db).ok


def test_the_restored_state_is_what_another_connection_sees(demo_db):
    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    edit(demo_db, "後から", "1.0")
    with open_database(demo_db.path) as other:
        before = load_report(other, REF).entries[SECTION].status_text
        backups.restore(demo_db, backup.path)
        assert load_report(other, REF).entries[SECTION].status_text != before


def test_a_backup_is_one_self_contained_checked_file(demo_db):
    backup = backups.take_backup(demo_db.path, BackupKind.DAILY)
    assert backup.path.parent == demo_db.path.parent / "backups"
    assert backup.path.name.startswith("demo.") and backup.path.name.endswith(".daily.sqlite3")
    assert backup.size == backup.path.stat().st_size > 0
    assert backup.kept_as == {Keep.DAILY, Keep.WEEKLY, Keep.MONTHLY}
    # The rollback journal, not WAL: nothing beside it is needed to read it.
    assert backup.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in backup.path.parent.iterdir()) == [backup.path.name]
    held = backups.contents(backup.path)
    assert held.revision == head_revision()
    assert [(p.branch, p.fiscal_year) for p in held.plans] == [("00", 2025), ("13", 2023),
                                                               ("13", 2024)]  # fmt: skip
    assert held.entries > 0 and held.figures > 0 and held.last_edit_by == "tester"


def test_a_backup_taken_while_another_connection_writes_is_consistent(demo_db, tmp_path):
    """A writer commits entry + audit rows as fast as it can; each backup taken meanwhile
    passes PlanDesk's own check (the stored data agrees with the audit trail, so no
    backup holds half a transaction), and later backups hold more of the history."""
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open_database(demo_db.path) as writer:
                n = 0
                while not stop.is_set():
                    n += 1
                    edit(writer, f"入力{n}", f"{n % 100}.5")
                    written.append(n)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    taken = []
    try:
        for i in range(6):
            seen = len(written)
            wait_until(lambda seen=seen: len(written) > seen + 2 or failures)
            now = datetime(2026, 12, 1, 9, 0) + timedelta(days=i)
            taken.append(backups.take_backup(demo_db.path, BackupKind.DAILY, now=now))
    finally:
        stop.set()
        thread.join()
    assert failures == []
    audited = []
    for backup in taken:
        with open_database(backup.path, upgrade_backup=False) as copy:
            assert check_database(copy).ok
        audited.append(backups.contents(backup.path).audit_entries)
    assert audited == sorted(audited) and audited[0] < audited[-1]


def test_a_damaged_backup_is_refused_and_nothing_changes(demo_db):
    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    data = bytearray(backup.path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xa5" * 4096  # a page overwritten
    backup.path.write_bytes(bytes(data))
    edit(demo_db, "いまの状態", "42.0")
    before = tables(demo_db.path)
    listed = [b.path for b in backups.list_backups(demo_db.path)]
    with pytest.raises(BackupUnsound) as refused:
        backups.restore(demo_db, backup.path)
    ja, en = refused.value.message("ja"), refused.value.message("en")
    assert "復元できません" in ja and "何も変更していません" in ja
    assert str(backup.path) in en and "Nothing was changed" in en
    assert tables(demo_db.path) == before
    assert [b.path for b in backups.list_backups(demo_db.path)] == listed  # no copy taken
    assert not [p for p in backup.path.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x07" * 3000],
    ids=["empty", "text", "garbage"],
)
def test_a_file_that_is_no_backup_is_refused(demo_db, tmp_path, content):
    fake = tmp_path / "fake.sqlite3"
    fake.write_bytes(content)
    before = digest(demo_db.path)
    with pytest.raises(BackupUnsound):
        backups.restore(demo_db, fake)
    assert digest(demo_db.path) == before


def test_another_programs_database_is_refused(demo_db, tmp_path):
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(BackupUnsound) as refused:
        backups.restore(demo_db, other)
    assert "not a PlanDesk database" in refused.value.message("en")


def test_a_backup_whose_audit_trail_was_altered_is_refused(demo_db):
    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    con = sqlite3.connect(backup.path)
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 5")
    con.commit()
    con.close()
    before = tables(demo_db.path)
    with pytest.raises(BackupUnsound) as refused:
        backups.restore(demo_db, backup.path)
    assert "Audit trail" in refused.value.message("en")
    assert tables(demo_db.path) == before


def test_a_backup_that_fails_its_check_is_deleted_and_reported(demo_db):
    good = backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 12, 1, 9))
    con = sqlite3.connect(demo_db.path)
    con.execute("UPDATE section_entries SET status_text = '改ざん' WHERE id = 1")
    con.commit()
    con.close()
    with pytest.raises(BackupUnsound) as failed:
        backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 12, 2, 9))
    assert "was deleted" in failed.value.message("en")
    assert "削除しました" in failed.value.message("ja")
    assert sorted(good.path.parent.iterdir()) == [good.path]  # the good one stays, alone


def test_taking_a_backup_thins_the_folder_by_the_policy(demo_db):
    first = backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 1, 1, 9))
    # Older backups of the same content, named for each day of a year.
    for day in range(1, 365):
        when = datetime(2026, 1, 1, 9) + timedelta(days=day)
        name = BackupName(when, 0, "demo", BackupKind.ON_CLOSE).file_name()
        shutil.copy(first.path, first.path.parent / name)
    other_db = first.path.parent / "other.20260105-090000.daily.sqlite3"
    shutil.copy(first.path, other_db)  # another database's backup: never touched
    backups.take_backup(demo_db.path, BackupKind.MANUAL, now=datetime(2027, 1, 1, 9))
    kept = backups.list_backups(demo_db.path)
    days = {b.taken.date().isoformat() for b in kept}
    assert days == {
        "2027-01-01", *(f"2026-12-{d}" for d in (26, 27, 28, 29, 30, 31)),  # 7 days
        "2026-12-20", "2026-12-13",  # the weeks before (Jan 1 2027 is in 2026-W53)
        # the last day of each month before, back to February: 12 months with January 2027
        "2026-11-30", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
        "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28",
    }  # fmt: skip
    assert all(b.kept_as for b in kept)
    assert kept[0].taken == datetime(2027, 1, 1, 9) and kept[0].kind is BackupKind.MANUAL
    assert other_db.exists()


def test_the_daily_backup_is_due_once_a_day(demo_db):
    assert backups.backup_due(demo_db.path, datetime(2026, 12, 2, 9))
    backups.take_backup(demo_db.path, BackupKind.ON_CLOSE, now=datetime(2026, 12, 2, 8))
    assert not backups.backup_due(demo_db.path, datetime(2026, 12, 2, 18))
    assert backups.backup_due(demo_db.path, datetime(2026, 12, 3, 0, 1))
    # A copy before a restore is no day's backup.
    backups.take_backup(demo_db.path, BackupKind.BEFORE_RESTORE, now=datetime(2026, 12, 3, 1))
    assert backups.backup_due(demo_db.path, datetime(2026, 12, 3, 2))


def test_a_backup_of_an_older_schema_is_upgraded_on_restore(demo_db, tmp_path):
    old = tmp_path / "old.sqlite3"
    with gzip.open(OLD_SCHEMA, "rb") as src, old.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    assert backups.contents(old).revision == "0005"
    restored = backups.restore(demo_db, old)
    assert restored.contents.revision == head_revision()  # upgraded on the way in
    assert check_database(demo_db).ok
    assert old.exists() and backups.contents(old).revision == "0005"  # never changed
    # The scratch copy was upgraded without a backup of its own.
    kinds = [b.kind for b in backups.list_backups(demo_db.path)]
    assert kinds == [BackupKind.BEFORE_RESTORE]


def test_the_pre_upgrade_copy_lives_with_the_backups(tmp_path):
    path = tmp_path / "branch.sqlite3"
    with gzip.open(OLD_SCHEMA, "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    with open_database(path):
        pass
    [copy] = backups.list_backups(path)
    assert copy.kind is BackupKind.BEFORE_UPGRADE and copy.kept_as == {Keep.SAFETY}
    assert backups.contents(copy.path).revision == "0005"


def test_restore_on_a_new_pc_makes_the_database_from_the_backup(demo_db, tmp_path):
    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    fresh = tmp_path / "newpc" / "plandesk.sqlite3"
    restored = backups.restore_file(fresh, backup.path)
    assert restored.before is None
    assert tables(fresh) == tables(backup.path)
    with open_database(fresh) as db:
        assert check_database(db).ok


def test_restore_is_refused_while_a_window_has_the_database_open(demo_db, tmp_path):
    from PySide6.QtCore import QLockFile

    from desktop.paths import window_lock_path

    backup = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    lock = QLockFile(str(window_lock_path(demo_db.path)))
    assert lock.tryLock(0)
    try:
        with pytest.raises(DatabaseOpenInWindow):
            backups.restore_file(demo_db.path, backup.path)
    finally:
        lock.unlock()
    backups.restore_file(demo_db.path, backup.path)  # a lock nobody holds any more


def test_a_backup_is_found_by_path_name_or_number(demo_db):
    older = backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 12, 1, 9))
    newer = backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 12, 2, 9))
    assert backups.find(demo_db.path, str(older.path)) == older.path
    assert backups.find(demo_db.path, newer.path.name) == newer.path
    assert backups.find(demo_db.path, "2") == older.path
    for wrong in ("3", "0", "nothing.sqlite3", "２"):
        with pytest.raises(BadInput):
            backups.find(demo_db.path, wrong)


def _damage(path: Path, *, header: bool = False) -> None:
    data = bytearray(path.read_bytes())
    at = 0 if header else len(data) // 2
    data[at : at + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_restored_and_its_files_kept(demo_db):
    good = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    demo_db.close()
    _damage(demo_db.path)
    with open_database(demo_db.path) as db:  # it opens: the damage is inside
        with pytest.raises(DatabaseCorrupt):
            check_database(db)
        restored = backups.restore(db, good.path)
        assert check_database(db).ok
    assert restored.before is None and restored.damaged is not None
    assert restored.damaged.name.endswith(".damaged.sqlite3")
    assert tables(demo_db.path) == tables(good.path)
    # Kept for whoever looks into it; never listed as a backup to restore.
    assert restored.damaged.exists()
    assert [b.path for b in backups.list_backups(demo_db.path)] == [good.path]


def test_a_database_too_damaged_to_open_is_moved_aside_and_made_again(demo_db):
    good = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    demo_db.close()
    _damage(demo_db.path, header=True)
    damaged_bytes = demo_db.path.read_bytes()
    restored = backups.restore_file(demo_db.path, good.path)
    assert restored.damaged is not None and restored.damaged.read_bytes() == damaged_bytes
    assert tables(demo_db.path) == tables(good.path)
    with open_database(demo_db.path) as db:
        assert check_database(db).ok


def test_a_damaged_backup_for_a_damaged_database_moves_nothing(demo_db, tmp_path):
    demo_db.close()
    _damage(demo_db.path, header=True)
    before = demo_db.path.read_bytes()
    fake = tmp_path / "fake.sqlite3"
    fake.write_bytes(b"nothing")
    with pytest.raises(BackupUnsound):
        backups.restore_file(demo_db.path, fake)
    assert demo_db.path.read_bytes() == before
    assert not (demo_db.path.parent / "backups").exists()


def test_the_preview_counts_every_entry_the_navigator_shows_as_begun(demo_db, tmp_path):
    """An entry holding only 具体的な取り組み, or only the reason for a mark, is counted
    (the window shows it ◐, by the one rule ``SectionEntry.is_empty``); the count is
    the number of non-empty entries the reports hold. An older schema without those
    columns is still read."""
    annual = ReportRef(REF.branch, REF.fiscal_year, PeriodKind.ANNUAL)
    snap = load_report(demo_db, annual)
    empty = [
        n.key
        for n in snap.plan.nodes
        if n.parent_key and snap.plan.is_reportable(n.key) and snap.entry(n.key).is_empty
    ]
    before = backups.contents(backups.take_backup(demo_db.path, BackupKind.MANUAL).path).entries
    editing.set_entry_field(demo_db, annual, empty[0], "actions", "訪問 12 回", actor="sato")
    editing.set_entry_field(demo_db, annual, empty[1], "mark_reason", "計画どおり", actor="sato")
    editing.set_entry_field(demo_db, annual, empty[2], "status_text", "　\n", actor="sato")
    now = datetime.now() + timedelta(minutes=1)  # a backup name of its own
    after = backups.contents(backups.take_backup(demo_db.path, BackupKind.MANUAL, now=now).path)
    assert after.entries == before + 2
    begun = sum(
        1
        for b, y, _t in plans.list_plans(demo_db)
        for period in PeriodKind
        if (b, y) != ("00", 2025)  # HQ's template has no report
        for e in load_report(demo_db, ReportRef(b, y, period)).entries.values()
        if not e.is_empty
    )
    assert after.entries == begun
    old = tmp_path / "old.sqlite3"
    with gzip.open(OLD_SCHEMA, "rb") as src, old.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    assert backups.contents(old).entries > 0


def test_a_killed_backups_temporary_is_swept_by_the_next_backup(demo_db):
    """A backup killed while it wrote (PC switched off) leaves a temporary as big as the
    database (the upgrade kill test counted 73 in 300 kills): the next backup of that
    database removes those older than an hour, and nothing of another database."""
    where = backups.folder(demo_db.path)
    where.mkdir(parents=True, exist_ok=True)
    killed = where / f".{demo_db.path.stem}.20261201-0900.manual.sqlite3.x1y2z3.tmp"
    other = where / ".another.20261201-0900.manual.sqlite3.x1y2z3.tmp"
    for leftover in (killed, other):
        leftover.write_bytes(b"half a backup")
        os.utime(leftover, (time.time() - 7200, time.time() - 7200))

    backups.take_backup(demo_db.path, BackupKind.MANUAL)

    assert not killed.exists()
    assert other.exists()
    assert not [p for p in where.iterdir() if p.name.startswith(f".{demo_db.path.stem}.")]
