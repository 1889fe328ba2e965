"""Opening a PlanDesk database: checks, migrations, connection settings.

The rules come from measured failures (shared/TRAPS.md):
- write transactions begin IMMEDIATE, or a read that later writes fails at
  once with "database is locked" under contention;
- migrations run inside one explicit transaction on a connection with
  foreign keys off, after an online backup, then ``foreign_key_check``;
- ``synchronous=FULL`` (NORMAL in WAL can lose a committed transaction on
  power loss), ``foreign_keys=ON`` and a busy timeout on every connection;
- one pooled connection per process: SQLite 3.7.0–3.51.2 has a WAL-reset bug
  that needs two connections writing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from desktop.store.errors import (
    DatabaseCorrupt,
    DatabaseMissing,
    DatabasePathUnusable,
    DatabaseTooNew,
    NotAPlanDeskDatabase,
)

# PRAGMA application_id marks a file as ours: 'PLND'.
APPLICATION_ID = 0x504C4E44
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "desktop.store:migrations")
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


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


def _make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=30,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _configure_connection(dbapi_connection, foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("plandesk_readonly"):
            conn.exec_driver_sql("BEGIN DEFERRED")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def inspect_file(path: Path) -> tuple[int, bool, str | None]:
    """(application_id, has_tables, alembic revision) of an existing SQLite file.

    Raises NotAPlanDeskDatabase for anything that is not SQLite, and
    DatabaseCorrupt when SQLite cannot read it.
    """
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise NotAPlanDeskDatabase(path)
    try:
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
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(path, str(exc)) from exc
    return app_id, bool(names), revision


def backup_database(source: Path, target: Path) -> None:
    """Online backup (never a file copy of a live database), then verify it."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise DatabaseCorrupt(source, f"backup failed its integrity check: {ok}")


def _migrate(path: Path, revision: str | None) -> None:
    """Bring the schema to head in one transaction, foreign keys off."""
    head = head_revision()
    if revision == head:
        return
    if revision is not None:
        backup_database(path, path.with_name(f"{path.name}.before-{head}.bak"))
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
    finally:
        engine.dispose()


class Database:
    """An open PlanDesk database: the engine and the unit-of-work sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = _make_engine(path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE); commits or rolls back whole."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (BEGIN DEFERRED); never commits."""
        with self._sessions() as session:
            session.connection(execution_options={"plandesk_readonly": True})
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(path: str | Path, *, create: bool = False) -> Database:
    """Open (and migrate) a PlanDesk database file.

    ``create`` allows making a new file; otherwise a missing file is an
    error. Foreign SQLite files and files from a newer PlanDesk are refused
    before anything is written to them.
    """
    path = Path(path).expanduser().absolute()
    _refuse_unusable(path)
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
        if revision is not None:
            known = ScriptDirectory.from_config(alembic_config())
            try:
                known.get_revision(revision)
            except Exception:  # alembic raises several kinds for an unknown id
                raise DatabaseTooNew(path, revision) from None
    _migrate(path, revision)
    return Database(path)


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
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
