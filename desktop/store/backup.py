"""Backup files at the level of SQLite: is a file a sound PlanDesk backup, what does it
hold (read read-only, never changed), and is the database open in a window.

Writing a backup is ``database.backup_database`` (the online backup API); a restore
is ``Database.restore_from``, the same API the other way: the backup's pages are
written into the live database by SQLite, in one transaction on the database's own
connection — atomic (a crash leaves the old content or the new, never a mix), no
file is renamed under an open connection, and a WAL file of the old content can
never be replayed over the new one, as it could after a file swap.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.domain.model import SectionEntry
from desktop.paths import window_lock_path
from desktop.store.database import APPLICATION_ID, SQLITE_HEADER, alembic_config
from desktop.store.errors import BackupUnsound


@dataclass(frozen=True, slots=True)
class PlanHeld:
    branch: str
    fiscal_year: int
    title: str


@dataclass(frozen=True, slots=True)
class BackupContents:
    """What a backup holds, read from the file without changing it."""

    revision: str | None  # its schema
    plans: tuple[PlanHeld, ...]
    last_edit_at: datetime | None  # the newest audit entry (UTC)
    last_edit_by: str | None
    entries: int  # sections with something written
    figures: int  # KPI figures and monthly figures
    audit_entries: int


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)


def problems_of(path: Path) -> list[str]:
    """Why ``path`` is no sound PlanDesk backup this PlanDesk can restore (an empty
    list when it is): not SQLite, damaged, another program's, from a newer PlanDesk."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return ["not an SQLite database"]
    except OSError as exc:
        return [exc.strerror or str(exc)]
    try:
        con = _connect_read_only(path)
        try:
            ok = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            if ok != ["ok"]:
                return ok[:5]
            if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return ["not a PlanDesk database"]
            revision = _revision(con)
        finally:
            con.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    if revision is None:
        return ["no schema revision"]
    if not _known(revision):
        return [f"written by a newer PlanDesk (schema {revision})"]
    return []


def _revision(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception:  # alembic raises several kinds for an unknown id
        return False
    return True


# An entry's fields as ``SectionEntry`` names them; a backup of an older schema lacks
# the later ones (mark_reason, actions), which it then cannot hold.
_ENTRY_FIELDS = ("status_text", "mark", "mark_reason", "next_steps", "actions")


def _entries_written(con: sqlite3.Connection) -> int:
    """Sections with something written, by the one rule the window shows (○ for an
    empty entry: ``SectionEntry.is_empty``), so the preview and the navigator agree."""
    have = {row[1] for row in con.execute("PRAGMA table_info(section_entries)")}
    fields = [f for f in _ENTRY_FIELDS if f in have]
    columns = ", ".join(fields)
    count = 0
    # The column names come from _ENTRY_FIELDS only, never from the file.
    for row in con.execute(f"SELECT {columns} FROM section_entries"):
        values = {f: v for f, v in zip(fields, row, strict=True) if v is not None}
        if not SectionEntry("", **values).is_empty:
            count += 1
    return count


def read_contents(path: Path) -> BackupContents:
    """What the backup at ``path`` holds (BackupUnsound when it cannot be read)."""
    try:
        con = _connect_read_only(path)
        try:
            plans = tuple(
                PlanHeld(branch, int(year), title)
                for branch, year, title in con.execute(
                    "SELECT branch_code, fiscal_year, title FROM plans "
                    "ORDER BY branch_code, fiscal_year"
                )
            )
            last = con.execute(
                "SELECT at, actor FROM audit_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            entries = _entries_written(con)
            figures = con.execute(
                "SELECT (SELECT count(*) FROM measurements WHERE value IS NOT NULL "
                "OR done IS NOT NULL) + (SELECT count(*) FROM kpi_monthly)"
            ).fetchone()[0]
            audited = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            revision = _revision(con)
        finally:
            con.close()
    except (sqlite3.Error, ValueError) as exc:
        raise BackupUnsound(path, [str(exc)], written=False) from exc
    return BackupContents(
        revision=revision,
        plans=plans,
        last_edit_at=datetime.fromisoformat(last[0]) if last else None,
        last_edit_by=last[1] if last else None,
        entries=int(entries),
        figures=int(figures),
        audit_entries=int(audited),
    )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows

    def _held(lock: Path) -> bool:
        # Qt opens its lock file without sharing writes while it holds it.
        try:
            fd = os.open(lock, os.O_RDWR)
        except PermissionError:
            return True
        except OSError:
            return False
        os.close(fd)
        return False

else:
    import fcntl

    def _held(lock: Path) -> bool:
        # QLockFile holds a flock on its file (qlockfile_unix.cpp) while locked.
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)


def open_in_window(database: Path) -> bool:
    """Does a PlanDesk window have ``database`` open right now? (The lock the app
    takes with QLockFile; a lock left by a crashed app is not held by anyone.)"""
    return _held(window_lock_path(database))
