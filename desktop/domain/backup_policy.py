"""Which backups of a database are kept: the names they carry and the thinning policy.

A backup's file name says which database it copies, when it was taken and why
(``plandesk.20261202-173000.on-close.sqlite3``), so that the folder alone tells
what it holds and the policy below needs nothing but the names.

The policy, for the routine backups (taken every day the app is open, on closing
it, and by ``plandesk backup``):

- the newest backup of each of the 7 most recent days that have one,
- the newest of each of the 4 most recent ISO weeks that have one,
- the newest of each of the 12 most recent months that have one;

a backup kept by any rule stays. Days, weeks and months without a backup do not
count: a PC left off over the summer still keeps seven days of work, not an
empty week. The safety copies (taken before a schema upgrade and before a
restore) are thinned apart: the newest 3 of each kind stay. Nothing here reads
the clock: the same names always give the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class BackupKind(StrEnum):
    DAILY = "daily"  # the app's own, at most once a day while it is open
    ON_CLOSE = "on-close"  # when the app closes
    MANUAL = "manual"  # `plandesk backup`
    BEFORE_UPGRADE = "before-upgrade"  # the store's copy before a schema upgrade
    BEFORE_RESTORE = "before-restore"  # the state a restore replaced

    @property
    def routine(self) -> bool:
        return self in ROUTINE

    def label(self, lang: str = "ja") -> str:
        return (_KIND_JA if lang == "ja" else _KIND_EN)[self]


ROUTINE = frozenset({BackupKind.DAILY, BackupKind.ON_CLOSE, BackupKind.MANUAL})

_KIND_JA = {
    BackupKind.DAILY: "毎日",
    BackupKind.ON_CLOSE: "終了時",
    BackupKind.MANUAL: "手動",
    BackupKind.BEFORE_UPGRADE: "更新前",
    BackupKind.BEFORE_RESTORE: "復元前",
}
_KIND_EN = {
    BackupKind.DAILY: "daily",
    BackupKind.ON_CLOSE: "on close",
    BackupKind.MANUAL: "manual",
    BackupKind.BEFORE_UPGRADE: "before upgrade",
    BackupKind.BEFORE_RESTORE: "before restore",
}

SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<database>.+)\.(?P<stamp>\d{8}-\d{6})(?:-(?P<serial>[1-9]\d{0,3}))?"
    r"\.(?P<kind>[a-z-]+)" + re.escape(SUFFIX) + "$",
    re.ASCII,  # \d alone takes full-width and other scripts' digits
)


@dataclass(frozen=True, slots=True, order=True)
class BackupName:
    """What a backup's file name says. Ordered oldest first."""

    taken: datetime  # local time, to the second
    serial: int  # 0, or 1, 2 … for more backups of the same database in one second
    database: str  # the database file's name without its suffix ("plandesk")
    kind: BackupKind

    def file_name(self) -> str:
        serial = f"-{self.serial}" if self.serial else ""
        return f"{self.database}.{self.taken.strftime(_STAMP)}{serial}.{self.kind}{SUFFIX}"

    @staticmethod
    def parse(file_name: str) -> BackupName | None:
        """The name's parts, or None for any other file (a temporary copy, a note)."""
        match = _NAME.match(file_name)
        if match is None:
            return None
        try:
            taken = datetime.strptime(match["stamp"], _STAMP)
            kind = BackupKind(match["kind"])
        except ValueError:
            return None
        return BackupName(taken, int(match["serial"] or 0), match["database"], kind)

    @staticmethod
    def new(database: str, kind: BackupKind, now: datetime, taken: Iterable[str]) -> BackupName:
        """A name for a backup taken ``now`` that none of the ``taken`` file names has,
        ordered after every backup of ``database`` taken in the same second, whatever
        its kind (the serial counts them): names sort in the order the backups were taken."""
        stamp = now.replace(microsecond=0)
        same_second = [
            n.serial
            for n in map(BackupName.parse, taken)
            if n is not None and n.database == database and n.taken == stamp
        ]
        return BackupName(stamp, max(same_second) + 1 if same_second else 0, database, kind)


class Keep(StrEnum):
    """Why a backup stays."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    SAFETY = "safety"  # one of the newest copies taken before an upgrade or a restore

    def label(self, lang: str = "ja") -> str:
        return (_KEEP_JA if lang == "ja" else _KEEP_EN)[self]


_KEEP_JA = {Keep.DAILY: "日次", Keep.WEEKLY: "週次", Keep.MONTHLY: "月次", Keep.SAFETY: "安全用"}
_KEEP_EN = {
    Keep.DAILY: "daily",
    Keep.WEEKLY: "weekly",
    Keep.MONTHLY: "monthly",
    Keep.SAFETY: "safety copy",
}


@dataclass(frozen=True, slots=True)
class Retention:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    safety: int = 3  # of each kind of safety copy


RETENTION = Retention()


@dataclass(frozen=True, slots=True)
class Thinning:
    kept: dict[BackupName, frozenset[Keep]] = field(default_factory=dict)
    dropped: tuple[BackupName, ...] = ()


def _day(taken: datetime) -> Hashable:
    return taken.date()


def _week(taken: datetime) -> Hashable:
    year, week, _ = taken.isocalendar()
    return (year, week)


def _month(taken: datetime) -> Hashable:
    return (taken.year, taken.month)


def _newest_per_bucket(
    newest_first: Sequence[BackupName], bucket: Callable[[datetime], Hashable], count: int
) -> list[BackupName]:
    seen: set[Hashable] = set()
    chosen = []
    for name in newest_first:
        key = bucket(name.taken)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        chosen.append(name)
    return chosen


def thin(backups: Iterable[BackupName], retention: Retention = RETENTION) -> Thinning:
    """Which of one database's backups stay (and why), and which go."""
    newest_first = sorted(set(backups), reverse=True)
    reasons: dict[BackupName, set[Keep]] = {}
    routine = [b for b in newest_first if b.kind.routine]
    for keep, bucket, count in (
        (Keep.DAILY, _day, retention.daily),
        (Keep.WEEKLY, _week, retention.weekly),
        (Keep.MONTHLY, _month, retention.monthly),
    ):
        for name in _newest_per_bucket(routine, bucket, count):
            reasons.setdefault(name, set()).add(keep)
    for kind in BackupKind:
        if not kind.routine:
            for name in [b for b in newest_first if b.kind is kind][: retention.safety]:
                reasons.setdefault(name, set()).add(Keep.SAFETY)
    kept = {name: frozenset(why) for name, why in reasons.items()}
    return Thinning(kept, tuple(b for b in newest_first if b not in kept))


def daily_due(taken: Iterable[datetime], today: date) -> bool:
    """Is the day's routine backup still to be taken? (None of ``taken`` is of
    ``today``: so at most one a day, whatever the clock did before.)"""
    return all(t.date() != today for t in taken)


def size_label(size: int) -> str:
    """A file size as people read it: '980 KB', '1.1 MB' (1 KB = 1,024 bytes)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)) if size else 0} KB"
    return f"{size / (1024 * 1024):.1f} MB"
