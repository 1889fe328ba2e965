"""Databases as an older PlanDesk left them: a schema taken back with Alembic."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine, event

from desktop.store.database import alembic_config


def downgrade(path: Path, revision: str) -> None:
    """Take the (closed) database file at ``path`` back to schema ``revision``, in one
    transaction with foreign keys off, as the app migrates."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(con: sqlite3.Connection, _record: Any) -> None:
        con.isolation_level = None  # the begin event below starts the transaction
        con.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()
