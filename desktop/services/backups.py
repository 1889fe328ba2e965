"""Backups of a branch's database, and restoring one.

Where: a ``backups`` folder next to the database, in the local data folder
(desktop/paths.py), one self-contained SQLite file per backup, named for its
database, the time it was taken and why (desktop/domain/backup_policy.py).

Taking one: SQLite's online backup API reads one consistent snapshot while the
app goes on writing; the copy is written under a temporary name, checked
(``integrity_check``, then PlanDesk's own ``check`` — the audit chain and the
stored data against it), flushed to disk and only then named. A copy that fails
is deleted and the failure raised; the older backups stay. After a good backup
the folder is thinned by the policy (7 daily, 4 weekly, 12 monthly; the newest 3
copies taken before an upgrade and before a restore).

Restoring one: the backup is checked, copied to a scratch file and brought to
this PlanDesk's schema there (an older one, e.g. taken before an upgrade) and
checked again; then the current state is backed up ("before-restore"), and the
scratch copy's content replaces the database's in one SQLite transaction
(``Database.restore_from``). The database then holds exactly what the backup
held, its audit trail included: the backup's own chain, unbroken. Any refusal
leaves everything as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.domain.backup_policy import BackupKind, BackupName, Keep, daily_due, thin
from desktop.domain.errors import BadInput
from desktop.error_log import log_note
from desktop.paths import backups_dir
from desktop.services.check import check_database
from desktop.store.backup import BackupContents, open_in_window, problems_of, read_contents
from desktop.store.database import (
    APPLICATION_ID,
    SCHEMA_HEAD,
    Database,
    backup_database,
    inspect_file,
    open_database,
)
from desktop.store.errors import (
    BackupNotWritten,
    BackupUnsound,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseOpenInWindow,
    NotAPlanDeskDatabase,
)

STALE_S = 24 * 3600  # a temporary copy this old belongs to no backup still running


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    name: BackupName
    size: int  # bytes
    kept_as: frozenset[Keep]  # why the policy keeps it

    @property
    def taken(self) -> datetime:
        return self.name.taken

    @property
    def kind(self) -> BackupKind:
        return self.name.kind


@dataclass(frozen=True, slots=True)
class Restored:
    backup: Path
    contents: BackupContents  # what the database holds now
    before: Backup | None  # the state the restore replaced (None: none, or damaged)
    damaged: Path | None = None  # the replaced database's files as they were, if damaged


def folder(database: Path) -> Path:
    return backups_dir(database)


def _names(database: Path) -> dict[BackupName, Path]:
    where = folder(database)
    if not where.is_dir():
        return {}
    found = {}
    for path in where.iterdir():
        name = BackupName.parse(path.name)
        if name is not None and name.database == database.stem and path.is_file():
            found[name] = path
    return found


def list_backups(database: Path) -> list[Backup]:
    """The backups of ``database``, newest first, each with why the policy keeps it."""
    names = _names(database)
    kept = thin(names).kept
    out = []
    for name in sorted(names, reverse=True):
        try:
            size = names[name].stat().st_size
        except OSError:  # deleted meanwhile (another PlanDesk thinning)
            continue
        out.append(Backup(names[name], name, size, kept.get(name, frozenset())))
    return out


def backup_due(database: Path, now: datetime | None = None) -> bool:
    """Is today's automatic backup still to be taken (no routine backup today)?"""
    today = (now or datetime.now()).date()
    return daily_due((n.taken for n in _names(database) if n.kind.routine), today)


def _app_check(copy: Path) -> list[str]:
    """PlanDesk's own check of a fresh copy (the audit chain, the stored data against
    it): its problems, in English for the log. A copy of an older schema (before an
    upgrade) gets the integrity check alone."""
    if inspect_file(copy)[2] != SCHEMA_HEAD:
        return []
    with open_database(copy, upgrade_backup=False) as db:
        report = check_database(db)
    return [f"{f.label.en}: {f.detail.en}" for f in report.findings if not f.ok]


def take_backup(database: Path, kind: BackupKind, *, now: datetime | None = None) -> Backup:
    """A checked backup of ``database`` in its backups folder; then the folder thinned.

    Raises DatabaseMissing / NotAPlanDeskDatabase for a wrong path, DatabaseCorrupt
    when the database cannot be read whole, BackupUnsound when the copy fails the
    check (it is deleted), BackupNotWritten when the folder refuses it."""
    if not database.is_file():
        raise DatabaseMissing(database)
    app_id, _tables, revision = inspect_file(database)
    if app_id != APPLICATION_ID or revision is None:
        raise NotAPlanDeskDatabase(database)
    where = folder(database)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupNotWritten(database, where) from exc
    taken = [p.name for p in where.iterdir()]
    name = BackupName.new(database.stem, kind, now or datetime.now(), taken)
    target = where / name.file_name()
    backup_database(
        database, target, verify=_app_check, failed=BackupNotWritten, self_contained=True
    )
    _thin(database)
    _sweep(where)
    return Backup(target, name, target.stat().st_size, _kept(database, name))


