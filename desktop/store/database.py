"""Opening a PlanDesk database: checks, migrations, connection settings.

The rules come from measured failures:
- write transactions begin IMMEDIATE, or a read that later writes fails at
  once with "database is locked" under contention;
- migrations run inside one explicit transaction on a connection with
  foreign keys off, after an online backup, then ``foreign_key_check``;
- ``synchronous=FULL`` (NORMAL in WAL can lose a committed transaction on
  power loss), ``foreign_keys=ON`` and a busy timeout on every connection;
- one pooled connection per process: SQLite 3.7.0–3.51.2 has a WAL-reset bug
  that needs two connections writing;
- writers line up and wait their turn (``_Connection``): SQLITE_BUSY after the
  busy timeout is retried, BEGIN or COMMIT only, up to WRITE_WAIT_S in all;
- a failure of SQLite reaches the caller as a StoreError with what to do (the
  details go to the error log), from every unit of work and from opening;
- the backup before a migration is written under a temporary name and checked
  before it takes its name, so a damaged leftover never blocks an upgrade;
- upgrading a database from before the audit trail accounted for every stored
  value records a baseline of them, in the migration's transaction.
"""

from __future__ import annotations

import contextlib
import glob
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.domain.backup_policy import BackupKind, BackupName
from desktop.error_log import log_exception, log_note
from desktop.files import sweep_stale_temporaries
from desktop.paths import backups_dir
from desktop.store.errors import (
    SQLITE_BUSY,
    SQLITE_CORRUPT,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    BackupFailed,
    BackupNotWritten,
    BackupUnsound,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabasePathUnusable,
    DatabaseTooNew,
    NotAPlanDeskDatabase,
    StoreError,
    primary_code,
    translate,
)
from desktop.store.write_queue import SUFFIX, WriteQueue

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

# SQLAlchemy loads when a Database is opened, not with this module: the window's first
# paint reads through desktop/store/quick_read.py and opens the Database after it.

# Alembic loads only when a migration is due (it costs a fifth of a second at every
# start otherwise): the newest migration's revision, kept equal to alembic's head by
# tests/store/test_database.py::test_schema_head_is_alembics_head.
SCHEMA_HEAD = "0016"

# PRAGMA application_id marks a file as ours: 'PLND'.
APPLICATION_ID = 0x504C4E44
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# How long a write waits for its turn in all (SQLite's busy timeout per attempt,
# then short pauses between attempts) before it gives up with a clear message.
WRITE_WAIT_S = 60.0

T = TypeVar("T")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "desktop.store:migrations")
    return cfg


