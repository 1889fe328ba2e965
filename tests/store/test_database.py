"""The store against real SQLite files: settings, refusals, migrations, exactness."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.error_log import log_path
from desktop.store.database import (
    APPLICATION_ID,
    SCHEMA_HEAD,
    current_revision,
    head_revision,
    open_database,
)
from desktop.store.errors import (
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseTooNew,
    DataRefused,
    NotAPlanDeskDatabase,
)
from desktop.store.models import KpiRow, NodeRow, PlanRow
from desktop.store.repository import now_utc
from tests.helpers.migrations import downgrade


def _plan(session) -> PlanRow:
    plan = PlanRow(branch_code="13", fiscal_year=2024, title="t", created_at=now_utc())
    session.add(plan)
    session.flush()
    return plan


def test_connection_settings(db):
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID


def test_tables_are_strict(db_path, db):
    con = sqlite3.connect(db_path)
    try:
        sqls = [
            r[0]
            for r in con.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'alembic%'"
            )
        ]
        assert sqls and all(s.rstrip().endswith("STRICT") for s in sqls)
        with pytest.raises(sqlite3.IntegrityError):
            # Full-width digits in an INTEGER column: refused, not stored as text.
            con.execute(
                "INSERT INTO plans (branch_code, fiscal_year, title, basic_policy, created_at) "
                "VALUES ('13', '２０２４', 't', '', '2024-01-01')"
            )
    finally:
        con.close()


@pytest.mark.parametrize(
    "value",
    ["12345678901234567.89", "0.087", "-0.2", "98.40", "0", "1E+3", "14097"],
)
def test_decimals_round_trip_exactly(db, value):
    with db.write() as session:
        plan = _plan(session)
        node = NodeRow(plan_id=plan.id, key="n", level="section", label="", title="n")
        session.add(node)
        session.flush()
        session.add(
            KpiRow(
                plan_id=plan.id,
                node_id=node.id,
                key="k",
                name="k",
                direction="at_least",
                target_kind="fixed",
                target=Decimal(value),
            )
        )
    with db.read() as session:
        stored = session.query(KpiRow).one().target
    assert stored == Decimal(value)
    assert str(stored) == str(Decimal(value))  # not just equal: the same digits


def test_non_finite_decimals_are_refused(db):
    with pytest.raises(DataRefused), db.write() as session:
        plan = _plan(session)
        node = NodeRow(plan_id=plan.id, key="n", level="section", label="", title="n")
        session.add(node)
        session.flush()
        session.add(
            KpiRow(
                plan_id=plan.id,
                node_id=node.id,
                key="k",
                name="k",
                direction="at_least",
                target_kind="fixed",
                target=Decimal("NaN"),
            )
        )
    with db.read() as session:
        assert session.query(PlanRow).count() == 0  # the whole transaction rolled back
    assert "only finite Decimal values are stored" in log_path().read_text(encoding="utf-8")


def test_foreign_keys_are_enforced(db):
    with pytest.raises(DataRefused) as err, db.write() as session:
        session.add(NodeRow(plan_id=999, key="n", level="section", label="", title="n"))
    assert "FOREIGN KEY" in log_path().read_text(encoding="utf-8")  # the detail: in the log
    assert "FOREIGN KEY" not in err.value.message("ja") + err.value.message("en")


def test_missing_file_is_refused_without_create(tmp_path):
    with pytest.raises(DatabaseMissing) as err:
        open_database(tmp_path / "nope.sqlite3")
    assert "見つかりません" in err.value.message("ja")
    assert not (tmp_path / "nope.sqlite3").exists()


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NotAPlanDeskDatabase):
        open_database(path)
    assert path.read_bytes() == before


def test_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(NotAPlanDeskDatabase) as err:
        open_database(path, create=True)
    assert "PlanDesk のデータベースではありません" in err.value.message("ja")


def test_truncated_database_is_reported(db_path, db):
    db.close()
    data = db_path.read_bytes()
    # Keep the header, destroy the rest: SQLite cannot read it.
    db_path.write_bytes(data[:100] + b"\x00" * 50)
    with pytest.raises((DatabaseCorrupt, NotAPlanDeskDatabase)):
        open_database(db_path)


def test_database_from_a_newer_app_is_refused(db_path, db):
    db.close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseTooNew) as err:
        open_database(db_path)
    assert "新しいバージョン" in err.value.message("ja")


def test_new_database_is_at_head(db):
    assert current_revision(db) == head_revision()


def test_schema_head_is_alembics_head():
    """The start compares a file's revision with SCHEMA_HEAD without loading alembic:
    it must name the newest migration file, or a due migration would be skipped."""
    assert head_revision() == SCHEMA_HEAD


def test_migrations_downgrade_and_upgrade_again(db_path, db):
    db.close()
    downgrade(db_path, "base")
    con = sqlite3.connect(db_path)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert names <= {"alembic_version"}
    again = open_database(db_path)
    try:
        assert current_revision(again) == head_revision()
        with again.write() as session:
            _plan(session)
    finally:
        again.close()


def test_write_transactions_begin_immediate_under_contention(db_path, db):
    """Three processes doing read-then-write: none gets 'database is locked'."""
    db.close()
    script = textwrap.dedent(
        f"""
        import sys
        from sqlalchemy import text
        from desktop.store.database import open_database
        db = open_database({str(db_path)!r})
        fails = 0
        for i in range(60):
            try:
                with db.write() as s:
                    n = s.execute(text("SELECT count(*) FROM plans")).scalar()
                    s.execute(text(
                        "INSERT INTO plans (branch_code, fiscal_year, title, basic_policy, created_at)"
                        " VALUES (:b, :y, 't', '', '2024-01-01T00:00:00+00:00')"
                    ), {{"b": "%02d" % (int(sys.argv[1]) + 1), "y": 1990 + n}})
            except Exception as exc:
                fails += 1
                print(exc, file=sys.stderr)
        print(fails)
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        for i in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [o[0].strip() for o in outs] == ["0", "0", "0"], [o[1][-500:] for o in outs]
    check = open_database(db_path)
    try:
        with check.read() as session:
            assert session.query(PlanRow).count() == 180
    finally:
        check.close()
