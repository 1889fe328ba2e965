"""The thinning policy and backup names (desktop/domain/backup_policy.py): dates in, the
kept set out, no files."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop.domain.backup_policy import (
    RETENTION,
    BackupKind,
    BackupName,
    Keep,
    Retention,
    daily_due,
    size_label,
    thin,
)

DAILY, CLOSE, MANUAL = BackupKind.DAILY, BackupKind.ON_CLOSE, BackupKind.MANUAL


def b(when: str, kind: BackupKind = CLOSE, serial: int = 0) -> BackupName:
    return BackupName(datetime.fromisoformat(when), serial, "plandesk", kind)


def kept(names: list[BackupName], retention: Retention = RETENTION) -> set[str]:
    return {n.taken.isoformat(sep=" ") for n in thin(names, retention).kept}


def test_nothing_to_thin():
    result = thin([])
    assert result.kept == {} and result.dropped == ()


def test_one_backup_stays_for_every_reason():
    only = b("2026-12-02 17:30:00")
    assert thin([only]).kept == {only: frozenset({Keep.DAILY, Keep.WEEKLY, Keep.MONTHLY})}


def test_the_newest_of_a_day_stays_the_others_of_that_day_go():
    morning, noon, evening = (b(f"2026-12-02 {h}:00:00", k) for h, k in
                              (("09", DAILY), ("12", MANUAL), ("18", CLOSE)))  # fmt: skip
    result = thin([morning, noon, evening])
    assert set(result.kept) == {evening}
    assert set(result.dropped) == {morning, noon}


def test_every_day_for_a_month_keeps_7_days_4_weeks_and_the_month():
    start = datetime(2026, 11, 1, 18, 0)
    names = [b(str(start + timedelta(days=i))) for i in range(30)]  # Nov 1 … Nov 30
    result = thin(names)
    days = sorted(n.taken.date() for n, why in result.kept.items() if Keep.DAILY in why)
    assert days == [date(2026, 11, d) for d in range(24, 31)]
    weeks = sorted(n.taken.date() for n, why in result.kept.items() if Keep.WEEKLY in why)
    # Newest of each ISO week: Sun Nov 29 (W48), Sun Nov 22, Sun Nov 15, Mon Nov 30 (W49).
    assert weeks == [date(2026, 11, 15), date(2026, 11, 22), date(2026, 11, 29),
                     date(2026, 11, 30)]  # fmt: skip
    months = [n.taken.date() for n, why in result.kept.items() if Keep.MONTHLY in why]
    assert months == [date(2026, 11, 30)]
    assert len(result.kept) == 7 + 2  # Nov 15 and 22 only by week; Nov 29 and 30 by day too
    assert len(result.dropped) == 30 - 9


def test_a_year_and_more_keeps_twelve_months_not_thirteen():
    names = [b(f"{2025 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}-15 10:00:00") for m in range(1, 16)]
    monthly = {n for n, why in thin(names).kept.items() if Keep.MONTHLY in why}
    assert len(monthly) == 12
    assert min(monthly).taken == datetime(2025, 4, 15, 10)  # Jan-Mar 2025 went


def test_days_without_a_backup_do_not_count():
    """A PC off for the summer holidays still keeps seven days of work."""
    before = [b(f"2026-07-{d:02d} 17:00:00") for d in range(20, 32)]
    after = [b("2026-09-01 09:00:00", DAILY)]
    daily = {n for n, why in thin(before + after).kept.items() if Keep.DAILY in why}
    assert len(daily) == 7
    assert min(daily).taken == datetime(2026, 7, 26, 17)


def test_an_iso_week_crosses_the_new_year():
    """Mon 2024-12-30 and Fri 2025-01-03 are both ISO week 2025-W01: one weekly."""
    names = [b("2024-12-30 10:00:00"), b("2025-01-03 10:00:00")]
    weekly = {n for n, why in thin(names, Retention(daily=0)).kept.items() if Keep.WEEKLY in why}
    assert weekly == {names[1]}


def test_a_month_boundary_is_a_new_month():
    names = [b("2026-10-31 23:59:59"), b("2026-11-01 00:00:00")]
    assert kept(names, Retention(daily=0, weekly=0, monthly=12)) == {
        "2026-10-31 23:59:59", "2026-11-01 00:00:00",
    }  # fmt: skip


def test_two_backups_in_the_same_second_are_told_apart_by_their_serial():
    first, second = b("2026-12-02 17:30:00"), b("2026-12-02 17:30:00", serial=1)
    assert set(thin([first, second]).kept) == {second}


def test_safety_copies_keep_the_newest_three_of_each_kind_and_never_count_as_routine():
    upgrades = [b(f"2026-0{m}-01 08:00:00", BackupKind.BEFORE_UPGRADE) for m in range(1, 6)]
    restores = [b(f"2026-0{m}-02 08:00:00", BackupKind.BEFORE_RESTORE) for m in range(1, 3)]
    routine = [b("2026-01-01 09:00:00")]
    result = thin(upgrades + restores + routine)
    assert {n for n, why in result.kept.items() if why == {Keep.SAFETY}} == {
        *upgrades[2:], *restores,
    }  # fmt: skip
    assert set(result.dropped) == set(upgrades[:2])
    assert Keep.DAILY in result.kept[routine[0]]  # the safety copies did not take its day


def test_a_zero_retention_keeps_nothing_of_that_kind():
    names = [b("2026-12-01 10:00:00"), b("2026-12-02 10:00:00")]
    assert thin(names, Retention(daily=0, weekly=0, monthly=0)).kept == {}


def test_the_result_does_not_depend_on_the_order_given():
    names = [b(f"2026-{m:02d}-{d:02d} 10:00:00") for m in (1, 5, 9) for d in (1, 9, 17, 25)]
    assert thin(names) == thin(list(reversed(names)))


@pytest.mark.parametrize(
    "name",
    ["plandesk.20261202-173000.on-close.sqlite3", "my.branch.db.20240101-000000-2.manual.sqlite3",
     "plandesk.20261202-173000.before-upgrade.sqlite3"],
)  # fmt: skip
def test_a_name_reads_back_as_written(name):
    parsed = BackupName.parse(name)
    assert parsed is not None and parsed.file_name() == name


@pytest.mark.parametrize(
    "name",
    ["plandesk.sqlite3", ".plandesk.20261202-173000.on-close.sqlite3.x1.tmp",
     "plandesk.20261302-173000.daily.sqlite3", "plandesk.20261202-173000.weekly.sqlite3",
     "plandesk.20261202-173000-0.daily.sqlite3", "plandesk.２０２６1202-173000.daily.sqlite3",
     "plandesk.20261202-173000.daily.sqlite3-wal"],
)  # fmt: skip
def test_other_files_are_not_backups(name):
    assert BackupName.parse(name) is None


def test_a_new_name_never_takes_an_existing_one():
    now = datetime(2026, 12, 2, 17, 30, 0, 123456)
    first = BackupName.new("plandesk", MANUAL, now, [])
    second = BackupName.new("plandesk", MANUAL, now, [first.file_name()])
    assert first.file_name() == "plandesk.20261202-173000.manual.sqlite3"
    assert second.file_name() == "plandesk.20261202-173000-1.manual.sqlite3"


def test_the_daily_backup_is_due_once_a_day():
    today = date(2026, 12, 2)
    assert daily_due([], today)
    assert daily_due([datetime(2026, 12, 1, 23, 59)], today)
    assert not daily_due([datetime(2026, 12, 2, 0, 1)], today)
    # A clock that once ran ahead does not stop today's backup (nor take one an hour).
    assert daily_due([datetime(2030, 1, 1, 9, 0)], today)


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 KB"), (1, "1 KB"), (1_003_520, "980 KB"), (1_146_880, "1.1 MB"),
     (52_428_800, "50.0 MB")],
)  # fmt: skip
def test_sizes_read_as_people_read_them(size, shown):
    assert size_label(size) == shown


def test_backups_of_one_second_sort_in_the_order_they_were_taken():
    # A manual backup, then the copy before a restore in the same second: the later one
    # must sort after the earlier whatever the kinds' names ("before-restore" < "manual").
    now = datetime(2026, 12, 2, 7, 30, 15, 120000)
    first = BackupName.new("plandesk", BackupKind.MANUAL, now, [])
    second = BackupName.new("plandesk", BackupKind.BEFORE_RESTORE, now, [first.file_name()])
    assert sorted([second, first]) == [first, second]
    assert BackupName.parse(second.file_name()) == second