def head_revision() -> str:
    """The head revision as alembic finds it among the migration files."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


class WaitedTooLong(sqlite3.OperationalError):
    """SQLITE_BUSY still, after waiting ``waited_s`` seconds in all."""

    def __init__(self, waited_s: float) -> None:
        super().__init__(f"database is locked (waited {waited_s:.1f} s)")
        self.waited_s = waited_s


class _Connection(sqlite3.Connection):
    """A driver connection whose BEGIN IMMEDIATE and COMMIT wait their turn.

    Writers line up (:mod:`desktop.store.write_queue`) and then wait for the
    database; SQLITE_BUSY after the busy timeout is not an error but a reason to
    try again, up to ``wait_limit_s`` in all, after which :class:`WaitedTooLong`
    says how long it waited. Only the statement that met SQLITE_BUSY is tried
    again — BEGIN before anything of the unit of work has run, or COMMIT, after
    which SQLite keeps the transaction open as it was — so a retry never runs any
    part of a unit of work twice.
    """

    wait_limit_s: float = WRITE_WAIT_S
    write_queue: WriteQueue | None = None
    busy_retries: int = 0  # how often a statement had to wait again (for tests)

    def begin_immediate(self) -> None:
        started = time.monotonic()
        queue = self.write_queue
        turn = queue.join(started + self.wait_limit_s) if queue is not None else None
        if turn is False:
            raise WaitedTooLong(time.monotonic() - started)
        try:
            self._when_free(lambda: self.execute("BEGIN IMMEDIATE").close(), started)
        finally:
            if turn and queue is not None:
                queue.leave()

    def commit(self) -> None:
        self._when_free(super().commit, time.monotonic())

    def close(self) -> None:
        if self.write_queue is not None:
            self.write_queue.close()
        super().close()

    def _when_free(self, step: Callable[[], T], started: float) -> T:
        pause = 0.02
        shortened = False
        try:
            while True:
                left = self.wait_limit_s - (time.monotonic() - started)
                if left * 1000 < BUSY_TIMEOUT_MS:  # the last attempt ends at the bound
                    self.execute(f"PRAGMA busy_timeout = {max(1, int(left * 1000))}")
                    shortened = True
                try:
                    return step()
                except sqlite3.OperationalError as exc:
                    if primary_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
                        raise
                    waited = time.monotonic() - started
                    left = self.wait_limit_s - waited
                    if left <= 0:
                        raise WaitedTooLong(waited) from exc
                    self.busy_retries += 1
                    # A random pause: writers that met at the lock do not meet again.
                    time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
                    pause = min(pause * 2, 0.5)
        finally:
            if shortened:
                self.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _configure_connection(dbapi_connection: sqlite3.Connection, foreign_keys: bool) -> None:
    # Autocommit at the driver level: SQLAlchemy's begin event decides how
    # each transaction starts, instead of pysqlite's implicit deferred BEGIN.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _make_engine(
    path: Path, *, foreign_keys: bool = True, write_wait_s: float | None = None
) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    wait_s = WRITE_WAIT_S if write_wait_s is None else write_wait_s
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=30,
        connect_args={"factory": _Connection},
        # Errors (and so the error log) show the SQL, never the values: people's texts,
        # password hashes.
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: _Connection, _record: Any) -> None:
        dbapi_connection.wait_limit_s = wait_s
        dbapi_connection.write_queue = WriteQueue(path)
        _configure_connection(dbapi_connection, foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("plandesk_readonly"):
            conn.exec_driver_sql("BEGIN DEFERRED")
        else:
            conn.connection.dbapi_connection.begin_immediate()

    return engine


@contextmanager
def translated(path: Path, context: str, *, writing: bool = True) -> Iterator[None]:
    """Failures of SQLite inside become StoreErrors (details to the error log)."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:
        busy = exc if isinstance(exc, WaitedTooLong) else getattr(exc, "orig", None)
        if isinstance(busy, WaitedTooLong):
            raise DatabaseBusy(path, busy.waited_s, writing=writing) from exc
        error = translate(
            exc, path, context=context, busy_wait_s=BUSY_TIMEOUT_MS / 1000, writing=writing
        )
        if error is None:
            raise
        raise error from exc


def inspect_file(path: Path) -> tuple[int, bool, str | None]:
    """(application_id, has_tables, alembic revision) of an existing SQLite file.

    Raises NotAPlanDeskDatabase for anything that is not SQLite, and a StoreError
    (DatabaseCorrupt, …) when SQLite cannot read it.
    """
    with path.open("rb") as fh:
        header = fh.read(100)
    if header[:16] != SQLITE_HEADER:
        raise NotAPlanDeskDatabase(path)
    with translated(path, "inspect", writing=False):
        _roll_back_hot_journal(path, header)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in names:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    return app_id, bool(names), revision


def _roll_back_hot_journal(path: Path, header: bytes) -> None:
    """A process killed inside a rollback-journal transaction leaves a hot journal:
    a database not yet in WAL mode (an old one, or a backup put in its place) killed
    while its first open switched it to WAL. Only a connection that may write can roll
    the journal back; the read-only inspection fails with SQLITE_READONLY, and the file
    would be called read-only at every start (found by tests/reliability/
    test_upgrade_kills.py). So roll it back first — SQLite's own recovery of the last
    committed state, which any next writer would do — for PlanDesk's files only: a
    foreign file (not marked as ours in its header) is refused untouched."""
    journal = Path(f"{path}-journal")
    if not journal.is_file() or journal.stat().st_size == 0:
        return
    if len(header) < 72 or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise NotAPlanDeskDatabase(path)
    con = sqlite3.connect(path)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()


