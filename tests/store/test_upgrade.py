"""Upgrading a real database written by PlanDesk at schema 0005
(tests/data/plandesk-rev0005.sqlite3.gz, made by tests/data/make_rev0005_database.py).

A5: the backup taken before the upgrade is written under a temporary name and put in
place only after it passes its check, so a damaged leftover from an earlier attempt
never blocks the upgrade; it goes to the backups folder with the other backups, under
a name no earlier backup has. A6: the upgrade records a baseline — every value stored at
that moment — so that `check` can hold what is stored against the audit trail from
then on.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind
from desktop.services import editing
from desktop.services.check import check_database
from desktop.services.editing import ReportRef
from desktop.store.database import current_revision, head_revision, open_database
from desktop.store.errors import BackupFailed

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "plandesk-rev0005.sqlite3.gz"


def _old_database(folder: Path) -> Path:
    path = folder / "branch.sqlite3"
    with gzip.open(FIXTURE, "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _backups(path: Path) -> list[Path]:
    """The copies taken before an upgrade, in the backups folder next to the database."""
    return sorted((path.parent / "backups").glob(f"{path.stem}.*.before-upgrade.sqlite3"))


def _facts(path: Path) -> tuple[str, str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (
            con.execute("PRAGMA integrity_check").fetchone()[0],
            con.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            con.execute("SELECT count(*) FROM plans").fetchone()[0],
        )
    finally:
        con.close()


def _content(report) -> dict[str, tuple[bool, str]]:
    return {f.label.en: (f.ok, f.detail.en) for f in report.findings}


@pytest.mark.parametrize(
    "leftover",
    [
        b"SQLite format 3\x00" + b"\x07" * 3000,  # a header and then garbage
        b"",  # an empty file (the copy had not started)
        "half",  # the first half of a real copy (power lost half-way)
    ],
    ids=["garbage", "empty", "half-written"],
)
def test_a_damaged_leftover_backup_does_not_block_the_upgrade(tmp_path, leftover):
    path = _old_database(tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    data = path.read_bytes()[: path.stat().st_size // 2] if leftover == "half" else leftover
    # What an attempt killed half-way leaves: its temporary copy, and an earlier copy.
    temp = folder / f".{path.stem}.20261201-090000.before-upgrade.sqlite3.x1y2.tmp"
    earlier = folder / f"{path.stem}.20261201-090000.before-upgrade.sqlite3"
    for stale in (temp, earlier):
        stale.write_bytes(data)
    with open_database(path) as db:
        assert current_revision(db) == head_revision()
        assert check_database(db).ok
    # The backup taken now is whole: the database as it was before the upgrade.
    [backup] = [p for p in _backups(path) if p != earlier]
    assert _facts(backup) == ("ok", "0005", 4)
    assert temp.read_bytes() == earlier.read_bytes() == data  # nothing else was touched
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [temp.name, earlier.name, backup.name]
    )  # no temporary copy of this upgrade left behind


def test_an_earlier_backup_is_never_overwritten(tmp_path):
    path = _old_database(tmp_path)
    older = tmp_path / "backups" / f"{path.stem}.20250101-090000.before-upgrade.sqlite3"
    older.parent.mkdir()
    con = sqlite3.connect(older)
    con.execute("CREATE TABLE note (text TEXT)")
    con.execute("INSERT INTO note VALUES ('an older backup')")
    con.commit()
    con.close()
    with open_database(path):
        pass
    [kept, new] = _backups(path)
    assert kept == older and _facts(new) == ("ok", "0005", 4)
    con = sqlite3.connect(older)
    assert con.execute("SELECT text FROM note").fetchone() == ("an older backup",)
    con.close()


def test_the_upgrade_records_a_baseline_and_check_holds_data_to_it(tmp_path):
    path = _old_database(tmp_path)
    with open_database(path) as db:
        findings = _content(check_database(db))
        ok, detail = findings["Stored data against the audit trail"]
        assert ok, detail
        assert "recorded as stored at the upgrade on" in detail
        # Work goes on as usual, and stays accounted for.
        ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
        editing.set_measurement(db, ref, "1.II.2.k2", actor="sato", value="98.0")
        assert check_database(db).ok
    con = sqlite3.connect(path)
    marker = con.execute(
        "SELECT actor, new_value FROM audit_log WHERE action = 'baseline' AND entity = 'database'"
    ).fetchall()
    assert marker == [("PlanDesk", "schema 0005")]
    con.execute(
        "UPDATE section_entries SET status_text = '書き換え' WHERE status_text LIKE '郵送の案内%'"
    )
    con.commit()
    con.close()
    with open_database(path) as db:
        ok, detail = _content(check_database(db))["Stored data against the audit trail"]
    assert not ok and "progress: stored '書き換え'" in detail
    assert "the audit trail says '郵送の案内を送付した'" in detail


def test_opening_again_records_no_second_baseline(tmp_path):
    path = _old_database(tmp_path)
    with open_database(path):
        pass
    with open_database(path) as db:
        assert check_database(db).ok
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM audit_log WHERE entity = 'database'").fetchone() == (
        1,
    )
    con.close()


def test_no_room_for_the_backup_blames_the_backup_and_changes_nothing(tmp_path, small_disk):
    source = _old_database(tmp_path)
    size = source.stat().st_size
    disk = small_disk(size // 1024 + 64)  # room for one copy only
    path = disk / source.name
    shutil.copy(source, path)
    before = path.read_bytes()
    with pytest.raises(BackupFailed) as err:
        open_database(path)
    message = err.value.message("ja")
    assert "バックアップ" in message and "何も変更していません" in message
    assert "破損" not in message  # the database is not blamed
    assert path.read_bytes() == before
    assert _backups(path) == [] and not list(disk.rglob(".*.tmp"))
