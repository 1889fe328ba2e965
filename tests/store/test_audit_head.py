"""The audit head: deleting the newest entries, or the head itself, is detected in a
real file, and a database from before migration 0004 gets the right head."""

from __future__ import annotations

import sqlite3

from desktop.services.check import check_database
from desktop.store import audit
from desktop.store.database import open_database
from desktop.store.repository import now_utc
from tests.helpers.migrations import downgrade


def _fill(db, n: int = 5) -> None:
    for i in range(n):
        with db.write() as session:
            audit.append(
                session,
                at=now_utc(),
                actor="suzuki",
                action="comment",  # no stored value behind it: only the chain is under test
                entity="comment",
                entity_key=f"13/2024/midyear/1.I.{i}",
                field="text",
                new=f"実施した {i}",
            )


def _verify(db):
    with db.read() as session:
        return audit.verify_chain(session)


def _sql(path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def _head(path) -> tuple[int, str]:
    con = sqlite3.connect(path)
    row = con.execute("SELECT last_id, last_hash FROM audit_head").fetchone()
    con.close()
    return row


def test_the_head_moves_with_every_append(db, db_path):
    assert _head(db_path) == (0, audit.GENESIS)
    _fill(db, 3)
    con = sqlite3.connect(db_path)
    last = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert _head(db_path) == last
    assert _verify(db) == (3, None)


def test_several_entries_in_one_transaction_chain_on_each_other(db):
    with db.write() as session:
        for i in range(3):
            audit.append(
                session, at=now_utc(), actor="a", action="x", entity="e", entity_key=str(i)
            )
    assert _verify(db) == (3, None)


def test_deleting_the_last_entry_is_named(db, db_path):
    _fill(db)
    _sql(db_path, "DELETE FROM audit_log WHERE id = 5")
    count, broken = _verify(db)
    assert count == 4 and broken is not None and broken.row_id == 5
    assert "5 番まであるはず" in broken.reason_ja and "entry 5 should exist" in broken.reason_en


def test_deleting_the_last_entries_is_named(db, db_path):
    _fill(db)
    _sql(db_path, "DELETE FROM audit_log WHERE id >= 3")
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 5
    assert "3〜5 番が削除" in broken.reason_ja


def test_an_append_after_a_truncation_leaves_the_gap_visible(db, db_path):
    _fill(db)
    _sql(db_path, "DELETE FROM audit_log WHERE id = 5")
    _fill(db, 1)  # the app writes on, chained on the head, not on what is left
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 6
    assert "5" in broken.reason_en and "missing" in broken.reason_en


def test_deleting_everything_is_named(db, db_path):
    _fill(db, 2)
    _sql(db_path, "DELETE FROM audit_log")
    assert _verify(db)[1].row_id == 2


def test_replacing_the_last_entry_with_a_valid_one_is_named(db, db_path):
    """Someone deletes the last entry and lets another one take its id and place."""
    _fill(db, 3)
    con = sqlite3.connect(db_path)
    head = con.execute("SELECT last_id, last_hash FROM audit_head").fetchone()
    con.execute("DELETE FROM audit_log WHERE id = 3")
    con.execute(
        "UPDATE audit_head SET last_id = 2, last_hash = (SELECT hash FROM audit_log WHERE id = 2)"
    )
    con.commit()
    con.close()
    _fill(db, 1)  # a valid entry 3, with another content
    _sql(db_path, f"UPDATE audit_head SET last_id = {head[0]}, last_hash = '{head[1]}'")
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 3 and "置き換え" in broken.reason_ja


def test_an_entry_added_by_hand_is_named(db, db_path):
    _fill(db, 2)
    _sql(
        db_path,
        "INSERT INTO audit_log SELECT 3, at, actor, action, entity, entity_key, field, "
        "old_value, new_value, hash, hash FROM audit_log WHERE id = 2",
    )
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 3


def test_a_deleted_head_is_named_and_stays_visible_after_the_next_append(db, db_path):
    _fill(db, 3)
    _sql(db_path, "DELETE FROM audit_head", "DELETE FROM audit_log WHERE id = 3")
    _, broken = _verify(db)
    assert broken is not None and "audit_head" in broken.reason_en
    _fill(db, 1)  # writing on restores the head, with an entry saying so
    _, broken = _verify(db)
    assert broken is not None and broken.row_id == 3 and "復元" in broken.reason_ja
    assert _head(db_path)[0] == 4


def test_check_names_a_truncated_log(db, db_path):
    _fill(db)
    assert check_database(db).ok
    _sql(db_path, "DELETE FROM audit_log WHERE id = 5")
    report = check_database(db)
    assert not report.ok
    chain = next(f for f in report.findings if "hash chain" in f.label.en)
    assert not chain.ok and "監査ログ 5 番" in chain.detail.ja
    assert "entry 5" in chain.detail.en and "番" not in chain.detail.en


def test_upgrading_a_database_from_before_the_head_sets_it_from_its_last_entry(db, db_path):
    _fill(db, 4)
    con = sqlite3.connect(db_path)
    last = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    db.close()
    downgrade(db_path, "0003")
    con = sqlite3.connect(db_path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "audit_head" not in tables
    with open_database(db_path) as again:  # upgrades to head
        # The head takes over from the last entry; the upgrade's baseline entry follows it.
        con = sqlite3.connect(db_path)
        fifth = con.execute("SELECT action, prev_hash FROM audit_log WHERE id = 5").fetchone()
        con.close()
        assert fifth == ("baseline", last[1]) and _head(db_path)[0] == 5
        assert _verify(again) == (5, None)
        _fill(again, 1)
        assert _verify(again) == (6, None)
        _sql(db_path, "DELETE FROM audit_log WHERE id = 6")
        assert _verify(again)[1].row_id == 6
