"""The audit chain detects edited, deleted and reordered history in a real file."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.store import audit
from desktop.store.repository import now_utc


def _fill(db, n: int = 5) -> None:
    for i in range(n):
        with db.write() as session:
            audit.append(
                session,
                at=now_utc(),
                actor="suzuki",
                action="edit",
                entity="entry",
                entity_key=f"13/2024/midyear/1.I.{i}",
                field="status_text",
                old=None,
                new=f"実施した {i}",
            )


def _verify(db):
    with db.read() as session:
        return audit.verify_chain(session)


def test_intact_chain(db):
    _fill(db)
    count, broken = _verify(db)
    assert (count, broken) == (5, None)


def test_edited_entry_is_named(db, db_path):
    _fill(db)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE audit_log SET new_value = '改ざん' WHERE id = 3")
    con.commit()
    con.close()
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 3
    assert "書き換え" in broken.reason_ja


def test_deleted_entry_is_found(db, db_path):
    _fill(db)
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM audit_log WHERE id = 2")
    con.commit()
    con.close()
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 3
    assert "2" in broken.reason_en


@pytest.mark.parametrize("column", ["actor", "at", "field", "old_value", "entity_key"])
def test_any_field_edit_breaks_the_chain(db, db_path, column):
    _fill(db)
    value = "2020-01-01T00:00:00.000000+00:00" if column == "at" else "x"
    con = sqlite3.connect(db_path)
    con.execute(f"UPDATE audit_log SET {column} = ? WHERE id = 4", (value,))
    con.commit()
    con.close()
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 4


def test_reordered_entries_break_the_chain(db, db_path):
    _fill(db)
    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT * FROM audit_log WHERE id IN (2, 3) ORDER BY id").fetchall()
    con.execute("DELETE FROM audit_log WHERE id IN (2, 3)")
    # Swap the contents of rows 2 and 3, keeping their ids.
    con.execute("INSERT INTO audit_log VALUES (2, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[1][1:])
    con.execute("INSERT INTO audit_log VALUES (3, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[0][1:])
    con.commit()
    con.close()
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 2