def backup_database(
    source: Path,
    target: Path,
    *,
    verify: Callable[[Path], list[str]] | None = None,
    failed: type[BackupFailed] | type[BackupNotWritten] = BackupFailed,
    self_contained: bool = False,
) -> None:
    """Online backup (never a file copy of a live database) into ``target``.

    The copy is written to a temporary file next to ``target`` (``self_contained``:
    set to the rollback journal, one file readable read-only anywhere — a backup;
    otherwise in the source's journal mode, WAL — a working copy), checked (``integrity_check``, then ``verify(copy)`` when given: its problems,
    an empty list when sound) and flushed to disk, and only then renamed to
    ``target``: a half-written or damaged copy never carries the name, and a
    leftover at ``target`` never stops a new backup. A leftover that still passes
    its check is kept under a dated name (it may be the only copy of older data);
    a damaged one is replaced. The copy reads one snapshot of ``source`` in one
    step, so writers elsewhere neither wait for it nor tear it.

    Raises DatabaseCorrupt when ``source`` cannot be read whole or its copy fails
    the integrity check, BackupUnsound when ``verify`` finds problems, ``failed``
    (BackupFailed: the backup before an upgrade) when the copy cannot be written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Each backup has a name of its own (the database's stem, then when), so a killed
    # one's temporary is never this one's: this database's old enough ones go.
    sweep_stale_temporaries(target.parent, f".{glob.escape(source.stem)}.*.tmp")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        try:
            src = sqlite3.connect(source)
            try:
                dst = sqlite3.connect(temp)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
            problems = verify(temp) if verify is not None else []
            dst = sqlite3.connect(temp)
            try:
                if self_contained:
                    dst.execute("PRAGMA journal_mode = DELETE").close()
                ok = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
            finally:
                dst.close()
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
            with contextlib.suppress(OSError):  # as private as the database it copies
                os.chmod(temp, source.stat().st_mode & 0o777)
        except sqlite3.Error as exc:
            code = primary_code(exc)
            if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
                raise DatabaseCorrupt(
                    source, log=log_exception(f"backup of {source}", exc)
                ) from exc
            raise failed(source, target, log=log_exception(f"backup of {source}", exc)) from exc
        except OSError as exc:
            raise failed(source, target, log=log_exception(f"backup of {source}", exc)) from exc
        if ok != ["ok"]:
            raise DatabaseCorrupt(
                source, "the backup failed its integrity check: " + "; ".join(ok[:5])
            )
        if problems:
            raise BackupUnsound(target, problems, written=True)
        _keep_valid_leftover(target)
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise failed(source, target, log=log_exception(f"backup of {source}", exc)) from exc
    finally:
        for leftover in (temp, *(Path(f"{temp}{s}") for s in ("-wal", "-shm", SUFFIX))):
            leftover.unlink(missing_ok=True)


def _bounded_wait(started: float, limit_s: float) -> Callable[[int, int, int], None]:
    """A backup's progress callback that gives up once the destination stayed locked
    (SQLITE_BUSY after each busy timeout) longer than ``limit_s`` in all: Python's
    backup() would otherwise try again for ever."""

    def progress(status: int, _remaining: int, _total: int) -> None:
        waited = time.monotonic() - started
        if status in (SQLITE_BUSY, SQLITE_LOCKED) and waited > limit_s:
            raise WaitedTooLong(waited)

    return progress


def _keep_valid_leftover(target: Path) -> None:
    """Move a readable older backup out of the way; a damaged one is just replaced."""
    if not target.exists():
        return
    try:
        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            valid = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.Error:
        valid = False
    if not valid:
        log_note(f"a damaged leftover backup was replaced: {target}")
        return
    stamp = datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    keep = target.with_name(f"{target.stem}.{stamp}{target.suffix}")
    with contextlib.suppress(OSError):
        os.replace(target, keep)


def upgrade_backup_path(path: Path, now: datetime | None = None) -> Path:
    """Where the copy taken before upgrading ``path`` goes: with the routine backups,
    named like them (desktop/domain/backup_policy.py), so that one list shows all."""
    folder = backups_dir(path)
    taken = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    name = BackupName.new(path.stem, BackupKind.BEFORE_UPGRADE, now or datetime.now(), taken)
    return folder / name.file_name()


def _migrate(path: Path, revision: str | None, *, backup: bool = True) -> None:
    """Bring the schema to head in one transaction, foreign keys off."""
    if revision == SCHEMA_HEAD:
        return
    from alembic import command
    from sqlalchemy.orm import Session

    from desktop.store.content import record_baseline

    if revision is not None and backup:
        backup_database(path, upgrade_backup_path(path), self_contained=True)
    engine = _make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            if revision is None:
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseCorrupt(path, f"foreign key violations after migration: {problems}")
            if revision is not None and _crosses_baseline(revision):
                with Session(bind=conn) as session:
                    record_baseline(session, since=revision)
                    session.flush()
    finally:
        engine.dispose()


def _crosses_baseline(revision: str) -> bool:
    """Does upgrading from ``revision`` pass the migration after which the audit trail
    accounts for every stored value (marked ``records_audit_baseline`` in its module)?"""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    for rev in script.iterate_revisions(head_revision(), revision):
        if rev.revision != revision and getattr(rev.module, "records_audit_baseline", False):
            return True
    return False


class Database:
    """An open PlanDesk database: the engine and the unit-of-work sessions.

    A failure of SQLite inside a unit of work reaches the caller as a StoreError
    (a message with what to do; the details in the error log), never as SQL.
    """

    def __init__(self, path: Path, *, write_wait_s: float | None = None) -> None:
        from sqlalchemy.orm import sessionmaker

        self.path = path
        self.engine = _make_engine(path, write_wait_s=write_wait_s)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE); commits or rolls back whole.

        The transaction begins before the body runs: waiting for another writer
        (up to ``write_wait_s`` in all) happens here, never half-way through."""
        with translated(self.path, "write"), self._sessions() as session, session.begin():
            session.connection()
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (BEGIN DEFERRED); never commits."""
        with translated(self.path, "read", writing=False), self._sessions() as session:
            session.connection(execution_options={"plandesk_readonly": True})
            try:
                yield session
            finally:
                session.rollback()

    def restore_from(self, source: Path) -> None:
        """Replace this database's whole content by ``source``'s (a sound PlanDesk
        database of this schema), through SQLite's online backup API into this
        database's own connection: one transaction, in its turn among the writers,
        atomic on a crash. Other connections see the new content at their next read."""
        with translated(self.path, "restore"):
            raw = self.engine.raw_connection()
            try:
                con = raw.driver_connection
                assert isinstance(con, _Connection)
                started = time.monotonic()
                queue = con.write_queue
                turn = queue.join(started + con.wait_limit_s) if queue is not None else None
                if turn is False:
                    raise WaitedTooLong(time.monotonic() - started)
                try:
                    src = sqlite3.connect(source.absolute().as_uri() + "?mode=ro", uri=True)
                    try:
                        src.backup(con, progress=_bounded_wait(started, con.wait_limit_s))
                    finally:
                        src.close()
                finally:
                    if turn and queue is not None:
                        queue.leave()
            finally:
                raw.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(
    path: str | Path,
    *,
    create: bool = False,
    write_wait_s: float | None = None,
    upgrade_backup: bool = True,
) -> Database:
    """Open (and migrate) a PlanDesk database file.

    ``create`` allows making a new file; otherwise a missing file is an
    error. Foreign SQLite files and files from a newer PlanDesk are refused
    before anything is written to them. ``write_wait_s``: how long a write waits
    for another program's in all (default WRITE_WAIT_S). ``upgrade_backup``: take the
    backup before an upgrade (False only for a scratch copy, such as a restore's).
    """
    path = Path(path).expanduser().absolute()
    _refuse_unusable(path)
    with translated(path, "open"):
        if not path.exists() or path.stat().st_size == 0:
            if not create:
                raise DatabaseMissing(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file where a folder should be, no permission, ...
                raise DatabasePathUnusable.no_folder(path, exc.strerror or str(exc)) from None
            revision: str | None = None
        else:
            app_id, has_tables, revision = inspect_file(path)
            if app_id != APPLICATION_ID and (has_tables or app_id != 0):
                raise NotAPlanDeskDatabase(path)
            if revision is not None and revision != SCHEMA_HEAD:
                from alembic.script import ScriptDirectory

                known = ScriptDirectory.from_config(alembic_config())
                try:
                    known.get_revision(revision)
                except Exception:  # alembic raises several kinds for an unknown id
                    raise DatabaseTooNew(path, revision) from None
        _migrate(path, revision, backup=upgrade_backup)
    return Database(path, write_wait_s=write_wait_s)


def _refuse_unusable(path: Path) -> None:
    """Every caller's database path arrives here: refuse a folder or a file that cannot
    be read before anything is created, read or migrated."""
    if path.is_dir():
        raise DatabasePathUnusable.folder(path)
    above = next((p for p in path.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise DatabasePathUnusable.file_in_path(path, above)
    if path.exists():
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise DatabasePathUnusable.unreadable(path, exc.strerror or str(exc)) from None


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with translated(db.path, "read", writing=False), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
