"""The window's quick first read (stdlib sqlite3) gives what the ORM gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import models, repository
from desktop.store.database import APPLICATION_ID, SCHEMA_HEAD
from desktop.store.quick_read import (
    COLUMN_TYPES,
    DECIMAL,
    FLAG,
    MONTH,
    STAMP,
    QuickReader,
    file_revision,
)
from desktop.store.types import DecimalText, Flag, MonthText, UtcTimestamp

KINDS = {DecimalText: DECIMAL, MonthText: MONTH, Flag: FLAG, UtcTimestamp: STAMP}


@pytest.mark.parametrize("table", sorted(COLUMN_TYPES))
def test_the_column_types_are_the_models(table):
    """A column the models store as Decimal, month, flag or timestamp is converted the
    same way here, and the ORM's attribute names are the columns' (row_mapping reads
    both alike)."""
    columns = models.Base.metadata.tables[table].columns
    declared = {c.name: KINDS[type(c.type)] for c in columns if type(c.type) in KINDS}
    assert COLUMN_TYPES[table] == declared
    mapper = next(m for m in models.Base.registry.mappers if m.local_table.name == table)
    assert {a.key for a in mapper.column_attrs} == {c.name for c in columns}


def test_plans_read_quickly_are_the_orms(demo_db):
    """Every plan of the demo, with its reports, entries, figures and monthly values,
    after edits of every stored kind."""
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.domain.reference import Field
    from desktop.services import editing, reference

    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    editing.set_entry_field(demo_db, ref, "2.II.3", "status_text", "進めた", actor="t")
    editing.set_monthly_actual(demo_db, ref, "1.II.2.k1", 3, "12.50", actor="t")
    reference.set_reference_figure(
        demo_db, ref, "1.II.2.k1", Field.NATIONAL_AVERAGE, "97.25", actor="t"
    )
    reference.set_reference_figure(
        demo_db, ref, "1.II.2.k2", Field.LAST_YEAR_ACTUAL, "1,234.5", actor="t"
    )
    quick = QuickReader(demo_db.path)
    with demo_db.read() as session:
        assert quick.list_plans() == repository.list_plans(session)
        for branch, year, _title in quick.list_plans():
            orm = repository.load_plan(session, branch, year)
            assert quick.load_plan(branch, year) == orm
            assert orm is not None and orm.nodes and orm.kpis
    fy2024 = quick.load_plan("13", 2024)
    assert fy2024 is not None and fy2024.report(PeriodKind.MIDYEAR).benchmarks  # all kinds read
    assert quick.load_plan("13", 1999) is None


def test_the_revision_of_a_file(demo_db, tmp_path):
    assert file_revision(demo_db.path, APPLICATION_ID) == SCHEMA_HEAD
    assert file_revision(tmp_path / "missing.sqlite3", APPLICATION_ID) is None
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"not a database at all, just text")
    assert file_revision(other, APPLICATION_ID) is None
    assert file_revision(demo_db.path, APPLICATION_ID + 1) is None


def test_the_quick_read_never_writes(demo_db):
    before = Path(demo_db.path).read_bytes()
    QuickReader(demo_db.path).load_plan("13", 2024)
    assert Path(demo_db.path).read_bytes() == before


def test_a_failure_of_sqlite_is_the_stores_message(tmp_path):
    """A damaged file reads as the Database would report it, never as a raw sqlite3
    error (the window's start then says what is wrong)."""
    import sqlite3

    from desktop.store.errors import StoreError

    damaged = tmp_path / "damaged.sqlite3"
    con = sqlite3.connect(damaged)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("CREATE TABLE alembic_version (version_num TEXT)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (SCHEMA_HEAD,))
    con.commit()
    con.close()
    assert file_revision(damaged, APPLICATION_ID) == SCHEMA_HEAD  # it looks current
    with pytest.raises(StoreError):
        QuickReader(damaged).list_plans()