def _kept(database: Path, name: BackupName) -> frozenset[Keep]:
    return thin(_names(database)).kept.get(name, frozenset())


def _thin(database: Path) -> None:
    names = _names(database)
    for name in thin(names).dropped:
        with contextlib.suppress(OSError):  # in use (Windows), already gone: next time
            names[name].unlink()


def _sweep(where: Path) -> None:
    """Temporary copies a crash left behind (never one a running backup writes)."""
    limit = time.time() - STALE_S
    for path in where.glob(".*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()


def contents(backup: Path) -> BackupContents:
    """What a backup holds, read without changing it (BackupUnsound when it is none)."""
    problems = problems_of(backup)
    if problems:
        raise BackupUnsound(backup, problems, written=False)
    return read_contents(backup)


def find(database: Path, which: str) -> Path:
    """The backup named by ``which``: a path, a file name in the backups folder, or the
    number `plandesk restore --list` shows (1 = the newest)."""
    given = Path(which).expanduser()
    if given.is_file():
        return given
    in_folder = folder(database) / which
    if in_folder.is_file():
        return in_folder
    backups = list_backups(database)
    if which.isascii() and which.isdigit() and 1 <= int(which) <= len(backups):
        return backups[int(which) - 1].path
    raise BadInput(
        f"バックアップ「{which}」が見つかりません。「plandesk restore --list」で一覧を"
        "確認してください。何も変更していません。",
        f"No backup '{which}'. See 'plandesk restore --list'. Nothing was changed.",
    )


def _staged(backup: Path, where: Path) -> tuple[Path, Path]:
    """A scratch copy of ``backup`` at this PlanDesk's schema, checked: (copy, its
    folder to remove afterwards). Refuses an unsound backup with BackupUnsound."""
    _staged_check(backup)
    where.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".restoring-", dir=where))
    try:
        staged = scratch / "staged.sqlite3"
        backup_database(backup, staged, failed=BackupNotWritten)
        with open_database(staged, upgrade_backup=False) as db:
            report = check_database(db)
        if not report.ok:
            found = [f"{f.label.en}: {f.detail.en}" for f in report.findings if not f.ok]
            raise BackupUnsound(backup, found, written=False)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return staged, scratch


def restore(db: Database, backup: Path, *, now: datetime | None = None) -> Restored:
    """Put ``backup``'s content in place of the open database's, after backing the
    current state up. Nothing changes when the backup is refused."""
    backup = backup.absolute()
    staged, scratch = _staged(backup, folder(db.path))
    damaged: Path | None = None
    before: Backup | None = None
    try:
        held = read_contents(staged)
        try:
            before = take_backup(db.path, BackupKind.BEFORE_RESTORE, now=now)
        except DatabaseCorrupt:  # what a restore is for: keep the damaged files, go on
            damaged = _keep_damaged(db.path, move=False, now=now)
        db.restore_from(staged)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    kept = before.path if before is not None else damaged
    log_note(f"restored {db.path} from {backup}; the state before is kept in {kept}")
    return Restored(backup, held, before, damaged)


def _keep_damaged(database: Path, *, move: bool, now: datetime | None = None) -> Path:
    """A damaged database, which no online backup can copy whole: its files as they
    are (the database and its WAL), for whoever looks into what happened — named
    ``….damaged.sqlite3``, so never listed as a backup nor thinned. Copied while a
    connection has it open (the restore then writes over it), moved when none has."""
    where = folder(database)
    where.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    serial = 0
    while (target := where / f"{database.stem}.{stamp}{f'-{serial}' if serial else ''}"
           f".damaged.sqlite3").exists():  # fmt: skip
        serial += 1
    for suffix in ("", "-wal"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            keep = Path(f"{target}{suffix}")
            if move:
                os.replace(source, keep)
            else:
                shutil.copyfile(source, keep)
    if move:
        Path(f"{database}-shm").unlink(missing_ok=True)
    return target


def restore_file(database: Path, backup: Path, *, now: datetime | None = None) -> Restored:
    """`plandesk restore`: ``restore`` on the database at ``database``, refused while a
    window has it open; where there is no database yet (a new PC), the backup
    becomes it, and a database too damaged to open is moved aside first."""
    if open_in_window(database):
        raise DatabaseOpenInWindow(database)
    backup = backup.absolute()
    damaged: Path | None = None
    if database.exists() and database.stat().st_size > 0:
        try:
            db = open_database(database)
        except (DatabaseCorrupt, NotAPlanDeskDatabase):
            _staged_check(backup)  # refused before the damaged file is moved
            damaged = _keep_damaged(database, move=True, now=now)
        else:
            with db:
                return restore(db, backup, now=now)
    staged, scratch = _staged(backup, folder(database))
    try:
        held = read_contents(staged)
        backup_database(staged, database, failed=BackupNotWritten)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    log_note(f"made {database} from the backup {backup} (damaged files kept: {damaged})")
    return Restored(backup, held, None, damaged)


def _staged_check(backup: Path) -> None:
    """Refuse ``backup`` now when it is no sound backup (the full check follows)."""
    problems = problems_of(backup)
    if problems:
        raise BackupUnsound(backup, problems, written=False)
